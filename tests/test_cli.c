/* test_cli.c - command-line parsing, including every kind of bad input. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define ARGV(...) ((char *[]){ "nattcheck", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "nattcheck", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(out, err, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out, err)

static void test_cli_parse_commands(void **state)
{
	strbuf err;
	cli c;

	(void)state;
	sb_init(&err);
	assert_true(PARSE(&c, &err, "status"));
	assert_int_equal(c.cmd, CMD_STATUS);
	assert_int_equal(c.timeout_ms, CLI_TIMEOUT_DEFAULT);
	assert_true(PARSE(&c, &err, "STATUS", "/json"));
	assert_int_equal(c.cmd, CMD_STATUS);
	assert_true(c.json);
	assert_true(PARSE(&c, &err, "check", "a.example", "198.18.0.1", "--timeout", "5000"));
	assert_int_equal(c.cmd, CMD_CHECK);
	assert_int_equal(c.nservers, 2);
	assert_string_equal(c.servers[1], "198.18.0.1");
	assert_int_equal(c.timeout_ms, 5000);
	assert_true(PARSE(&c, &err, "/timeout:250", "check", "x", "/q"));
	assert_int_equal(c.timeout_ms, 250);
	assert_true(c.quiet);
	assert_true(PARSE(&c, &err, "check", "x", "--timeout=100", "--auth", "cert"));
	assert_int_equal(c.timeout_ms, 100);
	assert_int_equal(c.auth, PROBE_AUTH_CERT);
	assert_true(PARSE(&c, &err, "set", "2"));
	assert_int_equal(c.cmd, CMD_SET);
	assert_int_equal(c.set_value, 2);
	assert_true(PARSE(&c, &err, "set", "0", "--json"));
	assert_int_equal(c.set_value, 0);
	assert_true(PARSE(&c, &err, "revert"));
	assert_int_equal(c.cmd, CMD_REVERT);
	assert_true(PARSE(&c, &err, "fix", "vpn", "--log", "\\\\srv\\share\\nat", "--eventlog"));
	assert_int_equal(c.cmd, CMD_FIX);
	assert_string_equal(c.log_dir, "\\\\srv\\share\\nat");
	assert_true(c.eventlog);
	assert_true(PARSE(&c, &err, "report", "C:\\results"));
	assert_string_equal(c.report_dir, "C:\\results");
	assert_false(c.csv);
	assert_int_equal(c.hosts_shown, 20);
	assert_true(PARSE(&c, &err, "report", "C:\\results", "--csv", "--hosts-shown", "0"));
	assert_true(c.csv);
	assert_int_equal(c.hosts_shown, 0);
	assert_true(PARSE(&c, &err, "report", "C:\\r", "/hosts-shown:100000", "/CSV"));
	assert_int_equal(c.hosts_shown, 100000);
	assert_true(c.csv);
	assert_true(PARSE(&c, &err, "report", "C:\\r", "--hosts-shown=7", "--json"));
	assert_int_equal(c.hosts_shown, 7);
	assert_true(PARSE(&c, &err, "/?"));
	assert_int_equal(c.cmd, CMD_HELP);
	assert_true(PARSE(&c, &err, "--help", "status"));
	assert_int_equal(c.cmd, CMD_HELP);
	assert_true(PARSE(&c, &err, "--version"));
	assert_int_equal(c.cmd, CMD_VERSION);
	assert_false(c.bare);
	/* No command: check this machine's own VPN connections. */
	assert_true(cli_parse(1, (char *[]){ "nattcheck", NULL }, &c, &err));
	assert_int_equal(c.cmd, CMD_CHECK);
	assert_int_equal(c.nservers, 0);
	assert_true(c.bare);
	assert_false(c.window);
	assert_true(PARSE(&c, &err, "check"));
	assert_int_equal(c.cmd, CMD_CHECK);
	assert_int_equal(c.nservers, 0);
	assert_false(c.bare);
	assert_true(PARSE(&c, &err, "--window"));
	assert_int_equal(c.cmd, CMD_CHECK);
	assert_true(c.window);
	assert_false(c.bare);
	assert_true(PARSE(&c, &err, "/WINDOW", "check", "vpn.example", "--json"));
	assert_true(c.window && c.json);
	assert_int_equal(c.nservers, 1);
	assert_int_equal(err.len, 0);
	sb_free(&err);
}

