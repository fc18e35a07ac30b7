/* decide.c - the verdict table of README.md (verdicts, exit codes), and
 * advice a helpdesk can act on. */
#include "decide.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike_qm.h"

const verdict_info verdict_table[V_COUNT] = {
	[V_WORKS] = { "works", EXIT_WORKS, NATTCHECK_EVENT_WORKS, PLAT_EVENT_INFO,
		"This connection should work from here: nothing to change." },
	[V_NEEDS_REGISTRY] = { "needs-registry", EXIT_NEEDS_REGISTRY,
		NATTCHECK_EVENT_NEEDS_ACTION, PLAT_EVENT_WARNING,
		"Windows needs one registry change to connect through NAT (until then: "
		"error 809). Click Fix, then restart Windows." },
	[V_REBOOT_PENDING] = { "reboot-pending", EXIT_REBOOT_PENDING,
		NATTCHECK_EVENT_NEEDS_ACTION, PLAT_EVENT_WARNING,
		"The registry change is made, but Windows reads it only when it starts: "
		"restart Windows, then connect." },
	[V_NO_NATT] = { "no-natt", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE, PLAT_EVENT_ERROR,
		"The VPN server does not support NAT traversal: this connection cannot "
		"work through NAT. Nothing on this computer can fix that." },
	[V_BLOCKED_UDP4500] = { "blocked-udp4500", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "UDP port 4500 to the VPN server is blocked on the way: "
		"the network or the server's firewall must let it through." },
	[V_PROPOSAL_REJECTED] = { "proposal-rejected", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "The VPN server refuses the security settings this "
		"Windows version offers: the server's settings must change." },
	[V_PSK_MISMATCH] = { "psk-mismatch", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "The pre-shared key of this connection differs from the "
		"VPN server's (error 789): enter the right key in the connection's "
		"settings." },
	[V_PHASE2_REJECTED] = { "phase2-rejected", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "The VPN server accepts the key but refuses the L2TP "
		"connection's IPsec settings (error 788): the server's settings must "
		"change." },
	[V_INCONCLUSIVE] = { "inconclusive", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "The check could not tell whether this connection works: "
		"give your helpdesk the details (Copy)." },
	[V_BLOCKED_UDP500] = { "blocked-udp500", EXIT_PROBLEM, NATTCHECK_EVENT_FAILURE,
		PLAT_EVENT_ERROR, "The VPN server does not answer (UDP port 500): it is "
		"down, its name is wrong, or the network blocks the VPN." },
};


const char *verdict_name(verdict v)
{
	return (unsigned)v < V_COUNT ? verdict_table[v].name : "unknown";
}

int verdict_exit(verdict v)
{
	return (unsigned)v < V_COUNT ? verdict_table[v].exit_code : EXIT_SYSTEM;
}

void exit_event(int exit_code, int *event_id, int *event_type)
{
	for (int v = 0; v < V_COUNT; v++)
		if (verdict_table[v].exit_code == exit_code) {
			*event_id = verdict_table[v].event_id;
			*event_type = verdict_table[v].event_type;
			return;
		}
	*event_id = NATTCHECK_EVENT_ERROR;
	*event_type = PLAT_EVENT_ERROR;
}

verdict verdict_worst(verdict a, verdict b)
{
	int ea = verdict_exit(a), eb = verdict_exit(b);

	if (ea != eb)
		return ea > eb ? a : b;
	return a >= b ? a : b;
}

static const char care_note[] =
	" Microsoft advises care with this setting (KB 885348): a NAT in front of a "
	"VPN server can lose traffic or forward it to the wrong host; giving the "
	"server a public address avoids that, while this value only makes Windows "
	"accept the NAT.";

static int effective_value(const policy *pol)
{
	return pol->state == POLICY_VALID ? (int)pol->value : 0;
}

