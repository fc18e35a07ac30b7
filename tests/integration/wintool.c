/*
 * wintool.c - test-only helper: reads a Win32 window of another process back
 * (under Wine with a virtual X display, or on Windows) for the GUI tests.
 *
 *   wintool wait TITLE_SUBSTR MS        wait for a visible top-level window
 *                                       whose title contains TITLE_SUBSTR;
 *                                       print its title
 *   wintool dump TITLE_SUBSTR           title, then one line per child control:
 *                                       class TAB id TAB visible TAB enabled
 *                                       TAB text  (text: \n, \t, \\ escaped,
 *                                       CR dropped)
 *   wintool text TITLE_SUBSTR           text of the EDIT and STATIC children,
 *                                       unescaped, each ended by a newline
 *   wintool click TITLE_SUBSTR BUTTON   PostMessage(BM_CLICK) to the enabled
 *                                       BUTTON whose text without '&' is BUTTON
 *   wintool clipboard OUTFILE           CF_UNICODETEXT of the clipboard -> UTF-8
 *                                       (retried for 2 s while absent/empty)
 *   wintool shot TITLE_SUBSTR OUT.bmp   the window as on screen, 24-bit BMP
 *   wintool close TITLE_SUBSTR          PostMessage(WM_CLOSE)
 *   wintool gone TITLE_SUBSTR MS        wait until no such window exists
 *   wintool spawn-newconsole MS EXE [ARGS...]
 *                                       CreateProcess(CREATE_NEW_CONSOLE) as
 *                                       Explorer does for a double-click; print
 *                                       the PID, then "exit N" or "running"
 *
 * Exit 0 on success, 1 on failure (reason on stderr), 2 on bad usage.  All
 * output is UTF-8, one item per line.  Title matching is case-sensitive; a
 * console window (class ConsoleWindowClass / WineConsoleClass) never matches,
 * since the console of a program started with a new console may carry the
 * same name in its title.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -municode -DUNICODE
 *        -D_UNICODE -o wintool.exe wintool.c -luser32 -lgdi32
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MSG_TIMEOUT_MS 5000

/* ---- output ------------------------------------------------------------ */

static void put_utf8(HANDLE h, const wchar_t *s, int len)
{
	int n;
	char *buf;
	DWORD done;

	if (len < 0)
		len = (int)wcslen(s);
	if (len == 0)
		return;
	n = WideCharToMultiByte(CP_UTF8, 0, s, len, NULL, 0, NULL, NULL);
	if (n <= 0)
		return;
	buf = malloc((size_t)n);
	if (!buf)
		return;
	WideCharToMultiByte(CP_UTF8, 0, s, len, buf, n, NULL, NULL);
	WriteFile(h, buf, (DWORD)n, &done, NULL);
	free(buf);
}

static void out(const wchar_t *s)
{
	put_utf8(GetStdHandle(STD_OUTPUT_HANDLE), s, -1);
}

static void outf(const wchar_t *fmt, ...)
{
	wchar_t buf[512];
	va_list ap;

	va_start(ap, fmt);
	_vsnwprintf(buf, 511, fmt, ap);
	va_end(ap);
	buf[511] = 0;
	out(buf);
}

static int fail(const wchar_t *fmt, ...)
{
	wchar_t buf[1024];
	va_list ap;

	va_start(ap, fmt);
	_vsnwprintf(buf, 1022, fmt, ap);
	va_end(ap);
	buf[1022] = 0;
	wcscat(buf, L"\n");
	put_utf8(GetStdHandle(STD_ERROR_HANDLE), L"wintool: ", -1);
	put_utf8(GetStdHandle(STD_ERROR_HANDLE), buf, -1);
	return 1;
}

/* ---- windows ----------------------------------------------------------- */

/* Text of any window, also of another process's EDIT (WM_GETTEXT is
 * marshalled across processes; GetWindowText would not ask it).  Caller
 * frees.  NULL if the window does not answer. */
