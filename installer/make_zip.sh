#!/bin/sh
# make_zip.sh - the release zip: both exes, README.md, NOTICE and the
# deployment examples, nothing else.
# Usage: make_zip.sh OUT.zip EXE_X86 EXE_X64
#
# Layout (installer/test_installer.sh checks exactly this list):
#   x86/nattcheck.exe  x64/nattcheck.exe  README.md  NOTICE
#   nattcheck.schema.json  examples/login-script.cmd
#   examples/intune/detect.ps1  examples/intune/remediate.ps1
# Text files get CRLF line ends (cmd.exe misreads labels in LF-only batch
# files; Notepad before Windows 10 1809 shows LF files as one line).
# With SOURCE_DATE_EPOCH set, every entry gets that time (reproducible zip).
set -eu

[ $# -eq 3 ] || { echo "usage: $0 OUT.zip EXE_X86 EXE_X64" >&2; exit 64; }
root=$(cd "$(dirname "$0")/.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
out=$(abs "$1") x86=$(abs "$2") x64=$(abs "$3")

stage=$(mktemp -d "${TMPDIR:-/tmp}/nattcheck-zip.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp"' EXIT
mkdir -p "$stage/x86" "$stage/x64" "$stage/examples/intune"
cp "$x86" "$stage/x86/nattcheck.exe"
cp "$x64" "$stage/x64/nattcheck.exe"
crlf() { sed 's/\r$//; s/$/\r/' "$1" >"$2"; }
crlf "$root/README.md" "$stage/README.md"
crlf "$root/NOTICE" "$stage/NOTICE"
cp "$root/installer/nattcheck.schema.json" "$stage/nattcheck.schema.json"
crlf "$root/installer/login-script.cmd" "$stage/examples/login-script.cmd"
crlf "$root/installer/intune/detect.ps1" "$stage/examples/intune/detect.ps1"
crlf "$root/installer/intune/remediate.ps1" "$stage/examples/intune/remediate.ps1"

files="x86/nattcheck.exe x64/nattcheck.exe README.md NOTICE nattcheck.schema.json examples/login-script.cmd
examples/intune/detect.ps1 examples/intune/remediate.ps1"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	(cd "$stage" && TZ=UTC touch -d "@$SOURCE_DATE_EPOCH" $files examples/intune examples x86 x64)
fi
rm -f "$out.tmp"
# -X: no extra (uid/gid, Unix time) fields; -D: no directory entries.
(cd "$stage" && TZ=UTC zip -q -X -D "$out.tmp" $files)
mv "$out.tmp" "$out"
