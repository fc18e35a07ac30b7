/* natd.c - NAT-D hashes (RFC 3947 3.2, the same in draft-02) and their
 * comparison with what the server saw. */
#include "natd.h"

#include <string.h>

plat_status natd_hash(int hash_alg, const uint8_t icookie[8], const uint8_t rcookie[8],
	const plat_addr *a, uint8_t *out, size_t *outlen)
{
	uint8_t in[2 * IKE_COOKIE_LEN + 16 + 2];
	size_t iplen = a->family == 6 ? 16 : 4;
	size_t n = 0;

	memcpy(in, icookie, IKE_COOKIE_LEN);
	memcpy(in + IKE_COOKIE_LEN, rcookie, IKE_COOKIE_LEN);
	n = 2 * IKE_COOKIE_LEN;
	memcpy(in + n, a->addr, iplen);
	n += iplen;
	in[n++] = (uint8_t)(a->port >> 8);
	in[n++] = (uint8_t)a->port;
	return plat_hash(hash_alg, in, n, out, outlen);
}

static bool natd_matches(const ike_msg *m, size_t i, const uint8_t *h, size_t hlen)
{
	return i < IKE_NATD_MAX && m->natd_len[i] == hlen && memcmp(m->natd[i], h, hlen) == 0;
}

plat_status natd_compare(int hash_alg, const uint8_t icookie[8], const uint8_t rcookie[8],
	const ike_msg *mm4, const plat_addr *local, const plat_addr *server,
	probe_tri *client_behind_nat, probe_tri *server_behind_nat)
{
	uint8_t h[PLAT_HASH_MAX];
	size_t hlen = 0;
	plat_status st = PLAT_OK;
	bool match = false;

	*client_behind_nat = TRI_NULL;
	*server_behind_nat = TRI_NULL;
	if (mm4->natd_count == 0)
		return PLAT_OK;
	st = natd_hash(hash_alg, icookie, rcookie, local, h, &hlen);
	if (st != PLAT_OK)
		return st;
	*client_behind_nat = natd_matches(mm4, 0, h, hlen) ? TRI_FALSE : TRI_TRUE;
	if (mm4->natd_count < 2)
		return PLAT_OK;
	st = natd_hash(hash_alg, icookie, rcookie, server, h, &hlen);
	if (st != PLAT_OK)
		return st;
	for (size_t i = 1; i < mm4->natd_count && i < IKE_NATD_MAX; i++)
		match = match || natd_matches(mm4, i, h, hlen);
	/* Any of the server's payloads may be the matching one (RFC 3947 3.2):
	 * if some were not kept, "no match" proves nothing. */
	if (match)
		*server_behind_nat = TRI_FALSE;
	else if (mm4->natd_count <= IKE_NATD_MAX)
		*server_behind_nat = TRI_TRUE;
	return PLAT_OK;
}
