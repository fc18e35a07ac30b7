#!/bin/bash
# dh.sh - `make bench`, Diffie-Hellman part: what one exchange's arithmetic
# costs with nattcheck's own code (src/ike_dh.c over src/bn.c), groups 2
# (MODP-1024), 14 (MODP-2048), 19 (P-256) and 20 (P-384), built from the
# same sources (tests/bench/dhbench.c) for this host (gcc) and for Windows
# x86_64 (mingw-w64) run under Wine, each at -O2 and -Os (the exe's own
# optimisation).  The four programs run in rounds, interleaved, each timing
# every operation a few times (after 3 untimed calls); the samples of all
# rounds are pooled into median and min.  Wine runs in a fresh prefix of its
# own under /tmp whose wineserver (and only that one) it stops.  Replaces
# the section between the "dh-bench" markers of RESULTS.md (put_section.py;
# appended when missing).  Figures only: nothing here fails on a time.
# About 30 s on a quiet machine (11 s of it making the Wine prefix), at most
# 20 s more waiting for one.
#
# Usage: tests/bench/dh.sh      (bench.mk builds the programs: make bench-dh)
# Environment (defaults in brackets):
#   BENCH_DH_RUNS [50] samples per operation   BENCH_DH_ROUNDS [5]
#   BENCH_DH_GROUPS ["2 14 19 20"]            BENCH_DH_QUIET_WAIT [20] s
#   BENCH_DH_BIN [build/bench]: dhbench-O2, dhbench-Os, dhbench-O2.exe, dhbench-Os.exe
#   BENCH_OUT [tests/bench/RESULTS.md]  BENCH_DH_WORK [mktemp under /tmp]: prefix, raw output
#   BENCH_DH_KEEP=1 keeps the work dir
# Nothing uses the network; as root it runs inside its own "unshare -n"
# all the same, like the other parts.
# Exit status: 0 when every run printed its figures.
set -u
if [ "${BENCH_IN_NETNS:-}" != 1 ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	BENCH_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
cd "$NC_ROOT" || exit 1
# Our `wine` first on PATH (tests/lab/bin), WINEDEBUG, WINEDLLOVERRIDES,
# wine_template, _wine_env.
. tests/lab/wine.sh

RUNS=${BENCH_DH_RUNS:-50}
ROUNDS=${BENCH_DH_ROUNDS:-5}
PER=$(((RUNS + ROUNDS - 1) / ROUNDS))
GROUPS_=${BENCH_DH_GROUPS:-2 14 19 20}
BIN=${BENCH_DH_BIN:-build/bench}
OUT=${BENCH_OUT:-tests/bench/RESULTS.md}
PY=/usr/bin/python3
W=${BENCH_DH_WORK:-$(mktemp -d /tmp/nattcheck-dhbench.XXXXXX)}
mkdir -p "$W"
log() { echo "bench-dh: $(date +%T) $*" >&2; }
for f in dhbench-O2 dhbench-Os dhbench-O2.exe dhbench-Os.exe; do
	[ -f "$BIN/$f" ] || { log "missing $BIN/$f (make bench-dh builds it)"; exit 1; }
done

P=$W/prefix
WS_PID=""
cleanup() {
	# Only the wineserver of our own prefix.
	if [ -n "$WS_PID" ]; then
		_wine_env "$P" wineserver -k >/dev/null 2>&1
		wait "$WS_PID" 2>/dev/null
		WS_PID=""
	fi
	[ -d "$P" ] && _wine_rm_server_dir "$P"
	[ "${BENCH_DH_KEEP:-}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT

log "a fresh Wine prefix (win10, x86_64) in $P"
t0=$(date +%s%3N)
if ! wine_template "$P" win10; then
	log "cannot make a Wine prefix"
	exit 1
fi
prefix_ms=$(($(date +%s%3N) - t0))
# A persistent wineserver of our own, in the foreground so that $! is it
# (env and Debian's wineserver wrapper exec).
env WINEPREFIX="$P" WINEDEBUG="$WINEDEBUG" WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH=win64 \
	wineserver -f -p >/dev/null 2>&1 </dev/null &
WS_PID=$!
mkdir -p "$P/drive_c/dhbench"
cp "$BIN/dhbench-O2.exe" "$BIN/dhbench-Os.exe" "$P/drive_c/dhbench/"

# idle_pct: how idle all CPUs were over the next second (/proc/stat).
idle_pct() {
	local a b busy=0 idle i
	read -r -a a </proc/stat
	sleep 1
	read -r -a b </proc/stat
	idle=$(((b[4] + b[5]) - (a[4] + a[5])))
	for i in 1 2 3 6 7 8; do busy=$((busy + b[i] - a[i])); done
	echo $((100 * idle / (idle + busy + (idle + busy == 0))))
}
# Wait (up to BENCH_DH_QUIET_WAIT s, default 20) for a second with the CPUs
# at least 90 % idle: another job's load shows in the medians.
waited=0
idle=$(idle_pct)
while [ "$idle" -lt 90 ] && [ "$waited" -lt "${BENCH_DH_QUIET_WAIT:-20}" ]; do
	[ "$waited" = 0 ] && log "waiting for a quiet machine (CPUs $idle % idle)"
	idle=$(idle_pct)
	waited=$((waited + 1))
done

# Facts about the machine and the tools, for the section.
{
	echo "quiet	$idle	$waited	${BENCH_DH_QUIET_WAIT:-20}"
	echo "date	$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "cpus	$(nproc)"
	echo "cpu	$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "kernel	$(uname -sr)"
	echo "load_start	$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "gcc	$(${HOST_CC:-gcc} --version | head -1)"
	echo "mingw	$(x86_64-w64-mingw32-gcc --version 2>/dev/null | head -1)"
	echo "wine	$(wine --version 2>/dev/null)"
	echo "head	$(git rev-parse --short HEAD 2>/dev/null)"
	echo "runs	$RUNS"
	echo "rounds	$ROUNDS"
	echo "per	$PER"
	echo "groups	$GROUPS_"
	echo "wall	prefix	$prefix_ms"
} >"$W/facts.tsv"

# run BUILD: one round of one build, its samples appended to BUILD.raw.
run() {
	local bd=$1 try out t0
	t0=$(date +%s%3N)
	for try in 1 2 3; do
		# shellcheck disable=SC2086
		case $bd in
		host-*) out=$("$BIN/dhbench-${bd#host-}" -r -n "$PER" $GROUPS_ 2>&1) ;;
		wine-*) out=$(_wine_env "$P" timeout 300 wine "C:\\dhbench\\dhbench-${bd#wine-}.exe" \
			-r -n "$PER" $GROUPS_ </dev/null 2>"$W/$bd.err" | tr -d '\r') ;;
		esac
		# Wine that did not start the exe at all (seen under load): once more.
		[ -n "$out" ] && break
		log "$bd: no output (try $try)"
	done
	echo "wall	$bd	$(($(date +%s%3N) - t0))" >>"$W/facts.tsv"
	printf '%s\n' "$out" >>"$W/$bd.raw"
	case $out in
	*"dhbench: ok"*) return 0 ;;
	esac
	log "$bd failed: $(printf '%s\n' "$out" | tail -1) $(tail -1 "$W/$bd.err" 2>/dev/null)"
	return 1
}