/* Each bad command line fails, and the message quotes the bad part. */
static void test_cli_parse_bad_input(void **state)
{
	static const struct {
		int argc;
		char *argv[6];
		const char *named;
	} bad[] = {
		{ 3, { "nattcheck", "status", "--window" }, "--window goes with check" },
		{ 4, { "nattcheck", "fix", "a", "/window" }, "--window goes with check" },
		{ 3, { "nattcheck", "--window", "-q" }, "--window and --quiet" },
		{ 2, { "nattcheck", "frobnicate" }, "'frobnicate'" },
		{ 2, { "nattcheck", "set" }, "set needs a value" },
		{ 3, { "nattcheck", "set", "3" }, "'3'" },
		{ 3, { "nattcheck", "set", "-1" }, "'-1'" },
		{ 3, { "nattcheck", "set", "abc" }, "'abc'" },
		{ 3, { "nattcheck", "set", "01" }, "'01'" },
		{ 3, { "nattcheck", "set", "1.0" }, "'1.0'" },
		{ 4, { "nattcheck", "set", "1", "2" }, "'2'" },
		{ 3, { "nattcheck", "revert", "now" }, "'now'" },
		{ 3, { "nattcheck", "status", "extra" }, "'extra'" },
		{ 2, { "nattcheck", "fix" }, "needs a server" },
		{ 4, { "nattcheck", "fix", "a", "b" }, "'b'" },
		{ 2, { "nattcheck", "report" }, "needs a folder" },
		{ 5, { "nattcheck", "report", "D", "--hosts-shown", "100001" }, "'100001'" },
		{ 5, { "nattcheck", "report", "D", "--hosts-shown", "-1" }, "'-1'" },
		{ 5, { "nattcheck", "report", "D", "--hosts-shown", "ten" }, "'ten'" },
		{ 4, { "nattcheck", "report", "D", "--hosts-shown" }, "needs a value" },
		{ 5, { "nattcheck", "report", "D", "--csv", "--json" }, "--csv and --json" },
		{ 3, { "nattcheck", "status", "--csv" }, "--csv goes with report" },
		{ 4, { "nattcheck", "report", "D", "--csv=1" }, "'--csv=1'" },
		{ 3, { "nattcheck", "status", "--bogus" }, "'--bogus'" },
		{ 3, { "nattcheck", "status", "/x" }, "'/x'" },
		{ 3, { "nattcheck", "check", "--timeout" }, "needs a value" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "abc" }, "'abc'" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "99" }, "'99'" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "600001" }, "'600001'" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "-5" }, "'-5'" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "99999999999" }, "'99999999999'" },
		{ 4, { "nattcheck", "check", "a", "--timeout=" }, "'--timeout' needs a value" },
		{ 5, { "nattcheck", "check", "a", "--timeout", "" }, "'--timeout' needs a value" },
		{ 4, { "nattcheck", "check", "a", "/timeout:" }, "'/timeout' needs a value" },
		{ 5, { "nattcheck", "check", "a", "--auth", "rsa" }, "'rsa'" },
		{ 3, { "nattcheck", "check", "--log" }, "needs a value" },
		{ 4, { "nattcheck", "status", "--json", "--quiet" }, "do not go together" },
		{ 3, { "nattcheck", "check", "" }, "empty argument" },
		{ 3, { "nattcheck", "--json=1", "status" }, "'--json=1'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf err;
		cli c;

		sb_init(&err);
		print_message("case %zu\n", i);
		assert_false(cli_parse(bad[i].argc, (char **)bad[i].argv, &c, &err));
		assert_non_null(strstr(sb_str(&err), bad[i].named));
		sb_free(&err);
	}
}

static void test_cli_parse_too_many_servers(void **state)
{
	char *argv[CLI_MAX_SERVERS + 3];
	strbuf err;
	cli c;
	int i;

	(void)state;
	argv[0] = "nattcheck";
	argv[1] = "check";
	for (i = 0; i <= CLI_MAX_SERVERS; i++)
		argv[2 + i] = "198.18.0.1";
	sb_init(&err);
	assert_true(cli_parse(CLI_MAX_SERVERS + 2, argv, &c, &err));
	assert_int_equal(c.nservers, CLI_MAX_SERVERS);
	assert_false(cli_parse(CLI_MAX_SERVERS + 3, argv, &c, &err));
	assert_non_null(strstr(sb_str(&err), "too many servers"));
	sb_free(&err);
}

/* A server argument longer than is kept whole is a usage error naming it. */
static void test_cli_parse_server_too_long(void **state)
{
	char name[CLI_SERVER_MAX + 2];
	char *argv[3] = { "nattcheck", "check", name };
	strbuf err;
	cli c;

	(void)state;
	memset(name, 'a', CLI_SERVER_MAX);
	name[CLI_SERVER_MAX] = '\0';
	sb_init(&err);
	assert_true(cli_parse(3, argv, &c, &err));
	name[CLI_SERVER_MAX] = 'a';
	name[CLI_SERVER_MAX + 1] = '\0';
	assert_false(cli_parse(3, argv, &c, &err));
	assert_non_null(strstr(sb_str(&err), "is 256 characters long; at most 255"));
	sb_free(&err);
}

/* The command table: a row for every cli_cmd (CMD_NONE is none), each
 * found by its name in any case, the names distinct, and the help text
 * naming every command (help and version as --help, --version). */
/* The key: from a file or standard input, never as a value on the command
 * line, and a refused value is never echoed (it may be the key). */
