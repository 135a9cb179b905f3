/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/trap.S - the S-mode trap vector.
 *
 * Direct mode: every trap lands on trap_vector, which saves all 31 general
 * registers and the trap CSRs in a struct trap_frame on the current stack,
 * calls trap_handle(frame) and restores everything, including sepc and
 * sstatus, which the handler may change. Only kernel code traps for now;
 * the U-mode path (stack switch through sscratch) arrives with user space.
 */
#include "hal/riscv/riscv.h"

#define SAVE(n)	sd x##n, TF_REGS + 8 * ((n) - 1)(sp)
#define LOAD(n)	ld x##n, TF_REGS + 8 * ((n) - 1)(sp)

	.text
	.balign	4
	.globl	trap_vector
trap_vector:
	addi	sp, sp, -TF_SIZE
	SAVE(1)
	SAVE(3);  SAVE(4);  SAVE(5);  SAVE(6);  SAVE(7);  SAVE(8);  SAVE(9)
	SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15); SAVE(16)
	SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
	SAVE(24); SAVE(25); SAVE(26); SAVE(27); SAVE(28); SAVE(29); SAVE(30)
	SAVE(31)
	addi	t0, sp, TF_SIZE		/* sp before the trap */
	sd	t0, TF_REGS + 8 * 1(sp)
	csrr	t0, CSR_SEPC
	sd	t0, TF_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, CSR_SCAUSE
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, TF_STVAL(sp)

	mv	a0, sp
	call	trap_handle

	ld	t0, TF_SEPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	CSR_SSTATUS, t0
	LOAD(1)
	LOAD(3);  LOAD(4);  LOAD(5);  LOAD(6);  LOAD(7);  LOAD(8);  LOAD(9)
	LOAD(10); LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15); LOAD(16)
	LOAD(17); LOAD(18); LOAD(19); LOAD(20); LOAD(21); LOAD(22); LOAD(23)
	LOAD(24); LOAD(25); LOAD(26); LOAD(27); LOAD(28); LOAD(29); LOAD(30)
	LOAD(31)
	addi	sp, sp, TF_SIZE
	sret
