# SPDX-License-Identifier: MIT
"""tests/zones.py - the zones a boot printed, against what the allocator
itself makes of the memory map that boot printed.

Checked on every scenario whose console has `zone:` lines
(zones_match_memory_map, one of GLOBAL_CHECKS in tests/qemu.py). Nothing
of alloc/ is re-implemented here: the expected values come from
tests/host/zone_model.c, the allocator's own code (boot/memory.c,
alloc/memblock.c, alloc/memmap.c, alloc/zone.c) on the simulated machine of
the host tests, built by tests/host/host.mk as <build>/host/zone_model.
It reads the console: the `memory map (device tree):` lines (memory and
nodes, reservations, image, tree, initrd), the bootargs (mem=,
min_free_kbytes=) and the `zone:` lines, and prints the zones with their
spans, present pages, the pages it manages and the watermarks that
setup_watermarks() gives the image's managed pages. The check then wants:

  - the same zones (node, name) and the same pfn spans;
  - managed pages above 0 and at most the model's (the image also takes its
    vmemmap and page tables from memblock, which the host machine does not);
  - the watermarks exactly;
  - memstat's zoneinfo (when printed) saying the same as the zone line and
    the model (spanned, present, managed, start_pfn, min/low/high), its
    buddyinfo listing the same zones, and MemTotal the managed pages;
  - the `memory: N MiB in N node(s)` summary as the model's.

To see what the model says of a saved console, or that the check can fail:

    python3 tests/zones.py --build build build/tests/min_free_kbytes/console.log
    python3 tests/zones.py --build build build/tests/min_free_kbytes/console.log min_free_kbytes=4096

Words after the console override its bootargs for the model (the second
command expects other watermarks than the image printed, and fails).
"""

import sys

sys.dont_write_bytecode = True  # run as a script: no __pycache__ in tests/

import argparse
import re
import subprocess
from pathlib import Path
from typing import Dict, Optional, Sequence, Union

from harness import REPO, run_process

ZONE_LINE = re.compile(r"zone: node (\d+) (\w+)\s+pfn 0x([0-9a-f]+)-0x([0-9a-f]+) "
                       r"managed (\d+) pages, watermarks (\d+)/(\d+)/(\d+)")
MEMORY_SUMMARY = re.compile(r"memory: (\d+) MiB in (\d+) node\(s\), \d+ pages free")
BUDDYINFO_LINE = re.compile(r"^Node (\d+), zone\s+(\w+)((?:\s+\d+){11})\s*$", re.M)
ZONEINFO_BLOCK = re.compile(
    r"^Node (\d+), zone\s+(\w+)\n\s+pages free\s+\d+\n\s+min\s+(\d+)\n\s+low\s+(\d+)\n"
    r"\s+high\s+(\d+)\n\s+spanned\s+(\d+)\n\s+present\s+(\d+)\n\s+managed\s+(\d+)\n"
    r"\s+start_pfn:\s+(\d+)", re.M)

# The model program, once built (build_model): its path, or why there is none.
_model: Dict[str, Union[Path, str, None]] = {"path": None, "error": "zone_model not built"}

Model = Dict[str, object]  # "page_kib", "mib", "nodes": int; "zones": {(node, name): {...}}


def build_model(make: str, build_arg: str, build: Path, timeout: float) -> Optional[str]:
    """make <build>/host/zone_model; None, or why it failed."""
    target = f"{build_arg}/host/zone_model"
    run = run_process([make, "--no-print-directory", f"BUILD={build_arg}", target], timeout)
    path = build / "host" / "zone_model"
    if run.rc != 0 or not path.exists():
        tail = "\n".join(run.console.strip().split("\n")[-5:])
        _model.update(path=None, error=f"building {target} failed (exit {run.rc}): {tail}")
        return _model["error"]
    _model.update(path=path, error=None)
    return None


