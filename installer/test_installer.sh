#!/bin/sh
# test_installer.sh - checks the release artifacts: the MSIs' tables and
# payload, the zip's exact contents, `make sign` with a throwaway CA, and
# install / upgrade / downgrade / uninstall of the MSIs under Wine.
# Run by `make check-installer` from the repository root (B and VERSION come
# from build.mk).  Prints PASS/FAIL/SKIP per check and ends with
# "installer: N passed, N failed"; exits non-zero when a check failed.
# Runs inside a fresh network namespace: nothing here may use the network.
set -u
if [ -z "${NC_INST_NETNS:-}" ]; then
	NC_INST_NETNS=1 exec unshare -n sh "$0" "$@"
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B=${B:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
ver_part() { sed -n "s/^#define NATTCHECK_VERSION_$1 \\([0-9]*\\)/\\1/p" src/version.h; }
VERSION=${VERSION:-$(ver_part MAJOR).$(ver_part MINOR).$(ver_part PATCH)}
T=$B/test-installer
UPGRADE_CODE='{94FDC668-4EE1-4B27-900D-C5B65A3CDC6B}'
MSI_x86=$B/nattcheck-$VERSION-x86.msi
MSI_x64=$B/nattcheck-$VERSION-x64.msi
ZIP=$B/nattcheck-$VERSION.zip
EXE_x86=$B/i686/nattcheck.exe
EXE_x64=$B/x86_64/nattcheck.exe
SRC_KEY='SYSTEM\CurrentControlSet\Services\EventLog\Application\nattcheck'

mkdir -p "$B"
# One run at a time: a second one waits instead of deleting this one's files.
# (Wine's long-lived processes are started with fd 9 closed.)
exec 9>"$B/test-installer.lock"
flock -w 900 9 || { echo "installer: $B/test-installer.lock is held by another run"; exit 1; }
rm -rf "$T"
mkdir -p "$T"
WP=""
cleanup() {
	if [ -n "$WP" ]; then
		WINEPREFIX="$WP" wineserver -k >/dev/null 2>&1
		WINEPREFIX="$WP" wineserver -w >/dev/null 2>&1
		rm -rf "$WP"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pass=0 fail=0 skipped=0
short() { printf '%s' "$1" | sed "s#$root/##g"; } # repository-relative paths
ok() { pass=$((pass + 1)); printf 'PASS %s\n' "$(short "$1")"; }
ko() {
	fail=$((fail + 1)); printf 'FAIL %s\n' "$(short "$1")"
	[ $# -lt 2 ] || printf '%s\n' "$2" | head -20 | sed 's/^/    /'
}
skip() { skipped=$((skipped + 1)); printf 'SKIP %s\n' "$1"; }
# check NAME COMMAND...: PASS when COMMAND succeeds; its output shown on FAIL
check() {
	name=$1; shift
	if "$@" >"$T/out" 2>&1; then ok "$name"; else ko "$name" "$(cat "$T/out")"; fi
}
# same TEXT1 TEXT2: equal, or show both
same() { [ "$1" = "$2" ] || { printf 'got:      %s\nexpected: %s\n' "$1" "$2"; return 1; }; }
has() { printf '%s\n' "$1" | grep -Fqx -- "$2" || { printf 'no line "%s" in:\n%s\n' "$2" "$1"; return 1; }; }
hasnt() { ! printf '%s\n' "$1" | grep -Fq -- "$2" || { printf '"%s" found in:\n%s\n' "$2" "$1"; return 1; }; }

# ---- the MSIs' tables ---------------------------------------------------------
# rows MSI TABLE: the table without its three header lines
rows() { msiinfo export "$1" "$2" 2>/dev/null | tr -d '\r' | tail -n +4; }
# col MSI TABLE KEY N: column N of the row whose first column is KEY
col() { rows "$1" "$2" | awk -F'\t' -v k="$3" -v n="$4" '$1 == k { print $n }'; }

msi_tables() { # ARCH
	a=$1
	eval msi=\$MSI_$a exe=\$EXE_$a
	if [ ! -f "$msi" ]; then ko "[$a] $msi exists"; return; fi
	ok "[$a] $msi exists"
	sum=$(msiinfo suminfo "$msi" | tr -d '\r')
	case $a in x86) tpl='Intel;1033' pf=ProgramFilesFolder attr=0 ;;
	x64) tpl='x64;1033' pf=ProgramFiles64Folder attr=256 ;; esac
	check "[$a] summary: platform $tpl, Windows Installer 2.0 (XP SP2 has 3.0)" \
		sh -c 'printf "%s\n" "$1" | grep -qx "Template: $2" &&
			printf "%s\n" "$1" | grep -q "^Version: 200 "' - "$sum" "$tpl"
	check "[$a] ProductVersion $VERSION" same "$(col "$msi" Property ProductVersion 2)" "$VERSION"
	check "[$a] UpgradeCode $UPGRADE_CODE" same "$(col "$msi" Property UpgradeCode 2)" "$UPGRADE_CODE"
	check "[$a] per-machine (ALLUSERS=1)" same "$(col "$msi" Property ALLUSERS 2)" 1
	check "[$a] File rows: nattcheck.exe (version $VERSION.0, its size), NOTICE.txt" same \
		"$(rows "$msi" File | cut -f1-5 | sort)" \
		"$(printf 'NOTICE.txt\tNotice\tNOTICE.txt\t%s\t\nnattcheck.exe\tNattcheckExe\tnattcheck.exe\t%s\t%s.0' \
			"$(wc -c <NOTICE)" "$(wc -c <"$exe")" "$VERSION")"
	check "[$a] Component rows: exe and NOTICE in INSTALLDIR, attributes $attr" same \
		"$(rows "$msi" Component | awk -F'\t' '{ print $1, $3, $4, $6 }' | sort)" \
		"$(printf 'NattcheckExe INSTALLDIR %s nattcheck.exe\nNotice INSTALLDIR %s NOTICE.txt' "$attr" "$attr")"
	check "[$a] Directory: [$pf]nattcheck" same "$(col "$msi" Directory INSTALLDIR 2)/$(col "$msi" Directory INSTALLDIR 3)" "$pf/nattcheck"
	reg=$(rows "$msi" Registry | cut -f2-6 | sort)
	check "[$a] Registry rows: event source (REG_EXPAND_SZ exe path, TypesSupported 7, key removed on uninstall)" same "$reg" \
		"$(printf '2\t%s\t-\t\tNattcheckExe\n2\t%s\tEventMessageFile\t#%%[#nattcheck.exe]\tNattcheckExe\n2\t%s\tTypesSupported\t#7\tNattcheckExe' \
			"$SRC_KEY" "$SRC_KEY" "$SRC_KEY" | sort)"
	check "[$a] no Registry row touches SOFTWARE\\nattcheck (the saved state)" \
		sh -c '! msiinfo export "$1" Registry | grep -qi "SOFTWARE.nattcheck"' - "$msi"
	check "[$a] Environment: append [INSTALLDIR] to the system PATH, removed on uninstall" same \
		"$(rows "$msi" Environment)" "$(printf 'PATH\t=-*PATH\t[~];[INSTALLDIR]\tNattcheckExe')"
	seq=$(rows "$msi" InstallExecuteSequence)
	s() { printf '%s\n' "$seq" | awk -F'\t' -v a="$1" '$1 == a { print $3 }'; }
	check "[$a] sequence: Write/RemoveEnvironmentStrings, RemoveExistingProducts before InstallInitialize" \
		sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$3" -gt "$4" ] && [ "$3" -lt "$5" ]' - \
		"$(s WriteEnvironmentStrings)" "$(s RemoveEnvironmentStrings)" \
		"$(s RemoveExistingProducts)" "$(s InstallValidate)" "$(s InstallInitialize)"
	check "[$a] Upgrade rows: replace <= $VERSION (both archs), detect newer (downgrade)" same \
		"$(rows "$msi" Upgrade | cut -f1-5,7 | sort)" \
		"$(printf '%s\t\t%s\t\t513\tWIX_UPGRADE_DETECTED\n%s\t%s\t\t\t2\tWIX_DOWNGRADE_DETECTED' \
			"$UPGRADE_CODE" "$VERSION" "$UPGRADE_CODE" "$VERSION" | sort)"
	lc=$(rows "$msi" LaunchCondition | cut -f1)
	lc_ok() {
		has "$lc" "Installed OR VersionNT > 501 OR (VersionNT = 501 AND ServicePackLevel >= 2)" &&
			has "$lc" "NOT WIX_DOWNGRADE_DETECTED"
	}
	check "[$a] LaunchCondition: XP SP2 or later; no downgrade" lc_ok
	# What ICE validators would check, as far as it matters here: every
	# table exports, every reference resolves, every component is in a feature.
	check "[$a] consistency: tables export, references resolve" msi_consistent "$msi"
	rm -rf "$T/x-$a"
	check "[$a] payload: nattcheck.exe and NOTICE.txt are the built files" sh -c \
		'msiextract -C "$1" "$2" >/dev/null && d=$(dirname "$(find "$1" -name nattcheck.exe)") &&
		cmp "$d/nattcheck.exe" "$3" && cmp "$d/NOTICE.txt" NOTICE' - "$T/x-$a" "$msi" "$exe"
}

msi_consistent() { # MSI
	m=$1 bad=0
	for t in $(msiinfo tables "$m" | grep -v '^_'); do
		msiinfo export "$m" "$t" >/dev/null 2>&1 || { echo "table $t does not export"; bad=1; }
	done
	comps=$(rows "$m" Component | cut -f1)
	dirs=$(rows "$m" Directory | cut -f1)
	files=$(rows "$m" File | cut -f1)
	member() { printf '%s\n' "$2" | grep -Fqx -- "$1"; }
	for c in $(rows "$m" File | cut -f2) $(rows "$m" Registry | cut -f6) \
		$(rows "$m" Environment | cut -f4) $(rows "$m" FeatureComponents | cut -f2); do
		member "$c" "$comps" || { echo "unknown component $c"; bad=1; }
	done
	for d in $(rows "$m" Component | cut -f3) $(rows "$m" Directory | cut -f2); do
		member "$d" "$dirs" || { echo "unknown directory $d"; bad=1; }
	done
	for k in $(rows "$m" Component | cut -f6); do
		member "$k" "$files" || { echo "key path $k is no file"; bad=1; }
	done
	for c in $comps; do
		member "$c" "$(rows "$m" FeatureComponents | cut -f2)" || { echo "$c in no feature"; bad=1; }
	done
	last=$(rows "$m" Media | cut -f2 | sort -n | tail -1)
	maxseq=$(rows "$m" File | cut -f8 | sort -n | tail -1)
	[ "${last:-0}" -ge "${maxseq:-1}" ] || { echo "Media LastSequence $last < file sequence $maxseq"; bad=1; }
	return $bad
}

echo "== MSI tables ($VERSION)"
msi_tables x86
msi_tables x64
if [ -f "$MSI_x86" ] && [ -f "$MSI_x64" ]; then
	c86=$(rows "$MSI_x86" Component | cut -f2 | sort)
	c64=$(rows "$MSI_x64" Component | cut -f2 | sort)
	p86=$(col "$MSI_x86" Property ProductCode 2)
	p64=$(col "$MSI_x64" Property ProductCode 2)
	check "x86 and x64: own component GUIDs, own ProductCode, one UpgradeCode" sh -c \
		'[ -z "$(printf "%s\n" "$1" | grep -Fx -e "$2")" ] && [ -n "$3" ] && [ "$3" != "$4" ]' \
		- "$c86" "$c64" "$p86" "$p64"
fi

# ---- the zip ---------------------------------------------------------------------
echo "== zip"
if [ -f "$ZIP" ]; then
	check "$ZIP holds exactly the release files" same "$(unzip -Z1 "$ZIP" | sort)" \
		"$(printf '%s\n' NOTICE README.md examples/intune/detect.ps1 examples/intune/remediate.ps1 \
			examples/login-script.cmd nattcheck.schema.json x64/nattcheck.exe x86/nattcheck.exe)"
	check "zip: the JSON Schema is the repository's, byte for byte" sh -c \
		'unzip -p "$1" nattcheck.schema.json | cmp - "$2"' - "$ZIP" "$root/installer/nattcheck.schema.json"
	check "zip: x86/ and x64/ hold the built exes" sh -c \
		'unzip -p "$1" x86/nattcheck.exe | cmp - "$2" && unzip -p "$1" x64/nattcheck.exe | cmp - "$3"' \
		- "$ZIP" "$EXE_x86" "$EXE_x64"
	zip_text() { # ENTRY SOURCE: the source with CRLF line ends
		unzip -p "$ZIP" "$1" >"$T/zt" || return 1
		n=$(wc -l <"$T/zt") crlf=$(grep -c "$(printf '\r')\$" "$T/zt")
		[ "$n" -gt 0 ] && [ "$crlf" = "$n" ] || { echo "$1: $crlf of $n lines end in CRLF"; return 1; }
		tr -d '\r' <"$T/zt" | cmp - "$2"
	}
	zip_texts() {
		zip_text README.md README.md && zip_text NOTICE NOTICE &&
			zip_text examples/login-script.cmd installer/login-script.cmd &&
			zip_text examples/intune/detect.ps1 installer/intune/detect.ps1 &&
			zip_text examples/intune/remediate.ps1 installer/intune/remediate.ps1
	}
	check "zip: README.md, NOTICE and examples are the sources with CRLF line ends" zip_texts
else
	ko "$ZIP exists"
fi

# ---- signing ---------------------------------------------------------------------
echo "== signing"
pki=$T/pki
mkdir -p "$pki"
mkca() { # DIR: a throwaway CA and a code-signing certificate it issued
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" -out "$1/ca.pem" -days 2 \
		-subj "/CN=nattcheck throwaway test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" &&
	openssl req -newkey rsa:2048 -nodes -keyout "$1/sign.key" -out "$1/sign.csr" \
		-subj "/CN=nattcheck throwaway test signer" &&
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' \
		>"$1/ext.cnf" &&
	openssl x509 -req -in "$1/sign.csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" -CAcreateserial \
		-out "$1/sign.pem" -days 2 -extfile "$1/ext.cnf"
}
mkdir -p "$pki/other"
mkcas() { mkca "$pki" && mkca "$pki/other"; }
check "throwaway test CA and code-signing certificate (openssl)" mkcas
# mk: an independent make (no jobserver of the make that runs us)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@"; }
unset NATTCHECK_SIGN_CERT NATTCHECK_SIGN_KEY NATTCHECK_SIGN_PASSFILE NATTCHECK_SIGN_TIMESTAMP \
	NATTCHECK_SIGN_URL NATTCHECK_SIGN_DUAL
mk -s sign SIGN_DIR="$T/nosign" >"$T/nosign.log" 2>&1; rc=$?
check "make sign without NATTCHECK_SIGN_CERT/KEY fails, names them, signs nothing" sh -c \
	'[ "$1" != 0 ] && grep "NATTCHECK_SIGN_CERT NATTCHECK_SIGN_KEY" "$2" && [ ! -e "$3" ] || { cat "$2"; exit 1; }' \
	- "$rc" "$T/nosign.log" "$T/nosign"
S=$T/signed
NATTCHECK_SIGN_CERT=$pki/sign.pem NATTCHECK_SIGN_KEY=$pki/sign.key \
	mk -s sign SIGN_DIR="$S" >"$T/sign.log" 2>&1; rc=$?
check "make sign (throwaway certificate) succeeds" sh -c '[ "$1" = 0 ] || { cat "$2"; exit 1; }' - "$rc" "$T/sign.log"
for a in i686 x86_64; do
	f=$S/$a/nattcheck.exe
	check "signed $a exe verifies: SHA-1 primary + nested SHA-256 signature" sh -c \
		'osslsigncode verify -in "$1" -CAfile "$2" -ignore-cdp >"$3" 2>&1 &&
		grep -q "^Number of verified signatures: 2" "$3" &&
		[ "$(grep "^Message digest algorithm  *:" "$3" | awk "{ print \$NF }" | tr "\n" " ")" = "SHA1 SHA256 " ] ||
		{ cat "$3"; exit 1; }' - "$f" "$pki/ca.pem" "$T/verify.log"
	check "signed $a exe without its signature is the built exe" sh -c \
		'osslsigncode remove-signature -in "$1" -out "$2" >/dev/null && cmp "$2" "$3"' \
		- "$f" "$T/unsigned-$a.exe" "$B/$a/nattcheck.exe"
done
for a in x86 x64; do
	f=$S/nattcheck-$VERSION-$a.msi
	check "signed $a MSI verifies: one SHA-256 signature" sh -c \
		'osslsigncode verify -in "$1" -CAfile "$2" -ignore-cdp >"$3" 2>&1 &&
		grep -q "^Number of verified signatures: 1" "$3" &&
		grep -q "^Message digest algorithm  *: SHA256" "$3" || { cat "$3"; exit 1; }' \
		- "$f" "$pki/ca.pem" "$T/verify.log"
	case $a in x86) e=i686 ;; x64) e=x86_64 ;; esac
	rm -rf "$T/sx-$a"
	check "signed $a MSI carries the signed exe" sh -c \
		'msiextract -C "$1" "$2" >/dev/null && cmp "$(find "$1" -name nattcheck.exe)" "$3"' \
		- "$T/sx-$a" "$f" "$S/$e/nattcheck.exe"
