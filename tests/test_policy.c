/* test_policy.c - value interpretation, set/revert with the saved state,
 * rights, failures and reboot_pending, against the fake registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fake_platform.h"
#include "policy.h"

#define VAL OS_VALUE_NAME

static os_info os10;

static int setup(void **state)
{
	plat_os os;

	(void)state;
	fake_reset();
	plat_os_get(&os);
	os_classify(&os, &os10);
	return 0;
}

static plat_reg_value raw(uint32_t type, const void *data, uint32_t size)
{
	plat_reg_value v;

	memset(&v, 0, sizeof(v));
	v.present = true;
	v.type = type;
	v.size = size;
	memcpy(v.data, data, size);
	return v;
}

static void test_policy_interpret_states(void **state)
{
	static const uint8_t d0[4] = { 0 }, d1[4] = { 1 }, d2[4] = { 2 }, d3[4] = { 3 };
	static const uint8_t big[4] = { 0, 0, 0, 0x80 };
	plat_reg_value v;
	policy p;

	(void)state;
	memset(&v, 0, sizeof(v));
	policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_ABSENT);
	assert_false(p.has_number);
	v = raw(4, d0, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_VALID), assert_int_equal(p.value, 0);
	v = raw(4, d1, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_VALID), assert_int_equal(p.value, 1);
	v = raw(4, d2, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_VALID), assert_int_equal(p.value, 2);
	v = raw(4, d3, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID), assert_true(p.has_number);
	assert_int_equal(p.value, 3);
	v = raw(4, big, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID), assert_int_equal(p.value, 0x80000000u);
	v = raw(1, "2\0\0", 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID), assert_false(p.has_number);
	assert_non_null(strstr(p.invalid_why, "REG_SZ"));
	v = raw(4, d2, 2), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID);
	assert_non_null(strstr(p.invalid_why, "2 bytes"));
	v = raw(11, "\2\0\0\0\0\0\0\0", 8), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID);
	assert_non_null(strstr(p.invalid_why, "REG_QWORD"));
	v = raw(3, d1, 4), policy_interpret(&v, &p);
	assert_int_equal(p.state, POLICY_INVALID);
}

static void test_policy_meaning_words(void **state)
{
	policy p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.key = OS_KEY_VISTA;
	p.state = POLICY_VALID;
	p.value = 1;
	assert_non_null(strstr(policy_meaning(&p), "server behind NAT is allowed"));
	p.value = 2;
	assert_non_null(strstr(policy_meaning(&p), "both behind NAT"));
	p.state = POLICY_ABSENT;
	assert_non_null(strstr(policy_meaning(&p), "not set"));
	p.key = NULL;
	assert_non_null(strstr(policy_meaning(&p), "SP2"));
}

static uint32_t reg_dword(const char *key, const char *name, bool *present)
{
	plat_reg_value v;

	*present = fake_reg_lookup(key, name, &v);
	return *present ? (uint32_t)v.data[0] | (uint32_t)v.data[1] << 8 : 0;
}

static policy_rc do_set(uint32_t v)
{
	strbuf out, err;
	policy_rc rc;

	sb_init(&out), sb_init(&err);
	rc = policy_set(&os10, v, &out, &err);
	sb_free(&out), sb_free(&err);
	return rc;
}

static policy_rc do_revert(void)
{
	strbuf out, err;
	policy_rc rc;

	sb_init(&out), sb_init(&err);
	rc = policy_revert(&os10, &out, &err);
	sb_free(&out), sb_free(&err);
	return rc;
}

static void test_policy_set_from_absent_and_revert(void **state)
{
	strbuf before, after;
	bool present;

	(void)state;
	sb_init(&before), sb_init(&after);
	fake_reg_dump(&before);
	assert_int_equal(do_set(2), POLICY_RC_OK);
	assert_int_equal(reg_dword(OS_KEY_VISTA, VAL, &present), 2);
	assert_true(present);
	/* Only the Vista+ key: nothing under the XP key. */
	reg_dword(OS_KEY_XP, VAL, &present);
	assert_false(present);
	assert_int_equal(reg_dword(POLICY_SAVE_KEY, "SavedPresent", &present), 0);
	assert_true(present);
	assert_int_equal(do_revert(), POLICY_RC_OK);
	reg_dword(OS_KEY_VISTA, VAL, &present);
	assert_false(present);
	reg_dword(POLICY_SAVE_KEY, "SavedPresent", &present);
	assert_false(present);
	sb_free(&before), sb_free(&after);
}

static void test_policy_set_keeps_first_saved_state(void **state)
{
	bool present;

	(void)state;
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 2);
	assert_int_equal(do_set(1), POLICY_RC_OK);
	assert_int_equal(reg_dword(OS_KEY_VISTA, VAL, &present), 1);
	assert_int_equal(do_set(0), POLICY_RC_OK);
	assert_int_equal(reg_dword(OS_KEY_VISTA, VAL, &present), 0);
	assert_int_equal(do_revert(), POLICY_RC_OK);
	assert_int_equal(reg_dword(OS_KEY_VISTA, VAL, &present), 2);
	assert_true(present);
}

