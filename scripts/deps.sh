#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/deps.sh [bench] - install the Debian packages pagoda needs, if
# missing.
#
# Checks each tool first and only calls apt-get (as root, or through sudo)
# when something is absent, so `make run` and `make test` can call it every
# time. Debian 12 (bookworm) package names. With "bench" (make bench,
# make bench-host) also what the benchmark report needs: the peers of the
# host malloc comparison, valgrind (cachegrind) and gnuplot (gnuplot-nox:
# the same gnuplot without the Qt and X11 front ends the "gnuplot"
# package pulls in).
set -eu
if [ $# -gt 1 ] || { [ $# -eq 1 ] && [ "$1" != bench ]; }; then
	echo "usage: $0 [bench]" >&2
	exit 2
fi

# package:probe pairs; a probe is a command on PATH or a file that must exist
need="
gcc-riscv64-unknown-elf:riscv64-unknown-elf-gcc
gcc-riscv64-linux-gnu:riscv64-linux-gnu-gcc
libc6-dev-riscv64-cross:/usr/riscv64-linux-gnu/lib/libc.a
qemu-user:qemu-riscv64
picolibc-riscv64-unknown-elf:/usr/lib/picolibc/riscv64-unknown-elf/lib/release/rv64imac/lp64/libc.a
gcc-riscv64-linux-gnu:riscv64-linux-gnu-gcc
g++-riscv64-linux-gnu:riscv64-linux-gnu-g++
libc6-dev-riscv64-cross:/usr/riscv64-linux-gnu/lib/libc.a
qemu-user:qemu-riscv64
qemu-system-misc:qemu-system-riscv64
opensbi:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
u-boot-qemu:/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
device-tree-compiler:dtc
libfdt-dev:/usr/include/libfdt.h
gdb-multiarch:gdb-multiarch
util-linux:mkswap
libcmocka-dev:/usr/include/cmocka.h
clang:clang
clang-format:clang-format
graphviz:dot
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
python3:python3
make:make
xz-utils:xz
dpkg-dev:dpkg-source
"
if [ "${1:-}" = bench ]; then
	need="$need
libjemalloc2:/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
libmimalloc2.0:/usr/lib/x86_64-linux-gnu/libmimalloc.so.2
libtcmalloc-minimal4:/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
valgrind:valgrind
gnuplot-nox:gnuplot
"
fi

missing=""
for pair in $need; do
	pkg=${pair%%:*}
	probe=${pair#*:}
	case $probe in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

echo "deps: installing${missing}"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps: need root or sudo to install:${missing}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q $missing
