#!/bin/bash
# lab.sh - network test lab for nattcheck: namespaces, NAT routers, charon.
#
# Use as a library (". tests/lab/lab.sh; lab_up server-nat; ...; lab_down")
# or as a command ("tests/lab/lab.sh up server-nat", "lab.sh down",
# "lab.sh list", "lab.sh facts server-nat", "lab.sh env").
#
# Everything must run inside a private network namespace ("unshare -n"): the
# functions refuse to work in a namespace that has any interface but "lo".
# Only 198.18.0.0/15 and 2001:2::/48 are used.  Topology (names are suffixes
# of "$LAB_ID-"; routers forward, NAT routers use nftables):
#
#   c  client   198.18.0.2            (or 198.18.10.2 behind cn)
#   cn client NAT   lan 198.18.10.1, wan 198.18.0.2, masquerade
#   r  "internet" router  198.18.0.1 | 198.19.0.1  (2001:2:0:1::1 | 2001:2:0:2::1)
#   sn server NAT   wan 198.19.0.2, lan 198.19.10.1, DNAT udp 500/4500
#   s  server   198.19.0.2            (or 198.19.10.2 behind sn)
#
# SERVER_ADDR is always the public address 198.19.0.2 (2001:2:0:2::2 for
# ipv6).  Each scenario exports the facts a correct probe must find, see
# lab_facts.  State (configs, logs, pids) lives in $LAB_DIR.

LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# One lab per network namespace: the id is the namespace's inode, so that
# separate "lab.sh" invocations in the same "unshare -n" find the same lab,
# while labs of concurrent runs (other namespaces) never collide in /run/netns.
LAB_ID=${LAB_ID:-nl$(readlink /proc/self/ns/net | tr -dc 0-9)}
LAB_DIR=${LAB_DIR:-/tmp/nattlab.$LAB_ID}
LAB_PSK=${LAB_PSK:-nattcheck-lab-psk}
CHARON=${CHARON:-/usr/lib/ipsec/charon}

LAB_SCENARIOS="nonat server-nat client-nat both-nat server-nat-no4500
server-nat-no4500-reject silent icmp-unreach strict-proposal ecp-first ipv6
no-natt no-natt-cnat nonat-encap pluto-psk pluto-cert ipv6-cnat"

# Proposals of a typical L2TP/IPsec server: MODP only, Windows gets group 14.
LAB_PROPOSALS_DEFAULT="aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp2048,3des-sha1-modp1024"
LAB_PROPOSALS_STRICT="aes256-sha256-modp2048"
LAB_PROPOSALS_ECP="aes256-sha1-ecp384,aes128-sha1-ecp256,aes256-sha1-modp2048,3des-sha1-modp2048,3des-sha1-modp1024"

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: error: $*" >&2; return 1; }

# Refuse to touch a namespace that can reach anything: it must be a fresh
# "unshare -n" (only lo).  Our own veths never stay here (moved at creation).
lab_check_private() {
	local others
	others=$(ip -o link show | awk -F': ' '$2 != "lo" {print $2}')
	if [ -n "$others" ]; then
		lab_die "this network namespace has interfaces ($others); run inside 'unshare -n'"
		return 1
	fi
	ip link set lo up
}

lab_ns() { echo "$LAB_ID-$1"; }

# Run a command in one of the lab hosts: lab_exec c|cn|r|sn|s CMD...
lab_exec() {
	local host=$1
	shift
	ip netns exec "$(lab_ns "$host")" "$@"
}

# lab_drop_deletes: from now on the router drops every ISAKMP Informational
# (exchange type 5) towards the server, on UDP 500 and on UDP 4500 after the
# non-ESP marker, so the DELETEs a probe sends never arrive: the control
# that shows a suite's "no SA left" check can fail.  lab_allow_deletes ends
# that.
lab_drop_deletes() {
	lab_exec r nft -f - <<-'EOF'
		table inet dropdeletes {
			chain forward {
				type filter hook forward priority filter; policy accept;
				udp dport 500 @th,208,8 5 drop
				udp dport 4500 @th,240,8 5 drop
			}
		}
	EOF
}
lab_allow_deletes() { lab_exec r nft delete table inet dropdeletes; }

