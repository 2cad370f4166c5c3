# libsim: the deterministic pure-C machine, the reference zfcpdump agent and
# the sim backend of the scenario runner.  Link order: sim before the
# libraries it uses (harness for run_result_*, dumpfmt, the firmware models).
$(eval $(call add_lib,sim,sim/src,sim/include))
$(eval $(call add_cunit,sim,sim/tests,sim harness dumpfmt sclp fcp phyp,-lelf -lz -lzstd -lxxhash))

# sim_fadump_run (sim/src/ppc64_*.c) is referenced weakly by backend.c, and a
# weak reference does not pull an archive member: force it into the
# dumpbench link while the harness link line lacks `-u sim_fadump_run`
# (better moved to harness/module.mk next to `-u sim_backend_run`).
ifneq ($(wildcard sim/src/ppc64_*.c),)
$(B)/bin/dumpbench: LDFLAGS += -Wl,-u,sim_fadump_run
endif
