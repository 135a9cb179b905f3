// SPDX-License-Identifier: MIT
/*
 * tests/host/helpers.c - loading, editing and parsing test trees for the
 * host tests (see helpers.h). HOST_DTB_DIR and HOST_VIRT_DTB come from
 * tests/host/host.mk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/helpers.h"

#ifndef HOST_DTB_DIR
#error "HOST_DTB_DIR: the directory of the compiled test trees"
#endif
#ifndef HOST_VIRT_DTB
#error "HOST_VIRT_DTB: the path of build/virt.dtb"
#endif

#define EDIT_ROOM 8192 /* bytes an edited tree may grow by */

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		fail_msg("cannot open %s (did make build the trees?)", path);
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			*size = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	if (!buf)
		fail_msg("cannot read %s", path);
	return buf;
}

void *dtb_load(const char *name)
{
	char path[512];
	size_t size;
	void *fdt;

	if (!strcmp(name, "virt"))
		snprintf(path, sizeof(path), "%s", HOST_VIRT_DTB);
	else
		snprintf(path, sizeof(path), "%s/%s.dtb", HOST_DTB_DIR, name);
	fdt = read_file(path, &size);
	/* the exact-size promise: the file is the blob, nothing more */
	if (size < sizeof(struct fdt_header) || fdt_totalsize(fdt) != size)
		fail_msg("%s: %zu bytes but totalsize %u", path, size,
			 size >= 8 ? fdt_totalsize(fdt) : 0);
	return fdt;
}

void *blob_copy(const void *src, size_t size)
{
	void *b = malloc(size);

	assert_non_null(b);
	memcpy(b, src, size);
	return b;
}

void *dtb_edit(const char *name)
{
	void *fdt = dtb_load(name);
	size_t room = fdt_totalsize(fdt) + EDIT_ROOM;
	void *work = malloc(room);

	assert_non_null(work);
	assert_int_equal(fdt_open_into(fdt, work, (int)room), 0);
	free(fdt);
	return work;
}

void *dtb_edit_done(void *work)
{
	void *fdt;

	assert_int_equal(fdt_pack(work), 0);
	fdt = blob_copy(work, fdt_totalsize(work));
	free(work);
	return fdt;
}

int dt_node(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	if (node < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(node));
	return node;
}

void dt_set_cells(void *fdt, const char *path, const char *prop,
		  const uint32_t *cells, int n)
{
	fdt32_t be[128];
	int err;

	assert_true(n >= 0 && n <= 128);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	err = fdt_setprop(fdt, dt_node(fdt, path), prop, be,
			  n * (int)sizeof(be[0]));
	if (err)
		fail_msg("set %s:%s: %s", path, prop, fdt_strerror(err));
}

void dt_set_string(void *fdt, const char *path, const char *prop,
		   const char *value)
{
	int err = fdt_setprop_string(fdt, dt_node(fdt, path), prop, value);

	if (err)
		fail_msg("set %s:%s: %s", path, prop, fdt_strerror(err));
}

void dt_del_prop(void *fdt, const char *path, const char *prop)
{
	int err = fdt_delprop(fdt, dt_node(fdt, path), prop);

	if (err)
		fail_msg("delete %s:%s: %s", path, prop, fdt_strerror(err));
}

int dt_add_node(void *fdt, const char *parent_path, const char *name)
{
	int node = fdt_add_subnode(fdt, dt_node(fdt, parent_path), name);

	if (node < 0)
		fail_msg("add %s/%s: %s", parent_path, name,
			 fdt_strerror(node));
	return node;
}

size_t dt_struct_abs(const void *fdt, int struct_offset)
{
	assert_true(struct_offset >= 0);
	return fdt_off_dt_struct(fdt) + (size_t)struct_offset;
}

uint32_t be32_get(const void *blob, size_t off)
{
	const uint8_t *b = (const uint8_t *)blob + off;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

void be32_put(void *blob, size_t off, uint32_t v)
{
	uint8_t *b = (uint8_t *)blob + off;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

struct platform *parse_ok(const void *fdt, uint32_t boot_hartid)
{
	struct platform *p = calloc(1, sizeof(*p));
	int err;

	assert_non_null(p);
	err = platform_parse(fdt, boot_hartid, p);
	if (err)
		fail_msg("platform_parse: %d (%s)", err, p->error);
	assert_string_equal(p->error, "");
	return p;
}

void expect_fail(void *fdt, uint32_t boot_hartid, int err, const char *msg)
{
	struct platform *p = malloc(sizeof(*p));
	int got;

	assert_non_null(p);
	/* garbage in, so that a field the parser forgot to clear shows */
	memset(p, 0xa5, sizeof(*p));
	got = platform_parse(fdt, boot_hartid, p);
	if (got != err || !strstr(p->error, msg))
		fail_msg("platform_parse: %d \"%s\", want %d \"...%s...\"", got,
			 got ? p->error : "", err, msg);
	free(p);
	free(fdt);
}
