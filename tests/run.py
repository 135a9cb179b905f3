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
  ktest   boots <build>/Image with `-append ktest`, reads the KTAP the image
          prints: one result per test case, plus a failure when the boot did
          not end with the `# ktest:` summary and the matching exit status.
  qemu    the boot scenarios of the SCENARIOS table below, `-j` at a time,
          and conformance-host: apps/conformance under the host's Linux
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

Adding a scenario: append a Scenario(...) to SCENARIOS. Give it a unique
name, the QEMU machine settings that differ from the defaults (virt, 256M,
one hart, OpenSBI fw_dynamic, <build>/Image), the boot arguments, the exit
status the image must print and regexes the console must (`expect`) and must
not (`reject`) match. `qemu_exit` is QEMU's own exit code, by default the
same as the status (the virt machine's sifive,test0 finisher carries it).
Arguments may use placeholders: {image} {build} {dtb} {app:NAME}
{fw_jump} {uboot} {wrap:ADDR} (the Image wrapped in an ELF that loads at
ADDR, see scripts/wrap-elf.sh), {app:NAME} (an image of apps/NAME, built
into <build>/app-NAME; list "app:NAME" in needs) and {damaged:HOW} (tests/scenarios/damaged.dts
with its last node cut or overwritten). `interact` is a list of (regex, text)
pairs: when the regex appears on the console, the text is typed into it.
`checks` are functions of the console returning an error message or None.

The last line of the output is always `N passed, N failed`; the exit code is
non-zero when anything failed (or nothing ran).
"""

import argparse
import concurrent.futures
import math
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

sys.dont_write_bytecode = True  # importing tests/conformance.py leaves no __pycache__
import conformance  # apps/conformance's expected facts and their checks
import make_checks  # the group "make": the Makefile's knobs and messages

REPO = Path(__file__).resolve().parent.parent
GROUPS = ("host", "fuzz", "ktest", "qemu", "make")

FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"

EXIT_GRACE = 5.0  # seconds QEMU may keep running after the status line
TAIL_LINES = 30

STATUS_RE = re.compile(r"pagoda: exit status (-?\d+)")
BOOT_FAILED = r"pagoda: boot failed"
TRAP = r"\btrap: \S"
PANIC = r"\bpanic: \S"
DEFAULT_REJECT = (BOOT_FAILED, TRAP, PANIC)

SAME = object()  # qemu_exit: the same as the status
MALLOC_WORKLOADS = ("repeat16", "repeat64", "repeat256", "repeat4096", "live1000",
                    "realloc_chain", "mixed")  # apps/mallocbench


# ---- helpers for the table ---------------------------------------------------
def parse_size(s: str) -> int:
    m = re.fullmatch(r"(\d+)([KMG]?)", s)
    if not m:
        raise ValueError(f"bad size {s!r}")
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]


def memory(base: int, size: str, node: int = 0) -> str:
    """The regex of one `memory` line of the boot log's memory map."""
    n = parse_size(size)
    return (rf"^\[[ \d.]+\]\s+memory\s+0x{base:010x}-0x{base + n - 1:010x}"
            rf"\s+{n >> 20} MiB\s+node {node}\s*$")


def image_at(pa: int) -> str:
    """The regex of the `image` line when the Image runs at physical pa."""
    return rf"^\[[ \d.]+\]\s+image\s+0x{pa:010x}-0x[0-9a-f]{{10}}\s"


def count(regex: str, n: int) -> Callable[[str], Optional[str]]:
    """A check: regex matches exactly n lines."""
    def check(console: str) -> Optional[str]:
        got = len(re.findall(regex, console, re.M))
        return None if got == n else f"/{regex}/ matched {got} times, not {n}"
    check.__name__ = f"count({regex!r}, {n})"
    return check


def same_fdt_as_uboot(console: str) -> Optional[str]:
    """pagoda read the tree where U-Boot said it passed it."""
    m = re.search(r"Booting using the fdt blob at 0x([0-9a-f]+)", console)
    f = re.search(r"^\[[ \d.]+\]\s+fdt\s+0x([0-9a-f]+)-", console, re.M)
    if not m or not f:
        return "no U-Boot 'Booting using the fdt blob' or no pagoda 'fdt' line"
    if int(m.group(1), 16) != int(f.group(1), 16):
        return f"U-Boot passed the tree at 0x{m.group(1)}, pagoda read 0x{f.group(1)}"
    return None


def boot_hart_node_matches(console: str) -> Optional[str]:
    """With one hart per NUMA node (hart N on node N)."""
    m = re.search(r"booting on hart (\d+) \(node (\d+)\)", console)
    if not m or m.group(1) != m.group(2):
        return "the boot hart's node is not its own NUMA node"
    return None


def hart_not_zero(console: str) -> Optional[str]:
    m = re.search(r"pagoda: booting on hart (\d+)", console)
    if not m:
        return "no 'pagoda: booting on hart' line"
    return "booted on hart 0, which has no S-mode here" if m.group(1) == "0" else None


# Checked on every scenario whose console has both lines.
def same_boot_hart_as_opensbi(console: str) -> Optional[str]:
    o = re.search(r"^Boot HART ID\s*:\s*(\d+)", console, re.M)
    p = re.search(r"pagoda: booting on hart (\d+)", console)
    if o and p and o.group(1) != p.group(1):
        return (f"OpenSBI booted hart {o.group(1)} but pagoda says hart "
                f"{p.group(1)} (a0 lost on the way to boot_main?)")
    return None


# ---- memory: the zones against the device tree's memory map ------------------
PAGE_SIZE = 4096
DMA32_LIMIT_PFN = (4 << 30) // PAGE_SIZE     # the first pfn of ZONE_NORMAL
DIRECT_MAP_SIZE = 128 << 30                  # memory above is not used
MEMORY_LINE = re.compile(r"^\[[ \d.]+\]\s+memory\s+0x([0-9a-f]+)-0x([0-9a-f]+)\s+"
                         r"\d+ [KM]iB\s+node (\d+)\s*$", re.M)
ZONE_LINE = re.compile(r"zone: node (\d+) (DMA32|Normal)\s+pfn 0x([0-9a-f]+)-0x([0-9a-f]+) "
                       r"managed (\d+) pages, watermarks (\d+)/(\d+)/(\d+)")
MEMORY_SUMMARY = re.compile(r"memory: (\d+) MiB in (\d+) node\(s\), \d+ pages free")
BUDDYINFO_LINE = re.compile(r"^Node (\d+), zone\s+(\w+)((?:\s+\d+){11})\s*$", re.M)
ZONEINFO_BLOCK = re.compile(
    r"^Node (\d+), zone\s+(\w+)\n\s+pages free\s+\d+\n\s+min\s+(\d+)\n\s+low\s+(\d+)\n"
    r"\s+high\s+(\d+)\n\s+spanned\s+(\d+)\n\s+present\s+(\d+)\n\s+managed\s+(\d+)\n"
    r"\s+start_pfn:\s+(\d+)", re.M)


def zone(node: int, name: str, first: int, last: int) -> str:
    """The regex of a `zone:` line of the boot log."""
    return (rf"zone: node {node} {name}\s+pfn 0x{first:x}-0x{last:x} managed \d+ pages, "
            rf"watermarks \d+/\d+/\d+")


def boot_option(console: str, key: str) -> Optional[str]:
    """The value of key= in the bootargs pagoda printed (the last one), or None."""
    m = re.search(r'console: \S+; bootargs: "(.*)"', console)
    value = None
    for word in (m.group(1).split() if m else ()):
        if word == "--":
            break
        k, _, v = word.partition("=")
        if k == key:
            value = v
    return value


def expected_zones(console: str):
    """From the memory map (and mem=): {(node, zone): (first pfn, last pfn, present)}.

    What alloc/zone.c must make of the tree: each range page-aligned inward
    and cut at 128 GiB, mem= keeping the first bytes in address order; per
    node a DMA32 zone below 4 GiB and a Normal zone above, spanning from the
    node's first to its last page.
    """
    ranges = []
    for m in MEMORY_LINE.finditer(console):
        base, last, node = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))
        s = -(-base // PAGE_SIZE)
        e = min(last + 1, DIRECT_MAP_SIZE) // PAGE_SIZE
        if e > s:
            ranges.append((s, e, node))
    ranges.sort()
    cap = boot_option(console, "mem")
    if cap:
        left = parse_size(cap) // PAGE_SIZE
        capped = []
        for s, e, node in ranges:
            if left <= 0:
                break
            capped.append((s, min(e, s + left), node))
            left -= capped[-1][1] - s
        ranges = capped
    spans = {}
    for s, e, node in ranges:
        lo, hi = spans.get(node, (s, e))
        spans[node] = (min(lo, s), max(hi, e))
    zones = {}
    for node, (lo, hi) in spans.items():
        for name, zs, ze in (("DMA32", lo, min(hi, DMA32_LIMIT_PFN)),
                             ("Normal", max(lo, DMA32_LIMIT_PFN), hi)):
            if ze > zs:
                present = sum(max(0, min(e, ze) - max(s, zs))
                              for s, e, n in ranges if n == node)
                zones[(node, name)] = (zs, ze - 1, present)
    return zones, ranges


def watermarks(managed: int, total: int, min_free_kbytes: int) -> Tuple[int, int, int]:
    """Linux's __setup_per_zone_wmarks, as alloc/zone.c does it."""
    if min_free_kbytes <= 0:
        min_free_kbytes = min(max(4 * math.isqrt(total * (PAGE_SIZE // 1024)), 128), 262144)
    wmin = (min_free_kbytes // (PAGE_SIZE // 1024)) * managed // total
    gap = max(wmin // 4, managed // 1000)
    return wmin, wmin + gap, wmin + 2 * gap


# Checked on every scenario whose console has `zone:` lines.
def zones_match_memory_map(console: str) -> Optional[str]:
    """The zones at boot (and memstat's buddyinfo, zoneinfo, MemTotal) are
    the device tree's memory map: spans, present pages, watermarks."""
    printed = {(int(m.group(1)), m.group(2)): m for m in ZONE_LINE.finditer(console)}
    if not printed:
        return None
    want, ranges = expected_zones(console)
    if set(printed) != set(want):
        return (f"zones {sorted(printed)} at boot, but the memory map makes "
                f"{sorted(want)}")
    total = sum(int(m.group(5)) for m in printed.values())
    opt = boot_option(console, "min_free_kbytes")
    kb = int(opt) if opt and opt.isdigit() else 0
    for key, m in printed.items():
        first, last, present = want[key]
        managed = int(m.group(5))
        got = (int(m.group(3), 16), int(m.group(4), 16))
        if got != (first, last):
            return f"zone {key}: pfn 0x{got[0]:x}-0x{got[1]:x}, expected 0x{first:x}-0x{last:x}"
        if not 0 < managed <= present:
            return f"zone {key}: managed {managed} pages of {present} present"
        marks = tuple(int(m.group(i)) for i in (6, 7, 8))
        if marks != watermarks(managed, total, kb):
            return (f"zone {key}: watermarks {marks}, expected "
                    f"{watermarks(managed, total, kb)} (min_free_kbytes={kb or 'default'})")
        z = [b for b in ZONEINFO_BLOCK.finditer(console)
             if (int(b.group(1)), b.group(2)) == key]
        if z:
            b = z[0]
            info = tuple(int(b.group(i)) for i in (3, 4, 5, 6, 7, 8, 9))
            if info != marks + (last - first + 1, present, managed, first):
                return f"zoneinfo of {key} says {info}"
    m = MEMORY_SUMMARY.search(console)
    if m and (int(m.group(1)), int(m.group(2))) != (
            sum(e - s for s, e, _ in ranges) * PAGE_SIZE >> 20,
            max(n for _, _, n in ranges) + 1):
        return f"'{m.group(0)}' does not add up to the memory map"
    m = re.search(r"^MemTotal:\s+(\d+) kB", console, re.M)
    if m and int(m.group(1)) != total * (PAGE_SIZE // 1024):
        return f"MemTotal {m.group(1)} kB, but the zones manage {total} pages"
    buddy = {(int(b.group(1)), b.group(2)) for b in BUDDYINFO_LINE.finditer(console)}
    if buddy and buddy != set(printed):
        return f"buddyinfo lists {sorted(buddy)}, the boot log {sorted(printed)}"
    return None


def managed_about(mib: int) -> Callable[[str], Optional[str]]:
    """A check: the zones manage at most mib MiB and no less than 95% of it."""
    def check(console: str) -> Optional[str]:
        pages = sum(int(m.group(5)) for m in ZONE_LINE.finditer(console))
        got = pages * PAGE_SIZE
        if not (mib << 20) * 95 // 100 <= got <= mib << 20:
            return f"the zones manage {got >> 20} MiB, expected about {mib} MiB"
        return None
    check.__name__ = f"managed_about({mib})"
    return check


GLOBAL_CHECKS = (same_boot_hart_as_opensbi, zones_match_memory_map)


@dataclass
class Scenario:
    name: str
    status: Optional[int]           # `pagoda: exit status N`; None: no such line
    expect: Sequence[str] = ()      # regexes (multiline) that must match
    reject: Sequence[str] = DEFAULT_REJECT  # regexes that must not match
    append: Optional[str] = None    # -append (boot args, `-- app argv`)
    machine: str = "virt"
    mem: str = "256M"
    smp: int = 1
    bios: str = "default"
    kernel: str = "{image}"
    args: Sequence[str] = ()        # more QEMU arguments
    qemu_exit: object = SAME        # QEMU's exit code; None: not checked
    interact: Sequence[Tuple[str, str]] = ()
    checks: Sequence[Callable[[str], Optional[str]]] = ()
    needs: Sequence[str] = ()       # "app:NAME" (an image of apps/NAME) or file paths
    timeout: Optional[float] = None


# apps/crash: the app ends, the runtime reports and shuts down cleanly.
SIGNAL_STATUS = {"SIGSEGV": 139, "SIGILL": 132, "SIGTRAP": 133}


def crash(what: str, signal: str, cause: str, where: str, fn: str,
          callers: Sequence[str] = ("main", "app_start")) -> Scenario:
    return Scenario(
        f"crash-{what}", SIGNAL_STATUS[signal], append=f"-- {what}",
        kernel="{app:crash}", needs=("app:crash",),
        reject=(BOOT_FAILED, PANIC, r"crash: survived", r"^trap: ",
                r"address space kept \d+ pages"),
        expect=(
            rf"crash: about to {what}",
            rf"pagoda: app killed by {signal}: {re.escape(cause)} at 0x[0-9a-f]{{16}}, "
            r"pc 0x[0-9a-f]{16}",
            where,
            r"\bra\s+0x[0-9a-f]{16}\s+sp\s+0x[0-9a-f]{16}",
            r"\bt6\s+0x[0-9a-f]{16}",
            rf"pagoda:\s+pc 0x[0-9a-f]{{16}} {fn}",
            *(rf"pagoda:\s+(ra|#\d+) 0x[0-9a-f]{{16}} {c}\+0x" for c in callers),
            r"pagoda:\s+VmRSS:\s+\d+ kB",
            r"pagoda:\s+MemFree:\s+\d+ kB",
        ))


LAYOUT_EXEC = (r"^layout: argc=3 argv0=layout last=b envp0=HOME=/$",
               r"^layout: execfn=/apps/layout$",
               r"^layout: pagesz=4096 entry_is_start=1$",
               r"^layout: phent=56 phnum=\d+ loads=3 first_load=0x10000$",
               r"^layout: at_random_nonzero_bytes=1[0-6]$",
               r"^layout: text=0x10000$")


def layout_randomised(console: str) -> Optional[str]:
    """Gaps page aligned, inside their ranges, and not all zero."""
    limits = {"brk_gap": 32 << 20, "stack_gap": 1 << 30, "mmap_gap": 1 << 30}
    gaps = {}
    for name, limit in limits.items():
        m = re.search(rf"^layout: {name}=0x([0-9a-f]+)$", console, re.M)
        if not m:
            return f"no {name} line"
        gaps[name] = int(m.group(1), 16)
        if gaps[name] % 4096 or gaps[name] >= limit:
            return f"{name}={gaps[name]:#x}: not page aligned below {limit:#x}"
    if not any(gaps.values()):
        return "nothing was randomised"
    return None


def conformance_matches(console: str) -> Optional[str]:
    """pagoda printed exactly pagoda's answers in apps/conformance/linux-facts.txt."""
    return conformance.check_pagoda(console)


# apps/libc: the portable facts equal those of the same source built for
# and run on the host, with the same stdin file and LIBC_WORD.
LIBC_STDIN = "tests/scenarios/libc-stdin.txt"
LIBC_WORD = "pagoda-word"
_libc_host: object = None


def libc_host_lines() -> object:
    """apps/libc built with the host's cc and run there: its lines, or why not."""
    global _libc_host
    if _libc_host is None:
        out = Path(tempfile.mkdtemp(prefix="pagoda-libc-")) / "libc-host"
        cc = subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-o", str(out),
                             str(REPO / "apps/libc/main.c")], capture_output=True, text=True)
        if cc.returncode:
            _libc_host = f"building apps/libc for the host failed: {cc.stderr}"
        else:
            with open(REPO / LIBC_STDIN, "rb") as stdin:
                run = subprocess.run([str(out)], stdin=stdin, capture_output=True, text=True,
                                     timeout=60, env={**os.environ, "LIBC_WORD": LIBC_WORD})
            _libc_host = (run.stdout.split("\n")[:-1] if run.returncode == 0 else
                          f"apps/libc on the host exited {run.returncode}")
    return _libc_host


def libc_matches_host(console: str) -> Optional[str]:
    """pagoda's `libc:` lines are the host's, line for line."""
    want = libc_host_lines()
    if isinstance(want, str):
        return want
    got = [ln for ln in console.split("\n") if ln.startswith("libc: ")]
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"line {i + 1} differs: host '{w}', pagoda '{g}'"
    if len(got) != len(want):
        return f"{len(got)} libc lines from pagoda, {len(want)} from the host"
    return None


def tap_complete(console: str) -> Optional[str]:
    """The app's TAP: a plan 1..N, then ok 1 .. ok N in order, no `not ok`."""
    plan = re.search(r"^1\.\.(\d+)$", console, re.M)
    if not plan:
        return "no TAP plan (1..N)"
    got = [int(n) for n in re.findall(r"^ok (\d+) - ", console, re.M)]
    want = list(range(1, int(plan.group(1)) + 1))
    return None if got == want else f"TAP: ok {got}, planned {plan.group(0)}"


def mallocbad_same_address(console: str) -> Optional[str]:
    """malloc's message names the address apps/mallocbad printed before the misuse."""
    app = re.search(r"^mallocbad: \S+ (0x[0-9a-f]+)$", console, re.M)
    msg = re.search(r"^malloc: [a-z ]+ (0x[0-9a-f]+)$", console, re.M)
    if not app or not msg:
        return "no 'mallocbad: CASE 0x...' line or no 'malloc: ... 0x...' message"
    if int(app.group(1), 16) != int(msg.group(1), 16):
        return f"the app misused {app.group(1)}, malloc names {msg.group(1)}"
    return None


DAMAGED_DTB = (r"pagoda: boot failed: device tree at 0x[0-9a-f]+: "
               r"structure block offset \d+: FDT_ERR_")

UBOOT_BOOTI = 'setenv bootargs "-- 5"; booti 0x84000000 - ${fdtcontroladdr}\n'

# ---- the QEMU boot scenarios ----------------------------------------------------
SCENARIOS: List[Scenario] = [
    # Memory sizes: the memory map follows -m, above 4 GiB too.
    Scenario("mem-64M", 3, append="-- 3 x", mem="64M",
             expect=(memory(0x80000000, "64M"), image_at(0x80200000))),
    Scenario("mem-128M", 4, append="-- 4", mem="128M",
             expect=(memory(0x80000000, "128M"),)),
    Scenario("mem-2G", 5, append="-- 5", mem="2G",
             expect=(memory(0x80000000, "2G"),)),
    # 6G: two zones, DMA32 up to 4 GiB and Normal from pfn 0x100000; memstat
    # prints buddyinfo/zoneinfo/MemTotal, which zones_match_memory_map checks.
    Scenario("mem-6G", 6, append="memstat -- 6", mem="6G",
             expect=(memory(0x80000000, "6G"), zone(0, "DMA32", 0x80000, 0xfffff),
                     zone(0, "Normal", 0x100000, 0x1fffff),
                     r"memstat: before the app: meminfo", r"memstat: at the app's exit: meminfo",
                     r"^AnonPages: +[1-9]\d* kB",
                     r"^Node 0, zone    DMA32( +\d+){11}", r"^Node 0, zone   Normal( +\d+){11}",
                     r"^MemTotal: +\d+ kB")),

    # Harts: four in the tree, one boots, the rest stay parked.
    Scenario("smp-4", 2, append="-- 2", smp=4,
             expect=(r"harts: 4 in the tree, 4 enabled; booting on hart [0-3] ",
                     r"harts: (\d, ){2}\d parked by the boot lottery \(SBI HSM stop\); "
                     r"hart [0-3] alone runs the runtime and the app"),
             checks=(count(r"pagoda: booting on hart", 1),
                     count(r"^hello from hello", 1))),

    # Two NUMA nodes, one hart and 1 GiB each: a DMA32 zone per node.
    Scenario("numa-2-nodes", 7, append="memstat -- 7", smp=2, mem="2G",
             args=("-object", "memory-backend-ram,id=m0,size=1G",
                   "-object", "memory-backend-ram,id=m1,size=1G",
                   "-numa", "node,memdev=m0,cpus=0,nodeid=0",
                   "-numa", "node,memdev=m1,cpus=1,nodeid=1"),
             expect=(memory(0x80000000, "1G", node=0),
                     memory(0xc0000000, "1G", node=1),
                     r"harts: 2 in the tree, 2 enabled",
                     zone(0, "DMA32", 0x80000, 0xbffff), zone(1, "DMA32", 0xc0000, 0xfffff),
                     r"^Node 1, zone    DMA32( +\d+){11}"),
             checks=(boot_hart_node_matches,)),
    # Two nodes of 3 GiB: node 0 across 4 GiB (DMA32 + Normal), node 1 all
    # Normal; the in-image allocator suites run on that layout.
    Scenario("numa-6G-ktest", 0, append="ktest=memblock,zones,buddy memstat",
             smp=2, mem="6G",
             args=("-object", "memory-backend-ram,id=m0,size=3G",
                   "-object", "memory-backend-ram,id=m1,size=3G",
                   "-numa", "node,memdev=m0,cpus=0,nodeid=0",
                   "-numa", "node,memdev=m1,cpus=1,nodeid=1"),
             expect=(zone(0, "DMA32", 0x80000, 0xfffff), zone(0, "Normal", 0x100000, 0x13ffff),
                     zone(1, "Normal", 0x140000, 0x1fffff), r"^ok \d+ buddy$",
                     r"^# ktest: \d+ passed, 0 failed$"),
             reject=DEFAULT_REJECT + (r"^\s*not ok",)),

    # mem= caps what the zones get; the in-image suites check it too. 250M:
    # 125 pageblocks, a pageblock array that ends inside a page (a page a
    # reservation touches must never reach the buddy allocator).
    Scenario("mem-cap-250M", 0, append="mem=250M memstat ktest=memblock,zones", mem="1G",
             expect=(memory(0x80000000, "1G"), zone(0, "DMA32", 0x80000, 0x8f9ff),
                     r"memory: 250 MiB in 1 node\(s\)", r"^ok \d+ zones$",
                     r"^# ktest: \d+ passed, 0 failed$"),
             reject=DEFAULT_REJECT + (r"^\s*not ok",),
             checks=(managed_about(250),)),
    # min_free_kbytes= sets the reserve: one zone gets all of it, 8 MiB =
    # 2048 pages; low and high a quarter of it apart.
    Scenario("min_free_kbytes", 3, append="min_free_kbytes=8192 memstat -- 3",
             expect=(r"zone: node 0 DMA32 .* watermarks 2048/2560/3072$",
                     r"^\s+min\s+2048$")),

    # SiFive HiFive Unleashed: hart 0 is an E51 without S-mode, so a U54
    # (hart >= 1) boots; no ns16550 (the console stays on SBI), privileged
    # spec 1.10 (no Sstc), no sifive,test0: QEMU's exit code says nothing.
    # QEMU requires 2 to 5 harts there.
    Scenario("sifive_u", 6, append="-- 6", machine="sifive_u", smp=2,
             qemu_exit=0,
             expect=(r"harts: 2 in the tree, 1 enabled; booting on hart 1 ",
                     r"^Boot HART Priv Version\s*:\s*v1\.10",
                     r"console: sbi;", r"timer: \d+ Hz via SBI TIME",
                     r"clock: no RTC in the device tree; the wall clock starts at the epoch, "
                     r"1970-01-01 00:00:00 UTC",
                     memory(0x80000000, "256M"), r"hello: exiting with status 6"),
             reject=DEFAULT_REJECT + (r"uart: ns16550", r"finisher:"),
             checks=(hart_not_zero,)),
    Scenario("sifive_u-smp-5", 3, append="-- 3", machine="sifive_u", smp=5,
             mem="1G", qemu_exit=0,
             expect=(r"harts: 5 in the tree, 4 enabled; booting on hart [1-4] ",
                     memory(0x80000000, "1G")),
             checks=(hart_not_zero, count(r"pagoda: booting on hart", 1))),

    # The tree from build/virt.dtb (QEMU -dtb) instead of QEMU's own: it has
    # two virtio-mmio slots where QEMU's has eight.
    Scenario("dtb-virt", 3, append="-- 3", args=("-dtb", "{dtb}"),
             expect=(r'bootargs: "-- 3"', memory(0x80000000, "256M"),
                     r"virtio-mmio: at 0x10001000, irq 1",
                     r"virtio-mmio: at 0x10002000, irq 2"),
             checks=(count(r"virtio-mmio: at", 2),)),

    # Debian's OpenSBI fw_jump: jumps to 0x80200000 with the tree copied to
    # its FW_JUMP_FDT_ADDR, 0x82200000.
    Scenario("opensbi-fw_jump", 9, append="-- 9", bios="{fw_jump}",
             needs=(FW_JUMP,),
             expect=(image_at(0x80200000), r"\sfdt\s+0x0082200000-",
                     memory(0x80000000, "256M"))),

    # Load addresses: the Image in an ELF at a chosen physical address.
    Scenario("load-0x80600000", 4, append="-- 4", kernel="{wrap:0x80600000}",
             expect=(image_at(0x80600000),)),
    Scenario("load-0x8a000000", 4, append="-- 4", kernel="{wrap:0x8a000000}",
             expect=(image_at(0x8a000000),)),
    Scenario("load-above-4G", 4, append="-- 4", mem="6G",
             kernel="{wrap:0x180000000}",
             expect=(image_at(0x180000000), memory(0x80000000, "6G"))),
    # Misaligned: refused before the MMU is on, through SBI; the SRST
    # failure reason does not reach QEMU's exit code (OpenSBI 1.1 drops it).
    Scenario("load-misaligned", None, append="-- 4", kernel="{wrap:0x80300000}",
             qemu_exit=0,
             expect=(r"^pagoda: the image must be loaded at a 2 MiB-aligned "
                     r"physical address",),
             reject=(r"pagoda: booting on hart", r"hello from")),

    # U-Boot (S-mode, from OpenSBI) boots the Image from RAM with booti.
    Scenario("uboot-booti", 5, kernel="{uboot}", needs=(UBOOT,),
             args=("-device",
                   "loader,file={image},addr=0x84000000,force-raw=on"),
             interact=((r"Hit any key to stop autoboot", "\n"),
                       (r"=> ", UBOOT_BOOTI)),
             expect=(r"Starting kernel \.\.\.", r'bootargs: "-- 5"',
                     image_at(0x80200000), memory(0x80000000, "256M")),
             checks=(same_fdt_as_uboot,)),

    # Damaged trees that pass QEMU's and OpenSBI's checks: pagoda's own walk
    # of the structure block rejects them. The tree is unreadable, so no
    # finisher is known and QEMU's exit code is 0 (SBI SRST, see above).
    Scenario("dtb-truncated", 254, args=("-dtb", "{damaged:truncated}"),
             qemu_exit=0, expect=(DAMAGED_DTB + r"TRUNCATED",),
             reject=(TRAP, PANIC, r"hello from")),
    Scenario("dtb-garbage", 254, args=("-dtb", "{damaged:garbage}"),
             qemu_exit=0, expect=(DAMAGED_DTB + r"BADSTRUCTURE",),
             reject=(TRAP, PANIC, r"hello from")),

    # The app's return value is the status, and QEMU's exit code.
    Scenario("exit-3", 3, append="-- 3 x",
             expect=(r'argv\[1\] = "3"', r'argv\[2\] = "x"',
                     r"hello: exiting with status 3")),
    Scenario("exit-0", 0, append="-- 0",
             expect=(r'argv\[1\] = "0"', r"hello: exiting with status 0")),

    # Bad boot arguments stop the boot with status 254.
    Scenario("bootarg-bad-loglevel", 254, append="loglevel=banana",
             expect=(r"pagoda: boot failed: .*loglevel",),
             reject=(TRAP, PANIC, r"hello from")),
    Scenario("bootarg-bad-mem", 254, append="mem=1K -- 3",
             expect=(r"pagoda: boot failed: .*mem=",),
             reject=(TRAP, PANIC, r"hello from")),
    Scenario("bootarg-bad-min_free_kbytes", 254, append="min_free_kbytes=lots -- 3",
             expect=(r"pagoda: boot failed: min_free_kbytes= takes a number of KiB",),
             reject=(TRAP, PANIC, r"hello from", r"zone: node")),

    # The allocator benchmarks (make bench), exact under -icount: each runs,
    # prints every line, finds no error, leaks nothing.
    Scenario("bench-buddy", 0, append="bench=buddy", args=("-icount", "shift=0"),
             expect=(r"^bench: buddy_setup exact=1 ",
                     r"memory: 256 MiB in 1 node\(s\), \d+ pages free, set up in \d+\.\d{3} ms, "
                     r"\d+ instructions \(\d+ per GiB\)$",
                     r"^bench: buddy_pcp order=0 .*pair=\d+",
                     r"^bench: buddy_exact order=0 .*pair=\d+",
                     r"^bench: buddy_exact order=3 .*pair=\d+",
                     r"^bench: buddy_split10 order=0 .*pair=\d+",
                     r"^bench: buddy_merge from=0 to=10 .*merge=\d+",
                     r"^bench: buddy_check valid=1 leaked_pages=0$"),
             reject=DEFAULT_REJECT + (r"^bench: .*error=",)),
    Scenario("bench-slab", 0, append="bench=slab", args=("-icount", "shift=0"),
             expect=(r"^bench: slab_setup exact=1 .* debug=0$",
                     r"^bench: slab_hot size=64 .*pair=\d+",
                     r"^bench: slab_kmalloc size=8 .*pair=\d+",
                     r"^bench: slab_kmalloc size=131072 .*pair=\d+",
                     r"^bench: slab_kmalloc size=262144 .*pair=\d+ .* path=buddy$",
                     r"^bench: slab_bulk phase=cold .*free_per_op=\d+",
                     r"^bench: slab_bulk phase=warm .*free_per_op=\d+",
                     r"^bench: slab_overhead size=64 objects=100000 .*overhead_pct=",
                     r"^bench: slab_geometry cache=kmalloc-128k ",
                     r"^bench: slab_check valid=1 leaked_pages=0 leaked_objects=0 errors=0$"),
             reject=DEFAULT_REJECT + (r"^bench: .*error=",)),

    # apps/crash: every bad access ends the app (128 + signal), with a report.
    crash("null", "SIGSEGV", "load page fault", r"pagoda:\s+0x0: no mapping \(NULL pointer\)",
          r"load_from\+0x"),
    crash("write", "SIGSEGV", "store/AMO page fault",
          r"pagoda:\s+0x0: no mapping \(NULL pointer\)", "store_to"),
    crash("unmapped", "SIGSEGV", "load page fault", r"pagoda:\s+0x2000000000: no mapping$",
          "load_from"),
    crash("text", "SIGSEGV", "store/AMO page fault",
          r"pagoda:\s+0x1[0-9a-f]+: in VMA 0x10000-0x[0-9a-f]+ r-xp: "
          r"the mapping does not allow this access", "store_to"),
    crash("rodata", "SIGSEGV", "store/AMO page fault",
          r"pagoda:\s+0x[0-9a-f]+: in VMA 0x[0-9a-f]+-0x[0-9a-f]+ r--p: "
          r"the mapping does not allow this access", "store_to"),
    crash("noexec", "SIGSEGV", "instruction page fault",
          r"pagoda:\s+0x[0-9a-f]+: in VMA 0x[0-9a-f]+-0x[0-9a-f]+ rw-p: "
          r"the mapping does not allow this access", r"\?\+0x0"),
    crash("kernel", "SIGSEGV", "load page fault",
          r"pagoda:\s+0xffffffff80000000 is kernel memory", "load_from"),
    crash("stack", "SIGSEGV", "store/AMO page fault",
          r"pagoda:\s+0x[0-9a-f]+: the stack guard page: stack overflow", "recurse",
          callers=("recurse",)),
    crash("illegal", "SIGILL", "illegal instruction", r"app killed by SIGILL", "illegal"),
    crash("ebreak", "SIGTRAP", "breakpoint", r"app killed by SIGTRAP", "breakpoint"),

    # apps/vmbench: faults and syscalls measured from U-mode (numbers, not timing).
    Scenario("bench-vm", 0, kernel="{app:vmbench}", needs=("app:vmbench",),
             args=("-icount", "shift=0"),
             expect=tuple(rf"^bench: vm_{n} instructions=\d+ min=\d+ samples=256$"
                          for n in ("syscall", "fault_write", "fault_read", "fault_cow",
                                    "brk_grow", "mmap_munmap")),
             reject=DEFAULT_REJECT + (r"vm_error", r"address space kept \d+ pages")),

    # apps/mallocbench: our malloc against picolibc's (numbers, not timing).
    Scenario("bench-malloc", 0, kernel="{app:mallocbench}", needs=("app:mallocbench",),
             args=("-icount", "shift=0"), append="norandmaps",
             expect=((r"^bench: malloc_overhead rdinstret_pair=\d+ call=\d+$",)
                     + tuple(rf"^bench: malloc_fast_{op} alloc={a} size={n} "
                             rf"instructions=\d+ min=\d+ samples=256$"
                             for a in ("pagoda", "nano") for n in (16, 64, 256, 1000)
                             for op in ("malloc", "free"))
                     + tuple(rf"^bench: malloc_pair workload={w} alloc={a} instructions_per_op=\d+ "
                             rf"ops=\d+ peak_bytes=\d+ live_peak_bytes=\d+$"
                             for w in MALLOC_WORKLOADS for a in ("pagoda", "nano"))
                     + tuple(rf"^bench: malloc_ratio workload={w} nano_over_pagoda=\d+\.\d\d$"
                             for w in MALLOC_WORKLOADS)),
             reject=DEFAULT_REJECT + (r"malloc_error", r"address space kept \d+ pages")),

    # apps/layout: the initial stack and auxv; the layout, fixed and random.
    Scenario("layout-norandmaps", 0, kernel="{app:layout}", needs=("app:layout",),
             append="norandmaps -- a b",
             expect=LAYOUT_EXEC + (r"^layout: brk_gap=0x0$", r"^layout: stack_gap=0x0$",
                                   r"^layout: mmap_gap=0x0$")),
    Scenario("layout-random", 0, kernel="{app:layout}", needs=("app:layout",),
             append="-- a b", expect=LAYOUT_EXEC, checks=(layout_randomised,)),

    # apps/conformance: the memory syscalls answer as Linux does (see also
    # CONFORMANCE_HOST, the same program under the host's Linux).
    Scenario("conformance", 0, kernel="{app:conformance}", needs=("app:conformance",),
             expect=(r"^conformance: \d+ facts$",),
             reject=DEFAULT_REJECT + (r"address space kept \d+ pages",),
             checks=(conformance_matches,), timeout=120),

    # apps/malloctorture: the app's malloc under random load (also a host test).
    Scenario("malloc-torture", 0, kernel="{app:malloctorture}",
             needs=("app:malloctorture",), mem="512M",
             expect=(r"^# malloc_torture: seed=\d+ ops=\d+ peak=\d+ bytes$",
                     r"^ok 12 - malloc_trim lowered the break$"),
             reject=DEFAULT_REJECT + (r"^not ok", r"^malloc: ",
                                      r"address space kept \d+ pages"),
             checks=(tap_complete,), timeout=120),
    # apps/mallocrss: freed memory leaves the resident set and the break.
    Scenario("mallocrss", 0, kernel="{app:mallocrss}", needs=("app:mallocrss",),
             expect=(r"^mallocrss: 10 of 10 hold$",),
             reject=DEFAULT_REJECT + (r"^not ok", r"address space kept \d+ pages"),
             checks=(tap_complete,)),
    # apps/mallocbad: each misuse is caught, named at its address, and aborts.
    *(Scenario(f"mallocbad-{case}", 134, append=f"-- {case}", kernel="{app:mallocbad}",
               needs=("app:mallocbad",),
               expect=(rf"^mallocbad: {case} 0x[0-9a-f]+$", rf"^malloc: {msg} 0x[0-9a-f]+$",
                       r"pagoda: app killed by SIGABRT, which it sent itself, "
                       r"pc 0x[0-9a-f]{16}$",
                       r"pagoda:\s+#\d+ 0x[0-9a-f]{16} main\+0x"),
               reject=DEFAULT_REJECT + (r"mallocbad: survived",
                                        r"address space kept \d+ pages"),
               checks=(mallocbad_same_address, count(r"^malloc: ", 1)))
      for case, msg in (("double-free", "double free of"),
                        ("double-free-medium", "double free of"),
                        ("invalid", "free of invalid pointer"),
                        ("interior", "free of invalid pointer"),
                        ("overflow", "heap overflow damaged the header of"),
                        ("overflow-past", "heap overflow past the block at"),
                        ("use-after-free-realloc", "use after free of"))),

    # apps/libc: the C library as on Linux. Files, stat, clocks, sleeping,
    # the environment and stdin (the initrd, as make run STDIN= passes it)
    # print what the same source prints on the host.
    Scenario("libc-portable", 0, kernel="{app:libc}", needs=("app:libc",),
             args=("-initrd", LIBC_STDIN), append=f"stdin=initrd LIBC_WORD={LIBC_WORD}",
             expect=(r"^libc: done$", rf"^libc: getenv LIBC_WORD: {LIBC_WORD}$",
                     r"pagoda: LIBC_WORD=\S+ is no boot option: passed to the app's environment"),
             checks=(libc_matches_host,)),
    # pagoda's own answers: a terminal on 0-2, root in /, Linux's default
    # environment (TERM replaced from the command line), the RTC's year.
    Scenario("libc-runtime", 0, kernel="{app:libc}", needs=("app:libc",),
             append="TERM=dumb -- runtime",
             expect=(r"^libc: isatty 0 1 2: 1 1 1$", r"^libc:   ICANON ECHO ISIG: 1 1 1$",
                     r"^libc: TIOCGWINSZ: 0 0x0$", r"^libc:   character device: 1$",
                     r"^libc: getuid geteuid getgid getegid: 0 0 0 0$", r"^libc: getcwd: /$",
                     r"^libc:   and errno: ERANGE$",
                     r"^libc: fopen /proc/meminfo for writing: EACCES$",
                     r"^libc: HOME: /$", r"^libc: TERM: dumb$",
                     r"^libc: uname: Linux riscv64 6\.1\.0-pagoda$",
                     r"^libc: the year: 20[2-9]\d$",
                     r"clock: 20[2-9]\d-\d\d-\d\d \d\d:\d\d:\d\d UTC from the RTC")),
    # The terminal: echo, erase, CR as NL, ^D ends; ^C is SIGINT (130).
    Scenario("libc-tty", 0, kernel="{app:libc}", needs=("app:libc",), append="-- tty",
             interact=((r"libc: type lines", "helo\x7f\x7flo world\rsecond\n\x04"),),
             expect=(r'^libc: got "helo world"$', r'^libc: got "second"$',
                     r"^libc: EOF after 2 lines$")),
    Scenario("libc-sigint", 130, kernel="{app:libc}", needs=("app:libc",), append="-- tty",
             interact=((r"libc: type lines", "partial\x03"),),
             expect=(r"pagoda: app killed by SIGINT: \^C on the console",),
             reject=DEFAULT_REJECT + (r"libc: got", r"address space kept \d+ pages")),
    # abort(): status 134 and main in the backtrace, handler or not.
    *(Scenario(f"libc-{mode}", 134, kernel="{app:libc}", needs=("app:libc",),
               append=f"-- {mode}",
               expect=(r"^libc: calling abort\(\)$", *extra,
                       r"pagoda: app killed by SIGABRT, which it sent itself",
                       r"pagoda:\s+#\d+ 0x[0-9a-f]{16} abort\+0x",
                       r"pagoda:\s+#\d+ 0x[0-9a-f]{16} main\+0x"))
      for mode, extra in (("abort", ()),
                          ("abort-handler", (r"^libc: SIGABRT handler ran \(signal 6\) and returns$",)))),
    # stdin=null (make run STDIN=/dev/null or an empty file): EOF at once.
    Scenario("libc-stdin-null", 0, kernel="{app:libc}", needs=("app:libc",),
             append="stdin=null -- tty", expect=(r"^libc: EOF after 0 lines$",)),
    # stdin=initrd without an initrd: refused at boot.
    Scenario("stdin-no-initrd", 254, append="stdin=initrd",
             expect=(r"pagoda: boot failed: stdin=initrd, but the device tree names no initrd",),
             reject=(TRAP, PANIC, r"hello from")),
    # loglevel=7 shows the debug lines the default level hides.
    Scenario("loglevel-7", 0, append="loglevel=7 -- 0",
             expect=(r"sbi: extensions: TIME HSM SRST", r"exec: /apps/hello: entry 0x[0-9a-f]+, brk ")),
    Scenario("loglevel-default", 0, append="-- 0",
             expect=(r"memory: 256 MiB in 1 node\(s\), \d+ pages free, set up in \d+\.\d{3} ms$",),
             reject=DEFAULT_REJECT + (r"sbi: extensions", r"exec: /apps/", r"instructions")),
]


# ---- output ------------------------------------------------------------------
class Report:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.passed = self.failed = self.skipped = 0
        self.lock = threading.Lock()

    def line(self, text: str = "") -> None:
        with self.lock:
            print(text, flush=True)

    def ok(self, name: str, secs: Optional[float] = None) -> None:
        self.passed += 1
        self.line(f"ok   {name}" + (f" ({secs:.1f}s)" if secs is not None else ""))

    def fail(self, name: str, reason: str, console: Optional[str] = None,
             log: Optional[Path] = None) -> None:
        self.failed += 1
        out = [f"FAIL {name}: {reason}"]
        if console is not None and not console.strip():
            out.append("    | (no console output)")
        elif console is not None:
            lines = console.rstrip("\n").split("\n")
            if not self.verbose and len(lines) > TAIL_LINES:
                out.append(f"    | ... ({len(lines) - TAIL_LINES} lines before; "
                           f"-v for all{f', or {log}' if log else ''})")
                lines = lines[-TAIL_LINES:]
            out += [f"    | {ln}" for ln in lines]
        self.line("\n".join(out))

    def skip(self, name: str, reason: str) -> None:
        self.skipped += 1
        self.line(f"skip {name}: {reason}")


# ---- running a process with a timeout ----------------------------------------
@dataclass
class Run:
    console: str = ""
    rc: Optional[int] = None        # None when the runner had to kill it
    timed_out: bool = False
    hung_after_status: bool = False
    secs: float = 0.0
    error: Optional[str] = None     # could not start


def kill_group(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue


def run_process(argv: Sequence[str], timeout: float, cwd: Path = REPO,
                interact: Sequence[Tuple[str, str]] = (),
                watch_status: bool = False) -> Run:
    """Run argv in its own process group, stdout and stderr together.

    Typed input follows `interact`. With watch_status, the process gets
    EXIT_GRACE seconds after printing the status line to exit by itself.
    """
    r = Run()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
    except OSError as e:
        r.error = f"cannot run {argv[0]}: {e}"
        return r
    buf = bytearray()
    fd = proc.stdout.fileno()
    steps = list(interact)
    pos = 0  # interaction: where the next pattern is looked for
    status_at = None
    eof = False
    try:
        while not eof:
            now = time.monotonic()
            if now - start > timeout:
                r.timed_out = True
                break
            if status_at is not None and now - status_at > EXIT_GRACE:
                r.hung_after_status = True
                break
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                eof = True
                break
            buf += data
            if steps or (watch_status and status_at is None):
                text = buf.decode("utf-8", "replace")
                while steps:
                    m = re.search(steps[0][0], text[pos:], re.M)
                    if not m:
                        break
                    pos += m.end()
                    try:
                        proc.stdin.write(steps.pop(0)[1].encode())
                        proc.stdin.flush()
                    except OSError:  # it exited already: the checks will say
                        steps = []
                if watch_status and status_at is None and STATUS_RE.search(text):
                    status_at = time.monotonic()
        if eof:
            try:
                left = max(0.1, timeout - (time.monotonic() - start))
                r.rc = proc.wait(timeout=left)
            except subprocess.TimeoutExpired:
                r.timed_out = True
    except OSError as e:
        r.error = f"reading from {argv[0]}: {e}"
    finally:
        if proc.poll() is None:
            kill_group(proc)
        else:
            r.rc = proc.returncode
            # anything still buffered
            try:
                while True:
                    ready, _, _ = select.select([fd], [], [], 0)
                    data = os.read(fd, 65536) if ready else b""
                    if not data:
                        break
                    buf += data
            except OSError:
                pass
        if r.timed_out or r.hung_after_status:
            r.rc = None
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass
    r.secs = time.monotonic() - start
    r.console = buf.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    return r


# ---- the context of a run -----------------------------------------------------
class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        build = Path(args.build)
        self.build = build if build.is_absolute() else (Path.cwd() / build)
        self.build = Path(os.path.normpath(self.build))
        self.qemu = args.qemu
        self.app_images: dict = {}   # app name -> its image
        self.app_errors: dict = {}   # app name -> why there is no image

    def make_build_arg(self) -> str:
        """BUILD= for make, relative to the repository when inside it."""
        try:
            return str(self.build.relative_to(REPO))
        except ValueError:
            return str(self.build)

    def workdir(self, name: str) -> Path:
        d = self.build / "tests" / name
        d.mkdir(parents=True, exist_ok=True)
        return d


def wrap_elf(ctx: Context, work: Path, addr: str) -> Path:
    out = work / f"image@{addr}.elf"
    p = subprocess.run([str(REPO / "scripts/wrap-elf.sh"), str(ctx.build / "Image"),
                        addr, str(out)], cwd=REPO, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"wrap-elf.sh {addr}: {(p.stderr or p.stdout).strip()}")
    return out


# FDT structure block tokens
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def damaged_dtb(ctx: Context, work: Path, how: str) -> Path:
    """tests/scenarios/damaged.dts, compiled, with its last node damaged:
    'truncated' cuts the structure block in the middle of that node,
    'garbage' overwrites the tag of its second property."""
    src = work / "damaged.dtb"
    p = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i", str(REPO),
                        "-o", str(src), str(REPO / "tests/scenarios/damaged.dts")],
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"dtc damaged.dts: {p.stderr.strip()}")
    blob = bytearray(src.read_bytes())
    hdr = list(struct.unpack_from(">10I", blob))
    off_struct, size_struct = hdr[2], hdr[9]

    # Walk the structure block: where does the last top-level node start?
    off, depth, last_top, node_end, props = 0, 0, None, None, []
    while off < size_struct:
        tag = struct.unpack_from(">I", blob, off_struct + off)[0]
        at = off
        off += 4
        if tag == FDT_BEGIN_NODE:
            end = blob.index(b"\0", off_struct + off) - off_struct
            off = (end + 1 + 3) & ~3
            depth += 1
            if depth == 2:
                last_top, props = at, []
        elif tag == FDT_END_NODE:
            depth -= 1
            if depth == 1:
                node_end = off
        elif tag == FDT_PROP:
            length = struct.unpack_from(">I", blob, off_struct + off)[0]
            if depth == 2:
                props.append(at)
            off = (off + 8 + length + 3) & ~3
        elif tag == FDT_NOP:
            pass
        elif tag == FDT_END:
            break
        else:
            raise RuntimeError(f"damaged.dts: unexpected tag {tag} at {at}")
    name = (blob[off_struct + last_top + 4:].split(b"\0", 1)[0]
            if last_top is not None and node_end is not None else b"")
    if name != b"pagoda-damage" or len(props) < 2:
        raise RuntimeError("damaged.dts: the last node is not pagoda-damage")

    if how == "truncated":
        hdr[9] = (last_top + (node_end - last_top) // 2) & ~3
    elif how == "garbage":
        struct.pack_into(">I", blob, off_struct + props[1], 0xbad0bad0)
    else:
        raise RuntimeError(f"unknown damage {how!r}")
    struct.pack_into(">10I", blob, 0, *hdr)
    out = work / f"damaged-{how}.dtb"
    out.write_bytes(blob)
    return out


def expand(ctx: Context, work: Path, token: str) -> str:
    def one(m: re.Match) -> str:
        key, arg = m.group(1), m.group(2)
        if key == "image":
            return str(ctx.build / "Image")
        if key == "build":
            return str(ctx.build)
        if key == "dtb":
            return str(ctx.build / "virt.dtb")
        if key == "app":
            return str(ctx.app_images[arg])
        if key == "fw_jump":
            return FW_JUMP
        if key == "uboot":
            return UBOOT
        if key == "wrap":
            return str(wrap_elf(ctx, work, arg))
        if key == "damaged":
            return str(damaged_dtb(ctx, work, arg))
        raise RuntimeError(f"unknown placeholder {m.group(0)}")
    # ${...} is U-Boot's, not ours
    return re.sub(r"(?<!\$)\{(\w+)(?::([^}]*))?\}", one, token)


def qemu_argv(ctx: Context, s: Scenario, work: Path) -> List[str]:
    argv = [ctx.qemu, "-machine", s.machine, "-m", s.mem, "-smp", str(s.smp),
            "-nographic", "-no-reboot", "-bios", s.bios, "-kernel", s.kernel]
    if s.append is not None:
        argv += ["-append", s.append]
    argv += list(s.args)
    return [expand(ctx, work, a) for a in argv]


def check_status(run: Run, status: Optional[int], qemu_exit: object) -> List[str]:
    """The `pagoda: exit status` line and QEMU's exit code."""
    errs = []
    found = [int(x) for x in STATUS_RE.findall(run.console)]
    if status is None:
        if found:
            errs.append(f"printed 'pagoda: exit status {found[0]}', expected no status line")
    elif not found:
        errs.append(f"no 'pagoda: exit status {status}' line")
    elif len(found) > 1:
        errs.append(f"{len(found)} status lines (the machine rebooted?)")
    elif found[0] != status:
        errs.append(f"exit status {found[0]}, expected {status}")
    want = status if qemu_exit is SAME else qemu_exit
    if want is not None and run.rc is not None and run.rc != (want & 0xff):
        errs.append(f"QEMU exited {run.rc}, expected {want & 0xff}")
    return errs


def check_run(run: Run, timeout: float) -> Optional[str]:
    """Did QEMU start, and leave by itself?"""
    if run.error:
        return run.error
    if run.timed_out:
        return f"timed out after {timeout:.0f}s (killed)"
    if run.hung_after_status:
        return (f"QEMU still running {EXIT_GRACE:.0f}s after the status line "
                "(shutdown hung; killed)")
    return None


def run_scenario(ctx: Context, s: Scenario) -> Tuple[str, object]:
    """Returns ("ok", secs), ("fail", (reason, console, log)) or ("skip", why)."""
    for need in s.needs:
        if need.startswith("app:"):
            if need[4:] in ctx.app_errors:
                return "fail", (ctx.app_errors[need[4:]], None, None)
        elif not Path(need).exists():
            return "fail", (f"{need} is missing (make deps)", None, None)
    work = ctx.workdir(s.name)
    timeout = s.timeout or ctx.args.timeout
    try:
        argv = qemu_argv(ctx, s, work)
    except (RuntimeError, OSError, ValueError) as e:
        return "fail", (f"setting up: {e}", None, None)
    run = run_process(argv, timeout, interact=s.interact, watch_status=s.status is not None)
    log = work / "console.log"
    log.write_text("$ " + " ".join(argv) + "\n" + run.console)

    errs = []
    bad = check_run(run, timeout)
    if bad:
        errs.append(bad)
    if not run.error:
        errs += check_status(run, s.status, s.qemu_exit)
        for rx in s.expect:
            if not re.search(rx, run.console, re.M):
                errs.append(f"no match for /{rx}/")
        for rx in s.reject:
            m = re.search(rx, run.console, re.M)
            if m:
                line = run.console[:m.start()].count("\n")
                errs.append(f"unexpected /{rx}/ at console line {line + 1}")
        for check in tuple(s.checks) + GLOBAL_CHECKS:
            err = check(run.console)
            if err:
                errs.append(err)
    if errs:
        return "fail", ("; ".join(errs), run.console, log)
    return "ok", run.secs


# ---- groups --------------------------------------------------------------------
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
    image = ctx.build / "Image"
    if not image.exists():
        rep.fail("ktest", f"no {image}: build it first (make)")
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


def prepare_app(ctx: Context, app: str) -> None:
    """Build apps/<app> into <build>/app-<app>, leaving <build>/Image alone;
    WERROR=1: our apps build without a warning."""
    out = ctx.build / f"app-{app}"
    libfdt = ctx.build / "libfdt/src"
    argv = [ctx.args.make, "--no-print-directory", f"APP={app}", "WERROR=1",
            f"BUILD={ctx.make_build_arg()}/app-{app}", "image"]
    if libfdt.is_dir():
        argv.append(f"LIBFDT_SRC={ctx.make_build_arg()}/libfdt/src")
    run = run_process(argv, ctx.args.host_timeout)
    if run.rc != 0 or not (out / "Image").exists():
        tail = "\n".join(run.console.strip().split("\n")[-5:])
        ctx.app_errors[app] = f"building apps/{app} failed ({' '.join(argv)}):\n{tail}"
        return
    ctx.app_images[app] = out / "Image"


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


GDB_APP = "gdb-app"  # a result of the qemu group, not a scenario


def gdb_app(ctx: Context, rep: Report) -> None:
    """docs/debugging.md's recipe: gdb breaks at the app's main and reads argc."""
    import socket
    elf = ctx.build / "apps" / "hello.elf"
    if not elf.exists() or not shutil.which("gdb-multiarch"):
        rep.fail(GDB_APP, f"needs {elf} (make) and gdb-multiarch (make deps)")
        return
    with socket.socket() as sock:  # a free port for the stub
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    qemu = subprocess.Popen([ctx.qemu, "-machine", "virt", "-m", "256M", "-nographic",
                             "-no-reboot", "-bios", "default", "-kernel", str(ctx.build / "Image"),
                             "-append", "-- 1 2", "-gdb", f"tcp:127.0.0.1:{port}", "-S"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(0.5)
        gdb = run_process(["gdb-multiarch", "-q", "-batch", "-nx", str(ctx.build / "pagoda.elf"),
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
    if not ctx.args.k or any(k in CONFORMANCE_HOST for k in ctx.args.k):
        conformance_host(ctx, rep)
    if not ctx.args.k or any(k in GDB_APP for k in ctx.args.k):
        gdb_app(ctx, rep)
    if selected and not (ctx.build / "Image").exists():
        rep.fail("qemu", f"no {ctx.build / 'Image'}: build it first (make)")
        return
    for app in sorted({n[4:] for s in selected for n in s.needs if n.startswith("app:")}):
        prepare_app(ctx, app)
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
        for name in [s.name for s in SCENARIOS] + [CONFORMANCE_HOST, GDB_APP]:
            print(name)
        return 0
    if args.only:
        groups = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in groups if g not in GROUPS]
        if unknown:
            ap.error(f"unknown group {','.join(unknown)}; groups: {','.join(GROUPS)}")
    else:
        groups = ["qemu"] if args.k else list(GROUPS)
    if "qemu" in groups and args.k and not any(
            k in name for name in [s.name for s in SCENARIOS] + [CONFORMANCE_HOST, GDB_APP]
            for k in args.k):
        ap.error(f"no scenario name contains {' or '.join(args.k)}")
    if shutil.which(args.qemu) is None and ({"ktest", "qemu"} & set(groups)):
        print(f"{args.qemu} not found (make deps)", flush=True)

    ctx = Context(args)
    rep = Report(args.v)
    for g in GROUPS:
        if g in groups:
            {"host": group_host, "fuzz": group_fuzz, "ktest": group_ktest,
             "qemu": group_qemu, "make": make_checks.group_make}[g](ctx, rep)
    if rep.skipped:
        rep.line(f"({rep.skipped} skipped)")
    rep.line(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed or (rep.passed == 0 and rep.skipped == 0) else 0


if __name__ == "__main__":
    sys.exit(main())
