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
$(eval $(call add_fuzz,fcp_fsf,fuzz/fuzz_fcp_fsf.c,$(FUZZ_FCP_SRCS),))
$(eval $(call add_fuzz,fcp_ssqd,fuzz/fuzz_fcp_ssqd.c,$(FUZZ_FCP_SRCS),))
$(eval $(call add_fuzz,phyp_register,fuzz/fuzz_phyp_register.c,$(FUZZ_PHYP_SRCS),))
$(eval $(call add_fuzz,phyp_regsave,fuzz/fuzz_phyp_regsave.c,$(FUZZ_PHYP_SRCS),))
$(eval $(call add_fuzz,scenario,fuzz/fuzz_scenario.c,harness/src/scenario.c,))
$(eval $(call add_fuzz,dumpfmt,fuzz/fuzz_dumpfmt.c,$(FUZZ_DUMPFMT_SRCS),-lz -lzstd))
# Added for issue 11's audit of guest-facing entry points and readers:
# SIGP orders / DIAG 308 from registers, RTAS argument arrays, the FSF
# handle sequence, the real-kernel oracles' ELF reader, golden manifests.
$(eval $(call add_fuzz,sclp_sigp,fuzz/fuzz_sclp_sigp.c,$(FUZZ_SCLP_SRCS),))
$(eval $(call add_fuzz,phyp_rtas_call,fuzz/fuzz_phyp_rtas_call.c,$(FUZZ_PHYP_SRCS),))
$(eval $(call add_fuzz,fcp_handles,fuzz/fuzz_fcp_handles.c,$(FUZZ_FCP_SRCS),))
$(eval $(call add_fuzz,qemu_elf,fuzz/fuzz_qemu_elf.c,harness/src/qemu_elf.c,))
$(eval $(call add_fuzz,golden_manifest,fuzz/fuzz_golden_manifest.c,harness/src/golden.c harness/src/util.c $(FUZZ_DUMPFMT_SRCS),-lz -lzstd -lxxhash))
$(FUZZ_DIR)/obj/fuzz/fuzz_qemu_elf.o: CPPFLAGS += -Iharness/src

.PHONY: fuzz-build
fuzz-build: $(FUZZERS) $(B)/bin/fuzz-seedgen
