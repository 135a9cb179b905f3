/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/trap.S - the S-mode trap vector, for traps from the kernel and
 * from the app in U-mode.
 *
 * Direct mode: every trap lands on trap_vector. sscratch tells where it
 * came from: 0 while the kernel runs, the top of the kernel's trap stack
 * while the app runs. From U-mode, sp is swapped with sscratch so the frame
 * goes on the kernel stack (the app's sp can be anything), sscratch is set
 * to 0 for the kernel's own traps, and tp is reloaded (the app owns it).
 * Both paths save the 31 registers and the trap CSRs in a struct
 * trap_frame, call trap_handle(frame) and restore everything, including
 * sepc and sstatus, which the handler may change. Going back to U-mode
 * (sstatus.SPP clear), the kernel threads whose turn has come run first
 * (kthread_run_pending, on their own stacks), and sscratch is re-armed
 * with the frame's top.
 */
#include "hal/riscv/riscv.h"

#define SAVE(n)	sd x##n, TF_REGS + 8 * ((n) - 1)(sp)
#define LOAD(n)	ld x##n, TF_REGS + 8 * ((n) - 1)(sp)

	.text
	.balign	4
	.globl	trap_vector
trap_vector:
	csrrw	sp, CSR_SSCRATCH, sp
	bnez	sp, from_user
	csrrw	sp, CSR_SSCRATCH, sp	/* from the kernel: sp back, sscratch 0 */
	addi	sp, sp, -TF_SIZE
	SAVE(1)
	SAVE(3);  SAVE(4);  SAVE(5);  SAVE(6);  SAVE(7);  SAVE(8);  SAVE(9)
	SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15); SAVE(16)
	SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
	SAVE(24); SAVE(25); SAVE(26); SAVE(27); SAVE(28); SAVE(29); SAVE(30)
	SAVE(31)
	addi	t0, sp, TF_SIZE		/* sp before the trap */
	sd	t0, TF_REGS + 8 * 1(sp)
	j	save_csrs

from_user:				/* sp: kernel stack top, sscratch: app sp */
	addi	sp, sp, -TF_SIZE
	SAVE(1)
	SAVE(3);  SAVE(4);  SAVE(5);  SAVE(6);  SAVE(7);  SAVE(8);  SAVE(9)
	SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15); SAVE(16)
	SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
	SAVE(24); SAVE(25); SAVE(26); SAVE(27); SAVE(28); SAVE(29); SAVE(30)
	SAVE(31)
	csrrw	t0, CSR_SSCRATCH, zero	/* the app's sp; kernel traps see 0 */
	sd	t0, TF_REGS + 8 * 1(sp)
	la	tp, __tls_start
	mv	fp, zero		/* backtraces stop at the trap */

save_csrs:
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
	/*
	 * On the way back to the app, the kernel threads whose turn has come
	 * (kthread.c): the handler is done, so they interrupt no kernel work.
	 * Here rather than in trap_handle(), whose handlers stay tail calls:
	 * when no turn is due this costs a load and a predicted branch.
	 */
	lbu	t0, kthread_due
	bnez	t0, run_threads

	.globl	trap_return
trap_return:				/* a0 = sp = the frame to resume */
	ld	t0, TF_SSTATUS(sp)
	andi	t1, t0, SSTATUS_SPP
	bnez	t1, 1f
	addi	t1, sp, TF_SIZE		/* to U-mode: next trap's stack top */
	csrw	CSR_SSCRATCH, t1
1:	csrw	CSR_SSTATUS, t0
	ld	t0, TF_SEPC(sp)
	csrw	CSR_SEPC, t0
	LOAD(1)
	LOAD(3);  LOAD(4);  LOAD(5);  LOAD(6);  LOAD(7);  LOAD(8);  LOAD(9)
	LOAD(10); LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15); LOAD(16)
	LOAD(17); LOAD(18); LOAD(19); LOAD(20); LOAD(21); LOAD(22); LOAD(23)
	LOAD(24); LOAD(25); LOAD(26); LOAD(27); LOAD(28); LOAD(29); LOAD(30)
	LOAD(31)
	ld	sp, TF_REGS + 8 * 1(sp)	/* last: the frame's own sp */
	sret

run_threads:				/* sp = the frame */
	ld	t0, TF_SSTATUS(sp)
	andi	t0, t0, SSTATUS_SPP
	bnez	t0, trap_return		/* to S-mode: never */
	call	kthread_run_pending
	j	trap_return

	/* void trap_enter(struct trap_frame *tf): resume tf; never returns. */
	.globl	trap_enter
trap_enter:
	mv	sp, a0
	j	trap_return
