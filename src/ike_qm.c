/* ike_qm.c - Quick Mode for the L2TP IPsec SA (ike_qm.h). */
#include "ike_qm.h"
#include "be.h"

#include <stdio.h>
#include <string.h>

#define QM_LIFE_S 3600u        /* README.md: Windows' Quick Mode offer */
#define QM_LIFE_KB 250000u
#define NATOA_MAX (4 + 16)

/* RFC 2407 4.5 attribute types. */
enum { QA_LIFE_TYPE = 1, QA_LIFE_DUR = 2, QA_ENCAP = 4, QA_AUTH = 5, QA_KEY_LEN = 6 };
enum { QA_LIFE_SECONDS = 1, QA_LIFE_KB = 2 };

/* The offers, README.md "Quick Mode: what Windows asks for" (where each
 * was learned).  Windows 8 and later, seen in a strongSwan log of a client
 * with MS NT5 v9; Windows 7 assumed the same (its AES-128/SHA1 seen chosen);
 * XP inferred from KB 325158's 3DES/SHA1 default. */
static const ike_esp esp_win8[] = {
	{ IKE_ESP_AES, 256, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
	{ IKE_ESP_AES, 256, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
	{ IKE_ESP_AES, 128, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
	{ IKE_ESP_AES, 128, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
	{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
	{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
};
#define esp_win7 esp_win8
static const ike_esp esp_xp[] = {
	{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
	{ IKE_ESP_3DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
	{ IKE_ESP_DES, 0, IKE_AUTH_HMAC_SHA1, 0, 0, 0 },
	{ IKE_ESP_DES, 0, IKE_AUTH_HMAC_MD5, 0, 0, 0 },
};

const ike_esp *ike_qm_profile_esp(probe_profile profile, size_t *n)
{
	switch (profile) {
	case PROFILE_XP:
		*n = sizeof(esp_xp) / sizeof(esp_xp[0]);
		return esp_xp;
	case PROFILE_WIN8PLUS:
		*n = sizeof(esp_win8) / sizeof(esp_win8[0]);
		return esp_win8;
	case PROFILE_VISTA7:
	case PROFILE_VISTA:
	case PROFILE_SERVER2008:
		break;
	}
	*n = sizeof(esp_win7) / sizeof(esp_win7[0]);
	return esp_win7;
}

void ike_esp_alg_text(const ike_esp *e, char *buf, size_t cap)
{
	const char *c = e->id == IKE_ESP_AES ? "AES" : e->id == IKE_ESP_3DES ? "3DES" :
			e->id == IKE_ESP_DES ? "DES" : e->id == IKE_ESP_NULL ? "NULL" : "cipher";
	const char *a = e->auth == IKE_AUTH_HMAC_SHA1 ? "SHA1" : e->auth == IKE_AUTH_HMAC_MD5 ?
			"MD5" : "no auth";

	if (e->key_bits)
		snprintf(buf, cap, "%s-%u/%s", c, e->key_bits, a);
	else
		snprintf(buf, cap, "%s/%s", c, a);
}

void ike_esp_text(const ike_esp *e, char *buf, size_t cap)
{
	char alg[48];
	const char *m = e->encap == IKE_ENCAP_TRANSPORT ? "transport" :
			e->encap == IKE_ENCAP_UDP_TRANSPORT ||
			e->encap == IKE_ENCAP_UDP_TRANSPORT_DRAFT ? "UDP-encapsulated transport" :
			e->encap == IKE_ENCAP_TUNNEL ? "tunnel" :
			e->encap == IKE_ENCAP_UDP_TUNNEL ||
			e->encap == IKE_ENCAP_UDP_TUNNEL_DRAFT ? "UDP-encapsulated tunnel" :
			e->encap == 0 ? "mode not given" : "unknown mode";

	ike_esp_alg_text(e, alg, sizeof(alg));
	snprintf(buf, cap, "ESP %s %s", alg, m);
}

static size_t attr_tv(uint8_t *p, uint16_t type, uint16_t v)
{
	be_put16(p, (uint16_t)(0x8000 | type));
	be_put16(p + 2, v);
	return 4;
}

static size_t attr_tlv32(uint8_t *p, uint16_t type, uint32_t v)
{
	be_put16(p, type);
	be_put16(p + 2, 4);
	be_put32(p + 4, v);
	return 8;
}

/* The SA payload body: one ESP proposal with our SPI and the profile's
 * transforms in order.  Returns its length, 0 if cap is too small. */
static size_t sa_body(const ike_qm_in *in, uint8_t *p, size_t cap)
{
	size_t n = 0, off = 0, prop = 0;
	const ike_esp *t = ike_qm_profile_esp(in->profile, &n);
	uint16_t encap = !in->nat ? IKE_ENCAP_TRANSPORT : in->natt_draft ?
			 IKE_ENCAP_UDP_TRANSPORT_DRAFT : IKE_ENCAP_UDP_TRANSPORT;

	if (cap < 8 + 12 + n * 44) /* 44: a transform with a key length */
		return 0;
	be_put32(p, 1);          /* DOI IPsec */
	be_put32(p + 4, 1);      /* situation identity only */
	off = 8;
	prop = off;
	p[prop] = IKE_PL_NONE;
	p[prop + 1] = 0;
	p[prop + 4] = 1;      /* proposal #1 */
	p[prop + 5] = IKE_PROTO_ESP;
	p[prop + 6] = 4;
	p[prop + 7] = (uint8_t)n;
	be_put32(p + prop + 8, in->spi);
	off += 12;
	for (size_t i = 0; i < n; i++) {
		size_t tr = off;

		p[tr] = i + 1 == n ? IKE_PL_NONE : IKE_PL_TRANSFORM;
		p[tr + 1] = 0;
		p[tr + 4] = (uint8_t)(i + 1);
		p[tr + 5] = t[i].id;
		p[tr + 6] = p[tr + 7] = 0;
		off += 8;
		off += attr_tv(p + off, QA_LIFE_TYPE, QA_LIFE_SECONDS);
		off += attr_tlv32(p + off, QA_LIFE_DUR, QM_LIFE_S);
		off += attr_tv(p + off, QA_LIFE_TYPE, QA_LIFE_KB);
		off += attr_tlv32(p + off, QA_LIFE_DUR, QM_LIFE_KB);
		off += attr_tv(p + off, QA_ENCAP, encap);
		off += attr_tv(p + off, QA_AUTH, t[i].auth);
		if (t[i].key_bits)
			off += attr_tv(p + off, QA_KEY_LEN, t[i].key_bits);
		be_put16(p + tr + 2, (uint16_t)(off - tr));
	}
	be_put16(p + prop + 2, (uint16_t)(off - prop));
	return off;
}

/* An ID payload body for UDP port 1701 (RFC 2407 4.6.2). */
static size_t id_1701(const plat_addr *a, uint8_t *p)
{
	size_t alen = a->family == 4 ? 4 : 16;

	p[0] = a->family == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	p[1] = 17;
	be_put16(p + 2, IKE_QM_L2TP_PORT);
	memcpy(p + 4, a->addr, alen);
	return 4 + alen;
}

/* A NAT-OA body (RFC 3947 5.2): ID type, 3 reserved, the address. */
static size_t natoa(const plat_addr *a, uint8_t *p)
{
	size_t alen = a->family == 4 ? 4 : 16;

	memset(p, 0, 4);
	p[0] = a->family == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	memcpy(p + 4, a->addr, alen);
	return 4 + alen;
}

ike_keys_err ike_qm1_build(const ike_keys *k, const ike_qm_in *in, ike_qm *qm, uint8_t *out,
	size_t cap, size_t *len)
{
	uint8_t sa[8 + 12 + 8 * 40], idi[4 + 16], idr[4 + 16], oai[NATOA_MAX], oar[NATOA_MAX];
	uint8_t h[IKE_KEYS_HASH_MAX] = { 0 };
	size_t sal = 0, idil = 0, idrl = 0, oail = 0, oarl = 0, hl = 0, off = 0, n = 0;
	uint8_t oatype = in->natt_draft ? IKE_PL_NATOA_DRAFT : IKE_PL_NATOA;
	ike_keys t;
	ike_keys_err e;
	ike_buf b;

	*len = 0;
	memset(qm, 0, sizeof(*qm));
	if (!k->ready || in->msgid == 0 || in->ni_len < IKE_KEYS_NONCE_MIN ||
	    in->ni_len > IKE_KEYS_NONCE_MAX || (in->local.family != 4 && in->local.family != 6) ||
	    in->remote.family != in->local.family)
		return IKE_KEYS_EINVAL;
	sal = sa_body(in, sa, sizeof(sa));
	idil = id_1701(&in->local, idi);
	idrl = id_1701(&in->remote, idr);
	if (in->nat) {
		oail = natoa(&in->local, oai);
		oarl = natoa(&in->remote, oar);
	}
	if (sal == 0)
		return IKE_KEYS_EINVAL;
	/* the message without HASH first: HASH(1) covers what follows it */
	ike_buf_init(&b, out, cap);
	ike_msg_begin(&b, k->icookie, k->rcookie, IKE_EXCH_QUICK, in->msgid);
	ike_add_payload(&b, IKE_PL_HASH, h, k->hlen);
	off = b.len;
	ike_add_payload(&b, IKE_PL_SA, sa, sal);
	ike_add_payload(&b, IKE_PL_NONCE, in->ni, in->ni_len);
	ike_add_payload(&b, IKE_PL_ID, idi, idil);
	ike_add_payload(&b, IKE_PL_ID, idr, idrl);
	if (in->nat) {
		/* RFC 3947: NAT-OAi and NAT-OAr; the draft XP speaks has the
		 * initiator's only */
		ike_add_payload(&b, oatype, oai, oail);
		if (!in->natt_draft)
			ike_add_payload(&b, oatype, oar, oarl);
	}
	if (!ike_msg_end(&b))
		return IKE_KEYS_EINVAL;
	n = b.len - off;
	e = ike_mm_prf_a(k, in->msgid, NULL, 0, out + off, n, h, &hl);
	if (e != IKE_KEYS_OK)
		return e;
	memcpy(out + IKE_HDR_LEN + IKE_GENERIC_LEN, h, hl);
	*len = b.len;
	t = *k;
	e = ike_keys_iv_msgid(k, in->msgid, t.iv);
	if (e == IKE_KEYS_OK)
		e = ike_mm_seal(&t, out, cap, IKE_HDR_LEN, len);
	if (e == IKE_KEYS_OK) {
		qm->msgid = in->msgid;
		qm->spi = in->spi;
		qm->ni_len = in->ni_len;
		memcpy(qm->ni, in->ni, in->ni_len);
		memcpy(qm->iv, t.iv, t.block);
	} else {
		*len = 0;
	}
	ike_keys_free(&t);
	return e;
}

/* The chosen transform of message 2's SA body: one ESP proposal with one
 * transform (RFC 2409 5.5: the responder returns what it accepted). */
static bool parse_sa2(const uint8_t *p, size_t n, ike_qm2 *out)
{
	size_t plen = 0, tlen = 0, off = 0;
	uint32_t life_type = 0;

	if (n < 8 + 12 || be_get32(p) != 1)
		return false;
	p += 8;
	n -= 8;
	plen = be_get16(p + 2);
	if (plen < 12 || plen > n || p[5] != IKE_PROTO_ESP || p[6] != 4 || p[7] < 1)
		return false;
	out->spi = be_get32(p + 8);
	p += 12;
	n = plen - 12;
	if (n < 8)
		return false;
	tlen = be_get16(p + 2);
	if (tlen < 8 || tlen > n)
		return false;
	out->chosen.id = p[5];
	for (off = 8; off + 4 <= tlen;) {
		uint16_t type = be_get16(p + off), v = be_get16(p + off + 2);
		uint32_t val = v;
		size_t alen = 4;

		if (!(type & 0x8000)) {
			/* TLV: v is the length */
			if (v == 0 || v > 4 || off + 4 + v > tlen)
				return false;
			val = 0;
			for (size_t i = 0; i < v; i++)
				val = val << 8 | p[off + 4 + i];
			alen = 4 + v;
		}
		switch (type & 0x7fff) {
		case QA_ENCAP: out->chosen.encap = (uint16_t)val; break;
		case QA_AUTH: out->chosen.auth = (uint16_t)val; break;
		case QA_KEY_LEN: out->chosen.key_bits = (uint16_t)val; break;
		case QA_LIFE_TYPE: life_type = val; break;
		case QA_LIFE_DUR:
			/* RFC 2407 4.5: a duration counts in the life type before it */
			if (life_type == QA_LIFE_KB)
				out->chosen.life_kb = val;
			else
				out->chosen.life_s = val;
			break;
		default: break;
		}
		off += alen;
	}
	return off == tlen;
}

ike_mm_status ike_qm2_open(const ike_keys *k, const ike_qm *qm, const uint8_t *pkt, size_t len,
	uint8_t *work, size_t cap, ike_qm2 *out)
{
	ike_keys t;
	ike_hdr h;
	ike_msg m;
	ike_mm_status st = IKE_MM_OK;
	uint8_t want[IKE_KEYS_HASH_MAX];
	size_t off = 0, n = 0, wl = 0;

	memset(out, 0, sizeof(*out));
	if (!k->ready)
		return IKE_MM_ECRYPTO;
	if (!ike_hdr_read(pkt, len, &h))
		return IKE_MM_ESHORT;
	if (h.exchange != IKE_EXCH_QUICK || h.msgid != qm->msgid)
		return IKE_MM_EGARBLED;
	t = *k;
	memcpy(t.iv, qm->iv, t.block);
	st = ike_mm_decrypt_copy(&t, pkt, len, work, cap, &h);
	ike_keys_free(&t);
	if (st != IKE_MM_OK)
		return st;
	if (ike_parse(work, h.length, &m) != IKE_OK)
		return IKE_MM_EGARBLED;
	if (!m.have_hash || !m.have_nonce || m.hash_len != k->hlen ||
	    !ike_mm_after_hash(work, h.length, &off, &n))
		return IKE_MM_EMISSING;
	if (ike_mm_prf_a(k, qm->msgid, qm->ni, qm->ni_len, work + off, n, want, &wl) != IKE_KEYS_OK)
		return IKE_MM_ECRYPTO;
	if (memcmp(want, m.hash, wl) != 0)
		return IKE_MM_EMISMATCH;
	out->have_natoa = m.have_natoa;
	if (m.sa == NULL || !parse_sa2(m.sa, m.sa_len, out))
		return IKE_MM_EGARBLED;
	return IKE_MM_OK;
}

ike_keys_err ike_qm_delete_build(const ike_keys *k, uint32_t msgid, uint32_t spi, uint8_t *out,
	size_t cap, size_t *len)
{
	uint8_t s[4];

	be_put32(s, spi);
	return ike_mm_delete_spi(k, msgid, IKE_PROTO_ESP, s, sizeof(s), out, cap, len);
}
