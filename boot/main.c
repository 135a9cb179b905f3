// SPDX-License-Identifier: MIT
/*
 * boot/main.c - the boot sequence, from entry.S to the app.
 *
 *   lib's hooks (panic, log clock, SBI console) -> traps -> SBI probe ->
 *   device tree -> console (UART) -> timer -> boot options (read once) ->
 *   memory (memblock, struct pages, zones and the buddy allocator, slab)
 *   -> virtual memory (the kernel map, devices through ioremap, the wall
 *   clock, randomness, the zero page, system calls) -> the console files
 *   -> virtio disks -> [the test image's suites or benchmarks, or its
 *   hook before the app] -> the app
 *
 * A failure before the app is a clear message and a non-zero exit, never
 * a hang.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "alloc/alloc.h"
#include "boot/boot.h"
#include "hal/riscv/riscv.h"
#include "hal/rtc/rtc.h"
#include "hal/serial/serial.h"
#include "hal/virtio/virtio.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define EXIT_BOOT_FAILED 254  /* the device tree or the boot args are unusable */
/* clang-format on */

struct platform boot_platform;
struct bootargs boot_args;

/*
 * The boot options, read once from the command line (read_options) and
 * checked there; the boot sequence uses only this. Defaults: absent.
 */
static struct {
	uint64_t mem_limit;   /* mem=, bytes of RAM (0: all) */
	long min_free_kbytes; /* min_free_kbytes= (0: Linux's rule) */
	long alloc_debug;     /* alloc_debug=0|1 */
	bool slab_debug, memstat, norandmaps;
	const char *ktest, *bench; /* the suites to run; NULL: none */
	const char *stdin_from;	   /* stdin=initrd|null; NULL: terminal */
	const char *swap; /* swap=vdX[,vdY..] or none; NULL: the first disk */
	const char *lru;  /* lru=fifo: no aging; NULL or lru=aging: aging */
} opt;

extern char _start[], _end[];

/*
 * The in-image test suites and benchmarks (tests/kernel/) are linked only
 * into the test image (make test-image): weak here, NULL in the runtime's.
 */
int ktest_run_all(const char *filter) __attribute__((weak));
int kbench_run_all(const char *filter) __attribute__((weak));
/* Last thing before the app starts (tests/kernel/kthread_spin.c). */
void ktest_before_app(void) __attribute__((weak));

/* The embedded app's name (boot/app_blob.S). */
extern const char app_name[];

static const struct console uart_console = {
	.name = "ns16550",
	.write = ns16550_write,
	.receive = ns16550_getc,
};

__attribute__((format(printf, 1, 2))) static _Noreturn void
boot_fail(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("pagoda: boot failed: %s\n", msg);
	kernel_exit(EXIT_BOOT_FAILED);
}

static void print_range(const char *what, uint64_t base, uint64_t size,
			const char *note)
{
	uint64_t kib = size >> 10;

	pr_info("  %-9s 0x%010llx-0x%010llx %7llu %s  %s\n", what,
		(unsigned long long)base, (unsigned long long)(base + size - 1),
		(unsigned long long)(kib >= 1024 ? kib >> 10 : kib),
		kib >= 1024 ? "MiB" : "KiB", note);
}

static void print_memory_map(const struct platform *p, uint64_t fdt_pa)
{
	char note[64];

	pr_info("memory map (device tree):\n");
	for (unsigned int i = 0; i < p->nr_memory; i++) {
		snprintf(note, sizeof(note), "node %u", p->memory[i].node);
		print_range("memory", p->memory[i].base, p->memory[i].size,
			    note);
	}
	for (unsigned int i = 0; i < p->nr_reserved; i++) {
		const struct reserved_range *r = &p->reserved[i];

		snprintf(note, sizeof(note), "%s%s", r->name,
			 r->no_map ? " (no-map)" : "");
		print_range("reserved", r->base, r->size, note);
	}
	print_range("image", kernel_load_pa, (uint64_t)(_end - _start),
		    "pagoda, with bss");
	print_range("fdt", fdt_pa, p->fdt_size, "device tree blob");
	if (p->initrd_end > p->initrd_start)
		print_range("initrd", p->initrd_start,
			    p->initrd_end - p->initrd_start, "");
}

/* "0, 1, 3": the enabled harts other than the boot hart. */
static void parked_harts(const struct platform *p, char *buf, size_t size)
{
	struct strbuf sb = strbuf_init(buf, size);

	for (unsigned int i = 0; i < p->nr_harts; i++)
		if (p->harts[i].enabled && i != p->boot_hart)
			strbuf_printf(&sb, "%s%u", sb.len ? ", " : "",
				      p->harts[i].hartid);
}

