/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/internal.h - what the files of hal/riscv/ share and nothing
 * else sees: SBI encodings (from the RISC-V Supervisor Binary Interface
 * specification, v2.0) and the kthread flag the trap path reads.
 */
#ifndef PAGODA_HAL_RISCV_INTERNAL_H
#define PAGODA_HAL_RISCV_INTERNAL_H

/* clang-format off */
/* Extension ids (a7) */
#define SBI_EXT_LEGACY_PUTCHAR  0x01
#define SBI_EXT_LEGACY_GETCHAR  0x02
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE            0x10
#define SBI_EXT_TIME            0x54494d45  /* "TIME" */
#define SBI_EXT_HSM             0x48534d    /* "HSM" */
#define SBI_EXT_SRST            0x53525354  /* "SRST" */
#define SBI_EXT_DBCN            0x4442434e  /* "DBCN" */

/* Function ids (a6) */
#define SBI_BASE_GET_SPEC_VERSION   0
#define SBI_BASE_GET_IMPL_ID        1
#define SBI_BASE_GET_IMPL_VERSION   2
#define SBI_BASE_PROBE_EXTENSION    3
#define SBI_TIME_SET_TIMER          0
#define SBI_HSM_HART_STOP           1
#define SBI_SRST_SYSTEM_RESET       0
#define SBI_DBCN_WRITE              0
#define SBI_DBCN_READ               1

#define SBI_SRST_TYPE_SHUTDOWN      0
#define SBI_SRST_TYPE_COLD_REBOOT   1
#define SBI_SRST_REASON_NONE        0
#define SBI_SRST_REASON_FAILURE     1

#define SBI_ERR_NOT_SUPPORTED       (-2)
/* clang-format on */

#ifndef __ASSEMBLER__
#include <stdbool.h>

/*
 * kthread.c: a thread's turn has come (a wake, or the tick fired). The
 * one word trap.S reads on the way back to U-mode: when nothing is
 * registered it stays false and the return path pays a load and a branch.
 */
extern bool kthread_due;
#endif

#endif
