/* win.h - helpers shared by the Win32 implementation of platform.h. */
#ifndef NATTCHECK_WIN_H
#define NATTCHECK_WIN_H

#include <winsock2.h>
#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"

/* Records "context: system text (0x%08lx)" for plat_strerror() and returns
 * the plat_status that code maps to (access denied, not found, else ESYS).
 * context is printf-style, UTF-8. */
plat_status win_fail(unsigned long code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Records a message without a system error code; returns st. */
plat_status win_fail_msg(plat_status st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* UTF-8 <-> UTF-16.  Both return malloc'd, NUL-terminated strings, or NULL
 * when out of memory (invalid input is replaced, never rejected). */
wchar_t *win_to_wide(const char *utf8);
char *win_to_utf8(const wchar_t *wide);
/* Converts into a caller buffer; false if it does not fit. */
bool win_to_utf8_buf(const wchar_t *wide, char *buf, size_t cap);

/* True on 64-bit Windows, whether this exe is 64-bit or runs under WOW64. */
bool win_os64(void);

/* Number of resolver threads still running (main skips win_net_stop then). */
long win_resolver_busy(void);

/* sysdll.c - DLL planting.  win_dll_harden: first thing in wmain, takes the
 * current folder (SetDllDirectoryW) and, where Windows can, the exe's own
 * folder (SetDefaultDllDirectories) out of the DLL search path.
 * win_load_system_dll: loads NAME ("ws2_32.dll") from the system folder by
 * its full path; on failure records why (plat_strerror) and returns the
 * status.  Every DLL that is not a KnownDLL on XP SP2 is loaded this way,
 * never imported (tests/check_imports.sh). */
void win_dll_harden(void);
plat_status win_load_system_dll(const wchar_t *name, HMODULE *out);

/* net.c - loads ws2_32.dll (win_load_system_dll), resolves every Winsock
 * function it calls and starts Winsock 2.2; on failure records why and
 * returns the status.  win_net_stop: WSACleanup. */
plat_status win_net_start(void);
void win_net_stop(void);

#endif
