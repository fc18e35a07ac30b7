/* test_phonebook.c - this machine's VPN connections: which phonebook
 * entries are checked and why others are not, and `nattcheck` / `check`
 * with no server, `status`, against the fake machine's phonebooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "fake_net.h"
#include "fake_platform.h"
#include "json.h"
#include "phonebook.h"

#define RUN(...) app_main((int)(sizeof((char *[]){ "nattcheck", __VA_ARGS__ }) / sizeof(char *)), \
	(char *[]){ "nattcheck", __VA_ARGS__, NULL })

/* As Windows 10 writes them (trimmed to the keys that matter and a few
 * that do not), one per kind. */
static const char all_users_pbk[] =
	"[Office L2TP]\r\nEncoding=1\r\nPBVersion=4\r\nType=2\r\nVpnStrategy=3\r\n"
	"UsePreSharedKey=1\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\nDevice=WAN Miniport (L2TP)\r\n"
	"DEVICE=vpn\r\nPhoneNumber=198.18.0.9\r\n\r\n"
	"[Automatic]\r\nType=2\r\nVpnStrategy=0\r\nPhoneNumber= 198.18.0.10 \r\n\r\n"
	"[Old PPTP]\r\nType=2\r\nVpnStrategy=1\r\nPhoneNumber=198.18.0.11\r\n\r\n"
	"[IKEv2 only]\r\nType=2\r\nVpnStrategy=7\r\nPhoneNumber=198.18.0.12\r\n\r\n"
	"[Dial-up]\r\nType=1\r\nPhoneNumber=0123456\r\n\r\n"
	"[No server]\r\nType=2\r\nVpnStrategy=3\r\nPhoneNumber=\r\n";
static const char user_pbk[] =
	"[B\xc3\xbcro-VPN \xe6\x9d\xb1\xe4\xba\xac]\r\nType=2\r\nVpnStrategy=4\r\n"
	"PhoneNumber=198.18.0.13\r\n\r\n"
	/* Written by a script: no Type, no VpnStrategy. */
	"[Scripted]\r\nMEDIA=rastapi\r\nDevice=WAN Miniport (L2TP)\r\nDEVICE=vpn\r\n"
	"PhoneNumber=198.18.0.14\r\nUsePreSharedKey=1\r\n\r\n"
	"[SSTP]\r\nType=2\r\nVpnStrategy=5\r\nPhoneNumber=198.18.0.15\r\n";

static int setup(void **state)
{
	(void)state;
	fake_reset();
	fake_net_reset();
	return 0;
}

static const pbk_entry *find(const pbk_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].name, name))
			return &l->e[i];
	return NULL;
}

static void test_pbk_classifies_entries(void **state)
{
	static pbk_list l;
	const pbk_entry *e;

	(void)state;
	fake_pbk_put(PLAT_PBK_ALL_USERS, all_users_pbk);
	fake_pbk_put(PLAT_PBK_USER, user_pbk);
	pbk_load(&l);
	assert_int_equal(l.n, 8); /* the dial-up entry is not a VPN */
	assert_int_equal(l.ncheck, 4);
	assert_null(find(&l, "Dial-up"));
	e = find(&l, "Office L2TP");
	assert_non_null(e);
	assert_true(e->check);
	assert_int_equal(e->auth, PROBE_AUTH_PSK);
	assert_int_equal(e->scope, PLAT_PBK_ALL_USERS);
	assert_string_equal(e->server, "198.18.0.9");
	assert_string_equal(pbk_strategy_name(e->strategy), "L2TP only");
	e = find(&l, "Automatic");
	assert_true(e->check);
	assert_int_equal(e->auth, PROBE_AUTH_CERT);  /* no UsePreSharedKey */
	assert_string_equal(e->server, "198.18.0.10"); /* trimmed */
	e = find(&l, "Old PPTP");
	assert_false(e->check);
	assert_non_null(strstr(e->why, "PPTP only"));
	assert_string_equal(e->server, "198.18.0.11");
	e = find(&l, "IKEv2 only");
	assert_false(e->check);
	assert_non_null(strstr(e->why, "IKEv2"));
	e = find(&l, "No server");
	assert_false(e->check);
	assert_non_null(strstr(e->why, "names no server"));
	e = find(&l, "B\xc3\xbcro-VPN \xe6\x9d\xb1\xe4\xba\xac");
	assert_non_null(e);
	assert_true(e->check);
	assert_int_equal(e->scope, PLAT_PBK_USER);
	assert_string_equal(pbk_strategy_name(e->strategy), "L2TP first");
	e = find(&l, "Scripted");
	assert_true(e->check);
	assert_int_equal(e->strategy, PBK_VS_L2TP_ONLY);
	assert_int_equal(e->auth, PROBE_AUTH_PSK);
	e = find(&l, "SSTP");
	assert_false(e->check);
	assert_non_null(strstr(e->why, "SSTP only"));
}

