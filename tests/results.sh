#!/bin/sh
# results.sh - sourced by tests/run_checks.sh (the parts of `make check`)
# and tests/integration/run.sh (the Wine suites): the one reading of a
# "NAME: N passed, N failed[, N skipped]" result line.
total_pass=0
total_fail=0
total_skip=0

# tally NAME LOG RC: adds the last result line of LOG to the totals.  False
# (and says why) when the part failed: a failure counted, no result line,
# or a non-zero exit status with no failure counted (its own status, not
# a pipe's).
tally() {
	_line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$2" | tail -1)
	if [ -z "$_line" ]; then
		echo "$1: printed no result line (exit $3)"
		total_fail=$((total_fail + 1))
		return 1
	fi
	_p=$(echo "$_line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	_f=$(echo "$_line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	_s=$(echo "$_line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	total_pass=$((total_pass + ${_p:-0}))
	total_fail=$((total_fail + ${_f:-0}))
	total_skip=$((total_skip + ${_s:-0}))
	if [ "$3" != 0 ] && [ "${_f:-0}" = 0 ]; then
		echo "$1: exited $3 with no failure counted"
		total_fail=$((total_fail + 1))
		return 1
	fi
	[ "${_f:-0}" = 0 ]
}
