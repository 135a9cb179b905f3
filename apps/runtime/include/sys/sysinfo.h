/* SPDX-License-Identifier: MIT */
/*
 * <sys/sysinfo.h> for apps: picolibc has none. Linux's struct sysinfo
 * (memory in units of mem_unit bytes), get_nprocs and the page counts.
 */
#ifndef PAGODA_APP_SYS_SYSINFO_H
#define PAGODA_APP_SYS_SYSINFO_H

struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[4];
};

int sysinfo(struct sysinfo *info);
int get_nprocs(void);
int get_nprocs_conf(void);
long get_phys_pages(void);
long get_avphys_pages(void);

#endif
