/* files.c - result files (atomic replace), reading them back, listing a
 * directory, and the Application event log. */
#include "win.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dir + "\" + name (+ suffix), wide; dir may be a UNC path. */
static wchar_t *win_join(const char *dir, const char *name, const wchar_t *suffix)
{
	wchar_t *wdir = win_to_wide(dir), *wname = win_to_wide(name), *path = NULL;
	size_t ld, ln, ls = suffix != NULL ? wcslen(suffix) : 0;

	if (wdir != NULL && wname != NULL) {
		ld = wcslen(wdir);
		ln = wcslen(wname);
		path = malloc((ld + ln + ls + 2) * sizeof(*path));
	}
	if (path != NULL) {
		memcpy(path, wdir, ld * sizeof(*path));
		if (ld > 0 && wdir[ld - 1] != L'\\' && wdir[ld - 1] != L'/')
			path[ld++] = L'\\';
		memcpy(path + ld, wname, ln * sizeof(*path));
		if (ls > 0)
			memcpy(path + ld + ln, suffix, ls * sizeof(*path));
		path[ld + ln + ls] = 0;
	}
	free(wdir);
	free(wname);
	return path;
}

/* Creates a new temporary file next to the target, "<name>.<pid>-<tick>-<n>.tmp":
 * not *.json, so a collector never picks it up.  Not hidden or temporary:
 * the rename would carry those attributes to the result file. */
static HANDLE win_create_temp(const char *dir, const char *name, wchar_t **tmp)
{
	HANDLE h = INVALID_HANDLE_VALUE;
	wchar_t suffix[48];
	unsigned n;

	*tmp = NULL;
	for (n = 0; n < 100 && h == INVALID_HANDLE_VALUE; n++) {
		_snwprintf(suffix, sizeof(suffix) / sizeof(suffix[0]), L".%lu-%lu-%u.tmp",
			(unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(), n);
		suffix[sizeof(suffix) / sizeof(suffix[0]) - 1] = 0;
		free(*tmp);
		*tmp = win_join(dir, name, suffix);
		if (*tmp == NULL)
			break;
		h = CreateFileW(*tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW,
			FILE_ATTRIBUTE_NORMAL, NULL);
		if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS &&
				GetLastError() != ERROR_ALREADY_EXISTS)
			break;
	}
	return h;
}

static bool win_write_all(HANDLE h, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		DWORD chunk = len > 0x100000 ? 0x100000 : (DWORD)len, done = 0;
		if (!WriteFile(h, p, chunk, &done, NULL) || done == 0)
			return false;
		p += done;
		len -= done;
	}
	return true;
}

/* MoveFileEx fails while a reader holds the target open without
 * FILE_SHARE_DELETE (a collector, an antivirus): retry for about 2 s. */