done
check "signed zip: same files, signed exes" sh -c \
	'[ "$(unzip -Z1 "$1" | sort)" = "$(unzip -Z1 "$2" | sort)" ] &&
	unzip -p "$1" x86/nattcheck.exe | cmp - "$3" && unzip -p "$1" x64/nattcheck.exe | cmp - "$4"' \
	- "$S/nattcheck-$VERSION.zip" "$ZIP" "$S/i686/nattcheck.exe" "$S/x86_64/nattcheck.exe"
# A byte changed in the code section must break the signature.
cp "$S/x86_64/nattcheck.exe" "$T/tampered.exe"
printf 'X' | dd of="$T/tampered.exe" bs=1 seek=4096 conv=notrunc 2>/dev/null
check "a tampered signed exe fails verification" sh -c '! osslsigncode verify -in "$1" -CAfile "$2" -ignore-cdp >/dev/null 2>&1' \
	- "$T/tampered.exe" "$pki/ca.pem"
check "a signed exe does not verify against another CA" sh -c '! osslsigncode verify -in "$1" -CAfile "$2" -ignore-cdp >/dev/null 2>&1' \
	- "$S/x86_64/nattcheck.exe" "$pki/other/ca.pem"
NATTCHECK_SIGN_CERT=$pki/sign.pem NATTCHECK_SIGN_KEY=$pki/sign.key NATTCHECK_SIGN_DUAL=0 \
	sh installer/sign.sh "$EXE_x64" "$T/single.exe" >"$T/single.log" 2>&1
