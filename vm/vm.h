/* SPDX-License-Identifier: MIT */
/*
 * vm/vm.h - virtual memory: page tables, the kernel map, vmalloc and
 * ioremap, the app's address space (VMAs), page faults, user-memory access
 * and the memory system calls. The layout itself is hal/riscv/layout.h.
 *
 *   pgtable.c   map, unmap, protect and walk Sv39 tables (any page source)
 *   early.c     the boot page table, MMU off
 *   vmemmap.c   memory under the struct page array
 *   kmap.c      the final kernel map: direct map of RAM, image W^X
 *   vmalloc.c   vmalloc/vfree and ioremap in the window, with guard pages
 *   mm.c        address spaces and the VMA tree: find, insert, split, merge
 *   mmap.c      brk, mmap, munmap, mprotect, mremap, madvise
 *   fault.c     demand paging, zero page, A/D bits, bad-access reports
 *   uaccess.S   copy_{from,to}_user, strncpy_from_user with fixups
 *   exec.c      loading the app's ELF, its stack, entering U-mode
 *   swap_header.c  the Linux swap header read and checked, pure (its own
 *               header, vm/swap_header.h, for the swap code and the tests)
 *   swapfile.c  swap areas: swapon, swapoff, priorities, slots, their I/O
 *   swap.c      swappiness and page-cluster
 *   rmap.c      the reverse map: a page of the app's back to its PTE
 *   vmscan.c    the LRU lists, the swap shrinker, kswapd, MADV_PAGEOUT
 *   page_io.c   pages to and from swap in runs of consecutive slots
 *   swap_state.c  the swap cache, swap-in with readahead, swapoff's walk
 *   mlock.c     mlock, munlock, mlockall, munlockall
 *   vmstat.c    the counters, /proc/meminfo and /proc/vmstat
 */
#ifndef PAGODA_VM_H
#define PAGODA_VM_H

#include "hal/riscv/riscv.h"

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/alloc.h"
#include "lib/lib.h"

/* The boot page table (vm/early.c); kmap_init() replaces it. */
extern pte_t kernel_root[PTES_PER_TABLE];

static inline bool is_user_range(uintptr_t addr, size_t len)
{
	return addr <= USER_END && len <= USER_END - addr;
}

/* ---- page tables (pgtable.c) ----
 * Functions take the root table and a page source; they never flush the
 * TLB (the caller knows how narrow a flush may be) and may run on the host.
 */
struct pt_ops {
	/* a zeroed page for a table: its physical address, 0 if none */
	phys_addr_t (*alloc_table)(void *ctx);
	/* a table no longer used (NULL: keep tables) */
	void (*free_table)(phys_addr_t pa, void *ctx);
	/* unmap: a leaf PTE removed, of size bytes at va (NULL: nothing) */
	void (*put_leaf)(pte_t pte, uintptr_t va, uint64_t size, void *ctx);
	void *ctx;
};

/*
 * Map [va, va + size) to [pa, pa + size) with prot (PTE_R/W/X/U/G plus
 * PTE_A/D as wanted), with the largest leaves alignment allows (1 GiB,
 * 2 MiB, 4 KiB), or only 4 KiB leaves with max_level 0. va, pa and size
 * page aligned, the range unmapped. Returns 0, -EINVAL, -EEXIST, -ENOMEM.
 */
int pt_map(pte_t *root, uintptr_t va, phys_addr_t pa, uint64_t size,
	   uint64_t prot, int max_level, const struct pt_ops *ops);
/*
 * Unmap every leaf in [va, va + size), splitting a larger leaf that the
 * range only partly covers (-ENOMEM if that needs a table and none comes);
 * frees tables whose whole span the range covers. Returns 0 or -errno.
 */
int pt_unmap(pte_t *root, uintptr_t va, uint64_t size,
	     const struct pt_ops *ops);
/*
 * Set the permission bits (PTE_R/W/X/U) of every leaf in the range to
 * prot, splitting partly covered large leaves; holes are skipped.
 */
int pt_protect(pte_t *root, uintptr_t va, uint64_t size, uint64_t prot,
	       const struct pt_ops *ops);
/*
 * Call fn for every leaf in [va, va + size): valid leaves at any level and
 * non-zero invalid level-0 entries (a page kept behind PROT_NONE, later a
 * swap entry), with the leaf's own start address. fn may rewrite *pte.
 * Stops at the first non-zero return and returns it.
 */
