/* SPDX-License-Identifier: MIT */
/*
 * <sys/termios.h> for apps, which picolibc's <termios.h> includes and does
 * not ship: Linux's struct termios (the kernel's, as the TCGETS ioctl
 * fills it) and the flags the runtime's terminal honours.
 */
#ifndef PAGODA_APP_SYS_TERMIOS_H
#define PAGODA_APP_SYS_TERMIOS_H

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

/* NCCS, V*, the c_*flag bits: Linux's, one definition for both sides. */
#include "kernel/abi.h"

/* clang-format off */
#define TCSANOW    0
#define TCSADRAIN  1
#define TCSAFLUSH  2
/* clang-format on */

struct termios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int optional_actions, const struct termios *t);

#endif
