/* fuzz_ike.c - libFuzzer harness: ike_parse and ike_hdr_read on arbitrary
 * bytes (what a server, or anyone spoofing it, sends to the probe).
 *
 * Beyond "no crash": the parse must look only inside the header's declared
 * length (parsing the packet cut to that length gives the same answer), the
 * NAT-D pointers must lie inside the message, and the DH value for a
 * server-chosen group must fit the buffer it is given. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "ike.h"

static void check_hdr(const uint8_t *data, size_t size)
{
	ike_hdr h;

	if (!ike_hdr_read(data, size, &h)) {
		FUZZ_CHECK(size < IKE_HDR_LEN);
		return;
	}
	FUZZ_CHECK(size >= IKE_HDR_LEN);
	FUZZ_CHECK(memcmp(h.icookie, data, 8) == 0);
	FUZZ_CHECK(memcmp(h.rcookie, data + 8, 8) == 0);
	FUZZ_CHECK(h.next == data[16] && h.version == data[17] && h.exchange == data[18] &&
		h.flags == data[19]);
	FUZZ_CHECK(h.length == ((uint32_t)data[24] << 24 | (uint32_t)data[25] << 16 |
		(uint32_t)data[26] << 8 | data[27]));
}

/* Everything a successful parse exposes, touched and checked. */
static void walk(const uint8_t *pkt, size_t size, const ike_msg *m)
{
	const uint8_t *body = pkt + IKE_HDR_LEN, *end = pkt + m->hdr.length;
	size_t stored = m->natd_count < IKE_NATD_MAX ? m->natd_count : IKE_NATD_MAX;

	FUZZ_CHECK(m->hdr.length >= IKE_HDR_LEN && m->hdr.length <= size);
	FUZZ_CHECK((m->hdr.version >> 4) == 1);
	FUZZ_CHECK(!(m->hdr.flags & 1));
	FUZZ_CHECK(m->payloads >= m->natd_count);
	FUZZ_CHECK(m->payloads <= (m->hdr.length - IKE_HDR_LEN) / 4);
	FUZZ_CHECK(m->ke_len <= m->hdr.length - IKE_HDR_LEN);
	FUZZ_CHECK(m->nonce_len <= m->hdr.length - IKE_HDR_LEN);
	FUZZ_CHECK(m->have_ke == (m->ke_len > 0));
	FUZZ_CHECK(m->have_nonce == (m->nonce_len > 0));
	FUZZ_CHECK((m->vids & ~0x7fu) == 0);
	if (m->natd_count > 0)
		FUZZ_CHECK(m->natd_type == IKE_PL_NATD || m->natd_type == IKE_PL_NATD_DRAFT);
	for (size_t i = 0; i < stored; i++) {
		/* a body starts after a 4-byte generic header and ends by the end */
		FUZZ_CHECK(m->natd[i] >= body + 4 && m->natd[i] <= end);
		FUZZ_CHECK(m->natd_len[i] <= (size_t)(end - m->natd[i]));
		fuzz_touch(m->natd[i], m->natd_len[i]);
	}
	for (size_t i = stored; i < IKE_NATD_MAX; i++)
		FUZZ_CHECK(m->natd[i] == NULL && m->natd_len[i] == 0);
	if (!m->have_sa)
		FUZZ_CHECK(m->transform.cipher == 0 && m->transform.hash == 0);
	fuzz_touch(&m->transform, sizeof(m->transform));
	(void)ike_err_name(IKE_OK);
}

/* The KE value for the group the server chose, into a buffer of exactly
 * the size ike_dh_ke_len asks for, then one byte short. */
static void check_dh(uint16_t group, uint32_t rnd)
{
	size_t need = ike_dh_ke_len(group), got = 0, ones = 0;
	uint8_t *out = NULL;

	if (need == 0) {
		uint8_t tmp[8];
		FUZZ_CHECK(ike_dh_ke(group, rnd, tmp, sizeof(tmp)) == 0);
		return;
	}
	FUZZ_CHECK(need <= 512);
	out = malloc(need);
	if (!out)
		abort();
	FUZZ_CHECK(ike_dh_ke(group, rnd, out, need - 1) == 0);
	got = ike_dh_ke(group, rnd, out, need);
	FUZZ_CHECK(got == need);
	if (group != 19 && group != 20) {
		/* MODP: 2^k with 256 <= k <= bits - 2: one bit, below the top byte */
		for (size_t i = 0; i < need; i++)
			for (unsigned b = 0; b < 8; b++)
				ones += (out[i] >> b) & 1;
		FUZZ_CHECK(ones == 1);
		FUZZ_CHECK((out[0] & 0x80) == 0);
		for (size_t i = need - 32; i < need; i++)
			FUZZ_CHECK(out[i] == 0);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ike_msg m, m2;
	ike_err e = ike_parse(data, size, &m);

	check_hdr(data, size);
	FUZZ_CHECK(e >= IKE_OK && e <= IKE_EPAYLOAD);
	FUZZ_CHECK(ike_err_name(e) != NULL);
	if (size < IKE_HDR_LEN)
		FUZZ_CHECK(e == IKE_ESHORT);
	if (e == IKE_OK) {
		walk(data, size, &m);
		check_dh(m.transform.group, m.hdr.msgid);
	}
	/* Only the declared length may matter: the same bytes cut to it, in a
	 * buffer of exactly that size, parse the same way. */
	if (size >= IKE_HDR_LEN && m.hdr.length >= IKE_HDR_LEN && m.hdr.length < size &&
		(m.hdr.version >> 4) == 1) {
		uint8_t *cut = fuzz_dup(data, m.hdr.length);
		ike_err e2 = ike_parse(cut, m.hdr.length, &m2);

		FUZZ_CHECK(e2 == e);
		if (e == IKE_OK) {
			FUZZ_CHECK(m2.have_sa == m.have_sa && m2.vids == m.vids &&
				m2.have_notify == m.have_notify && m2.notify == m.notify &&
				m2.ke_len == m.ke_len && m2.nonce_len == m.nonce_len &&
				m2.natd_count == m.natd_count && m2.payloads == m.payloads);
			FUZZ_CHECK(m2.transform.cipher == m.transform.cipher &&
				m2.transform.key_bits == m.transform.key_bits &&
				m2.transform.hash == m.transform.hash &&
				m2.transform.group == m.transform.group &&
				m2.transform.auth == m.transform.auth &&
				m2.transform.life_s == m.transform.life_s);
			walk(cut, m.hdr.length, &m2);
		}
		free(cut);
	}
	return 0;
}
