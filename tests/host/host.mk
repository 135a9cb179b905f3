# SPDX-License-Identifier: MIT
# tests/host/host.mk - the host side of the tests, included by the top
# Makefile.
#
#   test-host  cmocka programs over boot/platform.c, boot/fdt_reg.c and
#              boot/bootargs.c, and over the physical memory allocator
#              (alloc/) on a simulated machine, built with clang under
#              ASan + UBSan and run with TAP output; non-zero exit on any
#              failure. test_rbtree is lib/rbtree.c on its own;
#              test_pgtable is vm/pgtable.c on a fake page source.
#   test-fuzz  a libFuzzer target over platform_parse() and bootargs_parse(),
#              run for FUZZ_SECONDS from a seed corpus of the test trees.
#   bench-host host benchmarks of the allocator (-O2, no sanitizers), and
#              the app's malloc beside glibc, jemalloc, mimalloc, tcmalloc
#              (scripts/bench-host.py); they print "bench: ..." lines, write
#              BENCH_DIR's fragmentation.lines and host.jsonl, and are not
#              tests. test_bench_report.sh (in test-host) runs the report
#              generator, scripts/bench-report.py, on tests/host/bench_fixture/.
#
# The app's malloc (alloc/malloc/, sys.c over the host's C library, and
# the lock of sys_thread.c) builds three ways:
#   $(BUILD)/host/libpagoda-malloc.so  -O2, for LD_PRELOAD next to glibc,
#              jemalloc, mimalloc, tcmalloc (the LD_PRELOAD test runs real
#              programs on it);
#   test_malloc, malloc_torture  it is *the* malloc of these programs
#              (UBSan only: ASan would replace it);
#   fuzz_malloc  under ASan+UBSan and libFuzzer, renamed pg_malloc,
#              pg_free... (MALLOC_RENAME) so it runs beside the sanitizer's.
# The library exports the API alone (test_malloc_exports.sh reads nm -D);
# test_malloc_names, a program with a split() and a consolidate() of its
# own in its dynamic symbol table, runs on it with LD_PRELOAD. A fourth
# way, for static riscv64 Linux programs, is alloc/malloc/linux.mk's
# $(BUILD)/linux/libpagoda-malloc.a; test_linux_malloc.sh links
# linux_malloc_prog.c with it and with glibc's and runs both under
# qemu-riscv64.
# test_newlib_malloc.sh builds newlib's mallocr.c for the host with
# scripts/newlib-malloc.sh (apps/membench's newlib variant) and runs its
# memalign pattern (tests/host/newlib_memalign.c) over the host's sbrk.
#
# The parser and the real libfdt (LIBFDT_SRC) are compiled for the host from
# the same sources as the image. Hand-made trees are tests/host/dts/*.dts,
# compiled into $(BUILD)/host/dts/; the reference tree is $(BUILD)/virt.dtb.
# Everything lands under $(BUILD)/host/. To replay an input the fuzzer
# reported: $(BUILD)/host/fuzz_platform $(BUILD)/host/fuzz-run/crash-<sha>.
#
# The allocator is compiled for the host from its own sources: it reaches
# the machine only through alloc/machine.h, whose host side gives physical
# memory, the vmemmap and interrupts host meanings (tests/host/machine.c).
# Its objects land in $(BUILD)/host/mm/ (sanitizers) and $(BUILD)/host/bench/
# (-O2).

HOST_CC      ?= clang
FUZZ_SECONDS ?= 20

HOST_DIR     := $(BUILD)/host
HOST_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
HOST_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(WARN) \
		-I. -I$(LIBFDT_SRC) -MMD -MP
# libfdt is not our code: the image's one exception to the warnings
HOST_FDT_CFLAGS := $(HOST_CFLAGS) -Wno-sign-compare
HOST_RUN_ENV := CMOCKA_MESSAGE_OUTPUT=TAP UBSAN_OPTIONS=print_stacktrace=1

