/* json.h - a small, strict JSON reader for nattcheck's own result files
 * (`report`).  Bounded: depth, node count and input size are capped, and
 * any input, however hostile, gives a tree or a clean error. */
#ifndef NATTCHECK_JSON_H
#define NATTCHECK_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
	JSON_OBJECT } json_type;

typedef struct json_node {
	json_type type;
	char *key;         /* member name when the parent is an object */
	char *str;         /* JSON_STRING, decoded UTF-8 */
	double num;        /* JSON_NUMBER */
	bool b;            /* JSON_BOOL */
	int child;         /* first child index, -1 if none */
	int next;          /* next sibling index, -1 if none */
} json_node;

typedef struct json_doc {
	json_node *nodes;  /* nodes[0] is the root */
	int n, cap;
	char err[96];
} json_doc;

#define JSON_MAX_DEPTH 32
#define JSON_MAX_NODES 20000

/* Parses text[0..len).  Returns false with doc->err set on any error; the
 * doc must be freed either way. */
bool json_parse(json_doc *doc, const char *text, size_t len);
void json_free(json_doc *doc);
/* Member of an object by name, or NULL. */
const json_node *json_get(const json_doc *doc, const json_node *obj, const char *key);
/* The i-th element of an array (0-based), or NULL. */
const json_node *json_at(const json_doc *doc, const json_node *arr, int i);
/* Convenience: the string member, or NULL if missing or not a string. */
const char *json_get_str(const json_doc *doc, const json_node *obj, const char *key);
#endif
