/* test_bn.c - bn.c's big integers and ike_dh.c's Diffie-Hellman against
 * OpenSSL (BN_mod_exp, the RFC 2409/3526 primes, EC_POINT_mul) with seeded
 * random vectors, edge cases and invalid peer values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "bn.h"
#include "fake_net.h"
#include "ike.h"

#define MAXB (BN_MAX_BITS / 8)

/* The tests' own random numbers (xorshift64*), seeded per test, so that a
 * failure reproduces; plat_random is fake_net's, reset per test. */
static uint64_t rng_state;

static void rng_seed(uint64_t s) { rng_state = s * 0x9e3779b97f4a7c15ull + 1; }

static uint64_t rng64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void rng_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rng64() >> 56);
}

static size_t rng_below(size_t n) { return (size_t)(rng64() % n); }

static BIGNUM *ob(const uint8_t *b, size_t n)
{
	BIGNUM *x = BN_bin2bn(b, (int)n, NULL);

	assert_non_null(x);
	return x;
}

static void ob_out(const BIGNUM *x, uint8_t *out, size_t len)
{
	assert_int_equal(BN_bn2binpad(x, out, (int)len), (int)len);
}

static BN_CTX *ctx;

static int setup(void **state)
{
	(void)state;
	ctx = BN_CTX_new();
	fake_net_reset();
	return ctx ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	BN_CTX_free(ctx);
	return 0;
}

/* ---- bn.c ------------------------------------------------------------- */

static void test_bytes(void **state)
{
	static const uint8_t v[5] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	uint8_t out[8];
	bn_limb a[3];

	(void)state;
	assert_int_equal(bn_limbs_for(0), 0);
	assert_int_equal(bn_limbs_for(4), 1);
	assert_int_equal(bn_limbs_for(5), 2);
	assert_true(bn_from_bytes(a, 2, v, sizeof(v)));
	assert_int_equal(a[0], 0x02030405);
	assert_int_equal(a[1], 0x01);
	assert_false(bn_from_bytes(a, 1, v, sizeof(v)));
	assert_int_equal(a[0], 0);
	/* Leading zero bytes beyond the limbs are fine. */
	{
		static const uint8_t z[9] = { 0, 0, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd };

		assert_true(bn_from_bytes(a, 1, z, sizeof(z)));
		assert_int_equal(a[0], 0xaabbccdd);
	}
	assert_true(bn_from_bytes(a, 3, v, sizeof(v)));
	assert_true(bn_to_bytes(out, 8, a, 3));
	assert_memory_equal(out, "\0\0\0\x01\x02\x03\x04\x05", 8);
	assert_true(bn_to_bytes(out, 5, a, 3));
	assert_memory_equal(out, v, 5);
	assert_false(bn_to_bytes(out, 4, a, 3));
	assert_true(bn_to_bytes(out, 0, a, 0));
}

static void test_cmp_add_sub(void **state)
{
	bn_limb a[2] = { 0xffffffff, 1 }, b[2] = { 1, 1 }, r[2];

	(void)state;
	assert_int_equal(bn_cmp(a, b, 2), 1);
	assert_int_equal(bn_cmp(b, a, 2), -1);
	assert_int_equal(bn_cmp(a, a, 2), 0);
	assert_int_equal(bn_add(r, a, b, 2), 0);
	assert_int_equal(r[0], 0);
	assert_int_equal(r[1], 3);
	assert_int_equal(bn_sub(r, b, a, 2), 1);   /* 0x1_00000001 - 0x1_ffffffff < 0 */
	assert_int_equal(r[0], 2);
	assert_int_equal(r[1], 0xffffffff);
	{
		bn_limb m[2] = { 0xffffffff, 0xffffffff }, one[2] = { 1, 0 };

		assert_int_equal(bn_add(r, m, one, 2), 1);
		assert_true(bn_is_zero(r, 2));
		assert_false(bn_is_zero(one, 2));
	}
}

