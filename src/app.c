/* app.c - runs one command: gathers the machine's state, probes, decides,
 * changes the registry when asked, and writes every output. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide.h"
#include "fleet.h"
#include "osinfo.h"
#include "phonebook.h"
#include "policy.h"
#include "probe.h"
#include "psk.h"
#include "report.h"
#include "ui.h"
#include "version.h"

typedef struct app {
	cli opt;
	const cli_command *cmd; /* opt.cmd's row */
	char host[128];
	char time[32];
	os_info os;
	policy pol;
	probe_server *servers;
	decision *decisions;
	size_t n;
	strbuf out, err, msg;
	run_result res;
	pbk_list *pbk;      /* this machine's VPN connections, once read */
	bool want_window;
	psk key;            /* the pre-shared key, if given; wiped at the end */
} app;

static void put(int fd, const strbuf *sb)
{
	if (sb->len)
		plat_write(fd, sb->p, sb->len);
}

static void put_str(int fd, const char *s)
{
	plat_write(fd, s, strlen(s));
}

/* An error for a human on stderr ("nattcheck: ..."), and with --json also
 * a JSON document on stdout, so scripts always get one. */
static int fail(app *a, int code, const char *usage_hint)
{
	if (!a->opt.quiet || code == EXIT_USAGE) {
		put_str(2, "nattcheck: ");
		put(2, &a->err);
		put_str(2, "\n");
		if (usage_hint)
			put_str(2, usage_hint);
	}
	a->res.exit_code = code;
	a->res.error = sb_str(&a->err);
	if (a->opt.json) {
		strbuf j;
		sb_init(&j);
		report_json(&j, &a->res);
		put(1, &j);
		sb_free(&j);
	}
	return code;
}

static int gather(app *a)
{
	plat_os raw;
	uint64_t now;

	if (plat_hostname(a->host, sizeof(a->host)) != PLAT_OK)
		strcpy(a->host, "unknown");
	a->res.host = a->host;
	if (plat_system_time(&now) == PLAT_OK) {
		fleet_time_iso(now, a->time);
		a->res.time = a->time;
	}
	if (plat_os_get(&raw) != PLAT_OK) {
		sb_addf(&a->err, "cannot tell the Windows version: %s", plat_strerror());
		return EXIT_SYSTEM;
	}
	os_classify(&raw, &a->os);
	a->res.os = &a->os;
	if (!policy_read(&a->os, &a->pol, &a->err))
		return EXIT_SYSTEM;
	a->res.pol = &a->pol;
	return 0;
}

/* "nattcheck: warning: WHAT: <the platform's reason>" on stderr, the
 * reason read at once, before anything else can replace it. */
static void warn(const char *what)
{
	strbuf line;

	sb_init(&line);
	sb_addf(&line, "nattcheck: warning: %s: %s\n", what, plat_strerror());
	put(2, &line);
	sb_free(&line);
}

static void fleet_outputs(app *a)
{
	strbuf doc, name;

	if (a->opt.log_dir) {
		sb_init(&doc);
		sb_init(&name);
		report_json(&doc, &a->res);
		sb_addf(&name, "%s.json", a->host);
		if (plat_file_write_atomic(a->opt.log_dir, sb_str(&name), doc.p, doc.len) != PLAT_OK)
			warn("cannot write the result file");
		sb_free(&doc);
		sb_free(&name);
	}
	if (a->opt.eventlog) {
		int code = a->res.exit_code, type, id;
		strbuf text;

		sb_init(&text);
		if (a->res.error)
			sb_addf(&text, "nattcheck %s failed: %s\n", a->res.command, a->res.error);
		else if (a->res.servers)
			report_check_text(&text, &a->res);
		else if (a->res.pol)
			report_status_text(&text, &a->res);
		if (a->res.message)
			sb_add(&text, a->res.message);
		exit_event(code, &id, &type);
		if (plat_eventlog(type, (uint32_t)id, sb_str(&text)) != PLAT_OK)
			warn("cannot write to the event log");
		sb_free(&text);
	}
}

/* Reads the phonebooks once; NULL only when out of memory. */
static pbk_list *phonebooks(app *a)
{
	if (a->pbk == NULL && (a->pbk = malloc(sizeof(*a->pbk))) != NULL) {
		pbk_load(a->pbk);
		a->res.pbk = a->pbk;
	}
	return a->pbk;
}

static int cmd_status(app *a)
{
	phonebooks(a);
	a->res.exit_code = 0;
	if (a->opt.json)
		report_json(&a->out, &a->res);
	else
		report_status_text(&a->out, &a->res);
	return 0;
}

static int policy_exit(policy_rc rc)
{
	return rc == POLICY_RC_OK ? 0 : rc == POLICY_RC_DENIED ? EXIT_DENIED : EXIT_SYSTEM;
}

