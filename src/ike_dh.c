/* ike_dh.c - Diffie-Hellman public values for message 3's KE payload.
 *
 * The probe never derives keys, but the server checks the KE value (e.g.
 * strongSwan refuses a random one), so it must be a valid public value:
 * - MODP groups (RFC 2409 6.2, RFC 3526): 2^k mod p.  Every Oakley prime
 *   starts with 64 one bits, so 2^k < p for k <= bits-2 and the value is
 *   just one bit set.  p = 7 mod 8, so 2 is a quadratic residue and 2^k
 *   even lies in the prime-order subgroup.
 * - ECP groups (RFC 5903): the generator G itself (private key 1), encoded
 *   as x || y, each coordinate the field size (RFC 5903 7). */
#include "ike.h"

#include <string.h>

#include "bn.h"
#include "platform.h"

/* NIST P-256 and P-384 base points (FIPS 186-4 D.1.2.3 and D.1.2.4, the
 * curves of RFC 5903 3.1 and 3.2). */
static const uint8_t p256_g[64] = {
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
	0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
	0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a,
	0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
	0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};
static const uint8_t p384_g[96] = {
	0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37, 0x8e, 0xb1, 0xc7, 0x1e,
	0xf3, 0x20, 0xad, 0x74, 0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7, 0x9b, 0x98,
	0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38, 0x55, 0x02, 0xf2, 0x5d,
	0xbf, 0x55, 0x29, 0x6c, 0x3a, 0x54, 0x5e, 0x38, 0x72, 0x76, 0x0a, 0xb7,
	0x36, 0x17, 0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f, 0x5d, 0x9e, 0x98, 0xbf,
	0x92, 0x92, 0xdc, 0x29, 0xf8, 0xf4, 0x1d, 0xbd, 0x28, 0x9a, 0x14, 0x7c,
	0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0, 0x0a, 0x60, 0xb1, 0xce,
	0x1d, 0x7e, 0x81, 0x9d, 0x7a, 0x43, 0x1d, 0x7c, 0x90, 0xea, 0x0e, 0x5f,
};

/* Bytes of a MODP group's prime, 0 if not a MODP group we know. */
static size_t modp_len(uint16_t group)
{
	switch (group) {
	case 1: return 96;   /* 768 bits, RFC 2409 6.1 */
	case 2: return 128;  /* 1024, RFC 2409 6.2 */
	case 5: return 192;  /* 1536, RFC 3526 2 */
	case 14: return 256; /* 2048, RFC 3526 3 */
	case 15: return 384; /* 3072, RFC 3526 4 */
	case 16: return 512; /* 4096, RFC 3526 5 */
	default: return 0;
	}
}

size_t ike_dh_ke_len(uint16_t group)
{
	if (group == 19)
		return sizeof(p256_g);
	if (group == 20)
		return sizeof(p384_g);
	return modp_len(group);
}

size_t ike_dh_ke(uint16_t group, uint32_t rnd, uint8_t *out, size_t cap)
{
	size_t len = ike_dh_ke_len(group);
	size_t bits = len * 8, k = 0;

	if (len == 0 || len > cap)
		return 0;
	if (group == 19 || group == 20) {
		memcpy(out, group == 19 ? p256_g : p384_g, len);
		return len;
	}
	/* k in [256, bits-2]: large enough that 2^k is not a small value a
	 * server might refuse, small enough to stay below p. */
	k = 256 + rnd % (bits - 1 - 256);
	memset(out, 0, len);
	out[len - 1 - k / 8] = (uint8_t)(1u << (k % 8));
	return len;
}

/* ==== Real Diffie-Hellman (Main Mode with a pre-shared key) ============
 *
 * With a key, message 3 carries g^x for a fresh random private x and the
 * keys derive from g^xy (RFC 2409 5, 6).  Everything is computed with
 * bn.c; nothing here depends on the OS but plat_random. */

