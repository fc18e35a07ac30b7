/* window.c - the answer in a window, for the person who double-clicked the
 * exe: plain user32 (a top-level window with a headline, the details in a
 * read-only edit box, and Fix / Copy / Close), the same on XP and 11.  And
 * the two questions asked before: is a person there to click it, and was
 * the exe started on a console of its own. */
#include "win.h"

#include <shellapi.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- when ------------------------------------------------------------------ */

bool plat_console_own(void)
{
	DWORD pids[4], mode;
	HWND con;

	/* Explorer gives a double-clicked console program a new console with
	 * one process on it, shown; cmd, PowerShell or a script share theirs,
	 * a service or a hidden start has none or an invisible one, and output
	 * to a file or pipe is not the console. */
	if (GetConsoleProcessList(pids, 4) != 1)
		return false;
	if (!GetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), &mode))
		return false;
	con = GetConsoleWindow();
	return con != NULL && IsWindowVisible(con);
}

static bool win_is_system(void)
{
	SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
	PSID sys = NULL;
	HANDLE tok = NULL;
	union { TOKEN_USER tu; BYTE raw[256]; } u;
	DWORD len = 0;
	bool is = false;

	if (!AllocateAndInitializeSid(&nt, 1, SECURITY_LOCAL_SYSTEM_RID, 0, 0, 0, 0, 0, 0, 0,
			&sys))
		return false;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
		if (GetTokenInformation(tok, TokenUser, &u, sizeof(u), &len))
			is = EqualSid(u.tu.User.Sid, sys) != FALSE;
		CloseHandle(tok);
	}
	FreeSid(sys);
	return is;
}

bool plat_ui_interactive(void)
{
	USEROBJECTFLAGS f;
	HWINSTA ws = GetProcessWindowStation();
	DWORD sess = 0;
	OSVERSIONINFOW vi;

	/* A service's window station is invisible: no one sees a window. */
	if (ws == NULL || !GetUserObjectInformationW(ws, UOI_FLAGS, &f, sizeof(f), NULL) ||
	    !(f.dwFlags & WSF_VISIBLE))
		return false;
	/* Vista and later: session 0 is for services only. */
	memset(&vi, 0, sizeof(vi));
	vi.dwOSVersionInfoSize = sizeof(vi);
	if (GetVersionExW(&vi) && vi.dwMajorVersion >= 6 &&
	    ProcessIdToSessionId(GetCurrentProcessId(), &sess) && sess == 0)
		return false;
	/* SCCM, Intune and scheduled tasks run as SYSTEM. */
	return !win_is_system();
}

/* ---- the window -------------------------------------------------------------- */

enum { ID_HEADLINE = 100, ID_BODY, ID_STATUS, ID_FIX, ID_COPY, ID_CLOSE = IDCANCEL };

typedef struct ui_state {
	const plat_ui *ui;
	HWND wnd, headline, body, status, fix, copy, close;
	HFONT font, bold;
	bool busy;
} ui_state;

static void set_text(HWND w, const char *utf8)
{
	wchar_t *t = win_to_wide(utf8);

	if (t != NULL)
		SetWindowTextW(w, t);
	free(t);
}

static void ui_copy(ui_state *s)
{
	wchar_t *t = win_to_wide(s->ui->copy);
	size_t bytes = t != NULL ? (wcslen(t) + 1) * sizeof(wchar_t) : 0;
	HGLOBAL mem = bytes ? GlobalAlloc(GMEM_MOVEABLE, bytes) : NULL;
	void *p = mem != NULL ? GlobalLock(mem) : NULL;
	bool ok = false;

	if (p != NULL) {
		memcpy(p, t, bytes);
		GlobalUnlock(mem);
		if (OpenClipboard(s->wnd)) {
			EmptyClipboard();
			ok = SetClipboardData(CF_UNICODETEXT, mem) != NULL;
			CloseClipboard();
		}
	}
	if (!ok && mem != NULL)
		GlobalFree(mem); /* the clipboard did not take it */
	free(t);
	set_text(s->status, ok ? "Copied: paste it into your message to the helpdesk." :
		"Could not copy to the clipboard; select the text above and press Ctrl+C.");
}

/* "arg" quoted for CommandLineToArgvW and the C runtime's parser. */
static void quote_arg(wchar_t *dst, size_t cap, size_t *len, const wchar_t *arg)
{
	size_t n = *len, bs = 0;

	if (n + 1 < cap)
		dst[n++] = L' ';
	if (n + 1 < cap)
		dst[n++] = L'"';
	for (const wchar_t *p = arg; *p && n + 4 < cap; p++) {
		if (*p == L'\\') {
			bs++;
		} else {
			if (*p == L'"')
				for (size_t k = 0; k <= bs && n + 4 < cap; k++)
					dst[n++] = L'\\';
			bs = 0;
		}
		dst[n++] = *p;
	}
	for (size_t k = 0; k < bs && n + 3 < cap; k++)
		dst[n++] = L'\\';
	if (n + 1 < cap)
		dst[n++] = L'"';
	dst[n] = 0;
	*len = n;
}

