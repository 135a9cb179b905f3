# SPDX-License-Identifier: MIT
"""tests/qemu.py - a QEMU boot scenario: what it is, and running one.

A Scenario (the table is tests/scenario_table.py) has a unique name, the
QEMU machine settings that differ from the defaults (virt, 256M, one hart,
OpenSBI fw_dynamic, the runtime with apps/hello), the boot arguments (`append`), the exit
status the image must print (`status`; None: no status line) and regexes
the console must (`expect`) and must not (`reject`) match. `qemu_exit` is
QEMU's own exit code, by default the same as the status (the virt machine's
sifive,test0 finisher carries it). `interact` is a list of (regex, text)
pairs: when the regex appears on the console, the text is typed into it.
`checks` are functions of the console returning an error message or None
(those marked by with_ctx take the Context first);
GLOBAL_CHECKS run on every scenario. `needs`: "app:NAME" (an image of
apps/NAME, built by prepare_app into <build>/app-NAME) or files that must
exist. `timeout` overrides --timeout.

The kernel and the arguments may use placeholders:
  {image}        the runtime with apps/hello, the app most boot scenarios
                 run (<build>/app-hello/Image, built as {app:hello} is;
                 <build>/Image holds the default app, apps/memtour)
  {test_image}   <build>/ktest/Image, the runtime with tests/kernel/
  {build}        <build>
  {dtb}          <build>/virt.dtb
  {app:NAME}     the image of apps/NAME (list "app:NAME" in needs);
                 {app:NAME+ktest}: the same in a test image;
                 {app:NAME+musl}: a linux.mk app built with APP_LIBC=musl
                 (make musl first, once, into <build>/musl)
  {elf:KEY}      the image of `make ELF=<file>`, the file one of ELF_FILES
                 (list "elf:KEY" in needs; prepare_elf makes both; a file
                 of the build folder by its make target, `make lua`, once)
  {prog:LIBC/NAME}  the image of `make ELF=<build>/linux-progs/LIBC/NAME`,
                 tests/linux/NAME.c (or .cpp) built against glibc or musl
                 (list "prog:LIBC/NAME" in needs; prepare_progs makes both)
  {fw_jump}      Debian's OpenSBI fw_jump.bin
  {uboot}        Debian's S-mode U-Boot
  {wrap:ADDR}    {image} wrapped in an ELF that loads at ADDR
                 (scripts/wrap-elf.sh; tests/boot_files.py)
  {damaged:HOW}  tests/scenarios/damaged.dts with its last node cut
                 ('truncated') or overwritten ('garbage')
  {swapdisk:SIZE[:CUT]}  the same, made a Linux swap area by mkswap (label
                 pgswap), then cut to CUT bytes if given; up to 1G (sparse:
                 the host stores only what swap-out writes)
  {disk:SIZE}    a fresh zero-filled (sparse) disk image of SIZE bytes
                 (K, M suffixes; at most 64M), <work>/disk-SIZE.img, made
                 anew for every run (the virtio-blk scenarios)
  {blkdebug:IOTYPE:FIRST:STEP:COUNT}  a QEMU blkdebug rules file,
                 <work>/blkdebug-IOTYPE.conf: EIO for every IOTYPE (read or
                 write) request that touches the first sector of page
                 FIRST, FIRST + STEP, ... (COUNT pages; a swap area's slot
                 N is its page N). Used in a -drive of driver=blkdebug
                 (swap_blkdebug_drive in scenario_table.py)
${...} is U-Boot's and left alone.

run_scenario runs one (in its own work folder, <build>/tests/<name>/, whose
console.log keeps the console; disk images holding more than 64 MiB are
deleted after a run that passed) and returns ("ok", secs), ("skip", why) or
("fail", (reason, console, log)).
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

import zones
from boot_files import damaged_dtb, wrap_elf
from harness import REPO, STATUS_RE, Context, Run, check_run, run_process

FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"

BOOT_FAILED = r"pagoda: boot failed"
TRAP = r"\btrap: \S"
PANIC = r"\bpanic: \S"
DEFAULT_REJECT = (BOOT_FAILED, TRAP, PANIC)

SAME = object()  # qemu_exit: the same as the status


@dataclass
class Scenario:
    name: str
    status: Optional[int]           # `pagoda: exit status N`; None: no such line
    expect: Sequence[str] = ()      # regexes (multiline) that must match
    reject: Sequence[str] = DEFAULT_REJECT  # regexes that must not match
    append: Optional[str] = None    # -append (boot args, `-- app argv`)
    machine: str = "virt"
    mem: str = "256M"
    smp: int = 1
    bios: str = "default"
    kernel: str = "{image}"
    args: Sequence[str] = ()        # more QEMU arguments
    qemu_exit: object = SAME        # QEMU's exit code; None: not checked
    interact: Sequence[Tuple[str, str]] = ()
    checks: Sequence[Callable[[str], Optional[str]]] = ()
    needs: Sequence[str] = ()       # "app:NAME" (an image of apps/NAME) or file paths
    timeout: Optional[float] = None


# ---- checked on every scenario -----------------------------------------------
# (each only where the console has what it looks at)
def same_boot_hart_as_opensbi(console: str) -> Optional[str]:
    o = re.search(r"^Boot HART ID\s*:\s*(\d+)", console, re.M)
    p = re.search(r"pagoda: booting on hart (\d+)", console)
    if o and p and o.group(1) != p.group(1):
        return (f"OpenSBI booted hart {o.group(1)} but pagoda says hart "
                f"{p.group(1)} (a0 lost on the way to boot_main?)")
    return None


GLOBAL_CHECKS = (same_boot_hart_as_opensbi, zones.zones_match_memory_map)


# ---- running one -----------------------------------------------------------------
def prepare_make(ctx: Context, target: str) -> Optional[str]:
    """`make TARGET` against <build> (musl, lua: what the build folder keeps
    for every image), once a run; None when it was made, else why not."""
    if target not in ctx.made:
        argv = [ctx.args.make, "--no-print-directory", f"BUILD={ctx.make_build_arg()}", target]
        run = run_process(argv, ctx.args.host_timeout)
        tail = "\n".join(run.console.strip().split("\n")[-8:])
        ctx.made[target] = None if run.rc == 0 else f"make {target} failed ({' '.join(argv)}):\n{tail}"
    return ctx.made[target]


def kobj(ctx: Context) -> List[str]:
    """KOBJ=<build>: an app's image links the kernel objects of the main
    build (they do not depend on the app) instead of compiling its own;
    the images are built one after another, so the objects are never
    written by two makes at once."""
    return [f"KOBJ={ctx.make_build_arg()}"]


def prepare_app(ctx: Context, app: str) -> None:
    """Build apps/<app> into <build>/app-<app>, leaving <build>/Image alone;
    WERROR=1: our apps build without a warning. "NAME+ktest": apps/NAME in
    a test image (TEST_IMAGE=1: tests/kernel/ linked in, its hooks);
    "NAME+musl": against <build>/musl (APP_LIBC=musl, make musl first)."""
    out = ctx.build / f"app-{app}"
    libfdt = ctx.build / "libfdt/src"
    name, _, variant = app.partition("+")
    argv = [ctx.args.make, "--no-print-directory", f"APP={name}", "WERROR=1",
            f"BUILD={ctx.make_build_arg()}/app-{app}", *kobj(ctx), "image"]
    if variant == "ktest":
        argv.append("TEST_IMAGE=1")
    if variant == "musl":
        err = prepare_make(ctx, "musl")
        if err:
            ctx.app_errors[app] = err
            return
        argv += ["APP_LIBC=musl", f"MUSL={ctx.make_build_arg()}/musl"]
    if libfdt.is_dir():
        argv.append(f"LIBFDT_SRC={ctx.make_build_arg()}/libfdt/src")
    run = run_process(argv, ctx.args.host_timeout)
    if run.rc != 0 or not (out / "Image").exists():
        tail = "\n".join(run.console.strip().split("\n")[-5:])
        ctx.app_errors[app] = f"building apps/{app} failed ({' '.join(argv)}):\n{tail}"
        return
    ctx.app_images[app] = out / "Image"


HELLO = "hello"  # the app of {image}

# Programs for `make ELF=...` (needs "elf:KEY"): a command making the file
# <build>/elf/KEY, the host file, or MakeTarget(target, path): the file
# <build>/PATH that `make TARGET` makes (prepare_make).
@dataclass(frozen=True)
class MakeTarget:
    target: str  # a target of the Makefile, made against <build>
    path: str    # the file it makes, relative to <build>


LINUX_GCC = "riscv64-linux-gnu-gcc"
ELF_FILES = {
    # apps/linux-hello linked the Linux way, dynamically (PT_INTERP)
    "hello-dynamic": [LINUX_GCC, "-O2", "-o", "{out}",
                      str(REPO / "apps/linux-hello/main.c")],
    # no libc, position independent, no relocations: an ET_DYN static-pie
    "static-pie": [LINUX_GCC, "-O2", "-fPIE", "-ffreestanding", "-nostdlib", "-pie",
                   "-Wl,--no-dynamic-linker", "-Wl,-z,text", "-o", "{out}",
                   str(REPO / "tests/scenarios/static-pie.c")],
    # the host's own /bin/true: another machine (x86-64 on the usual host)
    "host-true": "/bin/true",
    # Debian's Lua 5.4, static, against glibc and against musl (make lua)
    "lua-glibc": MakeTarget("lua", "lua/lua-glibc"),
    "lua-musl": MakeTarget("lua", "lua/lua-musl"),
}


def elf_file(ctx: Context, key: str) -> Path:
    """The program ELF_FILES[key] names (made or not)."""
    how = ELF_FILES[key]
    if isinstance(how, str):
        return Path(how)
    if isinstance(how, MakeTarget):
        return ctx.build / how.path
    return ctx.build / "elf" / key


def embedded_elf(ctx: Context, need: str) -> Path:
    """The ELF file the image of a need ("app:NAME[+VARIANT]", "elf:KEY")
    carries, as make left it in that image's build folder."""
    kind, _, what = need.partition(":")
    if kind == "app":
        name = what.partition("+")[0]
        return ctx.build / f"app-{what}" / "apps" / f"{name}.elf"
    if kind == "elf":
        return ctx.build / f"elf-{what}" / "apps" / f"{elf_file(ctx, what).name}.elf"
    raise ValueError(f"{need!r} is no app: or elf: need")


