# SPDX-License-Identifier: MIT
# apps/linux-auxv is a static glibc program, built by Debian's Linux
# toolchain (riscv64-linux-gnu-gcc -static), not against picolibc: this
# file's presence says so (docs/linux-programs.md). It may add flags:
APP_LINUX_CFLAGS += -std=gnu11
