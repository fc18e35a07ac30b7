/* crypto.c - random bytes and message digests through CryptoAPI. */
#include "win.h"

#include <wincrypt.h>

/* Hidden by _WIN32_WINNT 0x0501 (XP SP3 added them); the values are fixed. */
#ifndef CALG_SHA_256
#define CALG_SHA_256 (ALG_CLASS_HASH | ALG_TYPE_ANY | 12)
#define CALG_SHA_384 (ALG_CLASS_HASH | ALG_TYPE_ANY | 13)
#define CALG_SHA_512 (ALG_CLASS_HASH | ALG_TYPE_ANY | 14)
#endif

/* One verify-only context for the whole run.  PROV_RSA_AES knows SHA-2
 * from XP SP3 on; XP SP2 has only its prototype (no SHA-2) or nothing, so
 * fall back to PROV_RSA_FULL, which does MD5 and SHA-1 everywhere. */
static HCRYPTPROV win_prov;

static plat_status win_crypt_ctx(void)
{
	DWORD err;

	if (win_prov != 0)
		return PLAT_OK;
	if (CryptAcquireContextW(&win_prov, NULL, NULL, PROV_RSA_AES,
			CRYPT_VERIFYCONTEXT | CRYPT_SILENT))
		return PLAT_OK;
	if (CryptAcquireContextW(&win_prov, NULL, NULL, PROV_RSA_FULL,
			CRYPT_VERIFYCONTEXT | CRYPT_SILENT))
		return PLAT_OK;
	err = GetLastError();
	win_prov = 0;
	return win_fail(err, "cannot open a CryptoAPI provider");
}

BOOLEAN WINAPI SystemFunction036(PVOID, ULONG); /* RtlGenRandom, advapi32, XP+ */

plat_status plat_random(void *buf, size_t len)
{
	BYTE *p = buf;

	while (len > 0) {
		ULONG chunk = len > 0x10000 ? 0x10000 : (ULONG)len;
		if (!SystemFunction036(p, chunk))
			return win_fail(GetLastError(), "cannot generate random bytes");
		p += chunk;
		len -= chunk;
	}
	return PLAT_OK;
}

static ALG_ID win_hash_alg(int alg, DWORD *len)
{
	switch (alg) {
	case PLAT_HASH_MD5: *len = 16; return CALG_MD5;
	case PLAT_HASH_SHA1: *len = 20; return CALG_SHA1;
	case PLAT_HASH_SHA256: *len = 32; return CALG_SHA_256;
	case PLAT_HASH_SHA384: *len = 48; return CALG_SHA_384;
	case PLAT_HASH_SHA512: *len = 64; return CALG_SHA_512;
	default: return 0;
	}
}

plat_status plat_hash(int alg, const void *data, size_t len, uint8_t *out, size_t *outlen)
{
	HCRYPTHASH h = 0;
	DWORD want = 0, got, err;
	ALG_ID id = win_hash_alg(alg, &want);
	const BYTE *p = data;
	plat_status st;

	*outlen = 0;
	if (id == 0)
		return win_fail_msg(PLAT_EUNSUPP, "hash algorithm %d is not supported", alg);
	st = win_crypt_ctx();
	if (st != PLAT_OK)
		return st;
	if (!CryptCreateHash(win_prov, id, 0, 0, &h)) {
		err = GetLastError();
		st = win_fail(err, "cannot create hash %d", alg);
		return err == (DWORD)NTE_BAD_ALGID ? PLAT_EUNSUPP : st;
	}
	st = PLAT_OK;
	while (len > 0) {
		DWORD chunk = len > 0x100000 ? 0x100000 : (DWORD)len;
		if (!CryptHashData(h, p, chunk, 0)) {
			st = win_fail(GetLastError(), "cannot hash data");
			goto out;
		}
		p += chunk;
		len -= chunk;
	}
	got = PLAT_HASH_MAX;
	if (!CryptGetHashParam(h, HP_HASHVAL, out, &got, 0)) {
		st = win_fail(GetLastError(), "cannot read hash value");
		goto out;
	}
	if (got != want) {
		st = win_fail_msg(PLAT_ESYS, "hash %d: %lu bytes, expected %lu", alg,
			(unsigned long)got, (unsigned long)want);
		goto out;
	}
	*outlen = got;
out:
	CryptDestroyHash(h);
	return st;
}
