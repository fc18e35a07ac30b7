#!/usr/bin/env python3
"""hostile_responder.py - an IKEv1 "server" that misbehaves, for the lab's
hostile-network tests (tests/integration/hostile.sh).

  hostile_responder.py MODE [--addr 198.19.0.2] [--spoof 198.19.0.3]
                            [--delay S] [--ready FILE] [--seed N]

Listens on ADDR, UDP 500 and UDP 4500 (non-ESP marker), and answers every
IKE message that looks like nattcheck's message 1 or 3 the way MODE says:

  good             a correct responder with NAT-T: MM2 (RFC 3947 + draft VIDs),
                   MM4 with correct NAT-D (the control: facts must be real)
  truncated        the first 20 and 27 bytes of a correct MM2 (short header)
  overrun-header   MM2 whose header length is 100 bytes more than the datagram
  overrun-payload  MM2 whose SA payload length runs 50 bytes past the end
  zero-length      MM2s with a payload of length 0, of length 2, and a first
                   payload of length 0
  long-chain       MM2 and MM4 each with 900 empty vendor-ID payloads (valid)
  wrong-cookie     MM2 and a NO-PROPOSAL-CHOSEN notify with a wrong initiator
                   cookie, MM2 with a zero responder cookie
  wrong-cookie-mm4 a correct MM2; MM4s with a wrong initiator cookie, a wrong
                   responder cookie, a nonzero message ID, all with NAT-D
                   hashes saying "both behind NAT"
  random           random datagrams, half of them starting with the right
                   initiator cookie and a plausible ISAKMP header
  bad-transform    MM2 choosing a DH group and hash nobody offered (99)
  oversized        a 9000- and a 65000-byte MM2 (right cookies), then a correct
                   MM2; the same for MM4
  spoofed          correct-looking MM2/MM4 (NAT-D saying "behind NAT") sent
                   from --spoof (another lab address) port 500 and from ADDR
                   port 501; the real ADDR:500 never answers
  twice-late       a correct responder that sends every answer twice, after
                   --delay seconds (default 0.7)
  mm1-only         a correct MM2 on 500 and 4500, never an MM4
  flood            150 junk datagrams (right initiator cookie, bad payloads)
                   before each correct MM2 / MM4
  many-natd        a correct exchange whose MM4 carries 10 NAT-D payloads: ours,
                   8 for other server addresses, then the server's own (RFC
                   3947 3.2: one per responder address; any may match)

Lab addresses only (198.18.0.0/15, 2001:2::/48).  Logs one line per received
message and a summary on SIGTERM.  Uses ikeprobe.py's message builders.
"""

import argparse
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ikeprobe import (EX_INFO, EX_MAIN, HASH, MODP_LEN, PL_KE, PL_N,  # noqa: E402
                      PL_NATD, PL_NATD_DRAFT, PL_NONCE, PL_SA, PL_VID, VID,
                      header, ke_value, message, natd_hash, parse, sa_payload,
                      sa_transforms)

MODES = ["good", "truncated", "overrun-header", "overrun-payload", "zero-length",
         "long-chain", "wrong-cookie", "wrong-cookie-mm4", "random", "bad-transform",
         "oversized", "spoofed", "twice-late", "mm1-only", "flood", "many-natd"]
MARKER = b"\0\0\0\0"
NATT_VIDS = [(PL_VID, bytes.fromhex(VID["rfc3947"])), (PL_VID, bytes.fromhex(VID["draft-02n"]))]


def lab_only(addr):
    import ipaddress
    a = ipaddress.ip_address(addr)
    ok = a in ipaddress.ip_network("198.18.0.0/15") or a in ipaddress.ip_network("2001:2::/48")
    if not ok:
        sys.exit("hostile_responder: %s is not a lab address" % addr)


