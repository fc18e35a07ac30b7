/* ike_keys.c - IKEv1 Main Mode keys and hashes for pre-shared key
 * authentication (RFC 2409 sections 5, 5.4 and appendix B).
 *
 * Every buffer that ever holds a secret (SKEYID*, g^xy, the key stream of
 * appendix B) is on the stack or in struct ike_keys and is wiped with
 * plat_wipe before it goes out of scope; the pre-shared key itself is only
 * handed to plat_hmac as the prf key, never copied here. */
#include "ike_keys.h"

#include <string.h>

/* platform.h takes the IKE attribute numbers (RFC 2409 appendix A) as
 * they are: the values negotiated go to plat_hmac/plat_hash/plat_cbc. */
_Static_assert((int)IKE_CIPHER_3DES == (int)PLAT_CIPHER_3DES &&
	(int)IKE_CIPHER_AES_CBC == (int)PLAT_CIPHER_AES, "cipher numbers differ");
_Static_assert((int)IKE_HASH_MD5 == (int)PLAT_HASH_MD5 &&
	(int)IKE_HASH_SHA1 == (int)PLAT_HASH_SHA1 &&
	(int)IKE_HASH_SHA256 == (int)PLAT_HASH_SHA256 &&
	(int)IKE_HASH_SHA384 == (int)PLAT_HASH_SHA384 &&
	(int)IKE_HASH_SHA512 == (int)PLAT_HASH_SHA512, "hash numbers differ");

/* The largest prf/hash input of the derivation: g^xi | g^xr for the IV
 * (SKEYID_e's input, hlen + g^xy + cookies + 1, and Ni_b | Nr_b are
 * smaller). */
#define DERIVE_BUF (2 * IKE_KEYS_DH_MAX)
_Static_assert(IKE_KEYS_HASH_MAX + IKE_KEYS_DH_MAX + 2 * IKE_COOKIE_LEN + 1 <= DERIVE_BUF,
	"derivation buffer too small for SKEYID_e's input");
_Static_assert(2 * IKE_KEYS_NONCE_MAX <= DERIVE_BUF, "derivation buffer too small for nonces");
/* HASH_I / HASH_R input: g^x | g^x | CKY | CKY | SAi_b | ID_b. */
#define AUTH_BUF (2 * IKE_KEYS_DH_MAX + 2 * IKE_COOKIE_LEN + IKE_KEYS_SA_MAX + IKE_KEYS_ID_MAX)

static size_t hash_len(uint16_t alg)
{
	switch (alg) {
	case IKE_HASH_MD5: return 16;
	case IKE_HASH_SHA1: return 20;
	case IKE_HASH_SHA256: return 32;
	case IKE_HASH_SHA384: return 48;
	case IKE_HASH_SHA512: return 64;
	default: return 0;
	}
}

static ike_keys_err from_plat(plat_status st)
{
	return st == PLAT_OK ? IKE_KEYS_OK : st == PLAT_EUNSUPP ? IKE_KEYS_EUNSUPP : IKE_KEYS_ESYS;
}

/* The ISAKMP SA key length in bytes, 0 if unsupported.  The key length
 * attribute is absent for 3DES's fixed key (RFC 2409 appendix A: it is
 * only for variable-length ciphers); AES must say which of its three
 * sizes, and Windows' transforms always do (ike_profile.c). */
static size_t cipher_key_len(uint16_t cipher, uint16_t key_bits, size_t *block)
{
	if (cipher == IKE_CIPHER_3DES && (key_bits == 0 || key_bits == 192)) {
		*block = 8;
		return 24;
	}
	if (cipher == IKE_CIPHER_AES_CBC &&
		(key_bits == 128 || key_bits == 192 || key_bits == 256)) {
		*block = 16;
		return key_bits / 8u;
	}
	return 0;
}

/* prf(key, data): Windows negotiates no prf attribute, and RFC 2409
 * (section 4) then makes the prf the HMAC of the negotiated hash. */
static ike_keys_err prf(uint16_t alg, const uint8_t *key, size_t klen, const uint8_t *data,
	size_t len, uint8_t out[IKE_KEYS_HASH_MAX])
{
	size_t n = 0;
	ike_keys_err e = from_plat(plat_hmac(alg, key, klen, data, len, out, &n));

	if (e == IKE_KEYS_OK && n != hash_len(alg))
		e = IKE_KEYS_ESYS;
	return e;
}

/* Appends n bytes at *pos; the callers checked the capacity up front. */
static void put(uint8_t *buf, size_t *pos, const uint8_t *src, size_t n)
{
	memcpy(buf + *pos, src, n);
	*pos += n;
}

