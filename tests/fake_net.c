/* fake_net.c - the network, clock, resolver, randomness and hash parts of
 * platform.h for unit tests: a scripted transport with a fake clock.  The
 * rest of platform.h is tests/fake_platform.c's. */
#include "fake_net.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 1024
#define MAX_SENT 1024
#define MAX_SOCKS 256
#define MAX_NAMES 32

typedef struct event {
	bool used;
	uint16_t local_port;
	uint64_t at;
	uint64_t seq;        /* FIFO among equal times */
	bool unreach;
	plat_addr from;
	size_t len;
	uint8_t data[FAKE_NET_PKT_MAX];
} event;

struct plat_udp {
	bool open;
	plat_addr dst, local;
};

struct plat_resolver {
	int name;            /* index into names, -1 unknown */
	uint64_t started;
	bool live;
};

typedef struct name_entry {
	char name[256];
	plat_addr addrs[8];
	size_t n;
	uint32_t delay;
	bool never;
} name_entry;

static struct {
	uint64_t now, seq, rng;
	plat_addr local4, local6;
	uint16_t next_port;
	fake_net_server_fn server;
	void *server_ctx;
	event ev[MAX_EVENTS];
	fake_net_sent sent[MAX_SENT];
	size_t nsent;
	struct plat_udp socks[MAX_SOCKS];
	size_t nsocks;
	struct plat_resolver res[MAX_NAMES * 4];
	size_t nres;
	name_entry names[MAX_NAMES];
	size_t nnames;
	uint16_t unreach_port;
	plat_status open_fail;
} N;

void fake_net_reset(void)
{
	memset(&N, 0, sizeof(N));
	N.now = 1000000;
	N.rng = 0x9e3779b97f4a7c15ull;
	N.local4.family = 4;
	memcpy(N.local4.addr, (const uint8_t[]){ 198, 18, 0, 2 }, 4);
	N.local6.family = 6;
	memcpy(N.local6.addr, (const uint8_t[]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 },
		16);
	N.next_port = 40000;
}

uint64_t fake_net_now(void) { return N.now; }
void fake_net_advance(uint64_t ms) { N.now += ms; }

void fake_net_set_local(const plat_addr *local4, const plat_addr *local6)
{
	if (local4)
		N.local4 = *local4;
	if (local6)
		N.local6 = *local6;
}

void fake_net_set_server(fake_net_server_fn fn, void *ctx)
{
	N.server = fn;
	N.server_ctx = ctx;
}

void fake_net_add_name(const char *name, const plat_addr *addrs, size_t n, uint32_t delay_ms,
	bool never)
{
	name_entry *e = &N.names[N.nnames++];

	snprintf(e->name, sizeof(e->name), "%s", name);
	if (n > 0)
		memcpy(e->addrs, addrs, n * sizeof(*addrs));
	e->n = n;
	e->delay = delay_ms;
	e->never = never;
}

static event *event_new(uint16_t local_port, uint64_t at)
{
	for (size_t i = 0; i < MAX_EVENTS; i++) {
		if (!N.ev[i].used) {
			memset(&N.ev[i], 0, sizeof(N.ev[i]));
			N.ev[i].used = true;
			N.ev[i].local_port = local_port;
			N.ev[i].at = at;
			N.ev[i].seq = N.seq++;
			return &N.ev[i];
		}
	}
	abort();
}

void fake_net_deliver(uint16_t local_port, const plat_addr *from, uint64_t at, const void *data,
	size_t len)
{
	event *e = event_new(local_port, at);

	if (len > sizeof(e->data))
		abort();
	e->from = *from;
	e->len = len;
	memcpy(e->data, data, len);
}

void fake_net_deliver_unreach(uint16_t local_port, uint64_t at)
{
	event_new(local_port, at)->unreach = true;
}

void fake_net_unreach_on_send(uint16_t dst_port) { N.unreach_port = dst_port; }
void fake_net_fail_open(plat_status st) { N.open_fail = st; }
size_t fake_net_sent_count(void) { return N.nsent; }
const fake_net_sent *fake_net_sent_get(size_t i) { return i < N.nsent ? &N.sent[i] : NULL; }

