# SPDX-License-Identifier: MIT
"""tests/run.py - every pagoda test, one line per result.

    python3 tests/run.py --build build [--only GROUP,..] [-k NAME] [-j N] [-v]

`make test` runs it with every group; `make test-qemu` with `--only ktest,qemu`.
The groups, in the order they run:

  host    `make test-host`: the cmocka programs print TAP; each `ok` or
          `not ok` line is one result, and a program that dies before its
          plan (`1..N`) is complete is a failure.
  fuzz    `make test-fuzz FUZZ_SECONDS=N`: one result per fuzzer from its
          `fuzz: ok NAME ...` line, and a failure for a non-zero exit.
  ktest   boots <build>/ktest/Image with `-append ktest`, reads the KTAP the
          image prints: one result per test case, plus a failure when the
          boot did not end with the `# ktest:` summary and the matching exit
          status.
  qemu    the boot scenarios (tests/scenario_table.py), `-j` at a time, and
          conformance-host: apps/conformance under the host's Linux
          (tests/conformance.py).
  make    tests/make_checks.py: make as a user types it (refused knobs and
          their messages, MACHINE, ENV, STDIN, make help, README's example
          app outside apps/ with and without WERROR=1); one result each,
          `make/<name>`; -k filters them with --only make.

Every QEMU run has a timeout (--timeout, 60 s) after which its whole process
group is killed, so a hang is a failure and never a stuck run. QEMU must also
leave by itself within a few seconds of printing `pagoda: exit status N`.
The console of each run is saved as <build>/tests/<name>/console.log; a
failure prints its last 30 lines (all of it with -v).

The runner's modules, in tests/:

  run.py             this: the command line, the groups in order, the counts
  harness.py         running a process with a timeout, the Context, the Report
  groups.py          the groups host, fuzz, ktest and qemu
  qemu.py            a QEMU scenario: the Scenario fields, the placeholders,
                     run_scenario, the checks run on every scenario
  scenario_table.py  SCENARIOS, and the checks and regexes they use
  zones.py           the zone: lines against tests/host/zone_model (the
                     allocator's own code run on the same memory map)
  boot_files.py      a damaged device tree, the Image wrapped in an ELF
  conformance.py     apps/conformance's facts (also a command of its own)
  make_checks.py     the group make

To add a scenario, append a Scenario(...) to SCENARIOS in
tests/scenario_table.py (tests/qemu.py lists the fields and placeholders).

The last line of the output is always `N passed, N failed`; the exit code is
non-zero when anything failed (or nothing ran).
"""

import argparse
import os
import shutil
import sys

sys.dont_write_bytecode = True  # importing the modules below leaves no __pycache__
import groups  # noqa: E402  host, fuzz, ktest, qemu
import make_checks  # noqa: E402  the group "make": the Makefile's knobs and messages
from harness import Context, Report  # noqa: E402
from scenario_table import SCENARIOS  # noqa: E402

GROUPS = ("host", "fuzz", "ktest", "qemu", "make")
EXTRA_RESULTS = (groups.CONFORMANCE_HOST, groups.LINUXCALLS_HOST, groups.GDB_APP)  # the qemu group's, not scenarios


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build directory (default build)")
    ap.add_argument("--only", help="comma-separated groups: " + ",".join(GROUPS))
    ap.add_argument("-k", action="append", metavar="SUBSTRING",
                    help="only scenarios whose name contains it (repeatable); "
                         "implies --only qemu unless --only is given")
    ap.add_argument("-j", type=int, default=2, help="scenarios in parallel (2)")
    ap.add_argument("-v", action="store_true", help="whole console of failures")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per QEMU run (60)")
    ap.add_argument("--host-timeout", type=float, default=600.0,
                    help="seconds for make test-host, and on top of the fuzz time")
    ap.add_argument("--fuzz-seconds", type=int,
                    default=int(os.environ.get("FUZZ_SECONDS", "20")))
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-riscv64"))
    ap.add_argument("--make", default=os.environ.get("MAKE", "make"),
                    help="the make to run for host, fuzz and the crash app")
    ap.add_argument("--list", action="store_true", help="list the scenarios")
    args = ap.parse_args()

    if args.list:
        for name in [s.name for s in SCENARIOS] + list(EXTRA_RESULTS):
            print(name)
        return 0
    if args.only:
        chosen = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in chosen if g not in GROUPS]
        if unknown:
            ap.error(f"unknown group {','.join(unknown)}; groups: {','.join(GROUPS)}")
    else:
        chosen = ["qemu"] if args.k else list(GROUPS)
    if "qemu" in chosen and args.k and not any(
            k in name for name in [s.name for s in SCENARIOS] + list(EXTRA_RESULTS)
            for k in args.k):
        ap.error(f"no scenario name contains {' or '.join(args.k)}")
    if shutil.which(args.qemu) is None and ({"ktest", "qemu"} & set(chosen)):
        print(f"{args.qemu} not found (make deps)", flush=True)

    ctx = Context(args)
    rep = Report(args.v)
    run_group = {"host": groups.group_host, "fuzz": groups.group_fuzz,
                 "ktest": groups.group_ktest, "qemu": groups.group_qemu,
                 "make": make_checks.group_make}
    for g in GROUPS:
        if g in chosen:
            run_group[g](ctx, rep)
    if rep.skipped:
        rep.line(f"({rep.skipped} skipped)")
    rep.line(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed or (rep.passed == 0 and rep.skipped == 0) else 0


if __name__ == "__main__":
    sys.exit(main())
