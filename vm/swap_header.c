// SPDX-License-Identifier: MIT
/*
 * vm/swap_header.c - reading the Linux swap header of page 0 (layout and
 * byte order in vm/swap_header.h, docs/swap.md). Pure: the caller brings
 * the page and the device's size, this says what the area is or why it
 * cannot be used. Checks, in order, each with its error:
 *
 *   the device holds a page           DISK_TOO_SMALL
 *   SWAPSPACE2 at offset 4086         NO_SIGNATURE, or what is there
 *                                     instead: OLD_V0 (SWAP-SPACE),
 *                                     HIBERNATION (S1SUSPEND and kin)
 *   version 1                         BIG_ENDIAN (1 byte-swapped),
 *                                     VERSION_BAD
 *   last_page >= 1                    EMPTY
 *   last_page < the device's pages    BEYOND_DISK
 *   nr_badpages <= 637                TOO_MANY_BAD
 *   every bad page in 1..last_page    BAD_PAGE_RANGE (bad_index says which)
 *   a page left that is not bad       NO_GOOD_PAGE
 *
 * A bad page listed twice counts once (Linux would count it twice).
 */
#include <string.h>

#include "vm/swap_header.h"

static const char *const swap_header_why[SWAP_HDR_NR_ERRORS] = {
	[SWAP_HDR_OK] = "ok",
	[SWAP_HDR_DISK_TOO_SMALL] =
		"the disk is smaller than one page (4096 bytes): no room for a swap header",
	[SWAP_HDR_NO_SIGNATURE] =
		"no swap signature: page 0 does not end in SWAPSPACE2 (not a swap area; mkswap makes one)",
	[SWAP_HDR_OLD_V0] =
		"an old version 0 swap area (SWAP-SPACE, before Linux 2.2), which Linux no longer takes: run mkswap on it again",
	[SWAP_HDR_HIBERNATION] =
		"a hibernation image (a suspended system's memory), not a free swap area: resume from it, or mkswap it to discard it",
	[SWAP_HDR_BIG_ENDIAN] =
		"a big-endian swap header (made on a machine of the other byte order): pagoda reads the CPU's, little endian; run mkswap here",
	[SWAP_HDR_VERSION_BAD] =
		"unknown swap header version: only version 1 (SWAPSPACE2) is understood",
	[SWAP_HDR_EMPTY] =
		"empty swap area: last_page is 0, no page after the header",
	[SWAP_HDR_BEYOND_DISK] =
		"the header is larger than the disk: last_page is past the disk's last page (an image cut short, or mkswap given a size)",
	[SWAP_HDR_TOO_MANY_BAD] =
		"too many bad pages: nr_badpages is more than the 637 the header has room for",
	[SWAP_HDR_BAD_PAGE_RANGE] =
		"a bad page out of range: page 0 (the header) or past last_page",
	[SWAP_HDR_NO_GOOD_PAGE] =
		"no usable page: every page after the header is listed bad",
};

/* What else may sit where SWAPSPACE2 belongs: the hibernation images'
 * signatures (Linux's own is S1SUSPEND; the others are user-space
 * suspend tools'), compared over their length. */
static const char *const hibernation_sigs[] = { "S1SUSPEND", "S2SUSPEND",
						"ULSUSPEND", "LINHIB0001" };

const char *swap_header_strerror(enum swap_header_error err)
{
	if ((unsigned int)err >= SWAP_HDR_NR_ERRORS)
		return "unknown swap header error";
	return swap_header_why[err];
}

/* A 32-bit number at offset off of the page, in the CPU's byte order. */
static uint32_t read_u32(const uint8_t *page, unsigned int off)
{
	uint32_t v;

	memcpy(&v, page + off, sizeof(v));
	return v;
}

static uint32_t swab32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) |
	       (v << 24);
}

