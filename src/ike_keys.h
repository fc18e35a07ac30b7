/* ike_keys.h - IKEv1 Main Mode key material for pre-shared key
 * authentication (RFC 2409 section 5 and appendix B): SKEYID and its
 * derivatives, the ISAKMP SA encryption key, the IV chain of messages 5 and
 * 6, and HASH_I / HASH_R.  Pure: every hash goes through platform.h
 * (plat_hmac is the prf, plat_hash the HASH, plat_cbc the cipher).
 *
 * Inputs are payload bodies ("_b", RFC 2409 section 3.2: the ISAKMP
 * generic payload header is not included):
 * - Ni_b, Nr_b: the nonce payload bodies of messages 3 and 4;
 * - g^xi, g^xr: the KE payload bodies of messages 3 and 4 (our public
 *   value and the server's), exactly as sent and received;
 * - g^xy: the shared secret, big-endian, at its full length (a MODP
 *   secret left-padded with zeros to the modulus length; ECP groups: the
 *   x coordinate), as the DH code gives it;
 * - SAi_b: the body of the SA payload of message 1 as we sent it (all
 *   proposals and transforms offered, not the one the server chose);
 * - IDii_b / IDir_b: the ID payload body (ID type, protocol, port, data)
 *   of message 5 / 6. */
#ifndef NATTCHECK_IKE_KEYS_H
#define NATTCHECK_IKE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "platform.h"

#define IKE_KEYS_HASH_MAX PLAT_HASH_MAX     /* SHA-512 */
#define IKE_KEYS_DH_MAX IKE_DH_VALUE_MAX    /* MODP-4096 KE value and g^xy */
#define IKE_KEYS_NONCE_MIN 8                /* RFC 2409 section 5 */
#define IKE_KEYS_NONCE_MAX 256
#define IKE_KEYS_PSK_MAX 1024               /* a sanity bound: never copied */
#define IKE_KEYS_SA_MAX IKE_MSG_MAX         /* SAi_b comes from our message 1 */
#define IKE_KEYS_SA_MIN 8                   /* DOI and situation */
#define IKE_KEYS_ID_MAX 512
#define IKE_KEYS_ID_MIN 4                   /* ID type, protocol, port */
#define IKE_KEYS_ENC_MAX 32                 /* AES-256 */
#define IKE_KEYS_BLOCK_MAX PLAT_CIPHER_BLOCK_MAX

typedef enum ike_keys_err {
	IKE_KEYS_OK = 0,
	IKE_KEYS_EUNSUPP,    /* hash, cipher or key length unknown, or this
	                        platform cannot do it (PLAT_EUNSUPP) */
	IKE_KEYS_EINVAL,     /* an input empty, out of its bounds, or a
	                        ciphertext not a whole number of blocks */
	IKE_KEYS_ESYS,       /* the platform failed: see plat_strerror() */
	IKE_KEYS_EMISMATCH,  /* ike_keys_verify_r: the server's HASH_R differs */
} ike_keys_err;

/* What ike_keys_derive needs; pointers are only read during the call. */
typedef struct ike_keys_in {
	uint16_t hash;        /* IKE_HASH_*: the prf is HMAC with it */
	uint16_t cipher;      /* IKE_CIPHER_3DES or IKE_CIPHER_AES_CBC */
	uint16_t key_bits;    /* AES: 128, 192 or 256; 3DES: 0 (or 192) */
	const uint8_t *psk;   /* the pre-shared key, used in place, never copied */
	size_t psk_len;
	const uint8_t *ni, *nr;
	size_t ni_len, nr_len;
	const uint8_t *gxi, *gxr, *gxy;
	size_t gxi_len, gxr_len, gxy_len;
	const uint8_t *icookie, *rcookie; /* IKE_COOKIE_LEN each */
} ike_keys_in;

/* The key material of one ISAKMP SA.  Holds secrets: end its life with
 * ike_keys_free.  g^xi and g^xr (public) are kept for HASH_I / HASH_R. */
typedef struct ike_keys {
	bool ready;
	uint16_t hash, cipher;
	size_t hlen;                          /* prf output: the SKEYID* lengths */
	uint8_t skeyid[IKE_KEYS_HASH_MAX];
	uint8_t skeyid_d[IKE_KEYS_HASH_MAX];
	uint8_t skeyid_a[IKE_KEYS_HASH_MAX];
	uint8_t skeyid_e[IKE_KEYS_HASH_MAX];
	size_t enc_len;                       /* 24 (3DES), 16/24/32 (AES) */
	uint8_t enc[IKE_KEYS_ENC_MAX];
	size_t block;                         /* 8 (3DES) or 16 (AES): the IV length */
	uint8_t iv[IKE_KEYS_BLOCK_MAX];       /* the IV of the next message */
	uint8_t icookie[IKE_COOKIE_LEN], rcookie[IKE_COOKIE_LEN];
	size_t gxi_len, gxr_len;
	uint8_t gxi[IKE_KEYS_DH_MAX], gxr[IKE_KEYS_DH_MAX];
} ike_keys;

/* Derives SKEYID, SKEYID_d/_a/_e, the encryption key and the IV of
 * message 5.  On any error *k is wiped (ready false). */
ike_keys_err ike_keys_derive(ike_keys *k, const ike_keys_in *in);

/* HASH_I over SAi_b and IDii_b (message 5), HASH_R over SAi_b and IDir_b
 * (message 6).  out holds IKE_KEYS_HASH_MAX bytes; *outlen = k->hlen. */
ike_keys_err ike_keys_hash_i(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idii_b, size_t idii_len, uint8_t *out, size_t *outlen);
ike_keys_err ike_keys_hash_r(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idir_b, size_t idir_len, uint8_t *out, size_t *outlen);
/* Compares the HASH payload body of message 6 with HASH_R: IKE_KEYS_OK,
 * IKE_KEYS_EMISMATCH, or the error of computing it. */
ike_keys_err ike_keys_verify_r(const ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idir_b, size_t idir_len, const uint8_t *hash_r, size_t hash_r_len);

/* Where SAi_b is in a message 1 we built (no non-ESP marker): the body of
 * its first SA payload.  False if the message has none or is malformed. */
bool ike_keys_sai_b(const uint8_t *mm1, size_t len, size_t *off, size_t *body_len);

/* Sets the IV of the next message: the last cipher block of the
 * ciphertext of the previous one (len a non-zero multiple of the block). */
ike_keys_err ike_keys_iv_next(ike_keys *k, const uint8_t *ciphertext, size_t len);
/* The first IV of an exchange with its own message ID, such as an
 * encrypted Informational notify the server answers message 5 with:
 * HASH(k->iv | M-ID), k->iv being the last phase 1 cipher block (after
 * message 5 is sent: its last block).  iv receives k->block bytes; k->iv
 * is left alone. */
ike_keys_err ike_keys_iv_msgid(const ike_keys *k, uint32_t msgid, uint8_t iv[IKE_KEYS_BLOCK_MAX]);
/* CBC in place with the key and the current IV (data: the payloads after
 * the ISAKMP header, padded to the block); then the IV chains to the last
 * cipher block.  A failed decryption leaves the IV as it was.  Encrypt a
 * message once: a retransmission resends the same bytes. */
ike_keys_err ike_keys_encrypt(ike_keys *k, uint8_t *data, size_t len);
ike_keys_err ike_keys_decrypt(ike_keys *k, uint8_t *data, size_t len);

/* Wipes every byte of *k (plat_wipe). */
void ike_keys_free(ike_keys *k);
const char *ike_keys_err_name(ike_keys_err e);

#endif
