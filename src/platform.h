/* platform.h - the one interface between the portable core (src/) and the OS.
 *
 * win/ implements it with Win32 and Winsock; tests/fake_platform.c fakes it.
 * Nothing else in src/ knows which OS it runs on.  All strings are UTF-8.
 * Every function that can fail returns a plat_status; on failure the platform
 * keeps a human-readable description in plat_strerror() ("what: system text
 * (0x%08lx)"), valid until the next failing call. */
#ifndef NATTCHECK_PLATFORM_H
#define NATTCHECK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum plat_status {
	PLAT_OK = 0,
	PLAT_EAGAIN,      /* nothing yet (non-blocking receive, resolver busy) */
	PLAT_ENOTFOUND,   /* key, value, service or name does not exist */
	PLAT_EACCES,      /* access denied */
	PLAT_EUNREACH,    /* ICMP unreachable reported for a UDP socket */
	PLAT_EMSGSIZE,    /* datagram larger than the buffer; it was dropped */
	PLAT_EUNSUPP,     /* not supported on this OS (e.g. SHA-256 on XP SP2) */
	PLAT_ESYS,        /* any other system error; see plat_strerror() */
} plat_status;

const char *plat_strerror(void);

/* ---- output ---------------------------------------------------------- */
/* fd 1 = stdout, 2 = stderr.  Console: converted for display; file/pipe:
 * the UTF-8 bytes as they are. */
void plat_write(int fd, const char *utf8, size_t len);

/* ---- is an output a console ------------------------------------------- */
/* Whether fd (1 stdout, 2 stderr) is a console a person watches, not a
 * file or pipe: where a progress line belongs. */
bool plat_is_console(int fd);

/* ---- time, randomness, hashing -------------------------------------- */
uint64_t plat_now_ms(void); /* monotonic milliseconds, arbitrary origin */
plat_status plat_random(void *buf, size_t len);

/* Values are the IKEv1 hash attribute numbers (RFC 2409 appendix A). */
enum plat_hash_alg { PLAT_HASH_MD5 = 1, PLAT_HASH_SHA1 = 2, PLAT_HASH_SHA256 = 4,
	PLAT_HASH_SHA384 = 5, PLAT_HASH_SHA512 = 6 };
#define PLAT_HASH_MAX 64
/* out must hold PLAT_HASH_MAX bytes; *outlen receives the digest length. */
plat_status plat_hash(int alg, const void *data, size_t len, uint8_t *out, size_t *outlen);

/* HMAC (RFC 2104) with one of those hashes: IKEv1's prf. */
plat_status plat_hmac(int alg, const void *key, size_t klen, const void *data, size_t len,
	uint8_t *out, size_t *outlen);
/* CBC encryption or decryption in place, no padding (len a multiple of the
 * block: 8 for 3DES, 16 for AES).  Values are the IKEv1 cipher attribute
 * numbers; klen 24 for 3DES, 16/24/32 for AES.  PLAT_EUNSUPP where this
 * Windows cannot (AES on XP before SP3 without the AES provider). */
enum plat_cipher_alg { PLAT_CIPHER_3DES = 5, PLAT_CIPHER_AES = 7 };
#define PLAT_CIPHER_BLOCK_MAX 16
plat_status plat_cbc(int alg, const uint8_t *key, size_t klen,
	const uint8_t iv[PLAT_CIPHER_BLOCK_MAX], bool encrypt, uint8_t *data, size_t len);
/* Overwrites a secret (the key, DH private values) so that the compiler
 * cannot drop it as a dead store. */
void plat_wipe(void *p, size_t len);

/* ---- secrets from outside the command line ------------------------------ */
/* An environment variable's value (UTF-8); PLAT_ENOTFOUND when unset,
 * PLAT_EMSGSIZE when longer than cap - 1. */
plat_status plat_env_get(const char *name, char *buf, size_t cap, size_t *len);
/* The first line of standard input, without its line end, at most cap - 1
 * bytes (PLAT_EMSGSIZE beyond); from a console without echo. */
plat_status plat_stdin_line(char *buf, size_t cap, size_t *len);

