# SPDX-License-Identifier: MIT
# pagoda - a bare-metal RISC-V runtime with Linux's memory manager, small.
# `make help` lists the targets and knobs; docs/build.md explains the build.

APP       ?= hello
ARGS      ?=
BOOTARGS  ?=
MEM       ?= 256M
SMP       ?= 1
MACHINE   ?= virt
DTB       ?=
QEMU_OPTS ?=
BUILD     ?= build
V         ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

# ---- toolchain -------------------------------------------------------------
CROSS    ?= riscv64-unknown-elf-
CC       := $(CROSS)gcc
NM       := $(CROSS)nm
OBJCOPY  := $(CROSS)objcopy
OBJDUMP  := $(CROSS)objdump
PICOLIBC ?= /usr/lib/picolibc/riscv64-unknown-elf
QEMU     ?= qemu-system-riscv64
DTC      ?= dtc

LIBFDT_SRC ?= $(BUILD)/libfdt/src

ARCH    := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
LIBC    := $(PICOLIBC)/lib/release/rv64imac/lp64/libc.a
LIBGCC   = $(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)

WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	   -Wno-unused-parameter
CFLAGS  := $(ARCH) -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin-printf \
	   -fno-common -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	   -fno-asynchronous-unwind-tables -isystem $(PICOLIBC)/include \
	   -I. -I$(LIBFDT_SRC) -MMD -MP
LDFLAGS := $(ARCH) -nostdlib -static -Wl,--gc-sections -Wl,-Map=$(BUILD)/pagoda.map

