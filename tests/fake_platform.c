/* fake_platform.c - an in-memory machine behind platform.h for unit tests:
 * registry, OS, rights, services, clock of the wall, output.  The network,
 * hashing and monotonic time live in fake_net.c. */
#include "fake_platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_VALUES 64

typedef struct fake_value {
	char key[160], name[64];
	uint32_t type, size;
	uint8_t data[PLAT_REG_DATA_MAX + 64];
	uint64_t time;
} fake_value;

static struct {
	fake_value v[MAX_VALUES];
	size_t nv;
	char keys[MAX_VALUES][160]; /* keys that exist (possibly empty) */
	size_t nk;
	plat_os os;
	bool admin;
	struct { char name[32]; plat_svc_state st; } svc[8];
	size_t nsvc;
	uint64_t boot, now;
	plat_status fail_writes;
	int fail_nth, writes;
	strbuf out, err;
	bool locked;
	char errmsg[256];
} F;

static struct { int type; uint32_t id; strbuf text; int count; } last_event;

/* The two phonebooks: INI text, or absent, or failing to read. */
static struct {
	bool present;
	plat_status fail;
	strbuf text;
} pbk[2];
static bool pbk_no_folder;

/* The desktop: whether a window may be shown, and the last one shown. */
static struct {
	bool interactive, console_own;
	int shown;
	strbuf title, headline, body, copy, fix;
} ui;

void fake_files_reset(void);

static void fake_sec_reset(void);

void fake_reset(void)
{
	fake_sec_reset();
	fake_files_reset();
	last_event.count = 0;
	for (int i = 0; i < 2; i++) {
		sb_free(&pbk[i].text);
		memset(&pbk[i], 0, sizeof(pbk[i]));
	}
	pbk_no_folder = false;
	sb_free(&ui.title), sb_free(&ui.headline), sb_free(&ui.body), sb_free(&ui.copy);
	sb_free(&ui.fix);
	memset(&ui, 0, sizeof(ui));
	fake_console_set(false);
	sb_free(&F.out);
	sb_free(&F.err);
	memset(&F, 0, sizeof(F));
	fake_set_os(10, 0, 19045, 0, false, true);
	F.admin = true;
	F.boot = 133000000000000000ull;
	F.now = F.boot + 36000000000ull; /* an hour later */
}

void fake_set_os(uint32_t major, uint32_t minor, uint32_t build, uint32_t sp, bool server, bool os64)
{
	memset(&F.os, 0, sizeof(F.os));
	F.os.major = major, F.os.minor = minor, F.os.build = build, F.os.sp_major = sp;
	F.os.server = server, F.os.os64 = os64;
	if (sp)
		snprintf(F.os.csd, sizeof(F.os.csd), "Service Pack %u", (unsigned)sp);
}

void fake_set_admin(bool admin) { F.admin = admin; }
void fake_set_times(uint64_t boot, uint64_t now) { F.boot = boot, F.now = now; }
void fake_reg_fail_writes(plat_status st) { F.fail_writes = st; }
void fake_reg_fail_nth_write(int n) { F.fail_nth = n; }
int fake_reg_writes(void) { return F.writes; }
const char *fake_stdout(void) { return sb_str(&F.out); }
const char *fake_stderr(void) { return sb_str(&F.err); }
void fake_output_clear(void) { sb_reset(&F.out); sb_reset(&F.err); }

void fake_set_svc(const char *name, plat_svc_state st)
{
	size_t i;

	for (i = 0; i < F.nsvc; i++)
		if (!strcmp(F.svc[i].name, name))
			break;
	if (i == F.nsvc) {
		if (F.nsvc == 8)
			return;
		F.nsvc++;
	}
	snprintf(F.svc[i].name, sizeof(F.svc[i].name), "%s", name);
	F.svc[i].st = st;
}

plat_svc_state plat_svc_state_get(const char *name)
{
	size_t i;

	for (i = 0; i < F.nsvc; i++)
		if (!strcmp(F.svc[i].name, name))
			return F.svc[i].st;
	return PLAT_SVC_NOT_FOUND;
}

const char *plat_strerror(void) { return F.errmsg; }

