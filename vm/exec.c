// SPDX-License-Identifier: MIT
/*
 * vm/exec.c - from the embedded ELF to the app running in U-mode.
 *
 * The build embeds one static ELF in the image's rodata (app_elf_start..
 * app_elf_end): a picolibc app linked at USER_TEXT_START, or any static
 * riscv64 Linux program (make ELF=..., or an apps/ folder with linux.mk).
 * exec_app() checks it (check_program(): an ELF64 RISC-V executable, no
 * PT_INTERP, a float ABI the boot hart has; a refusal says why), gives it
 * a fresh address space:
 *
 *   PT_LOAD segments   copied into zeroed pages (R-X text, R rodata, RW
 *                      data; the BSS part of the last page and beyond zero),
 *                      at their addresses (ET_EXEC) or, for a static-pie
 *                      (ET_DYN), at USER_ET_DYN_BASE plus a random offset
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
 * then enters U-mode at e_entry through trap_enter() with every register
 * 0 but sp (a0 = 0: Linux's ELF_PLAT_INIT, no exit function for atexit)
 * and sstatus.FS Initial if the hart has F (Off otherwise: an F instruction
 * is then an illegal instruction, SIGILL). The randomness is the device
 * tree's rng-seed (bootarg norandmaps: none).
 *
 * Floating point: the kernel is built without F and D (-march=rv64imac),
 * so it never touches the FP registers, and the one app thread owns them:
 * nothing is saved on a trap. With app threads, each will keep f0-f31 and
 * fcsr, saved on a switch away only when sstatus.FS says Dirty (Linux's
 * lazy __switch_to_fpu), restored and marked Clean on the way back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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
uint32_t vm_hwcap = ISA_BIT('i') | ISA_BIT('m') | ISA_BIT('a') | ISA_BIT('c');
uintptr_t vm_app_load_bias;

/* The AT_HWCAP bits Linux reports (riscv_fill_hwcap: IMAFDCV). */
#define HWCAP_LETTERS                                                \
	(ISA_BIT('i') | ISA_BIT('m') | ISA_BIT('a') | ISA_BIT('f') | \
	 ISA_BIT('d') | ISA_BIT('c') | ISA_BIT('v'))

/* Why exec_app() refused the program (exec_app's *why). */
static char why_buf[192];

__attribute__((format(printf, 1, 2))) static int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* "rv64imafdc": the boot hart's letters, for a refusal's message. */
static const char *hart_isa(void)
{
	static char buf[4 + 26 + 1] = "rv64";
	const char *order = "imafdqcbjtpvnhgeklorsuwxyz"; /* canonical first */
	char *s = buf + 4;

	for (; *order; order++)
		if (vm_hwcap & ISA_BIT(*order))
			*s++ = *order;
	*s = 0;
	return buf;
}

static const char *machine_name(unsigned int machine)
{
	switch (machine) {
	case 3:
		return "i386";
	case 40:
		return "32-bit Arm";
	case EM_X86_64:
		return "x86-64";
	case EM_AARCH64:
		return "AArch64";
	default:
		return "not RISC-V";
	}
}

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
	    eh->e_ident[5] != 1 /* little endian */ ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_machine != EM_RISCV ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || !eh->e_phnum ||
	    eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(struct elf64_phdr) < eh->e_phnum)
		return -ENOEXEC;
	return 0;
}

/*
 * What Linux would run but pagoda cannot, or what no RISC-V Linux would
 * run: 0, or -ENOEXEC with why_buf saying which.
 */