static void test_cli_psk(void **state)
{
	static const struct {
		int argc;
		char *argv[7];
		const char *named;
	} bad[] = {
		{ 5, { "nattcheck", "check", "a", "--psk", "S3cret-Key" }, "--psk takes only '-'" },
		{ 4, { "nattcheck", "check", "a", "--psk=S3cret-Key" }, "--psk takes only '-'" },
		{ 4, { "nattcheck", "check", "a", "/psk:S3cret-Key" }, "--psk takes only '-'" },
		{ 4, { "nattcheck", "check", "a", "--psk" }, "needs a value" },
		{ 4, { "nattcheck", "check", "a", "--psk-file" }, "needs a value" },
		{ 6, { "nattcheck", "check", "--psk-file", "k1", "--psk", "-" }, "once" },
		{ 6, { "nattcheck", "check", "--psk", "-", "--psk-file", "k1" }, "once" },
		{ 6, { "nattcheck", "check", "--psk-file", "k1", "--psk-file", "k2" }, "once" },
		{ 4, { "nattcheck", "status", "--psk-file", "k" }, "go with check and fix" },
		{ 4, { "nattcheck", "set", "2", "--psk=-" }, "go with check and fix" },
		{ 5, { "nattcheck", "report", "D", "--psk-file", "k" }, "go with check and fix" },
	};
	strbuf err;
	cli c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sb_init(&err);
		print_message("case %zu\n", i);
		assert_false(cli_parse(bad[i].argc, (char **)bad[i].argv, &c, &err));
		assert_non_null(strstr(sb_str(&err), bad[i].named));
		assert_null(strstr(sb_str(&err), "S3cret"));
		sb_free(&err);
	}
	sb_init(&err);
	assert_true(PARSE(&c, &err, "check", "vpn", "--psk-file", "C:\\k.txt"));
	assert_string_equal(c.psk_file, "C:\\k.txt");
	assert_false(c.psk_stdin);
	assert_true(PARSE(&c, &err, "fix", "vpn", "/psk:-"));
	assert_true(c.psk_stdin);
	assert_null(c.psk_file);
	assert_true(PARSE(&c, &err, "--psk-file=k", "--json"));
	assert_int_equal(c.cmd, CMD_CHECK);
	assert_string_equal(c.psk_file, "k");
	assert_true(PARSE(&c, &err, "check", "vpn"));
	assert_null(c.psk_file);
	assert_false(c.psk_stdin);
	sb_free(&err);
}

static void test_cli_command_table(void **state)
{
	const char *usage = cli_usage();
	strbuf err;
	cli c;
	int i;

	(void)state;
	sb_init(&err);
	assert_null(cli_command_of(CMD_NONE));
	assert_null(cli_command_of(CMD_COUNT));
	assert_null(cli_command_named("frobnicate"));
	assert_null(cli_command_named(""));
	for (i = CMD_NONE + 1; i < CMD_COUNT; i++) {
		const cli_command *row = cli_command_of((cli_cmd)i);
		char upper[32], want[40];
		size_t k;

		assert_non_null(row);
		assert_int_equal(row->cmd, i);
		assert_non_null(row->name);
		assert_true(row->name[0] != '\0' && strlen(row->name) < sizeof(upper));
		/* found as itself: no row before it has its name (in any case) */
		assert_ptr_equal(cli_command_named(row->name), row);
		for (k = 0; row->name[k]; k++)
			upper[k] = (char)toupper((unsigned char)row->name[k]);
		upper[k] = '\0';
		assert_ptr_equal(cli_command_named(upper), row);
		/* the parser knows the word (it may want more arguments) */
		sb_reset(&err);
		if (!cli_parse(2, (char *[]){ "nattcheck", (char *)row->name, NULL }, &c, &err))
			assert_null(strstr(sb_str(&err), "unknown command"));
		else
			assert_int_equal(c.cmd, i);
		/* the help text */
		if (row->info)
			snprintf(want, sizeof(want), "--%s", row->name);
		else
			snprintf(want, sizeof(want), "\n  %s ", row->name);
		assert_non_null(strstr(usage, want));
		/* what runs how: help and version run nothing; changing the
		 * registry needs the machine's state; status, check and report
		 * never need administrator rights (README) */
		if (row->info)
			assert_false(row->gather || row->admin);
		if (row->admin)
			assert_true(row->gather);
		if (i == CMD_STATUS || i == CMD_CHECK || i == CMD_REPORT)
			assert_false(row->admin);
		if (i == CMD_FIX || i == CMD_SET || i == CMD_REVERT)
			assert_true(row->admin);
	}
	/* the commands an unknown one is told about: the table's, in order */
	sb_reset(&err);
	assert_false(PARSE(&c, &err, "frobnicate"));
	assert_string_equal(sb_str(&err),
		"unknown command 'frobnicate' (try: status, check, fix, set, revert, report)");
	sb_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_parse_commands),
		cmocka_unit_test(test_cli_parse_bad_input),
		cmocka_unit_test(test_cli_parse_too_many_servers),
		cmocka_unit_test(test_cli_parse_server_too_long),
		cmocka_unit_test(test_cli_command_table),
		cmocka_unit_test(test_cli_psk),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
