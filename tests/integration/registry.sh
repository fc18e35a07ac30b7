#!/bin/bash
# registry.sh - the registry half (status / set / revert) of the real exe
# under Wine, in fresh prefixes for each Windows version: 64-bit prefixes
# (winxp64, win10: the i686 exe runs there as a WOW64 process) and, for the
# i686 exe, 32-bit prefixes that store the version as a real XP or 2000 does
# (xp32sp2, xp32sp3: supported, key Services\IPSec; xp32sp1, w2k32: no
# NAT-T before XP SP2, so no value to read or set).
# Usage: registry.sh ARCH WINVER...   (prints PASS/FAIL lines and a total)
set -u
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
. "$here/wine_common.sh"

arch=$1; shift
EXE=$(cd "$here/../.." && pwd)/build/$arch/nattcheck.exe
RUN=$(wine_pick_runner "$arch")
VAL=AssumeUDPEncapsulationContextOnSendRule
. "$here/lib.sh"
tag() { echo "$arch/${ver:--}"; }

# nc ARGS...: the exe (wine.sh's wine_exe: once more when Wine itself did
# not start it); sets OUT, ERR, RC
nc() { wine_exe "" "$P" "$NC_WORK/err" "$EXE" "$@"; }
regq() { # regq KEY -> the value's "TYPE DATA", or "absent"
	r=$(wreg "$P" reg query "$1" /v "$VAL" 2>/dev/null | tr -d '\r' | awk -v v="$VAL" '$1 == v { print $2, $3 }')
	[ -n "$r" ] && echo "$r" || echo absent
}
# regadd KEY TYPE DATA: written, and read back (Wine failing to start reg
# under load is retried; a value that does not read back fails loudly).
regadd() {
	local try want
	case $2 in REG_DWORD) want="$2 0x$(printf %x "$3")" ;; *) want="$2 $3" ;; esac
	for try in 1 2 3; do
		wreg "$P" reg add "$1" /v "$VAL" /t "$2" /d "$3" /f >/dev/null 2>&1
		[ "$(regq "$1")" = "$want" ] && return 0
	done
	ko "reg add $1 $VAL = $2 $3 did not read back"
	return 1
}
export_all() { # a dump of everything nattcheck could touch
	for k in 'HKLM\SYSTEM\CurrentControlSet\Services\IPSec' \
		'HKLM\SYSTEM\CurrentControlSet\Services\PolicyAgent' 'HKLM\SOFTWARE\nattcheck' \
		'HKLM\SOFTWARE\Wow6432Node\nattcheck'; do
		echo "== $k"
		wreg "$P" reg query "$k" /s 2>/dev/null | tr -d '\r'
	done
}
jqf() { printf '%s' "$OUT" | jq -r "$1" 2>/dev/null; }

if [ -z "$RUN" ]; then
	echo "SKIP [$arch] no Wine for $arch on this machine (wine32:i386 not installed)"
	echo "registry-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
[ -f "$EXE" ] || { echo "FAIL [$arch] $EXE missing"; exit 1; }

IPSEC='HKLM\SYSTEM\CurrentControlSet\Services\IPSec'
PAGENT='HKLM\SYSTEM\CurrentControlSet\Services\PolicyAgent'
# What status must report: name major.minor.build service-pack bits supported.
# Wine's winxp64 is XP x64 (5.2.3790 SP2); under WOW64 the i686 exe must
# still say 64-bit (IsWow64Process).
want_os() {
	case $1 in
	winxp64) echo "Windows XP x64 5.2.3790 2 64 true" ;;
	win10) echo "Windows 10 10.0.* 0 64 true" ;;
	xp32sp2) echo "Windows XP 5.1.2600 2 32 true" ;;
	xp32sp3) echo "Windows XP 5.1.2600 3 32 true" ;;
	xp32sp1) echo "Windows XP 5.1.2600 1 32 false" ;;
	w2k32) echo "Windows 2000 5.0.2195 4 32 false" ;;
	esac
}

