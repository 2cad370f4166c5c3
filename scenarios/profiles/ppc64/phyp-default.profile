# Firmware profile phyp-default (ppc64).  Keys: scenarios/profiles/README.md.
# PowerVM-like firmware: full validation of every section at REGISTER, -3 on a stray
# INVALIDATE, 4 KiB alignment of the 0x11 (RMR) section.  The sim's default ppc64 profile.
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = phyp-default
supported = yes
token = 0x0000202d
version-min = 1
version-max = 1
max-sections = 10
rma-size = 0
max-cpus = 0
hpte-size = 0
hpte-mode = none
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
