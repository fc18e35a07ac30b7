/* test_app.c - whole commands through app_main against the fake machine:
 * exit codes, JSON shape, the non-admin paths, --log and --eventlog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "fake_net.h"
#include "fake_platform.h"
#include "json.h"
#include "osinfo.h"
#include "policy.h"

#define RUN(...) app_main((int)(sizeof((char *[]){ "nattcheck", __VA_ARGS__ }) / sizeof(char *)), \
	(char *[]){ "nattcheck", __VA_ARGS__, NULL })

static int setup(void **state)
{
	(void)state;
	fake_reset();
	fake_net_reset();
	return 0;
}

static void test_app_status_json_fields(void **state)
{
	json_doc d;
	const json_node *root, *pol;

	(void)state;
	assert_int_equal(RUN("--json", "status"), 0);
	assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
	root = &d.nodes[0];
	assert_string_equal(json_get_str(&d, root, "version"), "1.0.0");
	assert_string_equal(json_get_str(&d, root, "host"), "TESTPC");
	assert_int_equal((int)json_get(&d, json_get(&d, root, "os"), "major")->num, 10);
	pol = json_get(&d, root, "policy");
	assert_string_equal(json_get_str(&d, pol, "key"),
		"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent");
	assert_string_equal(json_get_str(&d, pol, "state"), "absent");
	assert_int_equal(json_get(&d, pol, "value")->type, JSON_NULL);
	assert_int_equal(json_get(&d, pol, "reboot_pending")->type, JSON_BOOL);
	assert_int_equal((int)json_get(&d, root, "exit_code")->num, 0);
	json_free(&d);
}

static void test_app_set_revert_non_admin_77(void **state)
{
	strbuf before, after;

	(void)state;
	sb_init(&before), sb_init(&after);
	fake_reg_put_dword(OS_KEY_VISTA, OS_VALUE_NAME, 1);
	fake_reg_dump(&before);
	fake_set_admin(false);
	assert_int_equal(RUN("set", "2"), 77);
	assert_non_null(strstr(fake_stderr(), "administrator"));
	assert_int_equal(RUN("revert"), 77);
	assert_int_equal(RUN("fix", "198.18.0.9"), 77);
	assert_int_equal(fake_net_sent_count(), 0);
	assert_int_equal(fake_reg_writes(), 0);
	fake_reg_dump(&after);
	assert_string_equal(sb_str(&before), sb_str(&after));
	sb_free(&before), sb_free(&after);
}

static void test_app_set_then_status(void **state)
{
	(void)state;
	assert_int_equal(RUN("set", "1"), 0);
	assert_non_null(strstr(fake_stdout(), "Restart Windows"));
	fake_output_clear();
	assert_int_equal(RUN("status"), 0);
	assert_non_null(strstr(fake_stdout(), "= 1"));
	assert_non_null(strstr(fake_stdout(), "PENDING"));
}

static void test_app_usage_error_64_json(void **state)
{
	json_doc d;

	(void)state;
	assert_int_equal(RUN("--json", "set", "7"), 64);
	assert_non_null(strstr(fake_stderr(), "'7'"));
	assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
	assert_int_equal((int)json_get(&d, &d.nodes[0], "exit_code")->num, 64);
	assert_non_null(strstr(json_get_str(&d, &d.nodes[0], "error"), "'7'"));
	json_free(&d);
	assert_int_equal(fake_reg_writes(), 0);
}

static void test_app_check_unreachable_log_and_event(void **state)
{
	const char *logged;

	(void)state;
	fake_net_unreach_on_send(500);
	fake_net_unreach_on_send(4500);
	assert_int_equal(RUN("--json", "check", "198.18.0.9", "--log", "C:\\res"), 3);
	logged = fake_file_get("C:\\res", "TESTPC.json");
	assert_non_null(logged);
	assert_string_equal(logged, fake_stdout());
	assert_non_null(strstr(logged, "\"verdict\":\"blocked-udp500\""));
	fake_output_clear();
	assert_int_equal(RUN("check", "198.18.0.9", "--eventlog", "--quiet"), 3);
	assert_string_equal(fake_stdout(), "");
	assert_int_equal(fake_event_count(), 1);
	assert_int_equal(fake_event_id(), 1002);
	assert_int_equal(fake_event_type(), PLAT_EVENT_ERROR);
	assert_non_null(strstr(fake_event_text(), "blocked-udp500"));
}

/* The key: a bad source is a usage error that probes nothing and never
 * shows the key; a good one reaches the probe and no output carries it. */
