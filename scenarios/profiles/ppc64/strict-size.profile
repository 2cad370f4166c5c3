# Firmware profile strict-size (ppc64).  Keys: scenarios/profiles/README.md.
# Platforms that demand the exact 40 + 40n REGISTER size (~6.11+ kernels:
# "Platform requires the exact size").
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = strict-size
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
strict-size = yes
invalidate-idle-ok = no
version-prop-host-le = no
reset-drops-registration = no
busy-rc = 0
busy-count = 0
fault-cmd = any
fault-rc = 0
fault-count = 0