typedef int (*pt_leaf_fn)(pte_t *pte, uintptr_t va, int level, void *ctx);
int pt_for_each_leaf(pte_t *root, uintptr_t va, uint64_t size, pt_leaf_fn fn,
		     void *ctx);
/* The entry for va at level (0 = 4 KiB), allocating tables above it;
 * NULL without memory or when a larger leaf covers va. */
pte_t *pt_walk(pte_t *root, uintptr_t va, int level, const struct pt_ops *ops);
/* The leaf PTE mapping va and its level, or NULL. */
pte_t *pt_lookup(pte_t *root, uintptr_t va, int *level);

/* ---- TLB ---- */
/* After changing mappings in [va, va + size) of the running table. */
void flush_tlb_range(uintptr_t va, uint64_t size);

struct memblock;
/* Map memory under the struct pages of every memory span (vmemmap.c). */
int vmemmap_populate(struct memblock *mb);

/*
 * Runs with the MMU off, from entry.S: builds the boot page table and
 * returns the satp value that turns it on, or 0 after printing why not.
 */
unsigned long early_map(void);
/* entry.S calls this, still with the MMU off, when satp rejected Sv39. */
void early_no_sv39(void);

/* ---- the kernel map (kmap.c) ---- */
/* The root every address space shares the upper half of. */
extern pte_t *kernel_pgd;
/*
 * Build the final kernel map (direct map of every memory range but no-map
 * ones, with the largest leaves; the image W^X with 4 KiB pages; the
 * vmemmap) in a table from the buddy allocator; it becomes kernel_pgd.
 * Devices need ioremap() into it before kmap_switch() turns it on.
 * Returns 0 or -ENOMEM.
 */
int kmap_init(const struct mem_range *memory, unsigned int nr_memory,
	      const struct mem_range *nomap, unsigned int nr_nomap);
void kmap_switch(void);
/* Copy the kernel half of kernel_pgd into a new root. */
void kmap_copy_kernel_half(pte_t *root);

/* ---- vmalloc and ioremap (vmalloc.c) ---- */
/* size bytes of virtually contiguous memory from order-0 pages, mapped
 * RW with an unmapped guard page after; NULL if none. */
void *vmalloc(size_t size);
void *vzalloc(size_t size);
void vfree(void *addr);
/* Device registers at [pa, pa + size) mapped RW, uncached by the platform's
 * PMAs; NULL if the window or memory is exhausted. */
void *ioremap(phys_addr_t pa, size_t size);
void iounmap(void *addr);
/* Bytes of the window in use, guard pages included (the pages vmalloc
 * holds are nr_vmalloc_pages, alloc/alloc.h). */
unsigned long vmalloc_used_bytes(void);
bool is_vmalloc_addr(const void *addr);

/* ---- address spaces (mm.c) ---- */
/* VMA flags: the low three are PROT_* shifted as Linux's VM_READ.. are. */
/* clang-format off */
#define VM_READ       0x1u
#define VM_WRITE      0x2u
#define VM_EXEC       0x4u
#define VM_SHARED     0x8u
#define VM_NORESERVE  0x10u
#define VM_STACK      0x20u   /* the main stack */
#define VM_IMAGE      0x80u   /* from the app's ELF */
#define VM_ACCOUNT    0x100u  /* counted in Committed_AS (Linux's VM_ACCOUNT) */
#define VM_LOCKED     0x200u  /* mlock: its pages never leave memory */
#define VM_LOCKONFAULT 0x400u /* mlock2(MLOCK_ONFAULT): locked as they come */
#define VM_ACCESS     (VM_READ | VM_WRITE | VM_EXEC)
/* clang-format on */

/*
 * A virtual memory area: [start, end) with one set of flags. Invariants:
 *  - start < end, both page aligned, end <= USER_END;
 *  - VMAs of an mm never overlap; the tree (by start) and the list (in
 *    address order) hold the same VMAs;
 *  - pgoff is the page offset of start in its anonymous "object": an
 *    mmap sets it to start >> PAGE_SHIFT, a split or an expansion keeps it
 *    consistent, a move (mremap) keeps the old one; two neighbours merge
 *    only when prev->pgoff + pages(prev) == next->pgoff (Linux's rule);
 *  - anon is 0 until a page is faulted in, then an id shared by the pieces
 *    of a split; neighbours merge only if one is 0 or both are equal.
 */
