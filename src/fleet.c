/* fleet.c - timestamps and the `report` summary over a folder of results. */
#include "fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "json.h"
#include "platform.h"
#include "report.h"
#include "version.h"

#define FT_PER_SEC 10000000ull
/* Seconds from 1601-01-01 to 1970-01-01. */
#define EPOCH_DIFF 11644473600ull

/* Days since 1970-01-01 <-> civil date (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void fleet_time_iso(uint64_t ft, char out[32])
{
	uint64_t secs = ft / FT_PER_SEC;
	int64_t unix_s, days, rem;
	unsigned m, d;
	int y;

	unix_s = secs >= EPOCH_DIFF ? (int64_t)(secs - EPOCH_DIFF) : 0;
	days = unix_s / 86400;
	rem = unix_s % 86400;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02u-%02uT%02u:%02u:%02uZ", y, m, d, (unsigned)(rem / 3600),
		(unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

/* n digits at s -> value; false unless all are ASCII digits. */
static bool digits(const char *s, int n, unsigned *out)
{
	int i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Exactly "YYYY-MM-DDTHH:MM:SSZ", a real date, 1970 or later. */
bool fleet_time_parse(const char *s, uint64_t *ft)
{
	unsigned y, mo, d, h, mi, se;

	if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || se > 59)
		return false;
	*ft = ((uint64_t)days_from_civil((int)y, mo, d) * 86400 + h * 3600 + mi * 60 + se +
	       EPOCH_DIFF) * FT_PER_SEC;
	return true;
}

/* ---- report ---------------------------------------------------------------- */

#define MAX_FILES 100000

typedef struct fleet {
	const char *dir;
	char **names;
	size_t n, cap;
	bool oom;
} fleet;

static void collect(void *ctx, const char *name)
{
	fleet *f = ctx;
	char **nn;
	size_t len;

	if (f->oom || f->n >= MAX_FILES)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		if (!(nn = realloc(f->names, cap * sizeof(*nn))))
			return (void)(f->oom = true);
		f->names = nn;
		f->cap = cap;
	}
	len = strlen(name) + 1;
	if (!(f->names[f->n] = malloc(len)))
		return (void)(f->oom = true);
	memcpy(f->names[f->n++], name, len);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct tally {
	unsigned counts[V_COUNT];
	unsigned status_only, good, bad, stale;
	strbuf action, stale_list, bad_list; /* text or JSON fragments */
} tally;

static int verdict_from_name(const char *s)
{
	int v;

	for (v = 0; v < V_COUNT; v++)
		if (s && strcmp(verdict_name((verdict)v), s) == 0)
			return v;
	return -1;
}

static void note_bad(tally *t, bool json, const char *file, const char *why)
{
	t->bad++;
	if (json) {
		sb_add(&t->bad_list, t->bad > 1 ? ",{\"file\":" : "{\"file\":");
		sb_json_str(&t->bad_list, file);
		sb_add(&t->bad_list, ",\"error\":");
		sb_json_str(&t->bad_list, why);
		sb_add(&t->bad_list, "}");
	} else {
		sb_addf(&t->bad_list, "  %s: %s\n", file, why);
	}
}

static void note_action(tally *t, bool json, const json_doc *doc, const char *host,
	const char *verdict_s, const char *time)
{
	const json_node *servers = json_get(doc, &doc->nodes[0], "servers"), *s;
	int i;

	if (json) {
		sb_add(&t->action, t->action.len ? ",{\"host\":" : "{\"host\":");
		sb_json_str(&t->action, host);
		sb_add(&t->action, ",\"verdict\":");
		sb_json_str(&t->action, verdict_s);
		sb_add(&t->action, ",\"time\":");
		sb_json_str(&t->action, time);
		sb_add(&t->action, ",\"servers\":[");
	} else {
		sb_addf(&t->action, "  %s: %s%s%s%s\n", host, verdict_s, time ? " (" : "",
			time ? time : "", time ? ")" : "");
	}
	for (i = 0; (s = json_at(doc, servers, i)) != NULL; i++) {
		const char *name = json_get_str(doc, s, "server"), *v = json_get_str(doc, s, "verdict"),
			   *adv = json_get_str(doc, s, "advice");
		if (json) {
			sb_add(&t->action, i ? ",{\"server\":" : "{\"server\":");
			sb_json_str(&t->action, name);
			sb_add(&t->action, ",\"verdict\":");
			sb_json_str(&t->action, v);
			sb_add(&t->action, ",\"advice\":");
			sb_json_str(&t->action, adv);
			sb_add(&t->action, "}");
		} else if (v && strcmp(v, "works") != 0) {
			sb_addf(&t->action, "    %s: %s\n", name ? name : "?", v);
			if (adv)
				report_wrap(&t->action, adv, 6, 79);
		}
	}
	if (json)
		sb_add(&t->action, "]}");
}

