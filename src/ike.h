/* ike.h - IKEv1 (ISAKMP) message building and parsing, just enough for
 * Main Mode messages 1-4 and informational notifies (RFC 2408, 2409, 3947). */
#ifndef NATTCHECK_IKE_H
#define NATTCHECK_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The wire types the probe speaks in (probe.h builds on these; the packet
 * code never includes probe.h). */
/* Which Windows L2TP/IPsec client message 1 to imitate. */
typedef enum probe_profile {
	PROFILE_XP = 0,     /* XP SP2/SP3, XP x64, Server 2003: MS NT5 v4 */
	PROFILE_VISTA7,     /* 7, Server 2008 R2: v8 */
	PROFILE_WIN8PLUS,   /* 8, 8.1, 10, 11, Server 2012+: v9 */
	PROFILE_VISTA,      /* Vista: v5, otherwise as 7 (inferred) */
	PROFILE_SERVER2008, /* Server 2008: v6, otherwise as 7 (inferred) */
} probe_profile;

typedef enum probe_auth { PROBE_AUTH_PSK = 0, PROBE_AUTH_CERT } probe_auth;

/* The IKE transform the server chose in message 2 (attribute numbers). */
typedef struct probe_transform {
	uint16_t cipher;      /* 5 = 3DES, 7 = AES-CBC */
	uint16_t key_bits;    /* 0 when the cipher has a fixed key size */
	uint16_t hash;        /* 1 MD5, 2 SHA1, 4 SHA2-256 ... */
	uint16_t group;       /* 2, 14, 19, 20 ... */
	uint16_t auth;        /* 1 PSK, 3 RSA signature */
	uint32_t life_s;
} probe_transform;

/* ISAKMP payload types (RFC 2408 3.1; 20/21 RFC 3947; 130/131 the drafts). */
enum ike_payload_type {
	IKE_PL_NONE = 0, IKE_PL_SA = 1, IKE_PL_PROPOSAL = 2, IKE_PL_TRANSFORM = 3,
	IKE_PL_KE = 4, IKE_PL_ID = 5, IKE_PL_CERT = 6, IKE_PL_CR = 7,
	IKE_PL_HASH = 8, IKE_PL_SIG = 9, IKE_PL_NONCE = 10, IKE_PL_NOTIFY = 11,
	IKE_PL_DELETE = 12, IKE_PL_VID = 13, IKE_PL_NATD = 20, IKE_PL_NATOA = 21,
	IKE_PL_NATD_DRAFT = 130, IKE_PL_NATOA_DRAFT = 131,
};

/* Exchange types (RFC 2408 3.1, RFC 2409 5). */
enum ike_exchange { IKE_EXCH_MAIN = 2, IKE_EXCH_AGGRESSIVE = 4, IKE_EXCH_INFO = 5 };

/* Phase 1 attribute types and values (RFC 2409 appendix A). */
enum ike_attr_type {
	IKE_ATTR_CIPHER = 1, IKE_ATTR_HASH = 2, IKE_ATTR_AUTH = 3, IKE_ATTR_GROUP = 4,
	IKE_ATTR_LIFE_TYPE = 11, IKE_ATTR_LIFE_DURATION = 12, IKE_ATTR_KEY_LEN = 14,
};
enum { IKE_CIPHER_3DES = 5, IKE_CIPHER_AES_CBC = 7 };
enum { IKE_HASH_MD5 = 1, IKE_HASH_SHA1 = 2, IKE_HASH_SHA256 = 4, IKE_HASH_SHA384 = 5,
	IKE_HASH_SHA512 = 6 };
/* Diffie-Hellman groups (RFC 2409, 3526, 5903) Windows offers. */
enum { IKE_GROUP_MODP1024 = 2, IKE_GROUP_MODP2048 = 14, IKE_GROUP_ECP256 = 19,
	IKE_GROUP_ECP384 = 20 };
