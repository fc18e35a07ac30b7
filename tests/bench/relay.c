/* relay.c - a userspace "netem" for the benchmark lab: bridges two
 * interfaces at layer 2 (AF_PACKET), delaying every IP frame by a fixed
 * time and dropping a given share of them, independently in each direction.
 * This kernel has no sch_netem, hence this.
 *
 * Usage: relay IF_A IF_B DELAY_US LOSS_PERCENT [SEED]
 *   Runs in a namespace holding both interfaces (each the end of a veth pair
 *   whose other end is a lab host), with no addresses of its own.  IPv4/IPv6
 *   frames wait DELAY_US (one way) in a FIFO and are dropped with
 *   probability LOSS_PERCENT/100 on arrival; other frames (ARP) pass at once.
 *   On SIGTERM/SIGINT it prints, per direction, the counts and its own
 *   lateness (time sent - time due) to stderr, then exits 0.
 *
 * Checksums: a veth passes on a locally generated UDP datagram with its
 * checksum still to be filled in (CHECKSUM_PARTIAL, TP_STATUS_CSUMNOTREADY);
 * a frame written to a packet socket is sent as it is, and the receiving
 * host would drop it.  The relay completes such checksums (UDP/TCP, v4/v6). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define QLEN 4096
#define FRAME_MAX 2048

typedef struct pkt {
	uint64_t due;
	uint32_t len;
	uint8_t data[FRAME_MAX];
} pkt;

typedef struct dir {
	const char *name;
	int in, out;          /* sockets */
	int out_ifindex;
	pkt *q;
	size_t head, n;
	unsigned long rx, drop, tx, overflow, passthru;
	uint64_t late_sum, late_max; /* ns */
} dir;

static volatile sig_atomic_t stop;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng(void) /* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int open_if(const char *ifname, int *ifindex)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int s, one = 1;

	s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (s < 0) {
		perror("relay: socket(AF_PACKET)");
		exit(1);
	}
	*ifindex = (int)if_nametoindex(ifname);
	if (*ifindex == 0) {
		fprintf(stderr, "relay: no interface %s\n", ifname);
		exit(1);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = *ifindex;
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("relay: bind");
		exit(1);
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = *ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		perror("relay: promisc");
		exit(1);
	}
	/* our own transmissions on this interface are not input */
	if (setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
		perror("relay: PACKET_IGNORE_OUTGOING");
		exit(1);
	}
	if (setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		perror("relay: PACKET_AUXDATA");
		exit(1);
	}
	return s;
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)(p[len - 1] << 8);
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Fill in the UDP/TCP checksum of an Ethernet frame from scratch. */
static void fix_checksum(uint8_t *f, size_t len)
{
	uint16_t et;
	uint8_t *l4, proto;
	size_t l4len, off;
	uint32_t acc = 0;

	if (len < 14)
		return;
	et = (uint16_t)(f[12] << 8 | f[13]);
	if (et == ETHERTYPE_IP && len >= 34) {
		size_t ihl = (size_t)(f[14] & 0x0f) * 4;
		size_t tot = (size_t)(f[16] << 8 | f[17]);

		if (tot < ihl || 14 + tot > len || (f[20] & 0x3f) != 0 || f[21] != 0)
			return; /* fragments: leave alone */
		proto = f[23];
		l4 = f + 14 + ihl;
		l4len = tot - ihl;
		acc = sum16(f + 26, 8, 0) + proto + (uint32_t)l4len;
	} else if (et == ETHERTYPE_IPV6 && len >= 54) {
		proto = f[20];
		l4 = f + 54;
		l4len = (size_t)(f[18] << 8 | f[19]);
		if (54 + l4len > len)
			return;
		acc = sum16(f + 22, 32, 0) + proto + (uint32_t)l4len;
	} else {
		return;
	}
	if (proto == IPPROTO_UDP && l4len >= 8)
		off = 6;
	else if (proto == IPPROTO_TCP && l4len >= 20)
		off = 16;
	else
		return;
	l4[off] = l4[off + 1] = 0;
	acc = sum16(l4, l4len, acc);
	{
		uint16_t c = fold(acc);

		if (proto == IPPROTO_UDP && c == 0)
			c = 0xffff;
		l4[off] = (uint8_t)(c >> 8);
		l4[off + 1] = (uint8_t)c;
	}
}

static void send_frame(dir *d, const uint8_t *f, size_t len)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = d->out_ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, f, 6);
	if (sendto(d->out, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0 &&
			errno != ENOBUFS && errno != EAGAIN)
		perror("relay: sendto");
}

