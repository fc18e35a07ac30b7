/* test_ike_qm.c - Quick Mode for the L2TP SA (src/ike_qm.c) against
 * messages built independently by tests/gen_qm_vectors.py (Python hmac/
 * hashlib and `openssl enc`) with the keys of the three Main Mode suites of
 * tests/fixtures_mm.h: message 1 byte for byte for every profile with and
 * without NAT, three responders' messages 2 opened (the chosen transform,
 * the responder's SPI), every truncation and every single-bit flip of each,
 * with exactly the flips that must still verify named (header fields the
 * caller checks, padding), the variants that must fail (another M-ID, a
 * wrong HASH(2), HASH(2) without Ni_b, another key), and the ESP DELETE. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_net.h"
#include "fixtures_mm.h"
#include "fixtures_qm.h"
#include "flip_oracle.h"
#include "ike_qm.h"

#define NSUITES (sizeof(fxq_suites) / sizeof(fxq_suites[0]))
#define NM1 (sizeof(fxq_m1s) / sizeof(fxq_m1s[0]))
#define NM2 (sizeof(fxq_m2s) / sizeof(fxq_m2s[0]))
#define WORK_MAX 2048

/* The keys of suite s (with another PSK if psk is given), the IV the last
 * block of message 6: Main Mode done. */
static void keys_for(const fxq_suite *s, const uint8_t *psk, size_t psk_len, ike_keys *k)
{
	const fxm_case *c = &fxm_cases[s->mm];
	ike_keys_in in = {
		.hash = c->hash, .cipher = c->cipher, .key_bits = c->key_bits,
		.psk = psk ? psk : c->psk, .psk_len = psk ? psk_len : c->psk_len,
		.ni = c->ni, .ni_len = c->ni_len, .nr = c->nr, .nr_len = c->nr_len,
		.gxi = c->gxi, .gxi_len = c->gxi_len, .gxr = c->gxr, .gxr_len = c->gxr_len,
		.gxy = c->gxy, .gxy_len = c->gxy_len,
		.icookie = fxm_icookie, .rcookie = fxm_rcookie,
	};

	assert_string_equal(c->name, s->name);
	assert_int_equal(ike_keys_derive(k, &in), IKE_KEYS_OK);
	assert_int_equal(ike_keys_iv_next(k, c->mm6 + IKE_HDR_LEN, c->mm6_len - IKE_HDR_LEN),
		IKE_KEYS_OK);
}

static plat_addr v4(const uint8_t a[4])
{
	plat_addr p;

	memset(&p, 0, sizeof(p));
	p.family = 4;
	memcpy(p.addr, a, 4);
	p.port = 4500;
	return p;
}

/* What message 1 m was built from. */
static ike_qm_in qm_in(const fxq_m1 *m)
{
	const fxq_suite *s = &fxq_suites[m->suite];
	ike_qm_in in;

	memset(&in, 0, sizeof(in));
	in.profile = (probe_profile)m->profile;
	in.msgid = fxq_msgid;
	in.spi = fxq_spi;
	in.ni = s->ni;
	in.ni_len = s->ni_len;
	in.local = v4(fxq_local);
	in.remote = v4(fxq_remote);
	in.nat = m->nat;
	in.natt_draft = m->profile == PROFILE_XP;
	return in;
}

/* Keys after Main Mode and the Quick Mode state after message 1 m. */
static void after_qm1(const fxq_m1 *m, ike_keys *k, ike_qm *qm)
{
	ike_qm_in in = qm_in(m);
	uint8_t out[WORK_MAX];
	size_t len = 0;

	keys_for(&fxq_suites[m->suite], NULL, 0, k);
	assert_int_equal(ike_qm1_build(k, &in, qm, out, sizeof(out), &len), IKE_KEYS_OK);
	assert_int_equal(len, m->m1_len);
}

