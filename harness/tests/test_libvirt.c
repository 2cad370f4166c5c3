/* libvirt backend: SKIPPED reasons, socket probe, the launcher's domain XML. */
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

static void test_skip_reasons(void)
{
    char why[1024];
    int rc = run_skip("scenario s\nbackend libvirt\nmachine arch=s390x memory=64M cpus=1\n"
                      "dump method=zfcpdump\nstep boot\nexpect outcome complete\n", why, sizeof(why));
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SKIPPED: the libvirt backend runs x86_64 scenarios only"));
    /* launcher missing: named, with how to get it */
    setenv("DUMPBENCH_LIBVIRT_LAUNCHER", "/nonexistent/dumpbench-libvirt-qemu", 1);
    rc = run_skip("scenario x\nbackend libvirt\nmachine arch=x86_64 memory=384M cpus=2\n"
                  "dump method=kdump format=elf\nstep boot\nstep crash\nexpect outcome complete\n",
                  why, sizeof(why));
    unsetenv("DUMPBENCH_LIBVIRT_LAUNCHER");
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "dumpbench-libvirt-qemu not built (libvirt-dev missing"));
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

int register_libvirt_tests(void)
{
    CU_pSuite s = CU_add_suite("libvirt", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "SKIPPED reasons (arch, launcher missing)", test_skip_reasons) ||
        !CU_add_test(s, "daemon socket probe", test_sock_alive) ||
        !CU_add_test(s, "launcher: QEMU argv to domain XML", test_launcher_xml))
        return -1;
    return 0;
}