# Windows 2000 and XP before SP2 have no NAT-T and so no value: status says
# so, set/revert/fix write nothing.
too_old() {
	P=$(wine_case "$ver" "$arch-$ver-old")
	before=$(export_all)
	nc --json status
	check "status exits 0: key null, supported false" [ "$RC $(jqf '(.policy.key|tostring) + " " + (.os.supported|tostring)')" = "0 null false" ]
	nc status
	check "status text says there is no such setting before XP SP2" sh -c 'printf "%s" "$1" | grep -q "no such setting: NAT-T needs XP SP2"' x "$OUT"
	for args in "set 1" "set 0" "revert"; do
		# shellcheck disable=SC2086
		nc $args
		check "'$args' -> 70, says NAT-T needs XP SP2" sh -c '[ "$1" = 70 ] && printf "%s" "$2" | grep -q "needs Windows XP SP2"' x "$RC" "$ERR"
	done
	check "set/revert wrote nothing (IPSec, PolicyAgent, SOFTWARE\\nattcheck)" [ "$before" = "$(export_all)" ]
	wine_end "$P"
}

for ver in "$@"; do
	case $ver in
	winxp*|xp32*) KEY=$IPSEC OTHER=$PAGENT ;;
	w2k32) KEY=- OTHER=- ;;
	*) KEY=$PAGENT OTHER=$IPSEC ;;
	esac

	# -- the OS as it reports itself (Wine reads a 32-bit prefix's version
	# from the values a real XP/2000 keeps)
	P=$(wine_case "$ver" "$arch-$ver-os")
	nc --json status
	got=$(jqf '[.os.name, "\(.os.major).\(.os.minor).\(.os.build)", .os.service_pack, .os.bits, .os.supported] | map(tostring) | join(" ")')
	# shellcheck disable=SC2254
	case $got in
	$(want_os "$ver")) ok "status --json: os $got" ;;
	*) ko "status --json: os $(want_os "$ver")" "got: $got" ;;
	esac
	wine_end "$P"
	if [ "$(want_os "$ver" | awk '{print $NF}')" = false ]; then
		too_old
		continue
	fi

	# -- a clean prefix: absent at the right key
	P=$(wine_case "$ver" "$arch-$ver-clean")
	nc --json status
	check "status on a clean prefix exits 0" [ "$RC" = 0 ]
	check "status --json: key is $KEY" [ "$(jqf .policy.key)" = "$KEY" ]
	check "status --json: state absent, value null" [ "$(jqf '.policy.state + " " + (.policy.value|tostring)')" = "absent null" ]
	check "status --json: version/host/os fields" [ "$(jqf '(.version|type) + (.host|type) + (.os.major|type) + (.os.build|type) + (.os.service_pack|type) + (.policy.reboot_pending|type)')" = "stringstringnumbernumbernumberboolean" ]
	nc status
	check "status text names the key" sh -c 'printf "%s" "$1" | grep -qF "$2"' x "$OUT" "$KEY"

	# -- set 2: only the right key changes; revert: absent again
	nc set 2
	check "set 2 exits 0" [ "$RC" = 0 ]
	check "set 2 says a restart is needed" sh -c 'printf "%s" "$1" | grep -qi restart' x "$OUT"
	check "set 2: reg query shows 0x2 at $KEY" [ "$(regq "$KEY")" = "REG_DWORD 0x2" ]
	check "set 2: nothing at the other key" [ "$(regq "$OTHER")" = "absent" ]
	# The saved state lives in the 64-bit view on 64-bit Windows, whichever
	# exe wrote it (KEY_WOW64_64KEY), and never below Wow6432Node.
	saved=$(wreg "$P" reg query 'HKLM\SOFTWARE\nattcheck' /v SavedPresent 2>/dev/null | tr -d '\r' | awk '$1 == "SavedPresent" { print $3 }')
	check "set 2: saved state in HKLM\\SOFTWARE\\nattcheck ($(wine_prefix_arch "$P") view), SavedPresent 0x0" [ "$saved" = 0x0 ]
	check "set 2: nothing in HKLM\\SOFTWARE\\Wow6432Node\\nattcheck" wine_view_guard "$P"
	nc --json status
	check "after set 2: status valid 2, reboot pending" [ "$(jqf '.policy.state + " " + (.policy.value|tostring) + " " + (.policy.reboot_pending|tostring)')" = "valid 2 true" ]
	nc revert
	check "revert exits 0" [ "$RC" = 0 ]
	check "revert: absent again" [ "$(regq "$KEY")" = "absent" ]
	nc revert
	check "second revert: nothing saved, exit 0" sh -c '[ "$1" = 0 ] && printf "%s" "$2" | grep -q "Nothing to revert"' x "$RC" "$OUT"
	wine_end "$P"

	# -- pre-existing 2 -> set 1 -> revert -> 2
	P=$(wine_case "$ver" "$arch-$ver-pre2")
	regadd "$KEY" REG_DWORD 2
	# Written after this "boot" by another tool (as Group Policy does at
	# every refresh): noted, no restart pending.
	nc --json status
	check "a value written after boot by another tool: reboot_pending false, key_written_after_boot true" \
		[ "$(jqf '(.policy.reboot_pending|tostring) + " " + (.policy.key_written_after_boot|tostring)')" = "false true" ]
	nc status
	check "status text: not pending, the key written after Windows started, not by nattcheck" \
		sh -c 'printf "%s" "$1" | grep -q "not pending (the key was written after Windows started, not by nattcheck"' x "$OUT"
	nc set 1
	check "pre-existing 2: set 1 exits 0" [ "$RC" = 0 ]
	check "pre-existing 2: now 0x1" [ "$(regq "$KEY")" = "REG_DWORD 0x1" ]
	nc set 0
	nc revert
	check "pre-existing 2: set 1, set 0, revert -> 0x2" [ "$(regq "$KEY")" = "REG_DWORD 0x2" ]
	wine_end "$P"

	# -- REG_SZ value: invalid; set/revert restores the REG_SZ
	P=$(wine_case "$ver" "$arch-$ver-sz")
	regadd "$KEY" REG_SZ 1
	nc --json status
	check "REG_SZ value: state invalid" [ "$(jqf .policy.state)" = "invalid" ]
	nc set 2; nc revert
	check "REG_SZ value: set 2 + revert restores REG_SZ 1" [ "$(regq "$KEY")" = "REG_SZ 1" ]
	regadd "$KEY" REG_DWORD 7
	nc --json status
	check "DWORD 7: state invalid, value 7" [ "$(jqf '.policy.state + " " + (.policy.value|tostring)')" = "invalid 7" ]
	wine_end "$P"

	# -- bad inputs: exit 64, named, registry unchanged
	P=$(wine_case "$ver" "$arch-$ver-bad")
	regadd "$KEY" REG_DWORD 1
	before=$(export_all)
	for args in "set 3" "set -1" "set abc" "set" "set 1 2" "revert now" "status extra" \
		"--bogus status" "check" "fix a b" "check a --timeout 0" "frobnicate"; do
		# shellcheck disable=SC2086
		nc $args
		if [ "$RC" = 64 ] && [ -n "$ERR" ]; then ok "bad input '$args' -> 64 ($(echo "$ERR" | head -1))"
		else ko "bad input '$args' -> 64" "rc=$RC err=$ERR"; fi
	done
	nc --json set 3
	check "bad input with --json: a JSON error document, exit_code 64" [ "$(jqf .exit_code)" = 64 ]
	after=$(export_all)
	check "bad inputs changed nothing in the registry" [ "$before" = "$after" ]
	wine_end "$P"
done

result "registry-$arch"
