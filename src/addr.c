/* addr.c - parsing server arguments (address literals, host names) and
 * formatting addresses, in pure C: XP has neither inet_pton nor inet_ntop. */
#include "addr.h"

#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strict dotted quad: four decimal parts 0-255 without leading zeros, so
 * nothing is read as octal the way inet_addr would. */
bool addr_parse_ipv4(const char *s, uint8_t out[4])
{
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;

		if (part > 0 && *s++ != '.')
			return false;
		if (s[0] == '0' && is_digit(s[1]))
			return false;
		while (is_digit(*s) && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return false;
		out[part] = (uint8_t)v;
	}
	return *s == '\0';
}

static bool parse_zone(const char *z, uint32_t *scope_id)
{
	uint32_t v = 0;

	if (*z == '\0')
		return false;
	for (; *z; z++) {
		uint32_t d = (uint32_t)(*z - '0');

		if (!is_digit(*z) || v > (UINT32_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*scope_id = v;
	return true;
}

/* The groups of an IPv6 address (RFC 4291 2.2), "::" at most once, an
 * IPv4 dotted quad allowed in the last 32 bits. */
static bool parse_ipv6_groups(const char *s, size_t n, uint8_t out[16])
{
	uint8_t buf[16] = { 0 };
	int pos = 0, gap = -1;
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n > 0 && s[0] == ':') {
		return false;
	}
	while (i < n) {
		size_t start = i;
		unsigned v = 0;
		int h = 0;

		while (i < n && (h = hex_value(s[i])) >= 0 && i - start < 4)
			v = v * 16 + (unsigned)h, i++;
		if (i < n && s[i] == '.') {
			char quad[16];

			if (n - start >= sizeof(quad) || pos > 12)
				return false;
			memcpy(quad, s + start, n - start);
			quad[n - start] = '\0';
			if (!addr_parse_ipv4(quad, buf + pos))
				return false;
			pos += 4;
			break;
		}
		if (i == start || pos > 14)
			return false;
		buf[pos++] = (uint8_t)(v >> 8);
		buf[pos++] = (uint8_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = pos;
			i++;
		} else if (i == n) {
			return false; /* trailing single colon */
		}
	}
	if (gap < 0) {
		if (pos != 16)
			return false;
		memcpy(out, buf, 16);
		return true;
	}
	if (pos > 14)
		return false; /* "::" must stand for at least one group */
	memset(out, 0, 16);
	memcpy(out, buf, (size_t)gap);
	memcpy(out + 16 - (pos - gap), buf + gap, (size_t)(pos - gap));
	return true;
}

bool addr_parse_ipv6(const char *s, uint8_t out[16], uint32_t *scope_id)
{
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);

	*scope_id = 0;
	if (pct && !parse_zone(pct + 1, scope_id))
		return false;
	return parse_ipv6_groups(s, n, out);
}

/* RFC 1123 2.1 host name: labels of letters, digits and inner hyphens, at
 * most 63 each, 253 in all, a trailing dot allowed; the last label not all
 * digits (so "1.2.3" is not taken for a name). */
bool addr_valid_hostname(const char *s)
{
	size_t len = strlen(s), label = 0;
	bool all_digits = true;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			if (i == len && all_digits)
				return false;
			label = 0;
			all_digits = true;
			continue;
		}
		if (!(is_digit(c) || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
		if ((label == 0 && c == '-') || ++label > 63)
			return false;
		if (!is_digit(c))
			all_digits = false;
	}
	return true;
}

bool addr_is_unicast(const plat_addr *a)
{
	static const uint8_t zero[16];

	if (a->family == 4)
		return a->addr[0] != 0 && a->addr[0] < 224;
	if (a->family == 6)
		return memcmp(a->addr, zero, 16) != 0 && a->addr[0] != 0xff;
	return false;
}

bool addr_is_private(const plat_addr *a)
{
	const uint8_t *b = a->addr;

	if (a->family == 4)
		return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		       (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xc0) == 64) ||
		       (b[0] == 169 && b[1] == 254);
	if (a->family == 6)
		return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
	return false;
}

static addr_kind literal(plat_addr *out, const char **why)
{
	if (!addr_is_unicast(out)) {
		*why = "not a unicast address";
		return ADDR_BAD;
	}
	return ADDR_LITERAL;
}

