# SPDX-License-Identifier: MIT
"""tests/conformance.py - apps/conformance's expected facts, and their checks.

    python3 tests/conformance.py --record [--build DIR]   # rewrite the file from this host
    python3 tests/conformance.py --host [--build DIR]     # this host against the file
    python3 tests/conformance.py --check                  # parse the file, nothing else
    python3 tests/conformance.py --self-test              # the checker's own tests

apps/conformance prints one fact per line, `<area>: <case>: <answer>`, and a
last line `conformance: N facts`. apps/conformance/linux-facts.txt (or the
file named by $CONFORMANCE_FACTS) holds every line it prints, with the
answers Linux gives. Most facts have one answer. A fact Linux answers in more
than one way (by version or configuration) lists each accepted answer with
the kernels or conditions that give it, and marks the one pagoda follows
(the file's header describes the format). tests/run.py uses it twice:

  conformance       (scenario) pagoda's lines, printed in QEMU, must be
                    exactly pagoda's answers, in order: no host involved.
  conformance-host  the program built with the host's cc and run under the
                    live Linux: every line must be one of the accepted
                    answers. An answer the file does not list is a skip that
                    names it (record it), never a failure: the verdict does
                    not depend on the host's kernel. A build failure, a crash
                    or a timeout of the host program is a failure.

--record runs the program on this host and rewrites the file: the facts in
the program's order, each keeping the answers and comment lines it had; a
new answer is added as a `linux:` answer with this kernel as its condition
(a single-answer fact becomes a list with the old answer as pagoda's).
"""

import argparse
import datetime
import functools
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "apps/conformance/main.c"
DEFAULT_FILE = REPO / "apps/conformance/linux-facts.txt"
CC = ["cc", "-O2", "-Wall", "-Wextra", "-Werror"]
HOST_TIMEOUT = 60.0

FACT_RE = re.compile(r"^([a-z]+): (.+?): (.+)$")   # area: case: answer
LIST_RE = re.compile(r"^([a-z]+): (.+):$")          # area: case:  (answers follow)
COUNT_RE = re.compile(r"^conformance: (\d+) facts$")
ANSWER_RE = re.compile(r"^\s+(pagoda|linux): (.+)$")
WHEN_RE = re.compile(r"^\s+when: (.+)$")
RECORDED = "# Recorded from: "

HEADER = """\
# apps/conformance/linux-facts.txt - every line apps/conformance prints, and
# the answers Linux gives. Checked by tests/conformance.py (docs/testing.md):
# pagoda, in QEMU, must print exactly pagoda's answers; the host's Linux may
# print any accepted answer.
#
{recorded}{kernel}, {date}
#   (python3 tests/conformance.py --record)
#
# Format. '#' lines are comments (--record keeps each with the fact below
# it); blank lines are ignored.
#  - A fact every Linux answers alike is its line, exactly as printed:
#        mmap: len=0: -1 EINVAL
#  - A fact Linux answers in more than one way (by version or configuration)
#    is its name, `<area>: <case>:`, then one indented line per accepted
#    answer, each followed by one or more `when:` lines naming the kernels or
#    conditions that give it. Exactly one answer is `pagoda:`, the one pagoda
#    prints (some Linux gives it too); the others are `linux:`.
#        mmap: some case:
#            pagoda: +0 rw-p 3p
#                when: read faults map the shared zero page
#            linux: +0 rw-p 1p, +1 rw-p 1p, +2 rw-p 1p
#                when: Linux 6.18.44-fc-v1272 x86_64: a read fault allocates a page
#    A comment above such a list says why pagoda follows the answer it does.
#  - The last line is `conformance: N facts`, N the number of facts above.
#
# A host whose Linux prints an answer not listed here makes the test
# `conformance-host` a skip naming the fact; run --record on it, then edit the
# `when:` lines it adds.
"""


class FactsError(Exception):
    """The facts file is malformed: the message names the file and line."""


class HostError(Exception):
    """The program could not be built or run on the host."""