static int check_program(const char *file, size_t size)
{
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_phdr *ph;
	unsigned int abi;
	char need = 0;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4))
		return refuse("not an ELF file");
	if (eh->e_ident[4] != ELFCLASS64)
		return refuse(
			"ELF class %u, not ELFCLASS64 (2): pagoda runs 64-bit RISC-V programs",
			eh->e_ident[4]);
	if (eh->e_ident[5] != ELFDATA2LSB)
		return refuse("a big-endian ELF: RISC-V is little endian");
	if (eh->e_machine != EM_RISCV)
		return refuse(
			"e_machine %u (%s), not EM_RISCV (243): a program for another machine",
			eh->e_machine, machine_name(eh->e_machine));
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return refuse(
			"e_type %u: not an executable (ET_EXEC, or ET_DYN for static-pie)",
			eh->e_type);
	if (elf_check_header(eh, size))
		return refuse("damaged ELF header or program headers");
	ph = (const void *)(file + eh->e_phoff);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		size_t len;

		if (ph[i].p_type != PT_INTERP)
			continue;
		len = ph[i].p_offset < size &&
				      ph[i].p_filesz <= size - ph[i].p_offset
			      ? strnlen(file + ph[i].p_offset, ph[i].p_filesz)
			      : 0;
		return refuse(
			"a dynamically linked program (PT_INTERP %.*s): only static programs run (link with -static)",
			len ? (int)(len > 80 ? 80 : len) : 1,
			len ? file + ph[i].p_offset : "?");
	}
	abi = eh->e_flags & EF_RISCV_FLOAT_ABI;
	if (abi == EF_RISCV_FLOAT_ABI_SINGLE)
		need = 'f';
	else if (abi == EF_RISCV_FLOAT_ABI_DOUBLE)
		need = 'd';
	else if (abi == EF_RISCV_FLOAT_ABI_QUAD)
		need = 'q';
	if (need && !(vm_hwcap & ISA_BIT(need)))
		return refuse(
			"the %s-float ABI (e_flags 0x%x) needs the %c extension; the boot hart's riscv,isa is %s",
			need == 'f'   ? "single"
			: need == 'd' ? "double"
				      : "quad",
			eh->e_flags, need - 'a' + 'A', hart_isa());
	if (eh->e_flags & EF_RISCV_RVC && !(vm_hwcap & ISA_BIT('c')))
		return refuse(
			"compressed instructions (e_flags 0x%x, RVC) need the C extension; the boot hart's riscv,isa is %s",
			eh->e_flags, hart_isa());
	return 0;
}

