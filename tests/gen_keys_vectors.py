#!/usr/bin/python3
"""gen_keys_vectors.py - writes tests/fixtures_keys.h: IKEv1 Main Mode key
material for pre-shared keys computed with Python's hmac and hashlib only,
an implementation independent of src/ike_keys.c, from RFC 2409 as written:

  prf           = HMAC with the negotiated hash (section 4)
  SKEYID        = prf(psk, Ni_b | Nr_b)                          (section 5)
  SKEYID_d      = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
  SKEYID_a      = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
  SKEYID_e      = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
  Ka            = SKEYID_e truncated, or K1 | K2 | ... truncated with
                  K1 = prf(SKEYID_e, 0x00), Kn = prf(SKEYID_e, Kn-1)
                  when SKEYID_e is too short                     (appendix B)
  IV (msg 5)    = HASH(g^xi | g^xr) truncated to the block       (appendix B)
  HASH_I        = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
  HASH_R        = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
  IV (M-ID)     = HASH(last phase 1 block | M-ID) truncated      (appendix B)
                  here with last block = "last" bytes below, M-ID 0x01020304

SAi_b is the SA payload body (generic header stripped) of the real Windows 10
message 1 in tests/fixtures_ike.h (fx_mm1_win8), found by walking its payload
chain here.  The other inputs are deterministic pseudo-random bytes (SHA-256
of a label and a counter); they need not be valid DH values for this.

Run: /usr/bin/python3 tests/gen_keys_vectors.py > tests/fixtures_keys.h
"""
import hashlib
import hmac
import os
import re
import sys

HASHES = {1: ("md5", 16), 2: ("sha1", 20), 4: ("sha256", 32), 5: ("sha384", 48),
          6: ("sha512", 64)}
CIPHERS = {5: 8, 7: 16}  # block sizes: 3DES, AES-CBC

ICOOKIE = bytes.fromhex("080fd6f205d3879d")
RCOOKIE = bytes.fromhex("c0ffee0011223344")
# ID_IPV4_ADDR (1), UDP (17), port 500, then the address (RFC 2407 4.6.2).
IDII_B = bytes([1, 17, 1, 244, 198, 18, 0, 2])
IDIR_B = bytes([1, 17, 1, 244, 198, 19, 0, 1])
MSGID = 0x01020304


def det(label, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(("%s/%d" % (label, i)).encode()).digest()
        i += 1
    return out[:n]


def prf(alg, key, data):
    return hmac.new(key, data, HASHES[alg][0]).digest()


def capture_sa_body():
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "fixtures_ike.h")).read()
    m = re.search(r"fx_mm1_win8\[\d+\] = \{(.*?)\};", text, re.S)
    msg = bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", m.group(1)))
    nxt, pos = msg[16], 28
    while nxt != 0:
        plen = int.from_bytes(msg[pos + 2:pos + 4], "big")
        if nxt == 1:
            return msg[pos + 4:pos + plen]
        nxt, pos = msg[pos], pos + plen
    raise SystemExit("no SA payload in fx_mm1_win8")


def derive(c, sai_b):
    alg = c["hash"]
    psk, ni, nr = c["psk"], c["ni"], c["nr"]
    gxi, gxr, gxy = c["gxi"], c["gxr"], c["gxy"]
    cky = ICOOKIE + RCOOKIE
    skeyid = prf(alg, psk, ni + nr)
    d = prf(alg, skeyid, gxy + cky + b"\x00")
    a = prf(alg, skeyid, d + gxy + cky + b"\x01")
    e = prf(alg, skeyid, a + gxy + cky + b"\x02")
    klen = 24 if c["cipher"] == 5 else c["key_bits"] // 8
    if len(e) >= klen:
        ka = e[:klen]
    else:
        ka, k = b"", b"\x00"
        while len(ka) < klen:
            k = prf(alg, e, k)
            ka += k
        ka = ka[:klen]
    block = CIPHERS[c["cipher"]]
    iv = hashlib.new(HASHES[alg][0], gxi + gxr).digest()[:block]
    hi = prf(alg, skeyid, gxi + gxr + ICOOKIE + RCOOKIE + sai_b + IDII_B)
    hr = prf(alg, skeyid, gxr + gxi + RCOOKIE + ICOOKIE + sai_b + IDIR_B)
    last = det(c["name"] + "/last", block)
    iv_msgid = hashlib.new(HASHES[alg][0], last + MSGID.to_bytes(4, "big")).digest()[:block]
    return dict(skeyid=skeyid, skeyid_d=d, skeyid_a=a, skeyid_e=e, enc=ka, iv=iv,
                hash_i=hi, hash_r=hr, last=last, iv_msgid=iv_msgid)


