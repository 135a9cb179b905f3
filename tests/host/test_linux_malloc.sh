#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_linux_malloc.sh LIB OUT [MUSL_LIB] - libpagoda-malloc.a
# (alloc/malloc/linux.mk) replaces glibc's malloc in a static riscv64 Linux
# program, and libpagoda-malloc-musl.a musl's (with MUSL_LIB, built by
# $MUSL_GCC). TAP.
#
# tests/host/linux_malloc_prog.c is linked twice into OUT, as
#   riscv64-linux-gnu-gcc -static prog.c            (glibc's malloc)
#   riscv64-linux-gnu-gcc -static prog.c LIB        (pagoda's)
# and run under qemu-riscv64. The pagoda link must leave libc.a(malloc.o)
# out (the link map) and carry malloc's own internals (nm: malloc_page_alloc,
# no _int_malloc); both programs must print the same lines and exit 0 for the
# workload and the threads; malloc_info names pagoda; a double free ends
# with pagoda's message and status 134. A program that calls no allocation
# function itself gets pagoda's with -Wl,-u,malloc. With musl the same
# program (its glibc-only parts left out) is linked both ways: no member of
# musl's mallocng (malloc.lo) in the pagoda link, the same lines from work
# and threads, pagoda's double-free message.
set -u
lib=$1
out=$2
musl_lib=${3:-}
musl_cc=${MUSL_GCC:-}
cc=${LINUX_CC:-riscv64-linux-gnu-gcc}
nm=${LINUX_NM:-riscv64-linux-gnu-nm}
qemu=${QEMU_USER:-qemu-riscv64}
src=tests/host/linux_malloc_prog.c
cflags="-std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-deprecated-declarations -static"
n=0
fail=0
mkdir -p "$out" || exit 1

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "# $l"; done
	fail=1
}

# run NAME MODE: OUT/NAME MODE under qemu; $rc, OUT/NAME.MODE.out, .err
run() {
	"$qemu" "$out/$1" "$2" >"$out/$1.$2.out" 2>"$out/$1.$2.err"
	rc=$?
}

if [ -n "$musl_lib" ]; then echo "1..13"; else echo "1..9"; fi
if $cc $cflags -Wl,-Map="$out/glibc.map" -o "$out/glibc" $src -lpthread \
	>"$out/glibc.log" 2>&1 && grep -q 'libc\.a(malloc\.o)' "$out/glibc.map"; then
	ok "link with glibc's malloc (libc.a(malloc.o) in the map)"
else
	not_ok "link with glibc's malloc" "$(tail -n 3 "$out/glibc.log")"
fi

if $cc $cflags -Wl,-Map="$out/pagoda.map" -o "$out/pagoda" $src "$lib" -lpthread \
	>"$out/pagoda.log" 2>&1; then
	if grep -q 'libc\.a(malloc\.o)' "$out/pagoda.map"; then
		not_ok "link with $(basename "$lib")" "glibc's malloc.o was pulled in too"
	else
		ok "link with $(basename "$lib"): no duplicate names, no libc.a(malloc.o)"
	fi
else
	not_ok "link with $(basename "$lib")" "$(tail -n 3 "$out/pagoda.log")"
fi

syms=$($nm "$out/pagoda" 2>/dev/null)
if echo "$syms" | grep -qw malloc_page_alloc && ! echo "$syms" | grep -qw _int_malloc &&
	$nm "$out/glibc" 2>/dev/null | grep -qw _int_malloc; then
	ok "nm: pagoda's malloc_page_alloc and no _int_malloc (glibc's has it)"
else
	not_ok "nm: pagoda's internals, not glibc's"
fi

for mode in work threads; do
	run glibc $mode
	grc=$rc
	run pagoda $mode
	if [ $grc = 0 ] && [ $rc = 0 ] && tail -n 1 "$out/pagoda.$mode.out" | grep -qx "$mode: ok" &&
		cmp -s "$out/glibc.$mode.out" "$out/pagoda.$mode.out"; then
		ok "$mode: status 0 and the same $(wc -l <"$out/pagoda.$mode.out") lines with either malloc"
	else
		not_ok "$mode: glibc status $grc, pagoda status $rc" \
			"$(diff "$out/glibc.$mode.out" "$out/pagoda.$mode.out" | head -n 5)" \
			"$(head -n 3 "$out/pagoda.$mode.err")"
	fi