size_t fake_net_open_sockets(void)
{
	size_t n = 0;

	for (size_t i = 0; i < N.nsocks; i++)
		n += N.socks[i].open;
	return n;
}

size_t fake_net_resolvers_live(void)
{
	size_t n = 0;

	for (size_t i = 0; i < N.nres; i++)
		n += N.res[i].live;
	return n;
}

/* ---- platform.h ------------------------------------------------------- */

uint64_t plat_now_ms(void) { return N.now; }

plat_status plat_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		N.rng ^= N.rng << 13;
		N.rng ^= N.rng >> 7;
		N.rng ^= N.rng << 17;
		p[i] = (uint8_t)(N.rng >> 24);
	}
	return PLAT_OK;
}

static const EVP_MD *fake_md(int alg)
{
	return alg == PLAT_HASH_MD5 ? EVP_md5() : alg == PLAT_HASH_SHA1 ? EVP_sha1() :
	       alg == PLAT_HASH_SHA256 ? EVP_sha256() : alg == PLAT_HASH_SHA384 ? EVP_sha384() :
	       alg == PLAT_HASH_SHA512 ? EVP_sha512() : NULL;
}

plat_status plat_hash(int alg, const void *data, size_t len, uint8_t *out, size_t *outlen)
{
	const EVP_MD *md = fake_md(alg);
	unsigned int n = 0;

	if (!md)
		return PLAT_EUNSUPP;
	if (EVP_Digest(data, len, out, &n, md, NULL) != 1)
		return PLAT_ESYS;
	*outlen = n;
	return PLAT_OK;
}

/* The fakes of HMAC and CBC are OpenSSL's: an implementation independent
 * of win/crypto.c's CryptoAPI one. */
plat_status plat_hmac(int alg, const void *key, size_t klen, const void *data, size_t len,
	uint8_t *out, size_t *outlen)
{
	const EVP_MD *md = fake_md(alg);
	unsigned int n = 0;

	if (!md)
		return PLAT_EUNSUPP;
	if (HMAC(md, key, (int)klen, data, len, out, &n) == NULL)
		return PLAT_ESYS;
	*outlen = n;
	return PLAT_OK;
}

plat_status plat_cbc(int alg, const uint8_t *key, size_t klen,
	const uint8_t iv[PLAT_CIPHER_BLOCK_MAX], bool encrypt, uint8_t *data, size_t len)
{
	const EVP_CIPHER *c = alg == PLAT_CIPHER_3DES && klen == 24 ? EVP_des_ede3_cbc() :
		alg == PLAT_CIPHER_AES && klen == 16 ? EVP_aes_128_cbc() :
		alg == PLAT_CIPHER_AES && klen == 24 ? EVP_aes_192_cbc() :
		alg == PLAT_CIPHER_AES && klen == 32 ? EVP_aes_256_cbc() : NULL;
	EVP_CIPHER_CTX *ctx;
	int n1 = 0, n2 = 0, ok;

	if (!c)
		return PLAT_EUNSUPP;
	if (len % (size_t)EVP_CIPHER_block_size(c) != 0)
		return PLAT_ESYS;
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx && EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt ? 1 : 0) == 1 &&
		EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
		EVP_CipherUpdate(ctx, data, &n1, data, (int)len) == 1 &&
		EVP_CipherFinal_ex(ctx, data + n1, &n2) == 1 && (size_t)(n1 + n2) == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? PLAT_OK : PLAT_ESYS;
}

void plat_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;

	while (len--)
		*v++ = 0;
}

plat_status plat_resolve_start(const char *name, plat_resolver **out)
{
	struct plat_resolver *r = &N.res[N.nres++];

	r->name = -1;
	for (size_t i = 0; i < N.nnames; i++)
		if (strcmp(N.names[i].name, name) == 0)
			r->name = (int)i;
	r->started = N.now;
	r->live = true;
	*out = r;
	return PLAT_OK;
}

