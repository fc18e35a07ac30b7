/* sysinfo.c - console output, clocks and facts about this machine: OS
 * version, computer name, elevation, services, boot time. */
#include "win.h"

#include <stdlib.h>
#include <string.h>

/* ---- output ------------------------------------------------------------ */

/* WriteConsoleW had a 64 KB buffer limit on older Windows: write in pieces,
 * never splitting a surrogate pair. */
static void win_console_write(HANDLE h, const wchar_t *w, size_t n)
{
	while (n > 0) {
		DWORD chunk = n > 8192 ? 8192 : (DWORD)n, done = 0;
		if (chunk < n && w[chunk - 1] >= 0xD800 && w[chunk - 1] <= 0xDBFF)
			chunk--;
		if (!WriteConsoleW(h, w, chunk, &done, NULL) || done == 0)
			return;
		w += done;
		n -= done;
	}
}

void plat_write(int fd, const char *utf8, size_t len)
{
	HANDLE h = GetStdHandle(fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
	DWORD mode;

	if (h == NULL || h == INVALID_HANDLE_VALUE || len == 0)
		return;
	if (GetConsoleMode(h, &mode) && len < 0x7fffffff) {
		int n = MultiByteToWideChar(CP_UTF8, 0, utf8, (int)len, NULL, 0);
		wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;
		if (w != NULL) {
			MultiByteToWideChar(CP_UTF8, 0, utf8, (int)len, w, n);
			win_console_write(h, w, (size_t)n);
			free(w);
			return;
		}
	}
	while (len > 0) {
		DWORD chunk = len > 0x100000 ? 0x100000 : (DWORD)len, done = 0;
		if (!WriteFile(h, utf8, chunk, &done, NULL) || done == 0)
			return;
		utf8 += done;
		len -= done;
	}
}

/* ---- clocks ------------------------------------------------------------- */

/* GetTickCount wraps every 49.7 days; GetTickCount64 is Vista+.  Callers
 * ask at least every few seconds, so one wrap between calls is the most. */
uint64_t plat_now_ms(void)
{
	static DWORD last;
	static uint64_t high;
	DWORD now = GetTickCount();

	if (now < last)
		high += (uint64_t)1 << 32;
	last = now;
	return high | now;
}

plat_status plat_system_time(uint64_t *filetime)
{
	FILETIME ft;

	GetSystemTimeAsFileTime(&ft);
	*filetime = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
	return PLAT_OK;
}

/* SYSTEM_TIMEOFDAY_INFORMATION; XP's kernel knows only the first 32 bytes. */
struct win_timeofday {
	LARGE_INTEGER boot_time, current_time, time_zone_bias;
	ULONG time_zone_id, reserved;
	ULONGLONG boot_time_bias, sleep_time_bias;
};
typedef LONG(WINAPI *win_ntqsi_fn)(int, void *, ULONG, ULONG *);
typedef ULONGLONG(WINAPI *win_tick64_fn)(void);

plat_status plat_boot_time(uint64_t *filetime)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	win_ntqsi_fn ntqsi = NULL;
	win_tick64_fn tick64;
	struct win_timeofday tod;
	uint64_t now, up;

	if (ntdll != NULL)
		ntqsi = (win_ntqsi_fn)(void (*)(void))GetProcAddress(ntdll,
			"NtQuerySystemInformation");
	if (ntqsi != NULL) {
		memset(&tod, 0, sizeof(tod));
		/* 3 = SystemTimeOfDayInformation; retry with XP's shorter size. */
		if (ntqsi(3, &tod, sizeof(tod), NULL) >= 0 || ntqsi(3, &tod, 32, NULL) >= 0) {
			if (tod.boot_time.QuadPart > 0) {
				*filetime = (uint64_t)tod.boot_time.QuadPart;
				return PLAT_OK;
			}
		}
	}
	/* Fallback: now minus uptime (GetTickCount alone wraps at 49.7 days). */
	tick64 = (win_tick64_fn)(void (*)(void))GetProcAddress(
		GetModuleHandleW(L"kernel32.dll"), "GetTickCount64");
	up = tick64 != NULL ? tick64() : GetTickCount();
	plat_system_time(&now);
	*filetime = now - up * 10000;
	return PLAT_OK;
}

/* ---- OS version --------------------------------------------------------- */

typedef BOOL(WINAPI *win_iswow64_fn)(HANDLE, PBOOL);

bool win_os64(void)
{
#ifdef _WIN64
	return true;
#else
	static int cached = -1;
	if (cached < 0) {
		/* IsWow64Process: loaded by name, XP before SP2 lacks it. */
		win_iswow64_fn fn = (win_iswow64_fn)(void (*)(void))GetProcAddress(
			GetModuleHandleW(L"kernel32.dll"), "IsWow64Process");
		BOOL wow = FALSE;
		cached = fn != NULL && fn(GetCurrentProcess(), &wow) && wow;
	}
	return cached != 0;
#endif
}

typedef LONG(WINAPI *win_rtlgetversion_fn)(OSVERSIONINFOEXW *);

