/* probe.c - the probe state machine: for every server at once, Main Mode
 * messages 1-4 on UDP 500 and message 1 on UDP 4500, within one deadline.
 *
 * Per server there is at most one exchange on each port, each with its own
 * initiator cookie.  A message is retransmitted unchanged (same cookies,
 * same bytes) with backoff (250 ms x1.5) until its answer, an ICMP error, or
 * the deadline.  A reply counts only if it comes from the server's address
 * and port, carries our initiator cookie and the responder cookie first
 * seen, and is the message the state expects; anything else is dropped. */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ike.h"
#include "ike_keys.h"
#include "ike_mm.h"
#include "ike_qm.h"
#include "natd.h"
#include "platform.h"

/* Retransmission: 250 ms, then x1.5 (sends at 0, .25, .63, 1.19, 2.03 s...).
 * With 20 % loss each way a 3 s budget then completes ~98 % of exchanges
 * (500 ms x2 gave 86 %: tests/bench/RESULTS.md); five copies of a 300-byte
 * message in 3 s is still nothing to a server. */
#define PROBE_FIRST_RTO_MS 250u
#define PROBE_MAX_RTO_MS 4000u
#define PROBE_MAX_SENDS 10        /* per message: a good citizen gives up */
#define PROBE_RESOLVE_POLL_MS 10u /* resolvers have no socket to wait on */
#define PROBE_NONCE_LEN 32        /* Windows uses 32 bytes (RFC 2409: 8-256) */
#define PROBE_RECV_BURST 32       /* datagrams read per socket per wakeup */
#define PROBE_PKT_MAX (IKE_NONESP_MARKER_LEN + IKE_MSG_MAX)

typedef enum ex_state { EX_OFF = 0, EX_MM1, EX_MM3, EX_MM5, EX_QM1, EX_DONE } ex_state;

/* One exchange: the UDP 500 one goes MM1 -> MM3 -> done, or with the key
 * MM1 -> MM3 -> MM5 -> QM1 -> done (message 5 moved to UDP 4500 behind
 * NAT, as Windows moves it; Quick Mode follows on the same port); the UDP
 * 4500 one MM1 -> done. */
typedef struct exch {
	plat_udp *sock;
	plat_udp *old_sock;       /* after the move to UDP 4500: the UDP 500
				   * socket, still heard (a server that cannot
				   * read message 5 answers where it knew us) */
	plat_addr dst, local;
	bool nonesp;              /* UDP 4500: the non-ESP marker precedes IKE */
	bool no_route;            /* the OS has no route to dst */
	ex_state state;
	uint8_t icookie[IKE_COOKIE_LEN], rcookie[IKE_COOKIE_LEN];
	bool have_rcookie;
	uint8_t pkt[PROBE_PKT_MAX]; /* what we (re)send */
	size_t pkt_len;
	unsigned sends;
	uint64_t next_tx;
} exch;

/* Main Mode with the key: what messages 5 and 6 need from 1-4.  Secrets
 * (priv, keys) are wiped when the exchange ends. */
typedef struct mm_state {
	bool keyed;               /* message 3 carried a real DH value */
	size_t priv_len, gxi_len, sai_len;
	uint8_t priv[IKE_DH_PRIV_MAX];
	uint8_t gxi[IKE_DH_VALUE_MAX];
	uint8_t ni[PROBE_NONCE_LEN];
	uint8_t sai[IKE_MSG_MAX]; /* SAi_b: the SA payload body of message 1 */
	ike_keys keys;
	ike_qm qm;                /* Quick Mode between its messages 1 and 2 */
	probe_profile profile;
	plat_addr local;          /* this machine's address on the path (UDP 500's) */
} mm_state;

typedef struct srv {
	probe_server *out;
	mm_state mm;
	plat_resolver *res;
	plat_addr addr;
	exch e500, e4500;
	bool active;              /* resolving or exchanging */
	char why500[100];         /* the UDP 500 part of detail */
	bool skipped4500;         /* stopped waiting for 4500: no NAT */
} srv;

typedef struct ctx {
	const probe_config *cfg;
	uint64_t start, deadline;
	srv *s;
	size_t n, cap;             /* servers probed; room for more (the second
				    * family of a name that has both) */
	probe_server *outs;
	size_t sockets_tried, sockets_open;
	bool warmed;
} ctx;

const char *probe_udp500_name(probe_udp500 v)
{
	switch (v) {
	case UDP500_ANSWERED: return "answered";
	case UDP500_REJECTED: return "rejected";
	case UDP500_NO_ANSWER: return "no-answer";
	case UDP500_UNREACHABLE: return "unreachable";
	}
	return "no-answer";
}

const char *probe_udp4500_name(probe_udp4500 v)
{
	switch (v) {
	case UDP4500_ANSWERED: return "answered";
	case UDP4500_NO_ANSWER: return "no-answer";
	case UDP4500_UNREACHABLE: return "unreachable";
	case UDP4500_NOT_TESTED: return "not-tested";
	}
	return "not-tested";
}

const char *probe_natt_name(probe_natt v)
{
	switch (v) {
	case NATT_RFC3947: return "rfc3947";
	case NATT_DRAFT: return "draft";
	case NATT_NONE: return "none";
	case NATT_UNKNOWN: break;
	}
	return NULL;
}

const char *probe_phase2_name(probe_phase2 v)
{
	switch (v) {
	case PHASE2_ACCEPTED: return "accepted";
	case PHASE2_REJECTED: return "rejected";
	case PHASE2_NO_ANSWER: return "no-answer";
	case PHASE2_NOT_TESTED: break;
	}
	return "not-tested";
}

const char *probe_phase1_name(probe_phase1 v)
{
	switch (v) {
	case PHASE1_COMPLETE: return "complete";
	case PHASE1_PSK_MISMATCH: return "psk-mismatch";
	case PHASE1_NO_ANSWER: return "no-answer";
	case PHASE1_NOT_TESTED: break;
	}
	return "not-tested";
}

/* An exchange waiting for an answer. */
static bool exch_live(const exch *e)
{
	return e->state == EX_MM1 || e->state == EX_MM3 || e->state == EX_MM5 ||
	       e->state == EX_QM1;
}

static void mm_wipe(mm_state *mm)
{
	plat_wipe(mm->priv, sizeof(mm->priv));
	ike_keys_free(&mm->keys);
	plat_wipe(&mm->qm, sizeof(mm->qm));
	mm->priv_len = 0;
}

static uint32_t ms_since(uint64_t now, uint64_t then)
{
	return now > then ? (uint32_t)(now - then) : 0;
}

