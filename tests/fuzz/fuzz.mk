# tests/fuzz/fuzz.mk - libFuzzer harnesses for everything that parses
# untrusted input (IKE replies, NAT-D, the encrypted Main Mode message 6 and
# Informationals, Quick Mode message 2, the probe as a whole, result-file
# JSON, `report`, server arguments, the command line).  Included at the end
# of build.mk; uses its B, Q, quiet and SRC_C.  Needs clang with
# libclang-rt-14-dev (libFuzzer, ASan, UBSan) and libssl-dev (fake_net.c).
#
# make fuzz           every harness for FUZZ_SECONDS (default 60) each, on the
#                     seeds in tests/fuzz/corpus/ plus what earlier runs found
#                     (kept in $(B)/fuzz/corpus/); fails on any crash
# make check-fuzz     the same, FUZZ_CHECK_SECONDS (default 6) each: ~60 s in all
# make fuzz-build     the harness binaries only
# make fuzz-seeds     regenerate tests/fuzz/corpus/ (tests/fuzz/gen_seeds.c)
# FUZZ_FLAGS adds libFuzzer flags, e.g. FUZZ_FLAGS=-seed=1.  A crash leaves
# its input in $(B)/fuzz/artifacts/NAME/ and the log in $(B)/fuzz/logs/;
# reproduce with $(B)/fuzz/fuzz_NAME FILE.
#
# Objects are built with clang under $(B)/fuzz/obj/ (the gcc objects are
# elsewhere), src/ and the fakes instrumented like the harnesses.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 6
FUZZ_NAMES := ike natd probe json addr cli fleet mm qm
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Isrc -Itests -D_DEFAULT_SOURCE \
	-MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_SUPPORT_C := $(filter-out $(wildcard tests/test_*.c),$(wildcard tests/*.c))
FUZZ_LIB_O := $(SRC_C:%.c=$(B)/fuzz/obj/%.o) $(FUZZ_SUPPORT_C:%.c=$(B)/fuzz/obj/%.o)
FUZZ_BINS := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)

.PHONY: fuzz check-fuzz fuzz-build fuzz-seeds

$(B)/fuzz/obj/%.o: %.c
	$(call quiet,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz_%: $(B)/fuzz/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_O)
	$(call quiet,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ -lcrypto

# Plain host build: it only writes files.
$(B)/fuzz/gen_seeds: tests/fuzz/gen_seeds.c tests/fixtures_ike.h tests/fixtures_mm.h \
		tests/fixtures_qm.h
	$(call quiet,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=c11 -O1 -Wall -Wextra -Werror -Isrc -Itests -D_DEFAULT_SOURCE \
		-o $@ tests/fuzz/gen_seeds.c

-include $(wildcard $(B)/fuzz/obj/*/*.d $(B)/fuzz/obj/tests/fuzz/*.d)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(B)/fuzz $(FUZZ_NAMES)

check-fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_CHECK_SECONDS) $(B)/fuzz $(FUZZ_NAMES)

fuzz-seeds: $(B)/fuzz/gen_seeds
	$(B)/fuzz/gen_seeds tests/fuzz/corpus
