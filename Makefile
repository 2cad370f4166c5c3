# dumpbench — root Makefile (non-recursive; each folder adds a module.mk).
#
#   make all          build libraries, tools, tests
#   make check-quick  unit tests + sim scenarios (fast tier)
#   make check        everything that exists, real-kernel scenarios included
#   make demo         one crash scenario per working platform, with its report
#   make coverage     lcov HTML: project code, QEMU model, kernel dump paths
#   make bench        benchmarks, printed as ratios to in-run baselines
#   make fuzz         libFuzzer targets (fuzz/), FUZZ_SECONDS each (default 60)
#   make check-asan   unit tests + sim scenarios under ASan/UBSan/LSan (build-asan)
#   make check-asan-qemu  the model code inside the patched QEMU under ASan/UBSan
#                     (its ASan variant), hostile SCCBs / IPL blocks / RTAS calls
#   make clean
#
# Every target that needs Debian packages calls ci/setup first (idempotent).

B        ?= build
CC       ?= gcc
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror=implicit-function-declaration \
            -MMD -MP
CPPFLAGS += -Icommon/include -Icommon/testhost
LDLIBS   ?=
AR       ?= ar
SETUP    ?= ci/setup
PHASE    := ci/phase

.DEFAULT_GOAL := all

LIBRARIES  :=
UNIT_TESTS :=
TOOLS      :=
BENCHES    :=

# $(call add_lib,NAME,SRCDIR,INCDIR): static library $(B)/libNAME.a from SRCDIR/*.c
define add_lib
$(1)_SRCS := $$(wildcard $(2)/*.c)
$(1)_OBJS := $$(patsubst %.c,$(B)/%.o,$$($(1)_SRCS))
CPPFLAGS  += -I$(3)
LIBRARIES += $(B)/lib$(1).a
$(B)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	$$(AR) rcs $$@ $$^
endef

# $(call add_cunit,NAME,SRCDIR,LIBS,EXTRA_LDLIBS): CUnit binary $(B)/tests/test-NAME
define add_cunit
$(1)_TSRCS := $$(wildcard $(2)/*.c) common/testhost/testhost.c
$(1)_TOBJS := $$(patsubst %.c,$(B)/%.o,$$($(1)_TSRCS))
UNIT_TESTS += $(B)/tests/test-$(1)
$(B)/tests/test-$(1): $$($(1)_TOBJS) $(foreach l,$(3),$(B)/lib$(l).a)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_TOBJS) $(foreach l,$(3),$(B)/lib$(l).a) -lcunit $(4) $$(LDLIBS)
endef

# $(call add_tool,NAME,SRCS,LIBS,EXTRA_LDLIBS): program $(B)/bin/NAME
define add_tool
$(1)_PSRCS := $(2)
$(1)_POBJS := $$(patsubst %.c,$(B)/%.o,$$($(1)_PSRCS))
TOOLS += $(B)/bin/$(1)
$(B)/bin/$(1): $$($(1)_POBJS) $(foreach l,$(3),$(B)/lib$(l).a)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_POBJS) $(foreach l,$(3),$(B)/lib$(l).a) $(4) $$(LDLIBS)
endef

include $(sort $(wildcard */module.mk))

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

.PHONY: all setup-quick setup-check check-quick check demo coverage bench clean \
        unit sim-scenarios real-scenarios

all: setup-quick
	@$(MAKE) --no-print-directory build-all

.PHONY: build-all
build-all: $(LIBRARIES) $(TOOLS) $(UNIT_TESTS) $(BENCHES)

setup-quick:
	@$(SETUP) quick

setup-check:
	@$(SETUP) check

unit: build-all
	@ci/run-unit $(UNIT_TESTS)