check "NATTCHECK_SIGN_DUAL=0: one SHA-256 signature" sh -c \
	'osslsigncode verify -in "$1" -CAfile "$2" -ignore-cdp >"$3" 2>&1 &&
	grep -q "^Number of verified signatures: 1" "$3" && grep -q "^Message digest algorithm  *: SHA256" "$3"' \
	- "$T/single.exe" "$pki/ca.pem" "$T/verify.log"
# With a timestamp URL that cannot answer (no network here), signing fails
# and leaves no half-signed file.
NATTCHECK_SIGN_CERT=$pki/sign.pem NATTCHECK_SIGN_KEY=$pki/sign.key \
	NATTCHECK_SIGN_TIMESTAMP=http://127.0.0.1:9/ \
	sh installer/sign.sh "$EXE_x64" "$T/ts.exe" >"$T/ts.log" 2>&1; rc=$?
check "unreachable timestamp server: signing fails, no output file" sh -c \
	'[ "$1" != 0 ] && [ ! -e "$2" ] && [ ! -e "$2.tmp" ] && [ ! -e "$2.tmp.1" ]' - "$rc" "$T/ts.exe"

# ---- Wine: install, upgrade, downgrade, uninstall ------------------------------------
echo "== Wine"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WINEPREFIX
# The lab's `wine` first on PATH (64-bit loader where 32-bit cannot run)
# and NC_WINE32 / wine_why_no32.
_wine_bin=$root/tests/lab/bin
. "$_wine_bin/wine32.sh"
if [ ! -x /usr/lib/wine/wine64 ] || ! command -v wine >/dev/null; then
	skip "every Wine check: 64-bit Wine (wine64) is not installed"
	echo "installer: $pass passed, $fail failed, $skipped skipped"
	[ "$fail" = 0 ]; exit
