/* bn.c - unsigned big integers and Montgomery arithmetic (see bn.h).
 *
 * Montgomery multiplication (P. Montgomery, 1985) replaces the division of
 * a modular product by shifts: with R = 2^(32n) > m and m odd, adding a
 * multiple q*m of the modulus that makes the low limb zero, then dropping
 * that limb, divides by 2^32 modulo m.  Doing it once per limb of the
 * multiplier, interleaved with the multiplication ("CIOS", coarsely
 * integrated operand scanning), keeps the running sum at n + 2 limbs and
 * yields a*b/R mod m, below 2m, so one conditional subtraction ends it. */
#include "bn.h"

#include <string.h>

size_t bn_limbs_for(size_t len)
{
	return (len + sizeof(bn_limb) - 1) / sizeof(bn_limb);
}

/* Byte i of a (n limbs), counting from the least significant; 0 past the
 * end. */
static uint8_t limb_byte(const bn_limb *a, size_t n, size_t i)
{
	size_t limb = i / sizeof(bn_limb);

	return limb < n ? (uint8_t)(a[limb] >> (8 * (i % sizeof(bn_limb)))) : 0;
}

bool bn_from_bytes(bn_limb *r, size_t n, const uint8_t *be, size_t len)
{
	memset(r, 0, n * sizeof(bn_limb));
	/* be[len - 1 - i] is byte i from the least significant. */
	for (size_t i = 0; i < len; i++) {
		uint8_t b = be[len - 1 - i];

		if (i < n * sizeof(bn_limb)) {
			r[i / sizeof(bn_limb)] |= (bn_limb)b << (8 * (i % sizeof(bn_limb)));
		} else if (b != 0) {
			memset(r, 0, n * sizeof(bn_limb));
			return false;
		}
	}
	return true;
}

bool bn_to_bytes(uint8_t *be, size_t len, const bn_limb *a, size_t n)
{
	/* The value must fit: every limb byte from len up is zero. */
	for (size_t i = len; i < n * sizeof(bn_limb); i++)
		if (limb_byte(a, n, i) != 0)
			return false;
	for (size_t i = 0; i < len; i++)
		be[len - 1 - i] = limb_byte(a, n, i);
	return true;
}

int bn_cmp(const bn_limb *a, const bn_limb *b, size_t n)
{
	/* From the top limb down, the first difference decides: remember it
	 * without branching on the (possibly secret) values. */
	int res = 0;

	for (size_t i = n; i-- > 0;) {
		int gt = a[i] > b[i], lt = a[i] < b[i];
		int undecided = res == 0;

		res += undecided * (gt - lt);
	}
	return res;
}

bool bn_is_zero(const bn_limb *a, size_t n)
{
	bn_limb acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= a[i];
	return acc == 0;
}

bn_limb bn_add(bn_limb *r, const bn_limb *a, const bn_limb *b, size_t n)
{
	uint64_t c = 0;

	for (size_t i = 0; i < n; i++) {
		c += (uint64_t)a[i] + b[i];
		r[i] = (bn_limb)c;
		c >>= BN_LIMB_BITS;
	}
	return (bn_limb)c;
}

bn_limb bn_sub(bn_limb *r, const bn_limb *a, const bn_limb *b, size_t n)
{
	bn_limb borrow = 0;

	for (size_t i = 0; i < n; i++) {
		/* The difference as a 64-bit two's complement: bit 63 set means
		 * this limb borrowed from the next. */
		uint64_t d = (uint64_t)a[i] - b[i] - borrow;

		r[i] = (bn_limb)d;
		borrow = (bn_limb)(d >> 63);
	}
	return borrow;
}

void bn_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;

	while (len--)
		*v++ = 0;
}

void bn_ct_copy(bn_limb *r, const bn_limb *a, bn_limb cond, size_t n)
{
	/* All ones or all zero: the same instructions either way. */
	bn_limb mask = (bn_limb)0 - (cond & 1);

	for (size_t i = 0; i < n; i++)
		r[i] ^= (r[i] ^ a[i]) & mask;
}

/* -x^-1 mod 2^32 for odd x.  Newton's iteration y' = y(2 - xy) doubles the
 * number of correct low bits; y = x is right to 3 bits (x*x = 1 mod 8 for
 * odd x), so four steps give 48 >= 32. */
