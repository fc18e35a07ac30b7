#!/bin/sh
# check_imports.sh - fails if an exe imports a DLL or function that Windows
# XP SP2 (32-bit) / XP x64 (64-bit) lacks, or asks for a newer OS version.
#
#   sh tests/check_imports.sh EXE...     one "PASS"/"FAIL" line per exe
#   sh tests/check_imports.sh --self-test
#                                        builds tiny exes: one that must pass,
#                                        four that must fail
#
# The deny list names functions that XP SP2 (or XP x64 / Server 2003 SP1 for
# the 64-bit exe) does not export; load those with GetProcAddress instead.
# It is a list, not a proof: extend it when a new import shows up.
#
# The allow list is about DLL planting.  The exe is run from a Downloads
# folder, later elevated; Windows looks for an imported DLL beside the exe
# before the system folder, except for the KnownDLLs, which it always maps
# from the system folder.  So only DLLs that are KnownDLLs on XP SP2 as on
# Windows 11 may be imported: KERNEL32, ADVAPI32, USER32, GDI32 and SHELL32
# (in HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\KnownDLLs on
# both), and MSVCRT, mingw's C runtime: listed there from Windows 7 on; on
# XP smss maps the imports of the known DLLs too, and ole32 and shell32
# import msvcrt, so it is in \KnownDlls there as well.  Everything else
# (ws2_32 first: not a KnownDLL on XP) is loaded by its full path from the
# system folder, win/sysdll.c.
set -u

ALLOW_DLLS="KERNEL32.DLL ADVAPI32.DLL USER32.DLL GDI32.DLL SHELL32.DLL MSVCRT.DLL"

DENY_FUNCS="
inet_pton inet_ntop InetPtonW InetPtonA InetNtopW InetNtopA WSAPoll
GetAddrInfoExW GetAddrInfoExA FreeAddrInfoEx FreeAddrInfoExW SetAddrInfoExW
GetAddrInfoExCancel WSAConnectByNameW WSAConnectByNameA WSASendMsg
GetTickCount64 GetSystemTimePreciseAsFileTime
RegGetValueW RegGetValueA RegDeleteKeyExW RegDeleteKeyExA RegDeleteTreeW
RegDeleteTreeA RegSetKeyValueW RegSetKeyValueA RegCopyTreeW RegLoadMUIStringW
RegOpenKeyTransactedW RegCreateKeyTransactedW RegDisablePredefinedCacheEx
CreateSymbolicLinkW CreateSymbolicLinkA GetFinalPathNameByHandleW
GetFinalPathNameByHandleA SetFileInformationByHandle GetFileInformationByHandleEx
CancelIoEx CancelSynchronousIo GetQueuedCompletionStatusEx
InitializeSRWLock AcquireSRWLockExclusive AcquireSRWLockShared
ReleaseSRWLockExclusive ReleaseSRWLockShared TryAcquireSRWLockExclusive
TryAcquireSRWLockShared InitializeConditionVariable SleepConditionVariableCS
SleepConditionVariableSRW WakeConditionVariable WakeAllConditionVariable
InitOnceExecuteOnce InitOnceBeginInitialize InitOnceComplete InitOnceInitialize
InitializeCriticalSectionEx CreateEventExW CreateEventExA CreateMutexExW
CreateMutexExA CreateSemaphoreExW CreateWaitableTimerExW
FlsAlloc FlsFree FlsGetValue FlsSetValue
GetProductInfo IsWow64Process2 GetThreadId GetCurrentProcessorNumber
GetErrorMode SetThreadErrorMode QueryFullProcessImageNameW
QueryFullProcessImageNameA GetLogicalProcessorInformation
Wow64DisableWow64FsRedirection Wow64RevertWow64FsRedirection
CompareStringEx LCIDToLocaleName LocaleNameToLCID GetLocaleInfoEx
GetUserDefaultLocaleName GetSystemDefaultLocaleName ResolveLocaleName
CreateThreadpoolWork SubmitThreadpoolWork TrySubmitThreadpoolCallback
CreateThreadpoolTimer FlushProcessWriteBuffers InterlockedCompareExchange64
EventRegister EventWrite EventUnregister AddMandatoryAce
_fseeki64 _ftelli64
"

