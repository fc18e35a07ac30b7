/* policy.h - the AssumeUDPEncapsulationContextOnSendRule value: reading it,
 * what it means, whether a restart is pending, and changing it with the
 * prior state saved so that `revert` can restore it exactly. */
#ifndef NATTCHECK_POLICY_H
#define NATTCHECK_POLICY_H

#include "osinfo.h"
#include "platform.h"
#include "strbuf.h"

/* The tool's own key: the state before its first change. */
#define POLICY_SAVE_KEY "SOFTWARE\\nattcheck"
#define RASMAN_KEY "SYSTEM\\CurrentControlSet\\Services\\RasMan\\Parameters"

typedef enum policy_state { POLICY_ABSENT = 0, POLICY_VALID, POLICY_INVALID } policy_state;

typedef struct policy {
	const char *key;          /* below HKLM, NULL when the OS has no value */
	policy_state state;
	bool has_number;          /* a REG_DWORD of the right size: value below */
	uint32_t value;
	char invalid_why[96];     /* for POLICY_INVALID */
	/* Only nattcheck's own record (ChangedAt) counts: Group Policy
	 * Preferences rewrite the value at every refresh, and "written after
	 * boot" alone would then say "restart" forever. */
	bool reboot_pending;
	/* The key was written after the last boot, and not by a change that
	 * nattcheck recorded: a note, never a verdict. */
	bool key_written_after_boot;
	int prohibit_ipsec;       /* -1 unknown/absent, else the DWORD */
	plat_svc_state svc_policyagent, svc_ikeext, svc_rasman;
} policy;

/* Pure: what a raw registry value means. */
void policy_interpret(const plat_reg_value *v, policy *out);
/* Plain words for the value state, e.g. "1: servers behind NAT allowed". */
const char *policy_meaning(const policy *p);
const char *policy_state_name(policy_state s);
const char *policy_svc_name(plat_svc_state s);

/* Reads everything `status` shows.  Returns false with a message in err
 * when the registry cannot be read. */
bool policy_read(const os_info *os, policy *out, strbuf *err);

typedef enum policy_rc {
	POLICY_RC_OK = 0,
	POLICY_RC_DENIED,     /* not an administrator, or access denied */
	POLICY_RC_FAILED,     /* a system error; nothing or the old state left */
} policy_rc;

/* Sets the value to v (0..2) as a REG_DWORD, saving the prior state first
 * unless a saved state exists already; verifies by reading back.  out gets
 * the human message (what changed, that a restart is needed). */
policy_rc policy_set(const os_info *os, uint32_t v, strbuf *out, strbuf *err);
/* Restores the saved state, verifies, clears it. */
policy_rc policy_revert(const os_info *os, strbuf *out, strbuf *err);
#endif
