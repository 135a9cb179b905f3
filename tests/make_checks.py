# SPDX-License-Identifier: MIT
"""tests/make_checks.py - the Makefile as a user meets it: the group "make".

    python3 tests/run.py --build build --only make [-k NAME]

Each check is one result, `make/<name>`, and runs make (and for some QEMU)
the way a user would type it, against <build> (WERROR=1, as `make test`
builds it) or a build folder of its own under <build>/tests/make/. What a
check asserts could fail: the message make prints, its exit status, no
folder left behind, QEMU not even started (a stand-in QEMU that would record
that it ran), the kernel command line the image printed, the app's output
and status.

  default-app           `make run` as typed, no APP and no ARGS, boots
                        apps/memtour (the tour's nine steps, status 0)
                        with the default swap disk attached; the checks
                        that boot to a status name APP=hello.
  no-app, no-app-path   APP= names nothing: the Makefile's "no app" message
                        last, listing the apps; no build/apps/NAME folder.
  mem-too-small         MEM=4M: refused with the smallest size that boots
                        (5M), QEMU not started; mem-sizes: the suffixes
                        QEMU takes are accepted (make -n), smaller and
                        unreadable sizes refused; mem-5M-boots: the
                        smallest size does boot.
  sifive_u              MACHINE=sifive_u as typed (SMP follows: 2) boots
                        hello to its status.
  dtb-truncated, dtb-damaged, dtb-missing
                        DTB= a blob cut short, with a bad tag, or no file:
                        dtc's verdict, QEMU not started; dtb-good: a good
                        blob reaches QEMU's -dtb.
  env                   ENV= words on the command line after BOOTARGS and
                        before "--" (the image's `bootargs:` line); env-refused:
                        a word that is no KEY=VALUE, or is a boot option.
  stdin                 STDIN=file: QEMU's -initrd and stdin=initrd among
                        the options; an app of its own reads descriptor 0 to
                        its end: every byte of the file, then end of file.
                        An empty file or /dev/null: stdin=null, no initrd.
                        stdin-missing: no such file, or no regular file.
  help                  make help lists every boot option of
                        boot/bootargs.c with its comment, and the knobs.
  swap-disk             SWAP=0: no -drive on QEMU's line; SWAP=64M: the
                        swap image as a virtio-blk device, but not on
                        sifive_u (no virtio bus there). swap-image: make
                        <build>/swap.img in a folder of its own makes a
                        file of SWAP bytes with mkswap's header (SWAPSPACE2
                        at 4086, version 1, last_page, the label), keeps it
                        for the same SWAP and makes it again for another.
                        swap-refused: SWAP= no size, or below mkswap's 40K.
  board-image           make image BOARD=visionfive2 and BOARD=unmatched:
                        the vendor dtb, setenv bootargs from ARGS, the load
                        and booti commands, kept in <build>/boot-BOARD.txt;
                        board-refused: an unknown BOARD, and make run BOARD=.
  readme-app-*          the example app of README.md's "Adding an app",
                        taken from its ```c block into a folder outside
                        apps/: builds with APP=<path> and a warning, boots,
                        prints and exits as README says; with WERROR=1 the
                        same source fails. longjmp-app: a function that
                        leaves through longjmp (-Winfinite-recursion) the
                        same way.
  elf-missing           ELF= names no file: refused before anything is
                        built, QEMU not started.
  elf-run               make run ELF=<a static glibc program the check
                        links from apps/linux-hello/main.c> ARGS=...: the
                        program's output and its status.
  linux-cxx-app         a folder outside apps/ with an empty linux.mk and a
                        .cpp file: built by riscv64-linux-gnu-g++ -static
                        (make's "CXX ... glibc" line), runs to its status.
  app-libc-refused      APP_LIBC= neither glibc nor musl, musl for a
                        picolibc app or an ELF=, musl for a folder with C++
                        (Debian's libstdc++ is glibc's): each refused with
                        its message, QEMU not started.
  lua-elf-made          ELF=<a build folder>/lua/lua-glibc before make lua:
                        accepted, and make -n plans the fetch of lua5.4 and
                        the link; lua-other in the same folder is refused.
  lua-run               docs/linux-programs.md's command: make run
                        ELF=<build>/lua/lua-glibc ARGS=- STDIN=tests/lua/
                        math.lua prints the script's last line, status 0.
"""

import os
import re
import struct
import subprocess
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

from harness import REPO, STATUS_RE, kill_group
BOOTARGS_RE = re.compile(r'console: \S+; bootargs: "(.*)"')

