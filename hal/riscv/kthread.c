// SPDX-License-Identifier: MIT
/*
 * hal/riscv/kthread.c - kernel threads and the tiny scheduler that runs
 * them between the app's instructions.
 *
 * A thread (struct kthread, riscv.h) is fn(arg) on a stack its owner gives.
 * Threads run only at one point: when a trap from U-mode has been handled
 * and is about to return to the app (trap.S calls kthread_run_pending()
 * after trap_handle() when kthread_due is set). There, if a thread's turn
 * has come, the hart switches (switch.S) from the trap stack to the
 * thread's stack; the thread runs until it sleeps, yields, or sees
 * kthread_should_yield() at the end of its slice, and switches back; the
 * trap returns to the app. Inside the kernel this is cooperative: a thread
 * is never preempted, and no thread ever runs while the kernel is inside a
 * system call or a fault, so they share nothing half-done with it.
 *
 * A turn comes from kthread_wake() (at the next return to U-mode) or from
 * the tick: while any thread is runnable, the supervisor timer interrupt is
 * armed KTHREAD_SLICE_NS ahead, so an app busy in U-mode traps and the
 * threads get a slice; an always-runnable thread gets about half the hart.
 * When every thread sleeps there is no tick at all.
 *
 * Context: everything here runs with interrupts off (sstatus.SIE clear),
 * as all kernel code does; kthread_wake() may be called from anywhere,
 * interrupt handlers and the middle of a fault included, since it only
 * sets flags and the tick. One hart: docs/kthread.md says how a second one
 * would take threads.
 */
#include "hal/riscv/internal.h"
#include "hal/riscv/riscv.h"
#include "lib/lib.h"

bool kthread_due;

static struct kthread *threads[KTHREAD_MAX];
static unsigned int nr_threads;
static unsigned int next_turn;	  /* index where the next turn starts */
static struct kthread *current;	  /* running thread, NULL outside */
static struct kcontext sched_ctx; /* kthread_run_pending()'s, while one runs */
static uint64_t slice_end;	  /* time-CSR value the running slice ends */

struct kthread *kthread_current(void)
{
	return current;
}

/* The first switch into a thread lands here, on its own stack. */
static void kthread_entry(void)
{
	struct kthread *t = current;

	t->fn(t->arg);
	panic("kthread: %s returned from its function", t->name);
}

void kthread_init(struct kthread *t, const char *name, void (*fn)(void *),
		  void *arg, void *stack, size_t stack_size)
{
	uintptr_t lo = (uintptr_t)stack, top = (lo + stack_size) & ~15UL;

	if (!fn || !stack || lo & 15 || stack_size < KTHREAD_STACK_MIN)
		panic("kthread_init: %s: bad function or stack", name);
	*t = (struct kthread){
		.name = name,
		.stack = stack,
		.stack_size = stack_size,
		.state = KTHREAD_SLEEPING,
		.fn = fn,
		.arg = arg,
	};
	/* s0 (the frame pointer) 0: backtraces stop at the thread's entry */
	t->ctx.ra = (unsigned long)kthread_entry;
	t->ctx.sp = top;
	*(uint64_t *)stack = KTHREAD_STACK_MAGIC;
	kthread_add(t);
}

static bool any_runnable(void)
{
	for (unsigned int i = 0; i < nr_threads; i++)
		if (threads[i]->state == KTHREAD_RUNNABLE)
			return true;
	return false;
}

/*
 * The tick's rule (the invariant over struct kthread): armed while a
 * thread is runnable, off otherwise. restart: one slice from now (after a
 * turn, the app's slice begins); else a tick already armed is left alone,
 * so waking threads again and again does not push it back. Its interrupt
 * is wanted only from U-mode; in the kernel sstatus.SIE is clear and it
 * only ends a wfi, which timer.c's waiters expect.
 */
static void tick_update(bool restart)
{
	if (!any_runnable())
		timer_tick_set(TICK_KTHREAD, UINT64_MAX);
	else if (restart || timer_tick(TICK_KTHREAD) == UINT64_MAX)
		timer_tick_set(TICK_KTHREAD,
			       rdtime() + timer_ns_to_ticks(KTHREAD_SLICE_NS));
}

/*
 * The tick fired: the runnable threads' turn. timer.c consumed the
 * deadline; kthread_run_pending() arms the next one.
 */
