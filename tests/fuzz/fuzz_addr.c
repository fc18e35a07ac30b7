/* fuzz_addr.c - libFuzzer harness: addr_parse on a NUL-terminated copy of
 * the input (a server argument), then round trips: a literal formatted
 * with addr_format and parsed again is the same address; an IPv4 literal
 * is already in its one canonical form; addr_format with a short buffer
 * still NUL-terminates and returns the length it needed. */
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "fuzz_util.h"

static bool same(const plat_addr *a, const plat_addr *b)
{
	return a->family == b->family && a->scope_id == b->scope_id && addr_equal(a, b);
}

/* Formats a into buffers of exactly cap bytes for a few caps. */
static void check_format(const plat_addr *a, char full[ADDR_TEXT_MAX])
{
	size_t need = addr_format(a, full, ADDR_TEXT_MAX);
	const size_t caps[] = { 0, 1, 2, need / 2, need, need + 1 };

	FUZZ_CHECK(need > 0 && need < ADDR_TEXT_MAX);
	FUZZ_CHECK(strlen(full) == need);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		size_t cap = caps[i];
		char *buf = malloc(cap ? cap : 1);

		if (!buf)
			abort();
		memset(buf, 'X', cap);
		FUZZ_CHECK(addr_format(a, cap ? buf : NULL, cap) == need);
		if (cap > 0) {
			size_t n = need < cap ? need : cap - 1;

			FUZZ_CHECK(buf[n] == '\0' && memcmp(buf, full, n) == 0);
		}
		free(buf);
	}
}

static void round_trip(const plat_addr *a)
{
	char text[ADDR_TEXT_MAX], br[ADDR_TEXT_MAX + 2];
	plat_addr b;
	const char *why = NULL;

	check_format(a, text);
	FUZZ_CHECK(addr_parse(text, &b, &why) == ADDR_LITERAL);
	FUZZ_CHECK(same(a, &b));
	if (a->family == 6) {
		snprintf(br, sizeof(br), "[%s]", text);
		FUZZ_CHECK(addr_parse(br, &b, NULL) == ADDR_LITERAL && same(a, &b));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	const char *why = NULL;
	plat_addr a;
	uint8_t v4[4], v6[16];
	uint32_t scope = 0;
	addr_kind k;

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	k = addr_parse(s, &a, &why);
	FUZZ_CHECK(k == ADDR_BAD || k == ADDR_LITERAL || k == ADDR_NAME);
	if (k == ADDR_BAD) {
		FUZZ_CHECK(why != NULL && why[0] != '\0');
	} else if (k == ADDR_LITERAL) {
		FUZZ_CHECK(why == NULL && a.port == 0 && addr_is_unicast(&a));
		FUZZ_CHECK(a.family == 4 || a.family == 6);
		FUZZ_CHECK(a.family == 6 || a.scope_id == 0);
		round_trip(&a);
	} else {
		FUZZ_CHECK(why == NULL && addr_valid_hostname(s));
		FUZZ_CHECK(strlen(s) <= 254 && !strchr(s, ':') && !addr_parse_ipv4(s, v4));
	}
	(void)addr_parse(s, &a, NULL); /* why may be NULL */

	/* The literal parsers alone, unicast or not. */
	if (addr_parse_ipv4(s, v4)) {
		char text[ADDR_TEXT_MAX];

		memset(&a, 0, sizeof(a));
		a.family = 4;
		memcpy(a.addr, v4, 4);
		check_format(&a, text);
		FUZZ_CHECK(strcmp(text, s) == 0); /* strict quads have one spelling */
	}
	if (addr_parse_ipv6(s, v6, &scope)) {
		char text[ADDR_TEXT_MAX];
		uint8_t v6b[16];
		uint32_t scope_b = 0;

		memset(&a, 0, sizeof(a));
		a.family = 6;
		memcpy(a.addr, v6, 16);
		a.scope_id = scope;
		check_format(&a, text);
		FUZZ_CHECK(addr_parse_ipv6(text, v6b, &scope_b));
		FUZZ_CHECK(memcmp(v6, v6b, 16) == 0 && scope == scope_b);
	}
	free(s);
	return 0;
}