static void print_platform(const struct platform *p)
{
	const struct hart *boot = &p->harts[p->boot_hart];
	unsigned int enabled = 0;
	char parked[128];

	for (unsigned int i = 0; i < p->nr_harts; i++)
		enabled += p->harts[i].enabled;
	pr_info("harts: %u in the tree, %u enabled; booting on hart %u (node %u)\n",
		p->nr_harts, enabled, boot->hartid, boot->node);
	parked_harts(p, parked, sizeof(parked));
	if (parked[0])
		pr_info("harts: %s parked by the boot lottery (SBI HSM stop); hart %u alone runs the runtime and the app\n",
			parked, boot->hartid);
	else
		pr_info("harts: hart %u alone runs the runtime and the app\n",
			boot->hartid);
	pr_info("timer: %u Hz via %s\n", p->timebase_hz,
		timer_uses_sstc() ? "Sstc" : "SBI TIME");
	if (p->has_uart)
		pr_info("uart: ns16550 at 0x%llx, reg-shift %u, reg-io-width %u\n",
			(unsigned long long)p->uart.mmio.base,
			p->uart.reg_shift, p->uart.reg_io_width);
	if (p->has_plic)
		pr_info("plic: at 0x%llx, %u sources\n",
			(unsigned long long)p->plic.base, p->plic_ndev);
	for (unsigned int i = 0; i < p->nr_virtio; i++)
		pr_info("virtio-mmio: at 0x%llx, irq %u\n",
			(unsigned long long)p->virtio[i].base,
			p->virtio[i].irq);
	if (p->has_test_device)
		pr_info("finisher: sifive,test0 at 0x%llx\n",
			(unsigned long long)p->test_device.base);
	if (p->has_rtc)
		pr_info("rtc: goldfish at 0x%llx\n",
			(unsigned long long)p->rtc.base);
}

/* memblock -> struct pages -> zones and the buddy allocator. */
static void memory_init(const struct platform *p, uint64_t fdt_pa)
{
	uint64_t t0 = rdinstret(), ns0 = timer_ns(), total, insns, ns;
	const struct hart *boot = &p->harts[p->boot_hart];
	int err;

	alloc_debug = (int)opt.alloc_debug;
	err = memblock_from_platform(&memblock, p, kernel_load_pa,
				     (uint64_t)(_end - _start), fdt_pa,
				     opt.mem_limit);
	if (err)
		boot_fail("memblock: %d: no usable memory or too many ranges",
			  err);
	total = memblock_total(&memblock.memory);
	if ((err = vmemmap_populate(&memblock)))
		boot_fail("vmemmap: %d: no memory for struct pages", err);
	memmap_init(&memblock);
	local_node = boot->node;
	if ((err = zones_init(&memblock, (unsigned long)opt.min_free_kbytes)))
		boot_fail("zones: %d: no memory for the page allocator", err);
	if (local_node >= nr_nodes)
		local_node = 0;
	slab_debug = opt.slab_debug;
	kmem_cache_init();
	/* sysctl.vm.NAME=VALUE, checked by read_options(): written as the
	 * app would write them, in order, once the zones and slab exist */
	for (unsigned int i = 0; i < boot_args.nr_opts; i++) {
		const char *why;

		if (!strncmp(boot_args.opt[i].key, "sysctl.", 7) &&
		    sysctl_boot(boot_args.opt[i].key, boot_args.opt[i].value,
				true, &why))
			boot_fail("%s", why);
	}
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = &nodes[id].zones[t];

			if (z->managed_pages)
				pr_info("zone: node %u %-6s pfn 0x%lx-0x%lx managed %lu pages, watermarks %lu/%lu/%lu\n",
					id, z->name, z->start_pfn,
					z->start_pfn + z->spanned_pages - 1,
					z->managed_pages,
					z->watermark[WMARK_MIN],
					z->watermark[WMARK_LOW],
					z->watermark[WMARK_HIGH]);
		}
	insns = rdinstret() - t0;
	ns = timer_ns() - ns0;
	/* instret counts instructions on hardware and under QEMU -icount;
	 * plain QEMU makes it a clock of the host's, which is no count */
	if (instret_is_exact())
		pr_info("memory: %llu MiB in %u node(s), %lu pages free, set up in %llu.%03llu ms, %llu instructions (%llu per GiB)\n",
			(unsigned long long)(total >> 20), nr_nodes,
			nr_free_pages(), (unsigned long long)(ns / 1000000),
			(unsigned long long)(ns / 1000 % 1000),
			(unsigned long long)insns,
			(unsigned long long)(insns * (1ULL << 30) /
					     (total ? total : 1)));
	else
		pr_info("memory: %llu MiB in %u node(s), %lu pages free, set up in %llu.%03llu ms\n",
			(unsigned long long)(total >> 20), nr_nodes,
			nr_free_pages(), (unsigned long long)(ns / 1000000),
			(unsigned long long)(ns / 1000 % 1000));
}

