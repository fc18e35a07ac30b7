/* fuzz_probe.c - libFuzzer harness: the whole probe (probe_run, one server)
 * on the fake network, against a responder that answers every datagram the
 * probe sends with the next fuzzer-provided reply.
 *
 * Input: a config byte, a resolver byte, [a name], then replies:
 *   config  bits 0-1 profile, bit 2 cert auth, bits 3-4 timeout (100, 1000,
 *           3000, 12000 ms), bit 5 IPv6, bit 6 a host name resolved by the
 *           fake resolver, bit 7 the name follows (length byte + bytes)
 *   resolver  delay in 10 ms; 255 never answers, 254 no addresses,
 *           253 unknown name
 *   reply   flags, delay (8 ms units), length (2 bytes, big endian), bytes
 * Reply flags (patches an attacker on the path could make, since it sees
 * our cookies; random bytes alone would never get past the cookie check):
 *   0x01 copy our initiator cookie   0x02 a fixed responder cookie
 *   0x04 from a wrong address/port   0x08 deliver twice
 *   0x10 an ICMP unreachable instead 0x20 fix the header length
 *   0x40 prepend the non-ESP marker on UDP 4500
 *   0x80 rewrite NAT-D payloads with the right hashes
 * The input running out means silence from then on.
 *
 * Invariants checked after each run: fields within their enums, strings
 * NUL-terminated, the deadline kept, nothing left open, no more sends than
 * the retransmission limit allows, packets only to the server, and NAT
 * facts only from an accepted message 4. */
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "fake_net.h"
#include "fuzz_util.h"
#include "probe.h"

#define MAX_SENDS_PER_MESSAGE 10 /* probe.c: PROBE_MAX_SENDS */
#define SLACK_MS 10

enum { F_ICOOKIE = 0x01, F_RCOOKIE = 0x02, F_WRONG_SRC = 0x04, F_DUP = 0x08,
	F_UNREACH = 0x10, F_LEN = 0x20, F_MARKER = 0x40, F_NATD = 0x80 };

static const uint8_t resp_cookie[8] = { 0xc0, 0xff, 0xee, 0x00, 0x11, 0x22, 0x33, 0x44 };
static const uint32_t timeouts[4] = { 100, 1000, 3000, 12000 };

static struct {
	const uint8_t *p;
	size_t left;
	bool wrong_dst;   /* the probe sent somewhere else than the server */
	plat_addr server; /* port 0 */
} R;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void responder(void *ctx, const fake_net_sent *pkt)
{
	uint8_t out[FAKE_NET_PKT_MAX], flags, delay;
	size_t len = 0, off = 0, ike_len = 0, sent_off = pkt->dst.port == 4500 ? 4 : 0;
	plat_addr from = pkt->dst;
	uint64_t at;

	(void)ctx;
	if (pkt->dst.family != R.server.family ||
		memcmp(pkt->dst.addr, R.server.addr, R.server.family == 6 ? 16 : 4) != 0 ||
		(pkt->dst.port != 500 && pkt->dst.port != 4500))
		R.wrong_dst = true;
	if (R.left < 4)
		return;
	flags = R.p[0];
	delay = R.p[1];
	len = (size_t)R.p[2] << 8 | R.p[3];
	R.p += 4;
	R.left -= 4;
	if (len > R.left)
		len = R.left;
	if ((flags & F_MARKER) && pkt->dst.port == 4500) {
		memset(out, 0, 4);
		off = 4;
	}
	ike_len = len < sizeof(out) - off ? len : sizeof(out) - off;
	memcpy(out + off, R.p, ike_len);
	R.p += len;
	R.left -= len;
	if ((flags & F_ICOOKIE) && ike_len >= 8 && pkt->len >= sent_off + 8)
		memcpy(out + off, pkt->data + sent_off, 8);
	if ((flags & F_RCOOKIE) && ike_len >= 16)
		memcpy(out + off + 8, resp_cookie, 8);
	if ((flags & F_LEN) && ike_len >= 28)
		put32(out + off + 24, (uint32_t)ike_len);
	if ((flags & F_NATD) && ike_len >= 28)
		fuzz_fix_natd(out + off, ike_len, out + off, out + off + 8, 0, &pkt->local, &pkt->dst,
			3);
	if (flags & F_WRONG_SRC) {
		if (delay & 1)
			from.port ^= 1;
		else
			from.addr[3] ^= 1;
	}
	at = fake_net_now() + (uint64_t)delay * 8;
	if (flags & F_UNREACH) {
		fake_net_deliver_unreach(pkt->local.port, at);
		return;
	}
	fake_net_deliver(pkt->local.port, &from, at, out, off + ike_len);
	if (flags & F_DUP)
		fake_net_deliver(pkt->local.port, &from, at + 1, out, off + ike_len);
}

