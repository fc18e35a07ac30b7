#!/usr/bin/python3
"""schema_check.py - every JSON document the integration suites collected
(--json output and --log files of the real exe under Wine) against the
published schema, installer/nattcheck.schema.json, with Debian's
python3-jsonschema.

Usage: schema_check.py SCHEMA DIR    (prints FAIL lines and "schema: N passed, N failed")
"""
import json
import os
import sys

import jsonschema


def main():
    schema_path, folder = sys.argv[1:3]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    passed = failed = 0
    kinds = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            failed += 1
            print("FAIL [schema] %s: not JSON: %s" % (name, e))
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            print("FAIL [schema] %s: %s" % (name, "; ".join(
                "%s: %s" % ("/".join(map(str, e.absolute_path)) or "(top)", e.message[:200])
                for e in errors[:3])))
            print("    " + json.dumps(doc)[:600])
        else:
            passed += 1
            kinds[doc.get("command")] = kinds.get(doc.get("command"), 0) + 1
    print("PASS [schema] documents by command: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(kinds.items())))
    print("schema: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
