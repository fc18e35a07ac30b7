/* report.c - human text (80 columns, plain ASCII layout) and the JSON document. */
#include "report.h"

#include <string.h>

#include "jsonw.h"
#include "phonebook.h"
#include "version.h"

static const char *svc(plat_svc_state s)
{
	return policy_svc_name(s);
}

static void json_os(jw *w, const os_info *os)
{
	jw_key(w, "os");
	jw_begin_object(w);
	jw_kv_str(w, "name", os->name);
	jw_kv_uint(w, "major", os->os.major);
	jw_kv_uint(w, "minor", os->os.minor);
	jw_kv_uint(w, "build", os->os.build);
	jw_kv_uint(w, "service_pack", os->os.sp_major);
	jw_kv_bool(w, "server", os->os.server);
	jw_kv_int(w, "bits", os->os.os64 ? 64 : 32);
	jw_kv_bool(w, "supported", os->cls != OSC_TOO_OLD);
	jw_end_object(w);
}

/* A number, or null when negative (unknown). */
static void json_int_or_null(jw *w, const char *key, int v)
{
	if (v < 0)
		jw_kv_null(w, key);
	else
		jw_kv_int(w, key, v);
}

static void json_policy(jw *w, const os_info *os, const policy *p)
{
	char key[128];

	jw_key(w, "policy");
	jw_begin_object(w);
	if (os->policy_key) {
		strcpy(key, "HKLM\\");
		strncat(key, os->policy_key, sizeof(key) - 6);
		jw_kv_str(w, "key", key);
	} else {
		jw_kv_null(w, "key");
	}
	jw_kv_str(w, "name", OS_VALUE_NAME);
	if (p->has_number)
		jw_kv_uint(w, "value", p->value);
	else
		jw_kv_null(w, "value");
	jw_kv_str(w, "state", policy_state_name(p->state));
	jw_kv_bool(w, "reboot_pending", p->reboot_pending);
	jw_kv_bool(w, "key_written_after_boot", p->key_written_after_boot);
	jw_kv_str(w, "meaning", policy_meaning(p));
	if (p->state == POLICY_INVALID)
		jw_kv_str(w, "invalid_reason", p->invalid_why);
	json_int_or_null(w, "prohibit_ipsec", p->prohibit_ipsec);
	jw_end_object(w);
	jw_key(w, "services");
	jw_begin_object(w);
	jw_kv_str(w, "PolicyAgent", svc(p->svc_policyagent));
	jw_kv_str(w, "IKEEXT", os->cls == OSC_VISTA_PLUS ? svc(p->svc_ikeext) : "n/a");
	jw_kv_str(w, "RasMan", svc(p->svc_rasman));
	jw_end_object(w);
}

static void json_tri(jw *w, const char *name, probe_tri t)
{
	if (t == TRI_NULL)
		jw_kv_null(w, name);
	else
		jw_kv_bool(w, name, t == TRI_TRUE);
}

const char *report_auth_name(probe_auth a)
{
	return a == PROBE_AUTH_CERT ? "cert" : "psk";
}

const pbk_entry *report_entry_of(const run_result *r, const probe_server *s)
{
	if (r->pbk == NULL || s->origin < 0 || (size_t)s->origin >= r->pbk->n)
		return NULL;
	return &r->pbk->e[s->origin];
}

