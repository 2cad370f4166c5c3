/* libvirt backend: SKIPPED reasons, socket probe, the launcher's domain XML. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <harness/libvirt.h>
#include <harness/qemu.h>
#include <harness/scenario.h>

#include "tests.h"

int register_libvirt_tests(void);

static struct scenario *parse(const char *text)
{
    struct scenario *s = NULL;
    struct scn_error e;
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0)
        fprintf(stderr, "\n%s\n", e.msg);
    return s;
}

static int run_skip(const char *text, char *reason, size_t len)
{
    struct scenario *s = parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char *dir = th_mkdtemp();
    FILE *log = tmpfile();
    struct run_result *res = calloc(1, sizeof(*res));
    run_result_init(res);
    char err[1024] = "";
    int rc = libvirt_backend_run(s, dir, log, res, err, sizeof(err));
    snprintf(reason, len, "%s", err);
    CU_ASSERT_EQUAL(res->outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(res->reason, "SKIPPED: "));
    fclose(log);
    run_result_clear(res);
    free(res);
    th_rmtree(dir);
    free(dir);
    scn_free(s);
    return rc;
}

/* setenv/unsetenv NAME for one call, the old value back afterwards */
struct env_save {
    const char *name;
    char *old;
};

static struct env_save env_set(const char *name, const char *val)
{
    struct env_save e = { name, getenv(name) ? strdup(getenv(name)) : NULL };
    if (val)
        setenv(name, val, 1);
    else
        unsetenv(name);
    return e;
}

static void env_restore(struct env_save *e)
{
    if (e->old)
        setenv(e->name, e->old, 1);
    else
        unsetenv(e->name);
    free(e->old);
}

static void test_skip_reasons(void)
{
    char why[1024];
    /* s390x/ppc64: the patched QEMU (the domain's <emulator>) is named before
     * anything else (no libvirtd is started for a run that cannot happen) */
    struct env_save q = env_set("DUMPBENCH_QEMU_S390X", NULL);
    int rc = run_skip("scenario s\nbackend libvirt\nmachine arch=s390x memory=64M cpus=1\n"
                      "dump method=zfcpdump\nstep boot\nexpect outcome complete\n", why, sizeof(why));
    env_restore(&q);
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SKIPPED: DUMPBENCH_QEMU_S390X is not set (the patched "
                                       "qemu-system-s390x, the domain's <emulator>"));
    q = env_set("DUMPBENCH_QEMU_PPC64", "/nonexistent/qemu-system-ppc64");
    rc = run_skip("scenario p\nbackend libvirt\nmachine arch=ppc64 memory=3G cpus=2\n"
                  "dump method=fadump\nstep boot\nexpect outcome complete\n", why, sizeof(why));
    env_restore(&q);
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SKIPPED: DUMPBENCH_QEMU_PPC64 is not executable"));
    /* launcher missing: named, with how to get it */
    setenv("DUMPBENCH_LIBVIRT_LAUNCHER", "/nonexistent/dumpbench-libvirt-qemu", 1);
    rc = run_skip("scenario x\nbackend libvirt\nmachine arch=x86_64 memory=384M cpus=2\n"
                  "dump method=kdump format=elf\nstep boot\nstep crash\nexpect outcome complete\n",
                  why, sizeof(why));
    unsetenv("DUMPBENCH_LIBVIRT_LAUNCHER");
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "dumpbench-libvirt-qemu not built (libvirt-dev missing"));
}