HOST_PARSER  := boot/platform.c boot/fdt_reg.c boot/bootargs.c
HOST_TESTS   := test_platform test_malformed test_malformed_nodes test_bootargs
HOST_DTBS    := $(patsubst tests/host/dts/%.dts,$(HOST_DIR)/dts/%.dtb,\
		  $(wildcard tests/host/dts/*.dts))
HOST_BINS    := $(addprefix $(HOST_DIR)/,$(HOST_TESTS))
HOST_RB_BIN  := $(HOST_DIR)/test_rbtree
HOST_SWAP_BIN := $(HOST_DIR)/test_swap_header
FUZZ_BIN     := $(HOST_DIR)/fuzz_platform
FUZZ_DIR     := $(HOST_DIR)/fuzz-run

# the allocator on a simulated machine; the image is gcc's, so clang ignores
# gcc-only attributes (optimize) without a word
HOST_MM_WARN      := $(WARN) -Wno-unknown-attributes
HOST_MM_CFLAGS    := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(HOST_MM_WARN) \
		     -I. -MMD -MP
HOST_BENCH_CFLAGS := -std=gnu11 -g -O2 $(HOST_MM_WARN) -I. -MMD -MP
HOST_MM_SRCS := lib/strbuf.c alloc/memblock.c alloc/memmap.c alloc/zone.c \
		alloc/page_alloc.c alloc/validate.c alloc/vmstat.c \
		alloc/slab.c alloc/slab_debug.c alloc/kmalloc.c alloc/mempool.c \
		boot/memory.c vm/vmstat.c tests/host/machine.c
HOST_MM_TESTS := test_memblock test_zones test_buddy test_buddy_stress \
		 test_vmstat test_slab test_slab_reclaim test_slab_debug test_kmalloc \
		 test_slab_churn
HOST_MM_BINS := $(addprefix $(HOST_DIR)/,$(HOST_MM_TESTS))
HOST_BENCHES := bench_fragmentation
HOST_BENCH_BINS := $(addprefix $(HOST_DIR)/,$(HOST_BENCHES))
ZONE_MODEL   := $(HOST_DIR)/zone_model

# the page tables (vm/pgtable.c) on a fake page source: the allocator's
# host machine (alloc/machine.h) for phys_to_virt; the test defines host_ram
# itself, machine.c is not linked.
HOST_PT_CFLAGS := $(HOST_MM_CFLAGS)
HOST_PT_BIN    := $(HOST_DIR)/test_pgtable

# the app's malloc on the host
MALLOC_HOST_SRCS := $(MALLOC_SRCS) alloc/malloc/sys_thread.c
MALLOC_HOST_CFLAGS := -std=gnu11 -g -fno-omit-frame-pointer $(WARN) -I. \
		      -DMALLOC_THREADS -MMD -MP
MALLOC_SO     := $(HOST_DIR)/libpagoda-malloc.so
MALLOC_TESTS  := test_malloc test_malloc_threads malloc_torture
MALLOC_BINS   := $(addprefix $(HOST_DIR)/,$(MALLOC_TESTS))
MALLOC_NAMES_BIN := $(HOST_DIR)/test_malloc_names
MALLOC_RENAME := $(foreach f,malloc free calloc realloc reallocarray memalign \
		   aligned_alloc posix_memalign valloc pvalloc malloc_usable_size \
		   mallinfo2 malloc_trim malloc_stats mallopt,-D$(f)=pg_$(f))
FUZZ_MALLOC_BIN := $(HOST_DIR)/fuzz_malloc
FUZZ_MALLOC_DIR := $(HOST_DIR)/fuzz-malloc-run

# $(call host_objs,san|fuzz): the parser and libfdt, built one way
host_objs = $(patsubst %,$(HOST_DIR)/$(1)/%.o,$(HOST_PARSER)) \
	    $(patsubst %,$(HOST_DIR)/$(1)/libfdt/%.o,$(LIBFDT_SRCS))

# ---- objects -----------------------------------------------------------------
# The host's flavours, each $(HOST_DIR)/NAME/<path>.c.o from <path>.c by
# $(HOST_CC), made by the top Makefile's template ($(call objects,...)):
#   san          the parser's tests: ASan + UBSan (HOST_DEFS: helpers.c.o)
#   fuzz         the parser under libFuzzer
#   san/libfdt, fuzz/libfdt  libfdt from LIBFDT_SRC, the same two ways
#   mm           the allocator on the simulated machine: ASan + UBSan
#   pt           vm/pgtable.c on a fake page source: ASan + UBSan
#   bench        the allocator for the host benchmarks: -O2, no sanitizer
#   malloc-so    the app's malloc as an LD_PRELOAD library: -O2 -fPIC
#   malloc       the app's malloc as a program's own: UBSan (not ASan,
#                which would replace it)
#   malloc-fuzz  the app's malloc renamed pg_* (MALLOC_RENAME) under
#                libFuzzer, ASan and UBSan
MALLOC_UBSAN    := -fsanitize=undefined -fno-sanitize-recover=all
MALLOC_FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(eval $(call objects,$(HOST_DIR)/san,,HOST_CC, (asan$(comma)ubsan),$$(LIBFDT_STAMP) | deps,\
	$$(HOST_CFLAGS) $$(HOST_SAN) $$(HOST_DEFS)))
$(eval $(call objects,$(HOST_DIR)/fuzz,,HOST_CC, (fuzzer),$$(LIBFDT_STAMP) | deps,\
	$$(HOST_CFLAGS) $$(FUZZ_SAN)))
$(eval $(call objects,$(HOST_DIR)/san/libfdt,$(LIBFDT_SRC)/,HOST_CC, (asan$(comma)ubsan),| deps,\
	$$(HOST_FDT_CFLAGS) $$(HOST_SAN)))
$(eval $(call objects,$(HOST_DIR)/fuzz/libfdt,$(LIBFDT_SRC)/,HOST_CC, (fuzzer),| deps,\
	$$(HOST_FDT_CFLAGS) $$(FUZZ_SAN)))
$(eval $(call objects,$(HOST_DIR)/mm,,HOST_CC, (asan$(comma)ubsan),| deps,\
	$$(HOST_MM_CFLAGS) $$(HOST_SAN)))
$(eval $(call objects,$(HOST_DIR)/pt,,HOST_CC, (asan$(comma)ubsan),| deps,\
	$$(HOST_PT_CFLAGS) $$(HOST_SAN)))
$(eval $(call objects,$(HOST_DIR)/bench,,HOST_CC, (-O2),| deps,\
	$$(HOST_BENCH_CFLAGS)))
$(eval $(call objects,$(HOST_DIR)/malloc-so,,HOST_CC, (-O2 -fPIC),| deps,\
	$$(MALLOC_HOST_CFLAGS) -O2 -fPIC))
$(eval $(call objects,$(HOST_DIR)/malloc,,HOST_CC, (ubsan),| deps,\
	$$(MALLOC_HOST_CFLAGS) -O1 $$(MALLOC_UBSAN)))
$(eval $(call objects,$(HOST_DIR)/malloc-fuzz,,HOST_CC, (fuzzer),| deps,\
	$$(MALLOC_HOST_CFLAGS) -O1 $$(MALLOC_RENAME) $$(MALLOC_FUZZ_SAN)))

# Where the tests find their trees: absolute, so the programs run anywhere.
$(HOST_DIR)/san/tests/host/helpers.c.o: HOST_DEFS = \
	-DHOST_DTB_DIR='"$(abspath $(HOST_DIR)/dts)"' \
	-DHOST_VIRT_DTB='"$(abspath $(BUILD)/virt.dtb)"'

# ---- programs ----------------------------------------------------------------
$(HOST_BINS): $(HOST_DIR)/%: $(HOST_DIR)/san/tests/host/%.c.o \
	      $(HOST_DIR)/san/tests/host/helpers.c.o $(call host_objs,san)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^ -lcmocka

$(HOST_RB_BIN): $(HOST_DIR)/san/tests/host/test_rbtree.c.o \
		$(HOST_DIR)/san/lib/rbtree.c.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^ -lcmocka

$(HOST_SWAP_BIN): $(HOST_DIR)/san/tests/host/test_swap_header.c.o \
		  $(HOST_DIR)/san/vm/swap_header.c.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^ -lcmocka

$(HOST_MM_BINS): $(HOST_DIR)/%: $(HOST_DIR)/mm/tests/host/%.c.o \
		 $(patsubst %,$(HOST_DIR)/mm/%.o,$(HOST_MM_SRCS))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^ -lcmocka

$(HOST_PT_BIN): $(HOST_DIR)/pt/tests/host/test_pgtable.c.o \
		$(HOST_DIR)/pt/vm/pgtable.c.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^ -lcmocka

$(HOST_BENCH_BINS): $(HOST_DIR)/%: $(HOST_DIR)/bench/tests/host/%.c.o \
		    $(patsubst %,$(HOST_DIR)/bench/%.o,$(HOST_MM_SRCS))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -o $@ $^

$(MALLOC_SO): $(patsubst %,$(HOST_DIR)/malloc-so/%.o,$(MALLOC_HOST_SRCS))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -shared -o $@ $^ -lpthread

$(MALLOC_BINS): $(HOST_DIR)/%: $(HOST_DIR)/malloc/tests/host/%.c.o \
		$(patsubst %,$(HOST_DIR)/malloc/%.o,$(MALLOC_HOST_SRCS))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -fsanitize=undefined -o $@ $^ -lcmocka -lpthread

# no sanitizer (the library is its malloc); -rdynamic puts its split() and
# consolidate() in its dynamic symbol table, ahead of the library's names
$(MALLOC_NAMES_BIN): tests/host/test_malloc_names.c | deps
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) -std=gnu11 -g -O1 $(WARN) -rdynamic -o $@ $< -ldl

# the torture program is apps/malloctorture/main.c, the same source as the
# app, built for the host
$(HOST_DIR)/malloc/tests/host/malloc_torture.c.o: apps/malloctorture/main.c | deps
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (ubsan)"
	$(Q)$(HOST_CC) $(MALLOC_HOST_CFLAGS) -O1 $(MALLOC_UBSAN) -c $< -o $@

$(FUZZ_MALLOC_BIN): $(HOST_DIR)/malloc-fuzz/tests/host/fuzz_malloc.c.o \
		    $(patsubst %,$(HOST_DIR)/malloc-fuzz/%.o,$(MALLOC_HOST_SRCS))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ -lpthread

$(FUZZ_BIN): $(HOST_DIR)/fuzz/tests/host/fuzz_platform.c.o $(call host_objs,fuzz)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(FUZZ_SAN) -o $@ $^

# what the allocator makes of a boot's memory map (tests/zones.py checks the
# zone: lines of every QEMU scenario with it): the allocator's objects, the
# boot argument parser, no cmocka
$(ZONE_MODEL): $(HOST_DIR)/mm/tests/host/zone_model.c.o \
	       $(patsubst %,$(HOST_DIR)/mm/%.o,$(HOST_MM_SRCS) boot/bootargs.c)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $^

# ---- trees -------------------------------------------------------------------
$(HOST_DIR)/dts/%.dtb: tests/host/dts/%.dts $(wildcard tests/host/dts/*.dtsi) | deps
	@mkdir -p $(@D)
	@echo "  DTC     $<"
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

# ---- running -----------------------------------------------------------------
test-host: bench-deps $(HOST_BINS) $(HOST_RB_BIN) $(HOST_PT_BIN) $(HOST_SWAP_BIN) $(HOST_MM_BINS) \
	   $(MALLOC_BINS) $(MALLOC_SO) $(MALLOC_NAMES_BIN) $(APP_ELF) \
	   $(HOST_DTBS) $(BUILD)/virt.dtb $(ZONE_MODEL) $(LINUX_MALLOC) $(LINUX_MALLOC_MUSL)
	$(Q)rc=0; for t in $(HOST_BINS) $(HOST_RB_BIN) $(HOST_PT_BIN) $(HOST_SWAP_BIN) \
		$(HOST_MM_BINS) $(MALLOC_BINS); do \
		echo "# $$(basename $$t)"; \
		$(HOST_RUN_ENV) MALLOC_SO=$(abspath $(MALLOC_SO)) $$t || rc=1; \
	done; \
	echo "# test_malloc_names"; \
	LD_PRELOAD=$(abspath $(MALLOC_SO)) $(MALLOC_NAMES_BIN) || rc=1; \
	echo "# test_malloc_exports"; \
	tests/host/test_malloc_exports.sh $(MALLOC_SO) || rc=1; \
	echo "# test_linux_malloc"; \
	MUSL_GCC=$(MUSL_GCC) tests/host/test_linux_malloc.sh $(LINUX_MALLOC) \
		$(LINUX_DIR)/test $(LINUX_MALLOC_MUSL) || rc=1; \
	echo "# test_check_app_malloc"; \
	tests/host/test_check_app_malloc.sh $(BUILD)/apps/$(APP_NAME).map || rc=1; \
	echo "# test_newlib_malloc"; \
	tests/host/test_newlib_malloc.sh $(BUILD)/newlib-host || rc=1; \
	echo "# test_check_layers"; \
	tests/host/test_check_layers.sh || rc=1; \
	echo "# test_syscall_table"; \
	tests/host/test_syscall_table.sh || rc=1; \
	echo "# test_bench_log"; \
	tests/host/test_bench_log.sh || rc=1; \
	echo "# test_bench_report"; \
	tests/host/test_bench_report.sh || rc=1; \
	if [ $$rc = 0 ]; then echo "test-host: ok"; \
	else echo "test-host: FAILED"; fi; exit $$rc

# The fuzzer writes what it learns to corpus/ (kept between runs) and a crash
# to crash-*; the seeds are copied afresh each run.
test-fuzz: test-fuzz-platform test-fuzz-malloc

# $(call run_fuzzer,NAME,BINARY,DIR,EXTRA FLAGS): FUZZ_SECONDS of it; one
# "fuzz: ok NAME ..." line, or the log's tail and the input that failed
run_fuzzer = log=$(3)/fuzz.log; \
	if $(2) -max_total_time=$(FUZZ_SECONDS) -timeout=10 $(4) \
		-artifact_prefix=$(3)/ $(3)/corpus $(3)/seed >$$log 2>&1; then \
		stats=$$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' $$log); \
		echo "fuzz: ok $(1)$${stats:+, $$stats}"; \
	else \
		tail -n 40 $$log; \
		echo "fuzz: FAILED $(1); log $$log, input $$(ls -t $(3)/crash-* $(3)/timeout-* $(3)/leak-* 2>/dev/null | head -n 1)"; \
		exit 1; \
	fi

test-fuzz-platform: $(FUZZ_BIN) $(HOST_DTBS) $(BUILD)/virt.dtb
	@echo "  FUZZ    fuzz_platform for $(FUZZ_SECONDS) s"
	$(Q)rm -rf $(FUZZ_DIR)/seed && mkdir -p $(FUZZ_DIR)/seed $(FUZZ_DIR)/corpus
	$(Q)cp $(HOST_DTBS) $(FUZZ_DIR)/seed/ && cp $(BUILD)/virt.dtb $(FUZZ_DIR)/seed/qemu-virt.dtb
	$(Q)$(call run_fuzzer,platform,$(FUZZ_BIN),$(FUZZ_DIR),-max_len=16384 -dict=tests/host/fuzz_platform.dict)

# The malloc fuzzer starts from an empty corpus (and what it kept).
test-fuzz-malloc: $(FUZZ_MALLOC_BIN)
	@echo "  FUZZ    fuzz_malloc for $(FUZZ_SECONDS) s"
	$(Q)mkdir -p $(FUZZ_MALLOC_DIR)/seed $(FUZZ_MALLOC_DIR)/corpus
	$(Q)$(call run_fuzzer,malloc,$(FUZZ_MALLOC_BIN),$(FUZZ_MALLOC_DIR),-max_len=4096)

# Benchmarks print numbers, not verdicts: a non-zero exit means they broke.
# bench-host writes into BENCH_DIR (docs/bench.md): fragmentation.lines
# (the anti-fragmentation scenario, buddyinfo before and after) and
# host.jsonl, scripts/bench-host.py's comparison of the app's malloc with
# glibc's and, preloaded where installed (scripts/deps.sh bench: Debian's
# libjemalloc2, libmimalloc2.0, libtcmalloc-minimal4), jemalloc, mimalloc
# and tcmalloc: BENCH_ROUNDS shuffled rounds (7), cachegrind's counts;
# BENCH_QUICK=1 runs a quarter of the operations.
BENCH_DIR    ?= $(BUILD)/bench
BENCH_ROUNDS ?= 7
BENCH_QUICK  ?= 0
MALLOC_PEERS := jemalloc:/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
		mimalloc:/usr/lib/x86_64-linux-gnu/libmimalloc.so.2 \
		tcmalloc:/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4

$(HOST_DIR)/bench_malloc_peers: tests/host/bench_malloc_peers.c | deps
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (-O2)"
	$(Q)$(HOST_CC) -std=gnu11 -O2 $(WARN) -o $@ $< -lpthread

# Valgrind 3.19 cannot read clang's DWARF 5: the benchmark preloads a copy
# of the library without its debugging sections (the same code).
MALLOC_SO_BENCH := $(HOST_DIR)/libpagoda-malloc-nodebug.so

$(MALLOC_SO_BENCH): $(MALLOC_SO)
	@echo "  STRIP   $@"
	$(Q)objcopy --strip-debug $< $@

bench-deps:
	$(Q)scripts/deps.sh bench

bench-host: bench-deps $(HOST_BENCH_BINS) $(HOST_DIR)/bench_malloc_peers $(MALLOC_SO_BENCH)
	$(Q)mkdir -p $(BENCH_DIR)
	$(Q)for b in $(HOST_BENCH_BINS); do $$b || exit 1; done >$(BENCH_DIR)/fragmentation.lines; \
		rc=$$?; cat $(BENCH_DIR)/fragmentation.lines; exit $$rc
	$(Q)scripts/bench-host.py --bin $(HOST_DIR)/bench_malloc_peers --pagoda $(MALLOC_SO_BENCH) \
		$(addprefix --peer ,$(MALLOC_PEERS)) --rounds $(BENCH_ROUNDS) \
		$(if $(filter 1,$(BENCH_QUICK)),--quick) --out $(BENCH_DIR)/host.jsonl

.PHONY: bench-host bench-deps test-fuzz-platform test-fuzz-malloc
