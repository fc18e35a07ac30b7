/* cli.h - the command line: commands, options and their validation. */
#ifndef NATTCHECK_CLI_H
#define NATTCHECK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"
#include "strbuf.h"

#define CLI_MAX_SERVERS 64
/* The longest server argument kept whole (probe_server.name holds it and a
 * NUL; app.c asserts so).  A longer one is a usage error, never cut. */
#define CLI_SERVER_MAX 255
#define CLI_TIMEOUT_DEFAULT 3000u
#define CLI_TIMEOUT_MIN 100u
#define CLI_TIMEOUT_MAX 600000u

typedef enum cli_cmd {
	CMD_NONE = 0, CMD_HELP, CMD_VERSION, CMD_STATUS, CMD_CHECK, CMD_FIX, CMD_SET,
	CMD_REVERT, CMD_REPORT,
	CMD_COUNT                  /* not a command: the number of cli_cmd values */
} cli_cmd;

/* What a command is: one row per cli_cmd but CMD_NONE (which cli_parse
 * turns into CMD_CHECK), in cli.c.  app.c runs each with its handler from
 * a table indexed by cli_cmd. */
typedef struct cli_command {
	cli_cmd cmd;
	const char *name;          /* the word on the command line, and JSON's "command" */
	bool info;                 /* about nattcheck itself (help, version): prints
	                              text, has no result, not listed as a command */
	bool gather;               /* reads this machine's state first; its result
	                              goes to --log and --eventlog */
	bool admin;                /* needs administrator rights: fix checks before it
	                              probes, set and revert where policy.c begins a
	                              change (after telling an OS without the value) */
} cli_command;

typedef struct cli {
	cli_cmd cmd;
	bool json, quiet, eventlog;
	bool window;               /* --window: show the result in a window */
	bool bare;                 /* no arguments at all (double-clicked?) */
	uint32_t timeout_ms;
	const char *log_dir;       /* points into argv, NULL if none */
	probe_auth auth;
	const char *psk_file;      /* --psk-file FILE: the pre-shared key's file */
	bool psk_stdin;            /* --psk -: the key from standard input */
	uint32_t set_value;        /* CMD_SET */
	const char *report_dir;    /* CMD_REPORT */
	uint32_t max_age_days;     /* CMD_REPORT: older results are stale */
	bool csv;                  /* CMD_REPORT: --csv */
	uint32_t hosts_shown;      /* CMD_REPORT: host names listed per group */
	const char *servers[CLI_MAX_SERVERS];
	size_t nservers;           /* 0 for check: this machine's VPN connections */
} cli;

/* Parses argv[1..].  On a usage error returns false with a message in err
 * that names the bad input.  Pointers in out point into argv. */
bool cli_parse(int argc, char **argv, cli *out, strbuf *err);
const char *cli_usage(void);
/* The row of a command; NULL for CMD_NONE and anything out of range. */
const cli_command *cli_command_of(cli_cmd cmd);
/* The row whose name is word (any case); NULL if none. */
const cli_command *cli_command_named(const char *word);
#endif