/* A random nonzero cookie (RFC 2408 2.5.3 wants it unique; zero means
 * "none" in the responder field). */
static void random_cookie(uint8_t c[IKE_COOKIE_LEN])
{
	if (plat_random(c, IKE_COOKIE_LEN) != PLAT_OK)
		memset(c, 0, IKE_COOKIE_LEN);
	c[0] |= 0x01; /* never all zero, even if randomness failed */
}

static void server_reset(probe_server *o)
{
	o->address[0] = '\0';
	o->resolve = RESOLVE_OK;
	o->udp500 = UDP500_NO_ANSWER;
	o->natt = NATT_UNKNOWN;
	o->server_behind_nat = TRI_NULL;
	o->client_behind_nat = TRI_NULL;
	o->udp4500 = UDP4500_NOT_TESTED;
	o->have_transform = false;
	memset(&o->transform, 0, sizeof(o->transform));
	o->notify = 0;
	o->mm4_received = false;
	o->server_ms = false;
	o->client_private = false;
	o->server_private = false;
	o->no_route = false;
	o->resent = 0;
	o->unparseable = 0;
	o->broke[0] = '\0';
	o->phase1 = PHASE1_NOT_TESTED;
	o->phase1_port = 0;
	o->phase1_detail[0] = '\0';
	o->phase2 = PHASE2_NOT_TESTED;
	o->phase2_esp[0] = '\0';
	o->phase2_detail[0] = '\0';
	o->elapsed_ms = 0;
	o->detail[0] = '\0';
}

/* ---- exchanges -------------------------------------------------------- */

static bool exch_open(ctx *c, srv *s, exch *e, uint16_t port, uint64_t now)
{
	size_t off = port == 4500 ? IKE_NONESP_MARKER_LEN : 0;
	size_t len = 0;
	plat_status st;

	memset(e, 0, sizeof(*e));
	e->dst = s->addr;
	e->dst.port = port;
	e->nonesp = off > 0;
	st = plat_udp_open(&e->dst, &e->sock, &e->local);
	/* No route to the server is a fact about the network, not a local
	 * failure: only other errors count towards "no sockets at all". */
	if (st != PLAT_EUNREACH)
		c->sockets_tried++;
	if (st != PLAT_OK) {
		e->sock = NULL;
		e->state = EX_DONE;
		e->no_route = st == PLAT_EUNREACH;
		return false;
	}
	c->sockets_open++;
	if (off == 0) {
		/* The addresses on the path: a private one here talking to a
		 * public server means a NAT between, NAT-D or not. */
		s->out->client_private = addr_is_private(&e->local);
		s->out->server_private = addr_is_private(&e->dst);
	}
	random_cookie(e->icookie);
	len = ike_build_mm1(e->pkt + off, sizeof(e->pkt) - off, e->icookie,
		c->cfg->profile, s->out->auth);
	if (off == 0 && len != 0) {
		/* HASH_I and HASH_R cover SAi_b, the SA body as sent */
		size_t so = 0, sl = 0;
		if (ike_keys_sai_b(e->pkt, len, &so, &sl) && sl <= sizeof(s->mm.sai)) {
			memcpy(s->mm.sai, e->pkt + so, sl);
			s->mm.sai_len = sl;
		}
	}
	e->pkt_len = len == 0 ? 0 : len + off; /* the marker: 4 zero bytes */
	e->state = len == 0 ? EX_DONE : EX_MM1;
	e->next_tx = now;
	return len != 0;
}

static void exch_close(exch *e)
{
	if (e->sock)
		plat_udp_close(e->sock);
	if (e->old_sock)
		plat_udp_close(e->old_sock);
	e->sock = NULL;
	e->old_sock = NULL;
	e->state = EX_DONE;
}

static void srv_update_active(ctx *c, srv *s, uint64_t now)
{
	/* With no NAT either way IPsec never uses UDP 4500: once message 4 says
	 * so, a 4500 still silent cannot change the verdict; stop waiting. */
	if (s->e500.state == EX_DONE && s->e4500.state != EX_DONE && s->out->mm4_received &&
	    s->out->server_behind_nat == TRI_FALSE && s->out->client_behind_nat == TRI_FALSE) {
		exch_close(&s->e4500);
		s->out->udp4500 = UDP4500_NOT_TESTED;
		s->skipped4500 = true;
	}
	if (s->res == NULL && s->e500.state == EX_DONE && s->e4500.state == EX_DONE &&
		s->active) {
		s->active = false;
		s->out->elapsed_ms = ms_since(now, c->start);
	}
}

static void srv_begin(ctx *c, srv *s, uint64_t now)
{
	addr_format(&s->addr, s->out->address, sizeof(s->out->address));
	if (!exch_open(c, s, &s->e500, 500, now)) {
		/* plat_strerror only when the socket's open failed, the last call */
		snprintf(s->why500, sizeof(s->why500), "%s UDP 500: %s",
			s->e500.no_route ? "no route to" : "cannot send to",
			s->e500.sock == NULL ? plat_strerror() : "message 1 could not be built");
		if (s->e500.no_route) {
			s->out->udp500 = UDP500_UNREACHABLE;
			s->out->no_route = true;
		}
	}
	if (exch_open(c, s, &s->e4500, 4500, now))
		s->out->udp4500 = UDP4500_NO_ANSWER;
	else if (s->e4500.no_route)
		s->out->udp4500 = UDP4500_UNREACHABLE;
	s->active = true;
	srv_update_active(c, s, now);
}

/* Message 3: KE for the chosen group, a nonce, and when NAT-T was agreed
 * the two NAT-D payloads: the server's address and port as we send to
 * them, then ours (RFC 3947 3.2: the remote one first). */