@dataclass
class Answer:
    text: str
    pagoda: bool                    # the answer pagoda prints
    when: List[str] = field(default_factory=list)  # kernels/conditions giving it


@dataclass
class Fact:
    name: str                       # "<area>: <case>", or "conformance" (the count)
    answers: List[Answer]
    lineno: int = 0
    before: List[str] = field(default_factory=list)  # the comment lines above it

    @property
    def mine(self) -> str:
        """pagoda's answer."""
        return next(a.text for a in self.answers if a.pagoda)

    @property
    def accepted(self) -> List[str]:
        return [a.text for a in self.answers]

    def label(self, number: int) -> str:
        """`fact N (name)`, or `the count line`."""
        return "the count line" if self.name == "conformance" else f"fact {number} ({self.name})"


@dataclass
class Facts:
    entries: List[Fact]             # the facts, then the count line
    recorded: str = ""              # the kernel named in the header
    path: str = ""


# ---- the file -------------------------------------------------------------------
def split_line(line: str) -> Tuple[str, str]:
    """A printed line as (name, answer); (line, "") when it is no fact."""
    m = COUNT_RE.match(line)
    if m:
        return "conformance", f"{m.group(1)} facts"
    m = FACT_RE.match(line)
    return (f"{m.group(1)}: {m.group(2)}", m.group(3)) if m else (line, "")


def check_list(fact: Fact, path: str) -> None:
    """A fact with several answers: one pagoda's, distinct answers, each with when:."""
    where = f"{path}:{fact.lineno}"
    if len(fact.answers) < 2:
        raise FactsError(f"{where}: '{fact.name}:' lists {len(fact.answers)} answer(s); "
                         "a fact with one answer is written on one line")
    mine = [a for a in fact.answers if a.pagoda]
    if len(mine) != 1:
        raise FactsError(f"{where}: '{fact.name}' has {len(mine)} 'pagoda:' answers, "
                         "needs exactly one")
    if len(set(fact.accepted)) != len(fact.accepted):
        raise FactsError(f"{where}: '{fact.name}' lists an answer twice")
    for a in fact.answers:
        if not a.when:
            raise FactsError(f"{where}: '{fact.name}' answer '{a.text}' has no 'when:' line "
                             "naming the kernels or conditions that give it")


def parse_fact(line: str, n: int, where: str) -> Fact:
    """A fact's line, or the name line of a list (a fact with no answers yet)."""
    name, answer = split_line(line)
    if answer:
        return Fact(name, [Answer(answer, True)], n)
    m = LIST_RE.match(line)
    if not m:
        raise FactsError(f"{where}: not a fact ('<area>: <case>: <answer>', "
                         f"'<area>: <case>:' or 'conformance: N facts'): {line!r}")
    return Fact(f"{m.group(1)}: {m.group(2)}", [], n)


def parse_answer(fact: Optional[Fact], line: str, where: str) -> None:
    """An indented line: an answer of the list above, or a condition of its last answer."""
    if fact is None:
        raise FactsError(f"{where}: an indented line outside a list of answers")
    m, w = ANSWER_RE.match(line), WHEN_RE.match(line)
    if m:
        fact.answers.append(Answer(m.group(2), m.group(1) == "pagoda"))
    elif w and fact.answers:
        fact.answers[-1].when.append(w.group(1))
    else:
        raise FactsError(f"{where}: expected '    pagoda: ANSWER', '    linux: ANSWER' "
                         f"or '        when: CONDITION' after an answer, got {line!r}")


