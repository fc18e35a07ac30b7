#!/bin/bash
# quickmode.sh - Quick Mode with the pre-shared key (issue 16): the real exe
# under Wine against the lab's charon and libreswan's pluto.
#   - right key, nonat / server-nat / client-nat, XP (winxp64) and Windows
#     10 (win10) profiles: phase2 accepted; phase2_esp names the transform
#     charon picks (XP 3DES/SHA1, 10 AES-256/SHA1) and the mode (transport,
#     or UDP-encapsulated transport behind NAT); charon's log for this
#     Quick Mode (its message id, read from a capture in the server
#     namespace) shows the payloads sent - NAT-OA exactly behind NAT, two
#     with RFC 3947 (10), one with XP's draft - and the ESP proposal
#     selected; the capture shows Quick Mode (exchange 32) to UDP 4500
#     behind the non-ESP marker with NAT, to 500 without, answered, then
#     two encrypted INFORMATIONALs (the IPsec SA's DELETE, the ISAKMP SA's)
#     on the same port; afterwards charon logged the ISAKMP SA's DELETE and
#     holds no established IKE SA, none of the probe, no CHILD_SA, and the
#     kernel of the server namespace no IPsec SA (ip xfrm state);
#     a control with the DELETEs dropped shows the SA check can fail;
#   - charon with a tunnel-mode child (LAB_CHILD_MODE=tunnel), AES-GCM only
#     (LAB_ESP_PROPOSALS=aes128gcm16) or PFS required (aes256-sha1-modp2048):
#     phase2 rejected with INVALID-ID-INFORMATION / NO-PROPOSAL-CHOSEN,
#     verdict phase2-rejected, exit 3, the advice with error 788, transport
#     mode, UDP port 1701 and no PFS; behind the server's NAT the same, and
#     the registry advice follows ("Besides:");
#   - no key, wrong key: phase2 not-tested, no Quick Mode on the wire or in
#     charon's log; the text output's Quick Mode line;
#   - pluto (pluto-psk): whatever phase2 says must agree with pluto's own
#     log (refused with a notify, silent after an internal error, or
#     answered).
# charon is reconfigured in place between the cases of one lab (its
# swanctl.conf rewritten by lab.sh's _lab_charon_conf, swanctl --load-all).
# Must run inside a fresh "unshare -n" (run alone, it re-runs itself in one).
# Usage: quickmode.sh [ARCH [SCENARIO...]]   (ARCH x86_64 | i686)
#   QM_VERSIONS   Wine prefixes of the right-key cases (default: winxp64 win10)
#   QM_MAIN       the prefix of the cases run once (default: win10)
# Last line: quickmode-ARCH: N passed, N failed
set -u
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
nc_suite quickmode "$0" "$@"

arch=${1:-x86_64}
[ $# -gt 0 ] && shift
KEY="qmKey-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Rw4"
WRONG="qmWrong-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Jd8"
export LAB_PSK=$KEY
unset LAB_CHILD_MODE LAB_ESP_PROPOSALS
. "$NC_ROOT/tests/lab/lab.sh"
scenarios=${*:-nonat server-nat client-nat pluto-psk}
EXE=$NC_ROOT/build/$arch/nattcheck.exe
VERSIONS=${QM_VERSIONS:-winxp64 win10}
MAIN=${QM_MAIN:-win10}
work=$NC_WORK
sc=- ver=- knob=
tag() { echo "$arch/$ver/$sc${knob:+ $knob}"; }

RUN=$(wine_pick_runner "$arch")
if [ -z "$RUN" ]; then
	echo "SKIP [$arch] no Wine for $arch here: $( [ -x /usr/lib/wine/wine64 ] && wine_why_no32 || echo 64-bit Wine is not installed)"
	echo "quickmode-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
[ -f "$EXE" ] || { ko "$EXE missing (make)"; result "quickmode-$arch"; exit; }
for v in $VERSIONS $MAIN; do
	nc_template "$v" >/dev/null || { ko "wine template $v"; result "quickmode-$arch"; exit; }
done

# ---- the exe in the client namespace, one prefix per version per lab
declare -A PFX
prefix_for() {
	ver=$1
	P=${PFX[$ver]:-}
	[ -n "$P" ] && return 0
	P=$work/p-$sc-$ver
	wine_case_prefix "$(nc_template "$ver")" "$P"
	wine_start "$CLIENT_NS" "$P" || ko "wineserver start"
	mkdir -p "$P/drive_c/qm"
	printf '%s\r\n' "$KEY" >"$P/drive_c/qm/key.txt"
	printf '%s\n' "$WRONG" >"$P/drive_c/qm/wrong.txt"
	PFX[$ver]=$P
}
prefixes_end() {
	local v
	for v in "${!PFX[@]}"; do
		wine_stop "${PFX[$v]}"
		rm -rf "${PFX[$v]}"
	done
	PFX=()
}
is_xp() { case $1 in winxp* | xp32*) true ;; *) false ;; esac; }
nc() { wine_exe "$CLIENT_NS" "$P" "$work/err" "$EXE" "$@"; }
jqo() { printf '%s' "$OUT" | jq -r "$1" 2>&1; }
P2='.servers[0] | [.phase1, .phase2, (.phase2_esp|tostring)] | join(" | ")'
RUNV='.verdict + " " + (.exit_code|tostring)'

