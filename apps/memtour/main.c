// SPDX-License-Identifier: MIT
/*
 * apps/memtour - the memory tour, pagoda's default app: Linux's ideas
 * about memory, one short step at a time, on the live system. Each step is
 * a title, a paragraph on the idea, and numbers read from /proc before and
 * after the app does something (allocates, touches, frees, advises).
 *
 *   1 the memory map     5 lazy allocation     8 the OOM policy
 *   2 zones, watermarks  6 swapping            9 meminfo at the end
 *   3 slab caches        7 giving memory back
 *   4 malloc: brk and mmap
 *
 *     make run                     the whole tour (APP=memtour is the default)
 *     make run ARGS="4 5"          only steps 4 and 5
 *     make run SWAP=0              step 6 says there is no swap and moves on
 *
 * The numbers' lines start with two spaces and are the facts the test
 * (the memtour scenarios of tests/scenario_table.py) checks. Exit status 0,
 * or 2 for an argument that names no step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memtour.h"

#define WIDTH 76

static const struct step {
	void (*run)(void);
} steps[] = {
	{ step_memory_map }, { step_zones },	  { step_slab },
	{ step_malloc },     { step_lazy },	  { step_swap },
	{ step_trim },	     { step_oom_policy }, { step_meminfo },
};

#define NSTEPS ((int)(sizeof(steps) / sizeof(steps[0])))

void step_begin(int n, const char *title, const char *text)
{
	printf("\n== %d/%d %s ==\n", n, NSTEPS, title);
	/* the paragraph, wrapped at WIDTH on its spaces */
	while (*text) {
		size_t len = strlen(text), cut = len;

		if (len > WIDTH) {
			cut = WIDTH;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = WIDTH;
		}
		printf("%.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

int enough_memory(long need_kb)
{
	long avail = meminfo("MemAvailable");

	if (avail >= need_kb)
		return 1;
	printf("  this step touches %ld MiB and MemAvailable is %ld kB: "
	       "skipped (a larger MEM=)\n",
	       need_kb / 1024, avail);
	return 0;
}

const char *errno_name(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EINVAL:
		return "EINVAL";
	case ENOMEM:
		return "ENOMEM";
	case EAGAIN:
		return "EAGAIN";
	case EFAULT:
		return "EFAULT";
	case ENOSYS:
		return "ENOSYS";
	case EPERM:
		return "EPERM";
	default:
		return "another error";
	}
}

int main(int argc, char **argv)
{
	int only[NSTEPS + 1] = { 0 };

	for (int i = 1; i < argc; i++) {
		char *end;
		long n = strtol(argv[i], &end, 10);

		if (*end || n < 1 || n > NSTEPS) {
			fprintf(stderr, "memtour: '%s' is no step (1..%d)\n",
				argv[i], NSTEPS);
			return 2;
		}
		only[n] = 1;
	}
	printf("memtour: a tour of memory management on the live system, "
	       "%d steps\n",
	       argc > 1 ? argc - 1 : NSTEPS);
	for (int n = 1; n <= NSTEPS; n++)
		if (argc == 1 || only[n])
			steps[n - 1].run();
	printf("\nmemtour: the end (other apps: make help)\n");
	return 0;
}
