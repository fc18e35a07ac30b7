/* report.c - human text (80 columns, plain ASCII layout) and the JSON document. */
#include "report.h"

#include <string.h>

#include "phonebook.h"
#include "version.h"

static const char *svc(plat_svc_state s)
{
	return policy_svc_name(s);
}

static void json_os(strbuf *sb, const os_info *os)
{
	sb_add(sb, "\"os\":{\"name\":");
	sb_json_str(sb, os->name);
	sb_addf(sb, ",\"major\":%lu,\"minor\":%lu,\"build\":%lu,\"service_pack\":%lu,"
		"\"server\":%s,\"bits\":%d,\"supported\":%s}",
		(unsigned long)os->os.major, (unsigned long)os->os.minor,
		(unsigned long)os->os.build, (unsigned long)os->os.sp_major,
		os->os.server ? "true" : "false", os->os.os64 ? 64 : 32,
		os->cls == OSC_TOO_OLD ? "false" : "true");
}

static void json_policy(strbuf *sb, const os_info *os, const policy *p)
{
	char key[128];

	sb_add(sb, "\"policy\":{\"key\":");
	if (os->policy_key) {
		strcpy(key, "HKLM\\");
		strncat(key, os->policy_key, sizeof(key) - 6);
		sb_json_str(sb, key);
	} else {
		sb_add(sb, "null");
	}
	sb_add(sb, ",\"name\":\"" OS_VALUE_NAME "\",\"value\":");
	if (p->has_number)
		sb_addf(sb, "%lu", (unsigned long)p->value);
	else
		sb_add(sb, "null");
	sb_addf(sb, ",\"state\":\"%s\",\"reboot_pending\":%s,\"key_written_after_boot\":%s,"
		"\"meaning\":", policy_state_name(p->state), p->reboot_pending ? "true" : "false",
		p->key_written_after_boot ? "true" : "false");
	sb_json_str(sb, policy_meaning(p));
	if (p->state == POLICY_INVALID) {
		sb_add(sb, ",\"invalid_reason\":");
		sb_json_str(sb, p->invalid_why);
	}
	sb_add(sb, ",\"prohibit_ipsec\":");
	if (p->prohibit_ipsec < 0)
		sb_add(sb, "null");
	else
		sb_addf(sb, "%d", p->prohibit_ipsec);
	sb_add(sb, "},");
	sb_addf(sb, "\"services\":{\"PolicyAgent\":\"%s\",\"IKEEXT\":\"%s\",\"RasMan\":\"%s\"}",
		svc(p->svc_policyagent), os->cls == OSC_VISTA_PLUS ? svc(p->svc_ikeext) : "n/a",
		svc(p->svc_rasman));
}

static void json_tri(strbuf *sb, const char *name, probe_tri t)
{
	sb_addf(sb, ",\"%s\":%s", name, t == TRI_NULL ? "null" : t == TRI_TRUE ? "true" : "false");
}

static const char *auth_name(probe_auth a)
{
	return a == PROBE_AUTH_CERT ? "cert" : "psk";
}

static const pbk_entry *entry_of(const run_result *r, const probe_server *s)
{
	if (r->pbk == NULL || s->origin < 0 || (size_t)s->origin >= r->pbk->n)
		return NULL;
	return &r->pbk->e[s->origin];
}

/* "connections": every VPN entry of the phonebooks, checked or not. */
static void json_connections(strbuf *sb, const pbk_list *l)
{
	sb_add(sb, ",\"connections\":[");
	for (size_t i = 0; i < l->n; i++) {
		const pbk_entry *e = &l->e[i];
		sb_add(sb, i ? ",{\"entry\":" : "{\"entry\":");
		sb_json_str(sb, e->name);
		sb_addf(sb, ",\"phonebook\":\"%s\",\"server\":", pbk_scope_name(e->scope));
		sb_json_str(sb, e->server[0] ? e->server : NULL);
		sb_addf(sb, ",\"type\":\"%s\",\"vpn_strategy\":%lu,\"auth\":\"%s\","
			"\"checked\":%s,\"skipped_why\":", pbk_strategy_name(e->strategy),
			(unsigned long)e->strategy, auth_name(e->auth), e->check ? "true" : "false");
		sb_json_str(sb, e->check ? NULL : e->why);
		sb_add(sb, "}");
	}
	sb_add(sb, "],\"phonebooks\":[");
	for (int k = 0; k < 2; k++) {
		sb_addf(sb, "%s{\"phonebook\":\"%s\",\"path\":", k ? "," : "", pbk_scope_name(k));
		sb_json_str(sb, l->path[k][0] ? l->path[k] : NULL);
		sb_add(sb, ",\"problem\":");
		sb_json_str(sb, l->problem[k][0] ? l->problem[k] : NULL);
		sb_add(sb, "}");
	}
	sb_add(sb, "]");
}