# lab_capture_start HOST FILE: tcpdump of UDP 500 and 4500 in a lab host
# into FILE (pcap), listening when this returns; its pid in
# LAB_CAPTURE_PID.  lab_capture_stop: a moment for the last packets, then
# stops that tcpdump (by its pid).
lab_capture_start() {
	rm -f "$2" "$2.err"
	# Not through lab_exec: a backgrounded function is a subshell whose
	# pid is not tcpdump's, and killing it left tcpdump running; ip netns
	# exec execs, so $! is tcpdump itself.
	ip netns exec "$(lab_ns "$1")" tcpdump -i any --immediate-mode -U -s 0 -w "$2" \
		'udp port 500 or udp port 4500' >/dev/null 2>"$2.err" &
	LAB_CAPTURE_PID=$!
	for _ in $(seq 1 50); do
		grep -q 'listening on' "$2.err" 2>/dev/null && return 0
		kill -0 "$LAB_CAPTURE_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$2.err" >&2
	return 1
}
lab_capture_stop() {
	sleep 0.2
	kill "$LAB_CAPTURE_PID" 2>/dev/null
	wait "$LAB_CAPTURE_PID" 2>/dev/null
}

_lab_host() {
	local ns
	ns=$(lab_ns "$1")
	ip netns add "$ns" || return 1
	echo "$1" >>"$LAB_DIR/hosts"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sh -c '
		sysctl -qw net.ipv4.ip_forward=1
		sysctl -qw net.ipv6.conf.all.forwarding=1
		sysctl -qw net.ipv6.conf.default.accept_dad=0
		sysctl -qw net.ipv6.conf.all.accept_dad=0
		# Port unreachables must not be rate limited away (the probes of
		# several cases arrive within milliseconds).
		sysctl -qw net.ipv4.icmp_ratelimit=0
		sysctl -qw net.ipv6.icmp.ratelimit=0
		sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 2>/dev/null
		sysctl -qw net.ipv4.icmp_msgs_burst=100000 2>/dev/null
		true'
}

# _lab_link HOST_A IF_A ADDR_A HOST_B IF_B ADDR_B  (ADDR may be "-")
_lab_link() {
	local a b
	a=$(lab_ns "$1")
	b=$(lab_ns "$4")
	ip link add name "$2" netns "$a" type veth peer name "$5" netns "$b" || return 1
	[ "$3" = - ] || ip -n "$a" addr add "$3" dev "$2"
	[ "$6" = - ] || ip -n "$b" addr add "$6" dev "$5"
	ip -n "$a" link set "$2" up
	ip -n "$b" link set "$5" up
}

_lab_addr6() { ip -n "$(lab_ns "$1")" -6 addr add "$3" dev "$2" nodad; }

# Topology flags: client NAT (0/1), server NAT (0/1).
_lab_topology() {
	local cnat=$1 snat=$2
	_lab_host r || return 1
	_lab_host c || return 1
	_lab_host s || return 1
	if [ "$cnat" = 1 ]; then
		_lab_host cn || return 1
		_lab_link c eth0 198.18.10.2/24 cn lan 198.18.10.1/24
		_lab_link cn wan 198.18.0.2/24 r cside 198.18.0.1/24
		ip -n "$(lab_ns c)" route add default via 198.18.10.1
		ip -n "$(lab_ns cn)" route add default via 198.18.0.1
		lab_exec cn nft -f - <<-'EOF' || return 1
			table ip nat {
				chain post {
					type nat hook postrouting priority srcnat; policy accept;
					oifname "wan" masquerade
				}
			}
			table ip6 nat {
				chain post {
					type nat hook postrouting priority srcnat; policy accept;
					oifname "wan" masquerade
				}
			}
		EOF
	else
		_lab_link c eth0 198.18.0.2/24 r cside 198.18.0.1/24
		ip -n "$(lab_ns c)" route add default via 198.18.0.1
	fi
	if [ "$snat" = 1 ]; then
		_lab_host sn || return 1
		_lab_link sn wan 198.19.0.2/24 r sside 198.19.0.1/24
		_lab_link s eth0 198.19.10.2/24 sn lan 198.19.10.1/24
		ip -n "$(lab_ns sn)" route add default via 198.19.0.1
		ip -n "$(lab_ns s)" route add default via 198.19.10.1
	else
		_lab_link s eth0 198.19.0.2/24 r sside 198.19.0.1/24
		ip -n "$(lab_ns s)" route add default via 198.19.0.1
	fi
	# IPv6 without the server's NAT: routed, or behind the client's NAT
	# too (NAT66 masquerade, as some home routers and phone hotspots do,
	# with 2001:2:0:10::/64 inside).
	[ "$snat" = 0 ] || return 0
	if [ "$cnat" = 1 ]; then
		_lab_addr6 c eth0 2001:2:0:10::2/64
		_lab_addr6 cn lan 2001:2:0:10::1/64
		_lab_addr6 cn wan 2001:2:0:1::2/64
		ip -n "$(lab_ns c)" -6 route add default via 2001:2:0:10::1
		ip -n "$(lab_ns cn)" -6 route add default via 2001:2:0:1::1
	else
		_lab_addr6 c eth0 2001:2:0:1::2/64
		ip -n "$(lab_ns c)" -6 route add default via 2001:2:0:1::1
	fi
	_lab_addr6 r cside 2001:2:0:1::1/64
	_lab_addr6 r sside 2001:2:0:2::1/64
	_lab_addr6 s eth0 2001:2:0:2::2/64
	ip -n "$(lab_ns s)" -6 route add default via 2001:2:0:2::1
}