fi
WP=$(mktemp -d /tmp/nattcheck-inst-wine.XXXXXX)
export WINEPREFIX="$WP"
# server_start: a persistent wineserver (one server for the many short runs,
# until cleanup), and a first process with no terminal or pipe: it starts
# Wine's services.exe & co., which stay as long as the server and keep
# whatever stdout they inherited open (a $(wine ...) would never end).
server_start() {
	wineserver -p >/dev/null 2>&1 </dev/null 9>&-
	wine cmd /c exit 0 >/dev/null 2>&1 </dev/null 9>&-
}
wineboot -i >/dev/null 2>&1 </dev/null 9>&-
wineserver -w
server_start
w() { wine "$@" 2>/dev/null | tr -d '\r'; }
# Wine's reg as the prefix's native (64-bit) program: Debian's "wine" starts
# it 32-bit when wine32 is installed, and that one would see
# HKLM\SOFTWARE\Wow6432Node\nattcheck instead of HKLM\SOFTWARE\nattcheck.
wsys() { WINELOADER=/usr/lib/wine/wine64 /usr/lib/wine/wine64 "$@"; }
wreg() { wsys reg "$@" 2>/dev/null | tr -d '\r'; }
# z UNIXPATH: the same file as a Windows path (msiexec takes "/x" for options)
z() { printf 'Z:%s' "$1" | tr '/' '\\'; }
nmsi=0
msi() { # msiexec /i|/x MSI: sets MRC; the verbose log is $T/msiexec-N.log
	nmsi=$((nmsi + 1))
	wine msiexec "$1" "$(z "$2")" /qn /l*v "$(z "$T/msiexec-$nmsi.log")" >/dev/null 2>&1; MRC=$?
}
# msi_ok NAME: PASS when the last msiexec returned 0, else its log's errors
msi_ok() {
	if [ "$MRC" = 0 ]; then ok "$1"; else
		ko "$1" "msiexec returned $MRC; $T/msiexec-$nmsi.log says:
$(tr -d '\r' <"$T/msiexec-$nmsi.log" 2>/dev/null | grep -a -E 'Return value 3|[Ee]rror' | head -8)"
	fi
}
# regv KEY NAME: "TYPE DATA" of a value, "absent" when it or its key is not there
regv() {
	r=$(wreg query "$1" /v "$2" | awk -v n="$2" 'BEGIN { FS = "    " } $2 == n { print $3, $4 }')
	printf '%s\n' "${r:-absent}"
}
regkey() { wsys reg query "$1" >/dev/null 2>&1; } # does the key exist?
ENVKEY='HKLM\System\CurrentControlSet\Control\Session Manager\Environment'
# products: "name version" of every installed product named nattcheck (both views)
products() {
	for k in 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' \
		'HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall'; do
		wreg query "$k" /s | awk 'BEGIN { FS = "    " }
			/^HKEY_/ { if (n != "") print n, v; n = ""; v = "" }
			$2 == "DisplayName" { n = $4 } $2 == "DisplayVersion" { v = $4 }
			END { if (n != "") print n, v }'
	done | grep '^nattcheck ' | sort
}
count_in_path() { # DIR: how often DIR is an element of the system PATH
	regv "$ENVKEY" PATH | sed 's/^REG_[A-Z_]* //' | tr ';' '\n' | grep -Fxc -- "$1"
}
# fresh: a new wineserver, so new processes read the environment from the
# registry as after a new logon.
fresh() { wineserver -k; wineserver -w; server_start; }
DIR64='C:\Program Files\nattcheck'
DIR86='C:\Program Files (x86)\nattcheck'
UDIR64="$WP/drive_c/Program Files/nattcheck"
UDIR86="$WP/drive_c/Program Files (x86)/nattcheck"
cd "$WP" # no nattcheck.exe here: cmd must find it through PATH

