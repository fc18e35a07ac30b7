/* jsonw.h - a JSON writer that tracks nesting and commas itself, so callers
 * say what the document holds (keys, values, objects, arrays) and never
 * write a separator.  It appends compact JSON (no spaces) to a strbuf;
 * strings go through sb_json_str (quotes, control characters, invalid
 * UTF-8 as U+FFFD).
 *
 *     jw w;
 *     jw_init(&w, sb);
 *     jw_begin_object(&w);
 *     jw_kv_str(&w, "host", host);        same as jw_key + jw_str
 *     jw_key(&w, "servers");
 *     jw_begin_array(&w);
 *     ...
 *     jw_end_array(&w);
 *     jw_end_object(&w);
 *     ok = jw_done(&w);                   one whole document, no misuse
 *
 * Misuse - a value in an object without its key, a key outside an object
 * or twice, an end that does not match its begin, a second top-level value,
 * nesting deeper than JW_MAX_DEPTH - writes nothing and sets err (kept: the
 * first misuse wins), so a broken caller shows in jw_done, never as a
 * document that merely looks right. */
#ifndef NATTCHECK_JSONW_H
#define NATTCHECK_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

#define JW_MAX_DEPTH 16

typedef struct jw {
	strbuf *sb;
	unsigned depth;                 /* open objects and arrays */
	char open[JW_MAX_DEPTH];        /* '{' or '[' for each */
	bool has_item[JW_MAX_DEPTH];    /* something written in it: next needs ',' */
	bool keyed;                     /* a key was written, its value is next */
	bool top_done;                  /* the top-level value is complete */
	const char *err;                /* the first misuse, or NULL */
} jw;

void jw_init(jw *w, strbuf *sb);
void jw_begin_object(jw *w);
void jw_end_object(jw *w);
void jw_begin_array(jw *w);
void jw_end_array(jw *w);
/* A member name; the next call writes its value. */
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s);   /* NULL: null */
void jw_int(jw *w, int64_t v);
void jw_uint(jw *w, uint64_t v);
void jw_bool(jw *w, bool b);
void jw_null(jw *w);
/* key + value in one call. */
void jw_kv_str(jw *w, const char *key, const char *s);
void jw_kv_int(jw *w, const char *key, int64_t v);
void jw_kv_uint(jw *w, const char *key, uint64_t v);
void jw_kv_bool(jw *w, const char *key, bool b);
void jw_kv_null(jw *w, const char *key);
/* True when exactly one complete value was written and nothing was misused. */
bool jw_done(const jw *w);
#endif
