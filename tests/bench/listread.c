/* listread.c - the floor for `report` (issue 15): a bare Windows program
 * that lists *.json in a folder and reads each file whole, as report does
 * (FindFirstFileW; CreateFileW, GetFileSize, ReadFile into one 256 KB
 * buffer), and prints how many files and bytes.  No parsing, no output
 * beyond that line.
 * Usage: listread.exe DIR */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv)
{
	static char buf[256 * 1024];
	wchar_t pat[MAX_PATH], path[MAX_PATH];
	WIN32_FIND_DATAW fd;
	unsigned long long bytes = 0;
	unsigned long files = 0;
	HANDLE f, h;

	if (argc != 2)
		return 64;
	_snwprintf(pat, MAX_PATH, L"%ls\\*.json", argv[1]);
	f = FindFirstFileW(pat, &fd);
	if (f == INVALID_HANDLE_VALUE)
		return 70;
	do {
		DWORD size, got, done = 0;
		if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
			continue;
		_snwprintf(path, MAX_PATH, L"%ls\\%ls", argv[1], fd.cFileName);
		h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE |
			FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
		if (h == INVALID_HANDLE_VALUE)
			continue;
		size = GetFileSize(h, NULL);
		while (size != INVALID_FILE_SIZE && done < size && size <= sizeof(buf) &&
		       ReadFile(h, buf + done, size - done, &got, NULL) && got > 0)
			done += got;
		CloseHandle(h);
		files++;
		bytes += done;
	} while (FindNextFileW(f, &fd));
	FindClose(f);
	printf("%lu files, %llu bytes\n", files, bytes);
	return 0;
}