def with_ctx(check: Callable) -> Callable:
    """Marks a scenario check that takes (ctx, console)."""
    check.with_ctx = True
    return check


def prepare_elf(ctx: Context, key: str) -> None:
    """Make ELF_FILES[key] (by its command, or its make target), then the
    image of `make ELF=<it>` in <build>/elf-KEY: ctx.app_images["elf:KEY"]."""
    how = ELF_FILES[key]
    path = elf_file(ctx, key)
    if isinstance(how, MakeTarget):
        err = prepare_make(ctx, how.target)
        if err:
            ctx.app_errors[f"elf:{key}"] = err
            return
    elif not isinstance(how, str):
        path.parent.mkdir(parents=True, exist_ok=True)
        run = run_process([a.replace("{out}", str(path)) for a in how],
                          ctx.args.host_timeout)
        if run.rc != 0:
            ctx.app_errors[f"elf:{key}"] = f"making {path} failed:\n{run.console.strip()}"
            return
    out = ctx.build / f"elf-{key}"
    argv = [ctx.args.make, "--no-print-directory", f"ELF={path.resolve()}",
            f"BUILD={ctx.make_build_arg()}/elf-{key}", *kobj(ctx), "image"]
    if (ctx.build / "libfdt/src").is_dir():
        argv.append(f"LIBFDT_SRC={ctx.make_build_arg()}/libfdt/src")
    run = run_process(argv, ctx.args.host_timeout)
    if run.rc != 0 or not (out / "Image").exists():
        tail = "\n".join(run.console.strip().split("\n")[-5:])
        ctx.app_errors[f"elf:{key}"] = f"building ELF={path} failed ({' '.join(argv)}):\n{tail}"
        return
    ctx.app_images[f"elf:{key}"] = out / "Image"


