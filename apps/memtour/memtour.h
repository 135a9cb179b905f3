/* SPDX-License-Identifier: MIT */
/*
 * apps/memtour/memtour.h - what the tour's files share: reading /proc
 * (proc.c), printing a step (main.c), and the steps themselves (one file
 * per part of the memory manager: physical.c, process.c, pressure.c).
 *
 * Every number the tour prints is read from /proc or is the result of the
 * app's own call, never computed from what it expects; sizes are in kB as
 * /proc prints them.
 */
#ifndef MEMTOUR_H
#define MEMTOUR_H

#include <stddef.h>
#include <stdint.h>

#define KB	  1024L
#define MB	  (1024 * KB)
#define PAGE_SIZE 4096L

/* Linux's advice values that pagoda's vm/mman.h does not name (yet). */
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* ---- proc.c ---- */

/* The whole text of a /proc file (a static buffer, good until the next
 * call), or NULL when it cannot be read. */
const char *proc_read(const char *path);

/* The number after "key" at the start of a line of text: "MemFree:" in
 * meminfo, "pswpout " in vmstat, "VmRSS:" in status. -1 when absent. */
long proc_key(const char *text, const char *key);

long meminfo(const char *key);	  /* "MemFree": kB */
long vmstat(const char *name);	  /* "pswpout": a count, -1 if not there */
long status(const char *key);	  /* "VmRSS": kB */
long sysctl_vm(const char *name); /* /proc/sys/vm/NAME */

/* The /proc/self/maps line whose range holds addr (no newline), or NULL. */
const char *maps_line(uintptr_t addr);

/* Write to every page of [p, p + len) (a value that depends on the page),
 * or read every page back and count the pages that do not hold it. */
void touch_pages(void *p, size_t len);
size_t check_pages(const void *p, size_t len);
long read_pages(const void *p, size_t len);

/* ---- main.c ---- */

/* The step's title line and its explanation (a paragraph, wrapped). */
void step_begin(int n, const char *title, const char *text);
const char *errno_name(int e);
/* Whether MemAvailable holds need_kb; if not, says so and the step skips
 * its actions (a small MEM=). */
int enough_memory(long need_kb);

/* ---- the steps ---- */
void step_memory_map(void);
void step_zones(void);
void step_slab(void);
void step_malloc(void);
void step_lazy(void);
void step_swap(void);
void step_trim(void);
void step_oom_policy(void);
void step_meminfo(void);

#endif
