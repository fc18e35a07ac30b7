/* net.c - name resolution on a worker thread and connected, non-blocking
 * UDP sockets, with Winsock calls that exist on XP SP2. */
#define FD_SETSIZE 256 /* before winsock2.h: select() on many servers */
#include "win.h"

#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Winsock, loaded from the system folder ------------------------------
 * ws2_32.dll is not a KnownDLL on XP: imported, it would be looked for
 * beside the exe first (a Downloads folder) - DLL planting.  So it is
 * loaded by its full path (win_load_system_dll) and every Winsock call goes
 * through this table: ws.socket(...), ws.WSAGetLastError().  The build does
 * not link ws2_32 at all, so a direct call fails the link.  Only functions
 * XP SP2 has (no inet_pton, WSAPoll, ...). */
#define WIN_WS2_FUNCS(X) \
	X(WSAStartup) X(WSACleanup) X(WSAGetLastError) X(WSAAddressToStringW) \
	X(getaddrinfo) X(freeaddrinfo) X(socket) X(closesocket) X(ioctlsocket) \
	X(connect) X(getsockname) X(getsockopt) X(send) X(recvfrom) X(select)

static struct {
#define WIN_WS2_PTR(name) __typeof__(&name) name;
	WIN_WS2_FUNCS(WIN_WS2_PTR)
#undef WIN_WS2_PTR
} ws;

plat_status win_net_start(void)
{
	HMODULE dll;
	WSADATA wsa;
	plat_status st = win_load_system_dll(L"ws2_32.dll", &dll);
	int err;

	if (st != PLAT_OK)
		return st;
#define WIN_WS2_LOAD(name) \
	ws.name = (__typeof__(ws.name))(void (*)(void))GetProcAddress(dll, #name); \
	if (ws.name == NULL) \
		return win_fail(GetLastError(), "ws2_32.dll has no %s", #name);
	WIN_WS2_FUNCS(WIN_WS2_LOAD)
#undef WIN_WS2_LOAD
	err = ws.WSAStartup(MAKEWORD(2, 2), &wsa);
	if (err != 0)
		return win_fail((unsigned long)err, "cannot start Winsock 2.2");
	return PLAT_OK;
}

void win_net_stop(void)
{
	if (ws.WSACleanup != NULL)
		ws.WSACleanup();
}

/* htons/ntohs without ws2_32: Windows is little-endian on every CPU. */
static u_short win_htons(u_short v)
{
	return (u_short)((v >> 8) | (v << 8));
}
#define win_ntohs win_htons

/* FD_ISSET calls ws2_32's __WSAFDIsSet: the same test, here.  (FD_ZERO and
 * FD_SET are plain macros on the fd_set array.) */
#undef FD_ISSET
static bool win_fd_isset(SOCKET s, const fd_set *set)
{
	u_int i;

	for (i = 0; i < set->fd_count; i++)
		if (set->fd_array[i] == s)
			return true;
	return false;
}

/* ---- addresses ----------------------------------------------------------- */

static bool win_addr_from_sa(const struct sockaddr *sa, plat_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		a->family = 4;
		memcpy(a->addr, &in->sin_addr, 4);
		a->port = win_ntohs(in->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		a->family = 6;
		memcpy(a->addr, &in6->sin6_addr, 16);
		a->port = win_ntohs(in6->sin6_port);
		a->scope_id = in6->sin6_scope_id;
		return true;
	}
	return false;
}

static int win_addr_to_sa(const plat_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, a->addr, 4);
		in->sin_port = win_htons(a->port);
		return (int)sizeof(*in);
	}
	if (a->family == 6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, a->addr, 16);
		in6->sin6_port = win_htons(a->port);
		in6->sin6_scope_id = a->scope_id;
		return (int)sizeof(*in6);
	}
	return 0;
}

/* "198.18.0.1:500" or "[2001:2::1]:500" for messages (no inet_ntop on XP). */
static void win_addr_text(const plat_addr *a, char *buf, size_t cap)
{
	struct sockaddr_storage ss;
	wchar_t w[96];
	DWORD n = sizeof(w) / sizeof(w[0]);
	int len = win_addr_to_sa(a, &ss);

	if (len == 0 || ws.WSAAddressToStringW((struct sockaddr *)&ss, (DWORD)len, NULL, w, &n) != 0 ||
			!win_to_utf8_buf(w, buf, cap))
		snprintf(buf, cap, "(address family %u)", a->family);
}