enum { IKE_AUTH_PSK = 1, IKE_AUTH_RSA_SIG = 3 };
enum { IKE_LIFE_SECONDS = 1 };

/* Notify message types (RFC 2408 3.14.1): errors are below 8192. */
enum { IKE_N_INVALID_PAYLOAD_TYPE = 1, IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_NO_PROPOSAL_CHOSEN = 14, IKE_N_PAYLOAD_MALFORMED = 16,
	IKE_N_INVALID_ID_INFORMATION = 18, IKE_N_INVALID_HASH_INFORMATION = 23,
	IKE_N_AUTHENTICATION_FAILED = 24, IKE_N_ERROR_MAX = 8191 };
#define IKE_FLAG_ENCRYPTED 0x01

#define IKE_HDR_LEN 28
#define IKE_GENERIC_LEN 4     /* a payload's header: next payload, reserved, length */
#define IKE_COOKIE_LEN 8
#define IKE_MSG_MAX 1400      /* our messages; replies up to the recv buffer */
#define IKE_NATD_MAX 32       /* NAT-D payloads remembered from one message */
#define IKE_NONESP_MARKER_LEN 4

/* The header fields, copied out of the packet (RFC 2408 3.1). */
typedef struct ike_hdr {
	uint8_t icookie[IKE_COOKIE_LEN];
	uint8_t rcookie[IKE_COOKIE_LEN];
	uint8_t next;
	uint8_t version;   /* 0x10 for IKEv1 */
	uint8_t exchange;
	uint8_t flags;     /* bit 0: encrypted */
	uint32_t msgid;
	uint32_t length;
} ike_hdr;

/* ---- building --------------------------------------------------------- */
/* A fixed-capacity output buffer: the memory is the caller's and never
 * moves.  Any overflow sets err; the content is then meaningless. */
typedef struct ike_buf {
	uint8_t *p;
	size_t cap;
	size_t len;
	size_t next_off;   /* the "next payload" byte to patch for the next one */
	bool err;
} ike_buf;

void ike_buf_init(ike_buf *b, uint8_t *mem, size_t cap);
/* Starts a message: the header with length 0, patched by ike_msg_end. */
void ike_msg_begin(ike_buf *b, const uint8_t icookie[8], const uint8_t rcookie[8],
	uint8_t exchange, uint32_t msgid);
/* Appends a payload with the given body; chains its type into the
 * previous payload's (or the header's) next-payload field. */
void ike_add_payload(ike_buf *b, uint8_t type, const void *body, size_t len);
/* An SA payload (DOI IPsec, situation identity-only) holding one ISAKMP
 * proposal with the transforms in the given order. */
void ike_add_sa(ike_buf *b, const probe_transform *t, size_t n);
/* A notify payload (DOI IPsec, protocol ISAKMP, no SPI). */
void ike_add_notify(ike_buf *b, uint16_t type);
/* Writes the total length into the header; returns false if the buffer
 * overflowed at any point. */
bool ike_msg_end(ike_buf *b);

/* ---- parsing ---------------------------------------------------------- */
typedef enum ike_err {
	IKE_OK = 0,
	IKE_ESHORT,       /* shorter than a header, or than its declared length */
	IKE_EVERSION,     /* not IKEv1 */
	IKE_EENCRYPTED,   /* payloads encrypted: nothing to read for us */
	IKE_EPAYLOAD,     /* a payload header or body is inconsistent */
} ike_err;

/* The vendor IDs nattcheck knows: those it recognises in a reply first,
 * then those only Windows' message 1 carries.  Indexes of ike_vid_get. */
