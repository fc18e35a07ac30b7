/* fuzz_json.c - libFuzzer harness: json_parse on arbitrary bytes (result
 * files in a --log folder come from other machines), then a walk of the
 * tree checking its shape, and the lookups `report` uses.
 *
 * Beyond "no crash, no leak": a failure always says why; a success means
 * the input really was JSON as far as cheap checks can tell (RFC 8259
 * allows no raw byte 0x00 anywhere, not even inside strings). */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "json.h"

static void check_links(const json_doc *d)
{
	int reached = 1; /* the root */

	FUZZ_CHECK(d->n >= 1 && d->n <= JSON_MAX_NODES && d->n <= d->cap);
	FUZZ_CHECK(d->nodes[0].key == NULL && d->nodes[0].next == -1);
	for (int i = 0; i < d->n; i++) {
		const json_node *n = &d->nodes[i];
		bool container = n->type == JSON_ARRAY || n->type == JSON_OBJECT;

		FUZZ_CHECK(n->type >= JSON_NULL && n->type <= JSON_OBJECT);
		/* children and siblings come later in the array: no cycles */
		FUZZ_CHECK(n->child == -1 || (container && n->child > i && n->child < d->n));
		FUZZ_CHECK(n->next == -1 || (n->next > i && n->next < d->n));
		FUZZ_CHECK((n->type == JSON_STRING) == (n->str != NULL));
		if (n->str)
			fuzz_touch(n->str, strlen(n->str) + 1);
		if (n->key)
			fuzz_touch(n->key, strlen(n->key) + 1);
		for (int c = container ? n->child : -1; c >= 0; c = d->nodes[c].next) {
			FUZZ_CHECK((n->type == JSON_OBJECT) == (d->nodes[c].key != NULL));
			reached++;
		}
	}
	FUZZ_CHECK(reached == d->n); /* every node is someone's child, once */
}

static void check_lookups(const json_doc *d)
{
	for (int i = 0; i < d->n; i++) {
		const json_node *n = &d->nodes[i];

		if (n->type == JSON_OBJECT) {
			for (int c = n->child; c >= 0; c = d->nodes[c].next) {
				const json_node *g = json_get(d, n, d->nodes[c].key);

				/* the first member of that name */
				FUZZ_CHECK(g != NULL && strcmp(g->key, d->nodes[c].key) == 0 &&
					g <= &d->nodes[c]);
				(void)json_get_str(d, n, d->nodes[c].key);
			}
			FUZZ_CHECK(json_at(d, n, 0) == NULL);
			(void)json_get_str(d, n, "host");
		} else if (n->type == JSON_ARRAY) {
			int k = 0;

			for (int c = n->child; c >= 0; c = d->nodes[c].next, k++)
				FUZZ_CHECK(json_at(d, n, k) == &d->nodes[c]);
			FUZZ_CHECK(json_at(d, n, k) == NULL && json_at(d, n, -1) == NULL);
			FUZZ_CHECK(json_get(d, n, "x") == NULL);
		} else {
			FUZZ_CHECK(json_get(d, n, "") == NULL && json_at(d, n, 0) == NULL);
		}
	}
	FUZZ_CHECK(json_get(d, NULL, "x") == NULL && json_at(d, NULL, 0) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_doc doc;
	char *text = (char *)fuzz_dup(data, size);

	if (json_parse(&doc, text, size)) {
		FUZZ_CHECK(doc.err[0] == '\0');
		FUZZ_CHECK(memchr(data, 0, size) == NULL);
		check_links(&doc);
		check_lookups(&doc);
	} else {
		FUZZ_CHECK(doc.err[0] != '\0');
		FUZZ_CHECK(memchr(doc.err, '\0', sizeof(doc.err)) != NULL);
	}
	json_free(&doc);
	FUZZ_CHECK(doc.nodes == NULL && doc.n == 0);
	free(text);
	return 0;
}
