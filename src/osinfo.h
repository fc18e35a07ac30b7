/* osinfo.h - which Windows this is, and what that means for L2TP/IPsec NAT-T:
 * where the AssumeUDPEncapsulationContextOnSendRule value lives and which
 * IKE message 1 this Windows sends. */
#ifndef NATTCHECK_OSINFO_H
#define NATTCHECK_OSINFO_H

#include "platform.h"
#include "probe.h"

typedef enum os_class {
	OSC_TOO_OLD = 0,  /* Windows 2000, XP RTM/SP1: no such value */
	OSC_XP,           /* XP SP2/SP3, XP x64, Server 2003: Services\IPSec */
	OSC_VISTA_PLUS,   /* Vista .. 11, Server 2008+: Services\PolicyAgent */
} os_class;

#define OS_KEY_XP "SYSTEM\\CurrentControlSet\\Services\\IPSec"
#define OS_KEY_VISTA "SYSTEM\\CurrentControlSet\\Services\\PolicyAgent"
#define OS_VALUE_NAME "AssumeUDPEncapsulationContextOnSendRule"

typedef struct os_info {
	plat_os os;
	os_class cls;
	char name[64];           /* "Windows XP", "Windows 11", ... */
	const char *policy_key;  /* below HKLM; NULL for OSC_TOO_OLD */
	probe_profile profile;   /* the message 1 this Windows sends */
} os_info;

/* Pure: classifies a version as reported by RtlGetVersion. */
void os_classify(const plat_os *os, os_info *out);
#endif
