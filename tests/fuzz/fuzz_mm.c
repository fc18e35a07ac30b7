/* fuzz_mm.c - libFuzzer harness: ike_mm6_open and ike_mm_info_open on
 * arbitrary bytes (what the server, or anyone spoofing it, answers message
 * 5 with), with fixed keys: each suite of tests/fixtures_mm.h derived once,
 * its IV as after message 5 was sent.
 *
 * Input: one mode byte, then the message.  (mode >> 1) picks the suite.
 * mode & 1 == 0: the bytes as received, to both functions.
 * mode & 1 == 1: the bytes are a plaintext message (28 bytes of header at
 *   least): the harness sets the encrypted flag, pads the body with zeros
 *   to the block, writes the length and encrypts it with the IV each
 *   function expects, so the fuzzer reaches the payload parsing and the
 *   HASH checks behind the decryption.
 *
 * Beyond "no crash", with the packet and the work buffer in heap blocks of
 * their exact size: a status in range; the keys changed only by an
 * ike_mm6_open that returns OK, and then only the IV, set to the
 * message's last cipher block; a verified message 6 has ID and HASH inside
 * the work buffer and its HASH_R checks again; ike_mm_info_open never
 * changes the keys (and fails on its crypto only for a message longer
 * than IKE_MSG_MAX); a plaintext the harness encrypted decrypts back to
 * itself whenever decryption was reached. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures_mm.h"
#include "fuzz_util.h"
#include "ike_mm.h"

#define NCASES (sizeof(fxm_cases) / sizeof(fxm_cases[0]))

static ike_keys base[NCASES];
static bool ready;

static void derive_all(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys_in in = {
			.hash = c->hash, .cipher = c->cipher, .key_bits = c->key_bits,
			.psk = c->psk, .psk_len = c->psk_len, .ni = c->ni, .ni_len = c->ni_len,
			.nr = c->nr, .nr_len = c->nr_len, .gxi = c->gxi, .gxi_len = c->gxi_len,
			.gxr = c->gxr, .gxr_len = c->gxr_len, .gxy = c->gxy, .gxy_len = c->gxy_len,
			.icookie = fxm_icookie, .rcookie = fxm_rcookie,
		};

		FUZZ_CHECK(ike_keys_derive(&base[i], &in) == IKE_KEYS_OK);
		/* message 5 sent: the IV is its last block */
		FUZZ_CHECK(ike_keys_iv_next(&base[i], c->mm5 + IKE_HDR_LEN,
			c->mm5_len - IKE_HDR_LEN) == IKE_KEYS_OK);
	}
	ready = true;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool decrypted(ike_mm_status st)
{
	return st == IKE_MM_OK || st == IKE_MM_EGARBLED || st == IKE_MM_EMISSING ||
	       st == IKE_MM_EMISMATCH;
}

/* A pointer and length a parse left in m lie inside work[0, len). */
static void inside(const uint8_t *work, size_t len, const uint8_t *p, size_t n)
{
	FUZZ_CHECK(p >= work + IKE_HDR_LEN && p <= work + len);
	FUZZ_CHECK(n <= (size_t)(work + len - p));
	fuzz_touch(p, n);
}

/* plain: the plaintext the harness encrypted into pkt, or NULL. */
static void run_mm6(const ike_keys *k0, const uint8_t *pkt, size_t size, const uint8_t *plain)
{
	ike_keys k = *k0;
	uint8_t *work = fuzz_dup(pkt, size); /* exactly as large as the datagram */
	ike_msg m;
	ike_mm_status st = ike_mm6_open(&k, pkt, size, fxm_sai_b, sizeof(fxm_sai_b), work, size,
		&m);
	size_t len = size >= IKE_HDR_LEN ? get32(pkt + 24) : 0;

	FUZZ_CHECK(st >= IKE_MM_OK && st <= IKE_MM_ECRYPTO);
	FUZZ_CHECK(ike_mm_status_name(st) != NULL);
	FUZZ_CHECK(st != IKE_MM_ECRYPTO); /* the keys are ready, OpenSSL does not fail */
	if (st != IKE_MM_OK) {
		FUZZ_CHECK(memcmp(&k, k0, sizeof(k)) == 0);
	} else {
		FUZZ_CHECK(len <= size && len >= IKE_HDR_LEN + k.block);
		FUZZ_CHECK(memcmp(k.iv, pkt + len - k.block, k.block) == 0);
		memcpy(k.iv, k0->iv, sizeof(k.iv));
		FUZZ_CHECK(memcmp(&k, k0, sizeof(k)) == 0);
		FUZZ_CHECK(m.have_id && m.have_hash);
		inside(work, len, m.id, m.id_len);
		inside(work, len, m.hash, m.hash_len);
		FUZZ_CHECK(ike_keys_verify_r(k0, fxm_sai_b, sizeof(fxm_sai_b), m.id, m.id_len,
			m.hash, m.hash_len) == IKE_KEYS_OK);
	}
	if (plain && decrypted(st))
		FUZZ_CHECK(memcmp(work + IKE_HDR_LEN, plain + IKE_HDR_LEN, len - IKE_HDR_LEN) == 0);
	free(work);
}

