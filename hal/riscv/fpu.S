/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/fpu.S - save and restore the app's floating-point registers
 * (struct fp_state, riscv.h: f0-f31 and fcsr, Linux's __riscv_d_ext_state).
 *
 * The kernel is built rv64imac and never touches a floating-point register;
 * these are the only instructions that do, so only this file is assembled
 * with F and D on. sstatus.FS must not be Off for them to run: each routine
 * turns it on (Clean) for itself. That changes nothing the app sees, since
 * trap_return writes sstatus back from the frame; the caller (kernel/sched.c)
 * keeps the frame's FS, the only copy that matters.
 *
 * The _d routines move 64-bit registers (a hart with D); the _f ones 32-bit
 * ones (F only), into the low half of each slot.
 */
#include "hal/riscv/riscv.h"

	.option	push
	.option	arch, +d

#define FP_ON	li t0, SSTATUS_FS; csrs CSR_SSTATUS, t0

/* op f0, 0(a0) ... op f31, 248(a0): one slot of 8 bytes per register */
.macro	fp_all op
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	\op	f\n, \n * 8(a0)
	.endr
.endm

	.text
	.balign	4
	.globl	fpu_save_d
fpu_save_d:				/* a0 = struct fp_state * */
	FP_ON
	fp_all	fsd
	frcsr	t0
	sw	t0, FP_FCSR(a0)
	ret

	.globl	fpu_restore_d
fpu_restore_d:				/* a0 = const struct fp_state * */
	FP_ON
	fp_all	fld
	lw	t0, FP_FCSR(a0)
	fscsr	t0
	ret

	.globl	fpu_save_f
fpu_save_f:
	FP_ON
	fp_all	fsw
	frcsr	t0
	sw	t0, FP_FCSR(a0)
	ret

	.globl	fpu_restore_f
fpu_restore_f:
	FP_ON
	fp_all	flw
	lw	t0, FP_FCSR(a0)
	fscsr	t0
	ret

	.option	pop