static enum swap_header_error signature(const uint8_t *magic)
{
	if (!memcmp(magic, "SWAPSPACE2", SWAP_HDR_MAGIC_LEN))
		return SWAP_HDR_OK;
	if (!memcmp(magic, "SWAP-SPACE", SWAP_HDR_MAGIC_LEN))
		return SWAP_HDR_OLD_V0;
	for (size_t i = 0;
	     i < sizeof(hibernation_sigs) / sizeof(hibernation_sigs[0]); i++)
		if (!memcmp(magic, hibernation_sigs[i],
			    strlen(hibernation_sigs[i])))
			return SWAP_HDR_HIBERNATION;
	return SWAP_HDR_NO_SIGNATURE;
}

static enum swap_header_error verdict(enum swap_header_error err,
				      const char **why)
{
	if (why)
		*why = swap_header_strerror(err);
	return err;
}

enum swap_header_error swap_header_parse(const void *page_, uint64_t disk_bytes,
					 struct swap_header *hdr,
					 const char **why)
{
	const uint8_t *page = page_;
	enum swap_header_error err;
	uint32_t dups = 0;

	memset(hdr, 0, sizeof(*hdr));
	hdr->disk_pages = disk_bytes / SWAP_HDR_PAGE_SIZE;
	if (hdr->disk_pages == 0)
		return verdict(SWAP_HDR_DISK_TOO_SMALL, why);

	memcpy(hdr->magic, page + SWAP_HDR_MAGIC_OFFSET, SWAP_HDR_MAGIC_LEN);
	err = signature(page + SWAP_HDR_MAGIC_OFFSET);
	if (err != SWAP_HDR_OK)
		return verdict(err, why);

	hdr->version = read_u32(page, SWAP_HDR_VERSION_OFFSET);
	hdr->last_page = read_u32(page, SWAP_HDR_LAST_PAGE_OFFSET);
	hdr->nr_badpages = read_u32(page, SWAP_HDR_NR_BAD_OFFSET);
	memcpy(hdr->uuid, page + SWAP_HDR_UUID_OFFSET, SWAP_HDR_UUID_LEN);
	memcpy(hdr->label, page + SWAP_HDR_LABEL_OFFSET, SWAP_HDR_LABEL_LEN);

	if (hdr->version != SWAP_HDR_VERSION) {
		err = SWAP_HDR_VERSION_BAD;
		if (swab32(hdr->version) == SWAP_HDR_VERSION)
			err = SWAP_HDR_BIG_ENDIAN;
		return verdict(err, why);
	}
	if (hdr->last_page == 0)
		return verdict(SWAP_HDR_EMPTY, why);
	if (hdr->last_page >= hdr->disk_pages)
		return verdict(SWAP_HDR_BEYOND_DISK, why);
	if (hdr->nr_badpages > SWAP_HDR_MAX_BADPAGES)
		return verdict(SWAP_HDR_TOO_MANY_BAD, why);

	for (uint32_t i = 0; i < hdr->nr_badpages; i++) {
		uint32_t nr = read_u32(page, SWAP_HDR_BADPAGES_OFFSET + 4 * i);

		hdr->badpages[i] = nr;
		if (nr == 0 || nr > hdr->last_page) {
			hdr->bad_index = i;
			return verdict(SWAP_HDR_BAD_PAGE_RANGE, why);
		}
		for (uint32_t j = 0; j < i; j++) {
			if (hdr->badpages[j] == nr) {
				dups++;
				break;
			}
		}
	}
	hdr->nr_slots = hdr->last_page - (hdr->nr_badpages - dups);
	if (hdr->nr_slots == 0)
		return verdict(SWAP_HDR_NO_GOOD_PAGE, why);
	return verdict(SWAP_HDR_OK, why);
}

bool swap_header_slot_ok(const struct swap_header *hdr, uint64_t nr)
{
	if (nr == 0 || nr > hdr->last_page)
		return false;
	for (uint32_t i = 0; i < hdr->nr_badpages; i++)
		if (hdr->badpages[i] == nr)
			return false;
	return true;
}

char *swap_header_uuid_str(const struct swap_header *hdr, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;

	for (unsigned int i = 0; i < SWAP_HDR_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[hdr->uuid[i] >> 4];
		*p++ = hex[hdr->uuid[i] & 0xf];
	}
	*p = '\0';
	return buf;
}