/* The 4096-bit MODP prime of RFC 3526 section 5, as printed there. */
static const char modp4096_hex[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
	"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
	"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
	"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7"
	"88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8"
	"DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2"
	"233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9"
	"93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF";

/* Every Oakley prime of b bits is 2^b - 2^(b-64) - 1 + 2^64 (floor(2^(b-130)
 * pi) + c), c a small constant that makes it a safe prime: the same digits
 * of pi in the middle for every size.  So each smaller prime is the first
 * `common` hex digits of the 4096-bit one followed by its own last digits
 * (RFC 2409 6.1, 6.2 and RFC 3526 2-4 print them in full; test_bn.c checks
 * every one against OpenSSL's copy).  Generator 2 for all. */
static const struct {
	uint16_t group;
	uint16_t common;
	const char *tail;
} modp_primes[] = {
	{ 1, 171, "A3620FFFFFFFFFFFFFFFF" },
	{ 2, 235, "65381FFFFFFFFFFFFFFFF" },
	{ 5, 362, "237327FFFFFFFFFFFFFFFF" },
	{ 14, 491, "CAA68FFFFFFFFFFFFFFFF" },
	{ 15, 746, "3AD2CAFFFFFFFFFFFFFFFF" },
	{ 16, 1024, "" },
};

static uint8_t hex_nibble(char c)
{
	return (uint8_t)(c <= '9' ? c - '0' : c - 'A' + 10);
}

/* The bytes of digits hex digits (upper case, an even count) to out;
 * returns how many. */
static size_t hex_bytes(const char *hex, size_t digits, uint8_t *out)
{
	for (size_t i = 0; i + 1 < digits; i += 2)
		out[i / 2] = (uint8_t)(hex_nibble(hex[i]) << 4 | hex_nibble(hex[i + 1]));
	return digits / 2;
}

/* The prime of a MODP group as big-endian bytes (out holds 512); its
 * length, 0 if the group is not MODP.  Digits may straddle the join, so
 * they are put together as text first. */
size_t ike_dh_modp_prime(uint16_t group, uint8_t *out)
{
	char hex[sizeof(modp4096_hex)];

	for (size_t i = 0; i < sizeof(modp_primes) / sizeof(modp_primes[0]); i++) {
		size_t c = modp_primes[i].common, t = strlen(modp_primes[i].tail);

		if (modp_primes[i].group != group)
			continue;
		memcpy(hex, modp4096_hex, c);
		memcpy(hex + c, modp_primes[i].tail, t);
		return hex_bytes(hex, c + t, out);
	}
	return 0;
}

/* NIST P-256 and P-384 (FIPS 186-4 D.1.2.3, D.1.2.4; RFC 5903 3.1, 3.2):
 * y^2 = x^3 - 3x + b over GF(p), prime order n, cofactor 1. */
typedef struct ecp_curve {
	uint16_t group;
	size_t flen;        /* bytes of a coordinate and of a scalar */
	const char *p, *b, *n;
	const uint8_t *g;   /* x || y */
} ecp_curve;

static const ecp_curve ecp_curves[] = {
	{ 19, 32,
	  "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
	  "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
	  "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
	  p256_g },
	{ 20, 48,
	  "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
	  "FFFFFFFF0000000000000000FFFFFFFF",
	  "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
	  "C656398D8A2ED19D2A85C8EDD3EC2AEF",
	  "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
	  "581A0DB248B0A77AECEC196ACCC52973",
	  p384_g },
};

#define ECP_LIMBS 12   /* 384 bits */
#define ECP_FLEN_MAX 48

static const ecp_curve *ecp_find(uint16_t group)
{
	for (size_t i = 0; i < sizeof(ecp_curves) / sizeof(ecp_curves[0]); i++)
		if (ecp_curves[i].group == group)
			return &ecp_curves[i];
	return NULL;
}

/* A curve ready to compute on: the field prime for Montgomery
 * arithmetic, b in Montgomery form, the order n as limbs. */
typedef struct ecp_ctx {
	const ecp_curve *c;
	bn_mod p;
	size_t nl;                 /* limbs of a field element */
	bn_limb b[ECP_LIMBS];
	bn_limb n[ECP_LIMBS];
} ecp_ctx;

static void ecp_init(ecp_ctx *e, const ecp_curve *c)
{
	uint8_t buf[ECP_FLEN_MAX];
	bn_limb t[ECP_LIMBS];

	e->c = c;
	(void)bn_mod_init(&e->p, buf, hex_bytes(c->p, strlen(c->p), buf));
	e->nl = e->p.n;
	(void)bn_from_bytes(t, e->nl, buf, hex_bytes(c->b, strlen(c->b), buf));
	bn_mod_to_mont(&e->p, e->b, t);
	(void)bn_from_bytes(e->n, e->nl, buf, hex_bytes(c->n, strlen(c->n), buf));
}

/* A point in projective coordinates (X:Y:Z), x = X/Z, y = Y/Z, each in
 * Montgomery form; the point at infinity is (0:1:0).  Projective rather
 * than Jacobian so that the complete addition formulas below apply. */
typedef struct ecp_pt {
	bn_limb x[ECP_LIMBS], y[ECP_LIMBS], z[ECP_LIMBS];
} ecp_pt;

/* r = a + b with the complete formulas for a = -3 of Renes, Costello and
 * Batina, "Complete addition formulas for prime order elliptic curves"
 * (2016), algorithm 4: one sequence of field operations that is right
 * for every pair of points, doubling and the point at infinity included,
 * so the scalar multiplication has no special case to get wrong (nor to
 * leak by timing).  12 multiplications, 2 by b.  r may alias a or b. */
static void ecp_add(const ecp_ctx *e, ecp_pt *r, const ecp_pt *a, const ecp_pt *b)
{
	const bn_mod *m = &e->p;
	bn_limb t0[ECP_LIMBS], t1[ECP_LIMBS], t2[ECP_LIMBS], t3[ECP_LIMBS], t4[ECP_LIMBS];
	/* Zeroed: limbs above a P-256 element's 8 are copied, never used. */
	bn_limb x3[ECP_LIMBS] = { 0 }, y3[ECP_LIMBS] = { 0 }, z3[ECP_LIMBS] = { 0 };

	bn_mont_mul(m, t0, a->x, b->x);
	bn_mont_mul(m, t1, a->y, b->y);
	bn_mont_mul(m, t2, a->z, b->z);
	bn_mod_add(m, t3, a->x, a->y);
	bn_mod_add(m, t4, b->x, b->y);
	bn_mont_mul(m, t3, t3, t4);
	bn_mod_add(m, t4, t0, t1);
	bn_mod_sub(m, t3, t3, t4);      /* X1 Y2 + X2 Y1 */
	bn_mod_add(m, t4, a->y, a->z);
	bn_mod_add(m, x3, b->y, b->z);
	bn_mont_mul(m, t4, t4, x3);
	bn_mod_add(m, x3, t1, t2);
	bn_mod_sub(m, t4, t4, x3);      /* Y1 Z2 + Y2 Z1 */
	bn_mod_add(m, x3, a->x, a->z);
	bn_mod_add(m, y3, b->x, b->z);
	bn_mont_mul(m, x3, x3, y3);
	bn_mod_add(m, y3, t0, t2);
	bn_mod_sub(m, y3, x3, y3);      /* X1 Z2 + X2 Z1 */
	bn_mont_mul(m, z3, e->b, t2);
	bn_mod_sub(m, x3, y3, z3);
	bn_mod_add(m, z3, x3, x3);
	bn_mod_add(m, x3, x3, z3);
	bn_mod_sub(m, z3, t1, x3);
	bn_mod_add(m, x3, t1, x3);
	bn_mont_mul(m, y3, e->b, y3);
	bn_mod_add(m, t1, t2, t2);
	bn_mod_add(m, t2, t1, t2);
	bn_mod_sub(m, y3, y3, t2);
	bn_mod_sub(m, y3, y3, t0);
	bn_mod_add(m, t1, y3, y3);
	bn_mod_add(m, y3, t1, y3);
	bn_mod_add(m, t1, t0, t0);
	bn_mod_add(m, t0, t1, t0);
	bn_mod_sub(m, t0, t0, t2);
	bn_mont_mul(m, t1, t4, y3);
	bn_mont_mul(m, t2, t0, y3);
	bn_mont_mul(m, y3, x3, z3);
	bn_mod_add(m, y3, y3, t2);
	bn_mont_mul(m, x3, t3, x3);
	bn_mod_sub(m, x3, x3, t1);
	bn_mont_mul(m, z3, t4, z3);
	bn_mont_mul(m, t1, t3, t0);
	bn_mod_add(m, z3, z3, t1);
	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

static void ecp_set_infinity(const ecp_ctx *e, ecp_pt *r)
{
	bn_limb one[ECP_LIMBS] = { 1 };

	memset(r, 0, sizeof(*r));
	bn_mod_to_mont(&e->p, r->y, one);
}

/* Reads x || y (2 flen bytes) into *r; false unless both coordinates are
 * below p and the point is on the curve (RFC 5903 has no encoding for the
 * point at infinity, and with cofactor 1 every other point on the curve
 * has order n: nothing more to check). */
static bool ecp_decode(const ecp_ctx *e, ecp_pt *r, const uint8_t *in)
{
	const bn_mod *m = &e->p;
	size_t fl = e->c->flen;
	bn_limb x[ECP_LIMBS], y[ECP_LIMBS], lhs[ECP_LIMBS], rhs[ECP_LIMBS], t[ECP_LIMBS];
	bn_limb one[ECP_LIMBS] = { 1 };

	if (!bn_from_bytes(x, e->nl, in, fl) || !bn_from_bytes(y, e->nl, in + fl, fl) ||
		bn_cmp(x, m->m, e->nl) >= 0 || bn_cmp(y, m->m, e->nl) >= 0)
		return false;
	memset(r, 0, sizeof(*r));
	bn_mod_to_mont(m, r->x, x);
	bn_mod_to_mont(m, r->y, y);
	bn_mod_to_mont(m, r->z, one);
	/* y^2 = x^3 - 3x + b, i.e. y^2 = (x^2 - 3) x + b. */
	bn_mont_mul(m, lhs, r->y, r->y);
	bn_mont_mul(m, rhs, r->x, r->x);
	bn_mod_add(m, t, r->x, r->x);
	bn_mod_add(m, t, t, r->x);
	bn_mont_mul(m, rhs, rhs, r->x);
	bn_mod_sub(m, rhs, rhs, t);
	bn_mod_add(m, rhs, rhs, e->b);
	return bn_cmp(lhs, rhs, e->nl) == 0;
}

/* r = k P for the big-endian scalar k (flen bytes): 4 bits at a time, with
 * a table of 0P .. 15P read in full at every step (constant time). */
static void ecp_mul(const ecp_ctx *e, ecp_pt *r, const uint8_t *k, const ecp_pt *p)
{
	ecp_pt tab[16], acc, f = { { 0 }, { 0 }, { 0 } };

	ecp_set_infinity(e, &tab[0]);
	tab[1] = *p;
	for (unsigned i = 2; i < 16; i++)
		ecp_add(e, &tab[i], &tab[i - 1], p);
	ecp_set_infinity(e, &acc);
	for (size_t d = 0; d < 2 * e->c->flen; d++) {
		unsigned digit = (k[d / 2] >> (d % 2 == 0 ? 4 : 0)) & 0xf;

		for (int s = 0; s < 4; s++)
			ecp_add(e, &acc, &acc, &acc);
		for (unsigned i = 0; i < 16; i++) {
			bn_limb hit = i == digit;

			bn_ct_copy(f.x, tab[i].x, hit, ECP_LIMBS);
			bn_ct_copy(f.y, tab[i].y, hit, ECP_LIMBS);
			bn_ct_copy(f.z, tab[i].z, hit, ECP_LIMBS);
		}
		ecp_add(e, &acc, &acc, &f);
	}
	*r = acc;
	bn_wipe(tab, sizeof(tab));
	bn_wipe(&acc, sizeof(acc));
	bn_wipe(&f, sizeof(f));
}

/* Writes the affine x (and y if out_y) of p as flen-byte big-endian
 * strings; false for the point at infinity.  1/Z = Z^(p-2) (Fermat). */
static bool ecp_affine(const ecp_ctx *e, const ecp_pt *p, uint8_t *out_x, uint8_t *out_y)
{
	const bn_mod *m = &e->p;
	size_t fl = e->c->flen;
	bn_limb z[ECP_LIMBS], two[ECP_LIMBS] = { 2 }, pm2[ECP_LIMBS], t[ECP_LIMBS];
	uint8_t pm2b[ECP_FLEN_MAX];

	bn_mod_from_mont(m, z, p->z);
	if (bn_is_zero(z, e->nl))
		return false;
	bn_sub(pm2, m->m, two, e->nl);
	(void)bn_to_bytes(pm2b, fl, pm2, e->nl);
	bn_mod_exp(m, z, z, pm2b, fl);
	/* X in Montgomery form times the ordinary 1/Z, divided by R: x. */
	bn_mont_mul(m, t, p->x, z);
	(void)bn_to_bytes(out_x, fl, t, e->nl);
	if (out_y) {
		bn_mont_mul(m, t, p->y, z);
		(void)bn_to_bytes(out_y, fl, t, e->nl);
	}
	bn_wipe(t, sizeof(t));
	return true;
}

/* Whether k (flen bytes) is a valid private scalar: 1 <= k < n. */
static bool ecp_scalar_ok(const ecp_ctx *e, const uint8_t *k, size_t len)
{
	bn_limb s[ECP_LIMBS];
	bool ok = len == e->c->flen && bn_from_bytes(s, e->nl, k, len) &&
		!bn_is_zero(s, e->nl) && bn_cmp(s, e->n, e->nl) < 0;

	bn_wipe(s, sizeof(s));
	return ok;
}

const char *ike_dh_status_name(ike_dh_status s)
{
	switch (s) {
	case IKE_DH_OK: return "ok";
	case IKE_DH_EGROUP: return "Diffie-Hellman group not supported";
	case IKE_DH_EPEER: return "invalid peer public value";
	case IKE_DH_EPRIV: return "invalid private value";
	case IKE_DH_ESPACE: return "output buffer too small";
	case IKE_DH_ERANDOM: return "no random numbers";
	}
	return "?";
}

/* Private exponent length for MODP groups.  A short exponent is safe with
 * these safe primes: the best attack on it costs about 2^(bits/2), so an
 * exponent of twice the group's strength suffices (van Oorschot and
 * Wiener).  RFC 3526 section 8 tabulates that size under two strength
 * estimates; this takes the larger one, and never less than 256 bits (the
 * 128-bit strength of the ciphers Windows negotiates):
 *   768, 1024, 1536 bits: 256 (the table: 1536 needs 180-240)
 *   2048: 320   3072: 420 (53 bytes)   4096: 480. */
static size_t modp_priv_len(uint16_t group)
{
	switch (group) {
	case 14: return 40;
	case 15: return 53;
	case 16: return 60;
	default: return 32;
	}
}

/* A MODP private value: 1 to IKE_DH_PRIV_MAX bytes, value >= 2 (0 and 1
 * would make the public value 1 or 2, which a server may refuse). */
static bool modp_priv_ok(const uint8_t *priv, size_t len)
{
	uint8_t high = 0;

	if (len == 0 || len > IKE_DH_PRIV_MAX)
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		high |= priv[i];
	return high != 0 || priv[len - 1] >= 2;
}

size_t ike_dh_priv_len(uint16_t group)
{
	const ecp_curve *c = ecp_find(group);

	if (c)
		return c->flen;
	return modp_len(group) ? modp_priv_len(group) : 0;
}

ike_dh_status ike_dh_public(uint16_t group, const uint8_t *priv, size_t priv_len, uint8_t *pub,
	size_t *pub_len)
{
	const ecp_curve *c = ecp_find(group);
	size_t plen = ike_dh_ke_len(group);

	if (plen == 0)
		return IKE_DH_EGROUP;
	if (*pub_len < plen)
		return IKE_DH_ESPACE;
	if (c) {
		ecp_ctx e;
		ecp_pt g, y;

		ecp_init(&e, c);
		if (!ecp_scalar_ok(&e, priv, priv_len))
			return IKE_DH_EPRIV;
		(void)ecp_decode(&e, &g, c->g);
		ecp_mul(&e, &y, priv, &g);
		if (!ecp_affine(&e, &y, pub, pub + c->flen))
			return IKE_DH_EPRIV;   /* not reached for 1 <= k < n */
		bn_wipe(&y, sizeof(y));
	} else {
		uint8_t pb[BN_MAX_BITS / 8];
		bn_mod m;
		bn_limb base[BN_MAX_LIMBS] = { 2 }, y[BN_MAX_LIMBS];

		if (!modp_priv_ok(priv, priv_len))
			return IKE_DH_EPRIV;
		(void)bn_mod_init(&m, pb, ike_dh_modp_prime(group, pb));
		bn_mod_exp(&m, y, base, priv, priv_len);
		(void)bn_to_bytes(pub, plen, y, m.n);
	}
	*pub_len = plen;
	return IKE_DH_OK;
}

ike_dh_status ike_dh_keypair(uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub,
	size_t *pub_len)
{
	size_t klen = ike_dh_priv_len(group);
	ike_dh_status st = IKE_DH_EPRIV;

	if (klen == 0)
		return IKE_DH_EGROUP;
	if (*priv_len < klen || *pub_len < ike_dh_ke_len(group))
		return IKE_DH_ESPACE;
	/* Draw until the value is usable (ike_dh_public says EPRIV if not):
	 * ECP needs 1 <= k < n, which a uniform draw misses with odds of
	 * 2^-32 at most (n is just below 2^bits); MODP needs x >= 2.  Drawing
	 * again rather than reducing keeps k uniform. */
	for (int tries = 0; tries < 16 && st == IKE_DH_EPRIV; tries++) {
		if (plat_random(priv, klen) != PLAT_OK) {
			bn_wipe(priv, klen);
			return IKE_DH_ERANDOM;
		}
		st = ike_dh_public(group, priv, klen, pub, pub_len);
	}
	if (st != IKE_DH_OK) {
		bn_wipe(priv, klen);
		return st;
	}
	*priv_len = klen;
	return IKE_DH_OK;
}

ike_dh_status ike_dh_shared(uint16_t group, const uint8_t *priv, size_t priv_len,
	const uint8_t *peer, size_t peer_len, uint8_t *out, size_t *out_len)
{
	const ecp_curve *c = ecp_find(group);
	size_t plen = ike_dh_ke_len(group);

	if (plen == 0)
		return IKE_DH_EGROUP;
	/* RFC 2409 5: a KE value is exactly the group's length (zeros in
	 * front if need be); RFC 5903 7: x || y. */
	if (peer_len != plen)
		return IKE_DH_EPEER;
	if (c) {
		ecp_ctx e;
		ecp_pt q, s;
		bool ok;

		if (*out_len < c->flen)
			return IKE_DH_ESPACE;
		ecp_init(&e, c);
		if (!ecp_scalar_ok(&e, priv, priv_len))
			return IKE_DH_EPRIV;
		if (!ecp_decode(&e, &q, peer))
			return IKE_DH_EPEER;
		ecp_mul(&e, &s, priv, &q);
		/* The shared secret is x alone (RFC 5903 7, 9). */
		ok = ecp_affine(&e, &s, out, NULL);
		bn_wipe(&s, sizeof(s));
		if (!ok)
			return IKE_DH_EPEER;   /* infinity: not reached for a point of order n */
		*out_len = c->flen;
	} else {
		uint8_t pb[BN_MAX_BITS / 8];
		bn_mod m;
		bn_limb y[BN_MAX_LIMBS], pm1[BN_MAX_LIMBS], one[BN_MAX_LIMBS] = { 1 }, z[BN_MAX_LIMBS];

		if (*out_len < plen)
			return IKE_DH_ESPACE;
		if (!modp_priv_ok(priv, priv_len))
			return IKE_DH_EPRIV;
		(void)bn_mod_init(&m, pb, ike_dh_modp_prime(group, pb));
		(void)bn_from_bytes(y, m.n, peer, peer_len);
		/* 1 < y < p - 1: 0, 1 and p - 1 would make g^xy one of 0, 1,
		 * p - 1 whatever x is (a small-subgroup confinement). */
		bn_sub(pm1, m.m, one, m.n);
		if (bn_cmp(y, one, m.n) <= 0 || bn_cmp(y, pm1, m.n) >= 0)
			return IKE_DH_EPEER;
		bn_mod_exp(&m, z, y, priv, priv_len);
		/* g^xy as long as p, leading zeros kept (RFC 2409 5). */
		(void)bn_to_bytes(out, plen, z, m.n);
		bn_wipe(z, sizeof(z));
		*out_len = plen;
	}
	return IKE_DH_OK;
}
