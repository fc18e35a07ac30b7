/* test_decide.c - the verdict table: every OS class x value state x NAT
 * combination x port/NAT-T/proposal outcome, and the advice's numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"

static os_info mkos(uint32_t major, uint32_t minor, uint32_t sp)
{
	plat_os os = { 0 };
	os_info info;

	os.major = major, os.minor = minor, os.sp_major = sp, os.build = 1;
	os_classify(&os, &info);
	return info;
}

static probe_server answered(probe_tri srv, probe_tri cli, probe_udp4500 u4500)
{
	probe_server s;

	memset(&s, 0, sizeof(s));
	strcpy(s.name, "vpn.example.com");
	strcpy(s.address, "198.19.0.10");
	s.resolve = RESOLVE_OK;
	s.udp500 = UDP500_ANSWERED;
	s.natt = NATT_RFC3947;
	s.server_behind_nat = srv;
	s.client_behind_nat = cli;
	s.udp4500 = u4500;
	s.mm4_received = true;
	return s;
}

/* The rules of README.md's verdict table, stated independently of decide.c. */
static verdict oracle(const os_info *os, const policy *p, const probe_server *s, int *req)
{
	bool srv = s->server_behind_nat == TRI_TRUE, cli = s->client_behind_nat == TRI_TRUE;
	int have = p->state == POLICY_VALID ? (int)p->value : 0;

	*req = -1;
	if (s->resolve != RESOLVE_OK || s->udp500 == UDP500_NO_ANSWER ||
	    s->udp500 == UDP500_UNREACHABLE)
		return V_BLOCKED_UDP500;
	if (s->udp500 == UDP500_REJECTED)
		return V_PROPOSAL_REJECTED;
	if (s->natt == NATT_NONE || (os->cls == OSC_TOO_OLD && (srv || cli)))
		return V_NO_NATT;
	*req = srv && cli ? 2 : srv ? 1 : 0;
	if ((srv || cli) && s->udp4500 != UDP4500_ANSWERED)
		return V_BLOCKED_UDP4500;
	if (have >= *req)
		return *req > 0 && p->reboot_pending ? V_REBOOT_PENDING : V_WORKS;
	return V_NEEDS_REGISTRY;
}

static void test_decide_server_whole_table(void **state)
{
	const os_info oses[] = { mkos(5, 1, 1), mkos(5, 1, 2), mkos(5, 2, 2), mkos(6, 1, 1),
		mkos(10, 0, 0) };
	/* absent, 0, 1, 2, invalid 3, invalid REG_SZ */
	const struct { policy_state st; uint32_t v; } values[] = { { POLICY_ABSENT, 0 },
		{ POLICY_VALID, 0 }, { POLICY_VALID, 1 }, { POLICY_VALID, 2 },
		{ POLICY_INVALID, 3 }, { POLICY_INVALID, 0 } };
	const probe_tri tris[] = { TRI_FALSE, TRI_TRUE };
	const probe_udp4500 u4500s[] = { UDP4500_ANSWERED, UDP4500_NO_ANSWER, UDP4500_UNREACHABLE };
	const probe_udp500 u500s[] = { UDP500_ANSWERED, UDP500_REJECTED, UDP500_NO_ANSWER,
		UDP500_UNREACHABLE };
	const probe_natt natts[] = { NATT_RFC3947, NATT_DRAFT, NATT_NONE };
	size_t o, v, a, b, c, d, e, rb, count = 0;

	(void)state;
	for (o = 0; o < 5; o++)
	for (v = 0; v < 6; v++)
	for (rb = 0; rb < 2; rb++)
	for (a = 0; a < 2; a++)
	for (b = 0; b < 2; b++)
	for (c = 0; c < 3; c++)
	for (d = 0; d < 4; d++)
	for (e = 0; e < 3; e++) {
		policy p;
		probe_server s = answered(tris[a], tris[b], u4500s[c]);
		decision dec;
		verdict want;
		int req;

		memset(&p, 0, sizeof(p));
		p.key = oses[o].policy_key;
		p.state = values[v].st;
		p.value = values[v].v;
		p.has_number = values[v].st == POLICY_VALID || values[v].v;
		p.reboot_pending = rb;
		s.udp500 = u500s[d];
		s.natt = natts[e];
		if (s.udp500 != UDP500_ANSWERED) {
			s.natt = NATT_UNKNOWN;
			s.server_behind_nat = s.client_behind_nat = TRI_NULL;
		}
		want = oracle(&oses[o], &p, &s, &req);
		decide_server(&oses[o], &p, &s, &dec);
		if (dec.v != want || (want != V_BLOCKED_UDP500 && want != V_PROPOSAL_REJECTED &&
		    want != V_NO_NATT && dec.required_value != req))
			fail_msg("os %zu value %zu rb %zu srv %zu cli %zu 4500 %zu 500 %zu natt %zu: "
				"got %s/%d want %s/%d", o, v, rb, a, b, c, d, e, verdict_name(dec.v),
				dec.required_value, verdict_name(want), req);
		assert_true(strlen(dec.advice) > 20);
		count++;
	}
	assert_int_equal(count, 5 * 6 * 2 * 2 * 2 * 3 * 4 * 3);
}

