/* json.c - strict recursive-descent JSON reader with hard limits. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jp {
	json_doc *doc;
	const char *start, *p, *end;
	int depth;
} jp;

static bool jp_err(jp *j, const char *what)
{
	if (!j->doc->err[0])
		snprintf(j->doc->err, sizeof(j->doc->err), "%s at byte %ld", what,
			(long)(j->p - j->start));
	return false;
}

static void skip_ws(jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int new_node(jp *j, json_type t)
{
	json_doc *d = j->doc;

	if (d->n == JSON_MAX_NODES)
		return jp_err(j, "too many values"), -1;
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 64;
		json_node *n = realloc(d->nodes, (size_t)cap * sizeof(*n));
		if (!n)
			return jp_err(j, "out of memory"), -1;
		d->nodes = n;
		d->cap = cap;
	}
	memset(&d->nodes[d->n], 0, sizeof(d->nodes[0]));
	d->nodes[d->n].type = t;
	d->nodes[d->n].child = d->nodes[d->n].next = -1;
	return d->n++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_u4(jp *j, unsigned *out)
{
	int i, h;

	if (j->end - j->p < 4)
		return false;
	*out = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(j->p[i])) < 0)
			return false;
		*out = *out << 4 | (unsigned)h;
	}
	j->p += 4;
	return true;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		       o[2] = (char)(0x80 | (cp & 0x3F)), 3;
	o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static bool escape(jp *j, char *o, size_t *n)
{
	unsigned cp, lo;
	char c = *j->p++;

	switch (c) {
	case '"': case '\\': case '/': o[(*n)++] = c; return true;
	case 'b': o[(*n)++] = '\b'; return true;
	case 'f': o[(*n)++] = '\f'; return true;
	case 'n': o[(*n)++] = '\n'; return true;
	case 'r': o[(*n)++] = '\r'; return true;
	case 't': o[(*n)++] = '\t'; return true;
	case 'u': break;
	default: return jp_err(j, "bad escape");
	}
	if (!read_u4(j, &cp))
		return jp_err(j, "bad \\u escape");
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
			return jp_err(j, "lone surrogate");
		j->p += 2;
		if (!read_u4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
			return jp_err(j, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return jp_err(j, "lone surrogate");
	}
	*n += put_utf8(o + *n, cp);
	return true;
}

/* Decoded output is never longer than the escaped input. */
static char *parse_string(jp *j)
{
	const char *start = ++j->p;
	char *out;
	size_t n = 0;

	while (j->p < j->end && *j->p != '"')
		j->p += (*j->p == '\\' && j->p + 1 < j->end) ? 2 : 1;
	if (j->p >= j->end)
		return jp_err(j, "unterminated string"), NULL;
	if (!(out = malloc((size_t)(j->p - start) + 1)))
		return jp_err(j, "out of memory"), NULL;
	j->p = start;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20) {
			free(out);
			return jp_err(j, "control character in string"), NULL;
		}
		if (c == '\\') {
			j->p++;
			if (!escape(j, out, &n)) {
				free(out);
				return NULL;
			}
		} else {
			out[n++] = (char)c;
			j->p++;
		}
	}
	j->p++;
	out[n] = '\0';
	return out;
}

static bool is_digit(const jp *j)
{
	return j->p < j->end && *j->p >= '0' && *j->p <= '9';
}

/* RFC 8259 number grammar, checked before strtod (which is more lenient:
 * "01", "1.", "1.e5" must be errors). */
static bool parse_number(jp *j, double *out)
{
	char buf[64];
	const char *s = j->p;
	size_t n;
	char *e;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (!is_digit(j))
		return jp_err(j, "bad number");
	if (*j->p++ != '0')
		while (is_digit(j))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!is_digit(j))
			return jp_err(j, "bad number");
		while (is_digit(j))
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!is_digit(j))
			return jp_err(j, "bad number");
		while (is_digit(j))
			j->p++;
	}
	n = (size_t)(j->p - s);
	if (n >= sizeof(buf))
		return jp_err(j, "number too long");
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, &e);
	if (e != buf + n)
		return jp_err(j, "bad number");
	return true;
}