# ---- charon: its log from a mark on, reconfiguration, its SAs
CLOG() { echo "$LAB_DIR/charon/charon.log"; }
PLOG() { echo "$LAB_DIR/pluto/pluto.log"; }
log_mark() {
	local f
	f=$([ "$LAB_SERVER" = charon ] && CLOG || PLOG)
	MARK=$(wc -l <"$f" 2>/dev/null || echo 0)
}
log_since() {
	local f
	f=$([ "$LAB_SERVER" = charon ] && CLOG || PLOG)
	tail -n +"$((MARK + 1))" "$f" 2>/dev/null
}
# charon_knobs CHILD_MODE ESP_PROPOSALS: charon's L2TP child as given, in
# place (the IKE side and the key unchanged).
charon_knobs() {
	local out
	knob=
	[ "$1" = transport ] || knob="LAB_CHILD_MODE=$1"
	[ "$2" = default ] || knob="${knob:+$knob }LAB_ESP_PROPOSALS=$2"
	if [ "$2" = default ]; then
		LAB_CHILD_MODE=$1 _lab_charon_conf "$LAB_DIR/charon" "$LAB_PROPOSALS"
	else
		LAB_CHILD_MODE=$1 LAB_ESP_PROPOSALS=$2 _lab_charon_conf "$LAB_DIR/charon" "$LAB_PROPOSALS"
	fi
	out=$(STRONGSWAN_CONF="$LAB_DIR/charon/strongswan.conf" timeout 10 swanctl --load-all \
		--noprompt --uri "unix://$LAB_DIR/charon/charon.vici" \
		--file "$LAB_DIR/charon/swanctl.conf" 2>&1) || ko "swanctl --load-all ($knob)" "$out"
}
# charon_sas: one line per IKE SA, "STATE INITIATOR_SPI CHILDREN" where
# CHILDREN is the number of CHILD_SAs it holds.
charon_sas() {
	STRONGSWAN_CONF="$LAB_DIR/charon/strongswan.conf" timeout 10 swanctl --list-sas --raw \
		--noblock --uri "unix://$LAB_DIR/charon/charon.vici" 2>&1 | python3 -c '
import re, sys
for line in sys.stdin:
    if not line.startswith("list-sa event"):
        continue
    st = re.search(r"\bstate=(\S+)", line)
    spi = re.search(r"\binitiator-spi=([0-9a-f]+)", line)
    kids = re.search(r"child-sas \{(.*)\}\}\}\s*$", line)
    n = len(re.findall(r"\bprotocol=", kids.group(1))) if kids else -1
    print(st.group(1) if st else "-", spi.group(1) if spi else "-", n)'
}