static bool build_mm3(srv *s, exch *e, char *why, size_t whycap)
{
	const probe_transform *t = &s->out->transform;
	uint8_t ke[512], nonce[PROBE_NONCE_LEN], h[PLAT_HASH_MAX];
	uint32_t rnd = 0;
	size_t kelen = 0, hlen = 0;
	ike_buf b;

	if (plat_random(&rnd, sizeof(rnd)) != PLAT_OK || plat_random(nonce, sizeof(nonce)) != PLAT_OK) {
		snprintf(why, whycap, "no random numbers: %s", plat_strerror());
		return false;
	}
	if (s->mm.keyed) {
		/* With the key: a fresh private value, as Windows draws one.
		 * A group nattcheck cannot compute falls back to the keyless
		 * value: the answer stays today's, the key untested. */
		size_t pl = sizeof(s->mm.priv), gl = sizeof(s->mm.gxi);
		ike_dh_status ds = ike_dh_keypair(t->group, s->mm.priv, &pl, s->mm.gxi, &gl);

		if (ds == IKE_DH_OK && gl <= sizeof(ke)) {
			s->mm.priv_len = pl;
			s->mm.gxi_len = gl;
			memcpy(ke, s->mm.gxi, gl);
			kelen = gl;
		} else {
			s->mm.keyed = false;
			snprintf(s->out->phase1_detail, sizeof(s->out->phase1_detail),
				"key not verified: group %u (%s)", (unsigned)t->group,
				ike_dh_status_name(ds));
		}
		memcpy(s->mm.ni, nonce, sizeof(nonce));
	}
	if (kelen == 0)
		kelen = ike_dh_ke(t->group, rnd, ke, sizeof(ke));
	if (kelen == 0) {
		snprintf(why, whycap, "the server chose DH group %u, which the probe cannot "
			"send", (unsigned)t->group);
		return false;
	}
	ike_buf_init(&b, e->pkt, sizeof(e->pkt));
	ike_msg_begin(&b, e->icookie, e->rcookie, IKE_EXCH_MAIN, 0);
	ike_add_payload(&b, IKE_PL_KE, ke, kelen);
	ike_add_payload(&b, IKE_PL_NONCE, nonce, sizeof(nonce));
	if (s->out->natt != NATT_NONE) {
		uint8_t type = s->out->natt == NATT_RFC3947 ? IKE_PL_NATD : IKE_PL_NATD_DRAFT;

		if (natd_hash(t->hash, e->icookie, e->rcookie, &e->dst, h, &hlen) != PLAT_OK) {
			snprintf(why, whycap, "cannot compute the NAT-D hash (hash %u): %s",
				(unsigned)t->hash, plat_strerror());
			return false;
		}
		ike_add_payload(&b, type, h, hlen);
		if (natd_hash(t->hash, e->icookie, e->rcookie, &e->local, h, &hlen) != PLAT_OK)
			return snprintf(why, whycap, "cannot compute the NAT-D hash"), false;
		ike_add_payload(&b, type, h, hlen);
	}
	if (!ike_msg_end(&b))
		return snprintf(why, whycap, "message 3 too large"), false;
	e->pkt_len = b.len;
	return true;
}

static probe_natt natt_of(const ike_msg *m, probe_profile profile)
{
	if (ike_profile_offers_rfc3947(profile) && (m->vids & IKE_VID_RFC3947))
		return NATT_RFC3947;
	if (m->vids & (IKE_VID_DRAFT02N | IKE_VID_DRAFT02))
		return NATT_DRAFT;
	return NATT_NONE;
}

static bool is_error_notify(const ike_msg *m)
{
	return m->have_notify && m->notify >= 1 && m->notify <= IKE_N_ERROR_MAX;
}

static void on_mm2(ctx *c, srv *s, exch *e, const ike_msg *m, uint64_t now)
{
	probe_server *o = s->out;

	memcpy(e->rcookie, m->hdr.rcookie, IKE_COOKIE_LEN);
	e->have_rcookie = true;
	/* Copies sent before an answer came: evidence of loss on the path. */
	if (e->sends > 1)
		o->resent += e->sends - 1;
	o->udp500 = UDP500_ANSWERED;
	o->have_transform = true;
	o->transform = m->transform;
	o->natt = natt_of(m, c->cfg->profile);
	o->server_ms = (m->vids & IKE_VID_MSNT5) != 0;
	if (!build_mm3(s, e, s->why500, sizeof(s->why500))) {
		/* e.g. a DH group Windows never offered: answered, then broke */
		snprintf(o->broke, sizeof(o->broke), "%s", s->why500);
		exch_close(e);
		return;
	}
	snprintf(s->why500, sizeof(s->why500), "UDP 500 answered message 1; no message 4");
	e->state = EX_MM3;
	e->sends = 0;
	e->next_tx = now;
}

/* The first copy of a message due now: the exchange waits for its answer. */
static void exch_expect(exch *e, ex_state st, uint64_t now)
{
	e->state = st;
	e->sends = 0;
	e->next_tx = now;
}

/* After message 4, with the key: the keys of the ISAKMP SA, then message
 * 5 - behind NAT on UDP 4500 from a new local port, the move Windows makes
 * (RFC 3947 4), otherwise on UDP 500.  False (and phase1_detail says why)
 * when it cannot be sent; the exchange then ends as without a key. */
static bool start_mm5(ctx *c, srv *s, exch *e, const ike_msg *m, uint64_t now)
{
	probe_server *o = s->out;
	mm_state *mm = &s->mm;
	const probe_transform *t = &o->transform;
	uint8_t gxy[IKE_DH_VALUE_MAX], id[4 + 16];
	size_t gl = sizeof(gxy), idl = 0, len = 0, off = 0;
	ike_dh_status ds;
	ike_keys_in in;
	ike_keys_err ke;
	bool move = o->natt != NATT_NONE && (o->server_behind_nat == TRI_TRUE ||
		o->client_behind_nat == TRI_TRUE);

	if (m->nonce_len < IKE_KEYS_NONCE_MIN || m->nonce_len > IKE_KEYS_NONCE_MAX ||
	    mm->sai_len == 0) {
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "key not verified: "
			"message 4 has no usable nonce");
		return false;
	}
	ds = ike_dh_shared(t->group, mm->priv, mm->priv_len, m->ke, m->ke_len, gxy, &gl);
	plat_wipe(mm->priv, sizeof(mm->priv));
	if (ds != IKE_DH_OK) {
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "key not verified: the "
			"server's DH value in message 4 is unusable (%s)", ike_dh_status_name(ds));
		return false;
	}
	memset(&in, 0, sizeof(in));
	in.hash = t->hash;
	in.cipher = t->cipher;
	in.key_bits = t->key_bits;
	in.psk = c->cfg->psk;
	in.psk_len = c->cfg->psk_len;
	in.ni = mm->ni;
	in.ni_len = sizeof(mm->ni);
	in.nr = m->nonce;
	in.nr_len = m->nonce_len;
	in.gxi = mm->gxi;
	in.gxi_len = mm->gxi_len;
	in.gxr = m->ke;
	in.gxr_len = m->ke_len;
	in.gxy = gxy;
	in.gxy_len = gl;
	in.icookie = e->icookie;
	in.rcookie = e->rcookie;
	ke = ike_keys_derive(&mm->keys, &in);
	plat_wipe(gxy, sizeof(gxy));
	idl = ike_mm_id(&e->local, id, sizeof(id));
	mm->local = e->local;
	mm->profile = c->cfg->profile;
	if (ke == IKE_KEYS_OK && move) {
		plat_addr dst = e->dst, local;
		plat_udp *sock = NULL;

		dst.port = 4500;
		if (plat_udp_open(&dst, &sock, &local) != PLAT_OK) {
			snprintf(o->phase1_detail, sizeof(o->phase1_detail), "key not verified: "
				"cannot open a socket for UDP 4500: %s", plat_strerror());
			return false;
		}
		e->old_sock = e->sock;
		e->sock = sock;
		e->dst = dst;
		e->nonesp = true;
		off = IKE_NONESP_MARKER_LEN;
		memset(e->pkt, 0, off);
	}
	if (ke == IKE_KEYS_OK)
		ke = ike_mm5_build(&mm->keys, mm->sai, mm->sai_len, id, idl, e->pkt + off,
			sizeof(e->pkt) - off, &len);
	if (ke != IKE_KEYS_OK) {
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "key not verified: %s "
			"(hash %u, cipher %u)", ike_keys_err_name(ke), (unsigned)t->hash,
			(unsigned)t->cipher);
		return false;
	}
	e->pkt_len = off + len;
	o->phase1_port = e->dst.port;
	snprintf(s->why500, sizeof(s->why500), "message 4 received; no answer to message 5 "
		"on UDP %u", (unsigned)e->dst.port);
	exch_expect(e, EX_MM5, now);
	return true;
}

