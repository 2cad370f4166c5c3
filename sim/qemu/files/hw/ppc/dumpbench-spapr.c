/*
 * dumpbench: firmware-assisted dump for QEMU 7.2 pseries, the QEMU side of
 * libphyp (RTAS ibm,configure-kernel-dump, ibm,os-term trigger, /rtas
 * properties).  Spec: /work/shared/specs/phyp.md sections 2, 3.3, 6.6, 6.7.
 *
 *   -object dumpbench-spapr,id=db1[,profile=NAME][,truth=PATH]
 *           [,fault-cmd=N,fault-rc=RC,fault-count=K]
 *
 * profile     libphyp built-in profile (phyp_profile_find), default
 *             "phyp-default"; an unsupported profile ("qemu-7.2") registers
 *             no token
 * truth       file written at every ibm,os-term: DBPPC64T snapshot of all
 *             RAM and every CPU (hw/ppc/dumpbench-host.c)
 * fault-*     libphyp phyp_inject_fault(): the next fault-count calls of
 *             command fault-cmd (0 = any) return fault-rc; settable at
 *             run time with qom-set (applied when fault-count is written)
 *
 * All checks of guest input (nargs/nret, the dump structure) are libphyp's:
 * a malformed request gets an RTAS error and changes nothing; QEMU keeps
 * running.  There is no migration support for the model state.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/error-report.h"
#include "qom/object_interfaces.h"
#include "sysemu/cpus.h"
#include "sysemu/hw_accel.h"
#include "sysemu/reset.h"
#include "sysemu/runstate.h"
#include "hw/ppc/fdt.h"
#include "hw/ppc/spapr.h"
#include <libfdt.h>

#include "phyp/phyp.h"
#include "hw/ppc/dumpbench-host.h"
#include "hw/ppc/dumpbench-spapr.h"

OBJECT_DECLARE_SIMPLE_TYPE(DumpbenchSpapr, DUMPBENCH_SPAPR)

struct DumpbenchSpapr {
    Object parent_obj;

    char *profile;
    char *truth;
    uint32_t fault_cmd;
    int32_t fault_rc;
    uint32_t fault_count;

    struct db_host host;
    struct phyp *phyp;
    bool token_registered;
};

static DumpbenchSpapr *dumpbench_spapr_find(void)
{
    Object *obj = object_resolve_path_type("", TYPE_DUMPBENCH_SPAPR, NULL);
    DumpbenchSpapr *db = obj ? DUMPBENCH_SPAPR(obj) : NULL;

    return db && db->phyp ? db : NULL;
}

/* ---- RTAS ibm,configure-kernel-dump --------------------------------------- */

static void rtas_ibm_configure_kernel_dump(PowerPCCPU *cpu,
                                           SpaprMachineState *spapr,
                                           uint32_t token, uint32_t nargs,
                                           target_ulong args,
                                           uint32_t nret, target_ulong rets)
{
    DumpbenchSpapr *db = dumpbench_spapr_find();
    uint32_t a[PHYP_RTAS_NARGS] = { 0 };
    uint32_t r = 0;

    /* libphyp checks nargs/nret; read at most the three cells it uses. */
    for (uint32_t i = 0; i < MIN(nargs, PHYP_RTAS_NARGS); i++) {
        a[i] = rtas_ld(args, i);
    }
    if (!db) {
        r = (uint32_t)RTAS_OUT_PARAM_ERROR;
    } else {
        phyp_rtas_call(db->phyp, nargs, a, nret, &r);
    }
    /* One line per call on stderr: the harness (harness/src/qemu_ppc64.c)
     * records these as the firmware's return codes. */
    info_report("dumpbench: rtas ibm,configure-kernel-dump cmd=%u rc=%d",
                a[0], (int32_t)r);
    if (nret >= 1) {
        rtas_st(rets, 0, r);
    }
}

/* ---- /rtas properties ------------------------------------------------------ */

typedef int (*dumpbench_prop_fn)(const struct phyp *p, uint8_t *buf, size_t cap,
                                 size_t *len);

