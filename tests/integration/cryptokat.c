/* cryptokat.c - known-answer test of win/crypto.c's plat_hmac, plat_cbc and
 * plat_wipe, run under Wine by crypto.sh (built there together with
 * win/crypto.c and win/util.c).  It prints one line per computation, with
 * its inputs, for crypto.sh to redo with python3 (hmac) and openssl(1):
 *
 *   hmac ALG KEYHEX MSGHEX MACHEX            ALG: md5 sha1 sha256 sha384 sha512
 *   cbc CIPHER KEYHEX IVHEX PTHEX CTHEX DECHEX
 *                                            CIPHER: openssl's name; DEC is
 *                                            CT decrypted again
 *   edge NAME STATUS untouched|changed       a call that must fail (or do
 *                                            nothing): its plat_status, and
 *                                            whether the data changed
 *                                            (HMAC: out written or *outlen
 *                                            not 0)
 *   end N                                    N lines before this one
 *
 * "-" is empty hex; a failed call prints ERR:STATUS:TEXT instead of its
 * result. */
#include "platform.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int lines;

static void hex(const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0) {
		fputs(" -", stdout);
		return;
	}
	putchar(' ');
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void err(plat_status st)
{
	printf(" ERR:%d:%s", (int)st, plat_strerror());
}

static const char *hash_name(int alg)
{
	switch (alg) {
	case PLAT_HASH_MD5: return "md5";
	case PLAT_HASH_SHA1: return "sha1";
	case PLAT_HASH_SHA256: return "sha256";
	case PLAT_HASH_SHA384: return "sha384";
	case PLAT_HASH_SHA512: return "sha512";
	default: return "?";
	}
}

static void kat_hmac(int alg, const uint8_t *key, size_t klen, const void *msg, size_t mlen)
{
	uint8_t out[PLAT_HASH_MAX];
	size_t olen = 0;
	plat_status st = plat_hmac(alg, key, klen, msg, mlen, out, &olen);

	printf("hmac %s", hash_name(alg));
	hex(key, klen);
	hex(msg, mlen);
	if (st == PLAT_OK)
		hex(out, olen);
	else
		err(st);
	putchar('\n');
	lines++;
}

/* Deterministic "random" bytes (xorshift32). */
static uint32_t rnd_state = 0x2545f491u;

static void rnd(uint8_t *p, size_t n)
{
	while (n-- > 0) {
		rnd_state ^= rnd_state << 13;
		rnd_state ^= rnd_state >> 17;
		rnd_state ^= rnd_state << 5;
		*p++ = (uint8_t)(rnd_state >> 24);
	}
}

static const char *cipher_name(int alg, size_t klen)
{
	if (alg == PLAT_CIPHER_3DES)
		return "des-ede3-cbc";
	return klen == 16 ? "aes-128-cbc" : klen == 24 ? "aes-192-cbc" : "aes-256-cbc";
}

/* Encrypts pt, then decrypts the result again. */
static void kat_cbc(int alg, const uint8_t *key, size_t klen, const uint8_t *iv,
	const uint8_t *pt, size_t len)
{
	uint8_t buf[256], ivc[PLAT_CIPHER_BLOCK_MAX];
	plat_status st;

	printf("cbc %s", cipher_name(alg, klen));
	hex(key, klen);
	hex(iv, alg == PLAT_CIPHER_3DES ? 8 : 16);
	hex(pt, len);
	memcpy(buf, pt, len);
	memcpy(ivc, iv, sizeof(ivc));
	st = plat_cbc(alg, key, klen, ivc, true, buf, len);
	if (st != PLAT_OK) {
		err(st);
		goto done;
	}
	hex(buf, len);
	if (memcmp(ivc, iv, sizeof(ivc)) != 0) {
		fputs(" ERR:iv-changed", stdout);
		goto done;
	}
	st = plat_cbc(alg, key, klen, ivc, false, buf, len);
	if (st != PLAT_OK) {
		err(st);
		goto done;
	}
	hex(buf, len);
done:
	putchar('\n');
	lines++;
}