void plat_write(int fd, const char *utf8, size_t len)
{
	sb_addn(fd == 2 ? &F.err : &F.out, utf8, len);
}

plat_status plat_os_get(plat_os *out) { *out = F.os; return PLAT_OK; }

plat_status plat_hostname(char *buf, size_t cap)
{
	snprintf(buf, cap, "TESTPC");
	return PLAT_OK;
}

plat_status plat_is_admin(bool *admin) { *admin = F.admin; return PLAT_OK; }
plat_status plat_boot_time(uint64_t *ft) { *ft = F.boot; return PLAT_OK; }
plat_status plat_system_time(uint64_t *ft) { *ft = F.now; return PLAT_OK; }

static fake_value *find(const char *key, const char *name)
{
	size_t i;

	for (i = 0; i < F.nv; i++)
		if (!strcasecmp(F.v[i].key, key) && !strcasecmp(F.v[i].name, name))
			return &F.v[i];
	return NULL;
}

static void key_touch(const char *key)
{
	size_t i;

	for (i = 0; i < F.nk; i++)
		if (!strcasecmp(F.keys[i], key))
			return;
	if (F.nk < MAX_VALUES)
		snprintf(F.keys[F.nk++], sizeof(F.keys[0]), "%s", key);
}

void fake_reg_put(const char *key, const char *name, uint32_t type, const void *data, uint32_t size)
{
	fake_value *v = find(key, name);

	if (!v) {
		if (F.nv == MAX_VALUES)
			return;
		v = &F.v[F.nv++];
		snprintf(v->key, sizeof(v->key), "%s", key);
		snprintf(v->name, sizeof(v->name), "%s", name);
	}
	v->type = type;
	v->size = size > sizeof(v->data) ? (uint32_t)sizeof(v->data) : size;
	memcpy(v->data, data, v->size);
	v->time = F.now;
	key_touch(key);
}

void fake_reg_put_dword(const char *key, const char *name, uint32_t d)
{
	uint8_t b[4] = { (uint8_t)d, (uint8_t)(d >> 8), (uint8_t)(d >> 16), (uint8_t)(d >> 24) };
	fake_reg_put(key, name, 4, b, 4);
}

bool fake_reg_lookup(const char *key, const char *name, plat_reg_value *out)
{
	fake_value *v = find(key, name);

	memset(out, 0, sizeof(*out));
	if (!v)
		return false;
	out->present = true;
	out->type = v->type;
	out->size = v->size;
	memcpy(out->data, v->data, v->size > PLAT_REG_DATA_MAX ? PLAT_REG_DATA_MAX : v->size);
	return true;
}

static int cmp_value(const void *a, const void *b)
{
	const fake_value *x = a, *y = b;
	int c = strcasecmp(x->key, y->key);
	return c ? c : strcasecmp(x->name, y->name);
}

void fake_reg_dump(strbuf *sb)
{
	fake_value sorted[MAX_VALUES];
	size_t i, j;

	memcpy(sorted, F.v, F.nv * sizeof(F.v[0]));
	qsort(sorted, F.nv, sizeof(sorted[0]), cmp_value);
	for (i = 0; i < F.nv; i++) {
		sb_addf(sb, "%s\\%s=%u:", sorted[i].key, sorted[i].name, (unsigned)sorted[i].type);
		for (j = 0; j < sorted[i].size; j++)
			sb_addf(sb, "%02x", sorted[i].data[j]);
		sb_add(sb, "\n");
	}
}

plat_status plat_reg_get(const char *key, const char *name, plat_reg_value *out)
{
	fake_reg_lookup(key, name, out);
	return PLAT_OK;
}

static plat_status write_gate(const char *key)
{
	F.writes++;
	if (F.fail_writes != PLAT_OK || (F.fail_nth && --F.fail_nth == 0)) {
		plat_status st = F.fail_writes != PLAT_OK ? F.fail_writes : PLAT_ESYS;
		snprintf(F.errmsg, sizeof(F.errmsg), "HKLM\\%s: %s (0x00000005)", key,
			st == PLAT_EACCES ? "Access is denied." : "fake failure");
		return st;
	}
	return PLAT_OK;
}