static void advice_udp500(const probe_server *s, decision *d)
{
	switch (s->resolve) {
	case RESOLVE_BAD_NAME:
		snprintf(d->advice, sizeof(d->advice), "'%s' is not a valid server name or "
			"address (%s): check the spelling in the VPN connection.", s->name,
			s->detail[0] ? s->detail : "bad name");
		return;
	case RESOLVE_NOT_FOUND:
		snprintf(d->advice, sizeof(d->advice), "The name '%s' does not resolve: check "
			"the spelling, and that this machine's DNS knows it.", s->name);
		return;
	case RESOLVE_TIMEOUT:
		snprintf(d->advice, sizeof(d->advice), "The name '%s' did not resolve within "
			"the time budget: this machine's DNS server does not answer. Check DNS, "
			"or try the server's IP address.", s->name);
		return;
	case RESOLVE_OK:
		break;
	}
	if (s->no_route)
		snprintf(d->advice, sizeof(d->advice), "This machine has no route to %s: it is "
			"not connected to a network that reaches the server. Check the network "
			"connection (cable, Wi-Fi, proxy-only networks) before anything else.",
			s->address);
	else if (s->udp500 == UDP500_UNREACHABLE)
		snprintf(d->advice, sizeof(d->advice), "%s refused UDP port 500 (ICMP port "
			"unreachable): no IKE service listens there. Check that the VPN "
			"server's IPsec service runs, and that a NAT in front of it forwards "
			"UDP 500 and 4500 to it (otherwise Windows shows error 809).", s->address);
	else
		/* libreswan's pluto, for one, drops without a word a message 1
		 * that matches none of its connections. */
		snprintf(d->advice, sizeof(d->advice), "No IKE answer from %s on UDP port 500 "
			"(Windows shows error 809): a firewall drops it, or nothing forwards it. "
			"Open/forward UDP 500 and UDP 4500 to the VPN server on every firewall "
			"and NAT in between. A second cause: some servers (libreswan, for one) "
			"silently drop a first message that matches none of their connections"
			": one set up for %s, or one that accepts only known peers.%s",
			s->address, s->auth == PROBE_AUTH_PSK ? "certificates only" :
			"pre-shared keys only", s->auth == PROBE_AUTH_PSK ? " If the connection "
			"uses certificates, check again with --auth cert." : " If the connection "
			"uses a pre-shared key, check again without --auth cert.");
}

void decide_transform_text(const probe_transform *t, char *buf, size_t cap)
{
	const char *cipher = t->cipher == IKE_CIPHER_AES_CBC ? "AES" :
			     t->cipher == IKE_CIPHER_3DES ? "3DES" : "cipher";
	const char *hash = t->hash == IKE_HASH_MD5 ? "MD5" : t->hash == IKE_HASH_SHA1 ? "SHA1" :
			   t->hash == IKE_HASH_SHA256 ? "SHA-256" : t->hash == IKE_HASH_SHA384 ?
			   "SHA-384" : t->hash == IKE_HASH_SHA512 ? "SHA-512" : "hash";

	if (t->key_bits)
		snprintf(buf, cap, "%s-%u/%s/group %u", cipher, t->key_bits, hash, t->group);
	else
		snprintf(buf, cap, "%s/%s/group %u", cipher, hash, t->group);
}

static const char *profile_offer(probe_profile p)
{
	if (p == PROFILE_XP)
		return "3DES/SHA1 with DH group 14 or 2 (MODP2048/MODP1024)";
	return "AES-256/SHA1/group 20 (ECP384), AES-128/SHA1/group 19 (ECP256), "
	       "AES-256/SHA1/group 14 (MODP2048), 3DES/SHA1/group 14 or 3DES/SHA1/group 2";
}

/* Windows' error numbers as users read them off the screen, from Microsoft's
 * "Routing and Remote Access Error Codes" (raserror.h): 809
 * ERROR_VPN_TIMEOUT ("the remote server is not responding": blocked ports,
 * or the NAT value missing), 788 ERROR_OAKLEY_ATTRIB_FAIL ("could not
 * negotiate compatible parameters"), 789 ERROR_OAKLEY_GENERAL_PROCESSING
 * ("a processing error during initial negotiations": typically the
 * pre-shared key or certificate). */
