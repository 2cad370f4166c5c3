# libfcp: FCP channel adapter model (FSF port/LUN state, SCSI disks, faults).
$(eval $(call add_lib,fcp,fcp-model/src,fcp-model/include))
$(eval $(call add_cunit,fcp,fcp-model/tests,fcp,))
