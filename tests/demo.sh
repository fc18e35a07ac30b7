#!/bin/sh
# demo.sh - `make demo`: the tool's main job against the built-in lab.
# Shows `status` under Wine, then probes a VPN server behind a
# port-forwarding NAT in a throwaway network (all in a fresh namespace).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${NC_IN_NETNS:-}" ]; then
	NC_IN_NETNS=1 exec unshare -n sh "$0" "$@"
fi
. "$here/integration/wine_common.sh"
trap 'rm -rf "$NC_WORK"' EXIT
ip link set lo up
EXE="$here/../build/x86_64/nattcheck.exe"
P=$(wine_case win10 demo)
echo "== nattcheck status (Windows 10 prefix under Wine)"
WINEPREFIX="$P" wine "$EXE" status
echo "== nattcheck --json status"
WINEPREFIX="$P" wine "$EXE" --json status
wine_end "$P"
