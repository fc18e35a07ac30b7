#!/bin/bash
# crypto.sh - known answers for win/crypto.c's CryptoAPI HMAC, CBC and wipe
# (plat_hmac, plat_cbc, plat_wipe).  Builds tests/integration/cryptokat.c
# with win/crypto.c and win/util.c for both arches (-Werror, the exe's
# flags; each build also through tests/check_imports.sh), runs the ARCH one
# under Wine and redoes every line it prints with /usr/bin/python3 (hmac,
# hashlib) and openssl(1) (enc -CIPHER -K -iv -nopad, both ways):
#   - HMAC-MD5/SHA-1/SHA-256/384/512: RFC 2202 / RFC 4231 cases 1-7 (keys
#     longer than the block among them), empty messages, the empty key,
#     keys of 0..200 bytes around 16, 64 and 128;
#   - 3DES and AES-128/192/256 CBC: NIST SP 800-38A's first AES block, and
#     random-ish keys, IVs and 1..25 blocks, encrypted then decrypted;
#   - edges: wrong key lengths (PLAT_EUNSUPP), lengths that are not whole
#     blocks (PLAT_ESYS), unknown algorithms (PLAT_EUNSUPP), length 0 (OK),
#     the data untouched by each; plat_wipe.
# A few results are also checked against the published values, so that the
# reference itself is known to be right.
# Nothing here uses the network; it runs in its own "unshare -n" all the
# same (run alone, it re-runs itself in one), like every Wine suite.
# Usage: crypto.sh [ARCH [VERSION]]   (ARCH: x86_64 | i686, default x86_64;
#        VERSION: a prefix of wine.sh, default win10)
# Last line: crypto-ARCH: N passed, N failed
set -u
here=$(cd "$(dirname "$0")" && pwd)
NC_ROOT=$(cd "$here/../.." && pwd)

. "$here/lib.sh"
nc_suite crypto "$0" "$@"

arch=${1:-x86_64}
ver=${2:-win10}
tag() { echo "$arch/$ver"; }
finish() {
	result "crypto-$arch"
	exit
}

# ---- build, both arches (the one not run proves that it compiles)
B=$NC_WORK/crypto-build
mkdir -p "$B"
# The exe's flags (build.mk's WIN_CFLAGS and LDFLAGS_ARCH).
CFLAGS=(-std=c11 -Os -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror
	-Werror=implicit-function-declaration -D_WIN32_WINNT=0x0501 -DWINVER=0x0501
	-DUNICODE -D_UNICODE -DWIN32_LEAN_AND_MEAN -D__USE_MINGW_ANSI_STDIO=0 -municode
	-I"$NC_ROOT/src" -I"$NC_ROOT/win")
for a in i686 x86_64; do
	case $a in i686) min=1 ;; *) min=2 ;; esac
	exe=$B/cryptokat-$a.exe
	if nice "$a-w64-mingw32-gcc" "${CFLAGS[@]}" -o "$exe" "$here/cryptokat.c" \
		"$NC_ROOT/win/crypto.c" "$NC_ROOT/win/util.c" -municode -static-libgcc \
		-Wl,--major-os-version=5,--minor-os-version=$min \
		-Wl,--major-subsystem-version=5,--minor-subsystem-version=$min \
		-ladvapi32 2>"$B/cc-$a.err"; then
		ok "built cryptokat.exe for $a (win/crypto.c, win/util.c, -Werror)"
		if out=$(sh "$NC_ROOT/tests/check_imports.sh" "$exe" 2>&1); then
			ok "cryptokat.exe for $a imports only allowed DLLs: ${out#PASS }"
		else
			ko "cryptokat.exe for $a: tests/check_imports.sh" "$out"
		fi
	else
		ko "cannot build cryptokat.exe for $a" "$(cat "$B/cc-$a.err")"
	fi
done

RUN=$(wine_pick_runner "$arch")
if [ -z "$RUN" ]; then
	echo "SKIP [$arch] no Wine for $arch on this machine: $(wine_why_no32)"
	echo "crypto-$arch: $pass passed, $fail failed, 1 skipped"
	[ "$fail" = 0 ]
	exit
