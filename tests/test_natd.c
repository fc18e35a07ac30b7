/* test_natd.c - NAT-D hashes against vectors computed independently with
 * Python's hashlib, and the reading of message 4's NAT-D payloads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_net.h"
#include "fixtures_ike.h"
#include "natd.h"

/* hashlib.sha1(icookie + rcookie + ip + port.to_bytes(2, "big")) */
static const uint8_t v4_sha1_local[20] = { 0x01, 0xa2, 0x9e, 0x6b, 0xfd, 0xaa, 0xe4, 0x37,
	0x99, 0x5d, 0xeb, 0x3a, 0x3a, 0x2e, 0x7c, 0xa7, 0xe1, 0x9a, 0xb3, 0x16 };
static const uint8_t v4_sha1_server[20] = { 0xc0, 0x9e, 0x6e, 0xca, 0xb4, 0x93, 0x91, 0xcb,
	0x5d, 0x36, 0x8e, 0x48, 0x83, 0x81, 0x4b, 0x8b, 0x3e, 0x0c, 0x5d, 0xd8 };
static const uint8_t v6_sha1_local[20] = { 0xc1, 0x60, 0x10, 0xe6, 0x72, 0x52, 0x68, 0xe8,
	0x6e, 0x78, 0xa4, 0x5f, 0xb1, 0xa5, 0x2b, 0x81, 0x4c, 0x98, 0xd4, 0x90 };
static const uint8_t v4_sha256_4500[32] = { 0xa8, 0x42, 0xd5, 0xcd, 0xe2, 0xa8, 0x3e, 0xc3,
	0x1b, 0x6a, 0x98, 0x30, 0xd9, 0x1d, 0xcc, 0x74, 0x5b, 0x86, 0xc3, 0x47, 0x71, 0x62,
	0x06, 0x7f, 0xb6, 0x84, 0x47, 0x2e, 0x2c, 0xbe, 0xe6, 0x4f };
static const uint8_t v4_md5_server[16] = { 0x05, 0xb6, 0xdd, 0xa1, 0x92, 0x25, 0x2e, 0x46,
	0xdf, 0x2a, 0x3d, 0x1f, 0x57, 0x6e, 0x63, 0x17 };

static plat_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
	plat_addr x;

	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.addr[0] = a;
	x.addr[1] = b;
	x.addr[2] = c;
	x.addr[3] = d;
	x.port = port;
	return x;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	return 0;
}

