#!/bin/bash
# hostile.sh - the real exe under Wine against a hostile network: a scripted
# IKE responder (tests/lab/hostile_responder.py) that answers with malformed
# ISAKMP, wrong cookies, random bytes, oversized datagrams, spoofed sources,
# duplicates that come late, or never answers message 3; and a DNS server
# that never answers.  For each: no crash (exit 0-3), a JSON document whose
# exit_code is the exit code, no NAT fact unless a genuine message 4 came, the
# expected verdict, and the time budget (--timeout: elapsed_ms <= timeout +
# 100, wall time <= timeout + Wine start-up).
# Must run inside a fresh "unshare -n" (run.sh does; run alone, it re-runs
# itself in one).  Lab addresses only: 198.18.0.0/15.
# Usage: hostile.sh ARCH [MODE...]      (ARCH: x86_64 | i686)
#   HOSTILE_VERSIONS         Wine prefixes (default: winxp64 win10)
#   HOSTILE_WINE_STARTUP_MS  wall-time allowance for Wine's start-up (1500)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ip -o link show | awk -F': ' '$2 != "lo" {f=1} END {exit !f}'; then
	[ "${NATTLAB_UNSHARED:-}" = 1 ] && { echo "hostile: namespace not private" >&2; exit 1; }
	exec unshare -n env NATTLAB_UNSHARED=1 bash "$0" "$@"
fi
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"

arch=${1:-x86_64}
shift
ALL_MODES="good truncated overrun-header overrun-payload zero-length long-chain
wrong-cookie wrong-cookie-mm4 random bad-transform oversized spoofed twice-late mm1-only
flood many-natd"
modes=${*:-$ALL_MODES}
EXE=$root/build/$arch/nattcheck.exe
STARTUP=${HOSTILE_WINE_STARTUP_MS:-1500}
TIMEOUT=2000
work=${NC_WORK:-}
own_work=0
[ -n "$work" ] || { work=$(mktemp -d /tmp/nattcheck-hostile.XXXXXX); own_work=1; }
ver=- m=-
RPID='' P='' NETNS_ETC=''
. "$here/lib.sh"
tag() { echo "$arch/${ver:--}/${m:--}"; }
jqf() { printf '%s' "$OUT" | jq -r "$1" 2>/dev/null; }
le() { [ -n "$1" ] && [ "$1" -le "$2" ] 2>/dev/null; }
le2() { le "$1" "$2" && le "$3" "$4"; }
in_list() { local x=$1 w; shift; for w in "$@"; do [ "$x" = "$w" ] && return 0; done; return 1; }

cleanup() {
	stop_responder
	[ -n "$NETNS_ETC" ] && rm -rf "$NETNS_ETC"
	[ -n "$P" ] && [ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	[ -n "$P" ] && rm -rf "$P"
	lab_clean
	[ "$own_work" = 1 ] && rm -rf "$work"
}
if [ ! -x /usr/lib/wine/wine64 ] || { [ "$arch" = i686 ] && [ "$NC_WINE32" != 1 ]; }; then
	echo "SKIP [$arch] no Wine for $arch here: $( [ -x /usr/lib/wine/wine64 ] && wine_why_no32 || echo 64-bit Wine is not installed)"
	echo "hostile-$arch: 0 passed, 0 failed, 1 skipped"
	[ "$own_work" = 1 ] && rm -rf "$work"
	exit 0
fi
[ -f "$EXE" ] || { echo "FAIL [$arch] $EXE missing"; echo "hostile-$arch: 0 passed, 1 failed"; [ "$own_work" = 1 ] && rm -rf "$work"; exit 1; }


# nc ARGS...: the exe in the client namespace; sets OUT ERR RC MS (wall ms)
# nc ARGS...: the exe in the client namespace; sets OUT ERR RC MS (wall ms).
# A retry when Wine did not start it meets the responder as the first would:
# nothing was sent.
nc() { wine_exe "$CLIENT_NS" "$P" "$work/hostile.err" "$EXE" "$@"; }

# The responder in the server host, by pid (ip netns exec execs python).
start_responder() {
	rm -f "$work/hr.ready"
	ip netns exec "$SERVER_NS" python3 -u "$root/tests/lab/hostile_responder.py" "$@" \
		--ready "$work/hr.ready" >"$work/hr.log" 2>&1 &
	RPID=$!
	echo "$RPID" >>"$LAB_DIR/pids"
	for _ in $(seq 1 100); do
		[ -e "$work/hr.ready" ] && return 0
		kill -0 "$RPID" 2>/dev/null || break
		sleep 0.05
	done
	ko "responder $* did not start" "$(cat "$work/hr.log")"
	return 1
}
stop_responder() {
	[ -n "$RPID" ] || return 0
	kill "$RPID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$RPID" 2>/dev/null || break; sleep 0.05; done
	kill -9 "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
	RPID=
}

trap cleanup EXIT
trap 'exit 130' INT TERM

FACTS='.servers[0] | [.udp500, (.natt // "null"), (.server_behind_nat|tostring),
	(.client_behind_nat|tostring), .udp4500] | join(" ")'