static void json_server(strbuf *sb, const run_result *r, const probe_server *s,
	const decision *d)
{
	const char *natt = probe_natt_name(s->natt);
	const pbk_entry *e = entry_of(r, s);

	sb_add(sb, "{\"server\":");
	sb_json_str(sb, s->name);
	if (e != NULL) {
		sb_add(sb, ",\"entry\":");
		sb_json_str(sb, e->name);
		sb_addf(sb, ",\"phonebook\":\"%s\"", pbk_scope_name(e->scope));
	}
	sb_addf(sb, ",\"auth\":\"%s\"", auth_name(s->auth));
	sb_add(sb, ",\"address\":");
	sb_json_str(sb, s->address[0] ? s->address : NULL);
	sb_addf(sb, ",\"udp500\":\"%s\",\"natt\":", probe_udp500_name(s->udp500));
	sb_json_str(sb, natt);
	json_tri(sb, "server_behind_nat", s->server_behind_nat);
	json_tri(sb, "client_behind_nat", s->client_behind_nat);
	sb_addf(sb, ",\"udp4500\":\"%s\"", probe_udp4500_name(s->udp4500));
	if (s->have_transform) {
		char tr[64];
		decide_transform_text(&s->transform, tr, sizeof(tr));
		sb_addf(sb, ",\"transform\":{\"text\":\"%s\",\"cipher\":%u,\"key_bits\":%u,"
			"\"hash\":%u,\"group\":%u,\"auth\":%u}", tr, s->transform.cipher,
			s->transform.key_bits, s->transform.hash, s->transform.group,
			s->transform.auth);
	} else {
		sb_add(sb, ",\"transform\":null");
	}
	sb_add(sb, ",\"required_value\":");
	if (d->required_value < 0)
		sb_add(sb, "null");
	else
		sb_addf(sb, "%d", d->required_value);
	sb_add(sb, ",\"required_here\":");
	if (d->required_here < 0)
		sb_add(sb, "null");
	else
		sb_addf(sb, "%d", d->required_here);
	sb_addf(sb, ",\"server_windows\":%s", s->server_ms ? "true" : "false");
	sb_addf(sb, ",\"verdict\":\"%s\",\"advice\":", verdict_name(d->v));
	sb_json_str(sb, d->advice);
	sb_add(sb, ",\"detail\":");
	sb_json_str(sb, s->detail);
	sb_addf(sb, ",\"resent\":%u,\"unparseable\":%u,\"elapsed_ms\":%lu}", s->resent,
		s->unparseable, (unsigned long)s->elapsed_ms);
}

void report_json(strbuf *sb, const run_result *r)
{
	size_t i;

	sb_add(sb, "{\"version\":\"" NATTCHECK_VERSION "\",\"command\":");
	sb_json_str(sb, r->command);
	sb_add(sb, ",\"host\":");
	sb_json_str(sb, r->host);
	if (r->time) {
		sb_add(sb, ",\"time\":");
		sb_json_str(sb, r->time);
	}
	if (r->os) {
		sb_add(sb, ",");
		json_os(sb, r->os);
	}
	if (r->os && r->pol) {
		sb_add(sb, ",");
		json_policy(sb, r->os, r->pol);
	}
	if (r->servers) {
		sb_add(sb, ",\"servers\":[");
		for (i = 0; i < r->n; i++) {
			if (i)
				sb_add(sb, ",");
			json_server(sb, r, &r->servers[i], &r->decisions[i]);
		}
		sb_add(sb, "]");
	}
	if (r->pbk)
		json_connections(sb, r->pbk);
	if (r->have_verdict)
		sb_addf(sb, ",\"verdict\":\"%s\"", verdict_name(r->run_verdict));
	if (r->message) {
		sb_add(sb, ",\"message\":");
		sb_json_str(sb, r->message);
	}
	if (r->error) {
		sb_add(sb, ",\"error\":");
		sb_json_str(sb, r->error);
	}
	sb_addf(sb, ",\"exit_code\":%d}\n", r->exit_code);
}

void report_wrap(strbuf *sb, const char *text, size_t indent, size_t width)
{
	const char *p = text;

	while (*p) {
		size_t avail = width > indent + 10 ? width - indent : 10, n, cut;

		while (*p == ' ')
			p++;
		n = strlen(p);
		if (!n)
			break;
		if (n <= avail) {
			cut = n;
		} else {
			cut = avail;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = avail; /* one long word: break it */
		}
		sb_addf(sb, "%*s", (int)indent, "");
		sb_addn(sb, p, cut);
		sb_add(sb, "\n");
		p += cut;
	}
}