static int parse_value(jp *j);

static bool parse_members(jp *j, int parent, bool object)
{
	int last = -1, child;
	char *key = NULL;

	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == (object ? '}' : ']'))
		return j->p++, true;
	for (;;) {
		skip_ws(j);
		if (object) {
			if (j->p >= j->end || *j->p != '"' || !(key = parse_string(j)))
				return jp_err(j, "expected a member name");
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return jp_err(j, "expected ':'");
			}
			j->p++;
		}
		if ((child = parse_value(j)) < 0) {
			free(key);
			return false;
		}
		j->doc->nodes[child].key = key;
		key = NULL;
		if (last < 0)
			j->doc->nodes[parent].child = child;
		else
			j->doc->nodes[last].next = child;
		last = child;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == (object ? '}' : ']'))
			return j->p++, true;
		return jp_err(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool literal(jp *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return jp_err(j, "unexpected character");
	j->p += n;
	return true;
}

static int parse_value(jp *j)
{
	int id;
	char c;

	skip_ws(j);
	if (j->p >= j->end)
		return jp_err(j, "unexpected end"), -1;
	c = *j->p;
	if (c == '{' || c == '[') {
		if (++j->depth > JSON_MAX_DEPTH)
			return jp_err(j, "nested too deeply"), -1;
		if ((id = new_node(j, c == '{' ? JSON_OBJECT : JSON_ARRAY)) < 0 ||
		    !parse_members(j, id, c == '{'))
			return -1;
		j->depth--;
		return id;
	}
	if (c == '"') {
		char *s = parse_string(j);
		if (!s)
			return -1;
		if ((id = new_node(j, JSON_STRING)) < 0)
			return free(s), -1;
		j->doc->nodes[id].str = s;
		return id;
	}
	if (c == 't' || c == 'f') {
		if (!literal(j, c == 't' ? "true" : "false") || (id = new_node(j, JSON_BOOL)) < 0)
			return -1;
		j->doc->nodes[id].b = c == 't';
		return id;
	}
	if (c == 'n')
		return literal(j, "null") ? new_node(j, JSON_NULL) : -1;
	if ((id = new_node(j, JSON_NUMBER)) < 0 || !parse_number(j, &j->doc->nodes[id].num))
		return -1;
	return id;
}

bool json_parse(json_doc *doc, const char *text, size_t len)
{
	jp j;

	memset(doc, 0, sizeof(*doc));
	j.doc = doc;
	j.start = j.p = text;
	j.end = text + len;
	j.depth = 0;
	if (parse_value(&j) != 0)
		return false;
	skip_ws(&j);
	if (j.p != j.end)
		return jp_err(&j, "trailing data");
	return true;
}

void json_free(json_doc *doc)
{
	int i;

	for (i = 0; i < doc->n; i++) {
		free(doc->nodes[i].key);
		free(doc->nodes[i].str);
	}
	free(doc->nodes);
	doc->nodes = NULL;
	doc->n = doc->cap = 0;
}

const json_node *json_get(const json_doc *doc, const json_node *obj, const char *key)
{
	int i;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (i = obj->child; i >= 0; i = doc->nodes[i].next)
		if (doc->nodes[i].key && strcmp(doc->nodes[i].key, key) == 0)
			return &doc->nodes[i];
	return NULL;
}

const json_node *json_at(const json_doc *doc, const json_node *arr, int idx)
{
	int i;

	if (!arr || arr->type != JSON_ARRAY || idx < 0)
		return NULL;
	for (i = arr->child; i >= 0 && idx > 0; i = doc->nodes[i].next)
		idx--;
	return i >= 0 ? &doc->nodes[i] : NULL;
}

const char *json_get_str(const json_doc *doc, const json_node *obj, const char *key)
{
	const json_node *n = json_get(doc, obj, key);

	return n && n->type == JSON_STRING ? n->str : NULL;
}
