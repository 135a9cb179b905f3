# SPDX-License-Identifier: MIT
# alloc/malloc/linux.mk - the app's malloc for Linux programs, included by
# the top Makefile.
#
#   linux-malloc  $(BUILD)/linux/libpagoda-malloc.a: alloc/malloc/ for
#                 riscv64-linux-gnu (glibc), to link statically in place of
#                 the C library's malloc:
#                   riscv64-linux-gnu-gcc -static prog.c build/linux/libpagoda-malloc.a
#   test-linux-malloc  tests/host/test_linux_malloc.sh: one program linked
#                 both ways and run under qemu-riscv64 (docs/testing.md).
#
# The sources are the host library's (sys.c over the C library, the lock
# of sys_lock.c) and glibc.c, glibc's two extra names. They are linked into
# one relocatable object (ld -r) before the archive takes it: a program that
# needs any one name of the API gets all of it, so glibc's malloc.o is
# never pulled in for a name we left in another member. The internal names
# keep their hidden visibility through ld -r.

LINUX_CROSS  ?= riscv64-linux-gnu-
LINUX_CC     := $(LINUX_CROSS)gcc
LINUX_DIR    := $(BUILD)/linux
LINUX_MALLOC := $(LINUX_DIR)/libpagoda-malloc.a
LINUX_MALLOC_SRCS := $(MALLOC_SRCS) alloc/malloc/sys_lock.c alloc/malloc/glibc.c
LINUX_MALLOC_OBJS := $(patsubst %,$(LINUX_DIR)/obj/%.o,$(LINUX_MALLOC_SRCS))
LINUX_CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer $(WARN) -I. \
		-DMALLOC_THREADS -MMD -MP

$(eval $(call objects,$(LINUX_DIR)/obj,,LINUX_CC, (riscv64-linux-gnu),| deps,\
	$$(LINUX_CFLAGS)))

$(LINUX_MALLOC): $(LINUX_MALLOC_OBJS)
	@echo "  AR      $@"
	$(Q)$(LINUX_CROSS)ld -r -o $(LINUX_DIR)/pagoda-malloc.o $^
	$(Q)rm -f $@ && $(LINUX_CROSS)ar rcs $@ $(LINUX_DIR)/pagoda-malloc.o

linux-malloc: $(LINUX_MALLOC)

test-linux-malloc: $(LINUX_MALLOC)
	$(Q)tests/host/test_linux_malloc.sh $(LINUX_MALLOC) $(LINUX_DIR)/test

.PHONY: linux-malloc test-linux-malloc