void report_status_text(strbuf *sb, const run_result *r)
{
	const os_info *os = r->os;
	const policy *p = r->pol;

	sb_addf(sb, "nattcheck %s on %s\n", NATTCHECK_VERSION, r->host);
	sb_addf(sb, "Windows:   %s (%lu.%lu.%lu%s%s, %d-bit)\n", os->name,
		(unsigned long)os->os.major, (unsigned long)os->os.minor,
		(unsigned long)os->os.build, os->os.csd[0] ? ", " : "", os->os.csd,
		os->os.os64 ? 64 : 32);
	if (!os->policy_key) {
		sb_add(sb, "Policy:    ");
		sb_add(sb, policy_meaning(p));
		sb_add(sb, "\n");
	} else {
		sb_addf(sb, "Key:       HKLM\\%s\n", os->policy_key);
		sb_add(sb, "Value:     " OS_VALUE_NAME " = ");
		if (p->state == POLICY_ABSENT)
			sb_add(sb, "absent\n");
		else if (p->has_number)
			sb_addf(sb, "%lu%s\n", (unsigned long)p->value,
				p->state == POLICY_INVALID ? " (invalid)" : "");
		else
			sb_add(sb, "(invalid)\n");
		sb_addf(sb, "Meaning:   %s\n", policy_meaning(p));
		if (p->state == POLICY_INVALID)
			sb_addf(sb, "Problem:   %s\n", p->invalid_why);
		sb_addf(sb, "Restart:   %s\n", p->reboot_pending ?
			"PENDING - nattcheck changed the value after Windows started" :
			p->key_written_after_boot ? "not pending (the key was written after "
			"Windows started, not by nattcheck: e.g. Group Policy)" : "not pending");
	}
	sb_addf(sb, "Services:  PolicyAgent %s", svc(p->svc_policyagent));
	if (os->cls == OSC_VISTA_PLUS)
		sb_addf(sb, ", IKEEXT %s", svc(p->svc_ikeext));
	sb_addf(sb, ", RasMan %s\n", svc(p->svc_rasman));
	if (p->prohibit_ipsec > 0)
		sb_add(sb, "Warning:   RasMan\\Parameters\\ProhibitIpSec is 1: L2TP connections "
			"run without IPsec, which most servers refuse.\n");
	if (r->pbk)
		report_connections_text(sb, r->pbk);
}

void report_connections_text(strbuf *sb, const pbk_list *l)
{
	if (l->n == 0)
		sb_add(sb, "VPN:       no VPN connection on this machine\n");
	for (size_t i = 0; i < l->n; i++) {
		const pbk_entry *e = &l->e[i];
		strbuf line;

		sb_init(&line);
		sb_addf(&line, "\"%s\": %s, %s, %s (%s)", e->name, e->server[0] ? e->server :
			"(no server)", pbk_strategy_name(e->strategy), e->auth == PROBE_AUTH_PSK ?
			"pre-shared key" : "certificate", e->scope == PLAT_PBK_USER ? "this user" :
			"all users");
		sb_add(sb, i ? "           " : "VPN:       ");
		sb_add(sb, sb_str(&line));
		sb_add(sb, "\n");
		if (!e->check)
			sb_addf(sb, "             not checked: %s\n", e->why);
		sb_free(&line);
	}
	for (int k = 0; k < 2; k++)
		if (l->problem[k][0])
			sb_addf(sb, "Warning:   %s\n", l->problem[k]);
}

static const char *nat_text(const probe_server *s)
{
	if (s->server_behind_nat == TRI_NULL || s->client_behind_nat == TRI_NULL)
		return "unknown";
	if (s->server_behind_nat == TRI_TRUE)
		return s->client_behind_nat == TRI_TRUE ? "server and client behind NAT" :
		       "server behind NAT";
	return s->client_behind_nat == TRI_TRUE ? "client behind NAT" : "none";
}

void report_check_text(strbuf *sb, const run_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const probe_server *s = &r->servers[i];
		const decision *d = &r->decisions[i];
		const char *natt = probe_natt_name(s->natt);

		const pbk_entry *e = entry_of(r, s);

		if (e != NULL)
			sb_addf(sb, "\"%s\": ", e->name);
		sb_add(sb, s->name);
		if (s->address[0] && strcmp(s->address, s->name) != 0)
			sb_addf(sb, " (%s)", s->address);
		sb_addf(sb, ": %s\n", verdict_name(d->v));
		sb_addf(sb, "  UDP 500: %s", probe_udp500_name(s->udp500));
		if (s->have_transform) {
			char tr[64];
			decide_transform_text(&s->transform, tr, sizeof(tr));
			sb_addf(sb, " (%s)", tr);
		}
		sb_addf(sb, "   NAT-T: %s   UDP 4500: %s\n", natt ? natt : "-",
			probe_udp4500_name(s->udp4500));
		sb_addf(sb, "  NAT: %s   time: %lu ms\n", nat_text(s), (unsigned long)s->elapsed_ms);
		report_wrap(sb, d->advice, 2, 79);
	}
	if (r->pbk) {
		for (size_t k = 0; k < r->pbk->n; k++) {
			const pbk_entry *e = &r->pbk->e[k];
			if (!e->check)
				sb_addf(sb, "\"%s\": %s: not checked: %s\n", e->name,
					e->server[0] ? e->server : "(no server)", e->why);
		}
	}
	if (r->have_verdict)
		sb_addf(sb, "Verdict: %s (exit code %d)\n", verdict_name(r->run_verdict), r->exit_code);
}
