/* SPDX-License-Identifier: MIT */
/*
 * <sys/ioctl.h> for apps: picolibc has none. ioctl() on the console with
 * Linux's request numbers (the runtime's terminal, kernel/tty.c).
 */
#ifndef PAGODA_APP_SYS_IOCTL_H
#define PAGODA_APP_SYS_IOCTL_H

/* TCGETS, TIOCGWINSZ...: Linux's numbers, one definition for both sides. */
#include "kernel/abi.h"

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