static void on_mm4(ctx *c, srv *s, exch *e, const ike_msg *m, uint64_t now)
{
	probe_server *o = s->out;
	plat_status st = PLAT_OK;

	if (e->sends > 1)
		o->resent += e->sends - 1;
	o->mm4_received = true;
	snprintf(s->why500, sizeof(s->why500), "message 4 received");
	if (o->natt != NATT_NONE && m->natd_count == 0) {
		snprintf(s->why500, sizeof(s->why500), "message 4 has no NAT-D payload");
		snprintf(o->broke, sizeof(o->broke), "message 4 had no NAT-D payload, "
			"although message 2 offered NAT-T");
	}
	if (o->natt != NATT_NONE) {
		st = natd_compare(o->transform.hash, e->icookie, e->rcookie, m, &e->local,
			&e->dst, &o->client_behind_nat, &o->server_behind_nat);
		if (st != PLAT_OK)
			snprintf(s->why500, sizeof(s->why500), "cannot check NAT-D: %s",
				plat_strerror());
	}
	if (s->mm.keyed && !o->broke[0] && st == PLAT_OK && start_mm5(c, s, e, m, now))
		return;
	mm_wipe(&s->mm);
	exch_close(e);
}

/* Whether the cookies say this reply belongs to e.  An informational
 * notify may carry a zero responder cookie (the responder kept no state). */
static bool cookies_match_hdr(const exch *e, const ike_hdr *h)
{
	static const uint8_t zero[IKE_COOKIE_LEN];
	bool rzero = memcmp(h->rcookie, zero, IKE_COOKIE_LEN) == 0;

	if (memcmp(h->icookie, e->icookie, IKE_COOKIE_LEN) != 0)
		return false;
	if (h->exchange == IKE_EXCH_INFO)
		return rzero || !e->have_rcookie ||
			memcmp(h->rcookie, e->rcookie, IKE_COOKIE_LEN) == 0;
	if (rzero || h->msgid != 0 || h->exchange != IKE_EXCH_MAIN)
		return false;
	return !e->have_rcookie || memcmp(h->rcookie, e->rcookie, IKE_COOKIE_LEN) == 0;
}

static bool cookies_match(const exch *e, const ike_msg *m)
{
	return cookies_match_hdr(e, &m->hdr);
}

static void on_reply500(ctx *c, srv *s, exch *e, const ike_msg *m, uint64_t now)
{
	bool info = m->hdr.exchange == IKE_EXCH_INFO;

	if (e->state == EX_MM1 && is_error_notify(m) && !m->have_sa) {
		s->out->udp500 = UDP500_REJECTED;
		s->out->notify = m->notify;
		snprintf(s->why500, sizeof(s->why500), "message 1 refused with notify %s (%u)",
			m->notify == IKE_N_NO_PROPOSAL_CHOSEN ? "NO-PROPOSAL-CHOSEN" : "error",
			(unsigned)m->notify);
		exch_close(e);
	} else if (e->state == EX_MM1 && !info && m->have_sa) {
		on_mm2(c, s, e, m, now);
	} else if (e->state == EX_MM3 && is_error_notify(m)) {
		const char *name = ike_notify_name(m->notify);

		snprintf(s->why500, sizeof(s->why500), "message 3 refused with notify %u",
			(unsigned)m->notify);
		snprintf(s->out->broke, sizeof(s->out->broke), "message 3 refused with notify "
			"%s (%u)", name ? name : "error", (unsigned)m->notify);
		exch_close(e);
	} else if (e->state == EX_MM3 && !info && m->have_ke && !m->have_sa) {
		on_mm4(c, s, e, m, now);
	}
	/* anything else (a repeated message 2, a stray notify) is ignored */
}

static void on_reply4500(srv *s, exch *e, const ike_msg *m)
{
	if ((m->hdr.exchange == IKE_EXCH_INFO && is_error_notify(m)) ||
		(m->hdr.exchange == IKE_EXCH_MAIN && m->have_sa)) {
		s->out->udp4500 = UDP4500_ANSWERED;
		exch_close(e);
	}
}

/* A DELETE, sent once as Windows sends it on disconnect, so the server
 * frees the SA at once instead of at its expiry: of the IPsec SA Quick Mode
 * made (esp: our SPI), or of the ISAKMP SA. */
static void send_delete(srv *s, exch *e, bool esp)
{
	uint8_t pkt[PROBE_PKT_MAX];
	size_t off = e->nonesp ? IKE_NONESP_MARKER_LEN : 0, len = 0, cap = sizeof(pkt) - off;
	uint32_t msgid = 0;
	ike_keys_err ke;

	if (plat_random(&msgid, sizeof(msgid)) != PLAT_OK)
		return;
	msgid |= 1; /* never zero: zero is Main Mode's own */
	memset(pkt, 0, off);
	ke = esp ? ike_qm_delete_build(&s->mm.keys, msgid, s->mm.qm.spi, pkt + off, cap, &len) :
	     ike_mm_delete_build(&s->mm.keys, msgid, pkt + off, cap, &len);
	if (ke == IKE_KEYS_OK)
		(void)plat_udp_send(e->sock, pkt, off + len);
}