struct vm_area {
	uintptr_t start, end;
	unsigned int flags; /* VM_* */
	unsigned long pgoff;
	unsigned long anon;
	struct rb_node rb;
	struct list_head list;
};

/*
 * The app's address space. Invariants: pgd's upper half equals
 * kernel_pgd's; rss counts the pages mapped in the lower half (the zero
 * page excluded); total_vm the pages of all VMAs; the hiwater fields are
 * the peaks of those two; start_brk <= brk and [start_brk, PAGE_ALIGN(brk))
 * is covered by the heap VMA when it is not empty.
 */
struct mm {
	pte_t *pgd;
	struct rb_root vmas;
	struct list_head vma_list;
	struct vm_area *cache; /* the last VMA find_vma returned */
	unsigned long nr_vmas;
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t start_brk, brk;
	uintptr_t mmap_base, stack_top, start_stack, stack_guard;
	uintptr_t arg_start, arg_end, env_start, env_end;
	unsigned long total_vm, hiwater_vm, rss, hiwater_rss, nr_ptes;
	long committed;		 /* pages of its VM_ACCOUNT VMAs */
	unsigned long swapents;	 /* swap entries in its PTEs (VmSwap) */
	unsigned long locked_vm; /* pages of its VM_LOCKED VMAs (VmLck) */
	unsigned int def_flags;	 /* mlockall(MCL_FUTURE): new VMAs get these */
	unsigned long next_anon;
	struct pt_ops ops;     /* page-table pages and leaves of this mm */
	struct list_head node; /* on mm_list */
};

/* The running app's address space (NULL before exec and after exit). */
extern struct mm *current_mm;

struct mm *mm_create(void);
/* Unmap everything, free the tables and the mm. Switch away first. */
void mm_destroy(struct mm *mm);
/* Make mm the running address space (satp), or the kernel's with NULL. */
void mm_switch(struct mm *mm);

/* The VMA containing addr, or NULL. O(log n) plus a one-entry cache. */
struct vm_area *find_vma(struct mm *mm, uintptr_t addr);
/* The first VMA that ends above addr (contains it or lies above), or NULL. */
struct vm_area *find_vma_above(struct mm *mm, uintptr_t addr);
/* The first VMA intersecting [start, end), or NULL. */
struct vm_area *find_vma_intersection(struct mm *mm, uintptr_t start,
				      uintptr_t end);
struct vm_area *vma_next(struct mm *mm, struct vm_area *vma);
struct vm_area *vma_prev(struct mm *mm, struct vm_area *vma);
static inline unsigned long vma_pages(const struct vm_area *vma)
{
	return (vma->end - vma->start) >> PAGE_SHIFT;
}

/* ---- memory system calls (mmap.c); Linux's semantics, -errno ---- */
/* The PROT_, MAP_, MREMAP_ and MADV_ values are Linux's: vm/mman.h. */

long vm_brk(struct mm *mm, uintptr_t addr);
long vm_mmap(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot,
	     unsigned long flags, int fd, unsigned long off);
long vm_munmap(struct mm *mm, uintptr_t addr, size_t len);
long vm_mprotect(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot);
long vm_mremap(struct mm *mm, uintptr_t addr, size_t old_len, size_t new_len,
	       unsigned long flags, uintptr_t new_addr);
long vm_madvise(struct mm *mm, uintptr_t addr, size_t len, int advice);
/* mlock.c: mlock2's flags are MLOCK_ONFAULT or 0; mlockall's MCL_*. */
long vm_mlock(struct mm *mm, uintptr_t addr, size_t len, unsigned int flags);
long vm_munlock(struct mm *mm, uintptr_t addr, size_t len);
long vm_mlockall(struct mm *mm, unsigned int flags);
long vm_munlockall(struct mm *mm);
/*
 * Place a VMA of len bytes at exactly addr (replacing what was there) or,
 * with addr 0, in the mmap area; the kernel's own mapping primitive (ELF
 * segments, the stack). Returns the address or -errno.
 */
long vm_map_fixed(struct mm *mm, uintptr_t addr, size_t len,
		  unsigned int vm_flags);

