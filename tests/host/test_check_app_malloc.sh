#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_check_app_malloc.sh MAP - scripts/check-app-malloc.sh,
# the link check that keeps picolibc's allocator out of every app, passes
# on a real app's link map MAP and fails on the same map with one of
# nano-malloc's objects in it. TAP.
set -u
map=$1
bad=$(mktemp)
trap 'rm -f "$bad"' EXIT
fail=0
echo "1..2"
if [ -s "$map" ] && scripts/check-app-malloc.sh "$map" 2>/dev/null; then
	echo "ok 1 - $map: no picolibc allocator"
else
	echo "not ok 1 - $map: the check refused a clean app (or no map)"
	fail=1
fi
cp "$map" "$bad"
printf ' .text.malloc  0x0000000000012000  0x80 %s(nano-malloc-malloc.c.o)\n' \
	/usr/lib/picolibc/riscv64-unknown-elf/lib/release/rv64imac/lp64/libc.a >>"$bad"
if ! out=$(scripts/check-app-malloc.sh "$bad" 2>&1) &&
	echo "$out" | grep -q 'nano-malloc-malloc'; then
	echo "ok 2 - a map with nano-malloc-malloc.c.o is refused, by name"
else
	echo "not ok 2 - a map with nano-malloc-malloc.c.o passed the check"
	fail=1
fi
exit $fail
