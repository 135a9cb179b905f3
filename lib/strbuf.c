// SPDX-License-Identifier: MIT
/*
 * lib/strbuf.c - text appended to a fixed buffer, as the /proc writers
 * (alloc/vmstat.c, vm/proc_show.c) build their files: never past the end,
 * always NUL-terminated, output beyond the end dropped.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lib/lib.h"

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->len + 1 >= sb->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->size - sb->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n < sb->size - sb->len
				   ? (size_t)n
				   : sb->size - sb->len - 1;
}
