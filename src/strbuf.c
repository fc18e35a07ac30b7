/* strbuf.c - growable text buffer and JSON string escaping. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void sb_free(strbuf *sb)
{
	free(sb->p);
	sb_init(sb);
}

void sb_reset(strbuf *sb)
{
	sb->len = 0;
	if (sb->p)
		sb->p[0] = '\0';
}

const char *sb_str(const strbuf *sb)
{
	return sb->p ? sb->p : "";
}

static bool sb_reserve(strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	if (sb->oom || extra > SIZE_MAX / 2 - sb->len)
		return sb->oom = true, false;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(sb->p, cap);
	if (!p)
		return sb->oom = true, false;
	sb->p = p;
	sb->cap = cap;
	return true;
}

void sb_addn(strbuf *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void sb_add(strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n;
}

void sb_json_str(strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s) {
		sb_add(sb, "null");
		return;
	}
	sb_add(sb, "\"");
	while (*p) {
		if (*p == '"' || *p == '\\') {
			sb_addf(sb, "\\%c", *p);
			p++;
		} else if (*p == '\n') {
			sb_add(sb, "\\n"), p++;
		} else if (*p == '\r') {
			sb_add(sb, "\\r"), p++;
		} else if (*p == '\t') {
			sb_add(sb, "\\t"), p++;
		} else if (*p < 0x20 || *p == 0x7F) {
			sb_addf(sb, "\\u%04x", *p);
			p++;
		} else if ((n = utf8_seq_len(p)) == 0) {
			sb_add(sb, "\\ufffd");
			p++;
		} else {
			sb_addn(sb, (const char *)p, n);
			p += n;
		}
	}
	sb_add(sb, "\"");
}
