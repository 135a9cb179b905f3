# SPDX-License-Identifier: MIT
# apps/linux-cxx is a static C++ program built by Debian's Linux toolchain
# (riscv64-linux-gnu-g++ -static) against libstdc++ and glibc; this file's
# presence says so (docs/linux-programs.md).
APP_LINUX_CFLAGS += -std=gnu++17