static void on_tick(struct trap_frame *tf)
{
	(void)tf;
	kthread_due = true;
}

static void tick_start(void)
{
	timer_tick_handler(TICK_KTHREAD, on_tick);
	tick_update(false);
}

static unsigned int slot(const struct kthread *t)
{
	unsigned int i;

	for (i = 0; i < nr_threads && threads[i] != t; i++)
		;
	return i;
}

void kthread_add(struct kthread *t)
{
	if (nr_threads == KTHREAD_MAX)
		panic("kthread_add: %s: %d threads already", t->name,
		      KTHREAD_MAX);
	if (slot(t) != nr_threads)
		panic("kthread_add: %s is registered already", t->name);
	threads[nr_threads++] = t;
	if (t->state == KTHREAD_RUNNABLE)
		tick_start();
}

void kthread_remove(struct kthread *t)
{
	unsigned int i = slot(t);

	if (t == current)
		panic("kthread_remove: %s is running", t->name);
	if (i == nr_threads)
		panic("kthread_remove: %s is not registered", t->name);
	threads[i] = threads[--nr_threads];
	threads[nr_threads] = NULL;
	if (next_turn >= nr_threads)
		next_turn = 0;
	tick_update(false);
}

unsigned int kthread_count(void)
{
	return nr_threads;
}

struct kthread *kthread_at(unsigned int i)
{
	return i < nr_threads ? threads[i] : NULL;
}

void kthread_wake(struct kthread *t)
{
	if (t->state == KTHREAD_RUNNING) {
		t->woken = true; /* its next kthread_sleep() returns at once */
		return;
	}
	if (t->state == KTHREAD_SLEEPING) {
		t->state = KTHREAD_RUNNABLE;
		t->runs++;
	}
	t->yielded = false;
	kthread_due = true;
	tick_start();
}

/* From the running thread back to kthread_run_pending(). */
static void switch_out(struct kthread *t)
{
	if (*(uint64_t *)t->stack != KTHREAD_STACK_MAGIC)
		panic("kthread: %s overflowed its %zu-byte stack", t->name,
		      t->stack_size);
	context_switch(&t->ctx, &sched_ctx);
}

static struct kthread *running(const char *fn)
{
	if (!current)
		panic("%s: not in a kernel thread", fn);
	return current;
}

void kthread_sleep(void)
{
	struct kthread *t = running("kthread_sleep");

	if (t->woken) { /* a wake came while it ran: not lost */
		t->woken = false;
		return;
	}
	t->state = KTHREAD_SLEEPING;
	switch_out(t);
}

void kthread_yield(void)
{
	struct kthread *t = running("kthread_yield");

	t->woken = false; /* it stays runnable: the wake is served */
	t->state = KTHREAD_RUNNABLE;
	t->yielded = true;
	switch_out(t);
}

bool kthread_should_yield(void)
{
	return rdtime() >= slice_end;
}

static void run(struct kthread *t)
{
	uint64_t t0 = rdtime();

	t->state = KTHREAD_RUNNING;
	t->switches++;
	current = t;
	context_switch(&sched_ctx, &t->ctx);
	current = NULL;
	t->cpu_ns += timer_ticks_to_ns(rdtime() - t0);
}

bool kthread_run_idle(void)
{
	if (current || !any_runnable())
		return false;
	kthread_due = true;
	kthread_run_pending();
	return true;
}

void kthread_run_pending(void)
{
	unsigned int i, n;

	if (!kthread_due || current)
		return;
	slice_end = rdtime() + timer_ns_to_ticks(KTHREAD_SLICE_NS);
	/* a tick or a wake: those that yielded last turn may run again */
	for (i = 0; i < nr_threads; i++)
		threads[i]->yielded = false;
	/*
	 * Round robin from next_turn, one slice for the whole turn. A thread
	 * woken during the turn (by another) sets kthread_due again: another
	 * pass while the slice lasts.
	 */
	while (kthread_due && rdtime() < slice_end) {
		kthread_due = false;
		for (n = 0; n < nr_threads && rdtime() < slice_end; n++) {
			struct kthread *t = threads[next_turn];

			if (++next_turn >= nr_threads)
				next_turn = 0;
			if (t->state == KTHREAD_RUNNABLE && !t->yielded)
				run(t);
		}
	}
	kthread_due = false;
	tick_update(true);
}
