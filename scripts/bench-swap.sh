#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/bench-swap.sh QEMU TEST_IMAGE APP_IMAGE BUILD MEM SWAP - make bench
# BENCH=swap: swap's throughput beside the disk's, measured in one run.
#
#   1. the test image, bench=virtio_seq, on a fresh scratch disk (64M,
#      zeroed): raw sequential virtio-blk throughput in real time, then
#      again under -icount shift=0 for the driver's instructions per request
#   2. apps/swapbench (APP_IMAGE) at MEM with a fresh SWAP-byte swap disk
#      (mkswap): out-in, fault and lru (label=aging), real time
#   3. the same, out-in and fault, under -icount shift=0: exact
#      instructions per page and per major fault
#   4. the same, lru only, with the boot option lru=fifo (no aging):
#      the FIFO baseline
#   5. from those lines:
#        bench: swap_ratio op=out|in swap_mib_s=X raw_mib_s=Y raw_req=N
#               raw_depth=N ratio=R page_raw_mib_s=Y page_ratio=R goal=0.70
#      ratio is swap's pressure throughput (exact=0) over the fastest raw
#      case of that direction (exact=0); page_ratio over the fastest with
#      4 KiB requests; and
#        bench: swap_lru_compare aging_per_1000=X fifo_per_1000=Y
#
# Prints only "bench: " lines (scripts/bench-lines.sh). A boot whose app
# does not end with status 0 (before swap-out exists: the OOM killer,
# 137) is a line "bench: swap_error part=... error=status_N" and the last
# lines of its console on stderr; the other steps still run. Exits 1 only
# when QEMU itself cannot run or a boot times out (600 s).
set -u
[ $# -eq 6 ] || { echo "usage: $0 QEMU TEST_IMAGE APP_IMAGE BUILD MEM SWAP" >&2; exit 2; }
QEMU=$1 TEST_IMAGE=$2 APP_IMAGE=$3 BUILD=$4 MEM=$5 SWAP=$6
HERE=$(dirname "$0")
LOG=$BUILD/bench-swap.log
LINES=$BUILD/bench-swap.lines
SCRATCH=$BUILD/bench-scratch.img
SWAPIMG=$BUILD/bench-swap.img
MKSWAP=$(command -v mkswap || echo /sbin/mkswap)
: >"$LINES"
failed=0

# boot PART IMAGE DISK ICOUNT APPEND: one boot; its bench lines to LINES
boot() {
	part=$1 image=$2 disk=$3 icount=$4 append=$5
	timeout 600 $QEMU -machine virt -smp 1 -nographic -no-reboot -bios default \
		-m "$MEM" -kernel "$image" $icount -append "$append" \
		-drive "file=$disk,if=none,format=raw,id=d0" \
		-device virtio-blk-device,drive=d0 >"$LOG" 2>&1
	rc=$?
	"$HERE/bench-lines.sh" "$LOG" | grep -v "^bench: boot_memory " | tee -a "$LINES"
	if [ $rc -eq 124 ] || [ $rc -eq 127 ] || ! grep -q "pagoda: exit status" "$LOG"; then
		echo "bench: swap_error part=$part error=qemu_rc_$rc" | tee -a "$LINES"
		tail -20 "$LOG" >&2
		failed=1
	elif [ $rc -ne 0 ]; then
		echo "bench: swap_error part=$part error=status_$rc" | tee -a "$LINES"
		tail -5 "$LOG" >&2
	fi
}

fresh_swap() {
	rm -f "$SWAPIMG" && truncate -s "$SWAP" "$SWAPIMG" &&
		"$MKSWAP" -q -L pagoda-bench "$SWAPIMG" >/dev/null
}

rm -f "$SCRATCH" && truncate -s 64M "$SCRATCH"
boot raw "$TEST_IMAGE" "$SCRATCH" "" "bench=virtio_seq"
boot raw_icount "$TEST_IMAGE" "$SCRATCH" "-icount shift=0" "bench=virtio_seq"
rm -f "$SCRATCH"
fresh_swap && boot swapbench "$APP_IMAGE" "$SWAPIMG" "" "norandmaps -- out-in fault lru label=aging"
fresh_swap && boot swapbench_icount "$APP_IMAGE" "$SWAPIMG" "-icount shift=0" "norandmaps -- out-in fault"
fresh_swap && boot swapbench_fifo "$APP_IMAGE" "$SWAPIMG" "" "norandmaps lru=fifo -- lru label=fifo"
rm -f "$SWAPIMG"

awk '
function v(key,   i) {
	for (i = 1; i <= NF; i++)
		if (index($i, key "=") == 1)
			return substr($i, length(key) + 2)
	return ""
}
$2 == "virtio_seq" && v("exact") == "0" && v("mib_s") != "" {
	op = v("op") == "write" ? "out" : "in"
	m = v("mib_s") + 0
	if (m > best[op]) { best[op] = m; req[op] = v("req"); depth[op] = v("depth") }
	if (v("req") == "4096" && m > page[op]) page[op] = m
}
($2 == "swap_out" || $2 == "swap_in") && v("how") == "pressure" && v("exact") == "0" {
	swap[substr($2, 6)] = v("mib_s") + 0
}
$2 == "swap_lru" { lru[v("lru")] = v("per_1000") }
END {
	split("out in", ops, " ")
	for (i = 1; i <= 2; i++) {
		op = ops[i]
		if (!(op in swap) || !(op in best)) {
			printf "bench: swap_ratio op=%s error=%s\n", op,
			       (op in swap) ? "no_raw_line" : "no_swap_line"
			continue
		}
		printf "bench: swap_ratio op=%s swap_mib_s=%.2f raw_mib_s=%.2f raw_req=%s raw_depth=%s ratio=%.2f page_raw_mib_s=%.2f page_ratio=%.2f goal=0.70\n",
		       op, swap[op], best[op], req[op], depth[op], swap[op] / best[op],
		       page[op], page[op] ? swap[op] / page[op] : 0
	}
	if (("aging" in lru) && ("fifo" in lru))
		printf "bench: swap_lru_compare aging_per_1000=%s fifo_per_1000=%s\n", lru["aging"], lru["fifo"]
	else
		printf "bench: swap_lru_compare error=missing_%s\n", ("aging" in lru) ? "fifo" : "aging"
}' "$LINES"
exit $failed
