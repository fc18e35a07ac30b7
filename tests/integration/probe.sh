#!/bin/bash
# probe.sh - `check` and `fix` of the real exe under Wine against the lab:
# every scenario x Windows profile (winxp64 = XP message 1, win10 = Windows
# 8+ message 1) x registry value (absent, 0, 1, 2): the facts, the verdict,
# the exit code, the time budget; and `fix` raising exactly as needed.
# Must run inside a fresh "unshare -n" (tests/integration/run.sh does that).
# Message 1 is also checked on the wire: a capture in the client namespace
# must hold exactly this Windows' (XP: MS NT5 ISAKMPOAKLEY v4, 3DES/SHA1 with
# groups 14 and 2, draft NAT-T only; Windows 10: v9, five AES/3DES
# transforms, RFC 3947 and draft), checked by the lab's independent
# ikeprobe.py.
# Usage: probe.sh ARCH [SCENARIO...]
#   PROBE_VERSIONS   Wine prefixes to run (default: winxp64 win10)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"

arch=${1:-x86_64}
shift
scenarios=${*:-$LAB_SCENARIOS}
EXE=$root/build/$arch/nattcheck.exe
VAL=AssumeUDPEncapsulationContextOnSendRule
work=${NC_WORK:-$(mktemp -d /tmp/nattcheck-probe.XXXXXX)}
. "$here/lib.sh"
tag() { echo "$arch/${ver:--}/${sc:--}"; }


# nc ARGS...: the exe in the client namespace; sets OUT ERR RC MS (wall ms)
nc() { wine_exe "$CLIENT_NS" "$P" "$work/err" "$EXE" "$@"; }
regq() {
	local r
	r=$(_wine_ns "$CLIENT_NS" "$P" wine reg query "HKLM\\$KEY" /v "$VAL" 2>/dev/null |
		tr -d '\r' | awk -v v="$VAL" '$1 == v { print $2, $3 }')
	echo "${r:-absent}"
}
# reboot P with the value preset (written before this "boot")
boot_with() {
	[ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	if [ "$1" = absent ]; then
		python3 "$here/regpreset.py" "$P" "$KEY" "$VAL" absent
	else
		python3 "$here/regpreset.py" "$P" "$KEY" "$VAL" "dword:$1"
	fi
	wine_start "$CLIENT_NS" "$P" || ko "wineserver start"
}

XPKEY='SYSTEM\CurrentControlSet\Services\IPSec'
# wire_start / wire_check PROFILE: capture UDP 500/4500 in the client
# namespace while the exe runs, then check every message 1 in it.
# (A capture that does not start shows as a failed check of the pcap.)
wire_start() {
	lab_capture_start c "$work/wire.pcap" 2>/dev/null || true
}
wire_check() {
	local res
	lab_capture_stop
	if res=$(python3 "$root/tests/lab/ikeprobe.py" mm1check --os "$1" "$work/wire.pcap" 2>&1); then
		ok "message 1 on the wire is $1's: $(echo "$res" | head -1 | sed 's/^ok //')"
	else
		ko "message 1 on the wire is $1's" "$res"
	fi
}

JQ_FACTS='def tr: if . == null then "null" else
	((if .cipher == 7 then "aes\(.key_bits)" elif .cipher == 5 then "3des" else "c\(.cipher)" end)
	+ "-" + (if .hash == 2 then "sha1" elif .hash == 4 then "sha256" elif .hash == 1 then "md5" else "h\(.hash)" end)
	+ "-" + ({"1":"modp768","2":"modp1024","5":"modp1536","14":"modp2048","19":"ecp256","20":"ecp384"}[.group|tostring] // "g\(.group)")) end;
	.servers[0] | [.udp500, (.natt // "null"), (.server_behind_nat|tostring),
	(.client_behind_nat|tostring), .udp4500, (.transform|tr)] | join(" ")'

verdict_exit() {
	case $1 in works) echo 0 ;; needs-registry) echo 1 ;; reboot-pending) echo 2 ;; *) echo 3 ;; esac
}