static void test_remote_uri(void)
{
    const struct { const char *uri; bool remote; } t[] = {
        { "qemu:///system", false },
        { "qemu:///session", false },
        { "qemu+unix:///system", false },
        { "qemu+unix:///system?socket=/run/x", false },
        { "test:///default", false },
        { "default", false },                  /* an alias: resolved locally */
        { "qemu+ssh://host/system", true },
        { "qemu+ssh://user@host:2222/system", true },
        { "qemu+libssh2://host/system", true },
        { "qemu+tls://host/system", true },
        { "qemu+tcp://10.0.0.1/system", true },
        { "qemu://host/system", true },        /* no transport: TLS to host */
        { "qemu+ext:///system?command=/bin/x", true },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        CU_ASSERT_EQUAL(libvirt_uri_remote(t[i].uri), t[i].remote);
        if (libvirt_uri_remote(t[i].uri) != t[i].remote)
            fprintf(stderr, "\n%s: remote %d expected\n", t[i].uri, t[i].remote);
    }
    /* the backend refuses it as an error (not SKIPPED), naming why */
    struct env_save u = env_set("DUMPBENCH_LIBVIRT_URI", "qemu+ssh://buildhost/system");
    struct scenario *s = parse("scenario x\nbackend libvirt\nmachine arch=x86_64 memory=384M cpus=2\n"
                               "dump method=kdump format=elf\nstep boot\nstep crash\n"
                               "expect outcome complete\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char *dir = th_mkdtemp();
    FILE *log = tmpfile();
    struct run_result *res = calloc(1, sizeof(*res));
    run_result_init(res);
    char err[1024] = "";
    int rc = libvirt_backend_run(s, dir, log, res, err, sizeof(err));
    env_restore(&u);
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_ERROR);
    CU_ASSERT_EQUAL(res->outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "DUMPBENCH_LIBVIRT_URI=qemu+ssh://buildhost/system is a "
                                       "remote URI"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "console FIFOs"));
    CU_ASSERT_PTR_NULL(strstr(err, "SKIPPED"));
    fclose(log);
    run_result_clear(res);
    free(res);
    th_rmtree(dir);
    free(dir);
    scn_free(s);
}

static void test_sock_alive(void)
{
    char *dir = th_mkdtemp();
    char path[512];
    snprintf(path, sizeof(path), "%s/s", dir);
    CU_ASSERT_FALSE(libvirt_sock_alive(path));
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof(a.sun_path), "%.100s", path);
    CU_ASSERT_EQUAL(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    CU_ASSERT_EQUAL(listen(fd, 1), 0);
    CU_ASSERT_TRUE(libvirt_sock_alive(path));
    close(fd);
    CU_ASSERT_FALSE(libvirt_sock_alive(path));   /* stale socket file */
    th_rmtree(dir);
    free(dir);
}

