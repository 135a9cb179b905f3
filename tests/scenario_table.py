# SPDX-License-Identifier: MIT
"""tests/scenario_table.py - the QEMU boot scenarios (SCENARIOS), and the
checks and regex helpers they use.

Adding a scenario: append a Scenario(...) to SCENARIOS; tests/qemu.py says
what the fields and the placeholders mean. Run it alone with
`python3 tests/run.py --build build -k NAME`. Besides each scenario's own
checks, GLOBAL_CHECKS (tests/qemu.py) run on all of them: the boot hart is
OpenSBI's, and the zones are what the allocator makes of the memory map
(tests/zones.py).
"""

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import conformance  # apps/conformance's expected facts and their checks
import linux_progs  # tests/linux/'s programs: linuxprog-LIBC-NAME
from harness import REPO
import shutil
import struct

from qemu import (BOOT_FAILED, DEFAULT_REJECT, FW_JUMP, PANIC, TRAP, UBOOT, Scenario,
                  embedded_elf, with_ctx)

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


def virtio_disk(size: str = "8M", slot: Optional[int] = None, modern: bool = False,
                readonly: bool = False, name: str = "d0") -> tuple:
    """QEMU arguments for a virtio-blk disk on a fresh zeroed image: on
    virtio-mmio slot N (None: QEMU's choice, the highest free one)."""
    dev = f"virtio-blk-device,drive={name}"
    if slot is not None:
        dev += f",bus=virtio-mmio-bus.{slot}"
    return ("-global", f"virtio-mmio.force-legacy={'false' if modern else 'true'}",
            "-drive", f"file={{disk:{size}}},if=none,format=raw,id={name}"
            + (",readonly=on" if readonly else ""),
            "-device", dev)


def swap_drive(image: str, name: str, slot: int) -> tuple:
    """QEMU arguments for a disk of image ({swapdisk:..} or {disk:..})."""
    return ("-drive", f"file={image},if=none,format=raw,id={name}",
            "-device", f"virtio-blk-device,drive={name},bus=virtio-mmio-bus.{slot}")


SWAP_FOUND = (r"swap: vda: Linux swap area v1, 8192 pages \(32 MiB\), 8191 usable, 0 bad, "
              r'label "pgswap", UUID [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
              r"[0-9a-f]{12}$")


def virtio_line(name: str, slot: int, size: str, rw: str, transport: str,
                how: str) -> str:
    """The regex of the boot's line for one disk (QEMU virt: slot N at
    0x10001000 + N * 0x1000, PLIC source N + 1)."""
    return (rf"^\[[ \d.]+\] virtio-blk: {name} at 0x{0x10001000 + slot * 0x1000:x} "
            rf"\(slot {slot}\), {size} MiB, {rw}, {transport}, irq {slot + 1} {how}$")


VIRTIO_OK = (r"^ok \d+ virtio$", r"^# ktest: 8 passed, 0 failed$")
VIRTIO_REJECT = DEFAULT_REJECT + (r"^\s*not ok", r"no virtio-blk disk")


def hart_not_zero(console: str) -> Optional[str]:
    m = re.search(r"pagoda: booting on hart (\d+)", console)
    if not m:
        return "no 'pagoda: booting on hart' line"
    return "booted on hart 0, which has no S-mode here" if m.group(1) == "0" else None


def zone(node: int, name: str, first: int, last: int) -> str:
    """The regex of a `zone:` line of the boot log."""
    return (rf"zone: node {node} {name}\s+pfn 0x{first:x}-0x{last:x} managed \d+ pages, "
            rf"watermarks \d+/\d+/\d+")


def managed_about(mib: int) -> Callable[[str], Optional[str]]:
    """A check: the zones manage (MemTotal, memstat) at most mib MiB and no
    less than 95% of it."""
    def check(console: str) -> Optional[str]:
        m = re.search(r"^MemTotal:\s+(\d+) kB", console, re.M)
        if not m:
            return "no MemTotal line (memstat)"
        kib = int(m.group(1))
        if not (mib << 10) * 95 // 100 <= kib <= mib << 10:
            return f"the zones manage {kib >> 10} MiB, expected about {mib} MiB"
        return None
    check.__name__ = f"managed_about({mib})"
    return check


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


LINUXCALLS_FACTS = REPO / "apps" / "linuxcalls" / "linux-facts.txt"


