// SPDX-License-Identifier: MIT
/*
 * kernel/sched.c - the app's threads on the hart: a round-robin run
 * queue, preemption by a tick, blocking and waking, the wait when no
 * thread can run, and the report when none ever will.
 *
 * One kernel stack serves every thread. A thread's kernel side never
 * outlives the trap that entered it: a system call that must wait (a
 * futex, a sleep) marks its task BLOCKED and returns; on the way back to
 * U-mode, sched_return_to_user() copies the trap frame into the task and
 * another task's frame into the trap frame, and the trap returns into
 * that task. The blocked call's result is written into its saved a0 when
 * it is woken (sched_wake) or its deadline passes. So a switch is two
 * frame copies and, for floating point, at most a save and a restore;
 * there is no kernel context to keep per thread. (A kernel that blocks
 * deep inside a call needs a stack per thread; pagoda's calls never do:
 * the console's read() spins in the kernel, and the others do not wait.)
 *
 * Scheduling is round robin with a SCHED_SLICE_NS slice: the timer tick
 * TICK_SCHED (hal/riscv/timer.c) is armed for the end of the slice while a
 * thread waits on the run queue, or for the earliest wait deadline, and
 * off when the current thread is alone. A spinning thread cannot starve
 * the others; a thread alone never takes a tick.
 *
 * Floating point is switched lazily, as Linux riscv does: the outgoing
 * task's registers are saved only if its sstatus.FS says Dirty (then
 * Clean); the incoming task's are loaded only if the hart does not hold
 * them already (fp_owner) and its FS is not Off. The kernel never uses a
 * floating-point register (hal/riscv/fpu.S is the only code that does).
 *
 * When no thread can run, the hart runs the kernel threads that want it
 * (kswapd), else sleeps in wfi until the earliest deadline; with no
 * deadline at all every thread waits on a futex nobody can wake: a
 * deadlock, reported with each thread's wait, and the app ends with
 * status 255 instead of hanging.
 *
 * Several harts later: current_task becomes per hart (through tp), the
 * run queue gets a lock (or one queue per hart with stealing), and a wake
 * of a task sends an IPI to an idle hart; the frame-switching design
 * stays, since a task's state is all in struct task.
 */
#include <errno.h>
#include <stdio.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* A thread's turn: 4 ms, as the kernel threads' (a 250 Hz tick). */
#define SCHED_SLICE_NS 4000000

struct task *current_task;
struct list_head task_list = { &task_list, &task_list };
unsigned int nr_tasks;

static struct list_head run_queue = { &run_queue, &run_queue };
static struct task main_task; /* tid APP_PID, static: never freed */
static struct task *fp_owner; /* whose FP state the hart's registers hold */
static uint64_t slice_end;    /* time-CSR value the current slice ends */
bool sched_need_resched;      /* the current task must give up the hart */
bool sched_changed;	      /* tasks woke or came: look at the tick */

unsigned int app_thread_count(void)
{
	return nr_tasks ? nr_tasks : 1;
}

/* ---- floating point ---- */
static bool hart_has_fp(void)
{
	return vm_hwcap & ISA_BIT('f');
}

static unsigned long fs_of(const struct trap_frame *tf)
{
	return tf->sstatus & SSTATUS_FS;
}

/* The running task's FP registers into its struct if they changed. */
void sched_fp_flush(struct trap_frame *tf)
{
	if (fs_of(tf) != SSTATUS_FS_DIRTY)
		return;
	if (vm_hwcap & ISA_BIT('d'))
		fpu_save_d(&current_task->fp);
	else
		fpu_save_f(&current_task->fp);
	tf->sstatus =
		(tf->sstatus & ~(unsigned long)SSTATUS_FS) | SSTATUS_FS_CLEAN;
}

/* The running task's FP registers from its struct (after it changed). */
void sched_fp_load(struct trap_frame *tf)
{
	if (fs_of(tf) == SSTATUS_FS_OFF)
		return;
	if (vm_hwcap & ISA_BIT('d'))
		fpu_restore_d(&current_task->fp);
	else
		fpu_restore_f(&current_task->fp);
	fp_owner = current_task;
}

