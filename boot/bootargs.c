// SPDX-License-Identifier: MIT
/*
 * boot/bootargs.c - the kernel command line (/chosen/bootargs, QEMU's
 * -append).
 *
 *     loglevel=7 mem=512M memstat TERM=dumb -- hello "two words" 3
 *     '------------ options -----------'    '------ app argv -----'
 *
 * The line is copied into struct bootargs and cut into NUL-terminated words
 * in place; options and argv point at those words. As Linux does for init,
 * an option that is no boot option but has a value (KEY=VALUE) goes into
 * the app's environment, after HOME=/ and TERM=linux, which it may replace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"

const char *const bootargs_known[] = {
	"loglevel", /* 3 errors .. 7 debug */
	"mem",	    /* cap usable memory: mem=512M */
	"ktest",    /* run the test image's suites: ktest or ktest=a,b */
	"memstat",  /* print memory statistics before and after the app */
	"bench",    /* run the test image's benchmarks: bench or bench=a,b */
	"min_free_kbytes", /* the page reserve behind the watermarks */
	"alloc_debug", /* 1: validate the free lists after every operation */
	"slab_debug",  /* red zones, poisoning and tracking in every cache */
	"norandmaps",  /* no randomisation of the app's heap, mmap, stack */
	"swap", /* swap areas at boot: swap=vdb, swap=vdb,vdc, swap=none (default: the first disk) */
	"stdin", /* stdin=initrd: the app's stdin is the initrd (make run STDIN=file); stdin=null: empty */
	"sysctl.vm.NAME", /* a /proc/sys/vm tunable from boot: sysctl.vm.overcommit_memory=2 */
	"lru", /* lru=fifo: reclaim without aging (no second chance), the LRU benchmark's baseline */
	"kthread_spin", /* test image: a kernel thread that always wants the hart runs beside the app */
	NULL,
};

static const char *const default_env[] = { "HOME=/", "TERM=linux" };

bool bootargs_is_known(const char *key)
{
	/* Linux's sysctl.NAME=VALUE: checked by the boot, never the app's */
	if (!strncmp(key, "sysctl.", 7))
		return true;
	for (const char *const *k = bootargs_known; *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

/* Add "key=value" to the environment, replacing an entry of that key. */
static int env_add(struct bootargs *ba, char **free_at, const char *key,
		   const char *value)
{
	size_t klen = strlen(key), len = klen + 1 + strlen(value) + 1;
	unsigned int i;

	if ((size_t)(ba->env_buf + sizeof(ba->env_buf) - *free_at) < len)
		return -E2BIG;
	for (i = 0; i < ba->envc; i++)
		if (!strncmp(ba->envp[i], key, klen) &&
		    ba->envp[i][klen] == '=')
			break;
	if (i == ba->envc) {
		if (ba->envc == BOOTARGS_MAX_ENV)
			return -E2BIG;
		ba->envc++;
	}
	memcpy(*free_at, key, klen);
	(*free_at)[klen] = '=';
	strcpy(*free_at + klen + 1, value);
	ba->envp[i] = *free_at;
	*free_at += len;
	return 0;
}

/* The app's environment from the defaults and the KEY=VALUE options. */
static int build_env(struct bootargs *ba, const char **why)
{
	char *free_at = ba->env_buf;

	for (size_t i = 0; i < sizeof(default_env) / sizeof(*default_env);
	     i++) {
		const char *eq = strchr(default_env[i], '=');
		char key[16];

		memcpy(key, default_env[i], (size_t)(eq - default_env[i]));
		key[eq - default_env[i]] = '\0';
		(void)env_add(ba, &free_at, key, eq + 1);
	}
	for (unsigned int i = 0; i < ba->nr_opts; i++) {
		const char *key = ba->opt[i].key, *value = ba->opt[i].value;

		if (!value || bootargs_is_known(key))
			continue;
		if (env_add(ba, &free_at, key, value)) {
			*why = "more than 32 environment words or 1 KiB of them";
			return -E2BIG;
		}
	}
	ba->envp[ba->envc] = NULL;
	return 0;
}

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
	return build_env(ba, why);
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
