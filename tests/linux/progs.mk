# SPDX-License-Identifier: MIT
# tests/linux/progs.mk - the comparison programs of tests/linux/ (its
# README.md), included by the top Makefile.
#
#   linux-progs        both halves below
#   linux-progs-glibc  $(BUILD)/linux-progs/glibc/NAME: each tests/linux/NAME.c
#                      by riscv64-linux-gnu-gcc -static, NAME.cpp by g++
#   linux-progs-musl   $(BUILD)/linux-progs/musl/NAME: each NAME.c by
#                      $(MUSL_GCC) -static (make musl first; C only:
#                      Debian's C++ library is glibc's)
#   $(BUILD)/linux-progs/glibc-pagoda/NAME, musl-pagoda/NAME: the same with
#                      pagoda's malloc linked in (alloc/malloc/linux.mk's
#                      libraries), for the programs LINUX_PROGS_PAGODA names
#   test-linux-progs   tests/run.py's scenarios linuxprog-*: each program
#                      under qemu-riscv64 and on pagoda, the outputs compared
#
# MUSL_GCC is `make musl`'s wrapper (the top Makefile: MUSL= picks the
# folder of another musl, which is then used as it is).

LINUX_PROGS_OUT   := $(BUILD)/linux-progs
LINUX_PROGS_FLAGS := -O2 -Wall -Wextra -Werror
LINUX_PROGS_LIBS  := -lm -lpthread
LINUX_PROGS_C     := $(notdir $(basename $(wildcard tests/linux/*.c)))
LINUX_PROGS_CXX   := $(notdir $(basename $(wildcard tests/linux/*.cpp)))
LINUX_PROGS_GLIBC := $(addprefix $(LINUX_PROGS_OUT)/glibc/,$(LINUX_PROGS_C) $(LINUX_PROGS_CXX))
LINUX_PROGS_MUSL  := $(addprefix $(LINUX_PROGS_OUT)/musl/,$(LINUX_PROGS_C))

$(LINUX_PROGS_OUT)/glibc/%: tests/linux/%.c tests/linux/progs.mk | deps
	@mkdir -p $(@D)
	@echo "  CC      $< (glibc)"
	$(Q)$(LINUX_CROSS)gcc $(LINUX_PROGS_FLAGS) -static -o $@ $< $(LINUX_PROGS_LIBS)

$(LINUX_PROGS_OUT)/glibc/%: tests/linux/%.cpp tests/linux/progs.mk | deps
	@mkdir -p $(@D)
	@echo "  CXX     $< (glibc)"
	$(Q)$(LINUX_CROSS)g++ $(LINUX_PROGS_FLAGS) -static -o $@ $< $(LINUX_PROGS_LIBS)

$(LINUX_PROGS_OUT)/musl/%: tests/linux/%.c tests/linux/progs.mk | $(MUSL_GCC)
	@mkdir -p $(@D)
	@echo "  CC      $< (musl)"
	$(Q)$(MUSL_GCC) $(LINUX_PROGS_FLAGS) -static -o $@ $< $(LINUX_PROGS_LIBS)

# with pagoda's malloc: the programs that exercise malloc
LINUX_PROGS_PAGODA := malloc threadmalloc

$(LINUX_PROGS_OUT)/glibc-pagoda/%: tests/linux/%.c tests/linux/progs.mk $(LINUX_MALLOC) | deps
	@mkdir -p $(@D)
	@echo "  CC      $< (glibc, pagoda's malloc)"
	$(Q)$(LINUX_CROSS)gcc $(LINUX_PROGS_FLAGS) -static -o $@ $< $(LINUX_MALLOC) $(LINUX_PROGS_LIBS)

$(LINUX_PROGS_OUT)/musl-pagoda/%: tests/linux/%.c tests/linux/progs.mk $(LINUX_MALLOC_MUSL) | $(MUSL_GCC)
	@mkdir -p $(@D)
	@echo "  CC      $< (musl, pagoda's malloc)"
	$(Q)$(MUSL_GCC) $(LINUX_PROGS_FLAGS) -static -o $@ $< $(LINUX_MALLOC_MUSL) $(LINUX_PROGS_LIBS)

linux-progs: linux-progs-glibc linux-progs-musl
linux-progs-glibc: $(LINUX_PROGS_GLIBC) \
		   $(addprefix $(LINUX_PROGS_OUT)/glibc-pagoda/,$(LINUX_PROGS_PAGODA))
linux-progs-musl: $(LINUX_PROGS_MUSL) \
		  $(addprefix $(LINUX_PROGS_OUT)/musl-pagoda/,$(LINUX_PROGS_PAGODA))

test-linux-progs: deps all
	$(Q)python3 tests/run.py --build $(BUILD) --only qemu -k linuxprog-

.PHONY: linux-progs linux-progs-glibc linux-progs-musl test-linux-progs
