#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# tests/check_membench.py RUN1 [RUN2] - membench's output is what the report
# reads: every line one JSON object with the keys of apps/membench/main.c,
# counts that make sense, and, given a second run of the same build under
# -icount, the same instruction counts in both (make test-membench).
import json
import sys

KEYS = {"suite": str, "alloc": str, "libc": str, "workload": str,
        "ops": int, "instr_per_op": (int, float), "max_op_instr": int,
        "peak_live": int, "peak_footprint": int, "faults": int}


def load(path):
    rows, errors = [], []
    for n, line in enumerate(open(path), 1):
        if not line.startswith('{"suite":"membench"'):
            continue
        try:
            r = json.loads(line)
        except ValueError as e:
            errors.append(f"{path}:{n}: not JSON: {e}")
            continue
        bad = [k for k, t in KEYS.items() if not isinstance(r.get(k), t)]
        if bad:
            errors.append(f"{path}:{n}: {', '.join(bad)} missing or mistyped")
            continue
        w = r["workload"]
        if "error" in r:
            errors.append(f"{path}:{n}: {w}: {r['error']}")
        if r["ops"] <= 0 or r["instr_per_op"] <= 0:
            errors.append(f"{path}:{n}: {w}: no ops or no instructions")
        if r["max_op_instr"] < r["instr_per_op"]:
            errors.append(f"{path}:{n}: {w}: slowest op below the mean")
        # a small workload may fit in pages resident before it began: its
        # footprint can be 0; from 1 MiB live the resident set must hold the
        # blocks, each of whose pages is written
        if r["peak_live"] <= 0 or r["peak_footprint"] < 0:
            errors.append(f"{path}:{n}: {w}: nothing live")
        if r["peak_live"] >= 1 << 20 and r["peak_footprint"] < r["peak_live"]:
            errors.append(f"{path}:{n}: {w}: footprint {r['peak_footprint']}"
                          f" below live {r['peak_live']}")
        # lua-gc also counts the interpreter's whole run (apps/membench/luagc.c)
        if w == "lua-gc" and not (isinstance(r.get("total_instr"), int)
                                  and r["total_instr"] > 0):
            errors.append(f"{path}:{n}: {w}: total_instr missing or 0")
        rows.append(r)
    return rows, errors


def main():
    runs = [load(p) for p in sys.argv[1:]]
    errors = [e for _, errs in runs for e in errs]
    if not runs[0][0]:
        errors.append(f"{sys.argv[1]}: no membench lines")
    if len(runs) == 2:
        a, b = runs[0][0], runs[1][0]
        if len(a) != len(b):
            errors.append(f"the runs differ: {len(a)} and {len(b)} lines")
        for x, y in zip(a, b):
            for k in ("workload", "ops", "instr_per_op", "max_op_instr",
                      "peak_live", "total_instr"):
                if x.get(k) != y.get(k):
                    errors.append(f"{x['workload']}: {k} {x.get(k)} then {y.get(k)}"
                                  " (not deterministic under -icount)")
    for e in errors:
        print("membench:", e)
    print(f"membench: {len(runs[0][0])} lines, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
