#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/bench-log.py [LOG] - the benchmark lines of a captured console.

Reads a console log (LOG, or standard input; `-` is standard input too),
as QEMU's -nographic or a USB-UART adapter on a board gives it, and prints
the lines a report is made of, in order, one a line, cleaned:

  bench: NAME key=value ...     the benchmarks' lines (apps/vmbench,
                                apps/mallocbench, bench= in the test image;
                                "# bench: ..." inside KTAP too)
  {"bench": ...}                JSON lines: one object a line (apps/membench)
  bench: boot_memory ...        the boot's memory line turned into a bench
                                line, as scripts/bench-lines.sh does

What a serial console adds is taken off or left out: CR (CRLF line ends,
a lone CR), NUL and other control bytes, ANSI escapes, bytes that are not
UTF-8 (line noise at power-up), the kernel log's "[    0.123456] " stamp
before a line, and everything else: OpenSBI's banner, U-Boot's messages
and prompt (a command typed at "=> " is not a line of the app), the boot
log. A line is kept only when it is whole: a bench line must be NAME and
then words of printable ASCII with no noise among them, a JSON line
must parse as an object; the last line of a log that stops without a newline (the capture
cut it) is dropped too. What was dropped is counted on standard error.

Exit status: 0 when at least one line was found, 1 when none was (an
empty or wrong log), 2 for a usage error.
"""

import json
import re
import sys

STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]")
NOISE = "\x00-\x08\x0b-\x1f\x7f\ufffd"   # control bytes, bytes not UTF-8
LEADING_NOISE = re.compile(f"^[{NOISE} ]+")
CONTROL = re.compile(f"[{NOISE}]")
# bench: NAME, then words of printable ASCII (key=value, or a few plain
# words in an error line: "bench: vm_error mmap failed")
BENCH = re.compile(r"^(?:# )?bench: [a-z][a-z0-9_]*(?: [!-~]+)*$")
BENCH_START = re.compile(r"^(?:# )?bench: ")
MEMORY = re.compile(r"^memory: (\d+) MiB in (\d+) node.* set up in [0-9.]+ ms, "
                    r"(\d+) instructions \((\d+) per GiB\)$")


def clean(raw: str) -> str:
    """A line without its line end, escapes, leading noise and log stamp;
    noise inside it is left for the caller to find (CONTROL)."""
    line = ANSI.sub("", raw)
    # a lone CR inside a line returns the carriage: what follows overwrote
    # what came before on the terminal, and is what the app wrote last
    line = line.rstrip("\r")
    if "\r" in line:
        line = line.rsplit("\r", 1)[1]
    line = LEADING_NOISE.sub("", line).rstrip()
    return STAMP.sub("", line).strip()


def extract(text: str, stats: dict) -> list:
    """The report's lines of a console (str), in order; stats counts the rest."""
    out = []
    lines = text.split("\n")
    if lines and lines[-1] != "":
        stats["cut"] = 1     # no newline at the end: the capture stopped mid-line
    lines = lines[:-1]
    for raw in lines:
        line = clean(raw)
        if not line:
            continue
        if BENCH_START.match(line):
            if BENCH.match(line) and not CONTROL.search(line):
                out.append(line)
            else:
                stats["garbled"] += 1
            continue
        m = MEMORY.match(line)
        if m:
            out.append("bench: boot_memory mib={} nodes={} instructions={} per_gib={}"
                       .format(*m.groups()))
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                stats["garbled"] += 1
                continue
            if isinstance(obj, dict) and not CONTROL.search(line):
                out.append(line)
            else:
                stats["garbled"] += 1
    return out


def main(argv: list) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        return 2
    path = argv[1] if len(argv) == 2 else "-"
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as e:
        print(f"bench-log: {path}: {e.strerror}", file=sys.stderr)
        return 2
    stats = {"garbled": 0, "cut": 0}
    lines = extract(data.decode("utf-8", errors="replace"), stats)
    for ln in lines:
        print(ln)
    dropped = [f"{stats['garbled']} garbled"] if stats["garbled"] else []
    if stats["cut"]:
        dropped.append("the last line (no newline: cut)")
    note = f"; dropped {', '.join(dropped)}" if dropped else ""
    print(f"bench-log: {len(lines)} line(s){note}", file=sys.stderr)
    if not lines:
        print("bench-log: no bench: or JSON lines in the log", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
