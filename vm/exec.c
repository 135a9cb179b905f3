// SPDX-License-Identifier: MIT
/*
 * vm/exec.c - from the embedded ELF to the app running in U-mode.
 *
 * The build links the app as its own static ELF at USER_TEXT_START and
 * embeds the file in the image's rodata (app_elf_start..app_elf_end).
 * exec_app() checks it, gives it a fresh address space:
 *
 *   PT_LOAD segments   copied into zeroed pages (R-X text, R rodata, RW
 *                      data; the BSS part of the last page and beyond zero)
 *   heap               start_brk after a random gap above the image
 *   stack              8 MiB VMA at a random top, a 1 MiB guard gap below
 *   mmap area          grows down from mmap_base, a gap below the stack
 *
 * and lays out the initial stack as Linux's ELF loader does (binfmt_elf):
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp[...], NULL,
 *         auxv (AT_* pairs, AT_NULL), padding,
 *         AT_RANDOM's 16 bytes, the strings, the top
 *
 * then enters U-mode at e_entry through trap_enter(). The randomness is
 * the device tree's rng-seed (bootarg norandmaps: none).
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/elf.h"
#include "vm/internal.h"

/* auxiliary vector types, Linux's include/uapi/linux/auxvec.h */
#define AT_NULL	  0
#define AT_PHDR	  3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_BASE	  7
#define AT_FLAGS  8
#define AT_ENTRY  9
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define MAX_ARGS  64
#define MAX_ENV	  64
/* clang-format on */

bool vm_randomize = true;

/* A random page-aligned offset below range, or 0 with norandmaps. */
static uintptr_t random_offset(uintptr_t range)
{
	return vm_randomize
		       ? (random_u64() % (range >> PAGE_SHIFT)) << PAGE_SHIFT
		       : 0;
}

int elf_check_header(const struct elf64_ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) ||
	    eh->e_ident[4] != 2 /* 64-bit */ ||
	    eh->e_ident[5] != 1 /* little endian */ || eh->e_type != ET_EXEC ||
	    eh->e_machine != EM_RISCV ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || !eh->e_phnum ||
	    eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(struct elf64_phdr) < eh->e_phnum)
		return -ENOEXEC;
	return 0;
}

static int load_segment(struct mm *mm, const char *file, size_t size,
			const struct elf64_phdr *ph)
{
	uintptr_t start = ph->p_vaddr & ~(PAGE_SIZE - 1);
	uintptr_t end =
		(ph->p_vaddr + ph->p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	unsigned int flags = VM_IMAGE | (ph->p_flags & PF_R ? VM_READ : 0) |
			     (ph->p_flags & PF_W ? VM_WRITE | VM_ACCOUNT : 0) |
			     (ph->p_flags & PF_X ? VM_EXEC : 0);
	long err;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
	    ph->p_filesz > size - ph->p_offset ||
	    (ph->p_vaddr - ph->p_offset) & (PAGE_SIZE - 1) ||
	    ph->p_vaddr < USER_TEXT_START || ph->p_memsz > USER_END ||
	    ph->p_vaddr > USER_END - ph->p_memsz)
		return -ENOEXEC;
	if ((err = vm_map_fixed(mm, start, end - start, flags)) < 0)
		return (int)err;
	find_vma(mm, start)->pgoff = ph->p_offset >> PAGE_SHIFT;
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		struct page *page = alloc_pages(GFP_USER | __GFP_ZERO, 0);
		uintptr_t from = va > ph->p_vaddr ? va : ph->p_vaddr;
		uintptr_t to = ph->p_vaddr + ph->p_filesz;

		if (!page)
			return -ENOMEM;
		if (to > va + PAGE_SIZE)
			to = va + PAGE_SIZE;
		if (from < to)
			memcpy((char *)page_address(page) + (from - va),
			       file + ph->p_offset + (from - ph->p_vaddr),
			       to - from);
		if ((err = vm_insert_page(mm, va, page))) {
			free_pages(page, 0);
			return (int)err;
		}
	}
	if (flags & VM_EXEC) {
		mm->start_code = start;
		mm->end_code = end;
	} else if (flags & VM_WRITE) {
		mm->start_data = start;
		mm->end_data = end;
	}
	return 0;
}

struct image_info {
	uintptr_t entry, phdr, end;
	unsigned int phnum;
};

static int load_elf(struct mm *mm, const char *file, size_t size,
		    struct image_info *info)
{
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_phdr *ph;
	int err;

	if ((err = elf_check_header(eh, size)))
		return err;
	ph = (const void *)(file + eh->e_phoff);
	info->entry = eh->e_entry;
	info->phnum = eh->e_phnum;
	info->phdr = 0;
	info->end = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		uintptr_t end = ph[i].p_vaddr + ph[i].p_memsz;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((err = load_segment(mm, file, size, &ph[i])))
			return err;
		if (ph[i].p_offset <= eh->e_phoff &&
		    eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			info->phdr =
				ph[i].p_vaddr + eh->e_phoff - ph[i].p_offset;
		if (end > info->end)
			info->end = end;
	}
	return info->end && find_vma(mm, info->entry) ? 0 : -ENOEXEC;
}