static void test_mod_init(void **state)
{
	uint8_t big[MAXB + 1];
	bn_mod m;

	(void)state;
	assert_false(bn_mod_init(&m, (const uint8_t *)"", 0));
	assert_false(bn_mod_init(&m, (const uint8_t *)"\x00", 1));
	assert_false(bn_mod_init(&m, (const uint8_t *)"\x01", 1));
	assert_false(bn_mod_init(&m, (const uint8_t *)"\x02", 1));
	assert_false(bn_mod_init(&m, (const uint8_t *)"\x01\x00", 2));   /* even */
	assert_true(bn_mod_init(&m, (const uint8_t *)"\x03", 1));
	assert_true(bn_mod_init(&m, (const uint8_t *)"\x00\x00\x00\x00\x01\x00\x00\x00\x01", 9));
	assert_int_equal(m.n, 2);
	memset(big, 0xff, sizeof(big));
	assert_false(bn_mod_init(&m, big, sizeof(big)));   /* 4104 bits */
	big[0] = 0;
	assert_true(bn_mod_init(&m, big, sizeof(big)));    /* 4096 bits */
	assert_int_equal(m.n, BN_MAX_LIMBS);
}

/* base^e mod m by bn.c and by OpenSSL; base is 4 m.n bytes (any value). */
static void check_exp(const uint8_t *mb, size_t mlen, const uint8_t *bb, const uint8_t *eb,
	size_t elen)
{
	bn_mod m;
	bn_limb base[BN_MAX_LIMBS], r[BN_MAX_LIMBS];
	uint8_t got[MAXB], want[MAXB];
	BIGNUM *M = ob(mb, mlen), *B, *E = ob(eb, elen), *R = BN_new();

	assert_true(bn_mod_init(&m, mb, mlen));
	B = ob(bb, 4 * m.n);
	assert_true(bn_from_bytes(base, m.n, bb, 4 * m.n));
	bn_mod_exp(&m, r, base, eb, elen);
	assert_true(bn_to_bytes(got, mlen, r, m.n));
	assert_int_equal(BN_mod_exp(R, B, E, M, ctx), 1);
	ob_out(R, want, mlen);
	if (memcmp(got, want, mlen) != 0)
		fprintf(stderr, "modexp mismatch: %zu-byte modulus, %zu-byte exponent\n", mlen, elen);
	assert_memory_equal(got, want, mlen);
	BN_free(M);
	BN_free(B);
	BN_free(E);
	BN_free(R);
}

/* A random odd modulus of exactly bits bits. */
static size_t rand_modulus(uint8_t *mb, size_t bits)
{
	size_t len = (bits + 7) / 8;
	unsigned top = (unsigned)((bits - 1) % 8);

	rng_bytes(mb, len);
	mb[0] &= (uint8_t)((2u << top) - 1);
	mb[0] |= (uint8_t)(1u << top);
	mb[len - 1] |= 1;
	return len;
}

static int exp_count;

static void test_modexp_random(void **state)
{
	/* Sizes around every limb boundary that matters, the MODP and EC
	 * sizes, and random ones. */
	static const size_t sizes[] = { 2, 3, 8, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255,
		256, 257, 384, 521, 768, 1024, 1025, 1536, 2047, 2048, 3072, 4095, 4096 };
	uint8_t mb[MAXB], bb[MAXB], eb[MAXB];

	(void)state;
	rng_seed(1);
	for (size_t round = 0; round < 250; round++) {
		size_t bits = round < 2 * sizeof(sizes) / sizeof(sizes[0]) ?
			sizes[round % (sizeof(sizes) / sizeof(sizes[0]))] : 2 + rng_below(4095);
		size_t mlen = rand_modulus(mb, bits);
		size_t n = bn_limbs_for(mlen);
		/* Mostly short exponents (as DH uses), now and then as long as
		 * the modulus (up to 2048 bits: a 4096-bit one takes seconds under
		 * ASan), and the empty one. */
		size_t elen = round % 25 == 0 ? (mlen <= 256 ? mlen : 64) :
			round % 17 == 0 ? 0 : rng_below(24) + 1;

		rng_bytes(bb, 4 * n);
		if (round % 3 == 0) {
			/* Below m, like every DH base: no bytes above m's, and a
			 * smaller top byte. */
			memset(bb, 0, 4 * n - mlen);
			bb[4 * n - mlen] &= (uint8_t)(mb[0] >> 1);
		}
		rng_bytes(eb, elen);
		check_exp(mb, mlen, bb, eb, elen);
		exp_count++;
	}
}