/* "connections": every VPN entry of the phonebooks, checked or not. */
static void json_connections(jw *w, const pbk_list *l)
{
	jw_key(w, "connections");
	jw_begin_array(w);
	for (size_t i = 0; i < l->n; i++) {
		const pbk_entry *e = &l->e[i];
		jw_begin_object(w);
		jw_kv_str(w, "entry", e->name);
		jw_kv_str(w, "phonebook", pbk_scope_name(e->scope));
		jw_kv_str(w, "server", e->server[0] ? e->server : NULL);
		jw_kv_str(w, "type", pbk_strategy_name(e->strategy));
		jw_kv_uint(w, "vpn_strategy", e->strategy);
		jw_kv_str(w, "auth", report_auth_name(e->auth));
		jw_kv_bool(w, "checked", e->check);
		jw_kv_str(w, "skipped_why", e->check ? NULL : e->why);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_key(w, "phonebooks");
	jw_begin_array(w);
	for (int k = 0; k < 2; k++) {
		jw_begin_object(w);
		jw_kv_str(w, "phonebook", pbk_scope_name(k));
		jw_kv_str(w, "path", l->path[k][0] ? l->path[k] : NULL);
		jw_kv_str(w, "problem", l->problem[k][0] ? l->problem[k] : NULL);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void json_server(jw *w, const run_result *r, const probe_server *s, const decision *d)
{
	const pbk_entry *e = report_entry_of(r, s);

	jw_begin_object(w);
	jw_kv_str(w, "server", s->name);
	if (e != NULL) {
		jw_kv_str(w, "entry", e->name);
		jw_kv_str(w, "phonebook", pbk_scope_name(e->scope));
	}
	jw_kv_str(w, "auth", report_auth_name(s->auth));
	jw_kv_str(w, "address", s->address[0] ? s->address : NULL);
	jw_kv_str(w, "udp500", probe_udp500_name(s->udp500));
	jw_kv_str(w, "natt", probe_natt_name(s->natt));
	json_tri(w, "server_behind_nat", s->server_behind_nat);
	json_tri(w, "client_behind_nat", s->client_behind_nat);
	jw_kv_str(w, "udp4500", probe_udp4500_name(s->udp4500));
	jw_kv_str(w, "phase1", probe_phase1_name(s->phase1));
	if (s->phase1_port)
		jw_kv_uint(w, "phase1_port", s->phase1_port);
	else
		jw_kv_null(w, "phase1_port");
	jw_kv_str(w, "phase1_detail", s->phase1_detail[0] ? s->phase1_detail : NULL);
	jw_kv_str(w, "phase2", probe_phase2_name(s->phase2));
	jw_kv_str(w, "phase2_esp", s->phase2_esp[0] ? s->phase2_esp : NULL);
	jw_kv_str(w, "phase2_detail", s->phase2_detail[0] ? s->phase2_detail : NULL);
	if (s->have_transform) {
		char tr[64];
		decide_transform_text(&s->transform, tr, sizeof(tr));
		jw_key(w, "transform");
		jw_begin_object(w);
		jw_kv_str(w, "text", tr);
		jw_kv_uint(w, "cipher", s->transform.cipher);
		jw_kv_uint(w, "key_bits", s->transform.key_bits);
		jw_kv_uint(w, "hash", s->transform.hash);
		jw_kv_uint(w, "group", s->transform.group);
		jw_kv_uint(w, "auth", s->transform.auth);
		jw_end_object(w);
	} else {
		jw_kv_null(w, "transform");
	}
	json_int_or_null(w, "required_value", d->required_value);
	json_int_or_null(w, "required_here", d->required_here);
	jw_kv_bool(w, "server_windows", s->server_ms);
	jw_kv_str(w, "verdict", verdict_name(d->v));
	jw_kv_str(w, "advice", d->advice);
	jw_kv_str(w, "detail", s->detail);
	jw_kv_uint(w, "resent", s->resent);
	jw_kv_uint(w, "unparseable", s->unparseable);
	jw_kv_uint(w, "elapsed_ms", s->elapsed_ms);
	jw_end_object(w);
}

void report_json(strbuf *sb, const run_result *r)
{
	jw w;

	jw_init(&w, sb);
	jw_begin_object(&w);
	jw_kv_str(&w, "version", NATTCHECK_VERSION);
	jw_kv_str(&w, "command", r->command);
	jw_kv_str(&w, "host", r->host);
	if (r->time)
		jw_kv_str(&w, "time", r->time);
	if (r->os)
		json_os(&w, r->os);
	if (r->os && r->pol)
		json_policy(&w, r->os, r->pol);
	if (r->servers) {
		jw_key(&w, "servers");
		jw_begin_array(&w);
		for (size_t i = 0; i < r->n; i++)
			json_server(&w, r, &r->servers[i], &r->decisions[i]);
		jw_end_array(&w);
	}
	if (r->pbk)
		json_connections(&w, r->pbk);
	if (r->have_verdict)
		jw_kv_str(&w, "verdict", verdict_name(r->run_verdict));
	if (r->message)
		jw_kv_str(&w, "message", r->message);
	if (r->error)
		jw_kv_str(&w, "error", r->error);
	jw_kv_int(&w, "exit_code", r->exit_code);
	jw_end_object(&w);
	sb_add(sb, "\n");
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

static const char *phase1_text(probe_phase1 p)
{
	switch (p) {
	case PHASE1_COMPLETE: return "right, Main Mode complete";
	case PHASE1_PSK_MISMATCH: return "WRONG, not the server's";
	case PHASE1_NO_ANSWER: return "unknown, message 5 not answered";
	case PHASE1_NOT_TESTED: break;
	}
	return "not tested";
}

void report_check_text(strbuf *sb, const run_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const probe_server *s = &r->servers[i];
		const decision *d = &r->decisions[i];
		const char *natt = probe_natt_name(s->natt);

		const pbk_entry *e = report_entry_of(r, s);

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
		{
			strbuf key;

			sb_init(&key);
			sb_addf(&key, "Key: %s%s%s%s", phase1_text(s->phase1),
				s->phase1_port == 4500 ? " (message 5 on UDP 4500)" :
				s->phase1_port == 500 ? " (message 5 on UDP 500)" : "",
				s->phase1_detail[0] ? ": " : "", s->phase1_detail);
			report_wrap(sb, sb_str(&key), 2, 79);
			sb_reset(&key);
			sb_addf(&key, "L2TP SA (Quick Mode): %s%s%s", probe_phase2_name(s->phase2),
				s->phase2_esp[0] || s->phase2_detail[0] ? ": " : "",
				s->phase2_esp[0] ? s->phase2_esp : s->phase2_detail);
			report_wrap(sb, sb_str(&key), 2, 79);
			sb_free(&key);
		}
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
