#!/bin/bash
# planted.sh - DLL planting: nattcheck.exe run from a "Downloads" folder that
# also holds a fake ws2_32.dll (planted_dll.c: its DllMain writes
# planted-marker.txt beside itself and ends the process with exit code 99)
# must not load it.  Wine is told to prefer a native ws2_32 wherever its
# search finds one (WINEDLLOVERRIDES ws2_32=n,b), as Windows takes a DLL
# beside the exe that is not a KnownDLL.  PASS: no marker, and the same exit
# code and JSON as the same exe in a folder without the fake DLL.
# The control case proves the test can fail: a tiny exe importing ws2_32
# statically (what nattcheck did before), in the same folder, loads the fake
# (marker, exit 99); in a clean folder it runs normally.
# Probes only 198.18.0.1, in a fresh "unshare -n" (run alone, it re-runs
# itself in one), so nothing can leave the machine.
# Usage: planted.sh ARCH [VERSION]   (ARCH: x86_64 | i686; VERSION: a prefix
#        of wine.sh, default win10)
# shellcheck disable=SC2030,SC2031 # subshells set WINEDLLOVERRIDES for one run on purpose
set -u
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)

. "$here/lib.sh"
nc_suite planted "$0" "$@"

arch=${1:-x86_64}
ver=${2:-win10}
EXE=$NC_ROOT/build/$arch/nattcheck.exe
RUN=$(wine_pick_runner "$arch")
CC=$arch-w64-mingw32-gcc
# Native first for ws2_32, wherever Wine's search finds one.
PLANT_OVERRIDES="ws2_32=n,b;mscoree,mshtml="
tag() { echo "$arch/$ver"; }
finish() {
	result "planted-$arch"
	exit
}

if [ -z "$RUN" ]; then
	echo "SKIP [$arch] no Wine for $arch on this machine: $(wine_why_no32)"
	echo "planted-$arch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
[ -f "$EXE" ] || { ko "$EXE missing (make first)"; finish; }
command -v "$CC" >/dev/null 2>&1 || { ko "no $CC to build the fake DLL"; finish; }

# ---- the fake ws2_32.dll and the control exe
B=$NC_WORK/planted-build-$arch
mkdir -p "$B"
kill_at=""
[ "$arch" = i686 ] && kill_at=-Wl,--kill-at
if $CC -O1 -Wall -Wextra -Werror -shared $kill_at -o "$B/ws2_32.dll" "$here/planted_dll.c" 2>"$B/cc.err" &&
	$CC -O1 -Wall -Wextra -Werror -DPLANTED_CONTROL -o "$B/control.exe" "$here/planted_dll.c" \
		-lws2_32 2>>"$B/cc.err"; then
	ok "built the fake ws2_32.dll and the control exe"
else
	ko "cannot build planted_dll.c" "$(cat "$B/cc.err")"
	finish
fi

P=$(wine_case "$ver" "planted-$arch") || { ko "cannot make a $ver prefix"; finish; }
# The Downloads folder: the exe, the fake DLL, the control exe.  And a
# clean folder with only the exe, for the baseline.
D=$P/drive_c/Downloads
C=$P/drive_c/clean
mkdir -p "$D" "$C"
cp "$EXE" "$B/ws2_32.dll" "$B/control.exe" "$D/"
cp "$EXE" "$B/control.exe" "$C/"
MARK=$D/planted-marker.txt

# run DIR EXE ARGS...: EXE (a file in DIR) run from DIR, which is its
# current folder too, with native ws2_32 preferred; sets OUT ERR RC.
# nattcheck.exe through wine_exe (once more when Wine itself did not start
# it); the control exe directly (exit 99 with no output is its answer).
run() {
	local dir=$1 exe=$2
	shift 2
	rm -f "$MARK" "$dir/planted-marker.txt" "$NC_WORK/pl.out"
	(
		cd "$dir" || exit 1
		export WINEDLLOVERRIDES=$PLANT_OVERRIDES
		if [ "$exe" = nattcheck.exe ]; then
			wine_exe "" "$P" "$NC_WORK/pl.err" "$dir/$exe" "$@"
		else
			OUT=$(_wine_ns "" "$P" timeout 60 wine "$dir/$exe" "$@" 2>"$NC_WORK/pl.err" </dev/null)
			RC=$?
		fi
		printf '%s\n%s\n' "$RC" "$OUT" >"$NC_WORK/pl.out"
	)
	RC=$(head -1 "$NC_WORK/pl.out" 2>/dev/null)
	OUT=$(tail -n +2 "$NC_WORK/pl.out" 2>/dev/null)
	ERR=$(cat "$NC_WORK/pl.err" 2>/dev/null)
}
marker() { [ -f "$MARK" ] && cat "$MARK"; }
# What must be the same with and without the fake DLL (not the timings).
jqf() { printf '%s' "$1" | jq -c "$2" 2>/dev/null; }
STATUS_FIELDS='[.command, .os.name, .policy.state, .services, .exit_code]'
CHECK_FIELDS='[.command, .verdict, (.servers // [] | map(del(.time_ms, .elapsed_ms, .ms, .timing))), .exit_code]'

