/* SPDX-License-Identifier: MIT */
/*
 * lib/lib.h - the ground floor: plain helpers every layer may use, which
 * use nothing of any layer. Lists (list.h), red-black trees (rbtree.h),
 * text into buffers, the console and the kernel log, panic, random
 * numbers and the kernel's symbol table. What the machine must do for
 * them (a clock for
 * log timestamps, a backtrace and a way out for panic) is handed in by
 * the boot (printk_set_clock, panic_set_ops): a registered callback, so
 * nothing here reaches up.
 */
#ifndef PAGODA_LIB_H
#define PAGODA_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/compiler.h"
#include "lib/list.h"
#include "lib/rbtree.h"

/* ---- console and log (printk.c) ---- */
/*
 * A console backend writes bytes somewhere a person can read them, and
 * may hand back what they type (receive: a byte, or -1 when none waits).
 */
struct console {
	const char *name;
	void (*write)(const char *buf, size_t len);
	int (*receive)(void); /* NULL: this console has no input */
};

/* Switch all output to this backend (the SBI console is the first). */
void console_set(const struct console *con);
const struct console *console_get(void);
const char *console_name(void);
void console_write(const char *buf, size_t len);
/* A received byte, -1 when none waits, -2 when the console has no input. */
int console_getc(void);

/* ---- text into a buffer (strbuf.c) ---- */
/* Invariant: len < size and buf[len] == '\0' (for size > 0). */
struct strbuf {
	char *buf;
	size_t size, len;
};

/* An empty string in buf[0..size). */
static inline struct strbuf strbuf_init(char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return (struct strbuf){ buf, size, 0 };
}

/* Append, dropping whatever does not fit. */
__attribute__((format(printf, 2, 3))) void strbuf_printf(struct strbuf *sb,
							 const char *fmt, ...);

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

/* The clock for the log's timestamps, in ns since boot (0 without one). */
void printk_set_clock(uint64_t (*ns)(void));

/* ---- panic (panic.c) ---- */
/* clang-format off */
#define EXIT_PANIC 255 /* status after a panic or an unexpected trap */
/* clang-format on */

/* What a panic needs of the machine, given once at boot. */
struct panic_ops {
	void (*backtrace)(unsigned long fp); /* the frames from fp up */
	void (*exit)(int status); /* end the run with status; no return */
	void (*halt)(int status); /* the machine off, no more words; ditto */
};

void panic_set_ops(const struct panic_ops *ops);
/* For broken invariants and failed boots only: "fn: reason". */
__attribute__((format(printf, 1, 2))) _Noreturn void panic(const char *fmt,
							   ...);
/* End the run with status through panic_set_ops's exit (after a report). */
_Noreturn void die(int status);

/* ---- random numbers (random.c): splitmix64, not cryptographic ---- */
/* Start the sequence from seed (the device tree's rng-seed; none: fixed). */
void random_seed(const void *seed, size_t len);
uint64_t random_u64(void);

/* ---- symbols (ksyms.c) ---- */
/* Name of the function containing pc and the offset into it, or NULL. */
const char *ksym_lookup(unsigned long pc, unsigned long *offset);
/* Address of a named function, or 0. */
unsigned long ksym_address(const char *name);

#endif
