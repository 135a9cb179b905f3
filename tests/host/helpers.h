/* SPDX-License-Identifier: MIT */
/*
 * tests/host/helpers.h - what the host tests share: loading a compiled test
 * tree into a buffer of exactly its size (so that ASan sees any read past
 * it), editing a tree in memory with libfdt's read-write API, poking header
 * and structure-block words, and running platform_parse() with a readable
 * failure message.
 *
 * Every blob these return is malloc'd and exactly fdt_totalsize() bytes
 * long; free it with free().
 */
#ifndef PAGODA_TESTS_HOST_HELPERS_H
#define PAGODA_TESTS_HOST_HELPERS_H

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libfdt.h>

#include "boot/boot.h"

/* tests/host/dts/<name>.dts compiled, or "virt" for build/virt.dtb. */
void *dtb_load(const char *name);

/* A copy of size bytes of src in a buffer of exactly size bytes. */
void *blob_copy(const void *src, size_t size);

/*
 * Editing: dtb_edit() loads a tree into a roomy buffer for fdt_setprop()
 * and friends; dtb_edit_done() packs it, frees the work buffer and returns
 * an exact-size copy.
 */
void *dtb_edit(const char *name);
void *dtb_edit_done(void *work);

/* Offset of the node at path, failing the test if there is none. */
int dt_node(const void *fdt, const char *path);

/* Set a property to n cells (helpers for fdt_setprop on a work buffer). */
void dt_set_cells(void *fdt, const char *path, const char *prop,
		  const uint32_t *cells, int n);
void dt_set_string(void *fdt, const char *path, const char *prop,
		   const char *value);
void dt_del_prop(void *fdt, const char *path, const char *prop);
/* Add a node under parent_path; returns its offset. */
int dt_add_node(void *fdt, const char *parent_path, const char *name);

/* Byte offset in the blob of a structure-block offset. */
size_t dt_struct_abs(const void *fdt, int struct_offset);
/* Read and write a big-endian word at a byte offset of the blob. */
uint32_t be32_get(const void *blob, size_t off);
void be32_put(void *blob, size_t off, uint32_t v);

/* Header field offsets (struct fdt_header), for be32_put. */
#define HDR_MAGIC	 offsetof(struct fdt_header, magic)
#define HDR_TOTALSIZE	 offsetof(struct fdt_header, totalsize)
#define HDR_OFF_STRUCT	 offsetof(struct fdt_header, off_dt_struct)
#define HDR_OFF_STRINGS	 offsetof(struct fdt_header, off_dt_strings)
#define HDR_OFF_RSVMAP	 offsetof(struct fdt_header, off_mem_rsvmap)
#define HDR_VERSION	 offsetof(struct fdt_header, version)
#define HDR_SIZE_STRINGS offsetof(struct fdt_header, size_dt_strings)
#define HDR_SIZE_STRUCT	 offsetof(struct fdt_header, size_dt_struct)

/*
 * platform_parse() into a zeroed, heap-allocated platform that the caller
 * frees; fails the test, showing p->error, unless it returns 0.
 */
struct platform *parse_ok(const void *fdt, uint32_t boot_hartid);

/*
 * platform_parse() must return err with a message containing msg; the blob
 * is freed afterwards (it may be NULL).
 */
void expect_fail(void *fdt, uint32_t boot_hartid, int err, const char *msg);

#endif /* PAGODA_TESTS_HOST_HELPERS_H */
