/* pbk.c - the RAS phonebooks: where each Windows version keeps them, and
 * reading one with Windows' own INI reader (GetPrivateProfile*W). */
#include "win.h"

#include <shlobj.h>

#include <stdlib.h>
#include <string.h>

#ifndef CSIDL_COMMON_APPDATA
#define CSIDL_COMMON_APPDATA 0x0023
#endif
#ifndef CSIDL_FLAG_DONT_VERIFY
#define CSIDL_FLAG_DONT_VERIFY 0x4000
#endif
#ifndef CSIDL_APPDATA
#define CSIDL_APPDATA 0x001a
#endif

plat_status plat_pbk_path(int scope, char *buf, size_t cap)
{
	/* XP: "...\All Users\Application Data" and "...\<user>\Application
	 * Data"; Vista and later: C:\ProgramData and ...\AppData\Roaming.  The
	 * shell knows both; the rest of the path is the same everywhere. */
	static const wchar_t tail[] = L"\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk";
	wchar_t dir[MAX_PATH + sizeof(tail) / sizeof(tail[0])];
	/* DONT_VERIFY: the path even where the folder is not made yet (a
	 * profile that never had a phonebook). */
	HRESULT hr = SHGetFolderPathW(NULL, (scope == PLAT_PBK_USER ? CSIDL_APPDATA :
		CSIDL_COMMON_APPDATA) | CSIDL_FLAG_DONT_VERIFY, NULL,
		0 /* SHGFP_TYPE_CURRENT */, dir);

	if (hr != S_OK)
		return win_fail_msg(PLAT_ENOTFOUND, "the %s application data folder is unknown "
			"(0x%08lx)", scope == PLAT_PBK_USER ? "user's" : "all users'",
			(unsigned long)hr);
	wcscat(dir, tail);
	if (!win_to_utf8_buf(dir, buf, cap))
		return win_fail_msg(PLAT_ESYS, "the phonebook path is too long");
	return PLAT_OK;
}

static bool valid_utf8_high(const unsigned char *s)
{
	bool high = false;

	while (*s) {
		unsigned char c = *s;
		int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 :
			(c & 0xF8) == 0xF0 ? 3 : -1;

		if (n < 0 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
			return false;
		high |= n > 0;
		s++;
		for (int i = 0; i < n; i++, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return high;
}

/* Windows' INI reader reads a file without a byte order mark in the ANSI
 * code page.  RAS on Vista and later writes names that do not fit it in
 * UTF-8: when the ANSI bytes read back exactly and are UTF-8, they are
 * the name.  Anything else is the name as Windows itself reads it. */
static char *ini_text(const wchar_t *w)
{
	BOOL lossy = FALSE;
	int n = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, &lossy);

	if (n > 0 && !lossy) {
		char *bytes = malloc((size_t)n);
		if (bytes != NULL &&
		    WideCharToMultiByte(CP_ACP, 0, w, -1, bytes, n, NULL, &lossy) == n &&
		    !lossy && valid_utf8_high((const unsigned char *)bytes))
			return bytes;
		free(bytes);
	}
	return win_to_utf8(w);
}

#define INI_NAMES_CAP 65536
#define INI_VALUE_CAP 2048
#define INI_MAX_KEYS 16

plat_status plat_ini_read(const char *path, const char *const *keys, size_t nkeys,
	void (*fn)(void *ctx, const char *section, const char *const *values), void *ctx)
{
	static const wchar_t absent[] = L"\x01nattcheck:absent\x01";
	wchar_t *wpath = win_to_wide(path), *names = NULL, *wkeys[INI_MAX_KEYS] = { 0 };
	wchar_t *val = NULL;
	char *vals[INI_MAX_KEYS] = { 0 };
	plat_status st = PLAT_OK;
	HANDLE h;
	size_t count = 0;

	if (nkeys > INI_MAX_KEYS)
		return win_fail_msg(PLAT_ESYS, "%s: too many keys asked for", path);
	names = malloc(INI_NAMES_CAP * sizeof(*names));
	val = malloc(INI_VALUE_CAP * sizeof(*val));
	for (size_t k = 0; k < nkeys; k++)
		wkeys[k] = win_to_wide(keys[k]);
	for (size_t k = 0; k < nkeys; k++)
		if (wkeys[k] == NULL)
			st = win_fail_msg(PLAT_ESYS, "out of memory");
	if (wpath == NULL || names == NULL || val == NULL || st != PLAT_OK) {
		st = win_fail_msg(PLAT_ESYS, "out of memory");
		goto out;
	}
	/* The INI reader says nothing about a missing or unreadable file (it
	 * reads as empty): ask the file system first. */
	h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE |
		FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
			st = win_fail_msg(PLAT_ENOTFOUND, "%s: no such file", path);
		else
			st = win_fail(e, "%s", path);
		goto out;
	}
	CloseHandle(h);
	if (GetPrivateProfileSectionNamesW(names, INI_NAMES_CAP, wpath) == 0)
		goto out; /* no sections */
	for (const wchar_t *sec = names; *sec && count < PLAT_INI_MAX_SECTIONS;
	     sec += wcslen(sec) + 1, count++) {
		char *name = ini_text(sec);
		for (size_t k = 0; k < nkeys; k++) {
			GetPrivateProfileStringW(sec, wkeys[k], absent, val, INI_VALUE_CAP, wpath);
			vals[k] = wcscmp(val, absent) == 0 ? NULL : ini_text(val);
		}
		if (name != NULL)
			fn(ctx, name, (const char *const *)vals);
		free(name);
		for (size_t k = 0; k < nkeys; k++) {
			free(vals[k]);
			vals[k] = NULL;
		}
	}
out:
	for (size_t k = 0; k < nkeys; k++)
		free(wkeys[k]);
	free(val);
	free(names);
	free(wpath);
	return st;
}
