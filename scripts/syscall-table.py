#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/syscall-table.py - the system calls pagoda answers, as a Markdown
table read from the dispatch itself, so the docs cannot drift from it.

    scripts/syscall-table.py [--root DIR]            print the table
    scripts/syscall-table.py [--root DIR] --check    docs/linux-programs.md
                                                     holds it (exit 1: not)
    scripts/syscall-table.py [--root DIR] --update   write it there

Reads do_syscall() in kernel/syscall.c, a switch over SYS_* names, with
kernel/unistd.h's numbers: each group of case labels that share one body
(labels falling through to the same statement) becomes rows of the same
call. The body's first call names the function, found by its definition
in lib/ hal/ alloc/ vm/ kernel/ boot/; a body without a call is described
by what it returns (`return 0;`, `return -ENOSYS;`); a comment in it is the
row's note. A number that unistd.h defines but the switch does not name is
looked up elsewhere in kernel/syscall.c (rt_sigreturn, taken in the trap
handler before the dispatch). The default label is the last row. The table
sits in the doc between the lines `<!-- syscall-table -->` and
`<!-- /syscall-table -->` (`make syscall-table` rewrites it;
tests/host/test_syscall_table.sh compares).
"""

import argparse
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["lib", "hal", "alloc", "vm", "kernel", "boot"]
DOC = "docs/linux-programs.md"
BEGIN, END = "<!-- syscall-table -->", "<!-- /syscall-table -->"
DEFINE = re.compile(r"^\s*#\s*define\s+SYS_(\w+)\s+(\d+)\b", re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
LABEL = re.compile(r"\b(case\s+([A-Za-z_]\w*|\d+)\s*:|default\s*:)")
CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
NOT_CALLS = {"if", "while", "for", "switch", "return", "sizeof", "do"}
ERRNO_SYMBOL = re.compile(r"^-?E[A-Z0-9]+$")


class ParseError(Exception):
    pass


def numbers(root: Path) -> Dict[str, int]:
    text = (root / "kernel/unistd.h").read_text()
    return {m.group(1): int(m.group(2)) for m in DEFINE.finditer(text)}


def blank_comments(text: str) -> Tuple[str, List[Tuple[int, str]]]:
    """The text with every comment replaced by spaces (offsets kept), and
    the comments' (offset, text) in order."""
    found = []

    def keep(m: re.Match) -> str:
        body = m.group(0)
        body = body[2:-2] if body.startswith("/*") else body[2:]
        found.append((m.start(), " ".join(body.replace("*", " ").split())))
        return re.sub(r"[^\n]", " ", m.group(0))
    return COMMENT.sub(keep, text), found


def block_after(text: str, start: int) -> Tuple[int, int]:
    """The offsets just inside the { } block whose { is the first at or
    after start."""
    open_at = text.index("{", start)
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return open_at + 1, i
    raise ParseError("unbalanced braces")


