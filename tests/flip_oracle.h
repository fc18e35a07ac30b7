/* flip_oracle.h - for the bit-flip tests of encrypted IKE messages
 * (test_ike_mm.c: message 6; test_ike_qm.c: Quick Mode message 2): whether
 * a message still verifies with bit `bit` of byte `off` flipped.
 *
 * The hash covers payloads only, none of the header: the caller (probe.c)
 * matches the cookies and the version first, and the opener reads the first
 * payload type, the major version, the encrypted flag and the length - and,
 * when it checks_id (ike_qm2_open), the exchange type and the M-ID too.  In
 * the body a flipped bit garbles its whole cipher block (and the same bit of
 * the next one): harmless only when that block is all padding, after `end`
 * (the end of the last payload).  len: the message's length; block: the
 * cipher's. */
#ifndef NATTCHECK_FLIP_ORACLE_H
#define NATTCHECK_FLIP_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ike.h"

static inline bool flip_verifies(size_t len, size_t end, size_t block, size_t off,
	unsigned bit, bool checks_id)
{
	size_t l2 = 0;

	if (off < 16)
		return true;            /* cookies */
	if (off == 16)
		return false;           /* the first payload */
	if (off == 17)
		return bit < 4;         /* minor version unread, major must be 1 */
	if (off == 18)
		return !checks_id;      /* exchange type */
	if (off == 19)
		return bit != 0;        /* the encrypted flag; the others unread */
	if (off < 24)
		return !checks_id;      /* message ID */
	if (off < IKE_HDR_LEN) {
		/* another length: fine only if it drops whole padding blocks */
		l2 = len ^ ((size_t)1 << (8 * (27 - off) + bit));
		return l2 <= len && l2 >= end && (l2 - IKE_HDR_LEN) % block == 0;
	}
	return IKE_HDR_LEN + (off - IKE_HDR_LEN) / block * block >= end;
}
#endif
