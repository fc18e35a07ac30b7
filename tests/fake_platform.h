/* fake_platform.h - control of the fake machine that stands in for win/ in
 * unit tests: registry, OS version, rights, services, output capture. */
#ifndef NATTCHECK_FAKE_PLATFORM_H
#define NATTCHECK_FAKE_PLATFORM_H

#include "platform.h"
#include "strbuf.h"

void fake_reset(void);                 /* empty registry, Windows 10, admin */
void fake_set_os(uint32_t major, uint32_t minor, uint32_t build, uint32_t sp, bool server,
	bool os64);
void fake_set_admin(bool admin);
void fake_set_svc(const char *name, plat_svc_state st);
void fake_set_times(uint64_t boot, uint64_t now); /* FILETIME units */
/* Every registry write/delete after this fails with st (PLAT_OK to stop). */
void fake_reg_fail_writes(plat_status st);
/* The nth (1-based) write from now fails with PLAT_ESYS; 0 disables. */
void fake_reg_fail_nth_write(int n);
void fake_reg_put(const char *key, const char *name, uint32_t type, const void *data,
	uint32_t size);
void fake_reg_put_dword(const char *key, const char *name, uint32_t v);
bool fake_reg_lookup(const char *key, const char *name, plat_reg_value *out);
int fake_reg_writes(void);             /* writes and deletes so far */
/* A canonical dump of the whole registry, for before/after comparisons. */
void fake_reg_dump(strbuf *sb);
const char *fake_stdout(void);
const char *fake_stderr(void);
void fake_output_clear(void);
/* Files: an in-memory folder tree; a file is its dir and its name. */
void fake_files_reset(void);
void fake_dir_exists(bool exists);
void fake_file_put(const char *dir, const char *name, const char *data, size_t len);
const char *fake_file_get(const char *dir, const char *name);
/* Reading dir/name fails with st (PLAT_OK: reads again), as Windows says
 * it: "<path>: Access is denied. (0x00000005)" for PLAT_EACCES. */
void fake_file_fail(const char *dir, const char *name, plat_status st);
/* Phonebooks (PLAT_PBK_ALL_USERS / PLAT_PBK_USER): INI text; absent until
 * put; a scope can fail to read with st; no folder at all. */
void fake_pbk_put(int scope, const char *ini);
void fake_pbk_fail(int scope, plat_status st);
void fake_pbk_no_folder(bool none);
/* The desktop: plat_ui_interactive / plat_console_own answers (both false
 * after fake_reset); how many windows were shown, and the last one's text:
 * 't'itle, 'h'eadline, 'b'ody, 'c'opy, 'f'ix arguments (space-separated). */
void fake_ui_set(bool interactive, bool console_own);
/* plat_is_console's answer for every fd (false after fake_reset). */
void fake_console_set(bool is_console);
int fake_ui_shown(void);
const char *fake_ui_text(char what);
/* NATTCHECK_PSK's value (NULL: unset) and standard input (NULL: none). */
void fake_env_psk(const char *value, size_t len);
void fake_stdin(const char *data, size_t len);
int fake_event_count(void);
uint32_t fake_event_id(void);
int fake_event_type(void);
const char *fake_event_text(void);
#endif
