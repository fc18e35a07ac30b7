#!/bin/bash
# lib.sh - sourced by the integration suites: one PASS/FAIL line per check,
# counted, and the suite's result line that run.sh sums.  A suite defines
# tag() (what goes in the brackets, e.g. "x86_64/server-nat").
pass=0 fail=0

tag() { echo "${arch:-?}"; }
ok() { pass=$((pass + 1)); echo "PASS [$(tag)] $1"; }
# ko NAME [DETAILS]: a failure, with up to 30 lines of details indented.
ko() {
	fail=$((fail + 1))
	echo "FAIL [$(tag)] $1"
	[ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/    /' | head -30
}
# expect NAME WANT GOT: PASS when equal; else both, and the run's $OUT/$ERR.
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		ko "$1" "want: $2
got:  $3
out: $(printf '%s' "${OUT:-}" | head -c 1500)
err: ${ERR:-}"
	fi
}
# check NAME CONDITION...: PASS when the command succeeds; else the last
# run's exit code, wall time, $OUT and $ERR.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		ko "$name" "rc=${RC:-} wall=${MS:-?}ms
out: $(printf '%s' "${OUT:-}" | head -c 1500)
err: ${ERR:-}"
	fi
}
# result NAME: the result line; the suite's exit status says the same.
result() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}

# nc_own_netns NAME SCRIPT ARGS...: unless this runs in a network namespace
# with nothing but lo, run SCRIPT again in a fresh one (unshare -n) and never
# return; then bring lo up.
nc_own_netns() {
	local name=$1
	shift
	if ip -o link show | awk -F': ' '$2 != "lo" {f=1} END {exit !f}'; then
		[ "${NC_IN_NETNS:-}" = 1 ] && { echo "$name: namespace not private" >&2; exit 1; }
		NC_IN_NETNS=1 exec unshare -n bash "$@"
	fi
	ip link set lo up
}

# nc_suite NAME SCRIPT ARGS...: the start of a suite that makes its own Wine
# prefixes: its own network namespace (nc_own_netns), wine_common.sh, and
# a work folder removed at exit unless the caller gave one ($NC_WORK).
nc_suite() {
	local name=$1 own=0
	shift
	nc_own_netns "$name" "$@"
	[ -n "${NC_WORK:-}" ] || own=1
	. "$here/wine_common.sh"
	[ "$own" = 1 ] && trap 'rm -rf "$NC_WORK"' EXIT
	return 0
}
