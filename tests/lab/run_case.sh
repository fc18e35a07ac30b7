#!/bin/bash
# run_case.sh - one integration case: lab scenario up, nattcheck.exe under Wine
# in the client namespace, lab down.
#
# Usage: tests/lab/run_case.sh SCENARIO PREFIX_TEMPLATE -- ARGS...
#   Runs "wine $NATTCHECK_EXE ARGS..." (default build/x86_64/nattcheck.exe).
#   An argument "@SERVER@" is replaced by the scenario's server address.
#   The exe's stdout and stderr pass through; the exit code is the exe's.
#   Lab or Wine failures exit 125 (never a nattcheck exit code).
# Environment:
#   NATTCHECK_EXE      the exe (Unix path)
#   RUN_CASE_SETUP     shell command run before the exe, in the client netns,
#                      with WINEPREFIX set, e.g.
#                      "wine reg add 'HKLM\...\PolicyAgent' /v X /t REG_DWORD /d 1 /f"
#                      (HKLM\SYSTEM is one view; for HKLM\SOFTWARE name it:
#                      "wine reg add ... /reg:64", see wine_sys in wine.sh)
#   RUN_CASE_FACTS     file to write the scenario's facts to (shell, see lab.sh)
#   RUN_CASE_TIMEOUT   seconds for the exe (default 60)
#   RUN_CASE_KEEP=1    keep the case's prefix and lab logs (path on stderr)
# Each call runs in its own "unshare -n" (unless NATTLAB_UNSHARED=1 says the
# caller already made one), so cases can run in parallel.

if [ "${NATTLAB_UNSHARED:-}" != 1 ]; then
	exec unshare -n env NATTLAB_UNSHARED=1 bash "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lab.sh"
. "$HERE/wine.sh"

die() { echo "run_case: $*" >&2; exit 125; }

[ $# -ge 3 ] && [ "$3" = -- ] || die "usage: run_case.sh SCENARIO PREFIX_TEMPLATE -- ARGS..."
sc=$1 tpl=$2
shift 3
exe=${NATTCHECK_EXE:-$ROOT/build/x86_64/nattcheck.exe}
[ -f "$exe" ] || die "no exe at $exe (set NATTCHECK_EXE)"
[ -f "$tpl/system.reg" ] || die "$tpl is not a Wine prefix (make one: tests/lab/wine.sh template DIR win10)"

prefix=$LAB_DIR.prefix
cleanup() {
	[ -f "$prefix/.wineserver.pid" ] && wine_stop "$prefix"
	lab_down
	if [ "${RUN_CASE_KEEP:-}" = 1 ]; then
		echo "run_case: kept $prefix and $LAB_DIR" >&2
	else
		rm -rf "$prefix"
		lab_clean
	fi
}
trap cleanup EXIT
trap 'exit 125' INT TERM

lab_up "$sc" >/dev/null || die "lab_up $sc failed"
[ -n "${RUN_CASE_FACTS:-}" ] && cp "$LAB_DIR/env" "$RUN_CASE_FACTS"

wine_case_prefix "$tpl" "$prefix" || die "cannot copy $tpl"
wine_start "$CLIENT_NS" "$prefix" || die "wineserver did not start"

if [ -n "${RUN_CASE_SETUP:-}" ]; then
	_wine_ns "$CLIENT_NS" "$prefix" bash -c "$RUN_CASE_SETUP" >&2 || die "RUN_CASE_SETUP failed"
fi

args=()
for a in "$@"; do
	args+=("${a//@SERVER@/$SERVER_ADDR}")
done
timeout "${RUN_CASE_TIMEOUT:-60}" \
	ip netns exec "$CLIENT_NS" env WINEPREFIX="$prefix" WINEDEBUG="$WINEDEBUG" \
	WINEDLLOVERRIDES="$WINEDLLOVERRIDES" wine "$exe" "${args[@]}"
rc=$?
[ $rc = 124 ] && echo "run_case: timed out after ${RUN_CASE_TIMEOUT:-60}s" >&2 && rc=125
exit $rc
