#!/usr/bin/env python3
"""memprobe.py - peak memory of one process, sampled from /proc while it runs.

  memprobe.py PID

Polls /proc/PID/status every millisecond until the process is gone and prints
one line: "vmhwm_kib rss_anon_max_kib rss_file_max_kib vmpeak_kib samples".
VmHWM is the kernel's own high-water mark of the resident set (file-backed
pages included: under Wine that is mostly Wine's DLLs); RssAnon is the
private memory (heap, stacks, written data), of which the peak is the
highest sample.  The last sample is taken at most ~1 ms before exit.
"""
import sys
import time


def read(pid):
    vals = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "RssAnon", "RssFile", "VmPeak", "State"):
                    vals[k] = v.split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None
    if vals.get("State") == "Z":
        return None
    return vals


def main():
    pid = int(sys.argv[1])
    hwm = anon = rfile = peak = n = 0
    while True:
        v = read(pid)
        if v is None:
            break
        n += 1
        hwm = max(hwm, int(v.get("VmHWM", 0)))
        anon = max(anon, int(v.get("RssAnon", 0)))
        rfile = max(rfile, int(v.get("RssFile", 0)))
        peak = max(peak, int(v.get("VmPeak", 0)))
        time.sleep(0.001)
    print(hwm, anon, rfile, peak, n)


if __name__ == "__main__":
    main()
