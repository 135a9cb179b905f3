/* SPDX-License-Identifier: MIT */
/*
 * boot/internal.h - device-tree reading helpers shared by boot/platform.c
 * and boot/fdt_reg.c. All take a blob that passed platform_check_blob().
 */
#ifndef PAGODA_BOOT_INTERNAL_H
#define PAGODA_BOOT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot.h"

/* True unless the node's status says it is disabled. */
bool fdt_node_enabled(const void *fdt, int node);
/* A NUL-terminated string property, or NULL. */
const char *fdt_string_prop(const void *fdt, int node, const char *name);
/* A u32 (one cell) property; def if absent; -EINVAL if malformed. */
int fdt_u32_prop(const void *fdt, int node, const char *name, uint32_t def,
		 uint32_t *out);
/* A property of one or two cells, read as a number. */
int fdt_u64_prop(const void *fdt, int node, const char *name, uint64_t *out);

/*
 * Read entry i of the node's reg property as a CPU physical address, walking
 * the parents' ranges. Returns 0, -ENOENT past the last entry, or -EINVAL
 * (with p->error set) for a malformed reg or an address no bus maps.
 */
int fdt_read_reg(const void *fdt, int node, int i, uint64_t *base,
		 uint64_t *size, struct platform *p);

/* A cpu node's reg: its hart id, a number and not an address. */
int fdt_read_hartid(const void *fdt, int node, uint64_t *hartid,
		    struct platform *p);

/* Record why parsing failed; returns err. */
__attribute__((format(printf, 3, 4))) int
platform_fail(struct platform *p, int err, const char *fmt, ...);

#endif
