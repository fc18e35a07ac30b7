/* crypto.c - random bytes, message digests, HMAC and CBC encryption through
 * CryptoAPI (advapi32: nothing here is hand-written cryptography). */
#include "win.h"

#include <wincrypt.h>

#include <string.h>

/* Hidden by _WIN32_WINNT 0x0501 (XP SP3 added them); the values are fixed. */
#ifndef CALG_SHA_256
#define CALG_SHA_256 (ALG_CLASS_HASH | ALG_TYPE_ANY | 12)
#define CALG_SHA_384 (ALG_CLASS_HASH | ALG_TYPE_ANY | 13)
#define CALG_SHA_512 (ALG_CLASS_HASH | ALG_TYPE_ANY | 14)
#endif

/* One verify-only context for the whole run, the first of these that opens:
 *  - PROV_RSA_AES (type 24), that type's default provider: rsaenh.dll's
 *    AES provider.  On XP (SP2 and SP3 alike) it is named "Microsoft
 *    Enhanced RSA and AES Cryptographic Provider (Prototype)": AES-128/192/
 *    256, 3DES, MD5, SHA-1, and from SP3's rsaenh.dll on also SHA-256/384/
 *    512 (SP2: NTE_BAD_ALGID for those, so PLAT_EUNSUPP here).  XP x64,
 *    Server 2003 and later name it without " (Prototype)";
 *  - the same two by name, for a machine whose type-24 default is missing;
 *  - PROV_RSA_FULL: the Enhanced provider by name (3DES, MD5, SHA-1), then
 *    that type's default.  No AES and no SHA-2 there (PLAT_EUNSUPP). */
static HCRYPTPROV win_prov;

