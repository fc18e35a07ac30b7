/* test_probe.c - the probe state machine against a scripted IKE responder
 * on the fake network (tests/fake_net.c): answers, loss, duplicates,
 * reordering, forged replies, ICMP errors, deadlines, many servers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "addr.h"
#include "fake_net.h"
#include "ike.h"
#include "natd.h"
#include "probe.h"

/* ---- the scripted responder ------------------------------------------ */

typedef struct fsrv {
	plat_addr addr;          /* port 0 */
	uint32_t rtt;            /* each reply arrives rtt ms after the request */
	bool silent500, silent4500;
	int drop500;             /* requests on 500 dropped before answering */
	bool reject;             /* NO-PROPOSAL-CHOSEN to message 1 */
	int natt;                /* 0 none, 1 RFC 3947, 2 draft-02\n */
	bool ms;                 /* a Windows server: MS NT5 ISAKMPOAKLEY v6 in message 2 */
	size_t choose;           /* index of the offered transform to choose */
	bool client_nat, server_nat;
	bool dup;                /* every reply twice */
	bool unreach500, unreach4500;
	bool wrong_source;       /* replies come from another address */
	bool forge_first;        /* a reply with a wrong initiator cookie first */
	bool mm4_other_rcookie;  /* message 4 with a different responder cookie */
	bool late_dup_mm2;       /* a copy of message 2 arrives after message 4 */
	bool noise4500;          /* keepalive, ESP and garbage before the answer */
	bool junk500;            /* answers message 1 with an IKEv2 header only */
	bool refuse_mm3;         /* INVALID-KEY-INFORMATION to message 3 */
	bool mm4_no_natd;        /* message 4 without NAT-D, though NAT-T offered */
	uint8_t rcookie[8];
	/* what it saw */
	int mm1_500, mm3, mm1_4500;
	uint8_t mm1_bytes[FAKE_NET_PKT_MAX];
	size_t mm1_len;
	bool mm1_all_same;
	uint8_t mm3_natd_type;
	size_t mm3_natd_count;
	bool mm3_natd_ok;
	size_t mm3_ke_len;
	uint8_t icookie500[8], icookie4500[8];
} fsrv;

static fsrv S[16];
static size_t NS;
static probe_server R[16];

static plat_addr v4(uint8_t d)
{
	plat_addr a;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.addr[0] = 198;
	a.addr[1] = 19;
	a.addr[3] = d;
	return a;
}

static fsrv *add_server(uint8_t last, uint32_t rtt)
{
	fsrv *s = &S[NS];

	memset(s, 0, sizeof(*s));
	s->addr = v4(last);
	s->rtt = rtt;
	s->natt = 1;
	s->mm1_all_same = true;
	memcpy(s->rcookie, (const uint8_t[]){ 0xc0, 0xff, 0xee, 0, 0, 0, 0, last }, 8);
	memset(&R[NS], 0, sizeof(R[NS]));
	addr_format(&s->addr, R[NS].name, sizeof(R[NS].name));
	NS++;
	return s;
}

static void reply(const fsrv *s, const fake_net_sent *p, const uint8_t *m, size_t len,
	uint32_t extra)
{
	plat_addr from = p->dst;
	uint8_t buf[FAKE_NET_PKT_MAX];
	size_t off = p->dst.port == 4500 ? 4 : 0;

	if (s->wrong_source)
		from.addr[3] ^= 0x40;
	memset(buf, 0, off);
	memcpy(buf + off, m, len);
	fake_net_deliver(p->local.port, &from, p->at + s->rtt + extra, buf, len + off);
	if (s->dup)
		fake_net_deliver(p->local.port, &from, p->at + s->rtt + extra + 1, buf, len + off);
}

