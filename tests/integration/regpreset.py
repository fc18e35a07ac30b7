#!/usr/bin/env python3
"""regpreset.py - set or delete a value in a stopped Wine prefix's system.reg,
with the key's last-write time in the past (2020), so that the value counts
as written before the next "boot" (the next wineserver start).

Usage: regpreset.py PREFIX 'SYSTEM\\...\\Key' NAME (absent | dword:N | sz:TEXT)
"""
import re
import sys

OLD_UNIX = 1577836800  # 2020-01-01T00:00:00Z
OLD_FT = (OLD_UNIX + 11644473600) * 10000000


def main():
    prefix, key, name, value = sys.argv[1:5]
    path = prefix + "/system.reg"
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    header = "[" + key.replace("\\", "\\\\") + "]"
    quoted = '"' + name + '"='
    if value == "absent":
        new_line = None
    elif value.startswith("dword:"):
        new_line = '%sdword:%08x' % (quoted, int(value[6:]))
    elif value.startswith("sz:"):
        new_line = '%s"%s"' % (quoted, value[3:])
    else:
        sys.exit("regpreset: bad value " + value)
    start = None
    for i, line in enumerate(lines):
        if line.lower().startswith(header.lower() + " ") or line.lower() == header.lower():
            start = i
            break
    if start is None:
        if new_line is None:
            return
        lines += ["", "%s %d" % (header, OLD_UNIX), "#time=%x" % OLD_FT, new_line, ""]
    else:
        lines[start] = "%s %d" % (header, OLD_UNIX)
        end = start + 1
        while end < len(lines) and lines[end] != "" and not lines[end].startswith("["):
            end += 1
        body = [l for l in lines[start + 1:end]
                if not l.lower().startswith(quoted.lower()) and not l.startswith("#time=")]
        body.insert(0, "#time=%x" % OLD_FT)
        if new_line is not None:
            body.append(new_line)
        lines[start + 1:end] = body
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