# Port forwarding on the server's NAT router.  PORTS: "500, 4500" or "500".
# CLOSED: what happens to UDP 4500 when it is not forwarded: "drop" (silent,
# like most home routers) or "reject" (the router's kernel answers with an
# ICMP port unreachable, nothing listens there).
_lab_server_nat() {
	local ports=$1 closed=${2:-drop} input=""
	[ "$closed" = drop ] && input='chain input {
			type filter hook input priority filter; policy accept;
			iifname "wan" udp dport { 500, 4500 } drop
		}'
	lab_exec sn nft -f - <<-EOF
		table ip nat {
			chain pre {
				type nat hook prerouting priority dstnat; policy accept;
				iifname "wan" udp dport { $ports } dnat to 198.19.10.2
			}
			chain post {
				type nat hook postrouting priority srcnat; policy accept;
				oifname "wan" ip saddr 198.19.10.0/24 masquerade
			}
		}
		table inet filter {
			$input
		}
	EOF
}

# Expected facts, for the probe from a Vista+ client (XP differs only in
# natt: "draft", see EXPECT_NATT_XP).  Values as in nattcheck's JSON.
lab_facts() {
	local sc=$1
	SERVER_ADDR=198.19.0.2
	EXPECT_UDP500=answered
	EXPECT_NATT=rfc3947
	EXPECT_NATT_XP=draft
	EXPECT_SERVER_BEHIND_NAT=false
	EXPECT_CLIENT_BEHIND_NAT=false
	EXPECT_UDP4500=answered
	# Value of AssumeUDPEncapsulationContextOnSendRule needed from any
	# network (2 whenever the server is behind NAT), and on this one;
	# verdict with the value absent (0).
	EXPECT_REQUIRED_VALUE=0 EXPECT_REQUIRED_HERE=0
	EXPECT_VERDICT=works
	# Transform charon picks from Windows 7+ / XP message 1 ("enc-hash-group").
	EXPECT_TRANSFORM=aes256-sha1-modp2048
	EXPECT_TRANSFORM_XP=3des-sha1-modp2048
	LAB_CNAT=0 LAB_SNAT=0 LAB_PROPOSALS=$LAB_PROPOSALS_DEFAULT LAB_SERVER=charon
	LAB_ENCAP=no
	case $sc in
	nonat) ;;
	server-nat)
		LAB_SNAT=1
		EXPECT_SERVER_BEHIND_NAT=true EXPECT_REQUIRED_VALUE=2 EXPECT_REQUIRED_HERE=1
		EXPECT_VERDICT=needs-registry ;;
	client-nat)
		LAB_CNAT=1
		EXPECT_CLIENT_BEHIND_NAT=true ;;
	both-nat)
		LAB_CNAT=1 LAB_SNAT=1
		EXPECT_SERVER_BEHIND_NAT=true EXPECT_CLIENT_BEHIND_NAT=true
		EXPECT_REQUIRED_VALUE=2 EXPECT_REQUIRED_HERE=2 EXPECT_VERDICT=needs-registry ;;
	server-nat-no4500)
		LAB_SNAT=1
		EXPECT_SERVER_BEHIND_NAT=true EXPECT_UDP4500=no-answer
		EXPECT_REQUIRED_VALUE=2 EXPECT_REQUIRED_HERE=1 EXPECT_VERDICT=blocked-udp4500 ;;
	server-nat-no4500-reject)
		LAB_SNAT=1
		EXPECT_SERVER_BEHIND_NAT=true EXPECT_UDP4500=unreachable
		EXPECT_REQUIRED_VALUE=2 EXPECT_REQUIRED_HERE=1 EXPECT_VERDICT=blocked-udp4500 ;;
	silent)
		EXPECT_UDP500=no-answer EXPECT_UDP4500=no-answer
		EXPECT_NATT=null EXPECT_NATT_XP=null
		EXPECT_SERVER_BEHIND_NAT=null EXPECT_CLIENT_BEHIND_NAT=null
		EXPECT_REQUIRED_VALUE=null EXPECT_REQUIRED_HERE=null EXPECT_VERDICT=blocked-udp500
		EXPECT_TRANSFORM=null EXPECT_TRANSFORM_XP=null ;;
	icmp-unreach)
		LAB_SERVER=none
		EXPECT_UDP500=unreachable EXPECT_UDP4500=unreachable
		EXPECT_NATT=null EXPECT_NATT_XP=null
		EXPECT_SERVER_BEHIND_NAT=null EXPECT_CLIENT_BEHIND_NAT=null
		EXPECT_REQUIRED_VALUE=null EXPECT_REQUIRED_HERE=null EXPECT_VERDICT=blocked-udp500
		EXPECT_TRANSFORM=null EXPECT_TRANSFORM_XP=null ;;
	strict-proposal)
		LAB_PROPOSALS=$LAB_PROPOSALS_STRICT
		# NO-PROPOSAL-CHOSEN in an informational exchange; no MM2, so no
		# NAT-T vendor ID and no NAT-D.  UDP 4500 gets the same notify.
		EXPECT_UDP500=rejected EXPECT_NATT=null EXPECT_NATT_XP=null
		EXPECT_SERVER_BEHIND_NAT=null EXPECT_CLIENT_BEHIND_NAT=null
		EXPECT_UDP4500=answered
		EXPECT_REQUIRED_VALUE=null EXPECT_REQUIRED_HERE=null EXPECT_VERDICT=proposal-rejected
		EXPECT_TRANSFORM=null EXPECT_TRANSFORM_XP=null ;;
	ecp-first)
		LAB_PROPOSALS=$LAB_PROPOSALS_ECP
		EXPECT_TRANSFORM=aes256-sha1-ecp384 ;;
	ipv6)
		SERVER_ADDR=2001:2:0:2::2 ;;
	ipv6-cnat)
		# IPv6 through the client's NAT66: Windows has no NAT-T over IPv6,
		# so no value helps: no-natt with the IPv6 advice.
		SERVER_ADDR=2001:2:0:2::2 LAB_CNAT=1
		EXPECT_CLIENT_BEHIND_NAT=true
		EXPECT_REQUIRED_VALUE=null EXPECT_REQUIRED_HERE=null EXPECT_VERDICT=no-natt ;;
	no-natt | no-natt-cnat)
		# strongSwan cannot switch NAT-T off (see README): a python
		# responder without NAT-T (ikeprobe.py serve --no-natt) plays an old
		# server, on the direct path and behind the client's masquerade.
		# Nothing listens on 4500 there: the server's kernel answers port
		# unreachable.  Without NAT-D, NAT is unknown, and no address here is
		# private (198.18.0.0/15 is not), so NAT is not evident either:
		# "works" (a private client address gives no-natt: unit tests).
		LAB_SERVER=no-natt
		[ "$sc" = no-natt-cnat ] && LAB_CNAT=1
		EXPECT_NATT=none EXPECT_NATT_XP=none
		EXPECT_SERVER_BEHIND_NAT=null EXPECT_CLIENT_BEHIND_NAT=null
		EXPECT_UDP4500=unreachable
		EXPECT_REQUIRED_VALUE=0 EXPECT_REQUIRED_HERE=0 EXPECT_VERDICT=works ;;
	nonat-encap)
		# charon forcing UDP encapsulation (encap = yes) on the direct path:
		# it fakes the NAT-D hash of its own address, so the server looks
		# behind NAT; the advice must name that possibility.
		LAB_ENCAP=yes
		EXPECT_SERVER_BEHIND_NAT=true EXPECT_REQUIRED_VALUE=2 EXPECT_REQUIRED_HERE=1
		EXPECT_VERDICT=needs-registry ;;
	pluto-psk)
		# libreswan's pluto (tests/lab/pluto.sh) as the server on the
		# direct path: a second real IKEv1 implementation.  Without an
		# ike= line it prefers ECP384 for Windows 8+, and has no MODP1024.
		LAB_SERVER=pluto-psk
		EXPECT_TRANSFORM=aes256-sha1-ecp384 ;;
	pluto-cert)
		# pluto set up for certificates only: it drops a pre-shared-key
		# message 1 without a word ("no connection has been authorized
		# with authby=PSK"), exactly like a firewall.  The advice must name
		# that cause and --auth cert; with --auth cert it answers.
		LAB_SERVER=pluto-cert
		EXPECT_UDP500=no-answer EXPECT_UDP4500=no-answer
		EXPECT_NATT=null EXPECT_NATT_XP=null
		EXPECT_SERVER_BEHIND_NAT=null EXPECT_CLIENT_BEHIND_NAT=null
		EXPECT_REQUIRED_VALUE=null EXPECT_REQUIRED_HERE=null EXPECT_VERDICT=blocked-udp500
		EXPECT_TRANSFORM=null EXPECT_TRANSFORM_XP=null ;;
	hostile)
		# Not in LAB_SCENARIOS (no IKE server of its own): the nonat
		# network, no charon, a second server address 198.19.0.3 (spoofed
		# replies), and the router's 198.18.0.1 silently dropping DNS (a
		# resolver that never answers).  tests/integration/hostile.sh starts
		# tests/lab/hostile_responder.py in the server host; the facts are
		# those of its "good" mode.
		LAB_SERVER=none ;;
	*)
		lab_die "unknown scenario '$sc' (one of: $(echo $LAB_SCENARIOS) hostile)"
		return 1 ;;
	esac
	LAB_SCENARIO=$sc
	export SERVER_ADDR EXPECT_UDP500 EXPECT_NATT EXPECT_NATT_XP \
		EXPECT_SERVER_BEHIND_NAT EXPECT_CLIENT_BEHIND_NAT EXPECT_UDP4500 \
		EXPECT_REQUIRED_VALUE EXPECT_REQUIRED_HERE EXPECT_VERDICT EXPECT_TRANSFORM \
		EXPECT_TRANSFORM_XP LAB_SCENARIO LAB_ID LAB_DIR
}