typedef enum ike_vid_id {
	IKE_VIDX_RFC3947 = 0,
	IKE_VIDX_DRAFT02N,            /* draft-ietf-ipsec-nat-t-ike-02\n */
	IKE_VIDX_DRAFT02,
	IKE_VIDX_DRAFT03,
	IKE_VIDX_FRAG,
	IKE_VIDX_MSNT5,               /* + the Windows version, 4 bytes */
	IKE_VIDX_DPD,
	IKE_VIDX_WIN8,                /* unnamed; Windows 8 and later only */
	IKE_VIDX_MS_NEGDISC,
	IKE_VIDX_INITIAL_CONTACT,
	IKE_VIDX_CGA1,
	IKE_VIDX_COUNT
} ike_vid_id;

/* Vendor IDs recognised in a reply (bit flags of ike_msg.vids). */
enum {
	IKE_VID_RFC3947 = 1u << IKE_VIDX_RFC3947,
	IKE_VID_DRAFT02N = 1u << IKE_VIDX_DRAFT02N,
	IKE_VID_DRAFT02 = 1u << IKE_VIDX_DRAFT02,
	IKE_VID_DRAFT03 = 1u << IKE_VIDX_DRAFT03,
	IKE_VID_FRAG = 1u << IKE_VIDX_FRAG,
	IKE_VID_MSNT5 = 1u << IKE_VIDX_MSNT5,
	IKE_VID_DPD = 1u << IKE_VIDX_DPD,
};

#define IKE_VID_MAX 20

/* One vendor ID: ike.c's table is the only copy of the bytes. */
typedef struct ike_vid {
	const char *name;          /* the name; most IDs are its MD5 */
	uint32_t flag;             /* IKE_VID_*; 0: never looked for in a reply */
	bool prefix;               /* a longer body matches too (version bytes follow:
	                              MS NT5, Cisco's FRAGMENTATION + 80000000) */
	uint8_t len;
	uint8_t id[IKE_VID_MAX];
} ike_vid;

/* The row of a vendor ID; NULL when id is out of range. */
const ike_vid *ike_vid_get(ike_vid_id id);
/* The IKE_VID_* flag of a vendor ID payload body, 0 if none matches. */
uint32_t ike_vid_match(const uint8_t *body, size_t n);
/* The MS NT5 ISAKMPOAKLEY vendor ID of a Windows version (v4 XP ... v9
 * Windows 8+): the hash, then the version as 4 bytes big-endian.  Returns
 * its length. */
size_t ike_vid_msnt5(uint32_t version, uint8_t out[IKE_VID_MAX]);

/* What one received message says.  Pointers point into the caller's
 * packet buffer and are valid as long as it is. */
typedef struct ike_msg {
	ike_hdr hdr;
	bool have_sa;
	probe_transform transform; /* the first transform of the first proposal */
	uint32_t vids;
	bool have_notify;
	uint16_t notify;           /* the first notify's type */
	bool have_ke, have_nonce;
	size_t ke_len, nonce_len;
	const uint8_t *ke, *nonce; /* the first KE / nonce payload's body */
	bool have_id, have_hash, have_delete;
	const uint8_t *id, *hash;  /* the first ID / HASH payload's body */
	size_t id_len, hash_len;
	const uint8_t *sa;         /* the first SA payload's body (sa_len bytes) */
	size_t sa_len;
	bool have_natoa;           /* a NAT-OA payload of either type */
	size_t natd_count;         /* payloads of either NAT-D type */
	uint8_t natd_type;         /* IKE_PL_NATD or IKE_PL_NATD_DRAFT (the first seen) */
	const uint8_t *natd[IKE_NATD_MAX];
	size_t natd_len[IKE_NATD_MAX];
	size_t payloads;           /* payloads walked, unknown ones included */
	size_t err_off;            /* on a parse error: the byte where it is */
} ike_msg;

/* Parses an IKEv1 message without a non-ESP marker.  Unknown payloads are
 * skipped.  On error *out is partially filled and must not be used. */
ike_err ike_parse(const uint8_t *pkt, size_t len, ike_msg *out);
const char *ike_err_name(ike_err e);
/* RFC 2408 3.14.1 name of an error notify ("INVALID-KEY-INFORMATION"), or
 * NULL for a type without one here. */