static size_t build_mm2(const fsrv *s, const ike_msg *mm1, uint8_t *out, size_t cap)
{
	static const uint8_t rfc[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c,
		0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
	static const uint8_t d02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e, 0x08,
		0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
	/* MD5("MS NT5 ISAKMPOAKLEY") + version 6 (Server 2008) */
	static const uint8_t msnt5[20] = { 0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d, 0x7c,
		0x96, 0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61, 0, 0, 0, 6 };
	size_t n = 0;
	const probe_transform *t = ike_profile_transforms(PROFILE_WIN8PLUS, &n);
	probe_transform chosen;
	ike_buf b;

	/* the offered list is the profile's; XP's is shorter */
	if (!(mm1->vids & IKE_VID_RFC3947))
		t = ike_profile_transforms(PROFILE_XP, &n);
	chosen = t[s->choose < n ? s->choose : n - 1];
	chosen.auth = mm1->transform.auth;
	ike_buf_init(&b, out, cap);
	ike_msg_begin(&b, mm1->hdr.icookie, s->rcookie, IKE_EXCH_MAIN, 0);
	ike_add_sa(&b, &chosen, 1);
	if (s->natt == 1)
		ike_add_payload(&b, IKE_PL_VID, rfc, 16);
	if (s->natt == 2)
		ike_add_payload(&b, IKE_PL_VID, d02n, 16);
	if (s->ms)
		ike_add_payload(&b, IKE_PL_VID, msnt5, 20);
	return ike_msg_end(&b) ? b.len : 0;
}

static void on_mm1(fsrv *s, const fake_net_sent *p, const ike_msg *m, const uint8_t *raw,
	size_t len)
{
	uint8_t out[FAKE_NET_PKT_MAX];
	size_t n = 0;
	bool p4500 = p->dst.port == 4500;

	if (p4500) {
		s->mm1_4500++;
		memcpy(s->icookie4500, m->hdr.icookie, 8);
		if (s->unreach4500)
			fake_net_deliver_unreach(p->local.port, p->at + s->rtt);
		if (s->silent4500 || s->unreach4500)
			return;
	} else {
		if (s->mm1_500++ == 0) {
			memcpy(s->mm1_bytes, raw, len);
			s->mm1_len = len;
		} else if (len != s->mm1_len || memcmp(raw, s->mm1_bytes, len) != 0) {
			s->mm1_all_same = false;
		}
		memcpy(s->icookie500, m->hdr.icookie, 8);
		if (s->unreach500)
			fake_net_deliver_unreach(p->local.port, p->at + s->rtt);
		if (s->silent500 || s->unreach500 || s->drop500-- > 0)
			return;
	}
	if (p4500 && s->noise4500) {
		static const uint8_t ka = 0xff, esp[8] = { 1, 2, 3, 4, 0, 0, 0, 1 };

		fake_net_deliver(p->local.port, &p->dst, p->at, &ka, 1);
		fake_net_deliver(p->local.port, &p->dst, p->at, esp, sizeof(esp));
		fake_net_deliver(p->local.port, &p->dst, p->at, (const uint8_t[]){ 0, 0, 0, 0, 9 }, 5);
	}
	if (s->junk500 && !p4500) {
		uint8_t v2[28];

		memcpy(v2, m->hdr.icookie, 8);
		memset(v2 + 8, 0, 20);
		v2[17] = 0x20; /* version 2.0 */
		reply(s, p, v2, sizeof(v2), 0);
		return;
	}
	if (s->reject) {
		ike_buf b;
		static const uint8_t zero[8];

		ike_buf_init(&b, out, sizeof(out));
		ike_msg_begin(&b, m->hdr.icookie, zero, IKE_EXCH_INFO, 0x11223344);
		ike_add_notify(&b, IKE_N_NO_PROPOSAL_CHOSEN);
		assert_true(ike_msg_end(&b));
		reply(s, p, out, b.len, 0);
		return;
	}
	n = build_mm2(s, m, out, sizeof(out));
	assert_true(n > 0);
	if (s->forge_first) {
		out[0] ^= 1;
		reply(s, p, out, n, 0);
		out[0] ^= 1;
		reply(s, p, out, n, 5);
		return;
	}
	reply(s, p, out, n, 0);
	if (s->late_dup_mm2 && !p4500)
		reply(s, p, out, n, 10 * s->rtt);
}

/* What the server would put in NAT-D: the client as it sees it, then itself. */
static void on_mm3(fsrv *s, const fake_net_sent *p, const ike_msg *m)
{
	uint8_t out[FAKE_NET_PKT_MAX], h[PLAT_HASH_MAX], nonce[24] = { 7 }, ke[512] = { 3 };
	size_t hlen = 0;
	plat_addr seen = p->local, me = p->dst;
	uint8_t type = s->natt == 2 ? IKE_PL_NATD_DRAFT : IKE_PL_NATD;
	ike_buf b;

	s->mm3++;
	if (s->refuse_mm3) {
		ike_buf_init(&b, out, sizeof(out));
		ike_msg_begin(&b, m->hdr.icookie, s->rcookie, IKE_EXCH_INFO, 0x55667788);
		ike_add_notify(&b, 17); /* INVALID-KEY-INFORMATION */
		assert_true(ike_msg_end(&b));
		reply(s, p, out, b.len, 0);
		return;
	}
	s->mm3_natd_type = m->natd_type;
	s->mm3_natd_count = m->natd_count;
	s->mm3_ke_len = m->ke_len;
	if (m->natd_count == 2) {
		assert_int_equal(natd_hash(IKE_HASH_SHA1, m->hdr.icookie, m->hdr.rcookie, &p->dst,
			h, &hlen), PLAT_OK);
		s->mm3_natd_ok = m->natd_len[0] == hlen && memcmp(m->natd[0], h, hlen) == 0;
		natd_hash(IKE_HASH_SHA1, m->hdr.icookie, m->hdr.rcookie, &p->local, h, &hlen);
		s->mm3_natd_ok = s->mm3_natd_ok && memcmp(m->natd[1], h, hlen) == 0;
	}
	if (s->client_nat) {
		seen.addr[2] = 99; /* as if a NAT rewrote us */
		seen.port = (uint16_t)(seen.port + 1000);
	}
	if (s->server_nat)
		me.addr[1] = 18, me.addr[2] = 200; /* the server's own (private) address */
	ike_buf_init(&b, out, sizeof(out));
	ike_msg_begin(&b, m->hdr.icookie, s->rcookie, IKE_EXCH_MAIN, 0);
	if (s->mm4_other_rcookie)
		b.p[15] ^= 0x55;
	ike_add_payload(&b, IKE_PL_KE, ke, m->ke_len); /* any bytes: not checked */
	ike_add_payload(&b, IKE_PL_NONCE, nonce, sizeof(nonce));
	if (s->natt != 0 && !s->mm4_no_natd) {
		natd_hash(IKE_HASH_SHA1, m->hdr.icookie, s->rcookie, &seen, h, &hlen);
		ike_add_payload(&b, type, h, hlen);
		natd_hash(IKE_HASH_SHA1, m->hdr.icookie, s->rcookie, &me, h, &hlen);
		ike_add_payload(&b, type, h, hlen);
	}
	assert_true(ike_msg_end(&b));
	reply(s, p, out, b.len, 0);
}

static void server_fn(void *ctx, const fake_net_sent *p)
{
	const uint8_t *raw = p->data;
	size_t len = p->len;
	ike_msg m;

	(void)ctx;
	for (size_t i = 0; i < NS; i++) {
		fsrv *s = &S[i];

		if (memcmp(s->addr.addr, p->dst.addr, 16) != 0 || s->addr.family != p->dst.family)
			continue;
		if (p->dst.port == 4500) {
			assert_true(len > 4);
			assert_memory_equal(raw, "\0\0\0\0", 4);
			raw += 4;
			len -= 4;
		}
		assert_int_equal(ike_parse(raw, len, &m), IKE_OK);
		if (m.have_sa)
			on_mm1(s, p, &m, raw, len);
		else if (m.have_ke && !s->silent500)
			on_mm3(s, p, &m);
		return;
	}
}

/* ---- helpers ---------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_net_set_server(server_fn, NULL);
	NS = 0;
	return 0;
}

static uint64_t run(probe_profile prof, uint32_t timeout)
{
	probe_config cfg = { prof, PROBE_AUTH_PSK, false, timeout, NULL, 0 };
	uint64_t t0 = fake_net_now();

	assert_true(probe_run(R, NS, &cfg));
	assert_int_equal(fake_net_open_sockets(), 0);
	assert_int_equal(fake_net_resolvers_live(), 0);
	assert_true(fake_net_now() - t0 <= timeout);
	return fake_net_now() - t0;
}

/* ---- tests ------------------------------------------------------------ */

static void test_success_no_nat(void **state)
{
	fsrv *s = add_server(1, 30);
	uint64_t took = 0;

	(void)state;
	took = run(PROFILE_WIN8PLUS, 5000);
	assert_int_equal(R[0].resolve, RESOLVE_OK);
	assert_string_equal(R[0].address, "198.19.0.1");
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_int_equal(R[0].natt, NATT_RFC3947);
	assert_true(R[0].have_transform);
	assert_int_equal(R[0].transform.cipher, IKE_CIPHER_AES_CBC);
	assert_int_equal(R[0].transform.key_bits, 256);
	assert_int_equal(R[0].transform.group, 20);
	assert_int_equal(R[0].transform.life_s, 28800);
	assert_true(R[0].mm4_received);
	assert_int_equal(R[0].client_behind_nat, TRI_FALSE);
	assert_int_equal(R[0].server_behind_nat, TRI_FALSE);
	assert_int_equal(R[0].udp4500, UDP4500_ANSWERED);
	assert_int_equal(R[0].elapsed_ms, 60);
	assert_int_equal(took, 60);
	assert_int_equal(s->mm1_500, 1);
	assert_int_equal(s->mm3, 1);
	assert_int_equal(s->mm1_4500, 1);
	assert_int_equal(s->mm3_natd_count, 2);
	assert_int_equal(s->mm3_natd_type, IKE_PL_NATD);
	assert_true(s->mm3_natd_ok);
	assert_int_equal(s->mm3_ke_len, 96);
	assert_memory_not_equal(s->icookie500, s->icookie4500, 8);
	assert_int_equal(fake_net_sent_count(), 3);
	assert_string_equal(probe_udp500_name(R[0].udp500), "answered");
	assert_string_equal(probe_natt_name(R[0].natt), "rfc3947");
	/* 198.18.0.2 -> 198.19.0.1: no private address, not a Windows server */
	assert_false(R[0].client_private);
	assert_false(R[0].server_private);
	assert_false(R[0].server_ms);
}

/* How an answered exchange broke off: each kind named, never a NAT fact;
 * replies that do not parse are counted. */
static void test_broken_exchanges(void **state)
{
	(void)state;
	add_server(1, 10)->refuse_mm3 = true;
	add_server(2, 10)->mm4_no_natd = true;
	add_server(3, 10)->junk500 = true;
	add_server(4, 10)->noise4500 = true;
	run(PROFILE_WIN8PLUS, 1000);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_int_equal(R[0].server_behind_nat, TRI_NULL);
	assert_string_equal(R[0].broke, "message 3 refused with notify INVALID-KEY-INFORMATION (17)");
	assert_true(R[1].mm4_received);
	assert_int_equal(R[1].server_behind_nat, TRI_NULL);
	assert_non_null(strstr(R[1].broke, "message 4 had no NAT-D"));
	assert_int_equal(R[2].udp500, UDP500_NO_ANSWER);
	assert_true(R[2].unparseable >= 1);
	assert_string_equal(R[2].broke, "a reply on UDP 500 did not parse (not IKEv1 at byte 17 of 28)");
	/* garbage on 4500 is counted, but is not what broke anything */
	assert_int_equal(R[3].unparseable, 1);
	assert_string_equal(R[3].broke, "");
	assert_int_equal(R[3].server_behind_nat, TRI_FALSE);
}

/* The facts decide needs beyond NAT-D: a Windows server (its vendor ID in
 * message 2), and a private address of this machine's towards the server. */
static void test_server_ms_and_private(void **state)
{
	plat_addr lan = { 0 };

	(void)state;
	add_server(1, 10)->ms = true;
	S[0].natt = 0;
	lan.family = 4;
	memcpy(lan.addr, (const uint8_t[]){ 192, 168, 1, 20 }, 4);
	fake_net_set_local(&lan, NULL);
	run(PROFILE_WIN8PLUS, 2000);
	assert_true(R[0].server_ms);
	assert_true(R[0].client_private);
	assert_false(R[0].server_private);
	assert_int_equal(R[0].natt, NATT_NONE);
}

static void test_nat_cases(void **state)
{
	(void)state;
	add_server(1, 10)->client_nat = true;
	add_server(2, 10)->server_nat = true;
	add_server(3, 10)->client_nat = true;
	S[2].server_nat = true;
	run(PROFILE_VISTA7, 3000);
	assert_int_equal(R[0].client_behind_nat, TRI_TRUE);
	assert_int_equal(R[0].server_behind_nat, TRI_FALSE);
	assert_int_equal(R[1].client_behind_nat, TRI_FALSE);
	assert_int_equal(R[1].server_behind_nat, TRI_TRUE);
	assert_int_equal(R[2].client_behind_nat, TRI_TRUE);
	assert_int_equal(R[2].server_behind_nat, TRI_TRUE);
}

static void test_loss_retransmit_same_bytes(void **state)
{
	fsrv *s = add_server(1, 20);

	(void)state;
	s->drop500 = 2;
	run(PROFILE_WIN8PLUS, 5000);
	assert_int_equal(s->mm1_500, 3);
	assert_true(s->mm1_all_same);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_true(R[0].mm4_received);
	/* sends at 0, 250, 625; then MM2 at 645, MM4 at 665 */
	assert_int_equal(R[0].elapsed_ms, 665);
	assert_int_equal(R[0].resent, 2); /* two copies of message 1 went again */
}

static void test_duplicates_and_late_copy(void **state)
{
	fsrv *s = add_server(1, 20);

	(void)state;
	s->dup = true;
	s->late_dup_mm2 = true;
	run(PROFILE_WIN8PLUS, 2000);
	assert_int_equal(s->mm3, 1);
	assert_true(R[0].mm4_received);
	assert_int_equal(R[0].client_behind_nat, TRI_FALSE);
	assert_int_equal(R[0].udp4500, UDP4500_ANSWERED);
}

static void test_wrong_cookie_ignored(void **state)
{
	fsrv *s = add_server(1, 20);

	(void)state;
	s->forge_first = true;
	run(PROFILE_WIN8PLUS, 2000);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_int_equal(R[0].elapsed_ms, 45); /* the genuine MM2 came 5 ms later */
}

static void test_changed_rcookie_ignored(void **state)
{
	fsrv *s = add_server(1, 20);

	(void)state;
	s->mm4_other_rcookie = true;
	run(PROFILE_WIN8PLUS, 2000);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_false(R[0].mm4_received);
	assert_int_equal(R[0].client_behind_nat, TRI_NULL);
	assert_true(s->mm3 >= 2); /* message 3 was retransmitted */
	assert_non_null(strstr(R[0].detail, "no message 4"));
}

static void test_wrong_source_ignored(void **state)
{
	fsrv *s = add_server(1, 20);

	(void)state;
	s->wrong_source = true;
	run(PROFILE_WIN8PLUS, 1200);
	assert_int_equal(R[0].udp500, UDP500_NO_ANSWER);
	assert_int_equal(R[0].udp4500, UDP4500_NO_ANSWER);
	assert_int_equal(R[0].natt, NATT_UNKNOWN);
	assert_int_equal(R[0].elapsed_ms, 1200);
}

static void test_late_reply_after_deadline(void **state)
{
	add_server(1, 900);

	(void)state;
	run(PROFILE_WIN8PLUS, 800);
	assert_int_equal(R[0].udp500, UDP500_NO_ANSWER);
	assert_int_equal(R[0].elapsed_ms, 800);
	assert_non_null(strstr(R[0].detail, "no IKE answer on UDP 500"));
}

static void test_icmp_unreachable(void **state)
{
	fsrv *s = add_server(1, 15);

	(void)state;
	s->unreach500 = true;
	s->unreach4500 = true;
	run(PROFILE_WIN8PLUS, 5000);
	assert_int_equal(R[0].udp500, UDP500_UNREACHABLE);
	assert_int_equal(R[0].udp4500, UDP4500_UNREACHABLE);
	assert_int_equal(R[0].elapsed_ms, 15);
	assert_non_null(strstr(R[0].detail, "ICMP"));
	assert_string_equal(probe_udp4500_name(R[0].udp4500), "unreachable");
}

static void test_icmp_on_send(void **state)
{
	add_server(1, 15);

	(void)state;
	fake_net_unreach_on_send(4500);
	run(PROFILE_WIN8PLUS, 5000);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_int_equal(R[0].udp4500, UDP4500_UNREACHABLE);
	assert_int_equal(R[0].elapsed_ms, 30);
}

static void test_rejected(void **state)
{
	fsrv *s = add_server(1, 25);

	(void)state;
	s->reject = true;
	run(PROFILE_XP, 3000);
	assert_int_equal(R[0].udp500, UDP500_REJECTED);
	assert_string_equal(probe_udp500_name(R[0].udp500), "rejected");
	assert_int_equal(R[0].notify, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(R[0].natt, NATT_UNKNOWN);
	assert_null(probe_natt_name(R[0].natt));
	assert_false(R[0].have_transform);
	assert_int_equal(R[0].udp4500, UDP4500_ANSWERED); /* a notify is an IKE answer */
	assert_int_equal(s->mm3, 0);
	assert_non_null(strstr(R[0].detail, "NO-PROPOSAL-CHOSEN"));
}

static void test_no_natt(void **state)
{
	fsrv *s = add_server(1, 10);

	(void)state;
	s->natt = 0;
	run(PROFILE_WIN8PLUS, 2000);
	assert_int_equal(R[0].natt, NATT_NONE);
	assert_string_equal(probe_natt_name(R[0].natt), "none");
	assert_int_equal(s->mm3_natd_count, 0);
	assert_true(R[0].mm4_received);
	assert_int_equal(R[0].client_behind_nat, TRI_NULL);
	assert_int_equal(R[0].server_behind_nat, TRI_NULL);
}

static void test_xp_draft(void **state)
{
	fsrv *s = add_server(1, 10);

	(void)state;
	s->natt = 2;
	s->choose = 1; /* 3DES/SHA1/group 2 */
	s->client_nat = true;
	run(PROFILE_XP, 2000);
	assert_int_equal(R[0].natt, NATT_DRAFT);
	assert_int_equal(R[0].transform.group, 2);
	assert_int_equal(R[0].transform.cipher, IKE_CIPHER_3DES);
	assert_int_equal(s->mm3_natd_type, IKE_PL_NATD_DRAFT);
	assert_int_equal(s->mm3_ke_len, 128);
	assert_true(s->mm3_natd_ok);
	assert_int_equal(R[0].client_behind_nat, TRI_TRUE);
	assert_int_equal(R[0].server_behind_nat, TRI_FALSE);
}

static void test_xp_ignores_rfc_vid(void **state)
{
	fsrv *s = add_server(1, 10);

	(void)state;
	s->natt = 1; /* answers RFC 3947, which XP did not offer */
	run(PROFILE_XP, 2000);
	assert_int_equal(R[0].natt, NATT_NONE);
	assert_int_equal(s->mm3_natd_count, 0);
}

static void test_udp4500_silent_and_noise(void **state)
{
	fsrv *a = add_server(1, 10), *b = add_server(2, 10), *c = add_server(3, 10);
	uint64_t took = 0;

	(void)state;
	a->silent4500 = true;
	a->server_nat = true; /* NAT: 4500 matters, so the probe waits for it */
	b->noise4500 = true;
	c->silent4500 = true; /* no NAT: 4500 cannot matter, not awaited */
	took = run(PROFILE_WIN8PLUS, 3000);
	assert_int_equal(R[0].udp500, UDP500_ANSWERED);
	assert_int_equal(R[0].udp4500, UDP4500_NO_ANSWER);
	assert_string_equal(probe_udp4500_name(R[0].udp4500), "no-answer");
	assert_int_equal(R[0].elapsed_ms, 3000);
	assert_int_equal(R[1].udp4500, UDP4500_ANSWERED);
	assert_int_equal(R[1].elapsed_ms, 20);
	assert_int_equal(R[2].udp4500, UDP4500_NOT_TESTED);
	assert_int_equal(R[2].elapsed_ms, 20);
	assert_non_null(strstr(R[2].detail, "not awaited"));
	assert_int_equal(took, 3000);
	assert_true(a->mm1_4500 <= 6); /* bounded retransmissions */
}

static void test_many_parallel(void **state)
{
	uint64_t took = 0;

	(void)state;
	for (uint8_t i = 0; i < 10; i++)
		add_server((uint8_t)(10 + i), 50u + 40u * i);
	took = run(PROFILE_WIN8PLUS, 5000);
	for (size_t i = 0; i < 10; i++) {
		assert_true(R[i].mm4_received);
		assert_int_equal(R[i].udp4500, UDP4500_ANSWERED);
		assert_int_equal(R[i].elapsed_ms, 2 * (50 + 40 * i));
	}
	assert_int_equal(took, 2 * (50 + 40 * 9)); /* the slowest, not the sum */
}

static void test_hostnames(void **state)
{
	plat_addr a = v4(7);

	(void)state;
	add_server(7, 10);
	snprintf(R[0].name, sizeof(R[0].name), "vpn.example.test");
	fake_net_add_name("vpn.example.test", &a, 1, 100, false);
	memset(&R[1], 0, sizeof(R[1]));
	snprintf(R[1].name, sizeof(R[1].name), "slow.example.test");
	fake_net_add_name("slow.example.test", NULL, 0, 0, true);
	memset(&R[2], 0, sizeof(R[2]));
	snprintf(R[2].name, sizeof(R[2].name), "gone.example.test");
	memset(&R[3], 0, sizeof(R[3]));
	snprintf(R[3].name, sizeof(R[3].name), "bad_name!");
	memset(&R[4], 0, sizeof(R[4]));
	snprintf(R[4].name, sizeof(R[4].name), "224.0.0.5");
	NS = 5;
	run(PROFILE_WIN8PLUS, 1000);
	assert_int_equal(R[0].resolve, RESOLVE_OK);
	assert_string_equal(R[0].address, "198.19.0.7");
	assert_true(R[0].mm4_received);
	assert_in_range(R[0].elapsed_ms, 120, 130);
	assert_int_equal(R[1].resolve, RESOLVE_TIMEOUT);
	assert_int_equal(R[1].udp500, UDP500_NO_ANSWER);
	assert_int_equal(R[1].udp4500, UDP4500_NOT_TESTED);
	assert_string_equal(R[1].address, "");
	assert_int_equal(R[1].elapsed_ms, 1000);
	assert_non_null(strstr(R[1].detail, "resolver"));
	assert_int_equal(R[2].resolve, RESOLVE_NOT_FOUND);
	assert_int_equal(R[3].resolve, RESOLVE_BAD_NAME);
	assert_int_equal(R[4].resolve, RESOLVE_BAD_NAME);
	assert_int_equal(R[4].udp4500, UDP4500_NOT_TESTED);
}

/* Per-server auth (phonebook entries): each server's message 1 offers its
 * own authentication, and a second-family result keeps its origin's auth
 * and tag. */
static bool sent_offers_rsa(const plat_addr *dst)
{
	static const uint8_t rsa[] = { 0x80, 0x03, 0x00, 0x03 }; /* auth = RSA sig */
	bool any = false;

	for (size_t i = 0; i < fake_net_sent_count(); i++) {
		const fake_net_sent *p = fake_net_sent_get(i);
		if (memcmp(p->dst.addr, dst->addr, 16) != 0 || p->dst.port != 500)
			continue;
		for (size_t k = 0; k + sizeof(rsa) <= p->len; k++)
			if (!memcmp(p->data + k, rsa, sizeof(rsa)))
				any = true;
	}
	return any;
}

static void test_auth_per_server(void **state)
{
	fsrv *a = add_server(1, 10), *b = add_server(2, 10);
	probe_config cfg = { PROFILE_WIN8PLUS, PROBE_AUTH_PSK, true, 1000, NULL, 0 };
	size_t n = 2;

	(void)state;
	memset(R, 0, sizeof(R));
	addr_format(&a->addr, R[0].name, sizeof(R[0].name));
	addr_format(&b->addr, R[1].name, sizeof(R[1].name));
	R[0].auth = PROBE_AUTH_CERT, R[0].origin = 7;
	R[1].auth = PROBE_AUTH_PSK, R[1].origin = 3;
	assert_true(probe_run_families(R, &n, 4, &cfg));
	assert_int_equal(n, 2);
	assert_int_equal(R[0].auth, PROBE_AUTH_CERT);
	assert_int_equal(R[1].auth, PROBE_AUTH_PSK);
	assert_int_equal(R[0].origin, 7);
	assert_true(sent_offers_rsa(&a->addr));
	assert_false(sent_offers_rsa(&b->addr));
}

/* A name with both families: one address of each probed, the second as a
 * result of its own after the given ones, within the same deadline; with
 * no room left, only the first. */
static void test_both_families(void **state)
{
	fsrv *s4 = add_server(1, 10), *s6 = add_server(2, 30);
	plat_addr both[3];
	probe_config cfg = { PROFILE_WIN8PLUS, PROBE_AUTH_PSK, false, 1000, NULL, 0 };
	size_t n = 1;

	(void)state;
	memset(&s6->addr, 0, sizeof(s6->addr));
	s6->addr.family = 6;
	memcpy(s6->addr.addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0x10 }, 16);
	s6->server_nat = true; /* an NPTv6 in front of the server */
	both[0] = s4->addr;
	both[1] = s4->addr; /* a second IPv4 address: not probed */
	both[1].addr[3] = 9;
	both[2] = s6->addr;
	fake_net_add_name("dual.example.test", both, 3, 20, false);
	memset(R, 0, sizeof(R));
	snprintf(R[0].name, sizeof(R[0].name), "dual.example.test");
	assert_true(probe_run_families(R, &n, 4, &cfg));
	assert_int_equal(n, 2);
	assert_string_equal(R[0].address, "198.19.0.1");
	assert_string_equal(R[1].name, "dual.example.test");
	assert_string_equal(R[1].address, "2001:2::10");
	assert_int_equal(R[0].server_behind_nat, TRI_FALSE);
	assert_int_equal(R[1].server_behind_nat, TRI_TRUE);
	assert_true(R[1].mm4_received);
	assert_int_equal(R[1].elapsed_ms, 20 + 2 * 30);
	assert_int_equal(R[1].origin, R[0].origin);
	assert_int_equal(R[1].auth, R[0].auth);
	assert_int_equal(s4->mm1_500, 1);
	assert_int_equal(s6->mm1_500, 1);
	/* no room: the first family only */
	setup(NULL);
	add_server(1, 10);
	fake_net_add_name("dual.example.test", both, 3, 20, false);
	memset(R, 0, sizeof(R));
	snprintf(R[0].name, sizeof(R[0].name), "dual.example.test");
	n = 1;
	assert_true(probe_run_families(R, &n, 1, &cfg));
	assert_int_equal(n, 1);
	assert_string_equal(R[0].address, "198.19.0.1");
}

static void test_ipv6_server(void **state)
{
	fsrv *s = add_server(1, 10);

	(void)state;
	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.family = 6;
	memcpy(s->addr.addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x10 }, 16);
	snprintf(R[0].name, sizeof(R[0].name), "[2001:2::10]");
	s->server_nat = true;
	run(PROFILE_WIN8PLUS, 2000);
	assert_string_equal(R[0].address, "2001:2::10");
	assert_true(s->mm3_natd_ok);
	assert_int_equal(R[0].client_behind_nat, TRI_FALSE);
	assert_int_equal(R[0].server_behind_nat, TRI_TRUE);
}

