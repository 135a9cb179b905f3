/* SPDX-License-Identifier: MIT */
/* <sys/uio.h> for apps: writev() (picolibc has none). */
#ifndef PAGODA_APP_SYS_UIO_H
#define PAGODA_APP_SYS_UIO_H

#include <stddef.h>
#include <sys/types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
