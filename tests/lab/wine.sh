#!/bin/bash
# wine.sh - Wine prefixes for the lab: one template per run, a copy per case,
# programs run inside the lab's client namespace with their own wineserver.
#
# Library: . tests/lab/wine.sh
#   wine_template DIR [VERSION]      create a prefix (~12 s+); VERSION: winxp,
#                                    winxp64, win7, win10 (default win10) are
#                                    64-bit prefixes with Wine's Version
#                                    override; xp32sp2, xp32sp3, xp32sp1,
#                                    w2k32 are 32-bit prefixes (WINEARCH=win32)
#                                    that store the version as a real XP/2000
#                                    does (see wine_set_nt5)
#   wine_prefix_arch PREFIX          win32 or win64
#   wine_sys NS PREFIX PROGRAM ARGS  Wine's own reg/regedit in the prefix's
#                                    native registry view (NS may be "")
#   wine_case_prefix TEMPLATE DIR    copy the template for one case (hard links)
#   wine_start NS PREFIX             start that prefix's wineserver in netns NS
#   wine_run NS PREFIX PROGRAM ARGS  run a program there (stdout/exit code pass through)
#   wine_stop PREFIX                 stop that prefix's wineserver and its processes
# Command: wine.sh template DIR [VERSION]
#
# Wine creates its sockets in wineserver, so the wineserver of a case must
# live in the client namespace: a copied prefix has a new inode, hence a new
# wineserver, which wine_start launches inside the namespace (pid recorded).

# Our `wine` first on PATH, NC_WINE32 and wine_why_no32 (tests/lab/bin/
# wine32.sh, plain sh: the installer test sources it too).
_wine_bin=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bin
. "$_wine_bin/wine32.sh"

export WINEDEBUG=${WINEDEBUG:--all}
# No Mono/Gecko install dialogs, no display needed for console programs.
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
unset DISPLAY WAYLAND_DISPLAY

# _wine_env PREFIX CMD...: run CMD with that prefix's environment.
# _wine_ns NS PREFIX CMD...: the same inside network namespace NS.
# WINEARCH is the prefix's own (an existing prefix of the other kind is an
# error for Wine); only a new prefix takes $WINEARCH (default win64).
_wine_env() { _wine_ns "" "$@"; }
_wine_ns() {
	local ns=$1 prefix=$2
	shift 2
	${ns:+ip netns exec "$ns"} env WINEPREFIX="$prefix" WINEDEBUG="$WINEDEBUG" \
		WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH="$(wine_prefix_arch "$prefix")" "$@"
}

# wine_prefix_arch PREFIX: win32 or win64, as Wine recorded it in system.reg
# ($WINEARCH, default win64, for a prefix not made yet).
wine_prefix_arch() {
	local a
	a=$(sed -n 's/^#arch=\(win[0-9]*\)$/\1/p' "$1/system.reg" 2>/dev/null | head -1)
	echo "${a:-${WINEARCH:-win64}}"
}

# wine_sys NS PREFIX PROGRAM ARGS...: Wine's own programs (reg, regedit) as
# the prefix's native kind.  Debian's "wine" starts them 32-bit whenever
# wine32 is installed, and a 32-bit regedit in a 64-bit prefix reads and
# writes HKLM\SOFTWARE\Wow6432Node instead of HKLM\SOFTWARE; the 64-bit
# loader runs the 64-bit ones.  (HKLM\SYSTEM is not redirected.)
wine_sys() {
	local ns=$1 prefix=$2 loader=/usr/lib/wine/wine
	shift 2
	if [ "$(wine_prefix_arch "$prefix")" = win64 ]; then
		loader=/usr/lib/wine/wine64
	fi
	[ -x "$loader" ] || { echo "wine.sh: no $loader" >&2; return 127; }
	_wine_ns "$ns" "$prefix" env WINELOADER="$loader" "$loader" "$@"
}

# Set the Windows version Wine reports (HKCU\Software\Wine\Version).
wine_set_version() {
	local prefix=$1 ver=$2
	wine_sys "" "$prefix" reg add 'HKCU\Software\Wine' /v Version /d "$ver" /f >/dev/null 2>&1
}

