#!/usr/bin/env python3
"""udpping.py - UDP round-trip times through the lab, to measure the relay.

  udpping.py echo PORT [READYFILE]     echo server (runs until killed)
  udpping.py ping ADDR PORT COUNT      COUNT pings, 20 ms apart, 1 s timeout;
                                       prints "n lost min median p90 max" (ms)
"""
import socket
import statistics
import sys
import time


def echo(port, ready=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    if ready:
        open(ready, "w").close()
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def ping(addr, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((addr, port))
    s.settimeout(1.0)
    rtts, lost = [], 0
    for i in range(count):
        tag = b"%08d" % i
        t0 = time.perf_counter_ns()
        s.send(tag)
        try:
            while True:
                data = s.recv(2048)
                if data == tag:
                    rtts.append((time.perf_counter_ns() - t0) / 1e6)
                    break
        except socket.timeout:
            lost += 1
        time.sleep(0.02)
    if not rtts:
        print(count, lost, "nan nan nan nan")
        return
    rtts.sort()
    p90 = rtts[min(len(rtts) - 1, int(0.9 * len(rtts)))]
    print(count, lost, "%.3f %.3f %.3f %.3f" % (rtts[0], statistics.median(rtts), p90, rtts[-1]))


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        echo(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        ping(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
