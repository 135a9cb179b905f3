#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/check-image.sh IMAGE ELF - check the Linux RISC-V Image header that
# boot loaders read: magic at 48, magic2 at 56, image_size at 16 equal to
# the image's extent in memory (_end - _start), and a file no longer than it.
set -eu
img=$1
elf=$2
fail() { echo "check-image: $img: $*" >&2; rm -f "$img"; exit 1; }

magic=$(dd if="$img" bs=1 skip=48 count=5 2>/dev/null)
magic2=$(od -An -tx1 -j56 -N4 "$img" | tr -d ' ')
size=$(od -An -tu8 -j16 -N8 "$img" | tr -d ' ')
start=$(riscv64-unknown-elf-nm "$elf" | awk '$3 == "_start" { print $1 }')
end=$(riscv64-unknown-elf-nm "$elf" | awk '$3 == "_end" { print $1 }')
want=$(( 0x${end#????????} - 0x${start#????????} ))  # within 2 GiB of KERNEL_VA
file=$(wc -c <"$img")

[ "$magic" = RISCV ] || fail "magic is not RISCV"
[ "$magic2" = 52534305 ] || fail "magic2 is not RSC\\x05"
[ "$size" -eq "$want" ] || fail "image_size $size, expected $want"
[ "$file" -le "$size" ] || fail "file ($file) longer than image_size ($size)"
