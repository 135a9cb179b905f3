# SPDX-License-Identifier: MIT
# apps/membench/membench.mk - apps/membench against every allocator,
# included by the top Makefile (docs/membench.md).
#
#   membench-elfs   $(MEMBENCH_OUT)/elf/membench-VARIANT: the same source
#                   built once per allocator (below)
#   bench-membench  each of them embedded in turn (make image ELF=...) and
#                   run in QEMU under -icount shift=0 with MEMBENCH_MEM of RAM;
#                   their JSON lines, all allocators, in
#                   $(BUILD)/bench/membench.jsonl (QEMU's logs beside it)
#                   MEMBENCH_ARGS=quick: the smaller counts
#                   MEMBENCH_VARIANTS=...: some of them only
#   test-membench   the pagoda variant, quick, run twice: every line well
#                   formed with sane counts, the two runs' instruction counts
#                   equal (tests/check_membench.py)
#
# The variants (alloc, C library):
#   pagoda         the app's malloc (alloc/malloc/), picolibc: what an app is
#   nano           picolibc's own nano-malloc from its libc.a, alloc/malloc/
#                  left out of the link (the map must show nano's members)
#   newlib         newlib's malloc (mallocr.c, Doug Lea's 2.6.4) from Debian's
#                  newlib-source, over the app's sbrk, picolibc for the rest
#                  (scripts/newlib-malloc.sh)
#   glibc          glibc 2.36's ptmalloc: riscv64-linux-gnu-gcc -static
#   musl           musl 1.2.3's mallocng: make musl's musl-gcc -static
#   pagoda-glibc   glibc with build/linux/libpagoda-malloc.a (make linux-malloc)
#   pagoda-musl    musl with libpagoda-malloc-musl.a (make linux-malloc-musl)
#   mimalloc-glibc mimalloc from Debian's source package (2.0.9), src/static.c
#                  as one object with MI_MALLOC_OVERRIDE, linked into glibc's
#
# Each links Lua 5.4 too (the lua-gc workload, apps/membench/luagc.c):
# Debian's source as make lua fetches it, all of src/*.c but lua.c and
# luac.c, as an archive built three times (picolibc with the app's flags,
# glibc, musl); ISO C only (no LUA_USE_POSIX), the string hash seed fixed.
#
# Third-party sources are fetched into the build folder, never committed.

