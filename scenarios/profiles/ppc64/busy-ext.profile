# Firmware profile busy-ext (ppc64).  Keys: scenarios/profiles/README.md.
# phyp-default that answers extended busy 9901 twice before each call proceeds.
# Must equal the built-in of the same name field for field (harness unit test).
model = phyp
name = busy-ext
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
busy-rc = 9901
busy-count = 2
fault-cmd = any
fault-rc = 0
fault-count = 0
