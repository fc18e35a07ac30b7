#!/bin/bash
# report.sh - `make bench` part 2 (issue 15): `nattcheck report` over 10 000
# and 100 000 result files under Wine, text, --csv and --json, against the
# floor: listread.exe, a bare program that only lists and reads the same
# files (same run, same Wine prefix, rounds interleaved), and the peak
# memory of each at the largest size.  Replaces the section between the
# "report-bench" markers of RESULTS.md (appends it when missing).
#
# Usage: tests/bench/report.sh
# Environment (defaults in brackets):
#   BENCH_REPORT_SIZES ["10000 100000"]   BENCH_REPORT_ROUNDS ["5 2"] (per size)
#   BENCH_EXE [build/x86_64/nattcheck.exe]  BENCH_LISTREAD [build/bench/listread.exe]
#   BENCH_OUT [tests/bench/RESULTS.md]      NC_WORK [mktemp]: prefixes, files, outputs
# Runs itself inside a fresh "unshare -n" (the template document comes from
# a check of 198.18.99.1, which fails at once with no route).
set -u
if [ "${BENCH_IN_NETNS:-}" != 1 ]; then
	BENCH_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
cd "$NC_ROOT" || exit 1
. tests/integration/wine_common.sh

SIZES=${BENCH_REPORT_SIZES:-10000 100000}
read -r -a ROUNDS <<<"${BENCH_REPORT_ROUNDS:-5 2}"
EXE=$(realpath "${BENCH_EXE:-build/x86_64/nattcheck.exe}")
LR=$(realpath "${BENCH_LISTREAD:-build/bench/listread.exe}")
OUT=${BENCH_OUT:-tests/bench/RESULTS.md}
PY=/usr/bin/python3
for f in "$EXE" "$LR"; do
	[ -f "$f" ] || { echo "bench: missing $f (make bench builds it)" >&2; exit 1; }
done
log() { echo "bench-report: $(date +%T) $*" >&2; }

P=$(wine_case win10 bench-report) || exit 1
C=$P/drive_c
W=$NC_WORK/report-bench
mkdir -p "$W"
: >"$W/times.tsv"
: >"$W/memory.tsv"

# run LABEL SIZE EXE ARGS...: one timed run, stdout to a file (as a script
# would), wall ms to times.tsv
run() {
	local label=$1 n=$2 exe=$3 t0 t1 rc
	shift 3
	t0=$(date +%s%N)
	_wine_env "$P" wine "$exe" "$@" >"$W/out-$label-$n" 2>"$W/err-$label-$n" </dev/null
	rc=$?
	t1=$(date +%s%N)
	printf '%s\t%s\t%s\t%s\n' "$label" "$n" $(((t1 - t0) / 1000000)) "$rc" >>"$W/times.tsv"
}
# mem LABEL SIZE EXE ARGS...: peak memory of one run (memprobe.py); a
# simple command in the background, so that $! is the process that becomes
# the exe (env, tests/lab/bin/wine and wine64 all exec)
mem() {
	local label=$1 n=$2 exe=$3 pid
	shift 3
	env WINEPREFIX="$P" WINEDEBUG="$WINEDEBUG" WINEDLLOVERRIDES="$WINEDLLOVERRIDES" \
		WINEARCH=win64 wine "$exe" "$@" >/dev/null 2>&1 </dev/null &
	pid=$!
	printf '%s\t%s\t%s\n' "$label" "$n" "$("$PY" "$here/memprobe.py" "$pid")" >>"$W/memory.tsv"
	wait "$pid"
}

log "template document"
_wine_env "$P" wine "$EXE" --json check 198.18.99.1 --timeout 500 >"$W/doc.json" 2>/dev/null </dev/null
jq -e '.host and .servers[0]' "$W/doc.json" >/dev/null || { log "no template document"; exit 1; }

i=0
for n in $SIZES; do
	rounds=${ROUNDS[$i]:-2}
	i=$((i + 1))
	D=$C/f$n
	log "$n files"
	"$PY" - "$W/doc.json" "$D" "$n" <<'PY'