/* ---- page faults (fault.c) ---- */
enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
/* clang-format off */
#define FAULT_OK        0
#define FAULT_NOVMA     1   /* no mapping at the address */
#define FAULT_ACCESS    2   /* the VMA does not allow it */
#define FAULT_GUARD     3   /* the stack guard page */
#define FAULT_OOM       4   /* no page to be had */
#define FAULT_SIGBUS    5   /* the page could not be read back from swap */
/* With FAULT_OOM: the flags of the allocation that failed (the report's). */
extern gfp_t vm_oom_gfp;
/* clang-format on */
/* Resolve a fault at addr; FAULT_OK or why not. */
int handle_mm_fault(struct mm *mm, uintptr_t addr, enum fault_access access);
/* Print why a fault at addr was refused (the VMA, or none). */
void vm_report_fault(struct mm *mm, uintptr_t addr, int why);
/* Faults fixed by setting A or D (Svade); pgfault is in vm_events. */
extern unsigned long vm_svade_fixups;
/* The page every untouched anonymous read maps; read-only. */
extern phys_addr_t zero_page_pa;
/* Set up the zero page; before the first fault. */
int fault_init(void);
/*
 * Fill [addr, addr + len) of mm with pages as a write (or read-only
 * VMAs: read) fault would: MAP_POPULATE. Returns 0 or -ENOMEM.
 */
int vm_populate(struct mm *mm, uintptr_t addr, size_t len);
struct page;
/* Map page at va in mm with its VMA's permissions (the ELF loader). */
int vm_insert_page(struct mm *mm, uintptr_t va, struct page *page);

/* ---- user memory (uaccess.S, uaccess.c) ----
 * The only way the kernel touches the app's memory: sstatus.SUM is set
 * inside these and nowhere else, and a fault that demand paging cannot
 * satisfy returns through the exception table instead of panicking.
 */
/* Bytes NOT copied: 0 on success. */
size_t copy_from_user(void *dst, const void *usrc, size_t n);
size_t copy_to_user(void *udst, const void *src, size_t n);
size_t clear_user(void *udst, size_t n);
/*
 * Copy a NUL-terminated string of at most n bytes (with the NUL): its
 * length, -EFAULT, or -ENAMETOOLONG when no NUL came within n bytes.
 */
long strncpy_from_user(char *dst, const char *usrc, size_t n);
/* The fixup address for a faulting pc in a user-access routine, or 0. */
unsigned long uaccess_fixup(unsigned long pc);
/* Route the kernel's faults in those routines to demand paging/fixups. */
void uaccess_init(void);

/* ---- the app (exec.c) ---- */
/*
 * Load the embedded ELF into a new address space with its stack, argv and
 * auxiliary vector, and run it in U-mode. Returns only on a load failure:
 * -errno, and *why says what was refused (a dynamic program, another
 * machine, a float ABI the hart lacks...); the app ends through exit or a
 * fatal fault.
 */
int exec_app(const char *name, int argc, const char *const *argv,
	     const char *const *envp, const char **why);
/* The app's function holding pc (from its ELF's symbols), or NULL. */
const char *app_symbol(uintptr_t pc, unsigned long *offset);
/* After the app ended: back to the kernel's map, its memory freed. */
void exec_teardown(void);
/* "/apps/<name>" of the running app (maps, status), or NULL. */
extern const char *vm_app_path;
/* Random bits for ASLR, AT_RANDOM and getrandom (from the rng-seed). */
/* The app's layout randomised (lib's random_u64), or not: norandmaps. */
extern bool vm_randomize;
/* The boot hart's single-letter extensions, ISA_BIT(c) each: AT_HWCAP, and
 * what the app's float ABI (e_flags) is checked against (set by boot). */
extern uint32_t vm_hwcap;
/* Where an ET_DYN (static-pie) app was loaded: its addresses + this; 0 for
 * ET_EXEC (app_symbol subtracts it). */
extern uintptr_t vm_app_load_bias;

/* ---- counters and the memory files (vmstat.c) ----
 * What the virtual memory counts, for /proc/meminfo and /proc/vmstat.
 * Names are Linux's.
 */
