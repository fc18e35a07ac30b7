/* udpsend.c - lab mechanics check: send a hex file over UDP from Wine, print the reply. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	WSADATA wsa;
	struct addrinfo hints = {0}, *ai;
	unsigned char buf[4096], rep[4096];
	int n = 0, c, hi = -1;
	FILE *f;
	SOCKET s;
	struct sockaddr_storage la;
	int lalen = sizeof(la);
	char lhost[64], lport[16];
	fd_set rd;
	struct timeval tv = {2, 0};

	if (argc != 4) { fprintf(stderr, "usage: udpsend HOST PORT HEXFILE\n"); return 64; }
	f = fopen(argv[3], "r");
	if (!f) { perror(argv[3]); return 66; }
	while ((c = fgetc(f)) != EOF && n < (int)sizeof(buf)) {
		int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
		if (v < 0) continue;
		if (hi < 0) hi = v; else { buf[n++] = (unsigned char)(hi << 4 | v); hi = -1; }
	}
	fclose(f);
	WSAStartup(MAKEWORD(2, 2), &wsa);
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai)) { fprintf(stderr, "resolve failed\n"); return 68; }
	s = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (connect(s, ai->ai_addr, (int)ai->ai_addrlen)) { fprintf(stderr, "connect %d\n", WSAGetLastError()); return 70; }
	if (send(s, (char *)buf, n, 0) != n) { fprintf(stderr, "send %d\n", WSAGetLastError()); return 70; }
	getsockname(s, (struct sockaddr *)&la, &lalen);
	getnameinfo((struct sockaddr *)&la, lalen, lhost, sizeof lhost, lport, sizeof lport, NI_NUMERICHOST | NI_NUMERICSERV);
	printf("sent %d bytes from %s:%s\n", n, lhost, lport);
	FD_ZERO(&rd); FD_SET(s, &rd);
	if (select(0, &rd, NULL, NULL, &tv) <= 0) {
		int err = 0, len = sizeof err;
		getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len);
		printf("no reply (SO_ERROR %d)\n", err);
		return 1;
	}
	n = recv(s, (char *)rep, sizeof rep, 0);
	if (n < 0) {
		int err = 0, len = sizeof err;
		getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len);
		printf("recv error %d (SO_ERROR %d)\n", WSAGetLastError(), err);
		return 2;
	}
	printf("reply %d bytes:", n);
	for (c = 0; c < n && c < 40; c++) printf("%02x", rep[c]);
	printf("\n");
	return 0;
}
