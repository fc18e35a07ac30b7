/* fuzz_qm.c - libFuzzer harness: ike_qm2_open on arbitrary bytes (what
 * the server, or anyone spoofing it, answers Quick Mode message 1 with),
 * with fixed keys: for each message 2 of tests/fixtures_qm.h, its suite's
 * keys derived once (the IV after message 6) and the Quick Mode state of
 * the message 1 it answers, set here from the fixture (M-ID, SPI, Ni, the
 * last block of message 1), not by ike_qm1_build.
 *
 * Input: one mode byte, then the message.  (mode >> 2) picks the state.
 * mode & 1 == 0: the bytes as received.
 * mode & 1 == 1: the bytes are a plaintext message (28 bytes of header at
 *   least): the harness sets the exchange to Quick Mode, the M-ID to the
 *   state's, the encrypted flag, pads the body with zeros to the block,
 *   writes the length and encrypts it with the state's IV, so the fuzzer
 *   reaches the payload parsing behind the decryption.
 * mode & 3 == 3: before that, if the plaintext is HASH then a payload
 *   chain that ends inside it, HASH(2) is recomputed here (prf(SKEYID_a,
 *   M-ID | Ni_b | the payloads after HASH), plat_hmac directly), so the
 *   fuzzer reaches the SA parsing behind the hash check.
 *
 * Beyond "no crash", with the packet and the work buffer in heap blocks of
 * their exact size: a status in range; ECRYPTO only for more payload bytes
 * than IKE_MSG_MAX; the keys and the state not changed; an OK message is
 * Quick Mode with the state's M-ID whose HASH(2), recomputed here over the
 * decrypted copy, matches; a message the harness hashed itself is never
 * EMISMATCH; a plaintext the harness encrypted decrypts back to itself
 * whenever decryption was reached; ike_esp_text on the result terminates
 * its string within the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures_mm.h"
#include "fixtures_qm.h"
#include "fuzz_util.h"
#include "ike_qm.h"

#define NM2 (sizeof(fxq_m2s) / sizeof(fxq_m2s[0]))

static ike_keys base[NM2];
static ike_qm state[NM2];
static bool ready;

static void setup_all(void)
{
	for (size_t i = 0; i < NM2; i++) {
		const fxq_m1 *m1 = &fxq_m1s[fxq_m2s[i].m1];
		const fxq_suite *s = &fxq_suites[m1->suite];
		const fxm_case *c = &fxm_cases[s->mm];
		ike_keys_in in = {
			.hash = c->hash, .cipher = c->cipher, .key_bits = c->key_bits,
			.psk = c->psk, .psk_len = c->psk_len, .ni = c->ni, .ni_len = c->ni_len,
			.nr = c->nr, .nr_len = c->nr_len, .gxi = c->gxi, .gxi_len = c->gxi_len,
			.gxr = c->gxr, .gxr_len = c->gxr_len, .gxy = c->gxy, .gxy_len = c->gxy_len,
			.icookie = fxm_icookie, .rcookie = fxm_rcookie,
		};

		FUZZ_CHECK(ike_keys_derive(&base[i], &in) == IKE_KEYS_OK);
		/* Main Mode done: the IV is the last block of message 6 */
		FUZZ_CHECK(ike_keys_iv_next(&base[i], c->mm6 + IKE_HDR_LEN,
			c->mm6_len - IKE_HDR_LEN) == IKE_KEYS_OK);
		memset(&state[i], 0, sizeof(state[i]));
		state[i].msgid = fxq_msgid;
		state[i].spi = fxq_spi;
		state[i].ni_len = s->ni_len;
		memcpy(state[i].ni, s->ni, s->ni_len);
		memcpy(state[i].iv, m1->m1 + m1->m1_len - base[i].block, base[i].block);
	}
	ready = true;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* In a plaintext of len bytes whose first payload is HASH: where its body
 * is (*hoff, *hlen) and the payloads after it (*aoff, *alen) up to the end
 * of the chain.  False if the chain leaves the message. */
static bool chain(const uint8_t *p, size_t len, size_t *hoff, size_t *hlen, size_t *aoff,
	size_t *alen)
{
	size_t off = IKE_HDR_LEN;
	uint8_t type = p[16];

	if (len < IKE_HDR_LEN + 4 || type != IKE_PL_HASH)
		return false;
	*hoff = off + 4;
	*hlen = (size_t)(p[off + 2] << 8 | p[off + 3]);
	if (*hlen < 4)
		return false;
	*hlen -= 4;
	*aoff = off + 4 + *hlen;
	while (type != IKE_PL_NONE) {
		size_t plen;

		if (len - off < 4)
			return false;
		plen = (size_t)(p[off + 2] << 8 | p[off + 3]);
		if (plen < 4 || plen > len - off)
			return false;
		type = p[off];
		off += plen;
	}
	*alen = off - *aoff;
	return true;
}

