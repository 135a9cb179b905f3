// SPDX-License-Identifier: MIT
/*
 * hal/riscv/plic.c - the RISC-V PLIC, as much of it as waiting for a
 * device needs (riscv,plic0 / sifive,plic-1.0.0).
 *
 * Each source has a priority (0: never interrupts); each context (a hart's
 * M or S mode) has an enable bit per source, a threshold, and a
 * claim/complete register. A source pending, enabled and above the
 * threshold raises the context's external interrupt (for an S context,
 * sip.SEIP). Claiming returns the source and clears its pending bit; the
 * gateway forwards that source again only after complete.
 *
 * pagoda takes no device interrupts as traps: the waiting code enables
 * sie.SEIE with sstatus.SIE clear, so SEIP only ends a wfi, then claims
 * here (hal/virtio/mmio.c). It lives beside its only user for now.
 */
#include "hal/riscv/riscv.h"

/* clang-format off */
#define PLIC_PRIORITY(irq)       (4u * (irq))
#define PLIC_ENABLE(ctx, irq)    (0x2000u + 0x80u * (ctx) + 4u * ((irq) / 32))
#define PLIC_THRESHOLD(ctx)      (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)          (0x200000u + 0x1000u * (ctx) + 4u)
/* clang-format on */

static volatile uint8_t *plic;
static uint32_t plic_ctx, plic_ndev;

void plic_init(volatile void *base, uint32_t ndev, uint32_t context)
{
	plic = base;
	plic_ctx = context;
	plic_ndev = ndev;
	/* sources are 1..ndev; word 0 bit 0 is the non-existent source 0 */
	for (uint32_t w = 0; w <= ndev / 32; w++)
		writel(0, plic + PLIC_ENABLE(context, 32 * w));
	writel(0, plic + PLIC_THRESHOLD(context));
}

void plic_enable(uint32_t irq)
{
	volatile uint8_t *en;

	if (!plic || !irq || irq > plic_ndev)
		return;
	en = plic + PLIC_ENABLE(plic_ctx, irq);
	writel(1, plic + PLIC_PRIORITY(irq));
	writel(readl(en) | 1u << (irq % 32), en);
}

uint32_t plic_claim(void)
{
	return plic ? readl(plic + PLIC_CLAIM(plic_ctx)) : 0;
}

void plic_complete(uint32_t irq)
{
	if (plic)
		writel(irq, plic + PLIC_CLAIM(plic_ctx));
}
