/* test_ike.c - IKEv1 building (against byte fixtures, one a real Windows
 * capture), parsing, and the parser's robustness to truncation and bit
 * flips; DH public values checked with OpenSSL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "fixtures_ike.h"
#include "ike.h"

static void check_mm1(probe_profile p, probe_auth a, const uint8_t *want, size_t want_len)
{
	uint8_t out[IKE_MSG_MAX];
	size_t n = ike_build_mm1(out, sizeof(out), fx_icookie, p, a);

	assert_int_equal(n, want_len);
	assert_memory_equal(out, want, want_len);
}

static void test_build_mm1_win8(void **state)
{
	(void)state;
	check_mm1(PROFILE_WIN8PLUS, PROBE_AUTH_PSK, fx_mm1_win8, sizeof(fx_mm1_win8));
	check_mm1(PROFILE_WIN8PLUS, PROBE_AUTH_CERT, fx_mm1_win8_cert, sizeof(fx_mm1_win8_cert));
}

static void test_build_mm1_win7(void **state)
{
	(void)state;
	check_mm1(PROFILE_VISTA7, PROBE_AUTH_PSK, fx_mm1_win7, sizeof(fx_mm1_win7));
	assert_int_equal(sizeof(fx_mm1_win7), 384);
}

/* Vista (MS NT5 v5) and Server 2008 (v6): Windows 7's message 1 but for the
 * version in the MS NT5 vendor ID. */
static void test_build_mm1_vista_2008(void **state)
{
	const ike_vid *msnt5 = ike_vid_get(IKE_VIDX_MSNT5);
	const probe_profile prof[] = { PROFILE_VISTA, PROFILE_SERVER2008 };
	uint8_t want[sizeof(fx_mm1_win7)], out[IKE_MSG_MAX];
	size_t i, n, at;

	(void)state;
	for (at = 0; at + 20 <= sizeof(want); at++)
		if (memcmp(fx_mm1_win7 + at, msnt5->id, msnt5->len) == 0)
			break;
	assert_true(at + 20 <= sizeof(want));
	assert_int_equal(fx_mm1_win7[at + 19], 8);
	for (i = 0; i < 2; i++) {
		memcpy(want, fx_mm1_win7, sizeof(want));
		want[at + 19] = i == 0 ? 5 : 6;
		n = ike_build_mm1(out, sizeof(out), fx_icookie, prof[i], PROBE_AUTH_PSK);
		assert_int_equal(n, sizeof(want));
		assert_memory_equal(out, want, n);
		assert_true(ike_profile_offers_rfc3947(prof[i]));
	}
}

static void test_build_mm1_xp(void **state)
{
	(void)state;
	check_mm1(PROFILE_XP, PROBE_AUTH_PSK, fx_mm1_xp, sizeof(fx_mm1_xp));
	assert_false(ike_profile_offers_rfc3947(PROFILE_XP));
	assert_true(ike_profile_offers_rfc3947(PROFILE_VISTA7));
}

static void test_build_mm1_small_buffer(void **state)
{
	uint8_t out[IKE_MSG_MAX];

	(void)state;
	for (size_t cap = 0; cap < sizeof(fx_mm1_win8); cap++)
		assert_int_equal(ike_build_mm1(out, cap, fx_icookie, PROFILE_WIN8PLUS,
			PROBE_AUTH_PSK), 0);
}

