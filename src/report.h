/* report.h - what a run prints: the human text and the JSON document whose
 * field names README.md fixes (the contract scripts rely on). */
#ifndef NATTCHECK_REPORT_H
#define NATTCHECK_REPORT_H

#include "decide.h"
#include "osinfo.h"
#include "policy.h"
#include "probe.h"
#include "strbuf.h"

struct pbk_list;

typedef struct run_result {
	const char *command;         /* "status", "check", ... */
	const char *host;
	const char *time;            /* ISO 8601 UTC of the run, or NULL */
	const os_info *os;
	const policy *pol;
	const struct pbk_list *pbk;  /* this machine's VPN connections (status,
				      * check with no server), or NULL; then
				      * servers[i].origin is the entry's index */
	const probe_server *servers; /* check/fix; n may be 0 */
	const decision *decisions;
	size_t n;
	bool have_verdict;
	verdict run_verdict;
	int exit_code;
	const char *message;         /* set/revert/fix: what was done, or NULL */
	const char *error;           /* a usage/system error, or NULL */
} run_result;

void report_json(strbuf *sb, const run_result *r);
void report_status_text(strbuf *sb, const run_result *r);
void report_check_text(strbuf *sb, const run_result *r);
/* The "VPN:" lines of status: every connection found, and why one is not
 * checked. */
void report_connections_text(strbuf *sb, const struct pbk_list *l);
/* "psk" / "cert": an auth's name in JSON and on the command line. */
const char *report_auth_name(probe_auth a);
/* The phonebook entry a result was probed for, or NULL (a server named on
 * the command line). */
const struct pbk_entry *report_entry_of(const run_result *r, const probe_server *s);
/* Appends text wrapped at width columns, each line indented by indent
 * spaces (the first line too). */
void report_wrap(strbuf *sb, const char *text, size_t indent, size_t width);
#endif
