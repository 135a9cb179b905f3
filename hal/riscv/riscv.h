/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/riscv.h - the RISC-V hardware contract of pagoda.
 *
 * Everything that touches a CSR, an SBI call, a trap frame, the timer or an
 * MMIO register is declared here and implemented beside it in hal/riscv/.
 * Nothing outside hal/ uses csrr/csrw or a volatile cast on device memory.
 *
 * The first half is the encoding table (assembler-safe); the second half is
 * the C interface.
 */
#ifndef PAGODA_HAL_RISCV_H
#define PAGODA_HAL_RISCV_H

#include "hal/riscv/layout.h"

/* clang-format off */

/* ---- CSR numbers (privileged spec 1.12, chapter 4) ---- */
#define CSR_SSTATUS     0x100   /* supervisor status */
#define CSR_SIE         0x104   /* supervisor interrupt enable */
#define CSR_STVEC       0x105   /* trap vector base (mode in bits 1:0) */
#define CSR_SCOUNTEREN  0x106   /* counters visible to U-mode */
#define CSR_SENVCFG     0x10a   /* supervisor environment configuration */
#define CSR_SSCRATCH    0x140   /* scratch, kernel stack while in U-mode */
#define CSR_SEPC        0x141   /* pc of the trapping instruction */
#define CSR_SCAUSE      0x142   /* trap cause, bit 63 = interrupt */
#define CSR_STVAL       0x143   /* faulting address or instruction */
#define CSR_SIP         0x144   /* supervisor interrupt pending */
#define CSR_STIMECMP    0x14d   /* Sstc: timer compare */
#define CSR_SATP        0x180   /* address translation and protection */
#define CSR_TIME        0xc01   /* real-time counter (read-only) */
#define CSR_INSTRET     0xc02   /* retired instructions (read-only) */

/* ---- sstatus bits ---- */
#define SSTATUS_SIE     (1 << 1)    /* interrupts enabled in S-mode */
#define SSTATUS_SPIE    (1 << 5)    /* SIE before the trap */
#define SSTATUS_SPP     (1 << 8)    /* privilege before the trap: 1 = S */
#define SSTATUS_FS      (3 << 13)   /* floating-point unit state: */
#define SSTATUS_FS_OFF  (0 << 13)   /*   F/D instructions trap (illegal) */
#define SSTATUS_FS_INITIAL (1 << 13) /*  on, registers in their reset state */
#define SSTATUS_FS_CLEAN (2 << 13)  /*   on, registers as last saved */
#define SSTATUS_FS_DIRTY (3 << 13)  /*   written since last saved */
#define SSTATUS_SUM     (1 << 18)   /* S-mode may access U pages */
#define SSTATUS_MXR     (1 << 19)   /* loads from execute-only pages */

/*
 * A single-letter ISA extension as a bit, (letter - 'a'): the hart's
 * riscv,isa letters (boot/platform.c) and Linux's AT_HWCAP bits
 * (COMPAT_HWCAP_ISA_I = ISA_BIT('i'), ..._F, ..._D, ..._C).
 */
#define ISA_BIT(c)      (1U << ((c) - 'a'))

/* ---- sie / sip bits ---- */
#define IRQ_S_SOFT      1
#define IRQ_S_TIMER     5
#define IRQ_S_EXT       9
#define SIE_SSIE        (1UL << IRQ_S_SOFT)
#define SIE_STIE        (1UL << IRQ_S_TIMER)
#define SIE_SEIE        (1UL << IRQ_S_EXT)

/* ---- scause ---- */
#define CAUSE_INTERRUPT         (1UL << 63)
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_USER_ECALL        8
#define CAUSE_SUPERVISOR_ECALL  9
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15

/* ---- satp (Sv39): MODE[63:60] ASID[59:44] PPN[43:0] ---- */
#define SATP_MODE_SV39  (8UL << 60)
#define SATP_MODE_MASK  (0xfUL << 60)
#define SATP_PPN_MASK   ((1UL << 44) - 1)

/* ---- Sv39 PTE: PPN[53:10] RSW[9:8] D A G U X W R V ---- */
#define PTE_V           (1UL << 0)   /* valid */
#define PTE_R           (1UL << 1)   /* readable */
#define PTE_W           (1UL << 2)   /* writable */
#define PTE_X           (1UL << 3)   /* executable */
#define PTE_U           (1UL << 4)   /* user accessible */
#define PTE_G           (1UL << 5)   /* global: in every address space */
#define PTE_A           (1UL << 6)   /* accessed */
#define PTE_D           (1UL << 7)   /* dirty */
#define PTE_PPN_SHIFT   10

