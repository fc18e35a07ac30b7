#!/usr/bin/python3
"""gen_qm_vectors.py - writes tests/fixtures_qm.h: IKEv1 Quick Mode for the
L2TP IPsec SA (RFC 2409 5.5, RFC 2407 4.5/4.6.2, RFC 3947 5.2), byte for
byte, built here from the RFCs as written, independently of src/ike_qm.c,
src/ike_mm.c and src/ike.c:

  keys          the three Main Mode suites of tests/gen_mm_vectors.py (its
                build(): SKEYID_a and Ka by gen_keys_vectors.py's derive(),
                Python hmac/hashlib); the last phase 1 cipher block is the
                last block of that suite's message 6 (fxm_*_last6)
  encryption    `openssl enc -nopad` through gen_mm_vectors.message()
                (header CKY-I | CKY-R | next | 0x10 | exchange | flags 0x01 |
                M-ID | length, zero padding to the block)

  message 1     exchange 32, M-ID MSGID:
                HASH(1) | SA | Ni | IDci | IDcr [| NAT-OAi | NAT-OAr]
                HASH(1) = prf(SKEYID_a, M-ID | every payload after HASH,
                generic headers included)                       (5.5)
                IV = HASH(last phase 1 block | M-ID) truncated  (appendix B)
                SA body: DOI 1, situation 1 (identity only), one proposal:
                #1, protocol ESP (3), SPI size 4, SPI, the profile's
                transforms numbered from 1 in its order; each transform:
                life type seconds (TV), life duration 3600 (TLV, 4 bytes),
                life type kilobytes (TV), life duration 250000 (TLV, 4
                bytes), encapsulation mode (TV), auth algorithm (TV), key
                length (TV, AES only).  The attribute order and the TLV
                encoding of the durations follow nattcheck's choice (what
                src/ike_qm.c sends, modelled on Windows); RFC 2407 fixes no
                order.  Transforms, README.md "Quick Mode: what Windows asks
                for":
                  Windows 8+ and Vista/7: AES-256/SHA1, AES-256/MD5,
                    AES-128/SHA1, AES-128/MD5, 3DES/SHA1, 3DES/MD5
                  XP: 3DES/SHA1, 3DES/MD5, DES/SHA1, DES/MD5
                encapsulation: 2 (transport) without NAT; behind NAT 4
                (UDP-encapsulated transport, RFC 3947), XP 61444 (its draft)
                IDci / IDcr: ID_IPV4_ADDR, UDP, port 1701, the local /
                remote address (RFC 2407 4.6.2)
                NAT-OA (behind NAT only): type 1 (IPv4), 3 reserved bytes,
                the address; RFC 3947: two payloads of type 21 (NAT-OAi =
                local, NAT-OAr = remote); XP's draft: one of type 131 (local)
  message 2     the responder's answer, same M-ID:
                HASH(2) | SA | Nr | IDci | IDcr [| NAT-OA...]
                HASH(2) = prf(SKEYID_a, M-ID | Ni_b | payloads after HASH)
                SA: one proposal (#1, ESP, the responder's SPI) with the one
                chosen transform (its number in the offer); its attributes
                in the order given per case below (strongSwan's, or
                kilobytes first with a 2-byte TV duration, or seconds only)
                IV = the last cipher block of message 1
  message 2 variants
                padded: one more block of padding (0xa5), hashed by nothing;
                msgid: header M-ID and HASH(2) with M-ID + 1 (same IV);
                badhash: HASH(2)'s first byte inverted; noni: HASH(2)
                without Ni_b (HASH(1)'s formula); wrongkey: a responder whose
                PSK differs (its SKEYID_a and Ka, same IV)
  delete        the Informational DELETE of our IPsec SA (exchange 5, M-ID
                DEL_MSGID): HASH(1) | D(DOI 1, protocol ESP, SPI size 4, one
                SPI = our SPI) (RFC 2408 3.15); HASH(1) = prf(SKEYID_a, M-ID |
                the D payload with its header); IV = HASH(last phase 1 block |
                M-ID) truncated

Run: /usr/bin/python3 tests/gen_qm_vectors.py > tests/fixtures_qm.h
"""
import os
import sys