static void test_decide_server_advice_numbers(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s;
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.key = w10.policy_key;
	/* Server behind NAT, value absent: set 1, with the KB 885348 caveat. */
	s = answered(TRI_TRUE, TRI_FALSE, UDP4500_ANSWERED);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_NEEDS_REGISTRY);
	assert_int_equal(d.required_value, 1);
	assert_non_null(strstr(d.advice, "= 1"));
	assert_non_null(strstr(d.advice, "885348"));
	assert_non_null(strstr(d.advice, "restart"));
	/* Both: 2. */
	s = answered(TRI_TRUE, TRI_TRUE, UDP4500_ANSWERED);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.required_value, 2);
	assert_non_null(strstr(d.advice, "= 2"));
	/* Client only: 0 needed, works. */
	s = answered(TRI_FALSE, TRI_TRUE, UDP4500_ANSWERED);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
	assert_int_equal(d.required_value, 0);
	/* 4500 blocked on the server side: names port 4500 and the server's NAT. */
	s = answered(TRI_TRUE, TRI_FALSE, UDP4500_NO_ANSWER);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP4500);
	assert_non_null(strstr(d.advice, "UDP 4500"));
	assert_non_null(strstr(d.advice, "server's NAT"));
	/* No answer on 500: names 500 and error 809. */
	s = answered(TRI_NULL, TRI_NULL, UDP4500_NO_ANSWER);
	s.udp500 = UDP500_NO_ANSWER;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP500);
	assert_non_null(strstr(d.advice, "UDP port 500"));
	assert_non_null(strstr(d.advice, "809"));
	/* Rejected: lists what Windows 10 offers. */
	s.udp500 = UDP500_REJECTED;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_PROPOSAL_REJECTED);
	assert_non_null(strstr(d.advice, "MODP2048"));
	/* A name that timed out says so. */
	s.resolve = RESOLVE_TIMEOUT;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP500);
	assert_non_null(strstr(d.advice, "did not resolve"));
}

/* Out of time half-way after retransmissions: the advice warns of loss. */
static void test_decide_loss_hint(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_TRUE, TRI_FALSE, UDP4500_NO_ANSWER);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP4500);
	assert_null(strstr(d.advice, "lost"));
	s.resent = 3;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP4500);
	assert_non_null(strstr(d.advice, "3 sent again"));
	assert_non_null(strstr(d.advice, "--timeout 6000"));
	s = answered(TRI_NULL, TRI_NULL, UDP4500_ANSWERED); /* message 2, no 4 */
	s.mm4_received = false;
	s.resent = 2;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_BLOCKED_UDP500);
	assert_non_null(strstr(d.advice, "2 sent again"));
}

static void test_decide_xp_draft_advice(void **state)
{
	os_info xp = mkos(5, 1, 3);
	policy p;
	probe_server s = answered(TRI_NULL, TRI_NULL, UDP4500_ANSWERED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	s.natt = NATT_NONE;
	decide_server(&xp, &p, &s, &d);
	assert_int_equal(d.v, V_NO_NATT);
	assert_non_null(strstr(d.advice, "draft"));
}

static void test_verdict_worst_and_exit(void **state)
{
	(void)state;
	assert_int_equal(verdict_exit(V_WORKS), 0);
	assert_int_equal(verdict_exit(V_NEEDS_REGISTRY), 1);
	assert_int_equal(verdict_exit(V_REBOOT_PENDING), 2);
	assert_int_equal(verdict_exit(V_NO_NATT), 3);
	assert_int_equal(verdict_exit(V_BLOCKED_UDP4500), 3);
	assert_int_equal(verdict_exit(V_PROPOSAL_REJECTED), 3);
	assert_int_equal(verdict_exit(V_BLOCKED_UDP500), 3);
	assert_int_equal(verdict_worst(V_WORKS, V_NEEDS_REGISTRY), V_NEEDS_REGISTRY);
	assert_int_equal(verdict_worst(V_REBOOT_PENDING, V_NEEDS_REGISTRY), V_REBOOT_PENDING);
	assert_int_equal(verdict_worst(V_BLOCKED_UDP500, V_REBOOT_PENDING), V_BLOCKED_UDP500);
	assert_string_equal(verdict_name(V_BLOCKED_UDP4500), "blocked-udp4500");
	assert_string_equal(verdict_name(V_NEEDS_REGISTRY), "needs-registry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_server_whole_table),
		cmocka_unit_test(test_decide_server_advice_numbers),
		cmocka_unit_test(test_decide_xp_draft_advice),
		cmocka_unit_test(test_decide_loss_hint),
		cmocka_unit_test(test_verdict_worst_and_exit),
	};
	return cmocka_run_group_tests_name("decide", tests, NULL, NULL);
}
