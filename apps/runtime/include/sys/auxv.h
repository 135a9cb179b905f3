/* SPDX-License-Identifier: MIT */
/*
 * <sys/auxv.h> for apps: getauxval() over the auxiliary vector the runtime
 * put on the initial stack (apps/runtime/start.c), with Linux's numbers.
 */
#ifndef PAGODA_APPS_SYS_AUXV_H
#define PAGODA_APPS_SYS_AUXV_H

/* clang-format off */
#define AT_PAGESZ  6
#define AT_RANDOM  25
/* clang-format on */

unsigned long getauxval(unsigned long type);

#endif
