#!/bin/bash
# phonebook.sh - `nattcheck` with no server, `check` with none and `status`
# read this machine's own VPN connections from the RAS phonebooks, under
# Wine, with phonebooks this test writes where each Windows version keeps
# them: Windows 10 (C:\ProgramData\..., %APPDATA% = ...\AppData\Roaming)
# and XP (the shell folders set as XP has them: C:\Documents and
# Settings\All Users\Application Data and ...\<user>\Application Data; the
# exe asks the shell, so it must find them there).  Both scopes; L2TP-only,
# automatic, PPTP-only, IKEv2-only, SSTP-only and certificate entries;
# non-ASCII names in UTF-8 and in the ANSI code page; a phonebook of binary
# junk; an entry without a server; none, an empty one, an unreadable one.
# Then in the lab (server behind NAT): an entry pointing at the lab server
# gives the same verdict and facts as `check SERVER`.
# Must run inside a fresh "unshare -n" (tests/integration/run.sh does that).
# Usage: phonebook.sh ARCH
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"

arch=${1:-x86_64}
EXE=$root/build/$arch/nattcheck.exe
work=${NC_WORK:-$(mktemp -d /tmp/nattcheck-pbk.XXXXXX)}
ver=- P=

. "$here/lib.sh"
tag() { echo "$arch/$ver"; }
nc() { wine_exe "${NS:-}" "$P" "$work/err" "$EXE" "$@"; }
jqo() { printf '%s' "$OUT" | jq -r "$1" 2>&1; }

