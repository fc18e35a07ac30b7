#!/bin/bash
# window.sh - the window of a double-clicked nattcheck, under Wine on a
# virtual X display (Xvfb), read back from the window itself by a small
# Windows test program (wintool.c: WM_GETTEXT of every control, BM_CLICK,
# the clipboard, a screenshot by BitBlt):
#   - for every verdict (lab scenarios, ipv6-cnat for no-natt; a hostile
#     responder for inconclusive,
#     and the run after Fix for reboot-pending): the verdict's plain words
#     and the phonebook entry in the window's own text, a Fix button only
#     for needs-registry, Copy fills the clipboard with valid JSON whose
#     verdict is the same, a screenshot in build/screenshots/;
#   - Fix writes the value (Wine runs as administrator) and the window then
#     says to restart Windows; the next run says reboot-pending;
#   - started as Explorer starts a double-clicked exe (a new console of its
#     own, no arguments): the window; with an argument, or output to a pipe
#     or file: never a window, the run ends by itself; --window where no
#     window can be made (no display): prints and exits.
# Must run inside a fresh "unshare -n" (tests/integration/run.sh does that).
# Usage: window.sh ARCH
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/wine.sh"

arch=${1:-x86_64}
EXE=$root/build/$arch/nattcheck.exe
work=${NC_WORK:-$(mktemp -d /tmp/nattcheck-win.XXXXXX)}
shots=$root/build/screenshots
sc=- P= XPID= NPID=
VAL=AssumeUDPEncapsulationContextOnSendRule
KEY='SYSTEM\CurrentControlSet\Services\PolicyAgent'
TITLE="nattcheck - VPN through NAT"

. "$here/lib.sh"
tag() { echo "$arch/$sc"; }
cleanup() {
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null
	[ -n "$P" ] && [ -f "$P/.wineserver.pid" ] && wine_stop "$P"
	lab_down >/dev/null 2>&1
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null && wait "$XPID" 2>/dev/null
	[ -z "${NC_WORK:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

if [ "$arch" != x86_64 ] || [ ! -x /usr/lib/wine/wine64 ]; then
	echo "SKIP [$arch] the window suite runs the x86_64 exe (64-bit Wine)"
	echo "window-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
command -v Xvfb >/dev/null || { echo "FAIL [$arch] Xvfb is not installed (tests/deps.sh installs xvfb)"; echo "window-$arch: 0 passed, 1 failed"; exit 1; }

mkdir -p "$shots" "$work"
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -municode -DUNICODE -D_UNICODE \
	-o "$work/wintool.exe" "$here/wintool.c" -luser32 -lgdi32 ||
	{ echo "window-$arch: 0 passed, 1 failed"; exit 1; }
[ -f "$work/tpl-win10/.nattlab-version" ] || wine_template "$work/tpl-win10" win10 ||
	{ echo "FAIL wine template"; echo "window-$arch: 0 passed, 1 failed"; exit 1; }

# A display of our own: Xvfb picks a free number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/xdisplay" 2>"$work/xvfb.log" &
XPID=$!
for _ in $(seq 1 100); do [ -s "$work/xdisplay" ] && break; sleep 0.1; done
[ -s "$work/xdisplay" ] || { echo "FAIL Xvfb did not start: $(cat "$work/xvfb.log")"; echo "window-$arch: 0 passed, 1 failed"; exit 1; }
DISP=:$(head -1 "$work/xdisplay")

# Wine programs in the client namespace, on the display.
wx() { DISPLAY=$DISP _wine_ns "$CLIENT_NS" "$P" timeout 60 wine "$@"; }
wt() { wx "$work/wintool.exe" "$@" 2>"$work/wt.err"; }
z() { printf 'Z:%s' "$1" | tr / '\\'; }
regv() {
	DISPLAY=$DISP wine_sys "$CLIENT_NS" "$P" reg query "HKLM\\$KEY" /v "$VAL" 2>/dev/null | tr -d '\r' |
		awk -v v="$VAL" '$1 == v { print $3 }'
}

# A prefix for the lab scenario, its wineserver in the client namespace,
# Wine drawing its own window frames (no window manager on Xvfb), and a
# user phonebook with one entry for the lab server.
new_prefix() {
	local user usr
	P=$work/p-win-$1
	wine_case_prefix "$work/tpl-win10" "$P"
	wine_start "$CLIENT_NS" "$P" || ko "wineserver start"
	# With the display: the first program of a wineserver starts Wine's
	# desktop process, which keeps the display it was started with.
	DISPLAY=$DISP wine_sys "$CLIENT_NS" "$P" reg add 'HKCU\Software\Wine\X11 Driver' /v Decorated /d N /f >/dev/null 2>&1
	user=$(ls "$P/drive_c/users" | grep -v '^Public$' | head -1)
	usr="$P/drive_c/users/$user/AppData/Roaming/Microsoft/Network/Connections/Pbk"
	mkdir -p "$usr"
	printf '[Lab VPN]\r\nType=2\r\nVpnStrategy=3\r\nUsePreSharedKey=1\r\nPhoneNumber=%s\r\n\r\n[Old PPTP]\r\nType=2\r\nVpnStrategy=1\r\nPhoneNumber=198.19.0.9\r\n' \
		"$SERVER_ADDR" >"$usr/rasphone.pbk"
}

# The plain words each verdict must show (test's own table, not the exe's).
words() {
	case $1 in
	works) echo "should work from here" ;;
	needs-registry) echo "Click Fix, then restart Windows" ;;
	reboot-pending) echo "restart Windows, then connect" ;;
	no-natt) echo "does not support NAT traversal" ;;
	blocked-udp4500) echo "UDP port 4500 to the VPN server is blocked" ;;
	proposal-rejected) echo "refuses the security settings" ;;
	inconclusive) echo "could not tell whether this connection works" ;;
	blocked-udp500) echo "does not answer (UDP port 500)" ;;
	esac
}