# README.md: the section and the output its example promises.
README_SECTION = "## Adding an app"
README_APP = "count"              # the folder the README tells the user to make
README_ARGS = "a b c"
README_OUTPUT = r"^count: 3 arguments$"
README_STATUS = 3
README_WARNING = "warning: unused parameter 'argv' [-Wunused-parameter]"
README_ERROR = "error: unused parameter 'argv' [-Werror=unused-parameter]"

LONGJMP_APP = """\
/* A function that leaves only through longjmp: -Winfinite-recursion. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf out;

static void dive(int depth)
{
	if (depth == 3)
		longjmp(out, depth);
	dive(depth + 1);
}

int main(void)
{
	int got = setjmp(out);

	if (got == 0)
		dive(0);
	printf("jump: back from depth %d\\n", got);
	return got;
}
"""
STDIN_APP = """\
/* Its standard input to the end, in hex, 32 bytes a line. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned char buf[32];
	long total = 0, n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		printf("hexin: ");
		for (long i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\\n");
		total += n;
	}
	printf("hexin: %ld bytes, then %s\\n", total, n ? "an error" : "end of file");
	return n ? 1 : 9;
}
"""

LONGJMP_WARNING = "warning: infinite recursion detected [-Winfinite-recursion]"
LONGJMP_ERROR = "error: infinite recursion detected [-Werror=infinite-recursion]"

FAKE_QEMU = """\
#!/bin/sh
# tests/make_checks.py: a QEMU that only says it was started.
echo "$@" >>"{marker}"
"""


class Failed(Exception):
    """A check's assertion failed: the reason, and the output to show."""

    def __init__(self, reason: str, output: Optional[str] = None):
        super().__init__(reason)
        self.reason = reason
        self.output = output


def run(argv: Sequence[str], timeout: float, stdin=subprocess.DEVNULL) -> Tuple[Optional[int], str]:
    """argv in its own process group (make and its QEMU), output merged.
    Returns (exit code, output); the code is None after a timeout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    proc = subprocess.Popen(list(argv), cwd=REPO, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        out, _ = proc.communicate(timeout=timeout)
        rc: Optional[int] = proc.returncode
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, _ = proc.communicate()
        rc = None
    text = out.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    return rc, text


def last_line(text: str) -> str:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return lines[-1] if lines else ""


def boot_options() -> List[Tuple[str, str]]:
    """boot/bootargs.c's bootargs_known[]: (name, comment), read here on our own."""
    src = (REPO / "boot/bootargs.c").read_text()
    m = re.search(r"bootargs_known\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
    if not m:
        raise Failed("no bootargs_known[] in boot/bootargs.c")
    out = []
    for ln in m.group(1).split("\n"):
        e = re.match(r'\s*"([^"]*)",\s*(?:/\*\s*(.*?)\s*\*/)?\s*$', ln)
        if e:
            out.append((e.group(1), e.group(2) or ""))
    return out


def readme_example() -> str:
    """The first ```c block of README.md's "Adding an app"."""
    text = (REPO / "README.md").read_text()
    start = text.find("\n" + README_SECTION + "\n")
    if start < 0:
        raise Failed(f"README.md has no '{README_SECTION}' section")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else len(text)]
    m = re.search(r"^```c\n(.*?)^```$", section, re.S | re.M)
    if not m:
        raise Failed(f"README.md's '{README_SECTION}' has no ```c block")
    return m.group(1)


