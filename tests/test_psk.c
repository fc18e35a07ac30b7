/* test_psk.c - the pre-shared key: from a file, standard input or the
 * environment; every bad key is an error that names the source and never
 * shows the key; the key is wiped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fake_platform.h"
#include "psk.h"

#define SECRET "s3cr3t-Ü-key"

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void test_psk_sources(void **state)
{
	psk k;
	strbuf err;

	(void)state;
	sb_init(&err);
	fake_file_put("C:\\keys", "vpn.txt", "\xEF\xBB\xBF" SECRET "\r\n# comment\r\n", 30);
	assert_true(psk_read(PSK_FROM_FILE, "C:\\keys\\vpn.txt", &k, &err));
	assert_int_equal(k.len, strlen(SECRET));
	assert_memory_equal(k.key, SECRET, strlen(SECRET));
	assert_int_equal(k.from, PSK_FROM_FILE);
	psk_wipe(&k);
	assert_int_equal(k.len, 0);
	for (size_t i = 0; i < sizeof(k.key); i++)
		assert_int_equal(k.key[i], 0);
	fake_stdin(SECRET "\n", strlen(SECRET) + 1);
	assert_true(psk_read(PSK_FROM_STDIN, NULL, &k, &err));
	assert_memory_equal(k.key, SECRET, strlen(SECRET));
	fake_env_psk(SECRET, strlen(SECRET));
	assert_true(psk_read(PSK_FROM_ENV, NULL, &k, &err));
	assert_int_equal(k.len, strlen(SECRET));
	psk_wipe(&k);
	assert_int_equal(err.len, 0);
	sb_free(&err);
}

/* Each bad key: false, a message naming the source and the fault, never
 * the key's bytes, and nothing kept. */
static void test_psk_bad_keys_never_shown(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *named;
	} bad[] = {
		{ "", 0, "is empty" },
		{ "\r\n" SECRET, 2 + sizeof(SECRET) - 1, "is empty" },
		{ SECRET "\0x", sizeof(SECRET) + 1, "NUL byte" },
		{ SECRET "\xff", sizeof(SECRET), "not UTF-8" },
		{ SECRET "\xc3", sizeof(SECRET), "not UTF-8" },
	};
	char longkey[300];
	psk k;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf err;

		sb_init(&err);
		fake_file_put("C:\\k", "bad.txt", bad[i].data, bad[i].len);
		assert_false(psk_read(PSK_FROM_FILE, "C:\\k\\bad.txt", &k, &err));
		assert_non_null(strstr(sb_str(&err), "the key file C:\\k\\bad.txt"));
		assert_non_null(strstr(sb_str(&err), bad[i].named));
		assert_null(strstr(sb_str(&err), "s3cr3t"));
		assert_int_equal(k.len, 0);
		sb_reset(&err);
		fake_env_psk(bad[i].data, bad[i].len);
		assert_false(psk_read(PSK_FROM_ENV, NULL, &k, &err));
		assert_non_null(strstr(sb_str(&err), "NATTCHECK_PSK"));
		assert_null(strstr(sb_str(&err), "s3cr3t"));
		sb_free(&err);
	}
	memset(longkey, 'a', sizeof(longkey));
	{
		strbuf err;
		sb_init(&err);
		fake_env_psk(longkey, 257);
		assert_false(psk_read(PSK_FROM_ENV, NULL, &k, &err));
		assert_non_null(strstr(sb_str(&err), "longer than 256 characters"));
		fake_env_psk(longkey, 256);
		assert_true(psk_read(PSK_FROM_ENV, NULL, &k, &err));
		psk_wipe(&k);
		sb_reset(&err);
		/* Missing sources. */
		fake_env_psk(NULL, 0);
		assert_false(psk_read(PSK_FROM_ENV, NULL, &k, &err));
		assert_non_null(strstr(sb_str(&err), "NATTCHECK_PSK is not set"));
		sb_reset(&err);
		assert_false(psk_read(PSK_FROM_FILE, "C:\\nope\\key.txt", &k, &err));
		assert_non_null(strstr(sb_str(&err), "cannot read the key file C:\\nope\\key.txt"));
		sb_reset(&err);
		assert_false(psk_read(PSK_FROM_STDIN, NULL, &k, &err));
		assert_non_null(strstr(sb_str(&err), "cannot read the key on standard input"));
		sb_free(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_psk_sources, setup),
		cmocka_unit_test_setup(test_psk_bad_keys_never_shown, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