plat_status plat_resolve_poll(plat_resolver *r, plat_addr *out, size_t cap, size_t *n)
{
	const name_entry *e = r->name >= 0 ? &N.names[r->name] : NULL;

	*n = 0;
	if (!e)
		return PLAT_ENOTFOUND;
	if (e->never || N.now < r->started + e->delay)
		return PLAT_EAGAIN;
	if (e->n == 0)
		return PLAT_ENOTFOUND;
	*n = e->n < cap ? e->n : cap;
	memcpy(out, e->addrs, *n * sizeof(*out));
	return PLAT_OK;
}

void plat_resolve_free(plat_resolver *r)
{
	if (!r->live)
		abort(); /* double free */
	r->live = false;
}

plat_status plat_udp_open(const plat_addr *dst, plat_udp **out, plat_addr *local)
{
	struct plat_udp *s = NULL;

	if (N.open_fail != PLAT_OK)
		return N.open_fail;
	if (N.nsocks == MAX_SOCKS)
		return PLAT_ESYS;
	s = &N.socks[N.nsocks++];
	s->open = true;
	s->dst = *dst;
	s->local = dst->family == 6 ? N.local6 : N.local4;
	s->local.port = N.next_port++;
	*local = s->local;
	*out = s;
	return PLAT_OK;
}

plat_status plat_udp_send(plat_udp *s, const void *buf, size_t len)
{
	fake_net_sent *p = NULL;

	if (!s->open)
		abort(); /* use after close */
	if (N.unreach_port != 0 && s->dst.port == N.unreach_port)
		return PLAT_EUNREACH;
	if (N.nsent == MAX_SENT || len > FAKE_NET_PKT_MAX)
		abort();
	p = &N.sent[N.nsent++];
	p->dst = s->dst;
	p->local = s->local;
	p->at = N.now;
	p->len = len;
	memcpy(p->data, buf, len);
	if (N.server)
		N.server(N.server_ctx, p);
	return PLAT_OK;
}

/* The earliest queued event for s, or NULL. */
static event *first_event(const plat_udp *s)
{
	event *best = NULL;

	for (size_t i = 0; i < MAX_EVENTS; i++) {
		event *e = &N.ev[i];

		if (e->used && e->local_port == s->local.port &&
			(!best || e->at < best->at || (e->at == best->at && e->seq < best->seq)))
			best = e;
	}
	return best;
}

plat_status plat_udp_recv(plat_udp *s, void *buf, size_t cap, size_t *len, plat_addr *from)
{
	event *e = NULL;

	if (!s->open)
		abort();
	e = first_event(s);
	if (!e || e->at > N.now)
		return PLAT_EAGAIN;
	e->used = false;
	if (e->unreach)
		return PLAT_EUNREACH;
	if (e->len > cap)
		return PLAT_EMSGSIZE;
	memcpy(buf, e->data, e->len);
	*len = e->len;
	*from = e->from;
	return PLAT_OK;
}

plat_status plat_udp_wait(plat_udp *const *socks, size_t n, uint32_t timeout_ms, bool *ready)
{
	uint64_t until = N.now + timeout_ms, wake = until;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const event *e = NULL;

		if (!socks[i]->open)
			abort();
		e = first_event(socks[i]);
		if (e && e->at < wake)
			wake = e->at;
	}
	if (wake > N.now)
		N.now = wake;
	for (size_t i = 0; i < n; i++) {
		const event *e = first_event(socks[i]);

		ready[i] = e && e->at <= N.now;
		any = any || ready[i];
	}
	(void)any;
	return PLAT_OK;
}

void plat_udp_close(plat_udp *s)
{
	if (!s->open)
		abort(); /* double close */
	s->open = false;
	for (size_t i = 0; i < MAX_EVENTS; i++)
		if (N.ev[i].used && N.ev[i].local_port == s->local.port)
			N.ev[i].used = false;
}