# ROUNDS rounds of RUNS/ROUNDS runs each, the four builds interleaved (the
# order turning every round), so that a burst of other work on the machine
# is spread over all of them rather than spoiling one.
ok=1
builds=(host-O2 wine-O2 host-Os wine-Os)
log "$ROUNDS rounds x $PER runs of each operation, groups $GROUPS_: host and Wine, -O2 and -Os"
for r in $(seq 0 $((ROUNDS - 1))); do
	for i in 0 1 2 3; do
		run "${builds[$(((i + r) % 4))]}" || ok=0
	done
done
echo "load_end	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$W/facts.tsv"

"$PY" - "$W" <<'PY' | "$PY" "$here/put_section.py" dh-bench "$OUT" || ok=0
import statistics, sys
w = sys.argv[1]
facts, walls = {}, {}
for line in open(w + "/facts.tsv"):
	k, _, v = line.rstrip("\n").partition("\t")
	if k == "wall":
		a, _, b = v.partition("\t")
		walls[a] = walls.get(a, 0) + int(b)
	else:
		facts[k] = v
builds = [("host-O2", "host, gcc -O2"), ("host-Os", "host, gcc -Os"),
	("wine-O2", "Wine x86_64, mingw -O2"), ("wine-Os", "Wine x86_64, mingw -Os (the exe's)")]
# Every sample of every round ("t" lines), pooled per build and operation:
# (median, min, max, count).
samples, rows = {}, []
for b, _ in builds:
	try:
		lines = open("%s/%s.raw" % (w, b)).read().splitlines()
	except FileNotFoundError:
		continue
	for line in lines:
		f = line.split("\t")
		if f[0] != "t" or len(f) != 5:
			continue
		key = (int(f[1]), f[2], f[3])
		if key not in rows:
			rows.append(key)
		samples.setdefault((b, key), []).append(float(f[4]))
res = {k: (statistics.median(v), min(v), max(v), len(v)) for k, v in samples.items()}
n_used = sorted({v[3] for v in res.values()})
what = {"keypair": "`ike_dh_keypair` (x, g^x)", "shared": "`ike_dh_shared` (check, y^x)",
	"fullexp": "`bn_mod_exp`, exponent as long as p (for scale)"}
def cell(b, key):
	r = res.get((b, key))
	return "%.2f / %.2f" % (r[0], r[1]) if r else "–"
