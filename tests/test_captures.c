/* test_captures.c - real strongSwan charon messages 2 and 4 from the lab:
 * they parse, carry the NAT-T the profile asked for, and their NAT-D hashes
 * give exactly the lab's NAT topology through natd_compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "fixtures_real.h"
#include "ike.h"
#include "natd.h"

static plat_addr mkaddr(const char *ip, uint16_t port)
{
	plat_addr a;
	const char *why = NULL;

	assert_int_equal(addr_parse(ip, &a, &why), ADDR_LITERAL);
	a.port = port;
	return a;
}

static void test_real_mm2_mm4_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(real_captures) / sizeof(real_captures[0]); i++) {
		const real_capture *c = &real_captures[i];
		bool xp = strcmp(c->os, "xp") == 0;
		ike_msg m2, m4;

		print_message("%s\n", c->name);
		assert_int_equal(ike_parse(c->mm2, c->mm2_len, &m2), IKE_OK);
		assert_true(m2.have_sa);
		assert_int_equal(m2.hdr.exchange, 2); /* identity protection */
		if (xp) {
			assert_true(m2.vids & IKE_VID_DRAFT02N);
			assert_int_equal(m2.transform.cipher, 5); /* 3DES */
		} else {
			assert_true(m2.vids & IKE_VID_RFC3947);
		}
		assert_int_equal(m2.transform.group,
			strstr(c->name, "ecp-first") && !xp ? 20 : 14);
		assert_int_equal(ike_parse(c->mm4, c->mm4_len, &m4), IKE_OK);
		assert_true(m4.have_ke);
		assert_true(m4.natd_count >= 2);
		assert_int_equal(m4.natd_type, xp ? IKE_PL_NATD_DRAFT : IKE_PL_NATD);
		assert_memory_equal(m4.hdr.icookie, m2.hdr.icookie, 8);
		assert_memory_equal(m4.hdr.rcookie, m2.hdr.rcookie, 8);
	}
}

static void test_real_mm4_natd_facts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(real_captures) / sizeof(real_captures[0]); i++) {
		const real_capture *c = &real_captures[i];
		bool want_srv = strstr(c->name, "server-nat") || strstr(c->name, "both-nat");
		bool want_cli = strstr(c->name, "client-nat") || strstr(c->name, "both-nat");
		plat_addr local = mkaddr(c->client, c->client_port);
		plat_addr server = mkaddr(c->server, c->server_port);
		plat_addr wrong = local;
		probe_tri cli, srv;
		ike_msg m2, m4;

		print_message("%s\n", c->name);
		assert_int_equal(ike_parse(c->mm2, c->mm2_len, &m2), IKE_OK);
		assert_int_equal(ike_parse(c->mm4, c->mm4_len, &m4), IKE_OK);
		assert_int_equal(natd_compare(m2.transform.hash, m2.hdr.icookie, m2.hdr.rcookie, &m4,
			&local, &server, &cli, &srv), PLAT_OK);
		assert_int_equal(srv, want_srv ? TRI_TRUE : TRI_FALSE);
		assert_int_equal(cli, want_cli ? TRI_TRUE : TRI_FALSE);
		/* A different local port must read as client NAT: the hash covers it. */
		wrong.port = (uint16_t)(local.port + 1);
		assert_int_equal(natd_compare(m2.transform.hash, m2.hdr.icookie, m2.hdr.rcookie, &m4,
			&wrong, &server, &cli, &srv), PLAT_OK);
		assert_int_equal(cli, TRI_TRUE);
	}
}

/* Every truncation and single-bit flip of the real messages: a clean result,
 * never a crash (ASan/UBSan build checks the reads). */
static void test_real_mutations(void **state)
{
	size_t i, len, k;
	int bit;

	(void)state;
	for (i = 0; i < sizeof(real_captures) / sizeof(real_captures[0]); i++) {
		const uint8_t *src[2] = { real_captures[i].mm2, real_captures[i].mm4 };
		size_t lens[2] = { real_captures[i].mm2_len, real_captures[i].mm4_len };
		for (k = 0; k < 2; k++) {
			uint8_t *buf = malloc(lens[k]);
			ike_msg m;
			for (len = 0; len <= lens[k]; len++) {
				memcpy(buf, src[k], len);
				(void)ike_parse(buf, len, &m);
			}
			for (len = 0; len < lens[k]; len++) {
				for (bit = 0; bit < 8; bit++) {
					memcpy(buf, src[k], lens[k]);
					buf[len] ^= (uint8_t)(1u << bit);
					if (ike_parse(buf, lens[k], &m) == IKE_OK)
						assert_true(m.natd_count <= IKE_NATD_MAX);
				}
			}
			free(buf);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_mm2_mm4_parse),
		cmocka_unit_test(test_real_mm4_natd_facts),
		cmocka_unit_test(test_real_mutations),
	};
	return cmocka_run_group_tests_name("captures", tests, NULL, NULL);
}
