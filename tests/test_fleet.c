/* test_fleet.c - timestamps and `report` over good, stale, corrupt and
 * foreign files in a (fake) result folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
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

/* fleet_report with the defaults of the command line (7 days, 20 names). */
static fleet_status report(const char *dir, fleet_format format, strbuf *out, strbuf *err)
{
	fleet_opts o = { format, 7, FLEET_DEFAULT_HOSTS_SHOWN };

	return fleet_report(dir, &o, out, err);
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
	assert_int_equal(report("\\\\srv\\nat", FLEET_TEXT, &out, &err), 0);
	assert_non_null(strstr(sb_str(&out), "3 result files"));
	assert_non_null(strstr(sb_str(&out), "works              2"));
	assert_non_null(strstr(sb_str(&out), "needs-registry     1"));
	assert_non_null(strstr(sb_str(&out), "  needs-registry: 1 host\n"));
	assert_non_null(strstr(sb_str(&out), "Advice: Run nattcheck fix vpn"));
	assert_non_null(strstr(sb_str(&out), "Hosts: PC2\n"));
	assert_non_null(strstr(sb_str(&out), "PC3 (2026-10-01T10:00:00Z)"));
	assert_non_null(strstr(sb_str(&out), "broken.json"));
	assert_non_null(strstr(sb_str(&out), "other.json"));
	assert_non_null(strstr(sb_str(&out), "PC5.json"));
	assert_null(strstr(sb_str(&out), "notes.txt"));
	assert_null(strstr(sb_str(&out), "PC1"));
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
	assert_int_equal(report("\\\\srv\\nat", FLEET_JSON, &out, &err), 0);
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
	assert_int_equal(report("Q:\\nope", FLEET_TEXT, &out, &err), FLEET_NO_FOLDER);
	assert_non_null(strstr(sb_str(&err), "'Q:\\nope'"));
	assert_int_equal(out.len, 0);
	sb_free(&out), sb_free(&err);
}

/* The exact bytes, text and JSON (the JSON is a contract: scripts and the
 * schema rely on it; its bytes are what the report printed before the
 * text was grouped). */