static plat_status win_crypt_ctx(void)
{
	static const struct {
		const wchar_t *name;
		DWORD type;
	} provs[] = {
		{ NULL, PROV_RSA_AES },
		{ MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES },
		{ MS_ENH_RSA_AES_PROV_XP_W, PROV_RSA_AES },
		{ MS_ENHANCED_PROV_W, PROV_RSA_FULL },
		{ NULL, PROV_RSA_FULL },
	};
	DWORD err = 0;
	size_t i;

	if (win_prov != 0)
		return PLAT_OK;
	for (i = 0; i < sizeof(provs) / sizeof(provs[0]); i++) {
		if (CryptAcquireContextW(&win_prov, provs[i].name, NULL, provs[i].type,
				CRYPT_VERIFYCONTEXT | CRYPT_SILENT))
			return PLAT_OK;
		if (i == 0)
			err = GetLastError();
	}
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

/* The ALG_ID of a plat_hash_alg, its digest length and its block length
 * (HMAC's B, RFC 2104); 0 for an unknown one. */
static ALG_ID win_hash_alg_b(int alg, DWORD *len, DWORD *block)
{
	*block = 64;
	switch (alg) {
	case PLAT_HASH_MD5: *len = 16; return CALG_MD5;
	case PLAT_HASH_SHA1: *len = 20; return CALG_SHA1;
	case PLAT_HASH_SHA256: *len = 32; return CALG_SHA_256;
	case PLAT_HASH_SHA384: *len = 48; *block = 128; return CALG_SHA_384;
	case PLAT_HASH_SHA512: *len = 64; *block = 128; return CALG_SHA_512;
	default: return 0;
	}
}

/* Checks alg, opens the context and creates a hash object of alg in *h:
 * PLAT_EUNSUPP for an unknown algorithm and for one this provider lacks
 * (SHA-2 on XP SP2). */
static plat_status win_hash_new(int alg, ALG_ID *id, DWORD *len, DWORD *block, HCRYPTHASH *h)
{
	DWORD err;
	plat_status st;

	*h = 0;
	*id = win_hash_alg_b(alg, len, block);
	if (*id == 0)
		return win_fail_msg(PLAT_EUNSUPP, "hash algorithm %d is not supported", alg);
	st = win_crypt_ctx();
	if (st != PLAT_OK)
		return st;
	if (!CryptCreateHash(win_prov, *id, 0, 0, h)) {
		err = GetLastError();
		*h = 0;
		st = win_fail(err, "cannot create hash %d", alg);
		return err == (DWORD)NTE_BAD_ALGID ? PLAT_EUNSUPP : st;
	}
	return PLAT_OK;
}

/* Hashes data into h (at least one CryptHashData, also for no data: the
 * point where an HMAC takes in its inner string), then reads the value,
 * which must be want bytes, into out. */
static plat_status win_hash_finish(HCRYPTHASH h, const char *what, const void *data, size_t len,
	DWORD want, uint8_t *out, size_t *outlen)
{
	static const BYTE none[1];
	BYTE val[PLAT_HASH_MAX];
	const BYTE *p = data != NULL ? data : none;
	DWORD got = sizeof(val);
	plat_status st = PLAT_OK;

	do {
		DWORD chunk = len > 0x100000 ? 0x100000 : (DWORD)len;
		if (!CryptHashData(h, p, chunk, 0))
			return win_fail(GetLastError(), "%s: cannot hash data", what);
		p += chunk;
		len -= chunk;
	} while (len > 0);
	if (!CryptGetHashParam(h, HP_HASHVAL, val, &got, 0)) {
		st = win_fail(GetLastError(), "%s: cannot read the value", what);
	} else if (got != want) {
		st = win_fail_msg(PLAT_ESYS, "%s: %lu bytes, expected %lu", what,
			(unsigned long)got, (unsigned long)want);
	} else {
		memcpy(out, val, got);
		*outlen = got;
	}
	plat_wipe(val, sizeof(val)); /* an HMAC value is IKE key material */
	return st;
}

plat_status plat_hash(int alg, const void *data, size_t len, uint8_t *out, size_t *outlen)
{
	HCRYPTHASH h;
	DWORD want = 0, block;
	ALG_ID id;
	plat_status st;

	*outlen = 0;
	st = win_hash_new(alg, &id, &want, &block, &h);
	if (st != PLAT_OK)
		return st;
	st = win_hash_finish(h, "hash", data, len, want, out, outlen);
	CryptDestroyHash(h);
	return st;
}

void plat_wipe(void *p, size_t len)
{
	/* RtlSecureZeroMemory's way: stores through a volatile pointer are never
	 * dropped, even to memory that is not read afterwards. */
	volatile BYTE *v = p;

	while (len-- > 0)
		*v++ = 0;
}

/* A PLAINTEXTKEYBLOB (Windows 2000 and later): the header, the key's length
 * in bytes and the key.  No padding: 8 + 4 bytes, then the key. */
#define WIN_BLOB_KEY_MAX 64
typedef struct win_key_blob {
	BLOBHEADER hdr;
	DWORD len;
	BYTE key[WIN_BLOB_KEY_MAX];
} win_key_blob;

/* Imports key (klen <= WIN_BLOB_KEY_MAX) as a session key of algorithm alg;
 * the blob is wiped before this returns.  FALSE and GetLastError() on
 * failure. */
static BOOL win_import_key(ALG_ID alg, const BYTE *key, DWORD klen, DWORD flags, HCRYPTKEY *out)
{
	win_key_blob blob;
	BOOL ok;
	DWORD err;

	memset(&blob, 0, sizeof(blob));
	blob.hdr.bType = PLAINTEXTKEYBLOB;
	blob.hdr.bVersion = CUR_BLOB_VERSION;
	blob.hdr.reserved = 0;
	blob.hdr.aiKeyAlg = alg;
	blob.len = klen;
	memcpy(blob.key, key, klen);
	*out = 0;
	ok = CryptImportKey(win_prov, (const BYTE *)&blob,
		(DWORD)(offsetof(win_key_blob, key) + klen), 0, flags, out);
	err = GetLastError();
	plat_wipe(&blob, sizeof(blob));
	if (!ok) {
		*out = 0;
		SetLastError(err);
	}
	return ok;
}

/* The HMAC key: CryptoAPI's documented way is an RC2 PLAINTEXTKEYBLOB with
 * CRYPT_IPSEC_HMAC_KEY, which lifts RC2's 16-byte limit.  A key of up to 16
 * bytes is also taken without that flag where a provider refuses it. */
static BOOL win_hmac_key(const BYTE *key, DWORD klen, HCRYPTKEY *out)
{
	if (win_import_key(CALG_RC2, key, klen, CRYPT_IPSEC_HMAC_KEY, out))
		return TRUE;
	return klen <= 16 && win_import_key(CALG_RC2, key, klen, 0, out);
}

/* HMAC (RFC 2104) by CALG_HMAC.  What the providers do with the key is
 * H((K ^ outer) || H((K ^ inner) || text)), the key XORed into the first
 * bytes of the inner and outer strings, so:
 *  - the strings are passed, B bytes of 0x36 and 0x5c: the default is 64
 *    bytes, right for MD5, SHA-1 and SHA-256 but not for SHA-384/512,
 *    whose block B is 128;
 *  - a key longer than B is replaced by its hash first (RFC 2104), here,
 *    with plat_hash: a provider hashes any key longer than 64 bytes (Wine's
 *    rsaenh does, and gets SHA-384/512 with 65..128-byte keys wrong so),
 *    also a 65..128-byte one for SHA-384/512 that RFC 2104 keeps as it is;
 *  - a key shorter than 16 bytes (also the empty key) is imported padded
 *    with zeros to 16, which RFC 2104 does anyway (to B bytes): RC2 keys
 *    have a minimum length;
 *  - a key of 65..128 bytes (SHA-384/512 only), or one that no provider
 *    import takes, is XORed into the two strings here and the imported key
 *    is 16 zero bytes, which the provider's XOR leaves unchanged. */
plat_status plat_hmac(int alg, const void *key, size_t klen, const void *data, size_t len,
	uint8_t *out, size_t *outlen)
{
	BYTE k[128], inner[128], outer[128];
	DWORD want = 0, block = 0, kl, err, i;
	ALG_ID id;
	HCRYPTKEY hk = 0;
	HCRYPTHASH h;
	HMAC_INFO info;
	plat_status st;
	bool fold;

	*outlen = 0;
	/* Is the hash there at all (no SHA-2 on XP SP2)? */
	st = win_hash_new(alg, &id, &want, &block, &h);
	if (st != PLAT_OK)
		return st;
	CryptDestroyHash(h);
	h = 0;

	memset(k, 0, sizeof(k));
	if (klen > block) {
		size_t hl = 0;
		st = plat_hash(alg, key, klen, k, &hl);
		if (st != PLAT_OK)
			goto out;
		kl = (DWORD)hl;
	} else {
		if (klen > 0)
			memcpy(k, key, klen);
		kl = (DWORD)klen;
	}
	if (kl < 16)
		kl = 16; /* zero padding */
	memset(inner, 0x36, block);
	memset(outer, 0x5c, block);
	fold = kl > WIN_BLOB_KEY_MAX || !win_hmac_key(k, kl, &hk);
	if (fold) {
		static const BYTE zero[16];
		for (i = 0; i < kl; i++) {
			inner[i] ^= k[i];
			outer[i] ^= k[i];
		}
		if (!win_hmac_key(zero, sizeof(zero), &hk)) {
			st = win_fail(GetLastError(), "cannot import an HMAC key");
			goto out;
		}
	}
	if (!CryptCreateHash(win_prov, CALG_HMAC, hk, 0, &h)) {
		st = win_fail(GetLastError(), "cannot create an HMAC");
		h = 0;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.HashAlgid = id;
	info.pbInnerString = inner;
	info.cbInnerString = block;
	info.pbOuterString = outer;
	info.cbOuterString = block;
	if (!CryptSetHashParam(h, HP_HMAC_INFO, (const BYTE *)&info, 0)) {
		err = GetLastError();
		st = win_fail(err, "cannot set up HMAC with hash %d", alg);
		if (err == (DWORD)NTE_BAD_ALGID)
			st = PLAT_EUNSUPP;
		goto out;
	}
	st = win_hash_finish(h, "HMAC", data, len, want, out, outlen);
out:
	if (h != 0)
		CryptDestroyHash(h);
	if (hk != 0)
		CryptDestroyKey(hk);
	plat_wipe(k, sizeof(k));
	plat_wipe(inner, sizeof(inner));
	plat_wipe(outer, sizeof(outer));
	return st;
}

/* CBC in place with an imported PLAINTEXTKEYBLOB key: CALG_3DES (24-byte
 * key; the providers ignore the DES parity bits) or CALG_AES_128/192/256,
 * KP_MODE CRYPT_MODE_CBC, KP_IV.  CryptEncrypt/CryptDecrypt with
 * Final=FALSE on whole blocks neither add nor strip padding, and carry the
 * chain from one call to the next. */
plat_status plat_cbc(int alg, const uint8_t *key, size_t klen,
	const uint8_t iv[PLAT_CIPHER_BLOCK_MAX], bool encrypt, uint8_t *data, size_t len)
{
	BYTE ivb[PLAT_CIPHER_BLOCK_MAX];
	DWORD block, mode = CRYPT_MODE_CBC, err;
	ALG_ID id = 0;
	HCRYPTKEY hk = 0;
	plat_status st;

	if (alg == PLAT_CIPHER_3DES && klen == 24) {
		id = CALG_3DES;
		block = 8;
	} else if (alg == PLAT_CIPHER_AES && (klen == 16 || klen == 24 || klen == 32)) {
		id = klen == 16 ? CALG_AES_128 : klen == 24 ? CALG_AES_192 : CALG_AES_256;
		block = 16;
	} else {
		return win_fail_msg(PLAT_EUNSUPP, "cipher %d with a %lu-byte key is not supported",
			alg, (unsigned long)klen);
	}
	if (len % block != 0)
		return win_fail_msg(PLAT_ESYS, "cipher %d: %lu bytes is not a whole number of "
			"%lu-byte blocks", alg, (unsigned long)len, (unsigned long)block);
	st = win_crypt_ctx();
	if (st != PLAT_OK)
		return st;
	if (!win_import_key(id, key, (DWORD)klen, 0, &hk)) {
		err = GetLastError();
		st = win_fail(err, "cannot import a key for cipher %d", alg);
		return err == (DWORD)NTE_BAD_ALGID ? PLAT_EUNSUPP : st;
	}
	memcpy(ivb, iv, block);
	if (!CryptSetKeyParam(hk, KP_MODE, (const BYTE *)&mode, 0) ||
			!CryptSetKeyParam(hk, KP_IV, ivb, 0)) {
		st = win_fail(GetLastError(), "cannot set CBC mode and IV");
		goto out;
	}
	while (len > 0) {
		DWORD chunk = len > 0x100000 ? 0x100000 : (DWORD)len;
		DWORD n = chunk;
		BOOL ok = encrypt ? CryptEncrypt(hk, 0, FALSE, 0, data, &n, chunk) :
			CryptDecrypt(hk, 0, FALSE, 0, data, &n);
		if (!ok) {
			st = win_fail(GetLastError(), "cannot %s", encrypt ? "encrypt" : "decrypt");
			goto out;
		}
		if (n != chunk) {
			st = win_fail_msg(PLAT_ESYS, "cipher %d: %lu bytes in, %lu out", alg,
				(unsigned long)chunk, (unsigned long)n);
			goto out;
		}
		data += chunk;
		len -= chunk;
	}
out:
	CryptDestroyKey(hk);
	plat_wipe(ivb, sizeof(ivb));
	return st;
}
