/* ike_mm.h - the encrypted end of Main Mode with a pre-shared key (RFC
 * 2409 section 5, RFC 2408 sections 3.11 and 3.15): message 5 as Windows
 * sends it, message 6 opened and its HASH_R checked, an encrypted
 * Informational read, and the DELETE of the ISAKMP SA that Windows sends on
 * disconnect.  Pure: the crypto goes through ike_keys.h and platform.h.
 *
 * Messages here carry no non-ESP marker: the caller puts it in front (UDP
 * 4500) and takes it off. */
#ifndef NATTCHECK_IKE_MM_H
#define NATTCHECK_IKE_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "ike_keys.h"
#include "platform.h"

/* RFC 2407 4.6.2.1 identification types, and the ports Windows puts in
 * the phase 1 ID (README.md, "What nattcheck sends"). */
enum { IKE_ID_IPV4_ADDR = 1, IKE_ID_FQDN = 2, IKE_ID_IPV6_ADDR = 5 };
#define IKE_MM_ID_PROTO 17   /* UDP */
#define IKE_MM_ID_PORT 500

/* The ID payload body of message 5 as Windows sends it: ID_IPV4_ADDR (or
 * ID_IPV6_ADDR), protocol UDP, port 500, this machine's own address on the
 * path (behind NAT: the private one).  Returns its length, 0 if cap is too
 * small or the family is unknown. */
size_t ike_mm_id(const plat_addr *local, uint8_t *out, size_t cap);

/* Message 5: ID and HASH_I, padded with zeros to the cipher block and
 * encrypted; the IV then chains to its last block (ike_keys_encrypt).
 * out receives the whole message; *len its length. */
ike_keys_err ike_mm5_build(ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idii_b, size_t idii_len, uint8_t *out, size_t cap, size_t *len);

typedef enum ike_mm_status {
	IKE_MM_OK = 0,      /* decrypted, parsed, and (message 6) HASH_R verified */
	IKE_MM_ESHORT,      /* no header, a length past the datagram, or a body
	                       that is no whole number of cipher blocks */
	IKE_MM_ENOTENC,     /* not encrypted where it must be */
	IKE_MM_EGARBLED,    /* decrypted to payloads that do not parse: the
	                       sender's keys differ from ours */
	IKE_MM_EMISSING,    /* message 6 without an ID or HASH payload */
	IKE_MM_EMISMATCH,   /* HASH_R (or an Informational's HASH(1)) differs */
	IKE_MM_ECRYPTO,     /* the platform's crypto failed */
} ike_mm_status;
const char *ike_mm_status_name(ike_mm_status s);

/* Message 6: decrypts a copy of pkt into work (at least len bytes), parses
 * it into *m (pointers into work) and checks HASH_R over SAi_b and the ID
 * the server sent.  Only a verified message moves the IV chain of k. */
ike_mm_status ike_mm6_open(ike_keys *k, const uint8_t *pkt, size_t len, const uint8_t *sai_b,
	size_t sai_len, uint8_t *work, size_t cap, ike_msg *m);

/* An encrypted Informational (a notify or delete in answer to message 5 or
 * later): decrypts a copy with the IV of its own message ID and parses it;
 * when it carries a HASH payload, checks HASH(1) = prf(SKEYID_a, M-ID |
 * the payloads after it).  k is not changed. */
ike_mm_status ike_mm_info_open(const ike_keys *k, const uint8_t *pkt, size_t len,
	uint8_t *work, size_t cap, ike_msg *m);

/* The Informational DELETE of this ISAKMP SA (protocol ISAKMP, the SPI is
 * the two cookies), with HASH(1), encrypted with the IV of msgid (nonzero,
 * random).  k is not changed. */
ike_keys_err ike_mm_delete_build(const ike_keys *k, uint32_t msgid, uint8_t *out, size_t cap,
	size_t *len);
/* The same for any SA: protocol (1 ISAKMP, 3 ESP) and its SPI. */
ike_keys_err ike_mm_delete_spi(const ike_keys *k, uint32_t msgid, uint8_t proto,
	const uint8_t *spi, size_t spi_len, uint8_t *out, size_t cap, size_t *len);

/* ---- shared with Quick Mode (ike_qm.c) ------------------------------- */
/* Pads [start, *len) of a message with zeros to the cipher block, writes
 * the length into the header, sets the encrypted flag and encrypts it with
 * k (whose IV then chains). */
ike_keys_err ike_mm_seal(ike_keys *k, uint8_t *out, size_t cap, size_t start, size_t *len);
/* Copies pkt into work and decrypts its body with t's key and IV (t->iv
 * then chains); the copy loses the encrypted flag so ike_parse reads it. */
ike_mm_status ike_mm_decrypt_copy(ike_keys *t, const uint8_t *pkt, size_t len, uint8_t *work,
	size_t cap, ike_hdr *h);
/* prf(SKEYID_a, M-ID | pre | data): HASH(1), HASH(2) (pre: Ni_b). */
ike_keys_err ike_mm_prf_a(const ike_keys *k, uint32_t msgid, const uint8_t *pre,
	size_t pre_len, const uint8_t *data, size_t len, uint8_t *out, size_t *outlen);
/* In a plaintext message whose first payload is HASH: where the payloads
 * after it start, and their length up to the end of the chain (padding
 * excluded). */
bool ike_mm_after_hash(const uint8_t *msg, size_t len, size_t *off, size_t *n);
#endif
