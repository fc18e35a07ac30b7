#!/usr/bin/env python3
"""ikeprobe.py - reference IKEv1 Main Mode prober (and a tiny responder) for the lab.

Independent of nattcheck's C code, it does what nattcheck's probe does: MM1..MM4
on UDP 500 with NAT-D, MM1 on UDP 4500 behind the non-ESP marker, and prints the
facts as JSON with nattcheck's field names, so the lab's expected facts can be
checked without the exe.

  ikeprobe.py probe SERVER [--os win10|win7|xp] [--timeout MS] [--save DIR]
  ikeprobe.py serve --no-natt [--bind ADDR]     (a server without NAT-T)
  ikeprobe.py mm1check PCAP [--os win10|win7|xp] (every message 1 in a capture
                                                  is exactly that Windows')

Nothing here is authenticated or encrypted: the exchange stops after message 4
(KE, nonce, NAT-D are cleartext).  The KE is a valid public value that needs no
private key: 2^k for MODP groups, the curve's generator for ECP groups.
Standard library only.
"""

import argparse
import hashlib
import ipaddress
import json
import os
import random
import select
import socket
import struct
import sys
import time

# ISAKMP (RFC 2408) payload types; NAT-D: RFC 3947 (20), drafts (130).
PL_NONE, PL_SA, PL_P, PL_T, PL_KE, PL_NONCE, PL_N, PL_VID = 0, 1, 2, 3, 4, 10, 11, 13
PL_NATD, PL_NATD_DRAFT = 20, 130
EX_MAIN, EX_INFO = 2, 5
NOTIFY_NAMES = {14: "NO-PROPOSAL-CHOSEN", 16: "PAYLOAD-MALFORMED", 18: "INVALID-COOKIE",
                24: "AUTHENTICATION-FAILED", 30: "INVALID-KEY-INFORMATION"}

ENC = {1: "des", 5: "3des", 7: "aes"}
HASH = {1: ("md5", hashlib.md5), 2: ("sha1", hashlib.sha1), 4: ("sha256", hashlib.sha256),
        5: ("sha384", hashlib.sha384), 6: ("sha512", hashlib.sha512)}
GROUP = {1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072",
         16: "modp4096", 19: "ecp256", 20: "ecp384"}
MODP_LEN = {1: 96, 2: 128, 5: 192, 14: 256, 15: 384, 16: 512}
# Generators of P-256 / P-384 (x || y): valid public values (private key 1).
ECP_G = {
    19: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    20: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
        "5502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29"
        "f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
}

VID = {
    "ms-win8": "01528bbbc00696121849ab9a1c5b2a5100000001",
    "ms-nt5-v9": "1e2b516905991c7d7c96fcbfb587e46100000009",
    "ms-nt5-v8": "1e2b516905991c7d7c96fcbfb587e46100000008",
    "ms-nt5-v4": "1e2b516905991c7d7c96fcbfb587e46100000004",
    "rfc3947": "4a131c81070358455c5728f20e95452f",
    "draft-02n": "90cb80913ebb696e086381b5ec427b1f",
    "draft-02": "cd60464335df21f87cfdb2fc68b6a448",
    "draft-03": "7d9419a65310ca6f2c179d9215529d56",
    "fragmentation": "4048b7d56ebce88525e7de7f00d6c2d3",
    "ms-negotiation-discovery": "fb1de3cdf341b7ea16b7e5be0855f120",
    "initial-contact": "26244d38eddb61b3172a36e3d0cfb819",
    "ike-cga-v1": "e3a5966a76379fe707228231e5ce8652",
    "xauth": "09002689dfd6b712",
    "dpd": "afcad71368a1f1c96b8696fc77570100",
    "strongswan": "882fe56d6fd20dbc2251613b2ebe5beb",
    "fragmentation-80": "4048b7d56ebce88525e7de7f00d6c2d380000000",  # as charon sends it
}
VID_NAME = {bytes.fromhex(v): k for k, v in VID.items()}

