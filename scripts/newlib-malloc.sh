#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/newlib-malloc.sh "CC FLAGS" PICOLIBC_INCLUDE DIR OUT - newlib's
# malloc (libc/stdlib/mallocr.c: Doug Lea's malloc 2.6.4) as one object for
# apps/membench, from Debian's newlib-source (/usr/src/newlib/*.tar.xz,
# installed if missing). Never committed: only mallocr.c is taken out, into
# DIR.
#
# It is built as newlib builds it for an embedded target (INTERNAL_NEWLIB:
# no mmap, the break through sbrk, memory from sbrk not assumed zero, 4 KiB
# pages), but with the plain names (malloc, free, realloc, calloc,
# memalign, valloc, pvalloc, malloc_usable_size) instead of newlib's
# reentrant _malloc_r...: picolibc has no struct _reent to pass. Its sbrk
# is the app runtime's; everything else it calls comes from picolibc.
#
# -fno-builtin, as newlib's own build has it (newlib/configure.host adds it
# for every target): with the plain names, gcc takes mallocr.c's calls of
# its own malloc and free for the C library's. It knows that free ends the
# life of the block, so a store into the block's chunk header just before
# free is dead to it: memalign's set_head_size(p, leadsize), which shrinks
# the chunk to the leading part it gives back, was dropped at -O1 and -O2,
# and free then released the whole chunk, the aligned block included, and
# read the "next" chunk's header past the break (docs/membench.md).
set -eu
cc=$1
inc=$2
dir=$3
out=$4

tarball() {
	find /usr/src/newlib -maxdepth 1 -name 'newlib-*.tar.*' 2>/dev/null | sort | head -1
}
if [ -z "$(tarball)" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y -q newlib-source >"$dir/install.log" 2>&1 ||
			{ cat "$dir/install.log" >&2; exit 1; }
	else
		# shellcheck disable=SC2024 # the log is ours, written as the user
		sudo apt-get install -y -q newlib-source >"$dir/install.log" 2>&1 ||
			{ cat "$dir/install.log" >&2; exit 1; }
	fi
fi
tar=$(tarball)
[ -n "$tar" ] || { echo "$0: no newlib tarball in /usr/src/newlib" >&2; exit 1; }

member=$(tar -tf "$tar" | grep '/newlib/libc/stdlib/mallocr\.c$' | grep -v '/\.pc/' | head -1)
[ -n "$member" ] || { echo "$0: no libc/stdlib/mallocr.c in $tar" >&2; exit 1; }
rm -rf "$dir/src"
mkdir -p "$dir/src"
tar -C "$dir/src" -xf "$tar" "$member"
echo "$tar: $member" >"$dir/SOURCE"

# third-party code: its warnings are its own (-w)
# shellcheck disable=SC2086 # cc is a command and its flags
$cc -w -fno-builtin -isystem "$inc" -DHAVE_MMAP=0 -DMORECORE_CLEARS=0 \
	-Dmalloc_getpagesize=4096 -DDEFINE_MALLOC -DDEFINE_FREE \
	-DDEFINE_REALLOC -DDEFINE_CALLOC -DDEFINE_MEMALIGN -DDEFINE_VALLOC \
	-DDEFINE_PVALLOC -DDEFINE_MALLOC_USABLE_SIZE \
	-c "$dir/src/$member" -o "$out"
