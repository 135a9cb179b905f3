// SPDX-License-Identifier: MIT
/*
 * hal/riscv/backtrace.c - walking the stack by frame pointers.
 *
 * Everything is built with -fno-omit-frame-pointer, so each non-leaf frame
 * holds, just below the frame pointer fp (= the caller's sp at entry):
 *
 *     fp - 8   return address (ra)
 *     fp - 16  the caller's fp
 *
 * GCC's leaf functions save only the caller's fp, at fp - 8. A walk that
 * starts from a trap frame therefore checks whether fp - 8 looks like a
 * stack address; if so the trapped function was a leaf and its caller is in
 * the saved ra register. Every fp is checked to lie inside the stack before
 * it is read, so a corrupt chain ends the walk instead of faulting.
 */
#include "hal/riscv/riscv.h"
#include "lib/lib.h"

#define MAX_FRAMES 32

extern char boot_stack[], boot_stack_top[];

static bool on_stack(unsigned long addr)
{
	return addr >= (unsigned long)boot_stack + 16 &&
	       addr <= (unsigned long)boot_stack_top && !(addr & 7);
}

static void print_frame(int n, unsigned long pc)
{
	unsigned long off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		printk(LOG_ERR, "  #%-2d 0x%016lx %s+0x%lx\n", n, pc, name,
		       off);
	else
		printk(LOG_ERR, "  #%-2d 0x%016lx ?\n", n, pc);
}

/*
 * Walks the chain from fp; calls fn for each return address found. Never
 * inlined, so that its callers are not leaves and their own frames hold ra.
 */
static __attribute__((noinline)) size_t
walk(unsigned long fp, unsigned long leaf_ra,
     void (*fn)(int n, unsigned long pc, void *arg), void *arg, int first)
{
	int n = first;

	while (n < MAX_FRAMES && on_stack(fp)) {
		const unsigned long *frame = (const unsigned long *)fp;
		unsigned long ra = frame[-1], next = frame[-2];

		if (leaf_ra && on_stack(ra)) {
			/* trapped in a leaf: fp - 8 is the saved fp */
			next = ra;
			ra = leaf_ra;
		}
		leaf_ra = 0;
		if (!ra)
			break;
		fn(n++, ra, arg);
		if (next <= fp)
			break; /* stacks grow down; a loop would never end */
		fp = next;
	}
	return (size_t)(n - first);
}

static void print_cb(int n, unsigned long pc, void *arg)
{
	(void)arg;
	print_frame(n, pc);
}

void backtrace_print(unsigned long pc, unsigned long fp)
{
	printk(LOG_ERR, "backtrace:\n");
	if (pc) {
		print_frame(0, pc);
		walk(fp, 0, print_cb, NULL, 1);
	} else {
		walk(fp, 0, print_cb, NULL, 0);
	}
}

void backtrace_print_trap(const struct trap_frame *tf)
{
	printk(LOG_ERR, "backtrace:\n");
	print_frame(0, tf->sepc);
	walk(TF_FP(tf), TF_RA(tf), print_cb, NULL, 1);
}

struct capture {
	unsigned long *pcs;
	size_t max;
};

static void capture_cb(int n, unsigned long pc, void *arg)
{
	struct capture *c = arg;

	if ((size_t)n < c->max)
		c->pcs[n] = pc;
}

size_t backtrace_capture(unsigned long *pcs, size_t max)
{
	struct capture c = { pcs, max };
	size_t n = walk((unsigned long)__builtin_frame_address(0), 0,
			capture_cb, &c, 0);

	return n < max ? n : max;
}
