# tests/bench/bench.mk - "make bench" (issue 7): timing, loss, size and memory
# figures of the real exe under Wine in the network lab, written to
# tests/bench/RESULTS.md, then `report` over 10 000 and 100 000 result files
# (report.sh, ~10 minutes more).  Not part of "make check"; ~18 minutes (+ up to
# 2 minutes waiting for a quiet machine); needs
# root (network namespaces), Wine, tcpdump, ike-scan (tests/deps.sh).
# Included from build.mk (uses B, EXES, CC_x86_64, HOST_CC, quiet, Q).
# Options go to tests/bench/run.sh through the environment (see its header),
# e.g. "make bench BENCH_RUNS=5" or "make bench BENCH_ARGS=--quick".

.PHONY: bench bench-report
BENCH_ARGS ?=
bench: $(EXES) $(B)/bench/relay $(B)/bench/idle.exe $(B)/bench/listread.exe
	@BENCH_B=$(B) bash tests/bench/run.sh $(BENCH_ARGS)
	@BENCH_LISTREAD=$(B)/bench/listread.exe bash tests/bench/report.sh

# `report` over 10 000 and 100 000 files against listread.exe (issue 15),
# ~10 minutes; also the last part of "bench".
bench-report: $(EXES) $(B)/bench/listread.exe
	@BENCH_LISTREAD=$(B)/bench/listread.exe bash tests/bench/report.sh

# The userspace netem (host gcc) and the memory baseline (mingw, x86_64).
$(B)/bench/relay: tests/bench/relay.c
	$(call quiet,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(or $(HOST_CC),gcc) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

$(B)/bench/listread.exe: tests/bench/listread.c
	$(call quiet,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(or $(CC_x86_64),x86_64-w64-mingw32-gcc) -municode -O2 -Wall -Wextra -Werror -s -o $@ $<

$(B)/bench/idle.exe: tests/bench/idle.c
	$(call quiet,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(or $(CC_x86_64),x86_64-w64-mingw32-gcc) -Os -s -o $@ $< -lws2_32 -ladvapi32