/* ---- the tasks ---- */
struct task *task_find(long tid)
{
	struct task *t;

	for_each_task(t) if (t->tid == tid) return t;
	return NULL;
}

static void on_tick(struct trap_frame *tf);

void sched_start_app(void)
{
	struct task *t = &main_task;

	*t = (struct task){
		.tid = APP_PID,
		.state = TASK_RUNNING,
		.deadline = UINT64_MAX,
		.on_since_ns = timer_ns(),
	};
	list_init(&t->link);
	list_add_tail(&t->node, &task_list);
	nr_tasks = 1;
	current_task = t;
	timer_tick_handler(TICK_SCHED, on_tick);
	/* FS Initial promises registers in their reset state: zeros */
	if (hart_has_fp()) {
		if (vm_hwcap & ISA_BIT('d'))
			fpu_restore_d(&t->fp);
		else
			fpu_restore_f(&t->fp);
		fp_owner = t;
	}
}

void sched_add(struct task *t)
{
	t->state = TASK_RUNNABLE;
	t->deadline = UINT64_MAX;
	list_add_tail(&t->node, &task_list);
	list_add_tail(&t->link, &run_queue);
	nr_tasks++;
	sched_changed = true;
}

void sched_block(uint64_t deadline, long timeout_ret, const char *what)
{
	struct task *t = current_task;

	t->state = TASK_BLOCKED;
	t->deadline = deadline;
	t->timeout_ret = timeout_ret;
	t->wait_what = what;
}

void sched_wake(struct task *t, long ret)
{
	if (t->state != TASK_BLOCKED)
		return;
	list_del_init(&t->link); /* off its futex queue, if on one */
	t->deadline = UINT64_MAX;
	t->frame.regs[9] = (unsigned long)ret; /* a0 */
	t->state = TASK_RUNNABLE;
	list_add_tail(&t->link, &run_queue);
	sched_changed = true;
}

void sched_yield(void)
{
	if (!list_empty(&run_queue))
		sched_need_resched = true;
}

uint64_t sched_thread_cpu_ns(void)
{
	struct task *t = current_task;

	return t ? t->cpu_ns + (timer_ns() - t->on_since_ns) : 0;
}

/* The app's status: its first thread's, as Linux reports the leader's. */
void sched_exit_current(int code)
{
	struct task *t = current_task;
	uint32_t zero = 0;

	/* the C library's join waits on this word (CLONE_CHILD_CLEARTID) */
	if (t->clear_child_tid &&
	    !copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero)))
		futex_wake(t->clear_child_tid, 1, UINT32_MAX);
	t->exit_code = code;
	if (nr_tasks == 1)
		app_exit(main_task.state == TASK_DEAD ? main_task.exit_code
						      : code);
	t->state = TASK_DEAD;
	list_del_init(&t->node);
	nr_tasks--;
}

/* Free every thread but the first (the app is ending). */
void sched_teardown(void)
{
	struct task *t, *next;

	for (t = list_entry(task_list.next, struct task, node);
	     &t->node != &task_list; t = next) {
		next = list_entry(t->node.next, struct task, node);
		list_del_init(&t->node);
		list_del_init(&t->link);
		if (t != &main_task)
			kfree(t);
	}
	if (current_task && current_task != &main_task)
		kfree(current_task);
	current_task = NULL;
	fp_owner = NULL;
	nr_tasks = 0;
	timer_tick_set(TICK_SCHED, UINT64_MAX);
}

/* ---- waiting ---- */
static uint64_t earliest_deadline(void)
{
	uint64_t d = UINT64_MAX;
	struct task *t;

	for_each_task(t) if (t->state == TASK_BLOCKED && t->deadline < d) d =
		t->deadline;
	return d;
}

static void wake_expired(void)
{
	uint64_t now = rdtime();
	struct task *t;

	for_each_task(t) if (t->state == TASK_BLOCKED && t->deadline <= now)
		sched_wake(t, t->timeout_ret);
}