static void dt_prop(void *fdt, int rtas, const char *name,
                    const struct phyp *p, dumpbench_prop_fn fn)
{
    size_t len = 0;

    if (fn(p, NULL, 0, &len) != PHYP_ERR_NOSPC || len == 0) {
        return;     /* property absent (unsupported / no dump active) */
    }
    g_autofree uint8_t *buf = g_malloc(len);
    if (fn(p, buf, len, &len) != PHYP_OK) {
        return;
    }
    _FDT(fdt_setprop(fdt, rtas, name, buf, len));
}

void dumpbench_spapr_dt_rtas(void *fdt, int rtas)
{
    DumpbenchSpapr *db = dumpbench_spapr_find();

    if (!db || !db->token_registered) {
        return;
    }
    dt_prop(fdt, rtas, "ibm,configure-kernel-dump-sizes", db->phyp,
            phyp_sizes_property);
    dt_prop(fdt, rtas, "ibm,configure-kernel-dump-version", db->phyp,
            phyp_version_property);
    dt_prop(fdt, rtas, "ibm,kernel-dump", db->phyp, phyp_kernel_dump_property);
}

/* ---- ibm,os-term ------------------------------------------------------------- */

bool dumpbench_spapr_os_term(PowerPCCPU *cpu)
{
    DumpbenchSpapr *db = dumpbench_spapr_find();
    CPUState *cs;
    char err[256];

    if (!db || (!db->truth && !phyp_is_registered(db->phyp))) {
        return false;
    }
    pause_all_vcpus();
    CPU_FOREACH(cs) {
        cpu_synchronize_state(cs);
    }
    if (db->truth) {
        if (dumpbench_truth_write_ppc64(db->truth, &db->host,
                                        CPU(cpu)->cpu_index, err, sizeof(err)) != 0) {
            error_report("dumpbench: truth snapshot failed: %s", err);
        } else {
            info_report("dumpbench: truth snapshot written to %s", db->truth);
        }
    }
    if (!phyp_is_registered(db->phyp)) {
        resume_all_vcpus();
        return false;
    }
    switch (phyp_os_term(db->phyp)) {
    case PHYP_OSTERM_DUMP:
        info_report("dumpbench: firmware-assisted dump taken, "
                    "memory-preserving reset");
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return true;
    case PHYP_OSTERM_FAILED:
        error_report("dumpbench: firmware-assisted dump failed (host error)");
        break;
    case PHYP_OSTERM_PANIC:
        break;
    }
    resume_all_vcpus();
    return false;
}

/* ---- object -------------------------------------------------------------------- */

static void dumpbench_spapr_reset(void *opaque)
{
    DumpbenchSpapr *db = opaque;

    /* Non-dump resets; after os-term the model is DUMP_ACTIVE and keeps it. */
    if (db->phyp) {
        phyp_machine_reset(db->phyp);
    }
}

static void dumpbench_spapr_complete(UserCreatable *uc, Error **errp)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(uc);
    const struct phyp_profile *prof;
    bool ambiguous = false;

    if (!object_dynamic_cast(qdev_get_machine(), TYPE_SPAPR_MACHINE)) {
        error_setg(errp, "%s needs the pseries machine", TYPE_DUMPBENCH_SPAPR);
        return;
    }
    object_resolve_path_type("", TYPE_DUMPBENCH_SPAPR, &ambiguous);
    if (ambiguous) {
        error_setg(errp, "only one %s object is allowed", TYPE_DUMPBENCH_SPAPR);
        return;
    }
    prof = phyp_profile_find(db->profile ? db->profile : "phyp-default");
    if (!prof) {
        error_setg(errp, "%s: unknown profile '%s'", TYPE_DUMPBENCH_SPAPR,
                   db->profile);
        error_append_hint(errp, "Known profiles:");
        for (size_t i = 0; phyp_profile_at(i); i++) {
            error_append_hint(errp, " %s", phyp_profile_at(i)->name);
        }
        error_append_hint(errp, "\n");
        return;
    }
    db->host.ops = &dumpbench_ppc_host_ops;
    db->host.opaque = db;
    db->phyp = phyp_new(&db->host, prof);
    if (!db->phyp) {
        error_setg(errp, "%s: cannot create the model", TYPE_DUMPBENCH_SPAPR);
        return;
    }
    if (db->fault_count) {
        phyp_inject_fault(db->phyp, db->fault_cmd, db->fault_rc, db->fault_count);
    }
    if (prof->supported) {
        spapr_rtas_register(RTAS_IBM_CONFIGURE_KERNEL_DUMP,
                            "ibm,configure-kernel-dump",
                            rtas_ibm_configure_kernel_dump);
        db->token_registered = true;
    }
    qemu_register_reset(dumpbench_spapr_reset, db);
}