fi
[ -f "$B/cryptokat-$arch.exe" ] || finish

# ---- run it under Wine
P=$(wine_case "$ver" "crypto-$arch") || { ko "cannot make a $ver prefix"; finish; }
mkdir -p "$P/drive_c/kat"
cp "$B/cryptokat-$arch.exe" "$P/drive_c/kat/cryptokat.exe"
wine_exe "" "$P" "$NC_WORK/ck.err" "$P/drive_c/kat/cryptokat.exe"
wine_end "$P"
printf '%s\n' "$OUT" | tr -d '\r' >"$NC_WORK/kat.out"
if [ "$RC" = 0 ] && grep -q '^end ' "$NC_WORK/kat.out"; then
	ok "cryptokat.exe ran: exit 0, $(grep -c . "$NC_WORK/kat.out") lines, ${MS}ms"
else
	ko "cryptokat.exe under Wine: exit 0 and an end line" "rc=$RC
out: $(head -c 1500 "$NC_WORK/kat.out")
err: $ERR"
fi

# ---- every line against python3 and openssl: one verdict per line, as
# "OK<TAB>what" or "KO<TAB>what<TAB>details" (details: \n for new lines).
compared=0
while IFS=$'\t' read -r verdict what details; do
	case $verdict in
	END) compared=1 ;;
	OK) ok "$what" ;;
	*) ko "$what" "$(printf '%b' "$details")" ;;
	esac
done < <(/usr/bin/python3 - "$NC_WORK/kat.out" "$NC_ROOT/src/platform.h" <<'PY'
import hashlib, hmac, re, subprocess, sys

out_path, platform_h = sys.argv[1], sys.argv[2]
lines = open(out_path, encoding="utf-8", errors="replace").read().splitlines()

# plat_status numbers, in the order of src/platform.h's enum.
enum = re.search(r"typedef enum plat_status \{(.*?)\}", open(platform_h).read(), re.S).group(1)
names = re.findall(r"\b(PLAT_[A-Z]+)\b", enum)
st = {n: i for i, n in enumerate(names)}
OKS, EUNSUPP, ESYS = st["PLAT_OK"], st["PLAT_EUNSUPP"], st["PLAT_ESYS"]

EDGES = {
    "3des-key16": EUNSUPP, "3des-key23": EUNSUPP, "3des-key25": EUNSUPP,
    "3des-key32": EUNSUPP, "aes-key15": EUNSUPP, "aes-key20": EUNSUPP,
    "aes-key0": EUNSUPP, "3des-len12": ESYS, "3des-len7": ESYS,
    "aes-len15": ESYS, "aes-len8": ESYS, "aes-len40": ESYS,
    "aes-len0": OKS, "3des-len0": OKS, "cipher-des": EUNSUPP, "cipher-0": EUNSUPP,
    "hmac-alg3": EUNSUPP, "hmac-alg0": EUNSUPP, "hmac-alg7": EUNSUPP, "wipe": 0,
}
WANT_COUNT = {"hmac": 120, "cbc": 21, "edge": len(EDGES)}
# Published values: RFC 2202 2.1/3.1, RFC 4231 4.2/4.7, SP 800-38A F.2.1.
ANCHORS = {
    ("md5", "0b" * 16, b"Hi There".hex()): "9294727a3638bb1c13f48ef8158bfc9d",
    ("sha1", "0b" * 20, b"Hi There".hex()): "b617318655057264e28bc0b6fb378c8ef146be00",
    ("sha256", "0b" * 20, b"Hi There".hex()):
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ("sha512", "aa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First".hex()):
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f"
        "2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    ("aes-128-cbc", "2b7e151628aed2a6abf7158809cf4f3c", "6bc1bee22e409f96e93d7e117393172a"):
        "7649abac8119b246cee98e9b12e9197d",
}
anchors_seen = set()


def say(ok, what, details=""):
    d = details.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")
    print(("OK\t%s" % what) if ok else ("KO\t%s\t%s" % (what, d)), flush=True)


def unhex(h):
    return b"" if h == "-" else bytes.fromhex(h)


def openssl(cipher, key, iv, data, decrypt):
    cmd = ["openssl", "enc", "-" + cipher, "-K", key, "-iv", iv, "-nopad"]
    if decrypt:
        cmd.append("-d")
    r = subprocess.run(cmd, input=data, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.decode(errors="replace").strip()))
    return r.stdout


