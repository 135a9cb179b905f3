/* SPDX-License-Identifier: MIT */
/*
 * <sys/utsname.h> for apps: picolibc has none. Linux's struct, filled by
 * the uname system call.
 */
#ifndef PAGODA_APP_SYS_UTSNAME_H
#define PAGODA_APP_SYS_UTSNAME_H

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

int uname(struct utsname *buf);

#endif
