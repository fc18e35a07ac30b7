#!/usr/bin/env python3
"""analyze.py - turns the raw data of tests/bench/run.sh into RESULTS.md.

  analyze.py WORKDIR > RESULTS.md

Reads WORKDIR/{meta,runs.tsv,facts.tsv,conditions.tsv,relay.tsv,startup.tsv,
memory.tsv}, the JSON each exe run printed (out/TAG.json), ike-scan's output
(out/TAG.ike) and the client-side packet captures (SCENARIO.pcap).

The "bare exchange" of a run is taken from the capture: from the first
message 1 the client sent (UDP 500 or 4500, any server) to the packet that
completed the last exchange the probe waits for (message 4 on UDP 500 or an
ICMP unreachable for it; the answer on UDP 4500 or an ICMP unreachable for
it).  overhead = elapsed_ms - bare: what the exe (and Wine) add.  Runs where
some exchange never completed (loss) have no bare exchange: they end at the
deadline.
"""
import json
import os
import statistics
import struct
import sys
from collections import defaultdict

W = sys.argv[1]
BUDGET = 3000  # the default --timeout
HERE = os.path.dirname(os.path.abspath(__file__))


def read_tsv(name):
    p = os.path.join(W, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


def meta():
    m, sizes = {}, {}
    with open(os.path.join(W, "meta")) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("size "):
                _, name, size = line.split(" ")
                sizes[name] = int(size)
            elif "=" in line:
                k, v = line.split("=", 1)
                m[k] = v
    return m, sizes


# ---- packets -----------------------------------------------------------------

def read_pcap(path):
    """[(ts_ns, src, dst, proto, sport, dport, info)] for IPv4 UDP and ICMP.
    info: for UDP the ISAKMP (next payload, exchange, rcookie_zero) or None;
    for ICMP unreachable (type, code, orig_dst, orig_dport)."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return out
    magic = struct.unpack("<I", data[:4])[0]
    nano = magic == 0xA1B23C4D
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        ts = sec * 1_000_000_000 + (frac if nano else frac * 1000)
        if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        proto = ip[9]
        src = ".".join(str(b) for b in ip[12:16])
        dst = ".".join(str(b) for b in ip[16:20])
        l4 = ip[ihl:]
        if proto == 17 and len(l4) >= 8:
            sport, dport = struct.unpack("!HH", l4[:4])
            pl = l4[8:]
            if 4500 in (sport, dport):
                if len(pl) >= 4 and pl[:4] == b"\0\0\0\0":
                    pl = pl[4:]
                else:
                    pl = b""
            info = None
            if len(pl) >= 28:
                info = (pl[16], pl[18], pl[8:16] == b"\0" * 8)
            out.append((ts, src, dst, "udp", sport, dport, info))
        elif proto == 1 and len(l4) >= 8 + 28:
            t, c = l4[0], l4[1]
            oip = l4[8:]
            oihl = (oip[0] & 15) * 4
            odst = ".".join(str(b) for b in oip[16:20])
            if len(oip) >= oihl + 4:
                odport = struct.unpack("!H", oip[oihl + 2:oihl + 4])[0]
                out.append((ts, src, dst, "icmp", 0, 0, (t, c, odst, odport)))
    return out


def run_wire(pkts, t0, t1, servers):
    """Wire facts of one run (packets within [t0, t1])."""
    per = {}
    for s in servers:
        per[s] = dict(first=None, mm1_500=None, mm2=None, mm3=None, mm4=None,
                      ans4500=None, icmp500=None, icmp4500=None, n_mm1_500=0,
                      n_mm1_4500=0, n_mm3=0)
    for (ts, src, dst, proto, sport, dport, info) in pkts:
        if ts < t0 or ts > t1:
            continue
        if proto == "udp":
            if dst in per and dport in (500, 4500):
                d = per[dst]
                if d["first"] is None:
                    d["first"] = ts
                if info is None:
                    continue
                np_, _, rzero = info
                if dport == 500 and np_ == 1 and rzero:
                    d["n_mm1_500"] += 1
                    if d["mm1_500"] is None:
                        d["mm1_500"] = ts
                elif dport == 4500 and np_ == 1:
                    d["n_mm1_4500"] += 1
                elif dport == 500 and np_ == 4:
                    d["n_mm3"] += 1
                    if d["mm3"] is None:
                        d["mm3"] = ts
            elif src in per and sport in (500, 4500):
                d = per[src]
                if info is None:
                    continue
                np_, exch, _ = info
                if sport == 4500:
                    if d["ans4500"] is None:
                        d["ans4500"] = ts
                elif np_ == 1 and d["mm2"] is None:
                    d["mm2"] = ts
                elif np_ == 4 and d["mm4"] is None:
                    d["mm4"] = ts
                elif exch == 5 and d["mm2"] is None:  # informational: a notify
                    d["mm2"] = d["mm4"] = ts
        else:
            t, c, odst, odport = info
            if t == 3 and odst in per:
                key = "icmp500" if odport == 500 else "icmp4500" if odport == 4500 else None
                if key and per[odst][key] is None:
                    per[odst][key] = ts
    return per


def ms(ns):
    return ns / 1e6


# ---- statistics ----------------------------------------------------------------

def med(xs):
    return statistics.median(xs) if xs else None


def pct(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def f0(x):
    return "–" if x is None else "%.0f" % x


def f1(x):
    return "–" if x is None else "%.1f" % x


def f2(x):
    return "–" if x is None else "%.2f" % x


def spread(xs):
    if not xs:
        return "–"
    return "%s [%s–%s]" % (f0(med(xs)), f0(min(xs)), f0(max(xs)))


# ---- the data -----------------------------------------------------------------

M, SIZES = meta()
facts = {r[0]: dict(verdict=r[1], udp500=r[2], sbn=r[3], cbn=r[4], udp4500=r[5],
                    n=int(r[6])) for r in read_tsv("facts.tsv")}
runs = read_tsv("runs.tsv")
SCEN_ORDER = [s for s in ["nonat", "server-nat", "both-nat", "icmp-unreach", "silent",
                          "multi32"] if s in facts]
RTTS = [int(x) for x in M.get("rtts", "").split()]
LOSSES = [int(x) for x in M.get("losses", "").split()]

pcaps = {sc: read_pcap(os.path.join(W, sc + ".pcap")) for sc in SCEN_ORDER}

# results[(sc, rtt, loss)] = dict of lists
R = defaultdict(lambda: defaultdict(list))
wrong = defaultdict(lambda: defaultdict(int))


def servers_of(sc):
    n = facts[sc]["n"]
    return ["198.19.0.2"] + ["198.19.0.%d" % i for i in range(3, 3 + n - 1)]


def fact_ok(sc, s):
    f = facts[sc]
    tri = lambda v: "null" if v is None else ("true" if v is True else "false" if v is False else str(v))
    # With no NAT either way the probe stops waiting for UDP 4500 (it cannot
    # change the verdict) and says "not-tested": right too.
    u4500_ok = s.get("udp4500") == f["udp4500"] or (
        s.get("udp4500") == "not-tested" and f["sbn"] == "false" and f["cbn"] == "false")
    return (s.get("verdict") == f["verdict"] and s.get("udp500") == f["udp500"]
            and tri(s.get("server_behind_nat")) == f["sbn"]
            and tri(s.get("client_behind_nat")) == f["cbn"] and u4500_ok)


for tag, tool, t0, t1, rc in runs:
    sc, rtt, loss, i = tag.rsplit(".", 3)
    if sc not in facts:
        continue
    key = (sc, int(rtt), int(loss))
    t0, t1 = int(t0), int(t1)
    r = R[key]
    srvs = servers_of(sc)
    wire = run_wire(pcaps[sc], t0, t1, srvs)
    if tool == "exe":
        try:
            with open(os.path.join(W, "out", tag + ".json")) as f:
                doc = json.load(f)
            servers = doc["servers"]
        except (OSError, ValueError, KeyError):
            r["exe_fail"].append(tag)
            continue
        el = [s["elapsed_ms"] for s in servers]
        r["elapsed"].append(max(el))
        r["elapsed_each"].extend(el)
        r["wall"].append(ms(t1 - t0))
        r["wine_over"].append(ms(t1 - t0) - max(el))
        for s in servers:
            ok = fact_ok(sc, s)
            r["right"].append(1 if ok else 0)
            r["vright"].append(1 if s.get("verdict") == facts[sc]["verdict"] else 0)
            if not ok:
                wrong[key]["%s/%s/%s" % (s.get("verdict"), s.get("udp500"), s.get("udp4500"))] += 1
        # the wire
        firsts = [w["first"] for w in wire.values() if w["first"]]
        dones = []
        complete = True
        untested = {x.get("address") or x.get("server") for x in servers
                    if x.get("udp4500") == "not-tested"}
        for s, w in wire.items():
            d500 = w["mm4"] or w["icmp500"]
            d4500 = w["ans4500"] or w["icmp4500"]
            if s in untested and d500 is not None:
                # the probe stopped waiting for UDP 4500 (no NAT either way)
                d4500 = d500 if d4500 is None else min(d4500, d500)
            if d500 is None or d4500 is None:
                complete = False
            else:
                dones.append(max(d500, d4500))
            if w["mm2"] and w["mm3"] and w["mm3"] > w["mm2"]:
                r["turn"].append(ms(w["mm3"] - w["mm2"]))
            if w["mm1_500"] and w["mm4"]:
                r["bare_mm14"].append(ms(w["mm4"] - w["mm1_500"]))
            r["mm1_sends"].append(w["n_mm1_500"])
        if sc == "silent":
            r["dev_budget"].append(max(el) - BUDGET)
        elif complete and firsts and dones:
            bare = ms(max(dones) - min(firsts))
            r["bare"].append(bare)
            r["over"].append(max(el) - bare)
        else:
            r["incomplete"].append(max(el))
    else:
        try:
            with open(os.path.join(W, "out", tag + ".ike"), errors="replace") as f:
                txt = f.read()
        except OSError:
            continue
        r["ike_wall"].append(ms(t1 - t0))
        hs = txt.count("Main Mode Handshake returned")
        r["ike_answered"].append(hs)
        r["ike_natt"].append(1 if "RFC 3947 NAT-T" in txt else 0)
        r["ike_sa"].append(1 if "SA=(" in txt else 0)
        # wire: first MM1 out to the last MM2 back
        f1s = [w["first"] for w in wire.values() if w["first"]]
        m2s = [w["mm2"] for w in wire.values()]
        if f1s and all(m2s):
            r["ike_bare"].append(ms(max(m2s) - min(f1s)))


def cond_label(rtt, loss):
    return "%d ms / %d %%" % (rtt, loss)


out = []
p = out.append

p("# nattcheck benchmark (issue 7)")
p("")
p("Generated by `make bench` (`tests/bench/run.sh`, then `tests/bench/analyze.py`); "
  "the analysis and proposals at the end are from `tests/bench/NOTES.md`.")
p("")
p("| | |")
p("|---|---|")
p("| date | %s |" % M.get("date"))
p("| machine | %s CPUs (nproc), %s, %s |" % (M.get("nproc"), M.get("cpu"), M.get("kernel")))
p("| load average (1/5/15 min) | start %s, end %s (waited %s s for < 0.5) |"
  % (M.get("load_start"), M.get("load_end", "?"), M.get("quiet_wait_s")))
p("| software | %s, %s, %s |" % (M.get("wine"), M.get("ikescan"), M.get("tcpdump")))
p("| exe | `%s` (sha256 %s…, built %s); HEAD at the start: %s |" % (
    M.get("exe"), M.get("exe_sha256"), M.get("exe_mtime", "?"), M.get("commit")))
p("| runs | %s per scenario and condition; 32 servers: %s; silent: %s; ike-scan where it can "
  "only time out (silent, ICMP): %s |" % (M.get("runs"), M.get("runs_32"),
                                          M.get("runs_silent"), M.get("ikescan_slow")))
p("")

# ---- sizes, start-up, memory
p("## Size, start-up, memory")
p("")
p("| file | bytes | KiB |")
p("|---|---:|---:|")
for name in ["i686/nattcheck.exe", "x86_64/nattcheck.exe"]:
    if name in SIZES:
        p("| `build/%s` | %d | %.1f |" % (name, SIZES[name], SIZES[name] / 1024))
msis = [k for k in SIZES if k.endswith(".msi")]
for name in sorted(msis):
    p("| `build/%s` | %d | %.1f |" % (name, SIZES[name], SIZES[name] / 1024))
if not msis:
    p("| MSIs | absent | (build/nattcheck-*-x86.msi / -x64.msi not built) |")
p("")
st = [int(r[2]) for r in read_tsv("startup.tsv")]
if st:
    warm = st[1:]
    p("Wine start-up, `wine nattcheck.exe --version` with the prefix's wineserver already "
      "running (x86_64 exe; not part of any elapsed_ms below): first run %d ms, then "
      "median %s ms [%s–%s] over %d runs." % (st[0], f0(med(warm)), f0(min(warm)), f0(max(warm)),
                                              len(warm)))
allwo = [x for k, r in R.items() for x in r["wine_over"] if k[0] != "multi32"]
if allwo:
    p("For a `check` run, wall time of `wine nattcheck.exe --json check` minus its "
      "elapsed_ms (Wine start, exe start-up before the probe, output, exit): median "
      "%s ms [%s–%s]." % (f0(med(allwo)), f0(min(allwo)), f0(max(allwo))))
p("")
mem = defaultdict(list)
for r in read_tsv("memory.tsv"):
    if r[0] != "warmup" and len(r) > 1:
        mem[r[0]].append([int(x) for x in r[1].split()])
if mem:
    p("Peak memory (KiB), Wine process running the exe, sampled from `/proc/PID/status` "
      "every ms while it runs (`memprobe.py`), median of %d runs. `idle.exe` is a "
      "baseline with the same imports that starts Winsock and CryptoAPI, opens a socket "
      "and sleeps: nattcheck's own share is the difference." % len(mem.get("check1", [])))
    p("")
    p("| program | VmHWM (peak RSS) | peak RssAnon (private) | peak RssFile | VmPeak (virtual) |")
    p("|---|---:|---:|---:|---:|")
    names = {"idle": "idle.exe (baseline)", "check1": "nattcheck check, 1 server",
             "check32": "nattcheck check, 32 servers"}
    for k in ["idle", "check1", "check32"]:
        if k in mem:
            cols = list(zip(*mem[k]))
            p("| %s | %s | %s | %s | %s |" % (names[k], f0(med(cols[0])), f0(med(cols[1])),
                                              f0(med(cols[2])), f0(med(cols[3]))))
    if "idle" in mem and "check1" in mem:
        i0 = list(zip(*mem["idle"]))
        c1 = list(zip(*mem["check1"]))
        line = "| nattcheck − baseline, 1 server | %s | %s | %s | |" % (
            f0(med(c1[0]) - med(i0[0])), f0(med(c1[1]) - med(i0[1])), f0(med(c1[2]) - med(i0[2])))
        p(line)
        if "check32" in mem:
            c3 = list(zip(*mem["check32"]))
            p("| nattcheck − baseline, 32 servers | %s | %s | %s | |" % (
                f0(med(c3[0]) - med(i0[0])), f0(med(c3[1]) - med(i0[1])),
                f0(med(c3[2]) - med(i0[2]))))
    p("")

# ---- relay
p("## The relay (userspace netem)")
p("")
p("UDP echo through the relay (`udpping.py`, 30 pings, client ↔ server, no NAT); "
  "nominal 0 = relay without delay (its own cost), the direct veth path is not "
  "measured separately (the relay host is in place).")
p("")
p("| nominal RTT (ms) | measured median | min | p90 | max | added (median − nominal) |")
p("|---:|---:|---:|---:|---:|---:|")
for r in read_tsv("relay.tsv"):
    if r[0] == "relay":
        n, lost, mn, md, p90, mx = r[2].split()
        p("| %s | %s | %s | %s | %s | %.3f |" % (r[1], md, mn, p90, mx, float(md) - int(r[1])))
lat = [r for r in read_tsv("relay.tsv") if r[0] != "relay"]
if lat:
    means = [float(x.split("late_mean_us ")[1].split()[0]) for x in (l[3] for l in lat)]
    maxes = [float(x.split("late_max_us ")[1].split()[0]) for x in (l[3] for l in lat)]
    drops = sum(int(x.split(" drop ")[1].split()[0]) for x in (l[3] for l in lat))
    rx = sum(int(x.split(" rx ")[1].split()[0]) for x in (l[3] for l in lat))
    p("")
    p("The relay's lateness (sent − due) over the whole matrix: mean of the per-condition "
      "means %.0f µs, worst mean %.0f µs, worst single packet %.1f ms; %d of %d frames "
      "dropped on purpose." % (statistics.mean(means), max(means), max(maxes) / 1000, drops, rx))
p("")

# ---- main table
p("## Results")
p("")
p("elapsed = the exe's own `servers[].elapsed_ms` (for 32 servers the largest), "
  "median [min–max]. bare = the same run's wire time in the client namespace, first "
  "message 1 out to the last awaited answer in (message 4 and the UDP 4500 answer, or "
  "the ICMP errors; without NAT the probe stops waiting for UDP 4500 once message 4 "
  "is in); overhead = elapsed − bare, median / max, only runs where every "
  "exchange completed. ×RTT = median elapsed / RTT (limit for a full NAT-D answer: 2, "
  "for ICMP unreachable: 1). ike-scan = wall time of one ike-scan 1.9.5 run (message 1 "
  "→ message 2 only) against the same server(s); ×ike = median elapsed / median "
  "ike-scan. right = runs (servers, for 32) with the expected verdict and facts.")
p("")
p("| scenario | RTT / loss | n | elapsed ms | ×RTT | bare ms | overhead ms (med / max) | "
  "MM2→MM3 turn ms | ike-scan ms | ×ike | right |")
p("|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|")
for sc in SCEN_ORDER:
    for rtt in RTTS:
        for loss in LOSSES:
            r = R.get((sc, rtt, loss))
            if not r or not r["elapsed"]:
                continue
            el = r["elapsed"]
            ike = med(r["ike_wall"])
            over = r["over"]
            p("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d/%d |" % (
                sc, cond_label(rtt, loss), len(el), spread(el), f2(med(el) / rtt),
                f0(med(r["bare"])) if r["bare"] else "–",
                ("%s / %s" % (f1(med(over)), f1(max(over)))) if over else "–",
                f1(med(r["turn"])) if r["turn"] else "–",
                f0(ike), f2(med(el) / ike) if ike else "–",
                sum(r["right"]), len(r["right"])))
p("")

# ---- silent
if "silent" in SCEN_ORDER:
    p("Silent server (budget %d ms, the default `--timeout`): elapsed − budget, all "
      "conditions pooled: " % BUDGET + spread([x for k, r in R.items() if k[0] == "silent"
                                               for x in r["dev_budget"]]) + " ms.")
    p("")

# ---- 32 vs 1
if "multi32" in SCEN_ORDER and "server-nat" in SCEN_ORDER:
    p("### 32 servers at once vs one (both server-nat)")
    p("")
    p("The run's time is its slowest server's. bare (wire) includes charon computing 32 "
      "Diffie-Hellman answers at once on this 2-CPU machine, which is not the exe's time.")
    p("")
    p("| RTT / loss | 1 server: elapsed median | 32: largest elapsed median | ratio | "
      "1: bare | 32: bare | bare ratio | 32: overhead med / max | 32: every server's "
      "elapsed, median [min–max] | 32: ike-scan ms |")
    p("|---|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for rtt in RTTS:
        for loss in LOSSES:
            a, b = R.get(("server-nat", rtt, loss)), R.get(("multi32", rtt, loss))
            if not a or not b or not a["elapsed"] or not b["elapsed"]:
                continue
            p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                cond_label(rtt, loss), f0(med(a["elapsed"])), f0(med(b["elapsed"])),
                f2(med(b["elapsed"]) / med(a["elapsed"])),
                f0(med(a["bare"])), f0(med(b["bare"])),
                f2(med(b["bare"]) / med(a["bare"])) if a["bare"] and b["bare"] else "–",
                ("%s / %s" % (f1(med(b["over"])), f1(max(b["over"])))) if b["over"] else "–",
                spread(b["elapsed_each"]), f0(med(b["ike_wall"]))))
    p("")

# ---- loss
p("### At 20 % loss: right verdicts, and what went wrong")
p("")
p("right verdict = the verdict expected for the scenario; right facts = the verdict and "
  "udp500, udp4500, server/client_behind_nat all as expected (for 32 servers: counted per "
  "server). Wrong ones are listed as verdict/udp500/udp4500.")
p("")
p("| scenario | RTT | right verdict | right facts | wrong (count) | runs that hit the "
  "deadline | ike-scan answered |")
p("|---|---:|---:|---:|---|---:|---:|")
tot_r = tot_n = tot_v = 0
for sc in SCEN_ORDER:
    for rtt in RTTS:
        for loss in LOSSES:
            if loss == 0:
                continue
            r = R.get((sc, rtt, loss))
            if not r or not r["right"]:
                continue
            tot_r += sum(r["right"])
            tot_v += sum(r["vright"])
            tot_n += len(r["right"])
            w = ", ".join("%s: %d" % kv for kv in sorted(wrong[(sc, rtt, loss)].items())) or "–"
            nserv = facts[sc]["n"]
            ia = r["ike_answered"]
            p("| %s | %d | %d/%d (%.0f %%) | %d/%d (%.0f %%) | %s | %d | %s |" % (
                sc, rtt, sum(r["vright"]), len(r["vright"]),
                100.0 * sum(r["vright"]) / len(r["vright"]),
                sum(r["right"]), len(r["right"]),
                100.0 * sum(r["right"]) / len(r["right"]), w,
                sum(1 for x in r["elapsed"] if x >= BUDGET - 5),
                ("%d/%d" % (sum(ia), len(ia) * nserv)) if ia else "–"))
if tot_n:
    p("")
    p("All scenarios at 20 %% loss pooled: right verdict %d/%d (%.1f %%), right facts %d/%d "
      "(%.1f %%)." % (tot_v, tot_n, 100.0 * tot_v / tot_n, tot_r, tot_n, 100.0 * tot_r / tot_n))
    sv = [x for sc in SCEN_ORDER if sc not in ("silent", "icmp-unreach") for rtt in RTTS
          for loss in LOSSES if loss for x in R[(sc, rtt, loss)]["vright"]]
    if sv:
        p("Reachable servers only (no-NAT, server/both NAT, 32 servers): right verdict "
          "%d/%d (%.1f %%)." % (sum(sv), len(sv), 100.0 * sum(sv) / len(sv)))
p("")

# ---- ike-scan
p("### What ike-scan could tell")
p("")
p("ike-scan sends the Windows 8+ message 1 (same transforms and vendor IDs as the probe) "
  "and stops at message 2: it reports that UDP 500 answers, the transform chosen and "
  "the NAT-T vendor ID (so: NAT-T spoken), but not where the NAT is (no NAT-D before "
  "message 3/4), not UDP 4500 (a second run with `--nat-t`), and it ignores ICMP "
  "(unreachable looks like silence, after its full retry schedule).")
p("")
p("| scenario | RTT / loss | ike-scan runs | answered (servers) | NAT-T VID seen | "
  "ike-scan wall ms | its wire MM1→MM2 ms |")
p("|---|---|---:|---:|---:|---|---:|")
for sc in SCEN_ORDER:
    for rtt in RTTS:
        for loss in LOSSES:
            r = R.get((sc, rtt, loss))
            if not r or not r["ike_wall"]:
                continue
            nserv = facts[sc]["n"]
            p("| %s | %s | %d | %d/%d | %d/%d | %s | %s |" % (
                sc, cond_label(rtt, loss), len(r["ike_wall"]), sum(r["ike_answered"]),
                len(r["ike_wall"]) * nserv, sum(r["ike_natt"]), len(r["ike_wall"]),
                spread(r["ike_wall"]), f0(med(r["ike_bare"])) if r["ike_bare"] else "–"))
p("")

# ---- targets
p("## Targets")
p("")
checks = []


def target(name, ok, detail):
    checks.append("| %s | %s | %s |" % (name, "met" if ok else "**missed**", detail))


reach = ["nonat", "server-nat", "both-nat"]
ov0 = [x for sc in reach for rtt in RTTS for x in R[(sc, rtt, 0)]["over"]]
ovl = [x for sc in reach for rtt in RTTS for loss in LOSSES if loss for x in R[(sc, rtt, loss)]["over"]]
if ov0:
    target("reachable server ≤ bare exchange + 10 ms (0 % loss)", pct(ov0, 1.0) <= 10,
           "overhead median %s ms, p90 %s, max %s (n=%d)" % (f1(med(ov0)), f1(pct(ov0, 0.9)),
                                                           f1(max(ov0)), len(ov0)))
if ovl:
    target("reachable server ≤ bare exchange + 10 ms (20 % loss, completed runs)",
           pct(ovl, 1.0) <= 10, "overhead median %s ms, p90 %s, max %s (n=%d)" % (
               f1(med(ovl)), f1(pct(ovl, 0.9)), f1(max(ovl)), len(ovl)))
oi = [x for rtt in RTTS for loss in LOSSES for x in R[("icmp-unreach", rtt, loss)]["over"]]
if oi:
    target("ICMP unreachable ≤ its bare exchange + 10 ms", max(oi) <= 10,
           "overhead median %s ms, p90 %s, max %s (n=%d)" % (f1(med(oi)), f1(pct(oi, 0.9)),
                                                           f1(max(oi)), len(oi)))
ds = [x for k, r in R.items() if k[0] == "silent" for x in r["dev_budget"]]
if ds:
    target("silent server at the budget ± 50 ms", max(abs(x) for x in ds) <= 50,
           "elapsed − %d ms: median %s, range %s … %s (n=%d)" % (BUDGET, f0(med(ds)), f0(min(ds)),
                                                                 f0(max(ds)), len(ds)))
rat = []
for rtt in RTTS:
    for loss in LOSSES:
        a, b = R.get(("server-nat", rtt, loss)), R.get(("multi32", rtt, loss))
        if a and b and a["elapsed"] and b["elapsed"]:
            rat.append((med(b["elapsed"]) / med(a["elapsed"]), rtt, loss,
                        med(b["bare"]) / med(a["bare"]) if a["bare"] and b["bare"] else None))
if rat:
    r0 = [x for x in rat if x[2] == 0]
    target("32 servers ≤ 1.2 × one (medians, 0 % loss)", all(x[0] <= 1.2 for x in r0),
           ", ".join("%d ms: %.2f (wire alone %s)" % (x[1], x[0], f2(x[3])) for x in r0))
    rl = [x for x in rat if x[2] != 0]
    if rl:
        target("32 servers ≤ 1.2 × one (medians, 20 % loss)", all(x[0] <= 1.2 for x in rl),
               ", ".join("%d ms: %.2f" % (x[1], x[0]) for x in rl))
if tot_n:
    target("≥ 95 % right verdicts at 20 % loss", tot_v >= 0.95 * tot_n,
           "%d/%d = %.1f %% (all scenarios, RTTs, servers; facts too: %.1f %%)" % (
               tot_v, tot_n, 100.0 * tot_v / tot_n, 100.0 * tot_r / tot_n))
    if sv:
        target("≥ 95 % right verdicts at 20 % loss, reachable servers only",
               sum(sv) >= 0.95 * len(sv), "%d/%d = %.1f %%" % (sum(sv), len(sv),
                                                              100.0 * sum(sv) / len(sv)))
if "i686/nattcheck.exe" in SIZES:
    target("i686 exe ≤ 128 KiB", SIZES["i686/nattcheck.exe"] <= 128 * 1024,
           "%.1f KiB" % (SIZES["i686/nattcheck.exe"] / 1024))
p("| target | result | figures |")
p("|---|---|---|")
out.extend(checks)
p("")

notes = os.path.join(HERE, "NOTES.md")
if os.path.exists(notes):
    with open(notes) as f:
        p(f.read().rstrip("\n"))
    p("")
print("\n".join(out))
