# Altered firmware for the regression demo (ci/regress-demo): the default z15
# firmware without the vector facility (facility 129): SIGP STORE ADDITIONAL
# STATUS is an invalid order, so the dump has no vector-register notes and
# its bytes differ from the reference dump.
model = sclp
name = no-vector
base = z15-32m
vector = no