/* Exponent 0, 1, 2, p-1, p-2 and base 0, 1, 2, p-1, p, 2^32n - 1 for every
 * MODP prime and a few tiny moduli. */
static void test_modexp_edges(void **state)
{
	static const uint16_t groups[] = { 1, 2, 5, 14, 15, 16 };
	uint8_t mb[MAXB], bb[MAXB], eb[MAXB + 1];

	(void)state;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]) + 3; g++) {
		size_t mlen, n;

		if (g < sizeof(groups) / sizeof(groups[0])) {
			mlen = ike_dh_modp_prime(groups[g], mb);
		} else {
			static const uint8_t tiny[3][4] = { { 0, 0, 0, 3 }, { 0, 0, 0, 0xfd },
				{ 0xff, 0xff, 0xff, 0xff } };

			mlen = 4;
			memcpy(mb, tiny[g - sizeof(groups) / sizeof(groups[0])], 4);
		}
		n = bn_limbs_for(mlen);
		for (int bi = 0; bi < 6; bi++) {
			memset(bb, 0, 4 * n);
			switch (bi) {
			case 0: break;                                     /* 0 */
			case 1: bb[4 * n - 1] = 1; break;                  /* 1 */
			case 2: bb[4 * n - 1] = 2; break;                  /* 2 */
			case 3: memcpy(bb + 4 * n - mlen, mb, mlen);       /* p - 1 */
				bb[4 * n - 1]--; break;
			case 4: memcpy(bb + 4 * n - mlen, mb, mlen); break; /* p */
			default: memset(bb, 0xff, 4 * n); break;           /* R - 1 */
			}
			for (int ei = 0; ei < 6; ei++) {
				size_t elen = 1;

				memset(eb, 0, sizeof(eb));
				switch (ei) {
				case 0: elen = 0; break;                       /* empty: 0 */
				case 1: elen = 3; break;                       /* 0 */
				case 2: eb[0] = 1; break;                      /* 1 */
				case 3: eb[0] = 2; break;                      /* 2 */
				case 4: elen = mlen; memcpy(eb, mb, mlen);     /* p - 1 */
					eb[mlen - 1]--; break;
				default: elen = mlen; memcpy(eb, mb, mlen);    /* p - 2 */
					eb[mlen - 1] -= 2; break;
				}
				/* The full-length exponents only for the smaller
				 * primes: the larger take a while under ASan
				 * (test_modexp_random has full-length ones). */
				if (ei >= 4 && mlen > 128)
					continue;
				check_exp(mb, mlen, bb, eb, elen);
				exp_count++;
			}
		}
	}
	fprintf(stderr, "modexp vectors checked against OpenSSL: %d\n", exp_count);
}

