/*
 * ARM PL011 UART: the console on QEMU virt, UART0 on the Raspberry Pi 4.
 * The boot firmware (or QEMU) has already set the baud rate; we only make
 * sure the transmitter and receiver are on and ask for receive interrupts.
 */
#include "console.h"
#include "mmio.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)	/* receive timeout: data sat in the FIFO */

static void pl011_init(u64 base)
{
	mmio_write32(base + UART_IMSC, 0);
	mmio_write32(base + UART_CR, mmio_read32(base + UART_CR) | CR_UARTEN | CR_TXE | CR_RXE);
}

static void pl011_putc(u64 base, char c)
{
	while (mmio_read32(base + UART_FR) & FR_TXFF)
		;
	mmio_write32(base + UART_DR, (u8)c);
}

static int pl011_getc(u64 base)
{
	if (mmio_read32(base + UART_FR) & FR_RXFE)
		return -1;
	return mmio_read32(base + UART_DR) & 0xff;
}

static void pl011_irq_enable(u64 base)
{
	mmio_write32(base + UART_ICR, INT_RX | INT_RT);
	mmio_write32(base + UART_IMSC, INT_RX | INT_RT);
}

static void pl011_irq_ack(u64 base)
{
	mmio_write32(base + UART_ICR, INT_RX | INT_RT);
}

const struct uart_driver pl011_driver = {
	.compatible = "arm,pl011",
	.init = pl011_init,
	.putc = pl011_putc,
	.getc = pl011_getc,
	.irq_enable = pl011_irq_enable,
	.irq_ack = pl011_irq_ack,
};