import copy, datetime, json, os, sys
tpl = json.load(open(sys.argv[1]))
os.makedirs(sys.argv[2], exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
kinds = [("works", 0, "Nothing to do."),
	("needs-registry", 1, "Run nattcheck fix vpn.example.com as an administrator, then restart."),
	("blocked-udp500", 3, "UDP 500 to vpn.example.com got no answer: a firewall or the server."),
	("blocked-udp4500", 3, "UDP 4500 is blocked on the way, so NAT-T cannot work.")]
for i in range(int(sys.argv[3])):
	v, code, adv = kinds[i % 4]
	d = copy.deepcopy(tpl)
	d["host"], d["time"], d["verdict"], d["exit_code"] = "PC%06d" % i, now, v, code
	for s in d["servers"]:
		s["verdict"], s["advice"] = v, adv
	with open("%s/PC%06d.json" % (sys.argv[2], i), "w") as f:
		json.dump(d, f, separators=(",", ":"))
PY
	echo "$n $(du -sb "$D" | cut -f1)" >>"$W/sizes.txt"
	dir="C:\\f$n"
	run warmup "$n" "$LR" "$dir"
	for r in $(seq 1 "$rounds"); do
		run floor "$n" "$LR" "$dir"
		run text "$n" "$EXE" report "$dir"
		run csv "$n" "$EXE" report "$dir" --csv
		run json "$n" "$EXE" report "$dir" --json
		log "$n files: round $r of $rounds"
	done
	last=$n
done
log "peak memory, $last files"
mem floor "$last" "$LR" "C:\\f$last"
mem text "$last" "$EXE" report "C:\\f$last"
mem csv "$last" "$EXE" report "C:\\f$last" --csv
mem json "$last" "$EXE" report "C:\\f$last" --json
wine_end "$P"

"$PY" - "$W" <<'PY' | "$PY" "$here/put_section.py" report-bench "$OUT"
import statistics, sys
w = sys.argv[1]
times = {}
bad = []
for line in open(w + "/times.tsv"):
	label, n, ms, rc = line.split()
	if label == "warmup":
		continue
	if rc != "0":
		bad.append(line.strip())
	times.setdefault((int(n), label), []).append(int(ms))
sizes = dict(l.split() for l in open(w + "/sizes.txt"))
mem = {}
for line in open(w + "/memory.tsv"):
	f = line.split()
	mem[f[0]] = (int(f[2]), int(f[3]))
labels = [("floor", "listread.exe (list + read, the floor)"), ("text", "`report DIR`"),
	("csv", "`report DIR --csv`"), ("json", "`report DIR --json`")]
s = ["<!-- report-bench begin -->", "## `report` over a folder of results (issue 15)", "",
	"`tests/bench/report.sh` (run by `make bench`, alone: `make bench-report`): result "
	"files made from a real `--json` document (four verdicts evenly spread), the "
	"x86_64 exe under Wine (one win10 prefix), output to a file; the floor is "
	"`listread.exe` (`tests/bench/listread.c`: lists `*.json`, reads each file whole, "
	"nothing else), rounds interleaved with the report runs. Wall time, median (min–max).", ""]
for n in sorted({k[0] for k in times}):
	floor = statistics.median(times[(n, "floor")])
	s.append("### %d files (%.1f MB)" % (n, int(sizes[str(n)]) / 1e6))
	s.append("")
	s.append("| program | runs | median ms | min–max ms | vs floor |")
	s.append("|---|---|---|---|---|")
	for label, name in labels:
		t = times.get((n, label))
		if not t:
			continue
		med = statistics.median(t)
		s.append("| %s | %d | %.0f | %d–%d | %.2f× |" % (name, len(t), med, min(t), max(t),
			med / floor))
	s.append("")
if mem:
	n = max(k[0] for k in times)
	s.append("Peak memory at %d files (memprobe.py: VmHWM and the highest private RssAnon "
		"sample of the Wine process), KiB:" % n)
	s.append("")
	s.append("| program | VmHWM | RssAnon peak |")
	s.append("|---|---|---|")
	for label, name in labels:
		if label in mem:
			s.append("| %s | %d | %d |" % (name, mem[label][0], mem[label][1]))
	s.append("")
if bad:
	s.append("Runs that did not exit 0: " + "; ".join(bad))
	s.append("")
s.append("<!-- report-bench end -->")
print("\n".join(s))
PY