static int cmd_change(app *a)
{
	policy_rc rc;
	int code;

	if (a->opt.cmd == CMD_SET)
		rc = policy_set(&a->os, a->opt.set_value, &a->msg, &a->err);
	else
		rc = policy_revert(&a->os, &a->msg, &a->err);
	code = policy_exit(rc);
	if (code)
		return code;
	/* Show the state as it is now, read afresh. */
	if (!policy_read(&a->os, &a->pol, &a->err))
		return EXIT_SYSTEM;
	a->res.message = sb_str(&a->msg);
	a->res.exit_code = 0;
	if (a->opt.json)
		report_json(&a->out, &a->res);
	else
		sb_add(&a->out, sb_str(&a->msg));
	return 0;
}

_Static_assert(sizeof(((probe_server *)0)->name) > CLI_SERVER_MAX,
	"a server argument cli.c accepts fits probe_server.name whole");

_Static_assert(sizeof(((probe_server *)0)->name) > PBK_SERVER_MAX,
	"a phonebook entry's server fits probe_server.name whole");

/* The servers to probe: the command line's, or (none given) every
 * phonebook entry that may use L2TP/IPsec, each with its own auth.
 * Returns 0 or the exit code of the error in a->err. */
static int servers_to_probe(app *a, probe_config *cfg)
{
	size_t i, n = a->opt.nservers;
	const pbk_list *l = NULL;

	cfg->auth = a->opt.auth;
	cfg->auth_per_server = false;
	if (n == 0) {
		if ((l = phonebooks(a)) == NULL) {
			sb_add(&a->err, "out of memory");
			return EXIT_SYSTEM;
		}
		if (l->ncheck == 0) {
			char why[900];
			pbk_none_why(l, why, sizeof(why));
			sb_add(&a->err, why);
			return EXIT_USAGE;
		}
		n = l->ncheck;
		cfg->auth_per_server = true;
	}
	/* Room for a second result per name: one address of each family. */
	a->servers = calloc(2 * n + 1, sizeof(*a->servers));
	a->decisions = calloc(2 * n + 1, sizeof(*a->decisions));
	if (!a->servers || !a->decisions) {
		sb_add(&a->err, "out of memory");
		return EXIT_SYSTEM;
	}
	a->n = 0;
	for (i = 0; l == NULL && i < n; i++) {
		strncpy(a->servers[i].name, a->opt.servers[i], sizeof(a->servers[i].name) - 1);
		a->servers[i].origin = -1;
		a->n++;
	}
	for (i = 0; l != NULL && i < l->n; i++) {
		if (!l->e[i].check)
			continue;
		strncpy(a->servers[a->n].name, l->e[i].server, sizeof(a->servers[0].name) - 1);
		a->servers[a->n].auth = l->e[i].auth;
		a->servers[a->n].origin = (int)i;
		a->n++;
	}
	return 0;
}

static int probe_all(app *a)
{
	probe_config cfg;
	int code = servers_to_probe(a, &cfg);

	if (code)
		return code;
	cfg.profile = a->os.profile;
	cfg.timeout_ms = a->opt.timeout_ms;
	cfg.psk = a->key.len ? a->key.key : NULL;
	cfg.psk_len = a->key.len;
	if (!probe_run_families(a->servers, &a->n, 2 * a->n, &cfg)) {
		sb_addf(&a->err, "cannot probe: %s", plat_strerror());
		return EXIT_SYSTEM;
	}
	return 0;
}

static void decide_all(app *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		decide_server(&a->os, &a->pol, &a->servers[i], &a->decisions[i]);
		a->res.run_verdict = i ? verdict_worst(a->res.run_verdict, a->decisions[i].v) :
				     a->decisions[i].v;
	}
	a->res.servers = a->servers;
	a->res.decisions = a->decisions;
	a->res.n = a->n;
	a->res.have_verdict = true;
	a->res.exit_code = verdict_exit(a->res.run_verdict);
}

/* fix: raise the value to what the probe says is needed, never lower it,
 * never beyond; then decide again on the state as it is now. */
static int fix_apply(app *a)
{
	const decision *d = &a->decisions[0];
	policy_rc rc;

	if (!d->value_short) {
		if (d->v == V_WORKS || d->v == V_REBOOT_PENDING)
			sb_add(&a->msg, "Nothing to change: the registry value is already right.\n");
		else
			sb_add(&a->msg, "No registry value can fix this (see the advice); "
				"nothing was changed.\n");
		return 0;
	}
	rc = policy_set(&a->os, (uint32_t)d->required_value, &a->msg, &a->err);
	if (rc != POLICY_RC_OK)
		return policy_exit(rc);
	if (!policy_read(&a->os, &a->pol, &a->err))
		return EXIT_SYSTEM;
	decide_all(a);
	return 0;
}

/* The pre-shared key from --psk-file, --psk - or NATTCHECK_PSK, in that
 * order; none is no error (the key is then not tested). */
static int read_key(app *a)
{
	psk_source src = a->opt.psk_file ? PSK_FROM_FILE : a->opt.psk_stdin ? PSK_FROM_STDIN :
			 psk_env_set() ? PSK_FROM_ENV : PSK_FROM_NONE;

	if (src == PSK_FROM_NONE)
		return 0;
	if (!psk_read(src, a->opt.psk_file, &a->key, &a->err)) {
		sb_add(&a->err, "; nothing was probed or changed");
		return EXIT_USAGE;
	}
	return 0;
}

