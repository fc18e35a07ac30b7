/* test_strbuf.c - text buffer growth, JSON string escaping, wrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "report.h"
#include "strbuf.h"

static const char *json(strbuf *sb, const char *s)
{
	sb_reset(sb);
	sb_json_str(sb, s);
	return sb_str(sb);
}

static void test_sb_json_str_escapes(void **state)
{
	strbuf sb;

	(void)state;
	sb_init(&sb);
	assert_string_equal(json(&sb, NULL), "null");
	assert_string_equal(json(&sb, ""), "\"\"");
	assert_string_equal(json(&sb, "PC042"), "\"PC042\"");
	assert_string_equal(json(&sb, "HKLM\\SYSTEM"), "\"HKLM\\\\SYSTEM\"");
	assert_string_equal(json(&sb, "say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(json(&sb, "a\nb\tc\rd"), "\"a\\nb\\tc\\rd\"");
	assert_string_equal(json(&sb, "\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	/* Valid UTF-8 passes through: "Büro-PC" and a 4-byte emoji. */
	assert_string_equal(json(&sb, "B\xc3\xbcro"), "\"B\xc3\xbcro\"");
	assert_string_equal(json(&sb, "\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	sb_free(&sb);
}

static void test_sb_json_str_invalid_utf8(void **state)
{
	strbuf sb;

	(void)state;
	sb_init(&sb);
	assert_string_equal(json(&sb, "a\xff" "b"), "\"a\\ufffdb\"");
	assert_string_equal(json(&sb, "\xc3"), "\"\\ufffd\"");            /* truncated */
	assert_string_equal(json(&sb, "\xc0\xaf"), "\"\\ufffd\\ufffd\""); /* overlong */
	assert_string_equal(json(&sb, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	sb_free(&sb);
}

static void test_sb_addf_grows(void **state)
{
	strbuf sb;
	int i;

	(void)state;
	sb_init(&sb);
	assert_string_equal(sb_str(&sb), "");
	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "%04d,", i);
	assert_int_equal(sb.len, 5000);
	assert_memory_equal(sb.p + 4995, "0999,", 5);
	assert_false(sb.oom);
	sb_free(&sb);
}

static void test_report_wrap_width(void **state)
{
	strbuf sb;
	const char *p, *nl;

	(void)state;
	sb_init(&sb);
	report_wrap(&sb, "Forward UDP 4500 (as well as 500) on the server's NAT router to the "
		"VPN server, and allow it through its firewall. A-very-long-word-"
		"that-does-not-fit-on-any-line-at-all-because-it-is-way-too-long-"
		"for-the-width", 2, 40);
	for (p = sb_str(&sb); *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl - p <= 40);
		assert_memory_equal(p, "  ", 2);
	}
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sb_json_str_escapes),
		cmocka_unit_test(test_sb_json_str_invalid_utf8),
		cmocka_unit_test(test_sb_addf_grows),
		cmocka_unit_test(test_report_wrap_width),
	};
	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
