#!/bin/bash
# selftest.sh - checks every lab scenario with ike-scan and ikeprobe.py.
#
# Usage: tests/lab/selftest.sh [--wine] [SCENARIO...]     (default: all)
#        --wine also checks the Wine mechanics (run_case.sh, a prefix template,
#        tools/udpsend.c built with mingw): packets leave from the client
#        namespace, NAT rewrites them, an ICMP error reaches Wine.
#        CAPTURE_DIR=DIR tests/lab/selftest.sh   also saves raw MM1..MM4 as hex
# Re-executes itself in a fresh "unshare -n".  Prints PASS/FAIL per scenario
# and "N passed, N failed"; exits 1 if anything failed.

# NATTLAB_UNSHARED=1 says "already in our own unshare -n"; lab.sh checks
# anyway that this namespace has nothing but lo.
if [ "${NATTLAB_UNSHARED:-}" != 1 ]; then
	exec unshare -n env NATTLAB_UNSHARED=1 bash "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lab.sh"
PROBE="python3 $HERE/ikeprobe.py"
failed=0 passed=0

WINE_CHECK=0
if [ "${1:-}" = --wine ]; then
	WINE_CHECK=1
	shift
fi
WTMP=$LAB_DIR.wine
trap 'lab_clean; [ $WINE_CHECK = 1 ] && rm -rf "$WTMP"' EXIT
trap 'exit 130' INT TERM

# Windows 8+ message 1 as ike-scan can write it.
IKESCAN_WIN="--sport=0 --retry=2 --timeout=400 -M
--trans=7/256,2,1,20 --trans=7/128,2,1,19 --trans=7/256,2,1,14 --trans=5,2,1,14 --trans=5,2,1,2
--vendor=01528bbbc00696121849ab9a1c5b2a5100000001
--vendor=1e2b516905991c7d7c96fcbfb587e46100000009
--vendor=4a131c81070358455c5728f20e95452f
--vendor=90cb80913ebb696e086381b5ec427b1f
--vendor=4048b7d56ebce88525e7de7f00d6c2d3"

# ike-scan's view: answered | rejected | none (it ignores ICMP).
ikescan() {
	local out
	out=$(lab_exec c ike-scan $IKESCAN_WIN "$@" 2>&1)
	echo "$out" >>"$LAB_DIR/ike-scan.log"
	case $out in
	*"Main Mode Handshake returned"*) echo answered ;;
	*NO-PROPOSAL-CHOSEN*) echo rejected ;;
	*) echo none ;;
	esac
}

fail() { echo "    $sc: $*"; bad=1; }

