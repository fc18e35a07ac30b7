/* phonebook.c - which of this machine's VPN connections can use L2TP/IPsec.
 *
 * A phonebook (rasphone.pbk) is an INI file, one section per connection,
 * read through the platform's INI reader.  The keys used, as Windows writes
 * them (XP to 11): Type (2 = VPN, RASET_Vpn), VpnStrategy (RASENTRY's
 * dwVpnStrategy, VS_*), PhoneNumber (the server), UsePreSharedKey (1 when
 * the L2TP connection authenticates IPsec with a pre-shared key rather
 * than a certificate: RASEO2_UsePreSharedKey), DEVICE/Device (for entries
 * written by hand or by scripts without Type/VpnStrategy: "vpn" and "WAN
 * Miniport (L2TP)"). */
#include "phonebook.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* INI keys are case-insensitive: "Device" also finds "DEVICE" (Windows
 * writes "Device=WAN Miniport (L2TP)" before "DEVICE=vpn"; the first wins). */
enum { K_TYPE, K_STRATEGY, K_PHONE, K_PSK, K_DEVICE, K_COUNT };
static const char *const pbk_keys[K_COUNT] = {
	"Type", "VpnStrategy", "PhoneNumber", "UsePreSharedKey", "Device",
};

static const struct {
	uint32_t vs;
	const char *name;
	const char *skip; /* NULL: may use L2TP/IPsec */
} strategies[] = {
	{ PBK_VS_DEFAULT, "automatic", NULL },
	{ PBK_VS_PPTP_ONLY, "PPTP only", "PPTP only: does not use L2TP/IPsec" },
	{ PBK_VS_PPTP_FIRST, "PPTP first, then L2TP", NULL },
	{ PBK_VS_L2TP_ONLY, "L2TP only", NULL },
	{ PBK_VS_L2TP_FIRST, "L2TP first", NULL },
	{ PBK_VS_SSTP_ONLY, "SSTP only", "SSTP only: does not use L2TP/IPsec" },
	{ PBK_VS_SSTP_FIRST, "SSTP first", NULL },
	{ PBK_VS_IKEV2_ONLY, "IKEv2 only", "IKEv2 only: does not use L2TP/IPsec (IKEv1)" },
	{ PBK_VS_IKEV2_FIRST, "IKEv2 first", NULL },
	{ PBK_VS_GRE_ONLY, "GRE only", "GRE only: does not use L2TP/IPsec" },
	{ PBK_VS_PPTP_SSTP, "PPTP, then SSTP", "PPTP then SSTP: does not use L2TP/IPsec" },
	{ PBK_VS_L2TP_SSTP, "L2TP, then SSTP", NULL },
	{ PBK_VS_IKEV2_SSTP, "IKEv2, then SSTP", "IKEv2 then SSTP: does not use L2TP/IPsec" },
	{ PBK_VS_PROTOCOL_LIST, "protocol list", NULL },
};

const char *pbk_strategy_name(uint32_t strategy)
{
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (strategies[i].vs == strategy)
			return strategies[i].name;
	return "unknown";
}

static const char *strategy_skip(uint32_t strategy)
{
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (strategies[i].vs == strategy)
			return strategies[i].skip;
	return "an unknown VPN type: not checked";
}

const char *pbk_scope_name(int scope)
{
	return scope == PLAT_PBK_USER ? "user" : "all-users";
}

/* A whole decimal number, or false (empty, sign, junk, overflow). */
static bool number(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0xFFFFFFFFu)
			return false;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool ieq_prefix(const char *s, const char *want)
{
	for (; *want; s++, want++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*want))
			return false;
	return true;
}

/* Copies at most cap-1 bytes of UTF-8, never splitting a character. */
static void copy_utf8(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Trims spaces around a server name in place. */
static void trim(char *s)
{
	size_t n = strlen(s), k = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[k] == ' ' || s[k] == '\t')
		k++;
	memmove(s, s + k, n - k + 1);
}

