/* addr.h - server arguments: address literals and host names, parsed and
 * formatted in pure C (no inet_pton/inet_ntop, which XP lacks). */
#ifndef NATTCHECK_ADDR_H
#define NATTCHECK_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"

typedef enum addr_kind {
	ADDR_BAD = 0,  /* neither a usable literal nor a valid host name */
	ADDR_LITERAL,  /* *out holds the address (port 0) */
	ADDR_NAME,     /* a valid host name: resolve it */
} addr_kind;

/* Classifies a server argument: an IPv4 dotted quad, an IPv6 literal with
 * or without brackets and with an optional numeric %zone, or a host name
 * (RFC 1123, at most 253 characters).  Literals that are not unicast
 * (0.0.0.0/8, multicast, 240.0.0.0/4 and broadcast, ::, ff00::/8) are
 * ADDR_BAD.  *why (may be NULL) receives a short reason for ADDR_BAD. */
addr_kind addr_parse(const char *s, plat_addr *out, const char **why);

bool addr_parse_ipv4(const char *s, uint8_t out[4]);
/* s without brackets; a %zone must be decimal. */
bool addr_parse_ipv6(const char *s, uint8_t out[16], uint32_t *scope_id);
bool addr_valid_hostname(const char *s);
/* False for the unspecified, multicast, broadcast and reserved ranges. */
bool addr_is_unicast(const plat_addr *a);
/* Addresses that only exist behind a NAT when they talk to a public one:
 * RFC 1918, shared 100.64.0.0/10 (RFC 6598, carrier-grade NAT), link-local
 * 169.254.0.0/16 and fe80::/10, IPv6 unique local fc00::/7. */
bool addr_is_private(const plat_addr *a);

/* Text of the address without port: "198.18.0.1", "2001:2::1" (RFC 5952),
 * "fe80::1%3".  Always NUL-terminates when cap > 0; returns the length it
 * needed (like snprintf).  ADDR_TEXT_MAX always suffices. */
#define ADDR_TEXT_MAX 64
size_t addr_format(const plat_addr *a, char *buf, size_t cap);

/* Same family, address and port (scope ignored). */
bool addr_equal(const plat_addr *a, const plat_addr *b);

#endif