# The facts as one JSON object (same field names as nattcheck's JSON).
lab_facts_json() {
	lab_facts "$1" || return 1
	local q='"'
	_j() { case $1 in true|false|null) echo "$1" ;; *) echo "$q$1$q" ;; esac; }
	printf '{"scenario":"%s","server_addr":"%s","udp500":%s,"natt":%s,"natt_xp":%s,"server_behind_nat":%s,"client_behind_nat":%s,"udp4500":%s,"required_value":%s,"verdict":"%s","transform":%s,"transform_xp":%s}\n' \
		"$1" "$SERVER_ADDR" "$(_j "$EXPECT_UDP500")" "$(_j "$EXPECT_NATT")" \
		"$(_j "$EXPECT_NATT_XP")" "$EXPECT_SERVER_BEHIND_NAT" \
		"$EXPECT_CLIENT_BEHIND_NAT" "$(_j "$EXPECT_UDP4500")" \
		"$EXPECT_REQUIRED_VALUE" "$EXPECT_VERDICT" \
		"$(_j "$EXPECT_TRANSFORM")" "$(_j "$EXPECT_TRANSFORM_XP")"
}

# libreswan's pluto in the server host, MODE psk or cert (tests/lab/pluto.sh;
# the package, never installed, is unpacked into $PLUTO_CACHE by deps.sh).
_lab_pluto_start() {
	# shellcheck source=pluto.sh
	. "$LAB_HERE/pluto.sh"
	pluto_prepare "${PLUTO_CACHE:-/var/cache/nattcheck/pluto}" || return 1
	PLUTO_PSK=$LAB_PSK pluto_start "$(lab_ns s)" 198.19.0.2 "$LAB_DIR/pluto" "$1" || return 1
	cat "$LAB_DIR/pluto/pluto.pid" >>"$LAB_DIR/pids"
}

