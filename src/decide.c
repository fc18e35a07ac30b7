/* decide.c - the verdict table of README.md (verdicts, exit codes), and
 * advice a helpdesk can act on. */
#include "decide.h"

#include <stdio.h>
#include <string.h>

static const char *const verdict_names[] = {
	"works", "needs-registry", "reboot-pending", "no-natt", "blocked-udp4500",
	"proposal-rejected", "blocked-udp500",
};

const char *verdict_name(verdict v)
{
	return (unsigned)v < sizeof(verdict_names) / sizeof(verdict_names[0]) ?
	       verdict_names[v] : "unknown";
}

int verdict_exit(verdict v)
{
	switch (v) {
	case V_WORKS: return EXIT_WORKS;
	case V_NEEDS_REGISTRY: return EXIT_NEEDS_REGISTRY;
	case V_REBOOT_PENDING: return EXIT_REBOOT_PENDING;
	default: return EXIT_PROBLEM;
	}
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
		snprintf(d->advice, sizeof(d->advice), "No IKE answer from %s on UDP port 500: a "
			"firewall drops it, or nothing forwards it. Open/forward UDP 500 and UDP "
			"4500 to the VPN server on every firewall and NAT in between "
			"(otherwise Windows shows error 809).", s->address);
}

void decide_transform_text(const probe_transform *t, char *buf, size_t cap)
{
	const char *cipher = t->cipher == 7 ? "AES" : t->cipher == 5 ? "3DES" : "cipher";
	const char *hash = t->hash == 1 ? "MD5" : t->hash == 2 ? "SHA1" : t->hash == 4 ?
			   "SHA-256" : t->hash == 5 ? "SHA-384" : t->hash == 6 ? "SHA-512" : "hash";

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

static void decide_nat(const os_info *os, const policy *pol, const probe_server *s, decision *d)
{
	bool srv = s->server_behind_nat == TRI_TRUE, cli = s->client_behind_nat == TRI_TRUE;
	int need = srv && cli ? 2 : srv ? 1 : 0, have = effective_value(pol);
	const char *side = srv && cli ? "Both this client and the server are" :
			   srv ? "The server is" : "This client is";

	d->required_value = need;
	/* Only NAT moves IKE and ESP to UDP 4500. */
	if ((srv || cli) && s->udp4500 != UDP4500_ANSWERED) {
		d->v = V_BLOCKED_UDP4500;
		snprintf(d->advice, sizeof(d->advice), "%s behind NAT, so IPsec moves to UDP "
			"port 4500, but UDP 4500 to %s gets no IKE answer. %s", side, s->address,
			srv ? "Forward UDP 4500 (as well as 500) on the server's NAT router to "
			      "the VPN server, and allow it through its firewall." :
			      "Allow outgoing UDP 4500 on this network's firewall, and UDP 4500 "
			      "into the VPN server.");
		return;
	}
	if (have >= need) {
		if (need > 0 && pol->reboot_pending) {
			d->v = V_REBOOT_PENDING;
			snprintf(d->advice, sizeof(d->advice), "%s behind NAT; "
				"AssumeUDPEncapsulationContextOnSendRule is %d, which is right, but "
				"it changed after Windows started: restart Windows, then connect.",
				side, have);
		} else if (need > 0) {
			d->v = V_WORKS;
			snprintf(d->advice, sizeof(d->advice), "%s behind NAT; the server speaks "
				"NAT-T, UDP 500 and 4500 get through, and "
				"AssumeUDPEncapsulationContextOnSendRule (%d) allows it. Nothing to do.",
				side, have);
		} else {
			d->v = V_WORKS;
			snprintf(d->advice, sizeof(d->advice), "%s", cli ?
				"This client is behind NAT, which Windows handles by default; the "
				"server speaks NAT-T and UDP 4500 gets through. Nothing to do." :
				"No NAT between this client and the server, and the server answers "
				"IKE. Nothing to do.");
		}
		return;
	}
	d->v = V_NEEDS_REGISTRY;
	snprintf(d->advice, sizeof(d->advice), "%s behind NAT: Windows needs "
		"AssumeUDPEncapsulationContextOnSendRule = %d in HKLM\\%s (now %s). Run "
		"`nattcheck fix %s` as administrator (or `nattcheck set %d`), then restart "
		"Windows.%s", side, need, os->policy_key ? os->policy_key : "?",
		pol->state == POLICY_ABSENT ? "absent" : pol->state == POLICY_INVALID ? "invalid" :
		(have == 0 ? "0" : "1"), s->name, need, care_note);
}

/* A run that ran out of time half-way on a lossy path may say "blocked"
 * about ports that are open: say so, so nobody opens ports for nothing. */
static void loss_hint(const probe_server *s, decision *d)
{
	size_t n = strlen(d->advice);

	if (s->resent == 0 || n + 1 >= sizeof(d->advice))
		return;
	snprintf(d->advice + n, sizeof(d->advice) - n, " Packets were lost on the way to "
		"this server (%u sent again before an answer came): run the check again, "
		"or with --timeout 6000, before changing any firewall.", s->resent);
}

void decide_server(const os_info *os, const policy *pol, const probe_server *s, decision *d)
{
	memset(d, 0, sizeof(*d));
	d->required_value = -1;
	if (s->resolve != RESOLVE_OK || s->udp500 == UDP500_NO_ANSWER ||
	    s->udp500 == UDP500_UNREACHABLE) {
		d->v = V_BLOCKED_UDP500;
		advice_udp500(s, d);
		return;
	}
	if (s->udp500 == UDP500_REJECTED) {
		d->v = V_PROPOSAL_REJECTED;
		snprintf(d->advice, sizeof(d->advice), "%s answers IKE but refuses every "
			"proposal %s's L2TP/IPsec client makes (NO-PROPOSAL-CHOSEN). On the "
			"server, allow at least one of: %s.", s->address, os->name,
			profile_offer(os->profile));
		return;
	}
	if (s->natt == NATT_NONE) {
		d->v = V_NO_NATT;
		snprintf(d->advice, sizeof(d->advice), "%s answers IKE but does not offer "
			"NAT-T%s, so L2TP/IPsec works only with no NAT at all between this client "
			"and the server. Enable NAT-T on the VPN server%s.", s->address,
			os->profile == PROFILE_XP ? " in the draft form Windows XP uses "
			"(draft-ietf-ipsec-nat-t-ike-02)" : "",
			os->profile == PROFILE_XP ? ", or upgrade this client" : "");
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
	if (s->server_behind_nat == TRI_NULL || s->client_behind_nat == TRI_NULL) {
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