check() {  # check WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

run_scenario() {
	local j want500 want4500 os
	bad=0
	lab_up "$sc" >/dev/null || { fail "lab_up failed"; return; }
	# ike-scan: an independent check that the server answers or not.
	if [ "$SERVER_ADDR" = "${SERVER_ADDR#*:}" ]; then
		case $EXPECT_UDP500 in answered|rejected) want500=$EXPECT_UDP500 ;; *) want500=none ;; esac
		case $EXPECT_UDP4500 in answered) want4500=$([ "$EXPECT_UDP500" = rejected ] && echo rejected || echo answered) ;; *) want4500=none ;; esac
		check "ike-scan udp500" "$(ikescan "$SERVER_ADDR")" "$want500"
		check "ike-scan udp4500" "$(ikescan --nat-t --sport=0 "$SERVER_ADDR")" "$want4500"
	fi
	for os in win10 xp; do
		j=$(lab_exec c $PROBE probe "$SERVER_ADDR" --os $os --timeout 1500 \
			${CAPTURE_DIR:+--save "$CAPTURE_DIR/$sc-$os"} 2>&1)
		echo "$os: $j" >>"$LAB_DIR/ikeprobe.log"
		if ! echo "$j" | jq -e . >/dev/null 2>&1; then
			fail "ikeprobe $os: $j"
			continue
		fi
		[ -n "${VERBOSE:-}" ] && echo "    $os: $j"
		check "$os udp500" "$(echo "$j" | jq -r .udp500)" "$EXPECT_UDP500"
		check "$os udp4500" "$(echo "$j" | jq -r .udp4500)" "$EXPECT_UDP4500"
		check "$os server_behind_nat" "$(echo "$j" | jq -r .server_behind_nat)" "$EXPECT_SERVER_BEHIND_NAT"
		check "$os client_behind_nat" "$(echo "$j" | jq -r .client_behind_nat)" "$EXPECT_CLIENT_BEHIND_NAT"
		if [ $os = xp ]; then
			check "$os natt" "$(echo "$j" | jq -r .natt)" "$EXPECT_NATT_XP"
			[ "$LAB_SERVER" = charon ] && check "$os transform" "$(echo "$j" | jq -r .transform)" "$EXPECT_TRANSFORM_XP"
		else
			check "$os natt" "$(echo "$j" | jq -r .natt)" "$EXPECT_NATT"
			[ "$LAB_SERVER" = charon ] && check "$os transform" "$(echo "$j" | jq -r .transform)" "$EXPECT_TRANSFORM"
		fi
	done
	if [ $bad = 1 ]; then
		echo "    logs: $LAB_DIR (ike-scan.log, ikeprobe.log, charon/charon.log)"
		cp -a "$LAB_DIR" "$LAB_DIR.$sc.failed" 2>/dev/null
	fi
	lab_down
	rm -f "$LAB_DIR/ike-scan.log" "$LAB_DIR/ikeprobe.log"
}

start=$(date +%s)
# shellcheck disable=SC2048,SC2086  # scenario names have no spaces
for sc in ${*:-$LAB_SCENARIOS}; do
	t0=$(date +%s%N)
	run_scenario
	t=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	if [ $bad = 0 ]; then
		printf 'PASS %-26s (%ss)\n' "$sc" "$t"
		passed=$((passed + 1))
	else
		printf 'FAIL %-26s (%ss)\n' "$sc" "$t"
		failed=$((failed + 1))
	fi
done
# run_case.sh with a real Windows program: which address the packet left
# from (NAT), the MM2 from charon, and the port unreachable seen by Wine.
wine_case() {  # wine_case NAME SCENARIO EXPECTED_REGEX PORT
	local out t0 t
	t0=$(date +%s%N)
	out=$(NATTCHECK_EXE=$WTMP/udpsend.exe "$HERE/run_case.sh" "$2" "$WTMP/tpl" -- \
		@SERVER@ "$4" "$(winepath_of "$HERE/captures/nonat-win10/mm1.hex")" 2>&1)
	t=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	if echo "$out" | tr '\n' ' ' | grep -Eq "$3"; then
		printf 'PASS %-26s (%ss)\n' "$1" "$t"
		passed=$((passed + 1))
	else
		printf 'FAIL %-26s (%ss)\n' "$1" "$t"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}
winepath_of() { echo "Z:${1//\//\\}"; }

if [ $WINE_CHECK = 1 ]; then
	. "$HERE/wine.sh"
	mkdir -p "$WTMP"
	t0=$(date +%s)
	if ! x86_64-w64-mingw32-gcc -O2 -o "$WTMP/udpsend.exe" "$HERE/tools/udpsend.c" -lws2_32; then
		echo "FAIL wine-build"; failed=$((failed + 1))
	elif ! wine_template "$WTMP/tpl" win10; then
		echo "FAIL wine-template"; failed=$((failed + 1))
	else
		echo "# wine template: $(( $(date +%s) - t0 ))s"
		wine_case wine-nonat nonat 'from 198\.18\.0\.2:.*reply 160 bytes' 500
		wine_case wine-client-nat client-nat 'from 198\.18\.10\.2:.*reply 160 bytes' 500
		wine_case wine-icmp-unreach icmp-unreach 'SO_ERROR 10061' 500
		wine_case wine-ipv6 ipv6 'from 2001:2:0:1::2.*reply 160 bytes' 500
	fi
fi

lab_clean
echo "# selftest took $(( $(date +%s) - start ))s"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