static void dumpbench_spapr_finalize(Object *obj)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(obj);

    if (db->phyp) {
        qemu_unregister_reset(dumpbench_spapr_reset, db);
        if (db->token_registered) {
            spapr_rtas_register(RTAS_IBM_CONFIGURE_KERNEL_DUMP, NULL, NULL);
        }
        phyp_free(db->phyp);
        db->phyp = NULL;
    }
    g_free(db->profile);
    g_free(db->truth);
}

static char *get_profile(Object *obj, Error **errp)
{
    return g_strdup(DUMPBENCH_SPAPR(obj)->profile);
}

static void set_profile(Object *obj, const char *value, Error **errp)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(obj);

    if (db->phyp) {
        error_setg(errp, "profile cannot be changed after creation");
        return;
    }
    g_free(db->profile);
    db->profile = g_strdup(value);
}

static char *get_truth(Object *obj, Error **errp)
{
    return g_strdup(DUMPBENCH_SPAPR(obj)->truth);
}

static void set_truth(Object *obj, const char *value, Error **errp)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(obj);

    g_free(db->truth);
    db->truth = value && *value ? g_strdup(value) : NULL;
}

static void get_u32(Object *obj, Visitor *v, const char *name, void *opaque,
                    Error **errp)
{
    uint32_t *field = opaque;

    visit_type_uint32(v, name, field, errp);
}

static void set_u32(Object *obj, Visitor *v, const char *name, void *opaque,
                    Error **errp)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(obj);
    uint32_t *field = opaque;
    uint32_t value;

    if (!visit_type_uint32(v, name, &value, errp)) {
        return;
    }
    *field = value;
    if (db->phyp && field == &db->fault_count) {
        phyp_inject_fault(db->phyp, db->fault_cmd, db->fault_rc, db->fault_count);
    }
}

static void get_i32(Object *obj, Visitor *v, const char *name, void *opaque,
                    Error **errp)
{
    int32_t *field = opaque;

    visit_type_int32(v, name, field, errp);
}

static void set_i32(Object *obj, Visitor *v, const char *name, void *opaque,
                    Error **errp)
{
    int32_t *field = opaque;
    int32_t value;

    if (visit_type_int32(v, name, &value, errp)) {
        *field = value;
    }
}

static void dumpbench_spapr_instance_init(Object *obj)
{
    DumpbenchSpapr *db = DUMPBENCH_SPAPR(obj);

    object_property_add(obj, "fault-cmd", "uint32", get_u32, set_u32, NULL,
                        &db->fault_cmd);
    object_property_add(obj, "fault-rc", "int32", get_i32, set_i32, NULL,
                        &db->fault_rc);
    object_property_add(obj, "fault-count", "uint32", get_u32, set_u32, NULL,
                        &db->fault_count);
}

static void dumpbench_spapr_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = dumpbench_spapr_complete;
    object_class_property_add_str(oc, "profile", get_profile, set_profile);
    object_class_property_set_description(oc, "profile",
        "libphyp firmware profile (default phyp-default)");
    object_class_property_add_str(oc, "truth", get_truth, set_truth);
    object_class_property_set_description(oc, "truth",
        "file for the DBPPC64T snapshot written at ibm,os-term");
}

static const TypeInfo dumpbench_spapr_info = {
    .name = TYPE_DUMPBENCH_SPAPR,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DumpbenchSpapr),
    .instance_init = dumpbench_spapr_instance_init,
    .instance_finalize = dumpbench_spapr_finalize,
    .class_init = dumpbench_spapr_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void dumpbench_spapr_register_types(void)
{
    type_register_static(&dumpbench_spapr_info);
}

type_init(dumpbench_spapr_register_types)