static void test_no_sockets(void **state)
{
	probe_config cfg = { PROFILE_WIN8PLUS, PROBE_AUTH_PSK, false, 1000, NULL, 0 };

	(void)state;
	add_server(1, 10);
	fake_net_fail_open(PLAT_ESYS);
	assert_false(probe_run(R, NS, &cfg));
	assert_int_equal(R[0].udp500, UDP500_NO_ANSWER);
	assert_int_equal(R[0].udp4500, UDP4500_NOT_TESTED);
	assert_non_null(strstr(R[0].detail, "cannot send"));
	assert_true(probe_run(R, 0, &cfg)); /* nothing to do is no failure */
}

/* No route to the server (WSAENETUNREACH on connect) is a per-server fact,
 * found at once, not a local failure of the whole run. */
static void test_no_route_is_unreachable(void **state)
{
	probe_config cfg = { PROFILE_WIN8PLUS, PROBE_AUTH_PSK, false, 1000, NULL, 0 };

	(void)state;
	add_server(1, 10);
	fake_net_fail_open(PLAT_EUNREACH);
	assert_true(probe_run(R, NS, &cfg));
	assert_int_equal(R[0].udp500, UDP500_UNREACHABLE);
	assert_int_equal(R[0].udp4500, UDP4500_UNREACHABLE);
	assert_true(R[0].no_route);
	assert_non_null(strstr(R[0].detail, "no route"));
	assert_true(R[0].elapsed_ms < 10);
}

