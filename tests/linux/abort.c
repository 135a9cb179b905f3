// SPDX-License-Identifier: MIT
/*
 * tests/linux/abort.c - abort() ends the program by SIGABRT (status 134)
 * even with a SIGABRT handler that returns: abort() restores the default
 * action and raises it again. atexit() handlers do not run; what was
 * printed before is flushed by hand, as abort() flushes nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void said_at_exit(void)
{
	printf("abort: an atexit handler ran (it must not)\n");
}

static void on_abrt(int sig)
{
	static const char msg[] = "abort: SIGABRT handler, returning\n";

	(void)sig;
	write(1, msg, sizeof(msg) - 1);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_abrt;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGABRT, &sa, NULL) || atexit(said_at_exit))
		return 1;
	printf("abort: calling abort()\n");
	fflush(stdout);
	abort();
}
