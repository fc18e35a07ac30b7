/* ike_qm.h - Quick Mode (RFC 2409 section 5.5) for the IPsec SA that
 * carries L2TP, as this Windows version asks for it: ESP in transport mode
 * (UDP-encapsulated behind NAT, RFC 3947 or its draft), UDP port 1701 on
 * both sides, NAT-OA behind NAT, no PFS; message 2 opened and HASH(2)
 * checked; the DELETE of the IPsec SA.  Pure: crypto through ike_keys.h and
 * platform.h.  Messages carry no non-ESP marker. */
#ifndef NATTCHECK_IKE_QM_H
#define NATTCHECK_IKE_QM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "ike_keys.h"
#include "ike_mm.h"
#include "platform.h"

enum { IKE_EXCH_QUICK = 32 };
/* RFC 2407 4.4.4 ESP transform IDs and 4.5 attributes. */
enum { IKE_ESP_DES = 2, IKE_ESP_3DES = 3, IKE_ESP_NULL = 11, IKE_ESP_AES = 12 };
enum { IKE_AUTH_HMAC_MD5 = 1, IKE_AUTH_HMAC_SHA1 = 2 };
enum { IKE_ENCAP_TUNNEL = 1, IKE_ENCAP_TRANSPORT = 2, IKE_ENCAP_UDP_TUNNEL = 3,
	IKE_ENCAP_UDP_TRANSPORT = 4, IKE_ENCAP_UDP_TUNNEL_DRAFT = 61443,
	IKE_ENCAP_UDP_TRANSPORT_DRAFT = 61444 };
#define IKE_QM_L2TP_PORT 1701
#define IKE_PROTO_ESP 3

/* One ESP transform Windows offers (or the server chose). */
typedef struct ike_esp {
	uint8_t id;           /* IKE_ESP_* */
	uint16_t key_bits;    /* AES: 128/256; 0 otherwise */
	uint16_t auth;        /* IKE_AUTH_HMAC_* */
	uint16_t encap;       /* IKE_ENCAP_* */
	uint32_t life_s, life_kb;
} ike_esp;

/* The ESP transforms a profile offers, in its order (n receives the count;
 * encap and lives are filled in by ike_qm1_build). */
const ike_esp *ike_qm_profile_esp(probe_profile profile, size_t *n);
/* "ESP AES-256/SHA1 transport" */
void ike_esp_text(const ike_esp *e, char *buf, size_t cap);
/* The algorithms alone: "AES-256/SHA1" */
void ike_esp_alg_text(const ike_esp *e, char *buf, size_t cap);

/* What Quick Mode message 1 needs. */
typedef struct ike_qm_in {
	probe_profile profile;
	uint32_t msgid;                  /* random, nonzero */
	uint32_t spi;                    /* our inbound SPI, random (>= 256) */
	const uint8_t *ni;               /* the nonce, ni_len bytes (8..256) */
	size_t ni_len;
	plat_addr local, remote;         /* the addresses on the path */
	bool nat;                        /* NAT-D showed NAT: UDP encapsulation, NAT-OA */
	bool natt_draft;                 /* XP's draft NAT-T: 61444 and payload 131 */
} ike_qm_in;

/* Quick Mode state between messages 1 and 2: the IV chain of this
 * exchange and what HASH(2) covers. */
typedef struct ike_qm {
	uint32_t msgid, spi;
	size_t ni_len;
	uint8_t ni[IKE_KEYS_NONCE_MAX];
	uint8_t iv[IKE_KEYS_BLOCK_MAX];  /* the IV of message 2: message 1's last block */
} ike_qm;

/* Message 1: HASH(1), SA, Ni, IDci, IDcr (and NAT-OAi, NAT-OAr), padded and
 * encrypted with the IV of msgid from k (the last phase 1 block).  k is not
 * changed; *qm receives what message 2 needs. */
ike_keys_err ike_qm1_build(const ike_keys *k, const ike_qm_in *in, ike_qm *qm, uint8_t *out,
	size_t cap, size_t *len);

/* What message 2 says. */
typedef struct ike_qm2 {
	ike_esp chosen;
	uint32_t spi;                    /* the server's SPI */
	bool have_natoa;
} ike_qm2;

/* Message 2: decrypts a copy into work, checks HASH(2) = prf(SKEYID_a,
 * M-ID | Ni_b | the payloads after HASH) and reads the chosen transform. */
ike_mm_status ike_qm2_open(const ike_keys *k, const ike_qm *qm, const uint8_t *pkt, size_t len,
	uint8_t *work, size_t cap, ike_qm2 *out);

/* The Informational DELETE of an IPsec SA: protocol ESP, our SPI. */
ike_keys_err ike_qm_delete_build(const ike_keys *k, uint32_t msgid, uint32_t spi, uint8_t *out,
	size_t cap, size_t *len);
#endif