typedef struct loader {
	pbk_list *l;
	int scope;
} loader;

static bool is_vpn(const char *const *v)
{
	uint32_t type;
	const char *dev = v[K_DEVICE];

	if (number(v[K_TYPE], &type))
		return type == 2; /* RASET_Vpn */
	/* No Type: an entry written by a script; its device tells. */
	return dev && (ieq_prefix(dev, "vpn") || ieq_prefix(dev, "WAN Miniport ("));
}

static void on_section(void *ctx, const char *section, const char *const *v)
{
	loader *ld = ctx;
	pbk_list *l = ld->l;
	pbk_entry *e;
	uint32_t vs = PBK_VS_DEFAULT, psk = 0;
	const char *skip;

	if (!is_vpn(v))
		return;
	if (l->n == PBK_MAX_ENTRIES) {
		l->dropped++;
		return;
	}
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	copy_utf8(e->name, sizeof(e->name), section);
	e->scope = ld->scope;
	if (!number(v[K_STRATEGY], &vs)) {
		/* Not written by Windows' own dialogs: the device tells. */
		const char *dev = v[K_DEVICE] ? v[K_DEVICE] : "";
		vs = strstr(dev, "(L2TP)") ? PBK_VS_L2TP_ONLY : strstr(dev, "(PPTP)") ?
		     PBK_VS_PPTP_ONLY : strstr(dev, "(SSTP)") ? PBK_VS_SSTP_ONLY :
		     strstr(dev, "(IKEv2)") ? PBK_VS_IKEV2_ONLY : PBK_VS_DEFAULT;
	}
	e->strategy = vs;
	e->auth = number(v[K_PSK], &psk) && psk == 1 ? PROBE_AUTH_PSK : PROBE_AUTH_CERT;
	if (v[K_PHONE] && strlen(v[K_PHONE]) <= PBK_SERVER_MAX) {
		copy_utf8(e->server, sizeof(e->server), v[K_PHONE]);
		trim(e->server);
	}
	skip = strategy_skip(vs);
	if (skip)
		snprintf(e->why, sizeof(e->why), "%s", skip);
	else if (v[K_PHONE] && strlen(v[K_PHONE]) > PBK_SERVER_MAX)
		snprintf(e->why, sizeof(e->why), "the server name in the entry is longer than "
			"%d characters", PBK_SERVER_MAX);
	else if (!e->server[0])
		snprintf(e->why, sizeof(e->why), "the entry names no server");
	else
		e->check = true;
	if (e->check)
		l->ncheck++;
}

void pbk_load(pbk_list *out)
{
	memset(out, 0, sizeof(*out));
	for (int scope = PLAT_PBK_ALL_USERS; scope <= PLAT_PBK_USER; scope++) {
		loader ld = { out, scope };
		plat_status st;

		if (plat_pbk_path(scope, out->path[scope], sizeof(out->path[scope])) != PLAT_OK) {
			out->path[scope][0] = '\0';
			continue;
		}
		st = plat_ini_read(out->path[scope], pbk_keys, K_COUNT, on_section, &ld);
		if (st != PLAT_OK && st != PLAT_ENOTFOUND) {
			char *why = out->problem[scope];
			snprintf(why, sizeof(out->problem[scope]), "cannot read the %s phonebook: %s",
				pbk_scope_name(scope), plat_strerror());
		}
	}
}

void pbk_none_why(const pbk_list *l, char *buf, size_t cap)
{
	const char *p0 = l->problem[0], *p1 = l->problem[1];

	snprintf(buf, cap, "%s%s%s%s%s%s; name a server, or create the VPN connection first",
		l->n ? "none of this machine's VPN connections can use L2TP/IPsec" :
		"this machine has no VPN connection",
		*p0 || *p1 ? " (" : "", p0, *p0 && *p1 ? "; " : "", p1, *p0 || *p1 ? ")" : "");
}