# A newer build for the upgrade: the same exe, ProductVersion patch + 1.
BUMP=$(echo "$VERSION" | awk -F. '{ print $1 "." $2 "." $3 + 1 }')
MSI_BUMP=$T/nattcheck-$BUMP-x64.msi
check "[x64] an MSI $BUMP for the upgrade test (build_msi.sh)" \
	sh "$root/installer/build_msi.sh" x64 "$EXE_x64" "$BUMP" "$MSI_BUMP" "$VERSION.0"

msi /i "$MSI_x64"
msi_ok "[x64] msiexec /i ${MSI_x64#$root/} /qn"
check "[x64] installed: $DIR64\\nattcheck.exe (the built exe), NOTICE.txt" sh -c \
	'cmp "$1/nattcheck.exe" "$2" && [ -f "$1/NOTICE.txt" ]' - "$UDIR64" "$EXE_x64"
check "[x64] installed exe runs: --version" same "$(w "$DIR64\\nattcheck.exe" --version | head -1)" "nattcheck $VERSION"
check "[x64] system PATH holds $DIR64\\ once" same "$(count_in_path "$DIR64\\")" 1
fresh
check "[x64] new session: 'cmd /c nattcheck --version' finds it through PATH" \
	same "$(w cmd /c nattcheck --version | head -1)" "nattcheck $VERSION"
