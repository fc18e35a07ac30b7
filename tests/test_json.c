/* test_json.c - the result-file JSON reader: valid documents, every
 * truncation and byte flip of a real one (no crash, clean error), limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char sample[] =
	"{\"version\":\"1.0.0\",\"host\":\"PC042\",\"time\":\"2026-11-24T11:39:21Z\","
	"\"servers\":[{\"server\":\"vpn\",\"udp500\":\"answered\",\"natt\":null,"
	"\"server_behind_nat\":true,\"elapsed_ms\":12,\"advice\":\"a \\\"b\\\" \\u00fc\\ud83d\\ude00\"}],"
	"\"verdict\":\"needs-registry\",\"exit_code\":1,\"x\":[1.5e3,-2,true,false,{}]}";

static void test_json_parse_sample(void **state)
{
	json_doc d;
	const json_node *root, *srv, *x;

	(void)state;
	assert_true(json_parse(&d, sample, strlen(sample)));
	root = &d.nodes[0];
	assert_int_equal(root->type, JSON_OBJECT);
	assert_string_equal(json_get_str(&d, root, "host"), "PC042");
	assert_int_equal((int)json_get(&d, root, "exit_code")->num, 1);
	srv = json_at(&d, json_get(&d, root, "servers"), 0);
	assert_non_null(srv);
	assert_null(json_at(&d, json_get(&d, root, "servers"), 1));
	assert_int_equal(json_get(&d, srv, "natt")->type, JSON_NULL);
	assert_true(json_get(&d, srv, "server_behind_nat")->b);
	assert_string_equal(json_get_str(&d, srv, "advice"), "a \"b\" \xc3\xbc\xf0\x9f\x98\x80");
	x = json_get(&d, root, "x");
	assert_true(json_at(&d, x, 0)->num == 1500.0);
	assert_true(json_at(&d, x, 1)->num == -2.0);
	assert_int_equal(json_at(&d, x, 4)->type, JSON_OBJECT);
	assert_null(json_get(&d, root, "missing"));
	assert_null(json_get_str(&d, root, "exit_code"));
	json_free(&d);
}

static void test_json_parse_rejects(void **state)
{
	static const char *const bad[] = { "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}",
		"{a:1}", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "01x", "-",
		"tru", "nul", "[1 2]", "01", "-01", "1.", "1.e5", "1e+", "+1", ".5", "-", "{} {}", "\"a\x01\"", "1e", "[\"\\ud83d\\u0041\"]" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_doc d;
		print_message("case %zu: %s\n", i, bad[i]);
		assert_false(json_parse(&d, bad[i], strlen(bad[i])));
		assert_true(d.err[0] != '\0');
		json_free(&d);
	}
}

static void test_json_parse_truncations_and_flips(void **state)
{
	size_t len = strlen(sample), i;
	char *buf = malloc(len);
	int bit;

	(void)state;
	for (i = 0; i < len; i++) {
		json_doc d;
		memcpy(buf, sample, len);
		(void)json_parse(&d, buf, i); /* every prefix: must not crash */
		json_free(&d);
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, sample, len);
			buf[i] = (char)(buf[i] ^ (1 << bit));
			(void)json_parse(&d, buf, len);
			json_free(&d);
		}
	}
	free(buf);
}

static void test_json_parse_depth_limit(void **state)
{
	char deep[200];
	json_doc d;

	(void)state;
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	assert_false(json_parse(&d, deep, sizeof(deep)));
	assert_non_null(strstr(d.err, "deeply"));
	json_free(&d);
	assert_true(json_parse(&d, deep + 70, 60)); /* 30 deep is fine */
	json_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse_sample),
		cmocka_unit_test(test_json_parse_rejects),
		cmocka_unit_test(test_json_parse_truncations_and_flips),
		cmocka_unit_test(test_json_parse_depth_limit),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
