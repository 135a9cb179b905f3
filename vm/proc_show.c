// SPDX-License-Identifier: MIT
/*
 * vm/proc_show.c - the text of /proc/self/maps and /proc/self/status, in
 * Linux's formats (fs/proc/task_mmu.c, fs/proc/array.c), for the one app:
 * pid 1, root, one thread. kernel/procfs.c serves them as files.
 *
 * maps: a line per VMA in address order,
 *
 *   start-end perms offset dev inode [pad to column 73] name
 *
 * with the name only where Linux has one: the app's path for the image's
 * VMAs (the ELF is the file they map; its offset, no device or inode here),
 * [heap] and [stack] by Linux's rules; anonymous VMAs show offset 0, as
 * Linux does (it prints vm_pgoff for file mappings only).
 *
 * status: the lines Linux prints down to Threads, leaving out those about
 * what this runtime does not have (namespaces, signals, capabilities,
 * seccomp, cpusets); the Vm* sizes counted as Linux counts them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vm/vm.h"

const char *vm_app_path;

/* ---- /proc/self/maps ---- */

/*
 * Linux's names (get_vma_name): a file mapping is its file; otherwise
 * [heap] for a VMA meeting [start_brk, brk) (vma_is_initial_heap, strict
 * since 6.7: an empty heap names nothing) and [stack] for the one holding
 * start_stack (vma_is_initial_stack); NULL for the rest.
 */
static const char *vma_name(const struct mm *mm, const struct vm_area *vma)
{
	if (vma->flags & VM_IMAGE)
		return vm_app_path;
	if (vma->start < mm->brk && vma->end > mm->start_brk)
		return "[heap]";
	if ((vma->start <= mm->start_stack && vma->end >= mm->start_stack) ||
	    vma->flags & VM_STACK)
		return "[stack]";
	return NULL;
}

/* The name starts at this column: seq_setwidth(25 + 6 * sizeof(void *) - 1)
 * and seq_pad(' ') in show_vma_header_prefix() and show_map_vma(). */
#define MAPS_NAME_COLUMN (25 + 6 * sizeof(void *))

size_t maps_show(struct mm *mm, char *buf, size_t size)
{
	struct strbuf o;
	const struct list_head *pos;

	o = strbuf_init(buf, size);
	if (!mm)
		return 0;
	for (pos = mm->vma_list.next; pos != &mm->vma_list; pos = pos->next) {
		const struct vm_area *vma =
			list_entry(pos, struct vm_area, list);
		const char *name = vma_name(mm, vma);
		unsigned long off =
			vma->flags & VM_IMAGE ? vma->pgoff << PAGE_SHIFT : 0;
		size_t line = o.len;

		strbuf_printf(&o, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ",
			      (unsigned long)vma->start,
			      (unsigned long)vma->end,
			      vma->flags & VM_READ ? 'r' : '-',
			      vma->flags & VM_WRITE ? 'w' : '-',
			      vma->flags & VM_EXEC ? 'x' : '-',
			      vma->flags & VM_SHARED ? 's' : 'p', off);
		if (name) {
			size_t col = o.len - line;

			if (col < MAPS_NAME_COLUMN - 1)
				strbuf_printf(&o, "%*s",
					      (int)(MAPS_NAME_COLUMN - 1 - col),
					      "");
			strbuf_printf(&o, " %s", name);
		}
		strbuf_printf(&o, "\n");
	}
	return o.len;
}

/* ---- /proc/self/status ---- */

/* Pages of the VMAs whose flags, under mask, equal want. */
static unsigned long vm_pages(const struct mm *mm, unsigned int mask,
			      unsigned int want)
{
	const struct list_head *pos;
	unsigned long pages = 0;

	for (pos = mm->vma_list.next; pos != &mm->vma_list; pos = pos->next) {
		const struct vm_area *vma =
			list_entry(pos, struct vm_area, list);

		if ((vma->flags & mask) == want)
			pages += vma_pages(vma);
	}
	return pages;
}

#define KB(pages) ((pages) * (PAGE_SIZE / 1024))

/* task_mem(): every size in kB, %8lu. */
void status_show_mm(struct strbuf *o, const struct mm *mm)
{
	/* vm_stat_account(): exec, stack and data mappings */
	unsigned long exec_vm =
		vm_pages(mm, VM_EXEC | VM_WRITE | VM_STACK, VM_EXEC);
	unsigned long stack_vm = vm_pages(mm, VM_STACK, VM_STACK);
	unsigned long data_vm =
		vm_pages(mm, VM_WRITE | VM_SHARED | VM_STACK, VM_WRITE);
	/* text is the image's code span (at most exec_vm), lib the rest */
	unsigned long text = ((mm->end_code + PAGE_SIZE - 1) >> PAGE_SHIFT) -
			     (mm->start_code >> PAGE_SHIFT);
	/* Linux counts PMD and PTE tables, not the root (pgd) */
	unsigned long ptes = mm->nr_ptes ? mm->nr_ptes - 1 : 0;

	if (text > exec_vm)
		text = exec_vm;
	strbuf_printf(o, "VmPeak:\t%8lu kB\n", KB(mm->hiwater_vm));
	strbuf_printf(o, "VmSize:\t%8lu kB\n", KB(mm->total_vm));
	strbuf_printf(o, "VmLck:\t%8lu kB\n", KB(mm->locked_vm));
	strbuf_printf(o, "VmPin:\t%8lu kB\n", 0UL);
	strbuf_printf(o, "VmHWM:\t%8lu kB\n", KB(mm->hiwater_rss));
	strbuf_printf(o, "VmRSS:\t%8lu kB\n", KB(mm->rss));
	/* every page is anonymous: the image is copied, not mapped */
	strbuf_printf(o, "RssAnon:\t%8lu kB\n", KB(mm->rss));
	strbuf_printf(o, "RssFile:\t%8lu kB\n", 0UL);
	strbuf_printf(o, "RssShmem:\t%8lu kB\n", 0UL);
	strbuf_printf(o, "VmData:\t%8lu kB\n", KB(data_vm));
	strbuf_printf(o, "VmStk:\t%8lu kB\n", KB(stack_vm));
	strbuf_printf(o, "VmExe:\t%8lu kB\n", KB(text));
	strbuf_printf(o, "VmLib:\t%8lu kB\n", KB(exec_vm - text));
	strbuf_printf(o, "VmPTE:\t%8lu kB\n", KB(ptes));
	strbuf_printf(o, "VmSwap:\t%8lu kB\n", KB(mm->swapents));
}
