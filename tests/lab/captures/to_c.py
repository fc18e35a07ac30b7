#!/usr/bin/env python3
"""to_c.py - writes tests/fixtures_real.h: real charon 5.9.8 messages 2 and 4
from tests/lab/captures/<case>/, with the addresses they were captured with.
Usage: python3 tests/lab/captures/to_c.py > tests/fixtures_real.h"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["nonat-win10", "server-nat-win10", "client-nat-win10", "both-nat-win10",
         "ecp-first-win10", "nonat-xp", "server-nat-xp", "both-nat-xp", "ipv6-win10"]


def arr(name, data):
    out = ["static const uint8_t %s[%d] = {" % (name, len(data))]
    for i in range(0, len(data), 12):
        out.append("\t" + ", ".join("0x%02x" % b for b in data[i:i + 12]) + ",")
    out.append("};")
    return "\n".join(out)


def main():
    print("/* fixtures_real.h - real strongSwan charon 5.9.8 Main Mode messages 2 and 4,")
    print(" * captured in the lab (tests/lab/selftest.sh with CAPTURE_DIR) and written by")
    print(" * tests/lab/captures/to_c.py.  Generated: do not edit. */")
    print("#ifndef NATTCHECK_FIXTURES_REAL_H\n#define NATTCHECK_FIXTURES_REAL_H\n")
    print("#include <stdint.h>\n")
    rows = []
    for case in CASES:
        d = os.path.join(HERE, case)
        meta = json.load(open(os.path.join(d, "meta.json")))
        ident = case.replace("-", "_")
        for m in ("mm2", "mm4"):
            data = bytes.fromhex(
                "".join(open(os.path.join(d, m + ".hex")).read().split()))
            print(arr("real_%s_%s" % (ident, m), data))
        rows.append('\t{ "%s", "%s", "%s", %d, "%s", %d, real_%s_mm2, sizeof(real_%s_mm2), '
                    'real_%s_mm4, sizeof(real_%s_mm4) },'
                    % (case, meta["os"], meta["client"], meta["client_port"], meta["server"],
                       meta["server_port"], ident, ident, ident, ident))
    print("\ntypedef struct real_capture {")
    print("\tconst char *name, *os, *client;\n\tuint16_t client_port;")
    print("\tconst char *server;\n\tuint16_t server_port;")
    print("\tconst uint8_t *mm2;\n\tsize_t mm2_len;\n\tconst uint8_t *mm4;\n\tsize_t mm4_len;")
    print("} real_capture;\n")
    print("static const real_capture real_captures[] = {")
    print("\n".join(rows))
    print("};\n\n#endif")


if __name__ == "__main__":
    main()
