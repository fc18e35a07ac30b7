/* ike.c - building and parsing IKEv1 (ISAKMP) messages (RFC 2408/2409/3947).
 * Parsing treats every byte as hostile: each fixed header is copied out
 * with memcpy, and each declared length is checked against what is left
 * before the body is touched. */
#include "ike.h"
#include "be.h"

#include <string.h>

#define IKE_VERSION_1 0x10
#define IKE_DOI_IPSEC 1
#define IKE_SIT_IDENTITY_ONLY 1
#define IKE_PROTO_ISAKMP 1
#define IKE_KEY_IKE 1        /* transform ID in an ISAKMP proposal */
#define IKE_ATTR_TV 0x8000   /* attribute format bit: type/value */

/* ---- building --------------------------------------------------------- */

void ike_buf_init(ike_buf *b, uint8_t *mem, size_t cap)
{
	b->p = mem;
	b->cap = cap;
	b->len = 0;
	b->next_off = 0;
	b->err = false;
}

/* Reserves n bytes and returns their offset; on overflow sets err and
 * returns an offset that callers must not write through (they check err). */
static size_t buf_reserve(ike_buf *b, size_t n)
{
	size_t off = b->len;

	if (b->err || n > b->cap - b->len) {
		b->err = true;
		return 0;
	}
	memset(b->p + off, 0, n);
	b->len += n;
	return off;
}

static void buf_append(ike_buf *b, const void *data, size_t n)
{
	size_t off = buf_reserve(b, n);

	if (!b->err && n > 0)
		memcpy(b->p + off, data, n);
}

/* Patches a 16-bit length at off: the bytes from start to the end. */
static void buf_patch_len16(ike_buf *b, size_t off, size_t start)
{
	size_t n = b->len - start;

	if (b->err)
		return;
	if (n > 0xffff) {
		b->err = true;
		return;
	}
	be_put16(b->p + off, (uint16_t)n);
}

void ike_msg_begin(ike_buf *b, const uint8_t icookie[8], const uint8_t rcookie[8],
	uint8_t exchange, uint32_t msgid)
{
	size_t off = buf_reserve(b, IKE_HDR_LEN);

	if (b->err)
		return;
	memcpy(b->p + off, icookie, IKE_COOKIE_LEN);
	memcpy(b->p + off + 8, rcookie, IKE_COOKIE_LEN);
	b->p[off + 17] = IKE_VERSION_1;
	b->p[off + 18] = exchange;
	be_put32(b->p + off + 20, msgid);
	b->next_off = off + 16;
}

/* Starts a payload: chains its type and returns the offset of its generic
 * header, whose length payload_end patches. */
static size_t payload_begin(ike_buf *b, uint8_t type)
{
	size_t off = buf_reserve(b, IKE_GENERIC_LEN);

	if (b->err)
		return 0;
	b->p[b->next_off] = type;
	b->next_off = off;
	return off;
}

static void payload_end(ike_buf *b, size_t off)
{
	buf_patch_len16(b, off + 2, off);
}

void ike_add_payload(ike_buf *b, uint8_t type, const void *body, size_t len)
{
	size_t off = payload_begin(b, type);

	buf_append(b, body, len);
	payload_end(b, off);
}

static void attr_tv(ike_buf *b, uint16_t type, uint16_t value)
{
	uint8_t a[4];

	be_put16(a, (uint16_t)(IKE_ATTR_TV | type));
	be_put16(a + 2, value);
	buf_append(b, a, sizeof(a));
}

/* The life duration as Windows encodes it: a 4-byte variable attribute. */
static void attr_tlv32(ike_buf *b, uint16_t type, uint32_t value)
{
	uint8_t a[8];

	be_put16(a, type);
	be_put16(a + 2, 4);
	be_put32(a + 4, value);
	buf_append(b, a, sizeof(a));
}