/* ICMP unreachable, as Windows (reset) and Wine (refused) report it. */
static bool win_is_unreach(int err)
{
	return err == WSAECONNRESET || err == WSAECONNREFUSED || err == WSAENETUNREACH ||
		err == WSAEHOSTUNREACH || err == WSAENETRESET;
}

static plat_status win_net_fail(int err, const char *what, const plat_addr *peer)
{
	char text[80];
	plat_status st;

	win_addr_text(peer, text, sizeof(text));
	st = win_fail((unsigned long)err, "%s %s", what, text);
	if (win_is_unreach(err))
		return PLAT_EUNREACH;
	if (err == WSAEWOULDBLOCK)
		return PLAT_EAGAIN;
	if (err == WSAEMSGSIZE)
		return PLAT_EMSGSIZE;
	return st;
}

/* ---- resolver -------------------------------------------------------------- */

#define WIN_RESOLVE_MAX 16

struct plat_resolver {
	volatile LONG refs; /* the caller's and, while it runs, the worker's */
	volatile LONG done;
	int err;            /* getaddrinfo's result */
	size_t n;
	plat_addr addrs[WIN_RESOLVE_MAX];
	char name[];
};

static volatile LONG win_resolvers_running;

long win_resolver_busy(void)
{
	return InterlockedCompareExchange(&win_resolvers_running, 0, 0);
}

static void win_resolver_unref(plat_resolver *r)
{
	if (InterlockedDecrement(&r->refs) == 0)
		free(r);
}

static DWORD WINAPI win_resolve_worker(void *arg)
{
	plat_resolver *r = arg;
	struct addrinfo hints, *res = NULL, *ai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	r->err = ws.getaddrinfo(r->name, NULL, &hints, &res);
	for (ai = r->err == 0 ? res : NULL; ai != NULL && r->n < WIN_RESOLVE_MAX; ai = ai->ai_next)
		if (ai->ai_addr != NULL && win_addr_from_sa(ai->ai_addr, &r->addrs[r->n]))
			r->n++;
	if (res != NULL)
		ws.freeaddrinfo(res);
	InterlockedExchange(&r->done, 1);
	win_resolver_unref(r);
	InterlockedDecrement(&win_resolvers_running);
	return 0;
}

plat_status plat_resolve_start(const char *name, plat_resolver **out)
{
	size_t len = strlen(name);
	plat_resolver *r;
	HANDLE th;

	*out = NULL;
	/* getaddrinfo("") answers with this machine's own addresses. */
	if (len == 0)
		return win_fail_msg(PLAT_ENOTFOUND, "cannot resolve an empty name");
	r = calloc(1, sizeof(*r) + len + 1);
	if (r == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	memcpy(r->name, name, len + 1);
	r->refs = 2;
	InterlockedIncrement(&win_resolvers_running);
	th = CreateThread(NULL, 0, win_resolve_worker, r, 0, NULL);
	if (th == NULL) {
		DWORD err = GetLastError();
		InterlockedDecrement(&win_resolvers_running);
		free(r);
		return win_fail(err, "cannot start resolving %s", name);
	}
	CloseHandle(th);
	*out = r;
	return PLAT_OK;
}

plat_status plat_resolve_poll(plat_resolver *r, plat_addr *out, size_t cap, size_t *n)
{
	size_t i;

	*n = 0;
	if (!InterlockedCompareExchange(&r->done, 0, 0))
		return PLAT_EAGAIN;
	if (r->err != 0) {
		plat_status st = win_fail((unsigned long)r->err, "cannot resolve %s", r->name);
		if (r->err == WSAHOST_NOT_FOUND || r->err == WSATRY_AGAIN ||
				r->err == WSANO_RECOVERY || r->err == WSANO_DATA ||
				r->err == WSAEAFNOSUPPORT || r->err == WSAEINVAL)
			return PLAT_ENOTFOUND;
		return st;
	}
	if (r->n == 0)
		return win_fail_msg(PLAT_ENOTFOUND, "cannot resolve %s: no IPv4 or IPv6 address",
			r->name);
	for (i = 0; i < r->n && i < cap; i++)
		out[i] = r->addrs[i];
	*n = i;
	return PLAT_OK;
}

void plat_resolve_free(plat_resolver *r)
{
	if (r != NULL)
		win_resolver_unref(r);
}

/* ---- UDP ------------------------------------------------------------------ */

struct plat_udp {
	SOCKET s;
	int pending;   /* an error found by plat_udp_wait, for the next call */
	plat_addr peer;
};

#define WIN_UDP_SLICE_MS 10

/* Wine (8) keeps an ICMP unreachable in SO_ERROR instead of failing recv. */
static int win_so_error(SOCKET s)
{
	int err = 0, len = sizeof(err);

	if (ws.getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len) != 0)
		return 0;
	return err;
}