def prepare_progs(ctx: Context, keys: Sequence[str]) -> None:
    """The comparison programs of tests/linux/ ("prog:LIBC/NAME" in needs):
    `make -k` of each <build>/linux-progs/LIBC/NAME (tests/linux/progs.mk;
    the musl ones make musl first, once), then, one after
    the other in one build folder so that only the app is relinked, the
    image of `make ELF=` that file, copied to
    <build>/linux-progs/images/LIBC-NAME.Image: ctx.app_images["prog:KEY"]."""
    if not keys:
        return
    b = ctx.make_build_arg()
    libfdt = [f"LIBFDT_SRC={b}/libfdt/src"] if (ctx.build / "libfdt/src").is_dir() else []
    argv = [ctx.args.make, "--no-print-directory", "-k", f"BUILD={b}", *libfdt,
            *(f"{b}/linux-progs/{key}" for key in keys)]
    made = run_process(argv, ctx.args.host_timeout)
    images = ctx.build / "linux-progs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for key in keys:
        elf = ctx.build / "linux-progs" / key
        if not elf.exists():
            tail = "\n".join(made.console.strip().split("\n")[-5:])
            ctx.app_errors[f"prog:{key}"] = f"building {elf} failed ({' '.join(argv)}):\n{tail}"
            continue
        argv = [ctx.args.make, "--no-print-directory", f"ELF={elf.resolve()}",
                f"BUILD={b}/linux-progs/image", *kobj(ctx), *libfdt, "image"]
        run = run_process(argv, ctx.args.host_timeout)
        built = ctx.build / "linux-progs" / "image" / "Image"
        if run.rc != 0 or not built.exists():
            tail = "\n".join(run.console.strip().split("\n")[-5:])
            ctx.app_errors[f"prog:{key}"] = f"building ELF={elf} failed ({' '.join(argv)}):\n{tail}"
            continue
        image = images / (key.replace("/", "-") + ".Image")
        shutil.copyfile(built, image)
        ctx.app_images[f"prog:{key}"] = image


