// SPDX-License-Identifier: MIT
/*
 * vm/swap.c - swap's tunables, ahead of swap itself (issue 13): Linux's
 * vm.swappiness (how readily reclaim takes anonymous pages rather than
 * cache, 0..200) and vm.page-cluster (2^N pages read from swap at once,
 * 0..31). /proc/sys/vm reads and writes them (kernel/sysctl.c); nothing
 * reads them until the swap device and its shrinker exist.
 */
#include "vm/vm.h"

int vm_swappiness = 60;
int page_cluster = 3;