/* ---- trap frame layout, shared by trap.S and struct trap_frame ---- */
#define TF_REGS         0            /* x1..x31 at TF_REGS + 8 * (n - 1) */
#define TF_SEPC         (31 * 8)
#define TF_SSTATUS      (32 * 8)
#define TF_SCAUSE       (33 * 8)
#define TF_STVAL        (34 * 8)
#define TF_SIZE         (36 * 8)     /* keeps sp 16-byte aligned */

/* ---- struct fp_state layout, shared by fpu.S ---- */
#define FP_FCSR         (32 * 8)     /* after f0..f31 */

/* ---- kernel context layout, shared by switch.S and struct kcontext ---- */
#define KCTX_RA         0
#define KCTX_SP         8
#define KCTX_S(n)       (16 + 8 * (n))  /* s0..s11 */
#define KCTX_SIZE       (14 * 8)

/* clang-format on */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/lib.h"

/* ---- the memory map (layout.h): physical and kernel virtual addresses ---- */
typedef uint64_t phys_addr_t;
typedef uint64_t pte_t;

/* Physical address the image was loaded at; set once by early_map(). */
extern phys_addr_t kernel_load_pa;

/*
 * From here to the MMIO accessors: what runs on the hart itself (the
 * direct map, CSRs, fences). Compiled for the host (the tests of
 * alloc/ and vm/pgtable.c), none of it exists: alloc/machine.h's host
 * side stands in for the part the allocator uses.
 */
#ifdef __riscv

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

static inline bool phys_is_mapped(phys_addr_t pa, uint64_t size)
{
	return pa < DIRECT_MAP_SIZE && size <= DIRECT_MAP_SIZE - pa;
}

/* Works for the image and the direct map. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VA)
		return v - KERNEL_VA + kernel_load_pa;
	return v - DIRECT_MAP_BASE;
}

/* ---- CSR accessors ---- */
#define csr_read(csr)                                                   \
	({                                                              \
		unsigned long __v;                                      \
		__asm__ volatile("csrr %0, %1" : "=r"(__v) : "i"(csr)); \
		__v;                                                    \
	})
