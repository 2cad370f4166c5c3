# Firmware profile qemu-7.2 (ppc64).  Keys: scenarios/profiles/README.md.
# Debian 12 QEMU 7.2: no ibm,configure-kernel-dump token (spec phyp.md 4.5).
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = qemu-7.2
supported = no
token = 0x00000000
version-min = 1
version-max = 1
max-sections = 10
rma-size = 0
max-cpus = 0
hpte-size = 0
hpte-mode = none
rmr-align = 0
strict-sections = no
strict-size = no
invalidate-idle-ok = no
version-prop-host-le = no
reset-drops-registration = no
busy-rc = 0
busy-count = 0
fault-cmd = any
fault-rc = 0
fault-count = 0
