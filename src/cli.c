/* cli.c - parses the command line; both --long and /windows option forms. */
#include "cli.h"
#include "fleet.h"

#include <ctype.h>
#include <string.h>

static const char usage_text[] =
	"Usage: nattcheck [COMMAND] [OPTIONS]\n"
	"Will L2TP/IPsec to a VPN server work from this Windows through NAT?\n"
	"\n"
	"Commands:\n"
	"  (none)              check this machine's own VPN connections (below)\n"
	"  status              this machine: Windows version, the\n"
	"                      AssumeUDPEncapsulationContextOnSendRule value,\n"
	"                      restart pending, IPsec services, VPN connections\n"
	"  check [SERVER...]   probe the servers with IKE and decide (read-only);\n"
	"                      no server: every VPN connection of this machine\n"
	"                      that may use L2TP/IPsec\n"
	"  fix SERVER          probe, then set the smallest value that works from any\n"
	"                      network (admin)\n"
	"  set 0|1|2           set the value (admin); the previous state is saved\n"
	"  revert              restore the state saved by the first set/fix (admin)\n"
	"  report DIR          summarise the result files of a --log folder: hosts\n"
	"                      grouped by verdict and advice\n"
	"\n"
	"Options (also as /json, /q, /timeout MS, ...):\n"
	"  --json              print one JSON document\n"
	"  --quiet, -q         print nothing; the exit code tells\n"
	"  --timeout MS        time budget of the whole run (default 3000)\n"
	"  --auth psk|cert     the connection's authentication (default psk)\n"
	"  --psk-file FILE     check/fix: the pre-shared key, the file's first line;\n"
	"                      then Main Mode runs to its end and the key is tested\n"
	"  --psk -             the same, the key read from standard input (or set\n"
	"                      NATTCHECK_PSK); never the key itself on the command line\n"
	"  --log DIR           also write DIR\\<COMPUTERNAME>.json\n"
	"  --eventlog          also write an Application event log entry\n"
	"  --max-age DAYS      report: results older than this are stale (default 7)\n"
	"  --hosts-shown N     report: host names listed per group (default 20)\n"
	"  --csv               report: one CSV row per host and server (for Excel)\n"
	"  --window            check: also show the result in a window (as when\n"
	"                      double-clicked); never in a service or scheduled task\n"
	"  --help, /?          this text;  --version\n"
	"\n"
	"Exit codes: 0 works, 1 needs registry change (run fix), 2 restart pending,\n"
	"3 network or server problem, 64 usage error, 70 system error,\n"
	"77 administrator rights needed.\n";

