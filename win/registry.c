/* registry.c - HKLM values through the 64-bit view, and the machine-wide
 * lock that serialises changes between concurrent runs. */
#include "win.h"

#include <stdlib.h>
#include <string.h>

/* platform.h speaks in the Win32 type numbers: passed through unchanged. */
_Static_assert(REG_T_NONE == REG_NONE && REG_T_SZ == REG_SZ && REG_T_EXPAND_SZ == REG_EXPAND_SZ &&
	REG_T_BINARY == REG_BINARY && REG_T_DWORD == REG_DWORD &&
	REG_T_DWORD_BE == REG_DWORD_BIG_ENDIAN && REG_T_MULTI_SZ == REG_MULTI_SZ &&
	REG_T_QWORD == REG_QWORD, "REG_T_* are the Win32 REG_* numbers");

/* Both exes must see one key: on 64-bit Windows the 32-bit exe would be
 * redirected to Wow6432Node below SOFTWARE without KEY_WOW64_64KEY.  32-bit
 * Windows gets no flag (Windows 2000 refuses it; XP ignores it). */
static REGSAM win_reg_view(void)
{
	return win_os64() ? KEY_WOW64_64KEY : 0;
}

static const char *win_reg_name(const char *name)
{
	return name != NULL && name[0] != 0 ? name : "(Default)";
}

/* Wide copies of key and name; name may be NULL (the default value). */
static bool win_reg_wide(const char *key, const char *name, wchar_t **wkey, wchar_t **wname)
{
	*wkey = win_to_wide(key);
	*wname = name != NULL && name[0] != 0 ? win_to_wide(name) : NULL;
	if (*wkey == NULL || (name != NULL && name[0] != 0 && *wname == NULL)) {
		free(*wkey);
		free(*wname);
		return false;
	}
	return true;
}

/* Reads the value into a heap buffer of its true size. */
static LSTATUS win_reg_query(HKEY hk, const wchar_t *wname, DWORD *type, BYTE **data, DWORD *size)
{
	DWORD cap = PLAT_REG_DATA_MAX;
	LSTATUS rc = ERROR_MORE_DATA;
	int tries;

	*data = NULL;
	for (tries = 0; tries < 8 && rc == ERROR_MORE_DATA; tries++) {
		BYTE *p = realloc(*data, cap > 0 ? cap : 1);
		if (p == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		*data = p;
		*size = cap;
		rc = RegQueryValueExW(hk, wname, NULL, type, p, size);
		/* The value may grow between calls: ask for the new size, more. */
		if (rc == ERROR_MORE_DATA)
			cap = *size > cap ? *size + 64 : cap * 2;
	}
	return rc;
}

plat_status plat_reg_get(const char *key, const char *name, plat_reg_value *out)
{
	wchar_t *wkey, *wname;
	HKEY hk;
	BYTE *data = NULL;
	DWORD type = 0, size = 0;
	LSTATUS rc;
	plat_status st = PLAT_OK;

	memset(out, 0, sizeof(*out));
	if (!win_reg_wide(key, name, &wkey, &wname))
		return win_fail_msg(PLAT_ESYS, "out of memory");
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wkey, 0, KEY_QUERY_VALUE | win_reg_view(), &hk);
	if (rc == ERROR_SUCCESS) {
		rc = win_reg_query(hk, wname, &type, &data, &size);
		RegCloseKey(hk);
		if (rc == ERROR_SUCCESS) {
			out->present = true;
			out->type = type;
			out->size = size;
			memcpy(out->data, data, size < PLAT_REG_DATA_MAX ? size : PLAT_REG_DATA_MAX);
		} else if (rc != ERROR_FILE_NOT_FOUND) {
			st = win_fail((unsigned long)rc, "cannot read HKLM\\%s\\%s", key,
				win_reg_name(name));
		}
	} else if (rc != ERROR_FILE_NOT_FOUND) {
		st = win_fail((unsigned long)rc, "cannot read HKLM\\%s\\%s", key,
			win_reg_name(name));
	}
	free(data);
	free(wkey);
	free(wname);
	return st;
}