static wchar_t *window_text(HWND w)
{
	DWORD_PTR len = 0, got = 0;
	wchar_t *buf;

	if (!SendMessageTimeoutW(w, WM_GETTEXTLENGTH, 0, 0, SMTO_ABORTIFHUNG,
				 MSG_TIMEOUT_MS, &len))
		return NULL;
	/* Room to spare: the text may grow between the two messages. */
	len += 4096;
	buf = calloc(len + 1, sizeof(wchar_t));
	if (!buf)
		return NULL;
	if (!SendMessageTimeoutW(w, WM_GETTEXT, (WPARAM)(len + 1), (LPARAM)buf,
				 SMTO_ABORTIFHUNG, MSG_TIMEOUT_MS, &got)) {
		free(buf);
		return NULL;
	}
	buf[got <= len ? got : len] = 0;
	return buf;
}

static int is_console_class(HWND w)
{
	wchar_t cls[64];

	if (!GetClassNameW(w, cls, 64))
		return 0;
	return !wcscmp(cls, L"ConsoleWindowClass") ||
	       !wcscmp(cls, L"WineConsoleClass");
}

struct find {
	const wchar_t *sub;
	int need_visible;
	HWND found;
};

static BOOL CALLBACK find_cb(HWND w, LPARAM lp)
{
	struct find *f = (struct find *)lp;
	wchar_t title[1024];

	if (f->need_visible && !IsWindowVisible(w))
		return TRUE;
	/* Top-level titles are kept by the system: no message, no hang. */
	if (!GetWindowTextW(w, title, 1024))
		return TRUE;
	if (!wcsstr(title, f->sub) || is_console_class(w))
		return TRUE;
	f->found = w;
	return FALSE;
}

static HWND find_window(const wchar_t *sub, int need_visible)
{
	struct find f = { sub, need_visible, NULL };

	EnumWindows(find_cb, (LPARAM)&f);
	return f.found;
}

static HWND need_window(const wchar_t *sub)
{
	HWND w = find_window(sub, 1);

	if (!w)
		fail(L"no visible top-level window with \"%ls\" in its title", sub);
	return w;
}

static void print_title(HWND w)
{
	wchar_t title[1024];

	GetWindowTextW(w, title, 1024);
	out(title);
	out(L"\n");
}

/* Children in EnumChildWindows order (all descendants, z-order). */
struct kids {
	HWND *v;
	size_t n, cap;
};

static BOOL CALLBACK kids_cb(HWND w, LPARAM lp)
{
	struct kids *k = (struct kids *)lp;

	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 32;
		HWND *v = realloc(k->v, cap * sizeof(HWND));
		if (!v)
			return FALSE;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = w;
	return TRUE;
}

static struct kids children(HWND parent)
{
	struct kids k = { NULL, 0, 0 };

	EnumChildWindows(parent, kids_cb, (LPARAM)&k);
	return k;
}

static int class_is(HWND w, const wchar_t *name)
{
	wchar_t cls[64];

	return GetClassNameW(w, cls, 64) && !_wcsicmp(cls, name);
}

/* ---- subcommands ------------------------------------------------------- */

static int cmd_wait(const wchar_t *sub, DWORD ms)
{
	DWORD start = GetTickCount();
	HWND w;

	for (;;) {
		w = find_window(sub, 1);
		if (w) {
			print_title(w);
			return 0;
		}
		if (GetTickCount() - start >= ms)
			return fail(L"timeout: no visible window with \"%ls\" after %lu ms",
				    sub, (unsigned long)ms);
		Sleep(100);
	}
}

static int cmd_gone(const wchar_t *sub, DWORD ms)
{
	DWORD start = GetTickCount();

	while (find_window(sub, 0)) {
		if (GetTickCount() - start >= ms)
			return fail(L"window with \"%ls\" still there after %lu ms",
				    sub, (unsigned long)ms);
		Sleep(100);
	}
	return 0;
}

static void out_escaped(const wchar_t *s)
{
	wchar_t *buf = malloc((2 * wcslen(s) + 1) * sizeof(wchar_t)), *p = buf;

	if (!buf)
		return;
	for (; *s; s++) {
		switch (*s) {
		case L'\r': break;
		case L'\n': *p++ = L'\\'; *p++ = L'n'; break;
		case L'\t': *p++ = L'\\'; *p++ = L't'; break;
		case L'\\': *p++ = L'\\'; *p++ = L'\\'; break;
		default: *p++ = *s;
		}
	}
	*p = 0;
	out(buf);
	free(buf);
}