# window_case VERDICT [EXTRA]: runs `nattcheck --window --json` (the
# phonebook's entries), reads the window back, Copy, screenshot; EXTRA=fix
# also clicks Fix.  Leaves the exit code in WRC.
window_case() {
	local want=$1 extra=${2:-} txt dump clip rc
	wx "$EXE" --window --json >"$work/out.json" 2>"$work/out.err" </dev/null &
	NPID=$!
	if ! wt wait "$TITLE" 30000 >/dev/null; then
		ko "$want: no window appeared" "$(cat "$work/wt.err" "$work/out.err")"
		kill "$NPID" 2>/dev/null; wait "$NPID" 2>/dev/null; NPID=
		return
	fi
	txt=$(wt text "$TITLE")
	case $txt in
	*"$(words "$want")"*) ok "$want: the window says so in plain words: '$(words "$want")'" ;;
	*) ko "$want: plain words '$(words "$want")' in the window" "$txt" ;;
	esac
	case $txt in
	*"Lab VPN ($SERVER_ADDR)"*"Details ($want)"*"Old PPTP (198.19.0.9)"*"Not checked: PPTP only"*)
		ok "$want: the window names the entry, the verdict, and the entry not checked" ;;
	*) ko "$want: entry, verdict and skipped entry in the window" "$txt" ;;
	esac
	dump=$(wt dump "$TITLE")
	if [ "$want" = needs-registry ]; then
		printf '%s\n' "$dump" | grep -q "$(printf '^Button\t[0-9]*\t1\t1\t&Fix$')" &&
			ok "$want: a Fix button, enabled" || ko "$want: Fix button" "$dump"
	else
		printf '%s\n' "$dump" | grep -q '&Fix' && ko "$want: no Fix button" "$dump" || ok "$want: no Fix button"
	fi
	rm -f "$work/clip.json"
	if wt click "$TITLE" Copy && wt clipboard "$(z "$work/clip.json")"; then
		clip=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); print(d["verdict"], d["servers"][0]["entry"])' "$work/clip.json" 2>&1)
		[ "$clip" = "$want Lab VPN" ] && ok "$want: Copy put valid JSON on the clipboard (verdict $want, entry Lab VPN)" ||
			ko "$want: clipboard JSON" "$clip"
		[ -n "${NC_DOCS:-}" ] && cp "$work/clip.json" "$NC_DOCS/clip-$want-$$.json"
	else
		ko "$want: Copy to the clipboard" "$(cat "$work/wt.err")"
	fi
	sleep 0.3
	if wt shot "$TITLE" "$(z "$work/shot.bmp")" && /usr/bin/python3 "$here/bmp2png.py" "$work/shot.bmp" "$shots/window-$want.png"; then
		ok "$want: screenshot build/screenshots/window-$want.png ($(stat -c %s "$shots/window-$want.png") bytes)"
	else
		ko "$want: screenshot" "$(cat "$work/wt.err")"
	fi
	if [ "$extra" = -fix ]; then
		wt click "$TITLE" Fix
		for _ in $(seq 1 100); do
			txt=$(wt text "$TITLE")
			case $txt in *"Restart Windows now"*) break ;; esac
			sleep 0.2
		done
		case $txt in
		*"Done: the registry value is set. Restart Windows now"*) ok "Fix: the window says the value is set and Windows must restart" ;;
		*) ko "Fix: the window's answer" "$txt" ;;
		esac
		rc=$(regv)
		[ "$rc" = 0x2 ] && ok "Fix wrote $VAL = 2 (read back with reg)" || ko "Fix wrote the value" "got: ${rc:-absent}"
		wt dump "$TITLE" | grep -q "$(printf '^Button\t[0-9]*\t1\t0\t&Fix$')" &&
			ok "Fix: the button is disabled after it ran" || ko "Fix button disabled after it ran" "$(wt dump "$TITLE")"
		wt shot "$TITLE" "$(z "$work/shot.bmp")" &&
			/usr/bin/python3 "$here/bmp2png.py" "$work/shot.bmp" "$shots/window-after-fix.png"
	fi
	wt click "$TITLE" Close
	if wt gone "$TITLE" 10000; then ok "$want: Close closes the window"; else ko "$want: Close" "$(cat "$work/wt.err")"; fi
	wait "$NPID"
	WRC=$?
	NPID=
	rc=$(jq -r .exit_code "$work/out.json" 2>/dev/null)
	[ "$WRC" = "$rc" ] && [ -n "$rc" ] && ok "$want: the run then ends, exit $WRC as its JSON says" ||
		ko "$want: exit code after the window" "exit $WRC, JSON $(head -c 300 "$work/out.json")"
	[ -n "${NC_DOCS:-}" ] && cp "$work/out.json" "$NC_DOCS/window-$want-$$.json"
}