# The logon script example, as shipped but for the server (198.18.0.1, in
# the benchmarking range; this namespace has no route, so the probe finds
# it unreachable at once) and the log folder.
sed -e 's/^set SERVER=.*/set SERVER=198.18.0.1/' -e 's/^set LOGDIR=.*/set LOGDIR=C:\\logs/' \
	-e 's/\r$//' -e 's/$/\r/' "$root/installer/login-script.cmd" >"$WP/drive_c/login-test.cmd"
mkdir -p "$WP/drive_c/logs"
login_script() {
	o=$(w cmd /c 'C:\login-test.cmd & echo errorlevel=%ERRORLEVEL%')
	case $o in *"cannot be reached"*errorlevel=3) ;; *) echo "$o"; return 1 ;; esac
	ls "$WP/drive_c/logs/"*.json >/dev/null 2>&1 || { echo "no C:\\logs\\*.json"; return 1; }
}
check "[x64] login-script.cmd example: finds nattcheck through PATH, branches on exit 3, writes the log" login_script
check "[x64] event source: EventMessageFile = the installed exe (REG_EXPAND_SZ)" \
	same "$(regv "HKLM\\$SRC_KEY" EventMessageFile)" "REG_EXPAND_SZ $DIR64\\nattcheck.exe"
check "[x64] event source: TypesSupported = 7" same "$(regv "HKLM\\$SRC_KEY" TypesSupported)" "REG_DWORD 0x7"
check "[x64] one product installed: nattcheck $VERSION" same "$(products)" "nattcheck $VERSION"

