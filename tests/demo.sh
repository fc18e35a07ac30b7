#!/bin/bash
# demo.sh - `make demo`: the tool's main job in the built-in lab.  Inside a
# fresh network namespace: a VPN server (strongSwan charon) behind a
# port-forwarding nftables NAT, and nattcheck.exe under Wine (Windows 10)
# on the client side: `status`, then `check`, then `--json check`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ -z "${NC_IN_NETNS:-}" ]; then
	NC_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"
work=$(mktemp -d /tmp/nattcheck-demo.XXXXXX)
P=$work/prefix
cleanup() {
	[ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	lab_clean
	rm -rf "$work"
}
trap cleanup EXIT
EXE=$root/build/x86_64/nattcheck.exe

echo "== setting up the lab: client 198.18.0.2 -> router -> NAT 198.19.0.2 -> charon 198.19.10.2"
wine_template "$P" win10 || exit 1
lab_up server-nat >/dev/null || exit 1
wine_start "$CLIENT_NS" "$P" || exit 1
run() {
	echo
	echo "== nattcheck $*"
	wine_run "$CLIENT_NS" "$P" "$EXE" "$@"
	echo "(exit code $?)"
}
run status
run check "$SERVER_ADDR"
run --json check "$SERVER_ADDR"
exit 0
