/* gen_seeds.c - writes the fuzzers' seed corpora (tests/fuzz/corpus/NAME/)
 * from the unit-test fixtures (tests/fixtures_ike.h, tests/fixtures_mm.h,
 * tests/fixtures_qm.h) and a few hand-written inputs: `make fuzz-seeds`.  The output is
 * committed; rerun after changing the fixtures or the harnesses' input
 * formats (see each fuzz_*.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixtures_ike.h"
#include "fixtures_mm.h"
#include "fixtures_qm.h"

static const char *root;
static unsigned nfiles;

static void put(const char *name, const char *file, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, name, file);
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	nfiles++;
}

static void put_str(const char *name, const char *file, const char *s)
{
	put(name, file, s, strlen(s));
}

/* A string with embedded NULs: the argv separator of fuzz_cli. */
static void put_args(const char *file, const char *s, size_t len)
{
	put("cli", file, s, len);
}
#define ARGS(file, lit) put_args(file, lit, sizeof(lit) - 1)

/* ---- building IKE messages for seeds ---------------------------------- */

typedef struct msg {
	uint8_t b[2048];
	size_t len, next_off;
} msg;

static void msg_begin(msg *m, const uint8_t *rc, uint8_t exch)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->b, fx_icookie, 8);
	memcpy(m->b + 8, rc, 8);
	m->b[17] = 0x10;
	m->b[18] = exch;
	m->len = 28;
	m->next_off = 16;
}

static void msg_add(msg *m, uint8_t type, const uint8_t *body, size_t n)
{
	size_t plen = 4 + n;

	m->b[m->next_off] = type;
	m->next_off = m->len;
	m->b[m->len + 2] = (uint8_t)(plen >> 8);
	m->b[m->len + 3] = (uint8_t)plen;
	memcpy(m->b + m->len + 4, body, n);
	m->len += plen;
}

static void msg_end(msg *m)
{
	m->b[24] = (uint8_t)(m->len >> 24);
	m->b[25] = (uint8_t)(m->len >> 16);
	m->b[26] = (uint8_t)(m->len >> 8);
	m->b[27] = (uint8_t)m->len;
}

/* message 4 with n NAT-D payloads of type t, each hlen bytes */
static void mm4_natd(msg *m, size_t n, uint8_t t, size_t hlen)
{
	uint8_t ke[96], nonce[32], h[64];

	memset(ke, 0x11, sizeof(ke));
	memset(nonce, 0x22, sizeof(nonce));
	msg_begin(m, fx_rcookie, 2);
	msg_add(m, 4, ke, sizeof(ke));
	msg_add(m, 10, nonce, sizeof(nonce));
	for (size_t i = 0; i < n; i++) {
		memset(h, (int)(0x30 + i), sizeof(h));
		msg_add(m, t, h, hlen);
	}
	msg_end(m);
}

static void seeds_ike(void)
{
	uint8_t b[512];
	msg m;

	put("ike", "mm1_win8", fx_mm1_win8, sizeof(fx_mm1_win8));
	put("ike", "mm1_win8_cert", fx_mm1_win8_cert, sizeof(fx_mm1_win8_cert));
	put("ike", "mm1_win7", fx_mm1_win7, sizeof(fx_mm1_win7));
	put("ike", "mm1_xp", fx_mm1_xp, sizeof(fx_mm1_xp));
	put("ike", "mm2", fx_mm2, sizeof(fx_mm2));
	put("ike", "mm2_draft", fx_mm2_draft, sizeof(fx_mm2_draft));
	put("ike", "mm2_unknown", fx_mm2_unknown, sizeof(fx_mm2_unknown));
	put("ike", "mm4", fx_mm4, sizeof(fx_mm4));
	put("ike", "info_npc", fx_info_npc, sizeof(fx_info_npc));
	/* trailing bytes after the declared length */
	memcpy(b, fx_mm2, sizeof(fx_mm2));
	memset(b + sizeof(fx_mm2), 0xee, 16);
	put("ike", "mm2_trailing", b, sizeof(fx_mm2) + 16);
	/* cut short: declared length beyond the datagram */
	put("ike", "mm4_truncated", fx_mm4, 100);
	/* the encrypted flag */
	memcpy(b, fx_mm4, sizeof(fx_mm4));
	b[19] = 0x01;
	put("ike", "mm4_encrypted", b, sizeof(fx_mm4));
	mm4_natd(&m, 2, 130, 20);
	put("ike", "mm4_draft_natd", m.b, m.len);
	mm4_natd(&m, 10, 20, 20);
	put("ike", "mm4_10_natd", m.b, m.len);
	mm4_natd(&m, 2, 20, 64);
	put("ike", "mm4_sha512_natd", m.b, m.len);
}

