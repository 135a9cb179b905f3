// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_vm_kmap.c - the kernel's half of the address space,
 * read back from the live page table (suite vm_kmap):
 *
 *   image_is_w_xor_x    text R-X, rodata R, data and BSS RW, 4 KiB leaves
 *   direct_map_is_ram   RAM with large leaves, RW, never X; devices absent
 *   vmalloc_guards      pages mapped, a guard page after, all back on vfree
 *   ioremap_maps_pa     the physical range at an offset, gone on iounmap
 *   misuse_is_refused   vfree/iounmap of foreign pointers change nothing
 */
#include <string.h>

#include "alloc/alloc.h"
#include "boot/boot.h"
#include "tests/kernel/ktest.h"
#include "vm/internal.h"

extern char _start[], _srodata[], _sdata[], _end[];
static int bss_word;

/* The leaf's bits for va in the kernel table, 0 if unmapped. */
static pte_t kpte(const void *va, int *level)
{
	pte_t *pte = pt_lookup(kernel_pgd, (uintptr_t)va, level);

	return pte ? *pte : 0;
}

static void image_is_w_xor_x(struct ktest *t)
{
	int level = -1;
	pte_t text = kpte((void *)image_is_w_xor_x, &level);
	pte_t ro = kpte(_srodata, NULL), data = kpte(_sdata, NULL);
	pte_t bss = kpte(&bss_word, NULL);

	EXPECT_EQ(t, level, 0);
	EXPECT_EQ(t, text & (PTE_R | PTE_W | PTE_X), PTE_R | PTE_X);
	EXPECT_EQ(t, ro & (PTE_R | PTE_W | PTE_X), PTE_R);
	EXPECT_EQ(t, data & (PTE_R | PTE_W | PTE_X), PTE_R | PTE_W);
	EXPECT_EQ(t, bss & (PTE_R | PTE_W | PTE_X), PTE_R | PTE_W);
	EXPECT_TRUE(t, text & ro & data & PTE_G);
	EXPECT_TRUE(t, !((text | ro | data) & PTE_U));
	/* the text maps where the image was loaded */
	EXPECT_EQ(t, pte_pa(text),
		  virt_to_phys((void *)image_is_w_xor_x) & ~(PAGE_SIZE - 1));
	EXPECT_EQ(t, kpte(_end, NULL), 0); /* nothing right after the image */
}

static void direct_map_is_ram(struct ktest *t)
{
	const struct platform *p = &boot_platform;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	int level = -1;
	pte_t pte;

	ASSERT_TRUE(t, page != NULL);
	pte = kpte(page_address(page), &level);
	EXPECT_EQ(t, pte & (PTE_R | PTE_W | PTE_X | PTE_U), PTE_R | PTE_W);
	EXPECT_TRUE(t, level >= 1); /* RAM ranges here are 2 MiB aligned */
	free_pages(page, 0);
	if (p->has_uart)
		EXPECT_EQ(t, kpte(phys_to_virt(p->uart.mmio.base), NULL), 0);
	if (p->has_test_device)
		EXPECT_EQ(t, kpte(phys_to_virt(p->test_device.base), NULL), 0);
	/* no-map regions (OpenSBI's) are not in the direct map either */
	for (unsigned int i = 0; i < p->nr_reserved; i++)
		if (p->reserved[i].no_map)
			EXPECT_EQ(t,
				  kpte(phys_to_virt(p->reserved[i].base), NULL),
				  0);
}

static void vmalloc_guards(struct ktest *t)
{
	unsigned long used = vmalloc_used_bytes();
	unsigned long vpages = nr_vmalloc_pages, free = nr_free_pages();
	char *a = vmalloc(3 * PAGE_SIZE + 1), *b = vzalloc(PAGE_SIZE);

	ASSERT_TRUE(t, a != NULL && b != NULL);
	EXPECT_TRUE(t, is_vmalloc_addr(a) && is_vmalloc_addr(b));
	EXPECT_TRUE(t, !is_vmalloc_addr(_start));
	EXPECT_EQ(t, nr_vmalloc_pages - vpages, 5);
	EXPECT_EQ(t, vmalloc_used_bytes() - used, 7 * PAGE_SIZE); /* +guards */
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(t, kpte(a + i * PAGE_SIZE, NULL) & (PTE_R | PTE_W),
			  PTE_R | PTE_W);
	EXPECT_EQ(t, kpte(a + 4 * PAGE_SIZE, NULL), 0); /* the guard */
	EXPECT_TRUE(t, b >= a + 5 * PAGE_SIZE || b + 2 * PAGE_SIZE <= a);
	memset(a, 0x5a, 4 * PAGE_SIZE);
	EXPECT_EQ(t, a[4 * PAGE_SIZE - 1], 0x5a);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (b[i]) {
			EXPECT_TRUE(t, !"vzalloc memory is not zero");
			break;
		}
	vfree(a);
	vfree(b);
	EXPECT_EQ(t, kpte(a, NULL), 0);
	EXPECT_EQ(t, nr_vmalloc_pages, vpages);
	EXPECT_EQ(t, vmalloc_used_bytes(), used);
	drain_local_pages();
	EXPECT_EQ(t, nr_free_pages(), free);
	EXPECT_TRUE(t, vmalloc(0) == NULL);
}

static void ioremap_maps_pa(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	unsigned long used = vmalloc_used_bytes();
	char *io;

	ASSERT_TRUE(t, page != NULL);
	strcpy((char *)page_address(page) + 8, "through ioremap");
	io = ioremap(page_to_phys(page) + 8, 16);
	ASSERT_TRUE(t, io != NULL);
	EXPECT_EQ(t, (uintptr_t)io & (PAGE_SIZE - 1), 8);
	EXPECT_STREQ(t, io, "through ioremap");
	EXPECT_EQ(t, pte_pa(kpte(io, NULL)), page_to_phys(page));
	iounmap(io);
	EXPECT_EQ(t, kpte(io, NULL), 0);
	EXPECT_EQ(t, vmalloc_used_bytes(), used);
	EXPECT_STREQ(t, (char *)page_address(page) + 8, "through ioremap");
	free_pages(page, 0);
}

static void misuse_is_refused(struct ktest *t)
{
	char *a = vmalloc(PAGE_SIZE);
	unsigned long used;
	const char *out;

	ASSERT_TRUE(t, a != NULL);
	used = vmalloc_used_bytes();
	ktest_capture_start();
	vfree(a + 8);	  /* not the start */
	iounmap(a);	  /* not an ioremap */
	vfree(&bss_word); /* not vmalloc memory at all */
	out = ktest_capture_stop();
	EXPECT_TRUE(t, strstr(out, "vfree: ") != NULL);
	EXPECT_TRUE(t, strstr(out, "iounmap: ") != NULL);
	EXPECT_EQ(t, vmalloc_used_bytes(), used);
	EXPECT_EQ(t, a[0] = 1, 1); /* still mapped */
	vfree(a);
}

KTEST_SUITE(vm_kmap, KTEST_CASE(image_is_w_xor_x),
	    KTEST_CASE(direct_map_is_ram), KTEST_CASE(vmalloc_guards),
	    KTEST_CASE(ioremap_maps_pa), KTEST_CASE(misuse_is_refused));