static int cmd_dump(const wchar_t *sub)
{
	HWND w = need_window(sub);
	struct kids k;
	size_t i;

	if (!w)
		return 1;
	print_title(w);
	k = children(w);
	for (i = 0; i < k.n; i++) {
		wchar_t cls[256];
		wchar_t *t = window_text(k.v[i]);

		if (!GetClassNameW(k.v[i], cls, 256))
			cls[0] = 0;
		outf(L"%ls\t%d\t%d\t%d\t", cls, GetDlgCtrlID(k.v[i]),
		     IsWindowVisible(k.v[i]) ? 1 : 0,
		     IsWindowEnabled(k.v[i]) ? 1 : 0);
		out_escaped(t ? t : L"");
		out(L"\n");
		free(t);
	}
	free(k.v);
	return 0;
}

static int cmd_text(const wchar_t *sub)
{
	HWND w = need_window(sub);
	struct kids k;
	size_t i;

	if (!w)
		return 1;
	k = children(w);
	for (i = 0; i < k.n; i++) {
		wchar_t *t, *p, *q;

		if (!class_is(k.v[i], L"Edit") && !class_is(k.v[i], L"Static"))
			continue;
		t = window_text(k.v[i]);
		if (!t)
			continue;
		for (p = q = t; *p; p++)	/* CRLF -> LF */
			if (*p != L'\r')
				*q++ = *p;
		*q = 0;
		out(t);
		if (q == t || q[-1] != L'\n')
			out(L"\n");
		free(t);
	}
	free(k.v);
	return 0;
}

static int cmd_click(const wchar_t *sub, const wchar_t *label)
{
	HWND w = need_window(sub), b = NULL;
	struct kids k;
	size_t i;

	if (!w)
		return 1;
	k = children(w);
	for (i = 0; i < k.n && !b; i++) {
		wchar_t *t, *p, *q;

		if (!class_is(k.v[i], L"Button") || !(t = window_text(k.v[i])))
			continue;
		for (p = q = t; *p; p++)
			if (*p != L'&')
				*q++ = *p;
		*q = 0;
		if (!wcscmp(t, label))
			b = k.v[i];
		free(t);
	}
	free(k.v);
	if (!b)
		return fail(L"no button \"%ls\" in \"%ls\"", label, sub);
	if (!IsWindowEnabled(b))
		return fail(L"button \"%ls\" is disabled", label);
	if (!PostMessageW(b, BM_CLICK, 0, 0))
		return fail(L"PostMessage(BM_CLICK) failed: %lu", GetLastError());
	return 0;
}

static int cmd_close(const wchar_t *sub)
{
	HWND w = need_window(sub);

	if (!w)
		return 1;
	if (!PostMessageW(w, WM_CLOSE, 0, 0))
		return fail(L"PostMessage(WM_CLOSE) failed: %lu", GetLastError());
	return 0;
}

static int write_file(const wchar_t *path, const void *data, DWORD len)
{
	HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
			       FILE_ATTRIBUTE_NORMAL, NULL);
	DWORD done = 0;
	BOOL ok;

	if (h == INVALID_HANDLE_VALUE)
		return fail(L"cannot create %ls: %lu", path, GetLastError());
	ok = WriteFile(h, data, len, &done, NULL) && done == len;
	CloseHandle(h);
	return ok ? 0 : fail(L"cannot write %ls", path);
}

/* Tries for up to 2 s: the Copy handler runs after BM_CLICK was posted, and
 * another process may hold the clipboard open for a moment. */
