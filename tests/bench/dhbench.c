/* dhbench.c - what one Diffie-Hellman costs with nattcheck's own code
 * (src/ike_dh.c over src/bn.c), for `make bench` (tests/bench/dh.sh).
 *
 * Built twice from the same sources by bench.mk: for the host (gcc) and
 * for Windows x86_64 (mingw-w64, run under Wine).  For each group asked
 * (default 2, 14, 19, 20) it times, N times each (after 3 untimed calls):
 *   keypair  ike_dh_keypair: a fresh private value and its public value
 *            (MODP: 2^x mod p, x of ike_dh_priv_len bytes; ECP: x G and the
 *            affine conversion, one inversion by Fermat);
 *   shared   ike_dh_shared: the peer's value checked, then y^x mod p
 *            (MODP) or x Q and its affine x (ECP);
 *   fullexp  MODP only, for scale: bn_mod_exp with an exponent as long as
 *            p (what a full-length private value would cost; nattcheck's
 *            are 32-40 bytes, see modp_priv_len in ike_dh.c).
 * Before timing, each group's exchange is done both ways and the two
 * secrets compared (a wrong build would otherwise be timed happily).
 *
 * plat_random is this file's own xorshift (the same as tests/fake_net.c):
 * the Windows build then measures bn.c and ike_dh.c alone, not CryptoAPI,
 * and both builds run the same code.  The time of bn.c does not depend on
 * the values (fixed window, every table entry read), only on the lengths.
 *
 * Usage: dhbench [-n RUNS] [-r] [GROUP...]
 * Output, one line per group and operation (ms, 4 decimals), tab-separated:
 *   dh <group> <name> <op> <runs> <median> <min> <max> <mean>
 * with -r also every sample, before that line (dh.sh pools several runs):
 *   t <group> <name> <op> <ms>
 * then "dhbench: ok" (exit 0), or a line saying what failed (exit 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

#include "bn.h"
#include "ike.h"
#include "platform.h"

static uint32_t rng = 0x2545f491u;
static int raw;   /* -r: print every sample */

plat_status plat_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		p[i] = (uint8_t)(rng >> 24);
	}
	return PLAT_OK;
}

/* A monotonic clock in ms. */
static double now_ms(void)
{
#ifdef _WIN32
	static LARGE_INTEGER freq;
	LARGE_INTEGER t;

	if (freq.QuadPart == 0)
		QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&t);
	return (double)t.QuadPart * 1000.0 / (double)freq.QuadPart;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
#endif
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(unsigned group, const char *name, const char *op, double *t, unsigned n)
{
	double sum = 0, med;

	for (unsigned i = 0; raw && i < n; i++)
		printf("t\t%u\t%s\t%s\t%.4f\n", group, name, op, t[i]);
	qsort(t, n, sizeof(*t), cmp_double);
	for (unsigned i = 0; i < n; i++)
		sum += t[i];
	med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	printf("dh\t%u\t%s\t%s\t%u\t%.4f\t%.4f\t%.4f\t%.4f\n", group, name, op, n, med, t[0],
		t[n - 1], sum / n);
	fflush(stdout);
}

static const char *group_name(unsigned g)
{
	switch (g) {
	case 1: return "MODP-768";
	case 2: return "MODP-1024";
	case 5: return "MODP-1536";
	case 14: return "MODP-2048";
	case 15: return "MODP-3072";
	case 16: return "MODP-4096";
	case 19: return "P-256";
	case 20: return "P-384";
	default: return "?";
	}
}

static int fail(unsigned group, const char *what, ike_dh_status st)
{
	printf("dhbench: group %u: %s: %s\n", group, what, ike_dh_status_name(st));
	return 1;
}

#define WARMUP 3

