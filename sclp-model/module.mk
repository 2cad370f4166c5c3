# libsclp: IBM Z firmware side of a dump IPL (SCLP, SDIAS/HSA, DIAG 308,
# store status) plus the s390 stand-alone dump format.
$(eval $(call add_lib,sclp,sclp-model/src,sclp-model/include))
$(eval $(call add_cunit,sclp,sclp-model/tests,sclp,))
