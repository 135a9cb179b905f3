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

/* ---- intrusive doubly linked lists ----
 * A list is a circular chain through a head; an empty list's head points
 * at itself. Nodes are embedded in the structs they link (container_of).
 */
struct list_head {
	struct list_head *next, *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

static inline void list_init(struct list_head *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_insert(struct list_head *node, struct list_head *prev,
			       struct list_head *next)
{
	next->prev = node;
	node->next = next;
	node->prev = prev;
	prev->next = node;
}

/* Insert at the front (stack order) or the back (queue order). */
static inline void list_add(struct list_head *node, struct list_head *head)
{
	list_insert(node, head, head->next);
}

static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
	list_insert(node, head->prev, head);
}

static inline void list_del(struct list_head *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	node->next = node->prev = NULL;
}

static inline void list_move(struct list_head *node, struct list_head *head)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	list_add(node, head);
}

/* ---- console (console.c) ---- */
/* A console backend writes bytes somewhere a person can read them. */
struct console {
	const char *name;
	void (*write)(const char *buf, size_t len);
};

/* Switch all output to this backend (the SBI console is the first). */
void console_set(const struct console *con);
const struct console *console_get(void);
const char *console_name(void);
void console_write(const char *buf, size_t len);

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

/*
 * Run fn (once) when the runtime exits, before the status line: the place
 * for end-of-run statistics. One slot; a second call replaces the first.
 */
void kernel_at_exit(void (*fn)(void));
/* Print the exit status for console readers, then shut the machine down. */
_Noreturn void kernel_exit(int status);
/* For broken invariants and failed boots only: "fn: reason". */
__attribute__((format(printf, 1, 2))) _Noreturn void panic(const char *fmt,
							   ...);

/* ---- the app's system calls and traps (syscall.c) ---- */
/* Route U-mode traps here: system calls, page faults, fatal exceptions. */
void syscall_init(void);
/* Run system call nr with arguments a[0..5] for the app; -errno on error. */
long syscall_dispatch(unsigned long nr, const unsigned long a[6],
		      unsigned long pc);
/* End the app: close its files, free its memory, leave with status. */
_Noreturn void app_exit(int status);
/* Pages free or in slab caches before the app was loaded; app_exit
 * checks that all of them came back. */
extern unsigned long app_free_pages_at_start;
unsigned long app_pages_available(void);
extern unsigned long syscall_count;

/* ---- symbols (ksyms.c) ---- */
/* Name of the function containing pc and the offset into it, or NULL. */
const char *ksym_lookup(unsigned long pc, unsigned long *offset);
/* Address of a named function, or 0. */
unsigned long ksym_address(const char *name);

/* ---- /proc (procfs.c) ----
 * The app's only files: a read-only /proc in Linux's formats. The system
 * calls take user pointers and return what Linux's would, or -errno.
 * Descriptors 0-2 are the console; files get 3.. (lowest free first).
 */
#define PROC_MAX_FDS 32 /* the descriptor table; FDSize in status */
long sys_openat(int dirfd, const char *upath, int flags, unsigned int mode);
long sys_read(int fd, void *ubuf, size_t count);
long sys_close(int fd);
/* Close every file the app left open: when it exits. */
void procfs_close_all(void);

#endif
