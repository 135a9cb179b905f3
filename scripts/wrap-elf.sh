#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/wrap-elf.sh IMAGE ADDR OUT - wrap a raw Image in an ELF that loads
# it at physical address ADDR and starts at its first byte.
#
# QEMU loads an ELF -kernel at its physical addresses and OpenSBI fw_dynamic
# jumps to the ELF entry, so this is how the tests boot build/Image at a
# chosen address. The ELF's single segment covers the Image's whole extent
# in memory (image_size in the header: the BSS is zeros in the file), so
# nothing else is placed over it. ADDR need not be aligned: the
# misaligned-load test uses that on purpose.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 IMAGE ADDR OUT" >&2; exit 2; }
img=$1
addr=$2
out=$3
CROSS=${CROSS:-riscv64-unknown-elf-}
OBJCOPY=${CROSS}objcopy
LD=${CROSS}ld

[ -f "$img" ] || { echo "wrap-elf: no such image: $img" >&2; exit 1; }
case $addr in
0x*[!0-9a-fA-F]* | 0x | [!0-9]* | [1-9]*[!0-9]*) echo "wrap-elf: bad address: $addr" >&2; exit 1 ;;
esac
addr=$(printf '0x%x' "$((addr))")

file=$(wc -c <"$img")
size=$(od -An -tu8 -j16 -N8 "$img" | tr -d ' ')   # image_size, header offset 16
[ -n "$size" ] && [ "$size" -ge "$file" ] || size=$file
bss=$((size - file))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The RISC-V linker refuses `-b binary` input, so objcopy makes the Image
# an ELF object first (one .data section holding its bytes).
cp "$img" "$tmp/image.bin"
(cd "$tmp" && "$OBJCOPY" -I binary -O elf64-littleriscv -B riscv \
	image.bin image.o)
cat >"$tmp/wrap.ld" <<LDS
OUTPUT_ARCH(riscv)
ENTRY(image_start)
PHDRS { image PT_LOAD FLAGS(7); }
SECTIONS
{
	. = $addr;
	.image : AT($addr) {
		image_start = .;
		*(.data)
		. += $bss;
	} :image
	/DISCARD/ : { *(*) }
}
LDS
(cd "$tmp" && "$LD" -m elf64lriscv -N --no-warn-rwx-segments -T wrap.ld \
	-o wrapped.elf image.o)
mv "$tmp/wrapped.elf" "$out"
