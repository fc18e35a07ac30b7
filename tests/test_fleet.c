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

/* The exact bytes, text and JSON (the JSON is a contract: scripts and the
 * schema rely on it); these are what the report printed before its writer
 * was rewritten. */
static void test_fleet_report_bytes(void **state)
{
	static const char text[] =
		"nattcheck report: 3 result files in \\\\srv\\nat\n"
		"  works              2\n"
		"  needs-registry     1\n"
		"Hosts that need action:\n"
		"  PC2: needs-registry (2026-11-24T10:00:00Z)\n"
		"    vpn: needs-registry\n"
		"      Run nattcheck fix vpn\n"
		"Stale (older than 7 days):\n"
		"  PC3 (2026-10-01T10:00:00Z)\n"
		"Not readable as results (3):\n"
		"  PC5.json: not a nattcheck result (host, version, exit_code or verdict missing "
		"or wrong)\n"
		"  broken.json: unterminated string at byte 37\n"
		"  other.json: not a nattcheck result (host, version, exit_code or verdict missing "
		"or wrong)\n";
	static const char json[] =
		"{\"version\":\"1.0.0\",\"command\":\"report\",\"folder\":\"\\\\\\\\srv\\\\nat\","
		"\"results\":3,\"counts\":{\"works\":2,\"needs-registry\":1,\"reboot-pending\":0,"
		"\"no-natt\":0,\"blocked-udp4500\":0,\"proposal-rejected\":0,\"inconclusive\":0,"
		"\"blocked-udp500\":0,\"no-verdict\":0},\"action\":[{\"host\":\"PC2\","
		"\"verdict\":\"needs-registry\",\"time\":\"2026-11-24T10:00:00Z\",\"servers\":"
		"[{\"server\":\"vpn\",\"verdict\":\"needs-registry\",\"advice\":"
		"\"Run nattcheck fix vpn\"}]}],\"max_age_days\":7,\"stale\":[{\"host\":\"PC3\","
		"\"time\":\"2026-10-01T10:00:00Z\"}],\"bad_files\":[{\"file\":\"PC5.json\","
		"\"error\":\"not a nattcheck result (host, version, exit_code or verdict missing "
		"or wrong)\"},{\"file\":\"broken.json\",\"error\":\"unterminated string at byte "
		"37\"},{\"file\":\"other.json\",\"error\":\"not a nattcheck result (host, version, "
		"exit_code or verdict missing or wrong)\"}],\"exit_code\":0}\n";
	strbuf out, err;

	(void)state;
	fill_folder();
	sb_init(&out), sb_init(&err);
	assert_int_equal(fleet_report("\\\\srv\\nat", false, 7, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), text);
	sb_reset(&out);
	assert_int_equal(fleet_report("\\\\srv\\nat", true, 7, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), json);
	assert_int_equal(err.len, 0);
	sb_free(&out), sb_free(&err);
}

/* The platform lists every file; the report keeps *.json, in any case (as
 * Windows matches names), and hands the folder on as it was given. */
static void test_fleet_report_json_names_any_case(void **state)
{
	static const char *const names[] = { "PC6.JSON", "Pc7.Json", ".json", "x.json.bak",
		"y.jso", "json", "notes.txt" };
	static const char doc[] = "{\"version\":\"1.0.0\",\"host\":\"H\",\"exit_code\":0}";
	strbuf out, err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		fake_file_put("C:\\logs\\", names[i], doc, strlen(doc));
	sb_init(&out), sb_init(&err);
	assert_int_equal(fleet_report("C:\\logs\\", false, 7, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), "nattcheck report: 2 result files in C:\\logs\\\n"
		"  (status only)      2\n");
	sb_free(&out), sb_free(&err);
}

/* A file that cannot be read is listed with the platform's own words for
 * that read, taken when it failed: later reads (failing too) do not change
 * them. */
static void test_fleet_report_unreadable_files(void **state)
{
	static const char doc[] = "{\"version\":\"1.0.0\",\"host\":\"H\",\"exit_code\":0}";
	static char big[FLEET_MAX_FILE + 1];
	strbuf out, err;
	json_doc d;
	const json_node *bad;

	(void)state;
	put("a.json", doc);
	put("b.json", doc);
	memset(big, ' ', sizeof(big));
	fake_file_put("\\\\srv\\nat", "c.json", big, sizeof(big));
	put("d.json", doc);
	fake_file_fail("\\\\srv\\nat", "b.json", PLAT_EACCES);
	sb_init(&out), sb_init(&err);
	assert_int_equal(fleet_report("\\\\srv\\nat", false, 7, &out, &err), FLEET_OK);
	assert_non_null(strstr(sb_str(&out), "Not readable as results (2):\n"
		"  b.json: cannot open \\\\srv\\nat\\b.json: Access is denied. (0x00000005)\n"
		"  c.json: too large\n"));
	sb_reset(&out);
	assert_int_equal(fleet_report("\\\\srv\\nat", true, 7, &out, &err), FLEET_OK);
	assert_true(json_parse(&d, out.p, out.len));
	assert_int_equal((int)json_get(&d, &d.nodes[0], "results")->num, 2);
	bad = json_get(&d, &d.nodes[0], "bad_files");
	assert_string_equal(json_get_str(&d, json_at(&d, bad, 0), "error"),
		"cannot open \\\\srv\\nat\\b.json: Access is denied. (0x00000005)");
	assert_string_equal(json_get_str(&d, json_at(&d, bad, 1), "file"), "c.json");
	assert_null(json_at(&d, bad, 2));
	json_free(&d);
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
		T(test_fleet_report_bytes),
		T(test_fleet_report_json_names_any_case),
		T(test_fleet_report_unreadable_files),
	};
	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
