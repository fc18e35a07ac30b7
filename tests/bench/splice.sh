# shellcheck shell=bash
# splice.sh - put the benchmark relay (relay.c) on the lab's client link.
# Library for tests/bench/run.sh and phase1.sh, sourced after tests/lab/lab.sh
# (and tests/lab/wine.sh, for bench_cleanup), inside the
# lab's "unshare -n".
#
#   bench_splice            after lab_up: the link between the client side
#                           (c, or cn when the client is behind NAT) and the
#                           router r is rebuilt through a relay host "d":
#                           c|cn eth0/wan ── d ra  [relay]  d rb ── r cside
#                           Same addresses, same routes (IPv4 only).
#   bench_relay_start US LOSS SEED   start the relay (one-way delay in µs)
#   bench_relay_stop        stop it; its statistics go to $LAB_DIR/relay.log
#   bench_capture_start PCAP FILTER   tcpdump on the client's eth0 (nanosecond
#                           stamps) into PCAP, its stderr in PCAP's .tcpdump
#                           file; returns once it listens
#   bench_capture_stop      stop it (by its pid)
#   bench_cleanup PREFIX TEMPLATE   for an EXIT trap: relay, capture, the
#                           prefix's wineserver, the lab; removes PREFIX, and
#                           TEMPLATE unless it is "" (one the caller keeps)
#
# The hosts and the relay's pid are recorded in $LAB_DIR/hosts and pids, so
# lab_down removes them like the lab's own.

BENCH_RELAY=${BENCH_RELAY:-}

bench_splice() {
	local cside cif
	if [ "$LAB_CNAT" = 1 ]; then cside=cn cif=wan; else cside=c cif=eth0; fi
	# Deleting one end of a veth deletes both (and the routes through it).
	ip -n "$(lab_ns r)" link del cside || return 1
	_lab_host d || return 1
	_lab_link "$cside" "$cif" 198.18.0.2/24 d ra - || return 1
	_lab_link d rb - r cside 198.18.0.1/24 || return 1
	ip -n "$(lab_ns "$cside")" route add default via 198.18.0.1 || return 1
	# The relay host must not answer or route anything itself.
	lab_exec d sh -c 'sysctl -qw net.ipv4.ip_forward=0
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		sysctl -qw net.ipv6.conf.default.disable_ipv6=1' 2>/dev/null
	return 0
}

bench_relay_start() {
	local us=$1 loss=$2 seed=${3:-1} pid
	[ -z "${BENCH_RELAY_PID:-}" ] || bench_relay_stop
	: >"$LAB_DIR/relay.cur"
	# Not through lab_exec: $! must be the relay (ip netns exec execs it).
	ip netns exec "$(lab_ns d)" "$BENCH_RELAY" ra rb "$us" "$loss" "$seed" \
		2>>"$LAB_DIR/relay.cur" &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	BENCH_RELAY_PID=$pid
	# Ready once its sockets are open (it says so).
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || { cat "$LAB_DIR/relay.cur" >&2; lab_die "relay exited"; return 1; }
		grep -q "^relay: ra <-> rb" "$LAB_DIR/relay.cur" && return 0
		sleep 0.02
	done
	lab_die "relay did not start"
}

bench_relay_stop() {
	[ -n "${BENCH_RELAY_PID:-}" ] || return 0
	kill "$BENCH_RELAY_PID" 2>/dev/null
	wait "$BENCH_RELAY_PID" 2>/dev/null
	cat "$LAB_DIR/relay.cur" >>"$LAB_DIR/relay.log"
	BENCH_RELAY_PID=
}

bench_capture_start() {
	local pcap=$1 filter=$2
	[ -z "${BENCH_CAPTURE_PID:-}" ] || bench_capture_stop
	ip netns exec "$CLIENT_NS" tcpdump -i eth0 -n -U --immediate-mode -B 8192 -Z root \
		--time-stamp-precision=nano -w "$pcap" "$filter" 2>"${pcap%.pcap}.tcpdump" &
	BENCH_CAPTURE_PID=$!
	for _ in $(seq 1 100); do grep -q listening "${pcap%.pcap}.tcpdump" && break; sleep 0.05; done
}

bench_capture_stop() {
	[ -n "${BENCH_CAPTURE_PID:-}" ] || return 0
	kill "$BENCH_CAPTURE_PID" 2>/dev/null
	wait "$BENCH_CAPTURE_PID" 2>/dev/null
	BENCH_CAPTURE_PID=
}

bench_cleanup() {
	local prefix=$1 tpl=$2
	bench_relay_stop
	bench_capture_stop
	[ -f "$prefix/.wineserver.pid" ] && wine_stop "$prefix"
	lab_down
	lab_clean
	rm -rf "$prefix"
	[ -z "$tpl" ] || rm -rf "$tpl"
}
