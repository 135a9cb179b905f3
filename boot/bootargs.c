// SPDX-License-Identifier: MIT
/*
 * boot/bootargs.c - the kernel command line (/chosen/bootargs, QEMU's
 * -append).
 *
 *     loglevel=7 mem=512M memstat -- hello "two words" 3
 *     '------- options -------'    '------ app argv -----'
 *
 * The line is copied into struct bootargs and cut into NUL-terminated words
 * in place; options and argv point at those words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"

const char *const bootargs_known[] = {
	"loglevel", /* 3 errors .. 7 debug */
	"mem",	    /* cap usable memory: mem=512M */
	"ktest",    /* run the in-image test suites (ktest or ktest=a,b) */
	"memstat",  /* print the allocator statistics at exit */
	"bench",    /* run in-image benchmarks (bench or bench=a,b) */
	"min_free_kbytes", /* the page reserve behind the watermarks */
	"alloc_debug", /* 1: validate the free lists after every operation */
	"slab_debug",  /* red zones, poisoning and tracking in every cache */
	"norandmaps",  /* no randomisation of the app's heap, mmap, stack */
	NULL,
};

/* Cut the next word out of *s; returns NULL at the end of the line. */
static char *next_word(char **s)
{
	char *in = *s, *out, *word;
	bool quoted = false;

	while (*in == ' ' || *in == '\t' || *in == '\n')
		in++;
	if (!*in)
		return NULL;
	word = out = in;
	for (; *in; in++) {
		if (*in == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*in == ' ' || *in == '\t' || *in == '\n')) {
			in++;
			break;
		}
		*out++ = *in;
	}
	*out = '\0';
	*s = in;
	return word;
}

int bootargs_parse(struct bootargs *ba, const char *cmdline, const char **why)
{
	char *s = ba->buf, *word;
	bool app = false;

	memset(ba, 0, sizeof(*ba));
	if (!cmdline)
		cmdline = "";
	if (strlen(cmdline) >= sizeof(ba->buf)) {
		*why = "command line longer than 1023 bytes";
		return -E2BIG;
	}
	strcpy(ba->buf, cmdline);
	/*
	 * next_word writes the terminating NUL at or before the separator it
	 * consumed, so words never overlap the rest of the line.
	 */
	while ((word = next_word(&s))) {
		if (!app && !strcmp(word, "--")) {
			app = true;
		} else if (app) {
			if (ba->argc == BOOTARGS_MAX_ARGV) {
				*why = "more than 32 app arguments";
				return -E2BIG;
			}
			ba->argv[ba->argc++] = word;
		} else {
			char *eq = strchr(word, '=');

			if (ba->nr_opts == BOOTARGS_MAX_OPTS) {
				*why = "more than 32 boot options";
				return -E2BIG;
			}
			if (eq)
				*eq = '\0';
			ba->opt[ba->nr_opts].key = word;
			ba->opt[ba->nr_opts].value = eq ? eq + 1 : NULL;
			ba->nr_opts++;
		}
	}
	ba->argv[ba->argc] = NULL;
	return 0;
}

const char *bootargs_get(const struct bootargs *ba, const char *key)
{
	for (unsigned int i = ba->nr_opts; i-- > 0;)
		if (!strcmp(ba->opt[i].key, key))
			return ba->opt[i].value ? ba->opt[i].value : "";
	return NULL;
}

bool bootargs_has(const struct bootargs *ba, const char *key)
{
	return bootargs_get(ba, key) != NULL;
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'G':
	case 'g':
		shift = 30;
		end++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		end++;
		break;
	case 'K':
	case 'k':
		shift = 10;
		end++;
		break;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

int bootargs_get_size(const struct bootargs *ba, const char *key, uint64_t *out)
{
	const char *v = bootargs_get(ba, key);

	return v ? parse_size(v, out) : -ENOENT;
}

int bootargs_get_long(const struct bootargs *ba, const char *key, long *out)
{
	const char *v = bootargs_get(ba, key);
	char *end;
	long n;

	if (!v)
		return -ENOENT;
	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno)
		return -EINVAL;
	*out = n;
	return 0;
}