/* One socket connected to dst; *local is the address and port the OS
 * picked for it. */
static plat_status win_udp_socket(const plat_addr *dst, SOCKET *out, plat_addr *local)
{
	struct sockaddr_storage ss;
	int len = win_addr_to_sa(dst, &ss), err;
	u_long nonblock = 1;
	SOCKET s;
	plat_status st;

	*out = INVALID_SOCKET;
	if (len == 0)
		return win_fail_msg(PLAT_ESYS, "bad address family %u", dst->family);
	s = ws.socket(ss.ss_family, SOCK_DGRAM, IPPROTO_UDP);
	if (s == INVALID_SOCKET) {
		err = ws.WSAGetLastError();
		st = win_net_fail(err, "cannot open a UDP socket to", dst);
		/* XP without its IPv6 stack installed: unreachable, not broken. */
		return err == WSAEAFNOSUPPORT ? PLAT_EUNREACH : st;
	}
	if (ws.ioctlsocket(s, FIONBIO, &nonblock) != 0 ||
			ws.connect(s, (struct sockaddr *)&ss, len) != 0) {
		err = ws.WSAGetLastError();
		ws.closesocket(s);
		return win_net_fail(err, "cannot connect a UDP socket to", dst);
	}
	len = sizeof(ss);
	if (ws.getsockname(s, (struct sockaddr *)&ss, &len) != 0 ||
			!win_addr_from_sa((struct sockaddr *)&ss, local)) {
		err = ws.WSAGetLastError();
		ws.closesocket(s);
		return win_net_fail(err, "cannot read the local address towards", dst);
	}
	*out = s;
	return PLAT_OK;
}

plat_status plat_udp_open(const plat_addr *dst, plat_udp **out, plat_addr *local)
{
	SOCKET skip[8];
	size_t nskip = 0, i;
	plat_udp *u = calloc(1, sizeof(*u));
	plat_status st;

	*out = NULL;
	if (u == NULL)
		return win_fail_msg(PLAT_ESYS, "out of memory");
	/* XP's ephemeral ports are 1025-5000: never probe from 4500 (or 500),
	 * they belong to the IKE service.  Hold a bad one while taking the next. */
	for (;;) {
		st = win_udp_socket(dst, &u->s, local);
		if (st != PLAT_OK || (local->port != 500 && local->port != 4500))
			break;
		if (nskip == sizeof(skip) / sizeof(skip[0])) {
			ws.closesocket(u->s);
			st = win_fail_msg(PLAT_ESYS, "no ephemeral UDP port other than 500/4500");
			break;
		}
		skip[nskip++] = u->s;
	}
	for (i = 0; i < nskip; i++)
		ws.closesocket(skip[i]);
	if (st != PLAT_OK) {
		free(u);
		return st;
	}
	u->peer = *dst;
	*out = u;
	return PLAT_OK;
}