static bn_limb neg_inv32(bn_limb x)
{
	bn_limb y = x;

	for (int i = 0; i < 4; i++)
		y *= 2 - x * y;
	return (bn_limb)0 - y;
}

/* a = 2a mod m, for a < m (public values: may branch). */
static void mod_double(const bn_mod *m, bn_limb *a)
{
	bn_limb top = a[m->n - 1] >> (BN_LIMB_BITS - 1);

	for (size_t i = m->n; i-- > 1;)
		a[i] = (a[i] << 1) | (a[i - 1] >> (BN_LIMB_BITS - 1));
	a[0] <<= 1;
	/* 2a < 2m: one subtraction at most, needed if it carried out or is >= m. */
	if (top || bn_cmp(a, m->m, m->n) >= 0)
		bn_sub(a, a, m->m, m->n);
}

bool bn_mod_init(bn_mod *m, const uint8_t *be, size_t len)
{
	size_t n = 0;

	while (len > 0 && be[0] == 0) {
		be++;
		len--;
	}
	memset(m, 0, sizeof(*m));
	n = bn_limbs_for(len);
	if (n == 0 || n > BN_MAX_LIMBS || !bn_from_bytes(m->m, n, be, len))
		return false;
	if ((m->m[0] & 1) == 0 || (n == 1 && m->m[0] < 3))
		return false;
	m->n = n;
	m->m0inv = neg_inv32(m->m[0]);
	/* R^2 mod m = 2^(64n) mod m by doubling modulo m, starting from the
	 * largest power of two below m, 2^(bits-1): slow-ish (about 32n
	 * doublings of n limbs, a couple of milliseconds at 4096 bits) but
	 * obviously right, and done once per modulus. */
	{
		size_t bits = BN_LIMB_BITS * (n - 1);

		for (bn_limb top = m->m[n - 1]; top != 0; top >>= 1)
			bits++;
		m->r2[(bits - 1) / BN_LIMB_BITS] = (bn_limb)1 << ((bits - 1) % BN_LIMB_BITS);
		for (size_t i = bits - 1; i < 2 * BN_LIMB_BITS * n; i++)
			mod_double(m, m->r2);
	}
	return true;
}

void bn_mont_mul(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b)
{
	size_t n = m->n;
	bn_limb t[BN_MAX_LIMBS + 2], s[BN_MAX_LIMBS];
	bn_limb borrow, keep_t;

	memset(t, 0, (n + 2) * sizeof(bn_limb));
	for (size_t i = 0; i < n; i++) {
		uint64_t c = 0;
		bn_limb q;

		/* t += a[i] * b.  Each step fits 64 bits:
		 * (2^32-1) + (2^32-1)^2 + (2^32-1) = 2^64 - 1. */
		for (size_t j = 0; j < n; j++) {
			c += (uint64_t)t[j] + (uint64_t)a[i] * b[j];
			t[j] = (bn_limb)c;
			c >>= BN_LIMB_BITS;
		}
		c += t[n];
		t[n] = (bn_limb)c;
		t[n + 1] = (bn_limb)(c >> BN_LIMB_BITS);
		/* q makes t + q*m divisible by 2^32; add it and shift one limb
		 * down (the low limb is zero by construction). */
		q = t[0] * m->m0inv;
		c = ((uint64_t)q * m->m[0] + t[0]) >> BN_LIMB_BITS;
		for (size_t j = 1; j < n; j++) {
			c += (uint64_t)t[j] + (uint64_t)q * m->m[j];
			t[j - 1] = (bn_limb)c;
			c >>= BN_LIMB_BITS;
		}
		c += t[n];
		t[n - 1] = (bn_limb)c;
		t[n] = t[n + 1] + (bn_limb)(c >> BN_LIMB_BITS);
	}
	/* t < 2m, t[n] is 0 or 1.  s = t - m over n limbs.  Keep t exactly
	 * when t < m: no carry limb and the subtraction borrowed.  (Carry limb
	 * set and no borrow would mean t >= R + m > 2m: impossible.) */
	borrow = bn_sub(s, t, m->m, n);
	keep_t = borrow & (t[n] ^ 1);
	bn_ct_copy(s, t, keep_t, n);
	memcpy(r, s, n * sizeof(bn_limb));
	/* No wipe here: it would cost more than the product at P-256 sizes;
	 * the callers wipe what they keep (bn_mod_exp its table). */
}

