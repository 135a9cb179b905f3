// SPDX-License-Identifier: MIT
/*
 * tests/kernel/kthread_spin.c - the boot option kthread_spin (test image
 * only): before the app starts, a kernel thread that always wants the hart
 * is registered and woken; at the app's exit one line tells its share:
 *
 *   kthread_spin: switches=N cpu_ms=C wall_ms=W share=P% from_user=U
 *
 * U counts the runs that began on the way back to U-mode (the frame being
 * returned to is the app's): all of them. With apps/spin, P is about 50
 * (the "kthread-spin" scenario): the tick takes a busy app out every slice.
 */
#include "boot/boot.h"
#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"

void ktest_before_app(void);

static struct kthread spinner;
static char spinner_stack[8192] __attribute__((aligned(16)));
static uint64_t started_ns, from_user;

static void spin(void *arg)
{
	(void)arg;
	for (;;) {
		if (!(trap_user_frame()->sstatus & SSTATUS_SPP))
			from_user++;
		while (!kthread_should_yield())
			;
		kthread_yield();
	}
}

static void report(void)
{
	uint64_t wall = timer_ns() - started_ns;

	printk(LOG_INFO,
	       "kthread_spin: switches=%llu cpu_ms=%llu wall_ms=%llu share=%llu%% from_user=%llu\n",
	       (unsigned long long)spinner.switches,
	       (unsigned long long)spinner.cpu_ns / 1000000,
	       (unsigned long long)wall / 1000000,
	       (unsigned long long)(wall ? spinner.cpu_ns * 100 / wall : 0),
	       (unsigned long long)from_user);
}

void ktest_before_app(void)
{
	if (!bootargs_has(&boot_args, "kthread_spin"))
		return;
	kthread_init(&spinner, "spin", spin, NULL, spinner_stack,
		     sizeof(spinner_stack));
	started_ns = timer_ns();
	kthread_wake(&spinner);
	kernel_at_exit(report);
}
