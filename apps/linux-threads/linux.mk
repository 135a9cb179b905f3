# SPDX-License-Identifier: MIT
# apps/linux-threads is a static glibc program (riscv64-linux-gnu-gcc
# -static) with POSIX threads: this file's presence says so
# (docs/linux-programs.md).
APP_LINUX_CFLAGS += -std=gnu11 -pthread
APP_LINUX_LDLIBS += -lpthread