# Any objdump that reads PE32 and PE32+.
OBJDUMP=${OBJDUMP:-}
if [ -z "$OBJDUMP" ]; then
	for o in x86_64-w64-mingw32-objdump i686-w64-mingw32-objdump objdump; do
		if command -v "$o" >/dev/null 2>&1; then OBJDUMP=$o; break; fi
	done
fi

# check_one EXE: prints one verdict line (and the reasons), returns 0 or 1.
check_one() {
	exe=$1
	if [ ! -f "$exe" ]; then
		echo "FAIL $exe: no such file"
		return 1
	fi
	dump=$("$OBJDUMP" -p "$exe" 2>/dev/null) || {
		echo "FAIL $exe: $OBJDUMP cannot read it"
		return 1
	}
	printf '%s\n' "$dump" | awk -v allow="$ALLOW_DLLS" -v deny="$DENY_FUNCS" -v exe="$exe" '
	BEGIN {
		n = split(allow, a, " "); for (i = 1; i <= n; i++) ok_dll[a[i]] = 1
		n = split(deny, d, /[ \n\t]+/); for (i = 1; i <= n; i++) if (d[i] != "") bad_fn[d[i]] = 1
		ndll = 0; nfn = 0; bad = 0
	}
	$1 == "Magic" { magic = $2 }
	$1 == "MajorOSystemVersion" { osmaj = $2 }
	$1 == "MinorOSystemVersion" { osmin = $2 }
	$1 == "MajorSubsystemVersion" { ssmaj = $2 }
	$1 == "MinorSubsystemVersion" { ssmin = $2 }
	/^[ \t]*DLL Name:/ {
		dll = toupper($3); ndll++; dlls = dlls " " $3
		if (!(dll in ok_dll)) { why[++bad] = "imports " $3 " (planting: not a KnownDLL on XP SP2; load it by its full path)" }
		inimp = 1; next
	}
	inimp && /^[ \t]*$/ { inimp = 0; next }
	inimp && /^[ \t]*vma:/ { next }
	inimp && NF >= 3 && $1 ~ /^[0-9a-fA-F]+$/ {
		fn = $3; nfn++
		if (fn in bad_fn) why[++bad] = "imports " fn " from " dll " (missing on XP)"
		if (dll == "MSVCRT.DLL" && fn ~ /_s$/) why[++bad] = "imports " fn " from msvcrt.dll (secure CRT: Vista+)"
		if (dll == "NTDLL.DLL") why[++bad] = "links ntdll " fn " directly (use GetProcAddress)"
		next
	}
	END {
		if (magic == "020b") { limit = 5 * 100 + 2; kind = "PE32+" } else { limit = 5 * 100 + 1; kind = "PE32" }
		if (osmaj == "" || ssmaj == "") why[++bad] = "no PE optional header"
		else {
			if (osmaj * 100 + osmin > limit) why[++bad] = sprintf("OS version %s.%s > %d.%d", osmaj, osmin, limit / 100, limit % 100)
			if (ssmaj * 100 + ssmin > limit) why[++bad] = sprintf("subsystem version %s.%s > %d.%d", ssmaj, ssmin, limit / 100, limit % 100)
		}
		if (ndll == 0) why[++bad] = "no import table found"
		if (bad == 0) {
			printf "PASS %s: %s, OS %s.%s, subsystem %s.%s, %d imports from%s\n", exe, kind, osmaj, osmin, ssmaj, ssmin, nfn, dlls
			exit 0
		}
		printf "FAIL %s: %s, %d problem(s)\n", exe, kind, bad
		for (i = 1; i <= bad; i++) printf "     %s\n", why[i]
		exit 1
	}'
}

