#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_bench_report.sh - scripts/bench-report.py on the small
# fixture in tests/host/bench_fixture/ (made-up numbers, not results): the
# report must carry the ratio tables, the "where pagoda loses" list, the
# kernel lines, an HTML copy and the plots; a folder with nothing in it
# must say "not run"; and a console capture on standard input (--log -)
# must give the same kernel and membench numbers. TAP output.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPORT="$HERE/../../scripts/bench-report.py"
FIX="$HERE/bench_fixture"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

check() { # check NAME COMMAND...: one TAP line
	name=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=1
	fi
}

# shellcheck disable=SC2317 # called through check
has() { grep -qF -- "$2" "$1"; }

echo "TAP version 13"
python3 "$REPORT" --dir "$FIX" --out "$TMP/a" --qemu-version "fixture QEMU" \
	>"$TMP/a.out" 2>&1
check "runs on the fixture" test -s "$TMP/a/report.md"
md="$TMP/a/report.md"
check "states the date" grep -qE '^\| date \| [0-9]{4}-[0-9]{2}-[0-9]{2} ' "$md"
check "states the QEMU version" has "$md" "| QEMU | fixture QEMU |"
check "states the host" grep -q '^| host | ' "$md"
check "host ratio table" has "$md" "| workload | time /glibc | time /mimalloc | instr /glibc | instr /mimalloc | RSS /glibc | RSS /mimalloc |"
# pagoda 10.0 ns/op against glibc's 8.0 and mimalloc's 5.0
check "host ratios" has "$md" "| pairs t=1 | 1.25 | 2.00 | 0.75 | 1.50 | 0.50 | 0.33 |"
check "threaded row" has "$md" "| larson t=2 | 0.75 | 3.00 | - | - | 1.00 | 1.00 |"
check "membench ratio table" has "$md" "| pairs16 | 0.35 | 1.33 | 134.10 |"
check "losses listed" has "$md" "- host larson, 2 thread(s): ns/op 60.0 against mimalloc's 20.0 (3.00x)"
check "clear losses apart from the noise" has "$md" "### Small (under 10%) or within the noise"
check "a missed kernel goal is a loss" has "$md" "- kernel buddy_pcp: pair 137, goal 60"
check "kernel numbers" has "$md" "| system call round trip (brk(0)) | \`vm_syscall\` | 306 |"
check "buddyinfo table" has "$md" "| half on after_free | 4344 | 6081 |"
check "kernel.jsonl written" grep -q '"bench": "buddy_merge"' "$TMP/a/kernel.jsonl"
check "HTML copy" grep -q '<table>' "$TMP/a/report.html"
if command -v gnuplot >/dev/null 2>&1; then
	for p in membench-instr-per-op host-instr-per-op host-footprint buddyinfo-half; do
		check "plot $p" grep -q '<svg' "$TMP/a/plots/$p.svg"
		check "plot $p in the report" has "$md" "(plots/$p.svg)"
	done
else
	n=$((n + 1))
	echo "ok $n - # SKIP gnuplot not installed (scripts/deps.sh bench)"
fi

mkdir "$TMP/empty"
python3 "$REPORT" --dir "$TMP/empty" --no-plots >"$TMP/b.out" 2>&1
check "empty folder: membench not run" has "$TMP/empty/report.md" "not run (membench.jsonl absent"
check "empty folder: host not run" has "$TMP/empty/report.md" "not run (host.jsonl absent"

python3 "$REPORT" --log - --out "$TMP/log" --no-plots <"$FIX/console.log" \
	>"$TMP/c.out" 2>&1
lmd="$TMP/log/report.md"
check "console log: kernel line" has "$lmd" "| buddy: pcp pair (order-0 alloc+free) | \`buddy_pcp\` | 137 | 60 | **missed** |"
check "console log: boot memory line" has "$lmd" "| 2048 | 15784611 | 7892305 |"
check "console log: membench JSON after a timestamp" has "$lmd" "| realloc | pagoda | 1026 | 430 |"
check "console log: QEMU not known" has "$lmd" "| QEMU | not known (a console log) |"

echo "1..$n"
exit $failed
