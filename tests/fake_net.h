/* fake_net.h - control of the fake network, clock, resolver, randomness and
 * hashing that stand in for win/ in the probe's unit tests.
 *
 * The clock only moves when the code under test waits (plat_udp_wait) or a
 * test calls fake_net_advance, so timing tests are exact and instant.
 * Every datagram sent is logged and handed to the scripted server, which
 * answers by queueing datagrams (or ICMP errors) for a socket at a time. */
#ifndef NATTCHECK_FAKE_NET_H
#define NATTCHECK_FAKE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

#define FAKE_NET_PKT_MAX 2048

typedef struct fake_net_sent {
	plat_addr dst;      /* where the socket is connected */
	plat_addr local;    /* the socket's local address and port */
	uint64_t at;
	size_t len;
	uint8_t data[FAKE_NET_PKT_MAX];
} fake_net_sent;

/* Called for every datagram plat_udp_send accepts. */
typedef void (*fake_net_server_fn)(void *ctx, const fake_net_sent *pkt);

/* Forget everything: clock at 1,000,000 ms, local addresses 198.18.0.2
 * and 2001:2::2, local ports from 40000, no names, no server. */
void fake_net_reset(void);
uint64_t fake_net_now(void);
void fake_net_advance(uint64_t ms);
void fake_net_set_local(const plat_addr *local4, const plat_addr *local6);
void fake_net_set_server(fake_net_server_fn fn, void *ctx);

/* A name the resolver knows: it answers after delay_ms with the n
 * addresses (n = 0: PLAT_ENOTFOUND); never = true: it never answers.
 * Unknown names are PLAT_ENOTFOUND at once. */
void fake_net_add_name(const char *name, const plat_addr *addrs, size_t n, uint32_t delay_ms,
	bool never);

/* Queue a datagram for the socket whose local port is local_port, arriving
 * at time at, seemingly from from. */
void fake_net_deliver(uint16_t local_port, const plat_addr *from, uint64_t at, const void *data,
	size_t len);
/* Queue an ICMP unreachable report for that socket. */
void fake_net_deliver_unreach(uint16_t local_port, uint64_t at);
/* plat_udp_send to this destination port fails with PLAT_EUNREACH (0: off). */
void fake_net_unreach_on_send(uint16_t dst_port);
/* plat_udp_open fails with st (PLAT_OK: stop failing). */
void fake_net_fail_open(plat_status st);

size_t fake_net_sent_count(void);
const fake_net_sent *fake_net_sent_get(size_t i);
size_t fake_net_open_sockets(void);   /* currently open */
size_t fake_net_resolvers_live(void); /* started and not freed */
#endif
