/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/glibc.c - the names glibc's malloc.o defines beyond our API,
 * for the static library of Linux programs (alloc/malloc/linux.mk) alone.
 *
 * A static link takes an archive member for any name it still needs: if a
 * program called mallinfo() or malloc_info() and we did not define them,
 * glibc's malloc.o would come in for them and clash with our malloc, free
 * and realloc. With these two, every name of glibc's malloc.o that another
 * object can ask for is ours (docs/malloc.md, "For Linux programs"). Not
 * in the image, nor in the LD_PRELOAD library, whose exports stay the API.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "alloc/malloc/internal.h"

/* glibc's old struct mallinfo has int fields: clamped, not wrapped */
static int clamp(size_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

struct mallinfo mallinfo(void)
{
	struct mallinfo2 m = mallinfo2();
	struct mallinfo mi = {
		.arena = clamp(m.arena),
		.ordblks = clamp(m.ordblks),
		.smblks = clamp(m.smblks),
		.hblks = clamp(m.hblks),
		.hblkhd = clamp(m.hblkhd),
		.usmblks = clamp(m.usmblks),
		.fsmblks = clamp(m.fsmblks),
		.uordblks = clamp(m.uordblks),
		.fordblks = clamp(m.fordblks),
		.keepcost = clamp(m.keepcost),
	};

	return mi;
}

/*
 * glibc's XML, one heap and the totals: options must be 0 (EINVAL
 * otherwise, as glibc). Printing may allocate (stdio's buffer): the counts
 * are taken first, with the lock, and the lock is not held here.
 */
int malloc_info(int options, FILE *fp)
{
	struct mallinfo2 m;

	if (options) {
		errno = EINVAL;
		return -1;
	}
	m = mallinfo2();
	fprintf(fp,
		"<malloc version=\"pagoda\">\n"
		"<heap nr=\"0\">\n"
		"<total type=\"fast\" count=\"%zu\" size=\"%zu\"/>\n"
		"<total type=\"rest\" count=\"%zu\" size=\"%zu\"/>\n"
		"<system type=\"current\" size=\"%zu\"/>\n"
		"</heap>\n"
		"<total type=\"mmap\" count=\"%zu\" size=\"%zu\"/>\n"
		"<system type=\"current\" size=\"%zu\"/>\n"
		"</malloc>\n",
		m.smblks, m.fsmblks, m.ordblks, m.fordblks - m.fsmblks, m.arena,
		m.hblks, m.hblkhd, m.arena + m.hblkhd);
	return 0;
}