static const char *works_tested(const probe_server *s)
{
	if (s->phase1 == PHASE1_COMPLETE && s->phase2 == PHASE2_ACCEPTED)
		return " Tested: the IKE path, NAT-T, UDP 500/4500, this registry value, "
		       "the pre-shared key (Main Mode completed with it) and the IPsec SA "
		       "for L2TP (Quick Mode accepted); not tested: ESP traffic itself (IP "
		       "protocol 50, used when there is no NAT) and the user's name and "
		       "password.";
	if (s->phase1 == PHASE1_COMPLETE)
		return " Tested: the IKE path, NAT-T, UDP 500/4500, this registry value and "
		       "the pre-shared key (Main Mode completed with it); not tested: "
		       "ESP (IP protocol 50, used when there is no NAT) and the user's name "
		       "and password.";
	return " Tested: the IKE path, NAT-T, UDP 500/4500 and this registry value; not "
	       "tested: the pre-shared key or certificate (a mismatch shows as error "
	       "789; give the key with --psk-file to test it and the L2TP IPsec SA too), "
	       "ESP (IP protocol 50, used when there is no NAT) and the user's name and "
	       "password.";
}

/* Appends to the advice (cut at its size, never overrun). */
static void addf(decision *d, const char *fmt, ...)
{
	size_t n = strlen(d->advice);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->advice + n, sizeof(d->advice) - n, fmt, ap);
	va_end(ap);
}

/* What a server seen behind NAT may really be, and what else it needs.
 * (A server that forces encapsulation on a public address answers on 4500,
 * so that possibility is not raised when 4500 is the problem.) */
static void server_nat_notes(const probe_server *s, decision *d)
{
	if (s->server_behind_nat != TRI_TRUE)
		return;
	if (s->server_ms)
		addf(d, " The server is a Windows server (RRAS, it sent the MS NT5 "
			"ISAKMPOAKLEY vendor ID): behind NAT it needs "
			"AssumeUDPEncapsulationContextOnSendRule = 2 in "
			"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent as well "
			"(KB 926179), then a restart.");
	else if (d->v != V_BLOCKED_UDP4500)
		addf(d, " If the server has a public address of its own, it may instead "
			"force UDP encapsulation (strongSwan encap=yes, libreswan "
			"encapsulation=yes), which fakes the NAT-D hash and looks exactly "
			"like this: turning that off on the server makes the value "
			"unnecessary.");
}

static const char *value_text(const policy *pol, int have)
{
	if (pol->state == POLICY_ABSENT)
		return "absent";
	if (pol->state == POLICY_INVALID)
		return "invalid";
	return have == 0 ? "0" : have == 1 ? "1" : "2";
}