const char *ike_notify_name(uint16_t type);
/* Copies the header out; false if len < IKE_HDR_LEN. */
bool ike_hdr_read(const uint8_t *pkt, size_t len, ike_hdr *out);

/* ---- Windows message 1 (ike_profile.c) ------------------------------- */
/* Builds message 1 as this Windows version's L2TP/IPsec client sends it.
 * Returns the length, 0 if cap is too small. */
size_t ike_build_mm1(uint8_t *out, size_t cap, const uint8_t icookie[8],
	probe_profile profile, probe_auth auth);
/* The transforms a profile offers (n receives the count). */
const probe_transform *ike_profile_transforms(probe_profile profile, size_t *n);
/* Whether a profile sends the RFC 3947 vendor ID (XP sends only draft-02). */
bool ike_profile_offers_rfc3947(probe_profile profile);

/* ---- KE values (ike_dh.c) -------------------------------------------- */
/* Length of a KE value for a DH group, 0 if the group is unsupported. */
size_t ike_dh_ke_len(uint16_t group);
/* Writes a valid public value for the group: 2^k mod p with small k for
 * MODP groups (one bit set, no bignum needed), the generator point for ECP
 * groups.  rnd selects k.  Returns the length, 0 if unsupported or cap is
 * too small. */
size_t ike_dh_ke(uint16_t group, uint32_t rnd, uint8_t *out, size_t cap);

/* ---- real Diffie-Hellman (ike_dh.c, bn.c): Main Mode with a key ------- */
/* Groups 1, 2, 5, 14, 15, 16 (MODP, generator 2) and 19, 20 (ECP P-256,
 * P-384).  Values are big-endian byte strings; the public value is what a
 * KE payload carries (ike_dh_ke_len bytes: MODP the length of p, ECP
 * x || y).  Sizes passed by pointer hold the buffer's capacity on entry
 * and the length written on success. */
typedef enum ike_dh_status {
	IKE_DH_OK = 0,
	IKE_DH_EGROUP,    /* a group nattcheck cannot compute */
	IKE_DH_EPEER,     /* the peer's value: wrong length, out of range, off the curve */
	IKE_DH_EPRIV,     /* the private value: wrong length, or not 1 <= k < n (ECP) */
	IKE_DH_ESPACE,    /* an output buffer is too small */
	IKE_DH_ERANDOM,   /* plat_random failed */
} ike_dh_status;
#define IKE_DH_PRIV_MAX 64     /* bytes of a private value */
#define IKE_DH_VALUE_MAX 512   /* bytes of a public value or shared secret */

const char *ike_dh_status_name(ike_dh_status s);
/* Length of the private value ike_dh_keypair draws, 0 if unsupported. */
size_t ike_dh_priv_len(uint16_t group);
/* A fresh private value from plat_random and its public value. */
ike_dh_status ike_dh_keypair(uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub,
	size_t *pub_len);
/* The public value of a given private value (g^x mod p, or x G). */
ike_dh_status ike_dh_public(uint16_t group, const uint8_t *priv, size_t priv_len, uint8_t *pub,
	size_t *pub_len);
/* g^xy from our private value and the peer's public value, after
 * checking the latter (MODP: 1 < y < p - 1; ECP: on the curve): MODP the
 * length of p with leading zeros (RFC 2409 5), ECP the x coordinate only
 * (RFC 5903 7, 9). */
ike_dh_status ike_dh_shared(uint16_t group, const uint8_t *priv, size_t priv_len,
	const uint8_t *peer, size_t peer_len, uint8_t *out, size_t *out_len);
/* The prime of a MODP group, big-endian (out holds IKE_DH_VALUE_MAX);
 * returns its length, 0 if the group is not MODP. */
size_t ike_dh_modp_prime(uint16_t group, uint8_t *out);

#endif