sys.dont_write_bytecode = True  # no tests/__pycache__ from the imports below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_keys_vectors as gk  # noqa: E402
import gen_mm_vectors as gm  # noqa: E402

EXCH_QUICK, EXCH_INFO = 32, 5
PL_SA, PL_ID, PL_HASH, PL_NONCE, PL_DELETE = 1, 5, 8, 10, 12
PL_NATOA, PL_NATOA_DRAFT = 21, 131
PROTO_ESP = 3
ESP_DES, ESP_3DES, ESP_AES = 2, 3, 12
MD5, SHA1 = 1, 2
ENC_TRANSPORT, ENC_UDP_TRANSPORT, ENC_UDP_TRANSPORT_DRAFT = 2, 4, 61444
A_LIFE_TYPE, A_LIFE_DUR, A_ENCAP, A_AUTH, A_KEY_LEN = 1, 2, 4, 5, 6
LIFE_S, LIFE_KB = 1, 2

MSGID = 0x5A3C9E71
DEL_MSGID = 0x2B7D4C19
SPI_I = 0x8A11C0DE
SPI_R = 0x0D15EA5E
LOCAL = bytes([10, 0, 2, 15])       # behind NAT: the private address
REMOTE = bytes([203, 0, 113, 5])
PUBLIC = bytes([198, 51, 100, 7])   # the NAT's outside address (message 2)
NR = gk.det("qm/nr", 24)

# probe_profile values (src/ike.h)
XP, VISTA7, WIN8 = 0, 1, 2
PROFILES = [(WIN8, "win8"), (VISTA7, "vista7"), (XP, "xp")]
WIN_ESP = [(ESP_AES, 256, SHA1), (ESP_AES, 256, MD5), (ESP_AES, 128, SHA1),
           (ESP_AES, 128, MD5), (ESP_3DES, 0, SHA1), (ESP_3DES, 0, MD5)]
ESP = {WIN8: WIN_ESP, VISTA7: WIN_ESP,
       XP: [(ESP_3DES, 0, SHA1), (ESP_3DES, 0, MD5), (ESP_DES, 0, SHA1), (ESP_DES, 0, MD5)]}


def u16(v):
    return v.to_bytes(2, "big")


def u32(v):
    return v.to_bytes(4, "big")


def tv(t, v):
    return u16(0x8000 | t) + u16(v)


def tlv(t, v):
    return u16(t) + u16(4) + u32(v)


def esp_sa(spi, transforms):
    """SA body: DOI, situation, one ESP proposal; transforms: [(number,
    transform ID, attribute bytes)]."""
    tb = b""
    for i, (num, tid, attrs) in enumerate(transforms):
        nxt = 3 if i + 1 < len(transforms) else 0
        tb += bytes([nxt, 0]) + u16(8 + len(attrs)) + bytes([num, tid, 0, 0]) + attrs
    prop = bytes([1, PROTO_ESP, 4, len(transforms)]) + u32(spi) + tb
    return u32(1) + u32(1) + bytes([0, 0]) + u16(4 + len(prop)) + prop


def offer_attrs(encap, auth, key_bits):
    a = tv(A_LIFE_TYPE, LIFE_S) + tlv(A_LIFE_DUR, 3600) + tv(A_LIFE_TYPE, LIFE_KB) + \
        tlv(A_LIFE_DUR, 250000) + tv(A_ENCAP, encap) + tv(A_AUTH, auth)
    return a + (tv(A_KEY_LEN, key_bits) if key_bits else b"")


def encap_of(profile, nat):
    if not nat:
        return ENC_TRANSPORT
    return ENC_UDP_TRANSPORT_DRAFT if profile == XP else ENC_UDP_TRANSPORT


