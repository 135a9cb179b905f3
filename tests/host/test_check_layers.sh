#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_check_layers.sh - scripts/check-layers.sh, the floor
# check of `make check`, passes on the tree and refuses a copy of it with
# one upward include planted (lib/ including vm/, hal/ including kernel/),
# naming the file and line; an include of a lower floor stays allowed; and
# docs/architecture.md shows the graph scripts/include-graph.py draws. TAP.
set -u
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
fail=0
echo "1..5"
if scripts/check-layers.sh . >/dev/null 2>&1; then
	echo "ok 1 - the tree's floors hold"
else
	echo "not ok 1 - the tree has an upward include:"
	scripts/check-layers.sh . | sed 's/^/# /'
	fail=1
fi
plant() { # FILE INCLUDE: a copy of the tree with INCLUDE added to FILE
	rm -rf "$copy/t" && mkdir "$copy/t"
	cp -r lib hal alloc vm kernel boot "$copy/t/"
	printf '#include "%s"\n' "$2" >>"$copy/t/$1"
}
n=2
for case in "lib/strbuf.c vm/vm.h" "hal/riscv/timer.c kernel/kernel.h"; do
	set -- $case
	plant "$1" "$2"
	lines=$(wc -l <"$copy/t/$1")
	if ! out=$(scripts/check-layers.sh "$copy/t" 2>&1) &&
		echo "$out" | grep -q "^$1:$lines: includes $2"; then
		echo "ok $n - $1 including $2 is refused, by file and line"
	else
		echo "not ok $n - $1 including $2 passed: $out"
		fail=1
	fi
	n=$((n + 1))
done
plant kernel/file.c hal/riscv/riscv.h
if scripts/check-layers.sh "$copy/t" >/dev/null 2>&1; then
	echo "ok 4 - kernel/ including hal/ (a lower floor) passes"
else
	echo "not ok 4 - a downward include was refused"
	fail=1
fi
# docs/architecture.md's text graph is the tree's
want=$(scripts/include-graph.py text)
got=$(sed -n '/^<!-- include-graph -->$/,/^<!-- \/include-graph -->$/p' docs/architecture.md |
	sed '1,2d;$d' | sed '$d')
if [ "$want" = "$got" ]; then
	echo "ok 5 - docs/architecture.md shows the tree's include graph"
else
	echo "not ok 5 - docs/architecture.md's include graph is stale (make graph, copy the text)"
	fail=1
fi
exit $fail
