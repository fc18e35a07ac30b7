#!/usr/bin/python3
"""gen_mm_vectors.py - writes tests/fixtures_mm.h: the encrypted end of an
IKEv1 Main Mode with a pre-shared key, byte for byte, built here from RFC
2408/2409 as written, independently of src/ike_mm.c and src/ike.c:

  keys          SKEYID, SKEYID_a, Ka, the IV of message 5 and HASH_I come
                from tests/gen_keys_vectors.py's derive() (Python hmac and
                hashlib); HASH_R is computed here with its prf()
  encryption    `openssl enc -des-ede3-cbc | -aes-128-cbc | -aes-256-cbc
                -nopad -K .. -iv ..` (a subprocess, not Python code)
  header        CKY-I | CKY-R | next | 0x10 | exchange | flags 0x01 |
                M-ID | length; the length counts the padding (RFC 2408 3.1)
  padding       zeros to the cipher block (none when already whole)

  message 5     ID (IDii_b) | HASH (HASH_I), Main Mode, M-ID 0, encrypted
                with the IV of appendix B: HASH(g^xi | g^xr) truncated
  message 6     ID (IDir_b) | HASH (HASH_R) as the responder builds it,
                IV = the last cipher block of message 5
  message 6, padded
                the same with one more block of padding (0xa5 bytes), which
                nothing hashes: flipping its bits must not matter
  message 6, no ID
                HASH (HASH_R) alone, otherwise as message 6
  message 6, other key
                built by a responder whose PSK differs (its own Ka, the same
                IV: message 5's last block does not depend on the key)
  info          the responder's answer to message 5 it could not read: an
                Informational (exchange 5, M-ID INFO_MSGID) with
                HASH(1) | N(PAYLOAD-MALFORMED, protocol ISAKMP, SPI the two
                cookies); HASH(1) = prf(SKEYID_a, M-ID | N payload with its
                generic header) (RFC 2409 5.7); IV = HASH(last block of
                message 5 | M-ID) truncated (appendix B)
  info, bad hash
                the same with the first byte of HASH(1) inverted before
                encryption
  info, no hash the N payload alone (no HASH), same IV
  delete        our DELETE after message 6 (exchange 5, M-ID DEL_MSGID):
                HASH(1) | D(DOI 1, protocol ISAKMP, SPI size 16, one SPI =
                CKY-I | CKY-R) (RFC 2408 3.15), HASH(1) over M-ID | the D
                payload with its header; IV = HASH(last block of message 6 |
                M-ID) truncated

The local address is the fake network's 198.18.0.2, so IDii_b is what
ike_mm_id gives for it (ID_IPV4_ADDR, UDP, port 500): gen_keys_vectors.py's
IDII_B.  The responder's IDs vary per suite (IPv4 with UDP/500, IPv4 with
protocol and port 0 as strongSwan sends it, an FQDN).  SAi_b, the cookies
and the pseudo-random inputs (nonces, DH values) come the same way as in
gen_keys_vectors.py; they need not be valid DH values here.  The output
depends on nothing but these fixed inputs.

Run: /usr/bin/python3 tests/gen_mm_vectors.py > tests/fixtures_mm.h
"""
import hashlib
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no tests/__pycache__ from the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_keys_vectors as gk  # noqa: E402

OPENSSL_CIPHER = {(5, 0): "-des-ede3-cbc", (7, 128): "-aes-128-cbc", (7, 256): "-aes-256-cbc"}
EXCH_MAIN, EXCH_INFO = 2, 5
PL_HASH, PL_ID, PL_NOTIFY, PL_DELETE = 8, 5, 11, 12
N_PAYLOAD_MALFORMED = 16
INFO_MSGID = 0x6D2C1A95
DEL_MSGID = 0x1F3E5D7B
WRONG_PSK = b"not the server's key"
CKY = gk.ICOOKIE + gk.RCOOKIE


def openssl_enc(c, key, iv, data):
    args = ["openssl", "enc", "-e", OPENSSL_CIPHER[(c["cipher"], c["key_bits"])], "-nopad",
            "-K", key.hex(), "-iv", iv.hex()]
    out = subprocess.run(args, input=data, stdout=subprocess.PIPE, check=True).stdout
    if len(out) != len(data):
        raise SystemExit("openssl enc: %d bytes in, %d out" % (len(data), len(out)))
    return out


