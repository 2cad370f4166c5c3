# libsim: the deterministic pure-C machine, the reference zfcpdump agent and
# the sim backend of the scenario runner.  Link order: sim before the
# libraries it uses (harness for run_result_*, dumpfmt, the firmware models).
$(eval $(call add_lib,sim,sim/src,sim/include))
$(eval $(call add_cunit,sim,sim/tests,sim harness dumpfmt sclp fcp phyp,-lelf -lz -lzstd -lxxhash -ljson-c -lkdumpfile))