def switch_groups(src: str) -> List[Tuple[List[str], str, List[str]]]:
    """do_syscall()'s switch: [(labels, body, comments)], a label being a
    SYS_ name without the prefix, a number, or "default"."""
    code, comments = blank_comments(src)
    m = re.search(r"^\w[^;{]*\bdo_syscall\s*\([^;{]*\)\s*\{", code, re.M)
    if not m:
        raise ParseError("kernel/syscall.c: no definition of do_syscall()")
    fn_lo, fn_hi = block_after(code, m.end() - 1)
    sw = re.search(r"\bswitch\s*\(\s*nr\s*\)\s*\{", code[fn_lo:fn_hi])
    if not sw:
        raise ParseError("do_syscall(): no switch (nr)")
    lo, hi = block_after(code, fn_lo + sw.end() - 1)
    # labels at the switch's own level (depth 0 inside its braces)
    labels: List[Tuple[int, int, str]] = []
    depth = 0
    i = lo
    while i < hi:
        c = code[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            lm = LABEL.match(code, i)
            if lm and (i == lo or not (code[i - 1].isalnum() or code[i - 1] == "_")):
                name = lm.group(2) if lm.group(2) else "default"
                if name.startswith("SYS_"):
                    name = name[4:]
                elif not name.isdigit() and name != "default":
                    raise ParseError(f"do_syscall(): case {name}: not a SYS_ name")
                labels.append((i, lm.end(), name))
                i = lm.end()
                continue
        i += 1
    groups = []
    names: List[str] = []
    first = lo
    for k, (_, end, name) in enumerate(labels):
        if not names:
            first = end
        names.append(name)
        body_end = labels[k + 1][0] if k + 1 < len(labels) else hi
        body = code[end:body_end]
        if body.strip():  # the labels so far share this body
            notes = [t for off, t in comments if first <= off < body_end and t]
            groups.append((names, " ".join(body.split()), notes))
            names = []
    if names:
        raise ParseError(f"do_syscall(): labels without a body: {names}")
    return groups


def sources(root: Path) -> List[Tuple[str, str]]:
    """Every .c file of the floors: (path relative to root, code without
    comments)."""
    if root not in _SOURCES:
        _SOURCES[root] = [(str(f.relative_to(root)),
                           blank_comments(f.read_text(errors="replace"))[0])
                          for top in FLOORS for f in sorted((root / top).rglob("*.c"))]
    return _SOURCES[root]


_SOURCES: Dict[Path, List[Tuple[str, str]]] = {}


def definition(root: Path, fn: str) -> Optional[str]:
    """The file (relative to root) that defines fn: a line starting at
    column 0 that names fn( and reaches { before ;."""
    rx = re.compile(rf"^[A-Za-z_][^;{{}}#]*\b{re.escape(fn)}\s*\([^;{{]*\{{", re.M)
    for path, code in sources(root):
        if fn in code and rx.search(code):
            return path
    return None


def enclosing_function(code: str, at: int) -> Optional[str]:
    """The function whose definition precedes offset at (column 0)."""
    best = None
    for m in re.finditer(r"^[A-Za-z_][^;{}#\n]*?\b(\w+)\s*\([^;{]*\)\s*\{", code[:at], re.M):
        best = m.group(1)
    return best


def describe(root: Path, body: str) -> Tuple[str, str]:
    """(implemented by, what the body does) of one case body."""
    calls = [c for c in CALL.findall(body) if c not in NOT_CALLS]
    if calls:
        where = definition(root, calls[0])
        return f"`{calls[0]}()`" + (f", {where}" if where else ""), ""
    r = re.search(r"\breturn\s+([^;]+);", body)
    if r:
        value = r.group(1).strip()
        if ERRNO_SYMBOL.match(value):
            return "", f"`{value}`"
        return "`do_syscall()`, kernel/syscall.c", f"returns `{value}`"
    raise ParseError(f"do_syscall(): a case body neither calls nor returns: {body!r}")


def rows(root: Path) -> List[str]:
    nrs = numbers(root)
    src = (root / "kernel/syscall.c").read_text()
    groups = switch_groups(src)
    table: List[Tuple[int, str]] = []
    seen = set()
    default_row = None
    for names, body, notes in groups:
        impl, does = describe(root, body)
        syscalls = [n for n in names if n != "default"]
        for n in syscalls:
            if n.isdigit():
                nr, name = int(n), f"({n})"
            elif n in nrs:
                nr, name = nrs[n], n
            else:
                raise ParseError(f"do_syscall(): case SYS_{n}: not in kernel/unistd.h")
            if n in seen:
                raise ParseError(f"do_syscall(): SYS_{n} twice")
            seen.add(n)
            others = [o for o in syscalls if o != n]
            note = [does] if does else []
            if others:
                note.append("the same as " + ", ".join(f"`{o}`" for o in others))
            note += notes
            table.append((nr, f"| {nr} | `{name}` | {impl} | {'; '.join(note)} |"))
        if "default" in names:
            note = ([does] if does else []) + notes
            note = note or ["any number not above"]
            default_row = f"| other | | {impl} | {'; '.join(note)} |"
    # numbers unistd.h defines that the switch does not name
    code, _ = blank_comments(src)
    for name, nr in sorted(nrs.items(), key=lambda kv: kv[1]):
        if name in seen:
            continue
        m = re.search(rf"\bSYS_{name}\b", code)
        if m:
            fn = enclosing_function(code, m.start())
            where = f"`{fn}()`, kernel/syscall.c" if fn else "kernel/syscall.c"
            table.append((nr, f"| {nr} | `{name}` | {where} | outside the dispatch's switch |"))
        else:
            table.append((nr, f"| {nr} | `{name}` | | in kernel/unistd.h, not dispatched |"))
    out = ["| nr | name | implemented by | notes |", "|---|---|---|---|"]
    out += [r for _, r in sorted(table)]
    if default_row:
        out.append(default_row)
    return [r.replace(" |  |", " | |").rstrip() for r in out]


def doc_table(text: str) -> Optional[List[str]]:
    lines = text.split("\n")
    try:
        lo, hi = lines.index(BEGIN), lines.index(END)
    except ValueError:
        return None
    return [ln for ln in lines[lo + 1:hi] if ln.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the tree to read (default: this one)")
    ap.add_argument("--doc", help=f"the doc (default: ROOT/{DOC})")
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="does the doc hold the table?")
    what.add_argument("--update", action="store_true", help="write the table into the doc")
    args = ap.parse_args()
    try:
        table = rows(args.root)
    except (ParseError, OSError) as e:
        print(f"syscall-table: {e}", file=sys.stderr)
        return 2
    if not args.check and not args.update:
        print("\n".join(table))
        return 0
    doc = Path(args.doc) if args.doc else args.root / DOC
    text = doc.read_text()
    have = doc_table(text)
    if have is None:
        print(f"syscall-table: {doc} has no {BEGIN} ... {END} lines", file=sys.stderr)
        return 2
    if args.check:
        if have == table:
            return 0
        print(f"syscall-table: {doc}'s table differs from kernel/syscall.c's dispatch "
              "(make syscall-table):", file=sys.stderr)
        for ln in sorted(set(have) ^ set(table)):
            print(("  doc only: " if ln in have else "  dispatch only: ") + ln, file=sys.stderr)
        return 1
    lines = text.split("\n")
    lo, hi = lines.index(BEGIN), lines.index(END)
    doc.write_text("\n".join(lines[:lo + 1] + [""] + table + [""] + lines[hi:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