static void test_mod_ops_random(void **state)
{
	uint8_t mb[MAXB], ab[MAXB], bb[MAXB], got[MAXB], want[MAXB];

	(void)state;
	rng_seed(2);
	for (int round = 0; round < 200; round++) {
		/* Half of them a whole number of limbs, where a + b carries out
		 * of the top limb. */
		size_t bits = round % 2 == 0 ? 32 * (1 + rng_below(BN_MAX_LIMBS)) : 2 + rng_below(4095);
		size_t mlen = rand_modulus(mb, bits), n = bn_limbs_for(mlen);
		bn_mod m;
		bn_limb a[BN_MAX_LIMBS], b[BN_MAX_LIMBS], r[BN_MAX_LIMBS], t[BN_MAX_LIMBS];
		BIGNUM *M = ob(mb, mlen), *A, *B, *R = BN_new();

		assert_true(bn_mod_init(&m, mb, mlen));
		/* a, b < m: random values reduced by OpenSSL. */
		rng_bytes(ab, mlen);
		rng_bytes(bb, mlen);
		A = ob(ab, mlen);
		B = ob(bb, mlen);
		BN_mod(A, A, M, ctx);
		BN_mod(B, B, M, ctx);
		ob_out(A, ab, mlen);
		ob_out(B, bb, mlen);
		assert_true(bn_from_bytes(a, n, ab, mlen));
		assert_true(bn_from_bytes(b, n, bb, mlen));

		bn_mod_mul(&m, r, a, b);
		assert_true(bn_to_bytes(got, mlen, r, n));
		BN_mod_mul(R, A, B, M, ctx);
		ob_out(R, want, mlen);
		assert_memory_equal(got, want, mlen);

		bn_mod_add(&m, r, a, b);
		assert_true(bn_to_bytes(got, mlen, r, n));
		BN_mod_add(R, A, B, M, ctx);
		ob_out(R, want, mlen);
		assert_memory_equal(got, want, mlen);

		bn_mod_sub(&m, r, a, b);
		assert_true(bn_to_bytes(got, mlen, r, n));
		BN_mod_sub(R, A, B, M, ctx);
		ob_out(R, want, mlen);
		assert_memory_equal(got, want, mlen);

		/* Into the Montgomery form and back is the identity. */
		bn_mod_to_mont(&m, t, a);
		bn_mod_from_mont(&m, r, t);
		assert_memory_equal(r, a, n * sizeof(bn_limb));
		BN_free(M);
		BN_free(A);
		BN_free(B);
		BN_free(R);
	}
}

/* ---- ike_dh.c: MODP ----------------------------------------------------- */

static const uint16_t modp_groups[] = { 1, 2, 5, 14, 15, 16 };
/* The private value lengths ike_dh.c chose (RFC 3526 8's larger exponent
 * size, at least 256 bits). */
static const size_t modp_priv_bytes[] = { 32, 32, 32, 40, 53, 60 };

static void test_modp_primes(void **state)
{
	BIGNUM *(*const ossl[])(BIGNUM *) = { BN_get_rfc2409_prime_768, BN_get_rfc2409_prime_1024,
		BN_get_rfc3526_prime_1536, BN_get_rfc3526_prime_2048, BN_get_rfc3526_prime_3072,
		BN_get_rfc3526_prime_4096 };
	uint8_t got[IKE_DH_VALUE_MAX], want[IKE_DH_VALUE_MAX];

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		BIGNUM *p = ossl[i](NULL);
		size_t len = ike_dh_modp_prime(modp_groups[i], got);

		assert_int_equal(len, ike_dh_ke_len(modp_groups[i]));
		assert_int_equal(len, (size_t)BN_num_bytes(p));
		ob_out(p, want, len);
		assert_memory_equal(got, want, len);
		BN_free(p);
	}
	assert_int_equal(ike_dh_modp_prime(19, got), 0);
	assert_int_equal(ike_dh_modp_prime(3, got), 0);
}

/* Our keypair against a peer whose values OpenSSL computes: our public
 * value is 2^x, and both sides arrive at the same g^xy. */