static void run_info(const ike_keys *k0, const uint8_t *pkt, size_t size, const uint8_t *plain)
{
	ike_keys k = *k0;
	uint8_t *work = fuzz_dup(pkt, size);
	ike_msg m;
	ike_mm_status st = ike_mm_info_open(&k, pkt, size, work, size, &m);
	size_t len = size >= IKE_HDR_LEN ? get32(pkt + 24) : 0;

	FUZZ_CHECK(st >= IKE_MM_OK && st <= IKE_MM_ECRYPTO);
	FUZZ_CHECK(st != IKE_MM_EMISSING); /* only message 6 needs payloads */
	/* HASH(1) is computed over a copy bounded by IKE_MSG_MAX, more than
	 * the probe ever receives (PROBE_PKT_MAX) */
	if (st == IKE_MM_ECRYPTO)
		FUZZ_CHECK(len > IKE_MSG_MAX);
	FUZZ_CHECK(memcmp(&k, k0, sizeof(k)) == 0);
	if (st == IKE_MM_OK) {
		FUZZ_CHECK(len <= size);
		if (m.have_hash) {
			FUZZ_CHECK(m.hash_len == k0->hlen);
			inside(work, len, m.hash, m.hash_len);
		}
		if (m.have_id)
			inside(work, len, m.id, m.id_len);
	}
	if (plain && decrypted(st))
		FUZZ_CHECK(memcmp(work + IKE_HDR_LEN, plain + IKE_HDR_LEN, len - IKE_HDR_LEN) == 0);
	free(work);
}

/* The plaintext padded and encrypted with iv: a heap block of its exact
 * size (*len); plain receives the padded plaintext. */
static uint8_t *seal(const ike_keys *k0, const uint8_t *iv, const uint8_t *data, size_t size,
	uint8_t **plain, size_t *len)
{
	ike_keys t = *k0;
	size_t pad = (k0->block - (size - IKE_HDR_LEN) % k0->block) % k0->block;
	uint8_t *p = calloc(1, size + pad), *c = NULL;

	if (!p)
		abort();
	memcpy(p, data, size);
	*len = size + pad;
	p[19] |= IKE_FLAG_ENCRYPTED;
	p[24] = (uint8_t)(*len >> 24);
	p[25] = (uint8_t)(*len >> 16);
	p[26] = (uint8_t)(*len >> 8);
	p[27] = (uint8_t)*len;
	c = fuzz_dup(p, *len);
	memcpy(t.iv, iv, t.block);
	if (*len > IKE_HDR_LEN)
		FUZZ_CHECK(ike_keys_encrypt(&t, c + IKE_HDR_LEN, *len - IKE_HDR_LEN) ==
			IKE_KEYS_OK);
	ike_keys_free(&t);
	*plain = p;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ike_keys *k0;
	uint8_t mode;

	if (!ready)
		derive_all();
	if (size < 1)
		return 0;
	mode = data[0];
	k0 = &base[(mode >> 1) % NCASES];
	data++;
	size--;
	if (!(mode & 1) || size < IKE_HDR_LEN) {
		uint8_t *pkt = fuzz_dup(data, size);

		run_mm6(k0, pkt, size, NULL);
		run_info(k0, pkt, size, NULL);
		free(pkt);
	} else {
		uint8_t iv[IKE_KEYS_BLOCK_MAX], *plain = NULL, *pkt = NULL;
		size_t len = 0;

		pkt = seal(k0, k0->iv, data, size, &plain, &len);
		run_mm6(k0, pkt, len, plain);
		free(pkt);
		free(plain);
		FUZZ_CHECK(ike_keys_iv_msgid(k0, get32(data + 20), iv) == IKE_KEYS_OK);
		pkt = seal(k0, iv, data, size, &plain, &len);
		run_info(k0, pkt, len, plain);
		free(pkt);
		free(plain);
	}
	return 0;
}
