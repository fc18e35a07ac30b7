/* test_addr.c - server argument parsing (literals, host names, what is
 * refused) and address formatting (RFC 5952). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "addr.h"

static void roundtrip(const char *in, const char *want_text)
{
	plat_addr a;
	char buf[ADDR_TEXT_MAX];
	const char *why = NULL;

	assert_int_equal(addr_parse(in, &a, &why), ADDR_LITERAL);
	addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, want_text);
}

static void bad(const char *in)
{
	plat_addr a;
	const char *why = NULL;

	if (addr_parse(in, &a, &why) != ADDR_BAD)
		fail_msg("accepted: '%s'", in);
	assert_non_null(why);
}

/* A port in the argument gets its own message, for v4, names and [v6]. */
static void test_port_not_allowed(void **state)
{
	static const char *const in[] = { "198.18.0.9:500", "vpn.example.com:4500",
		"[2001:2::1]:500" };
	plat_addr a;
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(addr_parse(in[i], &a, &why), ADDR_BAD);
		assert_non_null(strstr(why, "port is not allowed"));
	}
	assert_int_equal(addr_parse("[2001:2::1]", &a, &why), ADDR_LITERAL);
	assert_int_equal(addr_parse("2001:2::1", &a, &why), ADDR_LITERAL);
}

static void test_ipv4(void **state)
{
	uint8_t a[4];

	(void)state;
	roundtrip("198.18.0.1", "198.18.0.1");
	bad("255.255.255.254"); /* 240.0.0.0/4 is reserved */
	assert_true(addr_parse_ipv4("1.2.3.4", a));
	assert_int_equal(a[3], 4);
	assert_false(addr_parse_ipv4("1.2.3", a));
	assert_false(addr_parse_ipv4("1.2.3.4.5", a));
	assert_false(addr_parse_ipv4("1.2.3.256", a));
	assert_false(addr_parse_ipv4("01.2.3.4", a));   /* octal-looking */
	assert_false(addr_parse_ipv4("1.2.3.4 ", a));
	assert_false(addr_parse_ipv4("1..3.4", a));
	assert_false(addr_parse_ipv4("1.2.3.0004", a));
	assert_true(addr_parse_ipv4("0.0.0.0", a));
}

static void test_ipv4_not_unicast(void **state)
{
	(void)state;
	bad("0.0.0.0");
	bad("0.1.2.3");
	bad("255.255.255.255");
	bad("224.0.0.1");
	bad("239.255.255.250");
	bad("240.0.0.1");
	bad("1.2.3");     /* all-numeric: not a name either */
	bad("300.1.1.1");
}

