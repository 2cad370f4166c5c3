#!/usr/bin/env bash
# ci/lib/qemu-variants.sh BUILD_DIR PREFIX [asan] [gcov]
#
# Instrumented VARIANTS of the patched QEMU without a second full build
# (issue 11: ASan; issue 9: gcov of the model code as linked into QEMU).
# Only the dumpbench objects are recompiled, with the exact commands of the
# finished meson/ninja build in BUILD_DIR (compile_commands.json) plus extra
# flags, into a directory of their own; each qemu-system-* is then relinked
# with its own link command (`ninja -t commands -s TARGET`) with those
# objects (and any static archive holding them, rebuilt from `ninja -t query
# ARCHIVE`) substituted and the sanitizer / coverage flag added.
#
# "dumpbench objects" = every compile_commands.json entry linked into the
# target whose source (relative to the source root) matches
#     hw/dumpbench/**            the model sources (libsclp, libfcp, libphyp, ...)
#     hw/<dir>/dumpbench*.c      the QEMU glue (dumpbench-s390.c, dumpbench-sclp.c,
#                                dumpbench-spapr.c, dumpbench-host.c, any new one)
# i.e. chosen by path, not from a list.
#
#   asan: -fsanitize=address,undefined -fno-omit-frame-pointer (link: -fsanitize=address,undefined)
#   gcov: --coverage -O0 -fprofile-update=atomic (link: --coverage); source and
#         include paths are made absolute and -fprofile-prefix-map moves the
#         source root to PREFIX/variants/gcov/src, so the .gcno files name
#         sources that outlive BUILD_DIR.
#
# Output (per variant V):
#   PREFIX/variants/V/bin/qemu-system-{s390x,ppc64}   instrumented binaries
#   PREFIX/variants/V/share -> ../../share             firmware blobs (-L, vof.bin)
#   PREFIX/variants/V/manifest                          flags, instrumented sources, seconds
#   PREFIX/variants/V.log                               every command run and its output
#   PREFIX/variants/V/FAILED                            instead of bin/: the reason (one line)
# gcov only:
#   PREFIX/variants/gcov/obj/**.gcno   notes files (objects removed after the link)
#   PREFIX/variants/gcov/src/**        copies of the instrumented sources + dumpbench headers
#   PREFIX/variants/gcov/gcov.env      GCOV_OBJ_DIR, GCOV_PREFIX_STRIP, GCOV_SRC_DIR:
#       run the binary with GCOV_PREFIX=SCRATCH GCOV_PREFIX_STRIP=$GCOV_PREFIX_STRIP,
#       the .gcda files land in SCRATCH/<path of the .gcno below obj/> (ci/coverage-qemu-model)
#
# Exit 0 when every requested variant was built, 1 when one failed (the
# others are still built; ci/build-qemu does not fail on it), 2 on usage.
# Progress lines on stderr ("qemu-variants: ..."), with seconds.
set -u
if [ $# -lt 2 ] || [ ! -f "$1/build.ninja" ] || [ ! -f "$1/compile_commands.json" ]; then
    echo "usage: $0 BUILD_DIR PREFIX [asan] [gcov]   (BUILD_DIR: a configured and built QEMU ninja dir)" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2" || exit 2
prefix=$(cd "$2" && pwd)
shift 2
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(asan gcov)
jobs=${QEMU_VARIANT_JOBS:-$(nproc)}

exec python3 - "$build" "$prefix" "$jobs" "${variants[@]}" <<'PYEOF'
import concurrent.futures, json, os, re, shlex, shutil, subprocess, sys, time

build, prefix, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
variants = sys.argv[4:]
TARGETS = ["qemu-system-s390x", "qemu-system-ppc64"]
PATTERN = re.compile(r"^hw/dumpbench/|^hw/[^/]+/dumpbench[^/]*\.c$")
FLAGS = {
    "asan": (["-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
             ["-fsanitize=address,undefined"]),
    "gcov": (["--coverage", "-O0", "-fprofile-update=atomic"], ["--coverage"]),
}


def log(msg):
    print("qemu-variants: " + msg, file=sys.stderr, flush=True)


class Failed(Exception):
    pass


def run(argv, logf, cwd=build):
    logf.write("$ (cd %s && %s)\n" % (cwd, shlex.join(argv)))
    logf.flush()
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode(errors="replace")
    logf.write(out)
    logf.flush()
    if p.returncode != 0:
        last = [l for l in out.splitlines() if l.strip()][-3:]
        raise Failed("%s exited %d: %s" % (argv[0], p.returncode, " | ".join(last)[:400]))
    return out


def ninja(*args):
    return subprocess.run(["ninja", "-C", build] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, check=True).stdout.decode()


def query_inputs(target):
    """Explicit inputs of a ninja build edge (ninja -t query)."""
    out, inputs, state = ninja("-t", "query", target), [], None
    for line in out.splitlines():
        s = line.strip()
        if line.startswith("  input:"):
            state = "in"
        elif line.startswith("  outputs:"):
            state = None
        elif state == "in" and line.startswith("    ") and not s.startswith("|"):
            inputs.append(s)
    return inputs


try:
    src_root = json.load(open(os.path.join(build, "meson-info", "meson-info.json")))["directories"]["source"]
except (OSError, KeyError, ValueError):
    src_root = os.path.normpath(os.path.join(build, "..", "src"))
src_root = os.path.realpath(src_root)

# Selected compile entries by object path.
entries = {}
for e in json.load(open(os.path.join(build, "compile_commands.json"))):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, src_root)
    if rel.startswith("..") or not PATTERN.search(rel):
        continue
    entries[e["output"]] = dict(e, abs=f, rel=rel)

# Per target: its link command, the selected objects it links (directly or
# through an archive it links), the archives to rebuild.
plan = {}
for t in TARGETS:
    if not re.search(r"^build %s: " % re.escape(t), open(os.path.join(build, "build.ninja")).read(), re.M):
        continue
    link = shlex.split(ninja("-t", "commands", "-s", t).strip().splitlines()[-1])
    # a *_RSP rule's response file is gone after the build: its content was $in
    rsp = [x for x in link if x.startswith("@") and x.endswith(".rsp")
           and not os.path.exists(os.path.join(build, x[1:]))]
    if rsp:
        i = link.index(rsp[0])
        link = link[:i] + query_inputs(t) + [x for x in link[i + 1:] if x not in rsp]
    objs, archives = set(o for o in link if o in entries), {}
    for a in link:
        if a.endswith((".a", ".fa")) and os.path.exists(os.path.join(build, a)) and a not in archives:
            ins = query_inputs(a)
            if any(i in entries for i in ins):
                archives[a] = ins
                objs.update(i for i in ins if i in entries)
    if not objs:
        log("%s: no dumpbench objects found (pattern %s) -- not a patched build?" % (t, PATTERN.pattern))
        continue
    plan[t] = dict(link=link, objs=sorted(objs), archives=archives)

if not plan:
    log("nothing to instrument in %s" % build)
    for v in variants:
        os.makedirs(os.path.join(prefix, "variants", v), exist_ok=True)
        open(os.path.join(prefix, "variants", v, "FAILED"), "w").write(
            "no dumpbench objects in the QEMU build\n")
    sys.exit(1)


def absolutize(tokens):
    """Relative -I/-iquote/-isystem paths and the source file -> absolute."""
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("-I", "-iquote", "-isystem", "-idirafter") and i + 1 < len(tokens):
            out += [t, os.path.normpath(os.path.join(build, tokens[i + 1]))]
            i += 2
            continue
        if t.startswith("-I") and len(t) > 2:
            t = "-I" + os.path.normpath(os.path.join(build, t[2:]))
        out.append(t)
        i += 1
    return out


def compile_argv(e, vobj, cflags, extra):
    toks, out, i = shlex.split(e["command"]), [], 0
    while i < len(toks):
        t = toks[i]
        if t == "-MD":
            i += 1
            continue
        if t in ("-MQ", "-MF", "-MT"):
            i += 2
            continue
        if t == "-o":
            out += ["-o", os.path.join(vobj, e["output"])]
            i += 2
            continue
        if t == e["file"]:
            t = e["abs"]
        out.append(t)
        i += 1
    return absolutize(out) + cflags + extra


def build_variant(v):
    t0 = time.time()
    vdir = os.path.join(prefix, "variants", v)
    vobj = os.path.join(vdir, "obj")
    shutil.rmtree(vdir, ignore_errors=True)
    os.makedirs(os.path.join(vdir, "bin"))
    logf = open(os.path.join(prefix, "variants", v + ".log"), "w")
    cflags, ldflags = FLAGS[v]
    extra = []
    if v == "gcov":
        extra = ["-fprofile-prefix-map=%s=%s" % (src_root, os.path.join(vdir, "src"))]
    try:
        objs = sorted(set(o for p in plan.values() for o in p["objs"]))
        log("%s: compiling %d dumpbench objects (%s)" % (v, len(objs), " ".join(cflags)))
        for o in objs:
            os.makedirs(os.path.dirname(os.path.join(vobj, o)), exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
            futs = [ex.submit(run, compile_argv(entries[o], vobj, cflags, extra), logf) for o in objs]
            for f in futs:
                f.result()
        for t, p in plan.items():
            t1 = time.time()
            subst = {o: os.path.join(vobj, o) for o in p["objs"]}
            for a, ins in p["archives"].items():
                va = os.path.join(vobj, a)
                os.makedirs(os.path.dirname(va), exist_ok=True)
                if os.path.exists(va):
                    os.unlink(va)
                run(["ar", "csrDT", va] + [subst.get(i, i) for i in ins], logf)
                subst[a] = va
            link = p["link"]
            try:
                oi = link.index("-o")
            except ValueError:
                raise Failed("no -o in the link command of " + t)
            argv = [link[0]] + ldflags + [subst.get(x, x) for x in link[1:]]
            tmp = os.path.join(vdir, "bin", t + ".tmp")
            argv[oi + len(ldflags) + 1] = tmp
            run(argv, logf)
            env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", GCOV_PREFIX="/nonexistent-gcov")
            ver = subprocess.run([tmp, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 env=env).stdout.decode(errors="replace")
            if "QEMU emulator version" not in ver:
                raise Failed("%s --version: %s" % (t, ver.strip()[:300]))
            os.rename(tmp, os.path.join(vdir, "bin", t))
            log("%s: linked %s with %d instrumented objects (%.1f s)" % (v, t, len(p["objs"]), time.time() - t1))
        os.symlink(os.path.join("..", "..", "share"), os.path.join(vdir, "share"))
        sources = sorted(set(entries[o]["rel"] for o in objs))
        if v == "gcov":
            # notes files stay; objects and rebuilt archives go
            for dp, _, fs in os.walk(vobj):
                for f in fs:
                    if not f.endswith(".gcno"):
                        os.unlink(os.path.join(dp, f))
            # sources the .gcno files name: the instrumented .c files and every
            # dumpbench header (the model include dirs, include/hw/*/dumpbench*)
            copy = set(sources)
            for top in ("hw", "include"):
                for dp, _, fs in os.walk(os.path.join(src_root, top)):
                    for f in fs:
                        rel = os.path.relpath(os.path.join(dp, f), src_root)
                        if rel.startswith("hw/dumpbench/") or f.startswith("dumpbench"):
                            copy.add(rel)
            for rel in copy:
                d = os.path.join(vdir, "src", rel)
                os.makedirs(os.path.dirname(d), exist_ok=True)
                shutil.copy2(os.path.join(src_root, rel), d)
            strip = len([c for c in vobj.split("/") if c])
            with open(os.path.join(vdir, "gcov.env"), "w") as f:
                f.write("GCOV_OBJ_DIR=%s\nGCOV_PREFIX_STRIP=%d\nGCOV_SRC_DIR=%s\n"
                        % (vobj, strip, os.path.join(vdir, "src")))
        else:
            shutil.rmtree(vobj)
        with open(os.path.join(vdir, "manifest"), "w") as f:
            f.write("variant %s\ncflags %s\nldflags %s\nbuild %s\nseconds %.1f\n"
                    % (v, " ".join(cflags + extra), " ".join(ldflags), build, time.time() - t0))
            for t, p in plan.items():
                f.write("target %s %s\n" % (t, " ".join(entries[o]["rel"] for o in p["objs"])))
        log("%s: done in %.1f s -> %s/bin" % (v, time.time() - t0, vdir))
        return True
    except (Failed, OSError, subprocess.CalledProcessError) as ex:
        shutil.rmtree(vdir, ignore_errors=True)
        os.makedirs(vdir, exist_ok=True)
        reason = "%s variant build failed: %s (log %s.log)" % (v, ex, vdir)
        open(os.path.join(vdir, "FAILED"), "w").write(reason + "\n")
        log(reason)
        return False
    finally:
        logf.close()


t0 = time.time()
for t, p in plan.items():
    log("%s: %d dumpbench objects: %s" % (t, len(p["objs"]),
        " ".join(os.path.basename(entries[o]["rel"]) for o in p["objs"])))
ok = True
for v in variants:
    if v not in FLAGS:
        log("unknown variant %s (asan, gcov)" % v)
        ok = False
        continue
    ok = build_variant(v) and ok
log("variants %s: %s in %.1f s" % (" ".join(variants), "ok" if ok else "FAILED (see above)", time.time() - t0))
sys.exit(0 if ok else 1)
PYEOF
