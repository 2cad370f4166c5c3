#!/usr/bin/env python3
"""ci/lib/rtas-hostile.py QEMU DATA OUTDIR — hostile ibm,configure-kernel-dump
calls against the patched qemu-system-ppc64 under the qtest accelerator (no
guest kernel); run by ci/check-asan-qemu against the ASan variant.

Dump structure layout (fadump_mem_struct, lx61:arch/powerpc/platforms/pseries/
rtas-fadump.h; spec /work/shared/specs/phyp.md 2.2): 40-byte header
(u32 dump_format_version, u16 dump_num_sections, u16 dump_status_flag,
u32 offset_first_dump_section, u32 dd_block_size, u64 dd_block_offset,
u64 dd_num_blocks, u32 dd_offset_disk), then 40-byte sections (u32
request_flag, u16 source_data_type, u16 error_flags, u64 source_address,
u64 source_len, u64 bytes_dumped, u64 destination_address), big-endian.

Part 1, profile phyp-default (strict): every length/offset field out of
range gets -3 (parameter error) and changes nothing; absurd nargs/nret get
-3 and no write beyond rets[nret-1]; a structure rewritten with 0xff after a
successful REGISTER does not change what ibm,os-term dumps (libphyp's copy
is authoritative).  Part 2, profile qemu-10.2 (QEMU's lax semantics: no
section validation): garbage sections are accepted and the dump at
ibm,os-term must survive them (sizes 2^64-1, wrapping sources, destinations
beyond RAM, unknown types), marking the sections in error.
Exit 0 when every check passed; prints PASS/FAIL lines.
"""
import os
import struct
import subprocess
import sys

qemu, data, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
fails = 0
RAM = 1 << 30
FDM, CPUSZ = 0x100000, 0x510
CPU_DST, HPTE_DST, RMR_DST, RMR_LEN = 0x20000000, 0x20000510, 0x20010000, 0x10000000
M64 = (1 << 64) - 1


def check(name, want, got):
    global fails
    if want == got:
        print("PASS %s" % name)
    else:
        print("FAIL %s: want %r got %r" % (name, want, got))
        fails += 1
    sys.stdout.flush()


def hdr(version=1, nsec=3, first=0x28, status=0, rest=b"\0" * 28):
    return struct.pack(">IHHI", version, nsec, status, first) + rest


def sec(rf, typ, src, length, dst, err=0, dumped=0):
    return struct.pack(">IHHQQQQ", rf, typ, err, src, length, dumped, dst)


def good(**kw):
    return hdr(**kw) + sec(1, 1, 0, CPUSZ, CPU_DST) + sec(1, 2, 0, 0, HPTE_DST) + \
        sec(1, 0x11, 0, RMR_LEN, RMR_DST)


class QT:
    def __init__(self, profile, log):
        self.p = subprocess.Popen(
            [qemu, "-L", data, "-M", "pseries,x-vof=on", "-m", "1G", "-smp", "1", "-nodefaults",
             "-display", "none", "-accel", "qtest", "-qtest", "stdio",
             "-object", "dumpbench-spapr,id=db1,profile=%s" % profile],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(log, "w"))

    def q(self, cmd):
        self.p.stdin.write((cmd + "\n").encode())
        self.p.stdin.flush()
        r = self.p.stdout.readline().decode().strip()
        if not r:
            raise SystemExit("FAIL qtest: no reply to %r (QEMU exited %s)" % (cmd, self.p.poll()))
        return r

    def write(self, addr, b):
        self.q("write 0x%x %d 0x%s" % (addr, len(b), b.hex()))

    def readq(self, addr):
        return int(self.q("readq 0x%x" % addr).split()[1], 16)

    def readl(self, addr):
        return int(self.q("readl 0x%x" % addr).split()[1], 16)

    def call(self, cmd, addr=FDM, size=160, nargs=3, nret=1):
        self.write(0x2000, struct.pack(">III", cmd & 0xffffffff, addr & 0xffffffff, size & 0xffffffff))
        self.write(0x2100, struct.pack(">II", 0xdeadbeef, 0xdeadbeef))
        self.q("rtas ibm,configure-kernel-dump %d 0x2000 %d 0x2100" % (nargs, nret))
        v = self.readl(0x2100)
        return v - (1 << 32) if v >= 0x80000000 else v

    def os_term(self, msg_addr):
        self.write(0x3000, struct.pack(">I", msg_addr & 0xffffffff))
        self.write(0x2100, struct.pack(">I", 0xdeadbeef))
        r = self.q("rtas ibm,os-term 1 0x3000 1 0x2100")
        return r, self.readl(0x2100)

    def close(self):
        try:
            self.q("endianness")
            alive = True
        except SystemExit:
            alive = False
        # SIGTERM: QEMU shuts down normally (exit handlers, gcov counters)
        self.p.terminate()
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.p.stdin.close()
        return alive