static void test_build_generic(void **state)
{
	uint8_t mem[64];
	ike_buf b;

	(void)state;
	ike_buf_init(&b, mem, sizeof(mem));
	ike_msg_begin(&b, fx_icookie, fx_rcookie, IKE_EXCH_INFO, 0x01020304);
	ike_add_notify(&b, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_true(ike_msg_end(&b));
	assert_int_equal(b.len, 40);
	assert_int_equal(mem[16], IKE_PL_NOTIFY);
	assert_int_equal(mem[18], IKE_EXCH_INFO);
	assert_int_equal(mem[27], 40);
	/* overflow is sticky */
	ike_add_payload(&b, IKE_PL_NONCE, mem, 40);
	assert_true(b.err);
	assert_false(ike_msg_end(&b));
}

static void test_parse_mm2(void **state)
{
	ike_msg m;

	(void)state;
	assert_int_equal(ike_parse(fx_mm2, sizeof(fx_mm2), &m), IKE_OK);
	assert_memory_equal(m.hdr.icookie, fx_icookie, 8);
	assert_memory_equal(m.hdr.rcookie, fx_rcookie, 8);
	assert_int_equal(m.hdr.exchange, IKE_EXCH_MAIN);
	assert_true(m.have_sa);
	assert_int_equal(m.transform.cipher, IKE_CIPHER_AES_CBC);
	assert_int_equal(m.transform.key_bits, 256);
	assert_int_equal(m.transform.hash, IKE_HASH_SHA1);
	assert_int_equal(m.transform.group, 20);
	assert_int_equal(m.transform.auth, IKE_AUTH_PSK);
	assert_int_equal(m.transform.life_s, 28800);
	assert_int_equal(m.vids, IKE_VID_RFC3947 | IKE_VID_FRAG | IKE_VID_DPD);
	assert_int_equal(m.payloads, 5);
	assert_false(m.have_notify);
	assert_int_equal(m.natd_count, 0);
}

static void test_parse_mm2_draft_and_unknown(void **state)
{
	ike_msg m;

	(void)state;
	assert_int_equal(ike_parse(fx_mm2_draft, sizeof(fx_mm2_draft), &m), IKE_OK);
	assert_int_equal(m.vids, IKE_VID_DRAFT02N);
	assert_int_equal(m.transform.cipher, IKE_CIPHER_3DES);
	assert_int_equal(m.transform.key_bits, 0);
	assert_int_equal(m.transform.group, 2);
	assert_int_equal(ike_parse(fx_mm2_unknown, sizeof(fx_mm2_unknown), &m), IKE_OK);
	assert_int_equal(m.payloads, 3);
	assert_int_equal(m.vids, IKE_VID_RFC3947);
	assert_int_equal(m.transform.group, 14);
}

static void test_parse_mm4(void **state)
{
	ike_msg m;

	(void)state;
	assert_int_equal(ike_parse(fx_mm4, sizeof(fx_mm4), &m), IKE_OK);
	assert_true(m.have_ke);
	assert_int_equal(m.ke_len, 96);
	assert_true(m.have_nonce);
	assert_int_equal(m.nonce_len, 32);
	assert_int_equal(m.natd_count, 2);
	assert_int_equal(m.natd_type, IKE_PL_NATD);
	assert_int_equal(m.natd_len[0], 20);
	assert_ptr_equal(m.natd[1], fx_mm4 + sizeof(fx_mm4) - 20);
}

static void test_parse_notify(void **state)
{
	ike_msg m;

	(void)state;
	assert_int_equal(ike_parse(fx_info_npc, sizeof(fx_info_npc), &m), IKE_OK);
	assert_int_equal(m.hdr.exchange, IKE_EXCH_INFO);
	assert_true(m.have_notify);
	assert_int_equal(m.notify, IKE_N_NO_PROPOSAL_CHOSEN);
}

static void test_parse_own_mm1(void **state)
{
	ike_msg m;
	size_t n = 0;
	const probe_transform *t = ike_profile_transforms(PROFILE_XP, &n);

	(void)state;
	assert_int_equal(ike_parse(fx_mm1_xp, sizeof(fx_mm1_xp), &m), IKE_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(&m.transform, &t[0], sizeof(*t));
	assert_int_equal(m.vids, IKE_VID_MSNT5 | IKE_VID_FRAG | IKE_VID_DRAFT02N);
	assert_int_equal(ike_parse(fx_mm1_win8, sizeof(fx_mm1_win8), &m), IKE_OK);
	assert_int_equal(m.payloads, 9);
	assert_int_equal(m.vids, IKE_VID_MSNT5 | IKE_VID_FRAG | IKE_VID_DRAFT02N | IKE_VID_RFC3947);
}

static void test_parse_header_errors(void **state)
{
	uint8_t p[sizeof(fx_mm2)];
	ike_msg m;

	(void)state;
	memcpy(p, fx_mm2, sizeof(p));
	p[17] = 0x20; /* IKEv2 */
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_EVERSION);
	assert_int_equal(m.err_off, 17);
	memcpy(p, fx_mm2, sizeof(p));
	p[19] = 0x01; /* encrypted */
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_EENCRYPTED);
	assert_int_equal(m.err_off, 19);
	memcpy(p, fx_mm2, sizeof(p));
	p[27] = 27; /* length below the header */
	p[26] = 0;
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_ESHORT);
	assert_int_equal(m.err_off, 24);
	assert_int_equal(ike_parse(p, 10, &m), IKE_ESHORT);
	assert_int_equal(m.err_off, 10);
	/* the first payload's length overruns the message: its offset, 28 */
	memcpy(p, fx_mm2, sizeof(p));
	p[30] = 0xff;
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_EPAYLOAD);
	assert_int_equal(m.err_off, 28);
	assert_int_equal(ike_parse(fx_mm2, sizeof(fx_mm2), &m), IKE_OK);
	assert_int_equal(m.err_off, 0);
	assert_string_equal(ike_notify_name(14), "NO-PROPOSAL-CHOSEN");
	assert_string_equal(ike_notify_name(17), "INVALID-KEY-INFORMATION");
	assert_string_equal(ike_notify_name(24), "AUTHENTICATION-FAILED");
	assert_string_equal(ike_notify_name(30), "UNEQUAL-PAYLOAD-LENGTHS");
	assert_null(ike_notify_name(0));
	assert_null(ike_notify_name(31));
	assert_null(ike_notify_name(16384));
	/* trailing bytes beyond the declared length are ignored */
	assert_int_equal(ike_parse(fx_mm4, sizeof(fx_mm4) - 1, &m), IKE_ESHORT);
	assert_string_equal(ike_err_name(IKE_EPAYLOAD), "malformed payload");
}

