// SPDX-License-Identifier: MIT
/*
 * hal/serial/ns16550.c - polled transmit and receive on a 16550 UART.
 *
 * Waits for the transmit holding register to empty (LSR.THRE) before each
 * byte and turns "\n" into "\r\n" for terminals. Receiving takes the next
 * byte of the receive FIFO when LSR.DR says there is one. Polled, so any
 * context may use it; the boot hart is the only user.
 */
#include <stdbool.h>

#include "hal/riscv/riscv.h"
#include "hal/serial/serial.h"

/* clang-format off */
#define UART_RBR      0     /* receive buffer register (read) */
#define UART_THR      0     /* transmit holding register (write) */
#define UART_LSR      5     /* line status register */
#define UART_LSR_DR   0x01  /* data ready: the receive FIFO holds a byte */
#define UART_LSR_THRE 0x20  /* transmit holding register empty */
/* clang-format on */

#define SPIN_LIMIT 1000000 /* about a second at QEMU speed; then drop */

static volatile uint8_t *regs;
static uint32_t shift, io_width;

static uint32_t reg_read(unsigned int reg)
{
	volatile void *addr = regs + (reg << shift);

	return io_width == 4 ? readl(addr) : readb(addr);
}

static void reg_write(unsigned int reg, uint32_t v)
{
	volatile void *addr = regs + (reg << shift);

	if (io_width == 4)
		writel(v, addr);
	else
		writeb((uint8_t)v, addr);
}

void ns16550_init(void *base, uint32_t reg_shift, uint32_t reg_io_width)
{
	regs = base;
	shift = reg_shift;
	io_width = reg_io_width;
}

static void put(char c)
{
	/* A wedged UART must not hang the runtime: give up on the byte. */
	for (int i = 0; i < SPIN_LIMIT; i++) {
		if (reg_read(UART_LSR) & UART_LSR_THRE) {
			reg_write(UART_THR, (uint8_t)c);
			return;
		}
	}
}

void ns16550_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			put('\r');
		put(buf[i]);
	}
}

int ns16550_getc(void)
{
	if (!(reg_read(UART_LSR) & UART_LSR_DR))
		return -1;
	return (int)(reg_read(UART_RBR) & 0xff);
}
