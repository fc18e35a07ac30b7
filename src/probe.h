/* probe.h - the IKEv1 probe of one or more VPN servers: what the servers'
 * own answers say about NAT, NAT-T, proposals and UDP 4500.  The facts here
 * are the JSON servers[] fields README.md documents; the verdict is decide.h's. */
#ifndef NATTCHECK_PROBE_H
#define NATTCHECK_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which Windows L2TP/IPsec client message 1 to imitate. */
typedef enum probe_profile {
	PROFILE_XP = 0,     /* XP SP2/SP3, XP x64, Server 2003: MS NT5 v4 */
	PROFILE_VISTA7,     /* 7, Server 2008 R2: v8 */
	PROFILE_WIN8PLUS,   /* 8, 8.1, 10, 11, Server 2012+: v9 */
	PROFILE_VISTA,      /* Vista: v5, otherwise as 7 (inferred) */
	PROFILE_SERVER2008, /* Server 2008: v6, otherwise as 7 (inferred) */
} probe_profile;

typedef enum probe_auth { PROBE_AUTH_PSK = 0, PROBE_AUTH_CERT } probe_auth;

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
typedef enum probe_tri { TRI_NULL = -1, TRI_FALSE = 0, TRI_TRUE = 1 } probe_tri;

typedef enum probe_resolve {
	RESOLVE_OK = 0,
	RESOLVE_BAD_NAME,   /* not a valid host name or address literal */
	RESOLVE_NOT_FOUND,  /* the resolver said no such name */
	RESOLVE_TIMEOUT,    /* no answer from the resolver within the budget */
} probe_resolve;

/* The IKE transform the server chose in message 2 (attribute numbers). */
typedef struct probe_transform {
	uint16_t cipher;      /* 5 = 3DES, 7 = AES-CBC */
	uint16_t key_bits;    /* 0 when the cipher has a fixed key size */
	uint16_t hash;        /* 1 MD5, 2 SHA1, 4 SHA2-256 ... */
	uint16_t group;       /* 2, 14, 19, 20 ... */
	uint16_t auth;        /* 1 PSK, 3 RSA signature */
	uint32_t life_s;
} probe_transform;

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
	probe_auth auth;           /* what message 1 offered (the run's --auth) */
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
	uint32_t elapsed_ms;
	char detail[160];          /* one line for humans, e.g. why unreachable */
} probe_server;

typedef struct probe_config {
	probe_profile profile;
	probe_auth auth;
	uint32_t timeout_ms;       /* the whole run, name resolution included */
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
#endif
