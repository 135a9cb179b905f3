/* SPDX-License-Identifier: MIT */
/*
 * lib/compiler.h - what the compiler is told about hot and cold code, for
 * every layer (and the app's malloc): one definition each.
 */
#ifndef PAGODA_LIB_COMPILER_H
#define PAGODA_LIB_COMPILER_H

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * For the fast paths: leaves without a frame pointer of their own, so no
 * frame at all (the image builds with frame pointers for backtraces; a
 * fast path only tail-calls its slow path, so the chain stays whole).
 * clang, for the host, knows no such attribute: there it is nothing.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define FAST_PATH __attribute__((optimize("omit-frame-pointer")))
#else
#define FAST_PATH
#endif

/* A slow path the fast one tail-calls: out of line, out of the way. */
#define SLOW_PATH __attribute__((noinline, cold))

#endif