# wine_set_nt5 PREFIX VERSION BUILD SP: a 32-bit prefix reporting Windows
# 5.x the way a real XP or 2000 stores it, with no Version override (Wine
# then reports what these values say): CurrentVersion, CurrentBuildNumber,
# CSDVersion ("Service Pack N") under HKLM\Software\Microsoft\Windows NT\
# CurrentVersion, the service pack as CSDVersion = N << 8 under
# HKLM\System\CurrentControlSet\Control\Windows, ProductType WinNT
# (workstation); the 6.x/10.x-only CurrentMajor/MinorVersionNumber removed.
wine_set_nt5() {
	local prefix=$1 ver=$2 build=$3 sp=$4 csd=""
	[ "$sp" -gt 0 ] && csd="Service Pack $sp"
	printf 'REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion]\r\n"CurrentVersion"="%s"\r\n"CurrentBuildNumber"="%s"\r\n"CurrentBuild"="%s"\r\n"CSDVersion"="%s"\r\n"CurrentMajorVersionNumber"=-\r\n"CurrentMinorVersionNumber"=-\r\n\r\n[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Windows]\r\n"CSDVersion"=dword:%08x\r\n\r\n[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\ProductOptions]\r\n"ProductType"="WinNT"\r\n\r\n[-HKEY_CURRENT_USER\\Software\\Wine\\Version]\r\n' \
		"$ver" "$build" "$build" "$csd" $((sp << 8)) >"$prefix/drive_c/nt5.reg"
	wine_sys "" "$prefix" regedit /s 'C:\nt5.reg' >/dev/null 2>&1 || return 1
	rm -f "$prefix/drive_c/nt5.reg"
	wine_sys "" "$prefix" reg delete 'HKCU\Software\Wine' /v Version /f >/dev/null 2>&1
	return 0
}

wine_template() {
	local dir=$1 ver=${2:-win10}
	local arch=win64 nt5=""
	case $ver in
	winxp|winxp64|win7|win10|win81|win8|vista|win2003|win2008) ;;
	xp32sp2) arch=win32 nt5="5.1 2600 2" ;;
	xp32sp3) arch=win32 nt5="5.1 2600 3" ;;
	xp32sp1) arch=win32 nt5="5.1 2600 1" ;;
	w2k32) arch=win32 nt5="5.0 2195 4" ;;
	*) echo "wine.sh: unknown version $ver" >&2; return 1 ;;
	esac
	if [ "$arch" = win32 ] && [ "$NC_WINE32" != 1 ]; then
		echo "wine.sh: $ver needs 32-bit Wine: $(wine_why_no32)" >&2
		return 1
	fi
	mkdir -p "$(dirname "$dir")"
	rm -rf "$dir"
	# Runs wherever it is called (no network needed); its wineserver is
	# stopped before the template is used, so it never serves a case.
	# Until Wine has written system.reg, wine_prefix_arch reads this.
	local WINEARCH=$arch
	_wine_env "$dir" wineboot -i >/dev/null 2>&1 || {
		echo "wine.sh: wineboot -i failed for $dir" >&2
		return 1
	}
	if [ -n "$nt5" ]; then
		# shellcheck disable=SC2086
		wine_set_nt5 "$dir" $nt5 || { echo "wine.sh: cannot set version $ver" >&2; return 1; }
	else
		wine_set_version "$dir" "$ver" || { echo "wine.sh: cannot set version $ver" >&2; return 1; }
	fi
	_wine_env "$dir" wineserver -k >/dev/null 2>&1
	_wine_env "$dir" wineserver -w >/dev/null 2>&1
	_wine_rm_server_dir "$dir"
	echo "$ver" >"$dir/.nattlab-version"
}

# A prefix is ~700 MB: hard links for the big, read-only drive_c, real copies
# of the top-level files Wine rewrites (the registry), no stale server pid.
wine_case_prefix() {
	local tpl=$1 dir=$2 f
	rm -rf "$dir"
	cp -al "$tpl" "$dir" || return 1
	for f in "$dir"/* "$dir"/.[!.]*; do
		[ -f "$f" ] || continue
		cp --remove-destination "$tpl/${f##*/}" "$f" || return 1
	done
	rm -f "$dir/.wineserver.pid"
}

