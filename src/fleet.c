/* fleet.c - timestamps and the `report` summary over a folder of results. */
#include "fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "json.h"
#include "jsonw.h"
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

/* arr (of elements of size bytes, room for *cap) with room for n + 1:
 * arr itself, or a larger copy; NULL when out of memory (arr is kept). */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (!(p = realloc(arr, ncap * size)))
		return NULL;
	*cap = ncap;
	return p;
}

/* A copy of s (NULL stays NULL); *oom is set when it cannot be made. */
static char *dup_str(const char *s, bool *oom)
{
	char *d;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if (!(d = malloc(n))) {
		*oom = true;
		return NULL;
	}
	return memcpy(d, s, n);
}

/* Windows matches names without regard to case: "PC1.JSON" is a result. */
static bool is_json_name(const char *name)
{
	size_t n = strlen(name);
	const char *ext = ".json";

	if (n <= 5)
		return false;
	for (size_t i = 0; i < 5; i++) {
		char c = name[n - 5 + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return false;
	}
	return true;
}

typedef struct names {
	char **v;
	size_t n, cap;
	bool oom;
} names;

/* plat_dir_list's callback: keeps the names of result files. */
static void collect(void *ctx, const char *name)
{
	names *f = ctx;
	char **v;

	if (f->oom || f->n >= MAX_FILES || !is_json_name(name))
		return;
	if (!(v = grow(f->v, &f->cap, f->n, sizeof(*f->v)))) {
		f->oom = true;
		return;
	}
	f->v = v;
	if ((f->v[f->n] = dup_str(name, &f->oom)) != NULL)
		f->n++;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What one file said, in the order the files were read.  A file is either
 * a result (host set) or not readable as one (why set). */
typedef struct server_rec {
	char *server, *verdict, *advice;
} server_rec;

typedef struct file_rec {
	char *file, *why;            /* why: not a result, and why */
	char *host, *verdict, *time; /* a result; verdict NULL: status only */
	int vi;                      /* verdict index, -1 for none */
	bool stale;
	server_rec *servers;         /* kept when it needs action (vi > 0) */
	size_t nservers;
} file_rec;

typedef struct tally {
	file_rec *f;
	size_t n, cap;
	bool oom;
	unsigned counts[V_COUNT];
	unsigned results, status_only, bad, stale, action;
} tally;

static int verdict_from_name(const char *s)
{
	int v;

	for (v = 0; v < V_COUNT; v++)
		if (s && strcmp(verdict_name((verdict)v), s) == 0)
			return v;
	return -1;
}

/* A new record for file, or NULL when out of memory. */
static file_rec *add_rec(tally *t, const char *file)
{
	file_rec *r;

	if (t->oom || !(r = grow(t->f, &t->cap, t->n, sizeof(*t->f)))) {
		t->oom = true;
		return NULL;
	}
	t->f = r;
	r = &t->f[t->n++];
	memset(r, 0, sizeof(*r));
	r->vi = -1;
	r->file = dup_str(file, &t->oom);
	return r;
}

static void note_bad(tally *t, const char *file, const char *why)
{
	file_rec *r = add_rec(t, file);

	if (r != NULL) {
		r->why = dup_str(why, &t->oom);
		t->bad++;
	}
}

/* The servers of a result that needs action, as the file lists them. */
static void keep_servers(tally *t, file_rec *r, const json_doc *doc)
{
	const json_node *servers = json_get(doc, &doc->nodes[0], "servers"), *s;
	size_t cap = 0;

	for (int i = 0; (s = json_at(doc, servers, i)) != NULL; i++) {
		server_rec *sr = grow(r->servers, &cap, r->nservers, sizeof(*r->servers));
		if (sr == NULL) {
			t->oom = true;
			return;
		}
		r->servers = sr;
		sr = &r->servers[r->nservers++];
		sr->server = dup_str(json_get_str(doc, s, "server"), &t->oom);
		sr->verdict = dup_str(json_get_str(doc, s, "verdict"), &t->oom);
		sr->advice = dup_str(json_get_str(doc, s, "advice"), &t->oom);
	}
}

static void one_file(tally *t, const char *file, const char *text, size_t len, uint64_t now,
	uint32_t max_age_days)
{
	json_doc doc;
	const json_node *root, *code;
	const char *host, *v, *time;
	file_rec *r;
	uint64_t ft;
	int vi;

	if (!json_parse(&doc, text, len)) {
		note_bad(t, file, doc.err[0] ? doc.err : "not valid JSON");
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
		note_bad(t, file, "not a nattcheck result (host, version, exit_code "
			"or verdict missing or wrong)");
		json_free(&doc);
		return;
	}
	if ((r = add_rec(t, file)) != NULL) {
		t->results++;
		r->host = dup_str(host, &t->oom);
		r->verdict = dup_str(v, &t->oom);
		r->time = dup_str(time, &t->oom);
		r->vi = vi;
		r->stale = time && fleet_time_parse(time, &ft) &&
			   now > ft + (uint64_t)max_age_days * 86400 * FT_PER_SEC;
		if (r->stale)
			t->stale++;
		if (vi < 0)
			t->status_only++;
		else
			t->counts[vi]++;
		if (vi > 0) {
			t->action++;
			keep_servers(t, r, &doc);
		}
	}
	json_free(&doc);
}

/* "stale" ({host, time} of each stale result) or "bad_files" ({file,
 * error} of each file that is not one). */
static void json_two_field_list(jw *w, const tally *t, bool bad)
{
	jw_key(w, bad ? "bad_files" : "stale");
	jw_begin_array(w);
	for (size_t i = 0; i < t->n; i++) {
		const file_rec *r = &t->f[i];
		if (bad ? r->why == NULL : !r->stale)
			continue;
		jw_begin_object(w);
		jw_kv_str(w, bad ? "file" : "host", bad ? r->file : r->host);
		jw_kv_str(w, bad ? "error" : "time", bad ? r->why : r->time);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void emit_json(const tally *t, const char *dir, uint32_t max_age, strbuf *out)
{
	jw w;
	size_t i, k;

	jw_init(&w, out);
	jw_begin_object(&w);
	jw_kv_str(&w, "version", NATTCHECK_VERSION);
	jw_kv_str(&w, "command", "report");
	jw_kv_str(&w, "folder", dir);
	jw_kv_uint(&w, "results", t->results);
	jw_key(&w, "counts");
	jw_begin_object(&w);
	for (int v = 0; v < V_COUNT; v++)
		jw_kv_uint(&w, verdict_name((verdict)v), t->counts[v]);
	jw_kv_uint(&w, "no-verdict", t->status_only);
	jw_end_object(&w);
	jw_key(&w, "action");
	jw_begin_array(&w);
	for (i = 0; i < t->n; i++) {
		const file_rec *r = &t->f[i];
		if (r->vi <= 0)
			continue;
		jw_begin_object(&w);
		jw_kv_str(&w, "host", r->host);
		jw_kv_str(&w, "verdict", r->verdict);
		jw_kv_str(&w, "time", r->time);
		jw_key(&w, "servers");
		jw_begin_array(&w);
		for (k = 0; k < r->nservers; k++) {
			jw_begin_object(&w);
			jw_kv_str(&w, "server", r->servers[k].server);
			jw_kv_str(&w, "verdict", r->servers[k].verdict);
			jw_kv_str(&w, "advice", r->servers[k].advice);
			jw_end_object(&w);
		}
		jw_end_array(&w);
		jw_end_object(&w);
	}
	jw_end_array(&w);
	jw_kv_uint(&w, "max_age_days", max_age);
	json_two_field_list(&w, t, false);
	json_two_field_list(&w, t, true);
	jw_kv_int(&w, "exit_code", 0);
	jw_end_object(&w);
	sb_add(out, "\n");
}

static void emit_text(const tally *t, const char *dir, uint32_t max_age, strbuf *out)
{
	size_t i, k;

	sb_addf(out, "nattcheck report: %u result file%s in %s\n", t->results,
		t->results == 1 ? "" : "s", dir);
	for (int v = 0; v < V_COUNT; v++)
		if (t->counts[v])
			sb_addf(out, "  %-18s %u\n", verdict_name((verdict)v), t->counts[v]);
	if (t->status_only)
		sb_addf(out, "  %-18s %u\n", "(status only)", t->status_only);
	if (t->action)
		sb_add(out, "Hosts that need action:\n");
	for (i = 0; i < t->n; i++) {
		const file_rec *r = &t->f[i];
		if (r->vi <= 0)
			continue;
		sb_addf(out, "  %s: %s%s%s%s\n", r->host, r->verdict, r->time ? " (" : "",
			r->time ? r->time : "", r->time ? ")" : "");
		for (k = 0; k < r->nservers; k++) {
			const server_rec *s = &r->servers[k];
			if (!s->verdict || strcmp(s->verdict, "works") == 0)
				continue;
			sb_addf(out, "    %s: %s\n", s->server ? s->server : "?", s->verdict);
			if (s->advice)
				report_wrap(out, s->advice, 6, 79);
		}
	}
	if (t->stale)
		sb_addf(out, "Stale (older than %u days):\n", (unsigned)max_age);
	for (i = 0; i < t->n; i++)
		if (t->f[i].stale)
			sb_addf(out, "  %s (%s)\n", t->f[i].host, t->f[i].time);
	if (t->bad)
		sb_addf(out, "Not readable as results (%u):\n", t->bad);
	for (i = 0; i < t->n; i++)
		if (t->f[i].why)
			sb_addf(out, "  %s: %s\n", t->f[i].file, t->f[i].why);
}

static void tally_free(tally *t)
{
	for (size_t i = 0; i < t->n; i++) {
		file_rec *r = &t->f[i];
		for (size_t k = 0; k < r->nservers; k++) {
			free(r->servers[k].server);
			free(r->servers[k].verdict);
			free(r->servers[k].advice);
		}
		free(r->servers);
		free(r->file), free(r->why), free(r->host), free(r->verdict), free(r->time);
	}
	free(t->f);
}

fleet_status fleet_report(const char *dir, bool json, uint32_t max_age_days, strbuf *out,
	strbuf *err)
{
	names f = { NULL, 0, 0, false };
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
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), cmp_name);
	for (i = 0; i < f.n; i++) {
		st = plat_file_read(dir, f.v[i], buf, FLEET_MAX_FILE, &len);
		if (st == PLAT_OK)
			one_file(&t, f.v[i], buf, len, now, max_age_days);
		else
			note_bad(&t, f.v[i], st == PLAT_EMSGSIZE ? "too large" : plat_strerror());
	}
	if (f.oom || t.oom) {
		sb_add(err, "report: out of memory");
		rc = FLEET_FAILED;
	} else if (json) {
		emit_json(&t, dir, max_age_days, out);
	} else {
		emit_text(&t, dir, max_age_days, out);
	}
out:
	for (i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	free(buf);
	tally_free(&t);
	return rc;
}
