/* SPDX-License-Identifier: MIT */
/*
 * vm/uaccess.S - the loops that touch the app's memory.
 *
 * Each sets sstatus.SUM for its own duration only. Every load or store
 * that touches user memory is listed in __ex_table with a fixup address:
 * when it faults and demand paging cannot help, the trap handler
 * (vm/uaccess.c) resumes at the fixup, which clears SUM and returns the
 * bytes left, so a bad pointer from the app is -EFAULT, never a panic.
 * The C wrappers check the range lies in the lower half first.
 */
#define SUM_BIT	(1 << 18)	/* SSTATUS_SUM */

/* An access that may fault, with its fixup. */
#define USER(fixup, ...)		\
100:	__VA_ARGS__;			\
	.pushsection __ex_table, "a";	\
	.balign	8;			\
	.dword	100b, fixup;		\
	.popsection

	.text
	.balign	4

/* size_t __copy_user(void *dst, const void *src, size_t n): bytes left */
	.globl	__copy_user
__copy_user:
	li	t6, SUM_BIT
	csrs	sstatus, t6
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 2f			/* not both 8-aligned: bytes */
1:	li	t0, 8
	bltu	a2, t0, 2f
USER(copy_fault,	ld	t1, 0(a1))
USER(copy_fault,	sd	t1, 0(a0))
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
2:	beqz	a2, 3f
USER(copy_fault,	lb	t1, 0(a1))
USER(copy_fault,	sb	t1, 0(a0))
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b
3:	csrc	sstatus, t6
	li	a0, 0
	ret
copy_fault:
	csrc	sstatus, t6
	mv	a0, a2
	ret

/* size_t __clear_user(void *dst, size_t n): bytes left */
	.globl	__clear_user
__clear_user:
	li	t6, SUM_BIT
	csrs	sstatus, t6
1:	beqz	a1, 2f
USER(clear_fault,	sb	zero, 0(a0))
	addi	a0, a0, 1
	addi	a1, a1, -1
	j	1b
2:	csrc	sstatus, t6
	li	a0, 0
	ret
clear_fault:
	csrc	sstatus, t6
	mv	a0, a1
	ret

/*
 * long __strncpy_user(char *dst, const char *src, size_t n): the length
 * before the NUL (copied with it), n if none came within n bytes, -1 on a
 * fault.
 */
	.globl	__strncpy_user
__strncpy_user:
	li	t6, SUM_BIT
	csrs	sstatus, t6
	li	t0, 0
1:	beq	t0, a2, 2f
	add	t2, a1, t0
USER(str_fault,	lb	t1, 0(t2))
	add	t2, a0, t0
	sb	t1, 0(t2)
	beqz	t1, 2f
	addi	t0, t0, 1
	j	1b
2:	csrc	sstatus, t6
	mv	a0, t0
	ret
str_fault:
	csrc	sstatus, t6
	li	a0, -1
	ret
