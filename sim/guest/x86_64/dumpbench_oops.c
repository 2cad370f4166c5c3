// SPDX-License-Identifier: GPL-2.0
/*
 * dumpbench_oops — loading this module oopses (NULL pointer write) in
 * process context, so a kernel booted with panic_on_oops=1 panics through
 * the oops path (die() -> oops_end() -> panic), not through sysrq's
 * direct panic().  Debian's kernel has no LKDTM (CONFIG_LKDTM is not set).
 */
#include <linux/module.h>
#include <linux/init.h>

static int *volatile dumpbench_target;

static int __init dumpbench_oops_init(void)
{
    pr_emerg("dumpbench_oops: writing through a NULL pointer\n");
    *dumpbench_target = 0x0bad;
    return 0;
}
module_init(dumpbench_oops_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dumpbench: deliberate oops for kdump scenarios");
