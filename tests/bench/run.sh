#!/bin/bash
# run.sh - the benchmark behind "make bench" (issue 7): the real exe under
# Wine against the lab, with the client link delayed and lossy through a
# userspace relay (relay.c; this kernel has no sch_netem), timed against the
# wire (tcpdump in the client namespace, same run) and against ike-scan.
# Writes tests/bench/RESULTS.md (via analyze.py) and keeps the raw data.
#
# Usage: tests/bench/run.sh [--quick]
# Environment (defaults in brackets):
#   BENCH_RUNS [15]        exe runs per scenario and condition (reachable, ICMP)
#   BENCH_RUNS_32 [15]     runs of the 32-server check per condition
#   BENCH_RUNS_SILENT [10]  runs against the silent server per condition
#   BENCH_IKESCAN_SLOW [3] ike-scan runs per condition when it can only time out
#   BENCH_RTTS ["20 100 300"]  BENCH_LOSSES ["0 20"]  (percent, each way)
#   BENCH_SCENARIOS ["nonat server-nat both-nat icmp-unreach silent multi32"]
#   BENCH_QUIET_WAIT [120] seconds to wait at most for a 1-min load average
#                          < 0.5 before starting (then it runs anyway)
#   BENCH_EXE [build/x86_64/nattcheck.exe]  BENCH_RELAY [build/bench/relay]
#   BENCH_IDLE [build/bench/idle.exe]   BENCH_OUT [tests/bench/RESULTS.md]
#   BENCH_WORK [mktemp]    raw data (runs.tsv, pcaps, JSON); kept
#   BENCH_B [build]        where the exes and the MSIs are
#   BENCH_TEMPLATE         an existing win10 Wine prefix template to reuse
# --quick: 3 runs (2 silent), RTT 100 only, loss 0 and 20 (a smoke test, ~3 min).
# Default: ~18 minutes on 2 CPUs.
# Runs itself inside a fresh "unshare -n".
# shellcheck disable=SC2086  # $SERVERS and $IKESCAN_ARGS are word lists
set -u
if [ "${BENCH_IN_NETNS:-}" != 1 ]; then
	BENCH_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
. tests/lab/lab.sh
. tests/lab/wine.sh
. tests/bench/splice.sh

RUNS=${BENCH_RUNS:-15}
RUNS_32=${BENCH_RUNS_32:-15}
RUNS_SILENT=${BENCH_RUNS_SILENT:-10}
IKESCAN_SLOW=${BENCH_IKESCAN_SLOW:-3}
RTTS=${BENCH_RTTS:-20 100 300}
LOSSES=${BENCH_LOSSES:-0 20}
SCENARIOS=${BENCH_SCENARIOS:-nonat server-nat both-nat icmp-unreach silent multi32}
if [ "${1:-}" = --quick ]; then
	RUNS=3 RUNS_32=3 RUNS_SILENT=2 IKESCAN_SLOW=1 RTTS=100
fi
B=${BENCH_B:-build}
EXE=$(realpath "${BENCH_EXE:-$B/x86_64/nattcheck.exe}")
BENCH_RELAY=$(realpath "${BENCH_RELAY:-$B/bench/relay}")
IDLE=$(realpath "${BENCH_IDLE:-$B/bench/idle.exe}")
OUT=${BENCH_OUT:-tests/bench/RESULTS.md}
W=${BENCH_WORK:-$(mktemp -d /tmp/nattcheck-bench.XXXXXX)}
PY=/usr/bin/python3
mkdir -p "$W"
for f in "$EXE" "$BENCH_RELAY" "$IDLE"; do
	[ -f "$f" ] || { echo "bench: missing $f (make bench builds it)" >&2; exit 1; }
done
if ! command -v tcpdump >/dev/null || ! command -v ike-scan >/dev/null; then
	echo "bench: needs tcpdump and ike-scan (make deps)" >&2
	exit 1
fi

log() { echo "bench: $(date +%T) $*" >&2; }
ms_now() { date +%s%N; }

# ike-scan as the Windows 8+ message 1 (same transforms and vendor IDs as
# the probe, see tests/lab/selftest.sh), with ike-scan's own retry schedule
# (3 tries, 500 ms, backoff 1.5) and pacing (56 kbit/s); ephemeral source port.
IKESCAN_ARGS="--sport=0 -M
--trans=7/256,2,1,20 --trans=7/128,2,1,19 --trans=7/256,2,1,14 --trans=5,2,1,14 --trans=5,2,1,2
--vendor=01528bbbc00696121849ab9a1c5b2a5100000001
--vendor=1e2b516905991c7d7c96fcbfb587e46100000009
--vendor=4a131c81070358455c5728f20e95452f"

# ---- quiet machine --------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
while [ "$waited" -lt "${BENCH_QUIET_WAIT:-120}" ] &&
	awk -v l="$(load1)" 'BEGIN { exit !(l >= 0.5) }'; do
	[ $((waited % 60)) = 0 ] && log "load $(load1): waiting for < 0.5"
	sleep 10
	waited=$((waited + 10))
