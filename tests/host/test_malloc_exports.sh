#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_malloc_exports.sh SO - libpagoda-malloc.so exports the
# allocation API and nothing else: `nm -D --defined-only SO` lists exactly
# the names below. Every other name of alloc/malloc/ is malloc_-prefixed and
# hidden (internal.h, sys.h); an extra name here fails. The library needs
# no exported fork or thread hook (sys_thread.c registers its own). TAP.
set -u
so=$1
api="aligned_alloc calloc free mallinfo2 malloc malloc_stats malloc_trim
malloc_usable_size mallopt memalign posix_memalign pvalloc realloc
reallocarray valloc"
fail=0
echo "1..3"
if names=$(nm -D --defined-only "$so" 2>&1) && [ -n "$names" ]; then
	echo "ok 1 - nm -D --defined-only $(basename "$so")"
else
	echo "not ok 1 - nm -D --defined-only $so: ${names:-nothing}"
	names=
	fail=1
fi
# "ADDRESS TYPE NAME[@VERSION]": the names alone
got=$(echo "$names" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u)
want=$(echo $api | tr ' ' '\n' | sort)
missing=$(echo "$want" | grep -vxF -e "$got")
extra=$(echo "$got" | grep -vxF -e "$want")
if [ -n "$got" ] && [ -z "$missing" ]; then
	echo "ok 2 - every name of the API is exported"
else
	echo "not ok 2 - not exported:" $missing
	fail=1
fi
if [ -n "$got" ] && [ -z "$extra" ]; then
	echo "ok 3 - nothing else is exported"
else
	echo "not ok 3 - exported beyond the API:" $extra
	fail=1
fi
exit $fail