class Checks:
    def __init__(self, ctx, rep):
        self.ctx = ctx
        self.rep = rep
        self.work = ctx.workdir("make")
        self.jobs = str(max(1, os.cpu_count() or 1))
        self.marker = self.work / "qemu-started"
        self.fake_qemu = self.work / "fake-qemu"
        self.fake_qemu.write_text(FAKE_QEMU.format(marker=self.marker))
        self.fake_qemu.chmod(0o755)
        libfdt = ctx.build / "libfdt/src"
        self.libfdt = [f"LIBFDT_SRC={libfdt}"] if libfdt.is_dir() else []

    # ---- running make ----------------------------------------------------------
    def make(self, *args: str, build: Optional[Path] = None, strict: Optional[bool] = True,
             timeout: Optional[float] = None) -> Tuple[Optional[int], str]:
        """make ARGS against <build> (or build=...). strict: WERROR=1, False:
        WERROR=0, None: the Makefile's default."""
        argv = [self.ctx.args.make, "--no-print-directory", f"-j{self.jobs}",
                f"BUILD={build or self.ctx.make_build_arg()}"] + self.libfdt
        if strict is not None:
            argv.append(f"WERROR={1 if strict else 0}")
        rc, out = run(argv + list(args), timeout or self.ctx.args.host_timeout)
        return rc, f"$ {' '.join(argv + list(args))}\n{out}"

    def refused(self, out: str, rc: Optional[int], want: str) -> None:
        """make failed, said `want` (a regex), and QEMU never started."""
        if rc is None:
            raise Failed("make timed out", out)
        if rc == 0:
            raise Failed("make succeeded", out)
        if not re.search(want, out, re.M):
            raise Failed(f"no /{want}/ in make's output", out)
        if self.marker.exists():
            raise Failed(f"QEMU was started: {self.marker.read_text().strip()}", out)

    def fake(self, *args: str) -> Tuple[Optional[int], str]:
        """make run with the stand-in QEMU, the marker cleared first."""
        self.marker.unlink(missing_ok=True)
        return self.make("run", f"QEMU={self.fake_qemu}", *args)

    def dry_run(self, *args: str) -> str:
        """make -n run: the QEMU command line it would run."""
        rc, out = self.make("-n", "run", *args)
        lines = [ln for ln in out.split("\n")[1:] if re.match(r"^\S*qemu-system-riscv64 ", ln)]
        if rc != 0 or len(lines) != 1:
            raise Failed(f"make -n run {' '.join(args)} exited {rc} with "
                         f"{len(lines)} QEMU lines", out)
        return lines[0]

    def boot(self, *args: str, build: Optional[Path] = None,
             strict: Optional[bool] = True) -> Tuple[Optional[int], str]:
        """make run for real, QEMU and all."""
        rc, out = self.make("run", *args, build=build, strict=strict,
                            timeout=self.ctx.args.timeout + 60)
        if rc is None:
            raise Failed("make run timed out (QEMU killed)", out)
        return rc, out

    @staticmethod
    def status(out: str, want: int) -> None:
        found = STATUS_RE.findall(out)
        if found != [str(want)]:
            raise Failed(f"status lines {found}, expected one 'pagoda: exit status {want}'", out)

    @staticmethod
    def make_exit(out: str, rc: Optional[int], status: int) -> None:
        """make run's result: QEMU's exit code is the status (make: Error N)."""
        if status == 0 and rc != 0:
            raise Failed(f"make run exited {rc}, QEMU should have exited 0", out)
        if status and (rc == 0 or not re.search(rf"\] Error {status}$", out, re.M)):
            raise Failed(f"make run exited {rc} without 'Error {status}' (QEMU's exit code)", out)

    @staticmethod
    def cmdline(out: str) -> str:
        m = BOOTARGS_RE.search(out)
        if not m:
            raise Failed("no 'bootargs:' line on the console", out)
        return m.group(1)

    # ---- the checks ------------------------------------------------------------
    def no_app(self) -> None:
        stray = self.ctx.build / "apps/nonexistent"
        if stray.exists():
            subprocess.run(["rm", "-rf", str(stray)])
        rc, out = self.fake("APP=nonexistent")
        self.refused(out, rc, r"no app 'nonexistent'")
        last = last_line(out)
        m = re.search(r"\*\*\* no app 'nonexistent': apps/ has ([\w -]+);", last)
        if not m:
            raise Failed(f"the last line is not the 'no app' message: {last!r}", out)
        apps = sorted(d.name for d in (REPO / "apps").iterdir()
                      if d.is_dir() and d.name != "runtime")
        if sorted(m.group(1).split()) != apps:
            raise Failed(f"the message lists {m.group(1)!r}, apps/ has {' '.join(apps)}", out)
        if stray.exists():
            raise Failed(f"{stray} was created", out)

    def no_app_path(self) -> None:
        path = self.work / "no-such-app"
        stray = self.ctx.build / "apps/no-such-app"
        rc, out = self.fake(f"APP={path}")
        self.refused(out, rc, rf"no app '{re.escape(str(path))}': "
                              rf"{re.escape(str(path))} is not a folder with \.c files")
        if stray.exists():
            raise Failed(f"{stray} was created", out)

    def mem_too_small(self) -> None:
        rc, out = self.fake("MEM=4M")
        self.refused(out, rc, r"\*\*\* MEM=4M is too small: pagoda boots with MEM=5M or more")
        rc, out = self.fake("MEM=lots")
        self.refused(out, rc, r"\*\*\* MEM=lots is not a size")

    def mem_sizes(self) -> None:
        for mem in ("5M", "5120K", "0.5G", "6g", "512", "268435456B"):
            line = self.dry_run(f"MEM={mem}")
            if f" -m {mem} " not in line:
                raise Failed(f"MEM={mem}: no '-m {mem}' in {line!r}")
        for mem in ("5119K", "4M", "3", "5242879B", "5M5", "-1G"):
            self.marker.unlink(missing_ok=True)
            rc, out = self.make("-n", "run", f"MEM={mem}")
            self.refused(out, rc, rf"\*\*\* MEM={re.escape(mem)} is (too small|not a size)")

    def default_app(self) -> None:
        rc, out = self.boot()
        if not re.search(r"^\[[ \d.]+\] Adding \d+k swap on /dev/vda\.", out, re.M):
            raise Failed("no swap area at boot: make run attaches build/swap.img by default", out)
        steps = re.findall(r"^== (\d)/9 ", out, re.M)
        if steps != [str(n) for n in range(1, 10)] or \
                not re.search(r"^memtour: the end", out, re.M):
            raise Failed(f"apps/memtour did not run its nine steps (saw {steps})", out)
        self.status(out, 0)
        self.make_exit(out, rc, 0)

    def mem_5m_boots(self) -> None:
        rc, out = self.boot("APP=hello", "MEM=5M", "ARGS=7")
        self.status(out, 7)
        self.make_exit(out, rc, 7)

    def sifive_u(self) -> None:
        rc, out = self.boot("APP=hello", "MACHINE=sifive_u", "ARGS=6 x")
        if not re.search(r"harts: 2 in the tree, 1 enabled; booting on hart 1 ", out):
            raise Failed("no 'harts: 2 in the tree, 1 enabled' (SMP=2 on sifive_u)", out)
        if not re.search(r"^hello: exiting with status 6$", out, re.M):
            raise Failed("hello did not run to its status", out)
        self.status(out, 6)
        if rc != 0:  # sifive_u has no finisher: QEMU exits 0
            raise Failed(f"make run exited {rc} on sifive_u (QEMU exits 0 there)", out)

    def good_dtb(self) -> Path:
        out = self.work / "good.dtb"
        p = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out),
                            str(REPO / "virt.dts")], capture_output=True, text=True)
        if p.returncode:
            raise Failed(f"dtc virt.dts: {p.stderr.strip()}")
        return out

    def dtb_truncated(self) -> None:
        cut = self.work / "truncated.dtb"
        cut.write_bytes(self.good_dtb().read_bytes()[:700])
        rc, out = self.fake(f"DTB={cut}")
        self.refused(out, rc, rf"\*\*\* DTB={re.escape(str(cut))}: not a device tree blob "
                              r"firmware can read \(dtc: EOF before reading \d+ bytes.*QEMU not started")

    def dtb_damaged(self) -> None:
        blob = bytearray(self.good_dtb().read_bytes())
        off_struct = struct.unpack_from(">I", blob, 8)[0]
        # the root node: FDT_BEGIN_NODE and an empty name, then its first property
        if struct.unpack_from(">II", blob, off_struct) != (1, 0):
            raise Failed("virt.dts: the structure block does not open with the root node")
        struct.pack_into(">I", blob, off_struct + 8, 0xbad0bad0)
        bad = self.work / "damaged.dtb"
        bad.write_bytes(blob)
        rc, out = self.fake(f"DTB={bad}")
        self.refused(out, rc, rf"\*\*\* DTB={re.escape(str(bad))}: not a device tree blob "
                              r"firmware can read \(dtc: .*bad0bad0.*QEMU not started")

    def dtb_missing(self) -> None:
        none = self.work / "no-such.dtb"
        rc, out = self.fake(f"DTB={none}")
        self.refused(out, rc, rf"\*\*\* DTB={re.escape(str(none))}: no such file; QEMU not started")

    def dtb_good(self) -> None:
        good = self.good_dtb()
        rc, out = self.fake(f"DTB={good}")
        started = self.marker.read_text() if self.marker.exists() else ""
        if rc != 0 or f"-dtb {good}" not in started:
            raise Failed(f"make run exited {rc}; QEMU started with {started.strip()!r}", out)

    def env(self) -> None:
        rc, out = self.boot("APP=hello", "BOOTARGS=loglevel=6", "ENV=HOME=/ TERM=dumb", "ARGS=4 x")
        line = self.cmdline(out)
        if line != "loglevel=6 HOME=/ TERM=dumb -- 4 x":
            raise Failed(f'bootargs "{line}", expected "loglevel=6 HOME=/ TERM=dumb -- 4 x"', out)
        self.status(out, 4)
        self.make_exit(out, rc, 4)

    def env_refused(self) -> None:
        rc, out = self.fake("ENV=HOME=/ oops")
        self.refused(out, rc, r"\*\*\* ENV=\"HOME=/ oops\": each word is KEY=VALUE, and 'oops' is not")
        rc, out = self.fake("ENV=mem=1G")
        self.refused(out, rc, r"\*\*\* ENV=\"mem=1G\": mem=1G is a boot option")

    def stdin(self) -> None:
        data = b"\x01x\x03\x04\r\n\0" + bytes(range(256)) * 3 + b"\xff\x00"
        f = self.work / "stdin.bin"
        f.write_bytes(data)
        line = self.dry_run(f"STDIN={f}", "ENV=A=b", "ARGS=5")
        for want in (f"-initrd '{f}'", "-append 'stdin=initrd A=b -- 5'", "-nographic"):
            if want not in line:
                raise Failed(f"no {want} in {line!r}")
        folder = self.app_folder("hexin", STDIN_APP)
        rc, out = self.boot(f"APP={folder}", f"STDIN={f}", build=self.work / "build",
                            strict=None)
        if self.cmdline(out) != "stdin=initrd":
            raise Failed(f'bootargs "{self.cmdline(out)}", expected "stdin=initrd"', out)
        got = "".join(re.findall(r"^hexin: ([0-9a-f]+)$", out, re.M))
        if got != data.hex():
            raise Failed(f"the app read {len(got) // 2} bytes that differ from the "
                         f"file's {len(data)}", out)
        if not re.search(rf"^hexin: {len(data)} bytes, then end of file$", out, re.M):
            raise Failed(f"no 'hexin: {len(data)} bytes, then end of file'", out)
        self.status(out, 9)
        self.make_exit(out, rc, 9)
        # an empty file (or /dev/null) is no initrd to QEMU: stdin=null
        empty = self.work / "empty"
        empty.write_bytes(b"")
        for name in (str(empty), "/dev/null"):
            line = self.dry_run(f"STDIN={name}", "ARGS=5")
            if "-append 'stdin=null -- 5'" not in line or "-initrd" in line:
                raise Failed(f"STDIN={name}: expected stdin=null and no -initrd in {line!r}")

    def stdin_missing(self) -> None:
        none = self.work / "no-such-input"
        rc, out = self.fake(f"STDIN={none}")
        self.refused(out, rc, rf"\*\*\* STDIN={re.escape(str(none))}: no such file")
        rc, out = self.fake(f"STDIN={self.work}")
        self.refused(out, rc, rf"\*\*\* STDIN={re.escape(str(self.work))} is not a readable "
                     r"regular file")

    def help(self) -> None:
        rc, out = self.make("help", strict=None)
        if rc != 0:
            raise Failed(f"make help exited {rc}", out)
        options = boot_options()
        if len(options) < 5:
            raise Failed(f"only {len(options)} boot options read from boot/bootargs.c")
        for name, comment in options:
            if not re.search(rf"^\s+{re.escape(name)}\s+{re.escape(comment)}$", out, re.M):
                raise Failed(f"make help does not list boot option {name!r} with "
                             f"'{comment}'", out)
        for knob in ("APP=", "../myapp", "WERROR=", "ENV=", "STDIN=", "MEM=", "SWAP=", "SMP=",
                     "MACHINE=", "DTB=", "BOOTARGS=", "ARGS="):
            if knob not in out:
                raise Failed(f"make help does not mention {knob}", out)

    def swap_disk(self) -> None:
        img = f"{self.ctx.make_build_arg()}/swap.img"
        want = (f"-drive file={img},if=none,format=raw,id=swap "
                "-device virtio-blk-device,drive=swap")
        line = self.dry_run("SWAP=0")
        if "-drive" in line or "virtio-blk" in line:
            raise Failed(f"SWAP=0: a disk on QEMU's line {line!r}")
        line = self.dry_run("SWAP=64M")
        if want not in line:
            raise Failed(f"SWAP=64M: no '{want}' in {line!r}")
        line = self.dry_run("SWAP=64M", "MACHINE=sifive_u")
        if "-drive" in line:
            raise Failed(f"SWAP=64M MACHINE=sifive_u: a disk on QEMU's line {line!r}")

    def swap_made(self, build: Path, swap: str, size: int) -> Tuple[float, str]:
        """make BUILD/swap.img SWAP=swap: the file and its header checked;
        (its mtime, make's output)."""
        img = build / "swap.img"
        rc, out = self.make(str(img), f"SWAP={swap}", build=build)
        if rc != 0 or not img.is_file():
            raise Failed(f"make {img} SWAP={swap} exited {rc}", out)
        if img.stat().st_size != size:
            raise Failed(f"SWAP={swap}: {img} is {img.stat().st_size} bytes, not {size}", out)
        with open(img, "rb") as f:
            page = f.read(4096)
        if page[4086:4096] != b"SWAPSPACE2":
            raise Failed(f"SWAP={swap}: {page[4086:4096]!r} at offset 4086, not SWAPSPACE2", out)
        version, last_page = struct.unpack_from("<II", page, 1024)
        if (version, last_page) != (1, size // 4096 - 1):
            raise Failed(f"SWAP={swap}: version {version}, last_page {last_page}; expected "
                         f"1 and {size // 4096 - 1}", out)
        label = page[1052:1068].split(b"\0")[0]
        if label != b"pagoda-swap":
            raise Failed(f"SWAP={swap}: label {label!r}, expected b'pagoda-swap'", out)
        return img.stat().st_mtime_ns, out

    def swap_image(self) -> None:
        build = self.work / "swap-build"
        subprocess.run(["rm", "-rf", str(build)])
        first, out = self.swap_made(build, "64M", 64 << 20)
        if "MKSWAP" not in out:
            raise Failed("SWAP=64M: no MKSWAP line in make's output", out)
        again, out = self.swap_made(build, "64M", 64 << 20)
        if again != first or "MKSWAP" in out:
            raise Failed("SWAP=64M a second time: the image was made again", out)
        _, out = self.swap_made(build, "128K", 128 << 10)
        if "MKSWAP" not in out:
            raise Failed("SWAP=128K after 64M: no MKSWAP line in make's output", out)
        subprocess.run(["rm", "-rf", str(build)])

    def swap_refused(self) -> None:
        rc, out = self.fake("SWAP=lots")
        self.refused(out, rc, r"\*\*\* SWAP=lots is not a size: say 256M or 1G")
        rc, out = self.fake("SWAP=16K")
        self.refused(out, rc, r"\*\*\* SWAP=16K is too small: mkswap makes 40K at least")

    # docs/boards.md: the Image is the same, BOARD= prints how to boot it.
    def board_image(self) -> None:
        build = self.work / "build"
        for board, dtb, load in (
                ("visionfive2", "starfive/jh7110-starfive-visionfive-2-v1.3b.dtb", "mmc 1:3"),
                ("unmatched", "sifive/hifive-unmatched-a00.dtb", "mmc 0:3")):
            rc, out = self.make("APP=hello", f"BOARD={board}", "ARGS=3 x", "image",
                                build=build)
            if rc != 0:
                raise Failed(f"make image BOARD={board} exited {rc}", out)
            want = (rf"^device tree: {re.escape(dtb)}", r'^  setenv bootargs "-- 3 x"$',
                    rf"^  load {load} \$\{{kernel_addr_r\}} Image$",
                    rf"^  load {load} \$\{{fdt_addr_r\}} dtbs/{re.escape(dtb)}$",
                    r"^  booti \$\{kernel_addr_r\} - \$\{fdt_addr_r\}$",
                    rf"^image: .*/Image \(\d+ bytes")
            for rx in want:
                if not re.search(rx, out, re.M):
                    raise Failed(f"make image BOARD={board}: no /{rx}/", out)
            kept = build / f"boot-{board}.txt"
            if not kept.exists() or kept.read_text().strip() not in out:
                raise Failed(f"{kept} missing or not what make printed", out)

    def board_refused(self) -> None:
        rc, out = self.make("BOARD=pinetab", "image", build=self.work / "build")
        self.refused(out, rc, r"\*\*\* BOARD=pinetab is not a board pagoda knows: "
                              r"visionfive2 unmatched")
        if "CC " in out:
            raise Failed("something was built before the refusal", out)
        rc, out = self.fake("BOARD=unmatched")
        self.refused(out, rc, r"\*\*\* BOARD=unmatched is for `make image`.*MACHINE=sifive_u")

    # The README's example and the longjmp case: a folder outside apps/, its
    # own build folder (the kernel is built there once), a strict one apart.
    def app_folder(self, name: str, source: str) -> Path:
        folder = self.work / "apps" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.c").write_text(source)
        return folder

    def user_build(self, folder: Path, warning: str) -> None:
        rc, out = self.make(f"APP={folder}", "image", build=self.work / "build", strict=None)
        if rc != 0:
            raise Failed(f"make APP={folder} image exited {rc}", out)
        if warning not in out:
            raise Failed(f"the build did not print '{warning}'", out)

    def strict_build(self, folder: Path, error: str) -> None:
        build = self.work / "build-strict"
        elf = build / "apps" / f"{folder.name}.elf"
        elf.unlink(missing_ok=True)
        rc, out = self.make(f"APP={folder}", str(elf), build=build, strict=True)
        if rc == 0 or elf.exists():
            raise Failed(f"with WERROR=1 the build succeeded (exit {rc})", out)
        if error not in out:
            raise Failed(f"with WERROR=1 no '{error}'", out)

    def readme_app_builds(self) -> None:
        self.user_build(self.app_folder(README_APP, readme_example()), README_WARNING)

    def readme_app_runs(self) -> None:
        folder = self.app_folder(README_APP, readme_example())
        rc, out = self.boot(f"APP={folder}", f"ARGS={README_ARGS}",
                            build=self.work / "build", strict=None)
        if not re.search(README_OUTPUT, out, re.M):
            raise Failed(f"no /{README_OUTPUT}/ on the console", out)
        self.status(out, README_STATUS)
        self.make_exit(out, rc, README_STATUS)

    def readme_app_strict(self) -> None:
        self.strict_build(self.app_folder(README_APP, readme_example()), README_ERROR)

    # Static Linux programs: ELF= and a linux.mk folder (docs/linux-programs.md).
    def elf_missing(self) -> None:
        rc, out = self.fake(f"ELF={self.work}/no-such-program")
        self.refused(out, rc, rf"\*\*\* ELF={re.escape(str(self.work))}/no-such-program: no such file")

    def elf_run(self) -> None:
        elf = self.work / "hello-static"
        p = subprocess.run(["riscv64-linux-gnu-gcc", "-static", "-O2", "-o", str(elf),
                            str(REPO / "apps/linux-hello/main.c")],
                           capture_output=True, text=True)
        if p.returncode:
            raise Failed(f"riscv64-linux-gnu-gcc -static failed: {p.stderr.strip()}")
        rc, out = self.boot(f"ELF={elf}", "ARGS=5 z", "SWAP=0", build=self.work / "build-elf")
        for rx in (r'^argv\[2\] = "z"$', r"^double: 27\.500000 ", r"^linux-hello: exiting with status 5$"):
            if not re.search(rx, out, re.M):
                raise Failed(f"no /{rx}/ on the console", out)
        self.status(out, 5)
        self.make_exit(out, rc, 5)

    def linux_cxx_app(self) -> None:
        folder = self.work / "apps" / "cxx"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.cpp").write_text(CXX_APP)
        (folder / "linux.mk").write_text("# built by the Linux toolchain\n")
        rc, out = self.boot(f"APP={folder}", "ARGS=ab cde", "SWAP=0", build=self.work / "build-cxx")
        if not re.search(r"^  CXX     \S+/main\.cpp \(cxx, glibc\)$", out, re.M):
            raise Failed("main.cpp was not compiled by g++ (no 'CXX ... (cxx, glibc)' line)", out)
        if not re.search(r"^cxx: 2 words, 2\.5$", out, re.M):
            raise Failed("no 'cxx: 2 words, 2.5' on the console", out)
        self.status(out, 2)
        self.make_exit(out, rc, 2)

    def longjmp_app(self) -> None:
        folder = self.app_folder("jump", LONGJMP_APP)
        self.user_build(folder, LONGJMP_WARNING)
        rc, out = self.boot(f"APP={folder}", build=self.work / "build", strict=None)
        if not re.search(r"^jump: back from depth 3$", out, re.M):
            raise Failed("no 'jump: back from depth 3' on the console", out)
        self.status(out, 3)
        self.make_exit(out, rc, 3)
        self.strict_build(folder, LONGJMP_ERROR)

    # APP_LIBC and Lua (docs/linux-programs.md, "musl", "Lua")
    def app_libc_refused(self) -> None:
        rc, out = self.fake("APP=linux-hello", "APP_LIBC=uclibc")
        self.refused(out, rc, r"\*\*\* APP_LIBC=uclibc: glibc \(the default\) or musl\.")
        rc, out = self.fake("APP=hello", "APP_LIBC=musl")
        self.refused(out, rc, r"\*\*\* APP_LIBC=musl: apps/hello is a picolibc app; APP_LIBC "
                              r"chooses the C library of a folder with a linux\.mk\.")
        rc, out = self.fake(f"ELF={REPO / 'Makefile'}", "APP_LIBC=musl")
        self.refused(out, rc, r"\*\*\* APP_LIBC=musl: ELF=\S+ is linked already")
        folder = self.work / "apps" / "cxx"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.cpp").write_text(CXX_APP)
        (folder / "linux.mk").write_text("APP_LIBC = musl\n")
        rc, out = self.fake(f"APP={folder}")
        self.refused(out, rc, rf"\*\*\* APP_LIBC=musl: {re.escape(str(folder))} has C\+\+ "
                              r"\(main\.cpp\), and C\+\+ builds against glibc only: Debian's "
                              r"libstdc\+\+ is made for glibc")

    def lua_elf_made(self) -> None:
        build = self.work / "build-lua-plan"
        rc, out = self.make("-n", "run", f"ELF={build}/lua/lua-glibc", build=build, strict=None)
        if rc != 0:
            raise Failed(f"make -n run ELF=<build>/lua/lua-glibc exited {rc}", out)
        for rx in (r"scripts/fetch-source\.sh lua5\.4 \S+/lua/src$",
                   rf"-static -o {re.escape(str(build))}/lua/lua-glibc .*-lm$"):
            if not re.search(rx, out, re.M):
                raise Failed(f"make -n does not plan /{rx}/", out)
        if build.exists():
            raise Failed(f"make -n made {build}", out)
        rc, out = self.fake(f"ELF={build}/lua/lua-other")
        self.refused(out, rc, rf"\*\*\* ELF={re.escape(str(build))}/lua/lua-other: no such file")

    def lua_run(self) -> None:
        b = self.ctx.make_build_arg()
        rc, out = self.boot(f"ELF={b}/lua/lua-glibc", "ARGS=-", "STDIN=tests/lua/math.lua",
                            "SWAP=0", f"LUA={b}/lua", f"MUSL={b}/musl",
                            build=self.work / "build-lua", strict=None)
        for rx in (r"^random ints: 50 76 86 54 64 7 25 3$", r"^math: done$"):
            if not re.search(rx, out, re.M):
                raise Failed(f"no /{rx}/ on the console", out)
        self.status(out, 0)
        self.make_exit(out, rc, 0)


CXX_APP = """\
// A C++ program for the Linux toolchain (linux.mk beside it).
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
	std::vector<std::string> words(argv + 1, argv + argc);
	double half = 0;
	for (const auto &w : words)
		half += w.size() * 0.5;
	std::printf("cxx: %zu words, %g\\n", words.size(), half);
	return static_cast<int>(words.size());
}
"""


CHECKS: List[Tuple[str, Callable[[Checks], None]]] = [
    ("default-app", Checks.default_app),
    ("no-app", Checks.no_app),
    ("no-app-path", Checks.no_app_path),
    ("mem-too-small", Checks.mem_too_small),
    ("mem-sizes", Checks.mem_sizes),
    ("mem-5M-boots", Checks.mem_5m_boots),
    ("sifive_u", Checks.sifive_u),
    ("dtb-truncated", Checks.dtb_truncated),
    ("dtb-damaged", Checks.dtb_damaged),
    ("dtb-missing", Checks.dtb_missing),
    ("dtb-good", Checks.dtb_good),
    ("env", Checks.env),
    ("env-refused", Checks.env_refused),
    ("stdin", Checks.stdin),
    ("stdin-missing", Checks.stdin_missing),
    ("help", Checks.help),
    ("swap-disk", Checks.swap_disk),
    ("swap-image", Checks.swap_image),
    ("swap-refused", Checks.swap_refused),
    ("board-image", Checks.board_image),
    ("board-refused", Checks.board_refused),
    ("readme-app-builds", Checks.readme_app_builds),
    ("readme-app-runs", Checks.readme_app_runs),
    ("readme-app-strict", Checks.readme_app_strict),
    ("longjmp-app", Checks.longjmp_app),
    ("elf-missing", Checks.elf_missing),
    ("elf-run", Checks.elf_run),
    ("linux-cxx-app", Checks.linux_cxx_app),
    ("app-libc-refused", Checks.app_libc_refused),
    ("lua-elf-made", Checks.lua_elf_made),
    ("lua-run", Checks.lua_run),
]


def group_make(ctx, rep) -> None:
    """The group "make" of tests/run.py: one result per check (-k filters)."""
    if not (ctx.build / "Image").exists():
        rep.fail("make", f"no {ctx.build / 'Image'}: build it first (make)")
        return
    checks = Checks(ctx, rep)
    for name, fn in CHECKS:
        full = f"make/{name}"
        if ctx.args.k and not any(k in full for k in ctx.args.k):
            continue
        start = time.monotonic()
        try:
            fn(checks)
        except Failed as e:
            log = checks.work / f"{name}.log"
            if e.output is not None:
                log.write_text(e.output)
            rep.fail(full, e.reason, e.output, log if e.output is not None else None)
            continue
        except (OSError, subprocess.SubprocessError) as e:
            rep.fail(full, f"runner error: {e!r}")
            continue
        rep.ok(full, time.monotonic() - start)