def linuxcalls_facts(pagoda: bool) -> List[str]:
    """apps/linuxcalls' expected lines: all of them (pagoda), or the host's."""
    lines = [l for l in LINUXCALLS_FACTS.read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    if pagoda:
        return [l[len("pagoda "):] if l.startswith("pagoda ") else l for l in lines]
    return [l for l in lines if not l.startswith("pagoda ")]


def linuxcalls_matches(console: str) -> Optional[str]:
    """pagoda printed exactly apps/linuxcalls/linux-facts.txt, in order."""
    got = [l.rstrip("\r") for l in console.splitlines() if l.startswith("linuxcalls: ")]
    want = linuxcalls_facts(True)
    for i, w in enumerate(want):
        if i >= len(got):
            return f"missing from line {i + 1}: {w!r}"
        if got[i] != w:
            return f"line {i + 1}: {got[i]!r}, Linux says {w!r}"
    return None if len(got) == len(want) else f"{len(got) - len(want)} lines more than expected"


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


def vmstat_at_least(**floors: int) -> Callable[[str], Optional[str]]:
    """A check: the last /proc/vmstat lines on the console (memstat=exit's
    dump) have each counter at least its floor."""
    def check(console: str) -> Optional[str]:
        for name, floor in floors.items():
            got = re.findall(rf"^{name} (\d+)$", console, re.M)
            if not got:
                return f"no {name} line"
            if int(got[-1]) < floor:
                return f"{name} {got[-1]}, below {floor}"
        return None
    check.__name__ = f"vmstat_at_least({floors})"
    return check


def oom_numbers_agree(console: str) -> Optional[str]:
    """The report's numbers hold together: the order lines sum to their
    total and the zone's free; the task row's rss is the kill line's
    anon-rss; the zone is below its min watermark (why it failed)."""
    z = re.search(r"Node 0 DMA32 free:(\d+)kB boost:0kB min:(\d+)kB", console)
    orders = re.search(r"Node 0 DMA32:((?: \d+\*\d+kB(?: \([UME]+\))?)+) = (\d+)kB$", console, re.M)
    row = re.search(r"\[      1\]     0     1 +(\d+) +(\d+) +(\d+) ", console)
    kill = re.search(r"total-vm:(\d+)kB, anon-rss:(\d+)kB,.* pgtables:(\d+)kB", console)
    if not (z and orders and row and kill):
        return "a part of the report is missing"
    total = sum(int(n) * int(k) for n, k in re.findall(r"(\d+)\*(\d+)kB", orders.group(1)))
    if total != int(orders.group(2)) or total != int(z.group(1)):
        return f"orders sum to {total} kB, the line says {orders.group(2)}, the zone {z.group(1)}"
    if int(z.group(1)) >= int(z.group(2)) + 64:
        return f"free {z.group(1)} kB is well above min {z.group(2)} kB"
    if int(row.group(1)) * 4 != int(kill.group(1)) or int(row.group(2)) * 4 != int(kill.group(2)):
        return "the task row and the kill line disagree"
    if int(row.group(3)) >> 10 != int(kill.group(3)):
        return "pgtables_bytes and pgtables disagree"
    return None


def oom_stopped_near_commit_limit(console: str) -> Optional[str]:
    """Under overcommit 2 the app got ENOMEM at about CommitLimit: half of
    RAM (ratio 50), less the reserve and what the app had already."""
    m = re.search(r"^oom: mmap: ENOMEM after (\d+) MiB$", console, re.M)
    if not m:
        return "no ENOMEM line"
    if not 20 <= int(m.group(1)) <= 32:
        return f"ENOMEM after {m.group(1)} MiB, expected about half of 64 MiB"
    return None


DAMAGED_DTB = (r"pagoda: boot failed: device tree at 0x[0-9a-f]+: "
               r"structure block offset \d+: FDT_ERR_")

UBOOT_BOOTI = 'setenv bootargs "-- 5"; booti 0x84000000 - ${fdtcontroladdr}\n'
# The board procedure of docs/boards.md under QEMU: a typed "bench:" that
# scripts/bench-log.py must not take for a result.
UBOOT_BOOTI_BENCH = ('setenv bootargs "norandmaps -- bench: typed=1"; '
                     'booti 0x84000000 - ${fdtcontroladdr}\n')
VM_BENCHES = ("syscall", "fault_write", "fault_read", "fault_cow", "brk_grow", "mmap_munmap")


def bench_log_gives(*want: str) -> Callable[[str], Optional[str]]:
    """A check: scripts/bench-log.py, fed the console as a UART gives it
    (CRLF line ends; the runner's copy has LF), prints exactly lines
    matching these regexes, in order, and exits 0 (docs/boards.md)."""
    def check(console: str) -> Optional[str]:
        run = subprocess.run([str(REPO / "scripts/bench-log.py")],
                             input=console.replace("\n", "\r\n").encode(),
                             capture_output=True, timeout=30)
        got = run.stdout.decode().splitlines()
        if run.returncode != 0:
            return f"scripts/bench-log.py exited {run.returncode}: {run.stderr.decode().strip()}"
        for i, rx in enumerate(want):
            if i >= len(got):
                return f"bench-log line {i + 1} missing: /{rx}/ (got {got})"
            if not re.fullmatch(rx, got[i]):
                return f"bench-log line {i + 1}: {got[i]!r} is not /{rx}/"
        if len(got) != len(want):
            return f"bench-log printed {len(got)} lines, expected {len(want)}: extra {got[len(want):]}"
        return None
    check.__name__ = "bench_log_gives"
    return check


def vm_bench_lines(timebase_hz: int) -> tuple:
    """apps/vmbench's lines as bench-log.py prints them."""
    return ((rf"bench: vm_clock timebase_hz={timebase_hz}",)
            + tuple(rf"bench: vm_{n} instructions=\d+ min=\d+ samples=256 cycles=[1-9]\d* "
                    rf"mean_ns=[1-9]\d*" for n in VM_BENCHES))

# ---- apps/swapctl ---------------------------------------------------------------
SWAPCTL_FACT = re.compile(r"^(swapon|swapoff|swaps:|meminfo:|sysinfo:|fill:|pageout:|check:|"
                          r"status:|lock:|unlock:|willneed:|pressure:|vmstat:|prot:none:|prot:rw:) .*$", re.M)


def same_pgmajfault_around_check(console: str) -> Optional[str]:
    """After MADV_WILLNEED, reading the pages back is no major fault: the two
    pgmajfault lines around the last check are equal."""
    got = re.findall(r"^vmstat: pgmajfault (\d+)$", console, re.M)
    if len(got) != 2 or got[0] != got[1]:
        return f"pgmajfault around the check after MADV_WILLNEED: {got}"
    return None


def swaps_row(dev: str, kb: int, prio: int, used: int = 0) -> str:
    """A /proc/swaps row as Linux's swap_show() prints it: the path padded to
    40 columns, then tab-separated type, size, used and priority."""
    path = f"/dev/{dev}"
    return (rf"swaps: {re.escape(path)}{' ' * (40 - len(path))}partition\t{kb}\t\t{used}\t\t"
            rf"{prio}")


SWAPS_HEAD = r"swaps: Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority"


def swapctl_facts(*want: str) -> Callable[[str], Optional[str]]:
    """A check: apps/swapctl's fact lines are exactly these regexes, in order."""
    def check(console: str) -> Optional[str]:
        got = [m.group(0) for m in SWAPCTL_FACT.finditer(console.replace("\r", ""))]
        for i, rx in enumerate(want):
            if i >= len(got):
                return f"swapctl fact {i + 1} missing: /{rx}/"
            if not re.fullmatch(rx, got[i]):
                return f"swapctl fact {i + 1}: {got[i]!r} is not /{rx}/"
        if len(got) != len(want):
            return f"swapctl printed {len(got)} facts, expected {len(want)}: extra {got[len(want):]}"
        return None
    check.__name__ = "swapctl_facts"
    return check


def commit_limits(*swap_kb: int) -> Callable[[str], Optional[str]]:
    """A check: the app's CommitLimit lines are one RAM share plus the swap
    active at each (in kB)."""
    def check(console: str) -> Optional[str]:
        got = [int(x) for x in re.findall(r"^meminfo: CommitLimit:\s+(\d+) kB", console, re.M)]
        if len(got) != len(swap_kb):
            return f"{len(got)} CommitLimit lines, expected {len(swap_kb)}"
        want = [got[0] - swap_kb[0] + d for d in swap_kb]
        return None if got == want else f"CommitLimit {got}, expected {want}"
    check.__name__ = "commit_limits"
    return check


def meminfo_swap(kb: int) -> tuple:
    return (rf"meminfo: SwapTotal:\s+{kb} kB", rf"meminfo: SwapFree:\s+{kb} kB",
            r"meminfo: CommitLimit:\s+\d+ kB")


# ---- apps/swapstress ----------------------------------------------------------
# The final summary; the per-pass lines say "after PASS (N ms): " first.
SWAPSTRESS_SUMMARY = re.compile(r"^swapstress: pswpout=(\d+) pswpin=(\d+) pgmajfault=(\d+)$",
                                re.M)
SWAPSTRESS_REJECT = DEFAULT_REJECT + (r"swapstress: mismatch", r"swapstress: FAILED",
                                      r"invoked oom-killer")
# 512 MiB by mkswap: 131071 usable pages.
SWAP_512M = r"Adding 524284k swap on /dev/vda\.  Priority:-2 extents:1 across:524284k$"


def swapstress_counts(out: str, inn: str, majfault: str = "any") -> Callable[[str], Optional[str]]:
    """A check of apps/swapstress's summary: each of pswpout, pswpin (and
    pgmajfault) "zero", "positive" or "any"."""
    def check(console: str) -> Optional[str]:
        m = SWAPSTRESS_SUMMARY.findall(console)
        if len(m) != 1:
            return f"{len(m)} swapstress summary lines, expected 1"
        for name, want, got in zip(("pswpout", "pswpin", "pgmajfault"),
                                   (out, inn, majfault), map(int, m[0])):
            if want == "zero" and got != 0 or want == "positive" and got <= 0:
                return f"swapstress: {name}={got}, expected {want}"
        return None
    check.__name__ = f"swapstress_counts({out}, {inn}, {majfault})"
    return check


def swap_blkdebug_drive(image: str, rules: str, name: str, slot: int,
                        modern: bool = True) -> tuple:
    """QEMU arguments for a swap disk behind QEMU's blkdebug driver, which
    fails the requests rules ({blkdebug:...}) names with EIO; werror and
    rerror "report" hand every error to the guest (the default for writes,
    "enospc", would stop the machine on ENOSPC)."""
    return ("-global", f"virtio-mmio.force-legacy={'false' if modern else 'true'}",
            "-drive", f"driver=blkdebug,config={rules},image.driver=raw,"
            f"image.file.filename={image},if=none,id={name},werror=report,rerror=report",
            "-device", f"virtio-blk-device,drive={name},bus=virtio-mmio-bus.{slot}")


# Four disks by slot: vda 32M, vdb 16M and vdd 24M made by mkswap (8191,
# 4095 and 6143 usable pages), vdc zeroed.
SWAPCTL_DISKS = (swap_drive("{swapdisk:32M}", "d0", 0) + swap_drive("{swapdisk:16M}", "d1", 1)
                 + swap_drive("{disk:8M}", "d2", 2) + swap_drive("{swapdisk:24M}", "d3", 3))


# ---- apps/memtour ----------------------------------------------------------------
# The tour's fact lines start with two spaces; each check reads the numbers
# one step printed and says what does not hold.
MEMTOUR_STEPS = 9


def _num(console: str, regex: str, what: str, group: int = 1) -> int:
    m = re.search(regex, console, re.M)
    if not m:
        raise LookupError(f"memtour: no {what} line (/{regex}/)")
    return int(m.group(group), 0)


def memtour_check(fn: Callable[[str], Optional[str]]) -> Callable[[str], Optional[str]]:
    """A check whose missing lines are its failure (LookupError's message)."""
    def check(console: str) -> Optional[str]:
        try:
            return fn(console)
        except LookupError as e:
            return str(e)
    check.__name__ = fn.__name__
    return check


@memtour_check
def memtour_steps(console: str) -> Optional[str]:
    """Nine steps in order, each about a screen: at most 24 lines (step 6
    with swap-out working: 28, its table of 13 counters)."""
    titles = re.findall(r"^== (\d)/(\d) ", console, re.M)
    if [int(n) for n, _ in titles] != list(range(1, MEMTOUR_STEPS + 1)) or \
            any(int(t) != MEMTOUR_STEPS for _, t in titles):
        return f"memtour: step titles {titles}, expected 1/9..9/9 in order"
    blocks = re.split(r"^(?=== \d/\d )", console.split("memtour: the end")[0], flags=re.M)[1:]
    for b in blocks:
        n, lines = int(b[3]), b.strip("\n").count("\n") + 1
        if lines > (28 if n == 6 else 24):
            return f"memtour: step {n} takes {lines} lines"
    return None


@memtour_check
def memtour_map(console: str) -> Optional[str]:
    """Step 1: the zones' spans and managed pages are the boot's `zone:`
    lines; MemTotal and sysconf(_SC_PHYS_PAGES) are their sum."""
    boot = {(int(n), z): (int(a, 16), int(b, 16), int(m)) for n, z, a, b, m in re.findall(
        r"zone: node (\d+) (\w+)\s+pfn 0x([0-9a-f]+)-0x([0-9a-f]+) managed (\d+) pages", console)}
    tour = {}
    for n, z, lo, hi, a, b, mib, present, managed in re.findall(
            r"^  node (\d+) zone (\w+): 0x([0-9a-f]{10})-0x([0-9a-f]{10}), pfn 0x([0-9a-f]+)-"
            r"0x([0-9a-f]+), (\d+) MiB\n    present (\d+) pages, managed (\d+):", console, re.M):
        a, b = int(a, 16), int(b, 16)
        if int(lo, 16) != a << 12 or int(hi, 16) != ((b + 1) << 12) - 1 or \
                int(mib) != (b - a + 1) >> 8 or int(present) > b - a + 1:
            return f"memtour: zone {z}: addresses, pfns, size and present pages disagree"
        tour[(int(n), z)] = (a, b, int(managed))
    if not boot or tour != boot:
        return f"memtour: zones {tour}, the boot log's {boot}"
    pages = sum(m for _, _, m in tour.values())
    if _num(console, r"^  zones: \d+, managing (\d+) pages", "zones") != pages or \
            _num(console, r"^  MemTotal: (\d+) kB$", "MemTotal") != pages * 4 or \
            _num(console, r"^  sysconf\(_SC_PHYS_PAGES\): (\d+) pages of 4096 bytes$",
                 "sysconf") != pages:
        return f"memtour: MemTotal, zones or sysconf is not the {pages} managed pages"
    return None


@memtour_check
def memtour_zones(console: str) -> Optional[str]:
    """Step 2: each zone's watermarks are the boot's, buddyinfo's blocks add
    up to zoneinfo's free pages, min_free_kbytes is the mins' sum."""
    boot = dict(re.findall(r"zone: node \d+ (\w+)\s+pfn .* watermarks (\d+/\d+/\d+)$",
                           console, re.M))
    rows = re.findall(r"^  node \d+ zone (\w+): free (\d+) pages, watermarks min (\d+) low (\d+) "
                      r"high (\d+)\n    free blocks by order 0\.\.10:((?: \d+){11})\n"
                      r"    = (\d+) free pages in blocks \(zoneinfo: (\d+)\)$", console, re.M)
    if not rows or {z: f"{a}/{b}/{c}" for z, _, a, b, c, *_ in rows} != boot:
        return f"memtour: zone rows {rows}, the boot's watermarks {boot}"
    for z, free, mn, low, high, orders, total, zfree in rows:
        counted = sum(int(c) << o for o, c in enumerate(orders.split()))
        if counted != int(total) or abs(int(total) - int(free)) > 8 or total != zfree or \
                not int(mn) < int(low) < int(high):
            return f"memtour: zone {z}: blocks {counted}, sum {total}, free {free}"
    kb = _num(console, r"^  min_free_kbytes: (\d+) kB; the min watermarks add up to \d+ kB$",
              "min_free_kbytes")
    mins = _num(console, r"^  min_free_kbytes: \d+ kB; the min watermarks add up to (\d+) kB$",
                "min_free_kbytes")
    if abs(kb - mins) > 4 * len(rows) or mins != 4 * sum(int(r[2]) for r in rows):
        return f"memtour: min_free_kbytes {kb}, min watermarks {mins} kB"
    return None


@memtour_check
def memtour_slab(console: str) -> Optional[str]:
    """Step 3: ten mappings that cannot merge are ten more VMAs in the
    vm_area_struct cache, and munmap returns them; the largest caches come
    largest first."""
    m = re.search(r"^    vm_area_struct objects in use: (\d+), then (\d+) \(\+(\d+)\), "
                  r"(\d+) after munmap$", console, re.M)
    if not m:
        return "memtour: no vm_area_struct line"
    before, during, delta, after = map(int, m.groups())
    if during - before != 10 or delta != 10 or after != before:
        return f"memtour: vm_area_struct {before} -> {during} -> {after}, expected +10 and back"
    caches = _num(console, r"^  Slab: \d+ kB \(SReclaimable \d+ kB, SUnreclaim \d+ kB\) in "
                           r"(\d+) caches$", "Slab")
    if caches < 20:
        return f"memtour: {caches} slab caches, fewer than kmem_cache, 18 kmalloc, mm, vma"
    pages = [int(a) * int(b) for a, b in re.findall(
        r"^    \S+ +\d+ of +\d+ objects of +\d+ B, (\d+) slabs? of (\d+) pages?$", console, re.M)]
    if len(pages) != 5 or pages != sorted(pages, reverse=True):
        return f"memtour: the largest caches' pages {pages}, expected 5, largest first"
    return None


def _maps(line: str):
    m = re.fullmatch(r"([0-9a-f]+)-([0-9a-f]+) (\S{4}) [0-9a-f]{8} \d\d:\d\d \d+(?: +(\S.*))?", line)
    return (int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)) if m else None


