/* SPDX-License-Identifier: MIT */
/*
 * apps/runtime/crt0.S - the app's first instruction, in U-mode.
 *
 * The runtime enters here as Linux would enter a static ELF: sp points at
 * argc, then argv, envp and the auxiliary vector (vm/exec.c). Thread-local
 * storage (picolibc keeps errno there) is the image's own .tdata/.tbss, the
 * one thread's block: tp points at it. gp is the psABI's global pointer:
 * the linker turns accesses within 2 KiB of it into one instruction.
 * a0 = sp for app_start().
 */
	.section .text.start, "ax"
	.globl	_start
	.type	_start, @function
_start:
	.option	push
	.option	norelax		/* gp itself is not gp-relative */
	lla	gp, __global_pointer$
	.option	pop
	lla	tp, __tls_start
	mv	a0, sp
	mv	fp, zero		/* backtraces end here */
	call	app_start
1:	j	1b			/* app_start does not return */
	.size	_start, . - _start
