/* SPDX-License-Identifier: MIT */
/*
 * tests/kernel/vm_test.h - what the virtual-memory suites (test_vm_*.c)
 * share: each case runs on an address space of its own, made, switched
 * to, switched away from and destroyed around it, and then must leave
 * the machine as it found it: pages, slab objects, the app-page and
 * page-table counters.
 */
#ifndef PAGODA_TESTS_VM_TEST_H
#define PAGODA_TESTS_VM_TEST_H

#include "alloc/alloc.h"
#include "tests/kernel/ktest.h"
#include "vm/internal.h"
#include "vm/mman.h"

/* clang-format off */
#define MMAP_BASE 0x2000000000UL  /* the test mm's mmap_base */
#define BRK_BASE  0x1000000UL     /* and its start_brk */
#define PG        PAGE_SIZE
#define RW        (PROT_READ | PROT_WRITE)
#define ANON      (MAP_PRIVATE | MAP_ANONYMOUS)
/* clang-format on */

/* The counters when the running case's mm was made. */
struct vm_test_base {
	unsigned long anon, ptes;
};
extern struct vm_test_base vm_test_base;

/*
 * Run body on a fresh mm with MMAP_BASE and BRK_BASE (after prepare, if given, returned true), then
 * check the counters followed the mm and everything came back.
 */
void vm_test_run(struct ktest *t, bool (*prepare)(struct mm *mm),
		 void (*body)(struct ktest *t, struct mm *mm));
/* First and last case of a suite: make the caches, note the free pages
 * and objects; check they are back and the allocator is sound. */
void vm_test_suite_start(struct ktest *t);
void vm_test_suite_end(struct ktest *t);
bool vm_test_all_zero(const void *p, size_t n);

/* clang-format off */
/* A case whose body gets a fresh mm (prepared by prepare, or NULL). */
#define MM_CASE_WITH(name, prepare)                                      \
	static void name##_body(struct ktest *t, struct mm *mm);         \
	static void name(struct ktest *t) { vm_test_run(t, prepare, name##_body); } \
	static void name##_body(struct ktest *t, struct mm *mm)
#define MM_CASE(name) MM_CASE_WITH(name, NULL)
/* clang-format on */

#endif
