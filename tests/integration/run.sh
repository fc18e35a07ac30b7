#!/bin/sh
# run.sh - every integration test of the real exe under Wine.  Runs itself
# inside a fresh network namespace (unshare -n), so no packet can leave.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${NC_IN_NETNS:-}" ]; then
	NC_IN_NETNS=1 exec unshare -n sh "$0" "$@"
fi
NC_ROOT=$(cd "$here/../.." && pwd)
. "$here/wine_common.sh"
trap 'rm -rf "$NC_WORK"' EXIT
ip link set lo up

total_pass=0; total_fail=0; status=0
tally() { # tally LOGFILE
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	[ -n "$line" ] || { status=1; echo "no result line in $1"; }
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-1}))
}

for arch in x86_64 i686; do
	sh "$here/registry.sh" "$arch" winxp64 win10 | tee "$NC_WORK/reg-$arch.log" || status=1
	tally "$NC_WORK/reg-$arch.log"
	bash "$here/probe.sh" "$arch" | tee "$NC_WORK/probe-$arch.log" || status=1
	tally "$NC_WORK/probe-$arch.log"
	sh "$here/fleet.sh" "$arch" | tee "$NC_WORK/fleet-$arch.log" || status=1
	tally "$NC_WORK/fleet-$arch.log"
	bash "$here/hostile.sh" "$arch" | tee "$NC_WORK/hostile-$arch.log" || status=1
	tally "$NC_WORK/hostile-$arch.log"
	bash "$here/badinput.sh" "$arch" | tee "$NC_WORK/badinput-$arch.log" || status=1
	tally "$NC_WORK/badinput-$arch.log"
done

echo "integration: $total_pass passed, $total_fail failed"
[ "$status" = 0 ] && [ "$total_fail" = 0 ]