/* Push bytes below *sp; false if they did not fit. */
static bool push(uintptr_t *sp, const void *data, size_t len)
{
	*sp -= len;
	return !copy_to_user((void *)*sp, data, len);
}

/* The initial stack of a Linux process; returns sp or 0. */
static uintptr_t build_stack(struct mm *mm, const struct image_info *info,
			     const char *path, int argc,
			     const char *const *argv, const char *const *envp)
{
	uint64_t vec[1 + MAX_ARGS + 1 + MAX_ENV + 1 + 2 * 16 + 2];
	uintptr_t sp = mm->stack_top, execfn, random, argp[MAX_ARGS],
		  envpp[MAX_ENV];
	uint64_t rnd[2] = { random_u64(), random_u64() };
	unsigned int n = 0;
	int envc = 0;

	if (argc > MAX_ARGS)
		argc = MAX_ARGS;
	while (envp && envp[envc] && envc < MAX_ENV)
		envc++;
	if (!push(&sp, path, strlen(path) + 1))
		return 0;
	execfn = sp;
	/* the strings as Linux lays them: argv's, then envp's above */
	mm->env_end = sp;
	for (int i = envc - 1; i >= 0; i--) {
		if (!push(&sp, envp[i], strlen(envp[i]) + 1))
			return 0;
		envpp[i] = sp;
	}
	mm->env_start = mm->arg_end = sp;
	for (int i = argc - 1; i >= 0; i--) {
		if (!push(&sp, argv[i], strlen(argv[i]) + 1))
			return 0;
		argp[i] = sp;
	}
	mm->arg_start = sp;
	sp &= ~15UL;
	if (!push(&sp, rnd, sizeof(rnd)))
		return 0;
	random = sp;

	vec[n++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		vec[n++] = argp[i];
	vec[n++] = 0; /* end of argv */
	for (int i = 0; i < envc; i++)
		vec[n++] = envpp[i];
	vec[n++] = 0; /* end of envp */
#define AUX(type, value)                      \
	do {                                  \
		vec[n++] = (type);            \
		vec[n++] = (uint64_t)(value); \
	} while (0)
	AUX(AT_PHDR, info->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	/* rv64imac: one bit per single-letter extension */
	AUX(AT_HWCAP, (1 << ('i' - 'a')) | (1 << ('m' - 'a')) |
			      (1 << ('a' - 'a')) | (1 << ('c' - 'a')));
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	sp = (sp - n * sizeof(uint64_t)) & ~15UL;
	if (copy_to_user((void *)sp, vec, n * sizeof(uint64_t)))
		return 0;
	mm->start_stack = sp;
	return sp;
}

static void layout(struct mm *mm, const struct image_info *info)
{
	mm->start_brk = mm->brk =
		((info->end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) +
		random_offset(USER_RND_BRK);
	mm->stack_top = USER_STACK_TOP - random_offset(USER_RND_STACK);
	mm->stack_guard = mm->stack_top - USER_STACK_LIMIT - USER_STACK_GUARD;
	mm->mmap_base =
		mm->stack_guard - USER_MMAP_GAP - random_offset(USER_RND_MMAP);
}

int exec_app(const char *name, int argc, const char *const *argv,
	     const char *const *envp)
{
	static char path[64];
	const char *args[MAX_ARGS];
	struct image_info info;
	struct trap_frame *tf;
	struct mm *mm;
	uintptr_t sp;
	long err;

	if (!(mm = mm_create()))
		return -ENOMEM;
	strcpy(path, "/apps/");
	strncat(path, name, sizeof(path) - sizeof("/apps/"));
	vm_app_path = path;
	err = load_elf(mm, app_elf_start, (size_t)(app_elf_end - app_elf_start),
		       &info);
	if (err)
		goto fail;
	layout(mm, &info);
	err = vm_map_fixed(mm, mm->stack_top - USER_STACK_LIMIT,
			   USER_STACK_LIMIT, VM_READ | VM_WRITE | VM_STACK);
	if (err < 0)
		goto fail;
	mm_switch(mm);
	args[0] = name;
	for (int i = 0; i < argc && i + 1 < MAX_ARGS; i++)
		args[i + 1] = argv[i];
	sp = build_stack(mm, &info, path,
			 argc + 1 < MAX_ARGS ? argc + 1 : MAX_ARGS, args, envp);
	if (!sp) {
		err = -E2BIG;
		mm_switch(NULL);
		goto fail;
	}
	pr_debug(
		"exec: %s: entry 0x%lx, brk 0x%lx, mmap base 0x%lx, stack top 0x%lx, sp 0x%lx\n",
		path, (unsigned long)info.entry, mm->start_brk, mm->mmap_base,
		mm->stack_top, sp);
	tf = trap_user_frame();
	trap_frame_init_user(tf, info.entry, sp);
	trap_enter(tf);
fail:
	mm_destroy(mm);
	return (int)err;
}

void exec_teardown(void)
{
	struct mm *mm = current_mm;

	if (!mm)
		return;
	mm_switch(NULL);
	mm_destroy(mm);
}
