#!/usr/bin/env python3
"""losssim.py - how often the probe finishes within its budget under random
loss, for the current retransmission schedule and for alternatives (a model
of src/probe.c's timing, used to back the proposals in NOTES.md).

  losssim.py [RUNS]            (default 200000 per cell)
  LOSSSIM_BUDGET=6000 losssim.py   the same for --timeout 6000

Model: each datagram is lost with probability LOSS independently, each way;
an answer arrives RTT after the request it answers; the server answers every
copy it gets (charon re-sends its last reply for a repeated request).  A
server's result is complete when UDP 500 got message 4 (message 1 -> 2, then
3 -> 4, message 3 sent as soon as 2 arrives) and UDP 4500 got its answer,
both within the budget.  Processing times are ignored.
"""
import os
import random
import sys

BUDGET = float(os.environ.get("LOSSSIM_BUDGET", "3000"))


def schedule_backoff(first, factor=2.0, cap=4000.0, sends=6):
    t, rto, out = 0.0, first, []
    for _ in range(sends):
        out.append(t)
        t += rto
        rto = min(rto * factor, cap)
    return out


def exchange(start, offsets, rtt, loss, rng, copies=1):
    """Time the first answer arrives, or None."""
    best = None
    for off in offsets:
        t = start + off
        if t >= BUDGET:
            break
        for _ in range(copies):
            if rng.random() >= loss and rng.random() >= loss:
                if best is None or t + rtt < best:
                    best = t + rtt
        if best is not None and best <= t:
            break  # answered before this retransmission would be sent
    return best


def one(rtt, loss, rng, mm1_sched, mm3_sched_fn, copies=1):
    t2 = exchange(0.0, mm1_sched, rtt, loss, rng, copies)
    a4500 = exchange(0.0, mm1_sched, rtt, loss, rng, copies)
    if t2 is None or a4500 is None or t2 > BUDGET or a4500 > BUDGET:
        return False
    t4 = exchange(t2, mm3_sched_fn(rtt), rtt, loss, rng, copies)
    return t4 is not None and t4 <= BUDGET


SCHEDULES = {
    "now: RTO 500 ms x2 (sends at 0, .5, 1.5 s)":
        (schedule_backoff(500), lambda rtt: schedule_backoff(500), 1),
    "RTO 250 ms x2 (0, .25, .75, 1.75 s)":
        (schedule_backoff(250), lambda rtt: schedule_backoff(250), 1),
    "RTO 250 ms x1.5, up to 10 sends (0, .25, .63, 1.19, 2.03 s)":
        (schedule_backoff(250, 1.5, 4000, 10), lambda rtt: schedule_backoff(250, 1.5, 4000, 10), 1),
    "message 1 as now; message 3: RTO max(2 RTT, 100 ms) x1.5":
        (schedule_backoff(500), lambda rtt: schedule_backoff(max(2 * rtt, 100.0), 1.5, 4000, 10), 1),
    "RTO 250 ms x1.5; message 3: RTO max(2 RTT, 100 ms) x1.5; up to 10 sends":
        (schedule_backoff(250, 1.5, 4000, 10),
         lambda rtt: schedule_backoff(max(2 * rtt, 100.0), 1.5, 4000, 10), 1),
    "now, but every datagram sent twice (back to back)":
        (schedule_backoff(500), lambda rtt: schedule_backoff(500), 2),
}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    rng = random.Random(7)
    rtts = [20, 100, 300]
    print("P(complete within %d ms) at 20 %% loss each way, %d trials per cell" % (BUDGET, n))
    print()
    print("| schedule | " + " | ".join("RTT %d ms" % r for r in rtts) + " |")
    print("|---|" + "---:|" * len(rtts))
    for name, (s1, s3, copies) in SCHEDULES.items():
        cells = []
        for rtt in rtts:
            ok = sum(one(rtt, 0.2, rng, s1, s3, copies) for _ in range(n))
            cells.append("%.1f %%" % (100.0 * ok / n))
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