/* After message 6: Quick Mode message 1 as this Windows asks for its L2TP
 * SA, on the port message 5 used.  False if it cannot be built. */
static bool start_qm(srv *s, exch *e, uint64_t now)
{
	probe_server *o = s->out;
	ike_qm_in in;
	uint8_t ni[PROBE_NONCE_LEN];
	size_t off = e->nonesp ? IKE_NONESP_MARKER_LEN : 0, len = 0;
	ike_keys_err ke;

	memset(&in, 0, sizeof(in));
	if (plat_random(&in.msgid, sizeof(in.msgid)) != PLAT_OK ||
	    plat_random(&in.spi, sizeof(in.spi)) != PLAT_OK ||
	    plat_random(ni, sizeof(ni)) != PLAT_OK) {
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "no random numbers");
		return false;
	}
	in.msgid |= 1;
	in.spi |= 0x100u; /* 1-255 are reserved (RFC 2406 2.1) */
	in.profile = s->mm.profile;
	in.ni = ni;
	in.ni_len = sizeof(ni);
	in.local = s->mm.local;
	in.remote = e->dst;
	in.nat = e->nonesp;
	in.natt_draft = o->natt == NATT_DRAFT;
	ke = ike_qm1_build(&s->mm.keys, &in, &s->mm.qm, e->pkt + off, sizeof(e->pkt) - off, &len);
	if (ke != IKE_KEYS_OK) {
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "Quick Mode message 1 "
			"could not be built: %s", ike_keys_err_name(ke));
		return false;
	}
	memset(e->pkt, 0, off);
	e->pkt_len = off + len;
	snprintf(s->why500, sizeof(s->why500), "Main Mode complete; no answer to Quick Mode");
	exch_expect(e, EX_QM1, now);
	return true;
}

/* The notifies a responder sends for a message 5 it cannot decrypt or
 * whose hash does not verify (RFC 2408 3.14.1): strongSwan PAYLOAD-
 * MALFORMED, others INVALID-PAYLOAD-TYPE, INVALID-HASH-INFORMATION,
 * AUTHENTICATION-FAILED, INVALID-KEY-INFORMATION, INVALID-ID-INFORMATION
 * (no key for the ID).  Anything else, e.g. INVALID-COOKIE from a responder
 * that does not know this exchange, says nothing about the key. */
static bool key_notify(uint16_t n)
{
	return n == IKE_N_INVALID_PAYLOAD_TYPE || n == IKE_N_PAYLOAD_MALFORMED ||
	       n == IKE_N_INVALID_KE_PAYLOAD || n == IKE_N_INVALID_ID_INFORMATION ||
	       n == IKE_N_INVALID_HASH_INFORMATION || n == IKE_N_AUTHENTICATION_FAILED;
}

static void phase1_refused(srv *s, exch *e, bool old, uint16_t notify, const char *how)
{
	probe_server *o = s->out;
	const char *name = notify ? ike_notify_name(notify) : NULL;

	o->phase1 = notify && !key_notify(notify) ? PHASE1_NO_ANSWER : PHASE1_PSK_MISMATCH;
	if (notify)
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "message 5 refused with "
			"%snotify %s (%u)%s", how, name ? name : "error", (unsigned)notify,
			o->phase1 == PHASE1_NO_ANSWER ? ", which is not about the key" : "");
	else
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "%s", how);
	snprintf(s->why500, sizeof(s->why500), "message 4 received; message 5 refused");
	if (e->dst.port == 4500 && !old)
		o->udp4500 = UDP4500_ANSWERED;
	if (old)
		snprintf(o->phase1_detail + strlen(o->phase1_detail), sizeof(o->phase1_detail) -
			strlen(o->phase1_detail), " (it came on UDP 500)");
	mm_wipe(&s->mm);
	exch_close(e);
}

/* A datagram for the exchange waiting for message 6.  Encrypted replies
 * are opened with the keys; a reply the keys cannot open was made with
 * another key. */
static void on_mm5_reply(srv *s, exch *e, bool old, const uint8_t *buf, size_t len,
	uint64_t now)
{
	probe_server *o = s->out;
	uint8_t work[PROBE_PKT_MAX];
	ike_msg m;
	ike_mm_status st;

	memset(&m, 0, sizeof(m));
	if (!ike_hdr_read(buf, len, &m.hdr) || (m.hdr.version >> 4) != 1 ||
	    !cookies_match_hdr(e, &m.hdr))
		return;
	if (!(m.hdr.flags & IKE_FLAG_ENCRYPTED)) {
		/* a notify in the clear: the server could not read message 5 */
		if (m.hdr.exchange == IKE_EXCH_INFO && ike_parse(buf, len, &m) == IKE_OK &&
		    is_error_notify(&m))
			phase1_refused(s, e, old, m.notify, "");
		return;
	}
	if (m.hdr.exchange == IKE_EXCH_INFO) {
		st = ike_mm_info_open(&s->mm.keys, buf, len, work, sizeof(work), &m);
		if (st == IKE_MM_OK && is_error_notify(&m))
			phase1_refused(s, e, old, m.notify, "an encrypted ");
		else if (st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH)
			phase1_refused(s, e, old, 0, "message 5 was answered with an encrypted "
				"notification this key cannot read");
		return;
	}
	if (m.hdr.exchange != IKE_EXCH_MAIN || m.hdr.msgid != 0)
		return;
	st = ike_mm6_open(&s->mm.keys, buf, len, s->mm.sai, s->mm.sai_len, work,
		sizeof(work), &m);
	if (st == IKE_MM_ESHORT || st == IKE_MM_ENOTENC || st == IKE_MM_ECRYPTO)
		return; /* not a message 6 we can judge: wait for another */
	if (st != IKE_MM_OK) {
		phase1_refused(s, e, old, 0, st == IKE_MM_EMISMATCH ? "message 6 came, but its "
			"HASH_R was made with another key" : "message 6 came, but decrypts to "
			"garbage with this key: the server's key differs");
		return;
	}
	o->phase1 = PHASE1_COMPLETE;
	if (e->sends > 1)
		o->resent += e->sends - 1;
	if (e->dst.port == 4500 && !old)
		o->udp4500 = UDP4500_ANSWERED;
	snprintf(s->why500, sizeof(s->why500), "Main Mode complete: message 6 verified");
	if (start_qm(s, e, now))
		return;
	send_delete(s, e, false);
	mm_wipe(&s->mm);
	exch_close(e);
}