static int cmd_clipboard(const wchar_t *path)
{
	HANDLE h = NULL;
	const wchar_t *s;
	char *utf8 = NULL;
	int i, n = 0, opened = 0, rc;

	for (i = 0; i < 20 && !utf8; i++) {
		if (i)
			Sleep(100);
		if (!OpenClipboard(NULL))
			continue;
		opened = 1;
		h = GetClipboardData(CF_UNICODETEXT);
		s = h ? GlobalLock(h) : NULL;
		if (s && *s) {
			n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
			if (n > 0 && (utf8 = malloc((size_t)n)))
				WideCharToMultiByte(CP_UTF8, 0, s, -1, utf8, n, NULL, NULL);
		}
		if (s)
			GlobalUnlock(h);
		CloseClipboard();
	}
	if (!opened)
		return fail(L"OpenClipboard failed: %lu", GetLastError());
	if (!h)
		return fail(L"no CF_UNICODETEXT on the clipboard");
	if (!utf8)
		return fail(L"the clipboard text is empty");
	rc = write_file(path, utf8, (DWORD)(n - 1));	/* without the NUL */
	free(utf8);
	return rc;
}

static int cmd_shot(const wchar_t *sub, const wchar_t *path)
{
	HWND w = need_window(sub);
	RECT r;
	int cx, cy, stride, rc = 1;
	HDC screen, mem;
	HBITMAP bmp;
	HGDIOBJ old;
	void *bits = NULL;
	BITMAPINFO bi;
	BITMAPFILEHEADER fh;
	char *file;
	DWORD size;

	if (!w)
		return 1;
	/* On top of everything (no window manager on Xvfb), then repainted. */
	SetWindowPos(w, HWND_TOP, 0, 0, 0, 0,
		     SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE | SWP_SHOWWINDOW);
	RedrawWindow(w, NULL, NULL,
		     RDW_INVALIDATE | RDW_ERASE | RDW_FRAME | RDW_ALLCHILDREN |
		     RDW_UPDATENOW);
	Sleep(300);
	if (!GetWindowRect(w, &r))
		return fail(L"GetWindowRect failed: %lu", GetLastError());
	cx = r.right - r.left;
	cy = r.bottom - r.top;
	if (cx <= 0 || cy <= 0)
		return fail(L"window has no area (%dx%d)", cx, cy);

	memset(&bi, 0, sizeof bi);
	bi.bmiHeader.biSize = sizeof bi.bmiHeader;
	bi.bmiHeader.biWidth = cx;
	bi.bmiHeader.biHeight = cy;	/* bottom-up, as BMP files are */
	bi.bmiHeader.biPlanes = 1;
	bi.bmiHeader.biBitCount = 24;
	bi.bmiHeader.biCompression = BI_RGB;
	stride = (cx * 3 + 3) & ~3;
	bi.bmiHeader.biSizeImage = (DWORD)stride * (DWORD)cy;

	screen = GetDC(NULL);
	mem = CreateCompatibleDC(screen);
	bmp = CreateDIBSection(screen, &bi, DIB_RGB_COLORS, &bits, NULL, 0);
	if (!mem || !bmp || !bits) {
		fail(L"cannot make a %dx%d bitmap", cx, cy);
		goto out;
	}
	old = SelectObject(mem, bmp);
	if (!BitBlt(mem, 0, 0, cx, cy, screen, r.left, r.top, SRCCOPY | CAPTUREBLT)) {
		fail(L"BitBlt from the screen failed: %lu", GetLastError());
		SelectObject(mem, old);
		goto out;
	}
	SelectObject(mem, old);
	GdiFlush();

	memset(&fh, 0, sizeof fh);
	fh.bfType = 0x4d42;	/* "BM" */
	fh.bfOffBits = sizeof fh + sizeof bi.bmiHeader;
	size = fh.bfOffBits + bi.bmiHeader.biSizeImage;
	fh.bfSize = size;
	file = malloc(size);
	if (!file) {
		fail(L"out of memory");
		goto out;
	}
	memcpy(file, &fh, sizeof fh);
	memcpy(file + sizeof fh, &bi.bmiHeader, sizeof bi.bmiHeader);
	memcpy(file + fh.bfOffBits, bits, bi.bmiHeader.biSizeImage);
	rc = write_file(path, file, size);
	free(file);
out:
	if (bmp)
		DeleteObject(bmp);
	if (mem)
		DeleteDC(mem);
	ReleaseDC(NULL, screen);
	return rc;
}

