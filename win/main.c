/* main.c - the exe's entry point: Winsock up, arguments to UTF-8, app_main. */
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
	WSADATA wsa;
	char **args;
	int i, rc, err;

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
	err = WSAStartup(MAKEWORD(2, 2), &wsa);
	if (err != 0) {
		win_fail((unsigned long)err, "nattcheck: cannot start Winsock 2.2");
		win_say(plat_strerror());
		win_say("\n");
		return EXIT_SYSTEM;
	}
	rc = app_main(argc, args);
	/* A name lookup abandoned at its deadline may still be inside
	 * getaddrinfo; pulling Winsock from under it could crash the exit. */
	if (win_resolver_busy() == 0)
		WSACleanup();
	for (i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	return rc;
}
