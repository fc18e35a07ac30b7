#!/bin/bash
# fleet.sh - the fleet outputs of the real exe under Wine: --log writes the
# --json document, 50 concurrent writers leave one complete file, --eventlog
# reports the right event ID and type, `report` over good, stale, corrupt and
# foreign files, and over a generated fleet of 2000 (grouped text, CSV read
# back by Python's csv module, JSON).  Runs inside run.sh's network namespace (only lo: the probe
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
check "report: PC2 needs action, with its advice" sh -c 'printf "%s" "$1" | grep -q "^  needs-registry: 1 host\$" && printf "%s" "$1" | grep -q "Hosts: PC2\$" && printf "%s" "$1" | grep -q "Run nattcheck fix vpn.example.com"' x "$OUT"
check "report: PC3 stale, PC4/other listed as unreadable, notes.txt ignored" sh -c 'printf "%s" "$1" | grep -q "PC3 (2020-01-01T00:00:00Z)" && printf "%s" "$1" | grep -q "PC4.json" && printf "%s" "$1" | grep -q "other.json" && ! printf "%s" "$1" | grep -q notes.txt' x "$OUT"
nc --json report 'C:\rep'
check "report --json: results 3, 2 bad files, 1 stale, 2 needing action" [ "$(printf '%s' "$OUT" | jq -r '[.results, (.bad_files|length), (.stale|length), (.action|length)] | map(tostring) | join(" ")')" = "3 2 1 2" ]
nc report 'C:\no\such\folder'
check "report on a missing folder: exit 64, names it" sh -c '[ "$1" = 64 ] && printf "%s" "$2" | grep -qF "no\\such\\folder"' x "$RC" "$ERR"

# report over a generated fleet: 2000 results made from the --log document
# above (host, verdict and advice varied; 500 of each of four verdicts, 20
# of the works stale), and one torn file
G=$C/fleet
mkdir -p "$G"
/usr/bin/python3 - "$C/res/$files" "$G" <<'PY'
import copy, datetime, json, sys
tpl = json.load(open(sys.argv[1]))
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
kinds = [("works", 0, "Nothing to do."),
	("needs-registry", 1, 'Run nattcheck fix vpn.example.com as an administrator, then restart: '
		'the value must be 2 ("server behind NAT"), or L2TP fails.'),
	("blocked-udp500", 3, "UDP 500 to vpn.example.com got no answer: a firewall or the server."),
	("blocked-udp4500", 3, "UDP 4500 is blocked on the way, so NAT-T cannot work.")]
for i in range(2000):
	v, code, adv = kinds[i % 4]
	d = copy.deepcopy(tpl)
	d["host"] = "PC%04d" % i
	d["time"] = "2020-01-01T00:00:00Z" if v == "works" and i < 80 else now
	d["verdict"], d["exit_code"] = v, code
	for s in d["servers"]:
		s["verdict"], s["advice"] = v, adv
	with open("%s/PC%04d.json" % (sys.argv[2], i), "w") as f:
		json.dump(d, f)
PY
head -c 300 "$G/PC0001.json" >"$G/torn.json"
nc report 'C:\fleet'
check "fleet of 2000: exit 0, counts per verdict" sh -c '[ "$1" = 0 ] && printf "%s" "$2" | grep -q "^nattcheck report: 2 000 result files" && for v in works needs-registry blocked-udp500 blocked-udp4500; do printf "%s" "$2" | grep -q "^  $v  *500\$" || exit 1; done' x "$RC" "$OUT"
check "fleet of 2000: one block per verdict and advice, 20 names, '... and 480 more'" sh -c 'for v in needs-registry blocked-udp500 blocked-udp4500; do printf "%s" "$1" | grep -q "^  $v: 500 hosts\$" || exit 1; done; [ "$(printf "%s" "$1" | grep -c "^    \.\.\. and 480 more\$")" = 3 ] && printf "%s" "$1" | grep -q "^    Hosts: PC0001, PC0005, PC0009, " && printf "%s" "$1" | grep -q "^Hosts that need action: 1 500\$"' x "$OUT"
check "fleet of 2000: stale and the torn file summarised" sh -c 'printf "%s" "$1" | grep -q "^Stale (older than 7 days): 20\$" && printf "%s" "$1" | grep -q "^  not JSON: changed while read or damaged: 1 file\$" && printf "%s" "$1" | grep -q "^    Files: torn.json"' x "$OUT"
check "fleet of 2000: fits 80 columns, $(printf '%s\n' "$OUT" | wc -l) lines" sh -c '[ "$(printf "%s\n" "$1" | awk "length > 79" | wc -l)" = 0 ] && [ "$(printf "%s\n" "$1" | wc -l)" -lt 60 ]' x "$OUT"
check "fleet of 2000: no progress line when stderr is redirected" [ -z "$ERR" ]
printf '%s\n' "$OUT" >"$NC_WORK/fleet-report.txt"
nc report 'C:\fleet' --hosts-shown 3
check "--hosts-shown 3: '... and 497 more'" sh -c '[ "$(printf "%s" "$1" | grep -c "^    \.\.\. and 497 more\$")" = 3 ]' x "$OUT"
nc report 'C:\fleet' --hosts-shown 100001
check "--hosts-shown 100001: usage error 64 naming it" sh -c '[ "$1" = 64 ] && printf "%s" "$2" | grep -q "100001"' x "$RC" "$ERR"
nc report 'C:\fleet' --csv --json
check "--csv with --json: usage error 64" [ "$RC" = 64 ]
nc report 'C:\fleet' --csv
check "report --csv: exit 0, a note on stderr for the torn file" sh -c '[ "$1" = 0 ] && printf "%s" "$2" | grep -q "1 file not readable"' x "$RC" "$ERR"
printf '%s\n' "$OUT" >"$NC_WORK/fleet.csv"
csvsays=$(/usr/bin/python3 - "$NC_WORK/fleet.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
assert b"\n" not in raw.replace(b"\r\n", b""), "a line end that is not CRLF"
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
cols = {len(r) for r in rows}
nr = [r for r in rows if r[6] == "needs-registry"]
print(len(rows), sorted(cols), rows[0][0], rows[0][13], len(nr), nr[0][0], nr[0][13])
PY
)
check "report --csv read back by Python's csv: 2001 rows of 14, header, a quoted advice ($csvsays)" [ "$csvsays" = "2001 [14] host advice 500 PC0001 Run nattcheck fix vpn.example.com as an administrator, then restart: the value must be 2 (\"server behind NAT\"), or L2TP fails." ]
nc --json report 'C:\fleet'
check "report --json over the fleet: 2000 results, 1500 need action, 20 stale, 1 bad" [ "$(printf '%s' "$OUT" | jq -r '[.results, (.action|length), (.stale|length), (.bad_files|length), .counts["needs-registry"]] | map(tostring) | join(" ")')" = "2000 1500 20 1 500" ]

wine_end "$P"
result "fleet-$arch"