static void kat_cbc_random(int alg, size_t klen, size_t len)
{
	uint8_t key[32], iv[PLAT_CIPHER_BLOCK_MAX], pt[256];

	rnd(key, klen);
	rnd(iv, sizeof(iv));
	rnd(pt, len);
	kat_cbc(alg, key, klen, iv, pt, len);
}

/* A plat_cbc call that must fail (or, for len 0, do nothing). */
static void edge_cbc(const char *name, int alg, size_t klen, size_t len)
{
	uint8_t key[40], iv[PLAT_CIPHER_BLOCK_MAX], buf[64], orig[64];
	plat_status st;

	rnd(key, sizeof(key));
	rnd(iv, sizeof(iv));
	rnd(buf, sizeof(buf));
	memcpy(orig, buf, sizeof(buf));
	st = plat_cbc(alg, key, klen, iv, true, buf, len);
	printf("edge %s %d %s\n", name, (int)st,
		memcmp(orig, buf, sizeof(buf)) == 0 ? "untouched" : "changed");
	lines++;
}

/* "untouched": out not written, *outlen 0. */
static void edge_hmac(const char *name, int alg)
{
	uint8_t out[PLAT_HASH_MAX], orig[PLAT_HASH_MAX];
	size_t olen = 99;
	plat_status st;

	memset(out, 0x5a, sizeof(out));
	memcpy(orig, out, sizeof(out));
	st = plat_hmac(alg, "key", 3, "data", 4, out, &olen);
	printf("edge %s %d %s\n", name, (int)st,
		olen == 0 && memcmp(out, orig, sizeof(out)) == 0 ? "untouched" : "changed");
	lines++;
}

static void edge_wipe(void)
{
	uint8_t b[37];
	size_t i;
	bool zero = true;

	memset(b, 0xa5, sizeof(b));
	plat_wipe(b + 1, sizeof(b) - 2);
	for (i = 1; i < sizeof(b) - 1; i++)
		zero = zero && b[i] == 0;
	/* status 0 when the inside is zero and the bytes around it are not. */
	printf("edge wipe %d %s\n", zero && b[0] == 0xa5 && b[sizeof(b) - 1] == 0xa5 ? 0 : 1,
		"untouched");
	lines++;
}

