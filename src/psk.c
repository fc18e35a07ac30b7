/* psk.c - reading the pre-shared key without ever showing it. */
#include "psk.h"

#include <stdio.h>
#include <string.h>

#include "platform.h"

/* The largest key file read: a key is one line, but a file may hold a
 * trailing comment line or a byte order mark. */
#define PSK_FILE_MAX 4096

static bool utf8_ok(const uint8_t *s, size_t n, size_t *chars)
{
	size_t i = 0;

	*chars = 0;
	while (i < n) {
		uint8_t c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 :
			   (c & 0xF8) == 0xF0 ? 3 : 4;

		if (k == 4 || (k == 1 && c < 0xC2) || (k == 3 && c > 0xF4) || i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
		(*chars)++;
	}
	return true;
}

static void source_name(psk_source src, const char *path, char *buf, size_t cap)
{
	if (src == PSK_FROM_FILE)
		snprintf(buf, cap, "the key file %s", path ? path : "");
	else
		snprintf(buf, cap, "%s", src == PSK_FROM_STDIN ? "the key on standard input" :
			"the key in " PSK_ENV);
}

/* The first line of raw[0..n), line end and a UTF-8 byte order mark
 * stripped, checked and kept in out. */
static bool take_line(const uint8_t *raw, size_t n, const char *what, psk *out, strbuf *err)
{
	size_t len = 0, chars = 0;

	if (n >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
		raw += 3;
		n -= 3;
	}
	while (len < n && raw[len] != '\n' && raw[len] != '\r')
		len++;
	if (len == 0) {
		sb_addf(err, "%s is empty", what);
		return false;
	}
	if (memchr(raw, 0, len) != NULL) {
		sb_addf(err, "%s contains a NUL byte", what);
		return false;
	}
	if (!utf8_ok(raw, len, &chars)) {
		sb_addf(err, "%s is not UTF-8 text", what);
		return false;
	}
	if (chars > PSK_MAX_CHARS || len > PSK_MAX) {
		sb_addf(err, "%s is longer than %d characters (Windows keeps at most %d)", what,
			PSK_MAX_CHARS, PSK_MAX_CHARS);
		return false;
	}
	memcpy(out->key, raw, len);
	out->len = len;
	return true;
}

/* "C:\keys\vpn.txt" -> folder "C:\keys", name "vpn.txt"; no folder: ".". */
static void split_path(const char *path, char *dir, size_t dcap, const char **name)
{
	const char *slash = NULL;

	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			slash = p;
	if (slash == NULL) {
		snprintf(dir, dcap, ".");
		*name = path;
		return;
	}
	snprintf(dir, dcap, "%.*s", (int)(slash - path + (slash == path || slash[-1] == ':')),
		path);
	*name = slash + 1;
}

bool psk_read(psk_source src, const char *path, psk *out, strbuf *err)
{
	static uint8_t raw[PSK_FILE_MAX];
	char what[320], dir[300];
	const char *name = NULL;
	size_t n = 0;
	plat_status st;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	source_name(src, path, what, sizeof(what));
	switch (src) {
	case PSK_FROM_FILE:
		split_path(path, dir, sizeof(dir), &name);
		st = plat_file_read(dir, name, (char *)raw, sizeof(raw), &n);
		if (st == PLAT_EMSGSIZE)
			sb_addf(err, "%s is larger than %d bytes: not a key file", what, PSK_FILE_MAX);
		else if (st != PLAT_OK)
			sb_addf(err, "cannot read %s: %s", what, plat_strerror());
		break;
	case PSK_FROM_STDIN:
		st = plat_stdin_line((char *)raw, sizeof(raw), &n);
		if (st != PLAT_OK)
			sb_addf(err, "cannot read %s: %s", what, st == PLAT_EMSGSIZE ?
				"the line is too long" : plat_strerror());
		break;
	case PSK_FROM_ENV:
		st = plat_env_get(PSK_ENV, (char *)raw, sizeof(raw), &n);
		if (st == PLAT_ENOTFOUND)
			sb_addf(err, "%s is not set", PSK_ENV);
		else if (st != PLAT_OK)
			sb_addf(err, "cannot read %s: %s", what, st == PLAT_EMSGSIZE ?
				"it is too long" : plat_strerror());
		break;
	default:
		sb_add(err, "no key source");
		st = PLAT_ESYS;
		break;
	}
	if (st == PLAT_OK)
		ok = take_line(raw, n, what, out, err);
	out->from = ok ? src : PSK_FROM_NONE;
	plat_wipe(raw, sizeof(raw));
	if (!ok)
		psk_wipe(out);
	return ok;
}

void psk_wipe(psk *k)
{
	plat_wipe(k->key, sizeof(k->key));
	k->len = 0;
	k->from = PSK_FROM_NONE;
}

bool psk_env_set(void)
{
	char b[2];
	size_t n = 0;
	plat_status st = plat_env_get(PSK_ENV, b, sizeof(b), &n);

	plat_wipe(b, sizeof(b));
	return st != PLAT_ENOTFOUND;
}