static void test_ipv6(void **state)
{
	(void)state;
	roundtrip("2001:2::1", "2001:2::1");
	roundtrip("[2001:2::1]", "2001:2::1");
	roundtrip("2001:0002:0000:0000:0000:0000:0000:0001", "2001:2::1");
	roundtrip("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1");   /* first longest run */
	roundtrip("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"); /* a single 0 stays */
	roundtrip("2001:2:0:0:1::", "2001:2:0:0:1::");
	roundtrip("::1", "::1");
	roundtrip("fe80::1%3", "fe80::1%3");
	roundtrip("[fe80::1%12]", "fe80::1%12");
	roundtrip("::ffff:198.18.0.1", "::ffff:198.18.0.1");
	roundtrip("64:ff9b::198.18.0.1", "64:ff9b::c612:1");
	roundtrip("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
	roundtrip("1::", "1::");
}

static void test_ipv6_bad(void **state)
{
	(void)state;
	bad("::");
	bad("ff02::1");
	bad("[ff05::2]");
	bad("1:2:3:4:5:6:7:8:9");
	bad("1:2:3:4:5:6:7");
	bad("1::2::3");
	bad(":1:2:3:4:5:6:7");
	bad("1:2:3:4:5:6:7:");
	bad("12345::1");
	bad("1:2:3:4:5:6:7::8");  /* "::" standing for no group */
	bad("fe80::1%eth0");      /* only numeric zones */
	bad("fe80::1%");
	bad("[2001:2::1");
	bad("[]");
	bad("2001:2::1]");
	bad("::1.2.3");
	bad("g::1");
	bad("[2001:2::1]:500");
}

static void test_hostnames(void **state)
{
	char name[300];
	plat_addr a;

	(void)state;
	assert_int_equal(addr_parse("vpn.example.com", &a, NULL), ADDR_NAME);
	assert_int_equal(addr_parse("vpn-1.example.com.", &a, NULL), ADDR_NAME);
	assert_int_equal(addr_parse("3com.com", &a, NULL), ADDR_NAME);
	assert_int_equal(addr_parse("localhost", &a, NULL), ADDR_NAME);
	assert_int_equal(addr_parse("1.2.3.com", &a, NULL), ADDR_NAME);
	bad("");
	bad(".");
	bad("-vpn.example.com");
	bad("vpn-.example.com");
	bad("vpn..example.com");
	bad("vpn_1.example.com");
	bad("vpn example.com");
	bad("vpn.example.com/x");
	bad("v\xc3\xa9pn.example.com"); /* IDNs must be given as punycode */
	memset(name, 'a', 63);
	strcpy(name + 63, ".com");
	assert_true(addr_valid_hostname(name));
	memset(name, 'a', 64);
	strcpy(name + 64, ".com");
	assert_false(addr_valid_hostname(name));
	/* 253 characters are fine, 254 are not */
	for (int i = 0; i < 4; i++)
		memset(name + i * 64, 'a', 63), name[i * 64 + 63] = '.';
	name[253] = '\0';
	name[252] = 'a';
	assert_true(addr_valid_hostname(name));
	name[253] = 'b';
	name[254] = '\0';
	assert_false(addr_valid_hostname(name));
}

static void test_format_small_buffer(void **state)
{
	plat_addr a;
	char buf[6];

	(void)state;
	assert_int_equal(addr_parse("198.18.0.100", &a, NULL), ADDR_LITERAL);
	assert_int_equal(addr_format(&a, buf, sizeof(buf)), 12);
	assert_string_equal(buf, "198.1");
	assert_int_equal(addr_format(&a, NULL, 0), 12);
	assert_int_equal(addr_parse("1:2:3:4:5:6:7:8%4294967295", &a, NULL), ADDR_LITERAL);
	{
		char big[ADDR_TEXT_MAX];

		assert_true(addr_format(&a, big, sizeof(big)) < ADDR_TEXT_MAX);
		assert_string_equal(big, "1:2:3:4:5:6:7:8%4294967295");
	}
	bad("1:2:3:4:5:6:7:8%4294967296");
}

static bool private_of(const char *in)
{
	plat_addr a;
	const char *why = NULL;

	assert_int_equal(addr_parse(in, &a, &why), ADDR_LITERAL);
	return addr_is_private(&a);
}

/* RFC 1918, RFC 6598 shared, link-local, IPv6 ULA/link-local; the edges of
 * each range, and the benchmarking range the lab uses, which is not. */
static void test_private(void **state)
{
	static const char *const yes[] = { "10.0.0.1", "10.255.255.255", "172.16.0.1",
		"172.31.255.254", "192.168.0.1", "192.168.255.255", "100.64.0.1",
		"100.127.255.254", "169.254.1.1", "fc00::1", "fd12:3456::1", "fe80::1",
		"febf::1" };
	static const char *const no[] = { "9.255.255.255", "11.0.0.1", "172.15.255.255",
		"172.32.0.1", "192.167.255.255", "192.169.0.1", "100.63.255.255",
		"100.128.0.1", "169.253.255.255", "198.18.0.2", "198.19.10.2", "203.0.113.7",
		"2001:2::1", "fec0::1", "fbff::1" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!private_of(yes[i]))
			fail_msg("%s should be private", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (private_of(no[i]))
			fail_msg("%s should not be private", no[i]);
}

static void test_equal(void **state)
{
	plat_addr a, b;

	(void)state;
	assert_int_equal(addr_parse("2001:2::1", &a, NULL), ADDR_LITERAL);
	assert_int_equal(addr_parse("[2001:2:0::1%3]", &b, NULL), ADDR_LITERAL);
	assert_true(addr_equal(&a, &b));
	b.port = 500;
	assert_false(addr_equal(&a, &b));
	assert_int_equal(addr_parse("198.18.0.1", &b, NULL), ADDR_LITERAL);
	assert_false(addr_equal(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_private),
		cmocka_unit_test(test_port_not_allowed),
		cmocka_unit_test(test_ipv4_not_unicast),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_bad),
		cmocka_unit_test(test_hostnames),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
