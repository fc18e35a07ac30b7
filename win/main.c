/* main.c - the exe's entry point: DLL search path, Winsock up, arguments to
 * UTF-8, app_main. */
#include "win.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "decide.h"

static void win_say(const char *msg)
{
	plat_write(2, msg, strlen(msg));
}

int wmain(int argc, wchar_t **argv)
{
	char **args;
	int i, rc;

	/* Before anything can load a DLL: the exe is run from a Downloads
	 * folder (and elevated, by the Fix button), where anyone may have left
	 * a ws2_32.dll or version.dll.  Takes the current folder and, where
	 * Windows can, the exe's own folder out of the DLL search path
	 * (win/sysdll.c); the imports are KnownDLLs only. */
	win_dll_harden();
	/* No "insert a disk" dialog boxes from a script run. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (args == NULL) {
		win_say("nattcheck: out of memory\n");
		return EXIT_SYSTEM;
	}
	for (i = 0; i < argc; i++) {
		args[i] = win_to_utf8(argv[i]);
		if (args[i] == NULL) {
			win_say("nattcheck: out of memory\n");
			return EXIT_SYSTEM;
		}
	}
	/* ws2_32.dll from the system folder by its full path, then WSAStartup. */
	if (win_net_start() != PLAT_OK) {
		win_say("nattcheck: ");
		win_say(plat_strerror());
		win_say("\n");
		return EXIT_SYSTEM;
	}
	rc = app_main(argc, args);
	/* A name lookup abandoned at its deadline may still be inside
	 * getaddrinfo; pulling Winsock from under it could crash the exit. */
	if (win_resolver_busy() == 0)
		win_net_stop();
	for (i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	return rc;
}
