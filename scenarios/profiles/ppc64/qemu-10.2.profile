# Firmware profile qemu-10.2 (ppc64).  Keys: scenarios/profiles/README.md.
# Upstream QEMU 10.2 (qemu:hw/ppc/spapr_fadump.c): header checks only at REGISTER, errors
# per section at dump time, INVALIDATE quirk Q1, -version cells in host order (Q8, x86 host).
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = qemu-10.2
supported = yes
token = 0x0000202d
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
invalidate-idle-ok = yes
version-prop-host-le = yes
reset-drops-registration = no
busy-rc = 0
busy-count = 0
fault-cmd = any
fault-rc = 0
fault-count = 0