/* The wall clock from the RTC, or the epoch: CLOCK_REALTIME's start. */
static void clock_init(const void *rtc)
{
	char when[32];
	uint64_t ns = rtc ? goldfish_rtc_read_ns(rtc) : 0;

	time_set_realtime(ns);
	time_format_utc(ns / 1000000000, when, sizeof(when));
	if (rtc)
		pr_info("clock: %s from the RTC\n", when);
	else
		pr_info("clock: no RTC in the device tree; the wall clock starts at the epoch, %s\n",
			when);
}

/*
 * The final kernel map, devices moved into the ioremap window, then what
 * the app needs: randomness, the zero page, user access, system calls.
 */
static void vm_init(const struct platform *p)
{
	void *uart = NULL, *finisher = NULL, *rtc = NULL;

	struct mem_range nomap[PLATFORM_MAX_RESERVED];
	unsigned int nr_nomap = 0;

	for (unsigned int i = 0; i < p->nr_reserved; i++)
		if (p->reserved[i].no_map)
			nomap[nr_nomap++] =
				(struct mem_range){ p->reserved[i].base,
						    p->reserved[i].size, 0 };
	if (kmap_init(p->memory, p->nr_memory, nomap, nr_nomap))
		boot_fail("vm: no memory for the kernel page table");
	if (p->has_uart &&
	    !(uart = ioremap(p->uart.mmio.base, p->uart.mmio.size)))
		boot_fail("vm: cannot map the UART");
	if (p->has_test_device &&
	    !(finisher = ioremap(p->test_device.base, p->test_device.size)))
		boot_fail("vm: cannot map the finisher");
	if (p->has_rtc && !(rtc = ioremap(p->rtc.base, p->rtc.size)))
		boot_fail("vm: cannot map the RTC");
	kmap_switch();
	if (uart)
		ns16550_init(uart, p->uart.reg_shift, p->uart.reg_io_width);
	if (finisher)
		shutdown_set_test_device(finisher);
	clock_init(rtc);
	random_seed(p->rng_seed, p->rng_seed_len);
	vm_randomize = !opt.norandmaps;
	if (p->harts[p->boot_hart].isa) /* else rv64imac, what pagoda needs */
		vm_hwcap = p->harts[p->boot_hart].isa;
	if (fault_init())
		boot_fail("vm: no memory for the zero page");
	lru_aging = !opt.lru || strcmp(opt.lru, "fifo");
	if (reclaim_init())
		boot_fail("vm: no memory for kswapd's stack");
	uaccess_init();
	syscall_init();
	user_counters_enable();
	pr_info("vm: kernel map: direct map of RAM, image W^X; %s\n",
		vm_randomize ? "app layout randomised from rng-seed"
			     : "app layout fixed (norandmaps)");
}

/* hal/virtio's DMA memory: zeroed pages from the buddy allocator. */
static int virtio_dma_alloc(size_t size, void **va, phys_addr_t *pa)
{
	void *mem = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);

	if (!mem)
		return -ENOMEM;
	memset(mem, 0, size);
	*va = mem;
	*pa = virt_to_phys(mem);
	return 0;
}

/*
 * The PLIC context of the boot hart's S-mode: the index of the pair
 * <&intc 9> in the PLIC's interrupts-extended whose controller sits in the
 * boot hart's cpu node (each cpu intc has one interrupt cell); -1 if none.
 */