# ---- nattcheck: baseline in the clean folder, then beside the fake DLL
for cmd in status check; do
	case $cmd in
	status) args=(--json status) fields=$STATUS_FIELDS ;;
	check) args=(--json check 198.18.0.1 --timeout 500) fields=$CHECK_FIELDS ;;
	esac
	run "$C" nattcheck.exe "${args[@]}"
	rc0=$RC out0=$OUT want=$(jqf "$out0" "$fields")
	if [ -n "$want" ] && [ "$want" != null ] && [ "$(jqf "$out0" .exit_code)" = "$rc0" ]; then
		ok "${args[*]}: baseline in a clean folder: exit $rc0, JSON $(printf '%s' "$want" | head -c 160)"
	else
		ko "${args[*]}: baseline in a clean folder" "rc=$rc0
out: $(printf '%s' "$out0" | head -c 1500)
err: $ERR"
		continue
	fi
	run "$D" nattcheck.exe "${args[@]}"
	if [ -f "$MARK" ] || [ "$RC" = 99 ]; then
		ko "${args[*]}: beside a fake ws2_32.dll: the fake was loaded" "rc=$RC marker: $(marker)
err: $ERR"
	elif [ "$RC" = "$rc0" ] && [ "$(jqf "$OUT" "$fields")" = "$want" ] &&
		[ "$(jqf "$OUT" .exit_code)" = "$RC" ]; then
		ok "${args[*]}: beside a fake ws2_32.dll: not loaded (no marker), exit $RC and JSON as in the clean folder"
	else
		ko "${args[*]}: beside a fake ws2_32.dll: no marker, but not the baseline's answer" "rc=$RC (baseline $rc0)
out: $(printf '%s' "$OUT" | head -c 1500)
err: $ERR"
	fi
done

# ---- no ws2_32.dll at all (Wine told not to load it): a clear error, exit 70
(
	export WINEDLLOVERRIDES="ws2_32=;mscoree,mshtml="
	cd "$C" && wine_exe "" "$P" "$NC_WORK/pl.err" "$C/nattcheck.exe" status
	printf '%s\n' "$RC" >"$NC_WORK/pl.out"
)
RC=$(cat "$NC_WORK/pl.out") ERR=$(cat "$NC_WORK/pl.err")
case $RC/$ERR in
70/nattcheck:*"cannot load C:\windows\system32\ws2_32.dll"*)
	ok "ws2_32.dll not loadable: exit 70, '$(printf '%s' "$ERR" | head -1)'" ;;
*) ko "ws2_32.dll not loadable: exit 70 and an error naming the system folder's ws2_32.dll" "rc=$RC err: $ERR" ;;
esac

# ---- control: the same folder catches an exe that imports ws2_32
run "$C" control.exe
if [ "$RC" = 0 ] && [ ! -f "$C/planted-marker.txt" ]; then
	ok "control exe (imports ws2_32) in a clean folder: runs (exit 0: $OUT)"
else
	ko "control exe in a clean folder: exit 0" "rc=$RC out: $OUT err: $ERR"
fi
run "$D" control.exe
m=$(marker)
if [ "$RC" = 99 ] && case $m in *control.exe*) true ;; *) false ;; esac; then
	ok "control exe (imports ws2_32) beside the fake ws2_32.dll: loaded it (marker: ${m%%$'\r'*}, exit 99) - the test can fail"
else
	ko "control exe beside the fake ws2_32.dll: marker and exit 99 expected" "rc=$RC marker: $m
out: $OUT
err: $ERR"
fi

wine_end "$P"
finish
