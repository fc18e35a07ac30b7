/* strbuf.h - a growable UTF-8 text buffer for building output and JSON. */
#ifndef NATTCHECK_STRBUF_H
#define NATTCHECK_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
	char *p;      /* NUL-terminated once anything was added; owned */
	size_t len;
	size_t cap;
	bool oom;     /* an allocation failed; the content is truncated */
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
const char *sb_str(const strbuf *sb); /* "" for an empty buffer */
void sb_add(strbuf *sb, const char *s);
void sb_addn(strbuf *sb, const char *s, size_t n);
void sb_addf(strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A JSON string literal (quotes included) for s, or null for NULL.  Bytes
 * that are not valid UTF-8 become U+FFFD, so the document always parses. */
void sb_json_str(strbuf *sb, const char *s);
#endif
