/* test_ike_keys.c - IKEv1 Main Mode key material and HASH_I/HASH_R against
 * vectors computed independently (tests/gen_keys_vectors.py: Python's hmac
 * and hashlib), the SA body that enters them, the IV chain, error paths,
 * wiping, and a message 5 / 6 CBC round trip through plat_cbc (OpenSSL in
 * the fake). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_net.h"
#include "fixtures_ike.h"
#include "fixtures_keys.h"
#include "ike_keys.h"

#define NCASES (sizeof(fxk_cases) / sizeof(fxk_cases[0]))

static void input_of(const fxk_case *c, ike_keys_in *in)
{
	memset(in, 0, sizeof(*in));
	in->hash = c->hash;
	in->cipher = c->cipher;
	in->key_bits = c->key_bits;
	in->psk = c->psk;
	in->psk_len = c->psk_len;
	in->ni = c->ni;
	in->ni_len = c->ni_len;
	in->nr = c->nr;
	in->nr_len = c->nr_len;
	in->gxi = c->gxi;
	in->gxi_len = c->gxi_len;
	in->gxr = c->gxr;
	in->gxr_len = c->gxr_len;
	in->gxy = c->gxy;
	in->gxy_len = c->gxy_len;
	in->icookie = fxk_icookie;
	in->rcookie = fxk_rcookie;
}

/* Derives the keys of a vector case; they must derive. */
static void derive_case(const fxk_case *c, ike_keys *k)
{
	ike_keys_in in;

	input_of(c, &in);
	assert_int_equal(ike_keys_derive(k, &in), IKE_KEYS_OK);
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	return 0;
}

static void test_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxk_case *c = &fxk_cases[i];
		ike_keys k;
		uint8_t h[IKE_KEYS_HASH_MAX];
		size_t n = 0;

		print_message("case %s\n", c->name);
		derive_case(c, &k);
		assert_true(k.ready);
		assert_int_equal(k.hlen, c->skeyid_len);
		assert_memory_equal(k.skeyid, c->skeyid, c->skeyid_len);
		assert_memory_equal(k.skeyid_d, c->skeyid_d, c->skeyid_d_len);
		assert_memory_equal(k.skeyid_a, c->skeyid_a, c->skeyid_a_len);
		assert_memory_equal(k.skeyid_e, c->skeyid_e, c->skeyid_e_len);
		assert_int_equal(k.enc_len, c->enc_len);
		assert_memory_equal(k.enc, c->enc, c->enc_len);
		assert_int_equal(k.block, c->iv_len);
		assert_memory_equal(k.iv, c->iv, c->iv_len);

		assert_int_equal(ike_keys_hash_i(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idii_b,
			sizeof(fxk_idii_b), h, &n), IKE_KEYS_OK);
		assert_int_equal(n, c->hash_i_len);
		assert_memory_equal(h, c->hash_i, n);
		assert_int_equal(ike_keys_hash_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
			sizeof(fxk_idir_b), h, &n), IKE_KEYS_OK);
		assert_int_equal(n, c->hash_r_len);
		assert_memory_equal(h, c->hash_r, n);
		ike_keys_free(&k);
	}
}

/* Appendix B: 20-byte SKEYID_e cannot key AES-256 or 3DES, so the key is
 * K1 | K2, not SKEYID_e; SHA-256's 32 bytes key AES-128 by truncation. */
static void test_expansion_or_truncation(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxk_case *c = &fxk_cases[i];
		ike_keys k;

		derive_case(c, &k);
		if (k.hlen >= k.enc_len)
			assert_memory_equal(k.enc, k.skeyid_e, k.enc_len);
		else
			assert_memory_not_equal(k.enc, k.skeyid_e, k.hlen);
		ike_keys_free(&k);
	}
	/* The cases the brief names are there: SHA1 + 3DES and SHA1 + AES-256
	 * expand, SHA-256 + AES-128 truncates. */
	assert_string_equal(fxk_cases[0].name, "sha1_3des_modp1024");
	assert_int_equal(fxk_cases[0].enc_len, 24);
	assert_int_equal(fxk_cases[1].skeyid_e_len, 20);
	assert_int_equal(fxk_cases[1].enc_len, 32);
	assert_int_equal(fxk_cases[2].enc_len, 16);
	/* g^xy keeps its leading zero byte (full length, not a minimal integer). */
	assert_int_equal(fxk_cases[0].gxy[0], 0);
	assert_int_equal(fxk_cases[0].gxy_len, 128);
}