# ---- sources ---------------------------------------------------------------
KERNEL_SRCS := boot/entry.S boot/main.c boot/platform.c boot/fdt_reg.c \
	       boot/bootargs.c \
	       hal/riscv/sbi.c hal/riscv/trap.S hal/riscv/trap.c \
	       hal/riscv/backtrace.c hal/riscv/timer.c hal/riscv/shutdown.c \
	       hal/serial/ns16550.c \
	       kernel/console.c kernel/exit.c kernel/panic.c kernel/ksyms.c \
	       kernel/rbtree.c kernel/syscall.c kernel/procfs.c \
	       kernel/strbuf.c \
	       vm/early.c vm/pgtable.c vm/vmemmap.c vm/kmap.c vm/vmalloc.c \
	       vm/mm.c vm/mmap.c vm/fault.c vm/uaccess.S vm/uaccess.c \
	       vm/exec.c vm/proc_show.c \
	       alloc/memblock.c alloc/memmap.c alloc/zone.c alloc/page_alloc.c \
	       alloc/validate.c alloc/vmstat.c \
	       alloc/slab.c alloc/slab_debug.c alloc/kmalloc.c alloc/mempool.c \
	       $(wildcard tests/kernel/*.c)
LIBFDT_SRCS := fdt.c fdt_ro.c fdt_rw.c fdt_wip.c fdt_strerror.c fdt_addresses.c
MALLOC_SRCS := alloc/malloc/malloc.c alloc/malloc/bins.c alloc/malloc/heap.c \
	       alloc/malloc/mapped.c alloc/malloc/align.c alloc/malloc/info.c \
	       alloc/malloc/check.c alloc/malloc/sys.c
APP_SRCS     = $(wildcard apps/$(APP)/*.c) apps/runtime/crt0.S \
	       $(wildcard apps/runtime/*.c) $(MALLOC_SRCS)

KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))
LIBFDT_OBJS := $(patsubst %,$(BUILD)/libfdt/obj/%.o,$(LIBFDT_SRCS))
APP_OBJS     = $(patsubst %,$(BUILD)/apps/$(APP)/%.o,$(APP_SRCS))
APP_ELF      = $(BUILD)/apps/$(APP).elf
IMAGE_OBJS   = $(KERNEL_OBJS) $(LIBFDT_OBJS) $(BUILD)/app_blob.o

# The app: hosted C against picolibc, our headers first (sys/mman.h...).
APP_CFLAGS  := $(ARCH) -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-common \
	       -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	       -fno-asynchronous-unwind-tables -Iapps/runtime/include \
	       -isystem $(PICOLIBC)/include -I. -MMD -MP

LIBFDT_STAMP := $(LIBFDT_SRC)/libfdt.h

.PHONY: all image run gdb test test-host test-qemu test-fuzz bench fmt check \
	clean distclean help deps FORCE
.DEFAULT_GOAL := all

all: image $(BUILD)/virt.dtb
image: $(BUILD)/Image $(BUILD)/pagoda.asm $(BUILD)/pagoda.sym

deps:
	$(Q)scripts/deps.sh

# ---- libfdt: fetched, never committed --------------------------------------
$(BUILD)/libfdt/src/libfdt.h: | deps
	$(Q)scripts/fetch-libfdt.sh $(BUILD)/libfdt/src

$(BUILD)/libfdt/obj/%.c.o: $(LIBFDT_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      libfdt/$*.c"
	$(Q)$(CC) $(CFLAGS) -Wno-sign-compare -ffunction-sections -fdata-sections -c $(LIBFDT_SRC)/$*.c -o $@

# ---- the image ---------------------------------------------------------------
$(BUILD)/kernel/%.c.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/kernel/vm/early.c.o: CFLAGS += -fno-jump-tables

$(BUILD)/kernel/%.S.o: %.S | deps
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(BUILD)/apps/$(APP)/%.c.o: %.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $< ($(APP))"
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/apps/$(APP)/%.S.o: %.S | deps
	@mkdir -p $(@D)
	@echo "  AS      $< ($(APP))"
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

# ---- apps/mallocbench: picolibc's nano-malloc beside ours --------------------
# Objects linked into the app besides its sources. mallocbench measures our
# malloc against picolibc's, taken out of libc.a with every symbol renamed
# (nano_malloc, nano_free... over nano_sbrk, which the app defines).
APP_EXTRA_OBJS :=
ifeq ($(APP),mallocbench)
APP_EXTRA_OBJS := $(BUILD)/apps/mallocbench/nano-malloc.o

$(BUILD)/apps/mallocbench/nano-malloc.o: scripts/nano-malloc.sh $(LIBC)
	@mkdir -p $(@D)
	@echo "  NANO    $@"
	$(Q)scripts/nano-malloc.sh $(CROSS) $(LIBC) $@
endif
# ---- end of apps/mallocbench -------------------------------------------------

# The app's own ELF at user addresses; the image carries it without debug
# information (build/apps/APP.elf keeps it for gdb).
$(APP_ELF): $(APP_OBJS) $(APP_EXTRA_OBJS) apps/runtime/app.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(ARCH) -nostdlib -static -Wl,--gc-sections \
		-Wl,-Map=$(BUILD)/apps/$(APP).map -T apps/runtime/app.ld \
		-o $@ $(APP_OBJS) $(APP_EXTRA_OBJS) $(LIBC) $(LIBGCC)
	$(Q)scripts/check-app-malloc.sh $(BUILD)/apps/$(APP).map || { rm -f $@; exit 1; }
	$(Q)$(OBJCOPY) --strip-debug $@ $(BUILD)/apps/$(APP).stripped

$(BUILD)/app_blob.o: boot/app_blob.S $(APP_ELF) $(BUILD)/app.name
	@echo "  AS      $< ($(APP))"
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLER__ -DAPP_NAME='"$(APP)"' \
		-DAPP_ELF='"$(BUILD)/apps/$(APP).stripped"' -c $< -o $@

# The image is relinked when APP changes, even to an older build.
$(BUILD)/app.name: FORCE
	@mkdir -p $(@D)
	@[ -d apps/$(APP) ] && [ "$(APP)" != runtime ] || \
		{ echo "no app '$(APP)': apps/ has $$(ls apps | grep -vx runtime | xargs)"; exit 1; }
	@echo $(APP) | cmp -s - $@ || echo $(APP) >$@

$(BUILD)/image.ld: boot/image.ld.S vm/layout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -D__ASSEMBLER__ -I. -x c $< -o $@

# Two links: the first finds the functions, the second carries their names.
$(BUILD)/ksyms0.S: scripts/ksyms.sh
	@mkdir -p $(@D)
	$(Q)scripts/ksyms.sh $(NM) >$@

$(BUILD)/ksyms.S: $(BUILD)/pagoda.pass1.elf scripts/ksyms.sh
	$(Q)scripts/ksyms.sh $(NM) $< >$@

$(BUILD)/%.o: $(BUILD)/%.S
	$(Q)$(CC) $(ARCH) -c $< -o $@

LINK = $(CC) $(LDFLAGS) -T $(BUILD)/image.ld -o $@ $(IMAGE_OBJS) $(1) \
	$(LIBC) $(LIBGCC)

$(BUILD)/pagoda.pass1.elf: $(IMAGE_OBJS) $(BUILD)/ksyms0.o $(BUILD)/image.ld $(BUILD)/app.name
	@echo "  LD      $@"
	$(Q)$(call LINK,$(BUILD)/ksyms0.o)

$(BUILD)/pagoda.elf: $(BUILD)/pagoda.pass1.elf $(BUILD)/ksyms.o
	@echo "  LD      $@"
	$(Q)$(call LINK,$(BUILD)/ksyms.o)
	$(Q)$(NM) -n $< | grep -i ' [tw] ' >$(BUILD)/text1.sym; \
	$(NM) -n $@ | grep -i ' [tw] ' >$(BUILD)/text2.sym; \
	cmp -s $(BUILD)/text1.sym $(BUILD)/text2.sym || \
		{ echo "ksyms: code moved between links"; rm -f $@; exit 1; }

$(BUILD)/Image: $(BUILD)/pagoda.elf
	@echo "  IMAGE   $@"
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)scripts/check-image.sh $@ $<

$(BUILD)/pagoda.asm: $(BUILD)/pagoda.elf
	$(Q)$(OBJDUMP) -d -S $< >$@

$(BUILD)/pagoda.sym: $(BUILD)/pagoda.elf
	$(Q)$(NM) -n $< >$@

$(BUILD)/%.dtb: %.dts | deps
	@mkdir -p $(@D)
	@echo "  DTC     $<"
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

# ---- running -----------------------------------------------------------------
QEMU_ARGS = -machine $(MACHINE) -m $(MEM) -smp $(SMP) -nographic -no-reboot \
	    -bios default \
	    -kernel $(BUILD)/Image $(if $(DTB),-dtb $(DTB)) \
	    $(if $(strip $(BOOTARGS) $(ARGS)),-append '$(strip $(BOOTARGS) $(if $(ARGS),-- $(ARGS)))') \
	    $(QEMU_OPTS)

run: deps image $(DTB)
	$(Q)$(QEMU) $(QEMU_ARGS)

gdb: deps image $(DTB)
	@echo "QEMU is halted at the reset vector with a gdb stub on :1234. In another shell:"
	@echo "  gdb-multiarch -q $(BUILD)/pagoda.elf -ex 'target remote :1234' -ex 'break boot_main' -ex continue"
	$(Q)$(QEMU) $(QEMU_ARGS) -s -S

# ---- tests -------------------------------------------------------------------
include tests/host/host.mk

test: deps all
	$(Q)python3 tests/run.py --build $(BUILD)

test-qemu: deps all
	$(Q)python3 tests/run.py --build $(BUILD) --only ktest,qemu

# ---- benchmarks ----------------------------------------------------------------
# The in-image benchmarks (bench=BENCH, all if empty; "vm" is apps/vmbench,
# the app's view of faults and syscalls; "malloc" is apps/mallocbench, our
# malloc against picolibc's) under -icount shift=0,
# where instret counts instructions exactly, at BENCH_MEM; then one boot at
# each BENCH_BOOT_MEM for the cost of setting memory up. Prints the
# "bench: <name> key=value..." lines; docs/memory.md explains them.
BENCH          ?=
BENCH_MEM      ?= 256M
BENCH_BOOT_MEM ?= 2G
BENCH_QEMU      = $(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
		  -kernel $(BUILD)/Image -icount shift=0
BENCH_LINES     = tr -d '\r' <$(BUILD)/bench.log | sed -n -e '/^\(\# \)\{0,1\}bench: /p' \
	-e 's/^\[[ 0-9.]*\] memory: \([0-9]*\) MiB in \([0-9]*\) node.* set up in \([0-9]*\) instructions (\([0-9]*\) per GiB)/bench: boot_memory mib=\1 nodes=\2 instructions=\3 per_gib=\4/p'

# The app benchmarks (name:app), each in U-mode from its own image: BENCH=vm
# (or empty) runs apps/vmbench, BENCH=malloc (or empty) apps/mallocbench.
BENCH_APPS      = vm:vmbench malloc:mallocbench
BENCH_KERNEL    = $(filter-out $(foreach b,$(BENCH_APPS),$(firstword $(subst :, ,$(b)))),$(subst $(comma), ,$(BENCH)))
comma          := ,

bench: deps image
	$(Q)if [ -z "$(BENCH)" ] || [ -n "$(BENCH_KERNEL)" ]; then \
		$(BENCH_QEMU) -m $(BENCH_MEM) \
			-append 'bench$(if $(BENCH_KERNEL),=$(subst $() ,$(comma),$(BENCH_KERNEL)))' \
			>$(BUILD)/bench.log 2>&1 || { tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	fi
	$(Q)for b in $(BENCH_APPS); do \
		name=$${b%%:*}; app=$${b#*:}; \
		[ -z "$(BENCH)" ] || echo ",$(BENCH)," | grep -q ",$$name," || continue; \
		$(MAKE) APP=$$app BUILD=$(BUILD)/app-$$app LIBFDT_SRC=$(LIBFDT_SRC) image >/dev/null && \
		$(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
			-kernel $(BUILD)/app-$$app/Image -icount shift=0 -m $(BENCH_MEM) \
			-append norandmaps >$(BUILD)/bench.log 2>&1 || { tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	done
	$(Q)for mem in $(filter-out $(BENCH_MEM),$(BENCH_BOOT_MEM)); do \
		$(BENCH_QEMU) -m $$mem -append '-- 0' >$(BUILD)/bench.log 2>&1 || \
			{ tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	done

# ---- housekeeping ------------------------------------------------------------
fmt:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

check:
	$(Q)clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	$(Q)find $(BUILD) -mindepth 1 -maxdepth 1 ! -name libfdt -exec rm -rf {} + 2>/dev/null || true

distclean:
	$(Q)rm -rf $(BUILD)

help:
	@echo "pagoda - make targets"
	@echo "  all        build build/Image (+ .elf, .asm listing, .sym map) and build/virt.dtb"
	@echo "  run        boot APP in QEMU; QEMU exits with the app's status"
	@echo "  gdb        like run, halted with a gdb stub; prints the gdb-multiarch command"
	@echo "  test       every test: host, fuzz, in-image KTAP, QEMU scenarios"
	@echo "  test-host  host unit tests under ASan+UBSan (cmocka); the app's malloc under UBSan"
	@echo "  test-fuzz  the device-tree and malloc fuzzers, FUZZ_SECONDS each (default 20)"
	@echo "  test-qemu  in-image suites and QEMU boot scenarios only"
	@echo "  bench      benchmarks under -icount shift=0: in-image (BENCH=buddy,slab), apps/vmbench"
	@echo "             (BENCH=vm), apps/mallocbench: our malloc vs picolibc's (BENCH=malloc);"
	@echo "             BENCH_MEM=, BENCH_BOOT_MEM="
	@echo "  bench-host host benchmarks: the anti-fragmentation scenario (grouping on and off);"
	@echo "             the app's malloc (LD_PRELOAD) beside glibc, jemalloc, mimalloc, tcmalloc"
	@echo "  fmt        clang-format every C file; check: verify formatting"
	@echo "  clean      remove build/ except the fetched libfdt; distclean: all of it"
	@echo "  deps       install missing Debian packages (run and test do this)"
	@echo "knobs (current value)"
	@echo "  APP=$(APP)  ARGS=$(ARGS)  BOOTARGS=$(BOOTARGS)"
	@echo "  MEM=$(MEM)  SMP=$(SMP)  MACHINE=$(MACHINE)  DTB=$(DTB)"
	@echo "  QEMU_OPTS=$(QEMU_OPTS)  LIBFDT_SRC=$(LIBFDT_SRC)  BUILD=$(BUILD)  V=$(V)"
	@echo "apps: $$(ls apps | grep -vx runtime | xargs)"

FORCE:

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