/* ---- this machine ----------------------------------------------------- */
typedef struct plat_os {
	uint32_t major, minor, build;
	uint32_t sp_major, sp_minor;  /* service pack */
	bool server;                  /* product type is not workstation */
	bool os64;                    /* 64-bit Windows (native or under WOW64) */
	char csd[64];                 /* "Service Pack 2" or "" */
} plat_os;
plat_status plat_os_get(plat_os *out);
plat_status plat_hostname(char *buf, size_t cap); /* NetBIOS computer name */
plat_status plat_is_admin(bool *admin);           /* elevated administrator */

typedef enum plat_svc_state {
	PLAT_SVC_NOT_FOUND = 0, PLAT_SVC_RUNNING, PLAT_SVC_STOPPED, PLAT_SVC_DISABLED,
	PLAT_SVC_UNKNOWN,
} plat_svc_state;
plat_svc_state plat_svc_state_get(const char *name);

/* FILETIME units: 100 ns since 1601-01-01 UTC. */
plat_status plat_boot_time(uint64_t *filetime);
plat_status plat_system_time(uint64_t *filetime);

/* ---- registry (always HKLM, always the 64-bit view on 64-bit Windows) - */
/* key: a path below HKLM, e.g. "SYSTEM\\CurrentControlSet\\Services\\IPSec".
 * type: the Win32 REG_* number (REG_SZ 1, REG_BINARY 3, REG_DWORD 4, ...). */
#define PLAT_REG_DATA_MAX 512
/* The registry value types this interface speaks in: the Win32 REG_*
 * numbers, so win/ passes them through unchanged. */
enum plat_reg_type {
	REG_T_NONE = 0, REG_T_SZ = 1, REG_T_EXPAND_SZ = 2, REG_T_BINARY = 3,
	REG_T_DWORD = 4, REG_T_DWORD_BE = 5, REG_T_MULTI_SZ = 7, REG_T_QWORD = 11,
};
typedef struct plat_reg_value {
	bool present;
	uint32_t type;
	uint32_t size;                    /* true size, may exceed the copy */
	uint8_t data[PLAT_REG_DATA_MAX];  /* first min(size, MAX) bytes */
} plat_reg_value;
/* A missing key or value is PLAT_OK with present = false. */
plat_status plat_reg_get(const char *key, const char *name, plat_reg_value *out);
/* Creates the key if needed. */
plat_status plat_reg_set(const char *key, const char *name, uint32_t type,
	const void *data, uint32_t size);
/* Deleting a value (or key) that does not exist is PLAT_OK. */
plat_status plat_reg_delete(const char *key, const char *name);
plat_status plat_reg_delete_key(const char *key);
/* Last write time of the key; PLAT_ENOTFOUND if it does not exist. */
plat_status plat_reg_key_time(const char *key, uint64_t *filetime);

/* A machine-wide lock serialising registry changes between concurrent
 * nattcheck runs; waits at most timeout_ms. */
plat_status plat_lock(uint32_t timeout_ms);
void plat_unlock(void);

/* ---- network --------------------------------------------------------- */
typedef struct plat_addr {
	uint8_t family;      /* 4 or 6 */
	uint8_t addr[16];    /* IPv4 in the first 4 bytes, network order */
	uint16_t port;       /* host order */
	uint32_t scope_id;   /* IPv6 zone, 0 if none */
} plat_addr;

/* Name resolution runs in the background so the caller can keep a deadline.
 * plat_resolve_poll: PLAT_EAGAIN while running; PLAT_OK with *n >= 1;
 * PLAT_ENOTFOUND when the name does not resolve.  plat_resolve_free may be
 * called while the lookup is still running (the worker is abandoned). */
typedef struct plat_resolver plat_resolver;
plat_status plat_resolve_start(const char *name, plat_resolver **out);
plat_status plat_resolve_poll(plat_resolver *r, plat_addr *out, size_t cap, size_t *n);
void plat_resolve_free(plat_resolver *r);

/* A UDP socket connected to dst from an ephemeral local port.  *local gets
 * the local address and port the OS chose (for NAT-D). */
typedef struct plat_udp plat_udp;
plat_status plat_udp_open(const plat_addr *dst, plat_udp **out, plat_addr *local);
/* PLAT_EUNREACH: an earlier ICMP unreachable was reported on this socket. */
plat_status plat_udp_send(plat_udp *s, const void *buf, size_t len);
/* Non-blocking.  PLAT_EAGAIN: nothing queued.  PLAT_EUNREACH: ICMP
 * unreachable.  PLAT_EMSGSIZE: datagram bigger than cap, dropped. */