# wine_start NS PREFIX: a persistent wineserver for PREFIX inside netns NS,
# in the foreground so that its pid is ours (written to PREFIX/.wineserver.pid).
wine_start() {
	local ns=$1 prefix=$2 pid
	# Not through _wine_ns: $! must be wineserver itself (ip netns exec,
	# env and Debian's wineserver wrapper all exec).
	ip netns exec "$ns" env WINEPREFIX="$prefix" WINEDEBUG="$WINEDEBUG" \
		WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH="$(wine_prefix_arch "$prefix")" \
		wineserver -f -p >/dev/null 2>&1 &
	pid=$!
	echo "$pid" >"$prefix/.wineserver.pid"
	[ -n "${LAB_DIR:-}" ] && [ -e "$LAB_DIR/pids" ] && echo "$pid" >>"$LAB_DIR/pids"
	# Wait until it listens.
	local sock
	sock=$(wine_server_dir "$prefix")/socket
	for _ in $(seq 1 100); do
		[ -S "$sock" ] && return 0
		kill -0 "$pid" 2>/dev/null || { echo "wine.sh: wineserver exited" >&2; return 1; }
		sleep 0.1
	done
	echo "wine.sh: no wineserver socket $sock" >&2
	return 1
}

# The wineserver's directory of PREFIX: named after the prefix's device and
# inode, under /tmp/.wine-UID upstream, under the directory named in
# PREFIX/wineserver on Debian.
wine_server_dir() {
	local base
	base=/tmp/.wine-$(id -u)
	[ -s "$1/wineserver" ] && base=/tmp/$(cat "$1/wineserver")
	echo "$base/server-$(stat -c %D "$1")-$(printf %x "$(stat -c %i "$1")")"
}

# Remove PREFIX's (stopped) wineserver directory, and its parent if empty.
_wine_rm_server_dir() {
	local d
	d=$(wine_server_dir "$1")
	rm -rf "$d"
	rmdir "${d%/*}" 2>/dev/null
	return 0
}

wine_run() {
	local ns=$1 prefix=$2
	shift 2
	_wine_ns "$ns" "$prefix" wine "$@"
}

# wine_did_not_run RC OUT ERRFILE: true when Wine itself failed to start the
# exe (seen under load, about once in 2000 runs): a non-zero exit with no
# message of nattcheck's on stderr, and on stdout nothing or only Wine's own
# "Application could not be started ... ShellExecuteEx failed".  That is not
# the exe's answer; callers run it once more.
wine_did_not_run() {
	[ "$1" != 0 ] || return 1
	grep -q '^nattcheck' "$3" 2>/dev/null && return 1
	[ -z "$2" ] || wine_said_no_start "$2"
}

# wine_said_no_start OUT: Wine's own words when it could not start a program.
wine_said_no_start() {
	case $1 in
	*"Application could not be started"* | *"ShellExecuteEx failed"*) return 0 ;;
	esac
	return 1
}

# wine_keep_doc [FILE]: when $NC_DOCS names a folder, keep a copy there of
# the JSON document in $OUT (or in FILE, e.g. a --log result file) for the
# schema check (tests/integration/schema_check.py).
wine_keep_doc() {
	[ -n "${NC_DOCS:-}" ] || return 0
	local doc=${1:+$(cat "$1" 2>/dev/null)}
	[ -n "${1:-}" ] || doc=$OUT
	case $doc in
	"{"*) printf '%s\n' "$doc" >"$NC_DOCS/$(date +%s%N)-$$-$RANDOM.json" ;;
	esac
}

# wine_exe NS PREFIX ERRFILE EXE ARGS...: runs EXE in netns NS ("": this
# one; 60 s at most, no standard input unless WINE_EXE_STDIN names a file
# to read it from) until Wine has really started it (wine_did_not_run: three tries);
# sets OUT, ERR and RC, and MS to the wall time of the last try in ms.
wine_exe() {
	local ns=$1 prefix=$2 errf=$3 exe=$4 t0 try
	shift 4
	for try in 1 2 3; do
		t0=$(date +%s%3N)
		OUT=$(_wine_ns "$ns" "$prefix" timeout 60 wine "$exe" "$@" 2>"$errf" <"${WINE_EXE_STDIN:-/dev/null}")
		RC=$?
		MS=$(($(date +%s%3N) - t0))
		ERR=$(cat "$errf")
		wine_did_not_run "$RC" "$OUT" "$errf" || break
		echo "NOTE: Wine did not run the exe (rc=$RC); once more"
	done
	wine_keep_doc
}

wine_stop() {
	local prefix=$1 pid
	_wine_env "$prefix" wineserver -k >/dev/null 2>&1
	pid=$(cat "$prefix/.wineserver.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	fi
	_wine_rm_server_dir "$prefix"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	template) shift; wine_template "$@" ;;
	*) echo "usage: wine.sh template DIR [winxp|winxp64|win7|win10|xp32sp2|xp32sp3|xp32sp1|w2k32]" >&2; exit 64 ;;
	esac
fi