static int plic_s_context(const struct platform *p)
{
	static const char *const names[] = { "riscv,plic0",
					     "sifive,plic-1.0.0" };
	uint32_t hartid = p->harts[p->boot_hart].hartid;
	const fdt32_t *cells, *reg;
	int node = -1, len, rlen;

	for (unsigned int i = 0; i < 2 && node < 0; i++)
		node = fdt_node_offset_by_compatible(p->fdt, -1, names[i]);
	if (node < 0 ||
	    !(cells = fdt_getprop(p->fdt, node, "interrupts-extended", &len)))
		return -1;
	for (int i = 0; i + 1 < len / 4; i += 2) {
		int intc = fdt_node_offset_by_phandle(p->fdt,
						      fdt32_to_cpu(cells[i]));
		int cpu = intc >= 0 ? fdt_parent_offset(p->fdt, intc) : -1;

		reg = cpu >= 0 ? fdt_getprop(p->fdt, cpu, "reg", &rlen) : NULL;
		if (reg && rlen >= 4 &&
		    fdt32_to_cpu(reg[rlen / 4 - 1]) == hartid &&
		    fdt32_to_cpu(cells[i + 1]) == IRQ_S_EXT)
			return i / 2;
	}
	return -1;
}

/* The virtio-mmio slots and the PLIC mapped, then hal/virtio probes. */
static void virtio_setup(const struct platform *p)
{
	static struct virtio_host host;

	host.dma_alloc = virtio_dma_alloc;
	host.plic_context = p->has_plic ? plic_s_context(p) : -1;
	if (host.plic_context >= 0) {
		if (!(host.plic = ioremap(p->plic.base, p->plic.size)))
			boot_fail("vm: cannot map the PLIC");
		host.plic_ndev = p->plic_ndev;
	}
	for (unsigned int i = 0; i < p->nr_virtio && i < VIRTIO_MAX_SLOTS;
	     i++) {
		struct virtio_slot *s = &host.slots[host.nr_slots++];

		s->pa = p->virtio[i].base;
		s->irq = p->virtio[i].irq;
		if (!(s->regs = ioremap(p->virtio[i].base, p->virtio[i].size)))
			boot_fail("vm: cannot map virtio-mmio at 0x%llx",
				  (unsigned long long)p->virtio[i].base);
	}
	virtio_init(&host);
}

static void memstat_at_exit(void)
{
	memstat_print(current_mm ? "at the app's exit" : "at exit");
}

/*
 * Descriptors 0, 1, 2 on the console; stdin=initrd makes 0 the initrd,
 * stdin=null an empty file (an empty STDIN= is no initrd to QEMU).
 */
static void files_init(const struct platform *p)
{
	const char *in = opt.stdin_from;

	tty_init();
	if (in && !strcmp(in, "null")) {
		stdin_init(NULL, 0);
	} else if (in && !strcmp(in, "initrd")) {
		if (p->initrd_end <= p->initrd_start)
			boot_fail(
				"stdin=initrd, but the device tree names no initrd (QEMU -initrd FILE, make run STDIN=FILE)");
		stdin_init(phys_to_virt(p->initrd_start),
			   (long)(p->initrd_end - p->initrd_start));
	}
	fd_reset();
}

/* Every boot option, once: into opt (and log_level), or a clear refusal. */
static void read_options(const struct bootargs *ba)
{
	long level;
	int err;

	for (unsigned int i = 0; i < ba->nr_opts; i++) {
		const char *key = ba->opt[i].key;

		if (bootargs_is_known(key))
			continue;
		if (ba->opt[i].value)
			pr_info("pagoda: %s=%s is no boot option: passed to the app's environment\n",
				key, ba->opt[i].value);
		else
			pr_warn("pagoda: unknown boot option '%s' ignored\n",
				key);
	}
	err = bootargs_get_long(ba, "loglevel", &level);
	if (err == -EINVAL || (!err && (level < 0 || level > 7)))
		boot_fail("loglevel= takes a number from 0 to 7");
	if (!err)
		log_level = (int)level;
	err = bootargs_get_size(ba, "mem", &opt.mem_limit);
	if (err == -EINVAL || (!err && opt.mem_limit < (16UL << 20)))
		boot_fail("mem= takes a size of at least 16M, like mem=512M");
	if (bootargs_get_long(ba, "min_free_kbytes", &opt.min_free_kbytes) ==
		    -EINVAL ||
	    opt.min_free_kbytes < 0)
		boot_fail("min_free_kbytes= takes a number of KiB");
	if (bootargs_get_long(ba, "alloc_debug", &opt.alloc_debug) == -EINVAL ||
	    opt.alloc_debug < 0 || opt.alloc_debug > 1)
		boot_fail("alloc_debug= takes 0 or 1");
	for (unsigned int i = 0; i < ba->nr_opts; i++) {
		const char *why;

		if (!strncmp(ba->opt[i].key, "sysctl.", 7) &&
		    sysctl_boot(ba->opt[i].key, ba->opt[i].value, false, &why))
			boot_fail("%s", why);
	}
	opt.slab_debug = bootargs_has(ba, "slab_debug");
	opt.memstat = bootargs_has(ba, "memstat");
	opt.norandmaps = bootargs_has(ba, "norandmaps");
	opt.ktest = bootargs_get(ba, "ktest");
	opt.bench = bootargs_get(ba, "bench");
	opt.stdin_from = bootargs_get(ba, "stdin");
	opt.swap = bootargs_get(ba, "swap");
	opt.lru = bootargs_get(ba, "lru");
	if (opt.lru && strcmp(opt.lru, "fifo") && strcmp(opt.lru, "aging"))
		boot_fail(
			"lru= takes 'aging' (second chance by the accessed bit, the default) or 'fifo' (pages leave in the order they came)");
	if (opt.stdin_from && strcmp(opt.stdin_from, "initrd") &&
	    strcmp(opt.stdin_from, "null"))
		boot_fail(
			"stdin= takes 'initrd' (the app's stdin is the initrd) or 'null' (an empty file)");
}