/* Appends one argument, quoted so that CommandLineToArgvW and the CRT give
 * it back unchanged. */
static void append_arg(wchar_t *cmd, const wchar_t *a)
{
	wchar_t *p = cmd + wcslen(cmd);
	size_t bs;

	if (*cmd)
		*p++ = L' ';
	if (*a && !wcspbrk(a, L" \t\n\v\"")) {
		wcscpy(p, a);
		return;
	}
	*p++ = L'"';
	for (;;) {
		for (bs = 0; *a == L'\\'; a++)
			bs++;
		if (!*a) {		/* double them: a quote follows */
			while (bs--) { *p++ = L'\\'; *p++ = L'\\'; }
			break;
		}
		if (*a == L'"') {	/* double them, escape the quote */
			while (bs--) { *p++ = L'\\'; *p++ = L'\\'; }
			*p++ = L'\\';
		} else {
			while (bs--)
				*p++ = L'\\';
		}
		*p++ = *a++;
	}
	*p++ = L'"';
	*p = 0;
}

static int cmd_spawn(DWORD ms, int argc, wchar_t **argv)
{
	size_t len = 1;
	wchar_t *cmd;
	int i;
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	DWORD code = 0, wr;

	for (i = 0; i < argc; i++)
		len += 2 * wcslen(argv[i]) + 3;
	cmd = calloc(len, sizeof(wchar_t));
	if (!cmd)
		return fail(L"out of memory");
	for (i = 0; i < argc; i++)
		append_arg(cmd, argv[i]);

	memset(&si, 0, sizeof si);
	si.cb = sizeof si;
	if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, CREATE_NEW_CONSOLE,
			    NULL, NULL, &si, &pi)) {
		i = fail(L"CreateProcess(%ls) failed: %lu", cmd, GetLastError());
		free(cmd);
		return i;
	}
	free(cmd);
	CloseHandle(pi.hThread);
	outf(L"%lu\n", (unsigned long)pi.dwProcessId);
	wr = WaitForSingleObject(pi.hProcess, ms);
	if (wr == WAIT_OBJECT_0) {
		GetExitCodeProcess(pi.hProcess, &code);
		outf(L"exit %lu\n", (unsigned long)code);
	} else {
		out(L"running\n");
	}
	CloseHandle(pi.hProcess);
	return 0;
}

static int usage(void)
{
	put_utf8(GetStdHandle(STD_ERROR_HANDLE),
		 L"usage: wintool wait TITLE MS | dump TITLE | text TITLE |"
		 L" click TITLE BUTTON | clipboard OUTFILE | shot TITLE OUT.bmp |"
		 L" close TITLE | gone TITLE MS |"
		 L" spawn-newconsole MS EXE [ARGS...]\n", -1);
	return 2;
}

int wmain(int argc, wchar_t **argv)
{
	const wchar_t *c = argc > 1 ? argv[1] : L"";

	if (!wcscmp(c, L"wait") && argc == 4)
		return cmd_wait(argv[2], wcstoul(argv[3], NULL, 10));
	if (!wcscmp(c, L"gone") && argc == 4)
		return cmd_gone(argv[2], wcstoul(argv[3], NULL, 10));
	if (!wcscmp(c, L"dump") && argc == 3)
		return cmd_dump(argv[2]);
	if (!wcscmp(c, L"text") && argc == 3)
		return cmd_text(argv[2]);
	if (!wcscmp(c, L"click") && argc == 4)
		return cmd_click(argv[2], argv[3]);
	if (!wcscmp(c, L"clipboard") && argc == 3)
		return cmd_clipboard(argv[2]);
	if (!wcscmp(c, L"shot") && argc == 4)
		return cmd_shot(argv[2], argv[3]);
	if (!wcscmp(c, L"close") && argc == 3)
		return cmd_close(argv[2]);
	if (!wcscmp(c, L"spawn-newconsole") && argc >= 4)
		return cmd_spawn(wcstoul(argv[2], NULL, 10), argc - 3, argv + 3);
	return usage();
}
