// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_kthread.c - kernel threads (hal/riscv/kthread.c,
 * switch.S): registers and stacks across switches, sleep and wake, the
 * slice, and the tick armed only while a thread is runnable, beside the
 * timer's own waiters.
 *
 * The suites run in S-mode, where no trap returns to U-mode, so each case
 * calls kthread_run_pending() itself where trap.S would. Every case removes
 * its threads: the tick is off again when it ends. The runtime's threads
 * (kswapd) step aside for the suite and come back after it.
 */
#include <string.h>

#include "hal/riscv/riscv.h"
#include "tests/kernel/ktest.h"

#define STACK_SIZE 8192

static char stack_a[STACK_SIZE] __attribute__((aligned(16)));
static char stack_b[STACK_SIZE] __attribute__((aligned(16)));
static struct kthread thread_a, thread_b;

static bool tick_is_off(void)
{
	return timer_tick(TICK_KTHREAD) == UINT64_MAX &&
	       !(csr_read(CSR_SIE) & SIE_STIE);
}

static bool tick_is_on(void)
{
	return timer_tick(TICK_KTHREAD) != UINT64_MAX &&
	       (csr_read(CSR_SIE) & SIE_STIE);
}

/*
 * The runtime's own threads (kswapd) leave the table for the suite, as
 * they are (a runnable one is simply not run), and come back at its end:
 * the cases see only their own threads and the tick those make.
 */
static struct kthread *parked[KTHREAD_MAX];
static unsigned int nr_parked;

static void others_step_aside(struct ktest *t)
{
	while (kthread_count()) {
		parked[nr_parked++] = kthread_at(0);
		kthread_remove(kthread_at(0));
	}
	EXPECT_TRUE(t, tick_is_off());
}

static void others_come_back(struct ktest *t)
{
	while (nr_parked)
		kthread_add(parked[--nr_parked]);
	EXPECT_TRUE(t, kthread_current() == NULL);
}

/* ---- registers and the stack across switches ---- */

static void nothing(void)
{
}

/*
 * Eleven values live across every call of between(): the compiler keeps
 * them in s1-s11 (and the frame on the stack), which context_switch must
 * carry when between is kthread_yield.
 */
static __attribute__((noinline)) uint64_t mix(unsigned int rounds,
					      void (*between)(void))
{
	uint64_t a = 1, b = 2, c = 3, d = 5, e = 7, f = 11, g = 13, h = 17,
		 k = 19, m = 23, n = 29, sum = 0;
	volatile uint64_t on_stack[16];

	for (unsigned int i = 0; i < 16; i++)
		on_stack[i] = i * 0x9e3779b97f4a7c15UL;
	for (unsigned int r = 0; r < rounds; r++) {
		a = a * 31 + b;
		b ^= c << 1;
		c += d * 3;
		d = d * 7 + e;
		e ^= f >> 2;
		f += g;
		g = g * 5 + h;
		h ^= k;
		k += m * r;
		m = m * 13 + n;
		n ^= a;
		on_stack[r % 16] += a;
		between();
	}
	for (unsigned int i = 0; i < 16; i++)
		sum += on_stack[i] * (i + 1);
	return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ k ^ m ^ n ^ sum;
}

struct calc {
	unsigned int rounds;
	uint64_t result;
	bool done;
};

static void calc_thread(void *arg)
{
	struct calc *c = arg;

	c->result = mix(c->rounds, kthread_yield);
	c->done = true;
	for (;;)
		kthread_sleep();
}

static void registers_survive_yields(struct ktest *t)
{
	struct calc c = { .rounds = 300 };
	unsigned int turns = 0;

	kthread_init(&thread_a, "calc", calc_thread, &c, stack_a, STACK_SIZE);
	while (!c.done && turns < 1000) {
		kthread_wake(&thread_a);
		kthread_run_pending();
		turns++;
	}
	EXPECT_TRUE(t, c.done);
	EXPECT_EQ(t, c.result, mix(c.rounds, nothing));
	EXPECT_EQ(t, thread_a.switches, c.rounds + 1);
	EXPECT_EQ(t, turns, c.rounds + 1);
	EXPECT_EQ(t, thread_a.state, KTHREAD_SLEEPING);
	EXPECT_TRUE(t, kthread_current() == NULL);
	/* the thread's frames stayed on its stack */
	EXPECT_TRUE(t,
		    thread_a.ctx.sp >= (uintptr_t)stack_a &&
			    thread_a.ctx.sp < (uintptr_t)stack_a + STACK_SIZE);
	EXPECT_EQ(t, *(uint64_t *)stack_a, KTHREAD_STACK_MAGIC);
	kthread_remove(&thread_a);
	EXPECT_TRUE(t, tick_is_off());
}

