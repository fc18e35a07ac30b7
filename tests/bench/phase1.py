#!/usr/bin/env python3
"""phase1.py WORKDIR - the raw data of tests/bench/phase1.sh into the
"phase1-bench" section of RESULTS.md (to standard output; phase1.sh hands it
to put_section.py).

Reads WORKDIR/meta.tsv, runs.tsv (tag, mode, t0_ns, t1_ns, rc), the JSON of
every run (out/TAG.json), relay.tsv and the client-side captures
(SCENARIO.pcap, nanosecond timestamps, same clock as t0/t1).

Per run, from the capture (packets within [t0, t1]): the run's exchange is
the one whose initiator cookie is that of the first message 1 the client sent
to UDP 500 (the parallel message 1 on UDP 4500 has a cookie of its own; after
the move to UDP 4500 the exchange keeps its cookie).  In it, from the server:
message 2 (exchange 2, clear, first payload SA), message 4 (exchange 2,
clear, first payload KE), message 6 (the first exchange-2 packet with the
encryption flag), Quick Mode message 2 (the first exchange-32 packet); from
the client: message 3, message 5 (exchange 2, encrypted), Quick Mode message
1 (exchange 32), the DELETEs (exchange 5).  Bare exchange = from message 1
sent to message 6 / Quick Mode message 2 / message 4 received."""
import json
import os
import statistics
import struct
import sys
from collections import defaultdict

W = sys.argv[1]


