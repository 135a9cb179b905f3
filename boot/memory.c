// SPDX-License-Identifier: MIT
/*
 * boot/memory.c - the platform's memory map, as memblock takes it: the
 * device tree's memory ranges, and as reserved everything the runtime must
 * not hand out (the tree's reservations, no-map or not, the image, the
 * tree itself, the initrd).
 */
#include "boot/boot.h"

int memblock_from_platform(struct memblock *mb, const struct platform *p,
			   phys_addr_t image_pa, uint64_t image_size,
			   phys_addr_t fdt_pa, uint64_t mem_limit)
{
	struct mem_range memory[PLATFORM_MAX_MEMORY];
	struct mem_range reserved[PLATFORM_MAX_RESERVED + 3];
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->nr_memory; i++)
		memory[i] = p->memory[i];
	for (unsigned int i = 0; i < p->nr_reserved; i++)
		reserved[n++] = (struct mem_range){ p->reserved[i].base,
						    p->reserved[i].size, 0 };
	reserved[n++] = (struct mem_range){ image_pa, image_size, 0 };
	reserved[n++] = (struct mem_range){ fdt_pa, p->fdt_size, 0 };
	if (p->initrd_end > p->initrd_start)
		reserved[n++] = (struct mem_range){
			p->initrd_start, p->initrd_end - p->initrd_start, 0
		};
	return memblock_init(mb, memory, p->nr_memory, reserved, n, mem_limit);
}