static void decide_nat(const os_info *os, const policy *pol, const probe_server *s, decision *d)
{
	bool srv = s->server_behind_nat == TRI_TRUE, cli = s->client_behind_nat == TRI_TRUE;
	int have = effective_value(pol);
	const char *side = srv && cli ? "Both this client and the server are" :
			   srv ? "The server is" : "This client is";

	/* KB 926179: 1 = a server behind NAT, while this client is not; 2 =
	 * both.  The server's NAT stays; the client's comes with the network. */
	d->required_value = srv ? 2 : 0;
	d->required_here = srv && cli ? 2 : srv ? 1 : 0;
	/* Only NAT moves IKE and ESP to UDP 4500. */
	if ((srv || cli) && s->udp4500 != UDP4500_ANSWERED) {
		d->v = V_BLOCKED_UDP4500;
		snprintf(d->advice, sizeof(d->advice), "%s behind NAT, so IPsec moves to UDP "
			"port 4500, but UDP 4500 to %s gets no IKE answer (Windows shows error "
			"809). %s", side, s->address,
			srv ? "Forward UDP 4500 (as well as 500) on the server's NAT router to "
			      "the VPN server, and allow it through its firewall." :
			      "Allow outgoing UDP 4500 on this network's firewall, and UDP 4500 "
			      "into the VPN server.");
		server_nat_notes(s, d);
		return;
	}
	if (have >= d->required_value) {
		if (srv && pol->reboot_pending) {
			d->v = V_REBOOT_PENDING;
			snprintf(d->advice, sizeof(d->advice), "%s behind NAT; "
				"AssumeUDPEncapsulationContextOnSendRule is %d, which is right, but "
				"it changed after Windows started: restart Windows, then connect.",
				side, have);
		} else if (srv) {
			d->v = V_WORKS;
			snprintf(d->advice, sizeof(d->advice), "%s behind NAT; the server speaks "
				"NAT-T, UDP 500 and 4500 get through, and "
				"AssumeUDPEncapsulationContextOnSendRule (%d) allows it from any "
				"network. Nothing to do.%s", side, have, works_tested(s));
		} else {
			d->v = V_WORKS;
			snprintf(d->advice, sizeof(d->advice), "%s%s", cli ?
				"This client is behind NAT, which Windows handles by default; the "
				"server speaks NAT-T and UDP 4500 gets through. Nothing to do." :
				"No NAT between this client and the server, and the server answers "
				"IKE. Nothing to do.", works_tested(s));
		}
		server_nat_notes(s, d);
		return;
	}
	d->v = V_NEEDS_REGISTRY;
	d->value_short = true;
	if (have >= d->required_here)
		/* 1 with only the server behind NAT: fine here, not elsewhere. */
		snprintf(d->advice, sizeof(d->advice), "The server is behind NAT. "
			"AssumeUDPEncapsulationContextOnSendRule = %d in HKLM\\%s works from "
			"this network, where this client is not behind NAT, but fails with "
			"error 809 from networks where it is (home routers, hotels, phone "
			"hotspots). Run `nattcheck fix %s` as administrator (or `nattcheck set "
			"2`) to raise it to 2, then restart Windows.", have,
			os->policy_key ? os->policy_key : "?", s->name);
	else
		snprintf(d->advice, sizeof(d->advice), "%s behind NAT: Windows needs "
			"AssumeUDPEncapsulationContextOnSendRule = 2 in HKLM\\%s (now %s; "
			"without it Windows shows error 809). 2 covers this client behind NAT "
			"too, as on most networks a laptop meets. Run `nattcheck fix %s` as "
			"administrator (or `nattcheck set 2`), then restart Windows.", side,
			os->policy_key ? os->policy_key : "?", value_text(pol, have), s->name);
	server_nat_notes(s, d);
	addf(d, "%s", care_note);
}

/* The server answered, then the exchange broke: never a firewall. */
static void inconclusive(const probe_server *s, decision *d)
{
	d->v = V_INCONCLUSIVE;
	snprintf(d->advice, sizeof(d->advice), "%s answers IKE, but the exchange broke "
		"off: %s. That is not a blocked port, and nattcheck cannot tell whether "
		"there is NAT. Look at the VPN server's IKE log for this attempt (a server "
		"that refuses Windows' second message, or something between that alters "
		"packets), then check again.", s->address, s->broke[0] ? s->broke :
		"its replies did not parse");
	if (s->unparseable)
		addf(d, " %u repl%s from the server did not parse as IKE.", s->unparseable,
			s->unparseable == 1 ? "y" : "ies");
}

/* A run that ran out of time half-way on a lossy path may say "blocked"
 * about ports that are open: say so, so nobody opens ports for nothing. */
static void loss_hint(const probe_server *s, decision *d)
{
	if (s->resent == 0)
		return;
	addf(d, " Packets were lost on the way to this server (%u sent again before an "
		"answer came): run the check again, or with --timeout 6000, before changing "
		"any firewall.", s->resent);
}

/* The ESP transforms this Windows offers: "AES-256/SHA1, ... or 3DES/MD5". */
static void esp_offer(probe_profile p, char *buf, size_t cap)
{
	size_t n = 0;
	const ike_esp *t = ike_qm_profile_esp(p, &n);

	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		char one[48];

		ike_esp_alg_text(&t[k], one, sizeof(one));
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s",
			k == 0 ? "" : k + 1 == n ? " or " : ", ", one);
	}
}