/* Run the launcher with args; stdout+stderr into a malloc'd string; exit status. */
static int launcher(char *const *args, char **out)
{
    int p[2];
    CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        execv(args[0], args);
        _exit(127);
    }
    close(p[1]);
    size_t len = 0, cap = 65536;
    *out = calloc(1, cap);
    ssize_t n;
    while (len + 1 < cap && (n = read(p[0], *out + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_launcher_xml(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        /* built without libvirt-dev: the backend SKIPs (test_skip_reasons) */
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* exactly the argv harness/src/qemu_backend.c passes, with DIMM slots */
    char *args[] = {
        path, "--xml", "-nodefaults", "-no-user-config", "-machine", "pc,accel=tcg",
        "-m", "512M,slots=4,maxmem=768M", "-smp", "2,maxcpus=4", "-display", "none",
        "-vga", "none", "-no-reboot", "-rtc", "base=2024-01-01T00:00:00,clock=vm",
        "-kernel", "/g/vmlinuz", "-initrd", "/g/initrd.img",
        "-append", "console=ttyS0 crashkernel=128M <&>", "-chardev",
        "pipe,id=con,path=/tmp/dbq.x/con", "-serial", "chardev:con",
        "-qmp", "unix:/tmp/dbq.x/qmp,server=on,wait=off",
        "-gdb", "unix:/tmp/dbq.x/gdb,server=on,wait=off",
        "-drive", "file=/runs/a/capture-disk.raw,format=raw,if=none,id=capture,cache=unsafe",
        "-device", "virtio-blk-pci,drive=capture", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
        "<memory unit='MiB'>512</memory>",
        "<maxMemory slots='4' unit='MiB'>768</maxMemory>",
        "<vcpu placement='static' current='2'>4</vcpu>",
        "<kernel>/g/vmlinuz</kernel>", "<initrd>/g/initrd.img</initrd>",
        "<cmdline>console=ttyS0 crashkernel=128M &lt;&amp;&gt;</cmdline>",
        "<cell id='0' cpus='0-3' memory='512' unit='MiB'/>",
        "<clock offset='absolute' start='1704067200'/>",
        "<on_reboot>destroy</on_reboot>", "<on_crash>destroy</on_crash>",
        "<driver name='qemu' type='raw' cache='unsafe'/>",
        "<source file='/runs/a/capture-disk.raw'/>", "<target dev='vda' bus='virtio'/>",
        "<serial type='pipe'>", "<source path='/tmp/dbq.x/con'/>",
        "<qemu:arg value=\"unix:/tmp/dbq.x/qmp,server=on,wait=off\"/>",
        "<qemu:arg value=\"-gdb\"/>",
        "<label>+0:+0</label>", "<name>dumpbench-a-",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
        if (!strstr(x, want[i]))
            fprintf(stderr, "\nmissing: %s\n", want[i]);
    }
    free(x);
    /* DUMPBENCH_LIBVIRT_CONSOLE=stream: a pty (bridged by virDomainOpenConsole),
     * no FIFO path in the XML; anything else but pipe is refused */
    struct env_save cm = env_set("DUMPBENCH_LIBVIRT_CONSOLE", "stream");
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<serial type='pty'>\n      <target port='0'/>\n    </serial>"));
    CU_ASSERT_PTR_NULL(strstr(x, "/tmp/dbq.x/con"));
    free(x);
    env_restore(&cm);
    cm = env_set("DUMPBENCH_LIBVIRT_CONSOLE", "tcp");
    CU_ASSERT_EQUAL(launcher(args, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "DUMPBENCH_LIBVIRT_CONSOLE=tcp: pipe or stream"));
    free(x);
    env_restore(&cm);
    /* an option it cannot translate is refused by name, nothing started */
    char *bad[] = { path, "--xml", "-kernel", "/k", "-m", "64M", "-cdrom", "x.iso", NULL };
    CU_ASSERT_EQUAL(launcher(bad, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "QEMU option '-cdrom' is not translated to domain XML"));
    free(x);
    char *nodisk[] = { path, "--xml", "-kernel", "/k", "-m", "64M", NULL };
    CU_ASSERT_EQUAL(launcher(nodisk, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "need -kernel, -m, -chardev pipe and -drive"));
    free(x);
}

/* Each of want[] in x (reported by name when missing). */
static void want_all(const char *x, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
        if (!strstr(x, want[i]))
            fprintf(stderr, "\nmissing: %s\n", want[i]);
    }
}

static void test_launcher_xml_s390x(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* the argv harness/src/qemu_s390x.c builds (zfcpdump, virtio-blk-ccw dump disk) */
    char *args[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-s390x",
        "-nodefaults", "-no-user-config", "-M", "s390-ccw-virtio,accel=tcg",
        "-m", "256M", "-smp", "2,maxcpus=3", "-display", "none", "-no-reboot",
        "-chardev", "pipe,id=con,path=/tmp/dbs.x/con", "-serial", "chardev:con",
        "-qmp", "unix:/tmp/dbs.x/qmp,server=on,wait=off",
        "-kernel", "/g/vmlinuz", "-initrd", "/g/initrd.gz",
        "-append", "console=ttysclp0 dbdev=0.0.0002 loglevel=5",
        "-drive", "file=/runs/z/dump-disk.raw,format=raw,if=none,id=dump0,cache=unsafe",
        "-device", "virtio-blk-ccw,drive=dump0,devno=fe.0.0002",
        "-object", "dumpbench-s390,id=db0,profile=z15-32m,dump-kernel=/k/bzImage,"
                   "dump-initrd=/g/initrd.gz,dump-cmdline=console=ttysclp0,truth=/runs/z/truth.bin,"
                   "dump-devno=2",
        "-L", "/q/share/qemu", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<type arch='s390x' machine='s390-ccw-virtio'>hvm</type>",
        "<emulator>/q/bin/qemu-system-s390x</emulator>",
        "<memory unit='MiB'>256</memory>", "<vcpu placement='static' current='2'>3</vcpu>",
        "<topology sockets='1' dies='1' cores='3' threads='1'/>",
        "<cmdline>console=ttysclp0 dbdev=0.0.0002 loglevel=5</cmdline>",
        /* -no-reboot: every lifecycle event ends the domain, as QEMU exits */
        "<on_poweroff>destroy</on_poweroff>", "<on_reboot>destroy</on_reboot>",
        "<on_crash>destroy</on_crash>",
        "<source file='/runs/z/dump-disk.raw'/>",
        "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/>",
        "<target type='sclp-serial' port='0'><model name='sclpconsole'/></target>",
        "<memballoon model='none'/>", "<label>+0:+0</label>",
        "<qemu:arg value=\"-object\"/>",
        "<qemu:arg value=\"dumpbench-s390,id=db0,profile=z15-32m,dump-kernel=/k/bzImage,",
        "truth=/runs/z/truth.bin,dump-devno=2\"/>",
        "<qemu:arg value=\"-L\"/>\n    <qemu:arg value=\"/q/share/qemu\"/>",
        "<qemu:arg value=\"unix:/tmp/dbs.x/qmp,server=on,wait=off\"/>",
        "<name>dumpbench-z-",
    };
    want_all(x, want, sizeof(want) / sizeof(want[0]));
    /* s390-ccw-virtio has no USB or video: none asked for; no features, no -drive left */
    CU_ASSERT_PTR_NULL(strstr(x, "<controller type='usb'"));
    CU_ASSERT_PTR_NULL(strstr(x, "<acpi/>"));
    CU_ASSERT_PTR_NULL(strstr(x, "\"-drive\""));
    CU_ASSERT_PTR_NULL(strstr(x, "accel"));
    free(x);

    /* a device libvirt has no element for (the FCP adapter, its LUNs as its
     * own files, no -drive) is passed through; the run dir is truth='s;
     * -no-shutdown keeps the domain after a poweroff */
    char *fcp[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-s390x", "-M", "s390-ccw-virtio",
        "-m", "256M", "-chardev", "pipe,id=con,path=/c", "-serial", "chardev:con",
        "-kernel", "/g/vmlinuz", "-device", "dumpbench-fcp,id=fcp0,devno=fe.0.0002,file0=/r/lun0.raw",
        "-no-shutdown", "-object", "dumpbench-s390,id=db0,truth=/runs/f/truth.bin",
        "-icount", "shift=5,align=off,sleep=off", NULL,
    };
    CU_ASSERT_EQUAL(launcher(fcp, &x), 0);
    const char *want_fcp[] = {
        "<qemu:arg value=\"-device\"/>",
        "<qemu:arg value=\"dumpbench-fcp,id=fcp0,devno=fe.0.0002,file0=/r/lun0.raw\"/>",
        "<qemu:arg value=\"-icount\"/>", "<on_poweroff>preserve</on_poweroff>",
        "<on_reboot>restart</on_reboot>", "<name>dumpbench-f-",
    };
    want_all(x, want_fcp, sizeof(want_fcp) / sizeof(want_fcp[0]));
    CU_ASSERT_PTR_NULL(strstr(x, "<disk"));
    free(x);

    /* refused by name, nothing started */
    char *badm[] = { path, "--xml", "-M", "virt", "-m", "64M", NULL };
    CU_ASSERT_EQUAL(launcher(badm, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "machine 'virt': only pc, s390-ccw-virtio and pseries"));
    free(x);
    char *nodrive[] = { path, "--xml", "--emulator", "/q", "-M", "s390-ccw-virtio", "-m", "64M",
                        "-kernel", "/k", "-chardev", "pipe,id=con,path=/c",
                        "-drive", "file=/r/d.raw,format=raw,id=dump0",
                        "-device", "virtio-blk-ccw,drive=dump1,devno=fe.0.0002", NULL };
    CU_ASSERT_EQUAL(launcher(nodrive, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "device 'virtio-blk-ccw,drive=dump1,devno=fe.0.0002': "
                                     "no -drive with id=dump1"));
    free(x);
    char *baddev[] = { path, "--xml", "--emulator", "/q", "-M", "s390-ccw-virtio", "-m", "64M",
                       "-kernel", "/k", "-chardev", "pipe,id=con,path=/c",
                       "-drive", "file=/r/d.raw,format=raw,id=dump0",
                       "-device", "virtio-blk-ccw,drive=dump0,devno=fe.2", NULL };
    CU_ASSERT_EQUAL(launcher(baddev, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "devno must be CSSID.SSID.DEVNO"));
    free(x);
}

static void test_launcher_xml_ppc64(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* the argv harness/src/qemu_ppc64.c builds (hotplug-mem, oops: gdbstub) */
    char *args[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-ppc64", "-L", "/q/share/qemu",
        "-nodefaults", "-no-user-config", "-M", "pseries,x-vof=on", "-accel", "tcg",
        "-cpu", "power9", "-m", "3072M,slots=2,maxmem=3584M", "-smp", "2",
        "-display", "none", "-action", "panic=none",
        "-chardev", "pipe,id=con,path=/tmp/dbp.x/con", "-device", "spapr-vty,chardev=con",
        "-qmp", "unix:/tmp/dbp.x/qmp,server=on,wait=off",
        "-object", "dumpbench-spapr,id=db1,profile=phyp-default,truth=/runs/p/truth.bin",
        "-kernel", "/k/vmlinux", "-initrd", "/i/initrd.cpio",
        "-append", "console=hvc0 fadump=on crashkernel=768M dbmode=harness panic=1 loglevel=7",
        "-drive", "file=/runs/p/capture-disk.raw,format=raw,if=none,id=capture,cache=unsafe",
        "-device", "virtio-blk-pci,drive=capture",
        "-gdb", "unix:/tmp/dbp.x/gdb,server=on,wait=off", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<type arch='ppc64' machine='pseries'>hvm</type>",
        "<emulator>/q/bin/qemu-system-ppc64</emulator>",
        "<memory unit='MiB'>3072</memory>", "<maxMemory slots='2' unit='MiB'>3584</maxMemory>",
        "<topology sockets='1' dies='1' cores='2' threads='1'/>",
        "<kernel>/k/vmlinux</kernel>", "<initrd>/i/initrd.cpio</initrd>",
        /* no -no-reboot: the fadump reset restarts in the same QEMU; panic=none:
         * libvirt must not destroy the guest on the panic event */
        "<on_poweroff>destroy</on_poweroff>", "<on_reboot>restart</on_reboot>",
        "<on_crash>preserve</on_crash>",
        "<source file='/runs/p/capture-disk.raw'/>", "<target dev='vda' bus='virtio'/>",
        "<target type='spapr-vio-serial' port='0'><model name='spapr-vty'/></target>",
        "<source path='/tmp/dbp.x/con'/>",
        "<controller type='usb' model='none'/>", "<video><model type='none'/></video>",
        "<memballoon model='none'/>",
        "<qemu:arg value=\"-machine\"/>\n    <qemu:arg value=\"x-vof=on\"/>",
        "<qemu:arg value=\"-cpu\"/>\n    <qemu:arg value=\"power9\"/>",
        "<qemu:arg value=\"-action\"/>\n    <qemu:arg value=\"panic=none\"/>",
        "<qemu:arg value=\"dumpbench-spapr,id=db1,profile=phyp-default,truth=/runs/p/truth.bin\"/>",
        "<qemu:arg value=\"-gdb\"/>", "<qemu:arg value=\"/q/share/qemu\"/>",
    };
    want_all(x, want, sizeof(want) / sizeof(want[0]));
    CU_ASSERT_PTR_NULL(strstr(x, "<address type='ccw'"));
    CU_ASSERT_PTR_NULL(strstr(x, "spapr-vty,chardev"));   /* the console is the <serial> */
    CU_ASSERT_PTR_NULL(strstr(x, "<numa>"));
    free(x);
    char *kvm[] = { path, "--xml", "-M", "pseries", "-accel", "kvm", NULL };
    CU_ASSERT_EQUAL(launcher(kvm, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "-accel kvm: only tcg is translated"));
    free(x);
}

int register_libvirt_tests(void)
{
    CU_pSuite s = CU_add_suite("libvirt", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "SKIPPED reasons (arch, launcher missing)", test_skip_reasons) ||
        !CU_add_test(s, "daemon socket probe", test_sock_alive) ||
        !CU_add_test(s, "remote URIs refused", test_remote_uri) ||
        !CU_add_test(s, "launcher: QEMU argv to domain XML", test_launcher_xml) ||
        !CU_add_test(s, "launcher: s390x argv to domain XML", test_launcher_xml_s390x) ||
        !CU_add_test(s, "launcher: ppc64 argv to domain XML", test_launcher_xml_ppc64))
        return -1;
    return 0;
}
