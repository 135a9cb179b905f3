// SPDX-License-Identifier: MIT
/*
 * tests/kernel/vm_test.c - the address-space harness of the virtual-memory
 * suites (tests/kernel/vm_test.h).
 */
#include "kernel/kernel.h"
#include "tests/kernel/vm_test.h"

struct vm_test_base vm_test_base;
static unsigned long suite_pages, suite_objs;

static struct mm *vm_test_mm(void)
{
	struct mm *mm = mm_create();

	if (mm) {
		mm->mmap_base = MMAP_BASE;
		mm->start_brk = mm->brk = BRK_BASE;
	}
	return mm;
}

void vm_test_run(struct ktest *t, bool (*prepare)(struct mm *mm),
		 void (*body)(struct ktest *t, struct mm *mm))
{
	unsigned long pages = app_pages_available();
	unsigned long objs = slab_active_objects();
	struct mm *mm;

	vm_test_base.anon = nr_anon_pages;
	vm_test_base.ptes = nr_page_table_pages;
	mm = vm_test_mm();
	ASSERT_TRUE(t, mm != NULL);
	mm_switch(mm);
	if (!prepare || prepare(mm))
		body(t, mm);
	else
		EXPECT_TRUE(t, !"preparing the address space failed");
	mm_switch(NULL);
	EXPECT_EQ(t, nr_anon_pages - vm_test_base.anon, mm->rss);
	EXPECT_EQ(t, nr_page_table_pages - vm_test_base.ptes, mm->nr_ptes);
	mm_destroy(mm);
	EXPECT_EQ(t, nr_anon_pages, vm_test_base.anon);
	EXPECT_EQ(t, nr_page_table_pages, vm_test_base.ptes);
	EXPECT_EQ(t, slab_active_objects(), objs);
	EXPECT_EQ(t, app_pages_available(), pages);
}

void vm_test_suite_start(struct ktest *t)
{
	struct mm *mm = mm_create(); /* makes the mm and VMA caches */

	ASSERT_TRUE(t, mm != NULL);
	mm_destroy(mm);
	suite_pages = app_pages_available();
	suite_objs = slab_active_objects();
	EXPECT_TRUE(t, suite_pages > 0);
	EXPECT_TRUE(t, current_mm == NULL);
}

void vm_test_suite_end(struct ktest *t)
{
	EXPECT_TRUE(t, current_mm == NULL);
	EXPECT_EQ(t, slab_active_objects(), suite_objs);
	EXPECT_EQ(t, app_pages_available(), suite_pages);
	EXPECT_TRUE(t, buddy_is_valid());
}

bool vm_test_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}
