# libdumpfmt: neutral dump model, ELF /proc/vmcore writer/reader,
# kdump-compressed reader, s390 stand-alone dump reader/writer.
# See /work/shared/specs/formats.md §1.
$(eval $(call add_lib,dumpfmt,dumpfmt/src,dumpfmt/include))
$(eval $(call add_cunit,dumpfmt,dumpfmt/tests,dumpfmt,-lelf -lz -lzstd -lkdumpfile))
$(eval $(call add_tool,dfinfo,dumpfmt/tools/dfinfo.c,dumpfmt,-lelf -lz -lzstd))
