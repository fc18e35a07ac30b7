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

/* On a path that works otherwise, with the key: a wrong one outranks the
 * value; message 5 unanswered (too few copies to call it a refusal) is no
 * answer either way; Quick Mode counts only after a complete Main Mode.
 * V_WORKS: the key says nothing against it. */
static verdict keyed_oracle(const probe_server *s)
{
	if (s->phase1 == PHASE1_PSK_MISMATCH)
		return V_PSK_MISMATCH;
	if (s->phase1 == PHASE1_NO_ANSWER)
		return V_INCONCLUSIVE;
	if (s->phase1 == PHASE1_COMPLETE && s->phase2 == PHASE2_REJECTED)
		return V_PHASE2_REJECTED;
	if (s->phase1 == PHASE1_COMPLETE && s->phase2 == PHASE2_NO_ANSWER)
		return V_INCONCLUSIVE;
	return V_WORKS;
}

/* The rules of README.md's verdict table, stated independently of decide.c. */
static verdict oracle(const os_info *os, const policy *p, const probe_server *s, int *req,
	int *here)
{
	bool srv = s->server_behind_nat == TRI_TRUE, cli = s->client_behind_nat == TRI_TRUE;
	int have = p->state == POLICY_VALID ? (int)p->value : 0;

	*req = *here = -1;
	if (s->resolve != RESOLVE_OK || s->udp500 == UDP500_NO_ANSWER ||
	    s->udp500 == UDP500_UNREACHABLE)
		return V_BLOCKED_UDP500;
	if (s->udp500 == UDP500_REJECTED)
		return V_PROPOSAL_REJECTED;
	/* No NAT-T is a problem only where NAT is known or evident. */
	if (s->natt == NATT_NONE) {
		if (srv || cli || (s->client_private && !s->server_private))
			return V_NO_NATT;
		*req = *here = 0;
		return keyed_oracle(s);
	}
	if (os->cls == OSC_TOO_OLD && (srv || cli))
		return V_NO_NATT;
	/* Value 2 whenever the server is behind NAT: what works from any network. */
	*req = srv ? 2 : 0;
	*here = srv && cli ? 2 : srv ? 1 : 0;
	if ((srv || cli) && s->udp4500 != UDP4500_ANSWERED)
		return V_BLOCKED_UDP4500;
	if (keyed_oracle(s) != V_WORKS)
		return keyed_oracle(s);
	if (have >= *req)
		return srv && p->reboot_pending ? V_REBOOT_PENDING : V_WORKS;
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
	const probe_phase1 p1s[] = { PHASE1_NOT_TESTED, PHASE1_COMPLETE, PHASE1_PSK_MISMATCH,
		PHASE1_NO_ANSWER };
	const probe_phase2 p2s[] = { PHASE2_NOT_TESTED, PHASE2_ACCEPTED, PHASE2_REJECTED,
		PHASE2_NO_ANSWER };
	size_t o, v, a, b, c, d, e, rb, pv, k, q, count = 0;

	(void)state;
	for (o = 0; o < 5; o++)
	for (v = 0; v < 6; v++)
	for (rb = 0; rb < 2; rb++)
	for (a = 0; a < 2; a++)
	for (b = 0; b < 2; b++)
	for (c = 0; c < 3; c++)
	for (d = 0; d < 4; d++)
	for (e = 0; e < 3; e++)
	for (pv = 0; pv < 3; pv++)
	for (k = 0; k < 4; k++)
	for (q = 0; q < 4; q++) {
		policy p;
		probe_server s = answered(tris[a], tris[b], u4500s[c]);
		decision dec;
		verdict want;
		int req, here;

		memset(&p, 0, sizeof(p));
		p.key = oses[o].policy_key;
		p.state = values[v].st;
		p.value = values[v].v;
		p.has_number = values[v].st == POLICY_VALID || values[v].v;
		p.reboot_pending = rb;
		s.udp500 = u500s[d];
		s.natt = natts[e];
		/* private here and public there; both private; both public */
		s.client_private = pv < 2;
		s.server_private = pv == 1;
		s.phase1 = p1s[k];
		s.phase2 = p2s[q];
		if (s.udp500 != UDP500_ANSWERED) {
			s.natt = NATT_UNKNOWN;
			s.server_behind_nat = s.client_behind_nat = TRI_NULL;
		}
		want = oracle(&oses[o], &p, &s, &req, &here);
		decide_server(&oses[o], &p, &s, &dec);
		if (dec.v != want || (want != V_BLOCKED_UDP500 && want != V_PROPOSAL_REJECTED &&
		    want != V_NO_NATT && (dec.required_value != req || dec.required_here != here)))
			fail_msg("os %zu value %zu rb %zu srv %zu cli %zu 4500 %zu 500 %zu natt %zu "
				"private %zu phase1 %zu phase2 %zu: got %s/%d/%d want %s/%d/%d", o, v, rb,
				a, b, c, d, e, pv, k, q,
				verdict_name(dec.v), dec.required_value, dec.required_here,
				verdict_name(want), req, here);
		assert_true(strlen(dec.advice) > 20);
		assert_true(strlen(dec.advice) < sizeof(dec.advice) - 1); /* never cut */
		/* "works" always says what was not tested (item: no second opinion) */
		if (dec.v == V_WORKS)
			assert_non_null(strstr(dec.advice, "not tested"));
		/* the key: tested only when Main Mode completed with it */
		if (dec.v == V_WORKS)
			assert_true((strstr(dec.advice, "the pre-shared key (Main Mode completed") != NULL) ==
				(s.phase1 == PHASE1_COMPLETE));
		if (dec.v == V_PSK_MISMATCH) {
			assert_non_null(strstr(dec.advice, "error 789"));
			assert_non_null(strstr(dec.advice, "Advanced settings"));
		}
		if (dec.v == V_PHASE2_REJECTED) {
			assert_non_null(strstr(dec.advice, "error 788"));
			assert_non_null(strstr(dec.advice, "transport mode"));
			assert_non_null(strstr(dec.advice, "UDP port 1701"));
			assert_non_null(strstr(dec.advice, "no PFS"));
			assert_non_null(strstr(dec.advice, oses[o].profile == PROFILE_XP ?
				"3DES/SHA1, 3DES/MD5, DES/SHA1 or DES/MD5" :
				"AES-256/SHA1, AES-256/MD5, AES-128/SHA1, AES-128/MD5, 3DES/SHA1 or "
				"3DES/MD5"));
		}
		if (dec.v == V_WORKS)
			assert_true((strstr(dec.advice, "Quick Mode accepted") != NULL) ==
				(s.phase1 == PHASE1_COMPLETE && s.phase2 == PHASE2_ACCEPTED));
		/* fix raises the value exactly when the network needs it, whatever
		 * the key says */
		{
			probe_server nokey = s;
			int r2, h2;

			nokey.phase1 = PHASE1_NOT_TESTED;
			nokey.phase2 = PHASE2_NOT_TESTED;
			assert_true(dec.value_short == (oracle(&oses[o], &p, &nokey, &r2, &h2) ==
				V_NEEDS_REGISTRY));
		}
		count++;
	}
	assert_int_equal(count, 5 * 6 * 2 * 2 * 2 * 3 * 4 * 3 * 3 * 4 * 4);
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
	/* Server behind NAT, value absent: 2 (1 is enough only here), with the
	 * KB 885348 caveat and error 809. */
	s = answered(TRI_TRUE, TRI_FALSE, UDP4500_ANSWERED);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_NEEDS_REGISTRY);
	assert_int_equal(d.required_value, 2);
	assert_int_equal(d.required_here, 1);
	assert_non_null(strstr(d.advice, "= 2"));
	assert_non_null(strstr(d.advice, "885348"));
	assert_non_null(strstr(d.advice, "restart"));
	assert_non_null(strstr(d.advice, "error 809"));
	/* Both: 2 here too. */
	s = answered(TRI_TRUE, TRI_TRUE, UDP4500_ANSWERED);
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.required_value, 2);
	assert_int_equal(d.required_here, 2);
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
	/* the second cause: a server that drops what matches no connection */
	assert_non_null(strstr(d.advice, "libreswan"));
	assert_non_null(strstr(d.advice, "--auth cert"));
	s.auth = PROBE_AUTH_CERT;
	decide_server(&w10, &p, &s, &d);
	assert_non_null(strstr(d.advice, "pre-shared keys only"));
	assert_non_null(strstr(d.advice, "without --auth cert"));
	s.auth = PROBE_AUTH_PSK;
	/* Rejected: lists what Windows 10 offers. */
	s.udp500 = UDP500_REJECTED;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_PROPOSAL_REJECTED);
	assert_non_null(strstr(d.advice, "MODP2048"));
	assert_non_null(strstr(d.advice, "error 788"));
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
	s.client_private = true; /* NAT evident */
	decide_server(&xp, &p, &s, &d);
	assert_int_equal(d.v, V_NO_NATT);
	assert_non_null(strstr(d.advice, "draft"));
}

