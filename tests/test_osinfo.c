/* test_osinfo.c - the OS classification for every Windows version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "osinfo.h"

typedef struct os_case {
	uint32_t major, minor, build, sp;
	bool server, os64;
	os_class cls;
	const char *key;
	probe_profile profile;
	const char *name;
} os_case;

static const os_case cases[] = {
	{ 4, 0, 1381, 6, false, false, OSC_TOO_OLD, NULL, PROFILE_XP, "Windows NT" },
	{ 5, 0, 2195, 4, false, false, OSC_TOO_OLD, NULL, PROFILE_XP, "Windows 2000" },
	{ 5, 1, 2600, 0, false, false, OSC_TOO_OLD, NULL, PROFILE_XP, "Windows XP" },
	{ 5, 1, 2600, 1, false, false, OSC_TOO_OLD, NULL, PROFILE_XP, "Windows XP" },
	{ 5, 1, 2600, 2, false, false, OSC_XP, OS_KEY_XP, PROFILE_XP, "Windows XP" },
	{ 5, 1, 2600, 3, false, false, OSC_XP, OS_KEY_XP, PROFILE_XP, "Windows XP" },
	{ 5, 2, 3790, 2, false, true, OSC_XP, OS_KEY_XP, PROFILE_XP, "Windows XP x64" },
	{ 5, 2, 3790, 0, true, false, OSC_XP, OS_KEY_XP, PROFILE_XP, "Windows Server 2003" },
	{ 5, 2, 3790, 2, true, true, OSC_XP, OS_KEY_XP, PROFILE_XP, "Windows Server 2003" },
	{ 6, 0, 6002, 2, false, false, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_VISTA, "Windows Vista" },
	{ 6, 0, 6003, 2, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_SERVER2008, "Windows Server 2008" },
	{ 6, 1, 7601, 1, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_VISTA7, "Windows 7" },
	{ 6, 1, 7601, 1, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_VISTA7, "Windows Server 2008 R2" },
	{ 6, 2, 9200, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 8" },
	{ 6, 3, 9600, 0, false, false, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 8.1" },
	{ 6, 3, 9600, 0, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows Server 2012 R2" },
	{ 10, 0, 10240, 0, false, false, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 10" },
	{ 10, 0, 19045, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 10" },
	{ 10, 0, 21999, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 10" },
	{ 10, 0, 22000, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 11" },
	{ 10, 0, 26100, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows 11" },
	{ 10, 0, 14393, 0, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows Server 2016" },
	{ 10, 0, 17763, 0, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows Server 2019" },
	{ 10, 0, 20348, 0, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows Server 2022" },
	{ 10, 0, 26100, 0, true, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows Server 2025" },
	{ 11, 0, 30000, 0, false, true, OSC_VISTA_PLUS, OS_KEY_VISTA, PROFILE_WIN8PLUS, "Windows (newer than 11)" },
};

static void test_os_classify_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const os_case *c = &cases[i];
		plat_os os = { 0 };
		os_info info;

		os.major = c->major, os.minor = c->minor, os.build = c->build;
		os.sp_major = c->sp, os.server = c->server, os.os64 = c->os64;
		os_classify(&os, &info);
		print_message("case %zu: %u.%u.%u SP%u\n", i, c->major, c->minor, c->build, c->sp);
		assert_int_equal(info.cls, c->cls);
		assert_int_equal(info.profile, c->profile);
		assert_string_equal(info.name, c->name);
		if (c->key)
			assert_string_equal(info.policy_key, c->key);
		else
			assert_null(info.policy_key);
	}
}

static void test_os_classify_keys_exact(void **state)
{
	(void)state;
	assert_string_equal(OS_KEY_XP, "SYSTEM\\CurrentControlSet\\Services\\IPSec");
	assert_string_equal(OS_KEY_VISTA, "SYSTEM\\CurrentControlSet\\Services\\PolicyAgent");
	assert_string_equal(OS_VALUE_NAME, "AssumeUDPEncapsulationContextOnSendRule");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os_classify_table),
		cmocka_unit_test(test_os_classify_keys_exact),
	};
	return cmocka_run_group_tests_name("osinfo", tests, NULL, NULL);
}
