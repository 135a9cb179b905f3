#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/nano-malloc.sh CROSS LIBC OUT - picolibc's allocator ("nano-malloc")
# as one relocatable object whose every symbol is renamed, for
# apps/mallocbench to measure beside alloc/malloc/ in the same run.
#
# The members malloc, free, calloc, realloc and memalign come out of LIBC
# (ar x), are combined (ld -r), and every global they define is renamed:
# malloc -> nano_malloc, free -> nano_free... and their internals
# __malloc_* -> __nano_malloc_*; the break they grow, sbrk, becomes
# nano_sbrk, which the app defines. What is left undefined (memset, memcpy,
# errno, the lock stubs) comes from libc.a as usual; nothing of
# nano-malloc-*.c.o is linked from libc.a itself, so
# scripts/check-app-malloc.sh still passes.
set -eu
cross=$1
libc=$2
out=$3
members="nano-malloc-malloc.c.o nano-malloc-free.c.o nano-malloc-calloc.c.o
	 nano-malloc-realloc.c.o nano-malloc-memalign.c.o"

dir=$out.parts
rm -rf "$dir"
mkdir -p "$dir"
libc=$(cd "$(dirname "$libc")" && pwd)/$(basename "$libc")
# shellcheck disable=SC2086 # word splitting of the member list is wanted
(cd "$dir" && "${cross}ar" x "$libc" $members)
# shellcheck disable=SC2086
(cd "$dir" && "${cross}ld" -r -o all.o $members)

"${cross}nm" -g --defined-only "$dir/all.o" | awk '
	{ s = $3 }
	s ~ /^__malloc_/ { print s, "__nano_" substr(s, 3); next }
	{ print s, "nano_" s }
	END { print "sbrk nano_sbrk" }' >"$dir/rename"
"${cross}objcopy" --redefine-syms="$dir/rename" "$dir/all.o" "$out.tmp"

# Nothing may still define or call an allocation function by its own name.
left=$("${cross}nm" "$out.tmp" | awk '$NF ~ /^(malloc|free|calloc|realloc|memalign|aligned_alloc|sbrk|__malloc_.*)$/ { print $NF }')
if [ -n "$left" ]; then
	echo "$0: not renamed in $out: $left" >&2
	rm -rf "$out.tmp" "$dir"
	exit 1
fi
mv "$out.tmp" "$out"
rm -rf "$dir"