/* Value 1 with the server behind NAT: works from this network only. */
static void test_decide_value1_moves(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_TRUE, TRI_FALSE, UDP4500_ANSWERED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.key = w10.policy_key;
	p.state = POLICY_VALID;
	p.value = 1;
	p.has_number = true;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_NEEDS_REGISTRY);
	assert_int_equal(d.required_value, 2);
	assert_int_equal(d.required_here, 1);
	assert_non_null(strstr(d.advice, "works from this network"));
	assert_non_null(strstr(d.advice, "error 809"));
	assert_non_null(strstr(d.advice, "hotels"));
	assert_non_null(strstr(d.advice, "set 2"));
	/* With 2 it works from anywhere, and says what was not tested. */
	p.value = 2;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
	assert_non_null(strstr(d.advice, "any network"));
	assert_non_null(strstr(d.advice, "not tested"));
	assert_non_null(strstr(d.advice, "789"));
	assert_non_null(strstr(d.advice, "ESP"));
}

/* A server seen behind NAT: Windows RRAS needs the value too; anything
 * else may be forcing UDP encapsulation. */
static void test_decide_server_nat_notes(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_TRUE, TRI_FALSE, UDP4500_ANSWERED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.key = w10.policy_key;
	decide_server(&w10, &p, &s, &d);
	assert_non_null(strstr(d.advice, "encap=yes"));
	assert_null(strstr(d.advice, "RRAS"));
	/* before the recommendation of a public address (KB 885348 caveat) */
	assert_true(strstr(d.advice, "encap=yes") < strstr(d.advice, "public address avoids"));
	s.server_ms = true;
	decide_server(&w10, &p, &s, &d);
	assert_non_null(strstr(d.advice, "RRAS"));
	assert_non_null(strstr(d.advice, "926179"));
	assert_non_null(strstr(d.advice, "PolicyAgent as well"));
	/* No NAT at the server: neither note. */
	s = answered(TRI_FALSE, TRI_TRUE, UDP4500_ANSWERED);
	s.server_ms = true;
	decide_server(&w10, &p, &s, &d);
	assert_null(strstr(d.advice, "RRAS"));
	assert_null(strstr(d.advice, "encap=yes"));
}