# ---- the wire: tcpdump in the server namespace (lab.sh), read with ikeprobe.py
wire_start() {
	WIRE=$work/wire-$sc-$ver-$1.pcap
	lab_capture_start s "$WIRE" || ko "tcpdump did not start in the server namespace"
}
# Facts of the exchange that carried Quick Mode (else: the one that got
# furthest): cookie; qm "PORT[+marker] xN" of exchange 32 from the client;
# qm_msgid (decimal, as charon logs it); qm_reply (exchange 32 from the
# server, to the same port) count; info_after (encrypted exchange 5 from
# the client after Quick Mode) "PORT xN"; qm_any (every exchange 32 seen).
wire_stop() {
	lab_capture_stop
	WIRE_FACTS=$(python3 - "$WIRE" "$NC_ROOT/tests/lab" <<-'EOF' 2>&1
		import struct, sys
		sys.path.insert(0, sys.argv[2])
		import ikeprobe
		msgs = []
		for i, (src, sport, dst, dport, pl) in enumerate(ikeprobe.pcap_datagrams(sys.argv[1])):
		    up = dport in (500, 4500) and sport not in (500, 4500)
		    port = dport if up else sport
		    marker = False
		    if port == 4500:
		        if pl[:4] != b"\0\0\0\0":
		            continue  # ESP or keepalive
		        marker, pl = True, pl[4:]
		    if len(pl) < 28:
		        continue
		    nxt, ver, exch, flags, msgid, length = struct.unpack("!BBBBII", pl[16:28])
		    msgs.append(dict(i=i, up=up, port=port, marker=marker, ck=pl[:8].hex(),
		                     exch=exch, enc=bool(flags & 1), msgid=msgid))
		qm = [m for m in msgs if m["up"] and m["exch"] == 32]
		f = {"cookie": "none", "qm": "none", "qm_msgid": "none", "qm_reply": "0",
		     "info_after": "none", "qm_any": str(len([m for m in msgs if m["exch"] == 32]))}
		if qm:
		    ck, port, mk = qm[0]["ck"], qm[0]["port"], qm[0]["marker"]
		    where = lambda p, m: "%d%s" % (p, "+marker" if m else "")  # noqa: E731
		    f["cookie"] = ck
		    f["qm"] = "%s x%d" % (where(port, mk), len(qm))
		    ids = {m["msgid"] for m in qm}
		    f["qm_msgid"] = " ".join(str(x) for x in sorted(ids))
		    f["qm_reply"] = str(len([m for m in msgs if not m["up"] and m["exch"] == 32
		                             and m["ck"] == ck and m["msgid"] in ids]))
		    inf = [m for m in msgs if m["up"] and m["exch"] == 5 and m["enc"] and m["ck"] == ck
		           and m["i"] > qm[0]["i"]]
		    if inf:
		        ports = sorted({where(m["port"], m["marker"]) for m in inf})
		        f["info_after"] = "%s x%d" % (",".join(ports), len(inf))
		for k, v in f.items():
		    print(k, v)
	EOF
	)
}
wf() { printf '%s\n' "$WIRE_FACTS" | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }'; }

# charon_clean: after a run, up to 2 s for the DELETEs to be handled:
# no established IKE SA, none of the probe's cookie, no CHILD_SA, and no
# IPsec SA in the server's kernel.  (Half-open SAs of the UDP 4500 test
# exchange, which never gets past message 2, stay until half_open_timeout.)
charon_clean() {
	local ck=$(wf cookie) sas left xs i
	for i in $(seq 1 20); do
		sas=$(charon_sas)
		xs=$(lab_exec s ip xfrm state 2>&1)
		left=$(printf '%s\n' "$sas" | awk -v c="$ck" 'NF && ($1 == "ESTABLISHED" || $2 == c || $3 != 0)')
		[ -z "$left" ] && [ -z "$xs" ] && break
		sleep 0.1
	done
	if [ -z "$left" ] && [ -z "$xs" ] && [ "$ck" != none ]; then
		ok "afterwards charon holds no IKE SA of the probe (cookie $ck), none established, no CHILD_SA; no IPsec SA in the server's kernel ($((i * 100)) ms)"
	else
		ko "afterwards charon holds no IKE SA of the probe, none established, no CHILD_SA; no IPsec SA in the kernel" \
			"cookie $ck; left after 2 s: $left
all SAs (state spi children): $sas
ip xfrm state: $xs"
	fi
}

# logged NAME ERE [CONTEXT_ERE]: PASS when the server's log since the mark
# ($log) has a line matching ERE; else the lines matching CONTEXT_ERE.
logged() {
	if printf '%s\n' "$log" | grep -qE -- "$2"; then
		ok "$1"
	else
		ko "$1" "$(printf '%s\n' "$log" | grep -E -- "${3:-.}" | cut -c1-300 | tail -8)"
	fi
}

