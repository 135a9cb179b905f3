// SPDX-License-Identifier: MIT
/*
 * vm/app_symbols.c - the app's function names, for its backtraces: the
 * symbol table of the embedded ELF (the image carries it stripped of debug
 * information, not of symbols), searched for the function holding pc.
 */
#include "vm/elf.h"
#include "vm/vm.h"

const char *app_symbol(uintptr_t pc, unsigned long *offset)
{
	const char *file = app_elf_start;
	size_t size = (size_t)(app_elf_end - app_elf_start);
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_shdr *sh;

	if (elf_check_header(eh, size) || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(*sh) < eh->e_shnum)
		return NULL;
	pc -= vm_app_load_bias; /* the ELF's own addresses */
	sh = (const void *)(file + eh->e_shoff);
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const struct elf64_shdr *strtab = &sh[sh[i].sh_link];
		const struct elf64_sym *sym;

		if (sh[i].sh_type != SHT_SYMTAB ||
		    sh[i].sh_link >= eh->e_shnum || sh[i].sh_offset > size ||
		    sh[i].sh_size > size - sh[i].sh_offset ||
		    strtab->sh_offset > size ||
		    strtab->sh_size > size - strtab->sh_offset)
			continue;
		sym = (const void *)(file + sh[i].sh_offset);
		for (size_t n = 0; n < sh[i].sh_size / sizeof(*sym); n++)
			if ((sym[n].st_info & 0xf) == STT_FUNC &&
			    pc - sym[n].st_value < sym[n].st_size &&
			    sym[n].st_name < strtab->sh_size) {
				*offset = pc - sym[n].st_value;
				return file + strtab->sh_offset +
				       sym[n].st_name;
			}
	}
	return NULL;
}
