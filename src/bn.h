/* bn.h - fixed-capacity unsigned big integers for Diffie-Hellman: modular
 * multiplication and exponentiation modulo an odd number of up to 4096 bits
 * (the MODP primes of RFC 2409 / 3526, the P-256 / P-384 field primes).
 *
 * A number is an array of 32-bit limbs, least significant first, whose
 * length the caller knows (for residues: the modulus's, bn_mod.n).  32-bit
 * limbs keep one code path for i686 and x86_64: a 32x32->64 product is one
 * instruction on both, and no 128-bit type is needed.  Nothing allocates.
 *
 * Secrets (exponents, residues) go through code whose memory accesses and
 * branches do not depend on their value: the table lookup of the exponent
 * window scans every entry, and the final subtraction of a Montgomery
 * product is a masked select.  Moduli are public and may branch. */
#ifndef NATTCHECK_BN_H
#define NATTCHECK_BN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t bn_limb;
#define BN_LIMB_BITS 32
#define BN_MAX_BITS 4096
#define BN_MAX_LIMBS (BN_MAX_BITS / BN_LIMB_BITS)

/* Limbs needed for a big-endian string of len bytes. */
size_t bn_limbs_for(size_t len);
/* r (n limbs) = the big-endian string be[0..len).  False if the value does
 * not fit n limbs (leading zero bytes are fine); r is then all zero. */
bool bn_from_bytes(bn_limb *r, size_t n, const uint8_t *be, size_t len);
/* be[0..len) = a (n limbs) as a fixed-length big-endian string, leading
 * zeros kept.  False if the value needs more than len bytes. */
bool bn_to_bytes(uint8_t *be, size_t len, const bn_limb *a, size_t n);
/* -1, 0, 1 as a <, ==, > b; both n limbs.  Constant time. */
int bn_cmp(const bn_limb *a, const bn_limb *b, size_t n);
bool bn_is_zero(const bn_limb *a, size_t n);
/* r = a + b, returns the carry out (0 or 1).  r may alias a or b. */
bn_limb bn_add(bn_limb *r, const bn_limb *a, const bn_limb *b, size_t n);
/* r = a - b, returns the borrow out (0 or 1).  r may alias a or b. */
bn_limb bn_sub(bn_limb *r, const bn_limb *a, const bn_limb *b, size_t n);
/* r = a if cond is 1, r unchanged if it is 0 (n limbs), in constant time:
 * for table lookups and selections by a secret. */
void bn_ct_copy(bn_limb *r, const bn_limb *a, bn_limb cond, size_t n);
/* Overwrites a secret so that the compiler cannot drop it as a dead store. */
void bn_wipe(void *p, size_t len);

/* An odd modulus m > 1 prepared for Montgomery arithmetic with R = 2^(32n). */
typedef struct bn_mod {
	size_t n;                  /* limbs of m; m[n-1] != 0 */
	bn_limb m[BN_MAX_LIMBS];
	bn_limb m0inv;             /* -m^-1 mod 2^32 */
	bn_limb r2[BN_MAX_LIMBS];  /* R^2 mod m: converts into the Montgomery form */
} bn_mod;

/* From the big-endian modulus.  False if it is even, < 3 or > 4096 bits. */
bool bn_mod_init(bn_mod *m, const uint8_t *be, size_t len);

/* Montgomery form: a number a < m is held as a*R mod m, so that products
 * need no division.  bn_mont_mul: r = a*b/R mod m, for a < R and b < m;
 * r may alias a or b.  The result is always < m. */
void bn_mont_mul(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b);
/* r = a*R mod m for any n-limb a (it need not be below m). */
void bn_mod_to_mont(const bn_mod *m, bn_limb *r, const bn_limb *a);
/* r = a/R mod m: back out of the Montgomery form. */
void bn_mod_from_mont(const bn_mod *m, bn_limb *r, const bn_limb *a);
/* r = a + b mod m and a - b mod m for a, b < m (either form). */
void bn_mod_add(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b);
void bn_mod_sub(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b);
/* r = a*b mod m in the ordinary form, for a < R and b < m. */
void bn_mod_mul(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b);
/* r = base^e mod m, ordinary form in and out; base is any n-limb number,
 * e the big-endian exponent of elen bytes (e = 0 gives 1 mod m).  The time
 * depends on elen and m, not on the values of e or base. */
void bn_mod_exp(const bn_mod *m, bn_limb *r, const bn_limb *base, const uint8_t *e, size_t elen);

#endif