# ---- the cases
# accepted: right key, charon's default L2TP child.
accepted() {
	local nat=false esp prop want_pl want_qm want_v want_rc
	[ "$EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT" = "false false" ] || nat=true
	if is_xp "$ver"; then
		esp="ESP 3DES/SHA1" prop="ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ"
	else
		esp="ESP AES-256/SHA1" prop="ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ"
	fi
	want_v=$EXPECT_VERDICT
	case $want_v in works) want_rc=0 ;; needs-registry) want_rc=1 ;; *) want_rc=3 ;; esac
	if [ "$nat" = true ]; then
		esp="$esp UDP-encapsulated transport" want_qm="4500+marker x1"
		if is_xp "$ver"; then want_pl="HASH SA No ID ID NAT-OA"; else want_pl="HASH SA No ID ID NAT-OA NAT-OA"; fi
	else
		esp="$esp transport" want_qm="500 x1" want_pl="HASH SA No ID ID"
	fi
	log_mark
	wire_start ok
	nc --json --psk-file 'C:\qm\key.txt' check "$SERVER_ADDR"
	wire_stop
	expect "right key: phase1 complete, phase2 accepted, phase2_esp \"$esp\"; verdict $want_v (exit $want_rc)" \
		"complete | accepted | $esp|$want_v $want_rc ($want_rc)" "$(jqo "$P2")|$(jqo "$RUNV") ($RC)"
	expect "right key: phase2_detail null" null "$(jqo '.servers[0].phase2_detail')"
	local qid log pl
	qid=$(wf qm_msgid)
	expect "on the wire: Quick Mode message 1 (exchange 32) once to UDP $want_qm, answered once; then two encrypted INFORMATIONALs (the DELETEs) to the same port" \
		"$want_qm|1|${want_qm% x1} x2" "$(wf qm)|$(wf qm_reply)|$(wf info_after)"
	sleep 0.3
	log=$(log_since)
	pl=$(printf '%s\n' "$log" | sed -n "s/.*parsed QUICK_MODE request $qid \[ \(.*\) \]\$/\1/p" | head -1)
	expect "charon parsed this Quick Mode (message id $qid) with payloads [ $want_pl ]$([ "$nat" = true ] && { is_xp "$ver" && echo ": one NAT-OA (XP's draft)" || echo ": two NAT-OA (RFC 3947)"; } || echo ": no NAT-OA without NAT")" \
		"$want_pl" "$pl"
	logged "charon selected $prop" "selected proposal: $prop" 'QUICK_MODE|proposal'
	logged "charon answered Quick Mode $qid" "generating QUICK_MODE response $qid " 'QUICK_MODE|INFORMATIONAL'
	logged "charon received the ISAKMP SA's DELETE" "received DELETE for IKE_SA l2tp" 'DELETE|INFORMATIONAL'
	# The IPsec SA's DELETE names an SA charon has not installed (that waits
	# for Quick Mode message 3, never sent): it logs "CHILD_SA not found"
	# when it handles it before the ISAKMP SA's DELETE, nothing otherwise.
	printf '%s\n' "$log" | grep -q "received DELETE for ESP CHILD_SA" &&
		echo "note [$(tag)]: charon: $(printf '%s\n' "$log" | grep -o 'received DELETE for ESP CHILD_SA.*' | head -1)"
	charon_clean
}