plat_status plat_udp_send(plat_udp *u, const void *buf, size_t len)
{
	int err;

	if (u->pending != 0) {
		err = u->pending;
		u->pending = 0;
		return win_net_fail(err, "UDP to", &u->peer);
	}
	if (len > 65535)
		return win_fail_msg(PLAT_EMSGSIZE, "datagram of %lu bytes", (unsigned long)len);
	if (ws.send(u->s, buf, (int)len, 0) == SOCKET_ERROR)
		return win_net_fail(ws.WSAGetLastError(), "cannot send to", &u->peer);
	return PLAT_OK;
}

plat_status plat_udp_recv(plat_udp *u, void *buf, size_t cap, size_t *len, plat_addr *from)
{
	struct sockaddr_storage ss;
	int sl = sizeof(ss), n, err;

	*len = 0;
	if (u->pending != 0) {
		err = u->pending;
		u->pending = 0;
		return win_net_fail(err, "UDP from", &u->peer);
	}
	n = ws.recvfrom(u->s, buf, cap > 65536 ? 65536 : (int)cap, 0, (struct sockaddr *)&ss, &sl);
	if (n == SOCKET_ERROR) {
		err = ws.WSAGetLastError();
		if (err == WSAEWOULDBLOCK) {
			err = win_so_error(u->s);
			if (err == 0)
				return PLAT_EAGAIN;
		}
		if (err == WSAEMSGSIZE)
			*len = cap;
		return win_net_fail(err, "cannot receive from", &u->peer);
	}
	*len = (size_t)n;
	if (from != NULL && !win_addr_from_sa((struct sockaddr *)&ss, from))
		*from = u->peer;
	return PLAT_OK;
}

/* Marks sockets with a pending error as ready; true if any. */
static bool win_udp_errors(plat_udp *const *socks, size_t n, bool *ready)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (socks[i]->pending == 0)
			socks[i]->pending = win_so_error(socks[i]->s);
		if (socks[i]->pending != 0)
			ready[i] = any = true;
	}
	return any;
}

/* select() in slices of WIN_UDP_SLICE_MS, looking at SO_ERROR between
 * them: Wine records an ICMP error there without waking select(). */
plat_status plat_udp_wait(plat_udp *const *socks, size_t n, uint32_t timeout_ms, bool *ready)
{
	uint64_t deadline = plat_now_ms() + timeout_ms;
	fd_set rd, ex;
	size_t i;

	if (n > FD_SETSIZE)
		return win_fail_msg(PLAT_ESYS, "too many sockets (%lu)", (unsigned long)n);
	for (i = 0; i < n; i++)
		ready[i] = false;
	if (n == 0) {
		Sleep(timeout_ms);
		return PLAT_OK;
	}
	for (;;) {
		uint64_t now = plat_now_ms();
		uint32_t slice = now >= deadline ? 0 : (uint32_t)(deadline - now);
		struct timeval tv;
		bool any = false;
		int rc;

		if (win_udp_errors(socks, n, ready))
			return PLAT_OK;
		/* Wine does not wake select() for an ICMP error (it only shows in
		 * SO_ERROR): wait in short slices so "unreachable" costs at most
		 * ~10 ms more than on Windows; 100 wake-ups a second is nothing. */
		if (slice > WIN_UDP_SLICE_MS)
			slice = WIN_UDP_SLICE_MS;
		tv.tv_sec = (long)(slice / 1000);
		tv.tv_usec = (long)(slice % 1000) * 1000;
		FD_ZERO(&rd);
		FD_ZERO(&ex);
		for (i = 0; i < n; i++) {
			FD_SET(socks[i]->s, &rd);
			FD_SET(socks[i]->s, &ex);
		}
		rc = ws.select(0, &rd, NULL, &ex, &tv);
		if (rc == SOCKET_ERROR)
			return win_fail((unsigned long)ws.WSAGetLastError(), "cannot wait for UDP");
		for (i = 0; i < n; i++) {
			if (win_fd_isset(socks[i]->s, &rd) || win_fd_isset(socks[i]->s, &ex))
				ready[i] = any = true;
		}
		if (any || win_udp_errors(socks, n, ready) || plat_now_ms() >= deadline)
			return PLAT_OK;
	}
}

void plat_udp_close(plat_udp *u)
{
	if (u == NULL)
		return;
	ws.closesocket(u->s);
	free(u);
}