struct vm_events {
	unsigned long pgfault;	  /* faults handled, of every kind */
	unsigned long pgmajfault; /* faults that waited for I/O: swap-in */
	unsigned long pswpin;	  /* pages read from swap */
	unsigned long pswpout;	  /* pages written to swap */
	/* reclaim (vmscan.c): pages looked at and taken, by whom */
	unsigned long pgscan_kswapd, pgscan_direct;
	unsigned long pgsteal_kswapd, pgsteal_direct;
	unsigned long pgactivate;   /* inactive -> active: referenced */
	unsigned long pgdeactivate; /* active -> inactive: not referenced */
	unsigned long pgrotated;    /* second chances on the active list */
	unsigned long pageoutrun;   /* kswapd's balancing runs */
	unsigned long kswapd_wakeups;
	unsigned long swap_ra;	   /* pages read ahead of a fault */
	unsigned long swap_ra_hit; /* faults the swap cache answered */
	unsigned long unevictable_pgs_mlocked, unevictable_pgs_munlocked;
	/* pagoda's own: disk errors met by swap (docs/swap.md) */
	unsigned long swap_write_errors, swap_read_errors;
	unsigned long drop_pagecache, drop_slab; /* drop_caches writes */
	unsigned long oom_kill; /* the app killed for want of memory */
};
extern struct vm_events vm_events;
/* Pages in use by kind, now (Linux's node counters of the same names). */
extern unsigned long nr_anon_pages;	  /* the app's own pages: every rss */
extern unsigned long nr_page_table_pages; /* tables of app address spaces */
extern unsigned long nr_vmalloc_pages;	  /* pages vmalloc() holds */
/* The LRU lists and the swap cache (vmscan.c, swap_state.c). */
extern unsigned long nr_active_anon, nr_inactive_anon;
extern unsigned long nr_mlock;	   /* PG_mlocked pages (Mlocked) */
extern unsigned long nr_swapcache; /* pages in the swap cache */
extern unsigned long nr_writeback; /* pages being written to swap */

/*
 * Overcommit (/proc/sys/vm, Linux's mm/util.c): the policy, 0 heuristic
 * (refuse what RAM could never back), 1 always, 2 never beyond
 * CommitLimit; the share of RAM in that limit (percent; any int, as
 * Linux's proc_dointvec); Committed_AS, the pages of every VM_ACCOUNT VMA
 * (private writable memory: mmap, brk, mremap growth, mprotect to
 * writable, the ELF's writable segments).
 */
#define OVERCOMMIT_GUESS  0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER  2
extern int sysctl_overcommit_memory;
extern int sysctl_overcommit_ratio;
extern long vm_committed_pages;
/* CommitLimit in pages: swap + RAM * overcommit_ratio / 100. */
unsigned long vm_commit_limit(void);
/* May mm commit pages more (its policy's answer)? */
bool vm_enough_memory(struct mm *mm, long pages);
/* Swap's tunables (vm/swap.c). */
extern int vm_swappiness; /* 0..200, default 60 */
extern int page_cluster;  /* log2 of pages read ahead, 0..31, default 3 */

/*
 * ---- reclaim (vmscan.c, docs/swap.md) ----
 * The app's pages sit on an active and an inactive LRU list, aged by the
 * accessed bit; a shrinker (alloc/alloc.h's contract) writes the coldest
 * out to swap when the allocator runs short, and kswapd, a kernel thread
 * woken below the low watermark, works until the high one.
 */
/* Bootarg lru=fifo clears it: no second chance, pages leave in the order
 * they came (the benchmark's baseline). */
extern bool lru_aging;
/* Register the swap shrinker and start kswapd; 0 or -ENOMEM. */
int reclaim_init(void);
/* Reclaim up to nr pages of the app's now (direct: an allocation waits);
 * returns the pages freed. */
unsigned long reclaim_pages(unsigned long nr, bool direct);
/* Write out [start, end) of mm (MADV_PAGEOUT) or make it the next to go
 * (MADV_COLD); read [start, end) back ahead of use (MADV_WILLNEED). */
void reclaim_range(struct mm *mm, uintptr_t start, uintptr_t end);
void deactivate_range(struct mm *mm, uintptr_t start, uintptr_t end);
void swapin_range(struct mm *mm, uintptr_t start, uintptr_t end);

/* Linux's /proc/meminfo and /proc/vmstat: the zones' sums and the above. */
size_t meminfo_show(char *buf, size_t size);
size_t vmstat_show(char *buf, size_t size);
/* The OOM report's Mem-Info block, Linux's show_mem() head, in pages. */
size_t oom_meminfo_show(char *buf, size_t size);
/* Every statistics file to the console, headed "memstat: when: name". */
void memstat_print(const char *when);

