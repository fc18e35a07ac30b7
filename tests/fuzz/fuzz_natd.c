/* fuzz_natd.c - libFuzzer harness: natd_compare on a fuzzed message 4.
 *
 * Input: one control byte, then the message.  Control bits 0-2 pick the
 * negotiated hash (five real ones, then unsupported values), bit 3 makes
 * the addresses IPv6, bits 4 and 5 let an honest responder rewrite the
 * first / the other NAT-D payloads with the right hashes (random bytes
 * never match a SHA-1).  The message is parsed first; the comparison is
 * then checked against an oracle computed here with plat_hash directly:
 * "no NAT" may only be claimed when the server's hash really matches. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "ike.h"
#include "natd.h"

static const uint8_t icookie[8] = { 0x08, 0x0f, 0xd6, 0xf2, 0x05, 0xd3, 0x87, 0x9d };
static const uint8_t rcookie[8] = { 0xc0, 0xff, 0xee, 0x00, 0x11, 0x22, 0x33, 0x44 };
static const int algs[8] = { PLAT_HASH_SHA1, PLAT_HASH_MD5, PLAT_HASH_SHA256, PLAT_HASH_SHA384,
	PLAT_HASH_SHA512, 3 /* Tiger: unsupported */, 0, 0x7fff };

/* The fixtures' addresses: we are 198.18.0.2:40000, the server 198.19.0.1:500. */
static void addrs(bool v6, plat_addr *local, plat_addr *server)
{
	memset(local, 0, sizeof(*local));
	memset(server, 0, sizeof(*server));
	local->family = server->family = v6 ? 6 : 4;
	if (v6) {
		memcpy(local->addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 2 }, 16);
		memcpy(server->addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 1 }, 16);
	} else {
		memcpy(local->addr, (const uint8_t[]){ 198, 18, 0, 2 }, 4);
		memcpy(server->addr, (const uint8_t[]){ 198, 19, 0, 1 }, 4);
	}
	local->port = 40000;
	server->port = 500;
}

static bool natd_is(const ike_msg *m, size_t i, const uint8_t *h, size_t hlen)
{
	return m->natd_len[i] == hlen && memcmp(m->natd[i], h, hlen) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	plat_addr local, server;
	uint8_t *pkt = NULL, hl[PLAT_HASH_MAX], hs[PLAT_HASH_MAX];
	size_t len = 0, hllen = 0, hslen = 0, stored = 0;
	int alg = 0;
	bool oracle = false, match = false;
	probe_tri client_nat = TRI_TRUE, server_nat = TRI_TRUE;
	plat_status st;
	ike_msg m;

	if (size < 1)
		return 0;
	alg = algs[data[0] & 7];
	addrs(data[0] & 8, &local, &server);
	len = size - 1;
	pkt = fuzz_dup(data + 1, len);
	if (data[0] & 0x30)
		fuzz_fix_natd(pkt, len, icookie, rcookie, alg, &local, &server, (data[0] >> 4) & 3);
	if (ike_parse(pkt, len, &m) != IKE_OK) {
		free(pkt);
		return 0;
	}
	st = natd_compare(alg, icookie, rcookie, &m, &local, &server, &client_nat, &server_nat);
	FUZZ_CHECK(client_nat >= TRI_NULL && client_nat <= TRI_TRUE);
	FUZZ_CHECK(server_nat >= TRI_NULL && server_nat <= TRI_TRUE);
	oracle = fuzz_natd_hash(alg, icookie, rcookie, &local, hl, &hllen) &&
		fuzz_natd_hash(alg, icookie, rcookie, &server, hs, &hslen);
	if (m.natd_count == 0) {
		FUZZ_CHECK(st == PLAT_OK);
		FUZZ_CHECK(client_nat == TRI_NULL && server_nat == TRI_NULL);
	} else if (!oracle) {
		/* the hash is unsupported: nothing can be told */
		FUZZ_CHECK(st != PLAT_OK);
		FUZZ_CHECK(client_nat == TRI_NULL && server_nat == TRI_NULL);
	} else {
		FUZZ_CHECK(st == PLAT_OK);
		FUZZ_CHECK(client_nat == (natd_is(&m, 0, hl, hllen) ? TRI_FALSE : TRI_TRUE));
		stored = m.natd_count < IKE_NATD_MAX ? m.natd_count : IKE_NATD_MAX;
		for (size_t i = 1; i < stored; i++)
			match = match || natd_is(&m, i, hs, hslen);
		if (m.natd_count < 2)
			FUZZ_CHECK(server_nat == TRI_NULL);
		else if (match)
			FUZZ_CHECK(server_nat == TRI_FALSE);
		else
			/* RFC 3947 3.2: any of the server's payloads may be the
			 * matching one; with some not kept, no match proves nothing. */
			FUZZ_CHECK(server_nat == (m.natd_count <= IKE_NATD_MAX ? TRI_TRUE : TRI_NULL));
	}
	free(pkt);
	return 0;
}