addr_kind addr_parse(const char *s, plat_addr *out, const char **why)
{
	const char *dummy = NULL;
	size_t n = strlen(s);

	if (!why)
		why = &dummy;
	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (n > 0 && s[0] == '[') {
		char inner[ADDR_TEXT_MAX];

		if (n > 3 && s[n - 1] != ']' && strstr(s, "]:")) {
			*why = "a port is not allowed: give the address alone (IKE uses UDP 500 and 4500)";
			return ADDR_BAD;
		}
		if (n < 3 || s[n - 1] != ']' || n - 2 >= sizeof(inner)) {
			*why = "bad bracketed IPv6 address";
			return ADDR_BAD;
		}
		memcpy(inner, s + 1, n - 2);
		inner[n - 2] = '\0';
		out->family = 6;
		if (!addr_parse_ipv6(inner, out->addr, &out->scope_id)) {
			*why = "bad IPv6 address";
			return ADDR_BAD;
		}
		return literal(out, why);
	}
	if (strchr(s, ':') == strrchr(s, ':') && strchr(s, ':') && strchr(s, '.')) {
		/* One colon and dots: "198.18.0.9:500" or "vpn.example.com:500". */
		*why = "a port is not allowed: give the address alone (IKE uses UDP 500 and 4500)";
		return ADDR_BAD;
	}
	if (strchr(s, ':')) {
		out->family = 6;
		if (!addr_parse_ipv6(s, out->addr, &out->scope_id)) {
			*why = "bad IPv6 address";
			return ADDR_BAD;
		}
		return literal(out, why);
	}
	if (addr_parse_ipv4(s, out->addr)) {
		out->family = 4;
		return literal(out, why);
	}
	if (!addr_valid_hostname(s)) {
		*why = "not a valid host name or address";
		return ADDR_BAD;
	}
	return ADDR_NAME;
}

/* ---- formatting ------------------------------------------------------- */

typedef struct text {
	char *p;
	size_t cap, len;
} text;

static void text_char(text *t, char c)
{
	if (t->len + 1 < t->cap)
		t->p[t->len] = c;
	t->len++;
}

static void text_uint(text *t, uint32_t v, unsigned base)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v > 0);
	while (n > 0)
		text_char(t, d[--n]);
}

static void format_ipv4(text *t, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			text_char(t, '.');
		text_uint(t, a[i], 10);
	}
}

/* RFC 5952 4.2: the longest run of two or more zero groups becomes "::",
 * the first one on a tie. */
static void longest_zero_run(const uint16_t *g, int *start, int *len)
{
	*start = -1;
	*len = 0;
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > *len && j - i >= 2) {
			*start = i;
			*len = j - i;
		}
		i = j > i ? j : i + 1;
	}
}

static void format_ipv6(text *t, const uint8_t *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint16_t g[8];
	int zs = 0, zl = 0;

	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		const char *pre = "::ffff:";

		while (*pre)
			text_char(t, *pre++);
		format_ipv4(t, a + 12);
		return;
	}
	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)((a[2 * i] << 8) | a[2 * i + 1]);
	longest_zero_run(g, &zs, &zl);
	for (int i = 0; i < 8; i++) {
		if (i == zs) {
			text_char(t, ':');
			text_char(t, ':');
			i += zl - 1;
			continue;
		}
		if (i > 0 && i != zs + zl)
			text_char(t, ':');
		text_uint(t, g[i], 16);
	}
}

size_t addr_format(const plat_addr *a, char *buf, size_t cap)
{
	text t = { buf, cap, 0 };

	if (a->family == 4) {
		format_ipv4(&t, a->addr);
	} else if (a->family == 6) {
		format_ipv6(&t, a->addr);
		if (a->scope_id != 0) {
			text_char(&t, '%');
			text_uint(&t, a->scope_id, 10);
		}
	}
	if (cap > 0)
		buf[t.len < cap ? t.len : cap - 1] = '\0';
	return t.len;
}

bool addr_equal(const plat_addr *a, const plat_addr *b)
{
	size_t n = a->family == 4 ? 4 : 16;

	return a->family == b->family && a->port == b->port &&
		memcmp(a->addr, b->addr, n) == 0;
}