plat_status plat_reg_set(const char *key, const char *name, uint32_t type, const void *data,
	uint32_t size)
{
	plat_status st = write_gate(key);

	if (st == PLAT_OK)
		fake_reg_put(key, name, type, data, size);
	return st;
}

plat_status plat_reg_delete(const char *key, const char *name)
{
	plat_status st = write_gate(key);
	fake_value *v;

	if (st != PLAT_OK)
		return st;
	if ((v = find(key, name)) != NULL) {
		*v = F.v[--F.nv];
	}
	return PLAT_OK;
}

plat_status plat_reg_delete_key(const char *key)
{
	plat_status st = write_gate(key);
	size_t i = 0;

	if (st != PLAT_OK)
		return st;
	while (i < F.nv) {
		if (!strcasecmp(F.v[i].key, key))
			F.v[i] = F.v[--F.nv];
		else
			i++;
	}
	return PLAT_OK;
}

plat_status plat_reg_key_time(const char *key, uint64_t *ft)
{
	size_t i;
	bool found = false;

	*ft = 0;
	for (i = 0; i < F.nv; i++)
		if (!strcasecmp(F.v[i].key, key)) {
			found = true;
			if (F.v[i].time > *ft)
				*ft = F.v[i].time;
		}
	return found ? PLAT_OK : PLAT_ENOTFOUND;
}

plat_status plat_lock(uint32_t timeout_ms)
{
	(void)timeout_ms;
	if (F.locked)
		return PLAT_ESYS;
	F.locked = true;
	return PLAT_OK;
}

void plat_unlock(void) { F.locked = false; }

/* A folder of files for `report` and --log: each file is dir and name. */
#define MAX_FILES 64
static struct fake_file {
	char dir[128], name[64];
	strbuf data;
	bool used;
	plat_status fail; /* reading it fails with this */
} files[MAX_FILES];
static bool dir_exists_flag = true;

void fake_files_reset(void)
{
	size_t i;

	for (i = 0; i < MAX_FILES; i++) {
		sb_free(&files[i].data);
		files[i].used = false;
		files[i].fail = PLAT_OK;
	}
	dir_exists_flag = true;
}

void fake_dir_exists(bool exists) { dir_exists_flag = exists; }

void fake_file_put(const char *dir, const char *name, const char *data, size_t len)
{
	size_t i, free_i = MAX_FILES;

	for (i = 0; i < MAX_FILES; i++) {
		if (files[i].used && !strcmp(files[i].dir, dir) && !strcmp(files[i].name, name))
			break;
		if (!files[i].used && free_i == MAX_FILES)
			free_i = i;
	}
	if (i == MAX_FILES && (i = free_i) == MAX_FILES)
		return;
	files[i].used = true;
	snprintf(files[i].dir, sizeof(files[i].dir), "%s", dir);
	snprintf(files[i].name, sizeof(files[i].name), "%s", name);
	sb_reset(&files[i].data);
	sb_addn(&files[i].data, data, len);
}

void fake_file_fail(const char *dir, const char *name, plat_status st)
{
	for (size_t i = 0; i < MAX_FILES; i++)
		if (files[i].used && !strcmp(files[i].dir, dir) && !strcmp(files[i].name, name))
			files[i].fail = st;
}

const char *fake_file_get(const char *dir, const char *name)
{
	size_t i;

	for (i = 0; i < MAX_FILES; i++)
		if (files[i].used && !strcmp(files[i].dir, dir) && !strcmp(files[i].name, name))
			return sb_str(&files[i].data);
	return NULL;
}

plat_status plat_file_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
	if (!dir_exists_flag) {
		snprintf(F.errmsg, sizeof(F.errmsg), "%s: The system cannot find the path "
			"specified. (0x00000003)", dir);
		return PLAT_ENOTFOUND;
	}
	fake_file_put(dir, name, data, len);
	return PLAT_OK;
}