plat_status plat_os_get(plat_os *out)
{
	OSVERSIONINFOEXW vi;
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	win_rtlgetversion_fn rtl = NULL;

	memset(out, 0, sizeof(*out));
	memset(&vi, 0, sizeof(vi));
	vi.dwOSVersionInfoSize = sizeof(vi);
	/* RtlGetVersion tells the truth; GetVersionEx lies (8.1+) to exes
	 * whose manifest does not name the running version. */
	if (ntdll != NULL)
		rtl = (win_rtlgetversion_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion");
	if (rtl == NULL || rtl(&vi) < 0) {
		memset(&vi, 0, sizeof(vi));
		vi.dwOSVersionInfoSize = sizeof(vi);
		if (!GetVersionExW((OSVERSIONINFOW *)&vi))
			return win_fail(GetLastError(), "cannot read the Windows version");
	}
	out->major = vi.dwMajorVersion;
	out->minor = vi.dwMinorVersion;
	out->build = vi.dwBuildNumber & 0xffff;
	out->sp_major = vi.wServicePackMajor;
	out->sp_minor = vi.wServicePackMinor;
	out->server = vi.wProductType != 0 && vi.wProductType != VER_NT_WORKSTATION;
	out->os64 = win_os64();
	if (!win_to_utf8_buf(vi.szCSDVersion, out->csd, sizeof(out->csd)))
		out->csd[0] = 0;
	return PLAT_OK;
}

plat_status plat_hostname(char *buf, size_t cap)
{
	wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD n = MAX_COMPUTERNAME_LENGTH + 1;

	if (cap > 0)
		buf[0] = 0;
	if (!GetComputerNameW(name, &n))
		return win_fail(GetLastError(), "cannot read the computer name");
	if (!win_to_utf8_buf(name, buf, cap))
		return win_fail_msg(PLAT_ESYS, "computer name longer than %u bytes",
			(unsigned)cap);
	return PLAT_OK;
}

/* ---- elevation ------------------------------------------------------------ */

/* Member of the local Administrators group in the token that runs us.  On
 * Vista+ with UAC, a filtered token has that group as deny-only, so this is
 * false until elevated; LocalSystem (SCCM, Intune) has the group. */
plat_status plat_is_admin(bool *admin)
{
	SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
	PSID sid = NULL;
	BOOL member = FALSE;
	plat_status st = PLAT_OK;

	*admin = false;
	if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
			DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &sid))
		return win_fail(GetLastError(), "cannot build the Administrators SID");
	if (!CheckTokenMembership(NULL, sid, &member))
		st = win_fail(GetLastError(), "cannot check membership of Administrators");
	else
		*admin = member != FALSE;
	FreeSid(sid);
	return st;
}

/* ---- services --------------------------------------------------------------- */

static plat_svc_state win_svc_query(SC_HANDLE svc, const char *name)
{
	SERVICE_STATUS ss;
	QUERY_SERVICE_CONFIGW *cfg = NULL;
	DWORD need = 0;
	plat_svc_state st = PLAT_SVC_UNKNOWN;

	if (!QueryServiceConfigW(svc, NULL, 0, &need) &&
			GetLastError() == ERROR_INSUFFICIENT_BUFFER && need > 0 &&
			(cfg = malloc(need)) != NULL &&
			QueryServiceConfigW(svc, cfg, need, &need) &&
			cfg->dwStartType == SERVICE_DISABLED) {
		free(cfg);
		return PLAT_SVC_DISABLED;
	}
	free(cfg);
	if (!QueryServiceStatus(svc, &ss)) {
		win_fail(GetLastError(), "cannot query service %s", name);
		return PLAT_SVC_UNKNOWN;
	}
	switch (ss.dwCurrentState) {
	case SERVICE_RUNNING:
	case SERVICE_START_PENDING:
	case SERVICE_CONTINUE_PENDING:
	case SERVICE_PAUSE_PENDING:
	case SERVICE_PAUSED:
		st = PLAT_SVC_RUNNING;
		break;
	case SERVICE_STOPPED:
	case SERVICE_STOP_PENDING:
		st = PLAT_SVC_STOPPED;
		break;
	default:
		win_fail_msg(PLAT_ESYS, "service %s: unknown state %lu", name,
			(unsigned long)ss.dwCurrentState);
		break;
	}
	return st;
}

plat_svc_state plat_svc_state_get(const char *name)
{
	SC_HANDLE scm, svc;
	wchar_t *wname = win_to_wide(name);
	plat_svc_state st = PLAT_SVC_UNKNOWN;

	if (wname == NULL) {
		win_fail_msg(PLAT_ESYS, "out of memory");
		return st;
	}
	scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	if (scm == NULL) {
		win_fail(GetLastError(), "cannot open the service control manager");
		free(wname);
		return st;
	}
	svc = OpenServiceW(scm, wname, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
	if (svc != NULL) {
		st = win_svc_query(svc, name);
		CloseServiceHandle(svc);
	} else {
		DWORD err = GetLastError();
		win_fail(err, "cannot open service %s", name);
		if (err == ERROR_SERVICE_DOES_NOT_EXIST)
			st = PLAT_SVC_NOT_FOUND;
	}
	CloseServiceHandle(scm);
	free(wname);
	return st;
}
