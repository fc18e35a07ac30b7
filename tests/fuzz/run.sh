#!/bin/sh
# run.sh SECONDS BUILDDIR NAME... - runs each libFuzzer harness
# BUILDDIR/fuzz_NAME for SECONDS, one after another, one process each (no
# -jobs/-workers: at most one core).  New inputs go to BUILDDIR/corpus/NAME,
# the committed seeds in tests/fuzz/corpus/NAME are only read.  Prints one
# line per harness, the total executions, and "fuzz: N passed, N failed"
# (N counts harnesses); exits 1 if any harness crashed or did not run.
# FUZZ_FLAGS (environment) adds libFuzzer flags.
secs=$1
dir=$2
shift 2
pass=0
fail=0
total=0
bad=""
for name in "$@"; do
	bin=$dir/fuzz_$name
	work=$dir/corpus/$name
	art=$dir/artifacts/$name
	log=$dir/logs/$name.log
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$work" "$art" "$dir/logs"
	case $name in
	addr) max_len=300 ;;
	cli) max_len=1024 ;;
	json | fleet) max_len=8192 ;;
	*) max_len=4096 ;;
	esac
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
		-print_final_stats=1 -artifact_prefix="$art/" $dict $FUZZ_FLAGS \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	if [ -z "$execs" ]; then
		# a crash ends the run before the final stats: take the last status line
		execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
	fi
	execs=${execs:-0}
	total=$((total + execs))
	cov=$(sed -n 's/^#[0-9]*.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		printf '  %-12s ok      %10s execs in %s s (%s)\n' "fuzz_$name" "$execs" "$secs" "$cov"
	else
		fail=$((fail + 1))
		bad="$bad $name"
		printf '  %-12s FAILED  %10s execs (exit %s); log %s\n' "fuzz_$name" "$execs" "$rc" "$log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -8 | sed 's/^/      /'
	fi
done
echo "fuzz: total $total executions"
echo "fuzz: $pass passed, $fail failed"
[ -z "$bad" ] || { echo "crashed:$bad"; exit 1; }