done
# A copy: a rebuild during the run cannot mix two exes.
cp "$EXE" "$W/nattcheck.exe" || exit 1
EXE_SRC=$EXE
EXE=$W/nattcheck.exe
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "nproc=$(nproc)"
	echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "kernel=$(uname -sr)"
	echo "wine=$(wine --version 2>/dev/null)"
	echo "ikescan=$(ike-scan --version 2>&1 | head -1)"
	echo "tcpdump=$(tcpdump --version 2>&1 | head -1)"
	echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- src win 2>/dev/null || echo ' (src/win modified)')"
	echo "exe=${EXE_SRC#"$root"/}"
	echo "exe_sha256=$(sha256sum "$EXE" | cut -c1-16)"
	echo "exe_mtime=$(date -u -r "$EXE_SRC" '+%Y-%m-%d %H:%M:%S UTC')"
	echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "quiet_wait_s=$waited"
	echo "runs=$RUNS"
	echo "runs_32=$RUNS_32"
	echo "runs_silent=$RUNS_SILENT"
	echo "ikescan_slow=$IKESCAN_SLOW"
	echo "rtts=$RTTS"
	echo "losses=$LOSSES"
	for f in "$B"/i686/nattcheck.exe "$B"/x86_64/nattcheck.exe "$B"/nattcheck-*-x86.msi "$B"/nattcheck-*-x64.msi; do
		[ -f "$f" ] && echo "size ${f#"$B"/} $(stat -c %s "$f")"
	done
} >"$W/meta"
log "work dir $W; load $(load1)"

# ---- the lab ---------------------------------------------------------------
P=$W/prefix
# A Wine prefix template (~700 MB): BENCH_TEMPLATE reuses one (tests/lab/wine.sh
# template DIR win10), else one is made in the work dir and removed at the end.
TPL=${BENCH_TEMPLATE:-$W/tpl-win10}
[ -f "$TPL/.nattlab-version" ] || wine_template "$TPL" win10 || { log "no Wine template"; exit 1; }


# The template only when made here.
trap 'bench_cleanup "$P" "$([ -n "${BENCH_TEMPLATE:-}" ] || echo "$W/tpl-win10")"' EXIT
trap 'exit 130' INT TERM

# scenario -> lab scenario, servers
bench_up() {
	local sc=$1 lab=$1 i
	[ "$sc" = multi32 ] && lab=server-nat
	lab_clean 2>/dev/null
	lab_up "$lab" >/dev/null 2>"$W/lab.err" || { cat "$W/lab.err" >&2; return 1; }
	SERVERS=$SERVER_ADDR
	if [ "$sc" = multi32 ]; then
		# 32 public addresses on the server's NAT router, each forwarded
		# to its own address of the one charon (which binds the wildcard
		# and answers from the address asked).  One private address per
		# public one: forwarding several to one would make the NAT remap
		# client ports whose earlier flows (other runs) still sit in its
		# connection table, and the server would rightly see a client NAT.
		for i in $(seq 3 33); do
			ip -n "$(lab_ns sn)" addr add "198.19.0.$i/24" dev wan || return 1
			ip -n "$(lab_ns s)" addr add "198.19.10.$i/24" dev eth0 || return 1
			lab_exec sn nft insert rule ip nat pre iifname wan ip daddr "198.19.0.$i" \
				udp dport '{ 500, 4500 }' dnat to "198.19.10.$i" || return 1
			SERVERS="$SERVERS 198.19.0.$i"
		done
	fi
	bench_splice || return 1
	wine_case_prefix "$TPL" "$P"
	wine_start "$CLIENT_NS" "$P" || return 1
}

bench_down() {
	bench_relay_stop
	wine_stop "$P"
	rm -rf "$P"
	lab_down
}

# exe_run TAG ARGS...: the exe under Wine in the client namespace; appends
# a row to runs.tsv: tag tool t0_ns t1_ns rc file
exe_run() {
	local tag=$1 t0 t1 rc
	shift
	t0=$(ms_now)
	_wine_ns "$CLIENT_NS" "$P" wine "$EXE" "$@" >"$W/out/$tag.json" 2>"$W/out/$tag.err"
	rc=$?
	t1=$(ms_now)
	printf '%s\texe\t%s\t%s\t%s\n' "$tag" "$t0" "$t1" "$rc" >>"$W/runs.tsv"
}

ikescan_run() {
	local tag=$1 t0 t1 rc
	shift
	t0=$(ms_now)
	ip netns exec "$CLIENT_NS" ike-scan $IKESCAN_ARGS "$@" >"$W/out/$tag.ike" 2>&1
	rc=$?
	t1=$(ms_now)
	printf '%s\tike-scan\t%s\t%s\t%s\n' "$tag" "$t0" "$t1" "$rc" >>"$W/runs.tsv"
}

mkdir -p "$W/out"
: >"$W/runs.tsv"
: >"$W/relay.tsv"
: >"$W/conditions.tsv"
: >"$W/facts.tsv"

