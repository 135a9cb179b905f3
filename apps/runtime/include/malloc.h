/* SPDX-License-Identifier: MIT */
/*
 * <malloc.h> for apps: the allocator every app links, alloc/malloc/, with
 * glibc's extensions (mallinfo2, malloc_trim, mallopt and M_*). Shadows
 * picolibc's header, which describes picolibc's own allocator.
 */
#ifndef PAGODA_APPS_MALLOC_H
#define PAGODA_APPS_MALLOC_H

#include <stdlib.h>

#include "alloc/malloc/malloc.h"

#endif