/* fuzz_mm: a mode byte (suite << 1 | plaintext), then the message: each
 * suite's messages as sent, and as plaintexts the harness encrypts. */
static void seeds_mm(void)
{
	uint8_t b[2048];
	char file[64];

	for (size_t i = 0; i < sizeof(fxm_cases) / sizeof(fxm_cases[0]); i++) {
		const fxm_case *c = &fxm_cases[i];
		const struct {
			const char *name;
			const uint8_t *p;
			size_t len;
			uint8_t plain;
		} s[] = {
			{ "mm6", c->mm6, c->mm6_len, 0 },
			{ "mm6_padded", c->mm6_padded, c->mm6_padded_len, 0 },
			{ "mm6_wrongkey", c->mm6_wrongkey, c->mm6_wrongkey_len, 0 },
			{ "info", c->info, c->info_len, 0 },
			{ "info_nohash", c->info_nohash, c->info_nohash_len, 0 },
			{ "mm6_plain", c->mm6_plain, c->mm6_plain_len, 1 },
			{ "info_plain", c->info_plain, c->info_plain_len, 1 },
			{ "delete_plain", c->delete_plain, c->delete_plain_len, 1 },
		};

		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			b[0] = (uint8_t)(i << 1 | s[j].plain);
			memcpy(b + 1, s[j].p, s[j].len);
			snprintf(file, sizeof(file), "%s_%s", c->name, s[j].name);
			put("mm", file, b, 1 + s[j].len);
		}
	}
}

/* fuzz_qm: a mode byte (state << 2 | rehash << 1 | plaintext), then the
 * message: each message 2 and its variants as sent, and its plaintext
 * for the harness to encrypt, with and without a HASH(2) it recomputes. */
static void seeds_qm(void)
{
	uint8_t b[2048];
	char file[64];

	for (size_t i = 0; i < sizeof(fxq_m2s) / sizeof(fxq_m2s[0]); i++) {
		const fxq_m2 *c = &fxq_m2s[i];
		const struct {
			const char *name;
			const uint8_t *p;
			size_t len;
			uint8_t mode;
		} s[] = {
			{ "m2", c->m2, c->m2_len, 0 },
			{ "m2_padded", c->m2_padded, c->m2_padded_len, 0 },
			{ "m2_badhash", c->m2_badhash, c->m2_badhash_len, 0 },
			{ "m2_wrongkey", c->m2_wrongkey, c->m2_wrongkey_len, 0 },
			{ "m2_plain", c->m2_plain, c->m2_plain_len, 1 },
			{ "m2_plain_rehash", c->m2_plain, c->m2_plain_len, 3 },
		};

		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			b[0] = (uint8_t)(i << 2 | s[j].mode);
			memcpy(b + 1, s[j].p, s[j].len);
			snprintf(file, sizeof(file), "%s_%s", c->name, s[j].name);
			put("qm", file, b, 1 + s[j].len);
		}
	}
}

