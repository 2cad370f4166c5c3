# libphyp: POWER hypervisor side of ibm,configure-kernel-dump (fadump /
# phyp-assisted dump), see /work/shared/specs/phyp.md.
$(eval $(call add_lib,phyp,phyp-model/src,phyp-model/include))
$(eval $(call add_cunit,phyp,phyp-model/tests,phyp,))
