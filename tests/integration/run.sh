#!/bin/bash
# run.sh - every integration test of the real exe under Wine.  Every suite
# runs in a fresh network namespace of its own (unshare -n), so no packet
# can leave and two suites can run side by side.
#
# What runs where (and why not everything everywhere):
#   x86_64 exe, 64-bit prefixes (winxp64, win10): every suite.
#   i686 exe, 32-bit prefixes that store the version as a real XP/2000 does
#     (xp32sp2; registry also xp32sp3, xp32sp1, w2k32): every suite, as the
#     32-bit XP SP2 machine this tool was made for.
#   i686 exe under WOW64 (winxp64, win10): the registry suite, badinput, and
#     `fix` in the lab: what differs under WOW64 is only the registry view
#     (KEY_WOW64_64KEY for the saved state) and IsWow64Process.  The probe
#     itself is the same code on the same Winsock as in the two runs above,
#     so the lab's other scenarios and the hostile responders are not
#     repeated there.
#   x86_64 only: the window (window.sh, Xvfb) and DLL planting (planted.sh
#     runs for i686 too where 32-bit Wine runs).
#   phonebook.sh: winxp64 + win10 (x86_64), xp32sp2 (i686).
# Without 32-bit Wine (wine32:i386 missing, or a kernel that runs no 32-bit
# program) the i686 suites are skipped and counted, and the x86_64 suites
# fill both lanes.
#
# Two lanes run in parallel (this machine has 2 cores): x86_64 and i686.
# The Wine prefix templates are made first, once, and shared (hard links).
# Every JSON document the suites get from the exe (--json output, --log
# files) is kept in $NC_DOCS and checked at the end against the published
# schema, installer/nattcheck.schema.json (schema_check.py).
set -u
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
. "$here/wine_common.sh"
trap 'rm -rf "$NC_WORK"' EXIT

NC_DOCS=$NC_WORK/docs
mkdir -p "$NC_DOCS"
export NC_DOCS
I686_OK=$NC_WINE32

# Templates, sequentially (wineboot is heavy), before the lanes start.
tpls="winxp64 win10"
[ "$I686_OK" = 1 ] && tpls="$tpls xp32sp2 xp32sp3 xp32sp1 w2k32"
for v in $tpls; do
	t0=$(date +%s)
	nc_template "$v" >/dev/null || { echo "integration: cannot make the $v prefix"; echo "integration: 0 passed, 1 failed"; exit 1; }
	echo "template $v: $(($(date +%s) - t0)) s"
done

# suite LANE NAME CMD...: one suite in its own namespace and work folder
# (the templates hard-linked in), its output to the lane's log.
suite() {
	local lane=$1 name=$2 job t0
	shift 2
	job=$NC_WORK/$name
	mkdir -p "$job"
	for v in $tpls; do cp -al "$NC_WORK/tpl-$v" "$job/tpl-$v"; done
	t0=$(date +%s)
	NC_WORK=$job unshare -n bash -c 'ip link set lo up; exec "$@"' x "$@" >"$NC_WORK/$name.log" 2>&1
	echo "$?" >"$NC_WORK/$name.rc"
	echo "suite $name: $(($(date +%s) - t0)) s" >>"$NC_WORK/$name.log"
	rm -rf "$job"
}

lane_x86_64() {
	suite x registry-x86_64 bash "$here/registry.sh" x86_64 winxp64 win10
	suite x probe-x86_64 bash "$here/probe.sh" x86_64
	suite x quickmode-x86_64 bash "$here/quickmode.sh" x86_64
	[ "$I686_OK" = 1 ] && lane_x86_64_more
}
# Without 32-bit Wine these run in the second lane, beside the first (the
# lab's probe suite alone is about as long as all of them).
lane_x86_64_more() {
	suite x fleet-x86_64 bash "$here/fleet.sh" x86_64 win10
	suite x hostile-x86_64 bash "$here/hostile.sh" x86_64
	suite x badinput-x86_64 bash "$here/badinput.sh" x86_64 win10
	suite x phonebook-x86_64 bash "$here/phonebook.sh" x86_64
	suite x window-x86_64 bash "$here/window.sh" x86_64
	suite x planted-x86_64 bash "$here/planted.sh" x86_64
	suite x crypto-x86_64 bash "$here/crypto.sh" x86_64
	suite x mainmode-x86_64 bash "$here/mainmode.sh" x86_64
}
lane_i686() {
	suite i registry-i686 bash "$here/registry.sh" i686 xp32sp2 xp32sp3 xp32sp1 w2k32 winxp64 win10
	suite i probe-i686-xp32 env PROBE_VERSIONS=xp32sp2 bash "$here/probe.sh" i686
	suite i probe-i686-wow64 env PROBE_VERSIONS=win10 bash "$here/probe.sh" i686 server-nat both-nat
	suite i fleet-i686 bash "$here/fleet.sh" i686 xp32sp2
	suite i hostile-i686 env HOSTILE_VERSIONS=xp32sp2 bash "$here/hostile.sh" i686
	suite i badinput-i686-xp32 bash "$here/badinput.sh" i686 xp32sp2
	suite i badinput-i686-wow64 bash "$here/badinput.sh" i686 win10
	suite i phonebook-i686-xp32 bash "$here/phonebook.sh" i686
	suite i planted-i686 bash "$here/planted.sh" i686 xp32sp2
	suite i crypto-i686 bash "$here/crypto.sh" i686 xp32sp2
	suite i mainmode-i686 env MM_VERSIONS=xp32sp2 MM_MAIN=xp32sp2 bash "$here/mainmode.sh" i686
	suite i quickmode-i686 env QM_VERSIONS=xp32sp2 QM_MAIN=xp32sp2 bash "$here/quickmode.sh" i686
}
SUITES_X="registry-x86_64 probe-x86_64 fleet-x86_64 hostile-x86_64 badinput-x86_64 phonebook-x86_64 window-x86_64 planted-x86_64 crypto-x86_64 mainmode-x86_64 quickmode-x86_64"
SUITES_SCHEMA="schema"
SUITES_I="registry-i686 probe-i686-xp32 probe-i686-wow64 fleet-i686 hostile-i686 badinput-i686-xp32 badinput-i686-wow64 phonebook-i686-xp32 planted-i686 crypto-i686 mainmode-i686 quickmode-i686"

lane_x86_64 &
px=$!
if [ "$I686_OK" = 1 ]; then
	lane_i686 &
else
	lane_x86_64_more &
fi
pi=$!
wait "$pi"
wait "$px"
# The documents of both lanes against the schema.
/usr/bin/python3 "$here/schema_check.py" "$NC_ROOT/installer/nattcheck.schema.json" "$NC_DOCS" \
	>"$NC_WORK/schema.log" 2>&1
echo "$?" >"$NC_WORK/schema.rc"

. "$NC_ROOT/tests/results.sh"
status=0
for name in $SUITES_X $SUITES_I $SUITES_SCHEMA; do
	if [ "$I686_OK" = 0 ] && [ "${name#*-}" != x86_64 ] && [ "$name" != schema ]; then
		echo "SKIP [$name] no 32-bit Wine here: $(wine_why_no32)"
		echo "$name: 0 passed, 0 failed, 1 skipped"
		total_skip=$((total_skip + 1))
		continue
	fi
	cat "$NC_WORK/$name.log"
	tally "integration: $name" "$NC_WORK/$name.log" "$(cat "$NC_WORK/$name.rc" 2>/dev/null || echo 1)" ||
		status=1
done

echo "integration: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$status" = 0 ] && [ "$total_fail" = 0 ]
