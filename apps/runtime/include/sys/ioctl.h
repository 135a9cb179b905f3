/* SPDX-License-Identifier: MIT */
/*
 * <sys/ioctl.h> for apps: picolibc has none. ioctl() on the console with
 * Linux's request numbers (the runtime's terminal, kernel/tty.c).
 */
#ifndef PAGODA_APP_SYS_IOCTL_H
#define PAGODA_APP_SYS_IOCTL_H

/* clang-format off */
#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
/* clang-format on */

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