static bool in_range(const uint8_t *p, size_t n, size_t lo, size_t hi)
{
	return p != NULL && n >= lo && n <= hi;
}

static ike_keys_err check_input(const ike_keys_in *in)
{
	size_t block = 0;

	if (hash_len(in->hash) == 0 || cipher_key_len(in->cipher, in->key_bits, &block) == 0)
		return IKE_KEYS_EUNSUPP;
	if (!in_range(in->psk, in->psk_len, 1, IKE_KEYS_PSK_MAX) ||
		!in_range(in->ni, in->ni_len, IKE_KEYS_NONCE_MIN, IKE_KEYS_NONCE_MAX) ||
		!in_range(in->nr, in->nr_len, IKE_KEYS_NONCE_MIN, IKE_KEYS_NONCE_MAX) ||
		!in_range(in->gxi, in->gxi_len, 1, IKE_KEYS_DH_MAX) ||
		!in_range(in->gxr, in->gxr_len, 1, IKE_KEYS_DH_MAX) ||
		!in_range(in->gxy, in->gxy_len, 1, IKE_KEYS_DH_MAX) ||
		in->icookie == NULL || in->rcookie == NULL)
		return IKE_KEYS_EINVAL;
	return IKE_KEYS_OK;
}

/* SKEYID_d, _a and _e (RFC 2409 section 5): each is
 * prf(SKEYID, [previous |] g^xy | CKY-I | CKY-R | n) with n the single
 * octet 0, 1, 2, and the previous one chained in front from _a on. */
static ike_keys_err derive_skeyids(ike_keys *k, const ike_keys_in *in, uint8_t *buf)
{
	uint8_t *const outs[3] = { k->skeyid_d, k->skeyid_a, k->skeyid_e };
	ike_keys_err e = IKE_KEYS_OK;

	for (uint8_t i = 0; i < 3 && e == IKE_KEYS_OK; i++) {
		size_t n = 0;

		if (i > 0)
			put(buf, &n, outs[i - 1], k->hlen);
		put(buf, &n, in->gxy, in->gxy_len);
		put(buf, &n, in->icookie, IKE_COOKIE_LEN);
		put(buf, &n, in->rcookie, IKE_COOKIE_LEN);
		buf[n++] = i;
		e = prf(k->hash, k->skeyid, k->hlen, buf, n, outs[i]);
	}
	return e;
}

/* The encryption key (RFC 2409 appendix B): the first enc_len bytes of
 * SKEYID_e when it is long enough; otherwise Ka = K1 | K2 | ... with
 * K1 = prf(SKEYID_e, 0) and Kn = prf(SKEYID_e, Kn-1), truncated.  The
 * RFC's "0" is read as one zero octet, as strongSwan and racoon read it.
 * Needed whenever the hash is shorter than the key: SHA-1 (20 bytes) for
 * 3DES, AES-192 and AES-256, MD5 for all but AES-128.  Weak 3DES keys
 * (same appendix) are not checked for. */
static ike_keys_err derive_enc(ike_keys *k)
{
	uint8_t ka[IKE_KEYS_ENC_MAX + IKE_KEYS_HASH_MAX];
	const uint8_t zero = 0;
	ike_keys_err e = IKE_KEYS_OK;

	if (k->hlen >= k->enc_len) {
		memcpy(k->enc, k->skeyid_e, k->enc_len);
		return IKE_KEYS_OK;
	}
	for (size_t n = 0; n < k->enc_len && e == IKE_KEYS_OK; n += k->hlen)
		e = n == 0 ? prf(k->hash, k->skeyid_e, k->hlen, &zero, 1, ka) :
			prf(k->hash, k->skeyid_e, k->hlen, ka + n - k->hlen, k->hlen, ka + n);
	if (e == IKE_KEYS_OK)
		memcpy(k->enc, ka, k->enc_len);
	plat_wipe(ka, sizeof(ka));
	return e;
}

/* The IV of message 5 (RFC 2409 appendix B): the negotiated HASH (not
 * the prf) of g^xi | g^xr, truncated to the cipher's block. */
static ike_keys_err derive_iv(ike_keys *k, uint8_t *buf)
{
	uint8_t h[PLAT_HASH_MAX];
	size_t n = 0, hl = 0;
	ike_keys_err e;

	put(buf, &n, k->gxi, k->gxi_len);
	put(buf, &n, k->gxr, k->gxr_len);
	e = from_plat(plat_hash(k->hash, buf, n, h, &hl));
	if (e == IKE_KEYS_OK && hl < k->block)
		e = IKE_KEYS_ESYS;
	if (e == IKE_KEYS_OK)
		memcpy(k->iv, h, k->block);
	return e;
}