# Write strongswan.conf and swanctl.conf for one charon into DIR.
_lab_charon_conf() {
	local dir=$1 proposals=$2
	cat >"$dir/strongswan.conf" <<-EOF
		# Generated by tests/lab/lab.sh; one charon per server namespace.
		charon {
			load_modular = no
			load = random nonce openssl gmp aes sha1 sha2 md5 hmac kdf pem pkcs1 x509 pubkey socket-default kernel-netlink vici
			threads = 8
			# Many probes from one address within seconds: never block them.
			block_threshold = 100000
			init_limit_half_open = 0
			cookie_threshold = 100000
			half_open_timeout = 30
			install_routes = no
			install_virtual_ip = no
			retransmit_tries = 1
			filelog {
				lab {
					path = $dir/charon.log
					time_format = %T
					default = 1
					ike = 2
					net = 2
					enc = 1
					flush_line = yes
				}
			}
			syslog {
				daemon { default = -1 }
				auth { default = -1 }
			}
			plugins {
				vici { socket = unix://$dir/charon.vici }
			}
		}
		swanctl {
			load = pem pkcs1 x509 pubkey openssl random
		}
	EOF
	cat >"$dir/swanctl.conf" <<-EOF
		# L2TP/IPsec server as Windows expects it: IKEv1 Main Mode, PSK,
		# transport mode for UDP 1701.
		connections {
			l2tp {
				version = 1
				aggressive = no
				proposals = $proposals
				local_addrs = %any
				remote_addrs = %any
				encap = ${LAB_ENCAP:-no}
				local { auth = psk }
				remote { auth = psk }
				children {
					l2tp {
						mode = ${LAB_CHILD_MODE:-transport}
						local_ts = dynamic[udp/1701]
						remote_ts = dynamic[udp]
						esp_proposals = ${LAB_ESP_PROPOSALS:-aes256-sha1,aes128-sha1,3des-sha1}
					}
				}
			}
		}
		secrets {
			ike-lab { secret = "$LAB_PSK" }
		}
	EOF
}

# Start charon in the server host with PROPOSALS.  charon's pid file path is
# compiled in (/var/run/charon.pid): each charon gets a private mount
# namespace with its own /run, so several labs can run at once.
lab_charon_start() {
	local proposals=${1:-$LAB_PROPOSALS_DEFAULT} dir="$LAB_DIR/charon" pid
	mkdir -p "$dir/run"
	_lab_charon_conf "$dir" "$proposals"
	STRONGSWAN_CONF="$dir/strongswan.conf" ip netns exec "$(lab_ns s)" \
		unshare -m --propagation private \
		sh -c 'mount --bind "$1" /run && exec "$2"' \
		sh "$dir/run" "$CHARON" >"$dir/charon.out" 2>&1 &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	for _ in $(seq 1 100); do
		[ -S "$dir/charon.vici" ] && break
		kill -0 "$pid" 2>/dev/null || { cat "$dir/charon.out" >&2; lab_die "charon exited"; return 1; }
		sleep 0.1
	done
	[ -S "$dir/charon.vici" ] || { lab_die "charon did not open its vici socket"; return 1; }
	# The socket exists a moment before charon listens on it: retry.
	for _ in $(seq 1 50); do
		STRONGSWAN_CONF="$dir/strongswan.conf" timeout 10 swanctl --load-all \
			--noprompt --uri "unix://$dir/charon.vici" --file "$dir/swanctl.conf" \
			>"$dir/swanctl.out" 2>&1 && return 0
		sleep 0.1
	done
	cat "$dir/swanctl.out" >&2
	lab_die "swanctl --load-all failed"
}

# The no-NAT-T responder (python) on UDP 500 in the server host.
_lab_fake_start() {
	local dir="$LAB_DIR/fake" pid
	mkdir -p "$dir"
	ip netns exec "$(lab_ns s)" python3 -u "$LAB_HERE/ikeprobe.py" serve \
		--no-natt --bind 0.0.0.0 --ready "$dir/ready" >"$dir/serve.log" 2>&1 &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	for _ in $(seq 1 50); do
		[ -e "$dir/ready" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$dir/serve.log" >&2
	lab_die "fake responder did not start"
}

# Build the scenario's network and server; exports the facts (lab_facts) and
# writes them to $LAB_DIR/env (". $LAB_DIR/env" from another shell).
lab_up() {
	local sc=$1 h
	lab_check_private || return 1
	lab_facts "$sc" || return 1
	[ -e "$LAB_DIR/hosts" ] && { lab_die "a lab is already up ($LAB_DIR); run lab_down"; return 1; }
	mkdir -p "$LAB_DIR"
	# Leftovers of a crashed lab whose namespace had the same inode (the id
	# is only reused once that namespace is gone, so they are not live).
	for h in $(ip netns list | awk -v p="$LAB_ID-" 'index($1, p) == 1 {print $1}'); do
		ip netns del "$h"
	done
	: >"$LAB_DIR/hosts"
	: >"$LAB_DIR/pids"
	_lab_topology "$LAB_CNAT" "$LAB_SNAT" || { lab_down; return 1; }
	case $sc in
	server-nat-no4500) _lab_server_nat 500 drop ;;
	server-nat-no4500-reject) _lab_server_nat 500 reject ;;
	*) if [ "$LAB_SNAT" = 1 ]; then _lab_server_nat "500, 4500"; fi ;;
	esac || { lab_down; return 1; }
	if [ "$sc" = silent ]; then
		lab_exec r nft -f - <<-'EOF' || { lab_down; return 1; }
			table inet filter {
				chain forward {
					type filter hook forward priority filter; policy accept;
					ip daddr 198.19.0.2 udp dport { 500, 4500 } drop
					ip6 daddr 2001:2:0:2::2 udp dport { 500, 4500 } drop
				}
			}
		EOF
	fi
	if [ "$sc" = hostile ]; then
		ip -n "$(lab_ns s)" addr add 198.19.0.3/24 dev eth0 &&
			lab_exec r nft -f - <<-'EOF' || { lab_down; return 1; }
			table inet hostile_dns {
				chain input {
					type filter hook input priority filter; policy accept;
					ip daddr 198.18.0.1 udp dport 53 counter drop
					ip daddr 198.18.0.1 tcp dport 53 counter drop
				}
			}
		EOF
	fi
	case $LAB_SERVER in
	charon) lab_charon_start "$LAB_PROPOSALS" ;;
	no-natt) _lab_fake_start ;;
	pluto-psk | pluto-cert) _lab_pluto_start "${LAB_SERVER#pluto-}" ;;
	none) true ;;
	esac || { lab_down; return 1; }
	{
		echo "LAB_ID='$LAB_ID'; LAB_DIR='$LAB_DIR'; LAB_SCENARIO='$sc'"
		for v in SERVER_ADDR EXPECT_UDP500 EXPECT_NATT EXPECT_NATT_XP \
			EXPECT_SERVER_BEHIND_NAT EXPECT_CLIENT_BEHIND_NAT EXPECT_UDP4500 \
			EXPECT_REQUIRED_VALUE EXPECT_REQUIRED_HERE EXPECT_VERDICT EXPECT_TRANSFORM EXPECT_TRANSFORM_XP; do
			echo "$v='${!v}'"
		done
		echo "CLIENT_NS='$(lab_ns c)'; SERVER_NS='$(lab_ns s)'"
		echo "export LAB_ID LAB_DIR LAB_SCENARIO CLIENT_NS SERVER_NS SERVER_ADDR EXPECT_UDP500 EXPECT_NATT EXPECT_NATT_XP EXPECT_SERVER_BEHIND_NAT EXPECT_CLIENT_BEHIND_NAT EXPECT_UDP4500 EXPECT_REQUIRED_VALUE EXPECT_REQUIRED_HERE EXPECT_VERDICT EXPECT_TRANSFORM EXPECT_TRANSFORM_XP"
	} >"$LAB_DIR/env"
	CLIENT_NS=$(lab_ns c) SERVER_NS=$(lab_ns s)
	export CLIENT_NS SERVER_NS
}