static void test_modp_dh(void **state)
{
	uint8_t p[IKE_DH_VALUE_MAX], priv[IKE_DH_PRIV_MAX], pub[IKE_DH_VALUE_MAX],
		peer[IKE_DH_VALUE_MAX], got[IKE_DH_VALUE_MAX], want[IKE_DH_VALUE_MAX], b[32];
	int count = 0;

	(void)state;
	rng_seed(3);
	for (size_t g = 0; g < 6; g++) {
		uint16_t group = modp_groups[g];
		size_t plen = ike_dh_modp_prime(group, p);
		BIGNUM *P = ob(p, plen), *two = BN_new(), *R = BN_new();

		BN_set_word(two, 2);
		for (int round = 0; round < (plen > 256 ? 2 : 5); round++) {
			size_t priv_len = sizeof(priv), pub_len = sizeof(pub), out_len = sizeof(got);
			BIGNUM *X, *B, *Y;

			assert_int_equal(ike_dh_keypair(group, priv, &priv_len, pub, &pub_len), IKE_DH_OK);
			assert_int_equal(priv_len, ike_dh_priv_len(group));
			assert_int_equal(priv_len, modp_priv_bytes[g]);
			assert_int_equal(pub_len, plen);
			X = ob(priv, priv_len);
			BN_mod_exp(R, two, X, P, ctx);
			ob_out(R, want, plen);
			assert_memory_equal(pub, want, plen);

			/* The peer: b random, its value 2^b; round 0 a value with
			 * many leading zero bytes (2^100). */
			rng_bytes(b, sizeof(b));
			B = ob(b, sizeof(b));
			if (round == 0) {
				memset(peer, 0, plen);
				peer[plen - 1 - 100 / 8] = 1 << (100 % 8);
				BN_set_word(B, 100);
			} else {
				BN_mod_exp(R, two, B, P, ctx);
				ob_out(R, peer, plen);
			}
			assert_int_equal(ike_dh_shared(group, priv, priv_len, peer, plen, got, &out_len),
				IKE_DH_OK);
			assert_int_equal(out_len, plen);
			/* OpenSSL from the peer's side: (2^x)^b. */
			Y = ob(pub, plen);
			BN_mod_exp(R, Y, B, P, ctx);
			ob_out(R, want, plen);
			assert_memory_equal(got, want, plen);
			count++;
			BN_free(X);
			BN_free(B);
			BN_free(Y);
		}
		BN_free(P);
		BN_free(two);
		BN_free(R);
	}
	fprintf(stderr, "MODP key exchanges checked against OpenSSL: %d\n", count);
}

/* The probe's KE value without a key (ike_dh_ke: 2^k, or G) is the public
 * value of the private value k (or 1). */
static void test_modp_legacy_ke(void **state)
{
	uint8_t ke[IKE_DH_VALUE_MAX], pub[IKE_DH_VALUE_MAX], k[2];

	(void)state;
	for (size_t g = 0; g < 6; g++) {
		for (uint32_t rnd = 0; rnd < 3000; rnd += 997) {
			size_t len = ike_dh_ke(modp_groups[g], rnd, ke, sizeof(ke)), pub_len = sizeof(pub);
			size_t kk = 256 + rnd % (len * 8 - 1 - 256);

			k[0] = (uint8_t)(kk >> 8);
			k[1] = (uint8_t)kk;
			assert_int_equal(ike_dh_public(modp_groups[g], k, 2, pub, &pub_len), IKE_DH_OK);
			assert_int_equal(pub_len, len);
			assert_memory_equal(pub, ke, len);
		}
	}
	for (uint16_t group = 19; group <= 20; group++) {
		size_t len = ike_dh_ke(group, 0, ke, sizeof(ke)), pub_len = sizeof(pub);
		uint8_t one[48] = { 0 };

		one[len / 2 - 1] = 1;
		assert_int_equal(ike_dh_public(group, one, len / 2, pub, &pub_len), IKE_DH_OK);
		assert_int_equal(pub_len, len);
		assert_memory_equal(pub, ke, len);
	}
}