/* SAi_b is the SA payload body of our message 1 as sent: the builder's
 * Windows 8+ message equals the capture the vectors were computed over. */
static void test_sai_b(void **state)
{
	uint8_t mm1[IKE_MSG_MAX];
	size_t len = ike_build_mm1(mm1, sizeof(mm1), fx_icookie, PROFILE_WIN8PLUS, PROBE_AUTH_PSK);
	size_t off = 0, blen = 0;
	ike_keys k;
	uint8_t h[IKE_KEYS_HASH_MAX];
	size_t n = 0;

	(void)state;
	assert_true(len > 0);
	assert_true(ike_keys_sai_b(mm1, len, &off, &blen));
	assert_int_equal(off, IKE_HDR_LEN + 4);
	assert_int_equal(blen, sizeof(fxk_sai_b));
	assert_memory_equal(mm1 + off, fxk_sai_b, blen);
	assert_true(ike_keys_sai_b(fx_mm1_win8, sizeof(fx_mm1_win8), &off, &blen));
	assert_memory_equal(fx_mm1_win8 + off, fxk_sai_b, blen);

	derive_case(&fxk_cases[0], &k);
	assert_int_equal(ike_keys_hash_i(&k, mm1 + off, blen, fxk_idii_b, sizeof(fxk_idii_b), h,
		&n), IKE_KEYS_OK);
	assert_memory_equal(h, fxk_cases[0].hash_i, n);
	/* The generic header is not part of it: hashing it in gives another value. */
	assert_int_equal(ike_keys_hash_i(&k, mm1 + off - 4, blen + 4, fxk_idii_b,
		sizeof(fxk_idii_b), h, &n), IKE_KEYS_OK);
	assert_memory_not_equal(h, fxk_cases[0].hash_i, n);
	ike_keys_free(&k);

	/* XP's message 1: two transforms; the body starts with DOI 1, situation 1. */
	len = ike_build_mm1(mm1, sizeof(mm1), fx_icookie, PROFILE_XP, PROBE_AUTH_PSK);
	assert_true(ike_keys_sai_b(mm1, len, &off, &blen));
	assert_int_equal(off, IKE_HDR_LEN + 4);
	assert_int_equal(blen + 4, ((size_t)mm1[IKE_HDR_LEN + 2] << 8) | mm1[IKE_HDR_LEN + 3]);
	assert_memory_equal(mm1 + off, ((const uint8_t[]){ 0, 0, 0, 1, 0, 0, 0, 1 }), 8);

	/* Malformed: too short, a payload length past the end or below 4, no SA. */
	assert_false(ike_keys_sai_b(mm1, IKE_HDR_LEN - 1, &off, &blen));
	assert_false(ike_keys_sai_b(mm1, IKE_HDR_LEN + 8, &off, &blen));
	mm1[IKE_HDR_LEN + 2] = 0;
	mm1[IKE_HDR_LEN + 3] = 3;
	assert_false(ike_keys_sai_b(mm1, len, &off, &blen));
	mm1[16] = IKE_PL_VID;
	mm1[IKE_HDR_LEN] = IKE_PL_NONE;
	mm1[IKE_HDR_LEN + 3] = 8;
	assert_false(ike_keys_sai_b(mm1, len, &off, &blen));
}

