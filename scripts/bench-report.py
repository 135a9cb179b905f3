#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/bench-report.py - the benchmark report (`make bench`, docs/bench.md).

Reads what the benchmarks left in a folder (by default build/bench/):

  host.jsonl          scripts/bench-host.py: the host malloc comparison
  membench.jsonl      make bench-membench: the in-image workload suite
  kernel.lines        the "bench: NAME key=value..." lines of make bench's
                      boots (scripts/bench-lines.sh), turned into
                      kernel.jsonl here
  fragmentation.lines tests/host/bench_fragmentation's lines (the
                      anti-fragmentation scenario, with buddyinfo)

or, with --log FILE (FILE "-": standard input; repeatable), a console
capture from QEMU or a real board: every JSON object and every "bench:"
line in it (after a timestamp or any other prefix, carriage returns
dropped; the boot's memory line becomes bench: boot_memory as
scripts/bench-lines.sh makes it) is taken, and sorted by its suite.

Writes into --out (by default the same folder): kernel.jsonl, report.md,
report.html (the same text, converted here), and plots/*.svg drawn by
gnuplot (each with its .dat and .gp beside it). A part with no input says
"not run". Ratios are pagoda / peer: above 1, pagoda costs more.

  scripts/bench-report.py [--dir DIR] [--out DIR] [--log FILE]...
                          [--qemu QEMU | --qemu-version TEXT] [--no-plots]
"""
import argparse
import datetime
import html
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

from benchlib import cpu_name

BENCH_RE = re.compile(r"(?:^|[\s\]>])(?:# )?bench: ([a-z0-9_]+)((?: \S+)*)\s*$")
MEMORY_RE = re.compile(
    r"memory: ([0-9]+) MiB in ([0-9]+) node.* set up in [0-9.]+ ms, "
    r"([0-9]+) instructions \(([0-9]+) per GiB\)")

HOST_ORDER = ["pagoda", "glibc", "jemalloc", "mimalloc", "tcmalloc"]


# ---- reading --------------------------------------------------------------

def number(v):
    try:
        return int(v)
    except ValueError:
        pass
    try:
        return float(v)
    except ValueError:
        return v


def parse_bench(line, source):
    """A "bench: NAME k=v..." line as a dict, or None."""
    m = BENCH_RE.search(line)
    if not m:
        mm = MEMORY_RE.search(line)
        if not mm:
            return None
        return {"suite": "kernel", "source": source, "bench": "boot_memory",
                "mib": int(mm.group(1)), "nodes": int(mm.group(2)),
                "instructions": int(mm.group(3)),
                "per_gib": int(mm.group(4))}
    rec = {"suite": "kernel", "source": source, "bench": m.group(1)}
    for word in m.group(2).split():
        if "=" in word:
            k, v = word.split("=", 1)
            rec[k] = number(v)
    return rec


def parse_json(line):
    """The JSON object on a line (after any prefix), or None."""
    i = line.find("{")
    if i < 0:
        return None
    try:
        obj = json.loads(line[i:].strip())
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and "suite" in obj else None


def read_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                obj = parse_json(line)
                if obj:
                    out.append(obj)
    return out


def read_lines(path, source):
    out = []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                rec = parse_bench(line.replace("\r", "").rstrip("\n"), source)
                if rec:
                    out.append(rec)
    return out


def read_log(f, data):
    for line in f:
        line = line.replace("\r", "").rstrip("\n")
        obj = parse_json(line)
        if obj:
            data.setdefault(obj["suite"], []).append(obj)
            continue
        rec = parse_bench(line, "log")
        if rec:
            name = "fragmentation" if rec["bench"].startswith(
                "fragmentation") else "kernel"
            data.setdefault(name, []).append(rec)


# ---- helpers ----------------------------------------------------------------

def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if abs(v) >= 1000:
            return "%.0f" % v
        return "%.*f" % (digits, v)
    return str(v)


def kib(v):
    return "-" if v is None else "%d" % (v // 1024)


def table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return out


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def rfmt(r):
    if r is None:
        return "-"
    return "%.3f" % r if r < 0.1 else "%.2f" % r


def first(recs, bench, **keys):
    for r in recs:
        if r.get("bench") == bench and all(r.get(k) == v
                                           for k, v in keys.items()):
            return r
    return None


def qemu_version(qemu):
    if not qemu:
        return None
    try:
        p = subprocess.run([qemu, "--version"], capture_output=True,
                           text=True, check=False, timeout=20)
        return p.stdout.splitlines()[0].strip() if p.stdout else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def git_describe():
    try:
        p = subprocess.run(["git", "describe", "--always", "--dirty"],
                           capture_output=True, text=True, check=False,
                           cwd=os.path.dirname(os.path.abspath(__file__)))
        return p.stdout.strip() or None
    except OSError:
        return None


# ---- plots ------------------------------------------------------------------

class Plots:
    """Writes .dat and .gp files and runs gnuplot on each (SVG)."""

    def __init__(self, out, enabled):
        self.dir = os.path.join(out, "plots")
        self.gnuplot = shutil.which("gnuplot") if enabled else None
        self.made = []
        self.failed = []
        os.makedirs(self.dir, exist_ok=True)

    def draw(self, name, data, script):
        dat = os.path.join(self.dir, name + ".dat")
        gp = os.path.join(self.dir, name + ".gp")
        svg = os.path.join(self.dir, name + ".svg")
        with open(dat, "w") as f:
            f.write(data)
        with open(gp, "w") as f:
            f.write("set terminal svg size 900,480 dynamic font 'sans,11'\n")
            f.write("set output '%s'\n" % (name + ".svg"))
            f.write("set key outside right top\nset grid ytics\n")
            f.write(script.replace("DAT", "'%s'" % (name + ".dat")))
        if not self.gnuplot:
            return None
        p = subprocess.run([self.gnuplot, name + ".gp"], cwd=self.dir,
                           capture_output=True, text=True, check=False)
        if p.returncode != 0 or not os.path.exists(svg):
            self.failed.append("%s: %s" % (name, p.stderr.strip()[:200]))
            return None
        self.made.append(svg)
        return "plots/%s.svg" % name


def bars(plots, name, title, ylabel, cats, series, values, log=False):
    """Clustered bars: one cluster per category, one bar per series."""
    rows = ["cat " + " ".join('"%s"' % s for s in series)]
    for c in cats:
        cells = []
        for s in series:
            v = values.get((c, s))
            missing = v is None or (log and v <= 0)
            cells.append("NaN" if missing else repr(float(v)))
        rows.append('"%s" ' % c + " ".join(cells))
    script = ("set title '%s'\nset ylabel '%s'\nset style data histogram\n"
              "set style histogram cluster gap 1\nset style fill solid 0.8 border -1\n"
              "set xtics rotate by -30\nset yrange [%s:*]\n%s"
              "plot for [i=2:%d] DAT using i:xtic(1) title columnheader(i)\n"
              % (title, ylabel, "1" if log else "0",
                 "set logscale y\n" if log else "", len(series) + 1))
    return plots.draw(name, "\n".join(rows) + "\n", script)


# ---- the report ---------------------------------------------------------------

def host_section(md, host, plots, losses):
    meta = next((r for r in host if r.get("kind") == "meta"), None)
    res = [r for r in host if r.get("kind") != "meta" and "series" not in r
           and "ns_per_op_median" in r]
    md.append("## Host malloc: pagoda beside glibc, jemalloc, mimalloc, tcmalloc")
    md.append("")
    if not res:
        md.append("not run (host.jsonl absent: `make bench-host`)")
        md.append("")
        return
    allocs = [a for a in HOST_ORDER if any(r["alloc"] == a for r in res)]
    allocs += sorted({r["alloc"] for r in res} - set(allocs))
    keys = []
    for r in res:
        k = (r["workload"], r["threads"])
        if k not in keys:
            keys.append(k)
    by = {(r["alloc"], r["workload"], r["threads"]): r for r in res}
    rounds = meta.get("rounds") if meta else res[0].get("rounds")
    if meta:
        md.append("x86-64 host `%s` (%s, %s CPUs, Linux %s), %s; %s rounds, "
                  "each a new random order of every run (seed %s)%s. "
                  "Versions: %s." % (
                      meta.get("host"), meta.get("cpu"), meta.get("cpus"),
                      meta.get("kernel"), meta.get("date"), rounds,
                      meta.get("seed"),
                      ", quick sizes" if meta.get("quick") else "",
                      ", ".join("%s %s" % (a, v) for a, v in
                                meta.get("allocs", {}).items())))
        md.append("")
    md.append("One operation is one call (malloc, free or realloc). Wall-clock "
              "nanoseconds per operation, median of the rounds and [min..max]; "
              "threaded workloads count the operations of all threads over the "
              "wall time (the machine has %s CPUs, so 4 threads share them)."
              % (meta.get("cpus") if meta else "?"))
    md.append("")
    rows = []
    for w, t in keys:
        row = ["%s t=%d" % (w, t)]
        for a in allocs:
            r = by.get((a, w, t))
            row.append("-" if not r else "%s [%s..%s]" % (
                fmt(r["ns_per_op_median"]), fmt(r["ns_per_op_min"]),
                fmt(r["ns_per_op_max"])))
        rows.append(row)
    md += table(["ns/op"] + allocs, rows)
    md.append("")

    peers = [a for a in allocs if a != "pagoda"]
    if "pagoda" in allocs and peers:
        md.append("### Ratios: pagoda / peer (above 1: pagoda is slower, "
                  "costs more instructions or holds more memory)")
        md.append("")
        rows = []
        for w, t in keys:
            p = by.get(("pagoda", w, t))
            if not p:
                continue
            row = ["%s t=%d" % (w, t)]
            for metric in ("ns_per_op_median", "instr_per_op", "peak_rss"):
                for a in peers:
                    q = by.get((a, w, t))
                    rr = ratio(p.get(metric), q.get(metric) if q else None)
                    row.append(rfmt(rr))
                    if rr is not None and rr > 1.0:
                        note = ""
                        clear = rr >= 1.10
                        if metric == "ns_per_op_median" and q and \
                                p["ns_per_op_min"] <= q["ns_per_op_max"]:
                            note = " (the ranges overlap)"
                            clear = False
                        losses.append((clear,
                            "host %s, %d thread(s): %s %s against %s's %s "
                            "(%.2fx)%s" % (
                                w, t,
                                {"ns_per_op_median": "ns/op",
                                 "instr_per_op": "instructions/op",
                                 "peak_rss": "peak RSS KiB"}[metric],
                                fmt(p[metric]) if metric != "peak_rss"
                                else kib(p[metric]), a,
                                fmt(q[metric]) if metric != "peak_rss"
                                else kib(q[metric]), rr, note)))
            rows.append(row)
        head = ["workload"] + ["time /%s" % a for a in peers] + \
            ["instr /%s" % a for a in peers] + ["RSS /%s" % a for a in peers]
        md += table(head, rows)
        md.append("")

    rows = []
    for w, t in keys:
        if t != 1:
            continue
        row = [w] + [fmt(by[(a, w, t)].get("instr_per_op"))
                     if (a, w, t) in by else "-" for a in allocs]
        rows.append(row)
    md.append("### Instructions per operation (cachegrind, one thread)")
    md.append("")
    md.append("valgrind's cachegrind counts every instruction the program "
              "retires, the allocator's and the workload's own loop alike; "
              "two runs per allocator and workload (N and 2N operations), the "
              "difference over N, so start-up and the set-up before the clock "
              "cancel out. Deterministic, unlike the times.")
    md.append("")
    md += table(["instr/op"] + allocs, rows)
    md.append("")
    vals = {(w, a): by[(a, w, 1)].get("instr_per_op")
            for w, t in keys if t == 1 for a in allocs if (a, w, 1) in by}
    img = bars(plots, "host-instr-per-op",
               "host: instructions per operation (cachegrind)",
               "instructions / op", [w for w, t in keys if t == 1], allocs,
               vals, log=True)
    if img:
        md.append("![host instructions per op](%s)" % img)
        md.append("")

    rows = []
    for w, t in keys:
        rows.append(["%s t=%d" % (w, t)] + [
            kib(by[(a, w, t)]["peak_rss"]) if (a, w, t) in by else "-"
            for a in allocs])
    md.append("### Peak RSS (VmHWM at the end of each run, KiB, median)")
    md.append("")
    md += table(["KiB"] + allocs, rows)
    md.append("")

    series = [r for r in host if r.get("series") == "footprint"]
    md.append("### Footprint over time: the frag workload")
    md.append("")
    md.append("100,000 small blocks (16..256 B), seven in eight freed, then "
              "25,000 blocks of 1..4 KiB the holes cannot hold, then "
              "everything freed; VmRSS sampled along the way (quick runs use "
              "a quarter of the counts).")
    md.append("")
    if series:
        names = [a for a in allocs if any(s["alloc"] == a for s in series)]
        data = []
        for i, a in enumerate(names):
            s = next(x for x in series if x["alloc"] == a)
            data.append("# %s" % a)
            data += ["%d %.3f" % (o, b / 1048576.0) for o, b in s["points"]]
            data.append("\n")
        script = ("set title 'host frag workload: resident set over time'\n"
                  "set xlabel 'operations'\nset ylabel 'VmRSS, MiB'\nset yrange [0:*]\n"
                  "plot " + ", ".join(
                      "DAT index %d using 1:2 with linespoints title '%s'"
                      % (i, a) for i, a in enumerate(names)) + "\n")
        img = plots.draw("host-footprint", "\n".join(data) + "\n", script)
        if img:
            md.append("![footprint over time](%s)" % img)
            md.append("")
        rows = []
        for a in names:
            s = next(x for x in series if x["alloc"] == a)
            pts = [b for _, b in s["points"]]
            rows.append([a, kib(max(pts)), kib(pts[-1])])
        md += table(["allocator", "peak KiB", "at the end KiB"], rows)
        md.append("")
    else:
        md.append("not run (no footprint series in host.jsonl)")
        md.append("")


def membench_section(md, mem, plots, losses):
    md.append("## In-image malloc suite (apps/membench)")
    md.append("")
    res = [r for r in mem if "instr_per_op" in r and r.get("kind") != "meta"]
    if not res:
        md.append("not run (membench.jsonl absent: `make bench-membench`)")
        md.append("")
        return

    def label(r):
        return r["alloc"] if len({x.get("libc") for x in res}) == 1 else \
            "%s/%s" % (r["alloc"], r.get("libc"))
    names = []
    for r in res:
        if label(r) not in names:
            names.append(label(r))
    names.sort(key=lambda n: (not n.startswith("pagoda"), n))
    works = []
    for r in res:
        if r["workload"] not in works:
            works.append(r["workload"])
    by = {(label(r), r["workload"]): r for r in res}
    md.append("Under QEMU `-icount shift=0`: instructions are exact and the "
              "same on every run. Per operation, the worst single "
              "operation, the peaks of live bytes and of footprint, and the "
              "page faults, per allocator (`alloc`/`libc`).")
    md.append("")
    rows = []
    for w in works:
        for n in names:
            r = by.get((n, w))
            if r:
                rows.append([w, n, r.get("ops"), fmt(r.get("instr_per_op")),
                             fmt(r.get("max_op_instr")),
                             r.get("peak_live"), r.get("peak_footprint"),
                             r.get("faults")])
    md += table(["workload", "allocator", "ops", "instr/op", "max op",
                 "peak live B", "peak footprint B", "faults"], rows)
    md.append("")
    # One number per allocator: the geometric mean of instr/op over the
    # workloads every allocator ran (issue 16's measure).
    common = [w for w in works if all((n, w) in by and
                                      by[(n, w)].get("instr_per_op")
                                      for n in names)]
    if common:
        rows = []
        for n in names:
            logs = [math.log(by[(n, w)]["instr_per_op"]) for w in common]
            rows.append([n, fmt(math.exp(sum(logs) / len(logs)))])
        md.append("Geometric mean of instructions per operation over the %d "
                  "workloads every allocator ran:" % len(common))
        md.append("")
        md += table(["allocator", "geomean instr/op"], rows)
        md.append("")
    # Each pagoda build against the peers linked with the same C library:
    # pagoda/glibc against glibc's ptmalloc and mimalloc/glibc, pagoda/musl
    # against musl's, the native pagoda against picolibc's and newlib's. A
    # call's count includes what its C library adds around the allocator
    # (glibc's thread check, musl's lock), the same for both sides.
    libc_of = {label(r): r.get("libc") for r in res}
    for pn in [n for n in names if n.startswith("pagoda")]:
        peers = [n for n in names if not n.startswith("pagoda")
                 and libc_of.get(n) == libc_of.get(pn)]
        if not peers:
            continue
        md.append("### Ratios: %s / peer (above 1: pagoda costs more)" % pn)
        md.append("")
        rows = []
        for w in works:
            p = by.get((pn, w))
            if not p:
                continue
            row = [w]
            for metric in ("instr_per_op", "max_op_instr", "peak_footprint"):
                for n in peers:
                    q = by.get((n, w))
                    rr = ratio(p.get(metric), q.get(metric) if q else None)
                    row.append(rfmt(rr))
                    if rr is not None and rr > 1.0:
                        losses.append((rr >= 1.10,
                                       "membench %s: %s %s %s against %s's %s "
                                       "(%.2fx)" % (w, pn, metric,
                                                    fmt(p.get(metric)), n,
                                                    fmt(q.get(metric)), rr)))
            rows.append(row)
        md += table(["workload"] + ["instr /%s" % n for n in peers] +
                    ["max op /%s" % n for n in peers] +
                    ["footprint /%s" % n for n in peers], rows)
        md.append("")
    vals = {(w, n): by[(n, w)].get("instr_per_op") for w in works
            for n in names if (n, w) in by}
    img = bars(plots, "membench-instr-per-op",
               "in-image: instructions per operation (-icount)",
               "instructions / op", works, names, vals, log=True)
    if img:
        md.append("![in-image instructions per op](%s)" % img)
        md.append("")
    series = [r for r in mem if r.get("series") == "footprint"]
    if series:
        data, parts = [], []
        for i, s in enumerate(series):
            data.append("# %s %s" % (label(s) if "alloc" in s else i,
                                     s.get("workload")))
            data += ["%s %s" % (p[0], p[1]) for p in s["points"]]
            data.append("\n")
            parts.append("DAT index %d using 1:2 with lines title '%s %s'"
                         % (i, label(s), s.get("workload")))
        img = plots.draw("membench-footprint", "\n".join(data) + "\n",
                         "set title 'in-image footprint over time'\n"
                         "set xlabel 'operations'\nset ylabel 'bytes'\n"
                         "plot " + ", ".join(parts) + "\n")
        if img:
            md.append("![in-image footprint over time](%s)" % img)
            md.append("")


GOALS = {  # bench: (the measured key, lower is better)
    "buddy_pcp": ("pair", True), "buddy_merge": ("merge", True),
    "slab_hot": ("pair", True), "slab_overhead": ("overhead_pct", True),
    "swap_ratio": ("ratio", False),
}


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) \
        if values else None


def malloc_goals_section(md, mem, host, kern, losses):
    """The app's malloc against the goals of docs/malloc.md, each met or not."""
    md.append("## The app's malloc against its goals")
    md.append("")
    rows = []

    def goal(what, value, target, ok):
        if value is None:
            rows.append([what, "not measured", target, "-"])
            return
        rows.append([what, value, target, "met" if ok else "**missed**"])
        if not ok:
            losses.append((True, "malloc goal: %s is %s, goal %s" % (
                what, value, target)))

    fast = {}
    for r in kern:
        if r.get("bench") in ("malloc_fast_malloc", "malloc_fast_free") and \
                r.get("alloc") == "pagoda":
            k = r["bench"][len("malloc_fast_"):]
            fast[k] = max(fast.get(k, 0), r.get("instructions") or 0)
    for k, limit in (("malloc", 20), ("free", 25)):
        v = fast.get(k)
        goal("image: %s fast path, instructions (most over the sizes)" % k,
             v, "<= %d" % limit, v is not None and v <= limit)

    res = [r for r in mem if "instr_per_op" in r and r.get("kind") != "meta"]
    by = {}
    for r in res:
        by.setdefault(r["workload"], {})["%s/%s" % (r["alloc"],
                                                    r.get("libc"))] = r
    names = sorted({n for d in by.values() for n in d})
    pagodas = [n for n in names if n.startswith("pagoda/")]
    peers = [n for n in names if not n.startswith("pagoda/")]
    common = [w for w, d in by.items() if all(n in d for n in names)]
    if common and pagodas and peers:
        g = {n: geomean([by[w][n]["instr_per_op"] for w in common])
             for n in names}
        for n in pagodas:
            for peer, factor in (("mimalloc/glibc", 1.0),
                                 ("glibc/glibc", 0.5)):
                if peer in g:
                    goal("image: %s geomean instr/op over %d workloads, "
                         "against %s %s" % (n, len(common), peer,
                                            fmt(g[peer])),
                         fmt(g[n]), "<= %sx" % (
                             "1" if factor == 1 else fmt(factor)),
                         g[n] <= factor * g[peer])
        for n in pagodas:
            slow = [w for w in common if by[w][n]["instr_per_op"] >
                    1.25 * min(by[w][p]["instr_per_op"] for p in peers)]
            goal("image: %s workloads above 1.25x the best peer's "
                 "instr/op" % n, "%d of %d%s" % (
                     len(slow), len(common),
                     (": " + ", ".join(slow)) if slow else ""),
                 "0", not slow)

        # The suite runs every workload in one process, so the resident
        # set a workload starts with is what the ones before it left:
        # the raw ratio, and the one of what the workload itself added.
        def spread(r, grown=False):
            base = r.get("start_footprint", 0) if grown else 0
            return max(r["peak_footprint"] - base, 0) / r["peak_live"] \
                if r.get("peak_live") else None
        for n in pagodas:
            for grown in (False, True):
                fat = [w for w in common if spread(by[w][n], grown) and
                       spread(by[w][n], grown) > 1.1 * min(
                           spread(by[w][p], grown) or float("inf")
                           for p in peers)]
                goal("image: %s workloads whose peak footprint%s / peak "
                     "live is above 1.1x the best peer's" % (
                         n, " (less the one it started with)" if grown
                         else ""),
                     "%d of %d" % (len(fat), len(common)), "0", not fat)
            worst = max(by[w][n].get("max_op_instr") or 0 for w in common)
            over = [w for w in common
                    if (by[w][n].get("max_op_instr") or 0) > 2000]
            goal("image: %s slowest single call (membench's max op; counts "
                 "the page faults and system calls inside it too)" % n,
                 "%s; above 2,000 in %d of %d workloads" % (
                     worst, len(over), len(common)),
                 "<= 2000 outside system calls", not over)

    hres = [r for r in host if r.get("kind") != "meta" and
            "ns_per_op_median" in r]
    hby = {(r["alloc"], r["workload"], r["threads"]): r for r in hres}
    keys = sorted({(r["workload"], r["threads"]) for r in hres})
    if any(a == "pagoda" for a, _, _ in hby):
        one = [k for k in keys if k[1] == 1]

        def hgeo(alloc, field, ks):
            vals = [hby[(alloc,) + k].get(field) for k in ks
                    if (alloc,) + k in hby]
            return geomean(vals) if len(vals) == len(ks) else None
        pi = hgeo("pagoda", "instr_per_op", one)
        mi = hgeo("mimalloc", "instr_per_op", one)
        goal("host: geomean instr/op (cachegrind, one thread) against "
             "mimalloc %s" % fmt(mi), fmt(pi), "<= 1x",
             pi is not None and mi is not None and pi <= mi)
        for peer, factor in (("mimalloc", 1.05), ("glibc", 0.7)):
            pt = hgeo("pagoda", "ns_per_op_median", keys)
            qt = hgeo(peer, "ns_per_op_median", keys)
            if pt and qt:
                goal("host: geomean ns/op over every workload and thread "
                     "count, against %s" % peer, "%sx" % fmt(pt / qt, 2),
                     "<= %sx" % fmt(factor, 2), pt <= factor * qt)
        fat = []
        for k in keys:
            mine = hby.get(("pagoda",) + k, {}).get("peak_rss")
            best = min((hby[(a,) + k]["peak_rss"] for a in
                        ("glibc", "jemalloc", "mimalloc", "tcmalloc")
                        if (a,) + k in hby and hby[(a,) + k].get("peak_rss")),
                       default=None)
            if mine and best and mine > 1.1 * best:
                fat.append("%s t=%d" % k)
        goal("host: runs whose peak RSS is above 1.1x the best peer's",
             "%d of %d%s" % (len(fat), len(keys),
                             (": " + ", ".join(fat)) if fat else ""),
             "0", not fat)
        for w in sorted({w for w, t in keys if t == 2}):
            a, b = hby.get(("pagoda", w, 1)), hby.get(("pagoda", w, 2))
            if a and b:
                x = a["ns_per_op_median"] / b["ns_per_op_median"]
                best = max((hby[(p, w, 1)]["ns_per_op_median"] /
                            hby[(p, w, 2)]["ns_per_op_median"], p)
                           for p in ("glibc", "jemalloc", "mimalloc",
                                     "tcmalloc")
                           if (p, w, 1) in hby and (p, w, 2) in hby)
                goal("host: %s throughput, 2 threads over 1 (best peer: "
                     "%s %sx)" % (w, best[1], fmt(best[0], 2)),
                     "%sx" % fmt(x, 2), ">= 1.8x", x >= 1.8)
    if not rows:
        md.append("not run (no malloc benchmarks in this run)")
        md.append("")
        return
    md += table(["goal", "measured", "target", ""], rows)
    md.append("")


def kernel_section(md, kern, plots, losses):
    md.append("## Kernel allocators, faults, system calls (in-image, -icount)")
    md.append("")
    if not kern:
        md.append("not run (no bench lines: `make bench`)")
        md.append("")
        return
    md.append("Instructions retired under QEMU `-icount shift=0` (exact, the "
              "same on every run of one build): medians of 2048 (allocators) "
              "or 256 (the app's view) operations; docs/memory.md, "
              "docs/slab.md, docs/vm.md explain each line.")
    md.append("")
    rows = []
    spec = [
        ("buddy_pcp", {"order": 0}, "buddy: pcp pair (order-0 alloc+free)", "pair"),
        ("buddy_exact", {"order": 0}, "buddy: free-list pair, order 0", "pair"),
        ("buddy_exact", {"order": 3}, "buddy: free-list pair, order 3", "pair"),
        ("buddy_split10", {"order": 0}, "buddy: 10 splits + 10 merges", "pair"),
        ("buddy_merge", {}, "buddy: merge order 0 to 10", "merge"),
        ("slab_hot", {}, "slab: hot alloc+free (64 B)", "pair"),
        ("slab_kmalloc", {"size": 64}, "kmalloc+kfree 64 B", "pair"),
        ("slab_kmalloc", {"size": 4096}, "kmalloc+kfree 4 KiB", "pair"),
        ("slab_kmalloc", {"size": 262144}, "kmalloc+kfree 256 KiB (buddy)", "pair"),
        ("vm_syscall", {}, "system call round trip (brk(0))", "instructions"),
        ("vm_fault_write", {}, "minor fault, write (zeroing)", "instructions"),
        ("vm_fault_read", {}, "minor fault, read (zero page)", "instructions"),
        ("vm_fault_cow", {}, "write after read", "instructions"),
        ("vm_brk_grow", {}, "brk grow by a page", "instructions"),
        ("vm_mmap_munmap", {}, "mmap + munmap of a page", "instructions"),
        ("swap_majfault", {"exact": 1}, "major fault from swap", "instructions"),
    ]
    for bench, keys, what, key in spec:
        r = first(kern, bench, **keys)
        if not r:
            rows.append([what, "`%s`" % bench, "not run", "", ""])
            continue
        goal = r.get("goal", "")
        verdict = ""
        if bench in GOALS and goal != "":
            k, lower = GOALS[bench]
            ok = r.get(k) <= goal if lower else r.get(k) >= goal
            verdict = "met" if ok else "**missed**"
            if not ok:
                losses.append((True, "kernel %s: %s %s, goal %s" % (
                    bench, k, fmt(r.get(k)), goal)))
        rows.append([what, "`%s`" % bench, fmt(r.get(key)), goal, verdict])
    md += table(["operation", "bench line", "instructions", "goal", ""], rows)
    md.append("")
    pm = [r for r in kern if r.get("bench") == "malloc_pair"]
    if pm:
        md.append("apps/mallocbench (the app's malloc beside picolibc's "
                  "nano-malloc, instructions per operation):")
        md.append("")
        works = []
        for r in pm:
            if r["workload"] not in works:
                works.append(r["workload"])
        rows = []
        for w in works:
            p = first(pm, "malloc_pair", workload=w, alloc="pagoda")
            n = first(pm, "malloc_pair", workload=w, alloc="nano")
            rr = ratio(p and p.get("instructions_per_op"),
                       n and n.get("instructions_per_op"))
            rows.append([w, fmt(p and p.get("instructions_per_op")),
                         fmt(n and n.get("instructions_per_op")), rfmt(rr),
                         fmt(p and p.get("peak_bytes")),
                         fmt(n and n.get("peak_bytes"))])
            if rr is not None and rr > 1:
                losses.append((rr >= 1.10,
                               "mallocbench %s: pagoda %s instructions/op "
                               "against nano's %s" % (
                                   w, p["instructions_per_op"],
                                   n["instructions_per_op"])))
        md += table(["workload", "pagoda", "nano", "pagoda / nano",
                     "peak B pagoda", "peak B nano"], rows)
        md.append("")
        vals = {(r["workload"], r["alloc"]): r.get("instructions_per_op")
                for r in pm}
        img = bars(plots, "mallocbench-instr-per-op",
                   "apps/mallocbench: instructions per operation (-icount)",
                   "instructions / op", works, ["pagoda", "nano"], vals,
                   log=True)
        if img:
            md.append("![mallocbench instructions per op](%s)" % img)
            md.append("")


def swap_boot_section(md, kern, losses):
    md.append("## Swap throughput")
    md.append("")
    sw = [r for r in kern if r.get("bench") in ("swap_out", "swap_in")]
    if not sw:
        md.append("not run (`make bench BENCH=swap`)")
        md.append("")
    else:
        md.append("apps/swapbench (docs/swap.md): MiB/s in real time (a "
                  "host's clock: noisy) and instructions per page under "
                  "-icount.")
        md.append("")
        rows = []
        for d in ("swap_out", "swap_in"):
            for how in ("pressure", "pageout"):
                rt = first(kern, d, how=how, exact=0)
                ic = first(kern, d, how=how, exact=1)
                rows.append([d[5:], how, fmt(rt and rt.get("mib_s")),
                             fmt(rt and rt.get("pages")),
                             fmt(ic and ic.get("instructions_per_page"))])
        md += table(["direction", "how", "MiB/s", "pages",
                     "instructions/page"], rows)
        md.append("")
        rows = []
        for op in ("out", "in"):
            r = first(kern, "swap_ratio", op=op)
            if r and "ratio" in r:
                ok = r["ratio"] >= r.get("goal", 0)
                if not ok:
                    losses.append((True, "swap %s: %.2f of the raw disk's "
                                   "best throughput, goal %s" % (
                                       op, r["ratio"], r.get("goal"))))
                rows.append([op, fmt(r["swap_mib_s"]), fmt(r["raw_mib_s"]),
                             rfmt(r["ratio"]), rfmt(r.get("page_ratio")),
                             r.get("goal"), "met" if ok else "**missed**"])
        if rows:
            md += table(["swap", "MiB/s", "raw disk MiB/s", "ratio",
                         "ratio to 4 KiB raw", "goal", ""], rows)
            md.append("")
        lru = first(kern, "swap_lru_compare")
        if lru and "aging_per_1000" in lru:
            md.append("Hot-set major faults per 1000 reads: LRU with aging "
                      "%s, FIFO %s." % (lru["aging_per_1000"],
                                        lru["fifo_per_1000"]))
            md.append("")
    md.append("## Boot cost per GiB")
    md.append("")
    boots = {}
    for r in kern:
        if r.get("bench") == "boot_memory" and r.get("mib") not in boots:
            boots[r["mib"]] = r
    if not boots:
        md.append("not run")
    else:
        md += table(["memory MiB", "instructions", "per GiB"],
                    [[m, boots[m]["instructions"], boots[m]["per_gib"]]
                     for m in sorted(boots)])
    md.append("")


def fragmentation_section(md, frag, plots, losses):
    md.append("## Anti-fragmentation (host simulation, 1 GiB)")
    md.append("")
    runs = [r for r in frag if r.get("bench") == "fragmentation"]
    if not runs:
        md.append("not run (`make bench-host`)")
        md.append("")
        return
    md.append("tests/host/bench_fragmentation (docs/memory.md): memory "
              "filled with 70/30 movable/unmovable blocks of order 0..3, then "
              "a random half freed (half) or every movable block (movable); "
              "grouping by mobility on and off on the same sequence.")
    md.append("")
    rows = []
    for r in runs:
        rows.append([r["scenario"], r["grouping"], r.get("mixed_pageblocks"),
                     fmt(r.get("unusable9"), 3),
                     "%s / %s" % (r.get("order9_success"),
                                  r.get("order9_possible")),
                     rfmt(r.get("order9_rate")),
                     "%s / %s" % (r.get("order10_success"),
                                  r.get("order10_possible"))])
        if r["grouping"] == "on" and r.get("order9_rate", 1) < 0.9:
            losses.append((True, "anti-fragmentation, %s freed: %s of %s "
                           "possible order-9 blocks (goal 90%%)" % (
                               r["scenario"], r.get("order9_success"),
                               r.get("order9_possible"))))
    md += table(["scenario", "grouping", "mixed pageblocks", "unusable (9)",
                 "order-9 got / possible", "rate", "order-10"], rows)
    md.append("")
    bi = [r for r in frag if r.get("bench") == "fragmentation_buddyinfo"]
    if not bi:
        return
    rows = []
    orders = list(range(11))
    for r in bi:
        rows.append(["%s %s %s" % (r["scenario"], r["grouping"], r["when"])] +
                    [r.get("order%d" % o, "-") for o in orders])
    md.append("buddyinfo (free blocks per order) before the scenario and "
              "after its frees:")
    md.append("")
    md += table(["run"] + [str(o) for o in orders], rows)
    md.append("")
    for sc in ("half", "movable"):
        sel = [r for r in bi if r["scenario"] == sc and
               (r["when"] != "start" or r["grouping"] == "on")]
        if not sel:
            continue
        series = ["%s" % ("start" if r["when"] == "start" else
                          "after, grouping " + r["grouping"]) for r in sel]
        vals = {(str(o), s): r.get("order%d" % o)
                for o in orders for s, r in zip(series, sel)}
        img = bars(plots, "buddyinfo-" + sc,
                   "buddyinfo, %s freed: free blocks per order" % sc,
                   "free blocks (log)", [str(o) for o in orders], series,
                   vals, log=True)
        if img:
            md.append("![buddyinfo %s](%s)" % (sc, img))
            md.append("")


# ---- markdown to HTML (the subset written above) ------------------------------

def inline(text):
    t = html.escape(text, quote=False)
    t = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)",
               r'<img alt="\1" src="\2" style="max-width:100%">', t)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    t = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)
    return t


def md_to_html(lines, title):
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           "<title>%s</title>" % html.escape(title),
           "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;"
           "padding:1em}table{border-collapse:collapse;margin:.5em 0}"
           "td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}"
           "td:first-child{text-align:left}code{background:#eee}"
           "pre{background:#eee;padding:.5em}</style></head><body>"]
    i = 0
    para = []

    def flush():
        if para:
            out.append("<p>%s</p>" % inline(" ".join(para)))
            para.clear()
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            i += 1
            block = []
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(html.escape(lines[i]))
                i += 1
            out.append("<pre>%s</pre>" % "\n".join(block))
        elif line.startswith("#"):
            flush()
            n = len(line) - len(line.lstrip("#"))
            out.append("<h%d>%s</h%d>" % (n, inline(line[n:].strip()), n))
        elif line.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip("|").split("|")])
                i += 1
            i -= 1
            out.append("<table>")
            out.append("<tr>%s</tr>" % "".join("<th>%s</th>" % inline(c)
                                               for c in rows[0]))
            for r in rows[2:]:
                out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % inline(c)
                                                   for c in r))
            out.append("</table>")
        elif line.startswith("- "):
            flush()
            out.append("<ul>")
            while i < len(lines) and lines[i].startswith("- "):
                out.append("<li>%s</li>" % inline(lines[i][2:]))
                i += 1
            i -= 1
            out.append("</ul>")
        elif not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ---- main -----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="build/bench",
                    help="where the benchmarks left their files")
    ap.add_argument("--out", help="where to write (default: --dir)")
    ap.add_argument("--log", action="append", default=[],
                    help="a console capture to read (- for stdin)")
    ap.add_argument("--qemu", help="the QEMU binary, for its version")
    ap.add_argument("--qemu-version", help="the QEMU version, as text")
    ap.add_argument("--no-plots", action="store_true")
    args = ap.parse_args()
    out = args.out or args.dir
    os.makedirs(out, exist_ok=True)

    data = {}
    if not args.log:
        data["host"] = read_jsonl(os.path.join(args.dir, "host.jsonl"))
        data["membench"] = read_jsonl(os.path.join(args.dir, "membench.jsonl"))
        lines = os.path.join(args.dir, "kernel.lines")
        if os.path.exists(lines):
            data["kernel"] = read_lines(lines, "qemu")
        else:
            data["kernel"] = read_jsonl(os.path.join(args.dir, "kernel.jsonl"))
        data["fragmentation"] = read_lines(
            os.path.join(args.dir, "fragmentation.lines"), "host-sim")
    for path in args.log:
        if path == "-":
            read_log(sys.stdin, data)
        else:
            with open(path, errors="replace") as f:
                read_log(f, data)
    kern = data.get("kernel", [])
    frag = data.get("fragmentation", []) + [
        r for r in kern if r.get("bench", "").startswith("fragmentation")]
    kern = [r for r in kern if not r.get("bench", "").startswith("fragmentation")]
    with open(os.path.join(out, "kernel.jsonl"), "w") as f:
        for r in kern + frag:
            f.write(json.dumps(r) + "\n")

    qver = args.qemu_version or qemu_version(args.qemu) or (
        "not known (a console log)" if args.log else "not known")
    plots = Plots(out, not args.no_plots)
    losses = []
    body = []
    malloc_goals_section(body, data.get("membench", []),
                         data.get("host", []), kern, losses)
    membench_section(body, data.get("membench", []), plots, losses)
    host_section(body, data.get("host", []), plots, losses)
    kernel_section(body, kern, plots, losses)
    swap_boot_section(body, kern, losses)
    fragmentation_section(body, frag, plots, losses)

    now = datetime.datetime.now(datetime.timezone.utc)
    md = ["# pagoda benchmark report", ""]
    md += table(["", ""], [
        ["date", now.strftime("%Y-%m-%d %H:%M UTC")],
        ["QEMU", qver],
        ["host", "`%s`: %s, %s CPUs, %s %s" % (
            platform.node(), cpu_name(), os.cpu_count(), platform.system(),
            platform.release())],
        ["tree", git_describe() or "-"],
        ["inputs", ", ".join("%s: %d records" % (k, len(v))
                             for k, v in sorted(data.items())) or "none"],
        ["plots", "%d drawn by gnuplot%s" % (
            len(plots.made), "" if plots.gnuplot or args.no_plots
            else " (gnuplot not found: scripts/deps.sh bench)")],
    ])
    md.append("")
    md.append("## Where pagoda loses")
    md.append("")
    if losses:
        clear = [t for c, t in losses if c]
        small = [t for c, t in losses if not c]
        md.append("Every comparison in this report where pagoda is slower, "
                  "costs more instructions or memory than a peer, or misses "
                  "its own goal: %d clear, %d small or within the noise."
                  % (len(clear), len(small)))
        md.append("")
        md.append("### Clear (10% or more, goals missed, times whose "
                  "[min..max] ranges do not overlap)")
        md.append("")
        md += ["- " + x for x in clear] or ["- none"]
        md.append("")
        md.append("### Small (under 10%) or within the noise (the ranges of "
                  "the times overlap)")
        md.append("")
        md += ["- " + x for x in small] or ["- none"]
    else:
        md.append("Nowhere in what was run (check the \"not run\" parts).")
    md.append("")
    md += body
    if plots.failed:
        md.append("Plots that failed: " + "; ".join(plots.failed))
        md.append("")
    md.append("Reproduce: `make bench` (or `make bench-quick`); from a "
              "console capture: `scripts/bench-report.py --log FILE --out DIR`. "
              "docs/bench.md explains every number.")
    md.append("")
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md))
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(md_to_html(md, "pagoda benchmark report"))
    print("  REPORT  %s (%d plots, %d comparisons lost)" % (
        os.path.join(out, "report.md"), len(plots.made), len(losses)))


if __name__ == "__main__":
    main()
