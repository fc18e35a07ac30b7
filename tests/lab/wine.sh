#!/bin/bash
# wine.sh - Wine prefixes for the lab: one template per run, a copy per case,
# programs run inside the lab's client namespace with their own wineserver.
#
# Library: . tests/lab/wine.sh
#   wine_template DIR [VERSION]      create a prefix (~12 s+); VERSION: winxp,
#                                    winxp64, win7, win10 (default win10)
#   wine_case_prefix TEMPLATE DIR    copy the template for one case (hard links)
#   wine_start NS PREFIX             start that prefix's wineserver in netns NS
#   wine_run NS PREFIX PROGRAM ARGS  run a program there (stdout/exit code pass through)
#   wine_stop PREFIX                 stop that prefix's wineserver and its processes
# Command: wine.sh template DIR [VERSION]
#
# Wine creates its sockets in wineserver, so the wineserver of a case must
# live in the client namespace: a copied prefix has a new inode, hence a new
# wineserver, which wine_start launches inside the namespace (pid recorded).

export WINEDEBUG=${WINEDEBUG:--all}
# No Mono/Gecko install dialogs, no display needed for console programs.
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
unset DISPLAY WAYLAND_DISPLAY

# _wine_env PREFIX CMD...: run CMD with that prefix's environment.
# _wine_ns NS PREFIX CMD...: the same inside network namespace NS.
_wine_env() { _wine_ns "" "$@"; }
_wine_ns() {
	local ns=$1 prefix=$2
	shift 2
	${ns:+ip netns exec "$ns"} env WINEPREFIX="$prefix" WINEDEBUG="$WINEDEBUG" \
		WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH="${WINEARCH:-win64}" "$@"
}

# Set the Windows version Wine reports (HKCU\Software\Wine\Version).
wine_set_version() {
	local prefix=$1 ver=$2
	_wine_env "$prefix" wine reg add 'HKCU\Software\Wine' /v Version /d "$ver" /f >/dev/null 2>&1
}

wine_template() {
	local dir=$1 ver=${2:-win10}
	case $ver in winxp|winxp64|win7|win10|win81|win8|vista|win2003|win2008) ;;
	*) echo "wine.sh: unknown version $ver" >&2; return 1 ;; esac
	mkdir -p "$(dirname "$dir")"
	rm -rf "$dir"
	# Runs wherever it is called (no network needed); its wineserver is
	# stopped before the template is used, so it never serves a case.
	_wine_env "$dir" wineboot -i >/dev/null 2>&1 || {
		echo "wine.sh: wineboot -i failed for $dir" >&2
		return 1
	}
	wine_set_version "$dir" "$ver" || { echo "wine.sh: cannot set version $ver" >&2; return 1; }
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
		WINEDLLOVERRIDES="$WINEDLLOVERRIDES" WINEARCH="${WINEARCH:-win64}" \
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
	*) echo "usage: wine.sh template DIR [winxp|winxp64|win7|win10]" >&2; exit 64 ;;
	esac
fi