/* ike_qm2_open on an exact-size heap copy (ASan sees any read past it). */
static ike_mm_status open2(const ike_keys *k, const ike_qm *qm, const uint8_t *pkt, size_t len,
	ike_qm2 *out)
{
	uint8_t *copy = malloc(len ? len : 1), work[WORK_MAX];
	ike_mm_status st;

	assert_non_null(copy);
	if (len)
		memcpy(copy, pkt, len);
	st = ike_qm2_open(k, qm, copy, len, work, sizeof(work), out);
	free(copy);
	return st;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	return 0;
}

/* The inputs agree with the generator's: the same SKEYID_a and Ka, the
 * same last phase 1 block. */
static void test_keys_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSUITES; i++) {
		const fxq_suite *s = &fxq_suites[i];
		ike_keys k;

		keys_for(s, NULL, 0, &k);
		assert_int_equal(k.hlen, s->skeyid_a_len);
		assert_memory_equal(k.skeyid_a, s->skeyid_a, s->skeyid_a_len);
		assert_int_equal(k.enc_len, s->enc_len);
		assert_memory_equal(k.enc, s->enc, s->enc_len);
		assert_int_equal(k.block, s->last6_len);
		assert_memory_equal(k.iv, s->last6, s->last6_len);
		ike_keys_free(&k);
	}
}

/* Message 1 byte for byte; k is not changed; *qm holds the M-ID, SPI,
 * nonce and the IV of message 2 (message 1's last block); every buffer a
 * byte short or more is refused with *len 0. */
static void test_m1_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < NM1; i++) {
		const fxq_m1 *m = &fxq_m1s[i];
		const fxq_suite *s = &fxq_suites[m->suite];
		ike_qm_in in = qm_in(m);
		ike_keys k, before;
		ike_qm qm;
		uint8_t out[WORK_MAX];
		size_t len = 0;

		print_message("message 1 %s: %zu bytes\n", m->name, m->m1_len);
		keys_for(s, NULL, 0, &k);
		before = k;
		assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len), IKE_KEYS_OK);
		assert_int_equal(len, m->m1_len);
		assert_memory_equal(out, m->m1, len);
		assert_memory_equal(&k, &before, sizeof(k));
		assert_int_equal(qm.msgid, fxq_msgid);
		assert_int_equal(qm.spi, fxq_spi);
		assert_int_equal(qm.ni_len, s->ni_len);
		assert_memory_equal(qm.ni, s->ni, s->ni_len);
		assert_memory_equal(qm.iv, m->m1 + len - k.block, k.block);
		/* the IV of message 1 itself: HASH(last phase 1 block | M-ID) */
		{
			uint8_t iv[IKE_KEYS_BLOCK_MAX];

			assert_int_equal(ike_keys_iv_msgid(&k, fxq_msgid, iv), IKE_KEYS_OK);
			assert_memory_equal(iv, s->iv1, s->iv1_len);
		}
		/* built twice: the same bytes (a retransmission) */
		assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len), IKE_KEYS_OK);
		assert_memory_equal(out, m->m1, m->m1_len);
		/* without NAT the draft flag changes nothing */
		if (!m->nat) {
			in.natt_draft = !in.natt_draft;
			assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len),
				IKE_KEYS_OK);
			assert_int_equal(len, m->m1_len);
			assert_memory_equal(out, m->m1, len);
			in.natt_draft = !in.natt_draft;
		}
		for (size_t cap = 0; cap < m->m1_len; cap++) {
			len = 99;
			assert_int_not_equal(ike_qm1_build(&k, &in, &qm, out, cap, &len),
				IKE_KEYS_OK);
			assert_int_equal(len, 0);
		}
		assert_memory_equal(&k, &before, sizeof(k));
		ike_keys_free(&k);
		ike_keys_free(&before);
	}
}