static void seeds_natd(void)
{
	uint8_t b[2100];
	msg m;

#define NATD(file, ctl, data, len)                       \
	do {                                                 \
		b[0] = (ctl);                                    \
		memcpy(b + 1, (data), (len));                    \
		put("natd", file, b, (len) + 1);                 \
	} while (0)
	NATD("mm4_sha1", 0x00, fx_mm4, sizeof(fx_mm4)); /* the fixture's hashes match */
	NATD("mm4_fixed", 0x30, fx_mm4, sizeof(fx_mm4));
	NATD("mm4_client_only_fixed", 0x10, fx_mm4, sizeof(fx_mm4));
	NATD("mm4_md5", 0x01, fx_mm4, sizeof(fx_mm4));
	NATD("mm4_unsupported", 0x05, fx_mm4, sizeof(fx_mm4));
	NATD("mm4_v6_fixed", 0x38, fx_mm4, sizeof(fx_mm4));
	NATD("info_no_natd", 0x00, fx_info_npc, sizeof(fx_info_npc));
	mm4_natd(&m, 1, 20, 20);
	NATD("one_natd_fixed", 0x30, m.b, m.len);
	mm4_natd(&m, 10, 20, 20);
	NATD("ten_natd_fixed", 0x30, m.b, m.len);
	mm4_natd(&m, 3, 130, 32);
	NATD("draft_sha256_fixed", 0x32, m.b, m.len);
	mm4_natd(&m, 2, 20, 64);
	NATD("sha512_fixed", 0x34, m.b, m.len);
#undef NATD
}

/* fuzz_probe: config, resolver, then replies (flags, delay, length, bytes) */
typedef struct scen {
	uint8_t b[4096];
	size_t len;
} scen;

static void sc_begin(scen *s, uint8_t conf, uint8_t res)
{
	s->b[0] = conf;
	s->b[1] = res;
	s->len = 2;
}

static void sc_name(scen *s, const char *name)
{
	s->b[s->len++] = (uint8_t)strlen(name);
	memcpy(s->b + s->len, name, strlen(name));
	s->len += strlen(name);
}

static void sc_reply(scen *s, uint8_t flags, uint8_t delay, const uint8_t *p, size_t n)
{
	s->b[s->len++] = flags;
	s->b[s->len++] = delay;
	s->b[s->len++] = (uint8_t)(n >> 8);
	s->b[s->len++] = (uint8_t)n;
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

enum { IC = 0x01, RC = 0x02, WRONG = 0x04, DUP = 0x08, UNREACH = 0x10, LEN = 0x20,
	MARK = 0x40, NATD = 0x80 };
enum { WIN8 = 2, T100 = 0x00, T1000 = 0x08, T3000 = 0x10, T12000 = 0x18, V6 = 0x20,
	NAME = 0x40, CUSTOM = 0x80 };

static void seeds_probe(void)
{
	uint8_t mm3_reject[40];
	scen s;
	msg m;

	/* a server that is not behind NAT, talking to a client that is not */
	sc_begin(&s, WIN8 | T3000, 0);
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | NATD, 2, fx_mm4, sizeof(fx_mm4));
	put("probe", "works", s.b, s.len);
	/* NAT-D not matching: both behind NAT */
	sc_begin(&s, WIN8 | T3000, 0);
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC, 2, fx_mm4, sizeof(fx_mm4));
	put("probe", "nat_both", s.b, s.len);
	/* NO-PROPOSAL-CHOSEN on both ports */
	sc_begin(&s, WIN8 | T1000, 0);
	sc_reply(&s, IC, 2, fx_info_npc, sizeof(fx_info_npc));
	sc_reply(&s, IC | MARK, 2, fx_info_npc, sizeof(fx_info_npc));
	put("probe", "rejected", s.b, s.len);
	/* XP: draft NAT-T */
	sc_begin(&s, 0 | T3000, 0);
	sc_reply(&s, IC | RC, 5, fx_mm2_draft, sizeof(fx_mm2_draft));
	sc_reply(&s, IC | RC | MARK, 5, fx_mm2_draft, sizeof(fx_mm2_draft));
	mm4_natd(&m, 2, 130, 20);
	sc_reply(&s, IC | RC | NATD, 5, m.b, m.len);
	put("probe", "xp_draft", s.b, s.len);
	/* Windows 7, cert auth, an unknown payload to skip, no NAT-T on 4500 */
	sc_begin(&s, 1 | 4 | T3000, 0);
	sc_reply(&s, IC | RC, 1, fx_mm2_unknown, sizeof(fx_mm2_unknown));
	sc_reply(&s, UNREACH, 1, NULL, 0);
	sc_reply(&s, IC | RC, 1, fx_mm4, sizeof(fx_mm4));
	put("probe", "win7_unknown_payload", s.b, s.len);
	/* silence */
	sc_begin(&s, WIN8 | T100, 0);
	put("probe", "silent", s.b, s.len);
	/* ICMP unreachable on both */
	sc_begin(&s, WIN8 | T1000, 0);
	sc_reply(&s, UNREACH, 3, NULL, 0);
	sc_reply(&s, UNREACH, 3, NULL, 0);
	put("probe", "unreachable", s.b, s.len);
	/* a host name that resolves after 50 ms */
	sc_begin(&s, WIN8 | T3000 | NAME, 5);
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | NATD, 2, fx_mm4, sizeof(fx_mm4));
	put("probe", "resolved", s.b, s.len);
	sc_begin(&s, WIN8 | T1000 | NAME, 255);
	put("probe", "resolver_never", s.b, s.len);
	sc_begin(&s, WIN8 | T1000 | NAME, 254);
	put("probe", "resolver_no_address", s.b, s.len);
	/* IPv6 */
	sc_begin(&s, WIN8 | T3000 | V6, 0);
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | NATD, 2, fx_mm4, sizeof(fx_mm4));
	put("probe", "ipv6", s.b, s.len);
	/* a server name given as input */
	sc_begin(&s, WIN8 | T1000 | CUSTOM, 0);
	sc_name(&s, "fe80::1%3");
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	put("probe", "name_zone", s.b, s.len);
	sc_begin(&s, WIN8 | T1000 | CUSTOM, 0);
	sc_name(&s, "not a name");
	put("probe", "name_bad", s.b, s.len);
	/* forged and duplicated replies, late answers after retransmissions */
	sc_begin(&s, WIN8 | T12000, 0);
	sc_reply(&s, IC | RC | WRONG, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | DUP, 250, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK | DUP, 250, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | NATD | LEN, 120, fx_mm4, sizeof(fx_mm4));
	put("probe", "forged_dup_late", s.b, s.len);
	/* message 3 refused */
	memcpy(mm3_reject, fx_info_npc, sizeof(mm3_reject));
	sc_begin(&s, WIN8 | T3000, 0);
	sc_reply(&s, IC | RC, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC | MARK, 2, fx_mm2, sizeof(fx_mm2));
	sc_reply(&s, IC | RC, 2, mm3_reject, sizeof(mm3_reject));
	put("probe", "mm3_refused", s.b, s.len);
}

