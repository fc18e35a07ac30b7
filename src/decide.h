/* decide.h - from the machine's policy and a server's probe facts to the one
 * answer a helpdesk needs: verdict, the smallest value that works, advice. */
#ifndef NATTCHECK_DECIDE_H
#define NATTCHECK_DECIDE_H

#include "osinfo.h"
#include "policy.h"
#include "probe.h"

/* README.md's verdict table, in the order of worse-ness among equal exit
 * codes (verdict_worst). */
typedef enum verdict {
	V_WORKS = 0, V_NEEDS_REGISTRY, V_REBOOT_PENDING, V_NO_NATT, V_BLOCKED_UDP4500,
	V_PROPOSAL_REJECTED, V_PSK_MISMATCH, V_PHASE2_REJECTED, V_INCONCLUSIVE,
	V_BLOCKED_UDP500,
	V_COUNT /* not a verdict: how many there are */
} verdict;

enum exit_code {
	EXIT_WORKS = 0, EXIT_NEEDS_REGISTRY = 1, EXIT_REBOOT_PENDING = 2, EXIT_PROBLEM = 3,
	EXIT_USAGE = 64, EXIT_SYSTEM = 70, EXIT_DENIED = 77,
};

/* Application event IDs, named as win/messages.mc names them
 * (NATTCHECK_EVENT_*; tests/test_decide.c reads that file to hold them equal). */
enum event_id {
	NATTCHECK_EVENT_WORKS = 1000, NATTCHECK_EVENT_NEEDS_ACTION = 1001,
	NATTCHECK_EVENT_FAILURE = 1002, NATTCHECK_EVENT_ERROR = 1003,
};

/* The one table of verdicts: README.md's, row for row. */
typedef struct verdict_info {
	const char *name;
	int exit_code;
	int event_id;
	int event_type;       /* PLAT_EVENT_* */
	const char *plain;    /* the verdict in plain words, for the window */
} verdict_info;
extern const verdict_info verdict_table[V_COUNT];

/* The event for a run that ended with this exit code: the verdicts' own,
 * success (0) as "works", any error (64, 70, 77) as NATTCHECK_EVENT_ERROR. */
void exit_event(int exit_code, int *event_id, int *event_type);

typedef struct decision {
	verdict v;
	/* The smallest value that works from any network: 2 whenever the server
	 * is behind NAT (a laptop is behind NAT at home, in a hotel, on a
	 * hotspot), 0 otherwise; -1 (JSON null) when unknown.  What `fix` sets. */
	int required_value;
	/* The smallest value for the network this run was on (1: only the
	 * server behind NAT; 2: both); -1 when unknown. */
	int required_here;
	/* The value is below required_value: needs-registry, or psk-mismatch
	 * on a path that needs it too (fix raises it in both cases). */
	bool value_short;
	char advice[2048];
} decision;

/* Pure. */
void decide_server(const os_info *os, const policy *pol, const probe_server *s, decision *out);
const char *verdict_name(verdict v);
int verdict_exit(verdict v);
/* "AES-256/SHA1/group 20" */
void decide_transform_text(const probe_transform *t, char *buf, size_t cap);
/* The worse of two verdicts (by exit code, then by table order). */
verdict verdict_worst(verdict a, verdict b);
#endif