class Responder:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.state = {}          # cki -> dict(ckr, pick, ...)
        self.timers = []         # (when, seq, sock, data, peer)
        self.seq = 0
        self.stats = {"mm1": 0, "mm3": 0, "other": 0, "sent": 0}
        fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
        self.s500 = self._sock(fam, a.addr, 500)
        self.s4500 = self._sock(fam, a.addr, 4500)
        self.spoof = []
        if a.mode == "spoofed":
            self.spoof = [self._sock(fam, a.spoof, 500), self._sock(fam, a.addr, 501),
                          self._sock(fam, a.spoof, 4500), self._sock(fam, a.addr, 4501)]

    @staticmethod
    def _sock(fam, addr, port):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        s.bind((addr, port))
        return s

    def log(self, *args):
        print(*args, flush=True)

    # -- sending ---------------------------------------------------------
    def send(self, sock, data, peer, delay=0.0):
        if delay > 0:
            self.seq += 1
            heapq.heappush(self.timers, (time.monotonic() + delay, self.seq, sock, data, peer))
            return
        try:
            sock.sendto(data, peer)
            self.stats["sent"] += 1
        except OSError as e:
            self.log("send %d bytes to %s: %s" % (len(data), peer, e))

    def reply(self, sock, marker, data_list, peer, delay=0.0):
        for d in data_list:
            self.send(sock, marker + d, peer, delay)

    # -- correct messages -------------------------------------------------
    def st_for(self, cki, items):
        st = self.state.get(cki)
        if st is None:
            trs = sa_transforms(dict(items)[PL_SA])
            pick = next((t for t in trs if t.get(4) in MODP_LEN), None) or (trs[0] if trs else None)
            if pick is None:
                return None
            st = self.state[cki] = {"ckr": os.urandom(8), "pick": pick}
        return st

    def mm2(self, cki, st, extra=None, ckr=None):
        p = st["pick"]
        t = (p.get(1), p.get(14, 0), p.get(2), p.get(4))
        items = [(PL_SA, sa_payload([t]))] + (extra or []) + NATT_VIDS
        return message(cki, st["ckr"] if ckr is None else ckr, EX_MAIN, items)

    def junk(self, cki, n):
        """n datagrams with our cookie and a header, then a bad payload chain."""
        out = []
        for _ in range(n):
            body = bytes(self.rng.getrandbits(8) for _ in range(40))
            out.append(header(cki, os.urandom(8), PL_SA, EX_MAIN, 28 + len(body) + 8) + body)
        return out

    def mm4(self, cki, st, peer, natd_type, lie=False, extra=None, ckr=None, msgid=0,
            others=0):
        p = st["pick"]
        hfun = HASH.get(p.get(2), (None, None))[1]
        items = [(PL_KE, ke_value(p.get(4))), (PL_NONCE, os.urandom(32))] + (extra or [])
        if natd_type and hfun:
            if lie:
                items += [(natd_type, os.urandom(len(hfun().digest()))),
                          (natd_type, os.urandom(len(hfun().digest())))]
            else:
                ip, port = peer[0], peer[1]
                items += [(natd_type, natd_hash(hfun, cki, st["ckr"], ip, port))]
                items += [(natd_type, os.urandom(len(hfun().digest()))) for _ in range(others)]
                items += [(natd_type, natd_hash(hfun, cki, st["ckr"], self.a.addr, 500))]
        msg = message(cki, st["ckr"] if ckr is None else ckr, EX_MAIN, items)
        if msgid:
            msg = msg[:20] + struct.pack("!I", msgid) + msg[24:]
        return msg

    # -- the modes --------------------------------------------------------
    def on_mm1(self, sock, marker, peer, cki, items):
        m = self.a.mode
        st = self.st_for(cki, items)
        if st is None:
            return
        good = self.mm2(cki, st)
        r = self.rng
        if m in ("good", "mm1-only", "wrong-cookie-mm4", "many-natd"):
            out = [good]
        elif m == "flood":
            out = self.junk(cki, 150) + [good]
        elif m == "twice-late":
            self.reply(sock, marker, [good, good], peer, self.a.delay)
            return
        elif m == "truncated":
            out = [good[:20], good[:27]]
        elif m == "overrun-header":
            out = [good[:24] + struct.pack("!I", len(good) + 100) + good[28:]]
        elif m == "overrun-payload":
            # SA is the first payload, at offset 28; its length at 30.
            sa_len = struct.unpack("!H", good[30:32])[0]
            bad = bytearray(good)
            struct.pack_into("!H", bad, 30, len(good) - 28 + 50)
            out = [bytes(bad), good[:28 + sa_len]]  # also: chain cut short
            bad2 = bytearray(good[:28 + sa_len])
            bad2[28] = PL_VID  # SA says a VID follows; none does
            struct.pack_into("!I", bad2, 24, len(bad2))
            out.append(bytes(bad2))
        elif m == "zero-length":
            out = []
            for plen in (0, 2):
                msg = self.mm2(cki, st, extra=[(PL_VID, b"")])
                b = bytearray(msg)
                # the empty VID right after the SA payload
                off = 28 + struct.unpack("!H", msg[30:32])[0]
                struct.pack_into("!H", b, off + 2, plen)
                out.append(bytes(b))
            b = bytearray(good)
            struct.pack_into("!H", b, 30, 0)
            out.append(bytes(b))
        elif m == "long-chain":
            out = [self.mm2(cki, st, extra=[(PL_VID, b"")] * 900)]
        elif m == "wrong-cookie":
            wrong = bytes([cki[0] ^ 1]) + cki[1:]
            notify = struct.pack("!IBBH", 1, 1, 0, 14)  # DOI, ISAKMP, no SPI, NO-PROPOSAL-CHOSEN
            out = [self.mm2(wrong, st), self.mm2(os.urandom(8), st),
                   message(wrong, b"\0" * 8, EX_INFO, [(PL_N, notify)]),
                   self.mm2(cki, st, ckr=b"\0" * 8)]
        elif m == "random":
            out = []
            for i in range(8):
                n = r.randint(1, 1400)
                body = bytes(r.getrandbits(8) for _ in range(n))
                if i % 2:
                    plen = max(28, n + 28)
                    hdr = header(cki, os.urandom(8), r.choice([1, 4, 10, 11, 13, 20]),
                                 r.choice([EX_MAIN, EX_INFO]), plen)
                    body = hdr + body
                out.append(body)
        elif m == "bad-transform":
            bad = dict(st["pick"])
            bad[4], bad[2] = 99, 99
            t = (bad.get(1), bad.get(14, 0), 99, 99)
            out = [message(cki, st["ckr"], EX_MAIN, [(PL_SA, sa_payload([t]))] + NATT_VIDS)]
        elif m == "oversized":
            out = [self.mm2(cki, st, extra=[(PL_VID, os.urandom(size))]) for size in (9000, 65000)]
            out.append(good)
        elif m == "spoofed":
            for s in self.spoof[:2] if sock is self.s500 else self.spoof[2:]:
                self.reply(s, marker, [good], peer)
            return
        else:
            return
        self.reply(sock, marker, out, peer)

    def on_mm3(self, sock, marker, peer, cki, items):
        m = self.a.mode
        st = self.state[cki]
        ntypes = [t for t, _ in items if t in (PL_NATD, PL_NATD_DRAFT)]
        nt = ntypes[0] if ntypes else None
        good = self.mm4(cki, st, peer, nt)
        if m in ("good", "long-chain", "oversized"):
            out = [good]
            if m == "long-chain":
                out = [self.mm4(cki, st, peer, nt, extra=[(PL_VID, b"")] * 900)]
            if m == "oversized":
                out = [self.mm4(cki, st, peer, nt, extra=[(PL_VID, os.urandom(n))])
                       for n in (9000, 65000)] + [good]
        elif m == "twice-late":
            self.reply(sock, marker, [good, good], peer, self.a.delay)
            return
        elif m == "flood":
            out = self.junk(cki, 150) + [good]
        elif m == "many-natd":
            out = [self.mm4(cki, st, peer, nt, others=8)]
        elif m == "wrong-cookie-mm4":
            wrong = bytes([cki[0] ^ 1]) + cki[1:]
            out = [self.mm4(wrong, st, peer, nt, lie=True),
                   self.mm4(cki, st, peer, nt, lie=True, ckr=os.urandom(8)),
                   self.mm4(cki, st, peer, nt, lie=True, msgid=0x12345678)]
        elif m == "spoofed":
            for s in self.spoof[:2]:
                self.reply(s, marker, [self.mm4(cki, st, peer, nt, lie=True)], peer)
            return
        else:  # mm1-only and the junk modes never get here legitimately
            return
        self.reply(sock, marker, out, peer)

    def on_datagram(self, sock, raw, peer):
        marker = b""
        if sock is self.s4500:
            if raw[:4] != MARKER:
                return
            marker, raw = MARKER, raw[4:]
        p = parse(raw)
        if not p or p[2] != EX_MAIN:
            self.stats["other"] += 1
            return
        cki, ckr, _exch, items = p
        types = [t for t, _ in items]
        port = 4500 if marker else 500
        if ckr == b"\0" * 8 and PL_SA in types:
            self.stats["mm1"] += 1
            self.log("MM1 on %d from %s:%d" % (port, peer[0], peer[1]))
            self.on_mm1(sock, marker, peer, cki, items)
        elif cki in self.state and ckr == self.state[cki]["ckr"] and PL_KE in types:
            self.stats["mm3"] += 1
            self.log("MM3 on %d from %s:%d" % (port, peer[0], peer[1]))
            self.on_mm3(sock, marker, peer, cki, items)
        else:
            self.stats["other"] += 1

    def run(self):
        socks = [self.s500, self.s4500] + self.spoof
        while True:
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _w, _q, s, d, peer = heapq.heappop(self.timers)
                self.send(s, d, peer)
            wait = max(0.0, self.timers[0][0] - now) if self.timers else 1.0
            r, _, _ = select.select(socks, [], [], wait)
            for s in r:
                try:
                    raw, peer = s.recvfrom(65535)
                except OSError:
                    continue
                if s in (self.s500, self.s4500):
                    self.on_datagram(s, raw, peer)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=MODES)
    ap.add_argument("--addr", default="198.19.0.2")
    ap.add_argument("--spoof", default="198.19.0.3")
    ap.add_argument("--delay", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--ready")
    a = ap.parse_args()
    lab_only(a.addr)
    lab_only(a.spoof)
    resp = Responder(a)

    def bye(*_):
        print("summary: %s" % " ".join("%s=%d" % kv for kv in sorted(resp.stats.items())),
              flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)
    print("hostile responder %s on %s (500, 4500)" % (a.mode, a.addr), flush=True)
    if a.ready:
        open(a.ready, "w").close()
    resp.run()


if __name__ == "__main__":
    main()
