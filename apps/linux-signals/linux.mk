# SPDX-License-Identifier: MIT
# apps/linux-signals is a static glibc program (riscv64-linux-gnu-gcc
# -static) whose handlers catch faults and self-sent signals: this file's
# presence says so (docs/linux-programs.md).
APP_LINUX_CFLAGS += -std=gnu11
APP_LINUX_LDLIBS += -lm