static void test_parse_long_life(void **state)
{
	/* one transform: 3DES, then a life duration as an 8-byte variable
	 * attribute (allowed by RFC 2408 3.3), which saturates */
	static const uint8_t sa[] = {
		0x00, 0x00, 0x00, 0x2c, 0, 0, 0, 1, 0, 0, 0, 1,       /* SA, DOI, sit */
		0x00, 0x00, 0x00, 0x20, 1, 1, 0, 1,                   /* proposal */
		0x00, 0x00, 0x00, 0x18, 1, 1, 0, 0,                   /* transform */
		0x80, 0x01, 0x00, 0x05,                               /* cipher 3DES */
		0x00, 0x0c, 0x00, 0x08, 0, 0, 0, 1, 0, 0, 0, 0,       /* life 2^32 */
	};
	uint8_t p[IKE_HDR_LEN + sizeof(sa)];
	ike_msg m;

	(void)state;
	memcpy(p, fx_mm2, IKE_HDR_LEN);
	memcpy(p + IKE_HDR_LEN, sa, sizeof(sa));
	p[16] = IKE_PL_SA;
	p[24] = p[25] = p[26] = 0;
	p[27] = sizeof(p);
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_OK);
	assert_int_equal(m.transform.cipher, IKE_CIPHER_3DES);
	assert_int_equal(m.transform.life_s, UINT32_MAX);
	p[IKE_HDR_LEN + 35] = 0x09; /* attribute longer than the transform */
	assert_int_equal(ike_parse(p, sizeof(p), &m), IKE_EPAYLOAD);
}

/* The vendor-ID table: one row per ike_vid_id, each IKE_VID_* flag on
 * the row of its index, names and bytes distinct, every byte string the
 * MD5 of its name but the two the table says are not. */