#define csr_write(csr, val) \
	__asm__ volatile("csrw %0, %1" ::"i"(csr), "rK"(val) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs %0, %1" ::"i"(csr), "rK"(bits) : "memory")
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc %0, %1" ::"i"(csr), "rK"(bits) : "memory")

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

/*
 * Interrupts off; the flags say whether they were on (Linux's
 * local_irq_save). irq_restore() sets sstatus.SIE again only if the flags
 * hold it: one csrs, no branch.
 */
static inline unsigned long irq_save(void)
{
	unsigned long old;

	__asm__ volatile("csrrci %0, sstatus, %1"
			 : "=r"(old)
			 : "i"(SSTATUS_SIE)
			 : "memory");
	return old & SSTATUS_SIE;
}

static inline void irq_restore(unsigned long flags)
{
	__asm__ volatile("csrs sstatus, %0" ::"r"(flags) : "memory");
}

/* TLB: after changing a PTE, before relying on the change (all ASIDs). */
static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void sfence_vma_addr(unsigned long va)
{
	__asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}

/* Let U-mode read cycle, time and instret (rdcycle, rdinstret...). */
static inline void user_counters_enable(void)
{
	csr_write(CSR_SCOUNTEREN, 0x7);
}

/* Translate through the Sv39 table at root_pa from now on (no ASIDs). */
static inline void satp_switch(uint64_t root_pa)
{
	csr_write(CSR_SATP, SATP_MODE_SV39 | (root_pa >> 12));
	sfence_vma_all();
}

/*
 * Index of the running hart among those the runtime uses (0..n-1). Only the
 * boot hart runs today; when others start, this reads a per-hart area.
 */
static inline unsigned int this_hart(void)
{
	return 0;
}

static inline uint64_t rdtime(void)
{
	return csr_read(CSR_TIME);
}

static inline uint64_t rdinstret(void)
{
	return csr_read(CSR_INSTRET);
}

/*
 * Whether instret counts instructions: on hardware and under QEMU's
 * -icount it does (two reads in a row differ by one); plain QEMU makes it
 * a host clock, whose steps differ from read to read.
 */
static inline bool instret_is_exact(void)
{
	uint64_t first = 0;

	for (int i = 0; i < 8; i++) {
		uint64_t a = rdinstret(), b = rdinstret();

		if (!i)
			first = b - a;
		if (b - a != first || first < 1 || first > 2)
			return false;
	}
	return true;
}

/* ---- MMIO ----
 * Device registers are strongly ordered with respect to each other on every
 * RISC-V implementation we target (I/O PMA), but not with normal memory.
 * The fences below order a write after earlier memory writes (so a device
 * sees a buffer before the doorbell) and a read before later memory reads
 * (so data the device wrote is not read before its status register).
 */
static inline void writeb(uint8_t v, volatile void *addr)
{
	__asm__ volatile("fence w, o" ::: "memory");
	*(volatile uint8_t *)addr = v;
}

static inline void writel(uint32_t v, volatile void *addr)
{
	__asm__ volatile("fence w, o" ::: "memory");
	*(volatile uint32_t *)addr = v;
}

static inline uint8_t readb(const volatile void *addr)
{
	uint8_t v = *(const volatile uint8_t *)addr;

	__asm__ volatile("fence i, r" ::: "memory");
	return v;
}

static inline uint32_t readl(const volatile void *addr)
{
	uint32_t v = *(const volatile uint32_t *)addr;

	__asm__ volatile("fence i, r" ::: "memory");
	return v;
}

#endif /* __riscv */

/* ---- SBI (sbi.c) ---- */
/* An SBI return: error is 0 or a negative SBI_ERR_* code. */
struct sbiret {
	long error;
	long value;
};

/* What the firmware told us when probed, printed in the boot log. */
struct sbi_info {
	unsigned long spec_major, spec_minor;
	unsigned long impl_id, impl_version;
	bool has_time, has_hsm, has_srst, has_dbcn, has_legacy_console;
};

extern struct sbi_info sbi;

void sbi_probe(void);
const char *sbi_impl_name(unsigned long impl_id);
void sbi_console_write(const char *buf, size_t len);
/* The firmware's console, the first the boot sets (console_set). */
extern const struct console sbi_console;
/* A byte the firmware's console received, or -1 when none is waiting. */
int sbi_console_getc(void);
/* Legacy putchar, usable before sbi_probe() and with the MMU off. */
void sbi_early_puts(const char *s);
struct sbiret sbi_set_timer(uint64_t deadline);
struct sbiret sbi_hart_stop(void);
/* Returns only if the firmware refused. */
void sbi_system_reset(bool failure);

/* ---- timer (timer.c) ---- */
void timer_init(uint32_t timebase_hz, bool has_sstc);
uint32_t timer_hz(void);
bool timer_uses_sstc(void);
uint64_t timer_ns(void);
/* Raise a supervisor timer interrupt at the given time-CSR value. */
void timer_arm(uint64_t deadline);
void timer_disarm(void);
/* time-CSR ticks in ns nanoseconds (rounded up), and the reverse. */
uint64_t timer_ns_to_ticks(uint64_t ns);
/*
 * Sleep in wfi until the time CSR reaches deadline: the timer interrupt
 * wakes the hart without being taken (sstatus.SIE stays clear).
 */
void timer_wait_until(uint64_t deadline);
/* ns in time-CSR ticks (rounded down). */
uint64_t timer_ticks_to_ns(uint64_t ticks);
/*
 * The background ticks: deadlines that stay armed while the app runs, so a
 * busy app traps. One per client: kthread.c's, for kernel threads, and the
 * app's thread scheduler's (kernel/sched.c). The comparator holds the
 * earliest; when a tick's deadline passes, the timer interrupt consumes it
 * (back to UINT64_MAX) and calls the client's handler with the interrupted
 * frame. timer_arm() overrides the ticks for a kernel waiter;
 * timer_disarm() puts them back (stimecmp and sie.STIE), so the waiters
 * above need not know they exist. UINT64_MAX: no tick.
 */
struct trap_frame;
enum timer_tick_client { TICK_KTHREAD, TICK_SCHED, NR_TIMER_TICKS };
void timer_tick_set(enum timer_tick_client c, uint64_t deadline);
uint64_t timer_tick(enum timer_tick_client c);
void timer_tick_handler(enum timer_tick_client c,
			void (*fn)(struct trap_frame *tf));

/* ---- traps (trap.c, trap.S) ---- */
/* Saved by trap.S on every trap; regs[n - 1] holds xn. */
struct trap_frame {
	unsigned long regs[31];
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long pad;
};
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");

/*
 * The floating-point registers and fcsr, as Linux riscv64 keeps them
 * (struct __riscv_d_ext_state: the signal frame's layout too). With F and
 * not D, each f slot holds the 32-bit register in its low half.
 */
struct fp_state {
	uint64_t f[32];
	uint32_t fcsr;
};
_Static_assert(__builtin_offsetof(struct fp_state, fcsr) == FP_FCSR,
	       "fp_state layout");

/* fpu.S: the only code that touches the floating-point registers. */
void fpu_save_d(struct fp_state *fp);
void fpu_restore_d(const struct fp_state *fp);
void fpu_save_f(struct fp_state *fp);
void fpu_restore_f(const struct fp_state *fp);

#define TF_RA(tf) ((tf)->regs[0])
#define TF_SP(tf) ((tf)->regs[1])
#define TF_FP(tf) ((tf)->regs[7])

typedef void (*irq_handler_t)(struct trap_frame *tf);
typedef void (*trap_handler_t)(struct trap_frame *tf);

void trap_init(void);
void trap_set_irq_handler(unsigned int irq, irq_handler_t fn);
/* Every exception from U-mode goes to fn, which may change the frame. */
void trap_set_user_handler(trap_handler_t fn);
/* Exceptions in S-mode go to fn first; true means handled, resume. */
void trap_set_kernel_fault_handler(bool (*fn)(struct trap_frame *tf));
/* The frame at the top of the U-mode trap stack: the app's registers. */
struct trap_frame *trap_user_frame(void);
/* A frame that enters U-mode at pc with sp, interrupts as now, SUM off. */
void trap_frame_init_user(struct trap_frame *tf, unsigned long pc,
			  unsigned long sp);
/* Resume the frame (in U-mode if its sstatus.SPP is clear); trap.S. */
_Noreturn void trap_enter(struct trap_frame *tf);
const char *trap_cause_name(unsigned long scause);
void trap_dump(const struct trap_frame *tf);
void trap_dump_regs(const struct trap_frame *tf);
/* Called by trap.S only. */
void trap_handle(struct trap_frame *tf);

/* ---- kernel threads (switch.S, kthread.c) ---- */
/* What a kernel context keeps across context_switch(): ra, sp, s0-s11. */
struct kcontext {
	unsigned long ra;
	unsigned long sp;
	unsigned long s[12];
};
_Static_assert(sizeof(struct kcontext) == KCTX_SIZE, "kcontext layout");

/* Save the callee-saved registers into *from, resume *to. */
void context_switch(struct kcontext *from, struct kcontext *to);

enum kthread_state {
	KTHREAD_SLEEPING, /* waits for kthread_wake() */
	KTHREAD_RUNNABLE, /* runs at the next return to U-mode that is its turn */
	KTHREAD_RUNNING, /* on the hart now; at most one thread is */
};

/*
 * A kernel thread: fn(arg) on a stack of its own, run between the app's
 * instructions (docs/kthread.md). Invariants:
 *   - state == KTHREAD_RUNNING iff the thread is kthread_current(); it then
 *     runs on [stack, stack + stack_size) and ctx is stale;
 *   - otherwise ctx.sp lies in [stack, stack + stack_size) and ctx resumes
 *     it: inside kthread_sleep()/kthread_yield(), or at its entry if it
 *     never ran (switches == 0);
 *   - the tick is armed (timer_tick(TICK_KTHREAD) != UINT64_MAX) iff some
 *     thread is KTHREAD_RUNNABLE, outside kthread_run_pending();
 *   - the lowest word of the stack holds KTHREAD_STACK_MAGIC (checked at
 *     every switch back: an overflow panics by name).
 * The caller owns the struct and the stack (hal allocates nothing); both
 * live while the thread is registered (kthread_init/add .. kthread_remove).
 */
struct kthread {
	const char *name;
	struct kcontext ctx;
	void *stack;	   /* lowest address; 16-byte aligned */
	size_t stack_size; /* bytes */
	enum kthread_state state;
	void (*fn)(void *arg);
	void *arg;
	bool woken;   /* kthread_wake() while RUNNING: its next sleep returns */
	bool yielded; /* gave the hart back this turn; runs at the next tick */
	uint64_t runs;	   /* times kthread_wake() found it sleeping */
	uint64_t switches; /* context switches into it */
	uint64_t cpu_ns;   /* time on the hart, ns */
};

/*
 * The slice: how long a thread runs before it should yield, and how long
 * the app runs between ticks while a thread is runnable. 4 ms, as a 250 Hz
 * Linux tick: long enough that a tick (a trap, a switch and back, some
 * hundreds of instructions) is noise beside it even on a slow core, short
 * enough that the app's latency (a thread may hold the hart for a slice)
 * stays far below what a person or a timeout notices.
 */
#define KTHREAD_SLICE_NS 4000000

/* clang-format off */
#define KTHREAD_STACK_MAGIC 0x6b74687265616421UL /* "!daerhtk" at stack[0] */
#define KTHREAD_STACK_MIN   1024    /* bytes */
#define KTHREAD_MAX         4       /* registered at once, run in turn */
/* clang-format on */

/*
 * Register t: sleeping until kthread_wake(); its first run calls fn(arg)
 * on [stack, stack + stack_size). fn must never return (panic).
 */
void kthread_init(struct kthread *t, const char *name, void (*fn)(void *),
		  void *arg, void *stack, size_t stack_size);
/*
 * Unregister a thread that is not running (tests; a driver going away):
 * it keeps its state and context but is never run; kthread_add() puts it
 * back in the table (a runnable one arms the tick again).
 */
void kthread_remove(struct kthread *t);
void kthread_add(struct kthread *t);
/* The registered threads: kthread_at(0 .. kthread_count() - 1). */
unsigned int kthread_count(void);
struct kthread *kthread_at(unsigned int i);
/* Make t runnable; it runs at the next return to U-mode. Any context. */
void kthread_wake(struct kthread *t);
/* In a thread: back to whoever ran it; returns once woken and run again. */
void kthread_sleep(void);
/* In a thread: its slice is over, kthread_yield() (or sleep) now. */
bool kthread_should_yield(void);
/* In a thread: give the hart back, stay runnable, resume at the next tick. */
void kthread_yield(void);
/* The running thread, NULL outside threads. */
struct kthread *kthread_current(void);
/*
 * Run the runnable threads whose turn has come (a wake, or the tick),
 * each until it sleeps, yields or its slice is over; then re-arm or stop
 * the tick. trap.S calls it before returning to U-mode; kernel code
 * (and tests) may call it where nothing of the app's is half done.
 */
void kthread_run_pending(void);
/*
 * The hart has nothing else to do (the app's threads all wait): run the
 * runnable threads now, a turn of them. False if none wanted the hart.
 */
bool kthread_run_idle(void);

/* ---- the platform-level interrupt controller (plic.c) ---- */
/* Take the PLIC for this context: every source off, threshold 0. */
void plic_init(volatile void *base, uint32_t ndev, uint32_t context);
/* Source irq at priority 1, enabled for the context. */
void plic_enable(uint32_t irq);
/* The highest pending enabled source, now claimed; 0 if none. */
uint32_t plic_claim(void);
void plic_complete(uint32_t irq);

/* ---- stack walking (backtrace.c) ---- */
/* Print pc (if not 0), then the return addresses of the chain from fp. */
void backtrace_print(unsigned long pc, unsigned long fp);
/* Print the chain of the code that trapped, starting at sepc. */
void backtrace_print_trap(const struct trap_frame *tf);
/* Return addresses from the caller's frame up; pcs[0] lies in the caller. */
size_t backtrace_capture(unsigned long *pcs, size_t max);

/* ---- power (shutdown.c) ---- */
/* The mapped registers of a sifive,test0 finisher, if the tree has one. */
void shutdown_set_test_device(volatile void *reg);
/* Leave the machine with this status; QEMU's exit code follows it where it can. */
_Noreturn void hal_shutdown(int status);

#endif /* __ASSEMBLER__ */
#endif /* PAGODA_HAL_RISCV_H */
