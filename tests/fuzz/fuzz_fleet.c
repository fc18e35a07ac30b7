/* fuzz_fleet.c - libFuzzer harness: `report` over a --log folder holding
 * one fuzzed result file (written by another machine, so untrusted), and
 * fleet_time_parse on the input as a string.
 *
 * Checks: the report never fails on a bad file; its --json output is one
 * valid JSON document in valid UTF-8 (sb_json_str promises that, whatever
 * bytes the file held) that counts the file exactly once, as a result or
 * as a bad file; a time that parses prints back as a time that parses to
 * the same instant. */
#include <stdint.h>
#include <string.h>

#include "fake_platform.h"
#include "fleet.h"
#include "fuzz_util.h"
#include "json.h"

#define DIR "C:\\logs"
/* 2026-11-24T11:39:21Z */
#define NOW_FT 134399939610000000ull

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, at most U+10FFFF. */
static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
			(c & 0xf8) == 0xf0 ? 3 : 9;
		uint32_t cp = k == 0 ? c : k == 1 ? c & 0x1fu : k == 2 ? c & 0x0fu : c & 0x07u;

		if (k == 9 || n - i - 1 < k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3fu);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
			cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

static double num(const json_doc *d, const char *key)
{
	const json_node *n = json_get(d, &d->nodes[0], key);

	FUZZ_CHECK(n != NULL && n->type == JSON_NUMBER);
	return n->num;
}

static int count(const json_doc *d, const char *key)
{
	const json_node *a = json_get(d, &d->nodes[0], key);
	int k = 0;

	FUZZ_CHECK(a != NULL && a->type == JSON_ARRAY);
	while (json_at(d, a, k))
		k++;
	return k;
}

static void check_report(const uint8_t *data, size_t size)
{
	static const fleet_opts json_opts = { FLEET_JSON, 7, 20 }, text_opts = { FLEET_TEXT, 7, 20 },
		csv_opts = { FLEET_CSV, 7, 20 };
	strbuf out, err;
	json_doc doc;
	int rc;

	fake_files_reset();
	fake_file_put(DIR, "HOST.json", (const char *)data, size);

	sb_init(&out);
	sb_init(&err);
	rc = fleet_report(DIR, &json_opts, &out, &err);
	FUZZ_CHECK(rc == 0 && err.len == 0);
	FUZZ_CHECK(utf8_valid((const uint8_t *)sb_str(&out), out.len));
	if (!json_parse(&doc, sb_str(&out), out.len)) {
		fprintf(stderr, "report --json output does not parse: %s\n%s\n", doc.err,
			sb_str(&out));
		abort();
	}
	FUZZ_CHECK(doc.nodes[0].type == JSON_OBJECT);
	FUZZ_CHECK(num(&doc, "results") + count(&doc, "bad_files") == 1);
	FUZZ_CHECK(count(&doc, "stale") <= 1 && count(&doc, "action") <= 1);
	json_free(&doc);

	sb_reset(&out);
	rc = fleet_report(DIR, &text_opts, &out, &err);
	FUZZ_CHECK(rc == 0 && err.len == 0 && out.len > 0);
	sb_reset(&out);
	rc = fleet_report(DIR, &csv_opts, &out, &err);
	FUZZ_CHECK(rc == 0 && err.len == 0 && out.len > 0);
	FUZZ_CHECK(utf8_valid((const uint8_t *)sb_str(&out), out.len));
	sb_free(&out);
	sb_free(&err);
}

static void check_time(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), iso[32];
	uint64_t ft = 0, ft2 = 0;

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (fleet_time_parse(s, &ft)) {
		fleet_time_iso(ft, iso);
		FUZZ_CHECK(memchr(iso, '\0', sizeof(iso)) != NULL);
		/* 9999-12-31T23:59:60Z prints as year 10000, which is no longer the form */
		if (strlen(iso) == 20) {
			FUZZ_CHECK(fleet_time_parse(iso, &ft2));
			FUZZ_CHECK(ft2 == ft);
		}
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;

	if (!init) {
		fake_reset();
		init = true;
	}
	fake_set_times(NOW_FT - 3600ull * 10000000ull, NOW_FT);
	check_report(data, size);
	check_time(data, size);
	return 0;
}