def id1701(addr):
    return bytes([1, 17]) + u16(1701) + addr


def natoa(addr):
    return bytes([1, 0, 0, 0]) + addr


def hash_chain(c, msgid, pre, rest):
    """[(type, body)] after the HASH -> HASH payload first, prf over
    M-ID | pre | the rest with its generic headers."""
    return [(PL_HASH, gk.prf(c["hash"], c["skeyid_a"], u32(msgid) + pre +
                             gm.payloads(rest)[1]))] + rest


def qm1(c, ni, profile, nat):
    encap = encap_of(profile, nat)
    trs = [(i + 1, tid, offer_attrs(encap, auth, kb))
           for i, (tid, kb, auth) in enumerate(ESP[profile])]
    rest = [(PL_SA, esp_sa(SPI_I, trs)), (PL_NONCE, ni), (PL_ID, id1701(LOCAL)),
            (PL_ID, id1701(REMOTE))]
    if nat and profile == XP:
        rest.append((PL_NATOA_DRAFT, natoa(LOCAL)))
    elif nat:
        rest += [(PL_NATOA, natoa(LOCAL)), (PL_NATOA, natoa(REMOTE))]
    return gm.message(c, EXCH_QUICK, MSGID, hash_chain(c, MSGID, b"", rest), c["iv1"])


# The responders' choices: suite, the message 1 answered, the transform
# number chosen (1-based, in that offer), the attribute layout.
M2 = [
    # strongSwan's attribute order, XP's draft NAT-T: one NAT-OA (131).
    dict(name="sha1_3des_xp_nat", suite="sha1_3des", profile=XP, nat=True, pick=1,
         order="strongswan"),
    # Kilobytes first, the seconds as a 2-byte TV duration: the durations
    # belong to the life type before them.  Two NAT-OA (21).
    dict(name="sha256_aes256_win8_nat", suite="sha256_aes256", profile=WIN8, nat=True, pick=1,
         order="kb_first"),
    # The fourth offer, seconds only, transport mode, no NAT-OA.
    dict(name="sha1_aes128_vista7", suite="sha1_aes128", profile=VISTA7, nat=False, pick=4,
         order="seconds_only"),
]


def m2_attrs(order, encap, auth, key_bits):
    kl = tv(A_KEY_LEN, key_bits) if key_bits else b""
    if order == "strongswan":
        return (tv(A_LIFE_TYPE, LIFE_S) + tlv(A_LIFE_DUR, 3600) + tv(A_LIFE_TYPE, LIFE_KB) +
                tlv(A_LIFE_DUR, 250000) + tv(A_ENCAP, encap) + tv(A_AUTH, auth) + kl), 3600, \
            250000
    if order == "kb_first":
        return (tv(A_ENCAP, encap) + tv(A_AUTH, auth) + kl + tv(A_LIFE_TYPE, LIFE_KB) +
                tlv(A_LIFE_DUR, 250000) + tv(A_LIFE_TYPE, LIFE_S) + tv(A_LIFE_DUR, 3600)), \
            3600, 250000
    return (tv(A_LIFE_TYPE, LIFE_S) + tlv(A_LIFE_DUR, 28800) + tv(A_AUTH, auth) +
            tv(A_ENCAP, encap) + kl), 28800, 0