void bn_mod_to_mont(const bn_mod *m, bn_limb *r, const bn_limb *a)
{
	/* a*R^2/R: a < R and R^2 mod m < m meet bn_mont_mul's bounds, so
	 * this also reduces an a >= m. */
	bn_mont_mul(m, r, a, m->r2);
}

void bn_mod_from_mont(const bn_mod *m, bn_limb *r, const bn_limb *a)
{
	bn_limb one[BN_MAX_LIMBS];

	memset(one, 0, m->n * sizeof(bn_limb));
	one[0] = 1;
	bn_mont_mul(m, r, a, one);
}

void bn_mod_add(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b)
{
	bn_limb s[BN_MAX_LIMBS], d[BN_MAX_LIMBS];
	bn_limb carry = bn_add(s, a, b, m->n);
	bn_limb borrow = bn_sub(d, s, m->m, m->n);

	/* a + b < 2m: the reduced value is d unless the sum (with its carry)
	 * was below m, i.e. the subtraction borrowed and nothing carried. */
	bn_ct_copy(d, s, borrow & (carry ^ 1), m->n);
	memcpy(r, d, m->n * sizeof(bn_limb));
}

void bn_mod_sub(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b)
{
	bn_limb d[BN_MAX_LIMBS], e[BN_MAX_LIMBS];
	bn_limb borrow = bn_sub(d, a, b, m->n);

	/* a - b went negative: add m back. */
	bn_add(e, d, m->m, m->n);
	bn_ct_copy(d, e, borrow, m->n);
	memcpy(r, d, m->n * sizeof(bn_limb));
}

void bn_mod_mul(const bn_mod *m, bn_limb *r, const bn_limb *a, const bn_limb *b)
{
	/* a*b/R, then times R^2/R: a*b mod m. */
	bn_limb t[BN_MAX_LIMBS];

	bn_mont_mul(m, t, a, b);
	bn_mont_mul(m, r, t, m->r2);
}

/* The exponent is read 4 bits (one hex digit) at a time: 16 table entries
 * (8 KiB at 4096 bits, on the stack) and, per 4 exponent bits, 4 squarings
 * and 1 multiplication.  A 5-bit window would save ~5% of the products for
 * twice the table; not worth it here. */
#define WIN_BITS 4
#define WIN_SIZE (1u << WIN_BITS)

void bn_mod_exp(const bn_mod *m, bn_limb *r, const bn_limb *base, const uint8_t *e, size_t elen)
{
	size_t n = m->n;
	bn_limb tab[WIN_SIZE][BN_MAX_LIMBS];
	bn_limb acc[BN_MAX_LIMBS], f[BN_MAX_LIMBS], one[BN_MAX_LIMBS];

	/* tab[i] = base^i in Montgomery form; tab[0] = R mod m (1). */
	memset(one, 0, n * sizeof(bn_limb));
	one[0] = 1;
	bn_mod_to_mont(m, tab[0], one);
	bn_mod_to_mont(m, tab[1], base);
	for (unsigned i = 2; i < WIN_SIZE; i++)
		bn_mont_mul(m, tab[i], tab[i - 1], tab[1]);

	memcpy(acc, tab[0], n * sizeof(bn_limb));
	for (size_t k = 0; k < 2 * elen; k++) {
		/* Digit k from the top: the high then the low half of a byte. */
		unsigned digit = (e[k / 2] >> (k % 2 == 0 ? 4 : 0)) & 0xf;

		for (int s = 0; s < WIN_BITS; s++)
			bn_mont_mul(m, acc, acc, acc);
		/* f = tab[digit], reading every entry so that the memory access
		 * pattern does not reveal the digit. */
		memcpy(f, tab[0], n * sizeof(bn_limb));
		for (unsigned i = 1; i < WIN_SIZE; i++)
			bn_ct_copy(f, tab[i], i == digit, n);
		bn_mont_mul(m, acc, acc, f);
	}
	bn_mod_from_mont(m, r, acc);
	bn_wipe(tab, sizeof(tab));
	bn_wipe(acc, sizeof(acc));
	bn_wipe(f, sizeof(f));
}
