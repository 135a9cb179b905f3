// SPDX-License-Identifier: MIT
/*
 * vm/swap.c - swap's tunables: Linux's vm.swappiness (how readily reclaim
 * takes anonymous pages rather than what the other shrinkers hold, 0..200;
 * vmscan.c) and vm.page-cluster (at most 2^N pages read from swap at once,
 * 0..31; swap_state.c caps the window at 32 pages). /proc/sys/vm reads and
 * writes them (kernel/sysctl.c).
 */
#include "vm/vm.h"

int vm_swappiness = 60;
int page_cluster = 3;
