#!/bin/bash
# phase1.sh - `make bench`, key part (issues 13 and 16): how long the real
# x86_64 exe under Wine needs, with the pre-shared key (--psk-file, the lab's
# LAB_PSK), until Main Mode is complete and Quick Mode accepted, against the
# round trips of the wire.  With the key one check is Main Mode in 3 round
# trips (messages 1-2, 3-4, 5-6) and Quick Mode in 1 (QM 1-2); the DELETEs
# after it are fire-and-forget.  Without the key it is messages 1-4 (2 round
# trips), measured the same way, interleaved run by run, so that the cost of
# the key path shows.  The client link goes through the bench relay
# (relay.c, fixed one-way delay, no loss) at each RTT; tcpdump in the client
# namespace gives the bare exchange of every run (phase1.py).  Replaces the
# section between the "phase1-bench" markers of RESULTS.md (put_section.py;
# appended when missing).  Figures only: nothing here fails on a time.
#
# Usage: tests/bench/phase1.sh     (make bench-phase1; also part of make bench)
# Environment (defaults in brackets):
#   BENCH_P1_RUNS [5]        runs per scenario, RTT and mode (key / no key)
#   BENCH_P1_RTTS ["20 100 300"]   BENCH_P1_SCENARIOS ["nonat server-nat"]
#   BENCH_EXE [build/x86_64/nattcheck.exe]  BENCH_RELAY [build/bench/relay]
#   BENCH_B [build]          where those two are by default
#   BENCH_OUT [tests/bench/RESULTS.md]  BENCH_P1_WORK [mktemp]: pcaps, JSON, runs.tsv (kept)
#   BENCH_TEMPLATE           an existing win10 Wine prefix template to reuse
#   BENCH_P1_DATE            the date the section names [today, UTC]
#   BENCH_P1_EXE_NOTE        a word on the exe for the section (e.g. what it was built from)
# Runs itself inside a fresh "unshare -n"; the lab's hosts are network
# namespaces in it, the wineserver is the case prefix's own, started in the
# client namespace, and only what this script started is stopped (by pid).
# About 1.5 minutes on 2 CPUs (12-25 s of it making the Wine template).
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

RUNS=${BENCH_P1_RUNS:-5}
RTTS=${BENCH_P1_RTTS:-20 100 300}
SCENARIOS=${BENCH_P1_SCENARIOS:-nonat server-nat}
B=${BENCH_B:-build}
EXE=$(realpath "${BENCH_EXE:-$B/x86_64/nattcheck.exe}")
BENCH_RELAY=$(realpath "${BENCH_RELAY:-$B/bench/relay}")
OUT=${BENCH_OUT:-tests/bench/RESULTS.md}
W=${BENCH_P1_WORK:-$(mktemp -d /tmp/nattcheck-phase1.XXXXXX)}
PY=/usr/bin/python3
mkdir -p "$W/out"
for f in "$EXE" "$BENCH_RELAY"; do
	[ -f "$f" ] || { echo "bench-phase1: missing $f (make bench-phase1 builds it)" >&2; exit 1; }
done
command -v tcpdump >/dev/null || { echo "bench-phase1: needs tcpdump (make deps)" >&2; exit 1; }
log() { echo "bench-phase1: $(date +%T) $*" >&2; }
ns_now() { date +%s%N; }

# A copy: a rebuild during the run cannot mix two exes.
cp "$EXE" "$W/nattcheck.exe" || exit 1
{
	echo "date	${BENCH_P1_DATE:-$(date -u +%Y-%m-%d)}"
	echo "started	$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "cpus	$(nproc)"
	echo "cpu	$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "kernel	$(uname -sr)"
	echo "wine	$(wine --version 2>/dev/null)"
	echo "head	$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src win 2>/dev/null || echo ' (src/win modified)')"
	echo "exe	${EXE#"$root"/}"
	echo "exe_sha256	$(sha256sum "$EXE" | cut -c1-16)"
	echo "exe_note	${BENCH_P1_EXE_NOTE:-}"
	echo "load_start	$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "runs	$RUNS"
	echo "rtts	$RTTS"
	echo "scenarios	$SCENARIOS"
} >"$W/meta.tsv"
EXE=$W/nattcheck.exe
log "work dir $W; load $(cut -d' ' -f1 /proc/loadavg)"

