/* SPDX-License-Identifier: MIT */
/*
 * boot/entry.S - the first instructions of the image.
 *
 * Firmware (OpenSBI fw_dynamic or fw_jump, or U-Boot booti) jumps to the
 * first byte of the image in S-mode with the MMU off:
 *     a0 = hartid of this hart (any hart may come first)
 *     a1 = physical address of the flattened device tree
 * and, on some firmware, every other hart arrives here too.
 *
 * The image is linked at KERNEL_VA but loaded at any 2 MiB-aligned physical
 * address. Until the MMU is on only pc-relative addressing is valid.
 *
 * Steps: Linux Image header; hart lottery (losers park); clear BSS; early
 * stack; vm/early.c builds the boot page table; satp is written with stvec
 * pointing at the virtual address of the next step, so the very next fetch
 * (at a physical pc that is no longer mapped) traps straight into the upper
 * half; then the real stack, thread pointer and boot_main().
 */
#include "hal/riscv/riscv.h"

#define BOOT_STACK_SIZE	(16 * 1024)

	.section .head.text, "ax"
	.option	push
	.option	norvc
	.globl	_start
_start:
	/*
	 * RISC-V Linux Image header (64 bytes), as read by QEMU, U-Boot booti
	 * and other Linux boot loaders. All fields little endian.
	 */
	j	_start_kernel		/* code0: executable */
	.word	0			/* code1 */
	.dword	0x200000		/* text_offset: load offset from RAM base */
	.dword	_end - _start		/* image_size: bytes in memory, with BSS */
	.dword	0			/* flags: bit 0 = 0, little endian */
	.word	2			/* version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: no PE/COFF header */
	.option	pop

_start_kernel:
	csrw	CSR_SIE, zero
	csrw	CSR_SIP, zero

	/* The first hart to increment boot_lottery boots; the rest park. */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, park

	mv	s0, a0			/* hartid */
	mv	s1, a1			/* device tree (physical) */

	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:
	lla	sp, boot_stack_top
	call	early_map
	beqz	a0, fail

	/* Enter the upper half: the fetch after csrw satp faults to stvec. */
	ld	t0, upper_half_va
	csrw	CSR_STVEC, t0
	sfence.vma
	csrw	CSR_SATP, a0
	/* Still here: satp ignored the write, so Sv39 is not implemented. */
	call	early_no_sv39
	j	fail

	.balign	4
upper_half:
	/* Running at KERNEL_VA now: pc-relative addresses are virtual. */
	sfence.vma
	la	sp, boot_stack_top
	la	tp, __tls_start
	mv	a0, s0
	mv	a1, s1
	mv	fp, zero		/* fp is s0: only after a0 took the hart id */
	call	boot_main
	j	fail

fail:	/* SBI SRST system reset: shutdown (0), reason system failure (1). */
	li	a7, 0x53525354
	li	a6, 0
	li	a0, 0
	li	a1, 1
	ecall
park:	/* SBI HSM hart_stop; spin if the firmware has no HSM. */
	li	a7, 0x48534d
	li	a6, 1
	ecall
3:	wfi
	j	3b

	.section .rodata
	.balign	8
upper_half_va:
	.dword	upper_half

	.data
	.balign	4
boot_lottery:
	.word	0			/* in .data: BSS clearing must not reset it */

	.bss
	.balign	16
	.globl	boot_stack, boot_stack_top
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