/* "futex 0x... (value N)" or "rt_sigsuspend": what t waits on. */
static void describe_wait(const struct task *t, char *buf, size_t size)
{
	if (t->wait_addr)
		snprintf(buf, size, "%s 0x%lx (value %u)", t->wait_what,
			 t->wait_addr, t->wait_val);
	else
		snprintf(buf, size, "%s", t->wait_what);
}

static _Noreturn void deadlock(void)
{
	struct task *t;
	char what[64];

	if (nr_tasks == 1) {
		t = list_first_entry(&task_list, struct task, node);
		describe_wait(t, what, sizeof(what));
		pr_err("pagoda: deadlock: the app's only thread waits on %s with no timeout; no thread can wake it\n",
		       what);
	} else {
		pr_err("pagoda: deadlock: all %u threads wait with no timeout; none can wake another\n",
		       nr_tasks);
		for_each_task(t)
		{
			describe_wait(t, what, sizeof(what));
			pr_err("pagoda:   thread %d waits on %s, pc 0x%lx\n",
			       t->tid, what, t->frame.sepc - 4);
		}
	}
	app_exit(EXIT_PANIC);
}

/*
 * No task can run: let the kernel threads have the hart, else sleep until
 * the first deadline. Interrupts stay off: nothing but a deadline can make
 * a task runnable while the hart waits (the console is polled by read()).
 */
static void idle(void)
{
	uint64_t d;

	if (kthread_run_idle())
		return;
	d = earliest_deadline();
	if (d == UINT64_MAX)
		deadlock();
	timer_wait_until(d);
}

static struct task *pick_next(void)
{
	struct task *t;

	for (;;) {
		wake_expired();
		if (!list_empty(&run_queue))
			break;
		idle();
	}
	t = list_first_entry(&run_queue, struct task, link);
	list_del_init(&t->link);
	return t;
}

/* prev leaves the hart: its registers (and FP, if dirty) into it. */
static void put_prev(struct task *prev, struct trap_frame *tf)
{
	uint64_t now = timer_ns();

	prev->cpu_ns += now - prev->on_since_ns;
	if (prev->state == TASK_DEAD) {
		if (fp_owner == prev)
			fp_owner = NULL;
		if (prev != &main_task)
			kfree(prev);
		return;
	}
	sched_fp_flush(tf);
	prev->frame = *tf;
}

/* next takes the hart: its registers into tf, its FP into the hart. */
static void set_next(struct task *next, struct trap_frame *tf)
{
	*tf = next->frame;
	next->state = TASK_RUNNING;
	next->on_since_ns = timer_ns();
	next->switches++;
	current_task = next;
	if (fp_owner != next)
		sched_fp_load(tf);
	slice_end = rdtime() + timer_ns_to_ticks(SCHED_SLICE_NS);
}

/* The tick: the slice's end while others wait, or the first deadline. */
static void tick_update(void)
{
	uint64_t d = earliest_deadline();

	if (!list_empty(&run_queue) && slice_end < d)
		d = slice_end;
	timer_tick_set(TICK_SCHED, d);
}

/*
 * The slow side of sched_return_to_user() (internal.h), out of line so
 * that the common return, nothing to do, costs a few loads: the current
 * task blocked or exited, its slice may be over, or tasks came or woke.
 */
void sched_reschedule(struct trap_frame *tf)
{
	struct task *t = current_task;
	bool resched = sched_need_resched;

	sched_need_resched = false;
	sched_changed = false;
	if (t->state == TASK_RUNNING) {
		wake_expired();
		if (list_empty(&run_queue) ||
		    (!resched && rdtime() < slice_end))
			goto out; /* alone, or its slice goes on */
		t->state = TASK_RUNNABLE;
		list_add_tail(&t->link, &run_queue);
	}
	put_prev(t, tf);
	set_next(pick_next(), tf);
out:
	tick_update();
	if (signal_pending(current_task))
		signal_deliver(tf);
}

/* TICK_SCHED: a slice ended or a deadline came; from U-mode only. */
static void on_tick(struct trap_frame *tf)
{
	if (tf->sstatus & SSTATUS_SPP || !current_task)
		return;
	sched_changed = true;
	sched_return_to_user(tf);
}