msi /i "$MSI_BUMP"
msi_ok "[x64] upgrade: msiexec /i nattcheck-$BUMP-x64.msi /qn"
check "[x64] upgrade: one product, nattcheck $BUMP" same "$(products)" "nattcheck $BUMP"
check "[x64] upgrade: exe in place and runs" same "$(w "$DIR64\\nattcheck.exe" --version | head -1)" "nattcheck $VERSION"
check "[x64] upgrade: PATH holds the folder once" same "$(count_in_path "$DIR64\\")" 1
check "[x64] upgrade: event source still registered" \
	same "$(regv "HKLM\\$SRC_KEY" EventMessageFile)" "REG_EXPAND_SZ $DIR64\\nattcheck.exe"

msi /i "$MSI_x64"
check "[x64] downgrade to $VERSION is refused" sh -c '[ "$1" != 0 ]' - "$MRC"
check "[x64] downgrade: still one product, nattcheck $BUMP" same "$(products)" "nattcheck $BUMP"

# The saved state nattcheck writes before its first change; the MSI must leave it.
VAL=AssumeUDPEncapsulationContextOnSendRule
PA='HKLM\SYSTEM\CurrentControlSet\Services\PolicyAgent'
before=$(regv "$PA" "$VAL")
w "$DIR64\\nattcheck.exe" set 1 >/dev/null
check "[x64] 'nattcheck set 1' set the value" same "$(regv "$PA" "$VAL")" "REG_DWORD 0x1"
check "[x64] 'nattcheck set 1' saved the previous state in HKLM\\SOFTWARE\\nattcheck" \
	regkey 'HKLM\SOFTWARE\nattcheck'
saved=$(wreg query 'HKLM\SOFTWARE\nattcheck' /s)