plat_status plat_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len)
{
	size_t i;

	for (i = 0; i < MAX_FILES; i++) {
		if (!files[i].used || strcmp(files[i].dir, dir) != 0 || strcmp(files[i].name, name) != 0)
			continue;
		if (files[i].fail != PLAT_OK) {
			snprintf(F.errmsg, sizeof(F.errmsg), "cannot open %s\\%s: %s", dir, name,
				files[i].fail == PLAT_EACCES ? "Access is denied. (0x00000005)" :
				"fake failure");
			return files[i].fail;
		}
		if (files[i].data.len > cap) {
			snprintf(F.errmsg, sizeof(F.errmsg), "%s\\%s is larger than %zu bytes", dir,
				name, cap);
			return PLAT_EMSGSIZE;
		}
		memcpy(buf, sb_str(&files[i].data), files[i].data.len);
		*len = files[i].data.len;
		return PLAT_OK;
	}
	snprintf(F.errmsg, sizeof(F.errmsg), "%s\\%s: not found", dir, name);
	return PLAT_ENOTFOUND;
}

/* Every file of dir, whatever its name (as FindFirstFile "*" lists them). */
plat_status plat_dir_list(const char *dir, void (*fn)(void *ctx, const char *name), void *ctx)
{
	size_t i;

	if (!dir_exists_flag) {
		snprintf(F.errmsg, sizeof(F.errmsg), "%s: The system cannot find the path "
			"specified. (0x00000003)", dir);
		return PLAT_ENOTFOUND;
	}
	for (i = 0; i < MAX_FILES; i++)
		if (files[i].used && !strcmp(files[i].dir, dir))
			fn(ctx, files[i].name);
	return PLAT_OK;
}

int fake_event_count(void) { return last_event.count; }
uint32_t fake_event_id(void) { return last_event.id; }
int fake_event_type(void) { return last_event.type; }
const char *fake_event_text(void) { return sb_str(&last_event.text); }

plat_status plat_eventlog(int type, uint32_t event_id, const char *text)
{
	last_event.type = type;
	last_event.id = event_id;
	sb_reset(&last_event.text);
	sb_add(&last_event.text, text);
	last_event.count++;
	return PLAT_OK;
}

/* ---- phonebooks ---------------------------------------------------------- */

void fake_pbk_put(int scope, const char *ini)
{
	sb_reset(&pbk[scope].text);
	sb_add(&pbk[scope].text, ini);
	pbk[scope].present = true;
}

void fake_pbk_fail(int scope, plat_status st) { pbk[scope].fail = st; }
void fake_pbk_no_folder(bool none) { pbk_no_folder = none; }

plat_status plat_pbk_path(int scope, char *buf, size_t cap)
{
	if (pbk_no_folder) {
		snprintf(F.errmsg, sizeof(F.errmsg), "the application data folder is unknown");
		return PLAT_ENOTFOUND;
	}
	snprintf(buf, cap, "%s\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk",
		scope == PLAT_PBK_USER ? "C:\\Users\\u\\AppData\\Roaming" : "C:\\ProgramData");
	return PLAT_OK;
}

/* A line of the INI text: [section] or key=value; first key wins. */
static const char *ini_line(const char *p, const char **end)
{
	*end = strchr(p, '\n');
	if (*end == NULL)
		*end = p + strlen(p);
	return p;
}

plat_status plat_ini_read(const char *path, const char *const *keys, size_t nkeys,
	void (*fn)(void *ctx, const char *section, const char *const *values), void *ctx)
{
	int scope = strstr(path, "Roaming") ? PLAT_PBK_USER : PLAT_PBK_ALL_USERS;
	const char *p, *end;
	char sec[1024], *vals[16];
	size_t count = 0;

	if (pbk[scope].fail != PLAT_OK) {
		snprintf(F.errmsg, sizeof(F.errmsg), "%s: Access is denied. (0x00000005)", path);
		return pbk[scope].fail;
	}
	if (!pbk[scope].present) {
		snprintf(F.errmsg, sizeof(F.errmsg), "%s: no such file", path);
		return PLAT_ENOTFOUND;
	}
	if (nkeys > 16)
		return PLAT_ESYS;
	/* One pass per section: find "[", then scan its lines for each key. */
	for (p = sb_str(&pbk[scope].text); *p && count < PLAT_INI_MAX_SECTIONS; p = *end ? end + 1 : end) {
		const char *close, *q, *qend;
		ini_line(p, &end);
		if (*p != '[' || (close = memchr(p, ']', (size_t)(end - p))) == NULL)
			continue;
		snprintf(sec, sizeof(sec), "%.*s", (int)(close - p - 1), p + 1);
		memset(vals, 0, sizeof(vals));
		for (q = *end ? end + 1 : end; *q && *q != '['; q = *qend ? qend + 1 : qend) {
			const char *eq;
			ini_line(q, &qend);
			eq = memchr(q, '=', (size_t)(qend - q));
			if (eq == NULL)
				continue;
			for (size_t k = 0; k < nkeys; k++) {
				size_t kl = strlen(keys[k]), vl = (size_t)(qend - eq - 1);
				if (vals[k] || (size_t)(eq - q) != kl || strncasecmp(q, keys[k], kl))
					continue;
				if (vl && eq[vl] == '\r')
					vl--;
				vals[k] = calloc(1, vl + 1);
				memcpy(vals[k], eq + 1, vl);
			}
		}
		fn(ctx, sec, (const char *const *)vals);
		count++;
		for (size_t k = 0; k < nkeys; k++)
			free(vals[k]);
	}
	return PLAT_OK;
}