static void test_modp_bad_peer(void **state)
{
	uint8_t p[IKE_DH_VALUE_MAX], priv[IKE_DH_PRIV_MAX], pub[IKE_DH_VALUE_MAX],
		peer[IKE_DH_VALUE_MAX + 1], out[IKE_DH_VALUE_MAX];

	(void)state;
	for (size_t g = 0; g < 6; g++) {
		uint16_t group = modp_groups[g];
		size_t plen = ike_dh_modp_prime(group, p), priv_len = sizeof(priv), pub_len = sizeof(pub);
		size_t out_len = sizeof(out);

		assert_int_equal(ike_dh_keypair(group, priv, &priv_len, pub, &pub_len), IKE_DH_OK);
		for (int c = 0; c < 8; c++) {
			size_t len = plen;

			memset(peer, 0, sizeof(peer));
			switch (c) {
			case 0: break;                                          /* 0 */
			case 1: peer[plen - 1] = 1; break;                      /* 1 */
			case 2: memcpy(peer, p, plen); peer[plen - 1]--; break; /* p - 1 */
			case 3: memcpy(peer, p, plen); break;                   /* p */
			case 4: memcpy(peer, p, plen);                          /* p + 1: p ends */
				memset(peer + plen - 8, 0, 8);                  /* in 64 one bits */
				peer[plen - 9]++; break;
			case 5: memset(peer, 0xff, plen); break;                /* 2^bits - 1 */
			case 6: memcpy(peer, pub, plen); len = plen - 1; break; /* short */
			default: peer[0] = 0; memcpy(peer + 1, pub, plen);      /* long */
				len = plen + 1; break;
			}
			out_len = sizeof(out);
			assert_int_equal(ike_dh_shared(group, priv, priv_len, peer, len, out, &out_len),
				IKE_DH_EPEER);
		}
		/* 2 and p - 2 are fine. */
		memset(peer, 0, plen);
		peer[plen - 1] = 2;
		out_len = sizeof(out);
		assert_int_equal(ike_dh_shared(group, priv, priv_len, peer, plen, out, &out_len), IKE_DH_OK);
		memcpy(peer, p, plen);
		peer[plen - 1] -= 2;
		out_len = sizeof(out);
		assert_int_equal(ike_dh_shared(group, priv, priv_len, peer, plen, out, &out_len), IKE_DH_OK);
		/* No private value, 0, 1, too long; too small an output. */
		out_len = sizeof(out);
		assert_int_equal(ike_dh_shared(group, priv, 0, pub, plen, out, &out_len), IKE_DH_EPRIV);
		memset(peer, 0, sizeof(peer));
		assert_int_equal(ike_dh_shared(group, peer, 32, pub, plen, out, &out_len), IKE_DH_EPRIV);
		peer[31] = 1;
		assert_int_equal(ike_dh_shared(group, peer, 32, pub, plen, out, &out_len), IKE_DH_EPRIV);
		pub_len = sizeof(pub);
		assert_int_equal(ike_dh_public(group, peer, 32, pub, &pub_len), IKE_DH_EPRIV);
		assert_int_equal(ike_dh_public(group, peer, IKE_DH_PRIV_MAX + 1, pub, &pub_len),
			IKE_DH_EPRIV);
		peer[31] = 2;
		assert_int_equal(ike_dh_public(group, peer, 32, pub, &pub_len), IKE_DH_OK);
		out_len = plen - 1;
		assert_int_equal(ike_dh_shared(group, priv, priv_len, pub, plen, out, &out_len),
			IKE_DH_ESPACE);
	}
}

/* ---- ike_dh.c: ECP -------------------------------------------------------- */

/* x || y of k G (or of k P when p_xy is given) by OpenSSL. */
static void ossl_ec_mul(EC_GROUP *grp, size_t flen, const uint8_t *k, const uint8_t *p_xy,
	uint8_t *out)
{
	uint8_t oct[1 + 2 * 48];
	BIGNUM *K = ob(k, flen);
	EC_POINT *r = EC_POINT_new(grp);

	assert_non_null(r);
	if (p_xy) {
		EC_POINT *p = EC_POINT_new(grp);

		oct[0] = 4;
		memcpy(oct + 1, p_xy, 2 * flen);
		assert_int_equal(EC_POINT_oct2point(grp, p, oct, 1 + 2 * flen, ctx), 1);
		assert_int_equal(EC_POINT_mul(grp, r, NULL, p, K, ctx), 1);
		EC_POINT_free(p);
	} else {
		assert_int_equal(EC_POINT_mul(grp, r, K, NULL, NULL, ctx), 1);
	}
	assert_int_equal(EC_POINT_point2oct(grp, r, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof(oct),
		ctx), 1 + 2 * flen);
	memcpy(out, oct + 1, 2 * flen);
	EC_POINT_free(r);
	BN_free(K);
}