static void test_verify_r(void **state)
{
	const fxk_case *c = &fxk_cases[1];
	ike_keys_in in;
	ike_keys k;
	uint8_t h[IKE_KEYS_HASH_MAX];
	static const uint8_t wrong_psk[] = "not the key";

	(void)state;
	input_of(c, &in);
	assert_int_equal(ike_keys_derive(&k, &in), IKE_KEYS_OK);
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), c->hash_r, c->hash_r_len), IKE_KEYS_OK);
	memcpy(h, c->hash_r, c->hash_r_len);
	h[c->hash_r_len - 1] ^= 0x01;
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), h, c->hash_r_len), IKE_KEYS_EMISMATCH);
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), c->hash_r, c->hash_r_len - 1), IKE_KEYS_EMISMATCH);
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), NULL, 0), IKE_KEYS_EMISMATCH);
	/* HASH_I in place of HASH_R: the roles are not interchangeable. */
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), c->hash_i, c->hash_i_len), IKE_KEYS_EMISMATCH);
	ike_keys_free(&k);

	/* A wrong pre-shared key: the server's HASH_R does not verify. */
	in.psk = wrong_psk;
	in.psk_len = sizeof(wrong_psk) - 1;
	assert_int_equal(ike_keys_derive(&k, &in), IKE_KEYS_OK);
	assert_int_equal(ike_keys_verify_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		sizeof(fxk_idir_b), c->hash_r, c->hash_r_len), IKE_KEYS_EMISMATCH);
	ike_keys_free(&k);
}

static void expect_derive(const ike_keys_in *in, ike_keys_err want)
{
	ike_keys k;

	memset(&k, 0xa5, sizeof(k));
	assert_int_equal(ike_keys_derive(&k, in), want);
	/* Whatever went wrong, nothing is left behind. */
	assert_true(all_zero(&k, sizeof(k)));
}

static void test_unsupported(void **state)
{
	ike_keys_in in;

	(void)state;
	input_of(&fxk_cases[0], &in);
	in.hash = 3; /* Tiger: known to RFC 2409, not here */
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	in.hash = 0;
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	in.hash = 7;
	expect_derive(&in, IKE_KEYS_EUNSUPP);

	input_of(&fxk_cases[0], &in);
	in.cipher = 1; /* DES */
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	in.cipher = IKE_CIPHER_3DES;
	in.key_bits = 128;
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	in.key_bits = 192; /* said explicitly: accepted */
	{
		ike_keys k;

		assert_int_equal(ike_keys_derive(&k, &in), IKE_KEYS_OK);
		assert_int_equal(k.enc_len, 24);
		ike_keys_free(&k);
	}
	in.cipher = IKE_CIPHER_AES_CBC;
	in.key_bits = 0;
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	in.key_bits = 512;
	expect_derive(&in, IKE_KEYS_EUNSUPP);
	assert_string_equal(ike_keys_err_name(IKE_KEYS_EUNSUPP), "algorithm not supported");
}