static void test_app_psk(void **state)
{
	static const char key[] = "Zq7-secret-Key";
	json_doc d;
	const json_node *srv;

	(void)state;
	assert_int_equal(RUN("check", "198.18.0.9", "--psk-file", "C:\\k\\none.txt"), 64);
	assert_non_null(strstr(fake_stderr(), "none.txt"));
	assert_non_null(strstr(fake_stderr(), "nothing was probed"));
	assert_int_equal(fake_net_sent_count(), 0);
	fake_output_clear();
	fake_file_put("C:\\k", "empty.txt", "\r\n", 2);
	assert_int_equal(RUN("fix", "198.18.0.9", "--psk-file", "C:\\k\\empty.txt"), 64);
	assert_non_null(strstr(fake_stderr(), "empty"));
	assert_int_equal(fake_reg_writes(), 0);
	fake_output_clear();
	fake_env_psk("", 0);
	assert_int_equal(RUN("check", "198.18.0.9"), 64);
	assert_non_null(strstr(fake_stderr(), "NATTCHECK_PSK"));
	fake_output_clear();
	fake_env_psk("qXw\0zZy", 7); /* a NUL inside */
	assert_int_equal(RUN("--json", "check", "198.18.0.9"), 64);
	assert_null(strstr(fake_stdout(), "qXw"));
	assert_non_null(strstr(fake_stdout(), "NUL"));
	assert_int_equal(fake_net_sent_count(), 0);
	fake_env_psk(NULL, 0);
	fake_output_clear();

	/* from standard input, to a server that is unreachable: not tested */
	fake_stdin(key, strlen(key));
	fake_net_unreach_on_send(500);
	fake_net_unreach_on_send(4500);
	assert_int_equal(RUN("--json", "check", "198.18.0.9", "--psk", "-", "--log", "C:\\res",
		"--eventlog"), 3);
	assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
	srv = json_at(&d, json_get(&d, &d.nodes[0], "servers"), 0);
	assert_non_null(srv);
	assert_string_equal(json_get_str(&d, srv, "phase1"), "not-tested");
	assert_non_null(strstr(json_get_str(&d, srv, "phase1_detail"), "before message 5"));
	json_free(&d);
	assert_null(strstr(fake_stdout(), key));
	assert_null(strstr(fake_stderr(), key));
	assert_null(strstr(fake_file_get("C:\\res", "TESTPC.json"), key));
	assert_null(strstr(fake_event_text(), key));
}

static void test_app_log_failure_is_a_warning(void **state)
{
	(void)state;
	fake_dir_exists(false);
	fake_net_unreach_on_send(500);
	assert_int_equal(RUN("check", "198.18.0.9", "--log", "Q:\\nope"), 3);
	assert_non_null(strstr(fake_stderr(), "warning"));
}

static void test_app_report_command(void **state)
{
	(void)state;
	fake_net_unreach_on_send(500);
	assert_int_equal(RUN("--json", "check", "198.18.0.9", "--log", "C:\\res"), 3);
	fake_output_clear();
	assert_int_equal(RUN("report", "C:\\res"), 0);
	assert_non_null(strstr(fake_stdout(), "1 result file"));
	assert_non_null(strstr(fake_stdout(), "  blocked-udp500: 1 host\n"));
	assert_non_null(strstr(fake_stdout(), "    Hosts: TESTPC\n"));
	fake_output_clear();
	assert_int_equal(RUN("report", "C:\\res", "--csv"), 0);
	assert_memory_equal(fake_stdout(), "\xEF\xBB\xBFhost,", 8);
	assert_non_null(strstr(fake_stdout(), "\r\nTESTPC,"));
	assert_int_equal(RUN("report", "C:\\res", "--csv", "--json"), 64);
}