static void test_ecp_dh(void **state)
{
	static const struct { uint16_t group; int nid; size_t flen; } curves[] = {
		{ 19, NID_X9_62_prime256v1, 32 }, { 20, NID_secp384r1, 48 } };
	int count = 0;

	(void)state;
	rng_seed(4);
	for (size_t c = 0; c < 2; c++) {
		EC_GROUP *grp = EC_GROUP_new_by_curve_name(curves[c].nid);
		size_t flen = curves[c].flen;
		uint8_t nb[48], b[48], priv[IKE_DH_PRIV_MAX], pub[IKE_DH_VALUE_MAX], want[96],
			peer[96], got[IKE_DH_VALUE_MAX];

		assert_non_null(grp);
		ob_out(EC_GROUP_get0_order(grp), nb, flen);
		for (int round = 0; round < 30; round++) {
			size_t priv_len = sizeof(priv), pub_len = sizeof(pub), out_len = sizeof(got);
			BIGNUM *B;

			if (round < 6) {
				/* Private 1, 2, 3, n - 1, n - 2, n - 3. */
				memset(priv, 0, flen);
				if (round < 3) {
					priv[flen - 1] = (uint8_t)(round + 1);
				} else {
					memcpy(priv, nb, flen);
					priv[flen - 1] = (uint8_t)(priv[flen - 1] - (round - 2));
				}
				priv_len = flen;
				assert_int_equal(ike_dh_public(curves[c].group, priv, flen, pub, &pub_len),
					IKE_DH_OK);
			} else {
				assert_int_equal(ike_dh_keypair(curves[c].group, priv, &priv_len, pub,
					&pub_len), IKE_DH_OK);
			}
			assert_int_equal(priv_len, flen);
			assert_int_equal(pub_len, 2 * flen);
			ossl_ec_mul(grp, flen, priv, NULL, want);
			assert_memory_equal(pub, want, 2 * flen);

			/* The peer: b in [1, n-1]; round 6 the generator, round 7 our
			 * own public value (so the ladder doubles a point it adds). */
			rng_bytes(b, flen);
			B = ob(b, flen);
			BN_mod(B, B, EC_GROUP_get0_order(grp), ctx);
			if (BN_is_zero(B))
				BN_one(B);
			if (round == 6)
				BN_one(B);
			ob_out(B, b, flen);
			if (round == 7)
				memcpy(peer, pub, 2 * flen);
			else
				ossl_ec_mul(grp, flen, b, NULL, peer);
			assert_int_equal(ike_dh_shared(curves[c].group, priv, flen, peer, 2 * flen, got,
				&out_len), IKE_DH_OK);
			assert_int_equal(out_len, flen);
			/* OpenSSL from the peer's side: b (x G), x only. */
			if (round == 7)
				ossl_ec_mul(grp, flen, priv, pub, want);
			else
				ossl_ec_mul(grp, flen, b, pub, want);
			assert_memory_equal(got, want, flen);
			count++;
			BN_free(B);
		}
		EC_GROUP_free(grp);
	}
	fprintf(stderr, "ECP key exchanges checked against OpenSSL: %d\n", count);
}

