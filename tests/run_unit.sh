#!/bin/sh
# run_unit.sh - runs each cmocka test binary given, then prints one total
# line "unit: N passed, N failed" and fails if any test failed.
pass=0
fail=0
bad=""
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^\[  (PASSED|FAILED)  \]|^\[==========\]' | sed "s|^|$(basename "$(dirname "$t")")/$(basename "$t"): |"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | head -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | head -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ] || [ -z "$p" ]; then
		bad="$bad $t"
		printf '%s\n' "$out" | tail -40
		[ -n "$f" ] || fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ -z "$bad" ] || { echo "failing:$bad"; exit 1; }
