// SPDX-License-Identifier: MIT
/*
 * apps/oom - takes memory until it can have no more: maps 1 MiB at a time
 * and writes every page. Under the default overcommit the maps succeed
 * and a page fault finds no memory: the OOM killer's report and status
 * 137. Under vm.overcommit_memory=2 a map is refused first: the app
 * prints how far it got and ends with 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK (1UL << 20)

int main(void)
{
	unsigned long mib = 0;

	printf("oom: taking memory 1 MiB at a time\n");
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			printf("oom: mmap: %s after %lu MiB\n",
			       errno == ENOMEM ? "ENOMEM" : strerror(errno),
			       mib);
			return errno == ENOMEM ? 0 : 1;
		}
		for (unsigned long off = 0; off < CHUNK; off += 4096)
			p[off] = 1;
		mib++;
		if (mib % 8 == 0)
			printf("oom: %lu MiB touched\n", mib);
		if (mib > 1UL << 20) {
			printf("oom: survived\n");
			return 2;
		}
	}
}
