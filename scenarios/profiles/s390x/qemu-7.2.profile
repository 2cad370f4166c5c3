# Firmware profile qemu-7.2 (s390x).  Keys: scenarios/profiles/README.md.
# What stock QEMU 7.2 offers (spec s390.md 6.1/6.2): no HSA, no SDIAS event, no dump bit,
# DIAG 308 subcodes 2 and 4 program-check, no NVMe IPL block.
# Must equal the built-in of the same name field for field (harness unit test).
model = sclp
name = qemu-7.2
hsa-size = 0
dump-installed = no
dump-supported = no
sdias = no
nvme-ipl = no
ext-sccb = no
vector = yes
mask-len4-only = no
increment-mb = 1
facilities = 0x0c00000000000000
fac42 = 0x00
fac43 = 0x00
fac66 = 0x00
fac84 = 0x00
fac85 = 0x00
fac91 = 0x00
fac98 = 0x00
fac116 = 0x00
fac117 = 0x00
fac118 = 0x00
fac119 = 0x00
ibc = 0x00000000
hmfai = 0x00000000
loadparm = 0x4040404040404040
sclp-receive-mask = 0x0000000000000000
sclp-send-mask = 0x0000000000000000
read-info-rc = 0x0000
sdias-rc = 0x0000
sdias-copy-status = 0x00
sdias-partial-max = 0
dump-busy-count = 0
