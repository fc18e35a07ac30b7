#!/bin/bash
# wine_common.sh - sourced (bash): Wine prefixes for the integration tests.
# The caller sets NC_ROOT to the top of the source tree.
# One template prefix per Windows version per test run (wineboot takes
# ~12 s), copied for every case; each case gets its own wineserver.

export WINEDEBUG=-all
# No Mono/Gecko download prompts.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY

: "${NC_WORK:=$(mktemp -d /tmp/nattcheck-it.XXXXXX)}"
export NC_WORK

# shellcheck source=../lab/wine.sh
. "$NC_ROOT/tests/lab/wine.sh"

# wine_pick_runner ARCH -> the wine command that runs that exe, or "" if
# this machine cannot (no wine32 for i686).
wine_pick_runner() {
	case "$1" in
	x86_64) [ -x /usr/lib/wine/wine64 ] && echo wine ;;
	# Debian's wine32 brings the 32-bit loader /usr/lib/wine/wine.
	i686) [ "$NC_WINE32" = 1 ] && echo wine ;;
	esac
}

# wine_template VERSION -> path of a ready prefix for winxp64|win10|xp32sp2|...
# (made once per run by the lab's wine.sh, shared with the lab tests).
# Named so as not to hide wine.sh's wine_template DIR VERSION.
nc_template() {
	local tpl="$NC_WORK/tpl-$1"
	if [ ! -f "$tpl/.nattlab-version" ]; then
		wine_template "$tpl" "$1" >&2 || return 1
	fi
	echo "$tpl"
}

# wine_case VERSION NAME -> a fresh copy of the template for one case (the
# lab's wine_case_prefix: hard links, real copies of the registry files),
# with a wineserver that stays up until wine_end.  Under Wine the "boot
# time" is the wineserver's start: one that exits between two commands of
# a case (3 s idle, easily reached on a loaded machine) would look like a
# restart of Windows in the middle of it.
wine_case() {
	local tpl dir
	tpl=$(nc_template "$1") || return 1
	dir="$NC_WORK/case-$2"
	wine_case_prefix "$tpl" "$dir" >&2 || return 1
	WINEPREFIX="$dir" wineserver -p >/dev/null 2>&1 </dev/null
	echo "$dir"
}

# wine_end PREFIX: stops that prefix's wineserver (only ours).
wine_end() {
	WINEPREFIX="$1" wineserver -k >/dev/null 2>&1 || true
	WINEPREFIX="$1" wineserver -w >/dev/null 2>&1 || true
}

# wreg PREFIX reg|regedit ARGS...: Wine's own registry tools in the prefix's
# native view (wine.sh's wine_sys), outside any lab namespace.  When Wine
# itself did not start the tool (it says so on stdout, under load), once
# more, up to three times.
wreg() {
	local p=$1 out rc try
	shift
	for try in 1 2 3; do
		out=$(wine_sys "" "$p" "$@")
		rc=$?
		wine_said_no_start "$out" || break
	done
	[ -z "$out" ] || printf '%s\n' "$out"
	return "$rc"
}

# wine_view_guard PREFIX: fails (and says so) when something was written to
# HKLM\SOFTWARE\Wow6432Node\nattcheck, the 32-bit view a test never means:
# the sign that a 32-bit reg/regedit wrote what should be in the 64-bit view.
wine_view_guard() {
	[ "$(wine_prefix_arch "$1")" = win64 ] || return 0
	if wreg "$1" reg query 'HKLM\SOFTWARE\Wow6432Node\nattcheck' >/dev/null 2>&1; then
		echo "FAIL [view] HKLM\\SOFTWARE\\Wow6432Node\\nattcheck exists in $1: a test wrote the 32-bit view" >&2
		return 1
	fi
	return 0
}