/* Quick Mode has an answer (or none): the DELETEs Windows sends on
 * disconnect - the IPsec SA's when the server created one, then the ISAKMP
 * SA's - and the exchange ends. */
static void qm_end(srv *s, exch *e, bool sa_made)
{
	if (sa_made)
		send_delete(s, e, true);
	send_delete(s, e, false);
	mm_wipe(&s->mm);
	exch_close(e);
}

static void phase2_refused(srv *s, exch *e, uint16_t notify, const char *why)
{
	probe_server *o = s->out;
	const char *name = notify ? ike_notify_name(notify) : NULL;

	o->phase2 = PHASE2_REJECTED;
	if (notify)
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "Quick Mode refused with "
			"notify %s (%u)", name ? name : "error", (unsigned)notify);
	else
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "%s", why);
	qm_end(s, e, false);
}

/* A datagram for the exchange waiting for Quick Mode message 2. */
static void on_qm_reply(srv *s, exch *e, const uint8_t *buf, size_t len)
{
	probe_server *o = s->out;
	uint8_t work[PROBE_PKT_MAX];
	ike_msg m;
	ike_qm2 q;
	ike_mm_status st;

	memset(&m, 0, sizeof(m));
	if (!ike_hdr_read(buf, len, &m.hdr) || (m.hdr.version >> 4) != 1 ||
	    memcmp(m.hdr.icookie, e->icookie, IKE_COOKIE_LEN) != 0 ||
	    memcmp(m.hdr.rcookie, e->rcookie, IKE_COOKIE_LEN) != 0 ||
	    !(m.hdr.flags & IKE_FLAG_ENCRYPTED))
		return;
	if (m.hdr.exchange == IKE_EXCH_INFO) {
		st = ike_mm_info_open(&s->mm.keys, buf, len, work, sizeof(work), &m);
		if (st == IKE_MM_OK && is_error_notify(&m))
			phase2_refused(s, e, m.notify, "");
		else if (st == IKE_MM_OK && m.have_delete)
			phase2_refused(s, e, 0, "the server deleted the SA instead of answering "
				"Quick Mode");
		return;
	}
	if (m.hdr.exchange != IKE_EXCH_QUICK || m.hdr.msgid != s->mm.qm.msgid)
		return;
	st = ike_qm2_open(&s->mm.keys, &s->mm.qm, buf, len, work, sizeof(work), &q);
	if (st == IKE_MM_ESHORT || st == IKE_MM_ECRYPTO)
		return;
	if (st != IKE_MM_OK) {
		o->phase2 = PHASE2_NO_ANSWER;
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "Quick Mode message 2 "
			"did not verify (%s)", ike_mm_status_name(st));
		qm_end(s, e, false);
		return;
	}
	o->phase2 = PHASE2_ACCEPTED;
	ike_esp_text(&q.chosen, o->phase2_esp, sizeof(o->phase2_esp));
	snprintf(s->why500, sizeof(s->why500), "Main Mode and Quick Mode complete");
	qm_end(s, e, true);
}

/* One received datagram for exchange e (old: on its UDP 500 socket after
 * the move to 4500; only an answer to message 5 is looked for there). */
static void on_datagram(ctx *c, srv *s, exch *e, bool old, const uint8_t *buf, size_t len,
	const plat_addr *from, uint64_t now)
{
	ike_msg m;
	ike_err err;
	plat_addr want = e->dst;

	if (!exch_live(e))
		return;
	if (old) {
		want.port = 500;
		if (addr_equal(from, &want) && e->state == EX_MM5)
			on_mm5_reply(s, e, true, buf, len, now);
		return;
	}
	if (!addr_equal(from, &e->dst))
		return;
	if (e->nonesp) {
		/* 0xff alone is a NAT keepalive; a nonzero marker is ESP */
		if (len < IKE_NONESP_MARKER_LEN || buf[0] | buf[1] | buf[2] | buf[3])
			return;
		buf += IKE_NONESP_MARKER_LEN;
		len -= IKE_NONESP_MARKER_LEN;
	}
	if (e->state == EX_MM5) {
		on_mm5_reply(s, e, false, buf, len, now);
		return;
	}
	if (e->state == EX_QM1) {
		on_qm_reply(s, e, buf, len);
		return;
	}
	if ((err = ike_parse(buf, len, &m)) != IKE_OK) {
		/* From the server's address, yet not IKE: count it, keep the
		 * first one's reason (a reply, not a firewall). */
		if (s->out->unparseable++ == 0 && !s->out->broke[0] && e == &s->e500)
			snprintf(s->out->broke, sizeof(s->out->broke), "a reply on UDP %u did "
				"not parse (%s at byte %lu of %lu)", e->dst.port, ike_err_name(err),
				(unsigned long)(m.err_off + (e->nonesp ? IKE_NONESP_MARKER_LEN : 0)),
				(unsigned long)(len + (e->nonesp ? IKE_NONESP_MARKER_LEN : 0)));
		return;
	}
	if (!cookies_match(e, &m))
		return;
	if (e == &s->e500)
		on_reply500(c, s, e, &m, now);
	else
		on_reply4500(s, e, &m);
}

static void on_unreachable(srv *s, exch *e)
{
	if (e == &s->e500 && e->state == EX_MM5) {
		s->out->phase1 = PHASE1_NO_ANSWER;
		snprintf(s->out->phase1_detail, sizeof(s->out->phase1_detail), "ICMP "
			"unreachable for message 5 on UDP %u", (unsigned)e->dst.port);
		if (e->dst.port == 4500)
			s->out->udp4500 = UDP4500_UNREACHABLE;
		mm_wipe(&s->mm);
	} else if (e == &s->e500) {
		if (s->out->udp500 == UDP500_NO_ANSWER) {
			s->out->udp500 = UDP500_UNREACHABLE;
			snprintf(s->why500, sizeof(s->why500), "ICMP unreachable for UDP 500");
		} else {
			snprintf(s->why500, sizeof(s->why500), "ICMP unreachable after message 2");
		}
	} else {
		s->out->udp4500 = UDP4500_UNREACHABLE;
	}
	exch_close(e);
}