/* ---- sleep and wake ---- */

static char trail[32];
static unsigned int trail_len;

struct logger {
	char letter;
	struct kthread *wake_other; /* once, on its next run */
	bool wake_self;		    /* once: wake itself, then sleep */
};

static void note(char c)
{
	if (trail_len < sizeof(trail) - 1)
		trail[trail_len++] = c;
}

static void logger_thread(void *arg)
{
	struct logger *l = arg;

	for (;;) {
		note(l->letter);
		if (l->wake_other) {
			struct kthread *o = l->wake_other;

			l->wake_other = NULL;
			kthread_wake(o);
		}
		if (l->wake_self) {
			l->wake_self = false;
			kthread_wake(kthread_current());
			kthread_sleep(); /* returns at once: the wake is not lost */
			note('+');
		}
		kthread_sleep();
	}
}

static void sleep_and_wake(struct ktest *t)
{
	struct logger la = { .letter = 'a' }, lb = { .letter = 'b' };

	memset(trail, 0, sizeof(trail));
	trail_len = 0;
	kthread_init(&thread_a, "a", logger_thread, &la, stack_a, STACK_SIZE);
	kthread_init(&thread_b, "b", logger_thread, &lb, stack_b, STACK_SIZE);
	EXPECT_EQ(t, thread_a.state, KTHREAD_SLEEPING);

	kthread_run_pending(); /* nobody's turn */
	EXPECT_STREQ(t, trail, "");
	EXPECT_EQ(t, thread_a.switches, 0);

	kthread_wake(&thread_a);
	EXPECT_EQ(t, thread_a.state, KTHREAD_RUNNABLE);
	kthread_run_pending();
	EXPECT_STREQ(t, trail, "a");
	EXPECT_EQ(t, thread_a.state, KTHREAD_SLEEPING);
	EXPECT_EQ(t, thread_a.runs, 1);
	EXPECT_EQ(t, thread_a.switches, 1);

	kthread_run_pending(); /* asleep: not run again without a wake */
	EXPECT_STREQ(t, trail, "a");

	kthread_wake(&thread_a); /* two wakes before it runs: one run */
	kthread_wake(&thread_a);
	kthread_run_pending();
	EXPECT_STREQ(t, trail, "aa");
	EXPECT_EQ(t, thread_a.runs, 2);
	EXPECT_EQ(t, thread_b.switches, 0);

	la.wake_other = &thread_b; /* b, woken by a, runs in the same turn */
	kthread_wake(&thread_a);
	kthread_run_pending();
	EXPECT_STREQ(t, trail, "aaab");
	EXPECT_EQ(t, thread_b.state, KTHREAD_SLEEPING);

	la.wake_self = true; /* a wake while running */
	kthread_wake(&thread_a);
	kthread_run_pending();
	EXPECT_STREQ(t, trail, "aaaba+");
	EXPECT_EQ(t, thread_a.state, KTHREAD_SLEEPING);
	EXPECT_TRUE(t, tick_is_off());

	kthread_remove(&thread_a);
	kthread_remove(&thread_b);
	EXPECT_TRUE(t, tick_is_off());
}

/* ---- the slice ---- */

struct spinner {
	bool yield_at_start;
	uint64_t spins, entered, left;
};

static void spin_thread(void *arg)
{
	struct spinner *s = arg;

	for (;;) {
		s->yield_at_start = kthread_should_yield();
		s->entered = rdtime();
		while (!kthread_should_yield())
			s->spins++;
		s->left = rdtime();
		kthread_yield();
	}
}

static void should_yield_after_slice(struct ktest *t)
{
	struct spinner s = { 0 };
	uint64_t slice = timer_ns_to_ticks(KTHREAD_SLICE_NS), t0, t1;

	kthread_init(&thread_a, "spin", spin_thread, &s, stack_a, STACK_SIZE);
	kthread_wake(&thread_a);
	t0 = rdtime();
	kthread_run_pending();
	t1 = rdtime();
	EXPECT_TRUE(t, !s.yield_at_start);
	EXPECT_TRUE(t, s.spins > 0);
	EXPECT_TRUE(t, s.left - t0 >= slice);
	/* back after the slice; loose: under TCG a loaded host stretches it */
	EXPECT_TRUE(t, t1 - t0 < timer_hz() / 4);
	EXPECT_TRUE(t,
		    thread_a.cpu_ns >= timer_ticks_to_ns(s.left - s.entered));
	EXPECT_TRUE(t, thread_a.cpu_ns >= KTHREAD_SLICE_NS / 2);
	/* it yielded: runnable, so the tick is armed for its next turn */
	EXPECT_EQ(t, thread_a.state, KTHREAD_RUNNABLE);
	EXPECT_TRUE(t, tick_is_on());
	EXPECT_TRUE(t, timer_tick(TICK_KTHREAD) > t1 &&
			       timer_tick(TICK_KTHREAD) <= t1 + slice);
	/* a yielded thread waits for the tick, not for the next trap */
	kthread_run_pending();
	EXPECT_EQ(t, thread_a.switches, 1);
	kthread_remove(&thread_a);
	EXPECT_TRUE(t, tick_is_off());
}

