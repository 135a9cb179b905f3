#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/deps.sh - install the Debian packages pagoda needs, if missing.
#
# Checks each tool first and only calls apt-get (as root, or through sudo)
# when something is absent, so `make run` and `make test` can call it every
# time. Debian 12 (bookworm) package names.
set -eu

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
