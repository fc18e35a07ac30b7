/* test_jsonw.c - the JSON writer: commas and nesting it tracks itself,
 * escaping (through sb_json_str), numbers at their limits, every misuse
 * caught by its error flag with nothing more written, and report_json's
 * bytes for the README's status example (the contract). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "json.h"
#include "jsonw.h"
#include "report.h"

/* Each test's buffer, and a writer on it. */
typedef struct fixture {
	strbuf sb;
	jw w;
} fixture;

static int setup(void **state)
{
	static fixture f;

	sb_init(&f.sb);
	jw_init(&f.w, &f.sb);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	sb_free(&((fixture *)*state)->sb);
	return 0;
}

static void test_jsonw_nesting_and_commas(void **state)
{
	fixture *f = *state;
	jw *w = &f->w;

	jw_begin_object(w);
	jw_kv_str(w, "a", "x");
	jw_key(w, "empty_obj");
	jw_begin_object(w);
	jw_end_object(w);
	jw_key(w, "empty_arr");
	jw_begin_array(w);
	jw_end_array(w);
	jw_key(w, "list");
	jw_begin_array(w);
	jw_int(w, 1);
	jw_begin_array(w);
	jw_null(w);
	jw_bool(w, false);
	jw_end_array(w);
	jw_begin_object(w);
	jw_kv_bool(w, "t", true);
	jw_kv_null(w, "n");
	jw_end_object(w);
	jw_str(w, NULL);
	jw_end_array(w);
	jw_kv_uint(w, "u", 7);
	jw_kv_int(w, "i", -7);
	jw_end_object(w);
	assert_true(jw_done(w));
	assert_null(w->err);
	assert_string_equal(sb_str(&f->sb), "{\"a\":\"x\",\"empty_obj\":{},\"empty_arr\":[],"
		"\"list\":[1,[null,false],{\"t\":true,\"n\":null},null],\"u\":7,\"i\":-7}");
}

/* It appends: what the buffer held stays, and a scalar is a document too. */
static void test_jsonw_appends_and_scalars(void **state)
{
	fixture *f = *state;

	sb_add(&f->sb, "before ");
	assert_false(jw_done(&f->w)); /* nothing yet */
	jw_str(&f->w, "s");
	assert_true(jw_done(&f->w));
	assert_string_equal(sb_str(&f->sb), "before \"s\"");
}

static void test_jsonw_escaping(void **state)
{
	fixture *f = *state;
	json_doc d;

	jw_begin_object(&f->w);
	jw_kv_str(&f->w, "k\"ey\\", "q\" b\\ n\n r\r t\t c\x01 del\x7f \xc3\xbc bad\xff\xc3");
	jw_end_object(&f->w);
	assert_true(jw_done(&f->w));
	assert_string_equal(sb_str(&f->sb), "{\"k\\\"ey\\\\\":\"q\\\" b\\\\ n\\n r\\r t\\t "
		"c\\u0001 del\\u007f \xc3\xbc bad\\ufffd\\ufffd\"}");
	/* and the reader takes it back */
	assert_true(json_parse(&d, f->sb.p, f->sb.len));
	assert_string_equal(json_get_str(&d, &d.nodes[0], "k\"ey\\"),
		"q\" b\\ n\n r\r t\t c\x01 del\x7f \xc3\xbc bad\xef\xbf\xbd\xef\xbf\xbd");
	json_free(&d);
}

static void test_jsonw_numbers(void **state)
{
	fixture *f = *state;
	jw *w = &f->w;

	jw_begin_array(w);
	jw_int(w, 0);
	jw_int(w, INT64_MIN);
	jw_int(w, INT64_MAX);
	jw_uint(w, 0);
	jw_uint(w, UINT64_MAX);
	jw_uint(w, 4294967295u);
	jw_end_array(w);
	assert_true(jw_done(w));
	assert_string_equal(sb_str(&f->sb), "[0,-9223372036854775808,9223372036854775807,0,"
		"18446744073709551615,4294967295]");
}

/* One misuse per run: the flag is set, the offending call writes nothing,
 * and nothing after it does either. */
enum misuse {
	M_VALUE_WITHOUT_KEY, M_KEY_IN_ARRAY, M_KEY_AT_TOP, M_TWO_KEYS, M_NULL_KEY,
	M_END_WRONG_KIND, M_END_NOTHING_OPEN, M_KEY_WITHOUT_VALUE, M_SECOND_TOP, M_TOO_DEEP,
	M_UNFINISHED, M_COUNT
};