@memtour_check
def memtour_malloc(console: str) -> Optional[str]:
    """Step 4: malloc(10000) lies in [heap]; malloc(4 MiB) in an anonymous
    read-write mapping of at least 4 MiB that free() unmaps."""
    m = re.search(r"^  malloc\(10000\) = 0x([0-9a-f]+), the break moved [+-]\d+ kB, in:\n"
                  r"    (.*)\n    -> (.*)\n  malloc\(4 MiB\) = 0x([0-9a-f]+), in:\n    (.*)\n"
                  r"    -> (.*)\n  free\(\) of it: (.*)$", console, re.M)
    if not m:
        return "memtour: no step 4 lines"
    small, large = int(m.group(1), 16), int(m.group(4), 16)
    hs, hl = _maps(m.group(2)), _maps(m.group(5))
    if not hs or not hs[0] <= small < hs[1] or hs[3] != "[heap]" or hs[2] != "rw-p" or \
            m.group(3) != "[heap]":
        return f"memtour: malloc(10000) at {small:#x} is not in the heap: {m.group(2)!r}"
    if not hl or not hl[0] <= large < hl[1] or hl[3] is not None or hl[2] != "rw-p" or \
            hl[1] - large < 4 << 20 or m.group(6) != f"(anonymous), {(hl[1] - hl[0]) >> 10} kB":
        return f"memtour: malloc(4 MiB) at {large:#x} is not in an anonymous mapping of 4 MiB: {m.group(5)!r}"
    if m.group(7) != "no mapping holds its address now (munmap)":
        return f"memtour: after free(), {m.group(7)!r}"
    return None


@memtour_check
def memtour_lazy(console: str) -> Optional[str]:
    """Step 5: mmap and reading add nothing to VmRSS; writing adds the
    16 MiB, one fault a page."""
    rss = [_num(console, rf"^  {w}: +VmRSS +(\d+) kB", w) for w in
           ("before", r"mmap 16 MiB", "read every page", "write every page")]
    vsz = _num(console, r"^  mmap 16 MiB: +VmRSS +\d+ kB, VmSize +\d+ kB \(\+(\d+) kB\)$", "VmSize")
    faults = _num(console, r"^  write every page: .*, pgfault \+(\d+)$", "pgfault")
    if vsz != 16384 or rss[1] - rss[0] > 8 or rss[2] - rss[1] > 8 or \
            not 16384 <= rss[3] - rss[2] <= 16384 + 64 or faults < 4096:
        return f"memtour: lazy allocation: VmRSS {rss}, VmSize +{vsz} kB, {faults} write faults"
    return None


@memtour_check
def memtour_trim(console: str) -> Optional[str]:
    """Step 7: free() of the 8 MiB block unmaps it; after malloc_trim the
    resident set is back where it started, and the break came down."""
    start = _num(console, r"^  start: +VmRSS +(\d+) kB$", "start")
    big = _num(console, r"^  free\(\) the 8 MiB block: +VmRSS +\d+ kB \((-?\d+)\), munmap$", "free")
    end = _num(console, r"^  malloc_trim\(0\) = 1: +VmRSS +(\d+) kB", "malloc_trim")
    brk_up = _num(console, r"^  \d+ blocks of \d+ B: .*, break \+(\d+) kB$", "blocks")
    brk_end = _num(console, r"^  malloc_trim\(0\) = 1: .*, break ([+-]\d+) kB$", "malloc_trim")
    back, took = (_num(console, r"^  given back in all: (\d+) of the (\d+) kB", "given back", g)
                  for g in (1, 2))
    if -big < 8192 or end > start + 64 or brk_up < 7900 or brk_end > 132 or back < took - 64:
        return (f"memtour: trim: RSS {start} -> {end} kB, free(8 MiB) {big} kB, break "
                f"+{brk_up} -> {brk_end} kB, given back {back} of {took}")
    return None


@memtour_check
def memtour_oom_policy(console: str) -> Optional[str]:
    """Step 8: the heuristic's answers: an untouched 64 MiB is promised
    (Committed_AS) but not resident; RAM + swap + 64 MiB is ENOMEM; and
    step 9's CommitLimit is swap plus half of RAM."""
    if not re.search(r"^  overcommit_memory: 0 \(heuristic\), overcommit_ratio: 50$", console, re.M):
        return "memtour: no 'overcommit_memory: 0 (heuristic), overcommit_ratio: 50'"
    c = _num(console, r"^  mmap 64 MiB, untouched: mapped; Committed_AS \+(\d+) kB", "mmap 64 MiB")
    r = _num(console, r"^  mmap 64 MiB, untouched: .*, VmRSS \+(\d+) kB$", "mmap 64 MiB")
    if not 65536 <= c <= 65536 + 64 or r > 8:
        return f"memtour: 64 MiB untouched: Committed_AS +{c} kB, VmRSS +{r} kB"
    total = _num(console, r"^  MemTotal +(\d+) kB$", "MemTotal")
    swap = _num(console, r"^  SwapTotal +(\d+) kB$", "SwapTotal")
    huge = _num(console, r"^  mmap (\d+) MiB \(RAM \+ swap \+ 64 MiB\): ENOMEM$", "ENOMEM")
    limit = _num(console, r"^  CommitLimit +(\d+) kB$", "CommitLimit")
    if huge != (total + swap) // 1024 + 64 or abs(limit - (swap + total // 2)) > 4:
        return f"memtour: CommitLimit {limit} kB, RAM {total} kB, swap {swap} kB, refused {huge} MiB"
    return None


def memtour_meminfo(swap_kb: int) -> Callable[[str], Optional[str]]:
    """Step 9: the lines, consistent, SwapTotal the area's, and VmHWM at
    least the 16 MiB step 7 held."""
    @memtour_check
    def memtour_meminfo(console: str) -> Optional[str]:
        v = {k: _num(console, rf"^  {re.escape(k)} +(\d+) kB$", k) for k in
             ("MemTotal", "MemFree", "MemAvailable", "AnonPages", "Slab", "PageTables",
              "SwapTotal", "SwapFree", "SwapCached", "CommitLimit", "Committed_AS")}
        hwm, vmswap = (_num(console, r"^  VmHWM (\d+) kB \(the app's peak\), VmRSS \d+ kB now, "
                                     r"VmSwap (\d+) kB$", "VmHWM", g) for g in (1, 2))
        # a slot in use holds a page of the app's (VmSwap) or of the cache
        used = v["SwapTotal"] - v["SwapFree"]
        if not v["MemAvailable"] <= v["MemFree"] <= v["MemTotal"] or \
                v["SwapTotal"] != swap_kb or not vmswap <= used <= vmswap + v["SwapCached"] or \
                hwm < 16384:
            return f"memtour: meminfo {v}, VmHWM {hwm} kB (swap {swap_kb} kB)"
        return None
    return memtour_meminfo


MEMTOUR_CHECKS = (memtour_steps, memtour_map, memtour_zones, memtour_slab, memtour_malloc,
                  memtour_lazy, memtour_trim, memtour_oom_policy)
MEMTOUR_SWAP = (r"^  swap: /dev/vda, 65532 kB, priority -2; SwapFree 65532 kB; swappiness 60$",
                r"^  1 MiB written, then madvise\(MADV_PAGEOUT\) = (0|-1 EINVAL):$",
                r"^    read back: pswpin \+\d+, pgmajfault \+\d+ \(major faults\), 0 pages wrong$")


@memtour_check
def memtour_swapout(console: str) -> Optional[str]:
    """Step 6 once pages are written out (waits on swap-out): MADV_PAGEOUT
    sends the 256 pages out and the reads bring them back in major faults;
    touching more than MemAvailable swaps out at least half the excess,
    reclaim scans, every page reads back as written, and munmap frees
    every slot."""
    if not re.search(r"^  1 MiB written, then madvise\(MADV_PAGEOUT\) = 0:$", console, re.M):
        return "memtour: madvise(MADV_PAGEOUT) did not return 0"
    out, swp, rss = (_num(console, r"^    paged out: pswpout \+(\d+), VmSwap \+(\d+) kB, "
                                   r"VmRSS ([+-]?\d+) kB$", "paged out", g) for g in (1, 2, 3))
    pin, maj = (_num(console, r"^    read back: pswpin \+(\d+), pgmajfault \+(\d+)", "read back", g)
                for g in (1, 2))
    if out != 256 or swp != 1024 or rss > -1024 or pin < 256 or maj < 1:
        return (f"memtour: MADV_PAGEOUT: pswpout +{out}, VmSwap +{swp} kB, VmRSS {rss} kB; "
                f"read back: pswpin +{pin}, pgmajfault +{maj}")
    extra = _num(console, r"^  MemAvailable \d+ kB: touching \d+ MiB, (\d+) MiB more than that$",
                 "touching")

    def row(name: str, col: int) -> int:
        return _num(console, rf"^  {re.escape(name)} +([+-]\d+)(?: +([+-]\d+))?(?: kB)?$",
                    name, col)
    if row("pswpout", 1) < extra * 256 // 2 or row("VmSwap", 1) <= 0 or \
            row("pswpin", 2) < 1 or row("pgmajfault", 2) < 1 or \
            row("pgscan_kswapd", 1) + row("pgscan_direct", 1) < row("pswpout", 1):
        return "memtour: under pressure: pswpout, VmSwap, pswpin, pgmajfault or pgscan did not move"
    m = re.search(r"^  pages wrong after reading back: (\d+) of \d+; after munmap: SwapFree (\d+) kB$",
                  console, re.M)
    left = re.search(r"^  still in swap: VmSwap (\d+) kB, SwapCached (\d+) kB "
                     r"\(the app's own, out meanwhile\)$", console, re.M)
    # munmap freed the area's slots: what is in use is the app's other
    # pages (its stack, text, heap went out too), each in VmSwap or cached
    if not m or not left or m.group(1) != "0" or \
            not int(left.group(1)) <= 65532 - int(m.group(2)) <= int(left.group(1)) + int(left.group(2)) \
            or int(left.group(1)) > 2048:
        return f"memtour: after the pressure: {m.group(0) if m else 'no line'}, {left and left.group(0)}"
    return None


