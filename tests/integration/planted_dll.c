/* planted_dll.c - for planted.sh, two builds of this file:
 *
 *   (default)          a fake ws2_32.dll, the DLL an attacker leaves in a
 *                      Downloads folder.  When any process loads it, DllMain
 *                      writes planted-marker.txt next to it (the loading
 *                      exe's path inside) and ends the process with exit
 *                      code 99.  It exports WSAStartup so that an exe
 *                      importing it loads without an "entry point not
 *                      found" error first.
 *   -DPLANTED_CONTROL  the control exe: imports ws2_32 statically (as
 *                      nattcheck did before), so a fake ws2_32.dll in its
 *                      folder must catch it - proof that the test can fail.
 *
 * x86_64-w64-mingw32-gcc -shared -o ws2_32.dll planted_dll.c
 *   (i686: add -Wl,--kill-at for an undecorated WSAStartup)
 * x86_64-w64-mingw32-gcc -DPLANTED_CONTROL -o control.exe planted_dll.c -lws2_32 */
#ifdef PLANTED_CONTROL

#include <winsock2.h>
#include <windows.h>

#include <stdio.h>

int main(void)
{
	WSADATA wsa;
	int err = WSAStartup(MAKEWORD(2, 2), &wsa);

	printf("control: WSAStartup = %d (the system's ws2_32.dll)\n", err);
	return err == 0 ? 0 : 1;
}

#else

#define WIN32_LEAN_AND_MEAN /* no winsock.h: this file defines WSAStartup */
#include <windows.h>

#include <string.h>

static void planted_marker(HINSTANCE self)
{
	wchar_t path[MAX_PATH + 32], exe[MAX_PATH];
	char line[3 * MAX_PATH + 64];
	DWORD n = GetModuleFileNameW(self, path, MAX_PATH), done;
	HANDLE h;
	int len;

	if (n == 0 || n >= MAX_PATH)
		return;
	while (n > 0 && path[n - 1] != L'\\' && path[n - 1] != L'/')
		n--;
	wcscpy(path + n, L"planted-marker.txt");
	h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return;
	n = GetModuleFileNameW(NULL, exe, MAX_PATH);
	if (n == 0 || n >= MAX_PATH)
		wcscpy(exe, L"?");
	len = WideCharToMultiByte(CP_UTF8, 0, exe, -1, line, (int)sizeof(line) - 32, NULL, NULL);
	if (len <= 0)
		strcpy(line, "?");
	strcat(line, " loaded the planted DLL\r\n");
	WriteFile(h, line, (DWORD)strlen(line), &done, NULL);
	CloseHandle(h);
}

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	if (reason == DLL_PROCESS_ATTACH) {
		planted_marker(self);
		ExitProcess(99);
	}
	return TRUE;
}

/* What the control exe imports.  Never reached: DllMain ends the process. */
__declspec(dllexport) int WINAPI WSAStartup(WORD version, void *data)
{
	(void)version;
	(void)data;
	return 10091; /* WSASYSNOTREADY */
}

#endif