static void panic_backtrace(unsigned long fp)
{
	backtrace_print(0, fp);
}

/* lib/'s log and panic reach the machine through these. */
static const struct panic_ops panic_ops = {
	.backtrace = panic_backtrace,
	.exit = kernel_exit,
	.halt = hal_shutdown,
};

_Noreturn void boot_main(unsigned long hartid, unsigned long fdt_pa)
{
	struct platform *p = &boot_platform;
	const char *why;
	int err;

	panic_set_ops(&panic_ops);
	printk_set_clock(timer_ns);
	console_set(&sbi_console);
	trap_init();
	sbi_probe();
	pr_info("pagoda: booting on hart %lu, SBI %lu.%lu (%s %lu.%lu)\n",
		hartid, sbi.spec_major, sbi.spec_minor,
		sbi_impl_name(sbi.impl_id), sbi.impl_version >> 16,
		sbi.impl_version & 0xffff);

	if (!phys_is_mapped(fdt_pa, PLATFORM_MAX_FDT_SIZE))
		boot_fail("device tree address 0x%lx is outside the direct map",
			  fdt_pa);
	err = platform_parse(fdt_pa ? phys_to_virt(fdt_pa) : NULL,
			     (uint32_t)hartid, p);
	if (err)
		boot_fail("device tree at 0x%lx: %s", fdt_pa, p->error);

	if (p->has_uart) {
		ns16550_init(phys_to_virt(p->uart.mmio.base), p->uart.reg_shift,
			     p->uart.reg_io_width);
		console_set(&uart_console);
	}
	timer_init(p->timebase_hz, p->harts[p->boot_hart].sstc);
	if (p->has_test_device)
		shutdown_set_test_device(phys_to_virt(p->test_device.base));

	if (bootargs_parse(&boot_args, p->bootargs, &why))
		boot_fail("boot arguments: %s", why);
	read_options(&boot_args);

	pr_info("console: %s; bootargs: \"%s\"\n", console_name(), p->bootargs);
	pr_debug("sbi: extensions:%s%s%s%s%s\n", sbi.has_time ? " TIME" : "",
		 sbi.has_hsm ? " HSM" : "", sbi.has_srst ? " SRST" : "",
		 sbi.has_dbcn ? " DBCN" : "",
		 sbi.has_legacy_console ? " legacy-console" : "");
	print_platform(p);
	print_memory_map(p, fdt_pa);
	memory_init(p, fdt_pa);
	vm_init(p);
	files_init(p);
	virtio_setup(p);
	swap_boot(opt.swap);
	if (opt.memstat)
		kernel_at_exit(memstat_at_exit);

	if ((opt.ktest && !ktest_run_all) || (opt.bench && !kbench_run_all))
		boot_fail(
			"%s: this image holds no tests; the in-image suites and benchmarks are in the test image (make test-image: build/ktest/Image)",
			opt.ktest ? "ktest" : "bench");
	if (opt.ktest)
		kernel_exit(ktest_run_all(opt.ktest));
	if (opt.bench)
		kernel_exit(kbench_run_all(opt.bench));

	if (opt.memstat)
		memstat_print("before the app");
	app_free_pages_at_start = app_pages_available();
	if (ktest_before_app)
		ktest_before_app();
	time_app_started();
	sched_start_app();
	err = exec_app(app_name, (int)boot_args.argc, boot_args.argv,
		       boot_args.envp, &why);
	boot_fail("cannot start app '%s': %s (error %d)", app_name, why, err);
}