/* Vista and Server 2008 offer what 7 offers. */
static void test_m1_vista_server2008(void **state)
{
	static const probe_profile same[] = { PROFILE_VISTA, PROFILE_SERVER2008 };

	(void)state;
	for (size_t i = 0; i < NM1; i++) {
		const fxq_m1 *m = &fxq_m1s[i];

		if (m->profile != PROFILE_VISTA7)
			continue;
		for (size_t j = 0; j < 2; j++) {
			ike_qm_in in = qm_in(m);
			ike_keys k;
			ike_qm qm;
			uint8_t out[WORK_MAX];
			size_t len = 0;

			in.profile = same[j];
			keys_for(&fxq_suites[m->suite], NULL, 0, &k);
			assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len),
				IKE_KEYS_OK);
			assert_int_equal(len, m->m1_len);
			assert_memory_equal(out, m->m1, len);
			ike_keys_free(&k);
		}
	}
}

static void expect_einval(const ike_keys *k, const ike_qm_in *in)
{
	ike_qm qm;
	uint8_t out[WORK_MAX];
	size_t len = 99;

	memset(&qm, 0xcc, sizeof(qm));
	assert_int_equal(ike_qm1_build(k, in, &qm, out, sizeof(out), &len), IKE_KEYS_EINVAL);
	assert_int_equal(len, 0);
	assert_int_equal(qm.msgid, 0);
}

static void test_m1_bad_inputs(void **state)
{
	const fxq_m1 *m = &fxq_m1s[0];
	ike_qm_in in;
	ike_keys k, off;
	uint8_t big[IKE_KEYS_NONCE_MAX + 1] = { 0 };
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	keys_for(&fxq_suites[m->suite], NULL, 0, &k);
	in = qm_in(m);
	in.msgid = 0;
	expect_einval(&k, &in);
	in = qm_in(m);
	in.ni_len = IKE_KEYS_NONCE_MIN - 1;
	expect_einval(&k, &in);
	in.ni_len = 0;
	expect_einval(&k, &in);
	in.ni = big;
	in.ni_len = sizeof(big);
	expect_einval(&k, &in);
	in = qm_in(m);
	in.remote.family = 6;          /* IPv4 local, IPv6 remote */
	expect_einval(&k, &in);
	in = qm_in(m);
	in.local.family = 6;
	expect_einval(&k, &in);
	in.remote.family = 6;
	in.local.family = 0;
	expect_einval(&k, &in);
	in.local.family = in.remote.family = 0;
	expect_einval(&k, &in);
	in.local.family = in.remote.family = 5;
	expect_einval(&k, &in);
	/* keys not ready */
	memset(&off, 0, sizeof(off));
	expect_einval(&off, &(ike_qm_in){ .profile = PROFILE_WIN8PLUS, .msgid = 1, .spi = 256,
		.ni = big, .ni_len = 16, .local = v4(fxq_local), .remote = v4(fxq_remote) });

	/* the bounds themselves are fine: 8 and 256 bytes of nonce, IPv6 */
	in = qm_in(m);
	in.ni = big;
	in.ni_len = IKE_KEYS_NONCE_MIN;
	{
		ike_qm qm;
		uint8_t out[WORK_MAX];
		size_t len = 0;
		ike_msg pm;

		assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len), IKE_KEYS_OK);
		in.ni_len = IKE_KEYS_NONCE_MAX;
		assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len), IKE_KEYS_OK);
		assert_int_equal(qm.ni_len, IKE_KEYS_NONCE_MAX);
		in = qm_in(m);
		in.nat = true;
		in.local.family = in.remote.family = 6;
		memcpy(in.local.addr, a6, 16);
		memcpy(in.remote.addr, a6, 16);
		in.remote.addr[15] = 2;
		assert_int_equal(ike_qm1_build(&k, &in, &qm, out, sizeof(out), &len), IKE_KEYS_OK);
		/* it decrypts (the IV of the M-ID) to a message that parses */
		{
			ike_keys t = k;
			uint8_t work[WORK_MAX];
			ike_hdr h;

			assert_int_equal(ike_keys_iv_msgid(&k, fxq_msgid, t.iv), IKE_KEYS_OK);
			assert_int_equal(ike_mm_decrypt_copy(&t, out, len, work, sizeof(work), &h),
				IKE_MM_OK);
			assert_int_equal(ike_parse(work, len, &pm), IKE_OK);
			assert_true(pm.have_hash && pm.have_id && pm.have_nonce);
			assert_int_equal(pm.id_len, 4 + 16);
			assert_int_equal(pm.id[0], IKE_ID_IPV6_ADDR);
			assert_memory_equal(pm.id + 4, a6, 16);
			ike_keys_free(&t);
		}
	}
	ike_keys_free(&k);
}

