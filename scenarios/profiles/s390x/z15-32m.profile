# Firmware profile z15-32m (s390x).  Keys: scenarios/profiles/README.md.
# IBM z15-like firmware with the default 32 MiB HSA ("Currently 32 MB are saved"): dump IPL,
# SDIAS, NVMe IPL, vector facility.  The sim's default s390x profile.
# Must equal the built-in of the same name field for field (harness unit test).
model = sclp
name = z15-32m
hsa-size = 32M
dump-installed = yes
dump-supported = yes
sdias = yes
nvme-ipl = yes
ext-sccb = no
vector = yes
mask-len4-only = no
increment-mb = 256
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
sclp-receive-mask = 0x0000001000000000
sclp-send-mask = 0x0000000000000000
read-info-rc = 0x0000
sdias-rc = 0x0000
sdias-copy-status = 0x00
sdias-partial-max = 0
dump-busy-count = 0