/* One transform (RFC 2408 3.6) with the attributes in Windows' order. */
static void add_transform(ike_buf *b, const probe_transform *t, uint8_t num, bool last)
{
	size_t off = buf_reserve(b, 8);

	if (!b->err) {
		b->p[off] = last ? IKE_PL_NONE : IKE_PL_TRANSFORM;
		b->p[off + 4] = num;
		b->p[off + 5] = IKE_KEY_IKE;
	}
	attr_tv(b, IKE_ATTR_CIPHER, t->cipher);
	if (t->key_bits != 0)
		attr_tv(b, IKE_ATTR_KEY_LEN, t->key_bits);
	attr_tv(b, IKE_ATTR_HASH, t->hash);
	attr_tv(b, IKE_ATTR_GROUP, t->group);
	attr_tv(b, IKE_ATTR_AUTH, t->auth);
	attr_tv(b, IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
	attr_tlv32(b, IKE_ATTR_LIFE_DURATION, t->life_s);
	buf_patch_len16(b, off + 2, off);
}

void ike_add_sa(ike_buf *b, const probe_transform *t, size_t n)
{
	size_t sa = payload_begin(b, IKE_PL_SA);
	size_t prop = 0;
	uint8_t head[8];

	be_put32(head, IKE_DOI_IPSEC);
	be_put32(head + 4, IKE_SIT_IDENTITY_ONLY);
	buf_append(b, head, sizeof(head));
	/* The proposal (RFC 2408 3.5): last one, #1, ISAKMP, no SPI. */
	prop = buf_reserve(b, 8);
	if (!b->err) {
		b->p[prop + 4] = 1;
		b->p[prop + 5] = IKE_PROTO_ISAKMP;
		b->p[prop + 7] = (uint8_t)n;
	}
	if (n > 255)
		b->err = true;
	for (size_t i = 0; i < n && !b->err; i++)
		add_transform(b, &t[i], (uint8_t)(i + 1), i + 1 == n);
	buf_patch_len16(b, prop + 2, prop);
	payload_end(b, sa);
}

void ike_add_notify(ike_buf *b, uint16_t type)
{
	uint8_t body[8];

	be_put32(body, IKE_DOI_IPSEC);
	body[4] = IKE_PROTO_ISAKMP;
	body[5] = 0; /* SPI size */
	be_put16(body + 6, type);
	ike_add_payload(b, IKE_PL_NOTIFY, body, sizeof(body));
}

bool ike_msg_end(ike_buf *b)
{
	if (b->err || b->len < IKE_HDR_LEN)
		return false;
	be_put32(b->p + 24, (uint32_t)b->len);
	return true;
}

/* ---- vendor IDs ------------------------------------------------------ */

/* Every vendor ID nattcheck sends or recognises, the only copy of their
 * bytes: the MD5 of the name unless said otherwise (RFC 3947 2, the NAT-T
 * drafts; checked against ike-scan's and Wireshark's tables, and the MD5s
 * in test_ike.c).  Which Windows sends which: ike_profile.c. */
static const ike_vid vids[IKE_VIDX_COUNT] = {
	[IKE_VIDX_RFC3947] = { "RFC 3947", IKE_VID_RFC3947, false, 16, {
		0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
		0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f } },
	[IKE_VIDX_DRAFT02N] = { "draft-ietf-ipsec-nat-t-ike-02\n", IKE_VID_DRAFT02N, false, 16, {
		0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
		0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f } },
	[IKE_VIDX_DRAFT02] = { "draft-ietf-ipsec-nat-t-ike-02", IKE_VID_DRAFT02, false, 16, {
		0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
		0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 } },
	[IKE_VIDX_DRAFT03] = { "draft-ietf-ipsec-nat-t-ike-03", IKE_VID_DRAFT03, false, 16, {
		0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
		0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 } },
	/* Windows sends the bare hash, Cisco appends 80000000. */
	[IKE_VIDX_FRAG] = { "FRAGMENTATION", IKE_VID_FRAG, true, 16, {
		0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
		0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3 } },
	/* Sent with the version appended: ike_vid_msnt5. */
	[IKE_VIDX_MSNT5] = { "MS NT5 ISAKMPOAKLEY", IKE_VID_MSNT5, true, 16, {
		0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d,
		0x7c, 0x96, 0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61 } },
	/* Not an MD5 of its name: RFC 3706 gives the bytes. */
	[IKE_VIDX_DPD] = { "DPD (RFC 3706)", IKE_VID_DPD, false, 16, {
		0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
		0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 } },
	/* Not an MD5 of its name: Windows 8 and later send it first, unexplained. */
	[IKE_VIDX_WIN8] = { "Windows 8+ (unnamed)", 0, false, 20, {
		0x01, 0x52, 0x8b, 0xbb, 0xc0, 0x06, 0x96, 0x12, 0x18, 0x49,
		0xab, 0x9a, 0x1c, 0x5b, 0x2a, 0x51, 0x00, 0x00, 0x00, 0x01 } },
	[IKE_VIDX_MS_NEGDISC] = { "MS-Negotiation Discovery Capable", 0, false, 16, {
		0xfb, 0x1d, 0xe3, 0xcd, 0xf3, 0x41, 0xb7, 0xea,
		0x16, 0xb7, 0xe5, 0xbe, 0x08, 0x55, 0xf1, 0x20 } },
	[IKE_VIDX_INITIAL_CONTACT] = { "Vid-Initial-Contact", 0, false, 16, {
		0x26, 0x24, 0x4d, 0x38, 0xed, 0xdb, 0x61, 0xb3,
		0x17, 0x2a, 0x36, 0xe3, 0xd0, 0xcf, 0xb8, 0x19 } },
	[IKE_VIDX_CGA1] = { "IKE CGA version 1", 0, false, 16, {
		0xe3, 0xa5, 0x96, 0x6a, 0x76, 0x37, 0x9f, 0xe7,
		0x07, 0x22, 0x82, 0x31, 0xe5, 0xce, 0x86, 0x52 } },
};

const ike_vid *ike_vid_get(ike_vid_id id)
{
	return (unsigned)id < IKE_VIDX_COUNT ? &vids[id] : NULL;
}

uint32_t ike_vid_match(const uint8_t *body, size_t n)
{
	for (size_t i = 0; i < IKE_VIDX_COUNT; i++) {
		const ike_vid *v = &vids[i];

		if (v->flag != 0 && (n == v->len || (v->prefix && n > v->len)) &&
			memcmp(body, v->id, v->len) == 0)
			return v->flag;
	}
	return 0;
}

size_t ike_vid_msnt5(uint32_t version, uint8_t out[IKE_VID_MAX])
{
	const ike_vid *v = &vids[IKE_VIDX_MSNT5];

	memcpy(out, v->id, v->len);
	be_put32(out + v->len, version);
	return v->len + 4u;
}

/* ---- parsing ---------------------------------------------------------- */

bool ike_hdr_read(const uint8_t *pkt, size_t len, ike_hdr *out)
{
	uint8_t raw[IKE_HDR_LEN];

	if (len < IKE_HDR_LEN)
		return false;
	memcpy(raw, pkt, sizeof(raw));
	memcpy(out->icookie, raw, 8);
	memcpy(out->rcookie, raw + 8, 8);
	out->next = raw[16];
	out->version = raw[17];
	out->exchange = raw[18];
	out->flags = raw[19];
	out->msgid = be_get32(raw + 20);
	out->length = be_get32(raw + 24);
	return true;
}

/* Reads one data attribute at p (n bytes left).  Returns its total size,
 * 0 if it does not fit.  Values longer than 4 bytes saturate. */
static size_t attr_read(const uint8_t *p, size_t n, uint16_t *type, uint32_t *value)
{
	uint8_t h[4];
	size_t vlen = 0;
	bool big = false;

	if (n < sizeof(h))
		return 0;
	memcpy(h, p, sizeof(h));
	*type = be_get16(h) & 0x7fff;
	if (be_get16(h) & IKE_ATTR_TV) {
		*value = be_get16(h + 2);
		return 4;
	}
	vlen = be_get16(h + 2);
	if (vlen > n - 4)
		return 0;
	*value = 0;
	for (size_t i = 0; i < vlen; i++) {
		if (vlen - i > 4 && p[4 + i] != 0)
			big = true;
		*value = (*value << 8) | p[4 + i];
	}
	if (big)
		*value = UINT32_MAX;
	return 4 + vlen;
}

static void transform_set(probe_transform *t, uint16_t type, uint32_t v)
{
	uint16_t v16 = v > 0xffff ? 0xffff : (uint16_t)v;

	switch (type) {
	case IKE_ATTR_CIPHER: t->cipher = v16; break;
	case IKE_ATTR_KEY_LEN: t->key_bits = v16; break;
	case IKE_ATTR_HASH: t->hash = v16; break;
	case IKE_ATTR_GROUP: t->group = v16; break;
	case IKE_ATTR_AUTH: t->auth = v16; break;
	case IKE_ATTR_LIFE_DURATION: t->life_s = v; break;
	default: break; /* life type, key length of other kinds: not needed */
	}
}

/* A transform payload body (after its generic header). */
static ike_err parse_transform(const uint8_t *p, size_t n, probe_transform *t)
{
	size_t off = 4; /* transform #, ID, reserved */

	if (n < off)
		return IKE_EPAYLOAD;
	memset(t, 0, sizeof(*t));
	while (off < n) {
		uint16_t type = 0;
		uint32_t v = 0;
		size_t used = attr_read(p + off, n - off, &type, &v);

		if (used == 0)
			return IKE_EPAYLOAD;
		transform_set(t, type, v);
		off += used;
	}
	return IKE_OK;
}

/* The SA payload body: DOI, situation, then the first proposal and its
 * first transform (a responder returns exactly one of each). */
static ike_err parse_sa(const uint8_t *p, size_t n, probe_transform *t)
{
	uint8_t ph[8], th[4];
	size_t plen = 0, spi = 0, tlen = 0;

	if (n < 8 + sizeof(ph))
		return IKE_EPAYLOAD;
	memcpy(ph, p + 8, sizeof(ph));
	plen = be_get16(ph + 2);
	spi = ph[6];
	if (plen < sizeof(ph) + spi || plen > n - 8 || ph[7] == 0)
		return IKE_EPAYLOAD;
	p += 8 + sizeof(ph) + spi;
	n = plen - sizeof(ph) - spi;
	if (n < sizeof(th))
		return IKE_EPAYLOAD;
	memcpy(th, p, sizeof(th));
	tlen = be_get16(th + 2);
	if (tlen < sizeof(th) || tlen > n)
		return IKE_EPAYLOAD;
	return parse_transform(p + sizeof(th), tlen - sizeof(th), t);
}

/* An IKEv1 notify body: DOI(4) protocol(1) SPI size(1) type(2) SPI data. */
static ike_err parse_notify(const uint8_t *p, size_t n, uint16_t *type)
{
	uint8_t h[8];

	if (n < sizeof(h))
		return IKE_EPAYLOAD;
	memcpy(h, p, sizeof(h));
	if (h[5] > n - sizeof(h))
		return IKE_EPAYLOAD;
	*type = be_get16(h + 6);
	return IKE_OK;
}

static ike_err parse_payload(uint8_t type, const uint8_t *body, size_t n, ike_msg *m)
{
	ike_err e = IKE_OK;
	uint16_t nt = 0;

	switch (type) {
	case IKE_PL_SA:
		if (m->have_sa)
			break;
		m->sa = body;
		m->sa_len = n;
		e = parse_sa(body, n, &m->transform);
		m->have_sa = e == IKE_OK;
		break;
	case IKE_PL_VID:
		m->vids |= ike_vid_match(body, n);
		break;
	case IKE_PL_NOTIFY:
		e = parse_notify(body, n, &nt);
		if (e == IKE_OK && !m->have_notify) {
			m->have_notify = true;
			m->notify = nt;
		}
		break;
	case IKE_PL_KE:
		if (m->ke)
			break;
		m->have_ke = n > 0;
		m->ke_len = n;
		m->ke = body;
		break;
	case IKE_PL_NONCE:
		if (m->nonce)
			break;
		m->have_nonce = n > 0;
		m->nonce_len = n;
		m->nonce = body;
		break;
	case IKE_PL_ID:
		if (!m->have_id) {
			m->have_id = true;
			m->id = body;
			m->id_len = n;
		}
		break;
	case IKE_PL_HASH:
		if (!m->have_hash) {
			m->have_hash = true;
			m->hash = body;
			m->hash_len = n;
		}
		break;
	case IKE_PL_DELETE:
		m->have_delete = true;
		break;
	case IKE_PL_NATOA:
	case IKE_PL_NATOA_DRAFT:
		m->have_natoa = true;
		break;
	case IKE_PL_NATD:
	case IKE_PL_NATD_DRAFT:
		if (m->natd_count == 0)
			m->natd_type = type;
		if (m->natd_count < IKE_NATD_MAX) {
			m->natd[m->natd_count] = body;
			m->natd_len[m->natd_count] = n;
		}
		m->natd_count++;
		break;
	default:
		break; /* unknown or uninteresting: skipped */
	}
	return e;
}

ike_err ike_parse(const uint8_t *pkt, size_t len, ike_msg *out)
{
	size_t off = IKE_HDR_LEN, end = 0;
	uint8_t type = 0;

	memset(out, 0, sizeof(*out));
	/* err_off: the header field, or the payload, that is wrong. */
	out->err_off = len < IKE_HDR_LEN ? len : 0;
	if (!ike_hdr_read(pkt, len, &out->hdr))
		return IKE_ESHORT;
	out->err_off = 17;
	if ((out->hdr.version >> 4) != 1)
		return IKE_EVERSION;
	out->err_off = 24;
	if (out->hdr.length < IKE_HDR_LEN || out->hdr.length > len)
		return IKE_ESHORT;
	out->err_off = 19;
	if (out->hdr.flags & IKE_FLAG_ENCRYPTED)
		return IKE_EENCRYPTED;
	end = out->hdr.length;
	type = out->hdr.next;
	while (type != IKE_PL_NONE) {
		uint8_t g[IKE_GENERIC_LEN];
		size_t plen = 0;
		ike_err e = IKE_OK;

		out->err_off = off;
		if (end - off < sizeof(g))
			return IKE_EPAYLOAD;
		memcpy(g, pkt + off, sizeof(g));
		plen = be_get16(g + 2);
		if (plen < sizeof(g) || plen > end - off)
			return IKE_EPAYLOAD;
		e = parse_payload(type, pkt + off + sizeof(g), plen - sizeof(g), out);
		if (e != IKE_OK)
			return e;
		out->payloads++;
		type = g[0];
		off += plen;
	}
	out->err_off = 0;
	return IKE_OK;
}

const char *ike_notify_name(uint16_t type)
{
	/* RFC 2408 section 3.14.1, the error types */
	static const char *const names[] = { NULL, "INVALID-PAYLOAD-TYPE",
		"DOI-NOT-SUPPORTED", "SITUATION-NOT-SUPPORTED", "INVALID-COOKIE",
		"INVALID-MAJOR-VERSION", "INVALID-MINOR-VERSION", "INVALID-EXCHANGE-TYPE",
		"INVALID-FLAGS", "INVALID-MESSAGE-ID", "INVALID-PROTOCOL-ID", "INVALID-SPI",
		"INVALID-TRANSFORM-ID", "ATTRIBUTES-NOT-SUPPORTED", "NO-PROPOSAL-CHOSEN",
		"BAD-PROPOSAL-SYNTAX", "PAYLOAD-MALFORMED", "INVALID-KEY-INFORMATION",
		"INVALID-ID-INFORMATION", "INVALID-CERT-ENCODING", "INVALID-CERTIFICATE",
		"CERT-TYPE-UNSUPPORTED", "INVALID-CERT-AUTHORITY", "INVALID-HASH-INFORMATION",
		"AUTHENTICATION-FAILED", "INVALID-SIGNATURE", "ADDRESS-NOTIFICATION",
		"NOTIFY-SA-LIFETIME", "CERTIFICATE-UNAVAILABLE", "UNSUPPORTED-EXCHANGE-TYPE",
		"UNEQUAL-PAYLOAD-LENGTHS" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *ike_err_name(ike_err e)
{
	switch (e) {
	case IKE_OK: return "ok";
	case IKE_ESHORT: return "truncated message";
	case IKE_EVERSION: return "not IKEv1";
	case IKE_EENCRYPTED: return "encrypted message";
	case IKE_EPAYLOAD: return "malformed payload";
	}
	return "unknown error";
}