/* Every command of cli.c's table runs through app_main with its handler:
 * a documented exit code, and for all but help and version one JSON
 * document whose "command" is the command's name. */
static void test_app_every_command(void **state)
{
	(void)state;
	for (int i = CMD_NONE + 1; i < CMD_COUNT; i++) {
		const cli_command *row = cli_command_of((cli_cmd)i);
		char *argv[5] = { "nattcheck", (char *)row->name, "--json", NULL, NULL };
		int argc = 3, code;
		json_doc d;

		fake_reset();
		fake_net_reset();
		fake_net_unreach_on_send(500);
		if (i == CMD_CHECK || i == CMD_FIX)
			argv[argc++] = "198.18.0.9";
		else if (i == CMD_SET)
			argv[argc++] = "0";
		else if (i == CMD_REPORT)
			argv[argc++] = "C:\\res";
		print_message("%s\n", row->name);
		code = app_main(argc, argv);
		assert_true(code == 0 || code == 1 || code == 2 || code == 3 || code == 64 ||
			code == 70 || code == 77);
		if (row->info) {
			assert_int_equal(code, 0);
			assert_true(strlen(fake_stdout()) > 0 && fake_stdout()[0] != '{');
			continue;
		}
		assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
		if (i != CMD_REPORT) /* report's own document is the fleet's */
			assert_string_equal(json_get_str(&d, &d.nodes[0], "command"), row->name);
		json_free(&d);
	}
}

/* An error goes to stderr (not with --quiet) and with --json to stdout; a
 * command that read the
 * machine's state also to --log and --eventlog, report and usage errors
 * not; help and version print even with --quiet. */
static void test_app_error_outputs(void **state)
{
	const char *logged;

	(void)state;
	fake_set_admin(false);
	assert_int_equal(RUN("fix", "198.18.0.9", "--log", "C:\\res", "--eventlog", "-q"), 77);
	assert_string_equal(fake_stdout(), "");
	assert_string_equal(fake_stderr(), ""); /* --quiet: only usage errors are told */
	logged = fake_file_get("C:\\res", "TESTPC.json");
	assert_non_null(logged);
	assert_non_null(strstr(logged, "\"command\":\"fix\""));
	assert_non_null(strstr(logged, "\"exit_code\":77"));
	assert_int_equal(fake_event_count(), 1);
	assert_non_null(strstr(fake_event_text(), "nattcheck fix failed: "));
	fake_files_reset();
	fake_output_clear();
	fake_dir_exists(false);
	assert_int_equal(RUN("--json", "report", "Q:\\nope", "--log", "C:\\res", "--eventlog"), 64);
	assert_non_null(strstr(fake_stdout(), "\"command\":\"report\""));
	assert_null(fake_file_get("C:\\res", "TESTPC.json"));
	assert_int_equal(fake_event_count(), 1);
	fake_dir_exists(true);
	fake_output_clear();
	assert_int_equal(RUN("--help", "--quiet"), 0);
	assert_string_equal(fake_stdout(), cli_usage());
	fake_output_clear();
	assert_int_equal(RUN("version", "-q", "--log", "C:\\res"), 0);
	assert_string_equal(fake_stdout(), "nattcheck 1.0.0\n");
	assert_null(fake_file_get("C:\\res", "TESTPC.json"));
	assert_int_equal(fake_event_count(), 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_app_status_json_fields),
		T(test_app_set_revert_non_admin_77),
		T(test_app_set_then_status),
		T(test_app_usage_error_64_json),
		T(test_app_check_unreachable_log_and_event),
		T(test_app_log_failure_is_a_warning),
		T(test_app_psk),
		T(test_app_report_command),
		T(test_app_every_command),
		T(test_app_error_outputs),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
