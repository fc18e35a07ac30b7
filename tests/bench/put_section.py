#!/usr/bin/env python3
"""put_section.py NAME FILE - puts the section read from standard input into
FILE (RESULTS.md) between the lines "<!-- NAME begin -->" and
"<!-- NAME end -->", which the section itself carries: replaces the old one
there, or appends it when FILE has none (or does not exist yet).  Echoes
the section to standard output.  Used by report.sh and dh.sh, whose sections
survive run.sh rewriting the rest of the file."""
import sys


def main():
    name, out = sys.argv[1], sys.argv[2]
    begin, end = "<!-- %s begin -->" % name, "<!-- %s end -->" % name
    section = sys.stdin.read()
    if not section.endswith("\n"):
        section += "\n"
    if begin not in section or end not in section:
        sys.exit("put_section.py: the section lacks its %s markers" % name)
    try:
        text = open(out, encoding="utf-8").read()
    except FileNotFoundError:
        text = ""
    b, e = text.find(begin), text.find(end)
    if b >= 0 and e > b:
        text = text[:b] + section + text[e + len(end) + 1:]
    else:
        text = text + ("\n" if text and not text.endswith("\n\n") else "") + section
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(section)


main()