# lab_ike_sas: the IKE (ISAKMP) SAs the lab's server holds now, one line
# each: "STATE REMOTE_ADDR REMOTE_PORT INITIATOR_COOKIE".  STATE is
# ESTABLISHED once Main Mode is complete, else the server's own word
# (charon: CONNECTING, DELETING...; pluto: STATE_MAIN_R1/R2); the cookie is
# lower-case hex, "-" where the server does not show it (pluto).  charon is
# asked through its vici socket (swanctl --list-sas), pluto with whack
# --showstates; other servers hold none.  Fails when the server cannot be
# asked.
lab_ike_sas() {
	local out w
	if [ -z "${LAB_SERVER:-}" ]; then
		[ -e "$LAB_DIR/env" ] || { lab_die "no lab is up"; return 1; }
		LAB_SCENARIO=$(. "$LAB_DIR/env" && echo "$LAB_SCENARIO")
		lab_facts "$LAB_SCENARIO" || return 1
	fi
	case $LAB_SERVER in
	charon)
		out=$(STRONGSWAN_CONF="$LAB_DIR/charon/strongswan.conf" timeout 10 swanctl \
			--list-sas --raw --noblock --uri "unix://$LAB_DIR/charon/charon.vici" 2>&1) ||
			{ lab_die "swanctl --list-sas: $out"; return 1; }
		printf '%s\n' "$out" | awk '/^list-sa event/ {
			st = h = p = c = "-"
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^state=/) st = substr($i, 7)
				else if ($i ~ /^remote-host=/) h = substr($i, 13)
				else if ($i ~ /^remote-port=/) p = substr($i, 13)
				else if ($i ~ /^initiator-spi=/) c = substr($i, 15)
			}
			print st, h, p, c }' ;;
	pluto-*)
		w=${PLUTO_ROOT:-${PLUTO_CACHE:-/var/cache/nattcheck/pluto}/root}/usr/libexec/ipsec/whack
		out=$(timeout 10 "$w" --ctlsocket "$LAB_DIR/pluto/run/pluto.ctl" --showstates 2>&1) ||
			{ lab_die "whack --showstates: $out"; return 1; }
		# "[000 ]#N: "conn"[1] ADDR:PORT STATE_... (...)": the "000 "
		# prefix only up to libreswan 4.
		printf '%s\n' "$out" | awk '{ i = ($1 == "000") ? 2 : 1 }
			$i ~ /^#[0-9]+:$/ && $(i + 3) ~ /^STATE_MAIN_/ {
			st = $(i + 3) == "STATE_MAIN_R3" ? "ESTABLISHED" : $(i + 3)
			n = split($(i + 2), a, ":"); p = a[n]
			h = substr($(i + 2), 1, length($(i + 2)) - length(p) - 1)
			print st, h, p, "-" }' ;;
	esac
}