ike_keys_err ike_keys_derive(ike_keys *k, const ike_keys_in *in)
{
	uint8_t buf[DERIVE_BUF];
	size_t n = 0;
	ike_keys_err e = check_input(in);

	plat_wipe(k, sizeof(*k));
	if (e != IKE_KEYS_OK)
		return e;
	k->enc_len = cipher_key_len(in->cipher, in->key_bits, &k->block);
	k->hash = in->hash;
	k->cipher = in->cipher;
	k->hlen = hash_len(in->hash);
	memcpy(k->icookie, in->icookie, IKE_COOKIE_LEN);
	memcpy(k->rcookie, in->rcookie, IKE_COOKIE_LEN);
	memcpy(k->gxi, in->gxi, in->gxi_len);
	memcpy(k->gxr, in->gxr, in->gxr_len);
	k->gxi_len = in->gxi_len;
	k->gxr_len = in->gxr_len;

	/* Pre-shared keys: SKEYID = prf(pre-shared-key, Ni_b | Nr_b)
	 * (RFC 2409 section 5); the key goes to the prf as it is. */
	put(buf, &n, in->ni, in->ni_len);
	put(buf, &n, in->nr, in->nr_len);
	e = prf(k->hash, in->psk, in->psk_len, buf, n, k->skeyid);
	if (e == IKE_KEYS_OK)
		e = derive_skeyids(k, in, buf);
	if (e == IKE_KEYS_OK)
		e = derive_enc(k);
	if (e == IKE_KEYS_OK)
		e = derive_iv(k, buf);
	plat_wipe(buf, sizeof(buf)); /* held g^xy */
	if (e != IKE_KEYS_OK)
		ike_keys_free(k);
	else
		k->ready = true;
	return e;
}

/* RFC 2409 section 5:
 *   HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * Both take the initiator's SA body: what we offered in message 1, all
 * proposals and transforms, byte for byte as sent. */
static ike_keys_err auth_hash(const ike_keys *k, bool initiator, const uint8_t *sai_b,
	size_t sai_len, const uint8_t *id_b, size_t id_len, uint8_t *out, size_t *outlen)
{
	uint8_t buf[AUTH_BUF];
	size_t n = 0;
	ike_keys_err e;

	*outlen = 0;
	if (!k->ready)
		return IKE_KEYS_EINVAL;
	if (!in_range(sai_b, sai_len, IKE_KEYS_SA_MIN, IKE_KEYS_SA_MAX) ||
		!in_range(id_b, id_len, IKE_KEYS_ID_MIN, IKE_KEYS_ID_MAX))
		return IKE_KEYS_EINVAL;
	put(buf, &n, initiator ? k->gxi : k->gxr, initiator ? k->gxi_len : k->gxr_len);
	put(buf, &n, initiator ? k->gxr : k->gxi, initiator ? k->gxr_len : k->gxi_len);
	put(buf, &n, initiator ? k->icookie : k->rcookie, IKE_COOKIE_LEN);
	put(buf, &n, initiator ? k->rcookie : k->icookie, IKE_COOKIE_LEN);
	put(buf, &n, sai_b, sai_len);
	put(buf, &n, id_b, id_len);
	e = prf(k->hash, k->skeyid, k->hlen, buf, n, out);
	/* The identity travels encrypted (Main Mode's identity protection,
	 * RFC 2409 section 5.4): do not leave it behind either. */
	plat_wipe(buf, n);
	if (e == IKE_KEYS_OK)
		*outlen = k->hlen;
	return e;
}

ike_keys_err ike_keys_hash_i(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idii_b, size_t idii_len, uint8_t *out, size_t *outlen)
{
	return auth_hash(k, true, sai_b, sai_len, idii_b, idii_len, out, outlen);
}

ike_keys_err ike_keys_hash_r(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idir_b, size_t idir_len, uint8_t *out, size_t *outlen)
{
	return auth_hash(k, false, sai_b, sai_len, idir_b, idir_len, out, outlen);
}