/* Each responder's message 2: OK, the chosen transform and the responder's
 * SPI; the keys and the Quick Mode state are not changed. */
static void test_m2_opens(void **state)
{
	(void)state;
	for (size_t i = 0; i < NM2; i++) {
		const fxq_m2 *m = &fxq_m2s[i];
		ike_keys k, kb;
		ike_qm qm, qb;
		ike_qm2 r;
		uint8_t work[WORK_MAX], pkt[WORK_MAX];
		char text[80];

		print_message("message 2 %s\n", m->name);
		after_qm1(&fxq_m1s[m->m1], &k, &qm);
		kb = k;
		qb = qm;
		memset(work, 0xcc, sizeof(work));
		assert_int_equal(ike_qm2_open(&k, &qm, m->m2, m->m2_len, work, sizeof(work), &r),
			IKE_MM_OK);
		assert_int_equal(r.chosen.id, m->id);
		assert_int_equal(r.chosen.key_bits, m->key_bits);
		assert_int_equal(r.chosen.auth, m->auth);
		assert_int_equal(r.chosen.encap, m->encap);
		assert_int_equal(r.chosen.life_s, m->life_s);
		assert_int_equal(r.chosen.life_kb, m->life_kb);
		assert_int_equal(r.spi, fxq_spi_r);
		assert_int_equal(r.have_natoa, m->natoa);
		ike_esp_text(&r.chosen, text, sizeof(text));
		print_message("  chosen: %s, SPI %08x\n", text, r.spi);
		/* work holds the plaintext, the encrypted flag off */
		assert_memory_equal(work, m->m2_plain, 19);
		assert_int_equal(work[19], m->m2_plain[19] & ~IKE_FLAG_ENCRYPTED);
		assert_memory_equal(work + 20, m->m2_plain + 20, m->m2_len - 20);
		assert_memory_equal(&k, &kb, sizeof(k));
		assert_memory_equal(&qm, &qb, sizeof(qm));
		/* opened twice (a retransmission): the same */
		assert_int_equal(open2(&k, &qm, m->m2, m->m2_len, &r), IKE_MM_OK);
		assert_int_equal(r.spi, fxq_spi_r);
		/* a whole extra block of padding */
		assert_int_equal(open2(&k, &qm, m->m2_padded, m->m2_padded_len, &r), IKE_MM_OK);
		assert_int_equal(r.chosen.id, m->id);
		/* bytes past the header's length are not the message's */
		memcpy(pkt, m->m2, m->m2_len);
		memset(pkt + m->m2_len, 0xee, 7);
		assert_int_equal(open2(&k, &qm, pkt, m->m2_len + 7, &r), IKE_MM_OK);
		/* work exactly as large as the message, and a byte smaller */
		assert_int_equal(ike_qm2_open(&k, &qm, m->m2, m->m2_len, work, m->m2_len, &r),
			IKE_MM_OK);
		assert_int_equal(ike_qm2_open(&k, &qm, m->m2, m->m2_len, work, m->m2_len - 1, &r),
			IKE_MM_ESHORT);
		ike_keys_free(&k);
		ike_keys_free(&kb);
	}
}

/* What a message 2 made with other keys opens to. */
static bool refused_keys(ike_mm_status st)
{
	return st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH || st == IKE_MM_EMISSING;
}