# ---- 1. the relay's own accuracy (UDP echo through it, nonat) -------------
log "relay accuracy"
bench_up nonat || exit 1
# The relay's host is in place; measure the direct link first by running the
# relay with no delay, then each RTT.
ip netns exec "$(lab_ns s)" "$PY" "$here/udpping.py" echo 7 "$W/echo.ready" &
echo $! >>"$LAB_DIR/pids"
for _ in $(seq 1 50); do [ -e "$W/echo.ready" ] && break; sleep 0.05; done
for rtt in 0 $RTTS; do
	bench_relay_start $((rtt * 500)) 0 1 || exit 1
	printf 'relay\t%s\t%s\n' "$rtt" \
		"$(lab_exec c "$PY" "$here/udpping.py" ping 198.19.0.2 7 30)" >>"$W/relay.tsv"
	bench_relay_stop
done

# ---- 2. Wine start-up: "wine exe --version" (wineserver running) ----------
log "wine start-up"
for i in $(seq 0 "$RUNS"); do
	t0=$(ms_now)
	_wine_ns "$CLIENT_NS" "$P" wine "$EXE" --version >/dev/null 2>&1
	t1=$(ms_now)
	printf 'version\t%s\t%s\n' "$i" $(((t1 - t0) / 1000000)) >>"$W/startup.tsv"
done
bench_down

# ---- 3. the matrix -----------------------------------------------------------
seed=1
for sc in $SCENARIOS; do
	log "scenario $sc"
	bench_up "$sc" || { log "lab for $sc failed"; bench_down; continue; }
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$sc" "$EXPECT_VERDICT" "$EXPECT_UDP500" \
		"$EXPECT_SERVER_BEHIND_NAT" "$EXPECT_CLIENT_BEHIND_NAT" "$EXPECT_UDP4500" \
		"$(echo $SERVERS | wc -w)" >>"$W/facts.tsv"
	bench_capture_start "$W/$sc.pcap" 'udp or icmp'
	# One untimed run: the first exe start in a fresh prefix loads DLLs cold.
	bench_relay_start 0 0 1
	_wine_ns "$CLIENT_NS" "$P" wine "$EXE" --json check $SERVERS >/dev/null 2>&1
	case $sc in
	multi32) n=$RUNS_32 nike=$RUNS_32 ;;
	silent) n=$RUNS_SILENT nike=$IKESCAN_SLOW ;;
	icmp-unreach) n=$RUNS nike=$IKESCAN_SLOW ;;
	*) n=$RUNS nike=$RUNS ;;
	esac
	for rtt in $RTTS; do
		for loss in $LOSSES; do
			seed=$((seed + 1))
			bench_relay_start $((rtt * 500)) "$loss" "$seed" || exit 1
			printf '%s\t%s\t%s\t%s\t%s\n' "$sc" "$rtt" "$loss" "$seed" "$(ms_now)" >>"$W/conditions.tsv"
			for i in $(seq 1 "$n"); do
				exe_run "$sc.$rtt.$loss.$i" --json check $SERVERS
				[ "$i" -le "$nike" ] && ikescan_run "$sc.$rtt.$loss.$i" $SERVERS
			done
			bench_relay_stop
			sed "s/^/$sc\t$rtt\t$loss\t/" "$LAB_DIR/relay.cur" | grep 'from' >>"$W/relay.tsv"
		done
	done
	bench_relay_stop
	bench_capture_stop
	bench_down
done

# ---- 4. peak memory of a check run -----------------------------------------
# The Wine process that runs the exe is the one "ip netns exec" starts (ip,
# env, Debian's wine script and wine64 all exec): memprobe.py samples its
# /proc status until it exits.  Baseline: idle.exe (same imports, Winsock and
# CryptoAPI started, one socket).
log "peak memory"
mem_run() { # mem_run LABEL EXE ARGS...
	local label=$1 exe=$2 pid
	shift 2
	ip netns exec "$CLIENT_NS" env WINEPREFIX="$P" WINEDEBUG="$WINEDEBUG" \
		WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH=win64 \
		wine "$exe" "$@" >/dev/null 2>&1 &
	pid=$!
	printf '%s\t%s\n' "$label" "$("$PY" "$here/memprobe.py" "$pid")" >>"$W/memory.tsv"
	wait "$pid"
}
: >"$W/memory.tsv"
if bench_up multi32; then
	bench_relay_start 10000 0 1
	mem_run warmup "$EXE" --json check 198.19.0.2
	for i in 1 2 3 4 5; do
		mem_run idle "$IDLE"
		mem_run check1 "$EXE" --json check 198.19.0.2
		mem_run check32 "$EXE" --json check $SERVERS
	done
	bench_down
fi
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$W/meta"

# ---- 5. the report -------------------------------------------------------------
log "analysis"
if ! "$PY" "$here/analyze.py" "$W" >"$OUT.tmp"; then
	log "analysis failed (raw data in $W)"
	exit 1
fi
mv "$OUT.tmp" "$OUT"
log "wrote $OUT (raw data in $W)"