def parse(text: str, path: str = "<facts>") -> Facts:
    """The file's facts; FactsError names the line of the first mistake."""
    facts = Facts([], path=path)
    pending: List[str] = []         # comment lines not yet attached
    block: Optional[Fact] = None    # the list of answers being read
    header = True                   # the header ends at the first blank line
    for n, line in enumerate(text.split("\n"), 1):
        where = f"{path}:{n}"
        if line != line.rstrip():
            raise FactsError(f"{where}: trailing whitespace")
        if header and line.startswith("#"):
            facts.recorded = line[len(RECORDED):] if line.startswith(RECORDED) else facts.recorded
        elif not line:
            header = False          # blank lines are layout: render() makes them
        elif line.startswith("#"):
            pending.append(line)
        elif line[0].isspace():
            parse_answer(block, line, where)
        else:
            if block is not None:
                check_list(block, path)
            if facts.entries and facts.entries[-1].name == "conformance":
                raise FactsError(f"{where}: a line after the count line 'conformance: N facts'")
            fact = parse_fact(line, n, where)
            twice = [f.lineno for f in facts.entries if f.name == fact.name]
            if twice:
                raise FactsError(f"{where}: '{fact.name}' is listed twice (also line {twice[0]})")
            fact.before, pending, header = pending, [], False
            block = fact if not fact.answers else None
            facts.entries.append(fact)
    if block is not None:
        check_list(block, path)
    check_count(facts)
    return facts


def check_count(facts: Facts) -> None:
    """The last line is `conformance: N facts`, N the facts before it."""
    last = facts.entries[-1] if facts.entries else None
    if last is None or last.name != "conformance":
        raise FactsError(f"{facts.path}: the last line must be 'conformance: N facts'")
    n = len(facts.entries) - 1
    if last.mine != f"{n} facts":
        raise FactsError(f"{facts.path}:{last.lineno}: 'conformance: {last.mine}' but the "
                         f"file lists {n} facts")


def facts_path() -> Path:
    """$CONFORMANCE_FACTS, or apps/conformance/linux-facts.txt."""
    return Path(os.environ.get("CONFORMANCE_FACTS") or DEFAULT_FILE)


@functools.lru_cache(maxsize=None)
def load(path: Path) -> Facts:
    try:
        text = path.read_text()
    except OSError as e:
        raise FactsError(f"{path}: {e.strerror}") from None
    return parse(text[:-1] if text.endswith("\n") else text, display(path))


def display(path: Path) -> str:
    """The path relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def render(facts: Facts, kernel: str, date: str) -> str:
    """The file's text: the header, then each fact after its comment lines,
    a blank line before each area."""
    out = [HEADER.format(recorded=RECORDED, kernel=kernel, date=date)]
    for i, f in enumerate(facts.entries):
        if i and f.name.split(":")[0] != facts.entries[i - 1].name.split(":")[0]:
            out.append("")
        out += f.before
        if len(f.answers) == 1:
            out.append(f"{f.name}: {f.answers[0].text}")
            continue
        out.append(f"{f.name}:")
        for a in f.answers:
            out.append(f"    {'pagoda' if a.pagoda else 'linux'}: {a.text}")
            out += [f"        when: {w}" for w in a.when]
    return "\n".join(out) + "\n"


# ---- comparing -------------------------------------------------------------------
def quoted(answers: Sequence[str]) -> str:
    return " or ".join(f"'{a}'" for a in answers)


def differences(got: Sequence[str], facts: Facts, who: str, pagoda: bool) -> List[str]:
    """Where the printed lines leave the file: pagoda's answers, or any accepted one."""
    out = []
    for i, (line, fact) in enumerate(zip(got, facts.entries), 1):
        name, answer = split_line(line)
        if name != fact.name:
            out.append(f"line {i}: expected {fact.label(i)}, {who} printed '{line}' "
                       "(the program and the file list different facts)")
            return out
        want = [fact.mine] if pagoda else fact.accepted
        if answer not in want:
            out.append(f"{fact.label(i)}: {who} printed '{answer}', "
                       f"{'expected' if pagoda else 'the file accepts'} {quoted(want)}")
    if len(got) < len(facts.entries):
        nxt = facts.entries[len(got)]
        out.append(f"{who} stopped after {len(got)} lines; expected {nxt.label(len(got) + 1)}")
    elif len(got) > len(facts.entries):
        out.append(f"{who} printed {len(got) - len(facts.entries)} lines after the count line, "
                   f"the first '{got[len(facts.entries)]}'")
    return out