/* ---- the window -------------------------------------------------------- */

void fake_ui_set(bool interactive, bool console_own)
{
	ui.interactive = interactive;
	ui.console_own = console_own;
}

bool plat_ui_interactive(void) { return ui.interactive; }
bool plat_console_own(void) { return ui.console_own; }

static bool is_console;
void fake_console_set(bool on) { is_console = on; }
bool plat_is_console(int fd) { (void)fd; return is_console; }

plat_status plat_ui_show(const plat_ui *w)
{
	ui.shown++;
	sb_reset(&ui.title), sb_reset(&ui.headline), sb_reset(&ui.body), sb_reset(&ui.copy);
	sb_reset(&ui.fix);
	sb_add(&ui.title, w->title);
	sb_add(&ui.headline, w->headline);
	sb_add(&ui.body, w->body);
	sb_add(&ui.copy, w->copy);
	for (size_t i = 0; i < w->nfix; i++)
		sb_addf(&ui.fix, "%s%s", i ? " " : "", w->fix_args[i]);
	return PLAT_OK;
}

int fake_ui_shown(void) { return ui.shown; }
const char *fake_ui_text(char what)
{
	switch (what) {
	case 't': return sb_str(&ui.title);
	case 'h': return sb_str(&ui.headline);
	case 'b': return sb_str(&ui.body);
	case 'c': return sb_str(&ui.copy);
	default: return sb_str(&ui.fix);
	}
}

/* ---- environment and standard input ------------------------------------ */

static struct {
	bool env_set;
	strbuf env, in;
	bool in_set;
} sec;

void fake_env_psk(const char *value, size_t len)
{
	sb_reset(&sec.env);
	if (value)
		sb_addn(&sec.env, value, len);
	sec.env_set = value != NULL;
}

void fake_stdin(const char *data, size_t len)
{
	sb_reset(&sec.in);
	if (data)
		sb_addn(&sec.in, data, len);
	sec.in_set = data != NULL;
}

plat_status plat_env_get(const char *name, char *buf, size_t cap, size_t *len)
{
	if (strcmp(name, "NATTCHECK_PSK") != 0 || !sec.env_set) {
		snprintf(F.errmsg, sizeof(F.errmsg), "%s: not set", name);
		return PLAT_ENOTFOUND;
	}
	if (sec.env.len >= cap)
		return PLAT_EMSGSIZE;
	memcpy(buf, sec.env.p, sec.env.len);
	*len = sec.env.len;
	return PLAT_OK;
}

plat_status plat_stdin_line(char *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	if (!sec.in_set) {
		snprintf(F.errmsg, sizeof(F.errmsg), "standard input: The handle is invalid. "
			"(0x00000006)");
		return PLAT_ESYS;
	}
	while (n < sec.in.len && sec.in.p[n] != '\n' && sec.in.p[n] != '\r')
		n++;
	if (n >= cap)
		return PLAT_EMSGSIZE;
	memcpy(buf, sec.in.p, n);
	*len = n;
	return PLAT_OK;
}

static void fake_sec_reset(void)
{
	fake_env_psk(NULL, 0);
	fake_stdin(NULL, 0);
}