static DWORD win_replace(const wchar_t *tmp, const wchar_t *path)
{
	DWORD err = ERROR_SUCCESS;
	int i;

	for (i = 0; i < 10; i++) {
		if (MoveFileExW(tmp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
			return ERROR_SUCCESS;
		err = GetLastError();
		if (err != ERROR_SHARING_VIOLATION && err != ERROR_ACCESS_DENIED &&
				err != ERROR_LOCK_VIOLATION)
			break;
		Sleep(50 + 50 * i);
	}
	return err;
}

plat_status plat_file_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
	wchar_t *tmp = NULL, *path = win_join(dir, name, NULL);
	HANDLE h;
	DWORD err = ERROR_SUCCESS;
	plat_status st = PLAT_OK;

	if (path == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	h = win_create_temp(dir, name, &tmp);
	if (h == INVALID_HANDLE_VALUE) {
		st = win_fail(GetLastError(), "cannot create a temporary file in %s", dir);
		goto out;
	}
	if (!win_write_all(h, data, len) || !FlushFileBuffers(h))
		err = GetLastError();
	CloseHandle(h);
	if (err == ERROR_SUCCESS)
		err = win_replace(tmp, path);
	if (err != ERROR_SUCCESS) {
		st = win_fail(err, "cannot write %s\\%s", dir, name);
		DeleteFileW(tmp);
	}
out:
	free(tmp);
	free(path);
	return st;
}

plat_status plat_file_read(const char *path, char *buf, size_t cap, size_t *len)
{
	wchar_t *wpath = win_to_wide(path);
	HANDLE h;
	DWORD hi = 0, lo, got;
	plat_status st = PLAT_OK;

	*len = 0;
	if (wpath == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
		NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	free(wpath);
	if (h == INVALID_HANDLE_VALUE)
		return win_fail(GetLastError(), "cannot open %s", path);
	lo = GetFileSize(h, &hi);
	if (lo == INVALID_FILE_SIZE && GetLastError() != NO_ERROR) {
		st = win_fail(GetLastError(), "cannot read the size of %s", path);
	} else if (hi != 0 || lo > cap) {
		st = win_fail_msg(PLAT_EMSGSIZE, "%s is larger than %lu bytes", path,
			(unsigned long)cap);
	} else {
		while (*len < lo && st == PLAT_OK) {
			if (!ReadFile(h, buf + *len, lo - (DWORD)*len, &got, NULL))
				st = win_fail(GetLastError(), "cannot read %s", path);
			else if (got == 0)
				break;
			*len += got;
		}
	}
	CloseHandle(h);
	return st;
}

/* FindFirstFile matches "*.json" against 8.3 names too: check the suffix. */
static bool win_is_json(const wchar_t *name)
{
	size_t n = wcslen(name);

	return n > 5 && _wcsicmp(name + n - 5, L".json") == 0;
}

plat_status plat_dir_list(const char *dir, void (*fn)(void *ctx, const char *name), void *ctx)
{
	WIN32_FIND_DATAW fd;
	wchar_t *pattern = win_join(dir, "*.json", NULL);
	HANDLE h;
	DWORD err;
	char *name;

	if (pattern == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	h = FindFirstFileW(pattern, &fd);
	free(pattern);
	if (h == INVALID_HANDLE_VALUE) {
		err = GetLastError();
		if (err == ERROR_FILE_NOT_FOUND || err == ERROR_NO_MORE_FILES)
			return PLAT_OK; /* the directory exists, nothing matches */
		return win_fail(err, "cannot list %s", dir);
	}
	do {
		if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || !win_is_json(fd.cFileName))
			continue;
		name = win_to_utf8(fd.cFileName);
		if (name != NULL)
			fn(ctx, name);
		free(name);
	} while (FindNextFileW(h, &fd));
	err = GetLastError();
	FindClose(h);
	if (err != ERROR_NO_MORE_FILES)
		return win_fail(err, "cannot list %s", dir);
	return PLAT_OK;
}

/* The source "nattcheck" is registered by the installer (EventMessageFile =
 * the exe, whose message table win/messages.mc holds "%1" for each ID);
 * unregistered, Windows still logs the text, with a "description not
 * found" preamble. */
plat_status plat_eventlog(int type, uint32_t event_id, const char *text)
{
	static const WORD types[] = { EVENTLOG_INFORMATION_TYPE, EVENTLOG_WARNING_TYPE,
		EVENTLOG_ERROR_TYPE };
	wchar_t *wtext = win_to_wide(text);
	const wchar_t *strings[1];
	HANDLE h;
	plat_status st = PLAT_OK;

	if (wtext == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	if (type < 0 || type > 2)
		type = PLAT_EVENT_ERROR;
	if (wcslen(wtext) > 31000) /* ReportEvent's limit is 31839 characters */
		wtext[31000] = 0;
	h = RegisterEventSourceW(NULL, L"nattcheck");
	if (h == NULL) {
		st = win_fail(GetLastError(), "cannot open the event log");
	} else {
		strings[0] = wtext;
		if (!ReportEventW(h, types[type], 0, event_id, NULL, 1, 0, strings, NULL))
			st = win_fail(GetLastError(), "cannot write event %lu to the event log",
				(unsigned long)event_id);
		DeregisterEventSource(h);
	}
	free(wtext);
	return st;
}
