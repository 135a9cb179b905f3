/* SPDX-License-Identifier: MIT */
/*
 * <unistd.h> for apps: picolibc's, plus brk(), which it does not declare.
 */
#ifndef PAGODA_APP_UNISTD_H
#define PAGODA_APP_UNISTD_H

#include_next <unistd.h>

/* Set the program break to addr: 0, or -1 with errno ENOMEM. */
int brk(void *addr);

#endif