# (enc, keylen, hash, group) in the order each Windows version sends them; see
# the sources cited in src/ike_profile.c.
WIN_NEW = [(7, 256, 2, 20), (7, 128, 2, 19), (7, 256, 2, 14), (5, 0, 2, 14), (5, 0, 2, 2)]
PROFILES = {
    "win10": (WIN_NEW, ["ms-win8", "ms-nt5-v9", "rfc3947", "draft-02n", "fragmentation",
                        "ms-negotiation-discovery", "initial-contact", "ike-cga-v1"]),
    "win7": (WIN_NEW, ["ms-nt5-v8", "rfc3947", "draft-02n", "fragmentation",
                       "ms-negotiation-discovery", "initial-contact", "ike-cga-v1"]),
    "xp": ([(5, 0, 2, 14), (5, 0, 2, 2)],
           ["ms-nt5-v4", "fragmentation", "draft-02n", "initial-contact"]),
}


def payload(nxt, body):
    return struct.pack("!BBH", nxt, 0, 4 + len(body)) + body


def chain(items):
    """items: [(type, body)] -> bytes, each generic header naming the next type."""
    out = b""
    for i, (_, body) in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else PL_NONE
        out += payload(nxt, body)
    return out


def header(cki, ckr, first, exch, length, msgid=0):
    return cki + ckr + struct.pack("!BBBBII", first, 0x10, exch, 0, msgid, length)


def message(cki, ckr, exch, items):
    body = chain(items)
    first = items[0][0] if items else PL_NONE
    return header(cki, ckr, first, exch, 28 + len(body)) + body


def attr_tv(t, v):
    return struct.pack("!HH", 0x8000 | t, v)


def transform(num, enc, keylen, hsh, grp, auth=1, life=28800):
    a = attr_tv(1, enc)
    if keylen:
        a += attr_tv(14, keylen)
    a += attr_tv(2, hsh) + attr_tv(3, auth) + attr_tv(4, grp) + attr_tv(11, 1)
    a += struct.pack("!HHI", 12, 4, life)      # life duration, 4-byte TLV
    return struct.pack("!BBH", num, 1, 0) + a  # transform id 1 = KEY_IKE


def sa_payload(transforms):
    items = [(PL_T, transform(i + 1, *t)) for i, t in enumerate(transforms)]
    prop = struct.pack("!BBBB", 1, 1, 0, len(transforms)) + chain(items)
    return struct.pack("!II", 1, 1) + payload(PL_NONE, prop)  # DOI IPsec, SIT_IDENTITY_ONLY


def parse(msg):
    """-> (cki, ckr, exch, [(type, body)]) or None; never trusts lengths."""
    if len(msg) < 28:
        return None
    cki, ckr = msg[:8], msg[8:16]
    nxt, _ver, exch, _flags, _mid, length = struct.unpack("!BBBBII", msg[16:28])
    if length > len(msg) or length < 28:
        return None
    off, out = 28, []
    while nxt != PL_NONE:
        if off + 4 > length:
            return None
        n2, _r, plen = struct.unpack("!BBH", msg[off:off + 4])
        if plen < 4 or off + plen > length:
            return None
        out.append((nxt, msg[off + 4:off + plen]))
        nxt, off = n2, off + plen
    return cki, ckr, exch, out


def parse_attrs(data):
    attrs, off = {}, 0
    while off + 4 <= len(data):
        t, v = struct.unpack("!HH", data[off:off + 4])
        if t & 0x8000:
            attrs[t & 0x7fff] = v
            off += 4
        else:
            attrs[t] = int.from_bytes(data[off + 4:off + 4 + v], "big")
            off += 4 + v
    return attrs


def sa_transforms(sa):
    """SA payload body -> list of attribute dicts of the first proposal."""
    if len(sa) < 8 + 4 + 4:
        return []
    prop = sa[8:]
    _n, _r, plen = struct.unpack("!BBH", prop[:4])
    body = prop[4:plen]
    _pnum, _proto, spisz, ntr = struct.unpack("!BBBB", body[:4])
    off, out = 4 + spisz, []
    for _ in range(ntr):
        if off + 4 > len(body):
            break
        _nx, _r, tlen = struct.unpack("!BBH", body[off:off + 4])
        if tlen < 8:
            break
        out.append(parse_attrs(body[off + 8:off + tlen]))
        off += tlen
    return out


def tname(a):
    enc = ENC.get(a.get(1), "enc%s" % a.get(1))
    if a.get(14):
        enc += str(a[14])
    h = HASH.get(a.get(2), ("hash%s" % a.get(2),))[0]
    return "%s-%s-%s" % (enc, h, GROUP.get(a.get(4), "group%s" % a.get(4)))