/* ---- swap (swapfile.c) ---- */
/*
 * The swap areas, as Linux's swapon(2)/swapoff(2) manage them: a table of
 * MAX_SWAPFILES, each a virtio disk with a Linux swap header, active from
 * swapon to swapoff, which brings every page on it back first.
 */
#define MAX_SWAPFILES 8
/* swapon(2)'s flags, Linux's (include/linux/swap.h) */
/* clang-format off */
#define SWAP_FLAG_PREFER	0x8000	/* the priority is in the low bits */
#define SWAP_FLAG_PRIO_MASK	0x7fff
#define SWAP_FLAG_DISCARD	0x10000 /* accepted, ignored: no discard */
#define SWAP_FLAG_DISCARD_ONCE	0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID                                          \
	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
	 SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)
/* struct swap_area's flags, Linux's SWP_* */
#define SWP_USED    0x1 /* the table entry is taken */
#define SWP_WRITEOK 0x2 /* active: the chooser may hand it out */
/* clang-format on */

struct virtio_blk;
struct swap_header;

/*
 * One swap area. Invariants while SWP_USED: disk is a probed virtio disk
 * whose page 0 held a valid header (hdr); map has one byte per page of the
 * area, 0..last_page: SWAP_MAP_BAD for the header and the bad pages, else
 * the PTE references to the slot plus SWAP_HAS_CACHE while a page of the
 * swap cache holds it, 0 when free; pages = the slots not SWAP_MAP_BAD;
 * inuse = the slots not 0 and not bad, <= pages; cluster_free[i] counts
 * the free slots of cluster i (SWAP_CLUSTER slots from slot i * that);
 * prio is unique when negative (Linux's -2, -3, ... in activation order).
 */
struct swap_area {
	struct virtio_blk *disk;
	const char *name; /* the disk's, "vdb"; /dev/vdb for the app */
	const struct swap_header *hdr;
	int prio;
	unsigned int flags; /* SWP_* */
	unsigned long pages;
	unsigned long inuse;
	uint8_t *map;
	uint16_t *cluster_free;
	unsigned long nr_clusters;
	unsigned long next;	   /* the slot the current cluster goes on at */
	unsigned int cluster_left; /* slots to take there before moving on */
};

/* Swap in pages, for meminfo, CommitLimit, sysinfo (Linux's names). */
extern unsigned long total_swap_pages; /* usable slots of active areas */
extern long nr_swap_pages;	       /* of those, free */

/*
 * The boot option swap=: a disk name, a comma list ("vdb,vdc": activated
 * in that order), "none", or NULL (the first disk, if any). Each area
 * found says so on the console, each refused disk why.
 */
void swap_boot(const char *names);
/* Activate d, whose page 0 parsed as hdr (copied), with swapon's flags: 0,
 * or -EBUSY (active), -EPERM (the table is full), -EINVAL (flags). */
int swap_activate(struct virtio_blk *d, const struct swap_header *hdr,
		  int swap_flags);
/* Take d's area out of use: 0, or -EINVAL if it is not active. */
int swap_deactivate(struct virtio_blk *d);
/*
 * The area the next page goes to: the highest priority with a free slot,
 * round robin among equal priorities (Linux's swap_avail list: the area
 * handed out goes behind its peers). NULL when every slot is taken.
 */
struct swap_area *swap_pick_area(void);
/* The active areas in the chooser's order; NULL past the last. */
struct swap_area *swap_area_get(unsigned int i);
/* swapon(2), swapoff(2) with a path /dev/vdX: 0 or -errno. */
long sys_swapon(const char *upath, int swap_flags);
long sys_swapoff(const char *upath);
/* /proc/swaps */
size_t swaps_show(char *buf, size_t size);

/* ---- text for /proc (procfs.c in kernel/ reads these) ---- */
size_t maps_show(struct mm *mm, char *buf, size_t size);
/* The Vm* and Rss* lines of /proc/self/status (kernel/procfs.c has the
 * rest). */
void status_show_mm(struct strbuf *o, const struct mm *mm);

#endif /* __ASSEMBLER__ */
#endif /* PAGODA_VM_H */
