/* SPDX-License-Identifier: MIT */
/*
 * hal/serial/serial.h - UART drivers, used as console backends.
 */
#ifndef PAGODA_HAL_SERIAL_H
#define PAGODA_HAL_SERIAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * An ns16550-compatible UART (QEMU virt, DesignWare APB UARTs of the JH7110
 * and others) mapped at base; register n lives at base + (n << reg_shift)
 * and is accessed reg_io_width (1 or 4) bytes wide. The firmware already set
 * the line up (baud, 8n1); this driver polls, it takes no interrupts.
 */
void ns16550_init(void *base, uint32_t reg_shift, uint32_t reg_io_width);
void ns16550_write(const char *buf, size_t len);
/* The next received byte, or -1 when none is waiting. */
int ns16550_getc(void);

#endif