static void test_vid_table(void **state)
{
	uint32_t flags = 0;

	(void)state;
	assert_null(ike_vid_get(IKE_VIDX_COUNT));
	for (int i = 0; i < IKE_VIDX_COUNT; i++) {
		const ike_vid *v = ike_vid_get((ike_vid_id)i);
		uint8_t md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;

		assert_non_null(v);
		assert_non_null(v->name);
		assert_true(v->len >= 16 && v->len <= IKE_VID_MAX);
		assert_true(v->flag == 0 || v->flag == 1u << i);
		flags |= v->flag;
		for (int j = 0; j < i; j++) {
			const ike_vid *w = ike_vid_get((ike_vid_id)j);

			assert_string_not_equal(v->name, w->name);
			assert_false(v->len == w->len && memcmp(v->id, w->id, v->len) == 0);
		}
		/* each body is recognised as itself, or (flag 0) as nothing */
		assert_int_equal(ike_vid_match(v->id, v->len), v->flag);
		assert_int_equal(EVP_Digest(v->name, strlen(v->name), md, &mdlen, EVP_md5(), NULL), 1);
		if (i == IKE_VIDX_DPD || i == IKE_VIDX_WIN8)
			assert_memory_not_equal(v->id, md, 16);
		else
			assert_memory_equal(v->id, md, 16);
	}
	assert_int_equal(flags, IKE_VID_RFC3947 | IKE_VID_DRAFT02N | IKE_VID_DRAFT02 |
		IKE_VID_DRAFT03 | IKE_VID_FRAG | IKE_VID_MSNT5 | IKE_VID_DPD);
}

/* A reply's vendor-ID payload: the table's bytes exactly, or (prefix rows)
 * followed by more; anything shorter, longer or different is no match. */
static void test_vid_match(void **state)
{
	(void)state;
	for (int i = 0; i < IKE_VIDX_COUNT; i++) {
		const ike_vid *v = ike_vid_get((ike_vid_id)i);
		uint8_t body[IKE_VID_MAX + 4];
		uint8_t mem[IKE_HDR_LEN + 4 + sizeof(body)];
		ike_buf b;
		ike_msg m;

		if (v->flag == 0)
			continue;
		memset(body, 0x80, sizeof(body));
		memcpy(body, v->id, v->len);
		assert_int_equal(ike_vid_match(body, v->len + 4u), v->prefix ? v->flag : 0);
		assert_int_equal(ike_vid_match(body, v->len - 1u), 0);
		body[v->len - 1] ^= 1;
		assert_int_equal(ike_vid_match(body, v->len), 0);
		/* and through the parser */
		ike_buf_init(&b, mem, sizeof(mem));
		ike_msg_begin(&b, fx_icookie, fx_rcookie, IKE_EXCH_MAIN, 0);
		ike_add_payload(&b, IKE_PL_VID, v->id, v->len);
		assert_true(ike_msg_end(&b));
		assert_int_equal(ike_parse(mem, b.len, &m), IKE_OK);
		assert_int_equal(m.vids, v->flag);
	}
	assert_int_equal(ike_vid_match((const uint8_t *)"", 0), 0);
}

/* Whether a message holds a vendor-ID payload with exactly these bytes. */
static bool has_vid(const uint8_t *msg, size_t len, const uint8_t *id, size_t n)
{
	for (size_t at = IKE_HDR_LEN; at + 4 + n <= len; at++)
		if (msg[at + 2] == 0 && msg[at + 3] == 4 + n && memcmp(msg + at + 4, id, n) == 0)
			return true;
	return false;
}

/* Every row is recognised in replies or sent in some message 1; MS NT5 is
 * sent with each profile's version (ike-scan: 1e2b...e461 00000009 for
 * Windows 8 and later). */
