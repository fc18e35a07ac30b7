/* phonebook.h - this machine's own VPN connections: the entries of the RAS
 * phonebooks (all users' and the current user's), and which of them can
 * use L2TP/IPsec, so `nattcheck` with no server checks those. */
#ifndef NATTCHECK_PHONEBOOK_H
#define NATTCHECK_PHONEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "platform.h"

#define PBK_MAX_ENTRIES 64
/* RAS allows 256 characters in an entry name (RAS_MaxEntryName); in UTF-8
 * that is at most 3 bytes each.  Longer names are cut at a character. */
#define PBK_NAME_MAX (256 * 3)
#define PBK_SERVER_MAX 255

/* VpnStrategy (RASENTRY.dwVpnStrategy, the VS_* values). */
enum pbk_strategy {
	PBK_VS_DEFAULT = 0, PBK_VS_PPTP_ONLY = 1, PBK_VS_PPTP_FIRST = 2, PBK_VS_L2TP_ONLY = 3,
	PBK_VS_L2TP_FIRST = 4, PBK_VS_SSTP_ONLY = 5, PBK_VS_SSTP_FIRST = 6,
	PBK_VS_IKEV2_ONLY = 7, PBK_VS_IKEV2_FIRST = 8, PBK_VS_GRE_ONLY = 9,
	PBK_VS_PPTP_SSTP = 12, PBK_VS_L2TP_SSTP = 13, PBK_VS_IKEV2_SSTP = 14,
	PBK_VS_PROTOCOL_LIST = 15,
};

typedef struct pbk_entry {
	char name[PBK_NAME_MAX + 1];
	char server[PBK_SERVER_MAX + 1]; /* PhoneNumber: the VPN server */
	int scope;                       /* PLAT_PBK_ALL_USERS / PLAT_PBK_USER */
	uint32_t strategy;               /* VpnStrategy */
	probe_auth auth;                 /* UsePreSharedKey=1: psk, else cert */
	bool check;                      /* may use L2TP/IPsec: nattcheck checks it */
	char why[96];                    /* why not, when !check */
} pbk_entry;

typedef struct pbk_list {
	pbk_entry e[PBK_MAX_ENTRIES];
	size_t n;                        /* VPN entries found (both scopes) */
	size_t ncheck;                   /* of those, the ones to check */
	size_t dropped;                  /* VPN entries beyond PBK_MAX_ENTRIES */
	char problem[2][320];            /* per scope: why that phonebook could
					  * not be read ("" when read or absent) */
	char path[2][300];               /* per scope: the file, "" if unknown */
} pbk_list;

/* Reads both phonebooks; never fails (a missing phonebook is normal, an
 * unreadable one is noted in problem[]).  Only VPN entries are kept. */
void pbk_load(pbk_list *out);
/* "L2TP only", "automatic", "PPTP only", ... */
const char *pbk_strategy_name(uint32_t strategy);
/* "all-users" / "user": the JSON names of the scopes. */
const char *pbk_scope_name(int scope);
/* Why no entry can be checked, for the usage error; the caller knows that
 * out->ncheck == 0. */
void pbk_none_why(const pbk_list *l, char *buf, size_t cap);
#endif