def ke_value(group):
    if group in ECP_G:
        return bytes.fromhex(ECP_G[group])
    n = MODP_LEN[group]
    return (1 << random.randint(64, 8 * n - 16)).to_bytes(n, "big")


def natd_hash(hfun, cki, ckr, ip, port):
    return hfun(cki + ckr + ipaddress.ip_address(ip).packed + struct.pack("!H", port)).digest()


def hexdump(data):
    h = data.hex()
    return "\n".join(h[i:i + 64] for i in range(0, len(h), 64)) + "\n"


class Exchange:
    """One half-open exchange on one connected UDP socket."""

    def __init__(self, server, port, marker, timeout):
        fam = socket.AF_INET6 if ":" in server else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.connect((server, port))
        self.marker = b"\0\0\0\0" if marker else b""
        self.deadline = time.monotonic() + timeout
        self.cki = os.urandom(8)

    def local(self):
        a = self.sock.getsockname()
        return a[0], a[1]

    def roundtrip(self, pkt, accept, interval=0.5):
        """Send pkt, retransmit every interval until accept(reply) or deadline.
        -> ("ok", raw) | ("no-answer", None) | ("unreachable", None)."""
        nxt = 0.0
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                return "no-answer", None
            if now >= nxt:
                try:
                    self.sock.send(self.marker + pkt)
                except ConnectionRefusedError:
                    return "unreachable", None
                nxt = now + interval
            r, _, _ = select.select([self.sock], [], [], max(0.0, min(nxt, self.deadline) - now))
            if not r:
                continue
            try:
                raw = self.sock.recv(65535)
            except ConnectionRefusedError:
                return "unreachable", None
            if self.marker:
                if raw[:4] != self.marker:
                    continue
                raw = raw[4:]
            if len(raw) >= 28 and raw[:8] == self.cki and accept(raw):
                return "ok", raw


def mm1(cki, os_name):
    trans, vids = PROFILES[os_name]
    items = [(PL_SA, sa_payload(trans))] + [(PL_VID, bytes.fromhex(VID[v])) for v in vids]
    return message(cki, b"\0" * 8, EX_MAIN, items)


def classify_mm2(raw):
    """-> dict with udp outcome, transform, natt, notify, vendor_ids."""
    p = parse(raw)
    res = {"outcome": "rejected", "transform": None, "natt": None, "notify": None,
           "vendor_ids": [], "hash": None, "group": None}
    if not p:
        res["notify"] = "unparsable"
        return res
    _cki, ckr, exch, items = p
    for t, body in items:
        if t == PL_N and len(body) >= 8:
            ntype = struct.unpack("!H", body[6:8])[0]
            res["notify"] = NOTIFY_NAMES.get(ntype, str(ntype))
        if t == PL_VID:
            res["vendor_ids"].append(VID_NAME.get(body, body.hex()))
        if t == PL_SA and exch == EX_MAIN:
            tr = sa_transforms(body)
            if tr:
                res["outcome"] = "answered"
                res["transform"] = tname(tr[0])
                res["hash"], res["group"] = tr[0].get(2), tr[0].get(4)
    v = res["vendor_ids"]
    if res["outcome"] == "answered":
        res["natt"] = "rfc3947" if "rfc3947" in v else (
            "draft" if any(x.startswith("draft") for x in v) else "none")
    res["ckr"] = ckr
    return res


def probe_4500(server, os_name, timeout, save):
    ex = Exchange(server, 4500, True, timeout)
    pkt = mm1(ex.cki, os_name)
    st, raw = ex.roundtrip(pkt, lambda r: parse(r) is not None)
    if save:
        open(os.path.join(save, "mm1_4500.hex"), "w").write(hexdump(b"\0\0\0\0" + pkt))
    if save and raw:
        open(os.path.join(save, "mm2_4500.hex"), "w").write(hexdump(b"\0\0\0\0" + raw))
    return "answered" if st == "ok" else st