/* Messages 2 that must not verify. */
static void test_m2_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < NM2; i++) {
		const fxq_m2 *m = &fxq_m2s[i];
		const fxq_m1 *m1 = &fxq_m1s[m->m1];
		const fxq_suite *s = &fxq_suites[m1->suite];
		ike_keys k, other;
		ike_qm qm, q2;
		ike_qm2 r;
		ike_mm_status st;
		uint8_t pkt[WORK_MAX];

		print_message("message 2 %s\n", m->name);
		after_qm1(m1, &k, &qm);
		/* another M-ID (HASH(2) right for it): not this exchange */
		assert_int_equal(open2(&k, &qm, m->m2_msgid, m->m2_msgid_len, &r), IKE_MM_EGARBLED);
		/* the state expecting that M-ID: it verifies (same IV, HASH(2) for it) */
		q2 = qm;
		q2.msgid = fxq_msgid + 1;
		assert_int_equal(open2(&k, &q2, m->m2_msgid, m->m2_msgid_len, &r), IKE_MM_OK);
		assert_int_equal(open2(&k, &q2, m->m2, m->m2_len, &r), IKE_MM_EGARBLED);
		/* HASH(2) one byte off */
		assert_int_equal(open2(&k, &qm, m->m2_badhash, m->m2_badhash_len, &r),
			IKE_MM_EMISMATCH);
		/* HASH(2) without Ni_b */
		assert_int_equal(open2(&k, &qm, m->m2_noni, m->m2_noni_len, &r), IKE_MM_EMISMATCH);
		/* our state with another nonce */
		q2 = qm;
		q2.ni[0] ^= 1;
		assert_int_equal(open2(&k, &q2, m->m2, m->m2_len, &r), IKE_MM_EMISMATCH);
		q2.ni[0] ^= 1;
		q2.ni_len--;
		assert_int_equal(open2(&k, &q2, m->m2, m->m2_len, &r), IKE_MM_EMISMATCH);
		/* the IV of message 1 instead of its last block: the first block
		 * garbled */
		q2 = qm;
		memcpy(q2.iv, s->iv1, s->iv1_len);
		assert_int_not_equal(open2(&k, &q2, m->m2, m->m2_len, &r), IKE_MM_OK);
		/* a responder with another key */
		st = open2(&k, &qm, m->m2_wrongkey, m->m2_wrongkey_len, &r);
		print_message("  responder's other key: %s\n", ike_mm_status_name(st));
		assert_true(refused_keys(st));
		/* we have the other key */
		keys_for(s, fxm_wrong_psk, sizeof(fxm_wrong_psk), &other);
		st = open2(&other, &qm, m->m2, m->m2_len, &r);
		assert_true(refused_keys(st));
		ike_keys_free(&other);
		/* in the clear, with or without the encrypted flag */
		assert_int_not_equal(open2(&k, &qm, m->m2_plain, m->m2_plain_len, &r), IKE_MM_OK);
		memcpy(pkt, m->m2_plain, m->m2_plain_len);
		pkt[19] &= (uint8_t)~IKE_FLAG_ENCRYPTED;
		assert_int_equal(open2(&k, &qm, pkt, m->m2_plain_len, &r), IKE_MM_ENOTENC);
		/* our own message 1 echoed: HASH(1) is no HASH(2) */
		assert_int_not_equal(open2(&k, &qm, m1->m1, m1->m1_len, &r), IKE_MM_OK);
		/* the ESP DELETE (an Informational) */
		assert_int_equal(open2(&k, &qm, s->delete_esp, s->delete_esp_len, &r),
			IKE_MM_EGARBLED);
		/* a header alone */
		memcpy(pkt, m->m2, IKE_HDR_LEN);
		pkt[24] = pkt[25] = pkt[26] = 0;
		pkt[27] = IKE_HDR_LEN;
		assert_int_equal(open2(&k, &qm, pkt, IKE_HDR_LEN, &r), IKE_MM_ESHORT);
		ike_keys_free(&k);
		/* keys not ready */
		memset(&other, 0, sizeof(other));
		assert_int_equal(open2(&other, &qm, m->m2, m->m2_len, &r), IKE_MM_ECRYPTO);
	}
}

