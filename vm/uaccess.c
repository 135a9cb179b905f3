// SPDX-License-Identifier: MIT
/*
 * vm/uaccess.c - checked access to the app's memory, and what happens when
 * such an access faults.
 *
 * The wrappers refuse ranges outside the lower half before touching
 * anything; the assembly loops (vm/uaccess.S) do the rest. A fault inside
 * them is first treated as the app's own fault would be (demand paging:
 * a write() from a never-touched buffer is legal), and only when that fails
 * is the loop sent to its fixup, to return -EFAULT.
 */
#include <errno.h>

#include "vm/internal.h"

size_t __copy_user(void *dst, const void *src, size_t n);
size_t __clear_user(void *dst, size_t n);
long __strncpy_user(char *dst, const char *src, size_t n);

/* The exception table: pairs of (faulting pc, fixup pc), image.ld.S. */
struct ex_entry {
	unsigned long insn, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

size_t copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!is_user_range((uintptr_t)usrc, n))
		return n;
	return __copy_user(dst, usrc, n);
}

size_t copy_to_user(void *udst, const void *src, size_t n)
{
	if (!is_user_range((uintptr_t)udst, n))
		return n;
	return __copy_user(udst, src, n);
}

size_t clear_user(void *udst, size_t n)
{
	if (!is_user_range((uintptr_t)udst, n))
		return n;
	return __clear_user(udst, n);
}

long strncpy_from_user(char *dst, const char *usrc, size_t n)
{
	size_t room =
		(uintptr_t)usrc < USER_END ? USER_END - (uintptr_t)usrc : 0;
	long len;

	if (!room)
		return -EFAULT;
	len = __strncpy_user(dst, usrc, n < room ? n : room);
	if (len < 0)
		return -EFAULT;
	if ((size_t)len == n)
		return -ENAMETOOLONG;
	if ((size_t)len == room)
		return -EFAULT; /* ran into the top of the lower half */
	return len;
}

unsigned long uaccess_fixup(unsigned long pc)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end;
	     e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

/* The kernel-fault handler (hal/riscv/trap.c) for user-access loops. */
static bool uaccess_fault(struct trap_frame *tf)
{
	unsigned long fixup = uaccess_fixup(tf->sepc);
	enum fault_access access =
		tf->scause == CAUSE_STORE_PAGE_FAULT ? FAULT_WRITE : FAULT_READ;

	if (!fixup)
		return false;
	if ((tf->scause == CAUSE_LOAD_PAGE_FAULT ||
	     tf->scause == CAUSE_STORE_PAGE_FAULT) &&
	    current_mm &&
	    handle_mm_fault(current_mm, tf->stval, access) == FAULT_OK)
		return true; /* retry the access */
	tf->sepc = fixup;
	return true;
}

void uaccess_init(void)
{
	trap_set_kernel_fault_handler(uaccess_fault);
}
