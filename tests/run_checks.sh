#!/bin/sh
# run_checks.sh MAKE PART... - runs each `make PART`, even after a failure,
# then prints the sum of the parts' "NAME: N passed, N failed[, N skipped]"
# lines.  A part fails when it counts a failure, prints no result line, or
# exits non-zero (its own exit status, not tee's).
make=$1
shift
. "$(dirname "$0")/results.sh"
mkdir -p build
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
	tally "$part" "$log" "$rc" || failed="$failed $part"
done
[ -z "$failed" ] || echo "check: FAILED:$failed"
echo "check: $total_pass passed, $total_fail failed, $total_skip skipped"
[ -z "$failed" ]