def qm2(m, c, ni, last1):
    tid, kb, auth = ESP[m["profile"]][m["pick"] - 1]
    encap = encap_of(m["profile"], m["nat"])
    attrs, life_s, life_kb = m2_attrs(m["order"], encap, auth, kb)
    rest = [(PL_SA, esp_sa(SPI_R, [(m["pick"], tid, attrs)])), (PL_NONCE, NR),
            (PL_ID, id1701(LOCAL)), (PL_ID, id1701(REMOTE))]
    if m["nat"] and m["profile"] == XP:
        rest.append((PL_NATOA_DRAFT, natoa(PUBLIC)))
    elif m["nat"]:
        rest += [(PL_NATOA, natoa(PUBLIC)), (PL_NATOA, natoa(REMOTE))]
    m.update(id=tid, key_bits=kb, auth=auth, encap=encap, life_s=life_s, life_kb=life_kb)
    chain = hash_chain(c, MSGID, ni, rest)
    m["m2_plain"], m["m2"] = gm.message(c, EXCH_QUICK, MSGID, chain, last1)
    m["m2_end"] = 28 + len(gm.payloads(chain)[1])
    _, m["m2_padded"] = gm.message(c, EXCH_QUICK, MSGID, chain, last1,
                                   b"\xa5" * gk.CIPHERS[c["cipher"]])
    _, m["m2_msgid"] = gm.message(c, EXCH_QUICK, MSGID + 1, hash_chain(c, MSGID + 1, ni, rest),
                                  last1)
    h = chain[0][1]
    _, m["m2_badhash"] = gm.message(c, EXCH_QUICK, MSGID,
                                    [(PL_HASH, bytes([h[0] ^ 0xFF]) + h[1:])] + rest, last1)
    _, m["m2_noni"] = gm.message(c, EXCH_QUICK, MSGID, hash_chain(c, MSGID, b"", rest), last1)
    w = dict(c, psk=gm.WRONG_PSK)
    w.update(gk.derive(w, c["sai_b"]))
    _, m["m2_wrongkey"] = gm.message(c, EXCH_QUICK, MSGID, hash_chain(w, MSGID, ni, rest), last1,
                                     key=w["enc"])


def delete(c):
    d = u32(1) + bytes([PROTO_ESP, 4]) + u16(1) + u32(SPI_I)
    c["iv_delete_esp"] = gm.iv_msgid(c, c["last6"], DEL_MSGID)
    c["delete_esp_plain"], c["delete_esp"] = gm.message(
        c, EXCH_INFO, DEL_MSGID, hash_chain(c, DEL_MSGID, b"", [(PL_DELETE, d)]),
        c["iv_delete_esp"])


NONCE_LEN = {"sha1_3des": 20, "sha256_aes256": 32, "sha1_aes128": 8}
SUITE_FIELDS = ["ni", "skeyid_a", "enc", "last6", "iv1", "iv_delete_esp", "delete_esp_plain",
                "delete_esp"]
M1_FIELDS = ["m1_plain", "m1"]
M2_FIELDS = ["m2_plain", "m2", "m2_padded", "m2_msgid", "m2_badhash", "m2_noni", "m2_wrongkey"]


def struct(name, scalars, fields):
    out = "typedef struct %s {\n" % name
    out += "".join("\t%s\n" % (s if ";" in s else s + ";") for s in scalars)
    for f in fields:
        out += "\tconst uint8_t *%s;\n\tsize_t %s_len;\n" % (f, f)
    return out + "} %s;\n\n" % name


def row(values, prefix, fields):
    return "\t{ " + ", ".join(values) + ",\n\t\t" + ",\n\t\t".join(
        "%s_%s, sizeof(%s_%s)" % (prefix, f, prefix, f) for f in fields) + " },\n"