/* HASH(2) over the plaintext p, computed here. */
static bool hash2(const ike_keys *k, const ike_qm *qm, const uint8_t *p, size_t aoff,
	size_t alen, uint8_t out[PLAT_HASH_MAX])
{
	uint8_t *buf = malloc(4 + qm->ni_len + alen);
	size_t olen = 0;
	bool ok = false;

	if (!buf)
		abort();
	put32(buf, qm->msgid);
	memcpy(buf + 4, qm->ni, qm->ni_len);
	if (alen)
		memcpy(buf + 4 + qm->ni_len, p + aoff, alen);
	ok = plat_hmac(k->hash, k->skeyid_a, k->hlen, buf, 4 + qm->ni_len + alen, out, &olen) ==
	     PLAT_OK && olen == k->hlen;
	free(buf);
	return ok;
}

static bool decrypted(ike_mm_status st)
{
	return st == IKE_MM_OK || st == IKE_MM_EGARBLED || st == IKE_MM_EMISSING ||
	       st == IKE_MM_EMISMATCH;
}

/* plain: the plaintext the harness encrypted into pkt, or NULL; hashed:
 * the harness put a right HASH(2) into it. */
static void run(const ike_keys *k, const ike_qm *qm, const uint8_t *pkt, size_t size,
	const uint8_t *plain, bool hashed)
{
	ike_keys k0 = *k;
	ike_qm q0 = *qm;
	uint8_t *work = fuzz_dup(pkt, size); /* exactly as large as the datagram */
	uint8_t want[PLAT_HASH_MAX];
	ike_qm2 r;
	char text[48];
	ike_mm_status st = ike_qm2_open(k, qm, pkt, size, work, size, &r);
	size_t len = size >= IKE_HDR_LEN ? get32(pkt + 24) : 0, ho = 0, hl = 0, ao = 0, al = 0;

	FUZZ_CHECK(st >= IKE_MM_OK && st <= IKE_MM_ECRYPTO);
	FUZZ_CHECK(ike_mm_status_name(st) != NULL);
	FUZZ_CHECK(memcmp(&k0, k, sizeof(k0)) == 0);
	FUZZ_CHECK(memcmp(&q0, qm, sizeof(q0)) == 0);
	if (st == IKE_MM_ECRYPTO)
		FUZZ_CHECK(len > IKE_MSG_MAX);
	if (hashed)
		FUZZ_CHECK(st != IKE_MM_EMISMATCH);
	if (st == IKE_MM_OK) {
		FUZZ_CHECK(len <= size && len >= IKE_HDR_LEN + k->block);
		FUZZ_CHECK(pkt[18] == IKE_EXCH_QUICK && get32(pkt + 20) == qm->msgid);
		FUZZ_CHECK(chain(work, len, &ho, &hl, &ao, &al));
		FUZZ_CHECK(hl == k->hlen);
		FUZZ_CHECK(hash2(k, qm, work, ao, al, want));
		FUZZ_CHECK(memcmp(want, work + ho, hl) == 0);
		memset(text, 'x', sizeof(text));
		ike_esp_text(&r.chosen, text, sizeof(text));
		FUZZ_CHECK(memchr(text, '\0', sizeof(text)) != NULL);
	}
	if (plain && decrypted(st))
		FUZZ_CHECK(memcmp(work + IKE_HDR_LEN, plain + IKE_HDR_LEN, len - IKE_HDR_LEN) == 0);
	ike_keys_free(&k0);
	free(work);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ike_keys *k;
	const ike_qm *qm;
	uint8_t mode;
	size_t i;

	if (!ready)
		setup_all();
	if (size < 1)
		return 0;
	mode = data[0];
	i = (size_t)(mode >> 2) % NM2;
	k = &base[i];
	qm = &state[i];
	data++;
	size--;
	if (!(mode & 1) || size < IKE_HDR_LEN) {
		uint8_t *pkt = fuzz_dup(data, size);

		run(k, qm, pkt, size, NULL, false);
		free(pkt);
	} else {
		size_t pad = (k->block - (size - IKE_HDR_LEN) % k->block) % k->block, len = size + pad;
		size_t ho = 0, hl = 0, ao = 0, al = 0;
		uint8_t *p = calloc(1, len), *c = NULL, h[PLAT_HASH_MAX];
		bool hashed = false;
		ike_keys t = *k;

		if (!p)
			abort();
		memcpy(p, data, size);
		p[18] = IKE_EXCH_QUICK;
		put32(p + 20, qm->msgid);
		p[19] |= IKE_FLAG_ENCRYPTED;
		put32(p + 24, (uint32_t)len);
		if ((mode & 2) && chain(p, len, &ho, &hl, &ao, &al) && hl == k->hlen &&
		    (p[17] >> 4) == 1 && al <= IKE_MSG_MAX && hash2(k, qm, p, ao, al, h)) {
			memcpy(p + ho, h, hl);
			hashed = true;
		}
		c = fuzz_dup(p, len);
		memcpy(t.iv, qm->iv, t.block);
		if (len > IKE_HDR_LEN)
			FUZZ_CHECK(ike_keys_encrypt(&t, c + IKE_HDR_LEN, len - IKE_HDR_LEN) ==
				IKE_KEYS_OK);
		ike_keys_free(&t);
		run(k, qm, c, len, p, hashed);
		free(c);
		free(p);
	}
	return 0;
}
