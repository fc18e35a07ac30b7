/* util.c - error text for plat_strerror() and UTF-8 <-> UTF-16 conversion. */
#include "win.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char win_errbuf[1024];

const char *plat_strerror(void)
{
	return win_errbuf;
}

static plat_status win_map_code(unsigned long code)
{
	switch (code) {
	case ERROR_ACCESS_DENIED:
	case ERROR_PRIVILEGE_NOT_HELD:
	case WSAEACCES:
		return PLAT_EACCES;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_SERVICE_DOES_NOT_EXIST:
		return PLAT_ENOTFOUND;
	default:
		return PLAT_ESYS;
	}
}

/* The system's text for code, UTF-8, without the trailing line break. */
static void win_system_text(unsigned long code, char *buf, size_t cap)
{
	wchar_t *msg = NULL;
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
			FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, (LPWSTR)&msg, 0, NULL);
	if (n == 0 || msg == NULL) {
		snprintf(buf, cap, "unknown error");
		return;
	}
	while (n > 0 && (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' || msg[n - 1] == L' '))
		msg[--n] = 0;
	if (!win_to_utf8_buf(msg, buf, cap))
		snprintf(buf, cap, "unknown error");
	LocalFree(msg);
}

plat_status win_fail(unsigned long code, const char *fmt, ...)
{
	char text[512];
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(win_errbuf, sizeof(win_errbuf), fmt, ap);
	va_end(ap);
	win_errbuf[sizeof(win_errbuf) - 1] = 0;
	win_system_text(code, text, sizeof(text));
	used = strlen(win_errbuf);
	snprintf(win_errbuf + used, sizeof(win_errbuf) - used, ": %s (0x%08lx)", text, code);
	win_errbuf[sizeof(win_errbuf) - 1] = 0;
	return win_map_code(code);
}

plat_status win_fail_msg(plat_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(win_errbuf, sizeof(win_errbuf), fmt, ap);
	va_end(ap);
	win_errbuf[sizeof(win_errbuf) - 1] = 0;
	return st;
}

wchar_t *win_to_wide(const char *utf8)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0)
		n = 1;
	w = calloc((size_t)n, sizeof(*w));
	if (w != NULL && MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n) <= 0)
		w[0] = 0;
	return w;
}

char *win_to_utf8(const wchar_t *wide)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
	char *s;

	if (n <= 0)
		n = 1;
	s = calloc((size_t)n, 1);
	if (s != NULL && WideCharToMultiByte(CP_UTF8, 0, wide, -1, s, n, NULL, NULL) <= 0)
		s[0] = 0;
	return s;
}

bool win_to_utf8_buf(const wchar_t *wide, char *buf, size_t cap)
{
	int n;

	if (cap == 0)
		return false;
	n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
	if (n <= 0 || (size_t)n > cap) {
		buf[0] = 0;
		return false;
	}
	WideCharToMultiByte(CP_UTF8, 0, wide, -1, buf, n, NULL, NULL);
	return true;
}

bool plat_is_console(int fd)
{
	HANDLE h = GetStdHandle(fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
	DWORD mode;

	return h != NULL && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) != 0;
}