/* The message cut at every length: the datagram shorter than its header
 * says is ESHORT; with the header's length patched to the cut as well,
 * only a cut that drops nothing but whole blocks of padding verifies. */
static void test_m2_truncations(void **state)
{
	size_t runs = 0, oks = 0;

	(void)state;
	for (size_t i = 0; i < NM2; i++) {
		const fxq_m2 *m = &fxq_m2s[i];
		const uint8_t *msgs[2] = { m->m2, m->m2_padded };
		const size_t lens[2] = { m->m2_len, m->m2_padded_len };
		ike_keys k;
		ike_qm qm;

		after_qm1(&fxq_m1s[m->m1], &k, &qm);
		for (size_t v = 0; v < 2; v++) {
			uint8_t pkt[WORK_MAX];
			ike_qm2 r;

			for (size_t n = 0; n < lens[v]; n++) {
				bool want_ok = n >= m->m2_end && (n - IKE_HDR_LEN) % k.block == 0;
				ike_mm_status st;

				assert_int_equal(open2(&k, &qm, msgs[v], n, &r), IKE_MM_ESHORT);
				runs++;
				if (n < IKE_HDR_LEN)
					continue;
				memcpy(pkt, msgs[v], n);
				pkt[24] = (uint8_t)(n >> 24);
				pkt[25] = (uint8_t)(n >> 16);
				pkt[26] = (uint8_t)(n >> 8);
				pkt[27] = (uint8_t)n;
				st = open2(&k, &qm, pkt, n, &r);
				runs++;
				if (want_ok) {
					assert_int_equal(st, IKE_MM_OK);
					assert_int_equal(r.spi, fxq_spi_r);
					oks++;
				} else {
					/* not whole blocks, or blocks that cut a payload */
					assert_int_equal(st, (n - IKE_HDR_LEN) % k.block != 0 ||
						n == IKE_HDR_LEN ? IKE_MM_ESHORT : IKE_MM_EGARBLED);
				}
			}
		}
		ike_keys_free(&k);
	}
	print_message("%zu truncated messages 2 opened, %zu verified (padding cut)\n", runs, oks);
	assert_int_equal(oks, NM2); /* one per padded variant */
}

static void test_m2_bit_flips(void **state)
{
	size_t total = 0, oks = 0;

	(void)state;
	for (size_t i = 0; i < NM2; i++) {
		const fxq_m2 *m = &fxq_m2s[i];
		const uint8_t *msgs[2] = { m->m2, m->m2_padded };
		const size_t lens[2] = { m->m2_len, m->m2_padded_len };
		ike_keys k;
		ike_qm qm;

		after_qm1(&fxq_m1s[m->m1], &k, &qm);
		for (size_t v = 0; v < 2; v++) {
			uint8_t pkt[WORK_MAX];
			size_t body_ok = 0, hdr_ok = 0;
			ike_qm2 r;

			for (size_t off = 0; off < lens[v]; off++) {
				for (unsigned bit = 0; bit < 8; bit++) {
					bool want = flip_verifies(lens[v], m->m2_end, k.block, off, bit, true);
					ike_mm_status st;

					memcpy(pkt, msgs[v], lens[v]);
					pkt[off] ^= (uint8_t)(1u << bit);
					st = open2(&k, &qm, pkt, lens[v], &r);
					total++;
					if ((st == IKE_MM_OK) != want)
						fail_msg("%s%s: byte %zu bit %u: %s, expected %s", m->name,
							v ? " padded" : "", off, bit, ike_mm_status_name(st),
							want ? "ok" : "a failure");
					if (st == IKE_MM_OK) {
						oks++;
						if (off < IKE_HDR_LEN)
							hdr_ok++;
						else
							body_ok++;
						assert_int_equal(r.chosen.id, m->id);
						assert_int_equal(r.spi, fxq_spi_r);
						continue;
					}
					if (off == 19 && bit == 0)
						assert_int_equal(st, IKE_MM_ENOTENC);
					else if (off == 18 || (off >= 20 && off < 24))
						assert_int_equal(st, IKE_MM_EGARBLED);
					else if (off >= IKE_HDR_LEN)
						assert_true(st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH ||
							st == IKE_MM_EMISSING);
				}
			}
			/* 128 cookie bits, 4 minor version bits, 7 flags; the padded
			 * variant also the length bit worth one block when it is set,
			 * and every bit of its last block. */
			print_message("%s%s: %zu bits, %zu verify (%zu header, %zu body)\n", m->name,
				v ? " padded" : "", lens[v] * 8, hdr_ok + body_ok, hdr_ok, body_ok);
			assert_int_equal(hdr_ok, 128 + 4 + 7 + (v && (lens[v] & k.block) ? 1 : 0));
			assert_int_equal(body_ok, v ? k.block * 8 : 0);
		}
		ike_keys_free(&k);
	}
	print_message("%zu flipped messages 2, %zu verified\n", total, oks);
}

