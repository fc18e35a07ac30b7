/* psk.h - the connection's pre-shared key, kept secret.  It comes from a
 * file (its first line), from standard input (`--psk -`) or from the
 * environment variable NATTCHECK_PSK - never from the command line, which
 * process lists and script logs show.  It is never printed, logged or put
 * in JSON, and psk_wipe() overwrites it when the run is done with it. */
#ifndef NATTCHECK_PSK_H
#define NATTCHECK_PSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Windows keeps at most 256 characters; in UTF-8 up to 4 bytes each. */
#define PSK_MAX_CHARS 256
#define PSK_MAX (PSK_MAX_CHARS * 4)
#define PSK_ENV "NATTCHECK_PSK"

typedef enum psk_source { PSK_FROM_NONE = 0, PSK_FROM_FILE, PSK_FROM_STDIN, PSK_FROM_ENV } psk_source;

typedef struct psk {
	uint8_t key[PSK_MAX];
	size_t len;            /* 0: no key */
	psk_source from;
} psk;

/* Reads the key from src (path: the file for PSK_FROM_FILE).  False with a
 * message in err naming the source and what is wrong - an unreadable file,
 * an empty key, a NUL byte, not UTF-8, too long - never the key itself;
 * *out is then wiped. */
bool psk_read(psk_source src, const char *path, psk *out, strbuf *err);
void psk_wipe(psk *k);
/* Whether the environment variable NATTCHECK_PSK is set (even empty). */
bool psk_env_set(void);
#endif