static int bench_group(unsigned g, unsigned n, double *t)
{
	uint8_t pa[IKE_DH_PRIV_MAX], pb[IKE_DH_PRIV_MAX], ya[IKE_DH_VALUE_MAX],
		yb[IKE_DH_VALUE_MAX], sa[IKE_DH_VALUE_MAX], sb[IKE_DH_VALUE_MAX];
	size_t la = sizeof(pa), lb = sizeof(pb), lya = sizeof(ya), lyb = sizeof(yb),
	       lsa = sizeof(sa), lsb = sizeof(sb);
	const char *name = group_name(g);
	ike_dh_status st;

	/* Both ways once: the secrets must agree. */
	if ((st = ike_dh_keypair((uint16_t)g, pa, &la, ya, &lya)) != IKE_DH_OK)
		return fail(g, "keypair", st);
	if ((st = ike_dh_keypair((uint16_t)g, pb, &lb, yb, &lyb)) != IKE_DH_OK)
		return fail(g, "keypair", st);
	if ((st = ike_dh_shared((uint16_t)g, pa, la, yb, lyb, sa, &lsa)) != IKE_DH_OK)
		return fail(g, "shared", st);
	if ((st = ike_dh_shared((uint16_t)g, pb, lb, ya, lya, sb, &lsb)) != IKE_DH_OK)
		return fail(g, "shared", st);
	if (lsa != lsb || memcmp(sa, sb, lsa) != 0) {
		printf("dhbench: group %u: the two sides' secrets differ\n", g);
		return 1;
	}

	for (unsigned i = 0; i < WARMUP + n; i++) {
		double t0 = now_ms();

		la = sizeof(pa);
		lya = sizeof(ya);
		if ((st = ike_dh_keypair((uint16_t)g, pa, &la, ya, &lya)) != IKE_DH_OK)
			return fail(g, "keypair", st);
		if (i >= WARMUP)
			t[i - WARMUP] = now_ms() - t0;
	}
	report(g, name, "keypair", t, n);

	for (unsigned i = 0; i < WARMUP + n; i++) {
		double t0 = now_ms();

		lsa = sizeof(sa);
		if ((st = ike_dh_shared((uint16_t)g, pa, la, yb, lyb, sa, &lsa)) != IKE_DH_OK)
			return fail(g, "shared", st);
		if (i >= WARMUP)
			t[i - WARMUP] = now_ms() - t0;
	}
	report(g, name, "shared", t, n);

	if (g != 19 && g != 20) {
		static bn_mod m;
		static bn_limb base[BN_MAX_LIMBS], r[BN_MAX_LIMBS];
		uint8_t p[IKE_DH_VALUE_MAX], e[IKE_DH_VALUE_MAX];
		size_t plen = ike_dh_modp_prime((uint16_t)g, p);

		if (plen == 0 || !bn_mod_init(&m, p, plen)) {
			printf("dhbench: group %u: no prime\n", g);
			return 1;
		}
		(void)bn_from_bytes(base, m.n, yb, lyb);
		for (unsigned i = 0; i < WARMUP + n; i++) {
			double t0;

			(void)plat_random(e, plen);
			e[0] |= 0x80;
			t0 = now_ms();
			bn_mod_exp(&m, r, base, e, plen);
			if (i >= WARMUP)
				t[i - WARMUP] = now_ms() - t0;
		}
		report(g, name, "fullexp", t, n);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned dflt[] = { 2, 14, 19, 20 };
	unsigned groups[16], ng = 0, n = 50;
	double *t;
	int i = 1;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-r") == 0)
			raw = 1;
		else if (ng < 16)
			groups[ng++] = (unsigned)strtoul(argv[i], NULL, 10);
	}
	if (ng == 0) {
		memcpy(groups, dflt, sizeof(dflt));
		ng = sizeof(dflt) / sizeof(dflt[0]);
	}
	if (n == 0 || n > 100000 || !(t = malloc(n * sizeof(*t)))) {
		printf("usage: dhbench [-n RUNS] [-r] [GROUP...]\n");
		return 2;
	}
	for (unsigned k = 0; k < ng; k++) {
		if (ike_dh_priv_len((uint16_t)groups[k]) == 0) {
			printf("dhbench: group %u not supported\n", groups[k]);
			return 1;
		}
		if (bench_group(groups[k], n, t) != 0)
			return 1;
	}
	free(t);
	printf("dhbench: ok\n");
	return 0;
}