/* The ESP DELETE byte for byte: Informational, HASH(1), protocol ESP, our
 * SPI, the IV of its M-ID from the last phase 1 block; k is not changed. */
static void test_delete_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSUITES; i++) {
		const fxq_suite *s = &fxq_suites[i];
		ike_keys k, before;
		ike_msg m;
		uint8_t out[WORK_MAX], work[WORK_MAX];
		size_t len = 0;

		print_message("suite %s\n", s->name);
		keys_for(s, NULL, 0, &k);
		before = k;
		assert_int_equal(ike_qm_delete_build(&k, fxq_delete_msgid, fxq_spi, out, sizeof(out),
			&len), IKE_KEYS_OK);
		assert_int_equal(len, s->delete_esp_len);
		assert_memory_equal(out, s->delete_esp, len);
		assert_memory_equal(&k, &before, sizeof(k));
		/* it is an Informational ike_mm_info_open reads back */
		assert_int_equal(ike_mm_info_open(&k, out, len, work, sizeof(work), &m), IKE_MM_OK);
		assert_true(m.have_hash && m.have_delete);
		assert_memory_equal(work + IKE_HDR_LEN, s->delete_esp_plain + IKE_HDR_LEN,
			len - IKE_HDR_LEN);
		for (size_t cap = 0; cap < s->delete_esp_len; cap++) {
			len = 99;
			assert_int_not_equal(ike_qm_delete_build(&k, fxq_delete_msgid, fxq_spi, out, cap,
				&len), IKE_KEYS_OK);
			assert_int_equal(len, 0);
		}
		len = 99;
		assert_int_equal(ike_qm_delete_build(&k, 0, fxq_spi, out, sizeof(out), &len),
			IKE_KEYS_EINVAL);
		assert_int_equal(len, 0);
		ike_keys_free(&k);
		len = 99;
		assert_int_equal(ike_qm_delete_build(&k, fxq_delete_msgid, fxq_spi, out, sizeof(out),
			&len), IKE_KEYS_EINVAL); /* keys not ready */
		assert_int_equal(len, 0);
		ike_keys_free(&before);
	}
}

static void expect_esp(probe_profile p, const ike_esp *want, size_t nwant)
{
	size_t n = 0;
	const ike_esp *t = ike_qm_profile_esp(p, &n);

	assert_non_null(t);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(t[i].id, want[i].id);
		assert_int_equal(t[i].key_bits, want[i].key_bits);
		assert_int_equal(t[i].auth, want[i].auth);
		/* filled in by ike_qm1_build, not in the lists */
		assert_int_equal(t[i].encap, 0);
		assert_int_equal(t[i].life_s, 0);
		assert_int_equal(t[i].life_kb, 0);
	}
}

