/* jsonw.c - the JSON writer: nesting, commas and misuse tracked here. */
#include "jsonw.h"

#include <string.h>

void jw_init(jw *w, strbuf *sb)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
}

static bool misuse(jw *w, const char *what)
{
	if (!w->err)
		w->err = what;
	return false;
}

/* Before any value: the separator it needs, or false (nothing written) when
 * a value cannot go here. */
static bool before_value(jw *w)
{
	if (w->err)
		return false;
	if (w->depth == 0) {
		if (w->top_done)
			return misuse(w, "a second top-level value");
		return true;
	}
	if (w->open[w->depth - 1] == '{') {
		if (!w->keyed)
			return misuse(w, "a value in an object without a key");
		w->keyed = false;
		return true;
	}
	if (w->has_item[w->depth - 1])
		sb_add(w->sb, ",");
	w->has_item[w->depth - 1] = true;
	return true;
}

/* After a scalar or a closed object/array. */
static void after_value(jw *w)
{
	if (w->depth == 0)
		w->top_done = true;
}

static void begin(jw *w, char open)
{
	if (!before_value(w))
		return;
	if (w->depth == JW_MAX_DEPTH) {
		misuse(w, "nested too deeply");
		return;
	}
	w->open[w->depth] = open;
	w->has_item[w->depth++] = false;
	sb_addn(w->sb, &open, 1);
}

static void end(jw *w, char open)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->open[w->depth - 1] != open) {
		misuse(w, open == '{' ? "an end of object that was not begun" :
			"an end of array that was not begun");
		return;
	}
	if (w->keyed) {
		misuse(w, "a key without a value");
		return;
	}
	w->depth--;
	sb_add(w->sb, open == '{' ? "}" : "]");
	after_value(w);
}

void jw_begin_object(jw *w) { begin(w, '{'); }
void jw_end_object(jw *w) { end(w, '{'); }
void jw_begin_array(jw *w) { begin(w, '['); }
void jw_end_array(jw *w) { end(w, '['); }

void jw_key(jw *w, const char *key)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->open[w->depth - 1] != '{' || w->keyed || key == NULL) {
		misuse(w, key == NULL ? "a NULL key" : w->keyed ? "two keys in a row" :
			"a key outside an object");
		return;
	}
	if (w->has_item[w->depth - 1])
		sb_add(w->sb, ",");
	w->has_item[w->depth - 1] = true;
	sb_json_str(w->sb, key);
	sb_add(w->sb, ":");
	w->keyed = true;
}

/* A scalar's text, written where a value may go. */
static void scalar(jw *w, const char *text)
{
	if (!before_value(w))
		return;
	sb_add(w->sb, text);
	after_value(w);
}

void jw_str(jw *w, const char *s)
{
	if (!before_value(w))
		return;
	sb_json_str(w->sb, s);
	after_value(w);
}

/* Decimal digits of v, without printf: the same on every C library (XP's
 * msvcrt knows no %lld). */
static char *decimal(uint64_t v, char *end)
{
	*--end = '\0';
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void jw_uint(jw *w, uint64_t v)
{
	char buf[24];

	scalar(w, decimal(v, buf + sizeof(buf)));
}

void jw_int(jw *w, int64_t v)
{
	char buf[24], *p;

	/* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
	p = decimal(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, buf + sizeof(buf));
	if (v < 0)
		*--p = '-';
	scalar(w, p);
}

void jw_bool(jw *w, bool b) { scalar(w, b ? "true" : "false"); }
void jw_null(jw *w) { scalar(w, "null"); }

void jw_kv_str(jw *w, const char *key, const char *s) { jw_key(w, key), jw_str(w, s); }
void jw_kv_int(jw *w, const char *key, int64_t v) { jw_key(w, key), jw_int(w, v); }
void jw_kv_uint(jw *w, const char *key, uint64_t v) { jw_key(w, key), jw_uint(w, v); }
void jw_kv_bool(jw *w, const char *key, bool b) { jw_key(w, key), jw_bool(w, b); }
void jw_kv_null(jw *w, const char *key) { jw_key(w, key), jw_null(w); }

bool jw_done(const jw *w)
{
	return !w->err && w->depth == 0 && w->top_done;
}