static void test_ecp_bad(void **state)
{
	static const uint16_t groups[] = { 19, 20 };
	static const uint8_t p256_n[32] = { 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3,
		0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51 };

	(void)state;
	for (size_t g = 0; g < 2; g++) {
		uint16_t group = groups[g];
		size_t flen = g == 0 ? 32 : 48, priv_len = IKE_DH_PRIV_MAX, pub_len = IKE_DH_VALUE_MAX;
		uint8_t priv[IKE_DH_PRIV_MAX], pub[IKE_DH_VALUE_MAX], peer[97], out[IKE_DH_VALUE_MAX];
		uint8_t bad[IKE_DH_PRIV_MAX];
		size_t out_len;

		assert_int_equal(ike_dh_keypair(group, priv, &priv_len, pub, &pub_len), IKE_DH_OK);
		for (int c = 0; c < 8; c++) {
			size_t len = 2 * flen;

			memcpy(peer, pub, 2 * flen);
			switch (c) {
			case 0: peer[2 * flen - 1] ^= 1; break;          /* y off by one: off the curve */
			case 1: memset(peer, 0, 2 * flen); break;        /* (0, 0) */
			case 2: memset(peer, 0xff, flen); break;         /* x >= p */
			case 3: memset(peer + flen, 0xff, flen); break;  /* y >= p */
			case 4: len = 2 * flen - 1; break;
			case 5: len = 2 * flen + 1; break;
			case 6: len = flen; break;                       /* x alone */
			default: len = 0; break;
			}
			out_len = sizeof(out);
			assert_int_equal(ike_dh_shared(group, priv, priv_len, peer, len, out, &out_len),
				IKE_DH_EPEER);
		}
		/* Private values 0, n (P-256), all ones, the wrong length. */
		out_len = sizeof(out);
		memset(bad, 0, sizeof(bad));
		pub_len = sizeof(pub);
		assert_int_equal(ike_dh_public(group, bad, flen, pub, &pub_len), IKE_DH_EPRIV);
		assert_int_equal(ike_dh_shared(group, bad, flen, pub, 2 * flen, out, &out_len),
			IKE_DH_EPRIV);
		memset(bad, 0xff, sizeof(bad));
		assert_int_equal(ike_dh_public(group, bad, flen, pub, &pub_len), IKE_DH_EPRIV);
		assert_int_equal(ike_dh_public(group, priv, flen - 1, pub, &pub_len), IKE_DH_EPRIV);
		if (group == 19) {
			assert_int_equal(ike_dh_public(group, p256_n, 32, pub, &pub_len), IKE_DH_EPRIV);
			memcpy(bad, p256_n, 32);
			bad[31]--;
			assert_int_equal(ike_dh_public(group, bad, 32, pub, &pub_len), IKE_DH_OK);
		}
		/* Too small an output. */
		pub_len = 2 * flen - 1;
		assert_int_equal(ike_dh_public(group, priv, flen, pub, &pub_len), IKE_DH_ESPACE);
	}
}

/* ---- both ------------------------------------------------------------------ */

static void test_unknown_groups(void **state)
{
	static const uint16_t groups[] = { 0, 3, 4, 17, 18, 21, 24, 25, 26, 31, 0xffff };
	uint8_t priv[IKE_DH_PRIV_MAX] = { 1 }, pub[IKE_DH_VALUE_MAX] = { 2 }, out[IKE_DH_VALUE_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		size_t priv_len = sizeof(priv), pub_len = sizeof(pub), out_len = sizeof(out);

		assert_int_equal(ike_dh_priv_len(groups[i]), 0);
		assert_int_equal(ike_dh_keypair(groups[i], priv, &priv_len, pub, &pub_len),
			IKE_DH_EGROUP);
		assert_int_equal(ike_dh_public(groups[i], priv, 32, pub, &pub_len), IKE_DH_EGROUP);
		assert_int_equal(ike_dh_shared(groups[i], priv, 32, pub, 256, out, &out_len),
			IKE_DH_EGROUP);
	}
	assert_string_equal(ike_dh_status_name(IKE_DH_EGROUP), "Diffie-Hellman group not supported");
	assert_string_equal(ike_dh_status_name(IKE_DH_OK), "ok");
}

/* Too small buffers for the keypair: nothing is drawn or written. */
static void test_keypair_space(void **state)
{
	uint8_t priv[IKE_DH_PRIV_MAX], pub[IKE_DH_VALUE_MAX];
	size_t priv_len = 31, pub_len = sizeof(pub);

	(void)state;
	assert_int_equal(ike_dh_keypair(14, priv, &priv_len, pub, &pub_len), IKE_DH_ESPACE);
	priv_len = sizeof(priv);
	pub_len = 63;
	assert_int_equal(ike_dh_keypair(19, priv, &priv_len, pub, &pub_len), IKE_DH_ESPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_cmp_add_sub),
		cmocka_unit_test(test_mod_init),
		cmocka_unit_test(test_modexp_random),
		cmocka_unit_test(test_modexp_edges),
		cmocka_unit_test(test_mod_ops_random),
		cmocka_unit_test(test_modp_primes),
		cmocka_unit_test(test_modp_dh),
		cmocka_unit_test(test_modp_legacy_ke),
		cmocka_unit_test(test_modp_bad_peer),
		cmocka_unit_test(test_ecp_dh),
		cmocka_unit_test(test_ecp_bad),
		cmocka_unit_test(test_unknown_groups),
		cmocka_unit_test(test_keypair_space),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