/* No NAT-T: a problem only when NAT is known or evident. */
static void test_decide_no_natt_needs_nat(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_NULL, TRI_NULL, UDP4500_NOT_TESTED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	s.natt = NATT_NONE;
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
	assert_int_equal(d.required_value, 0);
	assert_non_null(strstr(d.advice, "without NAT-T"));
	assert_non_null(strstr(d.advice, "not tested"));
	s.client_private = true; /* 192.168.x.y here, a public server */
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_NO_NATT);
	assert_non_null(strstr(d.advice, "private"));
	s.server_private = true; /* both private: a LAN, no NAT evident */
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
}

/* Answered, then broken off: inconclusive, naming what happened, never a
 * firewall. */
static void test_decide_inconclusive(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_NULL, TRI_NULL, UDP4500_ANSWERED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	strcpy(s.broke, "message 3 refused with notify INVALID-KEY-INFORMATION (17)");
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_INCONCLUSIVE);
	assert_int_equal(verdict_exit(d.v), 3);
	assert_string_equal(verdict_name(d.v), "inconclusive");
	assert_non_null(strstr(d.advice, "INVALID-KEY-INFORMATION"));
	assert_null(strstr(d.advice, "firewall"));
	assert_int_equal(d.required_value, -1);
	/* nothing parsed at all: still an answer */
	s = answered(TRI_NULL, TRI_NULL, UDP4500_NO_ANSWER);
	s.udp500 = UDP500_NO_ANSWER;
	s.natt = NATT_UNKNOWN;
	s.unparseable = 3;
	strcpy(s.broke, "a reply on UDP 500 did not parse (not IKEv1 at byte 17 of 28)");
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_INCONCLUSIVE);
	assert_non_null(strstr(d.advice, "at byte 17"));
	assert_non_null(strstr(d.advice, "3 replies"));
	/* NAT facts known: a broken leftover does not matter */
	s = answered(TRI_FALSE, TRI_FALSE, UDP4500_ANSWERED);
	strcpy(s.broke, "x");
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
	/* worse than proposal-rejected, not as bad as no answer at all */
	assert_int_equal(verdict_worst(V_INCONCLUSIVE, V_PROPOSAL_REJECTED), V_INCONCLUSIVE);
	assert_int_equal(verdict_worst(V_INCONCLUSIVE, V_BLOCKED_UDP500), V_BLOCKED_UDP500);
}