plat_status plat_reg_set(const char *key, const char *name, uint32_t type,
	const void *data, uint32_t size)
{
	wchar_t *wkey, *wname;
	HKEY hk;
	LSTATUS rc;
	plat_status st = PLAT_OK;

	if (!win_reg_wide(key, name, &wkey, &wname))
		return win_fail_msg(PLAT_ESYS, "out of memory");
	rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wkey, 0, NULL, REG_OPTION_NON_VOLATILE,
		KEY_SET_VALUE | KEY_QUERY_VALUE | win_reg_view(), NULL, &hk, NULL);
	if (rc != ERROR_SUCCESS) {
		st = win_fail((unsigned long)rc, "cannot write HKLM\\%s\\%s", key,
			win_reg_name(name));
		goto out;
	}
	rc = RegSetValueExW(hk, wname, 0, type, data, size);
	if (rc != ERROR_SUCCESS)
		st = win_fail((unsigned long)rc, "cannot write HKLM\\%s\\%s", key,
			win_reg_name(name));
	else
		RegFlushKey(hk); /* on disk before anyone reboots to apply it */
	RegCloseKey(hk);
out:
	free(wkey);
	free(wname);
	return st;
}

plat_status plat_reg_delete(const char *key, const char *name)
{
	wchar_t *wkey, *wname;
	HKEY hk;
	LSTATUS rc;
	plat_status st = PLAT_OK;

	if (!win_reg_wide(key, name, &wkey, &wname))
		return win_fail_msg(PLAT_ESYS, "out of memory");
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wkey, 0,
		KEY_SET_VALUE | KEY_QUERY_VALUE | win_reg_view(), &hk);
	if (rc == ERROR_SUCCESS) {
		rc = RegDeleteValueW(hk, wname);
		if (rc == ERROR_SUCCESS)
			RegFlushKey(hk);
		else if (rc != ERROR_FILE_NOT_FOUND)
			st = win_fail((unsigned long)rc, "cannot delete HKLM\\%s\\%s", key,
				win_reg_name(name));
		RegCloseKey(hk);
	} else if (rc != ERROR_FILE_NOT_FOUND) {
		st = win_fail((unsigned long)rc, "cannot delete HKLM\\%s\\%s", key,
			win_reg_name(name));
	}
	free(wkey);
	free(wname);
	return st;
}

typedef LSTATUS(WINAPI *win_delkeyex_fn)(HKEY, LPCWSTR, REGSAM, DWORD);

/* One key without subkeys.  RegDeleteKeyW cannot leave the caller's view
 * (a 32-bit exe would delete below Wow6432Node); RegDeleteKeyExW can but
 * is missing from 32-bit XP, which has no views anyway. */
static LSTATUS win_reg_delete_one(HKEY parent, const wchar_t *sub)
{
	static win_delkeyex_fn delkeyex;
	static bool looked;

	if (!looked) {
		delkeyex = (win_delkeyex_fn)(void (*)(void))GetProcAddress(
			GetModuleHandleW(L"advapi32.dll"), "RegDeleteKeyExW");
		looked = true;
	}
	if (delkeyex != NULL)
		return delkeyex(parent, sub, win_reg_view(), 0);
	return RegDeleteKeyW(parent, sub);
}

