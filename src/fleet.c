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
#define PROGRESS_EVERY 1000u

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

/* c as a line of text shows it: control characters (a newline in a host
 * name from a foreign file) become spaces, so the layout holds. */
static char line_char(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c;
}

static char *dup_line(const char *s, bool *oom)
{
	char *d = dup_str(s, oom);

	for (char *p = d; p && *p; p++)
		*p = line_char(*p);
	return d;
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

/* Appends a copy of s (as a line of text: dup_line) to l; false when out
 * of memory. */
static bool names_add(names *l, const char *s, bool line)
{
	char **v;

	if (l->oom || !(v = grow(l->v, &l->cap, l->n, sizeof(*l->v)))) {
		l->oom = true;
		return false;
	}
	l->v = v;
	if ((l->v[l->n] = line ? dup_line(s, &l->oom) : dup_str(s, &l->oom)) != NULL)
		l->n++;
	return !l->oom;
}

static void names_free(names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* plat_dir_list's callback: keeps the names of result files. */
static void collect(void *ctx, const char *name)
{
	names *f = ctx;

	if (f->n < MAX_FILES && is_json_name(name))
		(void)names_add(f, name, false);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What --json lists of one file, in the order the files were read: a
 * result that needs action or is stale, or a file that is not one (why
 * set).  Results that are neither are counted, not kept. */
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

/* The text report's blocks: hosts needing action by (verdict, advice),
 * stale hosts, unreadable files by what is wrong with them.  A block
 * counts every member and keeps the names of the first hosts_shown. */
enum { G_ACTION, G_STALE, G_BAD };

typedef struct group {
	int kind;
	char *verdict, *advice;      /* G_ACTION: the server's; G_BAD: advice = why */
	char *example;               /* G_BAD read failures: the first one's words */
	uint32_t hash;
	size_t seq;                  /* made as the seq-th group */
	unsigned count;
	size_t last;                 /* the file last counted (+1), not to count twice */
	names shown;                 /* the names of the first hosts_shown */
} group;

typedef struct tally {
	const fleet_opts *o;
	file_rec *f;                 /* --json */
	size_t n, cap;
	group *g;                    /* text */
	size_t ng, gcap;
	strbuf *csv;                 /* --csv: rows go out as files are read */
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

/* ---- text groups ---- */

static uint32_t hash_str(uint32_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)line_char(*s)) * 16777619u;
	return (h ^ 0xff) * 16777619u; /* NULL and "" differ from a shifted split */
}

/* Whether kept (a dup_line copy) is raw as a line of text. */
static bool line_eq(const char *kept, const char *raw)
{
	if (!kept || !raw)
		return kept == raw;
	for (; *kept && line_char(*raw) == *kept; kept++, raw++)
		;
	return *kept == '\0' && *raw == '\0';
}

/* The group of (kind, verdict, advice), made when new; NULL when out of
 * memory. */
static group *group_of(tally *t, int kind, const char *vname, const char *advice)
{
	uint32_t h = hash_str(hash_str(2166136261u ^ (uint32_t)kind, vname), advice);
	group *g;

	for (size_t i = 0; i < t->ng; i++) {
		g = &t->g[i];
		if (g->hash == h && g->kind == kind && line_eq(g->verdict, vname) &&
		    line_eq(g->advice, advice))
			return g;
	}
	if (t->oom || !(g = grow(t->g, &t->gcap, t->ng, sizeof(*t->g)))) {
		t->oom = true;
		return NULL;
	}
	t->g = g;
	g = &t->g[t->ng++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->hash = h;
	g->seq = t->ng - 1;
	g->verdict = dup_line(vname, &t->oom);
	g->advice = dup_line(advice, &t->oom);
	return g;
}

/* Counts file number fileno (0-based) with this name in g once. */
static void group_add(tally *t, group *g, size_t fileno, const char *name)
{
	if (g == NULL || g->last == fileno + 1)
		return;
	g->last = fileno + 1;
	g->count++;
	if (g->shown.n < t->o->hosts_shown && !names_add(&g->shown, name, true))
		t->oom = true;
}

/* ---- records ---- */

/* A new --json record for file, or NULL when out of memory. */
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

/* How the text report groups unreadable files. */
#define WHY_DAMAGED "not JSON: changed while read or damaged"
#define WHY_FOREIGN "not a nattcheck result (host, version, exit_code or verdict missing or wrong)"
#define WHY_FOREIGN_SHORT "not a nattcheck result"
#define WHY_TOO_LARGE "too large for a result (over 256 KB)"
#define WHY_UNREADABLE "cannot be read"

/* why: the words --json gives; kind: the text report's group. */
static void note_bad(tally *t, size_t fileno, const char *file, const char *why,
	const char *kind)
{
	t->bad++;
	if (t->o->format == FLEET_JSON) {
		file_rec *r = add_rec(t, file);
		if (r != NULL)
			r->why = dup_str(why, &t->oom);
	} else if (t->o->format == FLEET_TEXT) {
		group *g = group_of(t, G_BAD, NULL, kind);
		if (g != NULL && g->count == 0 && strcmp(kind, WHY_UNREADABLE) == 0)
			g->example = dup_line(why, &t->oom);
		group_add(t, g, fileno, file);
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

/* The text groups of a result that needs action: one per distinct
 * (verdict, advice) of its servers that do not work; its own verdict
 * when no server says more. */
static void group_servers(tally *t, size_t fileno, const json_doc *doc, const char *host,
	const char *vname)
{
	const json_node *servers = json_get(doc, &doc->nodes[0], "servers"), *s;
	bool any = false;

	for (int i = 0; (s = json_at(doc, servers, i)) != NULL; i++) {
		const char *v = json_get_str(doc, s, "verdict");
		if (!v || strcmp(v, "works") == 0)
			continue;
		group_add(t, group_of(t, G_ACTION, v, json_get_str(doc, s, "advice")), fileno, host);
		any = true;
	}
	if (!any)
		group_add(t, group_of(t, G_ACTION, vname, NULL), fileno, host);
}

/* ---- CSV (RFC 4180) ---- */

static const char *const csv_columns[] = { "host", "time", "os", "key_value",
	"reboot_pending", "server", "verdict", "required_value", "udp500", "udp4500",
	"server_behind_nat", "client_behind_nat", "elapsed_ms", "advice" };

/* Bytes of the well-formed UTF-8 sequence at s (RFC 3629's table of
 * byte ranges), 0 if there is none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		lo = s[0] == 0xE0 ? 0xA0 : 0x80;
		hi = s[0] == 0xED ? 0x9F : 0xBF;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		lo = s[0] == 0xF0 ? 0x90 : 0x80;
		hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* One cell: quoted when it holds a comma, quote, CR or LF, quotes doubled;
 * bytes that are not UTF-8 (the file's strings are kept as they came)
 * become U+FFFD, so the file stays UTF-8. */
static void csv_field(strbuf *sb, const char *s, bool first)
{
	const unsigned char *p = (const unsigned char *)s;
	bool quote;
	size_t n;

	if (!first)
		sb_add(sb, ",");
	if (s == NULL)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		sb_add(sb, "\"");
	while (*p) {
		if (*p == '"') {
			sb_add(sb, "\"\"");
			p++;
		} else if ((n = utf8_len(p)) == 0) {
			sb_add(sb, "\xEF\xBF\xBD");
			p++;
		} else {
			sb_addn(sb, (const char *)p, n);
			p += n;
		}
	}
	if (quote)
		sb_add(sb, "\"");
}

/* A JSON value as a cell: strings as they are, numbers, true/false, empty
 * for null or missing. */
static void csv_value(strbuf *sb, const json_doc *doc, const json_node *obj, const char *key)
{
	const json_node *n = obj ? json_get(doc, obj, key) : NULL;
	char num[40];

	if (n == NULL || n->type == JSON_NULL || n->type == JSON_ARRAY ||
	    n->type == JSON_OBJECT) {
		csv_field(sb, NULL, false);
	} else if (n->type == JSON_STRING) {
		csv_field(sb, n->str, false);
	} else if (n->type == JSON_BOOL) {
		csv_field(sb, n->b ? "true" : "false", false);
	} else {
		if (n->num > -9e15 && n->num < 9e15 && n->num == (double)(int64_t)n->num)
			snprintf(num, sizeof(num), "%lld", (long long)(int64_t)n->num);
		else
			snprintf(num, sizeof(num), "%.17g", n->num);
		csv_field(sb, num, false);
	}
}

static void csv_header(strbuf *sb)
{
	sb_add(sb, "\xEF\xBB\xBF"); /* UTF-8 BOM: Excel reads the file as UTF-8 */
	for (size_t i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
		csv_field(sb, csv_columns[i], i == 0);
	sb_add(sb, "\r\n");
}

/* One row per server of the result; one row with no server when it has
 * none. */
static void csv_rows(strbuf *sb, const json_doc *doc, const char *host)
{
	const json_node *root = &doc->nodes[0], *servers = json_get(doc, root, "servers");
	const json_node *os = json_get(doc, root, "os"), *pol = json_get(doc, root, "policy");
	const json_node *s;
	for (int i = 0;; i++) {
		s = json_at(doc, servers, i);
		if (s == NULL && i > 0)
			break;
		csv_field(sb, host, true);
		csv_value(sb, doc, root, "time");
		csv_value(sb, doc, os, "name");
		csv_value(sb, doc, pol, "value");
		csv_value(sb, doc, pol, "reboot_pending");
		csv_value(sb, doc, s, "server");
		if (s != NULL)
			csv_value(sb, doc, s, "verdict");
		else
			csv_value(sb, doc, root, "verdict");
		csv_value(sb, doc, s, "required_value");
		csv_value(sb, doc, s, "udp500");
		csv_value(sb, doc, s, "udp4500");
		csv_value(sb, doc, s, "server_behind_nat");
		csv_value(sb, doc, s, "client_behind_nat");
		csv_value(sb, doc, s, "elapsed_ms");
		csv_value(sb, doc, s, "advice");
		sb_add(sb, "\r\n");
		if (s == NULL)
			break;
	}
}

/* ---- one file ---- */

/* doc parsed: takes what the chosen output needs from it. */
static void one_result(tally *t, size_t fileno, const char *file, const json_doc *doc,
	uint64_t now)
{
	const json_node *root = &doc->nodes[0], *code;
	const char *host, *v, *time;
	file_rec *r;
	uint64_t ft;
	bool stale;
	int vi;

	host = json_get_str(doc, root, "host");
	v = json_get_str(doc, root, "verdict");
	time = json_get_str(doc, root, "time");
	code = json_get(doc, root, "exit_code");
	vi = verdict_from_name(v);
	if (root->type != JSON_OBJECT || !host || !code || code->type != JSON_NUMBER ||
	    !json_get_str(doc, root, "version") || (v && vi < 0)) {
		note_bad(t, fileno, file, WHY_FOREIGN, WHY_FOREIGN_SHORT);
		return;
	}
	t->results++;
	stale = time && fleet_time_parse(time, &ft) &&
		now > ft + (uint64_t)t->o->max_age_days * 86400 * FT_PER_SEC;
	t->stale += stale;
	if (vi < 0)
		t->status_only++;
	else
		t->counts[vi]++;
	t->action += vi > 0;
	if (t->o->format == FLEET_CSV) {
		csv_rows(t->csv, doc, host);
	} else if (t->o->format == FLEET_TEXT) {
		if (vi > 0)
			group_servers(t, fileno, doc, host, v);
		if (stale) {
			strbuf s;
			sb_init(&s);
			sb_addf(&s, "%s (%s)", host, time);
			group_add(t, group_of(t, G_STALE, NULL, NULL), fileno, sb_str(&s));
			sb_free(&s);
		}
	} else if ((vi > 0 || stale) && (r = add_rec(t, file)) != NULL) {
		r->host = dup_str(host, &t->oom);
		r->verdict = dup_str(v, &t->oom);
		r->time = dup_str(time, &t->oom);
		r->vi = vi;
		r->stale = stale;
		if (vi > 0)
			keep_servers(t, r, doc);
	}
}

/* Reads and parses one file; a file that does not parse is read once more
 * (a writer may have been replacing it), then counted as damaged.  Only
 * the fields the output needs outlive the document. */
static void one_file(tally *t, size_t fileno, const char *dir, const char *file, char *buf,
	uint64_t now)
{
	json_doc doc;
	plat_status st;
	size_t len;

	for (int attempt = 0; attempt < 2; attempt++) {
		st = plat_file_read(dir, file, buf, FLEET_MAX_FILE, &len);
		if (st != PLAT_OK) {
			if (st == PLAT_EMSGSIZE)
				note_bad(t, fileno, file, "too large", WHY_TOO_LARGE);
			else
				note_bad(t, fileno, file, plat_strerror(), WHY_UNREADABLE);
			return;
		}
		if (json_parse(&doc, buf, len)) {
			one_result(t, fileno, file, &doc, now);
			json_free(&doc);
			return;
		}
		if (attempt == 1)
			note_bad(t, fileno, file, doc.err[0] ? doc.err : "not valid JSON",
				WHY_DAMAGED);
		json_free(&doc);
	}
}

/* ---- --json ---- */

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

static void emit_json(const tally *t, const char *dir, strbuf *out)
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
	jw_kv_uint(&w, "max_age_days", t->o->max_age_days);
	json_two_field_list(&w, t, false);
	json_two_field_list(&w, t, true);
	jw_kv_int(&w, "exit_code", 0);
	jw_end_object(&w);
	sb_add(out, "\n");
}

/* ---- text ---- */

/* 2480 -> "2 480": counts a person reads at a glance. */
static const char *count_text(unsigned n, char out[16])
{
	char d[16];
	int len = snprintf(d, sizeof(d), "%u", n), o = 0;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = d[i];
	}
	out[o] = '\0';
	return out;
}

/* "label: " then the text, wrapped to 80 columns at indent. */
static void emit_wrapped(strbuf *out, size_t indent, const char *label, const char *text)
{
	strbuf s;

	sb_init(&s);
	sb_addf(&s, "%s%s", label, text);
	report_wrap(out, sb_str(&s), indent, 79);
	sb_free(&s);
}

/* The names of g after "label:", comma-separated, as many to a line as fit
 * in 79 columns at indent 4; a name is never split over two lines unless
 * it is longer than a line itself.  Then how many are not shown. */
static void emit_names(const group *g, const char *label, strbuf *out)
{
	strbuf line;
	char c[16];
	bool pending = false; /* line holds more than its indent */

	sb_init(&line);
	sb_addf(&line, "    %s:", label);
	for (size_t i = 0; i < g->shown.n; i++) {
		const char *name = g->shown.v[i], *sep = i + 1 < g->shown.n ? "," : "";
		size_t need = 1 + strlen(name) + strlen(sep);
		if (line.len + need > 79 && (pending || i == 0)) {
			sb_addn(out, line.p, line.len);
			sb_add(out, "\n");
			sb_reset(&line);
			sb_add(&line, "   ");
		}
		if (line.len + need > 79) { /* longer than a line: broken */
			sb_reset(&line);
			sb_addf(&line, "%s%s", name, sep);
			report_wrap(out, sb_str(&line), 4, 79);
			sb_reset(&line);
			sb_add(&line, "   ");
			pending = false;
			continue;
		}
		sb_addf(&line, " %s%s", name, sep);
		pending = true;
	}
	if (pending)
		sb_addf(out, "%s\n", sb_str(&line));
	if (g->count > g->shown.n)
		sb_addf(out, "    ... and %s more\n", count_text(g->count - (unsigned)g->shown.n, c));
	sb_free(&line);
}

/* Action groups first, then stale, then unreadable; within a kind the
 * largest first, then in the order they were met. */
static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void emit_text(tally *t, const char *dir, strbuf *out)
{
	char c[16], c2[16];
	strbuf s;
	size_t i;

	if (t->ng > 1)
		qsort(t->g, t->ng, sizeof(*t->g), cmp_group);
	sb_init(&s);
	sb_addf(&s, "nattcheck report: %s result file%s in %s", count_text(t->results, c),
		t->results == 1 ? "" : "s", dir);
	report_wrap(out, sb_str(&s), 0, 79);
	sb_free(&s);
	for (int v = 0; v < V_COUNT; v++)
		if (t->counts[v])
			sb_addf(out, "  %-18s %s\n", verdict_name((verdict)v), count_text(t->counts[v], c));
	if (t->status_only)
		sb_addf(out, "  %-18s %s\n", "(status only)", count_text(t->status_only, c));
	for (i = 0; i < t->ng; i++) {
		const group *g = &t->g[i];
		if (g->kind == G_ACTION && (i == 0 || g[-1].kind != G_ACTION))
			sb_addf(out, "Hosts that need action: %s\n", count_text(t->action, c));
		if (g->kind == G_STALE)
			sb_addf(out, "Stale (older than %u days): %s\n", (unsigned)t->o->max_age_days,
				count_text(t->stale, c));
		if (g->kind == G_BAD && (i == 0 || g[-1].kind != G_BAD))
			sb_addf(out, "Not readable as results: %s\n", count_text(t->bad, c));
		if (g->kind == G_ACTION) {
			sb_addf(out, "  %s: %s host%s\n", g->verdict, count_text(g->count, c),
				g->count == 1 ? "" : "s");
			emit_wrapped(out, 4, "Advice: ", g->advice ? g->advice : "(none in the file)");
			emit_names(g, "Hosts", out);
		} else if (g->kind == G_STALE) {
			emit_names(g, "Hosts", out);
		} else {
			sb_init(&s);
			sb_addf(&s, "%s: %s file%s", g->advice, count_text(g->count, c2),
				g->count == 1 ? "" : "s");
			report_wrap(out, sb_str(&s), 2, 79);
			sb_free(&s);
			if (g->example)
				emit_wrapped(out, 4, "The first: ", g->example);
			emit_names(g, "Files", out);
		}
	}
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
	for (size_t i = 0; i < t->ng; i++) {
		group *g = &t->g[i];
		names_free(&g->shown);
		free(g->verdict), free(g->advice), free(g->example);
	}
	free(t->g);
}

/* "report: 3 000 of 100 000 files read", overwritten in place; total 0
 * clears it. */
static void progress(size_t done, size_t total)
{
	char line[96], a[16], b[16];
	int n;

	if (total == 0)
		n = snprintf(line, sizeof(line), "\r%60s\r", "");
	else
		n = snprintf(line, sizeof(line), "\rreport: %s of %s files read",
			count_text((unsigned)done, a), count_text((unsigned)total, b));
	if (n > 0)
		plat_write(2, line, (size_t)n);
}

fleet_status fleet_report(const char *dir, const fleet_opts *o, strbuf *out, strbuf *err)
{
	names f = { NULL, 0, 0, false };
	tally t;
	size_t start = out->len;
	char *buf = malloc(FLEET_MAX_FILE);
	uint64_t now = 0;
	plat_status st;
	size_t i;
	bool show_progress;
	fleet_status rc = FLEET_OK;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.csv = out;
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
	show_progress = f.n >= PROGRESS_EVERY && plat_is_console(2);
	if (o->format == FLEET_CSV)
		csv_header(out);
	for (i = 0; i < f.n && !t.oom; i++) {
		if (show_progress && i > 0 && i % PROGRESS_EVERY == 0)
			progress(i, f.n);
		one_file(&t, i, dir, f.v[i], buf, now);
	}
	if (show_progress)
		progress(0, 0);
	if (f.oom || t.oom || out->oom) {
		sb_add(err, "report: out of memory");
		rc = FLEET_FAILED;
		out->len = start;
		if (out->p)
			out->p[start] = '\0';
	} else if (o->format == FLEET_JSON) {
		emit_json(&t, dir, out);
	} else if (o->format == FLEET_CSV) {
		if (t.bad) {
			strbuf note;
			sb_init(&note);
			sb_addf(&note, "nattcheck: %u file%s not readable as results, not in the "
				"CSV (the text report lists them)\n", t.bad, t.bad == 1 ? "" : "s");
			plat_write(2, note.p, note.len);
			sb_free(&note);
		}
	} else {
		emit_text(&t, dir, out);
	}
out:
	names_free(&f);
	free(buf);
	tally_free(&t);
	return rc;
}
