/* test_regress.c - inputs the fuzzers (tests/fuzz/) found, kept as unit
 * tests: each must give a clean error (or the right answer), never a crash.
 * One test per finding, named after what went wrong; the bytes are the
 * minimized fuzzer input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "json.h"

static bool parses(const char *text, size_t len)
{
	json_doc doc;
	bool ok = json_parse(&doc, text, len);

	if (!ok)
		assert_true(doc.err[0] != '\0');
	json_free(&doc);
	return ok;
}

/* fuzz_json: "3\0" parsed as the number 3.  parse_number's scan took the
 * NUL for one of its characters (strchr finds the terminator), and strtod
 * stopped at the NUL as if at the end.  JSON has no raw NUL anywhere. */
static void test_json_parse_nul_after_number(void **state)
{
	static const char crash[] = { 0x33, 0x00 }; /* minimized */
	static const char in_array[] = { '[', '1', 0x00, ']' };
	static const char in_object[] = { '{', '"', 'a', '"', ':', '1', 0x00, '}' };
	static const char many[] = { 0x0d, 0x33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

	(void)state;
	assert_false(parses(crash, sizeof(crash)));
	assert_false(parses(in_array, sizeof(in_array)));
	assert_false(parses(in_object, sizeof(in_object)));
	assert_false(parses(many, sizeof(many)));
	/* numbers without a NUL still parse */
	assert_true(parses("3", 1));
	assert_true(parses("[1,-2.5e3,0]", 12));
	assert_true(parses("{\"a\":1}", 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse_nul_after_number),
	};

	return cmocka_run_group_tests_name("regress", tests, NULL, NULL);
}