def probe(server, os_name, timeout, save):
    out = {"server": server, "address": server, "os": os_name, "udp500": None,
           "natt": None, "server_behind_nat": None, "client_behind_nat": None,
           "udp4500": None, "transform": None, "notify": None, "vendor_ids": []}
    ex = Exchange(server, 500, False, timeout)
    pkt1 = mm1(ex.cki, os_name)
    if save:
        # What a NAT-D check of the saved messages needs besides the cookies.
        lip, lport = ex.local()
        json.dump({"os": os_name, "server": server, "server_port": 500,
                   "client": lip, "client_port": lport}, open(os.path.join(save, "meta.json"), "w"))
    st, raw = ex.roundtrip(pkt1, lambda r: parse(r) is not None)
    if save:
        open(os.path.join(save, "mm1.hex"), "w").write(hexdump(pkt1))
    if st != "ok":
        out["udp500"] = st
        out["udp4500"] = probe_4500(server, os_name, timeout, save)
        return out
    if save:
        open(os.path.join(save, "mm2.hex"), "w").write(hexdump(raw))
    m2 = classify_mm2(raw)
    out.update({k: m2[k] for k in ("transform", "natt", "notify", "vendor_ids")})
    out["udp500"] = m2["outcome"]
    if m2["outcome"] == "answered":
        mm34(ex, m2, server, out, save)
    out["udp4500"] = probe_4500(server, os_name, timeout, save)
    return out


def mm34(ex, m2, server, out, save):
    hname, hfun = HASH.get(m2["hash"], (None, None))
    ckr = m2["ckr"]
    items = [(PL_KE, ke_value(m2["group"])), (PL_NONCE, os.urandom(32))]
    lip, lport = ex.local()
    ndtype = {"rfc3947": PL_NATD, "draft": PL_NATD_DRAFT}.get(m2["natt"])
    if ndtype and hfun:
        items.append((ndtype, natd_hash(hfun, ex.cki, ckr, server, 500)))
        items.append((ndtype, natd_hash(hfun, ex.cki, ckr, lip, lport)))
    pkt3 = message(ex.cki, ckr, EX_MAIN, items)

    def is_mm4(r):
        p = parse(r)
        return p is not None and p[1] == ckr and any(t == PL_KE for t, _ in p[3]) \
            or (p is not None and p[2] == EX_INFO)
    st, raw = ex.roundtrip(pkt3, is_mm4)
    out["mm4"] = st
    if save:
        open(os.path.join(save, "mm3.hex"), "w").write(hexdump(pkt3))
        if raw:
            open(os.path.join(save, "mm4.hex"), "w").write(hexdump(raw))
    if st != "ok":
        return
    p = parse(raw)
    natd = [b for t, b in p[3] if t in (PL_NATD, PL_NATD_DRAFT)]
    for t, b in p[3]:
        if t == PL_N and len(b) >= 8:
            out["notify"] = NOTIFY_NAMES.get(struct.unpack("!H", b[6:8])[0])
    if len(natd) < 2 or not ndtype:
        return
    # RFC 3947 3.2: the first NAT-D is the hash of the packet's destination
    # (us, as the server saw us), the others the server's own addresses.
    out["client_behind_nat"] = natd[0] != natd_hash(hfun, ex.cki, ckr, lip, lport)
    mine = natd_hash(hfun, ex.cki, ckr, server, 500)
    out["server_behind_nat"] = mine not in natd[1:]


# --- a responder without NAT-T, for the "no-natt" scenario -----------------

def serve(args):
    fam = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind, args.port))
    if args.ready:
        open(args.ready, "w").close()
    state = {}   # cki -> (ckr, chosen transform attrs, mm2, mm4)
    print("serving on %s:%d, natt=%s" % (args.bind, args.port, not args.no_natt), flush=True)
    while True:
        raw, peer = s.recvfrom(65535)
        p = parse(raw)
        if not p or p[2] != EX_MAIN:
            continue
        cki, ckr, _exch, items = p
        types = [t for t, _ in items]
        st = state.get(cki)
        if ckr == b"\0" * 8 and PL_SA in types:
            if st is None:
                sa = dict(items)[PL_SA]
                trs = sa_transforms(sa)
                # An old server: MODP only.
                pick = next((a for a in trs if a.get(4) in MODP_LEN), None)
                if pick is None:
                    continue
                ckr = os.urandom(8)
                t = (pick.get(1), pick.get(14, 0), pick.get(2), pick.get(4))
                vids = [(PL_VID, bytes.fromhex("6e6f2d6e6174742d6c61622d73657276"))]  # "no-natt-lab-serv"
                if not args.no_natt:
                    vids.append((PL_VID, bytes.fromhex(VID["rfc3947"])))
                m2 = message(cki, ckr, EX_MAIN, [(PL_SA, sa_payload([t]))] + vids)
                st = state[cki] = [ckr, pick, m2, None]
                print("MM1 from %s: chose %s" % (peer[0], tname(pick)), flush=True)
            s.sendto(st[2], peer)
        elif st and ckr == st[0] and PL_KE in types:
            if st[3] is None:
                st[3] = message(cki, ckr, EX_MAIN, [(PL_KE, ke_value(st[1].get(4))),
                                                    (PL_NONCE, os.urandom(32))])
                print("MM3 from %s: sent MM4" % peer[0], flush=True)
            s.sendto(st[3], peer)


