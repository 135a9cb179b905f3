# SPDX-License-Identifier: MIT
"""tests/groups.py - the groups of tests/run.py, each a function of the run's
Context and the Report (the group "make" is tests/make_checks.py).

  group_host   `make test-host`: the TAP of the cmocka programs, one result
               per `ok`/`not ok`, named host/<program>/<test>.
  group_fuzz   `make test-fuzz`: one result per `fuzz: ok NAME ...` line.
  group_ktest  <build>/ktest/Image with `-append ktest`: one result per
               KTAP case, ktest/<suite>/<case>.
  group_qemu   conformance-checker and conformance-host (tests/conformance.py),
               gdb-app, then the scenarios of tests/scenario_table.py, -j at a
               time, after building the apps they need and the zone model
               (tests/zones.py).
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import time
from typing import List, Optional, Tuple

import conformance  # apps/conformance's expected facts and their checks
import zones
from harness import REPO, Context, Report, check_run, kill_group, run_process
from qemu import (HELLO, SAME, check_status, prepare_app, prepare_elf, prepare_progs,
                  run_scenario)
from scenario_table import SCENARIOS

TAP_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)\s*$")
PLAN_RE = re.compile(r"^1\.\.(\d+)\b")


def group_host(ctx: Context, rep: Report) -> None:
    run = run_process([ctx.args.make, "--no-print-directory", "test-host",
                       f"BUILD={ctx.make_build_arg()}"], ctx.args.host_timeout)
    (ctx.workdir("host") / "output.log").write_text(run.console)
    planned = seen = 0
    program = "host"
    pending: Optional[Tuple[str, List[str]]] = None  # a failure, with its diagnostics

    def flush() -> None:
        nonlocal pending
        if pending:
            rep.fail(pending[0], "; ".join(pending[1]) or "not ok")
            pending = None

    for ln in run.console.split("\n"):
        m = re.match(r"^# ([A-Za-z_][\w-]*)$", ln)  # host.mk: "# <program>"
        if m:
            flush()
            program = f"host/{m.group(1)}"
            continue
        if re.match(r"^# (not )?ok - ", ln):  # cmocka's group summary
            continue
        if pending and ln.startswith("# "):
            pending[1].append(ln[2:].strip())
            continue
        m = PLAN_RE.match(ln)
        if m:
            flush()
            planned += int(m.group(1))
            continue
        m = TAP_RE.match(ln)
        if m and (m.group(2) or m.group(3)):
            flush()
            seen += 1
            name = f"{program}/{m.group(3) or m.group(2)}"
            if m.group(1) == "ok":
                rep.ok(name)
            else:
                pending = (name, [])
    flush()
    bad = check_run(run, ctx.args.host_timeout)
    if bad:
        rep.fail("host", bad, run.console)
    elif not planned:
        rep.fail("host", f"make test-host exited {run.rc} without TAP output"
                 if run.rc else "make test-host printed no TAP plan", run.console)
    elif seen != planned:
        rep.fail("host", f"{planned} tests planned, {seen} reported (a program died?)",
                 run.console)
    elif run.rc != 0 and rep.failed == 0:
        rep.fail("host", f"make test-host exited {run.rc}", run.console)


def group_fuzz(ctx: Context, rep: Report) -> None:
    secs = ctx.args.fuzz_seconds
    extra = [f"FUZZ_SECONDS={secs}"]
    timeout = 2 * secs + ctx.args.host_timeout  # two fuzzers
    run = run_process([ctx.args.make, "--no-print-directory", "test-fuzz",
                       f"BUILD={ctx.make_build_arg()}"] + extra, timeout)
    (ctx.workdir("fuzz") / "output.log").write_text(run.console)
    lines = [ln for ln in run.console.split("\n") if ln.strip()]
    said = [ln for ln in lines if ln.startswith("fuzz: ")]
    last = said[-1] if said else lines[-1] if lines else ""
    bad = check_run(run, timeout)
    passed = [ln[len("fuzz: ok"):].strip(" ,;:") for ln in said
              if ln.startswith("fuzz: ok")]
    for info in passed:  # "platform, N runs in S s": one result per fuzzer
        rep.ok("fuzz " + info)
    if bad:
        rep.fail("fuzz", bad, run.console)
    elif run.rc != 0 or not passed:
        rep.fail("fuzz", f"exit {run.rc}: {last or 'no output'}", run.console)


KTAP_RESULT = re.compile(r"^(not ok|ok) (\d+) (\S+)(?:\s+#\s*(.*))?$")


def group_ktest(ctx: Context, rep: Report) -> None:
    image = ctx.build / "ktest" / "Image"
    if not image.exists():
        rep.fail("ktest", f"no {image}: build it first (make test-image)")
        return
    argv = [ctx.qemu, "-machine", "virt", "-m", "256M", "-smp", "1", "-nographic",
            "-no-reboot", "-bios", "default", "-kernel", str(image),
            "-append", "ktest"]
    run = run_process(argv, ctx.args.timeout, watch_status=True)
    log = ctx.workdir("ktest") / "console.log"
    log.write_text("$ " + " ".join(argv) + "\n" + run.console)
    lines = run.console.split("\n")
    errs = []
    try:
        first = lines.index("KTAP version 1")
    except ValueError:
        rep.fail("ktest", check_run(run, ctx.args.timeout) or "no 'KTAP version 1' line",
                 run.console, log)
        return

    plan = None
    suite = None          # [name, planned cases, cases seen]
    suites = 0
    passed = failed = 0
    diags: List[str] = []
    summary = None
    for ln in lines[first + 1:]:
        if plan is None:
            m = PLAN_RE.match(ln)
            if m:
                plan = int(m.group(1))
                continue
        m = re.match(r"^# ktest: (\d+) passed, (\d+) failed\s*$", ln)
        if m:
            summary = (int(m.group(1)), int(m.group(2)))
            break
        if ln.startswith("    "):
            body = ln[4:]
            m = re.match(r"^# Subtest: (\S+)", body)
            if m:
                suite = [m.group(1), None, 0]
                diags = []
                continue
            if suite is None:
                continue
            m = PLAN_RE.match(body)
            if m and suite[1] is None:
                suite[1] = int(m.group(1))
                continue
            if body.startswith("    #") or body.startswith("#"):
                diags.append(body.strip().lstrip("#").strip())
                continue
            m = KTAP_RESULT.match(body)
            if m:
                suite[2] += 1
                name = f"ktest/{suite[0]}/{m.group(3)}"
                directive = (m.group(4) or "").upper()
                if directive.startswith("SKIP"):
                    rep.skip(name, m.group(4)[4:].strip() or "skipped")
                elif m.group(1) == "ok":
                    passed += 1
                    rep.ok(name)
                else:
                    failed += 1
                    rep.fail(name, "; ".join(diags) or "not ok")
                diags = []
            continue
        m = KTAP_RESULT.match(ln)
        if m and suite is not None:
            suites += 1
            if suite[1] is not None and suite[1] != suite[2]:
                errs.append(f"suite {suite[0]}: plan 1..{suite[1]} but {suite[2]} cases")
            suite = None

    if plan == 0:
        errs.append("the image has no test suites (1..0)")
    elif plan is not None and suites != plan and summary:
        errs.append(f"plan 1..{plan} but {suites} suites ran")
    if summary is None:
        last = next((x for x in reversed(lines) if x.strip()), "")
        where = (f" during suite {suite[0]}, after {suite[2]} of {suite[1]} cases"
                 if suite else "")
        errs.append(f"the boot ended{where} before the '# ktest:' line "
                    f"(last line: {last!r})")
    elif summary != (passed, failed):
        errs.append(f"'# ktest: {summary[0]} passed, {summary[1]} failed' but "
                    f"{passed} passed, {failed} failed were printed")
    bad = check_run(run, ctx.args.timeout)
    if bad:
        errs.append(bad)
    if summary is not None:
        errs += check_status(run, 0 if summary[1] == 0 and plan else 1, SAME)
    if errs:
        rep.fail("ktest", "; ".join(errs), run.console, log)



CONFORMANCE_HOST = "conformance-host"  # a result of the qemu group, not a scenario


def conformance_host(ctx: Context, rep: Report) -> None:
    """apps/conformance under the host's Linux: an unlisted answer is a skip.
    First the checker itself: it refuses broken files and finds wrong answers."""
    import contextlib
    import io
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        bad = conformance.self_test()
    if bad:
        rep.fail("conformance-checker", said.getvalue().strip())
    else:
        rep.ok("conformance-checker")
    start = time.monotonic()
    kind, why = conformance.host_verdict(ctx.build)
    if kind == "ok":
        rep.ok(CONFORMANCE_HOST, time.monotonic() - start)
    elif kind == "skip":
        rep.skip(CONFORMANCE_HOST, why)
    else:
        rep.fail(CONFORMANCE_HOST, why)


LINUXCALLS_HOST = "linuxcalls-host"  # a result of the qemu group, not a scenario


def linuxcalls_host(ctx: Context, rep: Report) -> None:
    """apps/linuxcalls built with the host's cc and run under its Linux: every
    line its linux-facts.txt does not mark "pagoda " is printed the same."""
    from scenario_table import linuxcalls_facts
    cc = shutil.which("cc")
    if not cc or os.uname().sysname != "Linux":
        rep.skip(LINUXCALLS_HOST, "needs a Linux host with cc")
        return
    exe = ctx.build / "linuxcalls-host"
    start = time.monotonic()
    built = run_process([cc, "-O2", "-Wall", "-o", str(exe), str(REPO / "apps/linuxcalls/main.c")],
                        ctx.args.timeout)
    if built.rc != 0:
        rep.fail(LINUXCALLS_HOST, "the host build failed", built.console)
        return
    ran = run_process([str(exe)], ctx.args.timeout)
    got = [l for l in ran.console.splitlines() if l.startswith("linuxcalls: ")]
    want = linuxcalls_facts(False)
    pagoda_only = {l.split(" = ")[0] for l in linuxcalls_facts(True)} - \
        {l.split(" = ")[0] for l in want}
    got = [l for l in got if l.split(" = ")[0] not in pagoda_only
           and not re.match(r"linuxcalls: (exe is |\d+ facts$)", l)]
    if ran.rc != 0 or got != want:
        diff = next((f"{g!r}, the file says {w!r}" for g, w in zip(got, want) if g != w),
                    f"{len(got)} lines, the file has {len(want)}")
        rep.fail(LINUXCALLS_HOST, f"status {ran.rc}; {diff}", ran.console)
    else:
        rep.ok(LINUXCALLS_HOST, time.monotonic() - start)


GDB_APP = "gdb-app"  # a result of the qemu group, not a scenario


def gdb_app(ctx: Context, rep: Report) -> None:
    """docs/debugging.md's recipe: gdb breaks at the app's main and reads argc."""
    import socket
    build = ctx.build / f"app-{HELLO}"  # the runtime with apps/hello, as prepare_app built it
    elf = build / "apps" / f"{HELLO}.elf"
    if not elf.exists() or not shutil.which("gdb-multiarch"):
        rep.fail(GDB_APP, f"needs {elf} (prepare_app) and gdb-multiarch (make deps)")
        return
    with socket.socket() as sock:  # a free port for the stub
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    qemu = subprocess.Popen([ctx.qemu, "-machine", "virt", "-m", "256M", "-nographic",
                             "-no-reboot", "-bios", "default", "-kernel", str(build / "Image"),
                             "-append", "-- 1 2", "-gdb", f"tcp:127.0.0.1:{port}", "-S"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(0.5)
        gdb = run_process(["gdb-multiarch", "-q", "-batch", "-nx", str(build / "pagoda.elf"),
                           "-ex", f"target remote 127.0.0.1:{port}",
                           "-ex", f"add-symbol-file {elf}", "-ex", "break main",
                           "-ex", "continue", "-ex", "print argc", "-ex", "kill"],
                          ctx.args.timeout)
    finally:
        kill_group(qemu)
    want = (r"Breakpoint 1, main \(argc=3, argv=0x[0-9a-f]+\) at apps/hello/main\.c:\d+",
            r"^\$1 = 3$")
    missing = [rx for rx in want if not re.search(rx, gdb.console, re.M)]
    if missing or gdb.timed_out:
        rep.fail(GDB_APP, f"gdb did not stop in main with argc 3 (/{missing[0] if missing else 'timeout'}/)",
                 gdb.console)
    else:
        rep.ok(GDB_APP, gdb.secs)


def group_qemu(ctx: Context, rep: Report) -> None:
    selected = [s for s in SCENARIOS
                if not ctx.args.k or any(k in s.name for k in ctx.args.k)]
    want_gdb = not ctx.args.k or any(k in GDB_APP for k in ctx.args.k)
    if not ctx.args.k or any(k in CONFORMANCE_HOST for k in ctx.args.k):
        conformance_host(ctx, rep)
    if not ctx.args.k or any(k in LINUXCALLS_HOST for k in ctx.args.k):
        linuxcalls_host(ctx, rep)
    # {image}, the scenarios' default, is the runtime with apps/hello, built
    # like any app's: <build>/Image holds the default app (apps/memtour).
    apps = {n[4:] for s in selected for n in s.needs if n.startswith("app:")}
    if selected or want_gdb:
        apps.add(HELLO)
    for app in sorted(apps):
        prepare_app(ctx, app)
    for key in sorted({n[4:] for s in selected for n in s.needs if n.startswith("elf:")}):
        prepare_elf(ctx, key)
    prepare_progs(ctx, sorted({n[5:] for s in selected for n in s.needs
                               if n.startswith("prog:")}))
    if want_gdb:
        gdb_app(ctx, rep)
    if selected:  # what the zone: lines are checked against (GLOBAL_CHECKS)
        zones.build_model(ctx.args.make, ctx.make_build_arg(), ctx.build,
                          ctx.args.host_timeout)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, ctx.args.j)) as pool:
        futures = [(s, pool.submit(run_scenario, ctx, s)) for s in selected]
        for s, fut in futures:
            try:
                kind, what = fut.result()
            except Exception as e:  # a bug in the runner: report, go on
                kind, what = "fail", (f"runner error: {e!r}", None, None)
            if kind == "ok":
                rep.ok(s.name, what)
            elif kind == "skip":
                rep.skip(s.name, what)
            else:
                reason, console, log = what
                rep.fail(s.name, reason, console, log)