static void test_silent_budget(void **state)
{
	fsrv *s = add_server(1, 10);

	(void)state;
	s->silent500 = true;
	s->silent4500 = true;
	run(PROFILE_WIN8PLUS, 30000);
	/* 0, .25, .63, 1.19, 2.03, 3.29, 5.19, 8.03, 12.03, 16.03 s: then no more */
	assert_int_equal(s->mm1_500, 10);
	assert_int_equal(s->mm1_4500, 10);
	assert_true(s->mm1_all_same);
	assert_int_equal(R[0].elapsed_ms, 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_success_no_nat, setup),
		cmocka_unit_test_setup(test_nat_cases, setup),
		cmocka_unit_test_setup(test_loss_retransmit_same_bytes, setup),
		cmocka_unit_test_setup(test_duplicates_and_late_copy, setup),
		cmocka_unit_test_setup(test_wrong_cookie_ignored, setup),
		cmocka_unit_test_setup(test_changed_rcookie_ignored, setup),
		cmocka_unit_test_setup(test_wrong_source_ignored, setup),
		cmocka_unit_test_setup(test_late_reply_after_deadline, setup),
		cmocka_unit_test_setup(test_icmp_unreachable, setup),
		cmocka_unit_test_setup(test_icmp_on_send, setup),
		cmocka_unit_test_setup(test_rejected, setup),
		cmocka_unit_test_setup(test_no_natt, setup),
		cmocka_unit_test_setup(test_xp_draft, setup),
		cmocka_unit_test_setup(test_xp_ignores_rfc_vid, setup),
		cmocka_unit_test_setup(test_server_ms_and_private, setup),
		cmocka_unit_test_setup(test_broken_exchanges, setup),
		cmocka_unit_test_setup(test_udp4500_silent_and_noise, setup),
		cmocka_unit_test_setup(test_many_parallel, setup),
		cmocka_unit_test_setup(test_hostnames, setup),
		cmocka_unit_test_setup(test_ipv6_server, setup),
		cmocka_unit_test_setup(test_both_families, setup),
		cmocka_unit_test_setup(test_auth_per_server, setup),
		cmocka_unit_test_setup(test_no_sockets, setup),
		cmocka_unit_test_setup(test_no_route_is_unreachable, setup),
		cmocka_unit_test_setup(test_silent_budget, setup),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
