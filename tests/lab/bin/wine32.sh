#!/bin/sh
# wine32.sh - sourced (sh or bash) with _wine_bin set to this folder.
# Our `wine` (tests/lab/bin) first on PATH: Debian's, or the 64-bit loader
# where this kernel cannot run 32-bit programs (see that script).
case ":$PATH:" in *":$_wine_bin:"*) ;; *) PATH=$_wine_bin:$PATH ;; esac
export PATH
# NC_WINE32=1 when 32-bit Windows programs run here: wine32:i386 installed
# and a kernel that runs 32-bit programs.  Decided once, inherited.
if [ -z "${NC_WINE32:-}" ]; then
	NC_WINE32=0
	/usr/lib/wine/wine --version >/dev/null 2>&1 && NC_WINE32=1
fi
export NC_WINE32
# wine_why_no32: why NC_WINE32 is 0, for SKIP lines.
wine_why_no32() {
	if [ -x /usr/lib/wine/wine ]; then
		echo "this kernel cannot run 32-bit programs (no IA32 emulation), so 32-bit Wine cannot start"
	else
		echo "32-bit Wine (wine32:i386) is not installed"
	fi
}