def hello_image(ctx: Context) -> Path:
    """{image}: the runtime with apps/hello (prepare_app, before the scenarios)."""
    if HELLO not in ctx.app_images:
        raise RuntimeError(ctx.app_errors.get(HELLO, f"apps/{HELLO} was not built"))
    return ctx.app_images[HELLO]


def zero_disk(work: Path, size: str, most: int = 64 << 20) -> Path:
    """<work>/disk-SIZE.img, zero-filled and sparse, recreated each run."""
    m = re.fullmatch(r"(\d+)([KMG]?)", size or "")
    if not m:
        raise ValueError(f"bad disk size {size!r} (like 8M)")
    n = int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]
    if not 0 < n <= most or n % 512:
        raise ValueError(f"disk size {size!r}: 512 bytes to {most >> 20}M, whole sectors")
    path = work / f"disk-{size}.img"
    path.unlink(missing_ok=True)
    with open(path, "wb") as f:
        f.truncate(n)
    return path


def swap_disk(work: Path, arg: str) -> Path:
    """<work>/swap-SIZE[-CUT].img: mkswap's Linux swap area of SIZE, labelled
    pgswap, then cut to CUT bytes if given (a header larger than the disk)."""
    size, _, cut = arg.partition(":")
    path = zero_disk(work, size, most=1 << 30)
    mkswap = shutil.which("mkswap") or "/sbin/mkswap"
    p = subprocess.run([mkswap, "-q", "-L", "pgswap", str(path)],
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"mkswap: {p.stderr.strip()}")
    if cut:
        with open(path, "r+b") as f:
            f.truncate(zero_disk_bytes(cut))
    return path


def zero_disk_bytes(size: str) -> int:
    m = re.fullmatch(r"(\d+)([KM]?)", size or "")
    if not m:
        raise ValueError(f"bad disk size {size!r} (like 8M)")
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20}[m.group(2)]


def blkdebug_rules(work: Path, arg: str) -> Path:
    """<work>/blkdebug-IOTYPE.conf: QEMU blkdebug's rules failing with EIO
    (errno 5, which virtio-blk reports to the guest as VIRTIO_BLK_S_IOERR)
    every IOTYPE request that overlaps the first sector of pages FIRST,
    FIRST + STEP, ... COUNT of them. Event "none": the rules hold from the
    start, and for every such request, not once."""
    try:
        iotype, first, step, n = arg.split(":")
        first, step, n = int(first), int(step), int(n)
    except ValueError:
        raise ValueError(f"blkdebug:{arg}: IOTYPE:FIRST:STEP:COUNT") from None
    if iotype not in ("read", "write") or first < 1 or step < 1 or n < 1:
        raise ValueError(f"blkdebug:{arg}: read or write, FIRST >= 1 (page 0 "
                         "is the swap header), STEP >= 1, COUNT >= 1")
    rules = "".join(f'[inject-error]\nevent = "none"\niotype = "{iotype}"\n'
                    f'errno = "5"\nsector = "{(first + i * step) * 8}"\n\n'
                    for i in range(n))
    path = work / f"blkdebug-{iotype}.conf"
    path.write_text(rules)
    return path


