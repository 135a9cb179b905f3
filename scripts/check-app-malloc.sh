#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/check-app-malloc.sh MAP - fail if an app's link map shows any of
# picolibc's allocator in it: its nano-malloc objects, or the libc members
# that wrap malloc (aligned_alloc, reallocarray, reallocf). Every app's
# malloc is alloc/malloc/; a second allocator beside it would split the
# heap (both grow the break) and hide which one a program measured.
set -eu
map=$1
found=$(grep -oE 'libc\.a\((nano-malloc-[a-z_]+|libc_stdlib_(aligned_alloc|reallocarray|reallocf|malloc[a-z_]*))\.c\.o\)' "$map" | sort -u || true)
if [ -n "$found" ]; then
	echo "$map: picolibc's allocator is linked into the app:" >&2
	echo "$found" | sed 's/^/  /' >&2
	echo "(alloc/malloc/ must define every allocation function the app uses)" >&2
	exit 1
fi