static void one_file(tally *t, bool json, const char *file, const char *text, size_t len,
	uint64_t now, uint32_t max_age_days)
{
	json_doc doc;
	const json_node *root, *code;
	const char *host, *v, *time;
	uint64_t ft;
	int vi;

	if (!json_parse(&doc, text, len)) {
		note_bad(t, json, file, doc.err[0] ? doc.err : "not valid JSON");
		json_free(&doc);
		return;
	}
	root = &doc.nodes[0];
	host = json_get_str(&doc, root, "host");
	v = json_get_str(&doc, root, "verdict");
	time = json_get_str(&doc, root, "time");
	code = json_get(&doc, root, "exit_code");
	vi = verdict_from_name(v);
	if (root->type != JSON_OBJECT || !host || !code || code->type != JSON_NUMBER ||
	    !json_get_str(&doc, root, "version") || (v && vi < 0)) {
		note_bad(t, json, file, "not a nattcheck result (host, version, exit_code "
			"or verdict missing or wrong)");
		json_free(&doc);
		return;
	}
	t->good++;
	if (time && fleet_time_parse(time, &ft) &&
	    now > ft + (uint64_t)max_age_days * 86400 * FT_PER_SEC) {
		t->stale++;
		if (json) {
			sb_add(&t->stale_list, t->stale > 1 ? ",{\"host\":" : "{\"host\":");
			sb_json_str(&t->stale_list, host);
			sb_add(&t->stale_list, ",\"time\":");
			sb_json_str(&t->stale_list, time);
			sb_add(&t->stale_list, "}");
		} else {
			sb_addf(&t->stale_list, "  %s (%s)\n", host, time);
		}
	}
	if (vi < 0)
		t->status_only++;
	else
		t->counts[vi]++;
	if (vi > 0)
		note_action(t, json, &doc, host, v, time);
	json_free(&doc);
}

static void emit(const tally *t, const char *dir, bool json, uint32_t max_age, strbuf *out)
{
	int v;

	if (json) {
		sb_add(out, "{\"version\":\"" NATTCHECK_VERSION "\",\"command\":\"report\",\"folder\":");
		sb_json_str(out, dir);
		sb_addf(out, ",\"results\":%u,\"counts\":{", t->good);
		for (v = 0; v < V_COUNT; v++)
			sb_addf(out, "%s\"%s\":%u", v ? "," : "", verdict_name((verdict)v), t->counts[v]);
		sb_addf(out, ",\"no-verdict\":%u},\"action\":[%s],\"max_age_days\":%u,"
			"\"stale\":[%s],\"bad_files\":[%s],\"exit_code\":0}\n", t->status_only,
			sb_str(&t->action), (unsigned)max_age, sb_str(&t->stale_list),
			sb_str(&t->bad_list));
		return;
	}
	sb_addf(out, "nattcheck report: %u result file%s in %s\n", t->good, t->good == 1 ? "" : "s",
		dir);
	for (v = 0; v < V_COUNT; v++)
		if (t->counts[v])
			sb_addf(out, "  %-18s %u\n", verdict_name((verdict)v), t->counts[v]);
	if (t->status_only)
		sb_addf(out, "  %-18s %u\n", "(status only)", t->status_only);
	if (t->action.len)
		sb_addf(out, "Hosts that need action:\n%s", sb_str(&t->action));
	if (t->stale)
		sb_addf(out, "Stale (older than %u days):\n%s", (unsigned)max_age,
			sb_str(&t->stale_list));
	if (t->bad)
		sb_addf(out, "Not readable as results (%u):\n%s", t->bad, sb_str(&t->bad_list));
}

fleet_status fleet_report(const char *dir, bool json, uint32_t max_age_days, strbuf *out,
	strbuf *err)
{
	fleet f = { dir, NULL, 0, 0, false };
	tally t;
	char *buf = malloc(FLEET_MAX_FILE);
	uint64_t now = 0;
	plat_status st;
	size_t i, len;
	fleet_status rc = FLEET_OK;

	memset(&t, 0, sizeof(t));
	if (!buf) {
		sb_add(err, "out of memory");
		return FLEET_FAILED;
	}
	st = plat_dir_list(dir, collect, &f);
	if (st != PLAT_OK) {
		sb_addf(err, "report: cannot read the folder '%s': %s", dir, plat_strerror());
		rc = st == PLAT_ENOTFOUND ? FLEET_NO_FOLDER : st == PLAT_EACCES ? FLEET_DENIED :
		     FLEET_FAILED;
		goto out;
	}
	(void)plat_system_time(&now);
	qsort(f.names, f.n, sizeof(*f.names), cmp_name);
	for (i = 0; i < f.n; i++) {
		strbuf path;
		sb_init(&path);
		sb_addf(&path, "%s%s%s", dir, dir[0] && strchr("\\/", dir[strlen(dir) - 1]) ? "" :
			"\\", f.names[i]);
		st = plat_file_read(sb_str(&path), buf, FLEET_MAX_FILE, &len);
		if (st == PLAT_OK)
			one_file(&t, json, f.names[i], buf, len, now, max_age_days);
		else
			note_bad(&t, json, f.names[i], st == PLAT_EMSGSIZE ? "too large" : plat_strerror());
		sb_free(&path);
	}
	emit(&t, dir, json, max_age_days, out);
out:
	for (i = 0; i < f.n; i++)
		free(f.names[i]);
	free(f.names);
	free(buf);
	sb_free(&t.action);
	sb_free(&t.stale_list);
	sb_free(&t.bad_list);
	return rc;
}
