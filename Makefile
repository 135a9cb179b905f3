# SPDX-License-Identifier: MIT
# pagoda - a bare-metal RISC-V runtime with Linux's memory manager, small.
# `make help` lists the targets and knobs; docs/build.md explains the build.

APP       ?= memtour
ELF       ?=
ARGS      ?=
BOOTARGS  ?=
ENV       ?=
STDIN     ?=
MEM       ?= 256M
SWAP      ?= 256M
MACHINE   ?= virt
SMP       ?= $(if $(filter sifive_u,$(MACHINE)),2,1)
DTB       ?=
BOARD     ?=
QEMU_OPTS ?=
BUILD     ?= build
WERROR    ?= 0
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
MKSWAP   ?= $(firstword $(wildcard /usr/sbin/mkswap /sbin/mkswap) mkswap)

LIBFDT_SRC ?= $(BUILD)/libfdt/src

# musl and Lua, from Debian's source packages (below, "musl and Lua"): the
# folders they are fetched into, built in and installed to.
MUSL ?= $(BUILD)/musl
LUA  ?= $(BUILD)/lua
MUSL_GCC  = $(abspath $(MUSL))/bin/musl-gcc
LUA_ELFS  = $(LUA)/lua-glibc $(LUA)/lua-musl

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
	       boot/bootargs.c boot/memory.c \
	       hal/riscv/sbi.c hal/riscv/trap.S hal/riscv/trap.c \
	       hal/riscv/backtrace.c hal/riscv/timer.c hal/riscv/shutdown.c \
	       hal/riscv/plic.c hal/riscv/switch.S hal/riscv/kthread.c \
	       hal/serial/ns16550.c hal/rtc/goldfish.c \
	       hal/virtio/mmio.c hal/virtio/virtqueue.c hal/virtio/blk.c \
	       lib/printk.c lib/panic.c lib/ksyms.c lib/rbtree.c lib/strbuf.c \
	       lib/random.c \
	       kernel/exit.c kernel/syscall.c kernel/procfs.c \
	       kernel/file.c kernel/tty.c kernel/time.c \
	       kernel/sysinfo.c kernel/signal.c kernel/report.c kernel/stdin.c \
	       kernel/sysctl.c kernel/oom.c kernel/futex.c kernel/sched.c \
	       kernel/clone.c hal/riscv/fpu.S \
	       vm/early.c vm/pgtable.c vm/vmemmap.c vm/kmap.c vm/vmalloc.c \
	       vm/mm.c vm/mmap.c vm/fault.c vm/uaccess.S vm/uaccess.c \
	       vm/exec.c vm/app_symbols.c vm/proc_show.c vm/vmstat.c vm/swap.c \
	       vm/swap_header.c vm/swapfile.c vm/swap_state.c vm/rmap.c \
	       vm/vmscan.c vm/mlock.c vm/page_io.c \
	       alloc/memblock.c alloc/memmap.c alloc/zone.c alloc/page_alloc.c \
	       alloc/validate.c alloc/vmstat.c \
	       alloc/slab.c alloc/slab_debug.c alloc/kmalloc.c alloc/mempool.c \
	       $(if $(filter 1,$(TEST_IMAGE)),$(wildcard tests/kernel/*.c))
LIBFDT_SRCS := fdt.c fdt_ro.c fdt_rw.c fdt_wip.c fdt_strerror.c fdt_addresses.c
MALLOC_SRCS := alloc/malloc/malloc.c alloc/malloc/bins.c alloc/malloc/heap.c \
	       alloc/malloc/mapped.c alloc/malloc/align.c alloc/malloc/info.c \
	       alloc/malloc/check.c alloc/malloc/pages.c alloc/malloc/heaps.c \
	       alloc/malloc/sys.c

# The app: APP names a folder of apps/ (APP=hello; by default apps/memtour,
# the memory tour) or, with a slash in it, a folder anywhere (APP=../myapp, APP=/abs/myapp); the folder's name is the
# app's (build/apps/NAME.elf). Its own *.c files are built into
# build/apps/NAME/app/, the runtime's and malloc's beside them.
#
# Three kinds (docs/linux-programs.md): a picolibc app (the default); a
# folder holding a linux.mk, built by Debian's Linux toolchain as a static
# glibc program (riscv64-linux-gnu-gcc -static; g++ for *.cc, *.cpp); and
# ELF=path, any static riscv64 Linux program embedded as it is (APP unused).
APP_DIR     := $(patsubst %/,%,$(if $(findstring /,$(APP)),$(APP),apps/$(APP)))
APP_KIND    := $(if $(ELF),elf,$(if $(wildcard $(APP_DIR)/linux.mk),linux,picolibc))
ifeq ($(APP_KIND),elf)
APP_DIR     := $(abspath $(ELF))
endif
APP_NAME    := $(notdir $(APP_DIR))
APPS        := $(filter-out runtime,$(notdir $(patsubst %/,%,$(wildcard apps/*/))))
APP_SRCS     = $(wildcard $(APP_DIR)/*.c)
APP_LIB_SRCS = apps/runtime/crt0.S $(wildcard apps/runtime/*.c) $(MALLOC_SRCS)

# KOBJ: where the kernel's and libfdt's objects go. They do not depend on
# the app, so builds of many apps may share one set: the test runner builds
# each app in BUILD=<build>/app-NAME with KOBJ=<build> (one after another).
KOBJ        ?= $(BUILD)
KERNEL_OBJS := $(patsubst %,$(KOBJ)/kernel/%.o,$(KERNEL_SRCS))
LIBFDT_OBJS := $(patsubst %,$(KOBJ)/libfdt/obj/%.o,$(LIBFDT_SRCS))
APP_OUT      = $(BUILD)/apps/$(APP_NAME)
APP_OBJS     = $(patsubst $(APP_DIR)/%,$(APP_OUT)/app/%.o,$(APP_SRCS)) \
	       $(patsubst %,$(APP_OUT)/%.o,$(APP_LIB_SRCS))
APP_ELF      = $(BUILD)/apps/$(APP_NAME).elf
IMAGE_OBJS   = $(KERNEL_OBJS) $(LIBFDT_OBJS) $(BUILD)/app_blob.o

# A goal that builds the app refuses a missing one before anything is made
# (build/app.name says it again for a goal not listed here).
APP_GOALS   := all image run gdb test test-host test-qemu bench bench-quick
NO_APP       = no app '$(APP)': $(if $(filter apps/runtime,$(APP_DIR)),apps/runtime is what \
	       every app is linked with; ,$(if $(findstring /,$(APP)),$(APP_DIR) is not a \
	       folder with .c files; ))apps/ has $(APPS); APP= takes one of them or a path \
	       to a folder of .c files (APP=../myapp)
APP_MISSING  = $(if $(filter apps/runtime,$(APP_DIR)),1,$(if $(wildcard $(APP_DIR)/*.c $(if \
	       $(filter linux,$(APP_KIND)),$(APP_DIR)/*.cc $(APP_DIR)/*.cpp)),,1))
ifeq ($(APP_KIND),elf)
NO_APP       = ELF=$(ELF): no such file (ELF= names a static riscv64 Linux program)
# A file this Makefile makes (make lua's) is made first; any other must exist.
ELF_MADE     = $(firstword $(foreach f,$(LUA_ELFS),$(if $(filter $(abspath $(f)),$(abspath $(ELF))),$(f))))
APP_MISSING  = $(if $(ELF_MADE),,$(if $(wildcard $(ELF)),$(if $(shell [ -f '$(ELF)' ] && echo f),,1),1))
endif
ifneq ($(filter $(APP_GOALS) $(BUILD)/%,$(or $(MAKECMDGOALS),all)),)
ifneq ($(APP_MISSING),)
$(error $(NO_APP))
endif
endif

# A Linux-toolchain app (apps/NAME/linux.mk, included here, may add to
# APP_LINUX_CFLAGS, APP_LINUX_LDFLAGS and APP_LINUX_LDLIBS): Debian's static
# glibc, or with APP_LIBC = musl (in linux.mk, or on the command line, which
# wins) musl, built here by make musl, through its musl-gcc.
LINUX_CROSS   ?= riscv64-linux-gnu-
APP_LIBC      ?= glibc
APP_LINUX_CFLAGS  := -O2 -g -Wall -Wextra -MMD -MP
APP_LINUX_LDFLAGS := -static
APP_LINUX_LDLIBS  :=
ifeq ($(APP_KIND),linux)
include $(APP_DIR)/linux.mk
endif
APP_LINUX_SRCS     = $(wildcard $(APP_DIR)/*.c $(APP_DIR)/*.cc $(APP_DIR)/*.cpp)
APP_LINUX_OBJS     = $(patsubst $(APP_DIR)/%,$(APP_OUT)/linux/%.o,$(APP_LINUX_SRCS))
APP_LINUX_CXX      = $(filter %.cc %.cpp,$(APP_LINUX_SRCS))
ifeq ($(APP_LIBC),musl)
APP_LINUX_CC       = $(MUSL_GCC)
APP_LINUX_LD       = $(MUSL_GCC)
APP_LINUX_TOOL     = $(MUSL_GCC)
else
APP_LINUX_CC       = $(LINUX_CROSS)gcc
APP_LINUX_LD       = $(LINUX_CROSS)$(if $(APP_LINUX_CXX),g++,gcc)
APP_LINUX_TOOL     =
endif

# APP_LIBC is glibc or musl, for a linux.mk folder; and musl takes C only:
# Debian's libstdc++ is glibc's (its bits/os_defines.h tests __GLIBC_PREREQ,
# bits/c++locale.h uses glibc's __locale_t, libstdc++.a calls glibc's
# internals), and musl-gcc's -nostdinc leaves its headers out.
ifneq ($(filter $(APP_GOALS) $(BUILD)/%,$(or $(MAKECMDGOALS),all)),)
ifneq ($(APP_LIBC),$(filter glibc musl,$(APP_LIBC)))
$(error APP_LIBC=$(APP_LIBC): glibc (the default) or musl)
endif
ifeq ($(APP_LIBC),musl)
ifneq ($(APP_KIND),linux)
$(error APP_LIBC=musl: $(if $(filter elf,$(APP_KIND)),ELF=$(ELF) is linked already,$(APP_DIR) is a picolibc app); APP_LIBC chooses the C library of a folder with a linux.mk)
endif
endif
ifneq ($(and $(filter musl,$(APP_LIBC)),$(APP_LINUX_CXX)),)
$(error APP_LIBC=musl: $(APP_DIR) has C++ ($(notdir $(APP_LINUX_CXX))), and C++ builds against glibc only: Debian's libstdc++ is made for glibc (its headers test __GLIBC_PREREQ and use __locale_t; docs/linux-programs.md))
endif
endif

# The app: hosted C against picolibc, our headers first (sys/mman.h...).
# Warnings are errors only with WERROR=1, which the tests set for our apps
# (make test, tests/run.py); a user's app gets its warnings and builds.
APP_CFLAGS  := $(ARCH) -std=gnu11 -O2 -g -Wall -Wextra -fno-common \
	       -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	       -fno-asynchronous-unwind-tables -Iapps/runtime/include \
	       -isystem $(PICOLIBC)/include -I. -MMD -MP
APP_WERROR   = $(if $(filter 1,$(WERROR)),-Werror)

LIBFDT_STAMP := $(LIBFDT_SRC)/libfdt.h

# ---- object flavours -----------------------------------------------------------
# A flavour is a way of compiling: a folder, a compiler and its flags. Every
# object of every flavour comes from this one template:
#
#   $(call objects,OUT,SRC,COMPILER,NOTE,PREREQUISITES,FLAGS)
#
# OUT/<path>.c.o from SRC<path>.c (and OUT/<path>.S.o from SRC<path>.S, with
# -D__ASSEMBLER__), by $(COMPILER) FLAGS; the log says "CC <source>NOTE"
# ("HOSTCC" for HOST_CC, "AS" for .S). Write variables in FLAGS and NOTE as
# $$(NAME): they are then read when the recipe runs, so a target-specific
# value (CFLAGS += ... for one object) still applies.
define objects
$(1)/%.c.o: $(2)%.c $(5)
	@mkdir -p $$(@D)
	@printf '  %-7s %s\n' $(if $(filter HOST_CC,$(3)),HOSTCC,CC) '$$<$(4)'
	$$(Q)$$($(3)) $(6) -c $$< -o $$@

$(1)/%.S.o: $(2)%.S $(5)
	@mkdir -p $$(@D)
	@printf '  %-7s %s\n' AS '$$<$(4)'
	$$(Q)$$($(3)) $(6) -D__ASSEMBLER__ -c $$< -o $$@
endef
comma := ,

# The image's flavours (the host's are in tests/host/host.mk):
#   kernel  the runtime, freestanding
#   libfdt  libfdt from LIBFDT_SRC (not our code: its one exception to the
#           warnings), each function in its section for --gc-sections
#   app     the app's own files (APP_DIR), then the runtime's and malloc's,
#           hosted against picolibc; build/apps/NAME/cflags holds the folder
#           and the flags: a change (WERROR=1 after a build without, another
#           folder of the same name) rebuilds them
$(eval $(call objects,$(KOBJ)/kernel,,CC,,| $$(LIBFDT_STAMP),$$(CFLAGS)))
$(eval $(call objects,$(KOBJ)/libfdt/obj,$(LIBFDT_SRC)/,CC,,| $$(LIBFDT_STAMP),\
	$$(CFLAGS) -Wno-sign-compare -ffunction-sections -fdata-sections))
$(eval $(call objects,$(APP_OUT)/app,$(APP_DIR)/,CC, ($$(APP_NAME)),$(APP_OUT)/cflags | deps,\
	$$(APP_CFLAGS) $$(APP_WERROR)))
$(eval $(call objects,$(APP_OUT),,CC, ($$(APP_NAME)),$(APP_OUT)/cflags | deps,\
	$$(APP_CFLAGS) $$(APP_WERROR)))

# libfdt's sources appear with the fetch (they are never made, only named
# as prerequisites: no implicit rule may take them for intermediate files)
$(addprefix $(LIBFDT_SRC)/,$(LIBFDT_SRCS)): | $(LIBFDT_STAMP) ;

.PHONY: all image run gdb musl lua test test-image test-host test-qemu test-fuzz bench bench-quick \
	bench-report fmt check graph \
	syscall-table \
	clean distclean help deps FORCE
.DEFAULT_GOAL := all

all: image $(BUILD)/virt.dtb
image: $(BUILD)/Image $(BUILD)/pagoda.asm $(BUILD)/pagoda.sym
	$(if $(BOARD),$(Q)scripts/board.sh $(BOARD) $(BUILD)/Image '$(CMDLINE)' | tee $(BUILD)/boot-$(BOARD).txt)

deps:
	$(Q)scripts/deps.sh

# ---- libfdt: fetched, never committed --------------------------------------
$(BUILD)/libfdt/src/libfdt.h: | deps
	$(Q)scripts/fetch-libfdt.sh $(BUILD)/libfdt/src

# ---- musl and Lua: Debian's sources, built here, never committed -------------
# scripts/fetch-source.sh puts a Debian source package (patches applied) in
# a folder, adding the deb-src entries apt needs first (docs/linux-programs.md).
#
# musl (Debian 12: 1.2.3) for riscv64, configured in MUSL/obj by Debian's
# cross compiler, static only, installed into MUSL itself: MUSL/lib/libc.a,
# MUSL/include, and MUSL/bin/musl-gcc, musl's wrapper running
# riscv64-linux-gnu-gcc with its specs (checked: the file is made once, and
# only if the wrapper calls that compiler). The log is MUSL/build.log.
MUSL_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

musl: $(MUSL_GCC)

$(MUSL)/src/SOURCE: | deps
	$(Q)scripts/fetch-source.sh musl $(MUSL)/src

$(MUSL_GCC): $(MUSL)/src/SOURCE | deps
	@echo "  MUSL    $(MUSL): configure, make -j$(MUSL_JOBS), install ($(MUSL)/build.log)"
	$(Q)rm -rf $(MUSL)/obj $(MUSL)/bin $(MUSL)/lib $(MUSL)/include && mkdir -p $(MUSL)/obj && \
	(cd $(MUSL)/obj && ../src/configure --target=$(LINUX_CROSS:-=) \
		CROSS_COMPILE=$(LINUX_CROSS) --disable-shared --prefix=$(abspath $(MUSL)) && \
	MAKEFLAGS= make -j$(MUSL_JOBS) && MAKEFLAGS= make install) >$(MUSL)/build.log 2>&1 || \
		{ tail -20 $(MUSL)/build.log; echo "musl: the build failed ($(MUSL)/build.log)"; \
		rm -f $@; exit 1; }
	$(Q)grep -q 'REALGCC:-$(LINUX_CROSS)gcc}' $@ || { cat $@; rm -f $@; \
		echo "musl: $@ does not run $(LINUX_CROSS)gcc"; exit 1; }
	$(Q)touch $@

# Lua 5.4 (Debian 12: 5.4.4) from LUA/src/src, by our own rules (Debian's
# makefile builds with libtool): the interpreter, static, twice: LUA/lua-glibc
# (riscv64-linux-gnu-gcc) and LUA/lua-musl (musl-gcc). LUA_USE_POSIX, no
# readline, no dlopen (require finds only Lua files). Debian's luaconf.h
# includes the header its rules write, naming the multiarch folder of
# require's C path: LUA/gen/lua5.4-deb-multiarch.h is it.
LUA_SRC     = $(LUA)/src/src
LUA_GEN     = $(LUA)/gen/lua5.4-deb-multiarch.h
LUA_FILES  := lapi.c lcode.c lctype.c ldebug.c ldo.c ldump.c lfunc.c lgc.c llex.c \
	      lmem.c lobject.c lopcodes.c lparser.c lstate.c lstring.c ltable.c ltm.c \
	      lundump.c lvm.c lzio.c lauxlib.c lbaselib.c lcorolib.c ldblib.c liolib.c \
	      lmathlib.c loadlib.c loslib.c lstrlib.c ltablib.c lutf8lib.c linit.c lua.c
LUA_CFLAGS  = -O2 -g -std=gnu99 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_POSIX \
	      -I$(dir $(LUA_GEN)) -MMD -MP
LUA_CC_glibc = $(LINUX_CROSS)gcc
LUA_CC_musl  = $(MUSL_GCC)

lua: $(LUA_ELFS)

$(LUA)/src/SOURCE: | deps
	$(Q)scripts/fetch-source.sh lua5.4 $(LUA)/src

# the sources appear with the fetch (named, never made: see libfdt's)
$(addprefix $(LUA_SRC)/,$(LUA_FILES)): | $(LUA)/src/SOURCE ;

$(LUA_GEN):
	@mkdir -p $(@D)
	$(Q)printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define %s "%s"\n#endif\n' \
		DEB_HOST_MULTIARCH $(LINUX_CROSS:-=) >$@

$(eval $(call objects,$(LUA)/obj-glibc,$(LUA_SRC)/,LUA_CC_glibc, (lua, glibc),\
	$(LUA_GEN) | $(LUA)/src/SOURCE,$$(LUA_CFLAGS)))
$(eval $(call objects,$(LUA)/obj-musl,$(LUA_SRC)/,LUA_CC_musl, (lua, musl),\
	$(LUA_GEN) $(MUSL_GCC) | $(LUA)/src/SOURCE,$$(LUA_CFLAGS)))

$(LUA)/lua-glibc: $(patsubst %,$(LUA)/obj-glibc/%.o,$(LUA_FILES))
$(LUA)/lua-musl: $(patsubst %,$(LUA)/obj-musl/%.o,$(LUA_FILES))
$(LUA_ELFS):
	@echo "  LD      $@ ($(@F:lua-%=%))"
	$(Q)$(LUA_CC_$(@F:lua-%=%)) -static -o $@ $^ -lm

# ---- the image ---------------------------------------------------------------
$(KOBJ)/kernel/vm/early.c.o: CFLAGS += -fno-jump-tables

APP_FLAGS_KEY = $(APP_KIND) $(APP_DIR) $(if $(filter linux,$(APP_KIND)),$(APP_LIBC) $(APP_LINUX_CC) \
		$(APP_LINUX_CFLAGS) $(APP_LINUX_LDFLAGS) $(APP_LINUX_LDLIBS),$(APP_CFLAGS)) $(APP_WERROR)
$(APP_OUT)/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(APP_FLAGS_KEY)' | cmp -s - $@ || echo '$(APP_FLAGS_KEY)' >$@

# ---- apps/mallocbench: picolibc's nano-malloc beside ours --------------------
# Objects linked into the app besides its sources. mallocbench measures our
# malloc against picolibc's, taken out of libc.a with every symbol renamed
# (nano_malloc, nano_free... over nano_sbrk, which the app defines).
APP_EXTRA_OBJS :=
ifeq ($(APP_DIR),apps/mallocbench)
APP_EXTRA_OBJS := $(BUILD)/apps/mallocbench/nano-malloc.o

$(BUILD)/apps/mallocbench/nano-malloc.o: scripts/nano-malloc.sh $(LIBC)
	@mkdir -p $(@D)
	@echo "  NANO    $@"
	$(Q)scripts/nano-malloc.sh $(CROSS) $(LIBC) $@
endif
# ---- end of apps/mallocbench -------------------------------------------------

# The app's own ELF at user addresses; the image carries it without debug
# information (build/apps/NAME.elf keeps it for gdb).
ifeq ($(APP_KIND),picolibc)
$(APP_ELF): $(APP_OBJS) $(APP_EXTRA_OBJS) apps/runtime/app.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(ARCH) -nostdlib -static -Wl,--gc-sections \
		-Wl,-Map=$(BUILD)/apps/$(APP_NAME).map -T apps/runtime/app.ld \
		-o $@ $(APP_OBJS) $(APP_EXTRA_OBJS) $(LIBC) $(LIBGCC)
	$(Q)scripts/check-app-malloc.sh $(BUILD)/apps/$(APP_NAME).map || { rm -f $@; exit 1; }
	$(Q)$(OBJCOPY) --strip-debug $@ $(BUILD)/apps/$(APP_NAME).stripped
endif

# A Linux-toolchain app: each source by gcc (C) or g++ (C++), linked static;
# with APP_LIBC=musl by musl-gcc (make musl first, once).
ifeq ($(APP_KIND),linux)
$(APP_OUT)/linux/%.c.o: $(APP_DIR)/%.c $(APP_OUT)/cflags $(APP_LINUX_TOOL) | deps
	@mkdir -p $(@D)
	@echo "  CC      $< ($(APP_NAME), $(APP_LIBC))"
	$(Q)$(APP_LINUX_CC) $(APP_LINUX_CFLAGS) $(APP_WERROR) -c $< -o $@
$(APP_OUT)/linux/%.cc.o: $(APP_DIR)/%.cc $(APP_OUT)/cflags | deps
	@mkdir -p $(@D)
	@echo "  CXX     $< ($(APP_NAME), glibc)"
	$(Q)$(LINUX_CROSS)g++ $(APP_LINUX_CFLAGS) $(APP_WERROR) -c $< -o $@
$(APP_OUT)/linux/%.cpp.o: $(APP_DIR)/%.cpp $(APP_OUT)/cflags | deps
	@mkdir -p $(@D)
	@echo "  CXX     $< ($(APP_NAME), glibc)"
	$(Q)$(LINUX_CROSS)g++ $(APP_LINUX_CFLAGS) $(APP_WERROR) -c $< -o $@
-include $(APP_LINUX_OBJS:.o=.d)

$(APP_ELF): $(APP_LINUX_OBJS) $(APP_DIR)/linux.mk $(APP_LINUX_TOOL)
	@echo "  LD      $@ ($(APP_LIBC))"
	$(Q)$(APP_LINUX_LD) $(APP_LINUX_LDFLAGS) -o $@ $(APP_LINUX_OBJS) $(APP_LINUX_LDLIBS)
	$(Q)$(OBJCOPY) --strip-debug $@ $(BUILD)/apps/$(APP_NAME).stripped
endif

# ELF=path: the file as it is (the kernel checks it at boot: a program it
# refuses is a message and a non-zero status, not a build error), without
# its debug information if objcopy reads it.
ifeq ($(APP_KIND),elf)
$(APP_ELF): $(or $(ELF_MADE),$(ELF)) $(BUILD)/app.name
	@mkdir -p $(@D)
	@echo "  ELF     $< -> $@"
	$(Q)cp $< $@
	$(Q)$(OBJCOPY) --strip-debug $@ $(BUILD)/apps/$(APP_NAME).stripped 2>/dev/null || \
		cp $@ $(BUILD)/apps/$(APP_NAME).stripped
endif

$(BUILD)/app_blob.o: boot/app_blob.S $(APP_ELF) $(BUILD)/app.name
	@echo "  AS      $< ($(APP_NAME))"
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLER__ -DAPP_NAME='"$(APP_NAME)"' \
		-DAPP_ELF='"$(BUILD)/apps/$(APP_NAME).stripped"' -c $< -o $@

# The image is relinked when APP changes, even to an older build.
$(BUILD)/app.name: FORCE
	@mkdir -p $(@D)
	$(if $(APP_MISSING),@echo "$(NO_APP)"; exit 1)
	@echo $(APP_DIR) | cmp -s - $@ || echo $(APP_DIR) >$@

$(BUILD)/image.ld: boot/image.ld.S hal/riscv/layout.h
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
# The boot options, from boot/bootargs.c's bootargs_known[] (name, comment).
BOOT_OPTIONS_AWK = '/bootargs_known\[\] = \{/ { on = 1; next } on && /^\};/ { exit } \
	on && match($$0, /"[^"]*"/) { name = substr($$0, RSTART + 1, RLENGTH - 2); c = ""; \
	if (match($$0, /\/\*.*\*\//)) { c = substr($$0, RSTART + 2, RLENGTH - 4); \
	gsub(/^[ \t]+|[ \t]+$$/, "", c) } printf FMT, name, c }'

# A real board (docs/boards.md): the Image is the same for all (the device
# tree says everything); BOARD makes `make image` print the vendor device
# tree and the U-Boot commands (scripts/board.sh) into BUILD/boot-BOARD.txt.
BOARDS := visionfive2 unmatched
ifneq ($(BOARD),)
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error BOARD=$(BOARD) is not a board pagoda knows: $(BOARDS) (docs/boards.md))
endif
ifneq ($(filter run gdb,$(MAKECMDGOALS)),)
$(error BOARD=$(BOARD) is for `make image` (the board boots it with U-Boot); QEMU's nearest machine is MACHINE=sifive_u)
endif
endif

# The knobs of run and gdb are checked before anything is built: a mistake
# is a message here, not a QEMU error or a silent hang.
#   MEM as QEMU reads it: a number with K, M, G or T (either case), B for
#   bytes, MiB without a suffix. Below 5M, QEMU's virt and sifive_u put their
#   device tree (1 MiB below the end of RAM, rounded down to 2 MiB) over the
#   Image at 0x80200000 and refuse to start ("regions overlap").
#   ENV: KEY=VALUE words, none of them a boot option.
#   STDIN: a readable regular file.
#   DTB: one of ours (BUILD/NAME.dtb from NAME.dts) is built first and
#   checked in the recipe; any other file here. dtc reads it: firmware given
#   a truncated or damaged tree hangs without a word. DTB_PROBLEM says what
#   is wrong, or nothing.
DTB_BUILT   = $(if $(wildcard $(patsubst $(BUILD)/%.dtb,%.dts,$(filter $(BUILD)/%.dtb,$(DTB)))),$(DTB))
DTB_PROBLEM = if [ ! -f '$(DTB)' ]; then echo "no such file"; \
	      elif ! err=$$($(DTC) -q -I dtb -O dtb -o /dev/null '$(DTB)' 2>&1); then \
	      echo "not a device tree blob firmware can read (dtc: $$(echo "$$err" | \
	      sed 's/^FATAL ERROR: //'))"; fi
DTB_CHECK   = $(if $(DTB_BUILT),@p=$$($(DTB_PROBLEM)); [ -z "$$p" ] || \
	      { echo "DTB=$(DTB): $$p; QEMU not started"; exit 1; })
MEM_MIN       := 5M
MEM_MIN_BYTES := 5242880
ifneq ($(filter run gdb,$(MAKECMDGOALS)),)
ifneq ($(and $(DTB),$(if $(DTB_BUILT),,1)),)
DTB_WRONG := $(shell $(DTB_PROBLEM))
ifneq ($(DTB_WRONG),)
$(error DTB=$(DTB): $(DTB_WRONG); QEMU not started)
endif
endif
MEM_CHECK := $(shell echo '$(MEM)' | awk -v min=$(MEM_MIN_BYTES) '{ if ($$0 !~ /^[0-9]+(\.[0-9]+)?[bBkKmMgGtT]?$$/) { \
	print "bad"; exit } u = toupper(substr($$0, length($$0))); \
	f = u == "B" ? 1 : u == "K" ? 1024 : u == "G" ? 1073741824 : \
	u == "T" ? 1099511627776 : 1048576; print (($$0 + 0) * f < min ? "small" : "ok") }')
ifeq ($(MEM_CHECK),bad)
$(error MEM=$(MEM) is not a size: say 256M or 2G (a plain number is MiB, as QEMU reads it))
endif
ifeq ($(MEM_CHECK),small)
$(error MEM=$(MEM) is too small: pagoda boots with MEM=$(MEM_MIN) or more (below that QEMU puts its device tree over the Image))
endif
ifneq ($(shell echo '$(SMP)' | grep -x '[1-9][0-9]*'),$(SMP))
$(error SMP=$(SMP) is not a number of harts (1 or more; sifive_u: 2 to 5))
endif
ENV_BAD := $(strip $(foreach w,$(ENV),$(if $(findstring =,$(w))$(findstring ",$(w)),,$(w))))
ifneq ($(ENV_BAD),)
$(error ENV="$(ENV)": each word is KEY=VALUE, and '$(firstword $(ENV_BAD))' is not)
endif
ENV_OPTS := $(filter $(addsuffix =%,$(shell awk -v FMT='%s\n' $(BOOT_OPTIONS_AWK) boot/bootargs.c)),$(ENV))
ifneq ($(ENV_OPTS),)
$(error ENV="$(ENV)": $(firstword $(ENV_OPTS)) is a boot option, not an environment word (BOOTARGS=$(firstword $(ENV_OPTS))))
endif
ifneq ($(STDIN),)
ifneq ($(shell [ -e '$(STDIN)' ] && echo ok),ok)
$(error STDIN=$(STDIN): no such file (STDIN= names a file, the app's standard input))
endif
ifneq ($(shell [ ! -s '$(STDIN)' ] || { [ -f '$(STDIN)' ] && [ -r '$(STDIN)' ]; } && echo ok),ok)
$(error STDIN=$(STDIN) is not a readable regular file (QEMU loads it as the initrd))
endif
endif
# An empty file (or /dev/null) is no initrd to QEMU: stdin=null says "at EOF".
STDIN_NULL = $(if $(STDIN),$(shell [ -s '$(STDIN)' ] || echo 1))
endif

# The swap disk (docs/swap.md): SWAP bytes of BUILD/swap.img made by mkswap
# (sparse: it takes no room until written), a virtio-blk device of QEMU's
# virt machine (sifive_u has no virtio bus: no disk there); SWAP=0, none.
# SWAP is read as MEM is (256M, 1G, a plain number is MiB), 40K at least:
# mkswap's smallest area, ten pages. BUILD/swap.size holds the bytes it was
# made with: another size makes it again, the same size keeps it.
SWAP_IMG       := $(BUILD)/swap.img
SWAP_MIN       := 40K
SWAP_MIN_BYTES := 40960
ifneq ($(filter run gdb %swap.img,$(MAKECMDGOALS)),)
SWAP_BYTES := $(shell echo '$(SWAP)' | awk '{ if ($$0 !~ /^[0-9]+(\.[0-9]+)?[bBkKmMgGtT]?$$/) { \
	print "bad"; exit } u = toupper(substr($$0, length($$0))); \
	f = u == "B" ? 1 : u == "K" ? 1024 : u == "G" ? 1073741824 : \
	u == "T" ? 1099511627776 : 1048576; printf "%.0f\n", int(($$0 + 0) * f) }')
ifeq ($(SWAP_BYTES),bad)
$(error SWAP=$(SWAP) is not a size: say 256M or 1G (a plain number is MiB), or SWAP=0 for no swap disk)
endif
ifneq ($(SWAP_BYTES),0)
ifeq ($(shell [ $(SWAP_BYTES) -lt $(SWAP_MIN_BYTES) ] && echo small),small)
$(error SWAP=$(SWAP) is too small: mkswap makes $(SWAP_MIN) at least (SWAP=0 for no swap disk))
endif
endif
endif
SWAP_ON   = $(if $(filter virt,$(MACHINE)),$(filter-out 0,$(SWAP_BYTES)))
SWAP_QEMU = -drive file=$(SWAP_IMG),if=none,format=raw,id=swap \
	    -device virtio-blk-device,drive=swap

$(BUILD)/swap.size: FORCE
	@mkdir -p $(@D)
	$(if $(filter-out 0,$(SWAP_BYTES)),@echo '$(SWAP_BYTES)' | cmp -s - $@ || echo '$(SWAP_BYTES)' >$@)

$(SWAP_IMG): $(BUILD)/swap.size | deps
	$(if $(filter-out 0,$(SWAP_BYTES)),,@echo "SWAP=$(SWAP): no swap disk to make"; exit 1)
	@echo "  MKSWAP  $@ ($(SWAP))"
	$(Q)rm -f $@ $@.tmp && truncate -s $(SWAP_BYTES) $@.tmp && chmod 600 $@.tmp && \
		$(MKSWAP) -q -L pagoda-swap $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

# The kernel command line (boot/bootargs.c): boot options, the app's
# environment (KEY=VALUE words, which the kernel passes on as Linux does to
# init), then "--" and the app's argv. STDIN=file is QEMU's -initrd, which
# boot option stdin=initrd makes the app's descriptor 0 (kernel/stdin.c);
# the console stays the terminal on 1 and 2.
CMDLINE    = $(strip $(BOOTARGS) $(if $(STDIN),$(if $(STDIN_NULL),stdin=null,stdin=initrd)) \
	       $(ENV) $(if $(ARGS),-- $(ARGS)))
QEMU_ARGS  = -machine $(MACHINE) -m $(MEM) -smp $(SMP) -nographic -no-reboot \
	     -bios default \
	     -kernel $(BUILD)/Image $(if $(DTB),-dtb $(DTB)) \
	     $(if $(STDIN),$(if $(STDIN_NULL),,-initrd '$(STDIN)')) \
	     $(if $(CMDLINE),-append '$(CMDLINE)') \
	     $(if $(SWAP_ON),$(SWAP_QEMU)) \
	     $(QEMU_OPTS)

run: deps image $(DTB_BUILT) $(if $(SWAP_ON),$(SWAP_IMG))
	$(DTB_CHECK)
	$(Q)$(QEMU) $(QEMU_ARGS)

gdb: deps image $(DTB_BUILT) $(if $(SWAP_ON),$(SWAP_IMG))
	$(DTB_CHECK)
	@echo "QEMU is halted at the reset vector with a gdb stub on :1234. In another shell:"
	@echo "  gdb-multiarch -q $(BUILD)/pagoda.elf -ex 'target remote :1234' -ex 'break boot_main' -ex continue"
	$(Q)$(QEMU) $(QEMU_ARGS) -s -S

# ---- tests -------------------------------------------------------------------
include alloc/malloc/linux.mk
include apps/membench/membench.mk
include tests/linux/progs.mk
include tests/host/host.mk

# The tests build our apps strictly (WERROR=0 on the command line still wins).
test test-qemu test-host: WERROR = 1

# The shipped image holds the runtime alone; the in-image test suites and
# benchmarks (tests/kernel/) are linked into a second one, the test image.
TEST_IMAGE ?= 0
KTEST_BUILD = $(BUILD)/ktest

test-image: deps
	$(Q)$(MAKE) BUILD=$(KTEST_BUILD) LIBFDT_SRC=$(LIBFDT_SRC) TEST_IMAGE=1 APP=hello image

test: deps all test-image
	$(Q)python3 tests/run.py --build $(BUILD)

test-qemu: deps all test-image
	$(Q)python3 tests/run.py --build $(BUILD) --only ktest,qemu

# ---- benchmarks ----------------------------------------------------------------
# The in-image benchmarks (bench=BENCH, all if empty; "vm" is apps/vmbench,
# the app's view of faults and syscalls; "malloc" is apps/mallocbench, our
# malloc against picolibc's) under -icount shift=0,
# where instret counts instructions exactly, at BENCH_MEM; then one boot at
# each BENCH_BOOT_MEM for the cost of setting memory up. Prints the
# "bench: <name> key=value..." lines; docs/memory.md explains them.
#
# Everything a run prints also lands in BENCH_DIR (build/bench/, emptied
# first): kernel.lines (every bench: line of the boots), and with BENCH
# empty or naming them, "host" (make bench-host: fragmentation.lines,
# host.jsonl) and "membench" (make bench-membench, apps/membench:
# membench.jsonl). Then scripts/bench-report.py writes
# report.md, report.html and plots/*.svg from whatever is there
# (docs/bench.md). bench-quick: the same with BENCH_QUICK=1 (quarter-size
# host runs, membench's quick form, swap at 32M with 256M of swap).
BENCH          ?=
BENCH_MEM      ?= 256M
BENCH_BOOT_MEM ?= 2G
BENCH_QEMU      = $(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
		  -kernel $(KTEST_BUILD)/Image -icount shift=0
BENCH_DIR      ?= $(BUILD)/bench
BENCH_LINES     = scripts/bench-lines.sh $(BUILD)/bench.log | tee -a $(BENCH_DIR)/kernel.lines

# The app benchmarks (name:app), each in U-mode from its own image: BENCH=vm
# (or empty) runs apps/vmbench, BENCH=malloc (or empty) apps/mallocbench.
BENCH_APPS      = vm:vmbench malloc:mallocbench
BENCH_KERNEL    = $(filter-out swap host membench $(foreach b,$(BENCH_APPS),$(firstword $(subst :, ,$(b)))),$(subst $(comma), ,$(BENCH)))
# BENCH=swap (or empty): scripts/bench-swap.sh, swap's throughput against
# the raw disk's (the test image's bench=virtio_seq on a scratch disk) and
# apps/swapbench at BENCH_SWAP_MEM with a BENCH_SWAP disk, the LRU with
# aging and with lru=fifo; in real time and under -icount (docs/swap.md).
BENCH_SWAP_MEM ?= $(if $(filter 1,$(BENCH_QUICK)),32M,64M)
BENCH_SWAP     ?= $(if $(filter 1,$(BENCH_QUICK)),256M,512M)
bench_wants     = [ -z "$(BENCH)" ] || echo ",$(BENCH)," | grep -q ",$(1),"

bench: deps bench-deps image test-image
	$(Q)rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR) && : >$(BENCH_DIR)/kernel.lines
	$(Q)if [ -z "$(BENCH)" ] || [ -n "$(BENCH_KERNEL)" ]; then \
		$(BENCH_QEMU) -m $(BENCH_MEM) \
			-append 'bench$(if $(BENCH_KERNEL),=$(subst $() ,$(comma),$(BENCH_KERNEL)))' \
			>$(BUILD)/bench.log 2>&1 || { tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	fi
	$(Q)for b in $(BENCH_APPS); do \
		name=$${b%%:*}; app=$${b#*:}; \
		$(call bench_wants,$$name) || continue; \
		$(MAKE) APP=$$app BUILD=$(BUILD)/app-$$app KOBJ=$(BUILD) LIBFDT_SRC=$(LIBFDT_SRC) image >/dev/null && \
		$(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
			-kernel $(BUILD)/app-$$app/Image -icount shift=0 -m $(BENCH_MEM) \
			-append norandmaps >$(BUILD)/bench.log 2>&1 || { tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	done
	$(Q)if $(call bench_wants,swap); then \
		$(MAKE) APP=swapbench BUILD=$(BUILD)/app-swapbench KOBJ=$(BUILD) LIBFDT_SRC=$(LIBFDT_SRC) image >/dev/null && \
		{ scripts/bench-swap.sh "$(QEMU)" $(KTEST_BUILD)/Image $(BUILD)/app-swapbench/Image \
			$(BUILD) $(BENCH_SWAP_MEM) $(BENCH_SWAP); echo $$? >$(BENCH_DIR)/swap.rc; } | \
			tee -a $(BENCH_DIR)/kernel.lines; \
		rc=$$(cat $(BENCH_DIR)/swap.rc); rm -f $(BENCH_DIR)/swap.rc; exit $$rc; \
	fi
	$(Q)for mem in $(filter-out $(BENCH_MEM),$(BENCH_BOOT_MEM)); do \
		$(BENCH_QEMU) -m $$mem -append '-- 0' >$(BUILD)/bench.log 2>&1 || \
			{ tail -20 $(BUILD)/bench.log; exit 1; }; \
		$(BENCH_LINES); \
	done
	$(Q)if $(call bench_wants,host); then \
		$(MAKE) BUILD=$(BUILD) LIBFDT_SRC=$(LIBFDT_SRC) BENCH_DIR=$(BENCH_DIR) \
			BENCH_QUICK=$(BENCH_QUICK) bench-host; \
	fi
	$(Q)if $(call bench_wants,membench); then \
		$(MAKE) BUILD=$(BUILD) LIBFDT_SRC=$(LIBFDT_SRC) \
			$(if $(filter 1,$(BENCH_QUICK)),MEMBENCH_ARGS=quick) bench-membench; \
	fi
	$(Q)$(MAKE) BUILD=$(BUILD) BENCH_DIR=$(BENCH_DIR) bench-report

bench-quick:
	$(Q)$(MAKE) BUILD=$(BUILD) LIBFDT_SRC=$(LIBFDT_SRC) BENCH_QUICK=1 bench

# The report from what BENCH_DIR holds (make bench ends with it).
bench-report: | bench-deps
	$(Q)scripts/bench-report.py --dir $(BENCH_DIR) --qemu $(QEMU)

# ---- housekeeping ------------------------------------------------------------
fmt:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

check:
	$(Q)clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')
	$(Q)scripts/check-layers.sh

# docs/linux-programs.md's system call table, from kernel/syscall.c's
# dispatch (tests/host/test_syscall_table.sh fails when it is stale).
syscall-table:
	$(Q)scripts/syscall-table.py --update
	@echo "  TABLE   docs/linux-programs.md"

# The folder-level include graph (docs/architecture.md shows the same).
graph: | deps
	@mkdir -p $(BUILD)
	$(Q)scripts/include-graph.py dot >$(BUILD)/graph.dot
	$(Q)dot -Tsvg $(BUILD)/graph.dot -o $(BUILD)/graph.svg
	$(Q)scripts/include-graph.py text
	@echo "  GRAPH   $(BUILD)/graph.svg"

clean:
	$(Q)find $(BUILD) -mindepth 1 -maxdepth 1 ! -name libfdt -exec rm -rf {} + 2>/dev/null || true

distclean:
	$(Q)rm -rf $(BUILD)

help:
	@echo "pagoda - make targets"
	@echo "  all        build build/Image (+ .elf, .asm listing, .sym map) and build/virt.dtb"
	@echo "  image      build/Image alone; with BOARD=visionfive2|unmatched also the vendor device"
	@echo "             tree and the U-Boot commands for that board (build/boot-BOARD.txt, docs/boards.md)"
	@echo "  run        boot APP in QEMU (by default the memory tour, apps/memtour);"
	@echo "             QEMU exits with the app's status"
	@echo "  gdb        like run, halted with a gdb stub; prints the gdb-multiarch command"
	@echo "  test       every test: host, fuzz, in-image KTAP, QEMU scenarios, make's knobs"
	@echo "  test-host  host unit tests under ASan+UBSan (cmocka); the app's malloc under UBSan"
	@echo "  test-fuzz  the device-tree and malloc fuzzers, FUZZ_SECONDS each (default 20)"
	@echo "  test-qemu  in-image suites and QEMU boot scenarios only"
	@echo "  test-image build/ktest/Image: the runtime with the in-image suites and benchmarks"
	@echo "             (tests/kernel/), which build/Image does not carry"
	@echo "  bench      benchmarks under -icount shift=0: in-image (BENCH=buddy,slab), apps/vmbench"
	@echo "             (BENCH=vm), apps/mallocbench: our malloc vs picolibc's (BENCH=malloc);"
	@echo "             swap against the raw disk, LRU aging against FIFO (BENCH=swap:"
	@echo "             apps/swapbench, bench=virtio_seq; BENCH_SWAP_MEM=64M, BENCH_SWAP=512M);"
	@echo "             BENCH_MEM=, BENCH_BOOT_MEM=; with BENCH empty also bench-host (BENCH=host)"
	@echo "             and bench-membench (BENCH=membench); every line lands in"
	@echo "             BUILD/bench/ and the report is BUILD/bench/report.md, .html (docs/bench.md)"
	@echo "  bench-quick  the same, smaller (BENCH_QUICK=1): a few minutes"
	@echo "  bench-report  BUILD/bench/report.md, report.html, plots/*.svg from what BUILD/bench/"
	@echo "             holds (scripts/bench-report.py; --log FILE for a console capture)"
	@echo "  bench-membench  apps/membench against pagoda, nano, newlib, glibc, musl, pagoda-glibc,"
	@echo "             pagoda-musl, mimalloc-glibc (-icount): BUILD/bench/membench.jsonl, one JSON"
	@echo "             line a workload (docs/membench.md); MEMBENCH_ARGS=quick: the smaller counts,"
	@echo "             MEMBENCH_VARIANTS=, MEMBENCH_MEM=1G; membench-elfs: the programs only"
	@echo "  test-membench  membench quick twice on pagoda: well-formed lines, equal counts"
	@echo "  musl       BUILD/musl: Debian's musl (1.2.3) for riscv64, static, and its musl-gcc"
	@echo "             (MUSL=; about 1.5 min, once); APP_LIBC=musl builds a linux.mk app with it"
	@echo "  lua        BUILD/lua/lua-glibc and lua-musl: Debian's Lua 5.4, static, against each libc"
	@echo "             (LUA=; make run ELF=BUILD/lua/lua-glibc ARGS=- STDIN=tests/lua/gc.lua)"
	@echo "  linux-malloc  build/linux/libpagoda-malloc.a: the app's malloc for static riscv64 Linux"
	@echo "             programs (glibc), linked in place of libc's (docs/malloc.md); linux-malloc-musl:"
	@echo "             build/linux/libpagoda-malloc-musl.a, the same for musl (make musl first)"
	@echo "  bench-host host benchmarks: the anti-fragmentation scenario (grouping on and off,"
	@echo "             buddyinfo); the app's malloc (LD_PRELOAD) beside glibc, jemalloc, mimalloc,"
	@echo "             tcmalloc in BENCH_ROUNDS=7 shuffled rounds, 1/2/4 threads, cachegrind:"
	@echo "             BUILD/bench/host.jsonl (scripts/bench-host.py)"
	@echo "  linux-progs  build/linux-progs/{glibc,musl}/NAME: tests/linux/'s programs, static,"
	@echo "             against glibc (-glibc) and musl (-musl; MUSL_GCC=, by default make musl's)"
	@echo "  test-linux-progs  each of them under qemu-riscv64 and on pagoda, outputs compared"
	@echo "  syscall-table  rewrite docs/linux-programs.md's system call table from kernel/syscall.c"
	@echo "  fmt        clang-format every C file"
	@echo "  check      formatting, and the floors: no file includes a header of a higher one"
	@echo "             (lib < hal < alloc < vm < kernel < boot; scripts/check-layers.sh)"
	@echo "  graph      the folder-level include graph: build/graph.svg (docs/architecture.md)"
	@echo "  clean      remove build/ except the fetched libfdt; distclean: all of it"
	@echo "  deps       install missing Debian packages (run and test do this)"
	@echo "knobs (current value): make run KNOB=value ..."
	@printf '  %-20s %s\n' \
		"APP=$(APP)" "a folder of apps/ (default memtour), or of .c files anywhere (APP=../myapp)" \
		"ELF=$(ELF)" "a static riscv64 Linux program to run instead of APP (docs/linux-programs.md)" \
		"APP_LIBC=$(APP_LIBC)" "a linux.mk app's C library: glibc, or musl (make musl; C only)" \
		"ARGS=$(ARGS)" "the app's argv[1..]; argv[0] is its name" \
		"BOOTARGS=$(BOOTARGS)" "boot options (below) on the kernel command line" \
		"ENV=$(ENV)" "the app's environment, KEY=VALUE words (ENV=\"HOME=/ TERM=dumb\")" \
		"STDIN=$(STDIN)" "a file: the app's standard input (QEMU -initrd, stdin=initrd)" \
		"MEM=$(MEM)" "RAM, $(MEM_MIN) or more: 512M, 2G (a plain number is MiB)" \
		"SWAP=$(SWAP)" "a swap disk: BUILD/swap.img by mkswap, virtio-blk (virt); 0: none" \
		"SMP=$(SMP)" "harts: 1, or 2 on sifive_u (which takes 2 to 5)" \
		"MACHINE=$(MACHINE)" "QEMU's machine: virt or sifive_u" \
		"DTB=$(DTB)" "a device tree blob instead of QEMU's own (dtc checks it first)" \
		"BOARD=$(BOARD)" "make image BOARD=visionfive2|unmatched: also the dtb and U-Boot commands" \
		"QEMU_OPTS=$(QEMU_OPTS)" "more QEMU arguments" \
		"WERROR=$(WERROR)" "1: the app's warnings are errors (the tests set it)" \
		"BUILD=$(BUILD)" "the output folder" \
		"LIBFDT_SRC=$(LIBFDT_SRC)" "libfdt's sources (fetched there by default)" \
		"MUSL=$(MUSL)" "musl's folder: Debian's source, the build, musl-gcc (make musl)" \
		"LUA=$(LUA)" "Lua's folder: Debian's source, lua-glibc, lua-musl (make lua)" \
		"V=$(V)" "1: print every command"
	@echo "  The kernel command line: BOOTARGS, stdin=initrd with STDIN, ENV, then -- ARGS."
	@echo "boot options (BOOTARGS=, boot/bootargs.c)"
	@awk -v FMT='  %-20s %s\n' $(BOOT_OPTIONS_AWK) boot/bootargs.c
	@echo "apps: $(APPS)"

FORCE:

-include $(shell find $(BUILD) $(if $(filter-out $(BUILD),$(KOBJ)),$(KOBJ)/kernel \
	$(KOBJ)/libfdt) -name '*.d' -type f 2>/dev/null)
