# build.mk - toolchains, flags and targets for nattcheck.
#
# make            both exes: build/i686/nattcheck.exe (XP SP2 and up, 32-bit)
#                 and build/x86_64/nattcheck.exe
# make deps       install every Debian package the build and the tests need
# make check      unit tests (host gcc + cmocka), import checks, Wine tests
# make demo       build, then run the tool's main job in the built-in lab
# make clean
# V=1 shows the full commands.

VERSION_H := src/version.h
VER_MAJOR := $(shell sed -n 's/^\#define NATTCHECK_VERSION_MAJOR \([0-9]*\)/\1/p' $(VERSION_H))
VER_MINOR := $(shell sed -n 's/^\#define NATTCHECK_VERSION_MINOR \([0-9]*\)/\1/p' $(VERSION_H))
VER_PATCH := $(shell sed -n 's/^\#define NATTCHECK_VERSION_PATCH \([0-9]*\)/\1/p' $(VERSION_H))
VERSION := $(VER_MAJOR).$(VER_MINOR).$(VER_PATCH)

B := build
ARCHS := i686 x86_64

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n' $(1) $(2)
endif

SRC_C := $(sort $(wildcard src/*.c))
WIN_C := $(sort $(wildcard win/*.c))

# ---- Windows targets -------------------------------------------------------
# XP SP2 is the floor for both: _WIN32_WINNT 0x0501 hides every API XP lacks
# from the headers, and an implicit declaration is an error, so a call to a
# newer API fails the build instead of failing at load time on XP.  msvcrt is
# Debian mingw-w64's default C runtime (not UCRT), which XP has.
WIN_CFLAGS := -std=c11 -Os -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Werror -Werror=implicit-function-declaration \
	-D_WIN32_WINNT=0x0501 -DWINVER=0x0501 -DUNICODE -D_UNICODE \
	-DWIN32_LEAN_AND_MEAN -D__USE_MINGW_ANSI_STDIO=0 \
	-municode -ffunction-sections -fdata-sections -MMD -MP -Isrc -Iwin \
	-fno-asynchronous-unwind-tables
WIN_LDFLAGS := -municode -static-libgcc -s -Wl,--gc-sections \
	-Wl,--dynamicbase -Wl,--nxcompat
WIN_LIBS := -ladvapi32 -luser32 -lgdi32 -lshell32
LDFLAGS_i686 := -Wl,--major-os-version=5,--minor-os-version=1 \
	-Wl,--major-subsystem-version=5,--minor-subsystem-version=1
# XP x64 / Server 2003 x64 are 5.2: the lowest a PE32+ image can ask for.
LDFLAGS_x86_64 := -Wl,--major-os-version=5,--minor-os-version=2 \
	-Wl,--major-subsystem-version=5,--minor-subsystem-version=2 \
	-Wl,--high-entropy-va

CC_i686 := i686-w64-mingw32-gcc
CC_x86_64 := x86_64-w64-mingw32-gcc
WINDRES_i686 := i686-w64-mingw32-windres
WINDRES_x86_64 := x86_64-w64-mingw32-windres
WINDMC_i686 := i686-w64-mingw32-windmc
WINDMC_x86_64 := x86_64-w64-mingw32-windmc
OBJDUMP_i686 := i686-w64-mingw32-objdump
OBJDUMP_x86_64 := x86_64-w64-mingw32-objdump

EXES := $(foreach a,$(ARCHS),$(B)/$(a)/nattcheck.exe)

.PHONY: all deps check check-unit check-lint check-imports check-wine demo clean lint \
	lint-cppcheck lint-tidy format \
	unit-tests
.DEFAULT_GOAL := all
# Objects are not intermediate files: keep them for incremental builds.
.SECONDARY:
all: $(EXES)

define win_arch
$(B)/$(1)/obj/src/%.o: src/%.c
	$$(call quiet,CC,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(CC_$(1)) $$(WIN_CFLAGS) -c -o $$@ $$<

# win/ includes the generated message table header (order-only: built first,
# never a reason to rebuild).  A pattern rule without a recipe would not add
# this prerequisite, so it sits on the rule that builds the objects.
$(B)/$(1)/obj/win/%.o: win/%.c | $(B)/$(1)/gen/messages.rc
	$$(call quiet,CC,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(CC_$(1)) $$(WIN_CFLAGS) -c -o $$@ $$<

# The message table (event log texts) compiled by windmc, then the resource
# script (version info, manifest, message table) by windres.
$(B)/$(1)/gen/messages.rc: win/messages.mc
	$$(call quiet,WINDMC,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(WINDMC_$(1)) -U -h $$(@D) -r $$(@D) -b $$< 2>/dev/null || \
		$$(WINDMC_$(1)) -h $$(@D) -r $$(@D) -b $$<
	$(Q)test -f $$(@D)/messages.rc

$(B)/$(1)/obj/nattcheck.res.o: win/nattcheck.rc win/nattcheck.manifest $(VERSION_H) $(B)/$(1)/gen/messages.rc
	$$(call quiet,WINDRES,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(WINDRES_$(1)) -I src -I win -I $(B)/$(1)/gen -O coff -o $$@ win/nattcheck.rc

$(B)/$(1)/nattcheck.exe: $(SRC_C:%.c=$(B)/$(1)/obj/%.o) $(WIN_C:%.c=$(B)/$(1)/obj/%.o) $(B)/$(1)/obj/nattcheck.res.o
	$$(call quiet,LD,$$@)
	$(Q)$$(CC_$(1)) $$(WIN_LDFLAGS) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(WIN_LIBS)

-include $(wildcard $(B)/$(1)/obj/*/*.d)
endef
$(foreach a,$(ARCHS),$(eval $(call win_arch,$(a))))

# ---- host unit tests (gcc + cmocka, src/ against tests/fake_platform.c) ----
HOST_CC ?= gcc
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Werror -Isrc -Itests -MMD -MP \
	-D_DEFAULT_SOURCE
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_LIBS := -lcmocka -lcrypto
TEST_C := $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT_C := $(filter-out $(TEST_C),$(wildcard tests/*.c))
UNIT_TESTS := $(TEST_C:tests/%.c=$(B)/host/%)
UNIT_TESTS_SAN := $(TEST_C:tests/%.c=$(B)/host-san/%)

$(B)/host/obj/%.o: %.c
	$(call quiet,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<
$(B)/host-san/obj/%.o: %.c
	$(call quiet,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(B)/host/test_%: $(B)/host/obj/tests/test_%.o $(SRC_C:%.c=$(B)/host/obj/%.o) $(TEST_SUPPORT_C:%.c=$(B)/host/obj/%.o)
	$(call quiet,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LIBS)
$(B)/host-san/test_%: $(B)/host-san/obj/tests/test_%.o $(SRC_C:%.c=$(B)/host-san/obj/%.o) $(TEST_SUPPORT_C:%.c=$(B)/host-san/obj/%.o)
	$(call quiet,HOSTLD,$@)
	$(Q)$(HOST_CC) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

-include $(wildcard $(B)/host/obj/*/*.d $(B)/host-san/obj/*/*.d)

unit-tests: $(UNIT_TESTS) $(UNIT_TESTS_SAN)

# Every unit test binary, plain and under ASan+UBSan.  Output ends with the
# cmocka summary of each and one "N passed, N failed" total.
check-unit: $(UNIT_TESTS) $(UNIT_TESTS_SAN)
	@sh tests/run_unit.sh $(UNIT_TESTS) $(UNIT_TESTS_SAN)

# Both exes against the allow/deny lists, plus the checker's own self-test
# (it must reject exes importing inet_pton, GetTickCount64, ...).
check-imports: $(EXES)
	@p=0; f=0; for e in $(EXES) --self-test; do \
		if sh tests/check_imports.sh $$e; then p=$$((p + 1)); else f=$$((f + 1)); fi; \
	done; echo "imports: $$p passed, $$f failed"; [ $$f = 0 ]

check-wine: $(EXES)
	@bash tests/integration/run.sh

# The installer and fuzzing rules live beside their sources.
-include installer/installer.mk
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk

CHECKS := check-unit check-lint check-imports check-wine
ifneq ($(wildcard installer/installer.mk),)
CHECKS += check-installer
endif
ifneq ($(wildcard tests/fuzz/fuzz.mk),)
CHECKS += check-fuzz
endif
# Each part runs even when an earlier one failed; each prints its own
# "NAME: N passed, N failed" line and the last line is the sum of them.
check:
	@sh tests/run_checks.sh "$(MAKE)" $(CHECKS)

# ---- dependencies ------------------------------------------------------------
deps:
	@sh tests/deps.sh

demo: $(EXES)
	@bash tests/demo.sh

# make check runs the linters too (warnings are errors): one result line.
check-lint:
	@p=0; f=0; \
	if $(MAKE) --no-print-directory -s lint-cppcheck; then p=$$((p + 1)); else f=$$((f + 1)); fi; \
	if $(MAKE) --no-print-directory -s lint-tidy >/dev/null 2>build/lint-tidy.log; then p=$$((p + 1)); \
	else f=$$((f + 1)); grep -A3 "error:" build/lint-tidy.log | head -40; fi; \
	echo "lint: $$p passed, $$f failed"; [ $$f = 0 ]

lint: lint-cppcheck lint-tidy

lint-cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--std=c11 -Isrc -Iwin --suppress=missingIncludeSystem src win

lint-tidy:
	@mkdir -p $(B)
	clang-tidy --quiet src/*.c -- -std=c11 -Isrc

format:
	clang-format -i src/*.c src/*.h win/*.c win/*.h tests/*.c tests/*.h

clean:
	rm -rf $(B)