int wmain(void)
{
	static const int algs[] = { PLAT_HASH_MD5, PLAT_HASH_SHA1, PLAT_HASH_SHA256,
		PLAT_HASH_SHA384, PLAT_HASH_SHA512 };
	static const char *const msgs[] = {
		"Hi There",
		"what do ya want for nothing?",
		"Test With Truncation",
		"Test Using Larger Than Block-Size Key - Hash Key First",
		"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
		"This is a test using a larger than block-size key and a larger than block-size "
		"data. The key needs to be hashed before being used by the HMAC algorithm.",
	};
	/* Extra key lengths around 16 (RC2), 64 and 128 (the blocks). */
	static const size_t klens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 100, 127, 128, 129, 200 };
	uint8_t k0b[20], kaa[131], kdd[50], kcd[50], k0c[20], kseq[25], key[200], msg[300];
	size_t a, i, short_key;

	memset(k0b, 0x0b, sizeof(k0b));
	memset(kaa, 0xaa, sizeof(kaa));
	memset(kdd, 0xdd, sizeof(kdd));
	memset(kcd, 0xcd, sizeof(kcd));
	memset(k0c, 0x0c, sizeof(k0c));
	for (i = 0; i < sizeof(kseq); i++)
		kseq[i] = (uint8_t)(i + 1);

	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		int alg = algs[a];
		/* RFC 2202 (MD5: 16-byte keys, SHA-1: 20; 80-byte large keys) and
		 * RFC 4231 (SHA-2: 20-byte keys; 131-byte large keys). */
		short_key = alg == PLAT_HASH_MD5 ? 16 : 20;
		size_t big = alg == PLAT_HASH_MD5 || alg == PLAT_HASH_SHA1 ? 80 : 131;
		kat_hmac(alg, k0b, short_key, msgs[0], strlen(msgs[0]));
		kat_hmac(alg, (const uint8_t *)"Jefe", 4, msgs[1], strlen(msgs[1]));
		kat_hmac(alg, kaa, short_key, kdd, sizeof(kdd));
		kat_hmac(alg, kseq, sizeof(kseq), kcd, sizeof(kcd));
		kat_hmac(alg, k0c, short_key, msgs[2], strlen(msgs[2]));
		kat_hmac(alg, kaa, big, msgs[3], strlen(msgs[3]));
		kat_hmac(alg, kaa, big, big == 80 ? msgs[4] : msgs[5],
			strlen(big == 80 ? msgs[4] : msgs[5]));
		/* Empty messages, the empty key. */
		kat_hmac(alg, (const uint8_t *)"key", 3, "", 0);
		kat_hmac(alg, (const uint8_t *)"", 0, "", 0);
		kat_hmac(alg, (const uint8_t *)"", 0, msgs[0], strlen(msgs[0]));
		for (i = 0; i < sizeof(klens) / sizeof(klens[0]); i++) {
			rnd(key, klens[i]);
			rnd(msg, 37 + i * 19);
			kat_hmac(alg, key, klens[i], msg, 37 + i * 19);
		}
		kat_hmac(alg, kaa, 128, "", 0);
	}

	/* NIST SP 800-38A F.2.1, the first block (an anchor crypto.sh checks). */
	{
		static const uint8_t k[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
			0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
		static const uint8_t iv[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
		static const uint8_t pt[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
			0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
		kat_cbc(PLAT_CIPHER_AES, k, sizeof(k), iv, pt, sizeof(pt));
	}
	for (i = 1; i <= 5; i++) {
		kat_cbc_random(PLAT_CIPHER_3DES, 24, 8 * (i * i));
		kat_cbc_random(PLAT_CIPHER_AES, 16, 16 * i * 3 - 32 * (i > 1));
		kat_cbc_random(PLAT_CIPHER_AES, 24, 16 * i);
		kat_cbc_random(PLAT_CIPHER_AES, 32, 16 * (2 * i - 1));
	}

	/* Edges: wrong key lengths, partial blocks, unknown algorithms. */
	edge_cbc("3des-key16", PLAT_CIPHER_3DES, 16, 16);
	edge_cbc("3des-key23", PLAT_CIPHER_3DES, 23, 16);
	edge_cbc("3des-key25", PLAT_CIPHER_3DES, 25, 16);
	edge_cbc("3des-key32", PLAT_CIPHER_3DES, 32, 16);
	edge_cbc("aes-key15", PLAT_CIPHER_AES, 15, 16);
	edge_cbc("aes-key20", PLAT_CIPHER_AES, 20, 16);
	edge_cbc("aes-key0", PLAT_CIPHER_AES, 0, 16);
	edge_cbc("3des-len12", PLAT_CIPHER_3DES, 24, 12);
	edge_cbc("3des-len7", PLAT_CIPHER_3DES, 24, 7);
	edge_cbc("aes-len15", PLAT_CIPHER_AES, 16, 15);
	edge_cbc("aes-len8", PLAT_CIPHER_AES, 32, 8);
	edge_cbc("aes-len40", PLAT_CIPHER_AES, 24, 40);
	edge_cbc("aes-len0", PLAT_CIPHER_AES, 16, 0);
	edge_cbc("3des-len0", PLAT_CIPHER_3DES, 24, 0);
	edge_cbc("cipher-des", 1, 8, 16);
	edge_cbc("cipher-0", 0, 16, 16);
	edge_hmac("hmac-alg3", 3);
	edge_hmac("hmac-alg0", 0);
	edge_hmac("hmac-alg7", 7);
	edge_wipe();

	printf("end %d\n", lines);
	fflush(stdout);
	return 0;
}
