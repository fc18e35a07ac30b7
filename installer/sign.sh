#!/bin/sh
# sign.sh - Authenticode-signs one exe or MSI with osslsigncode.
# Usage: sign.sh IN OUT        (IN is not changed; OUT is written whole or not at all)
#        sign.sh --check-env   (only checks the environment below)
#
# Environment:
#   NATTCHECK_SIGN_CERT       PEM: the code-signing certificate, then its
#                             intermediate CA certificates (required)
#   NATTCHECK_SIGN_KEY        PEM: its private key (required)
#   NATTCHECK_SIGN_PASSFILE   file holding the key's passphrase (optional)
#   NATTCHECK_SIGN_TIMESTAMP  timestamp server URL (optional; without it the
#                             signatures stop verifying when the certificate
#                             expires).  With dual signing it must speak both
#                             Authenticode and RFC 3161 (DigiCert's and
#                             Sectigo's do).
#   NATTCHECK_SIGN_URL        "more information" URL shown by Windows (optional)
#   NATTCHECK_SIGN_DUAL       1 (default): exes get a SHA-1 signature with a
#                             nested SHA-256 one; 0: SHA-256 only
#
# Exes are dual-signed because Windows XP SP2 cannot verify SHA-256
# signatures (SP3 can); XP reads the primary SHA-1 signature, Windows 7 and
# later also the nested SHA-256 one.  MSIs get one SHA-256 signature:
# Windows Installer reads only the primary signature of an MSI, so nesting
# gains nothing there (on XP SP2 the MSI then shows an unknown publisher;
# it installs all the same).
set -eu

die() { echo "sign: $*" >&2; exit 1; }

check_env() {
	missing=""
	[ -n "${NATTCHECK_SIGN_CERT:-}" ] || missing="$missing NATTCHECK_SIGN_CERT"
	[ -n "${NATTCHECK_SIGN_KEY:-}" ] || missing="$missing NATTCHECK_SIGN_KEY"
	[ -z "$missing" ] ||
		die "set$missing (PEM certificate chain and private key) to sign; nothing was signed"
	[ -r "$NATTCHECK_SIGN_CERT" ] || die "NATTCHECK_SIGN_CERT=$NATTCHECK_SIGN_CERT: cannot read it"
	[ -r "$NATTCHECK_SIGN_KEY" ] || die "NATTCHECK_SIGN_KEY=$NATTCHECK_SIGN_KEY: cannot read it"
	[ -z "${NATTCHECK_SIGN_PASSFILE:-}" ] || [ -r "$NATTCHECK_SIGN_PASSFILE" ] ||
		die "NATTCHECK_SIGN_PASSFILE=$NATTCHECK_SIGN_PASSFILE: cannot read it"
	case ${NATTCHECK_SIGN_DUAL:-1} in 0|1) ;; *) die "NATTCHECK_SIGN_DUAL must be 0 or 1" ;; esac
	command -v osslsigncode >/dev/null || die "osslsigncode is not installed (make deps)"
}

if [ "${1:-}" = "--check-env" ]; then
	check_env
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 IN OUT | --check-env" >&2; exit 64; }
in=$1 out=$2
[ -f "$in" ] || die "$in: no such file"
check_env

tmp=$out.tmp
trap 'rm -f "$tmp" "$tmp.1" "$tmp.log"' EXIT

# osslsigncode sign OPTIONS...: the options every signature shares
# (-n is the description Windows shows in its prompts).
osign() {
	set -- sign -certs "$NATTCHECK_SIGN_CERT" -key "$NATTCHECK_SIGN_KEY" -n nattcheck "$@"
	[ -z "${NATTCHECK_SIGN_PASSFILE:-}" ] || set -- "$@" -readpass "$NATTCHECK_SIGN_PASSFILE"
	[ -z "${NATTCHECK_SIGN_URL:-}" ] || set -- "$@" -i "$NATTCHECK_SIGN_URL"
	osslsigncode "$@" >"$tmp.log" 2>&1 || { cat "$tmp.log" >&2; rm -f "$tmp.log"; return 1; }
	rm -f "$tmp.log"
}
ts=${NATTCHECK_SIGN_TIMESTAMP:-}
rm -f "$tmp" "$tmp.1"

case $in in
*.exe|*.EXE)
	if [ "${NATTCHECK_SIGN_DUAL:-1}" = 1 ]; then
		# Primary SHA-1 with an Authenticode timestamp (what XP understands),
		# then the SHA-256 signature nested in it with an RFC 3161 one.
		osign -h sha1 ${ts:+-t "$ts"} -in "$in" -out "$tmp.1" || die "$in: SHA-1 signing failed"
		osign -nest -h sha256 ${ts:+-ts "$ts"} -in "$tmp.1" -out "$tmp" ||
			die "$in: nested SHA-256 signing failed"
	else
		osign -h sha256 ${ts:+-ts "$ts"} -in "$in" -out "$tmp" || die "$in: SHA-256 signing failed"
	fi
	;;
*.msi|*.MSI)
	osign -h sha256 ${ts:+-ts "$ts"} -in "$in" -out "$tmp" || die "$in: SHA-256 signing failed"
	;;
*) die "$in: only .exe and .msi files are signed here" ;;
esac
mv "$tmp" "$out"
