# SPDX-License-Identifier: MIT
# alloc/malloc/linux.mk - the app's malloc for Linux programs, included by
# the top Makefile.
#
#   linux-malloc  $(BUILD)/linux/libpagoda-malloc.a: alloc/malloc/ for
#                 riscv64-linux-gnu (glibc), to link statically in place of
#                 the C library's malloc:
#                   riscv64-linux-gnu-gcc -static prog.c build/linux/libpagoda-malloc.a
#   linux-malloc-musl  $(BUILD)/linux/libpagoda-malloc-musl.a: the same for
#                 musl (make musl first):
#                   build/musl/bin/musl-gcc -static prog.c build/linux/libpagoda-malloc-musl.a
#   test-linux-malloc  tests/host/test_linux_malloc.sh: one program linked
#                 both ways with each C library and run under qemu-riscv64
#                 (docs/testing.md).
#
# The sources are the host library's (sys.c over the C library, the lock
# of sys_thread.c) and, for glibc, glibc.c, glibc's two extra names. musl's
# own calls allocate through __libc_malloc, which stays musl's (since 1.2.1
# musl keeps its internal allocations apart from a replaced malloc), so
# only the public names need to be ours there. They are linked into
# one relocatable object (ld -r) before the archive takes it: a program that
# needs any one name of the API gets all of it, so glibc's malloc.o is
# never pulled in for a name we left in another member. The internal names
# keep their hidden visibility through ld -r.

LINUX_CROSS  ?= riscv64-linux-gnu-
LINUX_CC     := $(LINUX_CROSS)gcc
LINUX_DIR    := $(BUILD)/linux
LINUX_MALLOC := $(LINUX_DIR)/libpagoda-malloc.a
LINUX_MALLOC_SRCS := $(MALLOC_SRCS) alloc/malloc/sys_thread.c alloc/malloc/glibc.c
LINUX_MALLOC_OBJS := $(patsubst %,$(LINUX_DIR)/obj/%.o,$(LINUX_MALLOC_SRCS))
LINUX_CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer $(WARN) -I. \
		-DMALLOC_THREADS -MMD -MP

$(eval $(call objects,$(LINUX_DIR)/obj,,LINUX_CC, (riscv64-linux-gnu),| deps,\
	$$(LINUX_CFLAGS)))

LINUX_MALLOC_MUSL := $(LINUX_DIR)/libpagoda-malloc-musl.a
LINUX_MALLOC_MUSL_OBJS := $(patsubst %,$(LINUX_DIR)/obj-musl/%.o,\
			  $(MALLOC_SRCS) alloc/malloc/sys_thread.c)

$(eval $(call objects,$(LINUX_DIR)/obj-musl,,MUSL_GCC, (musl),| $$(MUSL_GCC),\
	$$(LINUX_CFLAGS)))

# $(call linux_archive,OBJS): one relocatable object, then the archive
define linux_archive
	@echo "  AR      $@"
	$(Q)$(LINUX_CROSS)ld -r -o $(@:.a=.o) $(1)
	$(Q)rm -f $@ && $(LINUX_CROSS)ar rcs $@ $(@:.a=.o)
endef

$(LINUX_MALLOC): $(LINUX_MALLOC_OBJS)
	$(call linux_archive,$^)

$(LINUX_MALLOC_MUSL): $(LINUX_MALLOC_MUSL_OBJS)
	$(call linux_archive,$^)

linux-malloc: $(LINUX_MALLOC)
linux-malloc-musl: $(LINUX_MALLOC_MUSL)

test-linux-malloc: $(LINUX_MALLOC) $(LINUX_MALLOC_MUSL)
	$(Q)MUSL_GCC=$(MUSL_GCC) tests/host/test_linux_malloc.sh $(LINUX_MALLOC) \
		$(LINUX_DIR)/test $(LINUX_MALLOC_MUSL)

.PHONY: linux-malloc linux-malloc-musl test-linux-malloc
