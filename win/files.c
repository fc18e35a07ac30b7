/* files.c - result files (atomic replace), reading them back, listing a
 * directory, and the Application event log. */
#include "win.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dir + "\" + name + suffix (UTF-8; no "\" added when dir ends with a
 * separator); dir may be a UNC path.  malloc'd, or NULL. */
static char *win_join(const char *dir, const char *name, const char *suffix)
{
	size_t ld = strlen(dir), ln = strlen(name), ls = suffix != NULL ? strlen(suffix) : 0;
	size_t sep = ld > 0 && dir[ld - 1] != '\\' && dir[ld - 1] != '/' ? 1 : 0;
	char *path = malloc(ld + sep + ln + ls + 1);

	if (path != NULL) {
		memcpy(path, dir, ld);
		if (sep)
			path[ld] = '\\';
		memcpy(path + ld + sep, name, ln);
		if (ls > 0)
			memcpy(path + ld + sep + ln, suffix, ls);
		path[ld + sep + ln + ls] = 0;
	}
	return path;
}

/* The same, wide, for the *W functions. */
static wchar_t *win_join_wide(const char *dir, const char *name, const char *suffix)
{
	char *path = win_join(dir, name, suffix);
	wchar_t *wpath = path != NULL ? win_to_wide(path) : NULL;

	free(path);
	return wpath;
}

/* Creates a new temporary file next to the target, "<name>.<pid>-<tick>-<n>.tmp":
 * not *.json, so a collector never picks it up.  Not hidden or temporary:
 * the rename would carry those attributes to the result file. */
static HANDLE win_create_temp(const char *dir, const char *name, wchar_t **tmp)
{
	HANDLE h = INVALID_HANDLE_VALUE;
	char suffix[48];
	unsigned n;

	*tmp = NULL;
	for (n = 0; n < 100 && h == INVALID_HANDLE_VALUE; n++) {
		snprintf(suffix, sizeof(suffix), ".%lu-%lu-%u.tmp",
			(unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(), n);
		free(*tmp);
		*tmp = win_join_wide(dir, name, suffix);
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
	wchar_t *tmp = NULL, *path = win_join_wide(dir, name, NULL);
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

plat_status plat_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len)
{
	char *path = win_join(dir, name, NULL);
	wchar_t *wpath = path != NULL ? win_to_wide(path) : NULL;
	HANDLE h = INVALID_HANDLE_VALUE;
	DWORD hi = 0, lo, got;
	plat_status st = PLAT_OK;

	*len = 0;
	if (wpath == NULL) {
		st = win_fail_msg(PLAT_ESYS, "out of memory");
		goto out;
	}
	h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
		NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		st = win_fail(GetLastError(), "cannot open %s", path);
		goto out;
	}
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
out:
	free(wpath);
	free(path);
	return st;
}

/* Every regular file, by its long name: which names matter (*.json for
 * `report`) is the core's to decide. */
plat_status plat_dir_list(const char *dir, void (*fn)(void *ctx, const char *name), void *ctx)
{
	WIN32_FIND_DATAW fd;
	wchar_t *pattern = win_join_wide(dir, "*", NULL);
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
			return PLAT_OK; /* the directory exists and is empty (a drive's root) */
		return win_fail(err, "cannot list %s", dir);
	}
	do {
		if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
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
