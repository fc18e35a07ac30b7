/* ui.c - the window's words.  Plain sentences for a person who is not the
 * helpdesk; the details (advice, facts) below them; the JSON document for
 * Copy comes from report_json, as for --json. */
#include "ui.h"

#include <string.h>

#include "phonebook.h"

bool ui_wanted(const cli *opt, bool console_own, bool interactive)
{
	if (!interactive || opt->quiet || opt->cmd != CMD_CHECK)
		return false;
	return opt->window || (opt->bare && console_own);
}

void ui_init(ui_content *u)
{
	memset(u, 0, sizeof(*u));
	sb_init(&u->title);
	sb_init(&u->headline);
	sb_init(&u->body);
}

void ui_free(ui_content *u)
{
	sb_free(&u->title);
	sb_free(&u->headline);
	sb_free(&u->body);
}

/* Windows edit controls break lines at CR LF only. */
static void line(strbuf *sb, const char *text)
{
	sb_add(sb, text);
	sb_add(sb, "\r\n");
}

static void one_server(const run_result *r, size_t i, strbuf *b)
{
	const probe_server *s = &r->servers[i];
	const decision *d = &r->decisions[i];
	const pbk_entry *e = report_entry_of(r, s);

	if (e != NULL)
		sb_addf(b, "%s (%s)", e->name, s->name);
	else
		sb_add(b, s->name);
	sb_add(b, "\r\n");
	sb_addf(b, "    %s\r\n", verdict_table[d->v].plain);
	sb_addf(b, "    Details (%s): ", verdict_name(d->v));
	line(b, d->advice);
	sb_add(b, "\r\n");
}

/* Fix for the connection that needs the highest value: raising to it
 * covers the others (2 covers 1). */
static void pick_fix(const run_result *r, ui_content *u)
{
	int best = -1;
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->decisions[i].v == V_NEEDS_REGISTRY && r->decisions[i].required_value > best) {
			best = r->decisions[i].required_value;
			k = i;
		}
	}
	if (best < 0)
		return;
	strncpy(u->fix_server, r->servers[k].name, sizeof(u->fix_server) - 1);
	u->fix_args[0] = "fix";
	u->fix_args[1] = u->fix_server;
	u->fix_args[2] = "--auth";
	u->fix_args[3] = report_auth_name(r->servers[k].auth);
	u->nfix = 4;
}

void ui_build(const run_result *r, ui_content *u)
{
	sb_addf(&u->title, "nattcheck - VPN through NAT on %s", r->host ? r->host : "this computer");
	if (r->error) {
		sb_add(&u->headline, "Nothing was checked.");
		line(&u->body, r->error);
		sb_add(&u->body, "\r\n");
		line(&u->body, "Your helpdesk can check a VPN server by name: "
			"nattcheck check SERVER (in a command prompt).");
	} else if (r->have_verdict) {
		sb_add(&u->headline, verdict_table[r->run_verdict].plain);
		if (r->n > 1)
			sb_addf(&u->headline, " (%lu connections checked)", (unsigned long)r->n);
		for (size_t i = 0; i < r->n; i++)
			one_server(r, i, &u->body);
		pick_fix(r, u);
	}
	if (r->pbk) {
		for (size_t k = 0; k < r->pbk->n; k++) {
			const pbk_entry *e = &r->pbk->e[k];
			if (!e->check)
				sb_addf(&u->body, "%s (%s)\r\n    Not checked: %s\r\n\r\n", e->name,
					e->server[0] ? e->server : "no server", e->why);
		}
	}
	sb_addf(&u->body, "Copy puts the details on the clipboard for your helpdesk "
		"(exit code %d).", r->exit_code);
}

const char *ui_fix_said(int rc)
{
	switch (rc) {
	case EXIT_REBOOT_PENDING:
		return "Done: the registry value is set. Restart Windows now - the change "
		       "takes effect when Windows starts.";
	case EXIT_WORKS:
		return "Nothing needed changing: the registry value was already right.";
	case EXIT_DENIED:
		return "Fix needs administrator rights; nothing was changed. Ask your helpdesk.";
	case EXIT_PROBLEM:
		return "Fix found a problem that no registry value solves; nothing was changed.";
	case -1:
		return "Fix did not run (cancelled, or not allowed); nothing was changed.";
	default:
		return "Fix failed; nothing may have changed. Give your helpdesk the details "
		       "(Copy).";
	}
}
