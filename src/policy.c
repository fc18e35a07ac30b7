/* policy.c - reads, interprets and changes AssumeUDPEncapsulationContextOnSendRule,
 * keeping the state before the tool's first change in HKLM\SOFTWARE\nattcheck. */
#include "policy.h"

#include <stdio.h>
#include <string.h>


#define SAVE_PRESENT "SavedPresent"
#define SAVE_TYPE "SavedType"
#define SAVE_DATA "SavedData"
#define SAVE_KEY "SavedKey"
#define CHANGED_AT "ChangedAt"
#define LOCK_WAIT_MS 10000

static const char *reg_type_name(uint32_t t)
{
	switch (t) {
	case REG_T_NONE: return "REG_NONE";
	case REG_T_SZ: return "REG_SZ";
	case REG_T_EXPAND_SZ: return "REG_EXPAND_SZ";
	case REG_T_BINARY: return "REG_BINARY";
	case REG_T_DWORD: return "REG_DWORD";
	case REG_T_DWORD_BE: return "REG_DWORD_BIG_ENDIAN";
	case REG_T_MULTI_SZ: return "REG_MULTI_SZ";
	case REG_T_QWORD: return "REG_QWORD";
	default: return "an unknown type";
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

void policy_interpret(const plat_reg_value *v, policy *out)
{
	out->has_number = false;
	out->value = 0;
	out->invalid_why[0] = '\0';
	if (!v->present) {
		out->state = POLICY_ABSENT;
		return;
	}
	if (v->type != REG_T_DWORD) {
		out->state = POLICY_INVALID;
		snprintf(out->invalid_why, sizeof(out->invalid_why),
			"it is %s, not REG_DWORD; Windows ignores it", reg_type_name(v->type));
		return;
	}
	if (v->size != 4) {
		out->state = POLICY_INVALID;
		snprintf(out->invalid_why, sizeof(out->invalid_why),
			"it is a REG_DWORD of %lu bytes, not 4", (unsigned long)v->size);
		return;
	}
	out->has_number = true;
	out->value = le32(v->data);
	if (out->value <= 2) {
		out->state = POLICY_VALID;
		return;
	}
	out->state = POLICY_INVALID;
	snprintf(out->invalid_why, sizeof(out->invalid_why),
		"%lu is not one of 0, 1, 2", (unsigned long)out->value);
}

const char *policy_meaning(const policy *p)
{
	if (!p->key)
		return "this Windows has no such setting: NAT-T needs XP SP2 or later (or KB 818043)";
	switch (p->state) {
	case POLICY_ABSENT:
		return "not set (same as 0): no IPsec NAT-T with a server behind NAT";
	case POLICY_INVALID:
		return "not a valid setting; Windows treats it as 0";
	case POLICY_VALID:
		break;
	}
	switch (p->value) {
	case 0: return "0: no IPsec NAT-T with a server behind NAT (the default)";
	case 1: return "1: a server behind NAT is allowed";
	default: return "2: server and client both behind NAT are allowed";
	}
}

const char *policy_state_name(policy_state s)
{
	return s == POLICY_ABSENT ? "absent" : s == POLICY_VALID ? "valid" : "invalid";
}

const char *policy_svc_name(plat_svc_state s)
{
	switch (s) {
	case PLAT_SVC_RUNNING: return "running";
	case PLAT_SVC_STOPPED: return "stopped";
	case PLAT_SVC_DISABLED: return "disabled";
	case PLAT_SVC_NOT_FOUND: return "not found";
	default: return "unknown";
	}
}

/* A restart is pending only when nattcheck itself changed the value after
 * the last boot (its ChangedAt record).  A key written since boot by anyone
 * else (Group Policy Preferences rewrite it at every refresh, often with
 * the same value) is only noted. */
static void policy_reboot_pending(const os_info *os, policy *p)
{
	uint64_t boot, kt;
	plat_reg_value ch;

	p->reboot_pending = false;
	p->key_written_after_boot = false;
	if (!os->policy_key || plat_boot_time(&boot) != PLAT_OK)
		return;
	if (plat_reg_get(POLICY_SAVE_KEY, CHANGED_AT, &ch) == PLAT_OK && ch.present &&
	    ch.type == REG_T_BINARY && ch.size == 8 && le64(ch.data) > boot) {
		p->reboot_pending = true;
		return;
	}
	if (plat_reg_key_time(os->policy_key, &kt) == PLAT_OK && kt > boot)
		p->key_written_after_boot = true;
}

bool policy_read(const os_info *os, policy *out, strbuf *err)
{
	plat_reg_value v;

	memset(out, 0, sizeof(*out));
	out->key = os->policy_key;
	out->prohibit_ipsec = -1;
	if (os->policy_key) {
		if (plat_reg_get(os->policy_key, OS_VALUE_NAME, &v) != PLAT_OK) {
			sb_addf(err, "cannot read HKLM\\%s\\%s: %s", os->policy_key, OS_VALUE_NAME,
				plat_strerror());
			return false;
		}
		policy_interpret(&v, out);
		policy_reboot_pending(os, out);
	}
	if (plat_reg_get(RASMAN_KEY, "ProhibitIpSec", &v) == PLAT_OK && v.present &&
	    v.type == REG_T_DWORD && v.size == 4)
		out->prohibit_ipsec = (int)(le32(v.data) & 0x7fffffff);
	out->svc_policyagent = plat_svc_state_get("PolicyAgent");
	out->svc_ikeext = os->cls == OSC_VISTA_PLUS ? plat_svc_state_get("IKEEXT") : PLAT_SVC_NOT_FOUND;
	out->svc_rasman = plat_svc_state_get("RasMan");
	return true;
}

/* ---- changing it ---------------------------------------------------------- */

typedef struct saved_state {
	bool exists;       /* a saved state is there */
	bool present;      /* the value existed before the first change */
	uint32_t type;
	uint32_t size;
	uint8_t data[PLAT_REG_DATA_MAX];
} saved_state;

static void describe_raw(strbuf *sb, bool present, uint32_t type, const uint8_t *data, uint32_t size)
{
	if (!present)
		sb_add(sb, "absent");
	else if (type == REG_T_DWORD && size == 4)
		sb_addf(sb, "%lu", (unsigned long)le32(data));
	else
		sb_addf(sb, "a %s of %lu bytes", reg_type_name(type), (unsigned long)size);
}

/* Says in err (unless NULL) what failed, with plat_strerror: call it right
 * after the failing call. */
static policy_rc fail_sys(strbuf *err, plat_status st, const char *what, const char *key,
	const char *name)
{
	if (err != NULL)
		sb_addf(err, "cannot %s HKLM\\%s%s%s: %s", what, key, name ? "\\" : "",
			name ? name : "", plat_strerror());
	return st == PLAT_EACCES ? POLICY_RC_DENIED : POLICY_RC_FAILED;
}

/* Reads the saved state; false (with err) when it is there but corrupt. */
static bool saved_read(saved_state *s, strbuf *err)
{
	plat_reg_value p, t, d;

	memset(s, 0, sizeof(*s));
	if (plat_reg_get(POLICY_SAVE_KEY, SAVE_PRESENT, &p) != PLAT_OK) {
		sb_addf(err, "cannot read HKLM\\%s: %s", POLICY_SAVE_KEY, plat_strerror());
		return false;
	}
	if (!p.present)
		return true;
	if (p.type != REG_T_DWORD || p.size != 4 || le32(p.data) > 1)
		goto corrupt;
	s->exists = true;
	s->present = le32(p.data) == 1;
	if (!s->present)
		return true;
	if (plat_reg_get(POLICY_SAVE_KEY, SAVE_TYPE, &t) != PLAT_OK ||
	    plat_reg_get(POLICY_SAVE_KEY, SAVE_DATA, &d) != PLAT_OK)
		goto corrupt;
	if (!t.present || t.type != REG_T_DWORD || t.size != 4 || !d.present ||
	    d.type != REG_T_BINARY || d.size > PLAT_REG_DATA_MAX)
		goto corrupt;
	s->type = le32(t.data);
	s->size = d.size;
	memcpy(s->data, d.data, d.size);
	return true;
corrupt:
	sb_addf(err, "the saved state in HKLM\\%s is damaged; nothing was changed "
		"(delete that key to start afresh)", POLICY_SAVE_KEY);
	return false;
}

/* Saves the current state of the value; SavedPresent goes last so a
 * half-written save never looks complete. */
static policy_rc saved_write(const os_info *os, const plat_reg_value *cur, strbuf *err)
{
	uint8_t buf[4];
	plat_status st;

	if (cur->present && cur->size > PLAT_REG_DATA_MAX) {
		sb_addf(err, "HKLM\\%s\\%s holds %lu bytes, too many to save; not changing it",
			os->policy_key, OS_VALUE_NAME, (unsigned long)cur->size);
		return POLICY_RC_FAILED;
	}
	st = plat_reg_set(POLICY_SAVE_KEY, SAVE_KEY, REG_T_SZ, os->policy_key,
		(uint32_t)strlen(os->policy_key) + 1);
	if (st == PLAT_OK && cur->present) {
		put_le32(buf, cur->type);
		st = plat_reg_set(POLICY_SAVE_KEY, SAVE_TYPE, REG_T_DWORD, buf, 4);
		if (st == PLAT_OK)
			st = plat_reg_set(POLICY_SAVE_KEY, SAVE_DATA, REG_T_BINARY, cur->data, cur->size);
	}
	if (st == PLAT_OK) {
		put_le32(buf, cur->present ? 1 : 0);
		st = plat_reg_set(POLICY_SAVE_KEY, SAVE_PRESENT, REG_T_DWORD, buf, 4);
	}
	if (st != PLAT_OK)
		return fail_sys(err, st, "save the current state to", POLICY_SAVE_KEY, NULL);
	return POLICY_RC_OK;
}

/* SavedPresent first: once it is gone the rest is just leftovers. */
static const char *const saved_names[] = { SAVE_PRESENT, SAVE_TYPE, SAVE_DATA, SAVE_KEY };

/* Deletes every saved value, even after a failure.  The first failure is
 * the result, said in err (unless NULL) right when it happened: a later
 * delete's error would replace plat_strerror's words. */
static policy_rc saved_clear(strbuf *err)
{
	policy_rc rc = POLICY_RC_OK;
	plat_status r;
	size_t i;

	for (i = 0; i < sizeof(saved_names) / sizeof(saved_names[0]); i++) {
		r = plat_reg_delete(POLICY_SAVE_KEY, saved_names[i]);
		if (r != PLAT_OK && rc == POLICY_RC_OK)
			rc = fail_sys(err, r, "clear the saved state in", POLICY_SAVE_KEY, NULL);
	}
	return rc;
}

static void mark_changed(void)
{
	uint64_t now;
	uint8_t buf[8];

	if (plat_system_time(&now) != PLAT_OK)
		return;
	put_le32(buf, (uint32_t)now);
	put_le32(buf + 4, (uint32_t)(now >> 32));
	/* Best effort: it only sharpens reboot_pending. */
	(void)plat_reg_set(POLICY_SAVE_KEY, CHANGED_AT, REG_T_BINARY, buf, 8);
}

static policy_rc policy_begin(const os_info *os, strbuf *err)
{
	bool admin = false;

	if (!os->policy_key) {
		sb_addf(err, "%s has no AssumeUDPEncapsulationContextOnSendRule; "
			"NAT-T needs Windows XP SP2 or later (or KB 818043)", os->name);
		return POLICY_RC_FAILED;
	}
	if (plat_is_admin(&admin) != PLAT_OK || !admin) {
		sb_add(err, "changing the IPsec NAT-T policy needs administrator rights: "
			"run nattcheck from an elevated command prompt (Run as administrator); "
			"nothing was changed");
		return POLICY_RC_DENIED;
	}
	if (plat_lock(LOCK_WAIT_MS) != PLAT_OK) {
		sb_addf(err, "another nattcheck is changing the registry and did not finish "
			"within %d s; nothing was changed", LOCK_WAIT_MS / 1000);
		return POLICY_RC_FAILED;
	}
	return POLICY_RC_OK;
}

static policy_rc policy_set_locked(const os_info *os, uint32_t v, strbuf *out, strbuf *err)
{
	plat_reg_value cur, back;
	saved_state saved;
	uint8_t buf[4];
	plat_status st;
	policy_rc rc;

	if ((st = plat_reg_get(os->policy_key, OS_VALUE_NAME, &cur)) != PLAT_OK)
		return fail_sys(err, st, "read", os->policy_key, OS_VALUE_NAME);
	if (cur.present && cur.type == REG_T_DWORD && cur.size == 4 && le32(cur.data) == v) {
		sb_addf(out, "HKLM\\%s\\%s is already %lu; nothing changed.\n", os->policy_key,
			OS_VALUE_NAME, (unsigned long)v);
		return POLICY_RC_OK;
	}
	if (!saved_read(&saved, err))
		return POLICY_RC_FAILED;
	if (!saved.exists && (rc = saved_write(os, &cur, err)) != POLICY_RC_OK) {
		saved_clear(NULL);
		return rc;
	}
	put_le32(buf, v);
	if ((st = plat_reg_set(os->policy_key, OS_VALUE_NAME, REG_T_DWORD, buf, 4)) != PLAT_OK) {
		/* The write's own error first (plat_strerror), then leave no
		 * trace: a saved state made by this run goes again. */
		rc = fail_sys(err, st, "write", os->policy_key, OS_VALUE_NAME);
		if (!saved.exists)
			saved_clear(NULL);
		return rc;
	}
	mark_changed();
	if ((st = plat_reg_get(os->policy_key, OS_VALUE_NAME, &back)) != PLAT_OK)
		return fail_sys(err, st, "read back", os->policy_key, OS_VALUE_NAME);
	if (!back.present || back.type != REG_T_DWORD || back.size != 4 || le32(back.data) != v) {
		sb_addf(err, "wrote %lu to HKLM\\%s\\%s but read back something else",
			(unsigned long)v, os->policy_key, OS_VALUE_NAME);
		return POLICY_RC_FAILED;
	}
	sb_addf(out, "Set HKLM\\%s\\%s to %lu (was ", os->policy_key, OS_VALUE_NAME,
		(unsigned long)v);
	describe_raw(out, cur.present, cur.type, cur.data, cur.size);
	sb_add(out, ").\nRestart Windows for the change to take effect.\n");
	sb_add(out, "`nattcheck revert` restores the state before nattcheck's first change.\n");
	return POLICY_RC_OK;
}

policy_rc policy_set(const os_info *os, uint32_t v, strbuf *out, strbuf *err)
{
	policy_rc rc = policy_begin(os, err);

	if (rc != POLICY_RC_OK)
		return rc;
	rc = policy_set_locked(os, v, out, err);
	plat_unlock();
	return rc;
}

static bool same_as_saved(const plat_reg_value *v, const saved_state *s)
{
	if (!s->present)
		return !v->present;
	return v->present && v->type == s->type && v->size == s->size &&
	       memcmp(v->data, s->data, s->size) == 0;
}

static policy_rc policy_revert_locked(const os_info *os, strbuf *out, strbuf *err)
{
	saved_state saved;
	plat_reg_value cur, back;
	plat_status st;
	policy_rc rc;

	if (!saved_read(&saved, err))
		return POLICY_RC_FAILED;
	if (!saved.exists) {
		sb_add(out, "Nothing to revert: nattcheck has not changed this machine "
			"(no saved state). Nothing changed.\n");
		return POLICY_RC_OK;
	}
	if ((st = plat_reg_get(os->policy_key, OS_VALUE_NAME, &cur)) != PLAT_OK)
		return fail_sys(err, st, "read", os->policy_key, OS_VALUE_NAME);
	if (saved.present)
		st = plat_reg_set(os->policy_key, OS_VALUE_NAME, saved.type, saved.data, saved.size);
	else
		st = plat_reg_delete(os->policy_key, OS_VALUE_NAME);
	if (st != PLAT_OK)
		return fail_sys(err, st, saved.present ? "restore" : "delete", os->policy_key,
			OS_VALUE_NAME);
	if ((st = plat_reg_get(os->policy_key, OS_VALUE_NAME, &back)) != PLAT_OK)
		return fail_sys(err, st, "read back", os->policy_key, OS_VALUE_NAME);
	if (!same_as_saved(&back, &saved)) {
		sb_addf(err, "restored HKLM\\%s\\%s but read back something else; the saved "
			"state is kept", os->policy_key, OS_VALUE_NAME);
		return POLICY_RC_FAILED;
	}
	if ((rc = saved_clear(err)) != POLICY_RC_OK)
		return rc;
	if (!same_as_saved(&cur, &saved))
		mark_changed();
	sb_addf(out, "Restored HKLM\\%s\\%s to ", os->policy_key, OS_VALUE_NAME);
	describe_raw(out, saved.present, saved.type, saved.data, saved.size);
	sb_add(out, " (was ");
	describe_raw(out, cur.present, cur.type, cur.data, cur.size);
	sb_add(out, ").\n");
	if (!same_as_saved(&cur, &saved))
		sb_add(out, "Restart Windows for the change to take effect.\n");
	return POLICY_RC_OK;
}

policy_rc policy_revert(const os_info *os, strbuf *out, strbuf *err)
{
	policy_rc rc = policy_begin(os, err);

	if (rc != POLICY_RC_OK)
		return rc;
	rc = policy_revert_locked(os, out, err);
	plat_unlock();
	return rc;
}
