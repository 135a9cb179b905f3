#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/bench-lines.sh [CONSOLE] - the benchmark lines of a boot's console
# (standard input without CONSOLE), as `make bench` prints them.
#
# Every "bench: ..." line is kept as it is (and "# bench: ...", the form a
# benchmark takes inside KTAP). The boot's memory line, which counts the
# instructions of setting memory up exactly under QEMU -icount,
#
#   [    0.021] memory: 2048 MiB in 1 node(s), 520000 pages free, set up in 12.345 ms, 9876543 instructions (4938271 per GiB)
#
# becomes a bench line too, without the time (a clock of the host's):
#
#   bench: boot_memory mib=2048 nodes=1 instructions=9876543 per_gib=4938271
#
# Carriage returns (the console's line ends) are dropped. docs/memory.md
# explains the numbers.
set -eu
[ $# -le 1 ] || { echo "usage: $0 [CONSOLE]" >&2; exit 2; }
if [ $# -eq 1 ]; then
	exec <"$1"
fi
tr -d '\r' | sed -n -E \
	-e '/^(# )?bench: /p' \
	-e 's/^\[[ 0-9.]*\] memory: ([0-9]+) MiB in ([0-9]+) node.* set up in [0-9.]+ ms, ([0-9]+) instructions \(([0-9]+) per GiB\)/bench: boot_memory mib=\1 nodes=\2 instructions=\3 per_gib=\4/p'