def model(console: str, words: Sequence[str] = ()) -> Union[Model, str]:
    """What tests/host/zone_model makes of the console (words override its
    bootargs), or why it could not say."""
    if _model["path"] is None:
        return f"zone model: {_model['error']}"
    p = subprocess.run([str(_model["path"])] + list(words), input=console,
                       capture_output=True, text=True, timeout=60)
    if p.returncode:
        return f"zone model: exit {p.returncode}: {(p.stderr or p.stdout).strip()[-300:]}"
    out: Model = {"zones": {}}
    for ln in p.stdout.split("\n"):
        kind, _, rest = ln.partition(" ")
        fields = dict(kv.split("=", 1) for kv in rest.split())
        if kind == "zone":
            out["zones"][(int(fields["node"]), fields["name"])] = {
                k: int(v, 0) for k, v in fields.items() if k not in ("node", "name")}
        elif kind == "memory":
            out["mib"], out["nodes"] = int(fields["mib"]), int(fields["nodes"])
        elif kind == "page":
            out["page_kib"] = int(fields["kib"])
    return out


def zones_match_memory_map(console: str, words: Sequence[str] = ()) -> Optional[str]:
    """The zones at boot (and memstat's buddyinfo, zoneinfo, MemTotal) are
    what the allocator makes of the memory map: spans, pages, watermarks."""
    printed = {(int(m.group(1)), m.group(2)): m for m in ZONE_LINE.finditer(console)}
    if not printed:
        return None
    want = model(console, words)
    if isinstance(want, str):
        return want
    zones = want["zones"]
    if set(printed) != set(zones):
        return (f"zones {sorted(printed)} at boot, but the memory map makes "
                f"{sorted(zones)} (tests/host/zone_model)")
    total = sum(int(m.group(5)) for m in printed.values())
    for key, m in printed.items():
        z = zones[key]
        first, last = int(m.group(3), 16), int(m.group(4), 16)
        managed = int(m.group(5))
        marks = tuple(int(m.group(i)) for i in (6, 7, 8))
        if (first, last) != (z["first"], z["last"]):
            return (f"zone {key}: pfn 0x{first:x}-0x{last:x}, expected "
                    f"0x{z['first']:x}-0x{z['last']:x}")
        if not 0 < managed <= z["managed"]:
            return (f"zone {key}: managed {managed} pages, expected at most "
                    f"{z['managed']} ({z['present']} present)")
        expected = (z["min"], z["low"], z["high"])
        if marks != expected:
            return f"zone {key}: watermarks {marks}, expected {expected}"
        for b in ZONEINFO_BLOCK.finditer(console):
            if (int(b.group(1)), b.group(2)) == key:
                info = tuple(int(b.group(i)) for i in (3, 4, 5, 6, 7, 8, 9))
                if info != marks + (last - first + 1, z["present"], managed, first):
                    return f"zoneinfo of {key} says {info}"
                break
    m = MEMORY_SUMMARY.search(console)
    if m and (int(m.group(1)), int(m.group(2))) != (want["mib"], want["nodes"]):
        return (f"'{m.group(0)}', but the memory map makes {want['mib']} MiB "
                f"in {want['nodes']} node(s)")
    m = re.search(r"^MemTotal:\s+(\d+) kB", console, re.M)
    if m and int(m.group(1)) != total * want["page_kib"]:
        return f"MemTotal {m.group(1)} kB, but the zones manage {total} pages"
    buddy = {(int(b.group(1)), b.group(2)) for b in BUDDYINFO_LINE.finditer(console)}
    if buddy and buddy != set(printed):
        return f"buddyinfo lists {sorted(buddy)}, the boot log {sorted(printed)}"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="build directory (default build)")
    ap.add_argument("--make", default="make")
    ap.add_argument("console", help="a console log (<build>/tests/NAME/console.log)")
    ap.add_argument("words", nargs="*", help="boot options that override the console's")
    args = ap.parse_args()
    build = Path(args.build).resolve()
    try:
        build_arg = str(build.relative_to(REPO))
    except ValueError:
        build_arg = str(build)
    err = build_model(args.make, build_arg, build, 600)
    if err:
        print(err)
        return 2
    console = Path(args.console).read_text()
    p = subprocess.run([str(_model["path"])] + args.words, input=console,
                       capture_output=True, text=True)
    print(p.stdout + p.stderr, end="")
    err = zones_match_memory_map(console, args.words)
    print(f"zones: {err}" if err else "zones: as the allocator makes them")
    return 1 if err else 0


if __name__ == "__main__":
    sys.exit(main())
