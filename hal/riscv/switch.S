/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/switch.S - context_switch(from, to): leave one kernel stack for
 * another (xv6's swtch, in our own words).
 *
 * A call is a point where the ABI already lets the callee clobber every
 * caller-saved register (t0-t6, a0-a7), so only what a callee must keep is
 * saved: ra, sp and s0-s11, into *from (struct kcontext, riscv.h), then
 * loaded from *to. The final ret jumps to to->ra on to->sp: back into the
 * context_switch call that saved *to, or, for a thread never run, into its
 * entry (kthread.c sets ra and sp). Called with interrupts off; the trap
 * CSRs, tp and gp are not switched: every kernel context shares them.
 */
#include "hal/riscv/riscv.h"


	.text
	.balign	4
	.globl	context_switch
context_switch:			/* a0 = from, a1 = to */
	sd	ra, KCTX_RA(a0)
	sd	sp, KCTX_SP(a0)
	sd	s0, KCTX_S(0)(a0)
	sd	s1, KCTX_S(1)(a0)
	sd	s2, KCTX_S(2)(a0)
	sd	s3, KCTX_S(3)(a0)
	sd	s4, KCTX_S(4)(a0)
	sd	s5, KCTX_S(5)(a0)
	sd	s6, KCTX_S(6)(a0)
	sd	s7, KCTX_S(7)(a0)
	sd	s8, KCTX_S(8)(a0)
	sd	s9, KCTX_S(9)(a0)
	sd	s10, KCTX_S(10)(a0)
	sd	s11, KCTX_S(11)(a0)

	ld	ra, KCTX_RA(a1)
	ld	sp, KCTX_SP(a1)
	ld	s0, KCTX_S(0)(a1)
	ld	s1, KCTX_S(1)(a1)
	ld	s2, KCTX_S(2)(a1)
	ld	s3, KCTX_S(3)(a1)
	ld	s4, KCTX_S(4)(a1)
	ld	s5, KCTX_S(5)(a1)
	ld	s6, KCTX_S(6)(a1)
	ld	s7, KCTX_S(7)(a1)
	ld	s8, KCTX_S(8)(a1)
	ld	s9, KCTX_S(9)(a1)
	ld	s10, KCTX_S(10)(a1)
	ld	s11, KCTX_S(11)(a1)
	ret