# ---- part 1: strict profile --------------------------------------------------
t = QT("phyp-default", os.path.join(out, "qemu-strict.log"))
check("qtest up", "OK big", t.q("endianness"))


def reg(name, blob, size=None, addr=FDM, want=-3):
    if blob is not None:
        t.write(addr, blob)
    check(name, want, t.call(1, addr, len(blob) if size is None else size))


g = good()
reg("size 0xffffffff", g, size=0xffffffff)
reg("size 0", g, size=0)
reg("size 40 (header only, 3 sections declared)", g, size=40)
reg("fdm at 0xffffffff", None, addr=0xffffffff, size=160)
reg("fdm at RAM - 40, size 160", g[:40], addr=RAM - 40, size=160)
reg("fdm at RAM - 8, size 40", None, addr=RAM - 8, size=40)
reg("num_sections 0xffff", hdr(nsec=0xffff) + g[40:], size=160)
reg("num_sections 11 in a 440-byte area", hdr(nsec=11) + g[40:] + b"\0" * 280, size=440)
reg("offset_first_dump_section 0xffffffff", hdr(first=0xffffffff) + g[40:])
reg("offset_first_dump_section 0", hdr(first=0) + g[40:])
reg("offset_first_dump_section 0x27", hdr(first=0x27) + g[40:])
reg("dump_format_version 0xffffffff", hdr(version=0xffffffff) + g[40:])
reg("dump_format_version 0", hdr(version=0) + g[40:])
base = hdr() + sec(1, 1, 0, CPUSZ, CPU_DST) + sec(1, 2, 0, 0, HPTE_DST)
reg("RMR source_len 2^64-1", base + sec(1, 0x11, 0, M64, RMR_DST))
reg("RMR source wraps (2^64-4K, 8K)", base + sec(1, 0x11, M64 - 0xfff, 0x2000, RMR_DST))
reg("RMR source beyond RAM", base + sec(1, 0x11, RAM, 0x1000, RMR_DST))
reg("RMR source ends 4K past RAM", base + sec(1, 0x11, RAM - 0x1000, 0x2000, RMR_DST))
reg("RMR destination 2^64-64K", base + sec(1, 0x11, 0, RMR_LEN, M64 - 0xffff))
reg("RMR destination + len wraps", base + sec(1, 0x11, 0, RMR_LEN, M64 - RMR_LEN + 2))
reg("RMR destination ends 4K past RAM", base + sec(1, 0x11, 0, RMR_LEN, RAM - RMR_LEN + 0x1000))
reg("RMR length 0", base + sec(1, 0x11, 0, 0, RMR_DST))
reg("CPU source_len 2^64-1", hdr() + sec(1, 1, 0, M64, CPU_DST) + g[80:])
reg("CPU destination 2^64-4K", hdr() + sec(1, 1, 0, CPUSZ, M64 - 0xfff) + g[80:])
reg("HPTE source_len 2^64-1", hdr() + g[40:80] + sec(1, 2, 0, M64, HPTE_DST) + g[120:])
reg("request_flag 0 everywhere", hdr() + sec(0, 1, 0, CPUSZ, CPU_DST) + sec(0, 2, 0, 0, HPTE_DST) +
    sec(0, 0x11, 0, RMR_LEN, RMR_DST))