static void test_fleet_report_bytes(void **state)
{
	static const char text[] =
		"nattcheck report: 3 result files in \\\\srv\\nat\n"
		"  works              2\n"
		"  needs-registry     1\n"
		"Hosts that need action: 1\n"
		"  needs-registry: 1 host\n"
		"    Advice: Run nattcheck fix vpn\n"
		"    Hosts: PC2\n"
		"Stale (older than 7 days): 1\n"
		"    Hosts: PC3 (2026-10-01T10:00:00Z)\n"
		"Not readable as results: 3\n"
		"  not a nattcheck result: 2 files\n"
		"    Files: PC5.json, other.json\n"
		"  not JSON: changed while read or damaged: 1 file\n"
		"    Files: broken.json\n";
	static const char json[] =
		"{\"version\":\"1.0.0\",\"command\":\"report\",\"folder\":\"\\\\\\\\srv\\\\nat\","
		"\"results\":3,\"counts\":{\"works\":2,\"needs-registry\":1,\"reboot-pending\":0,"
		"\"no-natt\":0,\"blocked-udp4500\":0,\"proposal-rejected\":0,\"psk-mismatch\":0,\"phase2-rejected\":0,\"inconclusive\":0,"
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
	assert_int_equal(report("\\\\srv\\nat", FLEET_TEXT, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), text);
	sb_reset(&out);
	assert_int_equal(report("\\\\srv\\nat", FLEET_JSON, &out, &err), FLEET_OK);
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
	assert_int_equal(report("C:\\logs\\", FLEET_TEXT, &out, &err), FLEET_OK);
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
	assert_int_equal(report("\\\\srv\\nat", FLEET_TEXT, &out, &err), FLEET_OK);
	assert_non_null(strstr(sb_str(&out), "Not readable as results: 2\n"
		"  cannot be read: 1 file\n"
		"    The first: cannot open \\\\srv\\nat\\b.json: Access is denied. (0x00000005)\n"
		"    Files: b.json\n"
		"  too large for a result (over 256 KB): 1 file\n"
		"    Files: c.json\n"));
	sb_reset(&out);
	assert_int_equal(report("\\\\srv\\nat", FLEET_JSON, &out, &err), FLEET_OK);
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

/* ---- the grouped report and CSV over a generated fleet ---- */

#define ADVICE_A "Run nattcheck fix vpn.example.com as an administrator on each of these " \
	"hosts, then restart them: the value must be 2 for a server behind NAT."
#define ADVICE_B "UDP 500 to vpn2.example.com got no answer: a firewall, \"the\" router " \
	"or the server drops IKE."

/* A result as --log writes it (the fields report reads), with one server. */
static void put_result(const char *host, const char *time, const char *verdict,
	const char *advice)
{
	char name[300], doc[2048];

	snprintf(name, sizeof(name), "%s.json", host);
	snprintf(doc, sizeof(doc), "{\"version\":\"1.0.0\",\"command\":\"check\",\"host\":"
		"\"%s\",\"time\":\"%s\",\"os\":{\"name\":\"Windows 10\",\"major\":10},"
		"\"policy\":{\"value\":%s,\"reboot_pending\":%s},\"servers\":[{\"server\":"
		"\"vpn.example.com\",\"udp500\":\"answered\",\"server_behind_nat\":true,"
		"\"client_behind_nat\":null,\"udp4500\":\"answered\",\"required_value\":2,"
		"\"verdict\":\"%s\",\"advice\":\"", host, time,
		strcmp(verdict, "works") ? "null" : "2", strcmp(verdict, "works") ? "true" : "false",
		verdict);
	for (const char *a = advice; *a; a++) /* as JSON: quotes escaped */
		snprintf(doc + strlen(doc), sizeof(doc) - strlen(doc), "%s%c",
			*a == '"' ? "\\" : "", *a);
	snprintf(doc + strlen(doc), sizeof(doc) - strlen(doc), "\",\"elapsed_ms\":1500}],"
		"\"verdict\":\"%s\",\"exit_code\":%d}", verdict, strcmp(verdict, "works") ? 1 : 0);
	put(name, doc);
}

/* 30 hosts needing the registry, 6 with UDP 500 blocked, 4 that work, 2
 * stale, 1 damaged file: 43 files (the fake holds 64). */
static void fill_fleet(void)
{
	char host[32];
	int i;

	for (i = 1; i <= 30; i++) {
		snprintf(host, sizeof(host), "PC%02d", i);
		put_result(host, "2026-11-24T10:00:00Z", "needs-registry", ADVICE_A);
	}
	for (i = 31; i <= 36; i++) {
		snprintf(host, sizeof(host), "PC%02d", i);
		put_result(host, "2026-11-24T10:00:00Z", "blocked-udp500", ADVICE_B);
	}
	for (i = 37; i <= 40; i++) {
		snprintf(host, sizeof(host), "PC%02d", i);
		put_result(host, "2026-11-24T10:00:00Z", "works", "nothing to do");
	}
	put_result("OLD1", "2026-01-01T00:00:00Z", "works", "nothing to do");
	put_result("OLD2", "2026-01-02T00:00:00Z", "works", "nothing to do");
	put("torn.json", "{\"version\":\"1.0.0\",\"host\":\"PC99\",\"servers\":[{\"serv");
	fake_set_times(UNIX0, UNIX0 + 1795520361ull * 10000000ull);
}

static fleet_status report_n(fleet_format format, uint32_t shown, strbuf *out, strbuf *err)
{
	fleet_opts o = { format, 7, shown };

	return fleet_report("\\\\srv\\nat", &o, out, err);
}

/* Every line of text fits an 80-column console (79 and a newline). */
static void assert_fits_80(const char *text)
{
	for (const char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (nl - p > 79)
			fail_msg("line longer than 79: %.*s", (int)(nl - p), p);
	}
}

static void test_fleet_report_grouped(void **state)
{
	static const char text[] =
		"nattcheck report: 42 result files in \\\\srv\\nat\n"
		"  works              6\n"
		"  needs-registry     30\n"
		"  blocked-udp500     6\n"
		"Hosts that need action: 36\n"
		"  needs-registry: 30 hosts\n"
		"    Advice: Run nattcheck fix vpn.example.com as an administrator on each of\n"
		"    these hosts, then restart them: the value must be 2 for a server behind\n"
		"    NAT.\n"
		"    Hosts: PC01, PC02, PC03, PC04, PC05\n"
		"    ... and 25 more\n"
		"  blocked-udp500: 6 hosts\n"
		"    Advice: UDP 500 to vpn2.example.com got no answer: a firewall, \"the\" router\n"
		"    or the server drops IKE.\n"
		"    Hosts: PC31, PC32, PC33, PC34, PC35\n"
		"    ... and 1 more\n"
		"Stale (older than 7 days): 2\n"
		"    Hosts: OLD1 (2026-01-01T00:00:00Z), OLD2 (2026-01-02T00:00:00Z)\n"
		"Not readable as results: 1\n"
		"  not JSON: changed while read or damaged: 1 file\n"
		"    Files: torn.json\n";
	strbuf out, err;

	(void)state;
	fill_fleet();
	sb_init(&out), sb_init(&err);
	assert_int_equal(report_n(FLEET_TEXT, 5, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), text);
	assert_fits_80(sb_str(&out));
	/* all names, wrapped; none: only the count */
	sb_reset(&out);
	assert_int_equal(report_n(FLEET_TEXT, FLEET_MAX_HOSTS_SHOWN, &out, &err), FLEET_OK);
	assert_fits_80(sb_str(&out));
	assert_non_null(strstr(sb_str(&out), "    Hosts: PC01, PC02, PC03, PC04, PC05, PC06, PC07, "
		"PC08, PC09, PC10, PC11,\n    PC12, "));
	assert_non_null(strstr(sb_str(&out), "PC29, PC30\n  blocked-udp500: 6 hosts\n"));
	assert_null(strstr(sb_str(&out), "more\n"));
	sb_reset(&out);
	assert_int_equal(report_n(FLEET_TEXT, 0, &out, &err), FLEET_OK);
	assert_fits_80(sb_str(&out));
	assert_non_null(strstr(sb_str(&out), "NAT.\n    ... and 30 more\n  blocked-udp500"));
	assert_null(strstr(sb_str(&out), "Hosts: "));
	assert_int_equal(err.len, 0);
	assert_string_equal(fake_stderr(), ""); /* not a console: no progress */
	/* a console, but fewer than 1000 files: over too soon for one */
	fake_console_set(true);
	sb_reset(&out);
	assert_int_equal(report_n(FLEET_TEXT, 5, &out, &err), FLEET_OK);
	assert_string_equal(sb_str(&out), text);
	assert_string_equal(fake_stderr(), "");
	sb_free(&out), sb_free(&err);
}

/* Names longer than a line, a host with two servers that need the same
 * thing (counted once), a newline in a host name (a space on the screen),
 * a result with no server to say more (its own verdict). */
static void test_fleet_report_grouped_long_names(void **state)
{
	char host[200];
	strbuf out, err;

	(void)state;
	memset(host, 'W', 150);
	host[150] = '\0';
	put_result(host, "2026-11-24T10:00:00Z", "needs-registry", ADVICE_A);
	put("two.json", "{\"version\":\"1.0.0\",\"host\":\"TWO\",\"servers\":[{\"server\":\"a\","
		"\"verdict\":\"needs-registry\",\"advice\":\"x\"},{\"server\":\"b\",\"verdict\":"
		"\"needs-registry\",\"advice\":\"x\"}],\"verdict\":\"needs-registry\",\"exit_code\":1}");
	put("nl.json", "{\"version\":\"1.0.0\",\"host\":\"N\\nL\",\"servers\":[],"
		"\"verdict\":\"reboot-pending\",\"exit_code\":2}");
	fake_set_times(UNIX0, UNIX0 + 1795520361ull * 10000000ull);
	sb_init(&out), sb_init(&err);
	assert_int_equal(report_n(FLEET_TEXT, 20, &out, &err), FLEET_OK);
	assert_fits_80(sb_str(&out));
	assert_non_null(strstr(sb_str(&out), "  needs-registry: 1 host\n    Advice: x\n"
		"    Hosts: TWO\n"));
	assert_non_null(strstr(sb_str(&out), "  reboot-pending: 1 host\n"
		"    Advice: (none in the file)\n    Hosts: N L\n"));
	sb_free(&out), sb_free(&err);
}

/* RFC 4180 read back: fields of each CRLF-ended record; quoted fields with
 * doubled quotes.  Returns the number of records, cells[r][c] filled. */
#define CSV_MAX_ROWS 64
#define CSV_COLS 14
static int csv_read(const char *p, char *cells[CSV_MAX_ROWS][CSV_COLS], int *ncols)
{
	int row = 0, col = 0;

	while (*p) {
		char *cell = calloc(1, strlen(p) + 1), *o = cell;
		assert_non_null(cell);
		if (*p == '"') {
			for (p++;; p++) {
				assert_true(*p != '\0');
				if (*p == '"' && p[1] == '"')
					*o++ = '"', p++;
				else if (*p == '"')
					break;
				else
					*o++ = *p;
			}
			p++;
		} else {
			while (*p && *p != ',' && *p != '\r' && *p != '\n' && *p != '"')
				*o++ = *p++;
		}
		assert_true(row < CSV_MAX_ROWS && col < CSV_COLS);
		cells[row][col++] = cell;
		if (*p == ',') {
			p++;
		} else {
			assert_true(p[0] == '\r' && p[1] == '\n'); /* CRLF, nothing else */
			p += 2;
			ncols[row++] = col;
			col = 0;
		}
	}
	assert_int_equal(col, 0);
	return row;
}

static void test_fleet_report_csv(void **state)
{
	static const char head[] =
		"\xEF\xBB\xBFhost,time,os,key_value,reboot_pending,server,verdict,required_value,"
		"udp500,udp4500,server_behind_nat,client_behind_nat,elapsed_ms,advice\r\n"
		"OLD1,2026-01-01T00:00:00Z,Windows 10,2,false,vpn.example.com,works,2,answered,"
		"answered,true,,1500,nothing to do\r\n";
	static const char row31[] =
		"\r\nPC31,2026-11-24T10:00:00Z,Windows 10,,true,vpn.example.com,blocked-udp500,2,"
		"answered,answered,true,,1500,\"UDP 500 to vpn2.example.com got no answer: a firewall,"
		" \"\"the\"\" router or the server drops IKE.\"\r\n";
	char *cells[CSV_MAX_ROWS][CSV_COLS] = { { NULL } };
	int ncols[CSV_MAX_ROWS], rows, i, j;
	strbuf out, err;

	(void)state;
	fill_fleet();
	put("status.json", "{\"version\":\"1.0.0\",\"command\":\"status\",\"host\":\"ST,1\","
		"\"policy\":{\"value\":1,\"reboot_pending\":false},\"exit_code\":0}");
	/* not UTF-8 in the file: U+FFFD in the CSV */
	put("bin.json", "{\"version\":\"1.0.0\",\"host\":\"B\xff\",\"exit_code\":0}");
	sb_init(&out), sb_init(&err);
	assert_int_equal(report_n(FLEET_CSV, 20, &out, &err), FLEET_OK);
	assert_memory_equal(out.p, head, sizeof(head) - 1);
	assert_non_null(strstr(sb_str(&out), row31));
	assert_non_null(strstr(sb_str(&out), "\r\n\"ST,1\",,,1,false,,,,,,,,,\r\n"));
	assert_non_null(strstr(fake_stderr(), "1 file not readable as results"));
	assert_non_null(strstr(sb_str(&out), "\r\nB\xEF\xBF\xBD,,,,,,,,,,,,,\r\n"));
	/* read back: header + 44 results (one server each; none for status) */
	rows = csv_read(out.p + 3, cells, ncols);
	assert_int_equal(rows, 1 + 44);
	for (i = 0; i < rows; i++)
		assert_int_equal(ncols[i], CSV_COLS);
	assert_string_equal(cells[0][13], "advice");
	for (i = 1; i < rows && strcmp(cells[i][0], "PC31") != 0; i++)
		;
	assert_true(i < rows);
	assert_string_equal(cells[i][6], "blocked-udp500");
	assert_string_equal(cells[i][13], ADVICE_B);
	for (i = 0; i < rows; i++)
		for (j = 0; j < ncols[i]; j++)
			free(cells[i][j]);
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
		T(test_fleet_report_grouped),
		T(test_fleet_report_grouped_long_names),
		T(test_fleet_report_csv),
	};
	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