static void test_policy_revert_restores_reg_sz_exactly(void **state)
{
	plat_reg_value v;

	(void)state;
	fake_reg_put(OS_KEY_VISTA, VAL, 1, "1\0\0", 4);
	assert_int_equal(do_set(2), POLICY_RC_OK);
	assert_true(fake_reg_lookup(OS_KEY_VISTA, VAL, &v));
	assert_int_equal(v.type, 4);
	assert_int_equal(do_revert(), POLICY_RC_OK);
	assert_true(fake_reg_lookup(OS_KEY_VISTA, VAL, &v));
	assert_int_equal(v.type, 1);
	assert_int_equal(v.size, 4);
	assert_memory_equal(v.data, "1\0\0", 4);
}

static void test_policy_set_same_value_writes_nothing(void **state)
{
	(void)state;
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 1);
	assert_int_equal(do_set(1), POLICY_RC_OK);
	assert_int_equal(fake_reg_writes(), 0);
}

static void test_policy_non_admin_changes_nothing(void **state)
{
	strbuf before, after, out, err;

	(void)state;
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 1);
	fake_set_admin(false);
	sb_init(&before), sb_init(&after), sb_init(&out), sb_init(&err);
	fake_reg_dump(&before);
	assert_int_equal(policy_set(&os10, 2, &out, &err), POLICY_RC_DENIED);
	assert_non_null(strstr(sb_str(&err), "administrator"));
	assert_int_equal(policy_revert(&os10, &out, &err), POLICY_RC_DENIED);
	assert_int_equal(fake_reg_writes(), 0);
	fake_reg_dump(&after);
	assert_string_equal(sb_str(&before), sb_str(&after));
	sb_free(&before), sb_free(&after), sb_free(&out), sb_free(&err);
}

static void test_policy_access_denied_on_write(void **state)
{
	strbuf before, after, out, err;

	(void)state;
	sb_init(&before), sb_init(&after), sb_init(&out), sb_init(&err);
	fake_reg_dump(&before);
	fake_reg_fail_writes(PLAT_EACCES);
	assert_int_equal(policy_set(&os10, 2, &out, &err), POLICY_RC_DENIED);
	assert_non_null(strstr(sb_str(&err), "HKLM\\"));
	fake_reg_fail_writes(PLAT_OK);
	fake_reg_dump(&after);
	assert_string_equal(sb_str(&before), sb_str(&after));
	sb_free(&before), sb_free(&after), sb_free(&out), sb_free(&err);
}

/* The value write fails after the state was saved: the saved state made by
 * this run is removed again, so nothing changed. */
static void test_policy_value_write_failure_leaves_no_trace(void **state)
{
	strbuf before, after, out, err;

	(void)state;
	sb_init(&before), sb_init(&after), sb_init(&out), sb_init(&err);
	fake_reg_dump(&before);
	fake_reg_fail_nth_write(3); /* SavedKey, SavedPresent, then the value */
	assert_int_equal(policy_set(&os10, 2, &out, &err), POLICY_RC_FAILED);
	assert_non_null(strstr(sb_str(&err), OS_KEY_VISTA));
	fake_reg_dump(&after);
	assert_string_equal(sb_str(&before), sb_str(&after));
	sb_free(&before), sb_free(&after), sb_free(&out), sb_free(&err);
}

static void test_policy_revert_nothing_saved(void **state)
{
	strbuf out, err;

	(void)state;
	sb_init(&out), sb_init(&err);
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 2);
	assert_int_equal(policy_revert(&os10, &out, &err), POLICY_RC_OK);
	assert_non_null(strstr(sb_str(&out), "Nothing to revert"));
	assert_int_equal(fake_reg_writes(), 0);
	sb_free(&out), sb_free(&err);
}

static void test_policy_corrupt_saved_state(void **state)
{
	strbuf before, after, out, err;

	(void)state;
	sb_init(&before), sb_init(&after), sb_init(&out), sb_init(&err);
	fake_reg_put(POLICY_SAVE_KEY, "SavedPresent", 1, "yes", 4);
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 1);
	fake_reg_dump(&before);
	assert_int_equal(policy_set(&os10, 2, &out, &err), POLICY_RC_FAILED);
	assert_non_null(strstr(sb_str(&err), "damaged"));
	assert_int_equal(policy_revert(&os10, &out, &err), POLICY_RC_FAILED);
	/* Present = 1 but no data: damaged too. */
	fake_reg_put_dword(POLICY_SAVE_KEY, "SavedPresent", 1);
	assert_int_equal(policy_revert(&os10, &out, &err), POLICY_RC_FAILED);
	fake_reg_put(POLICY_SAVE_KEY, "SavedPresent", 1, "yes", 4);
	fake_reg_dump(&after);
	assert_string_equal(sb_str(&before), sb_str(&after));
	sb_free(&before), sb_free(&after), sb_free(&out), sb_free(&err);
}

