# harness/: libharness (scenario parser, golden store, comparison, runner,
# reports), the `dumpbench` CLI and its CUnit tests.
$(eval $(call add_lib,harness,harness/src,harness/include))

# The sim backend (and the models it runs) are linked in when those folders
# exist; sim_backend_run is referenced weakly by harness/src/backends.c, so
# `-u` makes the linker pull it out of libsim.a (only once sim/src defines it).
HARNESS_SIM_LIBS := $(if $(wildcard sim/module.mk),sim \
    $(if $(wildcard sclp-model/module.mk),sclp) \
    $(if $(wildcard fcp-model/module.mk),fcp) \
    $(if $(wildcard phyp-model/module.mk),phyp))
HARNESS_SIM_LDFLAGS := $(if $(wildcard sim/module.mk),$(if $(shell grep -l '^int sim_backend_run\|^sim_backend_run' sim/src/*.c 2>/dev/null),-u sim_backend_run))

$(eval $(call add_tool,dumpbench,harness/tools/dumpbench.c,harness $(HARNESS_SIM_LIBS) dumpfmt,$(HARNESS_SIM_LDFLAGS) -lelf -lz -lzstd -lxxhash -ljson-c -lkdumpfile))
$(eval $(call add_cunit,harness,harness/tests,harness sclp phyp dumpfmt,-lelf -lz -lzstd -lxxhash -ljson-c -lkdumpfile))

# libvirt backend launcher (harness/tools/libvirt_qemu.c): built when libvirt-dev is
# installed (ci/setup libvirt); without it `backend libvirt` reports SKIPPED with the reason.
ifneq ($(shell pkg-config --exists libvirt 2>/dev/null && echo yes),)
$(eval $(call add_tool,dumpbench-libvirt-qemu,harness/tools/libvirt_qemu.c,harness,$(shell pkg-config --libs libvirt libvirt-qemu) -pthread))
endif