# rejected KNOB_DESC NOTIFY: right key against a child charon refuses.
rejected() {
	local notify=$1 nat=false adv
	[ "$EXPECT_SERVER_BEHIND_NAT $EXPECT_CLIENT_BEHIND_NAT" = "false false" ] || nat=true
	log_mark
	wire_start rej
	nc --json --psk-file 'C:\qm\key.txt' check "$SERVER_ADDR"
	wire_stop
	expect "phase1 complete, phase2 rejected, phase2_esp null; verdict phase2-rejected, exit 3" \
		"complete | rejected | null|phase2-rejected 3 (3)" "$(jqo "$P2")|$(jqo "$RUNV") ($RC)"
	case $(jqo '.servers[0].phase2_detail') in
	*"$notify"*) ok "phase2_detail names $notify ($(jqo '.servers[0].phase2_detail'))" ;;
	*) ko "phase2_detail names $notify" "$(jqo '.servers[0].phase2_detail')" ;;
	esac
	adv=$(jqo '.servers[0].advice')
	local w miss=""
	for w in "error 788" "transport mode" "UDP port 1701" "no PFS"; do
		case $adv in *"$w"*) ;; *) miss="$miss [$w]" ;; esac
	done
	if [ -z "$miss" ]; then
		ok "the advice names error 788, transport mode, UDP port 1701, no PFS"
	else
		ko "the advice names error 788, transport mode, UDP port 1701, no PFS (missing:$miss)" "$adv"
	fi
	if [ "$EXPECT_SERVER_BEHIND_NAT" = true ]; then
		case $adv in
		*"Besides: "*AssumeUDPEncapsulationContextOnSendRule*) ok "server behind NAT: the registry advice follows (\"Besides: ... AssumeUDPEncapsulationContextOnSendRule\")" ;;
		*) ko "server behind NAT: the registry advice follows (\"Besides: ...\")" "$adv" ;;
		esac
		expect "server behind NAT: required_value still $EXPECT_REQUIRED_VALUE" "$EXPECT_REQUIRED_VALUE" \
			"$(jqo '.servers[0].required_value')"
	else
		case $adv in
		*"Besides:"*) ko "no NAT: no registry advice (\"Besides:\")" "$adv" ;;
		*) ok "no NAT: no registry advice (\"Besides:\")" ;;
		esac
	fi
	local qid log cl
	qid=$(wf qm_msgid)
	sleep 0.3
	log=$(log_since)
	case $notify in
	INVALID-ID-INFORMATION) cl="INVAL_ID" ;;
	*) cl="NO_PROP" ;;
	esac
	logged "charon parsed this Quick Mode (message id $qid; on the wire to $(wf qm))" \
		"parsed QUICK_MODE request $qid " 'QUICK_MODE'
	logged "charon refused it with N($cl)" "INFORMATIONAL_V1 request [0-9]+ \\[ HASH N\\($cl\\) \\]" \
		'QUICK_MODE|INFORMATIONAL|proposal|CHILD_SA'
	logged "charon received the ISAKMP SA's DELETE" "received DELETE for IKE_SA l2tp" 'DELETE|INFORMATIONAL'
	expect "on the wire: the ISAKMP SA's DELETE alone follows (one encrypted INFORMATIONAL to $want_port)" \
		"$want_port x1" "$(wf info_after)"
	charon_clean
}

# not_tested: no key / wrong key - no Quick Mode at all.
not_tested() {
	log_mark
	wire_start none
	nc --json check "$SERVER_ADDR"
	wire_stop
	expect "no key: phase2 not-tested, phase2_esp null; verdict $EXPECT_VERDICT" \
		"not-tested | not-tested | null|$EXPECT_VERDICT" "$(jqo "$P2")|$(jqo .verdict)"
	case $(jqo '.servers[0].phase2_detail') in
	*"Main Mode"*key* | *key*) ok "no key: phase2_detail says why ($(jqo '.servers[0].phase2_detail'))" ;;
	*) ko "no key: phase2_detail says why" "$(jqo '.servers[0].phase2_detail')" ;;
	esac
	sleep 0.2
	expect "no key: no Quick Mode on the wire, none in charon's log" "0 0" \
		"$(wf qm_any) $(log_since | grep -c QUICK_MODE)"
	log_mark
	wire_start wrong
	nc --json --psk-file 'C:\qm\wrong.txt' check "$SERVER_ADDR"
	wire_stop
	expect "wrong key: psk-mismatch (exit 3), phase1 psk-mismatch, phase2 not-tested" \
		"psk-mismatch 3 (3)|psk-mismatch | not-tested | null" "$(jqo "$RUNV") ($RC)|$(jqo "$P2")"
	sleep 0.2
	expect "wrong key: no Quick Mode on the wire, none in charon's log" "0 0" \
		"$(wf qm_any) $(log_since | grep -c QUICK_MODE)"
	# The text output's line.
	nc --psk-file 'C:\qm\key.txt' check "$SERVER_ADDR"
	case $(printf '%s' "$OUT" | tr -d '\r') in
	*"L2TP SA (Quick Mode): accepted: ESP AES-256/SHA1 transport"*) ok "text output: \"L2TP SA (Quick Mode): accepted: ESP AES-256/SHA1 transport\"" ;;
	*) ko "text output: \"L2TP SA (Quick Mode): accepted: ESP AES-256/SHA1 transport\"" "$OUT" ;;
	esac
}