def pcap_datagrams(path):
    """-> [(src, sport, dst, dport, payload)] of every UDP datagram in a pcap
    file, in capture order (Ethernet, Linux cooked v1/v2 link types; IPv4
    and IPv6 without extension headers; addresses as text, IPv6 as hex)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    link = struct.unpack(end + "I", data[20:24])[0]
    skip = {1: 14, 113: 16, 276: 20}.get(link)
    off, out = 24, []
    while skip is not None and off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = pkt[skip:]
        if len(ip) < 1:
            continue
        if ip[0] >> 4 == 4 and len(ip) >= 20 and ip[9] == 17:
            src, dst = ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20]))
            udp = ip[(ip[0] & 15) * 4:]
        elif ip[0] >> 4 == 6 and len(ip) >= 40 and ip[6] == 17:
            src, dst = ip[8:24].hex(), ip[24:40].hex()
            udp = ip[40:]
        else:
            continue
        if len(udp) >= 8:
            sport, dport = struct.unpack("!HH", udp[:4])
            out.append((src, sport, dst, dport, udp[8:]))
    return out


def pcap_udp(path):
    """-> [(dport, payload)] of every UDP datagram in a pcap file."""
    return [(dport, pl) for _s, _sp, _d, dport, pl in pcap_datagrams(path)]


def mm1check(path, os_name):
    """Checks that every Main Mode message 1 in the capture is exactly this
    Windows version's (PROFILES): transforms in order, vendor IDs in order.
    Prints one line per message; returns the number of mismatches, or 1 if
    there was no message 1 at all."""
    want_tr = [tname({1: e, 14: k, 2: h, 4: g}) for e, k, h, g in PROFILES[os_name][0]]
    want_vid = PROFILES[os_name][1]
    bad = seen = 0
    for dport, pl in pcap_udp(path):
        if dport == 4500:
            if pl[:4] != b"\0\0\0\0":
                continue
            pl = pl[4:]
        elif dport != 500:
            continue
        m = parse(pl)
        if m is None or m[2] != 2 or m[1] != bytes(8):
            continue
        seen += 1
        sa = [b for t, b in m[3] if t == 1]
        tr = [tname(a) for a in sa_transforms(sa[0])] if sa else []
        vids = [VID_NAME.get(b, b.hex()) for t, b in m[3] if t == 13]
        ok = tr == want_tr and vids == want_vid
        bad += not ok
        print("%s port %d: transforms %s; vendor IDs %s" % ("ok" if ok else "MISMATCH", dport,
              ",".join(tr), ",".join(vids)))
    if not seen:
        print("no Main Mode message 1 in %s" % path)
        return 1
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("probe")
    pp.add_argument("server")
    pp.add_argument("--os", choices=sorted(PROFILES), default="win10")
    pp.add_argument("--timeout", type=int, default=3000, help="per exchange, ms")
    pp.add_argument("--save", help="directory for mm1..mm4 and mm2_4500 as hex")
    sp = sub.add_parser("serve")
    sp.add_argument("--bind", default="0.0.0.0")
    sp.add_argument("--port", type=int, default=500)
    sp.add_argument("--no-natt", action="store_true")
    sp.add_argument("--ready", help="file created once the socket is bound")
    cp = sub.add_parser("mm1check", help="check the message 1s in a pcap against a profile")
    cp.add_argument("pcap")
    cp.add_argument("--os", choices=sorted(PROFILES), default="win10")
    a = ap.parse_args()
    if a.cmd == "mm1check":
        return 1 if mm1check(a.pcap, a.os) else 0
    if a.cmd == "serve":
        serve(a)
        return 0
    if a.save:
        os.makedirs(a.save, exist_ok=True)
    t0 = time.monotonic()
    res = probe(a.server, a.os, a.timeout / 1000.0, a.save)
    res["elapsed_ms"] = int((time.monotonic() - t0) * 1000)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
