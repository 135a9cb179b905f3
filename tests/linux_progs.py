# SPDX-License-Identifier: MIT
"""tests/linux_progs.py - the proof against Linux: the programs of
tests/linux/ (its README.md), each built against glibc and musl
(tests/linux/progs.mk), run under qemu-riscv64 (Linux's ABI as QEMU's
user mode emulates it) and on pagoda, one boot per program per libc.

The scenario linuxprog-LIBC-NAME boots `make ELF=<build>/linux-progs/LIBC/NAME`
(prepare_progs in qemu.py) and its check, same_as_linux, runs the same file
under qemu-riscv64 with a pseudo-terminal as stdout and stderr (pagoda's
console is a terminal too: the same buffering, stderr in its place), the
same argv[0], arguments and environment (pagoda's init environment, HOME=/
and TERM=linux, then the scenario's words). The program's lines on
pagoda's console (the lines after `pagoda: booting`, kernel log lines
left out) must be the same lines, in order, except that a line marked
`~ LABEL: ...` matches any line `~ LABEL: ...` (time, addresses, /proc
numbers); its status (128 + the signal for a program a signal ended) must
be the scenario's, under QEMU as on pagoda.
"""

import os
import pty
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from qemu import Scenario, with_ctx

LIBCS = ("glibc", "musl")
# the same programs with pagoda's malloc linked in (tests/linux/progs.mk)
WITH_PAGODA = LIBCS + ("glibc-pagoda", "musl-pagoda")
INIT_ENV = (("HOME", "/"), ("TERM", "linux"))  # pagoda's, as Linux gives init
MARK = "~ "
KERNEL_LOG_RE = re.compile(r"^\[\s*\d+\.\d+\] ")
NOT_IMPLEMENTED = re.compile(r"pagoda: system call \d+ is not implemented.*$", re.M)


def all_implemented(console: str) -> Optional[str]:
    """No call the program made was unknown to pagoda (each such line
    quoted)."""
    found = NOT_IMPLEMENTED.findall(console)
    return f"the console says {found}" if found else None


@dataclass
class Prog:
    name: str                      # tests/linux/NAME.c or NAME.cpp
    status: int = 0                # under qemu-riscv64 and on pagoda
    args: Sequence[str] = ()       # argv[1..]
    env: Sequence[str] = ()        # KEY=VALUE words after HOME and TERM
    libcs: Sequence[str] = LIBCS
    pagoda_expect: Sequence[str] = ()  # more regexes for pagoda's console


def run_in_pty(argv: Sequence[str], env: dict, timeout: float) -> Tuple[int, str]:
    """argv with a new pseudo-terminal as stdout and stderr, stdin
    /dev/null: (status as a shell gives it, what it printed, \\r\\n as \\n)."""
    master, slave = pty.openpty()
    try:
        p = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=slave,
                             stderr=slave, env=env, close_fds=True, start_new_session=True)
    finally:
        os.close(slave)
    out = bytearray()
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            out += chunk
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        rc = -9
    finally:
        os.close(master)
    text = out.decode(errors="replace").replace("\r\n", "\n")
    return (128 - rc if rc < 0 else rc), text


def console_lines(console: str) -> List[str]:
    """The program's lines on pagoda's console: after `pagoda: booting`,
    without kernel log lines, up to the status line."""
    lines = [ln.rstrip("\r") for ln in console.split("\n")]
    start = next((i + 1 for i, ln in enumerate(lines) if "pagoda: booting on hart" in ln), 0)
    app = [ln for ln in lines[start:] if not KERNEL_LOG_RE.match(ln)]
    while app and app[-1] == "":
        app.pop()
    return app


def label(line: str) -> str:
    """A marked line's label: what follows the mark up to the first ': '."""
    rest = line[len(MARK):]
    return rest.split(": ", 1)[0] if ": " in rest else ""


def compare(want: List[str], got: List[str]) -> Optional[str]:
    """None when got is want, marked lines matching by label."""
    for i, (w, g) in enumerate(zip(want, got)):
        if w.startswith(MARK):
            if not g.startswith(MARK) or label(g) != label(w):
                return f"line {i + 1}: Linux has {w!r}, pagoda {g!r} (a marked line)"
        elif w != g:
            return f"line {i + 1}: Linux has {w!r}, pagoda {g!r}"
    if len(want) != len(got):
        extra = want[len(got)] if len(want) > len(got) else got[len(want)]
        who = "Linux" if len(want) > len(got) else "pagoda"
        return (f"Linux printed {len(want)} lines, pagoda {len(got)}; "
                f"line {min(len(want), len(got)) + 1} only {who} has: {extra!r}")
    return None


def same_as_linux(prog: Prog, libc: str):
    @with_ctx
    def check(ctx, console: str) -> Optional[str]:
        elf = ctx.build / "linux-progs" / libc / prog.name
        qemu_user = shutil.which("qemu-riscv64")
        if not qemu_user:
            return "no qemu-riscv64 (make deps: Debian's qemu-user)"
        words = list(INIT_ENV) + [tuple(w.split("=", 1)) for w in prog.env]
        # qemu-riscv64 (7.2) hands its environment to the program in
        # reverse order (its envlist): given reversed, the program sees
        # Linux's order
        env = dict(reversed(words))
        status, out = run_in_pty([qemu_user, "-0", prog.name, str(elf), *prog.args], env,
                                 ctx.args.timeout)
        want = out.split("\n")
        while want and want[-1] == "":
            want.pop()
        # QEMU's own words on a signal that ended the program
        want = [ln for ln in want if not ln.startswith("qemu: uncaught target signal")]
        if status != prog.status:
            return (f"under qemu-riscv64 {libc}/{prog.name} exited {status}, expected "
                    f"{prog.status}: {want[-3:]}")
        if not want:
            return f"under qemu-riscv64 {libc}/{prog.name} printed nothing"
        diff = compare(want, console_lines(console))
        return f"{libc}/{prog.name}: {diff}" if diff else None
    return check


def scenario(prog: Prog, libc: str) -> Scenario:
    words = " ".join(prog.env)
    argv = " ".join(prog.args)
    return Scenario(
        f"linuxprog-{libc}-{prog.name}", prog.status,
        kernel=f"{{prog:{libc}/{prog.name}}}", needs=(f"prog:{libc}/{prog.name}",),
        append=" ".join(x for x in (words, "--" if argv else "", argv) if x) or None,
        expect=tuple(prog.pagoda_expect),
        checks=(all_implemented, same_as_linux(prog, libc)))


# The programs, in tests/linux/'s README order. Threads (pthreads) and
# signals from faults (segv) need what pagoda does not do yet.
PROGRAMS = [
    Prog("hello", 3, args=("3", "x")),
    Prog("env", args=("one", "two"), env=("PAGODA_TEST=x",)),
    Prog("malloc", libcs=WITH_PAGODA),
    Prog("proc"),
    Prog("time"),
    Prog("abort", 134),
    Prog("setjmp"),
    Prog("numbers"),
    Prog("cxx", 5, libcs=("glibc",)),  # Debian's libstdc++ is glibc's
    Prog("pthreads"),
    Prog("threadmalloc", libcs=WITH_PAGODA),
    # Linux blocks sa_mask in the handler; qemu-riscv64 loses glibc's
    # (the line is marked), so pagoda's answer is checked here
    Prog("signal", pagoda_expect=(r"^~ signal: inside the handler, SIGUSR2 \(sa_mask\) "
                                  r"blocked: yes$",)),
    Prog("segv"),
]

SCENARIOS = [scenario(p, libc) for p in PROGRAMS for libc in p.libcs]
