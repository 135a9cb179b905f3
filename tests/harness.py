# SPDX-License-Identifier: MIT
"""tests/harness.py - what every group of tests/run.py stands on: running a
process with a timeout, the context of a run, and the report.

  run_process   argv in its own process group, stdout and stderr together,
                typed input (`interact`), killed at its timeout or when it
                is still running EXIT_GRACE seconds after printing
                `pagoda: exit status N` (watch_status): a hang is a failure,
                never a stuck run. Returns a Run.
  kill_group    SIGTERM, then SIGKILL, to a process's whole group.
  check_run     did it start, and leave by itself? (an error, or None)
  Context       the parsed command line, the build folder, the app images
                built for the scenarios, a work folder per test.
  Report        one line per result (`ok   name (1.2s)`, `FAIL name:
                reason` with the console's last TAIL_LINES lines, `skip
                name: reason`) and the counts of the last line.
"""

import argparse
import os
import re
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent

EXIT_GRACE = 5.0  # seconds QEMU may keep running after the status line
TAIL_LINES = 30

STATUS_RE = re.compile(r"pagoda: exit status (-?\d+)")


# ---- output ------------------------------------------------------------------
class Report:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.passed = self.failed = self.skipped = 0
        self.lock = threading.Lock()

    def line(self, text: str = "") -> None:
        with self.lock:
            print(text, flush=True)

    def ok(self, name: str, secs: Optional[float] = None) -> None:
        self.passed += 1
        self.line(f"ok   {name}" + (f" ({secs:.1f}s)" if secs is not None else ""))

    def fail(self, name: str, reason: str, console: Optional[str] = None,
             log: Optional[Path] = None) -> None:
        self.failed += 1
        out = [f"FAIL {name}: {reason}"]
        if console is not None and not console.strip():
            out.append("    | (no console output)")
        elif console is not None:
            lines = console.rstrip("\n").split("\n")
            if not self.verbose and len(lines) > TAIL_LINES:
                out.append(f"    | ... ({len(lines) - TAIL_LINES} lines before; "
                           f"-v for all{f', or {log}' if log else ''})")
                lines = lines[-TAIL_LINES:]
            out += [f"    | {ln}" for ln in lines]
        self.line("\n".join(out))

    def skip(self, name: str, reason: str) -> None:
        self.skipped += 1
        self.line(f"skip {name}: {reason}")


# ---- running a process with a timeout ----------------------------------------
@dataclass
class Run:
    console: str = ""
    rc: Optional[int] = None        # None when the runner had to kill it
    timed_out: bool = False
    hung_after_status: bool = False
    secs: float = 0.0
    error: Optional[str] = None     # could not start


def kill_group(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue


def run_process(argv: Sequence[str], timeout: float, cwd: Path = REPO,
                interact: Sequence[Tuple[str, str]] = (),
                watch_status: bool = False) -> Run:
    """Run argv in its own process group, stdout and stderr together.

    Typed input follows `interact`. With watch_status, the process gets
    EXIT_GRACE seconds after printing the status line to exit by itself.
    """
    r = Run()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
    except OSError as e:
        r.error = f"cannot run {argv[0]}: {e}"
        return r
    buf = bytearray()
    fd = proc.stdout.fileno()
    steps = list(interact)
    pos = 0  # interaction: where the next pattern is looked for
    status_at = None
    eof = False
    try:
        while not eof:
            now = time.monotonic()
            if now - start > timeout:
                r.timed_out = True
                break
            if status_at is not None and now - status_at > EXIT_GRACE:
                r.hung_after_status = True
                break
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                eof = True
                break
            buf += data
            if steps or (watch_status and status_at is None):
                text = buf.decode("utf-8", "replace")
                while steps:
                    m = re.search(steps[0][0], text[pos:], re.M)
                    if not m:
                        break
                    pos += m.end()
                    try:
                        proc.stdin.write(steps.pop(0)[1].encode())
                        proc.stdin.flush()
                    except OSError:  # it exited already: the checks will say
                        steps = []
                if watch_status and status_at is None and STATUS_RE.search(text):
                    status_at = time.monotonic()
        if eof:
            try:
                left = max(0.1, timeout - (time.monotonic() - start))
                r.rc = proc.wait(timeout=left)
            except subprocess.TimeoutExpired:
                r.timed_out = True
    except OSError as e:
        r.error = f"reading from {argv[0]}: {e}"
    finally:
        if proc.poll() is None:
            kill_group(proc)
        else:
            r.rc = proc.returncode
            # anything still buffered
            try:
                while True:
                    ready, _, _ = select.select([fd], [], [], 0)
                    data = os.read(fd, 65536) if ready else b""
                    if not data:
                        break
                    buf += data
            except OSError:
                pass
        if r.timed_out or r.hung_after_status:
            r.rc = None
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass
    r.secs = time.monotonic() - start
    r.console = buf.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    return r


def check_run(run: Run, timeout: float) -> Optional[str]:
    """Did the process start, and leave by itself? (an error, or None)"""
    if run.error:
        return run.error
    if run.timed_out:
        return f"timed out after {timeout:.0f}s (killed)"
    if run.hung_after_status:
        return (f"QEMU still running {EXIT_GRACE:.0f}s after the status line "
                "(shutdown hung; killed)")
    return None


# ---- the context of a run -----------------------------------------------------
class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        build = Path(args.build)
        self.build = build if build.is_absolute() else (Path.cwd() / build)
        self.build = Path(os.path.normpath(self.build))
        self.qemu = args.qemu
        self.app_images: dict = {}   # app name -> its image
        self.app_errors: dict = {}   # app name -> why there is no image
        self.made: dict = {}         # make target -> None (made) or why it failed

    def make_build_arg(self) -> str:
        """BUILD= for make, relative to the repository when inside it."""
        try:
            return str(self.build.relative_to(REPO))
        except ValueError:
            return str(self.build)

    def workdir(self, name: str) -> Path:
        d = self.build / "tests" / name
        d.mkdir(parents=True, exist_ok=True)
        return d