static int cmd_check(app *a)
{
	int code;

	if (a->cmd->admin) { /* fix: before it probes */
		bool admin = false;
		if (plat_is_admin(&admin) != PLAT_OK || !admin) {
			sb_add(&a->err, "fix changes the registry and needs administrator rights: "
				"run it from an elevated command prompt (Run as administrator), or "
				"use `nattcheck check`; nothing was changed");
			return EXIT_DENIED;
		}
	}
	if ((code = read_key(a)) != 0 || (code = probe_all(a)) != 0)
		return code;
	psk_wipe(&a->key); /* the probe is done with it */
	decide_all(a);
	if (a->opt.cmd == CMD_FIX && (code = fix_apply(a)) != 0)
		return code;
	if (a->msg.len)
		a->res.message = sb_str(&a->msg);
	if (a->opt.json) {
		report_json(&a->out, &a->res);
	} else {
		report_check_text(&a->out, &a->res);
		if (a->msg.len)
			sb_add(&a->out, sb_str(&a->msg));
	}
	return a->res.exit_code;
}

static int cmd_report(app *a)
{
	fleet_opts o = { a->opt.json ? FLEET_JSON : a->opt.csv ? FLEET_CSV : FLEET_TEXT,
		a->opt.max_age_days, a->opt.hosts_shown };
	fleet_status st = fleet_report(a->opt.report_dir, &o, &a->out, &a->err);

	if (st == FLEET_OK)
		return 0;
	return st == FLEET_NO_FOLDER ? EXIT_USAGE : st == FLEET_DENIED ? EXIT_DENIED : EXIT_SYSTEM;
}

static int cmd_help(app *a)
{
	(void)a;
	put_str(1, cli_usage());
	return 0;
}

static int cmd_version(app *a)
{
	(void)a;
	put_str(1, "nattcheck " NATTCHECK_VERSION "\n");
	return 0;
}

/* How each command runs, indexed by cli_cmd (what it is: cli.c's table).
 * A handler puts its output in a->out (help and version print their own),
 * or returns an error exit code with the message in a->err. */
static int (*const handlers[])(app *) = {
	[CMD_HELP] = cmd_help,
	[CMD_VERSION] = cmd_version,
	[CMD_STATUS] = cmd_status,
	[CMD_CHECK] = cmd_check,
	[CMD_FIX] = cmd_check,
	[CMD_SET] = cmd_change,
	[CMD_REVERT] = cmd_change,
	[CMD_REPORT] = cmd_report,
};
_Static_assert(sizeof(handlers) / sizeof(handlers[0]) == CMD_COUNT,
	"a handler for every command up to the last");

/* An error rather than an answer: a check's verdict codes are answers. */
static bool is_error(int code)
{
	return code == EXIT_USAGE || code == EXIT_SYSTEM || code == EXIT_DENIED;
}

static int run(app *a, int argc, char **argv)
{
	int code;

	if (!cli_parse(argc, argv, &a->opt, &a->err)) {
		a->res.command = "usage";
		return fail(a, EXIT_USAGE, "Try 'nattcheck --help'.\n");
	}
	a->cmd = cli_command_of(a->opt.cmd);
	/* Asked only when a window is possible at all. */
	if (a->opt.window || a->opt.bare)
		a->want_window = ui_wanted(&a->opt, plat_console_own(), plat_ui_interactive());
	a->res.command = a->cmd->name;
	code = a->cmd->gather ? gather(a) : 0;
	if (code == 0)
		code = handlers[a->opt.cmd](a);
	if (is_error(code))
		code = fail(a, code, NULL);
	else if (!a->opt.quiet)
		put(1, &a->out);
	if (a->cmd->gather)
		fleet_outputs(a);
	return code;
}

/* The answer in a window, after it was printed (and logged): for the
 * person who double-clicked the exe.  The JSON document for Copy is the
 * one --json prints. */
static void show_window(app *a)
{
	ui_content u;
	strbuf doc;
	plat_ui w;

	ui_init(&u);
	sb_init(&doc);
	ui_build(&a->res, &u);
	report_json(&doc, &a->res);
	memset(&w, 0, sizeof(w));
	w.title = sb_str(&u.title);
	w.headline = sb_str(&u.headline);
	w.body = sb_str(&u.body);
	w.copy = sb_str(&doc);
	w.fix_args = u.fix_args;
	w.nfix = u.nfix;
	w.fix_said = ui_fix_said;
	plat_ui_show(&w); /* PLAT_EUNSUPP: no desktop after all; printed already */
	sb_free(&doc);
	ui_free(&u);
}

int app_main(int argc, char **argv)
{
	app a;
	int code;

	memset(&a, 0, sizeof(a));
	sb_init(&a.out);
	sb_init(&a.err);
	sb_init(&a.msg);
	code = run(&a, argc, argv);
	if (a.want_window)
		show_window(&a);
	sb_free(&a.out);
	sb_free(&a.err);
	sb_free(&a.msg);
	psk_wipe(&a.key);
	free(a.servers);
	free(a.decisions);
	free(a.pbk);
	return code;
}
