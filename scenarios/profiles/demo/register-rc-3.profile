# Deliberately broken firmware for the regression demo (ci/regress-demo):
# PowerVM-like firmware whose ibm,configure-kernel-dump answers -3 (parameter
# error) to every REGISTER, valid or not.
model = phyp
name = register-rc-3
base = phyp-default
fault-cmd = register
fault-rc = -3
fault-count = 4294967295
