/* fuzz_cli.c - libFuzzer harness: cli_parse with argv built by splitting
 * the input on NUL bytes (at most FUZZ_ARGC_MAX arguments, each in its own
 * exact-size allocation so ASan sees a read past its NUL).
 *
 * Checks: a failure always names the problem; a success is a consistent
 * command line whose pointers all point into argv. */
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "fuzz_util.h"

#define FUZZ_ARGC_MAX 80 /* more than CLI_MAX_SERVERS + command + options */

static bool in_argv(const char *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static void check_ok(const cli *c, int argc, char **argv)
{
	FUZZ_CHECK(cli_command_of(c->cmd) != NULL && cli_command_of(c->cmd)->cmd == c->cmd);
	FUZZ_CHECK(c->timeout_ms >= CLI_TIMEOUT_MIN && c->timeout_ms <= CLI_TIMEOUT_MAX);
	FUZZ_CHECK(c->max_age_days >= 1 && c->max_age_days <= 3650);
	FUZZ_CHECK(c->auth == PROBE_AUTH_PSK || c->auth == PROBE_AUTH_CERT);
	FUZZ_CHECK(!(c->json && c->quiet));
	FUZZ_CHECK(c->nservers <= CLI_MAX_SERVERS);
	FUZZ_CHECK(c->set_value <= 2);
	/* check may have no server (this machine's VPN connections) */
	FUZZ_CHECK(!(c->window && c->quiet));
	if (c->bare || c->window)
		FUZZ_CHECK(c->cmd == CMD_CHECK);
	if (c->cmd == CMD_FIX)
		FUZZ_CHECK(c->nservers == 1);
	if (c->cmd == CMD_REPORT)
		FUZZ_CHECK(c->report_dir != NULL);
	for (size_t i = 0; i < c->nservers; i++) {
		FUZZ_CHECK(c->servers[i] != NULL && in_argv(c->servers[i], argc, argv));
		FUZZ_CHECK(c->servers[i][0] != '\0');
	}
	if (c->log_dir)
		FUZZ_CHECK(in_argv(c->log_dir, argc, argv) && c->log_dir[0] != '\0');
	if (c->report_dir)
		FUZZ_CHECK(in_argv(c->report_dir, argc, argv));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_ARGC_MAX + 2];
	int argc = 1;
	size_t start = 0;
	strbuf err;
	cli c;
	bool ok;

	argv[0] = (char *)"nattcheck";
	/* "a\0b" -> {"a", "b"}; an empty input is no argument at all */
	while (size > 0 && start <= size && argc <= FUZZ_ARGC_MAX) {
		const uint8_t *nul = memchr(data + start, 0, size - start);
		size_t end = nul ? (size_t)(nul - data) : size;

		argv[argc] = malloc(end - start + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + start, end - start);
		argv[argc][end - start] = '\0';
		argc++;
		start = end + 1;
	}
	argv[argc] = NULL;

	sb_init(&err);
	ok = cli_parse(argc, argv, &c, &err);
	if (ok) {
		check_ok(&c, argc, argv);
	} else {
		FUZZ_CHECK(err.len > 0 && strlen(sb_str(&err)) == err.len);
	}
	(void)cli_usage();
	sb_free(&err);
	for (int i = 1; i < argc; i++)
		free(argv[i]);
	return 0;
}