# ---- the QEMU boot scenarios ----------------------------------------------------
# ---- static Linux programs (docs/linux-programs.md) -------------------------------
KERNEL_LOG_RE = re.compile(r"^\[\s*\d+\.\d+\] ")


def same_as_qemu_user(need: str, args: Sequence[str], status: int,
                      stdin: Optional[str] = None) -> Callable:
    """The ELF the image of `need` embeds ("app:NAME[+VARIANT]": <build>/
    app-NAME+VARIANT/apps/NAME.elf; "elf:KEY": <build>/elf-KEY/apps/...)
    run under qemu-riscv64, Linux's own ABI emulated by QEMU, with ARGS and
    the file STDIN (of the repository) on its descriptor 0: its stdout
    must appear on the console line for line, and its status be the
    scenario's. LUA_INIT* are left out of its environment (lua reads them)."""
    @with_ctx
    def check(ctx, console: str) -> Optional[str]:
        elf = embedded_elf(ctx, need)
        qemu_user = shutil.which("qemu-riscv64")
        if not qemu_user:
            return "no qemu-riscv64 (make deps: Debian's qemu-user)"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LUA_INIT")}
        with open(REPO / stdin if stdin else os.devnull, "rb") as fd0:
            p = subprocess.run([qemu_user, str(elf), *args], stdin=fd0, capture_output=True,
                               timeout=120, env=env)
        out = p.stdout.decode(errors="replace")
        want = out.splitlines()
        # killed by a signal: the shell's 128 + signal, as pagoda's status
        rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
        if rc != status:
            last = out.strip().split("\n")[-1:]
            return (f"under qemu-riscv64 {elf.name} exited {rc}, expected {status}: "
                    f"{p.stderr.decode(errors='replace').strip()[-300:]} (its last line: {last})")
        if not want:
            return f"under qemu-riscv64 {elf.name} printed nothing: {p.stderr.decode().strip()}"
        got = [ln.rstrip("\r") for ln in console.split("\n") if not KERNEL_LOG_RE.match(ln)]
        for i in range(len(got) - len(want) + 1):
            if got[i:i + len(want)] == want:
                return None
        first = next((f"line {j + 1}: qemu-riscv64 {w!r}" for j, w in enumerate(want)
                      if w not in got), f"{len(want)} lines, not in one block")
        return f"the console does not hold qemu-riscv64's output ({first})"
    return check


# Which C library a static program holds: a symbol only it has.
LIBC_MARKS = {"glibc": b"_IO_2_1_stdout_", "musl": b"__init_libc"}


def linked_against(need: str, libc: str) -> Callable:
    """The ELF of `need` holds `libc`'s mark and not the other's."""
    @with_ctx
    def check(ctx, console: str) -> Optional[str]:
        data = embedded_elf(ctx, need).read_bytes()
        have = [name for name, mark in LIBC_MARKS.items() if mark in data]
        return None if have == [libc] else f"{need}'s ELF has the marks of {have or 'no libc'}, not {libc}"
    return check


@with_ctx
def auxv_matches_elf(ctx, console: str) -> Optional[str]:
    """apps/linux-auxv's AT_PHNUM, AT_ENTRY and the PT_LOAD count it read
    through AT_PHDR are the ELF header's and program headers' own."""
    elf = (ctx.build / "app-linux-auxv" / "apps" / "linux-auxv.elf").read_bytes()
    entry, phoff = struct.unpack_from("<QQ", elf, 24)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    loads = sum(struct.unpack_from("<I", elf, phoff + i * phentsize)[0] == 1
                for i in range(phnum))
    errs = []
    for line in (f"AT_PHNUM={phnum}", f"AT_ENTRY=0x{entry:x}",
                 f"AT_PHDR: {loads} PT_LOAD of {phnum}"):
        if not re.search(rf"^{re.escape(line)}$", console, re.M):
            errs.append(line)
    return f"the console lacks {errs} (from the ELF file)" if errs else None