/* With the key, on a path that works otherwise: Main Mode to its end, then
 * Quick Mode.  A wrong key or a refused L2TP SA outranks the registry
 * value, whose advice stays as well ("Besides"); an exchange not answered
 * as Windows expects is inconclusive. */
static void decide_keyed(const os_info *os, const probe_server *s, decision *d)
{
	char before[sizeof(d->advice)], esp[200];
	verdict was = d->v;
	bool mm5_silent = s->phase1 == PHASE1_NO_ANSWER;

	if (d->v != V_WORKS && d->v != V_NEEDS_REGISTRY && d->v != V_REBOOT_PENDING)
		return;
	memcpy(before, d->advice, sizeof(before));
	if (s->phase1 == PHASE1_PSK_MISMATCH) {
		d->v = V_PSK_MISMATCH;
		snprintf(d->advice, sizeof(d->advice), "%s answers IKE, but the pre-shared "
			"key given differs from the server's: %s. Windows shows error 789 "
			"(\"the L2TP connection attempt failed because the security layer "
			"encountered a processing error\"). Enter the server's key in the "
			"connection's Properties > Security > Advanced settings > \"Use preshared "
			"key for authentication\" (or check the key file used here), then "
			"connect again.", s->address, s->phase1_detail[0] ? s->phase1_detail :
			"message 5 refused");
	} else if (s->phase1 == PHASE1_COMPLETE && s->phase2 == PHASE2_REJECTED) {
		esp_offer(os->profile, esp, sizeof(esp));
		d->v = V_PHASE2_REJECTED;
		snprintf(d->advice, sizeof(d->advice), "%s completes Main Mode with this key, "
			"but refuses the IPsec SA that carries L2TP (%s). Windows shows error "
			"788 (\"the security layer could not negotiate compatible parameters\"). "
			"The server's L2TP/IPsec connection must allow: transport mode (UDP-"
			"encapsulated behind NAT) for UDP port 1701; ESP with %s, as %s offers; "
			"and no PFS (Windows sends no DH group in Quick Mode). INVALID-ID-"
			"INFORMATION usually means a tunnel-mode policy or one without UDP 1701; "
			"NO-PROPOSAL-CHOSEN, no ESP transform or PFS setting in common.",
			s->address, s->phase2_detail[0] ? s->phase2_detail : "refused", esp,
			os->name);
	} else if (mm5_silent || (s->phase1 == PHASE1_COMPLETE &&
		   s->phase2 == PHASE2_NO_ANSWER)) {
		const char *detail = mm5_silent ? s->phase1_detail : s->phase2_detail;

		d->v = V_INCONCLUSIVE;
		snprintf(d->advice, sizeof(d->advice), "%s %s was not answered as Windows "
			"expects (%s)%s. Run the check again with --timeout 6000; if that does "
			"not help, look at the VPN server's IKE log for this attempt.",
			s->address, mm5_silent ? "answers IKE, but Main Mode message 5 (with "
			"the key)" : "completes Main Mode with this key, but Quick Mode (the "
			"IPsec SA for L2TP)", detail[0] ? detail : "no answer",
			mm5_silent ? ", so the key could not be tested" : "");
		return;
	} else {
		return;
	}
	if (was != V_WORKS)
		addf(d, " Besides: %s", before);
}

static void decide_network(const os_info *os, const policy *pol, const probe_server *s,
	decision *d);

void decide_server(const os_info *os, const policy *pol, const probe_server *s, decision *d)
{
	decide_network(os, pol, s, d);
	decide_keyed(os, s, d);
}