static void misuse_run(enum misuse m, jw *w)
{
	switch (m) {
	case M_VALUE_WITHOUT_KEY:
		jw_begin_object(w);
		jw_int(w, 1);
		break;
	case M_KEY_IN_ARRAY:
		jw_begin_array(w);
		jw_key(w, "k");
		break;
	case M_KEY_AT_TOP:
		jw_key(w, "k");
		break;
	case M_TWO_KEYS:
		jw_begin_object(w);
		jw_key(w, "a");
		jw_key(w, "b");
		break;
	case M_NULL_KEY:
		jw_begin_object(w);
		jw_key(w, NULL);
		break;
	case M_END_WRONG_KIND:
		jw_begin_object(w);
		jw_end_array(w);
		break;
	case M_END_NOTHING_OPEN:
		jw_end_object(w);
		break;
	case M_KEY_WITHOUT_VALUE:
		jw_begin_object(w);
		jw_key(w, "k");
		jw_end_object(w);
		break;
	case M_SECOND_TOP:
		jw_int(w, 1);
		jw_int(w, 2);
		break;
	case M_TOO_DEEP:
		for (int i = 0; i <= JW_MAX_DEPTH; i++)
			jw_begin_array(w);
		break;
	case M_UNFINISHED:
	case M_COUNT:
		jw_begin_object(w);
		break;
	}
}

static void test_jsonw_misuse_flagged(void **state)
{
	fixture *f = *state;

	for (int m = 0; m < M_COUNT; m++) {
		size_t len;

		print_message("misuse %d\n", m);
		sb_reset(&f->sb);
		jw_init(&f->w, &f->sb);
		misuse_run((enum misuse)m, &f->w);
		assert_false(jw_done(&f->w));
		if (m == M_UNFINISHED) {
			assert_null(f->w.err); /* not misuse, only not done yet */
			continue;
		}
		assert_non_null(f->w.err);
		/* Nothing more is written once it went wrong. */
		len = f->sb.len;
		jw_end_object(&f->w);
		jw_end_array(&f->w);
		jw_kv_str(&f->w, "x", "y");
		jw_str(&f->w, "z");
		assert_int_equal(f->sb.len, len);
		assert_false(jw_done(&f->w));
	}
}

/* What was written before the misuse stays; the misuse itself adds nothing. */
static void test_jsonw_misuse_writes_nothing(void **state)
{
	fixture *f = *state;

	jw_begin_object(&f->w);
	jw_kv_int(&f->w, "a", 1);
	jw_int(&f->w, 2); /* no key */
	assert_string_equal(f->w.err, "a value in an object without a key");
	assert_string_equal(sb_str(&f->sb), "{\"a\":1");
}

/* report_json through the writer: the README's status example, byte for byte. */
static void test_jsonw_report_status_bytes(void **state)
{
	static const plat_os raw = { 10, 0, 18362, 0, 0, false, true, "" };
	fixture *f = *state;
	os_info os;
	policy p;
	run_result r;

	os_classify(&raw, &os);
	memset(&p, 0, sizeof(p));
	p.prohibit_ipsec = -1;
	p.key = os.policy_key;
	memset(&r, 0, sizeof(r));
	r.command = "status";
	r.host = "VM";
	r.os = &os;
	r.pol = &p;
	report_json(&f->sb, &r);
	assert_string_equal(sb_str(&f->sb), "{\"version\":\"1.0.0\",\"command\":\"status\","
		"\"host\":\"VM\",\"os\":{\"name\":\"Windows 10\",\"major\":10,\"minor\":0,"
		"\"build\":18362,\"service_pack\":0,\"server\":false,\"bits\":64,"
		"\"supported\":true},\"policy\":{\"key\":"
		"\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\PolicyAgent\","
		"\"name\":\"AssumeUDPEncapsulationContextOnSendRule\",\"value\":null,"
		"\"state\":\"absent\",\"reboot_pending\":false,\"key_written_after_boot\":false,"
		"\"meaning\":\"not set (same as 0): no IPsec NAT-T with a server behind NAT\","
		"\"prohibit_ipsec\":null},\"services\":{\"PolicyAgent\":\"not found\","
		"\"IKEEXT\":\"not found\",\"RasMan\":\"not found\"},\"exit_code\":0}\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_jsonw_nesting_and_commas),
		T(test_jsonw_appends_and_scalars),
		T(test_jsonw_escaping),
		T(test_jsonw_numbers),
		T(test_jsonw_misuse_flagged),
		T(test_jsonw_misuse_writes_nothing),
		T(test_jsonw_report_status_bytes),
	};
	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