NO_FD_CPU = ("-cpu", "rv64,f=false,d=false")  # QEMU's hart without F and D
LUA_SCRIPTS = ("gc", "strings", "tables", "math")  # tests/lua/NAME.lua
LINUX_REFUSED = (TRAP, PANIC, r"^linux-hello:")


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
    Scenario("numa-6G-ktest", 0, kernel="{test_image}", append="ktest=memblock,zones,buddy memstat",
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
    Scenario("mem-cap-250M", 0, kernel="{test_image}", append="mem=250M memstat ktest=memblock,zones", mem="1G",
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

    # docs/boards.md's procedure in QEMU: a benchmark booted as on the
    # boards, its console fed to scripts/bench-log.py. sifive_u is the
    # Unmatched's older sibling: hart 0 an E51 without MMU (pagoda boots
    # on hart 1), the console through SBI, a 1 MHz timebase; U-Boot booti
    # is the boards' boot path (virt's 10 MHz timebase here).
    Scenario("board-sifive_u-vmbench", 0, machine="sifive_u", smp=2, qemu_exit=0,
             kernel="{app:vmbench}", needs=("app:vmbench",), append="norandmaps",
             expect=(r"harts: 2 in the tree, 1 enabled; booting on hart 1 ", r"console: sbi;",
                     r"timer: 1000000 Hz via SBI TIME"),
             reject=DEFAULT_REJECT + (r"vm_error",),
             checks=(hart_not_zero, bench_log_gives(*vm_bench_lines(1000000)))),
    Scenario("board-uboot-booti-vmbench", 0, kernel="{uboot}", needs=(UBOOT, "app:vmbench"),
             args=("-device", "loader,file={app:vmbench},addr=0x84000000,force-raw=on"),
             interact=((r"Hit any key to stop autoboot", "\n"),
                       (r"=> ", UBOOT_BOOTI_BENCH)),
             expect=(r"Starting kernel \.\.\.", r'bootargs: "norandmaps -- bench: typed=1"'),
             reject=DEFAULT_REJECT + (r"vm_error",),
             checks=(same_fdt_as_uboot, bench_log_gives(*vm_bench_lines(10000000)))),

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

    # The shipped image holds no tests: ktest= and bench= say where they are.
    Scenario("ktest-not-in-image", 254, append="ktest",
             expect=(r"pagoda: boot failed: ktest: this image holds no tests; .*"
                     r"make test-image: build/ktest/Image",),
             reject=(TRAP, PANIC, r"hello from", r"KTAP")),
    Scenario("bench-not-in-image", 254, append="bench=buddy",
             expect=(r"pagoda: boot failed: bench: this image holds no tests",),
             reject=(TRAP, PANIC, r"hello from", r"^bench: ")),

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
    Scenario("bootarg-bad-lru", 254, append="lru=lfu -- 3",
             expect=(r"pagoda: boot failed: lru= takes 'aging' .* or 'fifo'",),
             reject=(TRAP, PANIC, r"hello from")),

    # The allocator benchmarks (make bench), exact under -icount: each runs,
    # prints every line, finds no error, leaks nothing.
    Scenario("bench-buddy", 0, kernel="{test_image}", append="bench=buddy", args=("-icount", "shift=0"),
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
    Scenario("bench-slab", 0, kernel="{test_image}", append="bench=slab", args=("-icount", "shift=0"),
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
             expect=(r"^bench: vm_clock timebase_hz=10000000$",)
             + tuple(rf"^bench: vm_{n} instructions=\d+ min=\d+ samples=256 cycles=\d+ "
                     rf"mean_ns=[1-9]\d*$"
                     for n in ("syscall", "fault_write", "fault_read", "fault_cow",
                               "brk_grow", "mmap_munmap")),
             reject=DEFAULT_REJECT + (r"vm_error", r"address space kept \d+ pages")),

    # Raw sequential virtio-blk throughput (tests/kernel/bench_virtio.c),
    # swap's yardstick in make bench BENCH=swap: every case in both
    # directions on a scratch disk (under -icount, where it is quick: make
    # bench takes the throughput from a run in real time); a swap area is
    # refused and never written.
    Scenario("bench-virtio-seq", 0, kernel="{test_image}", append="bench=virtio_seq",
             timeout=60, args=("-icount", "shift=0") + virtio_disk("64M", 7, modern=True),
             expect=tuple(rf"^bench: virtio_seq exact=1 op={op} req={req} depth={depth} "
                          rf"bytes=33554432 runs=3 ns=\d+ min_ns=\d+ max_ns=\d+ "
                          rf"mib_s=\d+\.\d\d requests={32 * 1024 * 1024 // req} "
                          rf"instructions_per_req=\d+$"
                          for op in ("write", "read")
                          for req, depth in ((4096, 1), (4096, 8), (65536, 1), (65536, 3))),
             reject=DEFAULT_REJECT + (r"^bench: .*error=",)),
    Scenario("bench-virtio-seq-swap-area", 0, kernel="{test_image}", append="bench=virtio_seq",
             timeout=10, args=swap_drive("{swapdisk:32M}", "d0", 7),
             expect=(r"^bench: virtio_seq error=swap_area disk=vda ",),
             reject=DEFAULT_REJECT + (r"^bench: virtio_seq exact=",)),
    # apps/swapbench (make bench BENCH=swap) at 32 MiB with 256 MiB of swap,
    # under -icount: every line, no error (needs swap-out, swap-in and
    # MADV_PAGEOUT); lru=fifo, the FIFO baseline (needs the lru= option to
    # mean something; until then it is an environment word). And the app's
    # own paths today, sized for 8 MiB at 256 MiB: nothing is swapped.
    Scenario("bench-swap", 0, kernel="{app:swapbench}", needs=("app:swapbench",), mem="32M",
             append="norandmaps -- out-in fault lru", args=("-icount", "shift=0")
             + swap_drive("{swapdisk:256M}", "d0", 7), timeout=300,
             expect=tuple(rf"^bench: swap_{d} how={h} exact=1 pages=\d+ ns=\d+ "
                          rf"mib_s=\d+\.\d\d instructions_per_page=\d+"
                          for d in ("out", "in") for h in ("pressure", "pageout"))
             + (r"^bench: swap_majfault exact=1 samples=\d+ instructions=\d+ min=\d+ ns=\d+$",
                r"^bench: swap_lru lru=aging hot_mib=15 cold_mib=12\d hot_reads=\d+ "
                r"hot_majfaults=\d+ per_1000=\d+\.\d\d pswpout=[1-9]\d*$"),
             reject=DEFAULT_REJECT + (r"^bench: .*error=", r"invoked oom-killer")),
    Scenario("bench-swap-fifo", 0, kernel="{app:swapbench}", needs=("app:swapbench",), mem="32M",
             append="norandmaps lru=fifo -- lru label=fifo",
             args=swap_drive("{swapdisk:256M}", "d0", 7), timeout=300,
             expect=(r"^bench: swap_lru lru=fifo hot_mib=15 cold_mib=12\d hot_reads=\d+ "
                     r"hot_majfaults=[1-9]\d* per_1000=\d+\.\d\d pswpout=[1-9]\d*$",),
             reject=DEFAULT_REJECT + (r"^bench: .*error=", r"invoked oom-killer",
                                      r"unknown boot option")),
    Scenario("bench-swap-in-ram", 0, kernel="{app:swapbench}", needs=("app:swapbench",),
             append="norandmaps -- ram=8",
             expect=(r"^swapbench: MemTotal \d+ kB, SwapTotal 0 kB, sized for 8 MiB, exact=0$",
                     r"^bench: swap_error part=swap_out_pressure error=no_pages_swapped$",
                     r"^bench: swap_error part=majfault error=no_major_faults$",
                     r"^bench: swap_lru lru=aging hot_mib=4 cold_mib=32 hot_reads=16384 "
                     r"hot_majfaults=0 per_1000=0\.00 pswpout=0$"),
             reject=DEFAULT_REJECT + (r"error=wrong_data",)),
    # apps/mallocbench: our malloc against picolibc's (numbers, not timing).
    Scenario("bench-malloc", 0, kernel="{app:mallocbench}", needs=("app:mallocbench",),
             args=("-icount", "shift=0"), append="norandmaps",
             expect=((r"^bench: malloc_overhead rdinstret_pair=\d+ call=\d+$",)
                     + tuple(rf"^bench: malloc_fast_{op} alloc={a} size={n} "
                             rf"instructions=\d+ min=\d+ samples=256$"
                             for a in ("pagoda", "nano") for n in (16, 64, 256, 1000)
                             for op in ("malloc", "free"))
                     + (r"^bench: malloc_clock timebase_hz=10000000$",)
                     + tuple(rf"^bench: malloc_pair workload={w} alloc={a} instructions_per_op=\d+ "
                             rf"ops=\d+ peak_bytes=\d+ live_peak_bytes=\d+ cycles_per_op=[1-9]\d* "
                             rf"ns_per_op=\d+$"
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
    # The same facts with every page written out to swap after each one
    # (MADV_PAGEOUT), in little RAM, so each step reads its pages back.
    Scenario("conformance-pageout", 0, kernel="{app:conformance}", needs=("app:conformance",),
             mem="16M", append="memstat -- pageout",
             args=swap_drive("{swapdisk:64M}", "d0", 7),
             expect=(r"^conformance: \d+ facts$",),
             reject=DEFAULT_REJECT + (r"address space kept \d+ pages", r"swap: (read|write) error"),
             checks=(conformance_matches,
                     vmstat_at_least(pswpout=200, pswpin=200, pgmajfault=100)),
             timeout=180),

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
             expect=(r"^mallocrss: 12 of 12 hold$",),
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
    # apps/linuxcalls: the start-up and process calls C libraries make,
    # by number, against Linux's answers (linux-facts.txt; also
    # linuxcalls-host, the same program under the host's Linux).
    Scenario("linuxcalls", 0, kernel="{app:linuxcalls}", needs=("app:linuxcalls",),
             expect=(r"^linuxcalls: \d+ facts$",),
             reject=DEFAULT_REJECT + (r"address space kept \d+ pages",
                                      r"system call (293|435|258) is not"),
             checks=(linuxcalls_matches,
                     count(r"pagoda: system call 500 is not implemented", 1))),
    # A blocked signal waits; unblocked, its default action ends the app.
    # futex WAIT with no timeout in a one-thread app: a deadlock, reported
    # and ended (status 255), never a hang.
    Scenario("linuxcalls-deadlock", 255, kernel="{app:linuxcalls}",
             needs=("app:linuxcalls",), append="-- deadlock",
             expect=(r"^linuxcalls: futex\(&w, WAIT_PRIVATE, 7, NULL\)$",
                     r"pagoda: deadlock: the app's only thread waits on futex 0x[0-9a-f]+ "
                     r"\(value 7\) with no timeout; no thread can wake it$"),
             reject=DEFAULT_REJECT + (r"still here",), timeout=30),
    Scenario("linuxcalls-pending", 138, kernel="{app:linuxcalls}",
             needs=("app:linuxcalls",), append="-- pending",
             expect=(r"^linuxcalls: tgkill\(pid, tid, SIGUSR1\) blocked = 0",
                     r"^linuxcalls: unblocking SIGUSR1",
                     r"pagoda: app killed by signal 10, which it sent itself"),
             reject=DEFAULT_REJECT + (r"still here",)),
    # /proc/sys/vm (apps/sysctl): opens, reads, writes parsed as Linux's
    # proc_dointvec_minmax, ranges and errno values, and the effects:
    # watermarks in zoneinfo, drop_caches in vmstat, overcommit 0/1/2.
    Scenario("sysctl", 0, kernel="{app:sysctl}", needs=("app:sysctl",),
             expect=(r"^sysctl: (\d+) of \1 hold$",
                     r"pagoda: app \(1\): drop_caches: 3"),
             reject=DEFAULT_REJECT + (r"^not ok", r"address space kept \d+ pages"),
             checks=(tap_complete,)),
    # sysctl.vm.NAME=V at boot: set before the app, the zones' watermarks
    # from them (zones.py asks the model with the same words).
    Scenario("sysctl-boot", 0, kernel="{app:sysctl}", needs=("app:sysctl",),
             append="sysctl.vm.swappiness=0x10 sysctl.vm.page-cluster=0 "
                    "sysctl.vm.overcommit_ratio=80 sysctl.vm.min_free_kbytes=4096 "
                    "sysctl.vm.watermark_scale_factor=200 memstat -- show",
             expect=(r"^sysctl: swappiness=16$", r"^sysctl: page-cluster=0$",
                     r"^sysctl: overcommit_ratio=80$", r"^sysctl: min_free_kbytes=4096$",
                     r"^sysctl: watermark_scale_factor=200$",
                     r"zone: node 0 DMA32 .* watermarks 1024/\d+/\d+$",
                     r"^\s+min\s+1024$"),
             reject=DEFAULT_REJECT + (r"is no boot option", r"^sysctl\.vm\.")),
    *(Scenario(f"sysctl-boot-bad-{name}", 254, append=f"{arg} -- 3",
               expect=(rf"pagoda: boot failed: {msg}",),
               reject=(TRAP, PANIC, r"hello from", r"zone: node"))
      for name, arg, msg in (
          ("range", "sysctl.vm.swappiness=201",
           r"sysctl\.vm\.swappiness=201: takes an integer from 0 to 200"),
          ("junk", "sysctl.vm.min_free_kbytes=lots",
           r"sysctl\.vm\.min_free_kbytes=lots: takes an integer of at least 0"),
          ("unknown", "sysctl.vm.nosuch=1", r"sysctl\.vm\.nosuch: no such sysctl"))),
    # Kernel threads (docs/kthread.md): apps/spin stays busy in U-mode
    # beside a thread that always wants the hart (the test image's
    # kthread_spin option); the tick takes the app out every slice, the
    # thread gets about half the time, and every run of it began on the way
    # back to U-mode. Without the option, no thread: nothing printed.
    Scenario("kthread-spin", 0, kernel="{app:spin+ktest}", needs=("app:spin+ktest",),
             append="kthread_spin",
             expect=(r"^spin: \d+ iterations in 400 ms$",
                     r"kthread_spin: switches=([1-9]\d+) cpu_ms=\d+ wall_ms=\d+ "
                     r"share=([2-6]\d|7[0-5])% from_user=\1$")),
    Scenario("kthread-none", 0, kernel="{app:spin+ktest}", needs=("app:spin+ktest",),
             append="-- 50",
             expect=(r"^spin: \d+ iterations in 50 ms$",),
             reject=DEFAULT_REJECT + (r"kthread_spin:",)),
    # The OOM killer (apps/oom takes memory until none is left): Linux's
    # report, then SIGKILL; under overcommit 2 mmap says ENOMEM first.
    Scenario("oom-kill", 137, kernel="{app:oom}", needs=("app:oom",), mem="64M",
             expect=(r"^oom: 8 MiB touched$",
                     r"oom invoked oom-killer: gfp_mask=0x100dca\(GFP_HIGHUSER_MOVABLE\|__GFP_ZERO\), "
                     r"order=0, oom_score_adj=0$",
                     r"\] Mem-Info:$", r"active_anon:\d+ inactive_anon:\d+ isolated_anon:0$",
                     r"slab_reclaimable:\d+ slab_unreclaimable:\d+$",
                     r"free:\d+ free_pcp:\d+ free_cma:0$",
                     r"Node 0 DMA32 free:\d+kB boost:0kB min:\d+kB low:\d+kB high:\d+kB .*"
                     r"present:\d+kB managed:\d+kB ",
                     r"Node 0 DMA32:( \d+\*\d+kB( \([UME]+\))?){11} = \d+kB$",
                     r"Free swap  = 0kB$", r"Total swap = 0kB$",
                     r"\[  pid  \]   uid  tgid total_vm      rss pgtables_bytes swapents "
                     r"oom_score_adj name$",
                     r"\[      1\]     0     1 +\d+ +\d+ +\d+ +0 +0 oom$",
                     r"Out of memory: Killed process 1 \(oom\) total-vm:\d+kB, anon-rss:\d+kB, "
                     r"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0$",
                     r"pagoda: app killed by SIGKILL: store/AMO page fault",
                     r"out of memory"),
             reject=DEFAULT_REJECT + (r"oom: survived", r"oom: mmap",
                                      r"address space kept \d+ pages"),
             checks=(count(r"invoked oom-killer", 1), oom_numbers_agree)),
    # With swap: the app's pages go out until swap is full, then the same
    # report, with the swap state and the swap entries; no livelock between
    # reclaim and the fault (the timeout would say so).
    Scenario("oom-kill-swap-full", 137, kernel="{app:oom}", needs=("app:oom",), mem="64M",
             args=swap_drive("{swapdisk:32M}", "d0", 7), append="memstat",
             expect=(r"^oom: 64 MiB touched$",
                     r"oom invoked oom-killer: gfp_mask=0x100dca\(GFP_HIGHUSER_MOVABLE\|__GFP_ZERO\), "
                     r"order=0, oom_score_adj=0$",
                     r"Free swap  = 0kB$", r"Total swap = 32764kB$",
                     r"\[      1\]     0     1 +\d+ +\d+ +\d+ +8191 +0 oom$",
                     r"pagoda: app killed by SIGKILL: store/AMO page fault",
                     r"VmSwap:\s+32764 kB$"),
             reject=DEFAULT_REJECT + (r"oom: survived", r"oom: mmap", r"swap: write error"),
             checks=(count(r"invoked oom-killer", 1),
                     # kswapd worked, and the fault that could not be had
                     # reclaimed itself first (allocstall)
                     vmstat_at_least(pswpout=8191, pgscan_kswapd=1, pgsteal_kswapd=1,
                                     pageoutrun=1, allocstall_normal=1)),
             timeout=120),
    Scenario("oom-overcommit-never", 0, kernel="{app:oom}", needs=("app:oom",), mem="64M",
             append="sysctl.vm.overcommit_memory=2",
             expect=(r"^oom: mmap: ENOMEM after \d+ MiB$",),
             reject=DEFAULT_REJECT + (r"invoked oom-killer", r"oom: survived",
                                      r"address space kept \d+ pages"),
             checks=(oom_stopped_near_commit_limit,)),
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
    # virtio-blk (tests/kernel/test_virtio.c, docs/virtio.md): each on a
    # fresh zeroed image; both register layouts, slots 0 and 7, read-only,
    # polled, two disks, none.
    *(Scenario(f"virtio-{'modern' if modern else 'legacy'}-slot{slot}", 0,
               kernel="{test_image}", append="ktest=virtio", timeout=10,
               args=virtio_disk("8M", slot if slot == 0 else None, modern),
               expect=(virtio_line("vda", slot, "8", "rw", "modern" if modern else "legacy",
                                   "via PLIC"), *VIRTIO_OK),
               reject=VIRTIO_REJECT, checks=(count(r"virtio-blk: vd", 1),))
      for modern in (False, True) for slot in (0, 7)),
    *(Scenario(f"virtio-{'modern' if modern else 'legacy'}-ro", 0, kernel="{test_image}",
               append="ktest=virtio", timeout=10,
               args=virtio_disk("4M", 3, modern, readonly=True),
               expect=(virtio_line("vda", 3, "4", "ro", "modern" if modern else "legacy",
                                   "via PLIC"), *VIRTIO_OK),
               reject=VIRTIO_REJECT)
      for modern in (False, True)),
    # No PLIC (QEMU's AIA: an APLIC instead): the used ring is polled (the
    # suite checks that nothing is pending and no interrupt was claimed).
    Scenario("virtio-polled", 0, kernel="{test_image}", append="ktest=virtio",
             machine="virt,aia=aplic", timeout=10, args=virtio_disk("8M", 5, modern=True),
             expect=(virtio_line("vda", 5, "8", "rw", "modern", "polled"), *VIRTIO_OK),
             reject=VIRTIO_REJECT + (r"^\[[ \d.]+\] plic: ",)),
    # Two disks: named by slot, the suite runs on vda.
    Scenario("virtio-two-disks", 0, kernel="{test_image}", append="ktest=virtio", timeout=10,
             args=virtio_disk("16M", 7) + virtio_disk("8M", 0, name="d1")[2:],
             expect=(virtio_line("vda", 0, "8", "rw", "legacy", "via PLIC"),
                     virtio_line("vdb", 7, "16", "rw", "legacy", "via PLIC"), *VIRTIO_OK),
             reject=VIRTIO_REJECT),
    # No disk: the boot says so, the suite checks the slots hold none, and
    # nothing waits for a device that is not there.
    Scenario("virtio-no-disk", 0, kernel="{test_image}", append="ktest=virtio", timeout=10,
             expect=(r"virtio-blk: no disk \(8 virtio-mmio slots, none a block device\)$",
                     r"# no virtio-blk disk: checked 8 slots", *VIRTIO_OK),
             reject=DEFAULT_REJECT + (r"^\s*not ok", r"virtio-blk: vd")),
    # The app's image runs with a disk too: the boot line, then the app.
    Scenario("virtio-app", 0, append="-- 0", timeout=10, args=virtio_disk("8M", 7, True),
             expect=(virtio_line("vda", 7, "8", "rw", "modern", "via PLIC"),
                     r"^hello: exiting with status 0$")),
    # The swap area: mkswap's header found on the disk swap= names (the
    # first without it); a disk without one, or whose header is larger than
    # the disk, is refused with the reason, and the app runs on without swap.
    Scenario("swap-found", 3, append="-- 3", args=swap_drive("{swapdisk:32M}", "d0", 7),
             expect=(SWAP_FOUND, r"^hello: exiting with status 3$",
                     r"Adding 32764k swap on /dev/vda\.  Priority:-2 extents:1 across:32764k$"),
             reject=DEFAULT_REJECT + (r"running without swap",)),
    Scenario("swap-not-a-swap-area", 3, append="-- 3", args=swap_drive("{disk:8M}", "d0", 7),
             expect=(r"swap: vda is no swap area: no swap signature: .*; not used, "
                     r"nothing written to it$", r"swap: no swap area: running without swap$",
                     r"^hello: exiting with status 3$")),
    Scenario("swap-larger-than-disk", 3, append="-- 3",
             args=swap_drive("{swapdisk:32M:16M}", "d0", 7),
             expect=(r"swap: vda is no swap area: .*disk.*; not used",
                     r"swap: no swap area: running without swap$",
                     r"^hello: exiting with status 3$"),
             reject=DEFAULT_REJECT + (r"Linux swap area v1",)),
    Scenario("swap-picks-vdb", 3, append="swap=vdb -- 3",
             args=swap_drive("{disk:8M}", "d0", 0) + swap_drive("{swapdisk:32M}", "d1", 7),
             expect=(SWAP_FOUND.replace("vda", "vdb"),),
             reject=DEFAULT_REJECT + (r"swap: vda", r"running without swap")),
    Scenario("swap-no-such-disk", 3, append="swap=vdz -- 3", args=swap_drive("{swapdisk:32M}", "d0", 7),
             expect=(r"swap: no disk vdz \(1 virtio disks\)$",
                     r"swap: no swap area: running without swap$",
                     r"^hello: exiting with status 3$")),
    # swapon(2)/swapoff(2) from the app (apps/swapctl), no area at boot
    # (swap=none): Linux's priorities (PREFER's, then -2), /proc/swaps in
    # Linux's columns in table order (a freed entry reused), SwapTotal,
    # SwapFree, sysinfo and CommitLimit following the areas, Linux's errors.
    Scenario("swapctl-on-off", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             args=SWAPCTL_DISKS,
             append="swap=none -- swaps meminfo on:/dev/vdb:0x8005 on:/dev/vda swaps meminfo "
                    "sysinfo on:/dev/vdb on:/dev/vda:0x8000 on:/dev/vdz on:/dev/vdc "
                    "on:/dev/vdd:0x1000000 on:dev/vda on:/dev/vd off:/dev/vdb off:/dev/vdb "
                    "off:/dev/vdc off:/dev/vdz swaps meminfo on:/dev/vdd:0x18005 swaps "
                    "off:/dev/vda off:/dev/vdd swaps meminfo fault",
             expect=(r"swap: swap=none: no swap area at boot",
                     r"Adding 16380k swap on /dev/vdb\.  Priority:5 extents:1 across:16380k$",
                     r"Adding 32764k swap on /dev/vda\.  Priority:-2 extents:1 across:32764k$",
                     r"swapon: vdc is no swap area: no swap signature: .*\(error -22\); not used",
                     r"^swapctl: 27 steps$"),
             reject=DEFAULT_REJECT + (r"Adding \d+k swap on /dev/vdc", r"swap: vda: Linux swap area.*\n(.*\n)*.*swap: vda: Linux swap area"),
             checks=(swapctl_facts(
                 SWAPS_HEAD, *meminfo_swap(0),
                 r"swapon /dev/vdb 0x8005 = 0", r"swapon /dev/vda 0x0 = 0",
                 SWAPS_HEAD, swaps_row("vdb", 16380, 5), swaps_row("vda", 32764, -2),
                 *meminfo_swap(49144),
                 r"sysinfo: totalswap 49144 kB freeswap 49144 kB",
                 r"swapon /dev/vdb 0x0 = -1 EBUSY", r"swapon /dev/vda 0x8000 = -1 EBUSY",
                 r"swapon /dev/vdz 0x0 = -1 ENOENT", r"swapon /dev/vdc 0x0 = -1 EINVAL",
                 r"swapon /dev/vdd 0x1000000 = -1 EINVAL", r"swapon dev/vda 0x0 = -1 ENOENT",
                 r"swapon /dev/vd 0x0 = -1 ENOENT",
                 r"swapoff /dev/vdb = 0", r"swapoff /dev/vdb = -1 EINVAL",
                 r"swapoff /dev/vdc = -1 EINVAL", r"swapoff /dev/vdz = -1 ENOENT",
                 SWAPS_HEAD, swaps_row("vda", 32764, -2), *meminfo_swap(32764),
                 r"swapon /dev/vdd 0x18005 = 0",
                 SWAPS_HEAD, swaps_row("vdd", 24572, 5), swaps_row("vda", 32764, -2),
                 r"swapoff /dev/vda = 0", r"swapoff /dev/vdd = 0",
                 SWAPS_HEAD, *meminfo_swap(0),
                 r"swapon \(bad address\) 0x0 = -1 EFAULT",
                 r"swapoff \(bad address\) = -1 EFAULT"),
                 commit_limits(0, 49144, 32764, 0))),
    # swap=vdb,vdd at boot: -2 and -3 in that order (vdc, zeroed, refused);
    # swapoff of -2 moves vdd up to -2, and vdb comes back as -3; vda by
    # the app with priority 0 goes above both.
    # swapoff with pages on the area: 8 MiB paged out to vda (the higher
    # priority), swapoff reads every page back, vdb stays, nothing is wrong.
    Scenario("swapctl-swapoff-brings-back", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             args=swap_drive("{swapdisk:32M}", "d0", 0) + swap_drive("{swapdisk:16M}", "d1", 1),
             append="swap=vda,vdb -- fill:8 pageout status swaps off:/dev/vda swaps status check",
             expect=(r"swap: vda: swapoff, every page back in memory$", r"^swapctl: 8 steps$"),
             reject=DEFAULT_REJECT + (r"swap: (read|write) error",),
             checks=(swapctl_facts(
                 r"fill: 8 MiB written", r"pageout: 0",
                 r"status: VmLck:\s+0 kB", r"status: VmRSS:\s+\d+ kB", r"status: VmSwap:\s+8192 kB",
                 SWAPS_HEAD, swaps_row("vda", 32764, -2, 8192), swaps_row("vdb", 16380, -3),
                 r"swapoff /dev/vda = 0",
                 SWAPS_HEAD, swaps_row("vdb", 16380, -2),
                 r"status: VmLck:\s+0 kB", r"status: VmRSS:\s+\d+ kB", r"status: VmSwap:\s+0 kB",
                 r"check: 2048 pages, 0 wrong"),)),
    # mlock: 8 MiB locked stays in memory (Mlocked, VmLck, nothing of it in
    # VmSwap) while 96 MiB more pass through 64 MiB of RAM; unlocked, it
    # can go out; MADV_WILLNEED reads it back ahead, so reading it faults
    # no more (pgmajfault unchanged: the vmstat lines are compared).
    Scenario("swapctl-mlock-willneed", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             mem="64M", args=swap_drive("{swapdisk:128M}", "d0", 0),
             append="-- fill:8 lock status pressure:96 status check unlock pageout status "
                    "willneed vmstat check vmstat",
             expect=(r"^swapctl: 13 steps$",),
             reject=DEFAULT_REJECT + (r"swap: (read|write) error", r"invoked oom-killer"),
             checks=(swapctl_facts(
                 r"fill: 8 MiB written", r"lock: 0",
                 r"status: VmLck:\s+8192 kB", r"status: VmRSS:\s+\d+ kB",
                 r"status: VmSwap:\s+0 kB",
                 r"pressure: 96 MiB written",
                 r"status: VmLck:\s+8192 kB", r"status: VmRSS:\s+(8[2-9]\d\d|9\d\d\d) kB",
                 r"status: VmSwap:\s+\d{1,3} kB",
                 r"check: 2048 pages, 0 wrong", r"unlock: 0", r"pageout: 0",
                 r"status: VmLck:\s+0 kB", r"status: VmRSS:\s+\d+ kB",
                 r"status: VmSwap:\s+(819[2-9]|8[2-9]\d\d|9\d\d\d) kB",
                 r"willneed: 0",
                 r"vmstat: pswpin \d+", r"vmstat: pswpout \d+", r"vmstat: pgmajfault \d+",
                 r"check: 2048 pages, 0 wrong",
                 r"vmstat: pswpin \d+", r"vmstat: pswpout \d+", r"vmstat: pgmajfault \d+"),
                 same_pgmajfault_around_check), timeout=120),
    # Pages out on swap behind PROT_NONE: mprotect leaves their swap
    # entries alone, swapoff brings them back still unreachable, and made
    # readable again they hold what was written.
    Scenario("swapctl-swapoff-prot-none", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             args=swap_drive("{swapdisk:32M}", "d0", 0),
             append="-- fill:4 pageout prot:none status off:/dev/vda status prot:rw check",
             expect=(r"swap: vda: swapoff, every page back in memory$", r"^swapctl: 8 steps$"),
             reject=DEFAULT_REJECT + (r"swap: (read|write) error",),
             checks=(swapctl_facts(
                 r"fill: 4 MiB written", r"pageout: 0", r"prot:none: 0",
                 r"status: VmLck:\s+0 kB", r"status: VmRSS:\s+\d+ kB", r"status: VmSwap:\s+4096 kB",
                 r"swapoff /dev/vda = 0",
                 r"status: VmLck:\s+0 kB", r"status: VmRSS:\s+(4[1-9]\d\d|[5-9]\d\d\d) kB",
                 r"status: VmSwap:\s+0 kB",
                 r"prot:rw: 0", r"check: 1024 pages, 0 wrong"),)),
    # swapoff without the memory to bring the pages back: ENOMEM, the area
    # stays as it was and every page still reads back right.
    Scenario("swapctl-swapoff-enomem", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             mem="32M", args=swap_drive("{swapdisk:64M}", "d0", 0),
             append="-- fill:40 off:/dev/vda swaps check",
             expect=(r"swapoff: vda: no memory to bring its pages back; the area stays in use$",
                     r"^swapctl: 4 steps$"),
             reject=DEFAULT_REJECT + (r"swap: (read|write) error", r"invoked oom-killer"),
             checks=(swapctl_facts(
                 r"fill: 40 MiB written", r"swapoff /dev/vda = -1 ENOMEM",
                 SWAPS_HEAD, r"swaps: /dev/vda {32}partition\t65532\t\t\d+\t\t-2",
                 r"check: 10240 pages, 0 wrong"),), timeout=120),
    Scenario("swapctl-boot-list", 0, kernel="{app:swapctl}", needs=("app:swapctl",),
             args=SWAPCTL_DISKS,
             append="swap=vdb,vdc,vdd -- swaps meminfo off:/dev/vdb swaps on:/dev/vdb "
                    "on:/dev/vda:0x8000 swaps meminfo",
             expect=(r"Adding 16380k swap on /dev/vdb\.  Priority:-2 extents:1 across:16380k$",
                     r"swap: vdc is no swap area: no swap signature: .*; not used, nothing "
                     r"written to it$",
                     r"Adding 24572k swap on /dev/vdd\.  Priority:-3 extents:1 across:24572k$",
                     r"^swapctl: 8 steps$"),
             reject=DEFAULT_REJECT + (r"running without swap",
                                      r"Adding \d+k swap on /dev/vd[ac]\.  Priority:-"),
             checks=(swapctl_facts(
                 SWAPS_HEAD, swaps_row("vdb", 16380, -2), swaps_row("vdd", 24572, -3),
                 *meminfo_swap(40952),
                 r"swapoff /dev/vdb = 0",
                 SWAPS_HEAD, swaps_row("vdd", 24572, -2),
                 r"swapon /dev/vdb 0x0 = 0", r"swapon /dev/vda 0x8000 = 0",
                 SWAPS_HEAD, swaps_row("vdb", 16380, -3), swaps_row("vdd", 24572, -2),
                 swaps_row("vda", 32764, 0), *meminfo_swap(73716)),
                 commit_limits(40952, 73716))),
    # apps/memtour, the default app: each step's facts (MEMTOUR_CHECKS),
    # with a 64 MiB swap area and without one. memtour-swapout checks step 6
    # under real swapping, and fails until pages are written out (pswpout).
    Scenario("memtour", 0, kernel="{app:memtour}", needs=("app:memtour",),
             args=swap_drive("{swapdisk:64M}", "d0", 7),
             expect=(r"^memtour: a tour of memory management on the live system, 9 steps$",
                     *MEMTOUR_SWAP, r"^memtour: the end"),
             reject=DEFAULT_REJECT + (r"invoked oom-killer", r"address space kept \d+ pages",
                                      r"^  no swap"),
             checks=MEMTOUR_CHECKS + (memtour_meminfo(65532),), timeout=120),
    Scenario("memtour-noswap", 0, kernel="{app:memtour}", needs=("app:memtour",),
             expect=(r"^  no swap: /proc/swaps lists no area \(make run SWAP=0, or swap=none\), so$",
                     r"^  Step 6 stops here\.$", r"^memtour: the end"),
             reject=DEFAULT_REJECT + (r"invoked oom-killer", r"address space kept \d+ pages",
                                      r"MADV_PAGEOUT\) =", r"^  swap: "),
             checks=MEMTOUR_CHECKS + (memtour_meminfo(0),)),
    Scenario("memtour-swapout", 0, kernel="{app:memtour}", needs=("app:memtour",),
             append="-- 6 9", args=swap_drive("{swapdisk:64M}", "d0", 7), mem="128M",
             expect=(*MEMTOUR_SWAP, r"^memtour: the end"),
             reject=DEFAULT_REJECT + (r"invoked oom-killer", r"address space kept \d+ pages",
                                      r"no page went out", r"skipping"),
             checks=(memtour_swapout,), timeout=180),
    # A step that is not one: refused, status 2.
    Scenario("memtour-bad-step", 2, kernel="{app:memtour}", needs=("app:memtour",),
             append="-- 4 10", expect=(r"^memtour: '10' is no step \(1\.\.9\)$",),
             reject=DEFAULT_REJECT + (r"^== ",)),
    # apps/swapstress at 64 MiB with 512 MiB of swap: four times MemTotal
    # filled, a quarter rewritten, all read back in order and a quarter at
    # random, every byte checked; with both register layouts. These need
    # swap-out and swap-in (without them the fill ends in the OOM killer).
    *(Scenario(f"swapstress-{'modern' if modern else 'legacy'}", 0, kernel="{app:swapstress}",
               needs=("app:swapstress",), mem="64M", append="-- x4", timeout=150,
               args=(("-global", f"virtio-mmio.force-legacy={'false' if modern else 'true'}")
                     + swap_drive("{swapdisk:512M}", "d0", 7)),
               expect=(virtio_line("vda", 7, "512", "rw", "modern" if modern else "legacy",
                                   "via PLIC"), SWAP_512M,
                       r"^swapstress: OK \d+ bytes verified$"),
               reject=SWAPSTRESS_REJECT,
               checks=(swapstress_counts("positive", "positive", "positive"),))
      for modern in (False, True)),
    # A disk that fails (QEMU's blkdebug, EIO on 40 slots spread over the
    # first 20000): a write error keeps the page in memory and marks the
    # slot bad, and every byte still reads back right; a read error ends
    # the app with SIGBUS (135) and never hands it wrong data. Both need
    # the swap core; the write-error line is the swap-out path's.
    Scenario("swapstress-write-errors", 0, kernel="{app:swapstress}", needs=("app:swapstress",),
             mem="64M", append="-- x4", timeout=150,
             args=swap_blkdebug_drive("{swapdisk:512M}", "{blkdebug:write:1:509:40}", "d0", 7),
             expect=(SWAP_512M, r"^swapstress: OK \d+ bytes verified$",
                     r"swap: .*write error.* slot \d+.*marked bad"),
             reject=SWAPSTRESS_REJECT,
             checks=(swapstress_counts("positive", "positive"),)),
    Scenario("swapstress-read-errors", 135, kernel="{app:swapstress}", needs=("app:swapstress",),
             mem="64M", append="-- x4", timeout=150,
             args=swap_blkdebug_drive("{swapdisk:512M}", "{blkdebug:read:1:509:40}", "d0", 7,
                                      modern=False),
             expect=(SWAP_512M, r"pagoda: app killed by SIGBUS",
                     r"(?i)swap.*(read error|I/O error|EIO|error -5)"),
             reject=SWAPSTRESS_REJECT + (r"swapstress: OK",)),
    # What runs today: the pattern and its checks where nothing needs swap
    # (128 MiB at 256 MiB, no disk), and each kind of damage caught and
    # named (the app damages its own area after the rewrite pass).
    Scenario("swapstress-in-ram", 0, kernel="{app:swapstress}", needs=("app:swapstress",),
             append="-- 128M seed=3",
             expect=(r"^swapstress: 128 MiB \(32768 pages\), .* seed 3, 8192 random pages$",
                     r"^swapstress: OK 201195520 bytes verified$"),
             reject=SWAPSTRESS_REJECT,
             checks=(swapstress_counts("zero", "zero", "zero"),)),
    *(Scenario(f"swapstress-catches-{how}", 1, kernel="{app:swapstress}",
               needs=("app:swapstress",), append=f"-- 16M inject={how}",
               expect=(rf"^swapstress: injecting {how} at page \d+$",
                       r"^swapstress: mismatch at 0x[0-9a-f]+ \(page \d+ word \d+, pass seq\): "
                       r"expected 0x[0-9a-f]{16}, got 0x[0-9a-f]{16}$",
                       rf"^swapstress: got is {what}",
                       r"^swapstress: FAILED after \d+ bytes verified$"),
               reject=DEFAULT_REJECT + (r"swapstress: OK",))
      for how, what in (("flip", r"no word of the pattern"),
                        ("swap", r"page \d+'s word 0, generation [12] \(at 0x[0-9a-f]+\): misplaced"),
                        ("stale", r"this word's generation 1, expected 2: a stale copy"),
                        ("zero", r"zero"))),
    Scenario("loglevel-default", 0, append="-- 0",
             expect=(r"memory: 256 MiB in 1 node\(s\), \d+ pages free, set up in \d+\.\d{3} ms$",),
             reject=DEFAULT_REJECT + (r"sbi: extensions", r"exec: /apps/", r"instructions")),
    # Static Linux programs (docs/linux-programs.md): glibc's hello against
    # qemu-riscv64, the auxv, a static-pie at its base, and the refusals.
    Scenario("linux-hello", 3, kernel="{app:linux-hello}", append="-- 3 a b",
             needs=("app:linux-hello",),
             expect=(r"^double: 27\.500000 3\.928571e\+00 0\.333333$",
                     r"^malloc'd and freed$", r"^linux-hello: exiting with status 3$"),
             checks=(same_as_qemu_user("app:linux-hello", ("3", "a", "b"), 3),
                     linked_against("app:linux-hello", "glibc"))),
    # The same source against musl (APP_LIBC=musl: make musl's musl-gcc).
    Scenario("linux-hello-musl", 3, kernel="{app:linux-hello+musl}", append="-- 3 a b",
             needs=("app:linux-hello+musl",),
             expect=(r"^double: 27\.500000 3\.928571e\+00 0\.333333$",
                     r"^malloc'd and freed$", r"^linux-hello: exiting with status 3$"),
             checks=(same_as_qemu_user("app:linux-hello+musl", ("3", "a", "b"), 3),
                     linked_against("app:linux-hello+musl", "musl"))),
    # C++: iostream (its start asks futex: WAKE, one thread), map, sort,
    # exceptions and destructors; the same output and status as qemu-riscv64.
    Scenario("linux-cxx", 27, kernel="{app:linux-cxx}", append="-- 7 x 13 7",
             needs=("app:linux-cxx",),
             expect=(r"^7 x2$", r"^caught: not a number: 'x'$", r"^destroyed scope$",
                     r"^sum 27, sorted 0\.\.999, 1\.5 \* sum = 40\.5$"),
             reject=DEFAULT_REJECT + (r"system call 98 is not implemented", r"futex facility"),
             checks=(same_as_qemu_user("app:linux-cxx", ("7", "x", "13", "7"), 27),)),
    # Threads (kernel/sched.c, clone.c, futex.c): glibc's pthreads, the
    # same output as qemu-riscv64; a deadlock reported; fork refused.
    Scenario("linux-threads", 0, kernel="{app:linux-threads}",
             needs=("app:linux-threads",),
             expect=(r"^mutex: 4 threads x 20000 = 80000$",
                     r"^preempt: the spinning thread saw the other's store$",
                     r"^fp: thread 4 sum/10000 = 400$", r"^timedwait: ETIMEDOUT$",
                     r"^sleep: woke in order 100 200 300$",
                     r"^status: Threads: \+2 while two more live$",
                     r"^task: /proc/self/task has \+2 entries while two more live; "
                     r"each thread.s status has its tid$",
                     r"^exit: the last thread ends the app$"),
             reject=DEFAULT_REJECT + (r"FAILED", r"not implemented"),
             checks=(same_as_qemu_user("app:linux-threads", (), 0),)),
    Scenario("linux-threads-deadlock", 255, kernel="{app:linux-threads}",
             needs=("app:linux-threads",), append="-- fork deadlock",
             expect=(r"pagoda: clone without CLONE_THREAD \(fork, flags 0x[0-9a-f]+\): "
                     r"pagoda runs one process: -ENOSYS$",
                     r"^fork: -1 Function not implemented$",
                     r"pagoda: deadlock: all 2 threads wait with no timeout; none can wake another$",
                     r"pagoda:   thread 1 waits on futex 0x[0-9a-f]+ \(value 2\), pc 0x[0-9a-f]+$",
                     r"pagoda:   thread 2 waits on futex 0x[0-9a-f]+ \(value 2\), pc 0x[0-9a-f]+$"),
             reject=DEFAULT_REJECT + (r"still here",), timeout=60),
    # Signal handlers for faults and self-sent signals (kernel/signal.c):
    # user-level demand paging, si_code/si_addr, the alternate stack, masks,
    # FP kept; the same output as qemu-riscv64.
    Scenario("linux-signals", 0, kernel="{app:linux-signals}",
             needs=("app:linux-signals",),
             expect=(r"^paging: 8 faults, each SEGV_ACCERR inside the region: yes; sum 36$",
                     r"^maperr: signo 11, code SEGV_MAPERR, address is the load's: yes$",
                     r"^sigill: signo 4, code ILL_ILLOPC, stepped over it$",
                     r"^fp: doubles and rounding mode kept across a handler: yes$",
                     r"^linux-signals: done$"),
             reject=DEFAULT_REJECT + (r"FAILED", r"not implemented"),
             checks=(same_as_qemu_user("app:linux-signals", (), 0),)),
    Scenario("linux-signals-abort", 134, kernel="{app:linux-signals}",
             needs=("app:linux-signals",), append="-- abort",
             expect=(r"^abort: the SIGABRT handler ran \(signal 6\) and returns$",
                     r"pagoda: app killed by SIGABRT, which it sent itself"),
             checks=(same_as_qemu_user("app:linux-signals", ("abort",), 134),)),
    Scenario("linux-auxv", 0, kernel="{app:linux-auxv}",
             append="HOME=/ TERM=dumb -- x y", needs=("app:linux-auxv",),
             expect=(r"^AT_PAGESZ=4096$",
                     r"^AT_HWCAP=0x112d \(acdfim\)$",  # QEMU's rv64: imafdc(h)
                     r"^AT_PHENT=56$", r"^AT_CLKTCK=100$", r"^AT_SECURE=0$",
                     r"^AT_UID=0 AT_EUID=0 AT_GID=0 AT_EGID=0$", r"^AT_BASE=0x0$",
                     r"^AT_EXECFN=/apps/linux-auxv$", r"^AT_RANDOM=set$",
                     r"^argc=3$", r"^argv\[0\]=linux-auxv$", r"^argv\[1\]=x$",
                     r"^argv\[2\]=y$", r"^envp: HOME=/$", r"^envp: TERM=dumb$"),
             checks=(auxv_matches_elf,)),
    Scenario("linux-static-pie", 0, kernel="{elf:static-pie}", append="norandmaps",
             needs=("elf:static-pie",),
             expect=(r"^static-pie: _start_c at 0x0000002aaaaaa[0-9a-f]{3}, "
                     r"AT_ENTRY 0x0000002aaaaaa[0-9a-f]{3}$",
                     r"^static-pie: AT_ENTRY is _start$")),
    Scenario("linux-static-pie-random", 0, kernel="{elf:static-pie}",
             needs=("elf:static-pie",),
             expect=(r"^static-pie: _start_c at 0x0000002a[0-9a-f]{8}, ",
                     r"^static-pie: AT_ENTRY is _start$"),
             reject=DEFAULT_REJECT + (r"_start_c at 0x0000002aaaaaa",)),
    Scenario("linux-refuse-dynamic", 254, kernel="{elf:hello-dynamic}",
             needs=("elf:hello-dynamic",), reject=LINUX_REFUSED,
             expect=(r"pagoda: boot failed: cannot start app 'hello-dynamic': a dynamically "
                     r"linked program \(PT_INTERP /lib/ld-linux-riscv64-lp64d\.so\.1\): "
                     r"only static programs run \(link with -static\)",)),
    Scenario("linux-refuse-machine", 254, kernel="{elf:host-true}",
             needs=("elf:host-true",), reject=LINUX_REFUSED,
             expect=(r"pagoda: boot failed: cannot start app 'true': e_machine \d+ "
                     r"\([^)]+\), not EM_RISCV \(243\): a program for another machine",)),
    Scenario("linux-refuse-fpu", 254, kernel="{app:linux-hello}", args=NO_FD_CPU,
             needs=("app:linux-hello",), reject=LINUX_REFUSED,
             expect=(r"pagoda: boot failed: cannot start app 'linux-hello': the double-float "
                     r"ABI \(e_flags 0x5\) needs the D extension; the boot hart's riscv,isa "
                     r"is rv64imach? \(error -8\)$",)),
    # Debian's Lua 5.4 (make lua), static against glibc and against musl,
    # runs each script of tests/lua/ from its stdin (`lua -`, the script as
    # the initrd): the same output and status as under qemu-riscv64, to the
    # script's last line (each asserts its own answers: a wrong one is
    # status 1). musl's stdio reads stdin through readv.
    *[Scenario(f"lua-{libc}-{script}", 0, kernel=f"{{elf:lua-{libc}}}", needs=(f"elf:lua-{libc}",),
               args=("-initrd", f"tests/lua/{script}.lua"), append="stdin=initrd -- -",
               expect=(rf"^{script}: done$",),
               reject=DEFAULT_REJECT + (r"system call \d+ is not implemented",),
               checks=(same_as_qemu_user(f"elf:lua-{libc}", ("-",), 0, f"tests/lua/{script}.lua"),
                       linked_against(f"elf:lua-{libc}", libc)))
      for libc in ("glibc", "musl") for script in LUA_SCRIPTS],
    # sstatus.FS Off on a hart without F: a soft-float picolibc app runs.
    Scenario("fpu-off-picolibc", 3, append="-- 3 x", args=NO_FD_CPU,
             expect=(r"hello: exiting with status 3",)),
] + linux_progs.SCENARIOS  # tests/linux/'s programs against qemu-riscv64

