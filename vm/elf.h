/* SPDX-License-Identifier: MIT */
/*
 * vm/elf.h - the ELF64 structures the loader (exec.c) and the app's symbol
 * lookup (app_symbols.c) read (System V gABI), and the embedded app.
 */
#ifndef PAGODA_VM_ELF_H
#define PAGODA_VM_ELF_H

#include <stddef.h>
#include <stdint.h>

/* The ELF64 file structures the loader reads (System V gABI). */
struct elf64_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum,
		e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
};

struct elf64_sym {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
};

/* clang-format off */
#define ELFCLASS64  2           /* e_ident[EI_CLASS] */
#define ELFDATA2LSB 1           /* e_ident[EI_DATA]: little endian */
#define ET_EXEC     2           /* fixed addresses */
#define ET_DYN      3           /* position independent (static-pie) */
#define EM_X86_64   62
#define EM_AARCH64  183
#define EM_RISCV    243
#define EF_RISCV_RVC              0x1  /* uses compressed instructions */
#define EF_RISCV_FLOAT_ABI        0x6  /* the float ABI, of: */
#define EF_RISCV_FLOAT_ABI_SOFT   0x0  /*   lp64: none */
#define EF_RISCV_FLOAT_ABI_SINGLE 0x2  /*   lp64f: F */
#define EF_RISCV_FLOAT_ABI_DOUBLE 0x4  /*   lp64d: D (and F) */
#define EF_RISCV_FLOAT_ABI_QUAD   0x6  /*   lp64q: Q */
#define PT_LOAD     1
#define PT_INTERP   3           /* the dynamic loader's path */
#define PF_X        1
#define PF_W        2
#define PF_R        4
#define SHT_SYMTAB  2
#define STT_FUNC    2
/* clang-format on */

/* The app's ELF, embedded by boot/app_blob.S. */
extern const char app_elf_start[], app_elf_end[];

/* 0 if eh starts a RISC-V ELF64 executable (ET_EXEC or ET_DYN) whose
 * program headers lie within size bytes, else -ENOEXEC. */
int elf_check_header(const struct elf64_ehdr *eh, size_t size);

#endif
