#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/host/test_bench_log.sh - scripts/bench-log.py and scripts/bench-report
# on a captured console with a board's noise (tests/host/bench-log/: a
# VisionFive 2 style log with CRLF line ends, power-up bytes, U-Boot SPL,
# OpenSBI's banner, U-Boot's prompt with a typed "bench:", kernel log
# stamps, an ANSI escape, a byte of noise inside a bench line, a cut JSON
# line, a carriage return overwriting a line, and a last line cut by the
# end of the capture): exactly the expected lines, the drops counted; the
# same with LF line ends; nothing found is status 1; the wrapper prints
# the lines without scripts/bench-report.py and hands them to it (--log -)
# with it. TAP.
set -u
dir=tests/host/bench-log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
result() { # result OK DESCRIPTION [FILE with the details]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || sed 's/^/# /' "$3"
		fail=1
	fi
}
echo "1..6"

scripts/bench-log.py <$dir/uart-visionfive2.log >"$tmp/out" 2>"$tmp/err"
rc=$?
diff -u $dir/uart-visionfive2.expected "$tmp/out" >"$tmp/diff" 2>&1 && [ $rc = 0 ]
result $? "the noisy UART log gives exactly the expected lines, status 0" "$tmp/diff"

grep -qx 'bench-log: 10 line(s); dropped 3 garbled, the last line (no newline: cut)' "$tmp/err"
result $? "the dropped lines are counted on stderr" "$tmp/err"

sed 's/\r$//' <$dir/uart-visionfive2.log >"$tmp/lf.log"
scripts/bench-log.py "$tmp/lf.log" 2>/dev/null | diff -u $dir/uart-visionfive2.expected - >"$tmp/diff" 2>&1
result $? "the same log with LF line ends (QEMU's console), given as a file" "$tmp/diff"

printf 'OpenSBI v1.2\r\nU-Boot 2023.01\r\n=> bench: typed at the prompt\r\n' | scripts/bench-log.py >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q 'no bench: or JSON lines' "$tmp/err"
result $? "a log without results: nothing printed, status 1 (was $rc)" "$tmp/err"

mkdir -p "$tmp/scripts"
cp scripts/bench-report scripts/bench-log.py "$tmp/scripts/"
"$tmp/scripts/bench-report" <$dir/uart-visionfive2.log 2>/dev/null | diff -u $dir/uart-visionfive2.expected - >"$tmp/diff" 2>&1
result $? "scripts/bench-report without bench-report.py prints the lines" "$tmp/diff"

cat >"$tmp/scripts/bench-report.py" <<'PY'
import sys
print("report", " ".join(sys.argv[1:]), len(sys.stdin.read().splitlines()))
PY
"$tmp/scripts/bench-report" <$dir/uart-visionfive2.log >"$tmp/out" 2>/dev/null
echo "report --log - 10" | diff -u - "$tmp/out" >"$tmp/diff" 2>&1
result $? "scripts/bench-report hands the lines to bench-report.py --log -" "$tmp/diff"
exit $fail