static void test_pbk_missing_unreadable_and_odd(void **state)
{
	static pbk_list l;
	char why[900], big[8192], name[64];
	size_t off = 0;

	(void)state;
	pbk_load(&l); /* neither phonebook exists: normal */
	assert_int_equal(l.n, 0);
	assert_string_equal(l.problem[0], "");
	pbk_none_why(&l, why, sizeof(why));
	assert_string_equal(why, "this machine has no VPN connection; name a server, or create "
		"the VPN connection first");
	fake_pbk_put(PLAT_PBK_ALL_USERS, "[PPTP]\nType=2\nVpnStrategy=1\nPhoneNumber=x\n");
	fake_pbk_fail(PLAT_PBK_USER, PLAT_EACCES);
	pbk_load(&l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ncheck, 0);
	assert_non_null(strstr(l.problem[PLAT_PBK_USER], "cannot read the user phonebook"));
	assert_non_null(strstr(l.problem[PLAT_PBK_USER], "Access is denied"));
	pbk_none_why(&l, why, sizeof(why));
	assert_non_null(strstr(why, "none of this machine's VPN connections can use L2TP/IPsec"));
	assert_non_null(strstr(why, "Access is denied"));
	assert_non_null(strstr(why, "create the VPN connection first"));
	/* Junk numbers, an unknown strategy, a server too long to keep,
	 * more entries than kept. */
	fake_reset();
	off += (size_t)snprintf(big + off, sizeof(big) - off,
		"[Junk type]\nType=2x\nPhoneNumber=a\n[Junk strategy]\nType=2\nVpnStrategy=-3\n"
		"PhoneNumber=198.18.0.1\n[Unknown strategy]\nType=2\nVpnStrategy=99\n"
		"PhoneNumber=198.18.0.1\n[Long]\nType=2\nPhoneNumber=");
	memset(big + off, 'a', 300);
	off += 300;
	big[off++] = '\n';
	for (int i = 0; i < PBK_MAX_ENTRIES + 3; i++) {
		snprintf(name, sizeof(name), "[E%d]\nType=2\nPhoneNumber=h%d\n", i, i);
		off += (size_t)snprintf(big + off, sizeof(big) - off, "%s", name);
	}
	fake_pbk_put(PLAT_PBK_ALL_USERS, big);
	pbk_load(&l);
	assert_null(find(&l, "Junk type"));            /* not a number: not a VPN */
	assert_true(find(&l, "Junk strategy")->check); /* unreadable: automatic */
	assert_false(find(&l, "Unknown strategy")->check);
	assert_false(find(&l, "Long")->check);
	assert_non_null(strstr(find(&l, "Long")->why, "longer than 255"));
	assert_int_equal(l.n, PBK_MAX_ENTRIES);
	assert_true(l.dropped > 0);
	/* No application data folder at all. */
	fake_reset();
	fake_pbk_no_folder(true);
	pbk_load(&l);
	assert_int_equal(l.n, 0);
}

/* `nattcheck` (no arguments) and `check` with no server: every entry that
 * may use L2TP/IPsec is probed with its own auth, and named in the output. */
static void test_app_no_server_checks_the_phonebook(void **state)
{
	json_doc d;
	const json_node *root, *servers, *conns;
	char *bare[] = { "nattcheck", NULL };
	int rc;

	(void)state;
	fake_pbk_put(PLAT_PBK_ALL_USERS, all_users_pbk);
	fake_pbk_put(PLAT_PBK_USER, user_pbk);
	fake_net_unreach_on_send(500);
	fake_net_unreach_on_send(4500);
	assert_int_equal(RUN("--json", "check"), 3);
	assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
	root = &d.nodes[0];
	servers = json_get(&d, root, "servers");
	assert_non_null(json_at(&d, servers, 3));
	assert_null(json_at(&d, servers, 4));
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 0), "entry"), "Office L2TP");
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 0), "phonebook"), "all-users");
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 0), "auth"), "psk");
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 1), "auth"), "cert");
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 2), "entry"),
		"B\xc3\xbcro-VPN \xe6\x9d\xb1\xe4\xba\xac");
	assert_string_equal(json_get_str(&d, json_at(&d, servers, 2), "phonebook"), "user");
	conns = json_get(&d, root, "connections");
	assert_non_null(json_at(&d, conns, 7));
	assert_string_equal(json_get_str(&d, json_at(&d, conns, 2), "skipped_why"),
		"PPTP only: does not use L2TP/IPsec");
	json_free(&d);
	fake_output_clear();
	rc = app_main(1, bare);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(fake_stdout(), "\"Office L2TP\": 198.18.0.9: blocked-udp500"));
	assert_non_null(strstr(fake_stdout(), "\"Old PPTP\": 198.18.0.11: not checked: PPTP only"));
	assert_int_equal(fake_ui_shown(), 0); /* not a console of its own */
}