def main():
    sai_b = gk.capture_sa_body()
    suites = []
    for i, c in enumerate(gm.CASES):
        gm.build(c, sai_b)
        c.update(sai_b=sai_b, mm=i, ni=gk.det("qm/%s/ni" % c["cname"], NONCE_LEN[c["cname"]]))
        c["iv1"] = gm.iv_msgid(c, c["last6"], MSGID)
        delete(c)
        suites.append(c)
    by_name = {c["cname"]: c for c in suites}
    m1s = []
    for c in suites:
        for prof, pname in PROFILES:
            for nat in (False, True):
                m = dict(suite=c["cname"], profile=prof, nat=nat,
                         name="%s_%s_%s" % (c["cname"], pname, "nat" if nat else "direct"))
                m["m1_plain"], m["m1"] = qm1(c, c["ni"], prof, nat)
                m1s.append(m)
    for m in M2:
        c = by_name[m["suite"]]
        m1 = next(x for x in m1s if x["suite"] == m["suite"] and x["profile"] == m["profile"] and
                  x["nat"] == m["nat"])
        m["m1_index"] = m1s.index(m1)
        qm2(m, c, c["ni"], m1["m1"][-gk.CIPHERS[c["cipher"]]:])

    out = ["/* fixtures_qm.h - generated by tests/gen_qm_vectors.py (Python hmac/\n"
           " * hashlib and `openssl enc`, independent of src/ike_qm.c); do not edit.\n"
           " * What each message is: the generator's docstring.  The keys are those\n"
           " * of tests/fixtures_mm.h: fxq_suites[i].mm indexes fxm_cases. */\n",
           "#ifndef NATTCHECK_FIXTURES_QM_H\n#define NATTCHECK_FIXTURES_QM_H\n\n",
           "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n",
           "static const uint32_t fxq_msgid = 0x%08x;\n" % MSGID,
           "static const uint32_t fxq_delete_msgid = 0x%08x;\n" % DEL_MSGID,
           "static const uint32_t fxq_spi = 0x%08x;   /* ours */\n" % SPI_I,
           "static const uint32_t fxq_spi_r = 0x%08x; /* the responder's */\n" % SPI_R,
           gk.carray("fxq_local", LOCAL), gk.carray("fxq_remote", REMOTE),
           gk.carray("fxq_public", PUBLIC), gk.carray("fxq_nr", NR)]
    for c in suites:
        out.append("\n/* suite %s */\n" % c["cname"])
        for f in SUITE_FIELDS:
            out.append(gk.carray("fxq_%s_%s" % (c["cname"], f), c[f]))
    for m in m1s:
        out.append("\n/* message 1: %s */\n" % m["name"])
        for f in M1_FIELDS:
            out.append(gk.carray("fxq_%s_%s" % (m["name"], f), m[f]))
    for m in M2:
        out.append("\n/* message 2: %s */\n" % m["name"])
        for f in M2_FIELDS:
            out.append(gk.carray("fxq_%s_%s" % (m["name"], f), m[f]))
    out.append("\n")
    out.append(struct("fxq_suite", ["const char *name", "size_t mm; /* fxm_cases index */"],
                      SUITE_FIELDS))
    out.append("static const fxq_suite fxq_suites[] = {\n")
    for c in suites:
        out.append(row(['"%s"' % c["cname"], str(c["mm"])], "fxq_" + c["cname"], SUITE_FIELDS))
    out.append("};\n\n")
    out.append(struct("fxq_m1", ["const char *name", "size_t suite; /* fxq_suites index */",
                                 "int profile; /* probe_profile */", "bool nat"], M1_FIELDS))
    out.append("static const fxq_m1 fxq_m1s[] = {\n")
    for m in m1s:
        out.append(row(['"%s"' % m["name"], str(by_name[m["suite"]]["mm"]), str(m["profile"]),
                        "true" if m["nat"] else "false"], "fxq_" + m["name"], M1_FIELDS))
    out.append("};\n\n")
    out.append(struct("fxq_m2", [
        "const char *name", "size_t m1; /* fxq_m1s index: the message 1 answered */",
        "uint8_t id; /* the chosen transform */", "uint16_t key_bits, auth, encap",
        "uint32_t life_s, life_kb", "bool natoa",
        "size_t m2_end; /* where message 2's payloads end, padding after */"], M2_FIELDS))
    out.append("static const fxq_m2 fxq_m2s[] = {\n")
    for m in M2:
        out.append(row(['"%s"' % m["name"], str(m["m1_index"]), str(m["id"]),
                        str(m["key_bits"]), str(m["auth"]), str(m["encap"]), str(m["life_s"]),
                        str(m["life_kb"]), "true" if m["nat"] else "false", str(m["m2_end"])],
                       "fxq_" + m["name"], M2_FIELDS))
    out.append("};\n\n#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
