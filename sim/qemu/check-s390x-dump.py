#!/usr/bin/env python3
"""Compare a zfcpdump vmcore with the dumpbench-s390 truth snapshot.

usage: check-s390x-dump.py TRUTH VMCORE [--hsa BYTES]

TRUTH  is the file written by -object dumpbench-s390,truth=PATH (layout in
       sim/qemu/README.md); VMCORE is /proc/vmcore as copied by the dump
       kernel (trailing bytes after the ELF data are ignored).
Checks: every PT_LOAD byte equals the truth RAM, except absolute 0xa3 and
0x1200..0x13ff which the dump IPL's store status legitimately changes;
every CPU note set (NT_PRSTATUS + NT_S390_PREFIX) matches the truth CPU
with that prefix (PSW, GPRs, ACRs, prefix).  Prints one line per finding
and "CHECK OK" / "CHECK FAILED".
"""
import struct
import sys

TRUTH_MAGIC = b"DBS390T1"
NT_PRSTATUS, NT_PRFPREG, NT_S390_PREFIX, NT_S390_CTRS = 1, 2, 0x305, 0x304
# Changed by the dump IPL itself (store status of the IPL CPU).
EXPECTED_DIFF = [(0xa3, 0xa4), (0x1200, 0x1400)]


def read_truth(path):
    f = open(path, "rb")
    h = f.read(64)
    if h[:8] != TRUTH_MAGIC:
        raise SystemExit("bad truth magic")
    (ver, hsz, ncpu, rec, ipl_cpu, flags, ram_off, ram_size, hsa,
     clock) = struct.unpack(">IIIIIIQQQQ", h[8:64])
    cpus = []
    f.seek(hsz)
    for _ in range(ncpu):
        w = struct.unpack(">%dQ" % (rec // 8), f.read(rec))
        cpus.append({
            "index": w[0], "address": w[1], "online": bool(w[2] & 1),
            "stopped": bool(w[2] & 2), "psw": (w[3], w[4]),
            "gprs": list(w[5:21]), "acrs": list(w[21:37]),
            "fprs": list(w[37:53]), "fpc": w[53], "crs": list(w[54:70]),
            "prefix": w[70],
        })
    return {"f": f, "ram_off": ram_off, "ram_size": ram_size, "hsa": hsa,
            "ipl_cpu": ipl_cpu, "flags": flags, "cpus": cpus}


def parse_notes(data):
    cpus, cur, off = [], None, 0
    while off + 12 <= len(data):
        namesz, descsz, ntype = struct.unpack(">III", data[off:off + 12])
        if namesz == 0 and descsz == 0 and ntype == 0:
            break
        name_end = off + 12 + ((namesz + 3) & ~3)
        desc = data[name_end:name_end + descsz]
        off = name_end + ((descsz + 3) & ~3)
        if ntype == NT_PRSTATUS and len(desc) >= 112 + 16 + 128 + 64:
            regs = desc[112:]
            cur = {"psw": struct.unpack(">QQ", regs[:16]),
                   "gprs": list(struct.unpack(">16Q", regs[16:144])),
                   "acrs": list(struct.unpack(">16I", regs[144:208]))}
            cpus.append(cur)
        elif ntype == NT_S390_PREFIX and cur is not None and len(desc) >= 4:
            cur["prefix"] = struct.unpack(">I", desc[:4])[0]
        elif ntype == NT_S390_CTRS and cur is not None and len(desc) >= 128:
            cur["crs"] = list(struct.unpack(">16Q", desc[:128]))
    return cpus


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    t = read_truth(sys.argv[1])
    core = open(sys.argv[2], "rb")
    eh = core.read(64)
    if eh[:4] != b"\x7fELF" or eh[4] != 2 or eh[5] != 2:
        print("vmcore: not a 64-bit big-endian ELF")
        print("CHECK FAILED")
        return 1
    phoff, = struct.unpack(">Q", eh[32:40])
    phentsize, phnum = struct.unpack(">HH", eh[54:58])
    bad = 0
    loads, notes = [], []
    for i in range(phnum):
        core.seek(phoff + i * phentsize)
        (ptype, flags, off, vaddr, paddr, filesz, memsz,
         align) = struct.unpack(">IIQQQQQQ", core.read(56))
        if ptype == 1:
            loads.append((off, paddr, filesz))
        elif ptype == 4:
            core.seek(off)
            notes.append(core.read(filesz))
    covered = 0
    chunk = 1 << 20
    for off, paddr, size in loads:
        for pos in range(0, size, chunk):
            n = min(chunk, size - pos)
            a = paddr + pos
            if a + n > t["ram_size"]:
                print("PT_LOAD beyond truth RAM at 0x%x" % a)
                bad += 1
                break
            core.seek(off + pos)
            got = core.read(n)
            t["f"].seek(t["ram_off"] + a)
            want = t["f"].read(n)
            if got == want:
                covered += n
                continue
            if len(got) != n:
                print("vmcore truncated at paddr 0x%x" % a)
                bad += 1
                break
            for j in range(n):
                if got[j] != want[j]:
                    absa = a + j
                    if any(lo <= absa < hi for lo, hi in EXPECTED_DIFF):
                        continue
                    bad += 1
                    if bad <= 10:
                        print("memory differs at 0x%x: vmcore %02x truth %02x"
                              % (absa, got[j], want[j]))
            covered += n
    print("memory: %d PT_LOAD bytes compared, truth RAM %d, hsa %d"
          % (covered, t["ram_size"], t["hsa"]))
    if covered < t["ram_size"]:
        print("memory: vmcore covers less than the truth RAM")
        bad += 1
    ncpus = parse_notes(b"".join(notes))
    by_prefix = {c["prefix"]: c for c in t["cpus"] if c["online"]}
    for i, c in enumerate(ncpus):
        tc = by_prefix.get(c.get("prefix"))
        if tc is None:
            print("cpu note %d: prefix 0x%x not in truth" % (i, c.get("prefix", -1)))
            bad += 1
            continue
        for key in ("psw", "gprs", "acrs"):
            want = tc[key] if key != "psw" else tuple(tc["psw"])
            got = c[key] if key != "psw" else tuple(c["psw"])
            if list(want) != list(got):
                print("cpu %d (prefix 0x%x) %s differs: vmcore %s truth %s"
                      % (tc["index"], tc["prefix"], key,
                         [hex(x) for x in got][:4], [hex(x) for x in want][:4]))
                bad += 1
        print("cpu %d (prefix 0x%x): psw %016x %016x checked"
              % (tc["index"], tc["prefix"], c["psw"][0], c["psw"][1]))
    expected_cpus = [c for c in t["cpus"] if c["online"] and c["prefix"]]
    if len(ncpus) != len(expected_cpus):
        print("cpu notes: %d in vmcore, %d online CPUs with a prefix in truth"
              % (len(ncpus), len(expected_cpus)))
        bad += 1
    print("CHECK OK" if bad == 0 else "CHECK FAILED (%d findings)" % bad)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
