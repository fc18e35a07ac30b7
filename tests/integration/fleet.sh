#!/bin/bash
# fleet.sh - the fleet outputs of the real exe under Wine: --log writes the
# --json document, 50 concurrent writers leave one complete file, --eventlog
# reports the right event ID and type, `report` over good, stale, corrupt and
# foreign files.  Runs inside run.sh's network namespace (only lo: the probe
# of 198.18.99.1 fails at once with no route, nothing leaves).
# Usage: fleet.sh ARCH [VERSION]    (a wine.sh prefix; default win10)
set -u
# Probes are sent: never from a namespace with a way out (run alone, it
# re-runs itself in a fresh one).
if ip -o link show | awk -F': ' '$2 != "lo" {f=1} END {exit !f}'; then
	[ "${NC_IN_NETNS:-}" = 1 ] && { echo "fleet: namespace not private" >&2; exit 1; }
	NC_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
. "$here/wine_common.sh"

arch=$1
EXE=$NC_ROOT/build/$arch/nattcheck.exe
RUN=$(wine_pick_runner "$arch")
ver=${2:-win10}
. "$here/lib.sh"
tag() { echo "$arch/$ver/fleet"; }
# nc ARGS...: the exe (wine.sh's wine_exe: once more when Wine itself did
# not start it); sets OUT, ERR, RC
nc() { wine_exe "" "$P" "$NC_WORK/ferr" "$EXE" "$@"; }

if [ -z "$RUN" ]; then
	echo "SKIP [$arch] no Wine for $arch on this machine (wine32:i386 not installed)"
	echo "fleet-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

P=$(wine_case "$ver" "$arch-$ver-fleet")
C=$P/drive_c

# --log equals --json
mkdir -p "$C/res"
nc --json check 198.18.99.1 --timeout 500 --log 'C:\res'
files=$(ls "$C/res")
check "--log wrote exactly one file, <COMPUTERNAME>.json" sh -c '[ "$(echo "$1" | wc -w)" = 1 ] && case "$1" in *.json) true ;; *) false ;; esac' x "$files"
check "--log file equals the --json output" [ "$(cat "$C/res/$files")" = "$OUT" ]
wine_keep_doc "$C/res/$files"
check "--log file parses; verdict blocked-udp500, exit 3" sh -c '[ "$(jq -r ".verdict + \" \" + (.exit_code|tostring)" "$1")" = "blocked-udp500 3" ] && [ "$2" = 3 ]' x "$C/res/$files" "$RC"

# a missing folder: a warning naming it, the exit code stays the verdict
nc check 198.18.99.1 --timeout 500 --log 'C:\no\such\folder'
check "--log to a missing folder: warning names it, exit stays 3" sh -c '[ "$1" = 3 ] && printf "%s" "$2" | grep -q "warning" && printf "%s" "$2" | grep -qF "no\\such"' x "$RC" "$ERR"

# 50 concurrent writers into one folder
mkdir -p "$C/res50"
i=0
while [ $i -lt 50 ]; do
	WINEPREFIX="$P" $RUN "$EXE" --json status --log 'C:\res50' >/dev/null 2>&1 &
	i=$((i + 1))
done
wait
n=$(ls -A "$C/res50" | wc -l)
check "50 concurrent writers: one file, no temporary leftovers ($n entries)" [ "$n" = 1 ]
check "50 concurrent writers: the file is complete JSON" sh -c 'jq -e ".exit_code == 0 and .policy.state == \"absent\"" "$1"/*.json >/dev/null' x "$C/res50"

# --eventlog: ID and type by verdict (Wine traces ReportEventW)
ev() { WINEPREFIX="$P" WINEDEBUG=+eventlog $RUN "$EXE" "$@" 2>&1 >/dev/null | grep -o 'ReportEventW ([^)]*)' | head -1; }
e=$(ev status --eventlog)
check "--eventlog after status: information (4), ID 1000 ($e)" sh -c 'printf "%s" "$1" | grep -q ",0x0004,0x0000,0x000003e8,"' x "$e"
e=$(ev check 198.18.99.1 --timeout 500 --eventlog --quiet)
check "--eventlog after blocked-udp500: error (1), ID 1002 ($e)" sh -c 'printf "%s" "$1" | grep -q ",0x0001,0x0000,0x000003ea,"' x "$e"

# report over good, stale, corrupt and foreign files
R=$C/rep
mkdir -p "$R"
cp "$C/res/$files" "$R/PC1.json"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
jq -c --arg t "$now" '.host = "PC2" | .time = $t | .verdict = "needs-registry" | .exit_code = 1 |
	.servers[0].verdict = "needs-registry" | .servers[0].advice = "Run nattcheck fix vpn.example.com"' "$R/PC1.json" >"$R/PC2.json"
jq -c '.host = "PC3" | .time = "2020-01-01T00:00:00Z" | .verdict = "works" | .exit_code = 0' "$R/PC1.json" >"$R/PC3.json"
head -c 100 "$R/PC1.json" >"$R/PC4.json"
echo '{"hello":"world"}' >"$R/other.json"
echo 'not json at all' >"$R/notes.txt"
nc report 'C:\rep'
check "report: exit 0" [ "$RC" = 0 ]
check "report: 3 results, counts per verdict" sh -c 'printf "%s" "$1" | grep -q "3 result files" && printf "%s" "$1" | grep -q "blocked-udp500 *1" && printf "%s" "$1" | grep -q "needs-registry *1" && printf "%s" "$1" | grep -q "works *1"' x "$OUT"
check "report: PC2 needs action, with its advice" sh -c 'printf "%s" "$1" | grep -q "PC2: needs-registry" && printf "%s" "$1" | grep -q "Run nattcheck fix vpn.example.com"' x "$OUT"
check "report: PC3 stale, PC4/other listed as unreadable, notes.txt ignored" sh -c 'printf "%s" "$1" | grep -q "PC3 (2020-01-01T00:00:00Z)" && printf "%s" "$1" | grep -q "PC4.json" && printf "%s" "$1" | grep -q "other.json" && ! printf "%s" "$1" | grep -q notes.txt' x "$OUT"
nc --json report 'C:\rep'
check "report --json: results 3, 2 bad files, 1 stale, 2 needing action" [ "$(printf '%s' "$OUT" | jq -r '[.results, (.bad_files|length), (.stale|length), (.action|length)] | map(tostring) | join(" ")')" = "3 2 1 2" ]
nc report 'C:\no\such\folder'
check "report on a missing folder: exit 64, names it" sh -c '[ "$1" = 64 ] && printf "%s" "$2" | grep -qF "no\\such\\folder"' x "$RC" "$ERR"

wine_end "$P"
result "fleet-$arch"