static void check_result(const probe_server *o, const probe_config *cfg, uint64_t start)
{
	bool nat_fact = o->client_behind_nat != TRI_NULL || o->server_behind_nat != TRI_NULL;

	FUZZ_CHECK(o->resolve >= RESOLVE_OK && o->resolve <= RESOLVE_TIMEOUT);
	FUZZ_CHECK(o->udp500 >= UDP500_ANSWERED && o->udp500 <= UDP500_UNREACHABLE);
	FUZZ_CHECK(o->udp4500 >= UDP4500_ANSWERED && o->udp4500 <= UDP4500_NOT_TESTED);
	FUZZ_CHECK(o->natt >= NATT_UNKNOWN && o->natt <= NATT_NONE);
	FUZZ_CHECK(o->client_behind_nat >= TRI_NULL && o->client_behind_nat <= TRI_TRUE);
	FUZZ_CHECK(o->server_behind_nat >= TRI_NULL && o->server_behind_nat <= TRI_TRUE);
	FUZZ_CHECK(memchr(o->address, '\0', sizeof(o->address)) != NULL);
	FUZZ_CHECK(memchr(o->detail, '\0', sizeof(o->detail)) != NULL);
	FUZZ_CHECK(memchr(o->name, '\0', sizeof(o->name)) != NULL);
	FUZZ_CHECK(o->elapsed_ms <= cfg->timeout_ms + SLACK_MS);
	FUZZ_CHECK(fake_net_now() - start <= cfg->timeout_ms + SLACK_MS);
	FUZZ_CHECK(fake_net_open_sockets() == 0);
	FUZZ_CHECK(fake_net_resolvers_live() == 0);
	/* message 1 on 500 and 4500, message 3: each at most PROBE_MAX_SENDS */
	FUZZ_CHECK(fake_net_sent_count() <= 3 * MAX_SENDS_PER_MESSAGE);
	FUZZ_CHECK(!R.wrong_dst);
	/* NAT facts only from an accepted message 4 after NAT-T was agreed */
	if (nat_fact)
		FUZZ_CHECK(o->mm4_received && o->natt != NATT_NONE && o->natt != NATT_UNKNOWN);
	if (o->server_behind_nat != TRI_NULL)
		FUZZ_CHECK(o->client_behind_nat != TRI_NULL);
	if (o->mm4_received)
		FUZZ_CHECK(o->udp500 == UDP500_ANSWERED && o->have_transform);
	if (o->natt != NATT_UNKNOWN || o->have_transform)
		FUZZ_CHECK(o->udp500 == UDP500_ANSWERED);
	if (o->udp500 == UDP500_ANSWERED)
		FUZZ_CHECK(o->have_transform && o->natt != NATT_UNKNOWN);
	if (o->udp500 == UDP500_REJECTED)
		FUZZ_CHECK(o->notify >= 1 && o->notify <= 8191 && !o->have_transform);
	if (o->resolve != RESOLVE_OK) {
		FUZZ_CHECK(o->address[0] == '\0' && fake_net_sent_count() == 0);
		FUZZ_CHECK(o->udp500 == UDP500_NO_ANSWER && o->udp4500 == UDP4500_NOT_TESTED);
	}
	if (fake_net_sent_count() > 0)
		FUZZ_CHECK(o->address[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	probe_server srv;
	probe_config cfg;
	plat_addr lit;
	uint8_t conf = 0, res = 0;
	static int verbose = -1; /* FUZZ_VERBOSE=1: print each result */
	uint64_t start;
	bool ok;

	if (size < 2)
		return 0;
	conf = data[0];
	res = data[1];
	data += 2;
	size -= 2;
	memset(&srv, 0, sizeof(srv));
	memset(&cfg, 0, sizeof(cfg));
	cfg.profile = (probe_profile)((conf & 7) % 5); /* every profile */
	cfg.auth = conf & 4 ? PROBE_AUTH_CERT : PROBE_AUTH_PSK;
	cfg.timeout_ms = timeouts[(conf >> 3) & 3];

	fake_net_reset();
	memset(&R, 0, sizeof(R));
	R.server.family = conf & 0x20 ? 6 : 4;
	if (R.server.family == 6)
		memcpy(R.server.addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 1 }, 16);
	else
		memcpy(R.server.addr, (const uint8_t[]){ 198, 19, 0, 1 }, 4);

	if (conf & 0x80) {
		size_t n = 0;

		if (size > 0) {
			n = data[0];
			data++;
			size--;
		}
		if (n > size)
			n = size;
		if (n > sizeof(srv.name) - 1)
			n = sizeof(srv.name) - 1;
		memcpy(srv.name, data, n);
		srv.name[n] = '\0';
		data += n;
		size -= n;
	} else if (conf & 0x40) {
		strcpy(srv.name, "vpn.example.com");
	} else {
		strcpy(srv.name, R.server.family == 6 ? "2001:2::1" : "198.19.0.1");
	}
	if (addr_parse(srv.name, &lit, NULL) == ADDR_LITERAL)
		R.server = lit; /* where the probe may send */
	if ((conf & 0x40) && res != 253)
		fake_net_add_name(srv.name, &R.server, res == 254 ? 0 : 1,
			res >= 254 ? 0 : (uint32_t)res * 10, res == 255);
	R.p = data;
	R.left = size;
	fake_net_set_server(responder, NULL);

	start = fake_net_now();
	ok = probe_run(&srv, 1, &cfg);
	FUZZ_CHECK(ok);
	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "probe %s -> %s: resolve %d udp500 %s natt %s server_nat %d "
			"client_nat %d udp4500 %s mm4 %d notify %u sent %zu elapsed %u: %s\n",
			srv.name, srv.address, srv.resolve, probe_udp500_name(srv.udp500),
			srv.natt == NATT_UNKNOWN ? "null" : probe_natt_name(srv.natt),
			srv.server_behind_nat, srv.client_behind_nat, probe_udp4500_name(srv.udp4500),
			srv.mm4_received, srv.notify, fake_net_sent_count(), srv.elapsed_ms, srv.detail);
	check_result(&srv, &cfg, start);
	fuzz_touch(srv.detail, strlen(srv.detail));
	return 0;
}