# The outcome every run must have, whatever the network did: no crash, one
# JSON document that agrees with the exit code, within the budget.
common_checks() { # common_checks TIMEOUT_MS
	local t=$1 el
	check "exit code $RC is a verdict (0-3), not a crash" in_list "$RC" 0 1 2 3
	check "one JSON document, exit_code = exit code, run verdict = server verdict" \
		[ "$(jqf '(.exit_code|tostring) + " " + (.verdict == .servers[0].verdict | tostring) + " " + (.servers|length|tostring)')" = "$RC true 1" ]
	el=$(jqf '.servers[0].elapsed_ms')
	check "elapsed_ms ${el:-?} <= $t + 100" le "$el" $((t + 100))
	check "wall ${MS} ms <= $t + ${STARTUP} (Wine start-up; --version took ${WINE_MS} ms)" \
		[ "$MS" -le $((t + STARTUP)) ]
	check "nothing on stderr" [ -z "$ERR" ]
}

# Allowed outcomes per mode: "udp500 natt server_nat client_nat udp4500 verdict"
# alternatives (glob patterns); NATT is rfc3947 (win10) or draft (XP).  Null facts unless a
# genuine message 4 came: only good, long-chain (valid, if odd), oversized
# (a correct answer follows the big ones) and twice-late may give facts,
# and then only the real ones (no NAT in this lab).  many-natd: RFC 3947
# 3.2 lets a responder send one NAT-D per address; the server is behind NAT
# only if none of them matches (the matching one is the 10th here).
JUNK="no-answer null null null no-answer blocked-udp500"
# Replies from the server that do not parse are answers, not a firewall.
JUNKI="no-answer null null null no-answer inconclusive"
# With no NAT either way the exe may stop before UDP 4500 answers (not-tested).
REAL="answered NATT false false answered works|answered NATT false false not-tested works"
want_for() {
	case $1 in
	good|twice-late|oversized|many-natd) echo "$REAL" ;;
	# 150 junk datagrams fit in the socket buffer with the correct answer
	# behind them: the exe must wade through and find it.  (With 400 the
	# kernel drops the answer: no-answer, never a false fact.)
	flood) echo "$REAL" ;;
	long-chain) echo "$REAL|answered NATT null null answered blocked-udp500|$JUNK|$JUNKI" ;;
	truncated|overrun-header|overrun-payload|zero-length) echo "$JUNKI" ;;
	# random bytes: almost surely unparseable, possibly only ignored
	random) echo "$JUNKI|$JUNK" ;;
	# they parse, but match nothing of ours (or come from elsewhere): ignored
	wrong-cookie|spoofed) echo "$JUNK" ;;
	wrong-cookie-mm4|mm1-only) echo "answered NATT null null answered blocked-udp500" ;;
	# An SA with DH group 99 is an answer (on 4500 too), then the exchange
	# breaks: Windows never offered that group.
	bad-transform) echo "answered NATT null null answered inconclusive" ;;
	esac
}

