/* SPDX-License-Identifier: MIT */
/*
 * kernel/kernel.h - the runtime's core services: console and log, panic,
 * the kernel symbol table and leaving the machine.
 */
#ifndef PAGODA_KERNEL_H
#define PAGODA_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- console (console.c) ---- */
/* A console backend writes bytes somewhere a person can read them. */
struct console {
	const char *name;
	void (*write)(const char *buf, size_t len);
};

/* Switch all output to this backend (the SBI console is the first). */
void console_set(const struct console *con);
const char *console_name(void);
void console_write(const char *buf, size_t len);

/* ---- log (console.c) ---- */
/* clang-format off */
#define LOG_ERR    3
#define LOG_WARN   4
#define LOG_INFO   6
#define LOG_DEBUG  7
/* clang-format on */

extern int log_level; /* messages above it are dropped; bootarg loglevel= */

__attribute__((format(printf, 2, 3))) void printk(int level, const char *fmt,
						  ...);
void vprintk(int level, const char *fmt, va_list ap);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* ---- leaving (exit.c, panic.c) ---- */
/* clang-format off */
#define EXIT_PANIC 255 /* status after a panic or an unexpected trap */
/* clang-format on */

/* Print the exit status for console readers, then shut the machine down. */
_Noreturn void kernel_exit(int status);
/* For broken invariants and failed boots only: "fn: reason". */
__attribute__((format(printf, 1, 2))) _Noreturn void panic(const char *fmt,
							   ...);

/* ---- symbols (ksyms.c) ---- */
/* Name of the function containing pc and the offset into it, or NULL. */
const char *ksym_lookup(unsigned long pc, unsigned long *offset);
/* Address of a named function, or 0. */
unsigned long ksym_address(const char *name);

#endif