const char *cli_usage(void)
{
	return usage_text;
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* The commands, indexed by cli_cmd; the order of the non-info ones is the
 * order an unknown command's message lists them in. */
static const cli_command commands[CMD_COUNT] = {
	[CMD_HELP] = { .cmd = CMD_HELP, .name = "help", .info = true },
	[CMD_VERSION] = { .cmd = CMD_VERSION, .name = "version", .info = true },
	[CMD_STATUS] = { .cmd = CMD_STATUS, .name = "status", .gather = true },
	[CMD_CHECK] = { .cmd = CMD_CHECK, .name = "check", .gather = true },
	[CMD_FIX] = { .cmd = CMD_FIX, .name = "fix", .gather = true, .admin = true },
	[CMD_SET] = { .cmd = CMD_SET, .name = "set", .gather = true, .admin = true },
	[CMD_REVERT] = { .cmd = CMD_REVERT, .name = "revert", .gather = true, .admin = true },
	[CMD_REPORT] = { .cmd = CMD_REPORT, .name = "report" },
};

const cli_command *cli_command_of(cli_cmd cmd)
{
	if (cmd <= CMD_NONE || cmd >= CMD_COUNT || !commands[cmd].name)
		return NULL;
	return &commands[cmd];
}

const cli_command *cli_command_named(const char *word)
{
	const cli_command *c;
	int k;

	for (k = CMD_NONE + 1; k < CMD_COUNT; k++)
		if ((c = cli_command_of((cli_cmd)k)) != NULL && ieq(word, c->name))
			return c;
	return NULL;
}

/* "--json", "-json", "/json" -> "json"; NULL when arg is not an option.
 * "-1" is a (bad) value for `set`, not an option. */
static const char *opt_name(const char *arg)
{
	if (arg[0] == '-' && arg[1] == '-' && arg[2])
		return arg + 2;
	if (arg[0] == '-' && arg[1] && !isdigit((unsigned char)arg[1]))
		return arg + 1;
	if (arg[0] == '/' && arg[1] && !strchr(arg + 1, '/') && !strchr(arg + 1, '\\'))
		return arg + 1;
	return NULL;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0xFFFFFFFFu)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Options taking a value: the value is the next argument or follows '='
 * or ':' (/timeout:5000). */
static bool opt_value(const char *optlen_end, int *i, int argc, char **argv,
	const char **val, strbuf *err)
{
	const char *opt = argv[*i];
	bool inline_val = *optlen_end == '=' || *optlen_end == ':';

	if (inline_val) {
		*val = optlen_end + 1;
	} else if (*i + 1 < argc) {
		*val = argv[++*i];
	} else {
		sb_addf(err, "option '%s' needs a value", argv[*i]);
		return false;
	}
	if (!**val) {
		sb_addf(err, "option '%.*s' needs a value",
			inline_val ? (int)(optlen_end - opt) : (int)strlen(opt), opt);
		return false;
	}
	return true;
}

/* Splits "timeout=5" into its name part; returns the length of the name. */
static size_t name_len(const char *name)
{
	size_t n = strcspn(name, "=:");
	return n;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	char buf[32];

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return ieq(buf, want);
}

/* The key comes from one place only. */
static bool psk_once(const cli *out, strbuf *err)
{
	if (!out->psk_file && !out->psk_stdin)
		return true;
	sb_add(err, "give the pre-shared key once: --psk-file FILE or --psk -");
	return false;
}

static bool parse_option(const char *name, int *i, int argc, char **argv, cli *out, strbuf *err)
{
	size_t n = name_len(name);
	const char *val;
	bool has_inline = name[n] != '\0';

	if (!has_inline && (ieq(name, "json")))
		return out->json = true, true;
	if (!has_inline && (ieq(name, "quiet") || ieq(name, "q")))
		return out->quiet = true, true;
	if (!has_inline && ieq(name, "eventlog"))
		return out->eventlog = true, true;
	if (!has_inline && ieq(name, "window"))
		return out->window = true, true;
	if (!has_inline && (ieq(name, "help") || ieq(name, "h") || ieq(name, "?")))
		return out->cmd = CMD_HELP, true;
	if (!has_inline && (ieq(name, "version") || ieq(name, "v")))
		return out->cmd = CMD_VERSION, true;
	if (name_is(name, n, "timeout") || name_is(name, n, "t")) {
		uint32_t ms;
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (!parse_u32(val, &ms) || ms < CLI_TIMEOUT_MIN || ms > CLI_TIMEOUT_MAX) {
			sb_addf(err, "--timeout '%s' is not a number of milliseconds from %u to %u",
				val, CLI_TIMEOUT_MIN, CLI_TIMEOUT_MAX);
			return false;
		}
		out->timeout_ms = ms;
		return true;
	}
	if (name_is(name, n, "max-age")) {
		uint32_t days;
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (!parse_u32(val, &days) || days < 1 || days > 3650) {
			sb_addf(err, "--max-age '%s' is not a number of days from 1 to 3650", val);
			return false;
		}
		out->max_age_days = days;
		return true;
	}
	if (!has_inline && ieq(name, "csv"))
		return out->csv = true, true;
	if (name_is(name, n, "hosts-shown")) {
		uint32_t k;
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (!parse_u32(val, &k) || k > FLEET_MAX_HOSTS_SHOWN) {
			sb_addf(err, "--hosts-shown '%s' is not a number of hosts from 0 to %u", val,
				FLEET_MAX_HOSTS_SHOWN);
			return false;
		}
		out->hosts_shown = k;
		return true;
	}
	if (name_is(name, n, "log")) {
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		out->log_dir = val;
		return true;
	}
	if (name_is(name, n, "psk-file")) {
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (!psk_once(out, err))
			return false;
		out->psk_file = val;
		return true;
	}
	if (name_is(name, n, "psk")) {
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (strcmp(val, "-") != 0) {
			/* never echo it: it may be the key itself */
			sb_add(err, "--psk takes only '-' (read the key from standard input): a "
				"key on the command line is seen in process lists and script logs. "
				"Use --psk-file FILE, --psk - or the environment variable "
				"NATTCHECK_PSK");
			return false;
		}
		if (!psk_once(out, err))
			return false;
		out->psk_stdin = true;
		return true;
	}
	if (name_is(name, n, "auth")) {
		if (!opt_value(name + n, i, argc, argv, &val, err))
			return false;
		if (ieq(val, "psk"))
			out->auth = PROBE_AUTH_PSK;
		else if (ieq(val, "cert"))
			out->auth = PROBE_AUTH_CERT;
		else {
			sb_addf(err, "--auth '%s' is not psk or cert", val);
			return false;
		}
		return true;
	}
	sb_addf(err, "unknown option '%s'", argv[*i]);
	return false;
}

static bool set_command(const char *arg, cli *out, strbuf *err)
{
	const cli_command *c = cli_command_named(arg);
	const char *sep = "";
	int k;

	if (c) {
		if (out->cmd == CMD_HELP || out->cmd == CMD_VERSION)
			return true; /* `nattcheck --help status` still shows help */
		out->cmd = c->cmd;
		return true;
	}
	sb_addf(err, "unknown command '%s' (try: ", arg);
	for (k = CMD_NONE + 1; k < CMD_COUNT; k++) {
		if ((c = cli_command_of((cli_cmd)k)) != NULL && !c->info) {
			sb_add(err, sep);
			sb_add(err, c->name);
			sep = ", ";
		}
	}
	sb_add(err, ")");
	return false;
}

static bool add_positional(const char *arg, cli *out, strbuf *err, size_t *npos)
{
	(*npos)++;
	switch (out->cmd) {
	case CMD_CHECK:
	case CMD_FIX:
		if (out->cmd == CMD_FIX && out->nservers == 1) {
			sb_addf(err, "fix takes one server; '%s' is one too many", arg);
			return false;
		}
		if (out->nservers == CLI_MAX_SERVERS) {
			sb_addf(err, "too many servers (at most %d); '%s' is one too many",
				CLI_MAX_SERVERS, arg);
			return false;
		}
		if (strlen(arg) > CLI_SERVER_MAX) {
			sb_addf(err, "the server '%.40s...' is %lu characters long; at most %d "
				"(no host name is longer than 253)", arg, (unsigned long)strlen(arg),
				CLI_SERVER_MAX);
			return false;
		}
		out->servers[out->nservers++] = arg;
		return true;
	case CMD_SET:
		if (*npos > 1) {
			sb_addf(err, "set takes one value; '%s' is one too many", arg);
			return false;
		}
		if (strlen(arg) != 1 || arg[0] < '0' || arg[0] > '2') {
			sb_addf(err, "set: '%s' is not 0, 1 or 2", arg);
			return false;
		}
		out->set_value = (uint32_t)(arg[0] - '0');
		return true;
	case CMD_REPORT:
		if (*npos > 1) {
			sb_addf(err, "report takes one folder; '%s' is one too many", arg);
			return false;
		}
		out->report_dir = arg;
		return true;
	case CMD_HELP:
	case CMD_VERSION:
		return true;
	default:
		sb_addf(err, "unexpected argument '%s'", arg);
		return false;
	}
}

static bool cli_finish(cli *out, size_t npos, strbuf *err)
{
	if (out->cmd == CMD_NONE)
		out->cmd = CMD_CHECK; /* no command: check this machine's connections */
	if (out->window && out->cmd != CMD_CHECK) {
		sb_add(err, "--window goes with check (or no command) only");
		return false;
	}
	if (out->csv && out->cmd != CMD_REPORT) {
		sb_add(err, "--csv goes with report only");
		return false;
	}
	if ((out->psk_file || out->psk_stdin) && out->cmd != CMD_CHECK && out->cmd != CMD_FIX) {
		sb_add(err, "--psk-file and --psk go with check and fix only");
		return false;
	}
	if (out->window && out->quiet) {
		sb_add(err, "--window and --quiet do not go together");
		return false;
	}
	switch (out->cmd) {
	case CMD_FIX:
		if (out->nservers == 0) {
			sb_add(err, "fix needs a server name or address");
			return false;
		}
		return true;
	case CMD_SET:
		if (npos == 0) {
			sb_add(err, "set needs a value: 0, 1 or 2");
			return false;
		}
		return true;
	case CMD_REPORT:
		if (!out->report_dir) {
			sb_add(err, "report needs a folder");
			return false;
		}
		return true;
	default:
		return true;
	}
}

bool cli_parse(int argc, char **argv, cli *out, strbuf *err)
{
	size_t npos = 0;
	int i;

	memset(out, 0, sizeof(*out));
	out->bare = argc <= 1;
	out->timeout_ms = CLI_TIMEOUT_DEFAULT;
	out->max_age_days = FLEET_DEFAULT_MAX_AGE_DAYS;
	out->hosts_shown = FLEET_DEFAULT_HOSTS_SHOWN;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *name = opt_name(arg);

		if (!*arg) {
			sb_add(err, "an empty argument ('') is not valid");
			return false;
		}
		if (name) {
			if (!parse_option(name, &i, argc, argv, out, err))
				return false;
		} else if (out->cmd == CMD_NONE) {
			if (!set_command(arg, out, err))
				return false;
		} else if (!add_positional(arg, out, err, &npos)) {
			return false;
		}
	}
	if (out->json && out->quiet) {
		sb_add(err, "--json and --quiet do not go together");
		return false;
	}
	if (out->csv && out->json) {
		sb_add(err, "--csv and --json do not go together");
		return false;
	}
	return cli_finish(out, npos, err);
}
