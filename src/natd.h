/* natd.h - NAT discovery (RFC 3947 3.2): the NAT-D hashes and what the
 * server's NAT-D payloads in message 4 say about NAT on the path. */
#ifndef NATTCHECK_NATD_H
#define NATTCHECK_NATD_H

#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "platform.h"

/* A fact that may be unknown (JSON null). */
typedef enum probe_tri { TRI_NULL = -1, TRI_FALSE = 0, TRI_TRUE = 1 } probe_tri;

/* HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash (an IKE hash
 * attribute value, which plat_hash takes as is).  The IP is 4 or 16 bytes,
 * the port 2 bytes in network order.  out holds PLAT_HASH_MAX bytes. */
plat_status natd_hash(int hash_alg, const uint8_t icookie[8], const uint8_t rcookie[8],
	const plat_addr *a, uint8_t *out, size_t *outlen);

/* Reads message 4's NAT-D payloads.  The first is the server's hash of the
 * address and port it saw us at: no match with local means a NAT changed
 * our address (client behind NAT).  The others are the server's own
 * addresses: none matching the address and port we sent to means the
 * server is behind NAT.  A fact we cannot tell (payload missing, hash
 * unavailable) is TRI_NULL.  Returns the plat_hash error, if any. */
plat_status natd_compare(int hash_alg, const uint8_t icookie[8], const uint8_t rcookie[8],
	const ike_msg *mm4, const plat_addr *local, const plat_addr *server,
	probe_tri *client_behind_nat, probe_tri *server_behind_nat);

#endif