static void test_profile_esp(void **state)
{
	static const ike_esp win[] = {
		{ IKE_ESP_AES, 256, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
		{ IKE_ESP_AES, 256, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
		{ IKE_ESP_AES, 128, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
		{ IKE_ESP_AES, 128, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
		{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
		{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
	};
	static const ike_esp xp[] = {
		{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
		{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
		{ IKE_ESP_DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
		{ IKE_ESP_DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
	};
	size_t n = 0;

	(void)state;
	expect_esp(PROFILE_WIN8PLUS, win, 6);
	expect_esp(PROFILE_VISTA7, win, 6);
	expect_esp(PROFILE_VISTA, win, 6);
	expect_esp(PROFILE_SERVER2008, win, 6);
	expect_esp(PROFILE_XP, xp, 4);
	/* 7, Vista and 2008 share one list */
	assert_ptr_equal(ike_qm_profile_esp(PROFILE_VISTA, &n),
		ike_qm_profile_esp(PROFILE_VISTA7, &n));
	assert_ptr_equal(ike_qm_profile_esp(PROFILE_SERVER2008, &n),
		ike_qm_profile_esp(PROFILE_VISTA7, &n));
}

static void expect_text(uint8_t id, uint16_t bits, uint16_t auth, uint16_t encap,
	const char *want)
{
	ike_esp e = { id, bits, auth, encap, 0, 0 };
	char buf[80];

	memset(buf, 'x', sizeof(buf));
	ike_esp_text(&e, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_esp_text(void **state)
{
	ike_esp e = { IKE_ESP_AES, 256, IKE_AUTH_HMAC_SHA1, IKE_ENCAP_TRANSPORT, 0, 0 };
	char small[8];

	(void)state;
	expect_text(IKE_ESP_AES, 256, IKE_AUTH_HMAC_SHA1, IKE_ENCAP_TRANSPORT,
		"ESP AES-256/SHA1 transport");
	expect_text(IKE_ESP_AES, 128, IKE_AUTH_HMAC_MD5, IKE_ENCAP_UDP_TRANSPORT,
		"ESP AES-128/MD5 UDP-encapsulated transport");
	expect_text(IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, IKE_ENCAP_UDP_TRANSPORT_DRAFT,
		"ESP 3DES/SHA1 UDP-encapsulated transport");
	expect_text(IKE_ESP_DES, 0, IKE_AUTH_HMAC_MD5, IKE_ENCAP_TUNNEL, "ESP DES/MD5 tunnel");
	expect_text(IKE_ESP_NULL, 0, IKE_AUTH_HMAC_SHA1, IKE_ENCAP_UDP_TUNNEL,
		"ESP NULL/SHA1 UDP-encapsulated tunnel");
	expect_text(IKE_ESP_3DES, 0, IKE_AUTH_HMAC_MD5, IKE_ENCAP_UDP_TUNNEL_DRAFT,
		"ESP 3DES/MD5 UDP-encapsulated tunnel");
	expect_text(99, 0, 0, IKE_ENCAP_TRANSPORT, "ESP cipher/no auth transport");
	expect_text(99, 192, 7, IKE_ENCAP_TRANSPORT, "ESP cipher-192/no auth transport");
	/* a server that names no mode, or one nattcheck does not know */
	expect_text(IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 0, "ESP 3DES/SHA1 mode not given");
	expect_text(IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 7, "ESP 3DES/SHA1 unknown mode");
	/* truncated to the buffer, always terminated */
	memset(small, 'x', sizeof(small));
	ike_esp_text(&e, small, sizeof(small));
	assert_string_equal(small, "ESP AES");
	small[0] = 'x';
	ike_esp_text(&e, small, 1);
	assert_int_equal(small[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_keys_agree, setup),
		cmocka_unit_test_setup(test_m1_exact, setup),
		cmocka_unit_test_setup(test_m1_vista_server2008, setup),
		cmocka_unit_test_setup(test_m1_bad_inputs, setup),
		cmocka_unit_test_setup(test_m2_opens, setup),
		cmocka_unit_test_setup(test_m2_rejects, setup),
		cmocka_unit_test_setup(test_m2_truncations, setup),
		cmocka_unit_test_setup(test_m2_bit_flips, setup),
		cmocka_unit_test_setup(test_delete_exact, setup),
		cmocka_unit_test_setup(test_profile_esp, setup),
		cmocka_unit_test_setup(test_esp_text, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