# Kill what the lab started (by pid), delete its namespaces.  Idempotent.
lab_down() {
	local pid h
	if [ -s "$LAB_DIR/pids" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null
		done <"$LAB_DIR/pids"
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			h=0
			while read -r pid; do kill -0 "$pid" 2>/dev/null && h=1; done <"$LAB_DIR/pids"
			[ $h = 0 ] && break
			sleep 0.2
		done
		while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$LAB_DIR/pids"
	fi
	if [ -e "$LAB_DIR/hosts" ]; then
		while read -r h; do
			ip netns del "$(lab_ns "$h")" 2>/dev/null
		done <"$LAB_DIR/hosts"
	fi
	rm -f "$LAB_DIR/hosts" "$LAB_DIR/pids" "$LAB_DIR/env"
	# Keep logs for a failed test; the directory is removed by lab_clean.
}

lab_clean() { lab_down; rm -rf "$LAB_DIR"; }

# CLI
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cmd=${1:-help}
	shift
	case $cmd in
	up) lab_up "$@" && cat "$LAB_DIR/env" ;;
	down) lab_down ;;
	clean) lab_clean ;;
	list) echo $LAB_SCENARIOS | tr ' ' '\n' ;;
	facts) lab_facts_json "$@" ;;
	env) cat "$LAB_DIR/env" ;;
	exec) lab_exec "$@" ;;
	charon-log) cat "$LAB_DIR/charon/charon.log" ;;
	sas) lab_ike_sas ;;
	*)
		echo "usage: lab.sh up SCENARIO | down | clean | list | facts SCENARIO | env | exec HOST CMD... | charon-log | sas" >&2
		echo "  run inside 'unshare -n'; hosts: c cn r sn s" >&2
		exit 64 ;;
	esac
fi
