/* SPDX-License-Identifier: MIT */
/*
 * vm/swap_header.h - the Linux swap header (what mkswap writes on page 0 of
 * a swap area), read by pure code: no I/O, no allocation, no global state.
 * The swap code of vm/ reads the device's first page and hands it here with
 * the device's size; the host tests (tests/host/test_swap_header.c) hand it
 * pages that the real mkswap made. docs/swap.md has the picture.
 *
 * Page 0, 4096 bytes (the page size is fixed at 4096 here, as on riscv64):
 *
 *   offset  size  field
 *        0  1024  boot bits: room for a disk label, ignored
 *     1024     4  version        1
 *     1028     4  last_page      the area is pages 0..last_page
 *     1032     4  nr_badpages    entries used in badpages[]
 *     1036    16  uuid
 *     1052    16  label          NUL-padded, not terminated at 16 bytes
 *     1068   468  padding        (117 words)
 *     1536  2550  badpages[]     page numbers, at most 637 of them
 *     4086    10  "SWAPSPACE2"   the signature, at the very end
 *
 * Byte order: the numbers are in the byte order of the CPU that ran
 * mkswap, with no marker; Linux reads them in its own (and byte-swaps a
 * header whose version reads 0x01000000). pagoda reads them in the CPU's
 * order, little endian on riscv64 (and on the x86 hosts of the tests), and
 * refuses a big-endian header with its own error rather than swapping it.
 */
#ifndef PAGODA_VM_SWAP_HEADER_H
#define PAGODA_VM_SWAP_HEADER_H

#include <stdbool.h>
#include <stdint.h>

/* clang-format off */
#define SWAP_HDR_PAGE_SIZE     4096u
#define SWAP_HDR_MAGIC_LEN     10u
#define SWAP_HDR_MAGIC_OFFSET  (SWAP_HDR_PAGE_SIZE - SWAP_HDR_MAGIC_LEN) /* 4086 */
#define SWAP_HDR_VERSION_OFFSET    1024u
#define SWAP_HDR_LAST_PAGE_OFFSET  1028u
#define SWAP_HDR_NR_BAD_OFFSET     1032u
#define SWAP_HDR_UUID_OFFSET       1036u
#define SWAP_HDR_LABEL_OFFSET      1052u
#define SWAP_HDR_BADPAGES_OFFSET   1536u
#define SWAP_HDR_UUID_LEN      16u
#define SWAP_HDR_LABEL_LEN     16u
/* What fits between badpages[] and the signature: Linux's MAX_SWAP_BADPAGES. */
#define SWAP_HDR_MAX_BADPAGES  ((SWAP_HDR_MAGIC_OFFSET - SWAP_HDR_BADPAGES_OFFSET) / 4) /* 637 */
/* The one version Linux (and pagoda) takes: mkswap's "swapspace version 1". */
#define SWAP_HDR_VERSION       1u
/* clang-format on */

/* Why a header was refused; each has its sentence (swap_header_strerror). */
enum swap_header_error {
	SWAP_HDR_OK = 0,
	SWAP_HDR_DISK_TOO_SMALL, /* the device holds less than one page */
	SWAP_HDR_NO_SIGNATURE,	 /* no SWAPSPACE2 at offset 4086 */
	SWAP_HDR_OLD_V0,	 /* SWAP-SPACE there: the pre-2.2 format */
	SWAP_HDR_HIBERNATION,	 /* a hibernation image's signature there */
	SWAP_HDR_BIG_ENDIAN,	 /* version 1 in the other byte order */
	SWAP_HDR_VERSION_BAD,	 /* a version other than 1 */
	SWAP_HDR_EMPTY,		 /* last_page 0: no page after the header */
	SWAP_HDR_BEYOND_DISK,	 /* last_page past the device's last page */
	SWAP_HDR_TOO_MANY_BAD,	 /* nr_badpages > 637 */
	SWAP_HDR_BAD_PAGE_RANGE, /* a bad page 0 or past last_page */
	SWAP_HDR_NO_GOOD_PAGE,	 /* every page after the header is bad */
	SWAP_HDR_NR_ERRORS
};

/*
 * A header that was read. Invariants once swap_header_parse() returned
 * SWAP_HDR_OK: version == 1; 1 <= last_page < disk_pages; nr_badpages <=
 * 637 and every badpages[i] (i < nr_badpages) is in 1..last_page;
 * nr_slots, the usable pages, is last_page minus the distinct bad pages,
 * and at least 1. Slot numbers are page numbers on the device: page 0 is
 * the header, never a slot. On a refusal the fields read before the fault
 * are kept (for a message), the rest are zero.
 */
struct swap_header {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	uint32_t badpages[SWAP_HDR_MAX_BADPAGES]; /* as on disk, in its order */
	uint8_t uuid[SWAP_HDR_UUID_LEN];
	char label[SWAP_HDR_LABEL_LEN + 1]; /* NUL-terminated; "" if none */
	uint64_t disk_pages;		    /* whole pages on the device */
	uint64_t nr_slots;		    /* usable pages */
	/* SWAP_HDR_BAD_PAGE_RANGE: the index in badpages[] at fault */
	uint32_t bad_index;
	/* the 10 bytes at offset 4086, NUL-terminated (for a message) */
	char magic[SWAP_HDR_MAGIC_LEN + 1];
};

/*
 * Read the first page of a swap device (SWAP_HDR_PAGE_SIZE bytes at page,
 * any alignment) of disk_bytes bytes into *hdr. Returns SWAP_HDR_OK, or
 * why not with *why set to a sentence saying so (static text; NULL
 * allowed). Pure: touches nothing but *hdr and *why.
 */
enum swap_header_error swap_header_parse(const void *page, uint64_t disk_bytes,
					 struct swap_header *hdr,
					 const char **why);
/* The sentence for an error code ("ok" for SWAP_HDR_OK). */
const char *swap_header_strerror(enum swap_header_error err);
/* Is page number nr a usable slot of a parsed header (1..last_page, not
 * listed bad)? */
bool swap_header_slot_ok(const struct swap_header *hdr, uint64_t nr);
/* The UUID as text, 8-4-4-4-12 lower-case hex digits, as blkid prints
 * it; buf holds at least 37 bytes. Returns buf. */
char *swap_header_uuid_str(const struct swap_header *hdr, char *buf);

#endif /* PAGODA_VM_SWAP_HEADER_H */