run_mode() {
	local want got alt found=0
	start_responder "$m" || return
	[ "$m" = spoofed ] && spoof_q0=$(spoofq)
	nc --json --timeout $TIMEOUT check 198.19.0.2
	stop_responder
	common_checks $TIMEOUT
	got="$(jqf "$FACTS") $(jqf .verdict)"
	want=$(want_for "$m")
	IFS='|' read -ra alts <<<"$want"
	for alt in "${alts[@]}"; do
		# shellcheck disable=SC2053
		[[ $got == ${alt//NATT/$natt} ]] && found=1
	done
	if [ $found = 1 ]; then ok "facts+verdict: $got"
	else ko "facts+verdict" "want one of: ${want//NATT/$natt}
got: $got
out: $OUT"; fi
	check "the responder got message 1 (its answers reached the exe's host)" \
		grep -q "^MM1 on 500" "$work/hr.log"
	# A good citizen: one exchange per port (one source port), at most 6
	# sends of each message, the same bytes again (the responder matched
	# its retransmissions to one state).
	for what in "MM1 on 500" "MM3 on 500" "MM1 on 4500"; do
		sends=$(grep -c "^$what " "$work/hr.log")
		ports=$(grep "^$what " "$work/hr.log" | sed 's/.*://' | sort -u | wc -l)
		check "good citizen: $what: $sends sends (<= 6) from $ports source port(s) (<= 1)" \
			le2 "$sends" 6 "$ports" 1
	done
	case $m in
	spoofed)
		spoof_q1=$(spoofq)
		check "spoofed replies reached the client host (${spoof_q0:-?} -> ${spoof_q1:-?} datagrams) and were ignored" \
			[ "${spoof_q1:-0}" -gt "${spoof_q0:-0}" ] ;;
	mm1-only|wrong-cookie-mm4)
		check "advice: answered message 1 but not the second" \
			sh -c 'printf "%s" "$1" | grep -q "answered the first IKE message but not the second"' x "$(jqf '.servers[0].advice')"
		check "elapsed runs to the deadline (>= $((TIMEOUT - 100)) ms): waited for message 4" \
			[ "$(jqf '.servers[0].elapsed_ms')" -ge $((TIMEOUT - 100)) ] ;;
	twice-late)
		check "duplicates were sent late (the responder logged message 3)" grep -q "^MM3 on 500" "$work/hr.log" ;;
	truncated|overrun-header|overrun-payload|zero-length)
		check "inconclusive: the advice names the parse error and its byte, never a firewall; JSON counts them ($(jqf '.servers[0].unparseable') unparseable)" \
			sh -c 'printf "%s" "$1" | grep -q "did not parse (.* at byte [0-9]* of [0-9]*)" && ! printf "%s" "$1" | grep -qi firewall && [ "$2" -ge 1 ]' x "$(jqf '.servers[0].advice')" "$(jqf '.servers[0].unparseable')" ;;
	bad-transform)
		check "inconclusive: the advice names DH group 99" \
			sh -c 'printf "%s" "$1" | grep -q "DH group 99"' x "$(jqf '.servers[0].advice')" ;;
	esac
}

VERSIONS=${HOSTILE_VERSIONS:-winxp64 win10}
for ver in $VERSIONS; do
	[ -f "$work/tpl-$ver/.nattlab-version" ] || wine_template "$work/tpl-$ver" "$ver" ||
		{ ko "wine template $ver"; result "hostile-$arch"; exit 1; }
done

ver=- m=lab
lab_up hostile >/dev/null 2>"$work/lab.err" || { ko "lab_up hostile" "$(cat "$work/lab.err")"; result "hostile-$arch"; exit 1; }
# Count the spoofed replies that reach the client host (they must be ignored).
lab_exec c nft -f - <<-'EOF'
	table inet hostile_spoof {
		chain input {
			type filter hook input priority filter; policy accept;
			ip saddr 198.19.0.3 udp sport { 500, 4500 } counter
			ip saddr 198.19.0.2 udp sport { 501, 4501 } counter
		}
	}
