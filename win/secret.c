/* secret.c - a secret from outside the command line: an environment
 * variable, or the first line of standard input (typed without echo on a
 * console).  Every buffer that held it is wiped (plat_wipe: crypto.c). */
#include "win.h"

#include <stdlib.h>
#include <string.h>

/* UTF-16 -> UTF-8 into buf; PLAT_EMSGSIZE if it does not fit. */
static plat_status wide_out(const wchar_t *w, int wlen, char *buf, size_t cap, size_t *len)
{
	int n = wlen ? WideCharToMultiByte(CP_UTF8, 0, w, wlen, buf, (int)cap - 1, NULL, NULL) : 0;

	if (wlen && n <= 0)
		return GetLastError() == ERROR_INSUFFICIENT_BUFFER ?
			win_fail_msg(PLAT_EMSGSIZE, "too long") : win_fail(GetLastError(), "cannot convert");
	buf[n] = '\0';
	*len = (size_t)n;
	return PLAT_OK;
}

plat_status plat_env_get(const char *name, char *buf, size_t cap, size_t *len)
{
	wchar_t w[1100], *wname = win_to_wide(name);
	DWORD n;
	plat_status st;

	if (wname == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	n = GetEnvironmentVariableW(wname, w, sizeof(w) / sizeof(w[0]));
	free(wname);
	if (n == 0 && GetLastError() == ERROR_ENVVAR_NOT_FOUND)
		return win_fail_msg(PLAT_ENOTFOUND, "%s is not set", name);
	if (n >= sizeof(w) / sizeof(w[0]))
		return win_fail_msg(PLAT_EMSGSIZE, "%s is too long", name);
	st = wide_out(w, (int)n, buf, cap, len);
	plat_wipe(w, sizeof(w));
	return st;
}

plat_status plat_stdin_line(char *buf, size_t cap, size_t *len)
{
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	DWORD mode, got = 0;
	plat_status st = PLAT_OK;

	if (in == NULL || in == INVALID_HANDLE_VALUE)
		return win_fail_msg(PLAT_ESYS, "there is no standard input");
	if (GetConsoleMode(in, &mode)) {
		/* Typed at a console: no echo, read as UTF-16. */
		wchar_t w[1100];
		DWORD n = 0;

		SetConsoleMode(in, (mode | ENABLE_LINE_INPUT) & ~(DWORD)ENABLE_ECHO_INPUT);
		if (!ReadConsoleW(in, w, sizeof(w) / sizeof(w[0]) - 1, &got, NULL))
			st = win_fail(GetLastError(), "cannot read the console");
		SetConsoleMode(in, mode);
		while (st == PLAT_OK && n < got && w[n] != L'\r' && w[n] != L'\n')
			n++;
		if (st == PLAT_OK)
			st = wide_out(w, (int)n, buf, cap, len);
		plat_wipe(w, sizeof(w));
		return st;
	}
	/* A pipe or file: bytes up to the first line end. */
	*len = 0;
	for (;;) {
		char c;
		if (!ReadFile(in, &c, 1, &got, NULL) || got == 0)
			break; /* end of input (or a broken pipe): the line so far */
		if (c == '\n' || c == '\r')
			break;
		if (*len + 1 >= cap) {
			plat_wipe(buf, cap);
			return win_fail_msg(PLAT_EMSGSIZE, "the line is too long");
		}
		buf[(*len)++] = c;
	}
	buf[*len] = '\0';
	return PLAT_OK;
}