count = {"hmac": 0, "cbc": 0, "edge": 0}
seen_edges = set()
end = None
for n, line in enumerate(lines, 1):
    f = line.split()
    if not f:
        continue
    kind = f[0]
    if kind == "end":
        end = int(f[1])
        continue
    if kind in count:
        count[kind] += 1
    if kind == "hmac" and len(f) == 5 and not f[4].startswith("ERR"):
        alg, key, msg, mac = f[1], f[2], f[3], f[4]
        want = hmac.new(unhex(key), unhex(msg), getattr(hashlib, alg)).hexdigest()
        what = "line %d: HMAC-%s, %d-byte key, %d-byte message" % (
            n, alg.upper(), len(unhex(key)), len(unhex(msg)))
        say(mac == want, "%s: %s" % (what, mac[:16] + "..."),
            "cryptoapi: %s\npython3:   %s" % (mac, want))
        a = ANCHORS.get((alg, key, msg))
        if a is not None:
            anchors_seen.add((alg, key, msg))
            say(want == a and mac == a, "line %d: HMAC-%s equals the published value %s..." % (
                n, alg.upper(), a[:16]), "published: %s\npython3:   %s\ncryptoapi: %s" % (a, want, mac))
    elif kind == "cbc" and len(f) == 7 and not any(x.startswith("ERR") for x in f):
        cipher, key, iv, pt, ct, dec = f[1:7]
        what = "line %d: %s, %d bytes" % (n, cipher, len(unhex(pt)))
        try:
            want_ct = openssl(cipher, key, iv, unhex(pt), False).hex() or "-"
            want_pt = openssl(cipher, key, iv, unhex(ct), True).hex() or "-"
        except (RuntimeError, ValueError) as e:
            say(False, what, str(e))
            continue
        good = ct == want_ct and dec == pt and want_pt == pt
        say(good, "%s: encrypt = openssl enc, decrypt = openssl enc -d = plaintext" % what,
            "plaintext:        %s\ncryptoapi enc:    %s\nopenssl enc:      %s\n"
            "cryptoapi dec:    %s\nopenssl dec:      %s" % (pt, ct, want_ct, dec, want_pt))
        a = ANCHORS.get((cipher, key, pt))
        if a is not None:
            anchors_seen.add((cipher, key, pt))
            say(want_ct == a and ct == a, "line %d: %s equals the published value %s" % (
                n, cipher, a), "published: %s\nopenssl:   %s\ncryptoapi: %s" % (a, want_ct, ct))
    elif kind == "edge" and len(f) == 4 and f[1] in EDGES:
        name, got, data = f[1], int(f[2]), f[3]
        seen_edges.add(name)
        want = EDGES[name]
        say(got == want and data == "untouched", "line %d: edge %s: status %d (want %d), data %s" % (
            n, name, got, want, data), line)
    else:
        say(False, "line %d: not a known line or a failed call" % n, line)

for kind, want in WANT_COUNT.items():
    say(count[kind] == want, "%d %s lines (want %d)" % (count[kind], kind, want))
missing = sorted(set(EDGES) - seen_edges)
say(not missing, "every edge case ran", "missing: %s" % " ".join(missing))
say(len(anchors_seen) == len(ANCHORS), "all %d published values were among the lines" % len(ANCHORS),
    "seen %d" % len(anchors_seen))
body = sum(1 for l in lines if l.strip() and not l.startswith("end "))
say(end == body, "end line counts %s lines, %d printed" % (end, body))
print("END\tdone", flush=True)
PY
)
[ "$compared" = 1 ] || ko "the python3 comparison did not finish (see its traceback above)"
finish
