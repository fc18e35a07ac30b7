#!/usr/bin/env python3
"""mmwire.py - what one Main Mode with the pre-shared key looked like on the
wire, from a capture taken in the lab's server namespace (tcpdump -w; read
by the lab's ikeprobe.pcap_datagrams).

  mmwire.py PCAP      prints one "name value" line per fact (below)
  mmwire.py --self-test

The exchange looked at is the one whose initiator cookie reached message 5
(exchange type 2, encrypted flag, from the client); failing that, the one
that reached message 3.  Facts:

  cookie   the initiator cookie (hex) of that exchange, or none
  group    the Diffie-Hellman group the server chose in message 2, or none
  mm3_ke   message 3's KE value: "real" (the group's length, not a value
           made without a private key: a power of two for MODP, the curve's
           generator for ECP), "trivial", "length N (want M)", "no-group",
           or none
  mm5      where message 5 went: "4500+marker" (UDP 4500 behind the 4-byte
           zero non-ESP marker), "4500-no-marker", "500", or none; with
           " msgid=N" when its message id is not 0
  mm5_port "new" (another source port than message 1's, neither 500 nor
           4500), "same", "new-but-500/4500", or none
  mm5_sport  message 5's source port as the server saw it, or none
  mm6      the server's encrypted answer: "from 4500+marker", "from 500"
           (to the port message 5 came from), or none
  qm       where the client's first encrypted Quick Mode message (exchange
           32) with the exchange's cookies went, or none
  delete   where the encrypted INFORMATIONALs (exchange 5) from the client
           with the exchange's cookies went: "4500+marker", "500", or none;
           " and PORT" when not all to one place
  deletes  how many of them (the ISAKMP SA's DELETE, and after Quick Mode
           the IPsec SA's)
  retrans  how many copies of message 5 the client sent (1 = no
           retransmission)
Standard library only (the lab's ikeprobe.py for ISAKMP parsing).
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))
import ikeprobe  # noqa: E402

ECP_G = {g: bytes.fromhex(v) for g, v in ikeprobe.ECP_G.items()}
KE_LEN = dict(ikeprobe.MODP_LEN)
KE_LEN.update({19: 64, 20: 96})


def isakmp(sport, dport, pl):
    """-> (marker, header dict, raw) for an ISAKMP message on 500/4500, or None."""
    marker = False
    if 4500 in (sport, dport):
        if len(pl) >= 4 and pl[:4] == b"\0\0\0\0":
            marker, pl = True, pl[4:]
        else:
            # ESP, unless it reads as a whole ISAKMP message sent without
            # the marker (a bug this should show).
            h = hdr(pl)
            ok = h is not None and pl[17] == 0x10 and h["length"] == len(pl)
            return (False, h, pl) if ok else None
    elif 500 not in (sport, dport):
        return None
    h = hdr(pl)
    return None if h is None else (marker, h, pl)


def hdr(pl):
    if len(pl) < 28:
        return None
    nxt, ver, exch, flags, msgid, length = struct.unpack("!BBBBII", pl[16:28])
    return {"icookie": pl[:8], "rcookie": pl[8:16], "next": nxt, "exch": exch,
            "flags": flags, "msgid": msgid, "length": length}


def where(port, marker):
    if port == 4500:
        return "4500+marker" if marker else "4500-no-marker"
    return str(port)


def analyse(pkts):
    msgs = []
    for src, sport, dst, dport, pl in pkts:
        r = isakmp(sport, dport, pl)
        if r is not None:
            msgs.append((src, sport, dst, dport) + r)
    # The server's side: where message 1s (responder cookie zero) went.
    server = {dst for src, sp, dst, dp, mk, h, raw in msgs
              if h["exch"] == 2 and h["rcookie"] == bytes(8) and dp in (500, 4500)}
    to_srv = [m for m in msgs if m[2] in server]
    from_srv = [m for m in msgs if m[0] in server]
    mm5 = [m for m in to_srv if m[5]["exch"] == 2 and m[5]["flags"] & 1]
    mm3 = [m for m in to_srv if m[5]["exch"] == 2 and not m[5]["flags"] & 1
           and m[5]["rcookie"] != bytes(8) and any(t == ikeprobe.PL_KE for t, _ in
                                                   (ikeprobe.parse(m[6]) or (0, 0, 0, []))[3])]
    pick = mm5 or mm3
    facts = {k: "none" for k in ("cookie", "group", "mm3_ke", "mm5", "mm5_port", "mm5_sport", "mm6",
                                 "qm", "delete")}
    facts["deletes"] = "0"
    facts["retrans"] = "0"
    if not pick:
        return facts
    ck = pick[0][5]["icookie"]
    facts["cookie"] = ck.hex()
    mine = lambda ms: [m for m in ms if m[5]["icookie"] == ck]  # noqa: E731
    mm1 = [m for m in mine(to_srv) if m[5]["exch"] == 2 and m[5]["rcookie"] == bytes(8)]
    mm2 = [m for m in mine(from_srv) if m[5]["exch"] == 2 and not m[5]["flags"] & 1]
    # message 3: KE of the group the server chose in message 2
    group = None
    for m in mm2:
        p = ikeprobe.parse(m[6])
        sa = [b for t, b in (p[3] if p else []) if t == ikeprobe.PL_SA]
        tr = ikeprobe.sa_transforms(sa[0]) if sa else []
        if tr:
            group = tr[0].get(4)
            facts["group"] = str(group)
            break
    for m in mine(mm3):
        p = ikeprobe.parse(m[6])
        ke = [b for t, b in p[3] if t == ikeprobe.PL_KE][0]
        if group not in KE_LEN:
            facts["mm3_ke"] = "no-group"
        elif len(ke) != KE_LEN[group]:
            facts["mm3_ke"] = "length %d (want %d)" % (len(ke), KE_LEN[group])
        elif group in ECP_G:
            facts["mm3_ke"] = "trivial" if ke == ECP_G[group] else "real"
        else:
            v = int.from_bytes(ke, "big")
            facts["mm3_ke"] = "trivial" if v & (v - 1) == 0 else "real"
        break
    m5 = mine(mm5)
    if m5:
        src, sport, dst, dport, mk, h, raw = m5[0]
        facts["mm5"] = where(dport, mk) + ("" if h["msgid"] == 0 else " msgid=%d" % h["msgid"])
        facts["retrans"] = str(len(m5))
        facts["mm5_sport"] = str(sport)
        if mm1:
            p1 = mm1[0][1]
            if sport == p1:
                facts["mm5_port"] = "same"
            elif sport in (500, 4500):
                facts["mm5_port"] = "new-but-500/4500"
            else:
                facts["mm5_port"] = "new"
        m6 = [m for m in mine(from_srv) if m[5]["exch"] == 2 and m[5]["flags"] & 1
              and m[3] == sport and m[1] == dport]
        if m6:
            facts["mm6"] = "from " + where(m6[0][1], m6[0][4])
    qm = [m for m in mine(to_srv) if m[5]["exch"] == 32 and m[5]["flags"] & 1]
    if qm:
        facts["qm"] = where(qm[0][3], qm[0][4])
    dl = [m for m in mine(to_srv) if m[5]["exch"] == 5 and m[5]["flags"] & 1]
    if dl:
        places = sorted({where(m[3], m[4]) for m in dl})
        facts["delete"] = " and ".join(places)
        facts["deletes"] = str(len(dl))
    return facts


def self_test():
    """A synthetic capture (Ethernet): message 1..6 with NAT, then DELETE."""
    import tempfile
    ck, rk = b"\x11" * 8, b"\x22" * 8

    def ike(icookie, rcookie, exch, flags, items=(), msgid=0, raw_body=b""):
        body = ikeprobe.chain(list(items)) if items else raw_body
        first = items[0][0] if items else (8 if flags & 1 else 0)
        return icookie + rcookie + struct.pack("!BBBBII", first, 0x10, exch, flags, msgid,
                                               28 + len(body)) + body

    def frame(src, sport, dst, dport, pl):
        udp = struct.pack("!HHHH", sport, dport, 8 + len(pl), 0) + pl
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
        eth = b"\0" * 12 + b"\x08\x00"
        return eth + ip + udp

    sa = ikeprobe.sa_payload([(7, 256, 2, 14)])
    ke = (3 << 700).to_bytes(256, "big")
    C, S = "198.18.0.2", "198.19.10.2"
    pkts = [
        frame(C, 40000, S, 500, ike(ck, bytes(8), 2, 0, [(1, sa)])),
        frame(S, 500, C, 40000, ike(ck, rk, 2, 0, [(1, sa)])),
        frame(C, 40000, S, 500, ike(ck, rk, 2, 0, [(4, ke), (10, b"n" * 32)])),
        frame(S, 500, C, 40000, ike(ck, rk, 2, 0, [(4, ke), (10, b"n" * 32)])),
        frame(C, 40001, S, 4500, b"\0" * 4 + ike(ck, rk, 2, 1, raw_body=b"x" * 48)),
        frame(S, 4500, C, 40001, b"\0" * 4 + ike(ck, rk, 2, 1, raw_body=b"y" * 48)),
        frame(C, 40001, S, 4500, b"\0" * 4 + ike(ck, rk, 5, 1, raw_body=b"z" * 48, msgid=7)),
    ]
    hdr_ = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    recs = b"".join(struct.pack("<IIII", 0, 0, len(p), len(p)) + p for p in pkts)
    with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
        f.write(hdr_ + recs)
    try:
        got = analyse(ikeprobe.pcap_datagrams(f.name))
    finally:
        os.unlink(f.name)
    want = {"cookie": ck.hex(), "group": "14", "mm3_ke": "real", "mm5": "4500+marker", "mm5_port": "new",
            "mm5_sport": "40001", "mm6": "from 4500+marker", "qm": "none", "delete": "4500+marker",
            "deletes": "1", "retrans": "1"}
    if got != want:
        print("self-test FAILED:\n  want %s\n  got  %s" % (want, got))
        return 1
    print("self-test ok")
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    for k, v in analyse(ikeprobe.pcap_datagrams(sys.argv[1])).items():
        print("%s %s" % (k, v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
