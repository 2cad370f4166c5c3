# fuzz/: libFuzzer targets for every guest-facing entry point (issue 11).
#
#   make fuzz-build        clang -fsanitize=fuzzer,address,undefined binaries in
#                          $(B)/fuzz/bin/, the library sources compiled directly
#                          (not the gcc-built .a files)
#   ci/run-fuzz SECONDS    builds, generates seeds and runs every target
#
# The seed generator is an ordinary gcc tool ($(B)/bin/fuzz-seedgen), so it is
# built (warning-free) by build-all and uses the same libraries' writers.

$(eval $(call add_tool,fuzz-seedgen,fuzz/seedgen.c fuzz/fuzz_host.c,dumpfmt sclp fcp phyp,-lelf -lz -lzstd))

FUZZ_CC      ?= clang
FUZZ_DIR     := $(B)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -MMD -MP
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer
FUZZERS      :=

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Ifuzz $(FUZZ_CFLAGS) -c -o $@ $<

# $(call add_fuzz,NAME,HARNESS_SRCS,LIBRARY_SRCS,LDLIBS)
define add_fuzz
FUZZERS += $(FUZZ_DIR)/bin/fuzz-$(1)
$(FUZZ_DIR)/bin/fuzz-$(1): $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(2) fuzz/fuzz_host.c $(3))
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_LDFLAGS) -o $$@ $$^ $(4)
endef

FUZZ_SCLP_SRCS    := $(wildcard sclp-model/src/*.c)
FUZZ_FCP_SRCS     := $(wildcard fcp-model/src/*.c)
FUZZ_PHYP_SRCS    := $(wildcard phyp-model/src/*.c)
FUZZ_DUMPFMT_SRCS := $(wildcard dumpfmt/src/*.c)

$(eval $(call add_fuzz,sclp_servc,fuzz/fuzz_sclp_servc.c,$(FUZZ_SCLP_SRCS),))
$(eval $(call add_fuzz,sclp_diag308,fuzz/fuzz_sclp_diag308.c,$(FUZZ_SCLP_SRCS),))
$(eval $(call add_fuzz,s390dump,fuzz/fuzz_s390dump.c,$(FUZZ_SCLP_SRCS),))
$(eval $(call add_fuzz,fcp_scsi,fuzz/fuzz_fcp_scsi.c fuzz/fuzz_fcp_common.c,$(FUZZ_FCP_SRCS),))
$(eval $(call add_fuzz,fcp_cmnd,fuzz/fuzz_fcp_cmnd.c fuzz/fuzz_fcp_common.c,$(FUZZ_FCP_SRCS),))
$(eval $(call add_fuzz,phyp_register,fuzz/fuzz_phyp_register.c,$(FUZZ_PHYP_SRCS),))
$(eval $(call add_fuzz,phyp_regsave,fuzz/fuzz_phyp_regsave.c,$(FUZZ_PHYP_SRCS),))
$(eval $(call add_fuzz,scenario,fuzz/fuzz_scenario.c,harness/src/scenario.c,))
$(eval $(call add_fuzz,dumpfmt,fuzz/fuzz_dumpfmt.c,$(FUZZ_DUMPFMT_SRCS),-lz -lzstd))

.PHONY: fuzz-build
fuzz-build: $(FUZZERS) $(B)/bin/fuzz-seedgen