/* Subkeys first, then the key (what RegDeleteTreeW does on Vista+). */
static LSTATUS win_reg_delete_tree(HKEY parent, const wchar_t *sub, int depth)
{
	wchar_t child[256];
	HKEY hk;
	DWORD n;
	LSTATUS rc;
	int guard;

	if (depth > 32)
		return ERROR_CANTOPEN;
	rc = RegOpenKeyExW(parent, sub, 0,
		KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | win_reg_view(), &hk);
	if (rc != ERROR_SUCCESS)
		return rc;
	for (guard = 0; guard < 10000; guard++) {
		n = sizeof(child) / sizeof(child[0]);
		rc = RegEnumKeyExW(hk, 0, child, &n, NULL, NULL, NULL, NULL);
		if (rc != ERROR_SUCCESS)
			break;
		rc = win_reg_delete_tree(hk, child, depth + 1);
		if (rc != ERROR_SUCCESS)
			break;
	}
	RegCloseKey(hk);
	if (rc != ERROR_NO_MORE_ITEMS && rc != ERROR_SUCCESS)
		return rc;
	return win_reg_delete_one(parent, sub);
}

plat_status plat_reg_delete_key(const char *key)
{
	wchar_t *wkey = win_to_wide(key);
	LSTATUS rc;

	if (wkey == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	if (wkey[0] == 0) {
		free(wkey);
		return win_fail_msg(PLAT_ESYS, "refusing to delete HKLM itself");
	}
	rc = win_reg_delete_tree(HKEY_LOCAL_MACHINE, wkey, 0);
	free(wkey);
	if (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND)
		return PLAT_OK;
	return win_fail((unsigned long)rc, "cannot delete HKLM\\%s", key);
}

plat_status plat_reg_key_time(const char *key, uint64_t *filetime)
{
	wchar_t *wkey = win_to_wide(key);
	FILETIME ft;
	HKEY hk;
	LSTATUS rc;

	*filetime = 0;
	if (wkey == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wkey, 0, KEY_QUERY_VALUE | win_reg_view(), &hk);
	free(wkey);
	if (rc != ERROR_SUCCESS)
		return win_fail((unsigned long)rc, "cannot open HKLM\\%s", key);
	rc = RegQueryInfoKeyW(hk, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, &ft);
	RegCloseKey(hk);
	if (rc != ERROR_SUCCESS)
		return win_fail((unsigned long)rc, "cannot read the last write time of HKLM\\%s",
			key);
	*filetime = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
	return PLAT_OK;
}

/* ---- the lock ----------------------------------------------------------- */

static HANDLE win_lock_handle;
static unsigned win_lock_depth;

/* Global\ spans terminal sessions.  A mutex made by LocalSystem grants an
 * administrator only SYNCHRONIZE and query: open it with just those.  If
 * the global name is unusable, a per-session lock is better than none. */
static HANDLE win_lock_open(void)
{
	static const wchar_t global[] = L"Global\\nattcheck-registry";
	HANDLE h = CreateMutexW(NULL, FALSE, global);

	if (h == NULL)
		h = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, global);
	if (h == NULL)
		h = CreateMutexW(NULL, FALSE, L"nattcheck-registry");
	return h;
}

plat_status plat_lock(uint32_t timeout_ms)
{
	HANDLE h;
	DWORD w;

	if (win_lock_handle != NULL) {
		win_lock_depth++;
		return PLAT_OK;
	}
	h = win_lock_open();
	if (h == NULL)
		return win_fail(GetLastError(), "cannot create the lock Global\\nattcheck-registry");
	w = WaitForSingleObject(h, timeout_ms);
	/* WAIT_ABANDONED: a run died holding it; the registry holds only
	 * complete values, so carrying on is safe. */
	if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED) {
		win_lock_handle = h;
		win_lock_depth = 1;
		return PLAT_OK;
	}
	if (w == WAIT_TIMEOUT) {
		CloseHandle(h);
		return win_fail_msg(PLAT_EAGAIN,
			"another nattcheck is changing the registry (waited %lu ms)",
			(unsigned long)timeout_ms);
	}
	w = GetLastError();
	CloseHandle(h);
	return win_fail(w, "cannot wait for the lock Global\\nattcheck-registry");
}

void plat_unlock(void)
{
	if (win_lock_handle == NULL || --win_lock_depth > 0)
		return;
	ReleaseMutex(win_lock_handle);
	CloseHandle(win_lock_handle);
	win_lock_handle = NULL;
}