def tsv(name):
    p = os.path.join(W, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


meta, scen = {}, {}
walls = {}
for r in tsv("meta.tsv"):
    if r[0] == "scenario":
        scen[r[1]] = dict(addr=r[2], sbn=r[3], verdict=r[4])
    elif r[0] == "wall":
        walls[r[1]] = int(r[2])
    else:
        meta[r[0]] = r[1] if len(r) > 1 else ""
RTTS = [int(x) for x in meta.get("rtts", "").split()]
SCEN = [s for s in meta.get("scenarios", "").split() if s in scen]


def read_pcap(path):
    """[(ts_ns, src, dst, sport, dport, isakmp)] of IPv4 UDP to or from
    port 500/4500 carrying ISAKMP; isakmp = (icookie, rzero, np, exch, flags)."""
    out = []
    if not os.path.exists(path):
        return out
    data = open(path, "rb").read()
    if len(data) < 24:
        return out
    nano = struct.unpack("<I", data[:4])[0] == 0xA1B23C4D
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 42 or pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        if ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        src = ".".join(str(b) for b in ip[12:16])
        dst = ".".join(str(b) for b in ip[16:20])
        udp = ip[ihl:]
        sport, dport = struct.unpack("!HH", udp[:4])
        if not {sport, dport} & {500, 4500}:
            continue
        pl = udp[8:]
        if 4500 in (sport, dport):
            if pl[:4] != b"\0\0\0\0":
                continue  # ESP or a NAT keepalive
            pl = pl[4:]
        if len(pl) < 28:
            continue
        ts = sec * 1_000_000_000 + (frac if nano else frac * 1000)
        out.append((ts, src, dst, sport, dport,
                    (pl[0:8], pl[8:16] == b"\0" * 8, pl[16], pl[18], pl[19])))
    return out


def wire(pkts, t0, t1, server):
    """Times (ns) of one run's exchange, or {} when no message 1 was seen."""
    w = {}
    ic = None
    n = defaultdict(int)
    for ts, src, dst, sport, dport, (icookie, rzero, np_, exch, flags) in pkts:
        if ts < t0 or ts > t1:
            continue
        out = dst == server
        if not out and src != server:
            continue
        if ic is None:
            if out and dport == 500 and exch == 2 and rzero and not flags & 1:
                ic = icookie
                w["mm1"] = ts
            continue
        if icookie != ic:
            continue
        enc = flags & 1
        if out:
            k = {2: "mm5" if enc else ("mm3" if np_ == 4 else "mm1x"), 32: "qm1", 5: "del"}.get(exch)
        else:
            k = {2: "mm6" if enc else ("mm2" if np_ == 1 else "mm4" if np_ == 4 else "mm?"),
                 32: "qm2", 5: "notify"}.get(exch)
        if k is None:
            continue
        n[k] += 1
        if k in ("mm3", "mm5", "qm1") and k in w and k + "_copy" not in w:
            w[k + "_copy"] = ts
        if k == "mm1x" and "mm1_copy" not in w:
            w["mm1_copy"] = ts
        if k == "del":
            w["del_last"] = ts
        if k not in w:
            w[k] = ts
            if k in ("mm5", "qm1"):
                w[k + "_port"] = dport
    w["n"] = dict(n)
    return w


pcaps = {sc: read_pcap(os.path.join(W, sc + ".pcap")) for sc in SCEN}
# R[(sc, rtt, mode)][field] = [values]
R = defaultdict(lambda: defaultdict(list))
bad = []
for tag, mode, t0, t1, rc in tsv("runs.tsv"):
    sc, rtt = tag.split(".")[0], int(tag.split(".")[1])
    if sc not in scen:
        continue
    r = R[(sc, rtt, mode)]
    t0, t1 = int(t0), int(t1)
    try:
        s = json.load(open(os.path.join(W, "out", tag + ".json")))["servers"][0]
    except (OSError, ValueError, KeyError, IndexError):
        bad.append("%s: no JSON (exit %s)" % (tag, rc))
        continue
    ok = s.get("verdict") == scen[sc]["verdict"]
    if mode == "key":
        ok = ok and s.get("phase1") == "complete" and s.get("phase2") == "accepted"
    if not ok:
        bad.append("%s: %s, phase1 %s, phase2 %s" % (tag, s.get("verdict"), s.get("phase1"),
                                                     s.get("phase2")))
        r["wrong"].append(tag)
        continue
    el = s["elapsed_ms"]
    r["exe"].append(el)
    r["wall"].append((t1 - t0) / 1e6)
    r["resent"].append(s.get("resent") or 0)
    if mode == "key":
        r["port"].append(s.get("phase1_port"))
        r["esp"].append(s.get("phase2_esp"))
    r["over"].append(el - (4 if mode == "key" else 2) * rtt)
    w = wire(pcaps[sc], t0, t1, scen[sc]["addr"])
    if not w.get("mm1"):
        r["nowire"].append(tag)
        continue
    ms = lambda a, b: (w[b] - w[a]) / 1e6
    for k in ("mm1", "mm3", "mm5", "qm1"):
        if w.get(k + "_copy"):
            r["gap"].append(ms(k, k + "_copy"))
    if mode == "key":
        if w.get("mm6") and w.get("qm2"):
            r["b6"].append(ms("mm1", "mm6"))
            r["bq"].append(ms("mm1", "qm2"))
            r["exe_bare"].append(el - ms("mm1", "qm2"))
            for a, b, k in (("mm2", "mm3", "t3"), ("mm4", "mm5", "t5"), ("mm6", "qm1", "tq"),
                            ("qm2", "del_last", "td"), ("mm1", "mm2", "rt1"), ("mm3", "mm4", "rt2"),
                            ("mm5", "mm6", "rt3"), ("qm1", "qm2", "rt4")):
                if w.get(a) and w.get(b):
                    r[k].append(ms(a, b) - (rtt if k.startswith("rt") else 0))
            r["copies"].append(sum(w["n"].get(k, 0) for k in ("mm1x", "mm3", "mm5", "qm1")) - 3)
            r["qm_port"].append(w.get("qm1_port"))
            r["mm5_port"].append(w.get("mm5_port"))
        else:
            r["nowire"].append(tag)
    else:
        if w.get("mm4"):
            r["b4"].append(ms("mm1", "mm4"))
            r["exe_bare"].append(el - ms("mm1", "mm4"))
            for a, b, k in (("mm2", "mm3", "t3"), ("mm1", "mm2", "rt1"), ("mm3", "mm4", "rt2")):
                if w.get(a) and w.get(b):
                    r[k].append(ms(a, b) - (rtt if k.startswith("rt") else 0))
            r["copies"].append(sum(w["n"].get(k, 0) for k in ("mm1x", "mm3")) - 1)
        else:
            r["nowire"].append(tag)


def med(x):
    return statistics.median(x) if x else None


def mm(x, fmt="%.0f"):
    """median / min"""
    if not x:
        return "–"
    return (fmt + " / " + fmt) % (med(x), min(x))


def f(x, fmt="%.0f"):
    return "–" if x is None else fmt % x


def again(r):
    """extra copies on the wire per run (the exe's resent), medians"""
    if not r["copies"]:
        return "–"
    return "%s (%s)" % (f(med(r["copies"]), "%g"), f(med(r["resent"]), "%g"))


def one(xs):
    xs = sorted({x for x in xs if x is not None})
    return "/".join(str(x) for x in xs) if xs else "–"


s = []
p = s.append
p("<!-- phase1-bench begin -->")
p("## With the key: Main Mode and Quick Mode against the round trips (issues 13 and 16)")
p("")
p("`tests/bench/phase1.sh` (run by `make bench`, alone: `make bench-phase1`), analysed by "
  "`tests/bench/phase1.py`. The real x86_64 exe under Wine (win10 prefix, its own "
  "wineserver in the client namespace) against the lab's charon, the client link "
  "through the bench relay (`relay.c`: fixed one-way delay RTT/2, no loss), "
  "`check 198.19.0.2 --json` with the key (`--psk-file`, the lab's key `LAB_PSK`) and "
  "without it, the two interleaved run by run (their order turning), after one untimed "
  "run. With the key one check is Main Mode in 3 round trips (messages 1–2, 3–4, 5–6) "
  "and Quick Mode in 1 (QM 1–2); the DELETEs of the IPsec SA and of the ISAKMP SA after "
  "it are fire-and-forget. Without the key it is messages 1–4: 2 round trips (message 1 "
  "to UDP 4500 goes out in parallel). In `server-nat` message 5 and Quick Mode go to UDP "
  "4500.")
p("")
p("- **exe**: `elapsed_ms` from the exe's JSON (the probe's own clock, from its start "
  "to the verdict; Wine's start-up is not in it).")
p("- **bare**: from the client-side capture (tcpdump in the client namespace, "
  "nanosecond stamps), from the first message 1 sent to message 6 received (the first "
  "encrypted exchange-2 packet from the server), to Quick Mode message 2 received "
  "(exchange 32 from the server) and, without the key, to message 4 received: the "
  "network's round trips plus the server's and the client's turnarounds.")
p("- **overhead**: exe − 4×RTT with the key, exe − 2×RTT without; *exe − bare* is what "
  "the exe adds beyond its own exchange (before message 1 and after the last answer).")
p("- Figures are median / min over the runs with the expected answer "
  "(with the key: `phase1: complete`, `phase2: accepted`; the scenario's verdict).")
p("")
p("| | |")
p("|---|---|")
p("| date | %s (run started %s) |" % (meta.get("date", "?"), meta.get("started", "?")))
p("| machine | %s CPUs (nproc), %s, %s |" % (meta.get("cpus", "?"), meta.get("cpu", "?"),
                                              meta.get("kernel", "?")))
p("| load average (1/5/15 min) | start %s, end %s (not waited for: other jobs ran on the "
  "machine) |" % (meta.get("load_start", "?"), meta.get("load_end", "?")))
p("| Wine | %s |" % meta.get("wine", "?"))
p("| exe | `%s` (sha256 %s…)%s; HEAD at the start: %s |" % (
    meta.get("exe", "?"), meta.get("exe_sha256", "?"),
    ", " + meta["exe_note"] if meta.get("exe_note") else "", meta.get("head", "?")))
p("| runs | %s per scenario, RTT and mode |" % meta.get("runs", "?"))
p("| wall time | Wine template %.0f s; %s |" % (
    walls.get("template", 0) / 1000,
    ", ".join("%s %.0f s" % (sc, walls.get(sc, 0) / 1000) for sc in SCEN)))
p("")

summary = {}
for sc in SCEN:
    p("### %s (server at %s%s)" % (sc, scen[sc]["addr"],
                                   ", behind NAT" if scen[sc]["sbn"] == "true" else ""))
    p("")
    p("With the key, ms (median / min):")
    p("")
    p("| RTT | runs | exe | bare to msg 6 | 3×RTT | bare to QM 2 | 4×RTT | exe − 4×RTT | "
      "exe − bare | sent again (`resent`) |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rtt in RTTS:
        r = R[(sc, rtt, "key")]
        p("| %d | %d | %s | %s | %d | %s | %d | %s | %s | %s |" % (
            rtt, len(r["exe"]), mm(r["exe"]), mm(r["b6"], "%.1f"), 3 * rtt,
            mm(r["bq"], "%.1f"), 4 * rtt, mm(r["over"]), mm(r["exe_bare"], "%.1f"),
            again(r)))
    p("")
    p("Without the key, and what the key adds, ms (median / min):")
    p("")
    p("| RTT | runs | exe | bare to msg 4 | 2×RTT | exe − 2×RTT | exe − bare | "
      "sent again (`resent`) | key − no key (exe, medians) | of which 2×RTT |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rtt in RTTS:
        r, k = R[(sc, rtt, "nokey")], R[(sc, rtt, "key")]
        d = med(k["exe"]) - med(r["exe"]) if k["exe"] and r["exe"] else None
        summary[(sc, rtt)] = d
        p("| %d | %d | %s | %s | %d | %s | %s | %s | %s | %d |" % (
            rtt, len(r["exe"]), mm(r["exe"]), mm(r["b4"], "%.1f"), 2 * rtt, mm(r["over"]),
            mm(r["exe_bare"], "%.1f"), again(r), f(d), 2 * rtt))
    p("")
    # where the client's time goes (all RTTs pooled)
    K = defaultdict(list)
    N = defaultdict(list)
    for rtt in RTTS:
        for key in ("t3", "t5", "tq", "td", "exe_bare", "wall", "exe", "copies", "resent",
                    "port", "esp", "qm_port", "mm5_port", "rt1", "rt2", "rt3", "rt4"):
            K[key] += R[(sc, rtt, "key")][key]
        for key in ("t3", "exe_bare", "wall", "exe", "copies", "resent", "rt1", "rt2"):
            N[key] += R[(sc, rtt, "nokey")][key]
    wine_k = [a - b for a, b in zip(K["wall"], K["exe"])]
    wine_n = [a - b for a, b in zip(N["wall"], N["exe"])]
    p("Where the time goes, all RTTs pooled, ms (median / min). Each round trip on the wire "
      "(request sent → answer received, minus the RTT: the server's turnaround and the "
      "relay's lateness): with the key MM 1–2 %s, MM 3–4 %s, MM 5–6 %s, QM 1–2 %s; "
      "without MM 1–2 %s, MM 3–4 %s. The client's turnarounds (answer received → next "
      "message sent): with the key message 2 → 3 %s (Diffie-Hellman key pair), message "
      "4 → 5 %s (shared secret, SKEYID, encryption), message 6 → QM 1 %s, QM 2 → last "
      "DELETE %s (fire-and-forget); without the key message 2 → 3 %s. Outside the "
      "exchange (exe − bare: before message 1, and after the last answer, the DELETEs "
      "included): %s with the key, %s without. Wine's start and exit (wall − exe, not in any column above): %s with "
      "the key, %s without." % (
          mm(K["rt1"], "%.1f"), mm(K["rt2"], "%.1f"), mm(K["rt3"], "%.1f"),
          mm(K["rt4"], "%.1f"), mm(N["rt1"], "%.1f"), mm(N["rt2"], "%.1f"),
          mm(K["t3"], "%.1f"), mm(K["t5"], "%.1f"), mm(K["tq"], "%.1f"),
          mm(K["td"], "%.1f"), mm(N["t3"], "%.1f"), mm(K["exe_bare"], "%.1f"),
          mm(N["exe_bare"], "%.1f"), mm(wine_k), mm(wine_n)))
    p("")
    p("Message 5 went to UDP %s, Quick Mode to UDP %s; Quick Mode's answer: %s. Copies "
      "sent again: %d with the key, %d without (the exe's `resent`: %d, %d)." % (
          one(K["mm5_port"]), one(K["qm_port"]), one(K["esp"]),
          sum(K["copies"]), sum(N["copies"]),
          sum(K["resent"]), sum(N["resent"])))
    p("")
    summary[sc] = dict(t3=med(K["t3"]), t5=med(K["t5"]), tq=med(K["tq"]),
                       kb=med(K["exe_bare"]), nb=med(N["exe_bare"]), nt3=med(N["t3"]),
                       rt=[med(K[k]) for k in ("rt1", "rt2", "rt3", "rt4")],
                       copies=sum(K["copies"]) + sum(N["copies"]))

lat = [r for r in tsv("relay.tsv")]
if lat:
    means = [float(x[2].split("late_mean_us ")[1].split()[0]) for x in lat]
    maxes = [float(x[2].split("late_max_us ")[1].split()[0]) for x in lat]
    p("The relay's lateness (sent − due): worst per-condition mean %.0f µs, worst single "
      "frame %.1f ms." % (max(means), max(maxes) / 1000))
    p("")
if bad:
    p("Runs left out (unexpected answer or no JSON): " + "; ".join(bad) + ".")
    p("")

# the reading, from the figures
p("**Reading.**")
p("")
late_mean = max(means) / 1000 if lat else None
for sc in SCEN:
    ks = [(rtt, R[(sc, rtt, "key")]) for rtt in RTTS if R[(sc, rtt, "key")]["exe"]]
    ns = [(rtt, R[(sc, rtt, "nokey")]) for rtt in RTTS if R[(sc, rtt, "nokey")]["exe"]]
    if not ks or not ns:
        continue
    ko = [med(r["over"]) for _, r in ks]
    no = [med(r["over"]) for _, r in ns]
    bq = [med(r["bq"]) - 4 * rtt for rtt, r in ks if r["bq"]]
    d = [summary[(sc, rtt)] - 2 * rtt for rtt in RTTS if summary.get((sc, rtt)) is not None]
    sm = summary[sc]
    share = ["%d ms: %.0f %%" % (rtt, 100 * med(r["over"]) / med(r["exe"])) for rtt, r in ks]
    rt = sum(x for x in sm["rt"] if x is not None)
    turn = sum(x for x in (sm["t3"], sm["t5"], sm["tq"]) if x is not None)
    p("- `%s`: with the key the exe is done at 4×RTT + %s–%s ms (medians, over the RTTs), "
      "the wire's exchange alone at 4×RTT + %s–%s ms (Quick Mode message 2 received); "
      "without the key at 2×RTT + %s–%s ms. The key path costs 2 more round trips plus "
      "%s–%s ms. Of the ~%s ms over 4×RTT (median, pooled), about %.0f ms are the four round "
      "trips' excess (server turnaround and relay lateness), %.0f ms the client's "
      "turnarounds (message 2 → 3 %s, 4 → 5 %s, 6 → QM 1 %s) and %s ms before message 1 "
      "and after the last answer. exe − 4×RTT as a share of the exe's time: %s." % (
          sc, f(min(ko)), f(max(ko)), f(min(bq), "%.1f") if bq else "–",
          f(max(bq), "%.1f") if bq else "–", f(min(no)), f(max(no)),
          f(min(d)) if d else "–", f(max(d)) if d else "–",
          f(med([x for _, r in ks for x in r["over"]])), rt, turn, f(sm["t3"], "%.1f"),
          f(sm["t5"], "%.1f"), f(sm["tq"], "%.1f"), f(sm["kb"], "%.1f"), ", ".join(share)))
resend = [(sc, rtt) for sc in SCEN for rtt in RTTS
          for mode in ("key", "nokey") if sum(R[(sc, rtt, mode)]["copies"]) > 0]
gaps = [x for k, r in R.items() for x in r["gap"]]
if not resend:
    p("- Without loss nothing was sent twice: no retransmission timer is in these "
      "figures. The DELETEs go out after Quick Mode message 2 and add no wait.")
else:
    rt_again = sorted({rtt for _, rtt in resend})
    p("- No frame was lost, yet at RTT %s ms the exe sent messages again: its first "
      "copy goes out %s ms (median, min %s, from the capture; `src/probe.c`: 250 ms, then "
      "×1.5) after a message, before an "
      "answer can be back; the server answers each copy again, and the exe's `resent` "
      "counts them (README: `resent` means packet loss). The exchange is not "
      "slower for it (the first answer is used; see the bare figures), but the traffic "
      "doubles and `resent` > 0 on a clean link at that RTT. Where the RTT is below that "
      "timer nothing was sent twice. The DELETEs go out after Quick Mode message 2 and "
      "add no wait." % (", ".join(map(str, rt_again)), f(med(gaps), "%.0f"),
                         f(min(gaps), "%.0f")))
if lat:
    p("- The relay's mean lateness was at most %.1f ms per frame in any condition (worst "
      "frame %.1f ms): other jobs shared the 2 CPUs (load average above), so the round "
      "trips' excess is partly the machine's, and the medians are upper bounds of what the "
      "exe and the server add; the minimums are the least disturbed figures." % (
          late_mean, max(maxes) / 1000))
p("")
p("Commands: `make bench-phase1` (or `make bench`), i.e. `tests/bench/phase1.sh`, with "
  "`BENCH_P1_RUNS=%s BENCH_P1_RTTS=\"%s\" BENCH_P1_SCENARIOS=\"%s\"`; per run "
  "`wine nattcheck.exe --json --psk-file C:\\p1\\key.txt check 198.19.0.2` and "
  "`wine nattcheck.exe --json check 198.19.0.2`; the raw data (captures, JSON, runs.tsv) "
  "stay in the work dir it names, `tests/bench/phase1.py WORKDIR` re-analyses them."
  % (meta.get("runs"), meta.get("rtts"), meta.get("scenarios")))
p("")
p("<!-- phase1-bench end -->")
print("\n".join(s))
