#!/bin/sh
# run_checks.sh MAKE PART... - runs each `make PART`, even after a failure,
# then prints the sum of the parts' "NAME: N passed, N failed[, N skipped]"
# lines.  A part fails when it counts a failure, prints no result line, or
# exits non-zero (its own exit status, not tee's).
make=$1
shift
mkdir -p build
pass=0
fail=0
skip=0
failed=""
for part in "$@"; do
	log=build/$part.log
	t0=$(date +%s)
	{
		$make --no-print-directory "$part" 2>&1
		echo "$?" >"build/$part.rc"
	} | tee "$log"
	rc=$(cat "build/$part.rc" 2>/dev/null || echo 1)
	echo "($part: $(($(date +%s) - t0)) s)"
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	skip=$((skip + ${s:-0}))
	if [ -z "$line" ]; then
		failed="$failed $part(no result line)"
		fail=$((fail + 1))
	elif [ "$rc" != 0 ]; then
		failed="$failed $part"
		[ "${f:-0}" -gt 0 ] || fail=$((fail + 1))
	fi
done
[ -z "$failed" ] || echo "check: FAILED:$failed"
echo "check: $pass passed, $fail failed, $skip skipped"
[ -z "$failed" ]