plat_status plat_udp_recv(plat_udp *s, void *buf, size_t cap, size_t *len, plat_addr *from);
/* Waits until one socket is readable (or has an error to report) or
 * timeout_ms passes.  ready[i] tells which.  n may be 0 (plain sleep). */
plat_status plat_udp_wait(plat_udp *const *socks, size_t n, uint32_t timeout_ms, bool *ready);
void plat_udp_close(plat_udp *s);

/* ---- files and the event log (fleet outputs) -------------------------- */
/* A file is named by its folder and its name, as plat_dir_list gives it;
 * the platform joins them (the core never builds a path).  dir may be a
 * UNC path and may end with a separator. */
/* Writes dir/name so that readers never see a partial file: a temporary
 * file in dir, then an atomic replace. */
plat_status plat_file_write_atomic(const char *dir, const char *name, const void *data, size_t len);
/* Reads the whole file dir/name (at most cap bytes; PLAT_EMSGSIZE if larger). */
plat_status plat_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len);
/* Calls fn with the name (not the path) of every regular file in dir
 * (folders are left out), in no particular order; which of them matter is
 * the caller's business. */
plat_status plat_dir_list(const char *dir, void (*fn)(void *ctx, const char *name), void *ctx);

/* ---- RAS phonebooks ---------------------------------------------------- */
/* This machine's phonebook of one scope: rasphone.pbk in the folder
 * Microsoft\Network\Connections\Pbk under the all-users application data
 * folder (XP: %ALLUSERSPROFILE%\Application Data, Vista and later:
 * %ProgramData%) or the user's (%APPDATA%).  The path whether or not the
 * file exists; PLAT_ENOTFOUND when the folder itself is unknown. */
enum plat_pbk_scope { PLAT_PBK_ALL_USERS = 0, PLAT_PBK_USER = 1 };
plat_status plat_pbk_path(int scope, char *buf, size_t cap);
/* Reads an INI file (a phonebook is one) with the system's INI reader and
 * calls fn once per section, in file order, with the section's name and the
 * values of the nkeys keys asked for (NULL where a key is absent).  Names
 * and values are UTF-8: a name stored in UTF-8 is read as such, anything
 * else as Windows' own INI reader reads it (the ANSI code page).
 * PLAT_ENOTFOUND: no such file; PLAT_EACCES: it cannot be read. */
#define PLAT_INI_MAX_SECTIONS 256
plat_status plat_ini_read(const char *path, const char *const *keys, size_t nkeys,
	void (*fn)(void *ctx, const char *section, const char *const *values), void *ctx);

/* ---- a window, for a person who double-clicked the exe ---------------- */
/* Whether a person can answer a window in this session: an interactive
 * desktop (a visible window station; not session 0 on Vista and later, not
 * the SYSTEM account, not a service).  False means: never show one. */
bool plat_ui_interactive(void);
/* Whether this process has its console to itself and writes to it: the
 * console Windows made when the exe was double-clicked.  A console shared
 * with a shell or a script, or output to a file or pipe, is not. */
bool plat_console_own(void);

typedef struct plat_ui {
	const char *title;       /* window title */
	const char *headline;    /* the run's answer in one or two lines */
	const char *body;        /* every connection in plain words (scrolls) */
	const char *copy;        /* what Copy puts on the clipboard (JSON) */
	/* Fix: the arguments (after the exe) of the `nattcheck fix ...` run the
	 * Fix button starts elevated; nfix = 0: no Fix button. */
	const char *const *fix_args;
	size_t nfix;
	/* The line shown after that run ended with exit code rc. */
	const char *(*fix_said)(int rc);
} plat_ui;
/* Shows ui and returns when the person closes it.  PLAT_EUNSUPP: no window
 * can be shown here (no desktop); the caller has printed the answer. */
plat_status plat_ui_show(const plat_ui *ui);

enum plat_event_type { PLAT_EVENT_INFO = 0, PLAT_EVENT_WARNING = 1, PLAT_EVENT_ERROR = 2 };
plat_status plat_eventlog(int type, uint32_t event_id, const char *text);

#endif