EOF
spoofq() {
	lab_exec c nft list table inet hostile_spoof |
		awk '{for (i=1;i<=NF;i++) if ($i=="packets") n+=$(i+1)} END {print n+0}'
}

for ver in $VERSIONS; do
	case $ver in winxp64 | xp32*) natt=draft ;; *) natt=rfc3947 ;; esac
	P=$work/hostile-$arch-$ver
	wine_case_prefix "$work/tpl-$ver" "$P"
	m=wine
	wine_start "$CLIENT_NS" "$P" || { ko "wineserver start"; continue; }
	nc --version
	WINE_MS=$MS
	check "--version runs (Wine start-up ${WINE_MS} ms)" [ "$RC" = 0 ]
	for m in $modes; do
		run_mode
	done

	# -- a DNS server that never answers (once, with the last version listed:
	# the resolver is Wine's)
	if [ "$ver" = "${VERSIONS##* }" ] && [ -z "${*:-}" ]; then
		m=dns
		NETNS_ETC=/etc/netns/$CLIENT_NS
		mkdir -p "$NETNS_ETC"
		printf 'nameserver 198.18.0.1\noptions timeout:5 attempts:2\n' >"$NETNS_ETC/resolv.conf"
		printf '127.0.0.1 localhost\n198.19.0.2 vpn.lab.example\n' >"$NETNS_ETC/hosts"
		dnsq() { lab_exec r nft list table inet hostile_dns | awk '/udp dport 53/ {for (i=1;i<=NF;i++) if ($i=="packets") print $(i+1)}'; }
		q0=$(dnsq)
		start_responder good
		nc --json --timeout 1000 check name.example
		q1=$(dnsq)
		common_checks 1000
		check "verdict blocked-udp500, exit 3" [ "$(jqf '.servers[0].verdict')/$RC" = "blocked-udp500/3" ]
		check "advice: the name did not resolve in time" \
			sh -c 'printf "%s" "$1" | grep -q "did not resolve within the time budget"' x "$(jqf '.servers[0].advice')"
		check "detail: no answer from the resolver within 1000 ms" \
			[ "$(jqf '.servers[0].detail')" = "no answer from the resolver within 1000 ms" ]
		check "facts all null, address null" [ "$(jqf "$FACTS") $(jqf '.servers[0].address')" = "no-answer null null null not-tested null" ]
		check "Wine's resolver asked the lab nameserver 198.18.0.1 (udp/53 drops: ${q0:-?} -> ${q1:-?})" \
			[ "${q1:-0}" -gt "${q0:-0}" ]
		# A name from the namespace's hosts file: resolves, probes, real facts.
		nc --json --timeout 2000 check vpn.lab.example
		check "vpn.lab.example from /etc/netns/.../hosts: 198.19.0.2, works" \
			[ "$(jqf '.servers[0].address + " " + .verdict')/$RC" = "198.19.0.2 works/0" ]
		# A hanging name next to a working address: the address still gets
		# its facts, the run still ends on time.
		nc --json --timeout 1500 check name.example 198.19.0.2
		el=$(jqf '[.servers[].elapsed_ms] | max')
		check "hanging name + address: ends in time (max elapsed ${el:-?} <= 1600, wall $MS <= $((1500 + STARTUP)))" \
			le2 "$el" 1600 "$MS" $((1500 + STARTUP))
		check "hanging name + address: verdicts blocked-udp500 + works, exit 3" \
			[ "$(jqf '[.servers[].verdict] | join(" ")')/$RC" = "blocked-udp500 works/3" ]
		stop_responder
		rm -rf "$NETNS_ETC"
		NETNS_ETC=
	fi
	wine_stop "$P"
	rm -rf "$P"
	P=
done

result "hostile-$arch"
