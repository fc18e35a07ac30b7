/* ike_mm.c - Main Mode messages 5 and 6 with a pre-shared key, an
 * encrypted Informational, and the DELETE of the ISAKMP SA (ike_mm.h). */
#include "ike_mm.h"
#include "be.h"

#include <string.h>

#define DELETE_BODY_LEN (8 + 2 * IKE_COOKIE_LEN)

const char *ike_mm_status_name(ike_mm_status s)
{
	switch (s) {
	case IKE_MM_OK: return "ok";
	case IKE_MM_ESHORT: return "truncated or not whole cipher blocks";
	case IKE_MM_ENOTENC: return "not encrypted";
	case IKE_MM_EGARBLED: return "decrypts to garbage";
	case IKE_MM_EMISSING: return "ID or HASH payload missing";
	case IKE_MM_EMISMATCH: return "hash differs";
	case IKE_MM_ECRYPTO: return "crypto failed";
	}
	return "unknown";
}

size_t ike_mm_id(const plat_addr *local, uint8_t *out, size_t cap)
{
	size_t alen = local->family == 4 ? 4 : local->family == 6 ? 16 : 0;

	if (alen == 0 || cap < 4 + alen)
		return 0;
	/* RFC 2407 4.6.2: type, protocol, port, then the data */
	out[0] = local->family == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	out[1] = IKE_MM_ID_PROTO;
	be_put16(out + 2, IKE_MM_ID_PORT);
	memcpy(out + 4, local->addr, alen);
	return 4 + alen;
}

ike_keys_err ike_mm_seal(ike_keys *k, uint8_t *out, size_t cap, size_t start, size_t *len)
{
	size_t body = *len - start, pad = (k->block - body % k->block) % k->block;

	if (pad > cap - *len)
		return IKE_KEYS_EINVAL;
	memset(out + *len, 0, pad);
	*len += pad;
	/* RFC 2408 3.1: the length covers the padding */
	be_put32(out + 24, (uint32_t)*len);
	out[19] |= IKE_FLAG_ENCRYPTED;
	return ike_keys_encrypt(k, out + start, *len - start);
}

ike_keys_err ike_mm5_build(ike_keys *k, const uint8_t *sai_b, size_t sai_len,
	const uint8_t *idii_b, size_t idii_len, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t h[IKE_KEYS_HASH_MAX];
	size_t hl = 0;
	ike_keys_err e;
	ike_buf b;

	*len = 0;
	if (!k->ready)
		return IKE_KEYS_EINVAL;
	e = ike_keys_hash_i(k, sai_b, sai_len, idii_b, idii_len, h, &hl);
	if (e != IKE_KEYS_OK)
		return e;
	ike_buf_init(&b, out, cap);
	ike_msg_begin(&b, k->icookie, k->rcookie, IKE_EXCH_MAIN, 0);
	ike_add_payload(&b, IKE_PL_ID, idii_b, idii_len);
	ike_add_payload(&b, IKE_PL_HASH, h, hl);
	if (!ike_msg_end(&b))
		return IKE_KEYS_EINVAL;
	*len = b.len;
	e = ike_mm_seal(k, out, cap, IKE_HDR_LEN, len);
	if (e != IKE_KEYS_OK)
		*len = 0;
	return e;
}

ike_mm_status ike_mm_decrypt_copy(ike_keys *t, const uint8_t *pkt, size_t len, uint8_t *work,
	size_t cap, ike_hdr *h)
{
	size_t body = 0;

	if (!ike_hdr_read(pkt, len, h) || h->length < IKE_HDR_LEN || h->length > len)
		return IKE_MM_ESHORT;
	if (!(h->flags & IKE_FLAG_ENCRYPTED))
		return IKE_MM_ENOTENC;
	body = h->length - IKE_HDR_LEN;
	if (body == 0 || body % t->block != 0 || h->length > cap)
		return IKE_MM_ESHORT;
	memcpy(work, pkt, h->length);
	if (ike_keys_decrypt(t, work + IKE_HDR_LEN, body) != IKE_KEYS_OK)
		return IKE_MM_ECRYPTO;
	work[19] &= (uint8_t)~IKE_FLAG_ENCRYPTED;
	return IKE_MM_OK;
}