static void decide_network(const os_info *os, const policy *pol, const probe_server *s,
	decision *d)
{
	memset(d, 0, sizeof(*d));
	d->required_value = -1;
	d->required_here = -1;
	/* Replies that do not parse are answers, not a firewall. */
	if (s->resolve == RESOLVE_OK && s->udp500 == UDP500_NO_ANSWER && s->broke[0]) {
		inconclusive(s, d);
		return;
	}
	if (s->resolve != RESOLVE_OK || s->udp500 == UDP500_NO_ANSWER ||
	    s->udp500 == UDP500_UNREACHABLE) {
		d->v = V_BLOCKED_UDP500;
		advice_udp500(s, d);
		return;
	}
	if (s->udp500 == UDP500_REJECTED) {
		d->v = V_PROPOSAL_REJECTED;
		snprintf(d->advice, sizeof(d->advice), "%s answers IKE but refuses every "
			"proposal %s's L2TP/IPsec client makes (NO-PROPOSAL-CHOSEN; Windows "
			"shows error 788). On the server, allow at least one of: %s.",
			s->address, os->name,
			profile_offer(os->profile));
		return;
	}
	if (s->natt == NATT_NONE) {
		/* Without NAT-T there is no NAT-D, so NAT is unknown; it is evident
		 * when this machine's address is private and the server's is not. */
		bool nat_seen = s->server_behind_nat == TRI_TRUE ||
				s->client_behind_nat == TRI_TRUE ||
				(s->client_private && !s->server_private);
		if (nat_seen) {
			d->v = V_NO_NATT;
			snprintf(d->advice, sizeof(d->advice), "%s answers IKE but does not "
				"offer NAT-T%s, and there is NAT between (this machine's own "
				"address is private, the server's is not): L2TP/IPsec cannot work "
				"(Windows shows error 809). Enable NAT-T on the VPN server%s.",
				s->address, os->profile == PROFILE_XP ? " in the draft form "
				"Windows XP uses (draft-ietf-ipsec-nat-t-ike-02)" : "",
				os->profile == PROFILE_XP ? ", or upgrade this client" : "");
			return;
		}
		d->v = V_WORKS;
		d->required_value = d->required_here = 0;
		snprintf(d->advice, sizeof(d->advice), "%s answers IKE without NAT-T, and "
			"nothing shows a NAT between (no private address on either side), so "
			"L2TP/IPsec runs without NAT-T from here. It stops working on any "
			"network that puts a NAT between (home routers, hotels, hotspots): "
			"enabling NAT-T on the server avoids that.%s", s->address, works_tested(s));
		return;
	}
	if (os->cls == OSC_TOO_OLD && (s->server_behind_nat == TRI_TRUE ||
	    s->client_behind_nat == TRI_TRUE)) {
		d->v = V_NO_NATT;
		snprintf(d->advice, sizeof(d->advice), "There is NAT between this client and "
			"the server, and %s has no IPsec NAT-T: install Windows XP Service Pack 2 "
			"or later (or update KB 818043).", os->name);
		return;
	}
	/* Windows' IPsec has no UDP encapsulation for IPv6: no value helps. */
	if (strchr(s->address, ':') && (s->server_behind_nat == TRI_TRUE ||
	    s->client_behind_nat == TRI_TRUE)) {
		d->v = V_NO_NATT;
		snprintf(d->advice, sizeof(d->advice), "There is NAT on the IPv6 path to %s "
			"(NAT66 or NPTv6). Windows does not use NAT-T over IPv6, so L2TP/IPsec "
			"cannot pass it, and no registry value changes that. Connect over IPv4 "
			"(the server's IPv4 address), or remove the IPv6 NAT between.", s->address);
		return;
	}
	if (s->server_behind_nat == TRI_NULL || s->client_behind_nat == TRI_NULL) {
		if (s->broke[0]) {
			inconclusive(s, d);
			return;
		}
		d->v = V_BLOCKED_UDP500;
		snprintf(d->advice, sizeof(d->advice), "%s answered the first IKE message but "
			"not the second, so nattcheck cannot tell whether there is NAT. Check that "
			"nothing between drops larger UDP 500 packets and that the server is not "
			"overloaded, then try again.", s->address);
		loss_hint(s, d);
		return;
	}
	decide_nat(os, pol, s, d);
	if (d->v == V_BLOCKED_UDP4500)
		loss_hint(s, d);
}
