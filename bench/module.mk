# bench/: `make bench` programs.  Each prints a table of throughputs as
# ratios to baselines measured in the same run (memcpy, cmp, zstd) plus its
# peak RSS; ci/run-bench runs every program in BENCHES.
BENCH_SIM_LIBS := sim harness dumpfmt sclp fcp phyp
BENCH_LDLIBS   := -lelf -lz -lzstd -lxxhash

$(eval $(call add_tool,bench-zfcpdump,bench/bench_zfcpdump.c bench/bench_util.c,$(BENCH_SIM_LIBS),$(BENCH_LDLIBS)))
$(eval $(call add_tool,bench-golden,bench/bench_golden.c bench/bench_util.c,harness dumpfmt,$(BENCH_LDLIBS)))
BENCHES += $(B)/bin/bench-zfcpdump $(B)/bin/bench-golden
BENCHES += bench/bench-x86-kdump.sh
BENCHES += bench/bench-s390x.sh
BENCHES += bench/bench-s390x-fcp.sh
BENCHES += bench/bench-ppc64.sh