ike_mm_status ike_mm6_open(ike_keys *k, const uint8_t *pkt, size_t len, const uint8_t *sai_b,
	size_t sai_len, uint8_t *work, size_t cap, ike_msg *m)
{
	ike_keys t;
	ike_hdr h;
	ike_mm_status st;
	ike_keys_err e;

	memset(m, 0, sizeof(*m));
	if (!k->ready)
		return IKE_MM_ECRYPTO;
	t = *k; /* the IV moves only once message 6 verifies */
	st = ike_mm_decrypt_copy(&t, pkt, len, work, cap, &h);
	if (st == IKE_MM_OK && ike_parse(work, h.length, m) != IKE_OK)
		st = IKE_MM_EGARBLED;
	if (st == IKE_MM_OK && (!m->have_id || !m->have_hash))
		st = IKE_MM_EMISSING;
	if (st == IKE_MM_OK) {
		e = ike_keys_verify_r(&t, sai_b, sai_len, m->id, m->id_len, m->hash, m->hash_len);
		st = e == IKE_KEYS_OK ? IKE_MM_OK : e == IKE_KEYS_EMISMATCH ? IKE_MM_EMISMATCH :
		     e == IKE_KEYS_EINVAL ? IKE_MM_EGARBLED : IKE_MM_ECRYPTO;
	}
	if (st == IKE_MM_OK)
		memcpy(k->iv, t.iv, k->block);
	ike_keys_free(&t);
	return st;
}

ike_keys_err ike_mm_prf_a(const ike_keys *k, uint32_t msgid, const uint8_t *pre,
	size_t pre_len, const uint8_t *data, size_t len, uint8_t *out, size_t *outlen)
{
	uint8_t buf[4 + IKE_KEYS_NONCE_MAX + IKE_MSG_MAX];
	ike_keys_err e = IKE_KEYS_OK;

	if (pre_len > IKE_KEYS_NONCE_MAX || len > IKE_MSG_MAX)
		return IKE_KEYS_EINVAL;
	be_put32(buf, msgid);
	if (pre_len)
		memcpy(buf + 4, pre, pre_len);
	memcpy(buf + 4 + pre_len, data, len);
	if (plat_hmac(k->hash, k->skeyid_a, k->hlen, buf, 4 + pre_len + len, out, outlen) !=
	    PLAT_OK || *outlen != k->hlen)
		e = IKE_KEYS_ESYS;
	plat_wipe(buf, sizeof(buf));
	return e;
}

static ike_keys_err info_hash(const ike_keys *k, uint32_t msgid, const uint8_t *data,
	size_t len, uint8_t *out, size_t *outlen)
{
	return ike_mm_prf_a(k, msgid, NULL, 0, data, len, out, outlen);
}

bool ike_mm_after_hash(const uint8_t *msg, size_t len, size_t *off, size_t *n)
{
	size_t o = IKE_HDR_LEN, plen = 0, end = o;
	uint8_t type = msg[16];

	if (len < IKE_HDR_LEN + IKE_GENERIC_LEN || type != IKE_PL_HASH)
		return false;
	plen = (size_t)msg[o + 2] << 8 | msg[o + 3];
	*off = o + plen;
	/* walk to the end of the chain: padding after it is not hashed */
	while (type != IKE_PL_NONE) {
		if (len - end < IKE_GENERIC_LEN)
			return false;
		plen = (size_t)msg[end + 2] << 8 | msg[end + 3];
		if (plen < IKE_GENERIC_LEN || plen > len - end)
			return false;
		type = msg[end];
		end += plen;
	}
	*n = end - *off;
	return true;
}