done

run pagoda info
if [ $rc = 0 ] && grep -q '<malloc version="pagoda">' "$out/pagoda.info.out"; then
	ok "malloc_info names pagoda"
else
	not_ok "malloc_info: status $rc" "$(head -n 1 "$out/pagoda.info.out")"
fi

run pagoda double
if [ $rc = 134 ] && grep -q '^malloc: double free of 0x' "$out/pagoda.double.err"; then
	ok "double free: \"$(head -n 1 "$out/pagoda.double.err")\", status 134"
else
	not_ok "double free: status $rc" "$(head -n 2 "$out/pagoda.double.err")"
fi
run glibc double
if [ $rc = 134 ] && ! grep -q '^malloc: ' "$out/glibc.double.err"; then
	ok "double free with glibc's malloc: its own message, status 134"
else
	not_ok "double free with glibc's malloc: status $rc"
fi

# strdup's malloc is libc's call, not the program's: -u malloc
printf '#include <string.h>\nint main(void) { return !strdup("x"); }\n' >"$out/strdup.c"
if $cc $cflags -Wl,-u,malloc -Wl,-Map="$out/strdup.map" -o "$out/strdup" \
	"$out/strdup.c" "$lib" >"$out/strdup.log" 2>&1 &&
	! grep -q 'libc\.a(malloc\.o)' "$out/strdup.map" && "$qemu" "$out/strdup"; then
	ok "-Wl,-u,malloc: a program that only calls strdup gets pagoda's malloc"
else
	not_ok "-Wl,-u,malloc with strdup" "$(tail -n 3 "$out/strdup.log")"
fi
[ -n "$musl_lib" ] || exit $fail

# ---- musl ----
mflags="-std=gnu11 -O1 -g -Wall -Wextra -Werror -static"
if $musl_cc $mflags -Wl,-Map="$out/musl.map" -o "$out/musl" $src -lpthread \
	>"$out/musl.log" 2>&1 && grep -q 'libc\.a(malloc\.lo)' "$out/musl.map" &&
	$musl_cc $mflags -Wl,-Map="$out/musl-pagoda.map" -o "$out/musl-pagoda" $src \
		"$musl_lib" -lpthread >>"$out/musl.log" 2>&1; then
	if grep -q 'libc\.a(malloc\.lo)' "$out/musl-pagoda.map" ||
		! $nm "$out/musl-pagoda" | grep -qw malloc_page_alloc; then
		not_ok "musl: link with $(basename "$musl_lib")" "musl's mallocng was pulled in too"
	else
		ok "musl: linked with musl's malloc, and with $(basename "$musl_lib") (no malloc.lo)"
	fi
else
	not_ok "musl: link both ways" "$(tail -n 3 "$out/musl.log")"
fi
for mode in work threads; do
	run musl $mode
	mrc=$rc
	run musl-pagoda $mode
	if [ $mrc = 0 ] && [ $rc = 0 ] && tail -n 1 "$out/musl-pagoda.$mode.out" | grep -qx "$mode: ok" &&
		cmp -s "$out/musl.$mode.out" "$out/musl-pagoda.$mode.out"; then
		ok "musl: $mode: status 0 and the same $(wc -l <"$out/musl-pagoda.$mode.out") lines with either malloc"
	else
		not_ok "musl: $mode: musl status $mrc, pagoda status $rc" \
			"$(diff "$out/musl.$mode.out" "$out/musl-pagoda.$mode.out" | head -n 5)" \
			"$(head -n 3 "$out/musl-pagoda.$mode.err")"
	fi
done
run musl-pagoda double
if [ $rc = 134 ] && grep -q '^malloc: double free of 0x' "$out/musl-pagoda.double.err"; then
	ok "musl: double free: \"$(head -n 1 "$out/musl-pagoda.double.err")\", status 134"
else
	not_ok "musl: double free: status $rc" "$(head -n 2 "$out/musl-pagoda.double.err")"
fi
exit $fail