self_test() {
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	# good: only allowed DLLs (kernel32, advapi32, user32, gdi32, shell32, msvcrt).
	cat >"$tmp/good.c" <<'SRC'
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
int main(void)
{
	HKEY k;
	printf("%d", GetSystemMetrics(SM_CXSCREEN) + GetDeviceCaps(NULL, HORZRES));
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE", 0, KEY_READ, &k) == 0)
		RegCloseKey(k);
	return (int)(INT_PTR)ShellExecuteW(NULL, NULL, L"x", NULL, NULL, 0) + (int)GetTickCount();
}
SRC
	cat >"$tmp/newapi.c" <<'SRC'
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
int main(void) { struct in_addr a; return inet_pton(AF_INET, "198.18.0.1", &a) + (int)GetTickCount64(); }
SRC
	# planting: ws2_32 imported (not a KnownDLL on XP SP2)
	cat >"$tmp/planting.c" <<'SRC'
#include <winsock2.h>
#include <windows.h>
int main(void) { WSADATA w; return WSAStartup(MAKEWORD(2, 2), &w) + (int)GetTickCount(); }
SRC
	# baddll: iphlpapi, a KnownDLL on no Windows
	cat >"$tmp/baddll.c" <<'SRC'
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
int main(void) { DWORD n = 0; return (int)GetNumberOfInterfaces(&n) + (int)n; }
SRC
	fails=0
	for cc in i686-w64-mingw32-gcc x86_64-w64-mingw32-gcc; do
		command -v $cc >/dev/null 2>&1 || continue
		case $cc in i686*) min=1 ;; *) min=2 ;; esac
		ver="-Wl,--major-os-version=5,--minor-os-version=$min"
		ver="$ver,--major-subsystem-version=5,--minor-subsystem-version=$min"
		$cc -O1 -o "$tmp/good.exe" "$tmp/good.c" $ver -ladvapi32 -luser32 -lgdi32 -lshell32 || fails=$((fails + 1))
		$cc -O1 -D_WIN32_WINNT=0x0600 -o "$tmp/newapi.exe" "$tmp/newapi.c" $ver -lws2_32 || fails=$((fails + 1))
		$cc -O1 -o "$tmp/planting.exe" "$tmp/planting.c" $ver -lws2_32 || fails=$((fails + 1))
		$cc -O1 -o "$tmp/baddll.exe" "$tmp/baddll.c" $ver -liphlpapi || fails=$((fails + 1))
		$cc -O1 -o "$tmp/newos.exe" "$tmp/good.c" -Wl,--major-os-version=6,--major-subsystem-version=6 \
			-ladvapi32 -luser32 -lgdi32 -lshell32 || fails=$((fails + 1))
		check_one "$tmp/good.exe" || { echo "self-test: $cc good.exe should pass"; fails=$((fails + 1)); }
		for bad in newapi planting baddll newos; do
			if out=$(check_one "$tmp/$bad.exe"); then
				printf '%s\n' "$out"
				echo "self-test: $cc $bad.exe should fail"
				fails=$((fails + 1))
				continue
			fi
			printf '%s\n' "$out"
			case $bad in
			planting) want="imports WS2_32.dll (planting: not a KnownDLL on XP SP2" ;;
			baddll) want="imports IPHLPAPI.DLL (planting:" ;;
			*) want="" ;;
			esac
			case $out in
			*"$want"*) ;;
			*) echo "self-test: $cc $bad.exe should fail with: $want"; fails=$((fails + 1)) ;;
			esac
		done
	done
	if [ $fails -ne 0 ]; then
		echo "check_imports self-test: FAILED ($fails)"
		return 1
	fi
	echo "check_imports self-test: passed"
	return 0
}

if [ -z "$OBJDUMP" ]; then
	echo "check_imports: no objdump found" >&2
	exit 2
fi
if [ "${1:-}" = "--self-test" ]; then
	self_test
	exit $?
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 EXE... | --self-test" >&2
	exit 64
fi
rc=0
for exe in "$@"; do
	check_one "$exe" || rc=1
done
exit $rc