/* Waits for the Fix run while the window keeps painting; its exit code,
 * or -1 if it did not end within two minutes. */
static int wait_pumping(HANDLE proc)
{
	DWORD start = GetTickCount(), rc = 0;
	MSG m;

	while (GetTickCount() - start < 120000) {
		DWORD w = MsgWaitForMultipleObjects(1, &proc, FALSE, 200, QS_ALLINPUT);
		if (w == WAIT_OBJECT_0)
			return GetExitCodeProcess(proc, &rc) ? (int)rc : -1;
		while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
			TranslateMessage(&m);
			DispatchMessageW(&m);
		}
	}
	return -1;
}

/* Fix: `nattcheck fix SERVER --auth X --quiet` as administrator: at once
 * when this run is one already (an administrator on XP, an elevated
 * prompt), else through the UAC prompt ("runas"; on XP the Run As dialog). */
static void ui_fix(ui_state *s)
{
	wchar_t exe[MAX_PATH + 1], params[1200];
	size_t len = 0;
	bool admin = false;
	HANDLE proc = NULL;
	int rc = -1;

	params[0] = 0;
	for (size_t i = 0; i < s->ui->nfix; i++) {
		wchar_t *a = win_to_wide(s->ui->fix_args[i]);
		if (a != NULL)
			quote_arg(params, sizeof(params) / sizeof(params[0]), &len, a);
		free(a);
	}
	quote_arg(params, sizeof(params) / sizeof(params[0]), &len, L"--quiet");
	if (GetModuleFileNameW(NULL, exe, MAX_PATH) == 0)
		goto said;
	exe[MAX_PATH] = 0;
	s->busy = true;
	EnableWindow(s->fix, FALSE);
	set_text(s->status, "Fixing... (Windows may ask for permission)");
	if (plat_is_admin(&admin) == PLAT_OK && admin) {
		size_t el = wcslen(exe);
		wchar_t *cmd = malloc((el + len + 4) * sizeof(wchar_t));
		STARTUPINFOW si;
		PROCESS_INFORMATION pi;

		memset(&si, 0, sizeof(si));
		si.cb = sizeof(si);
		if (cmd != NULL) {
			cmd[0] = L'"';
			memcpy(cmd + 1, exe, el * sizeof(wchar_t));
			cmd[el + 1] = L'"';
			memcpy(cmd + el + 2, params, (len + 1) * sizeof(wchar_t));
			if (CreateProcessW(exe, cmd, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL,
					NULL, &si, &pi)) {
				CloseHandle(pi.hThread);
				proc = pi.hProcess;
			}
			free(cmd);
		}
	} else {
		SHELLEXECUTEINFOW sei;

		memset(&sei, 0, sizeof(sei));
		sei.cbSize = sizeof(sei);
		sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_FLAG_NO_UI;
		sei.hwnd = s->wnd;
		sei.lpVerb = L"runas";
		sei.lpFile = exe;
		sei.lpParameters = params + 1; /* without the leading space */
		sei.nShow = SW_HIDE;
		if (ShellExecuteExW(&sei))
			proc = sei.hProcess; /* NULL if cancelled */
	}
	if (proc != NULL) {
		rc = wait_pumping(proc);
		CloseHandle(proc);
	}
	s->busy = false;
said:
	set_text(s->status, s->ui->fix_said(rc));
	/* Done, or nothing to do: Fix has nothing more to offer. */
	EnableWindow(s->fix, rc == -1);
}

static void ui_layout(ui_state *s)
{
	RECT r;
	int w, h, m = 10, bh = 28, bw = 100;

	GetClientRect(s->wnd, &r);
	w = r.right, h = r.bottom;
	MoveWindow(s->headline, m, m, w - 2 * m, 44, TRUE);
	MoveWindow(s->body, m, m + 50, w - 2 * m, h - 50 - 2 * m - bh - 36, TRUE);
	MoveWindow(s->status, m, h - m - bh - 30, w - 2 * m, 26, TRUE);
	MoveWindow(s->close, w - m - bw, h - m - bh, bw, bh, TRUE);
	MoveWindow(s->copy, w - 2 * (m + bw), h - m - bh, bw, bh, TRUE);
	if (s->fix != NULL)
		MoveWindow(s->fix, w - 3 * (m + bw), h - m - bh, bw, bh, TRUE);
}

static HWND child(ui_state *s, const wchar_t *cls, const wchar_t *text, DWORD style, int id)
{
	HWND c = CreateWindowExW(cls[0] == L'E' ? WS_EX_CLIENTEDGE : 0, cls, text,
		WS_CHILD | WS_VISIBLE | style, 0, 0, 10, 10, s->wnd, (HMENU)(INT_PTR)id,
		GetModuleHandleW(NULL), NULL);

	if (c != NULL)
		SendMessageW(c, WM_SETFONT, (WPARAM)(id == ID_HEADLINE ? s->bold : s->font), FALSE);
	return c;
}

