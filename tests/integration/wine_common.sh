#!/bin/sh
# wine_common.sh - sourced: Wine prefixes for the integration tests.
# The caller sets NC_ROOT to the top of the source tree.
# One template prefix per Windows version per test run (wineboot takes
# ~12 s), copied for every case; each case gets its own wineserver.

export WINEDEBUG=-all
# No Mono/Gecko download prompts.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY

: "${NC_WORK:=$(mktemp -d /tmp/nattcheck-it.XXXXXX)}"
export NC_WORK

# wine_pick_runner ARCH -> the wine command that runs that exe, or "" if
# this machine cannot (no wine32 for i686).
wine_pick_runner() {
	case "$1" in
	x86_64) [ -x /usr/lib/wine/wine64 ] && echo wine ;;
	# Debian's wine32 brings the 32-bit loader /usr/lib/wine/wine.
	i686) [ -x /usr/lib/wine/wine ] && echo wine ;;
	esac
}

# wine_template VERSION -> path of a ready prefix for winxp64|win10|win7|winxp
# (made once per run by the lab's wine.sh, shared with the lab tests)
wine_template() {
	tpl="$NC_WORK/tpl-$1"
	if [ ! -f "$tpl/.nattlab-version" ]; then
		bash -c '. "$1/tests/lab/wine.sh" && wine_template "$2" "$3"' x \
			"$NC_ROOT" "$tpl" "$1" >&2 || return 1
	fi
	echo "$tpl"
}

# wine_case VERSION NAME -> a fresh copy of the template for one case (the
# lab's wine_case_prefix: hard links, real copies of the registry files).
wine_case() {
	tpl=$(wine_template "$1") || return 1
	dir="$NC_WORK/case-$2"
	bash -c '. "$1/tests/lab/wine.sh" && wine_case_prefix "$2" "$3"' x \
		"$NC_ROOT" "$tpl" "$dir" >&2 || return 1
	echo "$dir"
}

# wine_end PREFIX: stops that prefix's wineserver (only ours).
wine_end() {
	WINEPREFIX="$1" wineserver -k >/dev/null 2>&1 || true
	WINEPREFIX="$1" wineserver -w >/dev/null 2>&1 || true
}