def payloads(chain):
    """[(type, body), ...] -> (first type, bytes with generic headers)."""
    out = b""
    for i, (_, body) in enumerate(chain):
        nxt = chain[i + 1][0] if i + 1 < len(chain) else 0
        out += bytes([nxt, 0]) + (4 + len(body)).to_bytes(2, "big") + body
    return chain[0][0], out


def message(c, exch, msgid, chain, iv, extra_pad=b"", key=None):
    """Plaintext (header + payloads + padding, length and flags as sent)
    and the encrypted message."""
    block = gk.CIPHERS[c["cipher"]]
    first, body = payloads(chain)
    body += bytes((-len(body)) % block) + extra_pad
    hdr = CKY + bytes([first, 0x10, exch, 0x01]) + msgid.to_bytes(4, "big") + \
        (28 + len(body)).to_bytes(4, "big")
    return hdr + body, hdr + openssl_enc(c, key or c["enc"], iv, body)


def hash1(c, msgid, pl):
    return gk.prf(c["hash"], c["skeyid_a"], msgid.to_bytes(4, "big") + pl)


def iv_msgid(c, last, msgid):
    block = gk.CIPHERS[c["cipher"]]
    return hashlib.new(gk.HASHES[c["hash"]][0], last + msgid.to_bytes(4, "big")).digest()[:block]


def build(c, sai_b):
    c.update(gk.derive(c, sai_b))       # keys, IV of message 5, HASH_I over gk.IDII_B
    block = gk.CIPHERS[c["cipher"]]
    alg = c["hash"]
    c["idii_b"] = gk.IDII_B
    c["hash_r"] = gk.prf(alg, c["skeyid"], c["gxr"] + c["gxi"] + gk.RCOOKIE + gk.ICOOKIE +
                         sai_b + c["idir_b"])
    c["mm5_plain"], c["mm5"] = message(c, EXCH_MAIN, 0,
                                       [(PL_ID, c["idii_b"]), (PL_HASH, c["hash_i"])], c["iv"])
    last5 = c["mm5"][-block:]
    mm6_chain = [(PL_ID, c["idir_b"]), (PL_HASH, c["hash_r"])]
    c["mm6_plain"], c["mm6"] = message(c, EXCH_MAIN, 0, mm6_chain, last5)
    _, c["mm6_padded"] = message(c, EXCH_MAIN, 0, mm6_chain, last5, b"\xa5" * block)
    _, c["mm6_noid"] = message(c, EXCH_MAIN, 0, [(PL_HASH, c["hash_r"])], last5)
    c["mm6_end"] = 28 + len(payloads(mm6_chain)[1])
    c["last6"] = c["mm6"][-block:]

    # The same responder with another key: its own SKEYID, Ka and HASH_R.
    w = dict(c, psk=WRONG_PSK)
    w.update(gk.derive(w, sai_b))
    w_hash_r = gk.prf(alg, w["skeyid"], c["gxr"] + c["gxi"] + gk.RCOOKIE + gk.ICOOKIE +
                      sai_b + c["idir_b"])
    _, c["mm6_wrongkey"] = message(c, EXCH_MAIN, 0, [(PL_ID, c["idir_b"]), (PL_HASH, w_hash_r)],
                                   last5, key=w["enc"])

    notify = (1).to_bytes(4, "big") + bytes([1, 16]) + N_PAYLOAD_MALFORMED.to_bytes(2, "big") + CKY
    n_pl = payloads([(PL_NOTIFY, notify)])[1]
    h1 = hash1(c, INFO_MSGID, n_pl)
    c["iv_info"] = iv_msgid(c, last5, INFO_MSGID)
    c["info_plain"], c["info"] = message(c, EXCH_INFO, INFO_MSGID,
                                         [(PL_HASH, h1), (PL_NOTIFY, notify)], c["iv_info"])
    bad = bytes([h1[0] ^ 0xFF]) + h1[1:]
    _, c["info_badhash"] = message(c, EXCH_INFO, INFO_MSGID,
                                   [(PL_HASH, bad), (PL_NOTIFY, notify)], c["iv_info"])
    _, c["info_nohash"] = message(c, EXCH_INFO, INFO_MSGID, [(PL_NOTIFY, notify)], c["iv_info"])

    delete = (1).to_bytes(4, "big") + bytes([1, 16]) + (1).to_bytes(2, "big") + CKY
    d_pl = payloads([(PL_DELETE, delete)])[1]
    c["iv_delete"] = iv_msgid(c, c["last6"], DEL_MSGID)
    c["delete_plain"], c["delete"] = message(
        c, EXCH_INFO, DEL_MSGID, [(PL_HASH, hash1(c, DEL_MSGID, d_pl)), (PL_DELETE, delete)],
        c["iv_delete"])


