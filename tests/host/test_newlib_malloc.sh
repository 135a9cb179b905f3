#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_newlib_malloc.sh OUT - scripts/newlib-malloc.sh's object,
# built by it for the host (cc -O2, the host's headers), holds the memalign
# pattern of apps/membench (tests/host/newlib_memalign.c) over the host's
# sbrk. The regression: without -fno-builtin gcc dropped memalign's store
# of the leading chunk's size before its free (docs/membench.md), and the
# program died. Skipped when Debian's newlib-source is not installed
# (/usr/src/newlib; the script would install it). TAP.
set -u
out=$1
cc=${HOST_CC:-cc}
mkdir -p "$out" || exit 1
if ! find /usr/src/newlib -maxdepth 1 -name 'newlib-*.tar.*' 2>/dev/null | grep -q .; then
	echo "1..0 # SKIP newlib-source is not installed (apt-get install newlib-source)"
	exit 0
fi
echo "1..2"
fail=0
if scripts/newlib-malloc.sh "$cc -O2" /usr/include "$out" "$out/newlib-malloc.o" >"$out/build.log" 2>&1 &&
	$cc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$out/newlib-memalign" \
		tests/host/newlib_memalign.c "$out/newlib-malloc.o" >>"$out/build.log" 2>&1; then
	echo "ok 1 - newlib's mallocr.c built by scripts/newlib-malloc.sh and linked"
else
	echo "not ok 1 - the build failed ($out/build.log)"
	sed 's/^/# /' "$out/build.log"
	echo "not ok 2 - memalign pattern # not run"
	exit 1
fi
"$out/newlib-memalign" >"$out/run.log" 2>&1
rc=$?
if [ $rc = 0 ] && [ "$(grep -c ': ok$' "$out/run.log")" = 5 ]; then
	echo "ok 2 - memalign at 16 .. 4096: 200 blocks, ten rounds, no overlap"
else
	echo "not ok 2 - memalign pattern: status $rc"
	sed 's/^/# /' "$out/run.log"
	fail=1
fi
exit $fail