cleanup() {
	[ -n "$P" ] && [ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	lab_down >/dev/null 2>&1
	[ -z "${NC_WORK:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x /usr/lib/wine/wine64 ] || { [ "$arch" = i686 ] && [ "$NC_WINE32" != 1 ]; }; then
	echo "SKIP [$arch] no Wine for $arch here: $( [ -x /usr/lib/wine/wine64 ] && wine_why_no32 || echo 64-bit Wine is not installed)"
	echo "phonebook-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
case $arch in
i686) VERSIONS=${PBK_VERSIONS:-xp32sp2} ;;
*) VERSIONS=${PBK_VERSIONS:-win10 winxp64} ;;
esac
for v in $VERSIONS; do
	[ -f "$work/tpl-$v/.nattlab-version" ] || wine_template "$work/tpl-$v" "$v" ||
		{ echo "FAIL [$arch] wine template $v"; echo "phonebook-$arch: 0 passed, 1 failed"; exit 1; }
done

# unix DIR: a prefix's C:\... path as a folder here.
unix() { printf '%s/drive_c/%s' "$P" "$(printf '%s' "${1#C:\\}" | tr '\\' /)"; }

# XP's shell folders (what SHGetFolderPath answers on XP): written into the
# prefix's registry, so the exe finds the phonebooks only if it asks.
set_xp_folders() {
	local u=$1
	printf 'REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders]\r\n"Common AppData"="C:\\\\Documents and Settings\\\\All Users\\\\Application Data"\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders]\r\n"Common AppData"="C:\\\\Documents and Settings\\\\All Users\\\\Application Data"\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders]\r\n"AppData"="C:\\\\Documents and Settings\\\\%s\\\\Application Data"\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders]\r\n"AppData"="C:\\\\Documents and Settings\\\\%s\\\\Application Data"\r\n' \
		"$u" "$u" >"$P/drive_c/xpfolders.reg"
	wine_sys "" "$P" regedit /s 'C:\xpfolders.reg' >/dev/null 2>&1
	rm -f "$P/drive_c/xpfolders.reg"
}

# The phonebooks of the first part: every kind of entry, in both scopes.
# All-users: as Windows writes them (CRLF, Encoding=1, both Device keys).
write_pbks() {
	mkdir -p "$(dirname "$ALL")" "$(dirname "$USR")"
	printf '[Office L2TP]\r\nEncoding=1\r\nPBVersion=4\r\nType=2\r\nAutoLogon=0\r\nUsePreSharedKey=1\r\nVpnStrategy=3\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\nDevice=WAN Miniport (L2TP)\r\nDEVICE=vpn\r\nPhoneNumber=198.18.7.1\r\n\r\n[Automatic]\r\nEncoding=1\r\nType=2\r\nVpnStrategy=0\r\nPhoneNumber=198.18.7.2\r\n\r\n[Old PPTP]\r\nType=2\r\nVpnStrategy=1\r\nPhoneNumber=198.18.7.3\r\n\r\n[IKEv2 only]\r\nType=2\r\nVpnStrategy=7\r\nPhoneNumber=198.18.7.4\r\n\r\n[Dial-up]\r\nType=1\r\nPhoneNumber=0123456\r\n' >"$ALL"
	# User: a UTF-8 name (as RAS on Vista+ writes names outside ANSI), an
	# ANSI (cp1252) name, a certificate L2TP entry, SSTP only, no server.
	printf '[B\xc3\xbcro-VPN \xe6\x9d\xb1\xe4\xba\xac]\r\nEncoding=1\r\nType=2\r\nVpnStrategy=4\r\nUsePreSharedKey=1\r\nPhoneNumber=198.18.7.5\r\n\r\n[M\xfcller Cert]\r\nType=2\r\nVpnStrategy=3\r\nUsePreSharedKey=0\r\nPhoneNumber=198.18.7.6\r\n\r\n[SSTP only]\r\nType=2\r\nVpnStrategy=5\r\nPhoneNumber=198.18.7.7\r\n\r\n[No server]\r\nType=2\r\nVpnStrategy=3\r\nPhoneNumber=\r\n' >"$USR"
}

JQ_CONN='.connections | map([.entry, .phonebook, (.server // "null"), .type, .auth, (.checked|tostring), (.skipped_why // "-")] | join("|")) | join("\n")'
WANT_CONN="Office L2TP|all-users|198.18.7.1|L2TP only|psk|true|-
Automatic|all-users|198.18.7.2|automatic|cert|true|-
Old PPTP|all-users|198.18.7.3|PPTP only|cert|false|PPTP only: does not use L2TP/IPsec
IKEv2 only|all-users|198.18.7.4|IKEv2 only|cert|false|IKEv2 only: does not use L2TP/IPsec (IKEv1)
Büro-VPN 東京|user|198.18.7.5|L2TP first|psk|true|-
Müller Cert|user|198.18.7.6|L2TP only|cert|true|-
SSTP only|user|198.18.7.7|SSTP only|cert|false|SSTP only: does not use L2TP/IPsec
No server|user|null|L2TP only|cert|false|the entry names no server"

for ver in $VERSIONS; do
	P=$work/p-pbk-$ver
	wine_case_prefix "$work/tpl-$ver" "$P"
	user=$(ls "$P/drive_c/users" | grep -v '^Public$' | head -1)
	case $ver in
	win10 | win7)
		ALLW='C:\ProgramData\Microsoft\Network\Connections\Pbk\rasphone.pbk'
		USRW="C:\\users\\$user\\AppData\\Roaming\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk" ;;
	*)
		set_xp_folders "$user"
		ALLW='C:\Documents and Settings\All Users\Application Data\Microsoft\Network\Connections\Pbk\rasphone.pbk'
		USRW="C:\\Documents and Settings\\$user\\Application Data\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk" ;;
	esac
	ALL=$(unix "$ALLW") USR=$(unix "$USRW")
	# One wineserver for the whole case (wine_common.sh's wine_case does
	# the same): here, in this suite's namespace.
	_wine_env "$P" wineserver -p >/dev/null 2>&1 </dev/null

	# ---- nothing there: a clear usage error, nothing sent -------------------
	nc --json
	expect "no phonebook: exit 64, the error says to name a server or create the connection" \
		"64 64 true" "$RC $(jqo .exit_code) $(jqo '.error | test("no VPN connection; name a server, or create the VPN connection first")')"
	nc check
	expect "no phonebook: 'check' alone is the same usage error on stderr" "64 1" \
		"$RC $(printf '%s' "$ERR" | grep -c 'create the VPN connection first')"
	nc --json status
	expect "no phonebook: status works, lists no connection, names this Windows' paths" \
		"0 0 $ALLW|$USRW" "$RC $(jqo '.connections | length') $(jqo '.phonebooks | map(.path) | join("|")')"
	mkdir -p "$(dirname "$ALL")"
	: >"$ALL"
	nc --json
	expect "empty phonebook: exit 64" "64" "$RC"

	# ---- every kind of entry, both scopes ------------------------------------
	write_pbks
	nc --json status
	expect "status lists every VPN entry (name, scope, server, type, auth, why not checked)" \
		"$WANT_CONN" "$(jqo "$JQ_CONN")"
	nc status
	expect "status text: entry lines" "1 1" \
		"$(printf '%s' "$OUT" | grep -c '^VPN:       "Office L2TP": 198.18.7.1, L2TP only, pre-shared key (all users)')$(printf ' ')$(printf '%s' "$OUT" | grep -c 'not checked: SSTP only')"
	# No route from this namespace: each checked entry is a quick blocked-udp500.
	nc --json --timeout 1500
	expect "no arguments: the four L2TP-capable entries checked, each named, with its own auth" \
		"3|Office L2TP/all-users/psk/198.18.7.1,Automatic/all-users/cert/198.18.7.2,Büro-VPN 東京/user/psk/198.18.7.5,Müller Cert/user/cert/198.18.7.6" \
		"$RC|$(jqo '.servers | map("\(.entry)/\(.phonebook)/\(.auth)/\(.server)") | join(",")')"
	expect "no arguments: the others listed as skipped, with why" "$WANT_CONN" "$(jqo "$JQ_CONN")"
	nc check --timeout 1500
	expect "'check' with no server: text names each entry, skipped ones with why" "3 1 1" \
		"$RC $(printf '%s' "$OUT" | grep -c '^"Müller Cert": 198.18.7.6: blocked-udp500')$(printf ' ')$(printf '%s' "$OUT" | grep -c '^"IKEv2 only": 198.18.7.4: not checked: IKEv2 only')"

	# ---- a phonebook that is not clean text ---------------------------------
	{
		printf '[Junk \x81\x8d\xff\xfe name]\r\nType=2\r\nVpnStrategy=3\r\nPhoneNumber=198.18.7.8\r\n'
		head -c 3000 /dev/urandom | tr -d '[]\000'
		printf '\r\n[Bad utf8 \xc3\x28 \xe2\x82]\r\nType=2\r\nPhoneNumber=198.18.7.9\r\n'
	} >"$USR"
	: >"$ALL"
	nc --json --timeout 1000
	if printf '%s' "$OUT" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(s["server"]=="198.18.7.8" for s in d["servers"])' 2>/dev/null; then
		ok "binary junk and invalid UTF-8 in the phonebook: valid JSON, the good entry checked (exit $RC)"
	else
		ko "binary junk in the phonebook" "rc=$RC $OUT $ERR"
	fi
	# ---- unreadable: a folder where the file should be ------------------------
	rm -f "$ALL"
	mkdir -p "$ALL"
	printf '[P]\r\nType=2\r\nVpnStrategy=1\r\nPhoneNumber=198.18.7.3\r\n' >"$USR"
	nc --json
	expect "unreadable all-users phonebook, PPTP only in the user's: exit 64, the error names the phonebook that could not be read" \
		"64 true true" "$RC $(jqo '.error | test("none of this machine.s VPN connections can use L2TP/IPsec")') $(jqo '.error | test("cannot read the all-users phonebook")')"
	rmdir "$ALL"
	wine_stop "$P"
	rm -rf "$P"
done

# ---- the lab: an entry for the lab server = `check SERVER` -------------------
ver=$(echo "$VERSIONS" | awk '{print $1}')
sc=server-nat
if lab_up "$sc" >/dev/null 2>"$work/lab.err"; then
	P=$work/p-pbk-lab
	wine_case_prefix "$work/tpl-$ver" "$P"
	user=$(ls "$P/drive_c/users" | grep -v '^Public$' | head -1)
	case $ver in
	win10 | win7) USRW="C:\\users\\$user\\AppData\\Roaming\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk" ;;
	*) set_xp_folders "$user"
		USRW="C:\\Documents and Settings\\$user\\Application Data\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk" ;;
	esac
	USR=$(unix "$USRW")
	mkdir -p "$(dirname "$USR")"
	printf '[Lab VPN]\r\nType=2\r\nVpnStrategy=3\r\nUsePreSharedKey=1\r\nPhoneNumber=%s\r\n' "$SERVER_ADDR" >"$USR"
	NS=$CLIENT_NS
	wine_start "$CLIENT_NS" "$P" || ko "wineserver start"
	JQ_SAME='[.verdict, (.exit_code|tostring), (.servers[0] | .udp500, (.natt // "null"), (.server_behind_nat|tostring), (.client_behind_nat|tostring), .udp4500, (.required_value|tostring), .auth)] | join(" ")'
	nc --json check "$SERVER_ADDR"
	direct=$(jqo "$JQ_SAME")
	nc --json
	expect "lab $sc: the entry 'Lab VPN' gives what 'check $SERVER_ADDR' gives" "$direct" "$(jqo "$JQ_SAME")"
	expect "lab $sc: that is $EXPECT_VERDICT, named by its entry" "$EXPECT_VERDICT Lab VPN user" \
		"$(jqo '.verdict + " " + .servers[0].entry + " " + .servers[0].phonebook')"
	wine_stop "$P"
	rm -rf "$P"
	lab_down >/dev/null 2>&1
else
	ko "lab_up $sc" "$(cat "$work/lab.err")"
fi

result "phonebook-$arch"