def case(name, hash_alg, cipher, key_bits, ke_len, gxy_len, nonce_len, psk):
    return dict(name=name, hash=hash_alg, cipher=cipher, key_bits=key_bits, psk=psk,
             ni=det(name + "/ni", nonce_len), nr=det(name + "/nr", nonce_len),
             gxi=det(name + "/gxi", ke_len), gxr=det(name + "/gxr", ke_len),
             gxy=det(name + "/gxy", gxy_len))


CASES = [
    # Windows' last resort; g^xy with a leading zero byte (must stay).
    case("sha1_3des_modp1024", 2, 5, 0, 128, 128, 20, b"nattcheck-psk"),
    # Appendix B expansion: 20-byte SKEYID_e -> 32-byte key.
    case("sha1_aes256_modp2048", 2, 7, 256, 256, 256, 32, b"correct horse battery staple"),
    case("sha256_aes128_ecp256", 4, 7, 128, 64, 32, 16, b"k"),
    case("sha384_aes256_ecp384", 5, 7, 256, 96, 48, 48, bytes(range(1, 100))),
    # Largest inputs: MODP-4096 values, 256-byte nonces, AES-192.
    case("sha512_aes192_modp4096", 6, 7, 192, 512, 512, 256, b"\x00psk with a NUL"),
    # MD5: 16 bytes, expanded for 3DES (24) and AES-256 (32).
    case("md5_3des_modp1024", 1, 5, 0, 128, 128, 8, b"md5 secret"),
    case("md5_aes256_modp1024", 1, 7, 256, 128, 128, 20, b"md5 secret 2"),
]
CASES[0]["gxy"] = b"\x00" + CASES[0]["gxy"][1:]


def carray(name, data):
    lines = []
    for i in range(0, len(data), 12):
        lines.append("\t" + ", ".join("0x%02x" % b for b in data[i:i + 12]) + ",")
    return "static const uint8_t %s[%d] = {\n%s\n};\n" % (name, len(data), "\n".join(lines))


def main():
    sai_b = capture_sa_body()
    out = ["/* fixtures_keys.h - generated by tests/gen_keys_vectors.py (Python\n"
           " * hmac/hashlib, independent of src/ike_keys.c); do not edit.  The\n"
           " * formulas are in the generator's docstring (RFC 2409 section 5 and\n"
           " * appendix B). */\n",
           "#ifndef NATTCHECK_FIXTURES_KEYS_H\n#define NATTCHECK_FIXTURES_KEYS_H\n\n",
           "#include <stddef.h>\n#include <stdint.h>\n\n"]
    out.append(carray("fxk_icookie", ICOOKIE))
    out.append(carray("fxk_rcookie", RCOOKIE))
    out.append("/* SAi_b: the SA payload body of fx_mm1_win8 (offset 32). */\n")
    out.append(carray("fxk_sai_b", sai_b))
    out.append(carray("fxk_idii_b", IDII_B))
    out.append(carray("fxk_idir_b", IDIR_B))
    out.append("static const uint32_t fxk_msgid = 0x%08x;\n" % MSGID)
    fields = ["psk", "ni", "nr", "gxi", "gxr", "gxy", "skeyid", "skeyid_d", "skeyid_a",
              "skeyid_e", "enc", "iv", "hash_i", "hash_r", "last", "iv_msgid"]
    for c in CASES:
        c.update(derive(c, sai_b))
        out.append("\n/* %s */\n" % c["name"])
        for f in fields:
            out.append(carray("fxk_%s_%s" % (c["name"], f), c[f]))
    out.append("\ntypedef struct fxk_case {\n\tconst char *name;\n"
               "\tuint16_t hash, cipher, key_bits;\n")
    for f in fields:
        out.append("\tconst uint8_t *%s;\n\tsize_t %s_len;\n" % (f, f))
    out.append("} fxk_case;\n\nstatic const fxk_case fxk_cases[] = {\n")
    for c in CASES:
        items = ["\"%s\"" % c["name"], str(c["hash"]), str(c["cipher"]), str(c["key_bits"])]
        for f in fields:
            items.append("fxk_%s_%s, %d" % (c["name"], f, len(c[f])))
        out.append("\t{ " + ",\n\t\t".join(items) + " },\n")
    out.append("};\n\n#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