P=$W/prefix
TPL=${BENCH_TEMPLATE:-$W/tpl-win10}
# The template only when made here.
trap 'bench_cleanup "$P" "$([ -n "${BENCH_TEMPLATE:-}" ] || echo "$W/tpl-win10")"' EXIT
trap 'exit 130' INT TERM

t_tpl=$(date +%s%3N)
[ -f "$TPL/.nattlab-version" ] || wine_template "$TPL" win10 >/dev/null 2>&1 ||
	{ log "no Wine template"; exit 1; }
echo "wall	template	$(($(date +%s%3N) - t_tpl))" >>"$W/meta.tsv"

# exe_run TAG MODE ARGS...: the exe under Wine in the client namespace,
# output to out/TAG.json; a row "tag mode t0_ns t1_ns rc" in runs.tsv.
exe_run() {
	local tag=$1 mode=$2 t0 t1 rc
	shift 2
	t0=$(ns_now)
	_wine_ns "$CLIENT_NS" "$P" wine "$EXE" "$@" >"$W/out/$tag.json" 2>"$W/out/$tag.err" </dev/null
	rc=$?
	t1=$(ns_now)
	printf '%s\t%s\t%s\t%s\t%s\n' "$tag" "$mode" "$t0" "$t1" "$rc" >>"$W/runs.tsv"
}

: >"$W/runs.tsv"
: >"$W/relay.tsv"
KEY='C:\p1\key.txt'
for sc in $SCENARIOS; do
	log "scenario $sc"
	t_sc=$(date +%s%3N)
	lab_clean 2>/dev/null
	if ! lab_up "$sc" >/dev/null 2>"$W/lab.err"; then
		cat "$W/lab.err" >&2
		log "lab for $sc failed"
		lab_down
		continue
	fi
	printf 'scenario\t%s\t%s\t%s\t%s\n' "$sc" "$SERVER_ADDR" "$EXPECT_SERVER_BEHIND_NAT" \
		"$EXPECT_VERDICT" >>"$W/meta.tsv"
	bench_splice || { log "splice failed"; lab_down; continue; }
	wine_case_prefix "$TPL" "$P" || exit 1
	mkdir -p "$P/drive_c/p1"
	printf '%s\r\n' "$LAB_PSK" >"$P/drive_c/p1/key.txt"
	wine_start "$CLIENT_NS" "$P" || { log "wineserver failed"; lab_down; continue; }
	bench_capture_start "$W/$sc.pcap" udp
	# Untimed: the first exe start in a fresh prefix loads its DLLs cold.
	bench_relay_start 0 0 1 || exit 1
	_wine_ns "$CLIENT_NS" "$P" wine "$EXE" --json --psk-file "$KEY" check "$SERVER_ADDR" \
		>"$W/out/$sc.warmup.json" 2>&1 </dev/null
	for rtt in $RTTS; do
		bench_relay_start $((rtt * 500)) 0 1 || exit 1
		for i in $(seq 1 "$RUNS"); do
			# The order turns run by run, so neither mode always goes first.
			if [ $((i % 2)) = 1 ]; then
				exe_run "$sc.$rtt.$i.key" key --json --psk-file "$KEY" check "$SERVER_ADDR"
				exe_run "$sc.$rtt.$i.nokey" nokey --json check "$SERVER_ADDR"
			else
				exe_run "$sc.$rtt.$i.nokey" nokey --json check "$SERVER_ADDR"
				exe_run "$sc.$rtt.$i.key" key --json --psk-file "$KEY" check "$SERVER_ADDR"
			fi
		done
		bench_relay_stop
		sed "s/^/$sc\t$rtt\t/" "$LAB_DIR/relay.cur" | grep 'from' >>"$W/relay.tsv"
	done
	bench_relay_stop
	bench_capture_stop
	wine_stop "$P"
	rm -rf "$P"
	lab_down
	echo "wall	$sc	$(($(date +%s%3N) - t_sc))" >>"$W/meta.tsv"
done
echo "load_end	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$W/meta.tsv"

log "analysis"
if ! "$PY" "$here/phase1.py" "$W" >"$W/section.md"; then
	log "analysis failed (raw data in $W)"
	exit 1
fi
"$PY" "$here/put_section.py" phase1-bench "$OUT" <"$W/section.md" >/dev/null || exit 1
log "wrote the phase1-bench section of $OUT (raw data in $W)"