static LRESULT CALLBACK ui_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
	ui_state *s = (ui_state *)GetWindowLongPtrW(w, GWLP_USERDATA);

	switch (msg) {
	case WM_CREATE:
		s = ((CREATESTRUCTW *)lp)->lpCreateParams;
		SetWindowLongPtrW(w, GWLP_USERDATA, (LONG_PTR)s);
		s->wnd = w;
		s->headline = child(s, L"STATIC", L"", SS_LEFT, ID_HEADLINE);
		s->body = child(s, L"EDIT", L"", WS_VSCROLL | WS_TABSTOP | ES_MULTILINE |
			ES_READONLY | ES_AUTOVSCROLL, ID_BODY);
		s->status = child(s, L"STATIC", L"", SS_LEFT, ID_STATUS);
		if (s->ui->nfix)
			s->fix = child(s, L"BUTTON", L"&Fix", WS_TABSTOP | BS_DEFPUSHBUTTON, ID_FIX);
		s->copy = child(s, L"BUTTON", L"&Copy", WS_TABSTOP | BS_PUSHBUTTON, ID_COPY);
		s->close = child(s, L"BUTTON", L"C&lose", WS_TABSTOP | (s->ui->nfix ?
			BS_PUSHBUTTON : BS_DEFPUSHBUTTON), ID_CLOSE);
		if (!s->headline || !s->body || !s->status || !s->copy || !s->close ||
		    (s->ui->nfix && !s->fix))
			return -1;
		set_text(s->headline, s->ui->headline);
		set_text(s->body, s->ui->body);
		ui_layout(s);
		SetFocus(s->fix != NULL ? s->fix : s->close);
		return 0;
	case WM_SIZE:
		if (s != NULL)
			ui_layout(s);
		return 0;
	case WM_GETMINMAXINFO:
		((MINMAXINFO *)lp)->ptMinTrackSize.x = 420;
		((MINMAXINFO *)lp)->ptMinTrackSize.y = 260;
		return 0;
	case WM_CTLCOLORSTATIC:
		/* The read-only edit box keeps a white background. */
		if (s != NULL && (HWND)lp == s->body)
			return (LRESULT)GetSysColorBrush(COLOR_WINDOW);
		break;
	case WM_COMMAND:
		if (s == NULL || s->busy)
			return 0;
		switch (LOWORD(wp)) {
		case ID_FIX: ui_fix(s); return 0;
		case ID_COPY: ui_copy(s); return 0;
		case ID_CLOSE: DestroyWindow(w); return 0;
		}
		break;
	case WM_CLOSE:
		if (s == NULL || !s->busy)
			DestroyWindow(w);
		return 0;
	case WM_DESTROY:
		PostQuitMessage(0);
		return 0;
	}
	return DefWindowProcW(w, msg, wp, lp);
}

plat_status plat_ui_show(const plat_ui *ui)
{
	static const wchar_t cls[] = L"nattcheckResult";
	WNDCLASSEXW wc;
	ui_state s;
	NONCLIENTMETRICSW ncm;
	LOGFONTW lf;
	wchar_t *title = win_to_wide(ui->title);
	MSG m;

	memset(&s, 0, sizeof(s));
	s.ui = ui;
	memset(&ncm, 0, sizeof(ncm));
	/* The size XP knows (Vista added a field). */
	ncm.cbSize = offsetof(NONCLIENTMETRICSW, lfMessageFont) + sizeof(LOGFONTW);
	if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, ncm.cbSize, &ncm, 0))
		s.font = CreateFontIndirectW(&ncm.lfMessageFont);
	if (s.font == NULL)
		s.font = (HFONT)GetStockObject(DEFAULT_GUI_FONT);
	if (GetObjectW(s.font, sizeof(lf), &lf)) {
		lf.lfWeight = FW_BOLD;
		s.bold = CreateFontIndirectW(&lf);
	}
	if (s.bold == NULL)
		s.bold = s.font;
	memset(&wc, 0, sizeof(wc));
	wc.cbSize = sizeof(wc);
	wc.lpfnWndProc = ui_proc;
	wc.hInstance = GetModuleHandleW(NULL);
	wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
	wc.hIcon = LoadIconW(NULL, (LPCWSTR)IDI_INFORMATION);
	wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
	wc.lpszClassName = cls;
	RegisterClassExW(&wc);
	s.wnd = CreateWindowExW(WS_EX_APPWINDOW, cls, title != NULL ? title : L"nattcheck",
		WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT, 640, 460, NULL, NULL,
		wc.hInstance, &s);
	free(title);
	if (s.wnd == NULL)
		return win_fail_msg(PLAT_EUNSUPP, "no window can be shown here");
	/* Double-clicked: the console Windows made for us has said its piece;
	 * the window is the answer now (the console goes when we exit). */
	if (plat_console_own())
		ShowWindow(GetConsoleWindow(), SW_HIDE);
	ShowWindow(s.wnd, SW_SHOWNORMAL);
	SetForegroundWindow(s.wnd);
	while (GetMessageW(&m, NULL, 0, 0) > 0) {
		if (!IsDialogMessageW(s.wnd, &m)) {
			TranslateMessage(&m);
			DispatchMessageW(&m);
		}
	}
	if (s.bold != s.font)
		DeleteObject(s.bold);
	return PLAT_OK;
}