static void exch_read(ctx *c, srv *s, exch *e, bool old, uint64_t now)
{
	uint8_t buf[4096];
	plat_udp **sock = old ? &e->old_sock : &e->sock;

	for (int i = 0; i < PROBE_RECV_BURST && *sock; i++) {
		plat_addr from;
		size_t len = 0;
		plat_status st = plat_udp_recv(*sock, buf, sizeof(buf), &len, &from);

		if (st == PLAT_EUNREACH && old) {
			plat_udp_close(*sock); /* a late ICMP for UDP 500: not message 5's */
			*sock = NULL;
		} else if (st == PLAT_EUNREACH) {
			on_unreachable(s, e);
		} else if (st == PLAT_OK) {
			on_datagram(c, s, e, old, buf, len, &from, now);
		} else if (st != PLAT_EMSGSIZE) {
			break; /* EAGAIN, or an error the next wait reports again */
		}
	}
}

static void exch_send_due(srv *s, exch *e, uint64_t now)
{
	uint32_t rto = PROBE_FIRST_RTO_MS;

	if (!exch_live(e) || now < e->next_tx)
		return;
	if (e->sends >= PROBE_MAX_SENDS) {
		e->next_tx = UINT64_MAX; /* wait for a late answer until the deadline */
		return;
	}
	if (plat_udp_send(e->sock, e->pkt, e->pkt_len) == PLAT_EUNREACH) {
		on_unreachable(s, e);
		return;
	}
	for (unsigned i = 0; i < e->sends && rto < PROBE_MAX_RTO_MS; i++)
		rto += rto / 2;
	if (rto > PROBE_MAX_RTO_MS)
		rto = PROBE_MAX_RTO_MS;
	e->sends++;
	e->next_tx = now + rto;
}

/* ---- the run ---------------------------------------------------------- */

/* c->s[i] ready to start: its result reset, no exchange open. */
static srv *srv_init(ctx *c, size_t i, probe_auth auth)
{
	srv *s = &c->s[i];

	s->out = &c->outs[i];
	server_reset(s->out);
	s->out->auth = auth;
	s->mm.keyed = auth == PROBE_AUTH_PSK && c->cfg->psk != NULL && c->cfg->psk_len > 0;
	snprintf(s->out->phase1_detail, sizeof(s->out->phase1_detail), "%s",
		s->mm.keyed ? "" : auth != PROBE_AUTH_PSK ? "certificate authentication: no key "
		"to test" : "no key given (--psk-file, --psk - or NATTCHECK_PSK)");
	s->e500.state = EX_DONE;
	s->e4500.state = EX_DONE;
	return s;
}

/* A name with addresses of both families: which one Windows tries depends
 * on its address selection, so probe the first of the other family too,
 * as a result of its own (same name), within the same deadline. */
static void srv_split_family(ctx *c, srv *s, const plat_addr *a, size_t n, uint64_t now)
{
	srv *t;

	for (size_t i = 1; i < n; i++) {
		if (a[i].family == s->addr.family)
			continue;
		if (c->n >= c->cap)
			return;
		memcpy(c->outs[c->n].name, s->out->name, sizeof(s->out->name));
		c->outs[c->n].origin = s->out->origin;
		t = srv_init(c, c->n++, s->out->auth);
		t->addr = a[i];
		t->addr.port = 0;
		srv_begin(c, t, now);
		return;
	}
}

static void srv_poll_resolver(ctx *c, srv *s, uint64_t now)
{
	plat_addr a[8];
	size_t n = 0;
	plat_status st = plat_resolve_poll(s->res, a, sizeof(a) / sizeof(a[0]), &n);

	if (st == PLAT_EAGAIN)
		return;
	if (st != PLAT_OK || n == 0) {
		/* plat_strerror first: the poll's words, before another call */
		snprintf(s->why500, sizeof(s->why500), "the name does not resolve%s%s",
			st == PLAT_ENOTFOUND ? "" : ": ",
			st == PLAT_ENOTFOUND ? "" : plat_strerror());
	}
	plat_resolve_free(s->res);
	s->res = NULL;
	if (st == PLAT_OK && n > 0) {
		s->addr = a[0];
		s->addr.port = 0;
		srv_begin(c, s, now);
		srv_split_family(c, s, a, n, now);
		return;
	}
	s->out->resolve = RESOLVE_NOT_FOUND;
	srv_update_active(c, s, now);
}

static void srv_start(ctx *c, srv *s, uint64_t now)
{
	const char *why = NULL;
	addr_kind k = addr_parse(s->out->name, &s->addr, &why);

	if (k == ADDR_BAD) {
		s->out->resolve = RESOLVE_BAD_NAME;
		snprintf(s->why500, sizeof(s->why500), "%s", why ? why : "bad name");
	} else if (k == ADDR_LITERAL) {
		srv_begin(c, s, now);
	} else if (plat_resolve_start(s->out->name, &s->res) != PLAT_OK) {
		s->res = NULL;
		s->out->resolve = RESOLVE_NOT_FOUND;
		snprintf(s->why500, sizeof(s->why500), "cannot resolve: %s", plat_strerror());
	} else {
		s->active = true;
	}
}

/* How long to sleep: until the next retransmission, the deadline, or the
 * next resolver poll. */
static uint32_t next_wait(const ctx *c, uint64_t now)
{
	uint64_t until = c->deadline;

	for (size_t i = 0; i < c->n; i++) {
		const srv *s = &c->s[i];

		if (s->res && now + PROBE_RESOLVE_POLL_MS < until)
			until = now + PROBE_RESOLVE_POLL_MS;
		if (exch_live(&s->e500) && s->e500.next_tx < until)
			until = s->e500.next_tx;
		if (s->e4500.state == EX_MM1 && s->e4500.next_tx < until)
			until = s->e4500.next_tx;
	}
	return until > now ? (uint32_t)(until - now) : 0;
}

static bool any_active(const ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].active)
			return true;
	return false;
}

/* Who a waited-on socket belongs to. */
typedef struct slot {
	srv *s;
	exch *e;
	bool old;                  /* e->old_sock rather than e->sock */
} slot;
#define PROBE_SOCKS_PER_SERVER 3   /* UDP 500 (then 4500 and the old 500), 4500 */