ike_keys_err ike_keys_verify_r(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idir_b, size_t idir_len, const uint8_t *hash_r, size_t hash_r_len)
{
	uint8_t h[IKE_KEYS_HASH_MAX];
	size_t n = 0;
	uint8_t diff = 0;
	ike_keys_err e = auth_hash(k, false, sai_b, sai_len, idir_b, idir_len, h, &n);

	if (e != IKE_KEYS_OK)
		return e;
	if (hash_r == NULL || hash_r_len != n) {
		diff = 1;
	} else {
		/* Every byte, whatever the first difference. */
		for (size_t i = 0; i < n; i++)
			diff |= (uint8_t)(h[i] ^ hash_r[i]);
	}
	plat_wipe(h, sizeof(h));
	return diff == 0 ? IKE_KEYS_OK : IKE_KEYS_EMISMATCH;
}

bool ike_keys_sai_b(const uint8_t *mm1, size_t len, size_t *off, size_t *body_len)
{
	size_t pos = IKE_HDR_LEN;
	uint8_t type;

	if (len < IKE_HDR_LEN)
		return false;
	type = mm1[16];
	/* Payload chain (RFC 2408 3.2): next payload, reserved, length. */
	while (type != IKE_PL_NONE && len - pos >= 4) {
		size_t plen = ((size_t)mm1[pos + 2] << 8) | mm1[pos + 3];

		if (plen < 4 || plen > len - pos)
			return false;
		if (type == IKE_PL_SA) {
			*off = pos + 4;
			*body_len = plen - 4;
			return true;
		}
		type = mm1[pos];
		pos += plen;
	}
	return false;
}

ike_keys_err ike_keys_iv_next(ike_keys *k, const uint8_t *ciphertext, size_t len)
{
	/* RFC 2409 appendix B: "Subsequent messages MUST use the last CBC
	 * encrypted block from the previous message as their IV." */
	if (!k->ready || ciphertext == NULL || len == 0 || len % k->block != 0)
		return IKE_KEYS_EINVAL;
	memcpy(k->iv, ciphertext + len - k->block, k->block);
	return IKE_KEYS_OK;
}

ike_keys_err ike_keys_iv_msgid(const ike_keys *k, uint32_t msgid, uint8_t iv[IKE_KEYS_BLOCK_MAX])
{
	uint8_t in[IKE_KEYS_BLOCK_MAX + 4], h[PLAT_HASH_MAX];
	size_t hl = 0;
	ike_keys_err e;

	if (!k->ready)
		return IKE_KEYS_EINVAL;
	/* RFC 2409 appendix B: an Informational (or Quick Mode) exchange
	 * starts its own IV chain, hash(last phase 1 CBC output block |
	 * M-ID), M-ID in network order as in the header. */
	memcpy(in, k->iv, k->block);
	in[k->block] = (uint8_t)(msgid >> 24);
	in[k->block + 1] = (uint8_t)(msgid >> 16);
	in[k->block + 2] = (uint8_t)(msgid >> 8);
	in[k->block + 3] = (uint8_t)msgid;
	e = from_plat(plat_hash(k->hash, in, k->block + 4, h, &hl));
	if (e == IKE_KEYS_OK && hl < k->block)
		e = IKE_KEYS_ESYS;
	if (e == IKE_KEYS_OK)
		memcpy(iv, h, k->block);
	return e;
}

static ike_keys_err cbc(ike_keys *k, bool encrypt, uint8_t *data, size_t len)
{
	uint8_t last[IKE_KEYS_BLOCK_MAX];
	ike_keys_err e;

	if (!k->ready || data == NULL || len == 0 || len % k->block != 0)
		return IKE_KEYS_EINVAL;
	if (!encrypt)
		memcpy(last, data + len - k->block, k->block);
	e = from_plat(plat_cbc(k->cipher, k->enc, k->enc_len, k->iv, encrypt, data, len));
	if (e != IKE_KEYS_OK)
		return e;
	if (encrypt)
		memcpy(last, data + len - k->block, k->block);
	memcpy(k->iv, last, k->block);
	return IKE_KEYS_OK;
}

ike_keys_err ike_keys_encrypt(ike_keys *k, uint8_t *data, size_t len)
{
	return cbc(k, true, data, len);
}

ike_keys_err ike_keys_decrypt(ike_keys *k, uint8_t *data, size_t len)
{
	return cbc(k, false, data, len);
}

void ike_keys_free(ike_keys *k)
{
	plat_wipe(k, sizeof(*k));
}

const char *ike_keys_err_name(ike_keys_err e)
{
	switch (e) {
	case IKE_KEYS_OK: return "ok";
	case IKE_KEYS_EUNSUPP: return "algorithm not supported";
	case IKE_KEYS_EINVAL: return "invalid input";
	case IKE_KEYS_ESYS: return "platform crypto failed";
	case IKE_KEYS_EMISMATCH: return "hash mismatch";
	default: return "unknown";
	}
}