s = ["<!-- dh-bench begin -->", "## Diffie-Hellman: one exchange's arithmetic", "",
	"`tests/bench/dh.sh` (run by `make bench`, alone: `make bench-dh`): "
	"`tests/bench/dhbench.c` over nattcheck's own `src/ike_dh.c` and `src/bn.c` (32-bit "
	"limbs, Montgomery, fixed 4-bit window; ECP with complete formulas and a Fermat "
	"inversion), built from the same sources for this host (gcc) and for Windows x86_64 "
	"(mingw-w64), run under Wine in a fresh prefix, each at -O2 and at -Os (the exe's "
	"optimisation, build.mk's WIN_CFLAGS).  Every operation %s times: %s rounds, "
	"each a run of every program (the four interleaved, their order turning) timing it %s times "
	"after 3 untimed calls, all samples pooled; "
	"timed inside the program (host: `CLOCK_MONOTONIC`, Windows: `QueryPerformanceCounter`), "
	"so Wine's start-up is not in them.  `plat_random` is the program's own xorshift "
	"(CryptoAPI not measured).  Private values: MODP-1024 32 bytes, MODP-2048 40 bytes "
	"(`modp_priv_len`), P-256 32, P-384 48.  Each group's exchange is done both ways first "
	"and the two secrets compared." % (" or ".join(map(str, n_used)) or "?",
	facts.get("rounds", "?"), int(facts.get("per", "0") or 0) or "?"), "",
	"| | |", "|---|---|",
	"| date | %s |" % facts.get("date", "?"),
	"| machine | %s CPUs (nproc), %s, %s |" % (facts.get("cpus", "?"), facts.get("cpu", "?"),
		facts.get("kernel", "?")),
	"| load average (1/5/15 min) | start %s, end %s; CPUs %s %% idle in the second before "
		"the start (after waiting %s s, at most %s, for 90 %%) |" % (facts.get("load_start", "?"),
		facts.get("load_end", "?"), *facts.get("quiet", "?\t?\t?").split("\t")),
	"| compilers | %s; %s |" % (facts.get("gcc", "?"), facts.get("mingw", "?")),
	"| Wine | %s (64-bit loader, `tests/lab/bin/wine`) |" % facts.get("wine", "?"),
	"| HEAD at the start | %s |" % facts.get("head", "?"),
	"| wall time | host %.1f s + %.1f s; Wine prefix %.1f s; Wine runs %.1f s + %.1f s |" % tuple(
		walls.get(k, 0) / 1000 for k in ("host-O2", "host-Os", "prefix", "wine-O2", "wine-Os")),
	"", "ms per operation, median / min over %s runs:" % (" or ".join(map(str, n_used)) or "?"), "",
	"| group | timed | " + " | ".join(n for _, n in builds) + " |",
	"|---|---|" + "---:|" * len(builds)]
for key in rows:
	g, name, op = key
	s.append("| %d %s | %s | %s |" % (g, name, what.get(op, op),
		" | ".join(cell(b, key) for b, _ in builds)))
s += ["", "One side of a Main Mode exchange (keypair + shared, sums of the medians), ms:", "",
	"| group | " + " | ".join(n for _, n in builds) + " |", "|---|" + "---:|" * len(builds)]
for g, name in sorted({(k[0], k[1]) for k in rows}):
	c = []
	for b, _ in builds:
		a, z = res.get((b, (g, name, "keypair"))), res.get((b, (g, name, "shared")))
		c.append("%.2f" % (a[0] + z[0]) if a and z else "–")
	s.append("| %d %s | %s |" % (g, name, " | ".join(c)))
s.append("")
def ratio(num, den):
	q = [res[(num, k)][1] / res[(den, k)][1] for k in rows if (num, k) in res and (den, k) in res]
	return "%.2f–%.2f" % (min(q), max(q)) if q else "–"
s += ["Ratios of the minimums (the least disturbed figure), lowest–highest over the rows "
	"above: Wine / host %s at -O2, %s at -Os; -Os / -O2 %s on the host, %s under Wine."
	% (ratio("wine-O2", "host-O2"), ratio("wine-Os", "host-Os"), ratio("host-Os", "host-O2"),
	ratio("wine-Os", "wine-O2")), ""]
bad = [b for b, _ in builds if not any(k[0] == b for k in res)]
if bad:
	s += ["No figures from: " + ", ".join(bad) + " (see the bench's log).", ""]
s += ["Commands: `make bench-dh` (or `make bench`), i.e. in each round "
	"`build/bench/dhbench-O2 -r -n %s %s`, the same for `dhbench-Os`, and "
	"`wine 'C:\\dhbench\\dhbench-O2.exe' -r -n %s %s` and `dhbench-Os.exe` in a fresh win10 "
	"prefix (`tests/bench/bench.mk` has the compile lines)."
	% (facts.get("per"), facts.get("groups"), facts.get("per"), facts.get("groups")), ""]
s.append("<!-- dh-bench end -->")
print("\n".join(s))
PY
[ "$ok" = 1 ]
