/* SPDX-License-Identifier: MIT */
/* <sys/random.h> for apps: getrandom() (picolibc has none). */
#ifndef PAGODA_APP_SYS_RANDOM_H
#define PAGODA_APP_SYS_RANDOM_H

#include <stddef.h>
#include <sys/types.h>

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM   0x2
#define GRND_INSECURE 0x4

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);

#endif
