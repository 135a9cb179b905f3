#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/bench-host.py - the host malloc comparison (`make bench-host`).

Runs tests/host/bench_malloc_peers.c's workloads with pagoda's malloc
(LD_PRELOAD of libpagoda-malloc.so), glibc's (nothing preloaded), and
jemalloc, mimalloc and tcmalloc where installed (scripts/deps.sh bench),
every (allocator, workload, threads) once per round, in a new random order
each round, ROUNDS rounds (at least 7): one process per run, so the runs
of one allocator are spread over the whole time and a noisy minute hits
all of them alike. Then, per allocator and single-threaded workload, the
instructions per operation from valgrind's cachegrind: two runs, with N
and 2N operations, and the difference over N, so start-up and set-up
(process, loader, the live set made before the clock starts) cancel out.

Writes OUT (host.jsonl): a first line
  {"suite":"host","kind":"meta","date":...,"host":...,"cpu":...,
   "kernel":...,"rounds":R,"seed":S,"quick":Q,"allocs":{NAME:VERSION}}
then one line per allocator, workload and thread count
  {"suite":"host","alloc":A,"workload":W,"threads":T,"ops":N,
   "ns_per_op_median":F,"ns_per_op_min":F,"ns_per_op_max":F,
   "ns_per_op_q1":F,"ns_per_op_q3":F,"rounds":R,
   "instr_per_op":F or null,"peak_rss":BYTES}
(peak_rss: the median over the rounds of VmHWM at the end of the run;
instr_per_op: threads 1 only), and for the frag workload one line
  {"suite":"host","alloc":A,"workload":"frag","threads":1,
   "series":"footprint","points":[[OPS,RSS_BYTES],...]}
from the first round. Prints a "bench: malloc_host ..." line per result.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys

from benchlib import cpu_name

# workload: (threads forms, operations full, operations quick,
#            cachegrind N (2N is the second run))
WORKLOADS = {
    "pairs": ((1,), 4_000_000, 1_000_000, 100_000),
    "churn": ((1,), 1_000_000, 250_000, 50_000),
    "realloc": ((1,), 1_000_000, 250_000, 65_537),
    "larson": ((1, 2, 4), 1_000_000, 250_000, 40_000),
    "xmalloc": ((1, 2, 4), 1_000_000, 250_000, 41_120),
    "frag": ((1,), 250_000, 62_500, 25_000),
}

PEER_PACKAGES = {
    "glibc": "libc6",
    "jemalloc": "libjemalloc2",
    "mimalloc": "libmimalloc2.0",
    "tcmalloc": "libtcmalloc-minimal4",
}


def package_version(pkg):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                             capture_output=True, text=True, check=False)
        return out.stdout.strip() or None
    except OSError:
        return None


def run_one(binary, alloc, lib, workload, threads, ops, wrapper=()):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if lib:
        env["LD_PRELOAD"] = lib
    cmd = list(wrapper) + [binary, alloc, workload, str(threads), str(ops)]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                       check=False, timeout=600)
    if p.returncode != 0:
        sys.exit("bench-host: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    lines = [json.loads(x) for x in p.stdout.splitlines()
             if x.startswith("{")]
    return lines, p.stderr


def instructions(binary, alloc, lib, workload, n):
    """Instructions per operation: cachegrind at n and 2n operations."""
    counts = []
    for ops in (n, 2 * n):
        wrapper = ("valgrind", "--tool=cachegrind", "--cache-sim=no",
                   "--cachegrind-out-file=/dev/null")
        lines, err = run_one(binary, alloc, lib, workload, 1, ops, wrapper)
        m = re.search(r"I\s+refs:\s+([\d,]+)", err)
        if not m:
            sys.exit("bench-host: no I refs from cachegrind:\n" + err)
        counts.append((lines[0]["ops"], int(m.group(1).replace(",", ""))))
    (o1, i1), (o2, i2) = counts
    return (i2 - i1) / (o2 - o1) if o2 != o1 else None


