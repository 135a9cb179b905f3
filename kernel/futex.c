// SPDX-License-Identifier: MIT
/*
 * kernel/futex.c - futex(2) for an app of one thread (Linux's
 * kernel/futex, what glibc and musl ask of it).
 *
 * With one thread there is never anyone to wake and never anyone else to
 * wake us, so the whole of futex is its checks:
 *
 *   FUTEX_WAKE, _BITSET   0 threads woken
 *   FUTEX_WAIT, _BITSET   *uaddr != val: -EAGAIN; with a timeout (relative
 *                         for WAIT, absolute on CLOCK_MONOTONIC, or
 *                         CLOCK_REALTIME with FUTEX_CLOCK_REALTIME, for
 *                         WAIT_BITSET): sleep it out, -ETIMEDOUT; without
 *                         one, Linux would hang for ever: reported as the
 *                         deadlock it is, the app ended (status 255)
 *   anything else         -ENOSYS (requeue, PI, waitv: threads' business)
 *
 * Errors in Linux's order: the command, the timeout's form (-EFAULT,
 * -EINVAL), a misaligned address or an empty bitset (-EINVAL), then the
 * value (-EFAULT, -EAGAIN).
 * Threads (issue 14) will add the wait queues keyed by address.
 */
#include <errno.h>
#include <stdint.h>

#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "lib/lib.h"
#include "vm/vm.h"

/* clang-format off */
#define FUTEX_WAIT            0
#define FUTEX_WAKE            1
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET     10
#define FUTEX_PRIVATE_FLAG    128
#define FUTEX_CLOCK_REALTIME  256
#define FUTEX_CMD_MASK        (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
/* clang-format on */

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const void *utimeout,
	       uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool bitset = cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE_BITSET;
	uint32_t now;
	long err;

	(void)uaddr2;
	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAKE && !bitset)
		return -ENOSYS;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS; /* Linux: only the bitset wait takes it */
	if ((cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) && utimeout &&
	    (err = time_check_timespec(utimeout)))
		return err;
	if ((uintptr_t)uaddr % sizeof(uint32_t) || (bitset && !val3))
		return -EINVAL;
	if (cmd == FUTEX_WAKE || cmd == FUTEX_WAKE_BITSET)
		return 0; /* nobody waits: the only thread is here */
	if (copy_from_user(&now, uaddr, sizeof(now)))
		return -EFAULT;
	if (now != val)
		return -EAGAIN;
	if (!utimeout) {
		pr_err("pagoda: deadlock: the app's only thread waits on futex 0x%lx (value %u) with no timeout; no thread can wake it\n",
		       (unsigned long)uaddr, val);
		app_exit(EXIT_PANIC);
	}
	if (cmd == FUTEX_WAIT)
		(void)sys_nanosleep(utimeout, NULL);
	else
		(void)sys_clock_nanosleep(op & FUTEX_CLOCK_REALTIME
						  ? CLOCK_REALTIME
						  : CLOCK_MONOTONIC,
					  TIMER_ABSTIME, utimeout, NULL);
	return -ETIMEDOUT;
}
