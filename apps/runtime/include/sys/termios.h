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

/* clang-format off */
#define NCCS     19
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6

#define ICRNL    0000400
#define IXON     0002000
#define OPOST    0000001
#define ONLCR    0000004
#define ISIG     0000001
#define ICANON   0000002
#define ECHO     0000010
#define ECHOE    0000020
#define ECHOK    0000040
#define ECHONL   0000100
#define IEXTEN   0100000

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
