/* sysdll.c - defences against DLL planting: the DLL search path cut down to
 * the system folder, and system DLLs that are not KnownDLLs loaded by their
 * full path.
 *
 * The exe is downloaded into a folder full of other files (Downloads) and
 * run from there, later elevated.  Windows looks for a DLL beside the exe
 * before it looks in the system folder, except for the KnownDLLs, which it
 * always maps from the system folder.  So the exe imports statically only
 * DLLs that are KnownDLLs on every Windows it runs on, XP SP2 to 11 (the
 * list is in tests/check_imports.sh), and loads every other DLL here, from
 * GetSystemDirectoryW() by its full path. */
#include "win.h"

#include <stdio.h>
#include <string.h>

#ifndef LOAD_LIBRARY_SEARCH_SYSTEM32
#define LOAD_LIBRARY_SEARCH_SYSTEM32 0x00000800
#endif

typedef BOOL(WINAPI *win_setdlldir_fn)(LPCWSTR);
typedef BOOL(WINAPI *win_setdefdirs_fn)(DWORD);

/* True once SetDefaultDllDirectories(LOAD_LIBRARY_SEARCH_SYSTEM32) took. */
static bool win_search_system32_only;

/* Both through GetProcAddress: SetDllDirectoryW is XP SP1 and later (the
 * headers at _WIN32_WINNT 0x0501 may hide it), SetDefaultDllDirectories is
 * Windows 8 and later, or Windows 7 / Vista with KB2533623. */
void win_dll_harden(void)
{
	HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
	win_setdlldir_fn setdlldir;
	win_setdefdirs_fn setdefdirs;

	if (k32 == NULL)
		return;
	/* The current folder out of the search path: a double-clicked or
	 * elevated process may start anywhere (Downloads, a share). */
	setdlldir = (win_setdlldir_fn)(void (*)(void))GetProcAddress(k32, "SetDllDirectoryW");
	if (setdlldir != NULL)
		setdlldir(L"");
	/* Where it exists, the exe's own folder (and PATH) out of it too, for
	 * every later load by name, including the ones system DLLs make on
	 * our behalf (delay loads, forwarders, providers).  Without it (XP,
	 * Vista, 7 without the update), the exe's folder stays first in the
	 * search: hence the static imports restricted to KnownDLLs and the
	 * full paths below. */
	setdefdirs = (win_setdefdirs_fn)(void (*)(void))GetProcAddress(k32,
		"SetDefaultDllDirectories");
	if (setdefdirs != NULL && setdefdirs(LOAD_LIBRARY_SEARCH_SYSTEM32))
		win_search_system32_only = true;
}

plat_status win_load_system_dll(const wchar_t *name, HMODULE *out)
{
	wchar_t path[MAX_PATH + 64];
	char text[3 * (MAX_PATH + 64)];
	size_t nlen = wcslen(name);
	UINT n;
	DWORD err;

	*out = NULL;
	/* The 32-bit exe under WOW64 gets System32 here, which the file system
	 * redirects to SysWOW64: the 32-bit system DLLs, the right ones. */
	n = GetSystemDirectoryW(path, MAX_PATH);
	if (n == 0 || n >= MAX_PATH || n + 1 + nlen >= sizeof(path) / sizeof(path[0]))
		return win_fail(n == 0 ? GetLastError() : ERROR_BUFFER_OVERFLOW,
			"cannot find the system folder to load %ls", name);
	if (path[n - 1] != L'\\')
		path[n++] = L'\\';
	memcpy(path + n, name, (nlen + 1) * sizeof(*name));
	/* A full path, and the DLLs it imports searched for beside it (in the
	 * system folder) first, not beside the exe: LOAD_WITH_ALTERED_SEARCH_PATH
	 * (every version); once SetDefaultDllDirectories took, the default
	 * search (system folder only) does the same. */
	*out = LoadLibraryExW(path, NULL,
		win_search_system32_only ? 0 : LOAD_WITH_ALTERED_SEARCH_PATH);
	if (*out != NULL)
		return PLAT_OK;
	err = GetLastError();
	if (!win_to_utf8_buf(path, text, sizeof(text)))
		snprintf(text, sizeof(text), "%s", "the system folder's copy");
	return win_fail(err, "cannot load %s", text);
}
