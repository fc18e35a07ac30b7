/* fuzz_util.h - helpers shared by the libFuzzer harnesses: invariant checks
 * that abort (so libFuzzer saves the input), touching bytes so ASan sees an
 * overread, and an independent NAT-D oracle for the IKE-facing harnesses. */
#ifndef NATTCHECK_FUZZ_UTIL_H
#define NATTCHECK_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

/* Not assert(): it must stay on whatever NDEBUG says, and name the rule. */
#define FUZZ_CHECK(cond)                                                        \
	do {                                                                        \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                         \
			abort();                                                            \
		}                                                                       \
	} while (0)

static volatile uint8_t fuzz_sink;

/* Reads every byte, so ASan reports a pointer or length that leaves the
 * buffer it claims to be in. */
static inline void fuzz_touch(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	uint8_t x = 0;

	for (size_t i = 0; i < n; i++)
		x ^= b[i];
	fuzz_sink ^= x;
}

/* A heap copy of exactly n bytes (n may be 0), so ASan catches one byte
 * past the end.  The caller frees it. */
static inline uint8_t *fuzz_dup(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

/* The NAT-D hash (RFC 3947 3.2) computed here, not with natd_hash, so the
 * harnesses compare the code under test with an independent oracle. */
static inline bool fuzz_natd_hash(int alg, const uint8_t icookie[8], const uint8_t rcookie[8],
	const plat_addr *a, uint8_t out[PLAT_HASH_MAX], size_t *outlen)
{
	uint8_t in[8 + 8 + 16 + 2];
	size_t n = 0;

	memcpy(in, icookie, 8);
	memcpy(in + 8, rcookie, 8);
	n = 16;
	memcpy(in + n, a->addr, a->family == 6 ? 16 : 4);
	n += a->family == 6 ? 16 : 4;
	in[n++] = (uint8_t)(a->port >> 8);
	in[n++] = (uint8_t)a->port;
	return plat_hash(alg, in, n, out, outlen) == PLAT_OK;
}

/* The hash algorithm whose digest is n bytes, 0 if none. */
static inline int fuzz_hash_for_len(size_t n)
{
	switch (n) {
	case 16: return PLAT_HASH_MD5;
	case 20: return PLAT_HASH_SHA1;
	case 32: return PLAT_HASH_SHA256;
	case 48: return PLAT_HASH_SHA384;
	case 64: return PLAT_HASH_SHA512;
	default: return 0;
	}
}

/* Rewrites the NAT-D payload bodies (types 20 and 130) of the IKE message
 * pkt[0..len) in place, as an honest responder would: the first with the
 * hash of client (where the responder saw us), the others with the hash of
 * server (its own address).  alg 0: the hash whose length matches the
 * payload; otherwise only payloads of that hash's length are rewritten.
 * which: bit 0 the first payload,
 * bit 1 the others.  Walks the chain with its own bounds checks; stops at
 * anything inconsistent.  Returns a bit mask of payload indexes rewritten
 * (bit i = i-th NAT-D payload, up to 31). */
static inline uint32_t fuzz_fix_natd(uint8_t *pkt, size_t len, const uint8_t icookie[8],
	const uint8_t rcookie[8], int alg, const plat_addr *client, const plat_addr *server,
	unsigned which)
{
	size_t off = 28, end = 0;
	uint8_t type = 0;
	uint32_t done = 0;
	unsigned idx = 0;

	if (len < 28)
		return 0;
	end = ((size_t)pkt[24] << 24) | ((size_t)pkt[25] << 16) | ((size_t)pkt[26] << 8) | pkt[27];
	if (end > len)
		end = len;
	type = pkt[16];
	while (type != 0 && off + 4 <= end) {
		size_t plen = ((size_t)pkt[off + 2] << 8) | pkt[off + 3];

		if (plen < 4 || plen > end - off)
			break;
		if (type == 20 || type == 130) {
			size_t blen = plen - 4;
			int a = alg ? alg : fuzz_hash_for_len(blen);
			uint8_t h[PLAT_HASH_MAX];
			size_t hlen = 0;
			bool want = idx == 0 ? (which & 1) : (which & 2);

			if (want && a && fuzz_natd_hash(a, icookie, rcookie, idx == 0 ? client : server, h,
				&hlen) && hlen == blen) {
				memcpy(pkt + off + 4, h, hlen);
				if (idx < 32)
					done |= 1u << idx;
			}
			idx++;
		}
		type = pkt[off];
		off += plen;
	}
	return done;
}

#endif
