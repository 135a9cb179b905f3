#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/include-graph.py - the folder-level include graph of the runtime.

    scripts/include-graph.py dot      the graph in graphviz's language
    scripts/include-graph.py text     the same as text: floors, then arrows

Reads every #include "..." of lib/ hal/ alloc/ vm/ kernel/ boot/ (the
floors, bottom to top; apps/ and tests/ stand beside them) and draws one box
per folder, one row per floor, and one arrow per pair of folders with the
number of includes behind it. An arrow that points up a floor is drawn red
(scripts/check-layers.sh refuses it). `make graph` renders the dot text into
build/graph.svg; docs/architecture.md shows the committed copy,
docs/architecture.svg, and the text form, which a test compares with the
tree.
"""

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["lib", "hal", "alloc", "vm", "kernel", "boot"]
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def folder(path: str) -> str:
    """lib, hal/riscv, alloc/malloc...: the folder a file or header is in."""
    return str(Path(path).parent)


def floor(name: str) -> int:
    return FLOORS.index(name.split("/")[0])


def edges() -> Counter:
    found: Counter = Counter()
    for top in FLOORS:
        for f in sorted((ROOT / top).rglob("*")):
            if f.suffix not in (".c", ".h", ".S"):
                continue
            src = folder(str(f.relative_to(ROOT)))
            for inc in INCLUDE.findall(f.read_text(errors="replace")):
                if inc.split("/")[0] not in FLOORS:
                    continue
                dst = folder(inc)
                if dst != src:
                    found[(src, dst)] += 1
    return found


def folders(found: Counter) -> list:
    names = {d for pair in found for d in pair}
    names |= {folder(str(f.relative_to(ROOT))) for top in FLOORS
              for f in (ROOT / top).rglob("*") if f.suffix in (".c", ".h", ".S")}
    return sorted(names, key=lambda n: (floor(n), n))


def text(found: Counter) -> str:
    out = ["floors, top first:"]
    names = folders(found)
    for i in reversed(range(len(FLOORS))):
        row = [n for n in names if floor(n) == i]
        out.append(f"  {i} {FLOORS[i]:7} " + "  ".join(row))
    out.append("includes (folder -> folder: count):")
    for (a, b), n in sorted(found.items(), key=lambda e: (-floor(e[0][0]), e[0])):
        up = "  UP A FLOOR" if floor(b) > floor(a) else ""
        out.append(f"  {a} -> {b}: {n}{up}")
    return "\n".join(out) + "\n"


def dot(found: Counter) -> str:
    out = ["digraph pagoda {", '  rankdir=TB; newrank=true; ranksep=0.6;',
           '  node [shape=box, style="rounded,filled", fillcolor="#f4f1ea", '
           'fontname="Helvetica"];',
           '  edge [color="#555555", fontname="Helvetica", fontsize=10];']
    names = folders(found)
    for i, name in enumerate(FLOORS):
        row = [n for n in names if floor(n) == i]
        out.append(f'  subgraph cluster_{name} {{ label="{i} {name}/"; '
                   f'style=dashed; color="#999999";')
        out += [f'    "{n}";' for n in row]
        out.append("  }")
    for (a, b), n in sorted(found.items()):
        red = ', color="#cc0000", penwidth=2' if floor(b) > floor(a) else ""
        out.append(f'  "{a}" -> "{b}" [label="{n}"{red}];')
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "text"
    found = edges()
    if what == "dot":
        sys.stdout.write(dot(found))
    elif what == "text":
        sys.stdout.write(text(found))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