/* One turn: poll resolvers, send what is due, wait, read what came. */
static void run_once(ctx *c, plat_udp **socks, bool *ready, slot *owner)
{
	uint64_t now = plat_now_ms();
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++) {
		srv *s = &c->s[i];

		if (s->res)
			srv_poll_resolver(c, s, now);
		exch_send_due(s, &s->e500, now);
		exch_send_due(s, &s->e4500, now);
		srv_update_active(c, s, now);
		for (int j = 0; j < 2; j++) {
			exch *e = j == 0 ? &s->e500 : &s->e4500;

			if (e->sock && exch_live(e)) {
				socks[k] = e->sock;
				owner[k++] = (slot){ s, e, false };
			}
			if (e->old_sock && exch_live(e)) {
				socks[k] = e->old_sock;
				owner[k++] = (slot){ s, e, true };
			}
		}
	}
	if (!any_active(c) || now >= c->deadline)
		return;
	if (!c->warmed) {
		/* message 1 is out: load the hash provider while answers travel */
		uint8_t h[PLAT_HASH_MAX];
		size_t hl = 0;
		(void)plat_hash(PLAT_HASH_SHA1, "", 0, h, &hl);
		c->warmed = true;
		now = plat_now_ms();
	}
	memset(ready, 0, PROBE_SOCKS_PER_SERVER * c->n * sizeof(*ready));
	if (plat_udp_wait(socks, k, next_wait(c, now), ready) != PLAT_OK) {
		/* let each recv tell, after a pause so a failing wait cannot spin */
		(void)plat_udp_wait(socks, 0, PROBE_RESOLVE_POLL_MS, ready);
		memset(ready, 1, k * sizeof(*ready));
	}
	now = plat_now_ms();
	for (size_t i = 0; i < k; i++) {
		if (ready[i] && (owner[i].old ? owner[i].e->old_sock : owner[i].e->sock)) {
			exch_read(c, owner[i].s, owner[i].e, owner[i].old, now);
			srv_update_active(c, owner[i].s, now);
		}
	}
}

/* Message 5, or Quick Mode message 1, went unanswered to the end.  Sent
 * this often, silence is a refusal: some servers drop a message 5 whose
 * hash does not verify (on a port that answers otherwise - UDP 500
 * answered messages 1-4; on UDP 4500 a new exchange was answered), or a
 * Quick Mode they will not accept.  Fewer copies: no answer, nothing more. */
#define PROBE_SILENT_SENDS 3

static void mm5_silent(srv *s, exch *e)
{
	probe_server *o = s->out;
	bool port_answers = e->dst.port == 500 || o->udp4500 == UDP4500_ANSWERED;

	if (port_answers && e->sends >= PROBE_SILENT_SENDS) {
		o->phase1 = PHASE1_PSK_MISMATCH;
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "no answer to message 5 "
			"(%u sent to UDP %u), although the server answers on that port",
			e->sends, (unsigned)e->dst.port);
	} else {
		o->phase1 = PHASE1_NO_ANSWER;
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "no answer to message 5 "
			"(%u sent to UDP %u)", e->sends, (unsigned)e->dst.port);
	}
}

static void srv_finish(ctx *c, srv *s, uint64_t now)
{
	probe_server *o = s->out;

	if (s->res) {
		plat_resolve_free(s->res);
		s->res = NULL;
		o->resolve = RESOLVE_TIMEOUT;
		snprintf(s->why500, sizeof(s->why500), "no answer from the resolver within "
			"%u ms", (unsigned)c->cfg->timeout_ms);
	}
	if (s->e500.state == EX_MM1 && o->udp500 == UDP500_NO_ANSWER)
		snprintf(s->why500, sizeof(s->why500), "no IKE answer on UDP 500 within %u ms "
			"(%u attempts)", (unsigned)c->cfg->timeout_ms, s->e500.sends);
	if (s->e500.state == EX_MM5)
		mm5_silent(s, &s->e500);
	if (s->e500.state == EX_QM1) {
		/* silence after a complete Main Mode: refused, when sent often */
		o->phase2 = s->e500.sends >= PROBE_SILENT_SENDS ? PHASE2_REJECTED :
			    PHASE2_NO_ANSWER;
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "no answer to Quick Mode "
			"message 1 (%u sent) after a complete Main Mode", s->e500.sends);
		qm_end(s, &s->e500, false);
	}
	if (o->phase2 == PHASE2_NOT_TESTED && !o->phase2_detail[0])
		snprintf(o->phase2_detail, sizeof(o->phase2_detail), "%s", o->phase1 ==
			PHASE1_COMPLETE ? "Quick Mode not sent" : "needs a complete Main Mode "
			"(the key)");
	if (s->mm.keyed && o->phase1 == PHASE1_NOT_TESTED && !o->phase1_detail[0])
		snprintf(o->phase1_detail, sizeof(o->phase1_detail), "the exchange ended before "
			"message 5: the key was not tested");
	mm_wipe(&s->mm);
	exch_close(&s->e500);
	exch_close(&s->e4500);
	if (s->active) {
		s->active = false;
		o->elapsed_ms = ms_since(now, c->start);
	}
	snprintf(o->detail, sizeof(o->detail), "%s%s", s->why500,
		o->udp4500 == UDP4500_UNREACHABLE ? (s->e4500.no_route ? "; no route for UDP 4500" :
		"; ICMP unreachable for UDP 4500") :
		o->udp4500 == UDP4500_NO_ANSWER ? "; no IKE answer on UDP 4500" :
		s->skipped4500 ? "; no NAT, so UDP 4500 was not awaited" : "");
}

bool probe_run(probe_server *servers, size_t n, const probe_config *cfg)
{
	return probe_run_families(servers, &n, n, cfg);
}

bool probe_run_families(probe_server *servers, size_t *n, size_t cap, const probe_config *cfg)
{
	ctx c;
	plat_udp **socks = NULL;
	bool *ready = NULL;
	slot *owner = NULL;
	bool ok = false;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.n = *n;
	c.cap = cap < *n ? *n : cap;
	c.outs = servers;
	c.start = plat_now_ms();
	c.deadline = c.start + cfg->timeout_ms;
	c.s = calloc(c.cap ? c.cap : 1, sizeof(*c.s));
	socks = calloc(PROBE_SOCKS_PER_SERVER * c.cap + 1, sizeof(*socks));
	ready = calloc(PROBE_SOCKS_PER_SERVER * c.cap + 1, sizeof(*ready));
	owner = calloc(PROBE_SOCKS_PER_SERVER * c.cap + 1, sizeof(*owner));
	if (!c.s || !socks || !ready || !owner)
		goto out;
	for (size_t i = 0; i < c.n; i++)
		srv_start(&c, srv_init(&c, i, cfg->auth_per_server ? servers[i].auth : cfg->auth),
			c.start);
	while (any_active(&c) && plat_now_ms() < c.deadline)
		run_once(&c, socks, ready, owner);
	for (size_t i = 0; i < c.n; i++)
		srv_finish(&c, &c.s[i], plat_now_ms());
	ok = c.sockets_tried == 0 || c.sockets_open > 0;
out:
	*n = c.n;
	free(c.s);
	free(socks);
	free(ready);
	free(owner);
	return ok;
}