def summary(diffs: Sequence[str], most: int = 3) -> str:
    more = f"; and {len(diffs) - most} more" if len(diffs) > most else ""
    return "; ".join(diffs[:most]) + more


def console_facts(console: str) -> List[str]:
    """The fact lines of a QEMU console (the kernel's own lines have timestamps)."""
    return [ln for ln in console.replace("\r", "").split("\n")
            if re.match(r"^[a-z]+: ", ln) and not ln.startswith(("pagoda:", "vm:"))]


def check_pagoda(console: str) -> Optional[str]:
    """None when pagoda printed exactly pagoda's answers, in order."""
    try:
        facts = load(facts_path())
    except FactsError as e:
        return str(e)
    diffs = differences(console_facts(console), facts, "pagoda", pagoda=True)
    return f"{facts.path}: {summary(diffs)}" if diffs else None


# ---- the host ------------------------------------------------------------------------
def host_lines(build: Path) -> List[str]:
    """apps/conformance built with the host's cc into <build>, run here: its lines."""
    out = build / "conformance-host"
    build.mkdir(parents=True, exist_ok=True)
    try:
        cc = subprocess.run(CC + ["-o", str(out), str(SOURCE)], capture_output=True, text=True)
    except OSError as e:
        raise HostError(f"building apps/conformance for the host: {CC[0]}: {e.strerror}") from None
    if cc.returncode:
        raise HostError(f"building apps/conformance for the host failed: {cc.stderr.strip()}")
    try:
        run = subprocess.run([str(out)], capture_output=True, text=True, timeout=HOST_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise HostError(f"{out} still running after {HOST_TIMEOUT:.0f}s (killed)") from None
    if run.returncode:
        raise HostError(f"{out} exited {run.returncode} under Linux {os.uname().release}")
    return run.stdout.split("\n")[:-1]


def host_verdict(build: Path) -> Tuple[str, str]:
    """("ok", ""), ("skip", why: an unlisted answer) or ("fail", why)."""
    try:
        facts = load(facts_path())
        got = host_lines(build)
    except (FactsError, HostError) as e:
        return "fail", str(e)
    linux = f"Linux {os.uname().release}"
    diffs = differences(got, facts, "this host", pagoda=False)
    if not diffs:
        return "ok", ""
    return "skip", (f"{linux} gives an answer {facts.path} does not list: {summary(diffs)}; "
                    "record it there (python3 tests/conformance.py --record) "
                    "and say which kernels give it")


# ---- recording -------------------------------------------------------------------------
def merge(old: Facts, got: Sequence[str], kernel: str, date: str) -> Tuple[Facts, List[str]]:
    """The facts of `got` in its order, keeping old answers and comments; what changed."""
    by_name = {f.name: f for f in old.entries}
    new, notes = Facts([], kernel), []
    for line in got:
        name, answer = split_line(line)
        if not answer:
            raise HostError(f"the host printed a line that is no fact: {line!r}")
        f = by_name.pop(name, None)
        if f is None:
            f = Fact(name, [Answer(answer, True)])
            notes += [f"new fact: {line}"] if old.entries else []
        elif name == "conformance":
            f.answers = [Answer(answer, True)]
        elif answer not in f.accepted:
            if len(f.answers) == 1:
                f.answers[0].when = [f"as recorded before ({old.recorded or 'unknown kernel'})"]
            f.answers.append(Answer(answer, False, [f"{kernel} (recorded {date})"]))
            notes.append(f"new answer to '{name}': '{answer}' (edit its when: lines)")
        new.entries.append(f)
    notes += [f"dropped (not printed here): {name}" for name in by_name]
    return new, notes


def record(build: Path, path: Path) -> int:
    u = os.uname()
    kernel, date = f"{u.sysname} {u.release} {u.machine}", datetime.date.today().isoformat()
    try:
        old = load(path) if path.exists() else Facts([])
        new, notes = merge(old, host_lines(build), kernel, date)
        check_count(new)
    except (FactsError, HostError) as e:
        print(f"conformance: {e}", file=sys.stderr)
        return 1
    path.write_text(render(new, kernel, date))
    for n in notes:
        print(f"conformance: {n}")
    print(f"conformance: wrote {display(path)}: {len(new.entries) - 1} facts from {kernel}")
    return 0


# ---- the checker's own tests -------------------------------------------------------------
SAMPLE = """\
# Recorded from: Test 1.0 x
a: one: 1
a: two:
    pagoda: x
        when: zero page
    linux: y
        when: Test 1.0
        when: and others
conformance: 2 facts"""

BROKEN = {
    "wrong count": ("conformance: 2 facts", "conformance: 3 facts"),
    "no count line": ("\nconformance: 2 facts", ""),
    "two pagoda answers": ("linux: y", "pagoda: y"),
    "no pagoda answer": ("pagoda: x", "linux: x"),
    "an answer without when": ("        when: zero page\n", ""),
    "one answer only": ("    linux: y\n        when: Test 1.0\n        when: and others\n", ""),
    "an answer twice": ("linux: y", "linux: x"),
    "a fact twice": ("a: one: 1", "a: two: 1"),
    "not a fact": ("a: one: 1", "a one 1"),
    "indented outside a list": ("a: one: 1", "a: one: 1\n    linux: 2"),
    "when before an answer": ("    pagoda: x", "        when: first\n    pagoda: x"),
    "trailing whitespace": ("a: one: 1", "a: one: 1 "),
    "a line after the count": ("conformance: 2 facts", "conformance: 2 facts\na: three: 3"),
}


def self_test() -> int:
    """Malformed files are refused; wrong answers and unlisted ones are found."""
    bad = []
    facts = parse(SAMPLE, "sample")
    good = ["a: one: 1", "a: two: x", "conformance: 2 facts"]
    cases = [
        ("pagoda's answers", differences(good, facts, "pagoda", True), 0),
        ("pagoda printing the linux answer", differences(
            ["a: one: 1", "a: two: y", "conformance: 2 facts"], facts, "pagoda", True), 1),
        ("the host printing the linux answer", differences(
            ["a: one: 1", "a: two: y", "conformance: 2 facts"], facts, "host", False), 0),
        ("an unlisted answer", differences(
            ["a: one: 2", "a: two: z", "conformance: 2 facts"], facts, "host", False), 2),
        ("a missing line", differences(good[:2], facts, "pagoda", True), 1),
        ("another fact", differences(["a: uno: 1"] + good[1:], facts, "pagoda", True), 1),
    ]
    for what, diffs, want in cases:
        if len(diffs) != want:
            bad.append(f"{what}: {len(diffs)} differences, expected {want}: {diffs}")
    for what, (old, new) in BROKEN.items():
        assert old in SAMPLE, what
        try:
            parse(SAMPLE.replace(old, new, 1), "sample")
            bad.append(f"{what}: accepted")
        except FactsError:
            pass
    for b in bad:
        print(f"conformance self-test: FAIL {b}")
    print(f"conformance self-test: {len(cases) + len(BROKEN) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", action="store_true", help="rewrite the file from this host")
    what.add_argument("--host", action="store_true", help="check this host against the file")
    what.add_argument("--check", action="store_true", help="parse the file")
    what.add_argument("--self-test", action="store_true", help="the checker's own tests")
    ap.add_argument("--build", default="build",
                    help="where the host program is built (default build)")
    args = ap.parse_args()
    build, path = Path(args.build).resolve(), facts_path()
    if args.self_test:
        return self_test()
    if args.record:
        return record(build, path)
    if args.host:
        kind, why = host_verdict(build)
        print(f"conformance-host: {kind}" + (f": {why}" if why else ""))
        return 1 if kind == "fail" else 0
    try:
        facts = load(path)
    except FactsError as e:
        print(f"conformance: {e}", file=sys.stderr)
        return 1
    print(f"conformance: {facts.path}: {len(facts.entries) - 1} facts, "
          f"{sum(len(f.answers) > 1 for f in facts.entries)} with several answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