static void test_bounds(void **state)
{
	static uint8_t big[2 * IKE_KEYS_SA_MAX]; /* longer than every bound */
	ike_keys_in in, ok;
	ike_keys k;
	uint8_t h[IKE_KEYS_HASH_MAX];
	size_t n = 7;

	(void)state;
	input_of(&fxk_cases[4], &ok); /* already at the maxima: 512, 256 */
	assert_int_equal(ike_keys_derive(&k, &ok), IKE_KEYS_OK);
	ike_keys_free(&k);

	in = ok;
	in.gxy = big;
	in.gxy_len = IKE_KEYS_DH_MAX + 1;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.gxi = big;
	in.gxi_len = IKE_KEYS_DH_MAX + 1;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.gxr_len = 0;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.ni = big;
	in.ni_len = IKE_KEYS_NONCE_MAX + 1;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.nr_len = IKE_KEYS_NONCE_MIN - 1;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.psk_len = 0;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.psk = big;
	in.psk_len = IKE_KEYS_PSK_MAX + 1;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.psk = NULL;
	expect_derive(&in, IKE_KEYS_EINVAL);
	in = ok;
	in.rcookie = NULL;
	expect_derive(&in, IKE_KEYS_EINVAL);

	assert_int_equal(ike_keys_derive(&k, &ok), IKE_KEYS_OK);
	assert_int_equal(ike_keys_hash_i(&k, big, IKE_KEYS_SA_MAX + 1, fxk_idii_b,
		sizeof(fxk_idii_b), h, &n), IKE_KEYS_EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(ike_keys_hash_i(&k, fxk_sai_b, IKE_KEYS_SA_MIN - 1, fxk_idii_b,
		sizeof(fxk_idii_b), h, &n), IKE_KEYS_EINVAL);
	assert_int_equal(ike_keys_hash_r(&k, fxk_sai_b, sizeof(fxk_sai_b), big,
		IKE_KEYS_ID_MAX + 1, h, &n), IKE_KEYS_EINVAL);
	assert_int_equal(ike_keys_hash_r(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idir_b,
		IKE_KEYS_ID_MIN - 1, h, &n), IKE_KEYS_EINVAL);
	assert_int_equal(ike_keys_hash_i(&k, big, IKE_KEYS_SA_MAX, big, IKE_KEYS_ID_MAX, h, &n),
		IKE_KEYS_OK);
	assert_int_equal(n, 64);
	ike_keys_free(&k);
	/* Freed keys are not keys. */
	assert_int_equal(ike_keys_hash_i(&k, fxk_sai_b, sizeof(fxk_sai_b), fxk_idii_b,
		sizeof(fxk_idii_b), h, &n), IKE_KEYS_EINVAL);
	assert_int_equal(ike_keys_iv_next(&k, big, 16), IKE_KEYS_EINVAL);
	assert_int_equal(ike_keys_encrypt(&k, big, 16), IKE_KEYS_EINVAL);
}

static void test_wiped_after_free(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		ike_keys k;

		derive_case(&fxk_cases[i], &k);
		assert_false(all_zero(k.skeyid, k.hlen));
		assert_false(all_zero(k.enc, k.enc_len));
		ike_keys_free(&k);
		assert_true(all_zero(&k, sizeof(k)));
		assert_false(k.ready);
	}
}

/* Message 5's payloads (ID, then HASH_I; RFC 2409 5.4) zero-padded to the
 * block, as a caller would encrypt them.  Returns the length. */
static size_t mm5_plain(const ike_keys *k, const uint8_t *hash, uint8_t *out)
{
	size_t n = 0;

	out[n++] = IKE_PL_HASH;
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = (uint8_t)(4 + sizeof(fxk_idii_b));
	memcpy(out + n, fxk_idii_b, sizeof(fxk_idii_b));
	n += sizeof(fxk_idii_b);
	out[n++] = IKE_PL_NONE;
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = (uint8_t)(4 + k->hlen);
	memcpy(out + n, hash, k->hlen);
	n += k->hlen;
	while (n % k->block != 0)
		out[n++] = 0;
	return n;
}

static void test_cbc_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxk_case *c = &fxk_cases[i];
		ike_keys me, server;
		uint8_t plain[128], msg[128], iv0[IKE_KEYS_BLOCK_MAX];
		size_t len;

		print_message("case %s\n", c->name);
		derive_case(c, &me);
		derive_case(c, &server);
		len = mm5_plain(&me, c->hash_i, plain);
		assert_int_equal(len % me.block, 0);
		memcpy(msg, plain, len);
		memcpy(iv0, me.iv, sizeof(iv0));

		/* Message 5: ours, encrypted; the IV chains to its last block. */
		assert_int_equal(ike_keys_encrypt(&me, msg, len), IKE_KEYS_OK);
		assert_memory_not_equal(msg, plain, len);
		assert_memory_equal(me.iv, msg + len - me.block, me.block);
		/* plat_cbc itself, with the derived key and message 5's IV, reads it. */
		{
			uint8_t copy[128];

			memcpy(copy, msg, len);
			assert_int_equal(plat_cbc(c->cipher, me.enc, me.enc_len, iv0, false, copy,
				len), PLAT_OK);
			assert_memory_equal(copy, plain, len);
		}
		/* The server decrypts it and ends on the same IV. */
		assert_int_equal(ike_keys_decrypt(&server, msg, len), IKE_KEYS_OK);
		assert_memory_equal(msg, plain, len);
		assert_memory_equal(server.iv, me.iv, me.block);

		/* Message 6 the other way, chained on message 5's last block. */
		memcpy(msg, plain, len);
		assert_int_equal(ike_keys_encrypt(&server, msg, len), IKE_KEYS_OK);
		assert_int_equal(ike_keys_decrypt(&me, msg, len), IKE_KEYS_OK);
		assert_memory_equal(msg, plain, len);
		assert_memory_equal(me.iv, server.iv, me.block);

		/* Not whole blocks: refused, IV untouched. */
		memcpy(iv0, me.iv, sizeof(iv0));
		assert_int_equal(ike_keys_decrypt(&me, msg, len - 1), IKE_KEYS_EINVAL);
		assert_int_equal(ike_keys_encrypt(&me, msg, 0), IKE_KEYS_EINVAL);
		assert_int_equal(ike_keys_iv_next(&me, msg, me.block + 1), IKE_KEYS_EINVAL);
		assert_memory_equal(me.iv, iv0, me.block);
		assert_int_equal(ike_keys_iv_next(&me, msg, 2 * me.block), IKE_KEYS_OK);
		assert_memory_equal(me.iv, msg + me.block, me.block);
		ike_keys_free(&me);
		ike_keys_free(&server);
	}
}

