/* test_ui.c - the window's words: plain sentences per verdict, the Fix
 * button's command, and what is said after Fix ran. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "phonebook.h"
#include "ui.h"

static void test_ui_every_verdict_has_plain_words(void **state)
{
	(void)state;
	for (int v = 0; v < V_COUNT; v++) {
		const char *p = verdict_table[v].plain;
		assert_non_null(p);
		assert_true(strlen(p) > 30);
		/* A sentence for a person, not the verdict's name. */
		assert_null(strstr(p, verdict_table[v].name));
	}
}

/* Two connections need the registry (value 1 and value 2): Fix is for the
 * one needing 2, with its auth; one that works adds nothing. */
static void test_ui_fix_for_the_highest_value(void **state)
{
	probe_server s[3];
	decision d[3];
	run_result r;
	ui_content u;

	(void)state;
	memset(s, 0, sizeof(s));
	memset(d, 0, sizeof(d));
	memset(&r, 0, sizeof(r));
	strcpy(s[0].name, "a.example");
	strcpy(s[1].name, "b.example");
	strcpy(s[2].name, "c.example");
	s[1].auth = PROBE_AUTH_CERT;
	d[0].v = V_NEEDS_REGISTRY, d[0].required_value = 1;
	d[1].v = V_NEEDS_REGISTRY, d[1].required_value = 2;
	d[2].v = V_WORKS, d[2].required_value = 0;
	strcpy(d[0].advice, "advice zero");
	r.host = "PC1", r.servers = s, r.decisions = d, r.n = 3;
	r.have_verdict = true, r.run_verdict = V_NEEDS_REGISTRY, r.exit_code = 1;
	ui_init(&u);
	ui_build(&r, &u);
	assert_string_equal(sb_str(&u.title), "nattcheck - VPN through NAT on PC1");
	assert_non_null(strstr(sb_str(&u.headline), "Click Fix"));
	assert_non_null(strstr(sb_str(&u.headline), "3 connections"));
	assert_int_equal(u.nfix, 4);
	assert_string_equal(u.fix_args[0], "fix");
	assert_string_equal(u.fix_args[1], "b.example");
	assert_string_equal(u.fix_args[3], "cert");
	assert_non_null(strstr(sb_str(&u.body), "a.example\r\n"));
	assert_non_null(strstr(sb_str(&u.body), "advice zero"));
	ui_free(&u);
	/* Nothing needs the registry: no Fix button. */
	d[0].v = d[1].v = V_BLOCKED_UDP4500;
	r.run_verdict = V_BLOCKED_UDP4500;
	ui_init(&u);
	ui_build(&r, &u);
	assert_int_equal(u.nfix, 0);
	assert_non_null(strstr(sb_str(&u.headline), "4500"));
	ui_free(&u);
}

static void test_ui_fix_said(void **state)
{
	(void)state;
	assert_non_null(strstr(ui_fix_said(2), "Restart Windows"));
	assert_non_null(strstr(ui_fix_said(0), "already right"));
	assert_non_null(strstr(ui_fix_said(77), "administrator"));
	assert_non_null(strstr(ui_fix_said(-1), "did not run"));
	assert_non_null(strstr(ui_fix_said(70), "failed"));
}

static void test_ui_wanted(void **state)
{
	cli c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.cmd = CMD_CHECK;
	c.bare = true;
	assert_true(ui_wanted(&c, true, true));
	assert_false(ui_wanted(&c, false, true));  /* shared console / redirected */
	assert_false(ui_wanted(&c, true, false));  /* service, SYSTEM, session 0 */
	c.bare = false;
	assert_false(ui_wanted(&c, true, true));   /* any argument */
	c.window = true;
	assert_true(ui_wanted(&c, false, true));
	assert_false(ui_wanted(&c, true, false));
	c.cmd = CMD_STATUS;
	assert_false(ui_wanted(&c, true, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ui_every_verdict_has_plain_words),
		cmocka_unit_test(test_ui_fix_for_the_highest_value),
		cmocka_unit_test(test_ui_fix_said),
		cmocka_unit_test(test_ui_wanted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
