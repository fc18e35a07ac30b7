# tests/bench/bench.mk - "make bench" (issue 7): timing, loss, size and memory
# figures of the real exe under Wine in the network lab, written to
# tests/bench/RESULTS.md, then `report` over 10 000 and 100 000 result files
# (report.sh, ~10 minutes more), then the cost of one Diffie-Hellman with
# src/ike_dh.c and src/bn.c, host and Wine (dh.sh, ~30 s more), then a check
# with the key, Main Mode and Quick Mode, against the round trips (phase1.sh,
# ~1.5 minutes more).  Not part of "make check"; ~18 minutes (+ up to 2 minutes
# waiting for a quiet machine);
# needs root (network namespaces), Wine, tcpdump, ike-scan (tests/deps.sh).
# Included from build.mk (uses B, EXES, CC_x86_64, HOST_CC, quiet, Q).
# Options go to tests/bench/run.sh through the environment (see its header),
# e.g. "make bench BENCH_RUNS=5" or "make bench BENCH_ARGS=--quick".

.PHONY: bench bench-report bench-dh bench-phase1
# dhbench (dh.sh): the same sources for the host and for Windows x86_64, at
# -O2 and at -Os (the exe's own, WIN_CFLAGS); its own plat_random (xorshift).
DHBENCH_SRC := tests/bench/dhbench.c src/ike_dh.c src/bn.c
DHBENCH_DEP := $(DHBENCH_SRC) src/ike.h src/bn.h src/platform.h
DHBENCH_FLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror -Isrc
DHBENCH_HOST := $(B)/bench/dhbench-O2 $(B)/bench/dhbench-Os
DHBENCH_WIN := $(B)/bench/dhbench-O2.exe $(B)/bench/dhbench-Os.exe
DHBENCH := $(DHBENCH_HOST) $(DHBENCH_WIN)
BENCH_ARGS ?=
bench: $(EXES) $(B)/bench/relay $(B)/bench/idle.exe $(B)/bench/listread.exe $(DHBENCH)
	@BENCH_B=$(B) bash tests/bench/run.sh $(BENCH_ARGS)
	@BENCH_LISTREAD=$(B)/bench/listread.exe bash tests/bench/report.sh
	@BENCH_DH_BIN=$(B)/bench HOST_CC=$(or $(HOST_CC),gcc) bash tests/bench/dh.sh
	@BENCH_B=$(B) bash tests/bench/phase1.sh

# `report` over 10 000 and 100 000 files against listread.exe (issue 15),
# ~10 minutes; also part of "bench" (before dh.sh).
bench-report: $(EXES) $(B)/bench/listread.exe
	@BENCH_LISTREAD=$(B)/bench/listread.exe bash tests/bench/report.sh

# One Diffie-Hellman (groups 2, 14, 19, 20) with src/ike_dh.c and src/bn.c,
# host and Wine x86_64, -O2 and -Os (dh.sh): ~30 s, up to 20 s more waiting
# for a quiet machine; also part of "bench".  Options (see dh.sh):
# BENCH_DH_RUNS (50), BENCH_DH_ROUNDS (5), BENCH_DH_GROUPS, BENCH_OUT.
bench-dh: $(DHBENCH)
	@BENCH_DH_BIN=$(B)/bench HOST_CC=$(or $(HOST_CC),gcc) bash tests/bench/dh.sh

# With the key (--psk-file, the lab's LAB_PSK) and without, the x86_64 exe
# under Wine against charon through the relay at RTT 20, 100, 300 ms, nonat
# and server-nat: the exe's elapsed_ms and the bare exchange from a capture
# (to message 6, to Quick Mode message 2, to message 4) against 3x, 4x and
# 2x RTT (phase1.sh, phase1.py): ~1.5 minutes, as root; also the last part
# of "bench".  Options (see phase1.sh): BENCH_P1_RUNS (5), BENCH_P1_RTTS,
# BENCH_P1_SCENARIOS, BENCH_OUT.
bench-phase1: $(B)/x86_64/nattcheck.exe $(B)/bench/relay
	@BENCH_B=$(B) bash tests/bench/phase1.sh

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

$(DHBENCH_HOST): $(B)/bench/dhbench-%: $(DHBENCH_DEP)
	$(call quiet,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(or $(HOST_CC),gcc) $(DHBENCH_FLAGS) -$* -D_DEFAULT_SOURCE -o $@ $(DHBENCH_SRC)
$(DHBENCH_WIN): $(B)/bench/dhbench-%.exe: $(DHBENCH_DEP)
	$(call quiet,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(or $(CC_x86_64),x86_64-w64-mingw32-gcc) $(DHBENCH_FLAGS) -$* -D__USE_MINGW_ANSI_STDIO=0 \
		-static-libgcc -s -o $@ $(DHBENCH_SRC)
