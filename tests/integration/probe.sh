#!/bin/bash
# probe.sh - `check` and `fix` of the real exe under Wine against the lab:
# every scenario x Windows profile (winxp64 = XP message 1, win10 = Windows
# 8+ message 1) x registry value (absent, 0, 1, 2): the facts, the verdict,
# the exit code, the time budget; and `fix` raising exactly as needed.
# Must run inside a fresh "unshare -n" (tests/integration/run.sh does that).
# Usage: probe.sh ARCH [SCENARIO...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"

arch=${1:-x86_64}
shift
scenarios=${*:-$LAB_SCENARIOS}
EXE=$root/build/$arch/nattcheck.exe
VAL=AssumeUDPEncapsulationContextOnSendRule
work=${NC_WORK:-$(mktemp -d /tmp/nattcheck-probe.XXXXXX)}
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "PASS [$arch/$ver/$sc] $1"; }
ko() {
	fail=$((fail + 1))
	echo "FAIL [$arch/$ver/$sc] $1"
	[ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/    /' | head -40
}
expect() { # expect NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "want: $2
got:  $3
out: $OUT
err: $ERR"; fi
}


# nc ARGS...: the exe in the client namespace; sets OUT ERR RC MS (wall ms)
# Wine failing to start the exe (exit != 0, no output, no message of ours)
# is not the exe's answer: one more try.
nc() {
	local t0 t1 try
	for try in 1 2; do
		t0=$(date +%s%3N)
		OUT=$(_wine_ns "$CLIENT_NS" "$P" wine "$EXE" "$@" 2>"$work/err")
		RC=$?
		t1=$(date +%s%3N)
		MS=$((t1 - t0))
		ERR=$(cat "$work/err")
		{ [ -z "$OUT" ] && [ "$RC" != 0 ] && ! grep -q '^nattcheck' "$work/err"; } || break
		echo "NOTE: Wine did not run the exe (rc=$RC); once more"
	done
}
regq() {
	local r
	r=$(_wine_ns "$CLIENT_NS" "$P" wine reg query "HKLM\\$KEY" /v "$VAL" 2>/dev/null |
		tr -d '\r' | awk -v v="$VAL" '$1 == v { print $2, $3 }')
	echo "${r:-absent}"
}
# reboot P with the value preset (written before this "boot")
boot_with() {
	[ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	if [ "$1" = absent ]; then
		python3 "$here/regpreset.py" "$P" "$KEY" "$VAL" absent
	else
		python3 "$here/regpreset.py" "$P" "$KEY" "$VAL" "dword:$1"
	fi
	wine_start "$CLIENT_NS" "$P" || ko "wineserver start"
}

JQ_FACTS='def tr: if . == null then "null" else
	((if .cipher == 7 then "aes\(.key_bits)" elif .cipher == 5 then "3des" else "c\(.cipher)" end)
	+ "-" + (if .hash == 2 then "sha1" elif .hash == 4 then "sha256" elif .hash == 1 then "md5" else "h\(.hash)" end)
	+ "-" + ({"1":"modp768","2":"modp1024","5":"modp1536","14":"modp2048","19":"ecp256","20":"ecp384"}[.group|tostring] // "g\(.group)")) end;
	.servers[0] | [.udp500, (.natt // "null"), (.server_behind_nat|tostring),
	(.client_behind_nat|tostring), .udp4500, (.transform|tr)] | join(" ")'

verdict_exit() {
	case $1 in works) echo 0 ;; needs-registry) echo 1 ;; reboot-pending) echo 2 ;; *) echo 3 ;; esac
}

if [ ! -x /usr/lib/wine/wine64 ] || { [ "$arch" = i686 ] && [ ! -x /usr/lib/wine/wine ]; }; then
	echo "SKIP [$arch] no Wine for $arch on this machine (wine32:i386 not installed)"
	echo "probe-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

for ver in winxp64 win10; do
	[ -f "$work/tpl-$ver/.nattlab-version" ] || wine_template "$work/tpl-$ver" "$ver" ||
		{ echo "FAIL [$arch] wine template $ver"; exit 1; }
done

for sc in $scenarios; do
	ver=-
	lab_up "$sc" >/dev/null 2>"$work/lab.err" || { ko "lab_up" "$(cat "$work/lab.err")"; lab_down; continue; }
	for ver in winxp64 win10; do
		case $ver in
		winxp64) KEY='SYSTEM\CurrentControlSet\Services\IPSec'
			want_natt=$EXPECT_NATT_XP want_tr=$EXPECT_TRANSFORM_XP ;;
		*) KEY='SYSTEM\CurrentControlSet\Services\PolicyAgent'
			want_natt=$EXPECT_NATT want_tr=$EXPECT_TRANSFORM ;;
		esac
		P=$work/p-$sc-$ver
		wine_case_prefix "$work/tpl-$ver" "$P"
		for val in absent 0 1 2; do
			boot_with "$val"
			nc --json check "$SERVER_ADDR"
			if [ "$val" = absent ]; then
				got=$(printf '%s' "$OUT" | jq -r "$JQ_FACTS" 2>&1)
				# With no NAT at all the probe stops waiting for 4500 once
				# message 4 is in: a 4500 answer still on its way reads
				# not-tested, which is as right as answered.
				if [ "$EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT" = "false false" ]; then
					got=$(printf '%s' "$got" | sed 's/ not-tested / answered /')
				fi
				expect "facts" "$EXPECT_UDP500 $want_natt $EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT $EXPECT_UDP4500 $want_tr" "$got"
				el=$(printf '%s' "$OUT" | jq -r '.servers[0].elapsed_ms' 2>/dev/null)
				case $sc in
				silent|server-nat-no4500) limit=3100 ;;
				*) limit=1000 ;;
				esac
				if [ -n "$el" ] && [ "$el" -le "$limit" ] 2>/dev/null; then
					ok "elapsed ${el} ms <= $limit ms (wall ${MS} ms incl. Wine start)"
				else
					ko "elapsed ${el:-?} ms <= $limit ms" "$OUT"
				fi
			fi
			have=${val/absent/0}
			want_v=$EXPECT_VERDICT want_req=$EXPECT_REQUIRED_VALUE
			if [ "$want_v" = needs-registry ] && [ "$have" -ge "$want_req" ]; then
				want_v=works
			fi
			expect "value $val: verdict $want_v, exit_code and exit $(verdict_exit "$want_v"), required $want_req" \
				"$want_v $(verdict_exit "$want_v") $want_req ($(verdict_exit "$want_v"))" \
				"$(printf '%s' "$OUT" | jq -r '.verdict + " " + (.exit_code|tostring) + " " + (.servers[0].required_value|tostring)' 2>&1) ($RC)"
		done

		case $sc in
		server-nat|both-nat)
			want=$EXPECT_REQUIRED_VALUE
			boot_with absent
			nc fix "$SERVER_ADDR"
			expect "fix from absent: exit 2 (reboot-pending), value $want" "2 REG_DWORD 0x$want" "$RC $(regq)"
			nc --json check "$SERVER_ADDR"
			expect "check after fix: reboot-pending" "reboot-pending 2" "$(printf '%s' "$OUT" | jq -r '.verdict + " " + (.exit_code|tostring)')"
			nc revert
			expect "revert after fix: absent" "0 absent" "$RC $(regq)"
			boot_with 2
			nc fix "$SERVER_ADDR"
			expect "fix with an existing 2: exit 0, 2 kept, nothing saved" "0 REG_DWORD 0x2 absent" \
				"$RC $(regq) $(_wine_ns "$CLIENT_NS" "$P" wine reg query 'HKLM\SOFTWARE\nattcheck' /v SavedPresent >/dev/null 2>&1 && echo saved || echo absent)"
			;;
		server-nat-no4500)
			boot_with absent
			nc fix "$SERVER_ADDR"
			expect "fix when no value can help: exit 3, nothing written" "3 absent" "$RC $(regq)"
			;;
		esac
		wine_stop "$P"
		rm -rf "$P"
	done
	lab_down
done

echo "probe-$arch: $pass passed, $fail failed"
[ "$fail" = 0 ]
