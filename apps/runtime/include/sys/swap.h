/* SPDX-License-Identifier: MIT */
/*
 * <sys/swap.h> for apps: picolibc has none. glibc's swapon(2) and
 * swapoff(2) with Linux's flags: SWAP_FLAG_PREFER and a priority
 * 0..32767 in the low bits ((prio << SWAP_FLAG_PRIO_SHIFT) &
 * SWAP_FLAG_PRIO_MASK); without it the runtime assigns -2, -3, ...
 * SWAP_FLAG_DISCARD is accepted and ignored. The path is /dev/vda,
 * /dev/vdb, ... (the virtio disks in probe order).
 */
#ifndef PAGODA_APP_SYS_SWAP_H
#define PAGODA_APP_SYS_SWAP_H

/* clang-format off */
#define SWAP_FLAG_PREFER        0x8000
#define SWAP_FLAG_PRIO_MASK     0x7fff
#define SWAP_FLAG_PRIO_SHIFT    0
#define SWAP_FLAG_DISCARD       0x10000
#define SWAP_FLAG_DISCARD_ONCE  0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
/* clang-format on */

int swapon(const char *path, int flags);
int swapoff(const char *path);

#endif
