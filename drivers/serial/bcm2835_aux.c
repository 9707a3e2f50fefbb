/*
 * The BCM2835 auxiliary "mini UART" (UART1 on the Raspberry Pi 4), where
 * the stock Pi 4 device tree points /chosen/stdout-path.  Its baud rate is
 * derived from the VPU core clock, so we keep whatever the firmware set
 * (config.txt pins the core clock; see docs/rpi4.md).
 */
#include "console.h"
#include "mmio.h"

/* Offsets from the DT's reg, which starts at AUX_MU_IO. */
#define MU_IO 0x00
#define MU_IER 0x04
#define MU_IIR 0x08
#define MU_LSR 0x14
#define MU_CNTL 0x20
#define AUX_ENABLES (-0x40 + 0x04)	/* in the AUX block just below */

#define LSR_DATA_READY (1u << 0)
#define LSR_TX_EMPTY (1u << 5)
#define IER_RX (1u << 0)	/* the datasheet swaps the RX/TX enable bits */

static void aux_init(u64 base)
{
	u32 en = mmio_read32(base + AUX_ENABLES);

	if (!(en & 1))
		mmio_write32(base + AUX_ENABLES, en | 1);
	mmio_write32(base + MU_IER, 0);
	mmio_write32(base + MU_CNTL, 3);	/* receiver and transmitter on */
}

static void aux_putc(u64 base, char c)
{
	while (!(mmio_read32(base + MU_LSR) & LSR_TX_EMPTY))
		;
	mmio_write32(base + MU_IO, (u8)c);
}

static int aux_getc(u64 base)
{
	if (!(mmio_read32(base + MU_LSR) & LSR_DATA_READY))
		return -1;
	return mmio_read32(base + MU_IO) & 0xff;
}

static void aux_irq_enable(u64 base)
{
	mmio_write32(base + MU_IER, IER_RX);
}

static void aux_irq_ack(u64 base)
{
	/* Reading the data (done by the caller's drain) clears the interrupt. */
	(void)base;
}

const struct uart_driver bcm2835_aux_driver = {
	.compatible = "brcm,bcm2835-aux-uart",
	.init = aux_init,
	.putc = aux_putc,
	.getc = aux_getc,
	.irq_enable = aux_irq_enable,
	.irq_ack = aux_irq_ack,
};
