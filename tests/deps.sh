#!/bin/sh
# deps.sh - installs every Debian package nattcheck's build and tests need.
# Idempotent and quiet when everything is present.  Run as root.
set -u

PKGS="make gcc gcc-mingw-w64-i686 gcc-mingw-w64-x86-64 binutils-mingw-w64-i686
binutils-mingw-w64-x86-64 mingw-w64-tools libcmocka-dev libssl-dev pkg-config
wine wine64 strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
nftables iproute2 ike-scan tcpdump msitools wixl osslsigncode openssl jq python3
zip unzip util-linux clang libclang-rt-14-dev cppcheck clang-tidy clang-format python3-jsonschema
xvfb
libnss3 libnss3-tools libnspr4 libunbound8 libldns3 libevent-core-2.1-7
libevent-pthreads-2.1-7 libcap-ng0 libcurl3-nss libldap-2.5-0 libaudit1 libpam0g
libselinux1 libsystemd0 libcrypt1"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

apt_update() {
	# A transient mirror error must not stop us: retry, then carry on with
	# whatever lists we have.
	for i in 1 2 3; do
		apt-get update -q >/dev/null 2>&1 && return 0
		echo "deps: apt-get update failed (try $i), retrying" >&2
		sleep 5
	done
	echo "deps: apt-get update kept failing; using the cached lists" >&2
}

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
		>/tmp/nattcheck-deps.log 2>&1 || {
		echo "deps: apt-get install failed; see /tmp/nattcheck-deps.log" >&2
		tail -20 /tmp/nattcheck-deps.log >&2
		exit 1
	}
fi

# 32-bit Wine runs the i686 exe.  The i386 mirror is sometimes out of sync
# with amd64: a failure here is reported and tolerated (the i686 Wine tests
# then say they were skipped).
if ! dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q "ok installed"; then
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		dpkg --add-architecture i386
		apt_update
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wine32:i386 \
		>/tmp/nattcheck-deps-i386.log 2>&1 ||
		echo "deps: wine32:i386 did not install (i386 mirror?); the i686 exe will not be run under Wine" >&2
fi
# libreswan's pluto, the lab's second IKE server, conflicts with strongSwan
# as a package: it is downloaded and unpacked (never installed) into a cache
# the lab uses (tests/lab/pluto.sh).
for i in 1 2 3; do
	PLUTO_OUT=$(bash "$(dirname "$0")/lab/pluto.sh" prepare /var/cache/nattcheck/pluto 2>&1) && break
	echo "deps: libreswan not unpacked (try $i): $PLUTO_OUT" >&2
	[ "$i" = 3 ] && exit 1
	apt_update
done
exit 0
