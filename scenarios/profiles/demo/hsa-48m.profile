# Deliberately altered firmware for the regression demo (ci/regress-demo):
# the default z15 firmware, but saving 48 MiB into the HSA instead of 32 MiB.
model = sclp
name = hsa-48m
base = z15-32m
hsa-size = 48M