static void receive(dir *d, uint64_t delay, uint64_t loss_threshold)
{
	for (int burst = 0; burst < 64; burst++) {
		uint8_t buf[FRAME_MAX];
		union {
			struct cmsghdr h;
			char c[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} cbuf;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh;
		struct cmsghdr *cm;
		int csum_partial = 0;
		ssize_t n;
		uint16_t et;
		uint64_t t;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf.c;
		mh.msg_controllen = sizeof(cbuf.c);
		n = recvmsg(d->in, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		t = now_ns();
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
				struct tpacket_auxdata aux;

				memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
				csum_partial = (aux.tp_status & TP_STATUS_CSUMNOTREADY) != 0;
			}
		}
		if (n < 14 || (size_t)n > FRAME_MAX)
			continue;
		d->rx++;
		if (csum_partial)
			fix_checksum(buf, (size_t)n);
		et = (uint16_t)(buf[12] << 8 | buf[13]);
		if (et != ETHERTYPE_IP && et != ETHERTYPE_IPV6) {
			d->passthru++;
			send_frame(d, buf, (size_t)n);
			continue;
		}
		if (loss_threshold && rng() < loss_threshold) {
			d->drop++;
			continue;
		}
		if (delay == 0 && d->n == 0) {
			d->tx++;
			send_frame(d, buf, (size_t)n);
			continue;
		}
		if (d->n == QLEN) {
			d->overflow++;
			continue;
		}
		{
			pkt *p = &d->q[(d->head + d->n) % QLEN];

			p->due = t + delay;
			p->len = (uint32_t)n;
			memcpy(p->data, buf, (size_t)n);
			d->n++;
		}
	}
}

/* Send what is due; the FIFO's due times only grow (fixed delay). */
static void flush(dir *d, uint64_t t)
{
	while (d->n > 0 && d->q[d->head].due <= t) {
		pkt *p = &d->q[d->head];
		uint64_t late = t - p->due;

		send_frame(d, p->data, p->len);
		d->tx++;
		d->late_sum += late;
		if (late > d->late_max)
			d->late_max = late;
		d->head = (d->head + 1) % QLEN;
		d->n--;
		t = now_ns();
	}
}

int main(int argc, char **argv)
{
	dir d[2];
	int sa, sb, ia, ib;
	uint64_t delay, loss_threshold;
	double loss;
	struct sigaction sig;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: relay IF_A IF_B DELAY_US LOSS_PERCENT [SEED]\n");
		return 64;
	}
	delay = strtoull(argv[3], NULL, 10) * 1000ull;
	loss = strtod(argv[4], NULL);
	if (loss < 0 || loss > 100) {
		fprintf(stderr, "relay: loss must be 0..100\n");
		return 64;
	}
	loss_threshold = loss <= 0 ? 0 : loss >= 100 ? UINT64_MAX :
		(uint64_t)(loss / 100.0 * 18446744073709551616.0);
	if (argc == 6)
		rng_state = strtoull(argv[5], NULL, 0) | 1;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	sa = open_if(argv[1], &ia);
	sb = open_if(argv[2], &ib);
	memset(d, 0, sizeof(d));
	d[0].name = argv[1];
	d[0].in = sa, d[0].out = sb, d[0].out_ifindex = ib;
	d[1].name = argv[2];
	d[1].in = sb, d[1].out = sa, d[1].out_ifindex = ia;
	d[0].q = calloc(QLEN, sizeof(pkt));
	d[1].q = calloc(QLEN, sizeof(pkt));
	if (!d[0].q || !d[1].q) {
		fprintf(stderr, "relay: out of memory\n");
		return 1;
	}
	memset(&sig, 0, sizeof(sig));
	sig.sa_handler = on_signal;
	sigaction(SIGTERM, &sig, NULL);
	sigaction(SIGINT, &sig, NULL);
	fprintf(stderr, "relay: %s <-> %s, %.3f ms each way, %.1f %% loss each way\n",
		argv[1], argv[2], (double)delay / 1e6, loss);

	while (!stop) {
		struct pollfd pf[2] = { { sa, POLLIN, 0 }, { sb, POLLIN, 0 } };
		struct timespec ts, *tsp = NULL;
		uint64_t t = now_ns(), next = UINT64_MAX;

		for (int i = 0; i < 2; i++)
			if (d[i].n > 0 && d[i].q[d[i].head].due < next)
				next = d[i].q[d[i].head].due;
		if (next != UINT64_MAX) {
			uint64_t w = next > t ? next - t : 0;

			ts.tv_sec = (time_t)(w / 1000000000ull);
			ts.tv_nsec = (long)(w % 1000000000ull);
			tsp = &ts;
		}
		if (ppoll(pf, 2, tsp, NULL) < 0 && errno != EINTR) {
			perror("relay: ppoll");
			return 1;
		}
		if (pf[0].revents & POLLIN)
			receive(&d[0], delay, loss_threshold);
		if (pf[1].revents & POLLIN)
			receive(&d[1], delay, loss_threshold);
		t = now_ns();
		flush(&d[0], t);
		flush(&d[1], t);
	}
	for (int i = 0; i < 2; i++)
		fprintf(stderr, "relay: from %s: rx %lu drop %lu tx %lu passthru %lu overflow %lu "
			"late_mean_us %.1f late_max_us %.1f\n", d[i].name, d[i].rx, d[i].drop,
			d[i].tx, d[i].passthru, d[i].overflow,
			d[i].tx ? (double)d[i].late_sum / (double)d[i].tx / 1e3 : 0.0,
			(double)d[i].late_max / 1e3);
	return 0;
}
