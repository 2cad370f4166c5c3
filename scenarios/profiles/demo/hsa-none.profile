# Deliberately broken firmware for the regression demo (ci/regress-demo):
# the default z15 firmware (dump IPL, SDIAS, dump-installed bit) that saves
# nothing into the HSA (size 0): the dump kernel then overwrites low memory
# before the capture reads it.
model = sclp
name = hsa-none
base = z15-32m
hsa-size = 0
