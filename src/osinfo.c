/* osinfo.c - classifies the Windows version for the registry key and the
 * IKE profile. */
#include "osinfo.h"

#include <stdio.h>
#include <string.h>

static const char *os_name_nt5(const plat_os *os)
{
	if (os->minor == 0)
		return "Windows 2000";
	if (os->minor == 1)
		return "Windows XP";
	/* 5.2 is Server 2003 or, as a 64-bit workstation, XP x64. */
	if (!os->server && os->os64)
		return "Windows XP x64";
	return "Windows Server 2003";
}

static const char *os_name_nt6(const plat_os *os)
{
	static const char *const ws[] = { "Windows Vista", "Windows 7", "Windows 8",
		"Windows 8.1" };
	static const char *const srv[] = { "Windows Server 2008", "Windows Server 2008 R2",
		"Windows Server 2012", "Windows Server 2012 R2" };
	if (os->minor > 3)
		return os->server ? "Windows Server (6.x)" : "Windows (6.x)";
	return os->server ? srv[os->minor] : ws[os->minor];
}

static const char *os_name_nt10(const plat_os *os)
{
	if (!os->server)
		return os->build >= 22000 ? "Windows 11" : "Windows 10";
	if (os->build >= 26100)
		return "Windows Server 2025";
	if (os->build >= 20348)
		return "Windows Server 2022";
	if (os->build >= 17763)
		return "Windows Server 2019";
	return "Windows Server 2016";
}

void os_classify(const plat_os *os, os_info *out)
{
	const char *name;

	memset(out, 0, sizeof(*out));
	out->os = *os;
	if (os->major < 5 || (os->major == 5 && os->minor == 0) ||
	    (os->major == 5 && os->minor == 1 && os->sp_major < 2)) {
		/* NAT-T arrived with XP SP2 (or KB 818043 on 2000/XP SP1), and
		 * with it the value; before that there is nothing to set. */
		out->cls = OSC_TOO_OLD;
		out->policy_key = NULL;
		out->profile = PROFILE_XP;
		name = os->major < 5 ? "Windows NT" : os_name_nt5(os);
	} else if (os->major == 5) {
		out->cls = OSC_XP;
		out->policy_key = OS_KEY_XP;
		out->profile = PROFILE_XP;
		name = os_name_nt5(os);
	} else {
		out->cls = OSC_VISTA_PLUS;
		out->policy_key = OS_KEY_VISTA;
		if (os->major == 6 && os->minor == 0) {
			out->profile = os->server ? PROFILE_SERVER2008 : PROFILE_VISTA;
			name = os_name_nt6(os);
		} else if (os->major == 6 && os->minor == 1) {
			out->profile = PROFILE_VISTA7;
			name = os_name_nt6(os);
		} else {
			out->profile = PROFILE_WIN8PLUS;
			name = os->major == 6 ? os_name_nt6(os) :
			       os->major == 10 ? os_name_nt10(os) : "Windows (newer than 11)";
		}
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
}