static void test_policy_xp_uses_ipsec_key(void **state)
{
	plat_os os;
	os_info xp;
	strbuf out, err;
	bool present;

	(void)state;
	fake_set_os(5, 1, 2600, 3, false, false);
	plat_os_get(&os);
	os_classify(&os, &xp);
	sb_init(&out), sb_init(&err);
	assert_int_equal(policy_set(&xp, 1, &out, &err), POLICY_RC_OK);
	assert_int_equal(reg_dword(OS_KEY_XP, VAL, &present), 1);
	reg_dword(OS_KEY_VISTA, VAL, &present);
	assert_false(present);
	sb_free(&out), sb_free(&err);
}

static void test_policy_too_old_refuses(void **state)
{
	plat_os os;
	os_info old;
	strbuf out, err;

	(void)state;
	fake_set_os(5, 1, 2600, 1, false, false);
	plat_os_get(&os);
	os_classify(&os, &old);
	sb_init(&out), sb_init(&err);
	assert_int_equal(policy_set(&old, 1, &out, &err), POLICY_RC_FAILED);
	assert_non_null(strstr(sb_str(&err), "SP2"));
	assert_int_equal(fake_reg_writes(), 0);
	sb_free(&out), sb_free(&err);
}

static void test_policy_reboot_pending(void **state)
{
	const uint64_t boot = 133000000000000000ull, hour = 36000000000ull;
	strbuf err;
	policy p;

	(void)state;
	sb_init(&err);
	/* Value set before this boot: not pending. */
	fake_set_times(boot, boot - hour);
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 1);
	fake_set_times(boot, boot + hour);
	assert_true(policy_read(&os10, &p, &err));
	assert_false(p.reboot_pending);
	assert_false(p.key_written_after_boot);
	/* Rewritten after boot by something else (Group Policy Preferences do
	 * it at every refresh): not pending, only noted. */
	fake_reg_put_dword(OS_KEY_VISTA, VAL, 1);
	assert_true(policy_read(&os10, &p, &err));
	assert_false(p.reboot_pending);
	assert_true(p.key_written_after_boot);
	/* Changed by nattcheck after boot: pending. */
	assert_int_equal(do_set(2), POLICY_RC_OK);
	assert_true(policy_read(&os10, &p, &err));
	assert_true(p.reboot_pending);
	assert_false(p.key_written_after_boot);
	/* After a restart (boot later than the change): not pending. */
	fake_set_times(boot + 2 * hour, boot + 3 * hour);
	assert_true(policy_read(&os10, &p, &err));
	assert_false(p.reboot_pending);
	/* Reverted (to the 1 of before) after that boot: pending again. */
	assert_int_equal(do_revert(), POLICY_RC_OK);
	assert_true(policy_read(&os10, &p, &err));
	assert_int_equal(p.value, 1);
	assert_true(p.reboot_pending);
	/* Absent with no change by nattcheck since boot: not pending. */
	fake_reset();
	assert_true(policy_read(&os10, &p, &err));
	assert_int_equal(p.state, POLICY_ABSENT);
	assert_false(p.reboot_pending);
	sb_free(&err);
}

static void test_policy_read_prohibit_and_services(void **state)
{
	strbuf err;
	policy p;

	(void)state;
	sb_init(&err);
	fake_reg_put_dword(RASMAN_KEY, "ProhibitIpSec", 1);
	fake_set_svc("PolicyAgent", PLAT_SVC_RUNNING);
	fake_set_svc("IKEEXT", PLAT_SVC_DISABLED);
	assert_true(policy_read(&os10, &p, &err));
	assert_int_equal(p.prohibit_ipsec, 1);
	assert_int_equal(p.svc_policyagent, PLAT_SVC_RUNNING);
	assert_int_equal(p.svc_ikeext, PLAT_SVC_DISABLED);
	assert_int_equal(p.svc_rasman, PLAT_SVC_NOT_FOUND);
	assert_string_equal(policy_svc_name(p.svc_ikeext), "disabled");
	sb_free(&err);
}

#define T(f) cmocka_unit_test_setup(f, setup)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_policy_interpret_states),
		T(test_policy_meaning_words),
		T(test_policy_set_from_absent_and_revert),
		T(test_policy_set_keeps_first_saved_state),
		T(test_policy_revert_restores_reg_sz_exactly),
		T(test_policy_set_same_value_writes_nothing),
		T(test_policy_non_admin_changes_nothing),
		T(test_policy_access_denied_on_write),
		T(test_policy_value_write_failure_leaves_no_trace),
		T(test_policy_revert_nothing_saved),
		T(test_policy_corrupt_saved_state),
		T(test_policy_xp_uses_ipsec_key),
		T(test_policy_too_old_refuses),
		T(test_policy_reboot_pending),
		T(test_policy_read_prohibit_and_services),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
