#!/bin/sh
# run_checks.sh MAKE PART... - runs each `make PART`, even after a failure,
# then prints the sum of the parts' "NAME: N passed, N failed" lines.
make=$1
shift
mkdir -p build
pass=0
fail=0
failed=""
for part in "$@"; do
	log=build/$part.log
	$make --no-print-directory "$part" 2>&1 | tee "$log"
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		failed="$failed $part(no result line)"
		fail=$((fail + 1))
	fi
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if grep -q '^make.*Error' "$log"; then
		failed="$failed $part"
		[ "${f:-0}" -gt 0 ] || fail=$((fail + 1))
	fi
done
[ -z "$failed" ] || echo "check: FAILED:$failed"
echo "check: $pass passed, $fail failed"
[ -z "$failed" ]