sim-scenarios: build-all
	@if [ -x $(B)/bin/dumpbench ] && ls scenarios/sim/*.scn >/dev/null 2>&1; then \
	    $(B)/bin/dumpbench run --backend sim --golden-dir scenarios/golden --result $(B)/sim-result.json scenarios/sim/*.scn && \
	    B=$(B) ci/check-shards $(B)/sim-result.json && \
	    B=$(B) ci/regress-demo out/runs; \
	else echo "# sim scenarios: none yet"; fi

# x86_64 kdump (direct QMP, then the same scenarios on the libvirt
# backend), then the patched-firmware paths (s390x zfcpdump, ppc64 fadump:
# these build the patched QEMU and the kernels into the cache).  All run
# even when one fails; the phase fails if any failed.  Last,
# ci/check-asan-qemu: the ASan variant of the QEMU those built (never a QEMU
# build of its own: not cached = SKIPPED), then ci/replay-real in mode
# script: one crash scenario per arch recorded and replayed, the replay must
# be identical (never builds: what is not in the cache is SKIPPED).
real-scenarios: build-all
	@rc=0; ci/real-scenarios || rc=1; ci/real-libvirt || rc=1; ci/real-s390x || rc=1; ci/real-ppc64 || rc=1; \
	    CHECK_ASAN_QEMU_CACHED_ONLY=1 ci/check-asan-qemu || rc=1; \
	    REPLAY_MODES=script REPLAY_REPEAT=1 REPLAY_PRUNE=1 REPLAY_OUT=out/replay-check \
	        ci/replay-real x86_64 s390x ppc64 || rc=1; exit $$rc

check-quick: setup-quick
	@$(PHASE) build $(MAKE) --no-print-directory build-all
	@$(PHASE) unit $(MAKE) --no-print-directory unit
	@$(PHASE) sim $(MAKE) --no-print-directory sim-scenarios
	@$(PHASE) faults env FAULT_MATRIX_REAL=0 $(MAKE) --no-print-directory fault-matrix

check: setup-quick
	@$(PHASE) setup $(SETUP) check
	@$(PHASE) build $(MAKE) --no-print-directory build-all
	@$(PHASE) unit $(MAKE) --no-print-directory unit
	@$(PHASE) sim $(MAKE) --no-print-directory sim-scenarios
	@$(PHASE) faults env FAULT_MATRIX_REAL=0 $(MAKE) --no-print-directory fault-matrix
	@$(PHASE) reports sh -c '$(SETUP) html >/dev/null 2>&1 || echo "# ci/setup html failed: the DOM check will say SKIPPED"; B=$(B) ci/check-html-report'
	@$(PHASE) asan ci/check-asan
	@$(PHASE) real $(MAKE) --no-print-directory real-scenarios

demo: setup-quick
	@$(MAKE) --no-print-directory build-all
	@ci/demo

# One HTML report (build-cov/html/index.html): project code under the unit +
# sim tests, the models inside QEMU, the kernel's dump paths under the real
# s390x/ppc64 scenarios (gcov dump kernels); ci/coverage, COVERAGE_KERNEL=0
# skips the kernel part.
coverage: setup-quick
	@$(SETUP) coverage
	@ci/coverage

bench: setup-quick
	@$(MAKE) --no-print-directory build-all
	@ci/run-bench $(BENCHES)

# Fault matrix (ci/fault-matrix): scenarios/faults on the sim, plus the
# real-kernel `step fault` scenarios (FAULT_MATRIX_REAL=0: listed SKIPPED).
.PHONY: fault-matrix
fault-matrix: build-all
	@B=$(B) ci/fault-matrix

FUZZ_SECONDS ?= 60
.PHONY: fuzz check-asan
fuzz: setup-quick
	@B=$(B) ci/run-fuzz $(FUZZ_SECONDS)

check-asan: setup-quick
	@ci/check-asan

# builds the patched QEMU (with its variants) first when it is not cached
.PHONY: check-asan-qemu
check-asan-qemu: setup-quick
	@ci/check-asan-qemu

clean:
	rm -rf $(B) build-cov build-asan

-include $(shell find $(B) -name '*.d' 2>/dev/null)