static void test_vid_sent(void **state)
{
	static const struct {
		probe_profile p;
		uint32_t version;
	} prof[] = { { PROFILE_XP, 4 }, { PROFILE_VISTA, 5 }, { PROFILE_SERVER2008, 6 },
		{ PROFILE_VISTA7, 8 }, { PROFILE_WIN8PLUS, 9 } };
	bool sent[IKE_VIDX_COUNT] = { false };
	uint8_t out[IKE_MSG_MAX], v[IKE_VID_MAX];

	(void)state;
	assert_int_equal(ike_vid_msnt5(9, v), 20);
	assert_memory_equal(v, ike_vid_get(IKE_VIDX_MSNT5)->id, 16);
	assert_memory_equal(v + 16, "\0\0\0\x09", 4);
	for (size_t k = 0; k < sizeof(prof) / sizeof(prof[0]); k++) {
		size_t n = ike_build_mm1(out, sizeof(out), fx_icookie, prof[k].p, PROBE_AUTH_PSK);

		assert_true(n > 0);
		assert_int_equal(ike_vid_msnt5(prof[k].version, v), 20);
		assert_true(has_vid(out, n, v, 20));
		for (int i = 0; i < IKE_VIDX_COUNT; i++) {
			const ike_vid *r = ike_vid_get((ike_vid_id)i);

			if (has_vid(out, n, r->id, r->len))
				sent[i] = true;
		}
		assert_int_equal(has_vid(out, n, ike_vid_get(IKE_VIDX_WIN8)->id, 20),
			prof[k].p == PROFILE_WIN8PLUS);
		assert_int_equal(has_vid(out, n, ike_vid_get(IKE_VIDX_RFC3947)->id, 16),
			ike_profile_offers_rfc3947(prof[k].p));
	}
	sent[IKE_VIDX_MSNT5] = true; /* never bare: checked with its versions above */
	for (int i = 0; i < IKE_VIDX_COUNT; i++)
		assert_true(sent[i] || ike_vid_get((ike_vid_id)i)->flag != 0);
}

/* Every truncation and every single-bit flip of every fixture: the parser
 * must return (any result) without reading outside the exact-size copy
 * (ASan checks that in the host-san build). */
static void fuzz_one(const uint8_t *fx, size_t len)
{
	ike_msg m;

	for (size_t cut = 0; cut <= len; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);

		memcpy(p, fx, cut);
		if (cut < len)
			assert_int_not_equal(ike_parse(p, cut, &m), IKE_OK);
		if (cut >= IKE_HDR_LEN) {
			/* also with the header claiming the truncated length */
			p[24] = (uint8_t)(cut >> 24);
			p[25] = (uint8_t)(cut >> 16);
			p[26] = (uint8_t)(cut >> 8);
			p[27] = (uint8_t)cut;
			(void)ike_parse(p, cut, &m);
		}
		free(p);
	}
	for (size_t bit = 0; bit < len * 8; bit++) {
		uint8_t *p = malloc(len);
		ike_err e;

		memcpy(p, fx, len);
		p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		e = ike_parse(p, len, &m);
		assert_true(e == IKE_OK || e == IKE_ESHORT || e == IKE_EVERSION ||
			e == IKE_EENCRYPTED || e == IKE_EPAYLOAD);
		if (e == IKE_OK && m.natd_count > 0 && m.natd_count <= IKE_NATD_MAX)
			assert_true(m.natd[0] >= p && m.natd[0] + m.natd_len[0] <= p + len);
		free(p);
	}
}

static void test_parse_fuzz(void **state)
{
	(void)state;
	fuzz_one(fx_mm1_win8, sizeof(fx_mm1_win8));
	fuzz_one(fx_mm1_xp, sizeof(fx_mm1_xp));
	fuzz_one(fx_mm2, sizeof(fx_mm2));
	fuzz_one(fx_mm2_draft, sizeof(fx_mm2_draft));
	fuzz_one(fx_mm2_unknown, sizeof(fx_mm2_unknown));
	fuzz_one(fx_mm4, sizeof(fx_mm4));
	fuzz_one(fx_info_npc, sizeof(fx_info_npc));
}

