# SPDX-License-Identifier: MIT
"""tests/boot_files.py - what some scenarios boot that the build does not
make: the placeholders {wrap:ADDR} and {damaged:HOW} of tests/qemu.py.

  wrap_elf      an image (the scenarios': {image}, the runtime with
                apps/hello) wrapped in an ELF that loads it at physical ADDR
                (scripts/wrap-elf.sh): QEMU's -kernel places it there.
  damaged_dtb   tests/scenarios/damaged.dts compiled, then its last node
                damaged in the blob: cut short ('truncated') or a property's
                tag overwritten ('garbage'). The header and every node
                firmware reads stay intact, so QEMU and OpenSBI pass the
                tree on and only pagoda's own walk catches the damage.
"""

import struct
import subprocess
from pathlib import Path

from harness import REPO, Context


def wrap_elf(image: Path, work: Path, addr: str) -> Path:
    out = work / f"image@{addr}.elf"
    p = subprocess.run([str(REPO / "scripts/wrap-elf.sh"), str(image),
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