/* NAT over IPv6: Windows has no NAT-T there, no value helps. */
static void test_decide_ipv6_nat(void **state)
{
	os_info w10 = mkos(10, 0, 0);
	policy p;
	probe_server s = answered(TRI_TRUE, TRI_FALSE, UDP4500_ANSWERED);
	decision d;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.state = POLICY_VALID;
	p.value = 2;
	p.has_number = true;
	strcpy(s.address, "2001:2::10");
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_NO_NATT);
	assert_int_equal(d.required_value, -1);
	assert_non_null(strstr(d.advice, "IPv6"));
	assert_non_null(strstr(d.advice, "no registry value"));
	/* IPv6 without NAT: fine */
	s = answered(TRI_FALSE, TRI_FALSE, UDP4500_ANSWERED);
	strcpy(s.address, "2001:2::10");
	decide_server(&w10, &p, &s, &d);
	assert_int_equal(d.v, V_WORKS);
}

/* The event IDs in C are win/messages.mc's, name for name (the message
 * table is compiled only into the exe; this keeps the two equal). */
static void test_event_ids_match_message_table(void **state)
{
	static const struct { const char *name; int id; } ids[] = {
		{ "NATTCHECK_EVENT_WORKS", NATTCHECK_EVENT_WORKS },
		{ "NATTCHECK_EVENT_NEEDS_ACTION", NATTCHECK_EVENT_NEEDS_ACTION },
		{ "NATTCHECK_EVENT_FAILURE", NATTCHECK_EVENT_FAILURE },
		{ "NATTCHECK_EVENT_ERROR", NATTCHECK_EVENT_ERROR },
	};
	FILE *f = fopen("win/messages.mc", "r");
	char line[256], sym[128];
	int id = -1, found = 0, got_id, got_type;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MessageId=%d", &id) == 1)
			continue;
		if (sscanf(line, "SymbolicName=%127s", sym) != 1)
			continue;
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (strcmp(ids[i].name, sym) == 0) {
				if (ids[i].id != id)
					fail_msg("%s is %d in messages.mc, %d in C", sym, id, ids[i].id);
				found++;
			}
	}
	fclose(f);
	assert_int_equal(found, 4);
	/* and every exit code maps to one of them */
	exit_event(0, &got_id, &got_type);
	assert_int_equal(got_id, NATTCHECK_EVENT_WORKS);
	assert_int_equal(got_type, PLAT_EVENT_INFO);
	exit_event(2, &got_id, &got_type);
	assert_int_equal(got_id, NATTCHECK_EVENT_NEEDS_ACTION);
	assert_int_equal(got_type, PLAT_EVENT_WARNING);
	exit_event(3, &got_id, &got_type);
	assert_int_equal(got_id, NATTCHECK_EVENT_FAILURE);
	exit_event(77, &got_id, &got_type);
	assert_int_equal(got_id, NATTCHECK_EVENT_ERROR);
	assert_int_equal(got_type, PLAT_EVENT_ERROR);
	for (int v = 0; v < V_COUNT; v++)
		assert_non_null(verdict_table[v].name);
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
		cmocka_unit_test(test_decide_value1_moves),
		cmocka_unit_test(test_decide_server_nat_notes),
		cmocka_unit_test(test_decide_no_natt_needs_nat),
		cmocka_unit_test(test_decide_inconclusive),
		cmocka_unit_test(test_decide_ipv6_nat),
		cmocka_unit_test(test_event_ids_match_message_table),
		cmocka_unit_test(test_verdict_worst_and_exit),
	};
	return cmocka_run_group_tests_name("decide", tests, NULL, NULL);
}
