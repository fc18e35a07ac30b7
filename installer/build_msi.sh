#!/bin/sh
# build_msi.sh - builds one nattcheck MSI with wixl from installer/nattcheck.wxs,
# then adds with msibuild what wixl 0.101 cannot express.
# Usage: build_msi.sh x86|x64 EXE VERSION OUT [FILE_VERSION]
#   VERSION is the ProductVersion (major.minor.patch); FILE_VERSION the exe's
#   own version resource (default VERSION.0, as win/nattcheck.rc makes it).
#
# What wixl lacks, and what is done instead (all standard MSI tables, which
# Windows Installer 2.0 and later, so XP SP2, understand):
# - <Environment>: the Environment table is imported directly, with the row
#   WiX writes for Part="last" Action="set" System="yes" Permanent="no":
#   Name "=-*PATH", Value "[~];[INSTALLDIR]" (append to the system PATH on
#   install, remove exactly that part on uninstall), plus the
#   WriteEnvironmentStrings/RemoveEnvironmentStrings actions.  A plain
#   RegistryValue would replace PATH instead of appending to it.
# - RegistryValue Type="expandable": wixl writes REG_SZ (and escapes "#%"),
#   so the value is set to "#%[#nattcheck.exe]" (REG_EXPAND_SZ, as Windows'
#   own event sources register EventMessageFile).
# - RegistryKey ForceDeleteOnUninstall: a Registry row named "-" removes the
#   source key with anything below it on uninstall.
# - MajorUpgrade AllowSameVersionUpgrades: the upgrade row gets
#   msidbUpgradeAttributesVersionMaxInclusive (512), so the x64 package
#   replaces the x86 one of the same version and vice versa.
# - File versions: wixl leaves File.Version empty (unversioned file); set it
#   so Windows Installer's file version rules apply.
# wixl ignores unknown attributes with a GLib warning: any output on stderr
# fails the build, so an attribute wixl drops cannot go unnoticed.
set -eu

[ $# -ge 4 ] || { echo "usage: $0 x86|x64 EXE VERSION OUT [FILE_VERSION]" >&2; exit 64; }
arch=$1 exe=$2 version=$3 out=$4 filever=${5:-$3.0}
case $arch in x86|x64) ;; *) echo "$0: arch must be x86 or x64, not '$arch'" >&2; exit 64 ;; esac
echo "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' ||
	{ echo "$0: version must be major.minor.patch, not '$version'" >&2; exit 64; }
[ -f "$exe" ] || { echo "$0: $exe: no such file" >&2; exit 66; }

root=$(cd "$(dirname "$0")/.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
out=$(abs "$out")
# wixl resolves File/@Source against the current directory and refuses
# absolute paths: work from the repository root with relative ones.
exe=$(realpath --relative-to="$root" "$(abs "$exe")")
cd "$root"

tmp=$out.tmp
work=$(mktemp -d "${TMPDIR:-/tmp}/nattcheck-msi.XXXXXX")
trap 'rm -rf "$work" "$tmp"' EXIT
rm -f "$tmp"

if ! wixl -a "$arch" -D Arch="$arch" -D Exe="$exe" -D Notice=NOTICE \
	-D Version="$version" -o "$tmp" installer/nattcheck.wxs 2>"$work/wixl.err" ||
	[ -s "$work/wixl.err" ]; then
	echo "$0: wixl failed or warned:" >&2
	cat "$work/wixl.err" >&2
	exit 1
fi

# Each change rewrites a whole table (msiinfo export, edit, msibuild -i):
# rows changed with msibuild's SQL DELETE/INSERT were not all seen by
# Windows Installer's engine (Wine's skipped the re-inserted Upgrade row).
# edit TABLE AWK-PROGRAM: the table's rows through awk (tab-separated
# fields, the three header lines untouched), imported back.  Values reach
# awk through the environment (awk -v would expand the backslashes).
edit() {
	msiinfo export "$tmp" "$1" | tr -d '\r' >"$work/$1.in" ||
		{ echo "$0: cannot export table $1" >&2; exit 1; }
	src=$src filever=$filever awk -F'\t' -v OFS='\t' \
		"NR <= 3 { print; next } $2" "$work/$1.in" >"$work/$1.idt" &&
		msibuild "$tmp" -i "$work/$1.idt" ||
		{ echo "$0: cannot rewrite table $1" >&2; exit 1; }
}
src="SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\nattcheck"
printf 'Environment\tName\tValue\tComponent_\ns72\tl255\tL255\ts72\nEnvironment\tEnvironment\nPATH\t=-*PATH\t[~];[INSTALLDIR]\tNattcheckExe\n' \
	>"$work/Environment.idt"
msibuild "$tmp" -i "$work/Environment.idt" || { echo "$0: cannot add the Environment table" >&2; exit 1; }
edit InstallExecuteSequence '{ print }
	END { print "RemoveEnvironmentStrings", "", 3300; print "WriteEnvironmentStrings", "", 5200 }'
# Registry: Registry Root Key Name Value Component_
edit Registry '$4 == "EventMessageFile" { $5 = "#%[#nattcheck.exe]" } { print }
	END { print "EventSourceKeyRemove", 2, ENVIRON["src"], "-", "", "NattcheckExe" }'
# File: File Component_ FileName FileSize Version Language Attributes Sequence
edit File '$1 == "nattcheck.exe" { $5 = ENVIRON["filever"]; $6 = "1033" } { print }'
# Upgrade: UpgradeCode VersionMin VersionMax Language Attributes Remove ActionProperty
edit Upgrade '$7 == "WIX_UPGRADE_DETECTED" && $5 % 1024 < 512 { $5 += 512 } { print }'

mv "$tmp" "$out"