static void seeds_text(void)
{
	static const char *const json[][2] = {
		{ "status", "{\"version\":\"1.0.0\",\"command\":\"status\",\"host\":\"VM\",\n"
			" \"os\":{\"name\":\"Windows 10\",\"major\":10,\"minor\":0,\"build\":18362,"
			"\"service_pack\":0,\"server\":false,\"bits\":64,\"supported\":true},\n"
			" \"policy\":{\"key\":\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\"
			"PolicyAgent\",\"name\":\"AssumeUDPEncapsulationContextOnSendRule\",\"value\":"
			"null,\"state\":\"absent\",\"reboot_pending\":false,\"meaning\":\"not set (same "
			"as 0)\",\"prohibit_ipsec\":null},\n \"services\":{\"PolicyAgent\":\"not found\","
			"\"IKEEXT\":\"not found\",\"RasMan\":\"not found\"},\n \"exit_code\":0}\n" },
		{ "check", "{\"version\":\"1.0.0\",\"command\":\"check\",\"host\":\"PC2\",\"time\":"
			"\"2026-11-24T10:00:00Z\",\"servers\":[{\"server\":\"vpn.example.com\",\"address\":"
			"\"198.19.0.1\",\"udp500\":\"answered\",\"natt\":\"rfc3947\",\"server_behind_nat\":"
			"true,\"client_behind_nat\":false,\"udp4500\":\"answered\",\"transform\":{\"cipher\":"
			"7,\"key_bits\":256,\"hash\":2,\"group\":20},\"elapsed_ms\":42,\"verdict\":"
			"\"needs-registry\",\"advice\":\"Run nattcheck fix vpn.example.com\"}],\"verdict\":"
			"\"needs-registry\",\"exit_code\":1}" },
		{ "stale", "{\"version\":\"1.0.0\",\"host\":\"OLD\",\"time\":\"2020-01-01T00:00:00Z\","
			"\"servers\":[],\"verdict\":\"works\",\"exit_code\":0}" },
		{ "unicode", "[\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\", \"\xc3\xa9\", \"\xff\\u0000\"]" },
		{ "numbers", "[0, -0, 1.5, -2.5e10, 1E+2, 123456789012345678901234567890, true, false, null]" },
		{ "empty_object", "{}" },
		{ "empty_array", " [ ] " },
		{ "nested", "{\"a\":{\"b\":[1,{\"c\":[[],{}]}]},\"a\":2}" },
		{ "bad_member", "{\"a\":}" },
		{ "unterminated", "\"abc" },
		{ "trailing", "1 2" },
		{ "lone_surrogate", "\"\\udc00\"" },
		{ "not_result", "{\"hello\":\"world\"}" },
		{ "bad_verdict", "{\"version\":\"1.0.0\",\"host\":\"X\",\"verdict\":\"maybe\","
			"\"exit_code\":0}" },
	};
	static const char *const addrs[] = {
		"198.19.0.1", "2001:2::1", "[2001:2::1]", "fe80::1%3", "[fe80::1%12]",
		"::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "1::", "::1", "0.0.0.0", "255.255.255.255",
		"vpn.example.com", "vpn.example.com.", "a-b.c", "1.2.3", "01.2.3.4", "1.2.3.256",
		"::", "ff02::1", "1:2:3:4:5:6:1.2.3.4", ":::", "1::2::3", "2001:db8:0:0:1:0:0:1",
		"fe80::1%4294967295", "fe80::1%4294967296", "-bad.example", "[::1",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk.example",
	};
	char dir[64];
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(json) / sizeof(json[0]); i++) {
		put_str("json", json[i][0], json[i][1]);
		if (i < 3 || i >= sizeof(json) / sizeof(json[0]) - 2)
			put_str("fleet", json[i][0], json[i][1]);
	}
	/* 32 levels: the limit; 33: one too many */
	memset(buf, '[', 32);
	memset(buf + 32, ']', 32);
	put("json", "depth32", buf, 64);
	memset(buf, '[', 33);
	memset(buf + 33, ']', 33);
	put("json", "depth33", buf, 66);
	put_str("fleet", "time", "2026-11-24T11:39:21Z");
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		snprintf(dir, sizeof(dir), "a%02zu", i);
		put_str("addr", dir, addrs[i]);
	}
	ARGS("check", "check\0vpn.example.com");
	ARGS("check_many", "check\0a\0b\0--json");
	ARGS("fix_timeout", "fix\0" "198.19.0.1\0--timeout\0" "5000");
	ARGS("slash_timeout", "/timeout:5000\0check\0x");
	ARGS("set1", "set\0" "1");
	ARGS("set3", "set\0" "3");
	ARGS("revert", "revert");
	ARGS("json_quiet", "status\0--json\0--quiet");
	ARGS("report", "report\0C:\\logs\0--max-age=30");
	ARGS("auth", "--auth\0cert\0check\0x");
	ARGS("help", "/?");
	ARGS("version", "--version");
	ARGS("quiet", "-q\0status");
	ARGS("log", "--log\0C:\\logs\0check\0x\0--eventlog");
	ARGS("help_status", "help\0status");
	ARGS("empty_arg", "check\0\0x");
	ARGS("set_minus", "set\0-1");
	ARGS("missing_value", "check\0x\0--timeout");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 64;
	}
	root = argv[1];
	if (mkdir(root, 0755) != 0 && errno != EEXIST) {
		perror(root);
		return 1;
	}
	seeds_ike();
	seeds_mm();
	seeds_qm();
	seeds_natd();
	seeds_probe();
	seeds_text();
	printf("gen_seeds: %u files in %s\n", nfiles, root);
	return 0;
}
