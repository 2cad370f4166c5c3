# Firmware profile phyp-2008 (ppc64).  Keys: scenarios/profiles/README.md.
# 2008 phyp-assisted dump: RMR = low 256 MiB, HPTE saved (modelled as an empty 4 KiB HPT).
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = phyp-2008
supported = yes
token = 0x0000202d
version-min = 1
version-max = 1
max-sections = 10
rma-size = 256M
max-cpus = 0
hpte-size = 4K
hpte-mode = zero
rmr-align = 4K
strict-sections = yes
strict-size = no
invalidate-idle-ok = no
version-prop-host-le = no
reset-drops-registration = no
busy-rc = 0
busy-count = 0
fault-cmd = any
fault-rc = 0
fault-count = 0