static int load_segment(struct mm *mm, const char *file, size_t size,
			const struct elf64_phdr *ph, uintptr_t bias)
{
	uintptr_t vaddr = ph->p_vaddr + bias;
	uintptr_t start = vaddr & ~(PAGE_SIZE - 1);
	uintptr_t end =
		(vaddr + ph->p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	unsigned int flags = VM_IMAGE | (ph->p_flags & PF_R ? VM_READ : 0) |
			     (ph->p_flags & PF_W ? VM_WRITE | VM_ACCOUNT : 0) |
			     (ph->p_flags & PF_X ? VM_EXEC : 0);
	long err;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
	    ph->p_filesz > size - ph->p_offset ||
	    (ph->p_vaddr - ph->p_offset) & (PAGE_SIZE - 1) ||
	    ph->p_vaddr >= USER_END || vaddr < USER_TEXT_START ||
	    ph->p_memsz > USER_END || vaddr > USER_END - ph->p_memsz)
		return -ENOEXEC;
	if ((err = vm_map_fixed(mm, start, end - start, flags)) < 0)
		return (int)err;
	find_vma(mm, start)->pgoff = ph->p_offset >> PAGE_SHIFT;
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		struct page *page = alloc_pages(GFP_USER | __GFP_ZERO, 0);
		uintptr_t from = va > vaddr ? va : vaddr;
		uintptr_t to = vaddr + ph->p_filesz;

		if (!page)
			return -ENOMEM;
		if (to > va + PAGE_SIZE)
			to = va + PAGE_SIZE;
		if (from < to)
			memcpy((char *)page_address(page) + (from - va),
			       file + ph->p_offset + (from - vaddr), to - from);
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

/* The loaded image, its addresses with the load bias added. */
struct image_info {
	uintptr_t entry, phdr, end;
	unsigned int phnum;
};

static int load_elf(struct mm *mm, const char *file, size_t size,
		    struct image_info *info)
{
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_phdr *ph;
	uintptr_t bias = 0;
	int err;

	if ((err = check_program(file, size)))
		return err;
	/* static-pie: at Linux's ELF_ET_DYN_BASE, randomised as mmap is */
	if (eh->e_type == ET_DYN)
		bias = USER_ET_DYN_BASE + random_offset(USER_RND_ET_DYN);
	vm_app_load_bias = bias;
	ph = (const void *)(file + eh->e_phoff);
	info->entry = eh->e_entry + bias;
	info->phnum = eh->e_phnum;
	info->phdr = 0;
	info->end = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		uintptr_t end = ph[i].p_vaddr + bias + ph[i].p_memsz;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((err = load_segment(mm, file, size, &ph[i], bias)))
			return err == -ENOEXEC
				       ? refuse("program header %u: a PT_LOAD segment outside the file or the user range (0x%lx-0x%lx)",
						i, USER_TEXT_START, USER_END)
				       : err;
		/* AT_PHDR: where the program headers are in memory */
		if (ph[i].p_offset <= eh->e_phoff &&
		    eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			info->phdr = ph[i].p_vaddr + bias + eh->e_phoff -
				     ph[i].p_offset;
		if (end > info->end)
			info->end = end;
	}
	if (!info->end || !find_vma(mm, info->entry))
		return refuse("no PT_LOAD segment holds the entry point 0x%lx",
			      (unsigned long)info->entry);
	return 0;
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
	/*
	 * Linux's order (fs/binfmt_elf.c create_elf_tables), less what
	 * riscv's ARCH_DLINFO adds first (AT_SYSINFO_EHDR: no vDSO here; the
	 * cache geometry) and AT_HWCAP2 / AT_PLATFORM, which riscv has not.
	 */
	AUX(AT_HWCAP, vm_hwcap & HWCAP_LETTERS);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100); /* USER_HZ */
	AUX(AT_PHDR, info->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_BASE, 0); /* no interpreter */
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
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
	     const char *const *envp, const char **why)
{
	static char path[64];
	const char *args[MAX_ARGS];
	struct image_info info;
	struct trap_frame *tf;
	struct mm *mm;
	uintptr_t sp;
	long err;

	*why = why_buf;
	strcpy(why_buf, "no memory for its address space");
	if (!(mm = mm_create()))
		return -ENOMEM;
	strcpy(path, "/apps/");
	strncat(path, name, sizeof(path) - sizeof("/apps/"));
	vm_app_path = path;
	err = load_elf(mm, app_elf_start, (size_t)(app_elf_end - app_elf_start),
		       &info);
	if (err) {
		if (err != -ENOEXEC)
			strcpy(why_buf, "no memory for its image");
		goto fail;
	}
	layout(mm, &info);
	err = vm_map_fixed(mm, mm->stack_top - USER_STACK_LIMIT,
			   USER_STACK_LIMIT, VM_READ | VM_WRITE | VM_STACK);
	if (err < 0) {
		strcpy(why_buf, "cannot map its stack");
		goto fail;
	}
	mm_switch(mm);
	args[0] = name;
	for (int i = 0; i < argc && i + 1 < MAX_ARGS; i++)
		args[i + 1] = argv[i];
	sp = build_stack(mm, &info, path,
			 argc + 1 < MAX_ARGS ? argc + 1 : MAX_ARGS, args, envp);
	if (!sp) {
		strcpy(why_buf, "argv and envp do not fit its stack");
		err = -E2BIG;
		mm_switch(NULL);
		goto fail;
	}
	pr_debug(
		"exec: %s: entry 0x%lx, brk 0x%lx, mmap base 0x%lx, stack top 0x%lx, sp 0x%lx\n",
		path, (unsigned long)info.entry, mm->start_brk, mm->mmap_base,
		mm->stack_top, sp);
	tf = trap_user_frame();
	trap_frame_init_user(tf, info.entry, sp); /* a0 = 0 */
	tf->sstatus &= ~(unsigned long)SSTATUS_FS;
	if (vm_hwcap & ISA_BIT('f'))
		tf->sstatus |= SSTATUS_FS_INITIAL;
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