def case(name, hash_alg, cipher, key_bits, ke_len, gxy_len, nonce_len, psk, idir_b):
    c = gk.case("mm/" + name, hash_alg, cipher, key_bits, ke_len, gxy_len, nonce_len, psk)
    c.update(cname=name, idir_b=idir_b)
    return c


CASES = [
    # Windows' last resort; the responder's ID as racoon sends it.
    case("sha1_3des", 2, 5, 0, 128, 128, 20, b"nattcheck-mm-psk",
         bytes([1, 17, 1, 244, 203, 0, 113, 5])),
    # strongSwan's ID: protocol and port 0; nothing to pad (12 + 36 = 48).
    case("sha256_aes256", 4, 7, 256, 256, 256, 32, b"correct horse battery staple",
         bytes([1, 0, 0, 0, 203, 0, 113, 6])),
    # An FQDN ID: 23 + 24 bytes of payloads, one byte of padding.
    case("sha1_aes128", 2, 7, 128, 64, 32, 16, b"k3y",
         bytes([2, 17, 1, 244]) + b"vpn.example.net"),
]

FIELDS = ["psk", "ni", "nr", "gxi", "gxr", "gxy", "skeyid_a", "enc", "iv", "idii_b", "idir_b",
          "hash_i", "hash_r", "mm5_plain", "mm5", "mm6_plain", "mm6", "mm6_padded",
          "mm6_noid", "mm6_wrongkey", "last6", "iv_info", "info_plain", "info", "info_badhash",
          "info_nohash", "iv_delete", "delete_plain", "delete"]


def main():
    sai_b = gk.capture_sa_body()
    out = ["/* fixtures_mm.h - generated by tests/gen_mm_vectors.py (Python hmac/\n"
           " * hashlib and `openssl enc`, independent of src/ike_mm.c); do not edit.\n"
           " * What each message is: the generator's docstring. */\n",
           "#ifndef NATTCHECK_FIXTURES_MM_H\n#define NATTCHECK_FIXTURES_MM_H\n\n",
           "#include <stddef.h>\n#include <stdint.h>\n\n"]
    out.append(gk.carray("fxm_icookie", gk.ICOOKIE))
    out.append(gk.carray("fxm_rcookie", gk.RCOOKIE))
    out.append("/* SAi_b: the SA payload body of fx_mm1_win8. */\n")
    out.append(gk.carray("fxm_sai_b", sai_b))
    out.append("static const uint32_t fxm_info_msgid = 0x%08x;\n" % INFO_MSGID)
    out.append("static const uint32_t fxm_delete_msgid = 0x%08x;\n" % DEL_MSGID)
    out.append("static const uint16_t fxm_info_notify = %d; /* PAYLOAD-MALFORMED */\n"
               % N_PAYLOAD_MALFORMED)
    out.append(gk.carray("fxm_wrong_psk", WRONG_PSK))
    for c in CASES:
        build(c, sai_b)
        out.append("\n/* %s */\n" % c["cname"])
        for f in FIELDS:
            out.append(gk.carray("fxm_%s_%s" % (c["cname"], f), c[f]))
    out.append("\ntypedef struct fxm_case {\n\tconst char *name;\n"
               "\tuint16_t hash, cipher, key_bits;\n"
               "\tsize_t mm6_end; /* where message 6's payloads end, padding after */\n")
    for f in FIELDS:
        out.append("\tconst uint8_t *%s;\n\tsize_t %s_len;\n" % (f, f))
    out.append("} fxm_case;\n\nstatic const fxm_case fxm_cases[] = {\n")
    for c in CASES:
        items = ["\"%s\"" % c["cname"], str(c["hash"]), str(c["cipher"]), str(c["key_bits"]),
                 str(c["mm6_end"])]
        for f in FIELDS:
            items.append("fxm_%s_%s, %d" % (c["cname"], f, len(c[f])))
        out.append("\t{ " + ",\n\t\t".join(items) + " },\n")
    out.append("};\n\n#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