def expand(ctx: Context, work: Path, token: str) -> str:
    def one(m: re.Match) -> str:
        key, arg = m.group(1), m.group(2)
        if key == "image":
            return str(hello_image(ctx))
        if key == "test_image":
            return str(ctx.build / "ktest" / "Image")
        if key == "build":
            return str(ctx.build)
        if key == "dtb":
            return str(ctx.build / "virt.dtb")
        if key == "app":
            return str(ctx.app_images[arg])
        if key == "elf":
            return str(ctx.app_images[f"elf:{arg}"])
        if key == "prog":
            return str(ctx.app_images[f"prog:{arg}"])
        if key == "fw_jump":
            return FW_JUMP
        if key == "uboot":
            return UBOOT
        if key == "wrap":
            return str(wrap_elf(hello_image(ctx), work, arg))
        if key == "damaged":
            return str(damaged_dtb(ctx, work, arg))
        if key == "disk":
            return str(zero_disk(work, arg))
        if key == "swapdisk":
            return str(swap_disk(work, arg))
        if key == "blkdebug":
            return str(blkdebug_rules(work, arg))
        raise RuntimeError(f"unknown placeholder {m.group(0)}")
    # ${...} is U-Boot's, not ours
    return re.sub(r"(?<!\$)\{(\w+)(?::([^}]*))?\}", one, token)


def qemu_argv(ctx: Context, s: Scenario, work: Path) -> List[str]:
    argv = [ctx.qemu, "-machine", s.machine, "-m", s.mem, "-smp", str(s.smp),
            "-nographic", "-no-reboot", "-bios", s.bios, "-kernel", s.kernel]
    if s.append is not None:
        argv += ["-append", s.append]
    argv += list(s.args)
    return [expand(ctx, work, a) for a in argv]


def check_status(run: Run, status: Optional[int], qemu_exit: object) -> List[str]:
    """The `pagoda: exit status` line and QEMU's exit code."""
    errs = []
    found = [int(x) for x in STATUS_RE.findall(run.console)]
    if status is None:
        if found:
            errs.append(f"printed 'pagoda: exit status {found[0]}', expected no status line")
    elif not found:
        errs.append(f"no 'pagoda: exit status {status}' line")
    elif len(found) > 1:
        errs.append(f"{len(found)} status lines (the machine rebooted?)")
    elif found[0] != status:
        errs.append(f"exit status {found[0]}, expected {status}")
    want = status if qemu_exit is SAME else qemu_exit
    if want is not None and run.rc is not None and run.rc != (want & 0xff):
        errs.append(f"QEMU exited {run.rc}, expected {want & 0xff}")
    return errs


def run_scenario(ctx: Context, s: Scenario) -> Tuple[str, object]:
    """Returns ("ok", secs), ("fail", (reason, console, log)) or ("skip", why)."""
    for need in s.needs:
        if need.startswith("app:"):
            if need[4:] in ctx.app_errors:
                return "fail", (ctx.app_errors[need[4:]], None, None)
        elif need.startswith("elf:") or need.startswith("prog:"):
            if need in ctx.app_errors:
                return "fail", (ctx.app_errors[need], None, None)
        elif not Path(need).exists():
            return "fail", (f"{need} is missing (make deps)", None, None)
    work = ctx.workdir(s.name)
    timeout = s.timeout or ctx.args.timeout
    try:
        argv = qemu_argv(ctx, s, work)
    except (RuntimeError, OSError, ValueError) as e:
        return "fail", (f"setting up: {e}", None, None)
    run = run_process(argv, timeout, interact=s.interact, watch_status=s.status is not None)
    log = work / "console.log"
    log.write_text("$ " + " ".join(argv) + "\n" + run.console)

    errs = []
    bad = check_run(run, timeout)
    if bad:
        errs.append(bad)
    if not run.error:
        errs += check_status(run, s.status, s.qemu_exit)
        for rx in s.expect:
            if not re.search(rx, run.console, re.M):
                errs.append(f"no match for /{rx}/")
        for rx in s.reject:
            m = re.search(rx, run.console, re.M)
            if m:
                line = run.console[:m.start()].count("\n")
                errs.append(f"unexpected /{rx}/ at console line {line + 1}")
        for check in tuple(s.checks) + GLOBAL_CHECKS:
            err = (check(ctx, run.console) if getattr(check, "with_ctx", False)
                   else check(run.console))
            if err:
                errs.append(err)
    if errs:
        return "fail", ("; ".join(errs), run.console, log)
    drop_big_disks(work)
    return "ok", run.secs


def drop_big_disks(work: Path) -> None:
    """After a run that passed, the disk images that hold more than 64 MiB
    of the host's disk (a swap disk that swap-out wrote to) go; a failed
    run keeps its own to look at."""
    for img in work.glob("*.img"):
        if img.stat().st_blocks * 512 > 64 << 20:
            img.unlink()