# ---- every verdict --------------------------------------------------------------
for sc in ${WINDOW_SCENARIOS:-nonat server-nat ipv6-cnat server-nat-no4500 strict-proposal silent hostile}; do
	lab_up "$sc" >/dev/null 2>"$work/lab.err" || { ko "lab_up" "$(cat "$work/lab.err")"; lab_down >/dev/null 2>&1; continue; }
	new_prefix "$sc"
	case $sc in
	hostile)
		rm -f "$work/hr.ready"
		ip netns exec "$SERVER_NS" python3 -u "$root/tests/lab/hostile_responder.py" truncated \
			--ready "$work/hr.ready" >"$work/hr.log" 2>&1 &
		RPID=$!
		echo "$RPID" >>"$LAB_DIR/pids"
		for _ in $(seq 1 100); do [ -e "$work/hr.ready" ] && break; sleep 0.05; done
		window_case inconclusive
		kill "$RPID" 2>/dev/null ;;
	server-nat)
		WRC=
		window_case needs-registry -fix
		[ "$WRC" = 1 ] && ok "needs-registry: the run's exit code is still 1 (what it found)" || ko "needs-registry exit" "$WRC"
		# The value now set, Windows not restarted: the next run says so.
		window_case reboot-pending ;;
	*)
		window_case "$EXPECT_VERDICT" ;;
	esac
	wine_stop "$P"
	rm -rf "$P"
	P=
	lab_down >/dev/null 2>&1
done

# ---- when a window shows, and when never ---------------------------------------
sc=double-click
lab_up nonat >/dev/null 2>"$work/lab.err" || ko "lab_up" "$(cat "$work/lab.err")"
new_prefix double-click
# As Explorer starts it: a new console of its own, no arguments.
out=$(wt spawn-newconsole 3000 "$(z "$EXE")")
if wt wait "$TITLE" 30000 >/dev/null; then
	ok "no arguments, a console of its own (as double-clicked): the window ($(echo "$out" | tr '\n' ' '))"
	case $(wt text "$TITLE") in *"Lab VPN ($SERVER_ADDR)"*"$(words works)"*) ok "double-clicked: this machine's connection, checked" ;;
	*) ko "double-clicked: the window's text" "$(wt text "$TITLE")" ;; esac
	wt close "$TITLE"
	wt gone "$TITLE" 10000 && ok "double-clicked: closing the window ends it" || ko "double-clicked: close"
else
	ko "no arguments, a console of its own: the window" "$out $(cat "$work/wt.err")"
fi
# Any argument: never a window, even on a console of its own.
out=$(wt spawn-newconsole 30000 "$(z "$EXE")" check)
case $out in *"exit 0"*) ok "a console of its own with an argument ('check'): no window, ends by itself (exit 0)" ;;
*) ko "with an argument: no window" "$out" ; wt close "$TITLE" ;; esac
# Output to a pipe (a script): no window, ends by itself.
t0=$(date +%s)
wx "$EXE" </dev/null | cat >"$work/pipe.out"
rc=${PIPESTATUS[0]}
grep -q '"Lab VPN"' "$work/pipe.out" && [ "$rc" = 0 ] && [ $(($(date +%s) - t0)) -lt 30 ] &&
	ok "no arguments, output to a pipe: no window, printed, exit 0" || ko "no arguments to a pipe" "rc=$rc $(cat "$work/pipe.out")"
# --window where no window can be made (no display): prints and exits.
_wine_ns "$CLIENT_NS" "$P" env -u DISPLAY timeout 60 wine "$EXE" --window >"$work/nodisp.out" 2>&1 </dev/null
rc=$?
grep -q '"Lab VPN"' "$work/nodisp.out" && [ "$rc" = 0 ] &&
	ok "--window with no display: prints the answer and exits 0" || ko "--window with no display" "rc=$rc $(cat "$work/nodisp.out")"
wine_stop "$P"
rm -rf "$P"
P=
lab_down >/dev/null 2>&1

result "window-$arch"