msi /x "$MSI_BUMP"
msi_ok "[x64] msiexec /x /qn"
check "[x64] uninstall: folder gone" sh -c '[ ! -e "$1" ]' - "$UDIR64"
check "[x64] uninstall: PATH no longer holds it" same "$(count_in_path "$DIR64\\")" 0
nokey() { ! regkey "$1"; }
check "[x64] uninstall: event source key gone" nokey "HKLM\\$SRC_KEY"
check "[x64] uninstall: no product left" same "$(products)" ""
check "[x64] uninstall: HKLM\\SOFTWARE\\nattcheck kept as it was" \
	same "$(wreg query 'HKLM\SOFTWARE\nattcheck' /s)" "$saved"
fresh
# (Not "cmd /c nattcheck" failing: Wine's msi leaves a trailing ";" in PATH
# on removal, and Wine's cmd then reports success, silently, for any
# unknown command.)
check "[x64] uninstall: a new session's PATH no longer holds it" \
	hasnt "$(w cmd /c 'echo %PATH%')" 'nattcheck'

msi /i "$MSI_x64"
msi_ok "[x64] reinstall $VERSION"
wine "$DIR64\\nattcheck.exe" revert >/dev/null 2>&1; rc=$?
check "[x64] after reinstall, 'nattcheck revert' restores the value from before 'set' ($before)" \
	same "$rc $(regv "$PA" "$VAL")" "0 $before"

# x86 on the same (64-bit) machine: the same UpgradeCode, so it replaces the
# x64 product of the same version.  Windows Installer is 64-bit here, so the
# x86 MSI installs without 32-bit Wine; only running its exe needs it.
msi /i "$MSI_x86"
msi_ok "[x86] msiexec /i ${MSI_x86#$root/} /qn over the x64 product"
check "[x86] it replaced the x64 product: one product, x64 folder gone" sh -c \
	'[ "$1" = "nattcheck $2" ] && [ ! -e "$3" ]' - "$(products)" "$VERSION" "$UDIR64"
check "[x86] installed: $DIR86\\nattcheck.exe (the built exe), NOTICE.txt" sh -c \
	'cmp "$1/nattcheck.exe" "$2" && [ -f "$1/NOTICE.txt" ]' - "$UDIR86" "$EXE_x86"
check "[x86] system PATH holds $DIR86\\ once, $DIR64\\ no more" \
	same "$(count_in_path "$DIR86\\") $(count_in_path "$DIR64\\")" "1 0"
check "[x86] event source: EventMessageFile = the x86 exe" \
	same "$(regv "HKLM\\$SRC_KEY" EventMessageFile)" "REG_EXPAND_SZ $DIR86\\nattcheck.exe"
if [ "$NC_WINE32" = 1 ]; then
	check "[x86] installed exe runs: --version" same "$(w "$DIR86\\nattcheck.exe" --version | head -1)" "nattcheck $VERSION"
	# Wine's msi left empty elements (";;") in PATH when it removed the x64
	# entry, and Wine's cmd stops searching PATH at an empty element
	# (Windows' does not; Windows Installer leaves none): drop them first,
	# keeping every other element, so the lookup tests our entry.
	pv=$(regv "$ENVKEY" PATH)
	ptype=${pv%% *} pdata=${pv#* }
	pclean=$(printf '%s\n' "$pdata" | tr ';' '\n' | grep -v '^$' | paste -sd ';')
	[ "$pclean" = "$pdata" ] || wsys reg add "$ENVKEY" /v PATH /t "$ptype" /d "$pclean" /f >/dev/null 2>&1
	fresh
	check "[x86] new session: 'cmd /c nattcheck --version' finds it through PATH" \
		same "$(w cmd /c nattcheck --version | head -1)" "nattcheck $VERSION"
else
	skip "[x86] running the installed i686 exe (--version, from PATH): no 32-bit Wine here: $(wine_why_no32)"
fi
msi /x "$MSI_x86"
msi_ok "[x86] msiexec /x /qn"
check "[x86] uninstall: folder, PATH entry, event source, product all gone" sh -c \
	'[ ! -e "$1" ] && [ "$2" = 0 ] && [ -z "$3" ] && ! WINELOADER=/usr/lib/wine/wine64 /usr/lib/wine/wine64 reg query "$4" >/dev/null 2>&1' - \
	"$UDIR86" "$(count_in_path "$DIR86\\")" "$(products)" "HKLM\\$SRC_KEY"

echo "installer: $pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