/* 2^k must be > 1 and < p - 1 for the group's prime (OpenSSL's copy). */
static void check_modp(uint16_t group, BIGNUM *(*prime)(BIGNUM *), size_t len)
{
	uint8_t ke[512];
	BIGNUM *p = prime(NULL), *y = NULL;

	assert_int_equal(ike_dh_ke_len(group), len);
	for (uint32_t r = 0; r < 2000; r += 7) {
		size_t n = ike_dh_ke(group, r * 2654435761u, ke, sizeof(ke));
		int bits = 0;

		assert_int_equal(n, len);
		y = BN_bin2bn(ke, (int)n, y);
		for (size_t i = 0; i < n; i++)
			bits += __builtin_popcount(ke[i]);
		assert_int_equal(bits, 1);
		assert_true(BN_cmp(y, p) < 0);
		assert_true(BN_num_bits(y) > 256);
	}
	assert_int_equal(ike_dh_ke(group, 1, ke, len - 1), 0);
	BN_free(y);
	BN_free(p);
}

static void check_ecp(uint16_t group, int nid, size_t len)
{
	uint8_t ke[128], oct[200];
	EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
	size_t n = EC_POINT_point2oct(g, EC_GROUP_get0_generator(g), POINT_CONVERSION_UNCOMPRESSED,
		oct, sizeof(oct), NULL);

	assert_int_equal(n, 1 + len);
	assert_int_equal(ike_dh_ke(group, 5, ke, sizeof(ke)), len);
	assert_memory_equal(ke, oct + 1, len);
	EC_GROUP_free(g);
}

static void test_dh_values(void **state)
{
	uint8_t ke[16];

	(void)state;
	check_modp(2, BN_get_rfc2409_prime_1024, 128);
	check_modp(5, BN_get_rfc3526_prime_1536, 192);
	check_modp(14, BN_get_rfc3526_prime_2048, 256);
	check_modp(15, BN_get_rfc3526_prime_3072, 384);
	check_ecp(19, NID_X9_62_prime256v1, 64);
	check_ecp(20, NID_secp384r1, 96);
	assert_int_equal(ike_dh_ke_len(21), 0);
	assert_int_equal(ike_dh_ke(99, 0, ke, sizeof(ke)), 0);
}

#if FIXTURES_HAVE_REAL_CAPTURES
static void test_parse_real_captures(void **state)
{
	ike_msg m;

	(void)state;
	assert_int_equal(ike_parse(fx_real_swan_mm2, sizeof(fx_real_swan_mm2), &m), IKE_OK);
	assert_true(m.have_sa);
	assert_int_equal(ike_parse(fx_real_swan_mm4, sizeof(fx_real_swan_mm4), &m), IKE_OK);
	assert_true(m.have_ke);
	fuzz_one(fx_real_swan_mm2, sizeof(fx_real_swan_mm2));
	fuzz_one(fx_real_swan_mm4, sizeof(fx_real_swan_mm4));
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_mm1_win8),
		cmocka_unit_test(test_build_mm1_win7),
		cmocka_unit_test(test_build_mm1_vista_2008),
		cmocka_unit_test(test_build_mm1_xp),
		cmocka_unit_test(test_build_mm1_small_buffer),
		cmocka_unit_test(test_build_generic),
		cmocka_unit_test(test_parse_mm2),
		cmocka_unit_test(test_parse_mm2_draft_and_unknown),
		cmocka_unit_test(test_parse_mm4),
		cmocka_unit_test(test_parse_notify),
		cmocka_unit_test(test_parse_own_mm1),
		cmocka_unit_test(test_parse_header_errors),
		cmocka_unit_test(test_parse_long_life),
		cmocka_unit_test(test_vid_table),
		cmocka_unit_test(test_vid_match),
		cmocka_unit_test(test_vid_sent),
		cmocka_unit_test(test_parse_fuzz),
		cmocka_unit_test(test_dh_values),
#if FIXTURES_HAVE_REAL_CAPTURES
		cmocka_unit_test(test_parse_real_captures),
#endif
	};

	return cmocka_run_group_tests_name("ike", tests, NULL, NULL);
}
