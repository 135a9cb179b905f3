#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/check-layers.sh [ROOT] - the floors hold: a file includes headers
# of its own floor and the floors below it, never one above.
#
#   lib  <  hal  <  alloc  <  vm  <  kernel  <  boot
#
# lib/ uses nothing of any floor; boot/ composes everything. A lower floor
# reaches a higher one only through a contract it declares itself (as
# alloc/machine.h) or a callback it is handed (lib's panic_set_ops). apps/
# and tests/ stand beside the floors and are not checked. Prints every
# upward include as FILE:LINE: and exits 1 if there is one.
set -euo pipefail
root=${1:-.}
cd "$root"

floor() {
	case "$1" in
	lib) echo 0 ;; hal) echo 1 ;; alloc) echo 2 ;; vm) echo 3 ;;
	kernel) echo 4 ;; boot) echo 5 ;; *) echo "" ;;
	esac
}

bad=0
while IFS= read -r file; do
	own=$(floor "${file%%/*}")
	while IFS=: read -r line inc; do
		target=$(floor "${inc%%/*}")
		[ -n "$target" ] || continue
		if [ "$target" -gt "$own" ]; then
			echo "$file:$line: includes $inc: ${inc%%/*}/ is above ${file%%/*}/"
			bad=1
		fi
	done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
		sed -E 's/^([0-9]+):.*"([^"]+)".*/\1:\2/')
done < <(find lib hal alloc vm kernel boot -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort)
exit $bad
