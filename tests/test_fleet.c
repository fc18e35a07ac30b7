/* test_fleet.c - timestamps and `report` over good, stale, corrupt and
 * foreign files in a (fake) result folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fake_platform.h"
#include "fleet.h"
#include "json.h"

#define UNIX0 116444736000000000ull /* 1970-01-01 as FILETIME */
#define DAY (86400ull * 10000000ull)

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void test_fleet_time_iso_vectors(void **state)
{
	char buf[32];
	uint64_t ft;

	(void)state;
	fleet_time_iso(UNIX0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	/* 2026-11-24T11:39:21Z = unix 1795520361 (date -d @1795520361 -u). */
	fleet_time_iso(UNIX0 + 1795520361ull * 10000000ull, buf);
	assert_string_equal(buf, "2026-11-24T11:39:21Z");
	fleet_time_iso(UNIX0 + 951782400ull * 10000000ull, buf); /* leap day 2000 */
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
	assert_true(fleet_time_parse("2026-11-24T11:39:21Z", &ft));
	assert_true(ft == UNIX0 + 1795520361ull * 10000000ull);
	assert_false(fleet_time_parse("2026-11-24 11:39:21Z", &ft));
	assert_false(fleet_time_parse("2026-13-24T11:39:21Z", &ft));
	assert_false(fleet_time_parse("2026-11-24T11:39:21", &ft));
	assert_false(fleet_time_parse("2026-11-24T11:39:21Zx", &ft));
	assert_false(fleet_time_parse(NULL, &ft));
	assert_false(fleet_time_parse("2026-02-31T00:00:00Z", &ft)); /* no such day */
	assert_false(fleet_time_parse("2026-+2-01T00:00:00Z", &ft));
	assert_false(fleet_time_parse("2026- 2-01T00:00:00Z", &ft));
	assert_false(fleet_time_parse("2026-11-24T11:39:60Z", &ft));
	assert_true(fleet_time_parse("2024-02-29T00:00:00Z", &ft));  /* leap day */
	assert_false(fleet_time_parse("2023-02-29T00:00:00Z", &ft));
}

static void put(const char *name, const char *text)
{
	fake_file_put("\\\\srv\\nat", name, text, strlen(text));
}

static void fill_folder(void)
{
	put("PC1.json", "{\"version\":\"1.0.0\",\"host\":\"PC1\",\"time\":\"2026-11-24T10:00:00Z\","
		"\"servers\":[{\"server\":\"vpn\",\"verdict\":\"works\",\"advice\":\"ok\"}],"
		"\"verdict\":\"works\",\"exit_code\":0}");
	put("PC2.json", "{\"version\":\"1.0.0\",\"host\":\"PC2\",\"time\":\"2026-11-24T10:00:00Z\","
		"\"servers\":[{\"server\":\"vpn\",\"verdict\":\"needs-registry\",\"advice\":"
		"\"Run nattcheck fix vpn\"}],\"verdict\":\"needs-registry\",\"exit_code\":1}");
	put("PC3.json", "{\"version\":\"1.0.0\",\"host\":\"PC3\",\"time\":\"2026-10-01T10:00:00Z\","
		"\"servers\":[],\"verdict\":\"works\",\"exit_code\":0}");
	put("broken.json", "{\"version\":\"1.0.0\",\"host\":\"PC4\",\"verd");
	put("other.json", "{\"hello\":\"world\"}");
	put("PC5.json", "{\"version\":\"1.0.0\",\"host\":\"PC5\",\"verdict\":\"bogus\",\"exit_code\":0}");
	put("notes.txt", "not a result");
	fake_set_times(UNIX0, UNIX0 + 1795520361ull * 10000000ull);
}

static void test_fleet_report_text(void **state)
{
	strbuf out, err;

	(void)state;
	fill_folder();
	sb_init(&out), sb_init(&err);
	assert_int_equal(fleet_report("\\\\srv\\nat", false, 7, &out, &err), 0);
	assert_non_null(strstr(sb_str(&out), "3 result files"));
	assert_non_null(strstr(sb_str(&out), "works              2"));
	assert_non_null(strstr(sb_str(&out), "needs-registry     1"));
	assert_non_null(strstr(sb_str(&out), "PC2: needs-registry"));
	assert_non_null(strstr(sb_str(&out), "Run nattcheck fix vpn"));
	assert_non_null(strstr(sb_str(&out), "PC3 (2026-10-01T10:00:00Z)"));
	assert_non_null(strstr(sb_str(&out), "broken.json"));
	assert_non_null(strstr(sb_str(&out), "other.json"));
	assert_non_null(strstr(sb_str(&out), "PC5.json"));
	assert_null(strstr(sb_str(&out), "notes.txt"));
	assert_null(strstr(sb_str(&out), "PC1:"));
	sb_free(&out), sb_free(&err);
}

static void test_fleet_report_json(void **state)
{
	strbuf out, err;
	json_doc d;
	const json_node *root;

	(void)state;
	fill_folder();
	sb_init(&out), sb_init(&err);
	assert_int_equal(fleet_report("\\\\srv\\nat", true, 7, &out, &err), 0);
	assert_true(json_parse(&d, out.p, out.len));
	root = &d.nodes[0];
	assert_int_equal((int)json_get(&d, root, "results")->num, 3);
	assert_int_equal((int)json_get(&d, json_get(&d, root, "counts"), "works")->num, 2);
	assert_int_equal((int)json_get(&d, json_get(&d, root, "counts"), "needs-registry")->num, 1);
	assert_string_equal(json_get_str(&d, json_at(&d, json_get(&d, root, "action"), 0), "host"),
		"PC2");
	assert_string_equal(json_get_str(&d, json_at(&d, json_get(&d, root, "stale"), 0), "host"),
		"PC3");
	assert_non_null(json_at(&d, json_get(&d, root, "bad_files"), 2));
	assert_null(json_at(&d, json_get(&d, root, "bad_files"), 3));
	json_free(&d);
	sb_free(&out), sb_free(&err);
}

static void test_fleet_report_missing_folder(void **state)
{
	strbuf out, err;

	(void)state;
	sb_init(&out), sb_init(&err);
	fake_dir_exists(false);
	assert_int_equal(fleet_report("Q:\\nope", false, 7, &out, &err), FLEET_NO_FOLDER);
	assert_non_null(strstr(sb_str(&err), "'Q:\\nope'"));
	assert_int_equal(out.len, 0);
	sb_free(&out), sb_free(&err);
}

#define T(f) cmocka_unit_test_setup(f, setup)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fleet_time_iso_vectors),
		T(test_fleet_report_text),
		T(test_fleet_report_json),
		T(test_fleet_report_missing_folder),
	};
	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