# control: with the DELETEs dropped by the router (exchange 5 to 500, or to
# 4500 after the marker), charon_clean's condition must be seen false: the
# probe's IKE SA established.  Last in its lab.
control() {
	local ck sas
	lab_drop_deletes
	wire_start control
	nc --json --psk-file 'C:\qm\key.txt' check "$SERVER_ADDR"
	wire_stop
	sleep 0.5
	ck=$(wf cookie)
	sas=$(charon_sas)
	if [ "$(jqo '.servers[0].phase2')" = accepted ] &&
		printf '%s\n' "$sas" | awk -v c="$ck" '$1 == "ESTABLISHED" && $2 == c {f = 1} END {exit !f}'; then
		ok "control: with the DELETEs dropped, charon is seen holding the probe's IKE SA, established (kernel: $(lab_exec s ip xfrm state | grep -c '^src') IPsec SA entries)"
	else
		ko "control: with the DELETEs dropped, charon is seen holding the probe's IKE SA" \
			"phase2 $(jqo '.servers[0].phase2'), cookie $ck
SAs: $sas"
	fi
	lab_allow_deletes
}

# pluto: phase2 as pluto's log says.
pluto_case() {
	local log p2 det want why
	log_mark
	wire_start pluto
	nc --json --psk-file 'C:\qm\key.txt' check "$SERVER_ADDR"
	wire_stop
	sleep 0.3
	log=$(log_since)
	p2=$(jqo '.servers[0].phase2') det=$(jqo '.servers[0].phase2_detail')
	if printf '%s\n' "$log" | grep -q "sending encrypted notification NO_PROPOSAL_CHOSEN"; then
		want="rejected|NO-PROPOSAL-CHOSEN"
		why="pluto refused it: $(printf '%s\n' "$log" | grep -E 'require PFS|NO_PROPOSAL' | head -1 | sed 's/^.*#[0-9]*: //')"
	elif printf '%s\n' "$log" | grep -qE "STATE_QUICK_R0 had internal error|hit fail"; then
		want="rejected|no answer to Quick Mode"
		why="pluto did not answer: $(printf '%s\n' "$log" | grep -E 'ERROR: .*Add SA' | head -1 | sed 's/^.*#[0-9]*: //')"
	elif printf '%s\n' "$log" | grep -qE "STATE_QUICK_R1|Quick Mode R1|IPsec SA established"; then
		want="accepted|null"
		why="pluto answered Quick Mode"
	else
		want="?" why="pluto's log says neither"
	fi
	echo "note [$(tag)]: pluto: phase2 $p2 ($det); $why"
	expect "pluto: phase1 complete; phase2 as pluto's log says ($why)" "complete ${want%%|*}" \
		"$(jqo '.servers[0].phase1') $p2"
	case $det in
	*"${want#*|}"*) ok "pluto: phase2_detail agrees with pluto's log (${want#*|})" ;;
	*) ko "pluto: phase2_detail agrees with pluto's log (${want#*|})" "$det" ;;
	esac
	logged "pluto read the IDs: UDP port 1701 on both sides" \
		"the peer proposed: 198.19.0.2/32:1701 -UDP-> 198.18.0.2/32:1701" 'proposed|Quick'
	logged "pluto received the ISAKMP SA's DELETE" "received Delete SA payload: self-deleting ISAKMP State"
}

for sc in $scenarios; do
	ver=- knob=
	lab_up "$sc" >/dev/null 2>"$work/lab.err" || { ko "lab_up" "$(cat "$work/lab.err")"; lab_down; continue; }
	case $sc in
	nonat | server-nat | client-nat)
		for v in $VERSIONS; do
			prefix_for "$v"
			accepted
		done
		want_port=500
		[ "$sc" = nonat ] || want_port=4500+marker
		if [ "$sc" != client-nat ]; then
			prefix_for "$MAIN"
			charon_knobs tunnel default
			rejected INVALID-ID-INFORMATION
			charon_knobs transport aes128gcm16
			rejected NO-PROPOSAL-CHOSEN
			charon_knobs transport aes256-sha1-modp2048
			rejected NO-PROPOSAL-CHOSEN
			charon_knobs transport default
			knob=
		fi
		if [ "$sc" = nonat ]; then
			prefix_for "$MAIN"
			not_tested
			control
		fi
		;;
	pluto-psk)
		for v in $VERSIONS; do
			prefix_for "$v"
			pluto_case
		done
		;;
	esac
	prefixes_end
	ver=-
	lab_down
done
sc=- ver=- knob=
lab_clean
result "quickmode-$arch"