/* ---- the tick ---- */

static void tick_only_while_runnable(struct ktest *t)
{
	struct logger la = { .letter = 'a' };
	uint64_t slice = timer_ns_to_ticks(KTHREAD_SLICE_NS), now, tick, t0;

	trail_len = 0;
	kthread_init(&thread_a, "a", logger_thread, &la, stack_a, STACK_SIZE);
	ASSERT_TRUE(t, tick_is_off());

	now = rdtime();
	kthread_wake(&thread_a);
	tick = timer_tick(TICK_KTHREAD);
	EXPECT_TRUE(t, tick_is_on());
	EXPECT_TRUE(t, tick > now && tick <= rdtime() + slice);
	kthread_wake(&thread_a); /* again: the tick is not pushed back */
	EXPECT_EQ(t, timer_tick(TICK_KTHREAD), tick);

	/* a kernel waiter borrows the comparator and gives the tick back */
	t0 = rdtime();
	timer_wait_until(t0 + timer_hz() / 1000); /* 1 ms */
	EXPECT_TRUE(t, rdtime() - t0 >= timer_hz() / 1000);
	EXPECT_EQ(t, timer_tick(TICK_KTHREAD), tick);
	EXPECT_TRUE(t, tick_is_on());
	if (timer_uses_sstc())
		EXPECT_EQ(t, csr_read(CSR_STIMECMP), tick);
	timer_arm(UINT64_MAX - 1); /* hal/virtio/mmio.c's bracket */
	timer_tick_set(TICK_KTHREAD,
		       tick); /* while a waiter is armed: recorded only */
	if (timer_uses_sstc())
		EXPECT_EQ(t, csr_read(CSR_STIMECMP), UINT64_MAX - 1);
	timer_disarm();
	EXPECT_TRUE(t, tick_is_on());
	if (timer_uses_sstc())
		EXPECT_EQ(t, csr_read(CSR_STIMECMP), tick);

	kthread_run_pending(); /* it runs and sleeps: no tick */
	EXPECT_EQ(t, thread_a.state, KTHREAD_SLEEPING);
	EXPECT_TRUE(t, tick_is_off());
	if (timer_uses_sstc())
		EXPECT_EQ(t, csr_read(CSR_STIMECMP), UINT64_MAX);
	timer_wait_until(rdtime() + timer_hz() / 1000);
	EXPECT_TRUE(t, tick_is_off()); /* the waiter leaves it off */
	kthread_remove(&thread_a);
	EXPECT_TRUE(t, tick_is_off());
}

static void tick_fires_and_runs(struct ktest *t)
{
	struct spinner s = { 0 };
	uint64_t give_up;

	kthread_init(&thread_a, "spin", spin_thread, &s, stack_a, STACK_SIZE);
	kthread_wake(&thread_a);
	kthread_run_pending();
	ASSERT_EQ(t, thread_a.switches, 1);
	ASSERT_TRUE(t, tick_is_on());

	/* take the interrupt here, as the app would in U-mode */
	give_up = rdtime() + timer_hz(); /* 1 s */
	irq_enable();
	while (timer_tick(TICK_KTHREAD) != UINT64_MAX && rdtime() < give_up)
		wfi();
	(void)irq_save();
	EXPECT_EQ(t, timer_tick(TICK_KTHREAD),
		  UINT64_MAX); /* the handler consumed it */
	/* a trap taken in S-mode runs no thread: its turn waits */
	EXPECT_EQ(t, thread_a.switches, 1);
	kthread_run_pending(); /* where a return to U-mode would */
	EXPECT_EQ(t, thread_a.switches, 2);
	EXPECT_TRUE(t, tick_is_on());
	kthread_remove(&thread_a);
	EXPECT_TRUE(t, tick_is_off());
}

KTEST_SUITE(kthread, KTEST_CASE(others_step_aside),
	    KTEST_CASE(registers_survive_yields), KTEST_CASE(sleep_and_wake),
	    KTEST_CASE(should_yield_after_slice),
	    KTEST_CASE(tick_only_while_runnable),
	    KTEST_CASE(tick_fires_and_runs), KTEST_CASE(others_come_back));