def quartiles(xs):
    if len(xs) < 2:
        return xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="bench_malloc_peers")
    ap.add_argument("--pagoda", required=True, help="libpagoda-malloc.so")
    ap.add_argument("--peer", action="append", default=[],
                    help="NAME:LIBRARY, preloaded if the file exists")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-cachegrind", action="store_true")
    ap.add_argument("--jobs", type=int, default=2,
                    help="cachegrind runs at a time (timed runs: one)")
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--out", required=True, help="host.jsonl")
    args = ap.parse_args()
    if args.rounds < 7:
        print("bench-host: %d rounds: fewer than 7, the spread means little"
              % args.rounds, file=sys.stderr)

    allocs = [("glibc", None), ("pagoda", os.path.abspath(args.pagoda))]
    for peer in args.peer:
        name, lib = peer.split(":", 1)
        if os.path.exists(lib):
            allocs.append((name, lib))
        else:
            print("# %s: %s not installed (scripts/deps.sh bench)"
                  % (name, lib))
    workloads = [w for w in args.workloads.split(",") if w]
    for w in workloads:
        if w not in WORKLOADS:
            sys.exit("bench-host: no workload %r" % w)

    configs = []
    for alloc, lib in allocs:
        for w in workloads:
            threads, full, quick, _ = WORKLOADS[w]
            for t in threads:
                configs.append((alloc, lib, w, t, quick if args.quick else full))

    rng = random.Random(args.seed)
    times = {}
    rss = {}
    ops_done = {}
    series = {}
    for r in range(args.rounds):
        order = configs[:]
        rng.shuffle(order)
        print("# round %d of %d: %d runs" % (r + 1, args.rounds, len(order)),
              flush=True)
        for alloc, lib, w, t, ops in order:
            lines, _ = run_one(args.bin, alloc, lib, w, t, ops)
            key = (alloc, w, t)
            res = lines[0]
            times.setdefault(key, []).append(res["ns_per_op"])
            rss.setdefault(key, []).append(res["peak_rss"])
            ops_done[key] = res["ops"]
            for extra in lines[1:]:
                if extra.get("series") and key not in series:
                    series[key] = extra

    instr = {}
    if not args.no_cachegrind:
        jobs = [(alloc, lib, w) for alloc, lib in allocs for w in workloads]
        print("# cachegrind: %d workloads, two runs each" % len(jobs),
              flush=True)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            # quick: half the operations, but realloc's one whole round
            futs = {pool.submit(instructions, args.bin, alloc, lib, w,
                                WORKLOADS[w][3] if not args.quick or
                                w == "realloc" else WORKLOADS[w][3] // 2):
                    (alloc, w) for alloc, lib, w in jobs}
            for f in concurrent.futures.as_completed(futs):
                instr[futs[f]] = f.result()

    meta = {
        "suite": "host", "kind": "meta",
        "date": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(), "cpu": cpu_name(),
        "cpus": os.cpu_count(), "kernel": platform.release(),
        "rounds": args.rounds, "seed": args.seed, "quick": args.quick,
        "allocs": {a: (package_version(PEER_PACKAGES[a])
                       if a in PEER_PACKAGES else "this tree")
                   for a, _ in allocs},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        out.write(json.dumps(meta) + "\n")
        for alloc, lib, w, t, _ in configs:
            key = (alloc, w, t)
            xs = times[key]
            q1, q3 = quartiles(xs)
            ipo = instr.get((alloc, w)) if t == 1 else None
            res = {
                "suite": "host", "alloc": alloc, "workload": w, "threads": t,
                "ops": ops_done[key],
                "ns_per_op_median": round(statistics.median(xs), 3),
                "ns_per_op_min": round(min(xs), 3),
                "ns_per_op_max": round(max(xs), 3),
                "ns_per_op_q1": round(q1, 3), "ns_per_op_q3": round(q3, 3),
                "rounds": len(xs),
                "instr_per_op": round(ipo, 1) if ipo is not None else None,
                "peak_rss": int(statistics.median(rss[key])),
            }
            out.write(json.dumps(res) + "\n")
            print("bench: malloc_host alloc=%s workload=%s threads=%d "
                  "ns_per_op=%.1f min=%.1f max=%.1f instr_per_op=%s "
                  "peak_rss_kb=%d" %
                  (alloc, w, t, res["ns_per_op_median"], res["ns_per_op_min"],
                   res["ns_per_op_max"],
                   "-" if ipo is None else "%.1f" % ipo,
                   res["peak_rss"] // 1024))
        for key in sorted(series):
            out.write(json.dumps(series[key]) + "\n")
    print("# wrote %s" % args.out)


if __name__ == "__main__":
    main()
