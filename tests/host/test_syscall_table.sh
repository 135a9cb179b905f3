#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_syscall_table.sh - docs/linux-programs.md's system call
# table is what scripts/syscall-table.py reads from kernel/syscall.c's
# dispatch now, and the script follows the dispatch: in a copy of the tree
# with cases planted (a new call, labels falling through to one body with
# comments around them, a case in braces), the doc's table is found stale
# and the new rows say what the cases do. TAP.
set -u
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
fail=0
echo "1..4"
if scripts/syscall-table.py --check 2>"$copy/err"; then
	echo "ok 1 - docs/linux-programs.md holds the dispatch's system call table"
else
	echo "not ok 1 - docs/linux-programs.md's system call table is stale (make syscall-table)"
	sed 's/^/# /' "$copy/err"
	fail=1
fi
mkdir -p "$copy/t"
cp -r lib hal alloc vm kernel boot docs "$copy/t/"
# three numbers unistd.h does not have yet, and cases before the
# dispatch's default (the one that calls unknown_syscall)
sed -i 's/^#define SYS_getcwd .*/&\n#define SYS_pagoda_test_a 900\n#define SYS_pagoda_test_b 901\n#define SYS_pagoda_test_c 902/' \
	"$copy/t/kernel/unistd.h"
awk '/^\tdefault:$/ { held = $0; next }
	held != "" && /unknown_syscall/ {
	print "\tcase SYS_pagoda_test_a: /* planted: a */"
	print "\t/* between the labels */"
	print "\tcase SYS_pagoda_test_b:"
	print "\t\treturn sys_getcwd((char *)a[0], a[1]); /* shared */"
	print "\tcase SYS_pagoda_test_c: {"
	print "\t\tlong r = -EINVAL; /* braces { } in a comment */"
	print "\t\treturn r;"
	print "\t}"
	}
	held != "" { print held; held = "" }
	{ print }' kernel/syscall.c >"$copy/t/kernel/syscall.c"
if scripts/syscall-table.py --root "$copy/t" --check >/dev/null 2>&1; then
	echo "not ok 2 - planted cases went unnoticed by --check"
	fail=1
else
	echo "ok 2 - --check finds the doc stale after cases are added"
fi
out=$(scripts/syscall-table.py --root "$copy/t" 2>&1)
if echo "$out" | grep -qx '| 900 | `pagoda_test_a` | `sys_getcwd()`, kernel/sysinfo.c | the same as `pagoda_test_b`; planted: a; between the labels; shared |' &&
	echo "$out" | grep -qx '| 901 | `pagoda_test_b` | `sys_getcwd()`, kernel/sysinfo.c | the same as `pagoda_test_a`; planted: a; between the labels; shared |' &&
	echo "$out" | grep -qx '| 902 | `pagoda_test_c` | `do_syscall()`, kernel/syscall.c | returns `r`; braces { } in a comment |'; then
	echo "ok 3 - fall-through labels, comments and a braced case are read"
else
	echo "not ok 3 - the planted cases' rows:"
	echo "$out" | grep 'pagoda_test\|syscall-table' | sed 's/^/# /'
	fail=1
fi
scripts/syscall-table.py --root "$copy/t" --update &&
	if scripts/syscall-table.py --root "$copy/t" --check; then
		echo "ok 4 - --update writes what --check wants"
	else
		echo "not ok 4 - --check refuses what --update wrote"
		fail=1
	fi
exit $fail
