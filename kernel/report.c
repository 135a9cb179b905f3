// SPDX-License-Identifier: MIT
/*
 * kernel/report.c - what the console says when the app dies: its
 * backtrace, read from its own stack by the frame-pointer chain and named
 * with its ELF symbols, and the memory it held.
 */
#include <stdio.h>
#include <string.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* Each line of text as "pagoda:   <line>". */
static void print_lines(const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		pr_err("pagoda:   %.*s\n", n, text);
		text += n + (nl != NULL);
	}
}

/*
 * What the app held (its Vm and Rss lines of /proc/self/status) and what
 * the machine has left (the first lines of /proc/meminfo).
 */
void report_memory(void)
{
	static char buf[1024];
	unsigned long total, free = zone_free_pages(&total);
	const unsigned long kb = PAGE_SIZE / 1024;

	if (current_mm) {
		struct strbuf o = strbuf_init(buf, sizeof(buf));

		status_show_mm(&o, current_mm);
		print_lines(buf);
	}
	pr_err("pagoda:   MemTotal:       %8lu kB\n", total * kb);
	pr_err("pagoda:   MemFree:        %8lu kB\n", free * kb);
	pr_err("pagoda:   MemAvailable:   %8lu kB\n", mem_available(free) * kb);
}

/*
 * A return address is named by the call before it (pc - 1): after a call
 * that never returns, pc itself is already the next function.
 */
static void print_user_pc(const char *what, unsigned long pc, bool ret)
{
	unsigned long off;
	const char *fn = app_symbol(ret ? pc - 1 : pc, &off);

	pr_err("pagoda:   %s 0x%016lx %s+0x%lx\n", what, pc, fn ? fn : "?",
	       fn ? off + ret : 0);
}

/*
 * The app's frame-pointer chain, read as the app could read it: pc, the ra
 * register (the caller, if the trap hit a leaf function, which saves no
 * ra), then the return addresses saved at fp - 8 up the chain.
 */
void report_backtrace(const struct trap_frame *tf)
{
	const struct mm *mm = current_mm;
	unsigned long fp = TF_FP(tf), frame[2];

	pr_err("pagoda: app backtrace:\n");
	print_user_pc("pc", tf->sepc, false);
	print_user_pc("ra", TF_RA(tf), true);
	/* a leaf with a frame saved only the caller's fp, at fp - 8 */
	if (!copy_from_user(frame, (void *)(fp - 16), sizeof(frame)) &&
	    frame[1] > fp && frame[1] <= mm->stack_top)
		fp = frame[1];
	for (int depth = 1; depth < 16 && fp >= 16 && !(fp & 7); depth++) {
		char label[8];

		/* fp - 16: the caller's fp, fp - 8: the return address */
		if (copy_from_user(frame, (void *)(fp - 16), sizeof(frame)) ||
		    !frame[1])
			break;
		snprintf(label, sizeof(label), "#%d", depth);
		print_user_pc(label, frame[1], true);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}