/* An exchange with its own M-ID starts from HASH(last phase 1 block |
 * M-ID), not from the phase 1 chain. */
static void test_iv_msgid(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxk_case *c = &fxk_cases[i];
		ike_keys k;
		uint8_t iv[IKE_KEYS_BLOCK_MAX];

		derive_case(c, &k);
		assert_int_equal(ike_keys_iv_next(&k, c->last, c->last_len), IKE_KEYS_OK);
		assert_int_equal(ike_keys_iv_msgid(&k, fxk_msgid, iv), IKE_KEYS_OK);
		assert_int_equal(c->iv_msgid_len, k.block);
		assert_memory_equal(iv, c->iv_msgid, k.block);
		assert_memory_equal(k.iv, c->last, k.block); /* the chain is untouched */
		ike_keys_free(&k);
		assert_int_equal(ike_keys_iv_msgid(&k, fxk_msgid, iv), IKE_KEYS_EINVAL);
	}
}

/* A wrong pre-shared key decrypts message 6 into garbage: what a server
 * with another key sees of message 5 (Windows error 789's cause). */
static void test_wrong_key_garbles(void **state)
{
	const fxk_case *c = &fxk_cases[0];
	static const uint8_t other[] = "nattcheck-psK";
	ike_keys_in in;
	ike_keys me, server;
	uint8_t plain[128], msg[128];
	size_t len;

	(void)state;
	input_of(c, &in);
	assert_int_equal(ike_keys_derive(&me, &in), IKE_KEYS_OK);
	in.psk = other;
	in.psk_len = sizeof(other) - 1;
	assert_int_equal(ike_keys_derive(&server, &in), IKE_KEYS_OK);
	/* The IV depends only on the public values: the same. */
	assert_memory_equal(me.iv, server.iv, me.block);
	assert_memory_not_equal(me.enc, server.enc, me.enc_len);
	len = mm5_plain(&me, c->hash_i, plain);
	memcpy(msg, plain, len);
	assert_int_equal(ike_keys_encrypt(&me, msg, len), IKE_KEYS_OK);
	assert_int_equal(ike_keys_decrypt(&server, msg, len), IKE_KEYS_OK);
	assert_memory_not_equal(msg, plain, len);
	ike_keys_free(&me);
	ike_keys_free(&server);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_vectors, setup),
		cmocka_unit_test_setup(test_expansion_or_truncation, setup),
		cmocka_unit_test_setup(test_sai_b, setup),
		cmocka_unit_test_setup(test_verify_r, setup),
		cmocka_unit_test_setup(test_unsupported, setup),
		cmocka_unit_test_setup(test_bounds, setup),
		cmocka_unit_test_setup(test_wiped_after_free, setup),
		cmocka_unit_test_setup(test_cbc_round_trip, setup),
		cmocka_unit_test_setup(test_iv_msgid, setup),
		cmocka_unit_test_setup(test_wrong_key_garbles, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
