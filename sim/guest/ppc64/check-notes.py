#!/usr/bin/env python3
"""Compare the NT_PRSTATUS notes a fadump capture kernel exported in
/proc/vmcore (hex-dumped on the console by init.sh, lines "DUMPBENCH: note")
with the DBPPC64T truth snapshot QEMU wrote at ibm,os-term.

usage: check-notes.py CONSOLE_LOG TRUTH

Every CPU that did not make the os-term call must have a note whose
pr_reg GPR0-31, NIP, MSR, CTR, LINK, XER, CCR, DAR, DSISR equal its truth
record (the register save area libphyp wrote); the calling CPU's note comes
from the kernel's own fdh->regs and is only counted.
Exit 0 on success.
"""
import struct
import sys

PR_REG_OFF = 112            # elf_prstatus.pr_reg (lx61:include/linux/elfcore.h)
# pt_regs slots (lx61:arch/powerpc/include/uapi/asm/ptrace.h)
SLOTS = {"nia": 32, "msr": 33, "ctr": 35, "lr": 36, "xer": 37, "cr": 38,
         "dar": 41, "dsisr": 42}
TRUTH_WORDS = ["cpu", "flags"] + ["gpr%d" % i for i in range(32)] + \
    ["nia", "msr", "ctr", "lr", "xer", "cr", "dar", "dsisr", "srr0", "srr1",
     "pir", "pvr", "fpscr"]


def read_notes(log):
    data = bytearray()
    for line in open(log, errors="replace"):
        i = line.find("DUMPBENCH: note")
        if i >= 0:
            data += bytes(int(x, 16) for x in line[i + 15:].split())
    notes, off = [], 0
    while off + 12 <= len(data):
        namesz, descsz, ntype = struct.unpack_from("<III", data, off)
        if namesz == 0 and descsz == 0:
            break
        name = bytes(data[off + 12:off + 12 + namesz]).rstrip(b"\0")
        doff = off + 12 + ((namesz + 3) & ~3)
        notes.append((name, ntype, bytes(data[doff:doff + descsz])))
        off = doff + ((descsz + 3) & ~3)
    return notes


def read_truth(path):
    with open(path, "rb") as f:
        h = f.read(64)
        if h[:8] != b"DBPPC64T":
            raise SystemExit("bad truth magic")
        _, _, ncpu, rec, crash = struct.unpack_from(">IIIII", h, 8)
        cpus = []
        for _ in range(ncpu):
            w = struct.unpack(">%dQ" % (rec // 8), f.read(rec))
            cpus.append(dict(zip(TRUTH_WORDS, w)))
    return cpus, crash


def main():
    notes = [n for n in read_notes(sys.argv[1]) if n[0] == b"CORE" and n[1] == 1]
    cpus, crash = read_truth(sys.argv[2])
    regs = [struct.unpack_from("<48Q", d, PR_REG_OFF) for _, _, d in notes]
    print("notes: %d NT_PRSTATUS, truth: %d CPUs, os-term caller cpu %d"
          % (len(regs), len(cpus), crash))
    bad = 0
    if len(regs) != len(cpus):
        print("FAIL: note count differs from online CPUs")
        bad += 1
    for c in cpus:
        if c["cpu"] == crash:
            continue
        want = [c["gpr%d" % i] for i in range(32)] + [c[k] for k in SLOTS]
        hit = [r for r in regs
               if [r[i] for i in range(32)] + [r[s] for s in SLOTS.values()] == want]
        if hit:
            print("cpu %d: note equals truth (nip 0x%x, r1 0x%x)"
                  % (c["cpu"], c["nia"], c["gpr1"]))
        else:
            print("FAIL: cpu %d: no note equals truth (nip 0x%x, r1 0x%x)"
                  % (c["cpu"], c["nia"], c["gpr1"]))
            for r in regs:
                print("  note nip 0x%x msr 0x%x r1 0x%x lr 0x%x" % (r[32], r[33], r[1], r[36]))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