ike_mm_status ike_mm_info_open(const ike_keys *k, const uint8_t *pkt, size_t len,
	uint8_t *work, size_t cap, ike_msg *m)
{
	ike_keys t;
	ike_hdr h;
	ike_mm_status st = IKE_MM_OK;
	uint8_t want[IKE_KEYS_HASH_MAX];
	size_t off = 0, n = 0, wl = 0;

	memset(m, 0, sizeof(*m));
	if (!k->ready)
		return IKE_MM_ECRYPTO;
	if (!ike_hdr_read(pkt, len, &h))
		return IKE_MM_ESHORT;
	t = *k;
	if (ike_keys_iv_msgid(k, h.msgid, t.iv) != IKE_KEYS_OK)
		st = IKE_MM_ECRYPTO;
	if (st == IKE_MM_OK)
		st = ike_mm_decrypt_copy(&t, pkt, len, work, cap, &h);
	if (st == IKE_MM_OK && ike_parse(work, h.length, m) != IKE_OK)
		st = IKE_MM_EGARBLED;
	if (st == IKE_MM_OK && m->have_hash) {
		if (!ike_mm_after_hash(work, h.length, &off, &n) || m->hash_len != k->hlen)
			st = IKE_MM_EGARBLED;
		else if (info_hash(k, h.msgid, work + off, n, want, &wl) != IKE_KEYS_OK)
			st = IKE_MM_ECRYPTO;
		else if (memcmp(want, m->hash, wl) != 0)
			st = IKE_MM_EMISMATCH;
	}
	ike_keys_free(&t);
	return st;
}

ike_keys_err ike_mm_delete_build(const ike_keys *k, uint32_t msgid, uint8_t *out, size_t cap,
	size_t *len)
{
	uint8_t spi[2 * IKE_COOKIE_LEN];

	/* the ISAKMP SA's SPI is its two cookies (RFC 2408 2.4) */
	memcpy(spi, k->icookie, IKE_COOKIE_LEN);
	memcpy(spi + IKE_COOKIE_LEN, k->rcookie, IKE_COOKIE_LEN);
	return ike_mm_delete_spi(k, msgid, 1, spi, sizeof(spi), out, cap, len);
}

ike_keys_err ike_mm_delete_spi(const ike_keys *k, uint32_t msgid, uint8_t proto,
	const uint8_t *spi, size_t spi_len, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t del[DELETE_BODY_LEN], h[IKE_KEYS_HASH_MAX], dpl[IKE_GENERIC_LEN + DELETE_BODY_LEN];
	size_t hl = 0, dlen = 8 + spi_len;
	ike_keys t;
	ike_keys_err e;
	ike_buf b;

	*len = 0;
	if (!k->ready || msgid == 0 || spi_len == 0 || spi_len > 2 * IKE_COOKIE_LEN)
		return IKE_KEYS_EINVAL;
	/* RFC 2408 3.15: DOI IPsec, the protocol, SPI size, one SPI */
	be_put32(del, 1);
	del[4] = proto;
	del[5] = (uint8_t)spi_len;
	be_put16(del + 6, 1);
	memcpy(del + 8, spi, spi_len);
	/* HASH(1) covers the whole DELETE payload, its generic header too */
	dpl[0] = IKE_PL_NONE;
	dpl[1] = 0;
	be_put16(dpl + 2, (uint16_t)(IKE_GENERIC_LEN + dlen));
	memcpy(dpl + IKE_GENERIC_LEN, del, dlen);
	e = info_hash(k, msgid, dpl, IKE_GENERIC_LEN + dlen, h, &hl);
	if (e != IKE_KEYS_OK)
		return e;
	ike_buf_init(&b, out, cap);
	ike_msg_begin(&b, k->icookie, k->rcookie, IKE_EXCH_INFO, msgid);
	ike_add_payload(&b, IKE_PL_HASH, h, hl);
	ike_add_payload(&b, IKE_PL_DELETE, del, dlen);
	if (!ike_msg_end(&b))
		return IKE_KEYS_EINVAL;
	*len = b.len;
	t = *k;
	e = ike_keys_iv_msgid(k, msgid, t.iv);
	if (e == IKE_KEYS_OK)
		e = ike_mm_seal(&t, out, cap, IKE_HDR_LEN, len);
	ike_keys_free(&t);
	if (e != IKE_KEYS_OK)
		*len = 0;
	return e;
}