static void test_hash_vectors(void **state)
{
	uint8_t h[PLAT_HASH_MAX];
	size_t n = 0;
	plat_addr a = v4(198, 18, 0, 2, 40000), six;

	(void)state;
	assert_int_equal(natd_hash(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &a, h, &n), PLAT_OK);
	assert_int_equal(n, 20);
	assert_memory_equal(h, v4_sha1_local, 20);
	a = v4(198, 19, 0, 1, 500);
	assert_int_equal(natd_hash(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &a, h, &n), PLAT_OK);
	assert_memory_equal(h, v4_sha1_server, 20);
	assert_int_equal(natd_hash(IKE_HASH_MD5, fx_icookie, fx_rcookie, &a, h, &n), PLAT_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(h, v4_md5_server, 16);
	a.port = 4500;
	assert_int_equal(natd_hash(IKE_HASH_SHA256, fx_icookie, fx_rcookie, &a, h, &n), PLAT_OK);
	assert_int_equal(n, 32);
	assert_memory_equal(h, v4_sha256_4500, 32);
	memset(&six, 0, sizeof(six));
	six.family = 6;
	six.addr[0] = 0x20;
	six.addr[1] = 0x01;
	six.addr[3] = 0x02;
	six.addr[15] = 0x02;
	six.port = 40001;
	six.scope_id = 7; /* not part of the hash */
	assert_int_equal(natd_hash(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &six, h, &n), PLAT_OK);
	assert_memory_equal(h, v6_sha1_local, 20);
	assert_int_equal(natd_hash(99, fx_icookie, fx_rcookie, &six, h, &n), PLAT_EUNSUPP);
}

/* fx_mm4 holds NAT-D(198.18.0.2:40000) then NAT-D(198.19.0.1:500). */
static void compare(const plat_addr *local, const plat_addr *server, probe_tri want_client,
	probe_tri want_server)
{
	ike_msg m;
	probe_tri cl = TRI_NULL, sv = TRI_NULL;

	assert_int_equal(ike_parse(fx_mm4, sizeof(fx_mm4), &m), IKE_OK);
	assert_int_equal(natd_compare(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &m, local, server,
		&cl, &sv), PLAT_OK);
	assert_int_equal(cl, want_client);
	assert_int_equal(sv, want_server);
}

static void test_compare(void **state)
{
	plat_addr local = v4(198, 18, 0, 2, 40000), server = v4(198, 19, 0, 1, 500);
	plat_addr other_local = v4(198, 18, 0, 3, 40000), other_port = v4(198, 18, 0, 2, 40001);
	plat_addr other_server = v4(198, 19, 0, 9, 500);

	(void)state;
	compare(&local, &server, TRI_FALSE, TRI_FALSE);
	compare(&other_local, &server, TRI_TRUE, TRI_FALSE);
	compare(&other_port, &server, TRI_TRUE, TRI_FALSE); /* a NAT that only changes the port */
	compare(&local, &other_server, TRI_FALSE, TRI_TRUE);
	compare(&other_local, &other_server, TRI_TRUE, TRI_TRUE);
}

static void test_compare_missing(void **state)
{
	plat_addr local = v4(198, 18, 0, 2, 40000), server = v4(198, 19, 0, 1, 500);
	ike_msg m;
	probe_tri cl = TRI_TRUE, sv = TRI_TRUE;

	(void)state;
	assert_int_equal(ike_parse(fx_mm4, sizeof(fx_mm4), &m), IKE_OK);
	m.natd_count = 1; /* only the server's view of us */
	assert_int_equal(natd_compare(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &m, &local, &server,
		&cl, &sv), PLAT_OK);
	assert_int_equal(cl, TRI_FALSE);
	assert_int_equal(sv, TRI_NULL);
	m.natd_count = 0;
	assert_int_equal(natd_compare(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &m, &local, &server,
		&cl, &sv), PLAT_OK);
	assert_int_equal(cl, TRI_NULL);
	assert_int_equal(sv, TRI_NULL);
	m.natd_count = 2;
	assert_int_equal(natd_compare(77, fx_icookie, fx_rcookie, &m, &local, &server, &cl, &sv),
		PLAT_EUNSUPP);
	assert_int_equal(cl, TRI_NULL);
	/* a wrong-length hash (MD5 vs the SHA1 payloads) never matches */
	assert_int_equal(natd_compare(IKE_HASH_MD5, fx_icookie, fx_rcookie, &m, &local, &server,
		&cl, &sv), PLAT_OK);
	assert_int_equal(cl, TRI_TRUE);
	assert_int_equal(sv, TRI_TRUE);
}

/* More NAT-D payloads than the parser keeps, the matching one past the end:
 * "none matched" proves nothing then, so the fact is unknown, never a false
 * "server behind NAT" (found by tests/integration/hostile.sh many-natd). */
static void test_compare_too_many(void **state)
{
	plat_addr local = v4(198, 18, 0, 2, 40000), other_server = v4(198, 19, 0, 9, 500);
	ike_msg m;
	probe_tri cl = TRI_NULL, sv = TRI_NULL;

	(void)state;
	assert_int_equal(ike_parse(fx_mm4, sizeof(fx_mm4), &m), IKE_OK);
	m.natd_count = IKE_NATD_MAX + 1; /* seen, but only IKE_NATD_MAX kept */
	assert_int_equal(natd_compare(IKE_HASH_SHA1, fx_icookie, fx_rcookie, &m, &local,
		&other_server, &cl, &sv), PLAT_OK);
	assert_int_equal(cl, TRI_FALSE);
	assert_int_equal(sv, TRI_NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_too_many),
		cmocka_unit_test_setup(test_hash_vectors, setup),
		cmocka_unit_test_setup(test_compare, setup),
		cmocka_unit_test_setup(test_compare_missing, setup),
	};

	return cmocka_run_group_tests_name("natd", tests, NULL, NULL);
}
