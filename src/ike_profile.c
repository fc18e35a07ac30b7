/* ike_profile.c - Main Mode message 1 as each Windows version's L2TP/IPsec
 * client sends it, so a server treats the probe as it will treat Windows.
 *
 * Sources:
 * - Windows 8 and later: a published Windows 10 message 1 (hex of a zmap
 *   UDP probe payload, reproduced in tests/fixtures_ike.h), matching the
 *   strongSwan logs of Windows 10 clients ("MS NT5 ISAKMPOAKLEY v9",
 *   "MS-Negotiation Discovery Capable", "Vid-Initial-Contact") and
 *   ike-scan's fingerprints of Windows 8 responders: one proposal, five
 *   transforms (AES-256/SHA1/ECP384, AES-128/SHA1/ECP256, AES-256/SHA1/
 *   MODP2048, 3DES/SHA1/MODP2048, 3DES/SHA1/MODP1024), attributes in the
 *   order cipher, key length, hash, group, auth, life type, life duration
 *   (a 4-byte variable attribute, 28800 s), then eight vendor IDs.
 * - Windows 7 (MS NT5 v8): a 384-byte message 1 (the above without the
 *   first 24-byte vendor ID) and pluto logs refusing groups 20 and 19
 *   first.  (Vendor-ID fingerprint lists derived from ike-scan's name v7
 *   "Windows 7" and v8 "Server 2008 R2"; the capture says v8, kept.)
 * - Vista (v5) and Server 2008 (v6): the version numbers from ike-scan's
 *   vendor-ID list; no capture found, so the transforms and the other
 *   vendor IDs are inferred: assumed to be those of Windows 7.
 * - XP SP2/SP3 and Server 2003 (v4): a pluto log of an XP client refusing
 *   MODP2048 before accepting MODP1024 (inferred: 3DES/SHA1 with groups 14
 *   and 2, no AES, no ECP), and its vendor IDs in order: MS NT5 v4,
 *   FRAGMENTATION, draft-ietf-ipsec-nat-t-ike-02\n (KB 818043: XP's NAT-T
 *   is the draft), then Vid-Initial-Contact.
 * The MS NT5 vendor ID is MD5("MS NT5 ISAKMPOAKLEY") followed by the
 * version as 4 bytes big-endian (20 bytes; ike-scan prints Windows 8 as
 * 1e2b516905991c7d7c96fcbfb587e461 00000009).  Windows sends FRAGMENTATION
 * as the bare 16-byte hash (Cisco appends 80000000). */
#include "ike.h"

#define LIFE_S 28800

static const probe_transform win8_transforms[] = {
	{ IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_ECP384, IKE_AUTH_PSK, LIFE_S },
	{ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256, IKE_AUTH_PSK, LIFE_S },
	{ IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048, IKE_AUTH_PSK, LIFE_S },
	{ IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP2048, IKE_AUTH_PSK, LIFE_S },
	{ IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP1024, IKE_AUTH_PSK, LIFE_S },
};

static const probe_transform xp_transforms[] = {
	{ IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP2048, IKE_AUTH_PSK, LIFE_S },
	{ IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP1024, IKE_AUTH_PSK, LIFE_S },
};

/* The vendor IDs in the order each sends them (the bytes: ike.c). */
static const ike_vid_id xp_vids[] = {
	IKE_VIDX_MSNT5, IKE_VIDX_FRAG, IKE_VIDX_DRAFT02N, IKE_VIDX_INITIAL_CONTACT,
};
static const ike_vid_id win_vids[] = { /* the first: Windows 8 and later only */
	IKE_VIDX_WIN8, IKE_VIDX_MSNT5, IKE_VIDX_RFC3947, IKE_VIDX_DRAFT02N, IKE_VIDX_FRAG,
	IKE_VIDX_MS_NEGDISC, IKE_VIDX_INITIAL_CONTACT, IKE_VIDX_CGA1,
};

const probe_transform *ike_profile_transforms(probe_profile profile, size_t *n)
{
	if (profile == PROFILE_XP) {
		*n = sizeof(xp_transforms) / sizeof(xp_transforms[0]);
		return xp_transforms;
	}
	*n = sizeof(win8_transforms) / sizeof(win8_transforms[0]);
	return win8_transforms;
}

bool ike_profile_offers_rfc3947(probe_profile profile)
{
	return profile != PROFILE_XP;
}

/* The MS NT5 ISAKMPOAKLEY version each sends. */
static uint32_t msnt5_version(probe_profile profile)
{
	switch (profile) {
	case PROFILE_XP: return 4;
	case PROFILE_VISTA: return 5;
	case PROFILE_SERVER2008: return 6;
	case PROFILE_WIN8PLUS: return 9;
	case PROFILE_VISTA7:
	default: return 8;
	}
}

static void add_vids(ike_buf *b, probe_profile profile)
{
	const ike_vid_id *ids = win_vids;
	size_t n = sizeof(win_vids) / sizeof(win_vids[0]);

	if (profile == PROFILE_XP) {
		ids = xp_vids;
		n = sizeof(xp_vids) / sizeof(xp_vids[0]);
	} else if (profile != PROFILE_WIN8PLUS) {
		ids++;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		const ike_vid *v = ike_vid_get(ids[i]);
		uint8_t body[IKE_VID_MAX];

		if (ids[i] == IKE_VIDX_MSNT5)
			ike_add_payload(b, IKE_PL_VID, body, ike_vid_msnt5(msnt5_version(profile), body));
		else
			ike_add_payload(b, IKE_PL_VID, v->id, v->len);
	}
}

size_t ike_build_mm1(uint8_t *out, size_t cap, const uint8_t icookie[8],
	probe_profile profile, probe_auth auth)
{
	static const uint8_t zero[IKE_COOKIE_LEN];
	probe_transform t[8];
	size_t n = 0;
	const probe_transform *base = ike_profile_transforms(profile, &n);
	ike_buf b;

	if (n > sizeof(t) / sizeof(t[0]))
		return 0;
	for (size_t i = 0; i < n; i++) {
		t[i] = base[i];
		t[i].auth = auth == PROBE_AUTH_CERT ? IKE_AUTH_RSA_SIG : IKE_AUTH_PSK;
	}
	ike_buf_init(&b, out, cap);
	ike_msg_begin(&b, icookie, zero, IKE_EXCH_MAIN, 0);
	ike_add_sa(&b, t, n);
	add_vids(&b, profile);
	return ike_msg_end(&b) ? b.len : 0;
}