static void test_app_no_connection_is_usage_64(void **state)
{
	json_doc d;
	char *bare[] = { "nattcheck", NULL };

	(void)state;
	assert_int_equal(app_main(1, bare), 64);
	assert_non_null(strstr(fake_stderr(), "name a server, or create the VPN connection first"));
	assert_int_equal(fake_net_sent_count(), 0);
	assert_int_equal(fake_reg_writes(), 0);
	fake_output_clear();
	fake_pbk_put(PLAT_PBK_USER, "[P]\r\nType=2\r\nVpnStrategy=1\r\nPhoneNumber=198.18.0.1\r\n");
	assert_int_equal(RUN("--json", "check"), 64);
	assert_true(json_parse(&d, fake_stdout(), strlen(fake_stdout())));
	assert_non_null(strstr(json_get_str(&d, &d.nodes[0], "error"), "none of this machine's"));
	assert_non_null(json_get(&d, &d.nodes[0], "connections"));
	json_free(&d);
	assert_int_equal(fake_net_sent_count(), 0);
	/* A server named on the command line never reads the phonebook. */
	fake_pbk_fail(PLAT_PBK_USER, PLAT_EACCES);
	fake_net_unreach_on_send(500);
	fake_output_clear();
	assert_int_equal(RUN("check", "198.18.0.1"), 3);
	assert_null(strstr(fake_stdout(), "not checked"));
}

static void test_app_status_lists_connections(void **state)
{
	(void)state;
	fake_pbk_put(PLAT_PBK_ALL_USERS, all_users_pbk);
	assert_int_equal(RUN("status"), 0);
	assert_non_null(strstr(fake_stdout(), "VPN:       \"Office L2TP\": 198.18.0.9, L2TP only, "
		"pre-shared key (all users)"));
	assert_non_null(strstr(fake_stdout(), "\"IKEv2 only\": 198.18.0.12, IKEv2 only, "
		"certificate (all users)\n             not checked: IKEv2 only"));
	fake_output_clear();
	fake_reset();
	assert_int_equal(RUN("status"), 0);
	assert_non_null(strstr(fake_stdout(), "VPN:       no VPN connection on this machine"));
}

/* The window: only for a person (interactive), and only when double-clicked
 * (no arguments, console of its own) or asked for (--window). */
static void test_app_window_only_when_a_person_can_answer(void **state)
{
	char *bare[] = { "nattcheck", NULL };

	(void)state;
	fake_pbk_put(PLAT_PBK_ALL_USERS, all_users_pbk);
	fake_net_unreach_on_send(500);
	fake_ui_set(true, true);
	assert_int_equal(app_main(1, bare), 3);
	assert_int_equal(fake_ui_shown(), 1);
	assert_non_null(strstr(fake_ui_text('h'), "does not answer"));
	assert_non_null(strstr(fake_ui_text('b'), "Office L2TP (198.18.0.9)"));
	assert_non_null(strstr(fake_ui_text('c'), "\"entry\":\"Office L2TP\""));
	assert_string_equal(fake_ui_text('f'), ""); /* nothing Fix can do */
	/* Any argument: no window, even on a console of its own. */
	assert_int_equal(RUN("check"), 3);
	assert_int_equal(RUN("--json"), 3);
	assert_int_equal(fake_ui_shown(), 1);
	/* A console shared with a script: no window. */
	fake_ui_set(true, false);
	assert_int_equal(app_main(1, bare), 3);
	assert_int_equal(fake_ui_shown(), 1);
	/* --window: a window, also for a named server and for an error. */
	assert_int_equal(RUN("--window", "check", "198.18.0.20"), 3);
	assert_int_equal(fake_ui_shown(), 2);
	fake_pbk_put(PLAT_PBK_ALL_USERS, "");
	assert_int_equal(RUN("--window"), 64);
	assert_int_equal(fake_ui_shown(), 3);
	assert_string_equal(fake_ui_text('h'), "Nothing was checked.");
	assert_non_null(strstr(fake_ui_text('b'), "create the VPN connection first"));
	/* A service, SYSTEM, session 0: never, not even with --window. */
	fake_ui_set(false, true);
	assert_int_equal(app_main(1, bare), 64);
	assert_int_equal(RUN("--window"), 64);
	assert_int_equal(fake_ui_shown(), 3);
	assert_non_null(strstr(fake_stderr(), "create the VPN connection first"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pbk_classifies_entries, setup),
		cmocka_unit_test_setup(test_pbk_missing_unreadable_and_odd, setup),
		cmocka_unit_test_setup(test_app_no_server_checks_the_phonebook, setup),
		cmocka_unit_test_setup(test_app_no_connection_is_usage_64, setup),
		cmocka_unit_test_setup(test_app_status_lists_connections, setup),
		cmocka_unit_test_setup(test_app_window_only_when_a_person_can_answer, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