if [ ! -x /usr/lib/wine/wine64 ] || { [ "$arch" = i686 ] && [ "$NC_WINE32" != 1 ]; }; then
	echo "SKIP [$arch] no Wine for $arch here: $( [ -x /usr/lib/wine/wine64 ] && wine_why_no32 || echo 64-bit Wine is not installed)"
	echo "probe-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

VERSIONS=${PROBE_VERSIONS:-winxp64 win10}
for ver in $VERSIONS; do
	[ -f "$work/tpl-$ver/.nattlab-version" ] || wine_template "$work/tpl-$ver" "$ver" ||
		{ echo "FAIL [$arch] wine template $ver"; exit 1; }
done

for sc in $scenarios; do
	ver=-
	lab_up "$sc" >/dev/null 2>"$work/lab.err" || { ko "lab_up" "$(cat "$work/lab.err")"; lab_down; continue; }
	for ver in $VERSIONS; do
		case $ver in
		winxp64 | xp32*) KEY='SYSTEM\CurrentControlSet\Services\IPSec'
			want_natt=$EXPECT_NATT_XP want_tr=$EXPECT_TRANSFORM_XP ;;
		*) KEY='SYSTEM\CurrentControlSet\Services\PolicyAgent'
			want_natt=$EXPECT_NATT want_tr=$EXPECT_TRANSFORM ;;
		esac
		P=$work/p-$sc-$ver
		wine_case_prefix "$work/tpl-$ver" "$P"
		for val in absent 0 1 2; do
			boot_with "$val"
			if [ "$val" = absent ]; then
				wire_start
				nc --json check "$SERVER_ADDR"
				if [ "$KEY" = "$XPKEY" ]; then wire_check xp; else wire_check win10; fi
			else
				nc --json check "$SERVER_ADDR"
			fi
			if [ "$val" = absent ]; then
				got=$(printf '%s' "$OUT" | jq -r "$JQ_FACTS" 2>&1)
				# With no NAT at all the probe stops waiting for 4500 once
				# message 4 is in: a 4500 answer still on its way reads
				# not-tested, which is as right as answered.
				if [ "$EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT" = "false false" ]; then
					got=$(printf '%s' "$got" | sed 's/ not-tested / answered /')
				fi
				expect "facts" "$EXPECT_UDP500 $want_natt $EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT $EXPECT_UDP4500 $want_tr" "$got"
				el=$(printf '%s' "$OUT" | jq -r '.servers[0].elapsed_ms' 2>/dev/null)
				case $sc in
				silent|server-nat-no4500|pluto-cert) limit=3100 ;;
				*) limit=1000 ;;
				esac
				if [ -n "$el" ] && [ "$el" -le "$limit" ] 2>/dev/null; then
					ok "elapsed ${el} ms <= $limit ms (wall ${MS} ms incl. Wine start)"
				else
					ko "elapsed ${el:-?} ms <= $limit ms" "$OUT"
				fi
			fi
			have=${val/absent/0}
			want_v=$EXPECT_VERDICT want_req=$EXPECT_REQUIRED_VALUE
			if [ "$want_v" = needs-registry ] && [ "$have" -ge "$want_req" ]; then
				want_v=works
			fi
			expect "value $val: verdict $want_v, exit_code and exit $(verdict_exit "$want_v"), required $want_req (here $EXPECT_REQUIRED_HERE)" \
				"$want_v $(verdict_exit "$want_v") $want_req $EXPECT_REQUIRED_HERE ($(verdict_exit "$want_v"))" \
				"$(printf '%s' "$OUT" | jq -r '.verdict + " " + (.exit_code|tostring) + " " + (.servers[0].required_value|tostring) + " " + (.servers[0].required_here|tostring)' 2>&1) ($RC)"
			adv=$(printf '%s' "$OUT" | jq -r '.servers[0].advice' 2>/dev/null)
			case $want_v/$sc/$val in
			works/*)
				case $adv in *"not tested"*) ok "value $val: works, and the advice says what was not tested" ;;
				*) ko "value $val: works advice says what was not tested" "$adv" ;; esac ;;
			needs-registry/nonat-encap/absent)
				case $adv in *"encap=yes"*"public address avoids"*) ok "forced encapsulation: the advice names it before recommending a public address" ;;
				*) ko "forced encapsulation named in the advice" "$adv" ;; esac ;;
			no-natt/ipv6-cnat/absent)
				case $adv in *"IPv6"*"no registry value"*) ok "NAT66: the advice says Windows has no NAT-T over IPv6 and no value helps" ;;
				*) ko "NAT66 advice" "$adv" ;; esac ;;
			needs-registry/server-nat/1)
				case $adv in *"works from this network"*"error 809"*) ok "value 1: works here, the advice says it fails (809) from networks with client NAT" ;;
				*) ko "value 1 with the server behind NAT: advice for machines that move" "$adv" ;; esac ;;
			esac
		done

		case $sc in
		server-nat|both-nat)
			want=$EXPECT_REQUIRED_VALUE
			boot_with absent
			nc fix "$SERVER_ADDR"
			expect "fix from absent: exit 2 (reboot-pending), value $want" "2 REG_DWORD 0x$want" "$RC $(regq)"
			nc --json check "$SERVER_ADDR"
			expect "check after fix: reboot-pending" "reboot-pending 2" "$(printf '%s' "$OUT" | jq -r '.verdict + " " + (.exit_code|tostring)')"
			nc revert
			expect "revert after fix: absent" "0 absent" "$RC $(regq)"
			boot_with 1
			nc fix "$SERVER_ADDR"
			expect "fix with an existing 1: raised to 2 (exit 2)" "2 REG_DWORD 0x2" "$RC $(regq)"
			nc revert
			boot_with 2
			nc fix "$SERVER_ADDR"
			expect "fix with an existing 2: exit 0, 2 kept, nothing saved" "0 REG_DWORD 0x2 absent" \
				"$RC $(regq) $(_wine_ns "$CLIENT_NS" "$P" wine reg query 'HKLM\SOFTWARE\nattcheck' /v SavedPresent >/dev/null 2>&1 && echo saved || echo absent)"
			;;
		server-nat-no4500)
			boot_with absent
			nc fix "$SERVER_ADDR"
			expect "fix when no value can help: exit 3, nothing written" "3 absent" "$RC $(regq)"
			;;
		pluto-cert)
			boot_with absent
			nc --json check "$SERVER_ADDR"
			adv=$(printf '%s' "$OUT" | jq -r '.servers[0].advice' 2>/dev/null)
			case $adv in *libreswan*"--auth cert"*) ok "silent certificate-only server: the advice names the second cause and --auth cert" ;;
			*) ko "silent certificate-only server: advice names --auth cert" "$adv" ;; esac
			nc --json --auth cert check "$SERVER_ADDR"
			expect "--auth cert: the same server answers (RSA signatures), NAT facts, works" \
				"answered false false works 0" \
				"$(printf '%s' "$OUT" | jq -r '.servers[0] | [.udp500, (.server_behind_nat|tostring), (.client_behind_nat|tostring), .verdict] | join(" ")' 2>&1) $RC"
			;;
		ipv6)
			# A name with both families (the client namespace's own
			# /etc/hosts, which ip netns exec mounts): one result each.
			mkdir -p "/etc/netns/$CLIENT_NS"
			printf '198.19.0.2 vpn.lab.test\n2001:2:0:2::2 vpn.lab.test\n' >"/etc/netns/$CLIENT_NS/hosts"
			boot_with absent
			nc --json check vpn.lab.test
			rm -rf "/etc/netns/$CLIENT_NS"
			expect "a name with IPv4 and IPv6: both probed, each a result (same name), run verdict the worse" \
				"vpn.lab.test 198.19.0.2 works|vpn.lab.test 2001:2:0:2::2 works|works 0" \
				"$(printf '%s' "$OUT" | jq -r '([.servers[] | [.server, .address, .verdict] | join(" ")] | sort | join("|")) + "|" + .verdict + " " + (.exit_code|tostring)' 2>&1)"
			;;
		esac
		wine_stop "$P"
		rm -rf "$P"
	done
	lab_down
done

result "probe-$arch"