reg("request_flag 0xffffffff", hdr() + sec(0xffffffff, 1, 0, CPUSZ, CPU_DST) + g[80:])
reg("source_data_type 0xffff", hdr() + g[40:80] + g[80:120] + sec(1, 0xffff, 0, RMR_LEN, RMR_DST))
reg("two CPU sections", hdr(nsec=4) + g[40:] + sec(1, 1, 0, CPUSZ, CPU_DST + 0x100000), size=200)
reg("RMR destination overlaps the structure", base + sec(1, 0x11, 0x200000, 0x1000, FDM))
# nargs / nret
t.write(FDM, g)
check("nargs 0 -> -3", -3, t.call(1, nargs=0))
check("nargs 0xffffffff -> -3", -3, t.call(1, nargs=0xffffffff))
check("nret 0xffffffff -> -3", -3, t.call(1, nret=0xffffffff))
check("nret 0xffffffff: rets[1] untouched", 0xdeadbeef, t.readl(0x2104))
t.call(1, nret=0)
check("nret 0: rets[0] untouched", 0xdeadbeef, t.readl(0x2100))
check("command 0xffffffff -> -3", -3, t.call(0xffffffff))
# header fields libphyp does not use: garbage accepted, status zeroed
reg("dd_* fields and status all ones -> 0", hdr(status=0xffff, rest=b"\xff" * 28) + g[40:], want=0)
check("UNREGISTER -> 0", 0, t.call(2))
# register, then rewrite the guest copy with garbage: the dump uses libphyp's copy
reg("REGISTER 6.1 layout -> 0", g, want=0)
t.write(FDM, b"\xff" * 160)
t.q("write 0x8001000 8 0x0123456789abcdef")
r, rc = t.os_term(0xfffffff0)
check("os-term, message pointer beyond RAM, structure rewritten", ("OK 0", 0), (r, rc))
check("REGSAVE magic at the registered CPU destination", 0x5245475341564500, t.readq(CPU_DST))
check("boot memory copied to the registered RMR destination", 0x0123456789abcdef, t.readq(RMR_DST + 0x8001000))
check("REGISTER while dump active -> -10", -10, t.call(1))
check("INVALIDATE -> 0", 0, t.call(3))
check("strict: QEMU still running", True, t.close())

# ---- part 2: lax profile (qemu-10.2: no section validation) ------------------
t = QT("qemu-10.2", os.path.join(out, "qemu-lax.log"))
check("lax: qtest up", "OK big", t.q("endianness"))
garbage = (hdr(nsec=8)
           + sec(1, 1, 0, 0x10, CPU_DST)                    # CPU area too small
           + sec(1, 1, 0, CPUSZ, M64 - 0xfff)               # CPU destination beyond RAM
           + sec(1, 2, 0, M64, HPTE_DST)                    # HPTE length 2^64-1
           + sec(1, 0x11, M64 - 0xfff, 0x2000, RMR_DST)     # source wraps
           + sec(1, 0x11, 0, M64, RMR_DST)                  # length 2^64-1
           + sec(1, 0x11, RAM - 0x1000, 0x2000, RMR_DST)    # source ends past RAM
           + sec(1, 0x11, 0x1000, 0x1000, RAM - 0x800)      # destination ends past RAM
           + sec(1, 0x77, 0, 0x1000, RMR_DST))              # unknown type
reg("lax: 8 garbage sections accepted -> 0", garbage, want=0)
t.q("write 0x3100 6 0x686f7374696c")
r, rc = t.os_term(0x3100)
check("lax: os-term over garbage sections handled", ("OK 0", 0), (r, rc))
check("lax: INVALIDATE -> 0", 0, t.call(3))
check("lax: REGISTER 6.1 layout again -> 0", 0, (t.write(FDM, good()), t.call(1))[1])
check("lax: QEMU still running", True, t.close())

print("rtas-hostile: %s" % ("all checks passed" if not fails else "%d check(s) failed" % fails))
sys.exit(1 if fails else 0)