MEMBENCH_OUT      := $(BUILD)/membench
MEMBENCH_MEM      ?= 1G
MEMBENCH_ARGS     ?=
MEMBENCH_VARIANTS ?= pagoda nano newlib glibc musl pagoda-glibc pagoda-musl mimalloc-glibc
MEMBENCH_SRCS     := $(wildcard apps/membench/*.c)
MEMBENCH_JSONL    := $(BUILD)/bench/membench.jsonl
MEMBENCH_PICO     := pagoda nano newlib
MEMBENCH_LINUX_CFLAGS  = -O2 -g -Wall -Wextra -Werror -fno-omit-frame-pointer -MMD -MP \
			 $(MEMBENCH_LUA_INC)

# ---- Lua: the core and its libraries, an archive per C library ----
# luai_makeseed: lstate.c's seed hashes time(NULL) and addresses; a constant
# makes the string table, and so the allocation calls, the same every run
# and under every allocator. Lua is not our code: warnings, no -Werror.
MEMBENCH_LUA_FILES := $(filter-out lua.c luac.c,$(LUA_FILES))
MEMBENCH_LUA_INC   := -I$(LUA_SRC) -I$(dir $(LUA_GEN))
MEMBENCH_LUA_DEFS  := -std=gnu99 '-Dluai_makeseed(L)=0x6d656d62u' $(MEMBENCH_LUA_INC)
MEMBENCH_LUA_LINUX := -O2 -g -Wall -Wextra -fno-omit-frame-pointer -MMD -MP $(MEMBENCH_LUA_DEFS)
MEMBENCH_LUA_A      = $(MEMBENCH_OUT)/lua-$(1)/liblua.a

$(eval $(call objects,$(MEMBENCH_OUT)/lua-pico,$(LUA_SRC)/,CC, (lua, membench),\
	$(LUA_GEN) | deps $(LUA)/src/SOURCE,$$(APP_CFLAGS) $$(MEMBENCH_LUA_DEFS)))
$(eval $(call objects,$(MEMBENCH_OUT)/lua-glibc,$(LUA_SRC)/,LUA_CC_glibc, (lua, membench),\
	$(LUA_GEN) | deps $(LUA)/src/SOURCE,$$(MEMBENCH_LUA_LINUX)))
$(eval $(call objects,$(MEMBENCH_OUT)/lua-musl,$(LUA_SRC)/,LUA_CC_musl, (lua, membench),\
	$(LUA_GEN) | deps $(MUSL_GCC) $(LUA)/src/SOURCE,$$(MEMBENCH_LUA_LINUX)))

$(call MEMBENCH_LUA_A,pico): AR := $(CROSS)ar
$(call MEMBENCH_LUA_A,glibc) $(call MEMBENCH_LUA_A,musl): AR := $(LINUX_CROSS)ar
$(foreach l,pico glibc musl,$(eval $(call MEMBENCH_LUA_A,$(l)): \
	$(patsubst %,$(MEMBENCH_OUT)/lua-$(l)/%.o,$(MEMBENCH_LUA_FILES))))
$(foreach l,pico glibc musl,$(call MEMBENCH_LUA_A,$(l))):
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# ---- picolibc: the runtime once, membench once per allocator (its name) ----
$(eval $(call objects,$(MEMBENCH_OUT)/pico,,CC, (membench),| deps,$$(APP_CFLAGS) -Werror))
$(foreach v,$(MEMBENCH_PICO),$(eval $(call objects,$(MEMBENCH_OUT)/pico-$(v),,CC, (membench, $(v)),\
	$(LUA_GEN) | deps $(LUA)/src/SOURCE,\
	$$(APP_CFLAGS) -Werror -DMEMBENCH_ALLOC='"$(v)"' $$(MEMBENCH_LUA_INC))))

MEMBENCH_RUNTIME  = $(patsubst %,$(MEMBENCH_OUT)/pico/%.o,apps/runtime/crt0.S $(wildcard apps/runtime/*.c))
MEMBENCH_OBJS     = $(patsubst %,$(MEMBENCH_OUT)/pico-$(1)/%.o,$(MEMBENCH_SRCS)) \
		    $(call MEMBENCH_LUA_A,pico)
MEMBENCH_PICO_LD  = $(CC) $(ARCH) -nostdlib -static -Wl,--gc-sections -Wl,-Map=$@.map \
		    -T apps/runtime/app.ld -o $@ $(1) $(call MEMBENCH_LUA_A,pico) $(LIBC) $(LIBGCC)
NEWLIB_MALLOC     = $(MEMBENCH_OUT)/newlib/newlib-malloc.o

$(MEMBENCH_OUT)/elf/membench-pagoda: $(call MEMBENCH_OBJS,pagoda) $(MEMBENCH_RUNTIME) \
		$(patsubst %,$(MEMBENCH_OUT)/pico/%.o,$(MALLOC_SRCS)) apps/runtime/app.ld
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(call MEMBENCH_PICO_LD,$(filter %.o,$^))
	$(Q)scripts/check-app-malloc.sh $@.map || { rm -f $@; exit 1; }

# nano: libc.a's malloc is the only one, and the map must say so
$(MEMBENCH_OUT)/elf/membench-nano: $(call MEMBENCH_OBJS,nano) $(MEMBENCH_RUNTIME) apps/runtime/app.ld
	@mkdir -p $(@D)
	@echo "  LD      $@ (picolibc's nano-malloc)"
	$(Q)$(call MEMBENCH_PICO_LD,$(filter %.o,$^))
	$(Q)grep -q 'libc\.a(nano-malloc-malloc\.c\.o)' $@.map || \
		{ echo "$@: nano-malloc is not in the link"; rm -f $@; exit 1; }

$(NEWLIB_MALLOC): scripts/newlib-malloc.sh | deps
	@mkdir -p $(@D)
	@echo "  NEWLIB  $@ (mallocr.c of /usr/src/newlib)"
	$(Q)scripts/newlib-malloc.sh "$(CC) $(ARCH) -O2" $(PICOLIBC)/include $(@D) $@

$(MEMBENCH_OUT)/elf/membench-newlib: $(call MEMBENCH_OBJS,newlib) $(MEMBENCH_RUNTIME) \
		$(NEWLIB_MALLOC) apps/runtime/app.ld
	@mkdir -p $(@D)
	@echo "  LD      $@ (newlib's malloc)"
	$(Q)$(call MEMBENCH_PICO_LD,$(filter %.o,$^))
	$(Q)scripts/check-app-malloc.sh $@.map || { rm -f $@; exit 1; }

# ---- Linux: glibc, musl, each with its own malloc, pagoda's, mimalloc ----
MIMALLOC     := $(MEMBENCH_OUT)/mimalloc
MIMALLOC_OBJ := $(MIMALLOC)/mimalloc-glibc.o

$(MIMALLOC)/src/SOURCE: | deps
	$(Q)scripts/fetch-source.sh mimalloc $(MIMALLOC)/src

# release build (NDEBUG: MI_DEBUG 0), the whole library in one object that
# defines malloc, free... and glibc's __libc_* names
$(MIMALLOC_OBJ): $(MIMALLOC)/src/SOURCE
	@echo "  CC      $(MIMALLOC)/src/src/static.c (mimalloc, glibc)"
	$(Q)$(LINUX_CROSS)gcc -O2 -g -DNDEBUG -DMI_MALLOC_OVERRIDE -DMI_STATIC_LIB \
		-I$(MIMALLOC)/src/include -c $(MIMALLOC)/src/src/static.c -o $@

# $(call membench_linux,VARIANT,ALLOC,COMPILER,EXTRA OBJECTS/LIBRARIES)
define membench_linux
$(MEMBENCH_OUT)/elf/membench-$(1): $(MEMBENCH_SRCS) apps/membench/membench.h $(4) \
		$(call MEMBENCH_LUA_A,$(5)) apps/membench/membench.mk | deps $(filter $(MUSL_GCC),$(3))
	@mkdir -p $$(@D)
	@echo "  LD      $$@ ($(2), $(5))"
	$$(Q)$(3) $$(MEMBENCH_LINUX_CFLAGS) -DMEMBENCH_ALLOC='"$(2)"' -static -Wl,-Map=$$@.map \
		-o $$@ $(MEMBENCH_SRCS) $(4) $(call MEMBENCH_LUA_A,$(5)) -lm
endef
$(eval $(call membench_linux,glibc,glibc,$(LINUX_CROSS)gcc,,glibc))
$(eval $(call membench_linux,musl,musl,$(MUSL_GCC),,musl))
$(eval $(call membench_linux,pagoda-glibc,pagoda,$(LINUX_CROSS)gcc,$(LINUX_MALLOC),glibc))
$(eval $(call membench_linux,pagoda-musl,pagoda,$(MUSL_GCC),$(LINUX_MALLOC_MUSL),musl))
$(eval $(call membench_linux,mimalloc-glibc,mimalloc,$(LINUX_CROSS)gcc,$(MIMALLOC_OBJ),glibc))

MEMBENCH_ELFS = $(patsubst %,$(MEMBENCH_OUT)/elf/membench-%,$(MEMBENCH_VARIANTS))

membench-elfs: $(MEMBENCH_ELFS)

# Each ELF into one image folder in turn (the kernel is built once), run
# under -icount shift=0; a variant that fails is reported and the others run.
bench-membench: deps membench-elfs
	@mkdir -p $(BUILD)/bench
	$(Q)rm -f $(MEMBENCH_JSONL).tmp; failed=""; \
	for v in $(MEMBENCH_VARIANTS); do \
		log=$(BUILD)/bench/membench-$$v.log; \
		echo "  BENCH   membench-$$v $(MEMBENCH_ARGS) ($$log)"; \
		$(MAKE) ELF=$(MEMBENCH_OUT)/elf/membench-$$v BUILD=$(MEMBENCH_OUT)/image \
			LIBFDT_SRC=$(LIBFDT_SRC) image >/dev/null || exit 1; \
		$(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
			-kernel $(MEMBENCH_OUT)/image/Image -icount shift=0 -m $(MEMBENCH_MEM) \
			-append "norandmaps -- $(MEMBENCH_ARGS)" >$$log 2>&1 || \
			{ failed="$$failed $$v"; tail -5 $$log; }; \
		grep '^{"suite":"membench"' $$log >>$(MEMBENCH_JSONL).tmp || true; \
	done; \
	mv $(MEMBENCH_JSONL).tmp $(MEMBENCH_JSONL); \
	echo "  JSONL   $(MEMBENCH_JSONL): $$(wc -l <$(MEMBENCH_JSONL)) lines"; \
	[ -z "$$failed" ] || { echo "membench: failed:$$failed (logs in $(BUILD)/bench)"; exit 1; }

# The check: one allocator, quick, twice (about 20 s with the image made).
test-membench: deps $(MEMBENCH_OUT)/elf/membench-pagoda
	$(Q)$(MAKE) ELF=$(MEMBENCH_OUT)/elf/membench-pagoda BUILD=$(MEMBENCH_OUT)/image \
		LIBFDT_SRC=$(LIBFDT_SRC) image >/dev/null
	$(Q)for i in 1 2; do \
		$(QEMU) -machine virt -smp 1 -nographic -no-reboot -bios default \
			-kernel $(MEMBENCH_OUT)/image/Image -icount shift=0 -m $(MEMBENCH_MEM) \
			-append 'norandmaps -- quick' >$(MEMBENCH_OUT)/test-$$i.log 2>&1 || \
			{ tail -20 $(MEMBENCH_OUT)/test-$$i.log; exit 1; }; \
	done
	$(Q)tests/check_membench.py $(MEMBENCH_OUT)/test-1.log $(MEMBENCH_OUT)/test-2.log

.PHONY: membench-elfs bench-membench test-membench
