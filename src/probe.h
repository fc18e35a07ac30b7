/* probe.h - the IKEv1 probe of one or more VPN servers: what the servers'
 * own answers say about NAT, NAT-T, proposals and UDP 4500.  The facts here
 * are the JSON servers[] fields README.md documents; the verdict is decide.h's. */
#ifndef NATTCHECK_PROBE_H
#define NATTCHECK_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "natd.h"



typedef enum probe_udp500 {
	UDP500_ANSWERED = 0, UDP500_REJECTED, UDP500_NO_ANSWER, UDP500_UNREACHABLE,
} probe_udp500;
typedef enum probe_udp4500 {
	UDP4500_ANSWERED = 0, UDP4500_NO_ANSWER, UDP4500_UNREACHABLE, UDP4500_NOT_TESTED,
} probe_udp4500;
typedef enum probe_natt {
	NATT_UNKNOWN = 0,   /* JSON null: no message 2 */
	NATT_RFC3947, NATT_DRAFT, NATT_NONE,
} probe_natt;

/* Main Mode to its end with the pre-shared key (messages 5 and 6). */
typedef enum probe_phase1 {
	PHASE1_NOT_TESTED = 0, /* no key, certificate auth, or a group nattcheck
				* cannot compute (phase1_detail says which) */
	PHASE1_COMPLETE,       /* message 6 arrived and its HASH_R verified */
	PHASE1_PSK_MISMATCH,   /* the server refused message 5, or its answer
				* was made with another key */
	PHASE1_NO_ANSWER,      /* message 5 got no answer */
} probe_phase1;

/* Quick Mode for the L2TP SA, after a complete Main Mode. */
typedef enum probe_phase2 {
	PHASE2_NOT_TESTED = 0, PHASE2_ACCEPTED, PHASE2_REJECTED, PHASE2_NO_ANSWER,
} probe_phase2;

typedef enum probe_resolve {
	RESOLVE_OK = 0,
	RESOLVE_BAD_NAME,   /* not a valid host name or address literal */
	RESOLVE_NOT_FOUND,  /* the resolver said no such name */
	RESOLVE_TIMEOUT,    /* no answer from the resolver within the budget */
} probe_resolve;


typedef struct probe_server {
	/* in */
	char name[256];            /* as given on the command line */
	/* out */
	char address[64];          /* numeric address probed, "" if none */
	probe_resolve resolve;
	probe_udp500 udp500;
	probe_natt natt;
	probe_tri server_behind_nat;
	probe_tri client_behind_nat;
	probe_udp4500 udp4500;
	bool have_transform;
	probe_transform transform; /* valid when have_transform */
	uint16_t notify;           /* notify type of a rejection, 0 if none */
	bool mm4_received;         /* message 4 (NAT-D) arrived */
	probe_auth auth;           /* what message 1 offered: the run's --auth,
				    * or (in) the server's own, see probe_config */
	int origin;                /* in: the caller's tag; a second-family
				    * result gets its origin's */
	bool server_ms;            /* message 2 carried MS NT5 ISAKMPOAKLEY: the
				    * server is Windows (RRAS) */
	bool client_private;       /* this machine's own address towards the
				    * server is private (addr_is_private) */
	bool server_private;       /* the server's address is private */
	bool no_route;             /* this machine has no route to the server */
	unsigned resent;           /* UDP 500 copies sent before an answer came:
				    * packet loss on the path */
	unsigned unparseable;      /* replies from the server's address that did
				    * not parse as IKEv1 (dropped) */
	char broke[128];           /* how an exchange the server answered broke
				    * off: a notify refusing message 3, a message
				    * 4 without NAT-D, the first reply that did not
				    * parse (with the byte); "" if none */
	probe_phase1 phase1;
	uint16_t phase1_port;      /* where message 5 went: 500, 4500 (the move
				    * Windows makes behind NAT); 0 if not sent */
	char phase1_detail[120];   /* why not tested, or how it failed; "" */
	probe_phase2 phase2;
	char phase2_esp[64];       /* the ESP transform the server chose; "" */
	char phase2_detail[120];   /* why not tested, or how it was refused */
	uint32_t elapsed_ms;
	char detail[160];          /* one line for humans, e.g. why unreachable */
} probe_server;

typedef struct probe_config {
	probe_profile profile;
	probe_auth auth;           /* offered to every server, unless: */
	bool auth_per_server;      /* each server's own .auth (a phonebook entry's) */
	uint32_t timeout_ms;       /* the whole run, name resolution included */
	const uint8_t *psk;        /* the pre-shared key, or NULL: read in place
				    * (never copied) by servers probed with PSK */
	size_t psk_len;
} probe_config;

/* Probes every server in parallel and fills in the out fields.  Returns
 * false only on a local failure (no sockets at all); per-server problems are
 * facts in the results.  Always returns within cfg->timeout_ms (+ a few ms). */
bool probe_run(probe_server *servers, size_t n, const probe_config *cfg);
/* The same, and a name that resolves to both IPv4 and IPv6 gets one address
 * of each probed: the second as a new result after the *n given (same name,
 * fresh fields), while there is room (cap).  *n receives the count. */
bool probe_run_families(probe_server *servers, size_t *n, size_t cap, const probe_config *cfg);

const char *probe_udp500_name(probe_udp500 v);
const char *probe_udp4500_name(probe_udp4500 v);
const char *probe_natt_name(probe_natt v); /* NULL for NATT_UNKNOWN */
const char *probe_phase1_name(probe_phase1 v);
const char *probe_phase2_name(probe_phase2 v);
#endif
