// SPDX-License-Identifier: MIT
/*
 * kernel/futex.c - futex(2), what glibc's and musl's locks, condition
 * variables and pthread_join ask of it (Linux's kernel/futex).
 *
 *   FUTEX_WAIT, _BITSET   *uaddr != val: -EAGAIN; else the thread sleeps
 *                         on uaddr's queue until a wake (0) or its timeout
 *                         (-ETIMEDOUT): relative for WAIT, absolute on
 *                         CLOCK_MONOTONIC, or CLOCK_REALTIME with
 *                         FUTEX_CLOCK_REALTIME, for WAIT_BITSET; a signal
 *                         for it ends the wait with -EINTR
 *   FUTEX_WAKE, _BITSET   wakes up to val waiters of uaddr whose bitset
 *                         meets val3, oldest first; the number woken
 *   anything else         -ENOSYS (requeue, PI, waitv)
 *
 * Errors in Linux's order: the command, the timeout's form (-EFAULT,
 * -EINVAL), a misaligned address or an empty bitset (-EINVAL), then the
 * value (-EFAULT, -EAGAIN). The key is the user address alone: one
 * process, one address space, so private and shared futexes are the same.
 *
 * The queues: a small hash of FIFO lists of blocked tasks (their link),
 * keyed by address, as Linux's futex_queues (which are priority lists;
 * every pagoda thread has the same priority). Checking the value and
 * queueing cannot race with a wake: one hart, interrupts off.
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
#define FUTEX_BITSET_ANY      0xffffffffU
#define FUTEX_HASH            64      /* queues; a power of two */
/* clang-format on */

static struct list_head queues[FUTEX_HASH];

static struct list_head *queue_of(unsigned long uaddr)
{
	struct list_head *q = &queues[(uaddr >> 2) & (FUTEX_HASH - 1)];

	if (!q->next)
		list_init(q);
	return q;
}

long futex_wake(unsigned long uaddr, int n, uint32_t bitset)
{
	struct list_head *q = queue_of(uaddr);
	long woken = 0;

	while (woken < n) {
		struct task *t, *found = NULL;

		list_for_each_entry(t, q, link) if (t->wait_addr == uaddr &&
						    (t->wait_bitset & bitset))
		{
			found = t;
			break;
		}
		if (!found)
			break;
		sched_wake(found, 0);
		woken++;
	}
	return woken;
}

/* Wait on uaddr until deadline (time-CSR; UINT64_MAX: none). */
static long futex_wait(uint32_t *uaddr, uint32_t val, uint32_t bitset,
		       uint64_t deadline)
{
	struct task *t = current_task;
	uint32_t now;

	if (copy_from_user(&now, uaddr, sizeof(now)))
		return -EFAULT;
	if (now != val)
		return -EAGAIN;
	t->wait_addr = (unsigned long)uaddr;
	t->wait_val = val;
	t->wait_bitset = bitset;
	sched_block(deadline, linux_errno(-ETIMEDOUT), "futex");
	list_add_tail(&t->link, queue_of(t->wait_addr));
	return 0; /* a placeholder: sched_wake() or the deadline sets a0 */
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const void *utimeout,
	       uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool bitset = cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE_BITSET;
	uint64_t deadline = UINT64_MAX, ns;
	long err;

	(void)uaddr2;
	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAKE && !bitset)
		return -ENOSYS;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS; /* Linux: only the bitset wait takes it */
	if ((cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) && utimeout &&
	    (err = time_get_timespec(utimeout, &ns)))
		return err;
	if ((uintptr_t)uaddr % sizeof(uint32_t) || (bitset && !val3))
		return -EINVAL;
	if (cmd == FUTEX_WAKE)
		return futex_wake((unsigned long)uaddr, (int)val,
				  FUTEX_BITSET_ANY);
	if (cmd == FUTEX_WAKE_BITSET)
		return futex_wake((unsigned long)uaddr, (int)val, val3);
	if (utimeout)
		deadline = cmd == FUTEX_WAIT
				   ? time_deadline_in(ns)
				   : time_deadline(op & FUTEX_CLOCK_REALTIME
							   ? CLOCK_REALTIME
							   : CLOCK_MONOTONIC,
						   ns);
	return futex_wait(uaddr, val, bitset ? val3 : FUTEX_BITSET_ANY,
			  deadline);
}
