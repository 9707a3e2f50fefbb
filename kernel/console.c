/*
 * The console UART: found through /chosen/stdout-path, written by printk
 * and kprintf, read by the shell through a small receive ring that the
 * UART interrupt fills.
 */
#include "console.h"
#include "kernel.h"
#include "irq.h"
#include "wait.h"
#include "asm/spinlock.h"
#include "asm/sysreg.h"

extern const struct uart_driver pl011_driver;
extern const struct uart_driver bcm2835_aux_driver;

static const struct uart_driver *const uart_drivers[] = {
	&pl011_driver,
	&bcm2835_aux_driver,
};

static const struct uart_driver *uart;
static u64 uart_base, uart_size;
static unsigned int uart_intid;
static bool uart_irq_edge;

/* Receive ring: the IRQ handler produces, the shell consumes. */
#define RX_RING 1024
static char rx_ring[RX_RING];
static unsigned int rx_head, rx_tail;
static DEFINE_SPINLOCK(rx_lock);
static DECLARE_WAIT_QUEUE_HEAD(rx_wait);
static bool rx_irq_works;

static char *cap_buf;
static size_t cap_size, *cap_len;

static int find_stdout_node(const struct fdt *f)
{
	int chosen = fdt_path_offset(f, "/chosen");
	const char *path;

	if (chosen < 0)
		return chosen;
	path = fdt_prop_string(f, chosen, "stdout-path");
	if (!path)
		path = fdt_prop_string(f, chosen, "linux,stdout-path");
	if (!path)
		return -FDT_ERR_NOTFOUND;
	return fdt_path_offset(f, path);
}

int console_init(const struct fdt *f)
{
	int node = find_stdout_node(f);
	const u32 *irq;
	int len, err;

	if (node < 0)
		return node;
	for (size_t i = 0; i < ARRAY_SIZE(uart_drivers); i++)
		if (fdt_is_compatible(f, node, uart_drivers[i]->compatible))
			uart = uart_drivers[i];
	if (!uart)
		return -FDT_ERR_NOTFOUND;
	err = fdt_reg_cpu(f, node, 0, &uart_base, &uart_size);
	if (err < 0) {
		uart = NULL;
		return err;
	}
	irq = fdt_getprop(f, node, "interrupts", &len);
	if (irq && len >= 12) {
		int id = dt_irq_to_intid(irq, &uart_irq_edge);

		uart_intid = id > 0 ? (unsigned int)id : 0;
	}
	uart->init(uart_base);
	return 0;
}

void console_region(u64 *base, u64 *size)
{
	*base = uart_base;
	*size = uart_size;
}

void console_write(const char *s, size_t n)
{
	if (cap_buf) {
		/* Captured output (a test looking at it) skips the UART. */
		size_t room = cap_size - 1 - *cap_len;
		size_t take = n < room ? n : room;

		memcpy(cap_buf + *cap_len, s, take);
		*cap_len += take;
		cap_buf[*cap_len] = '\0';
		return;
	}
	if (!uart)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart->putc(uart_base, '\r');
		uart->putc(uart_base, s[i]);
	}
}

void console_capture(char *buf, size_t size, size_t *len)
{
	cap_size = size;
	cap_len = len;
	if (len)
		*len = 0;
	if (buf && size)
		buf[0] = '\0';
	smp_wmb();
	cap_buf = buf;
}

/* Drain the UART into the ring; caller holds rx_lock. */
static void rx_drain(void)
{
	int c;

	while ((c = uart->getc(uart_base)) >= 0) {
		unsigned int next = (rx_head + 1) % RX_RING;

		if (next == rx_tail)
			continue;	/* full: drop, the shell will see a short line */
		rx_ring[rx_head] = (char)c;
		rx_head = next;
	}
}

static void console_irq(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	spin_lock(&rx_lock);
	rx_drain();
	uart->irq_ack(uart_base);
	spin_unlock(&rx_lock);
	WRITE_ONCE(rx_irq_works, true);
	wake_up(&rx_wait);
}

void console_irq_init(void)
{
	if (!uart || !uart_intid)
		return;
	if (request_irq(uart_intid, console_irq, NULL, uart_irq_edge) == 0)
		uart->irq_enable(uart_base);
}

int console_getc_nowait(void)
{
	unsigned long flags;
	int c = -1;

	if (!uart)
		return -1;
	spin_lock_irqsave(&rx_lock, flags);
	/* Polling as well keeps the shell alive if the IRQ never comes. */
	rx_drain();
	if (rx_tail != rx_head) {
		c = (unsigned char)rx_ring[rx_tail];
		rx_tail = (rx_tail + 1) % RX_RING;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	return c;
}

static bool rx_ready(void)
{
	return READ_ONCE(rx_tail) != READ_ONCE(rx_head);
}

int console_getc(void)
{
	for (;;) {
		int c = console_getc_nowait();

		if (c >= 0)
			return c;
		/* Sleep until the receive IRQ; until it has been seen to work,
		 * also wake now and then to poll the UART. */
		if (READ_ONCE(rx_irq_works))
			wait_event(rx_wait, rx_ready());
		else
			wait_event_timeout(rx_wait, rx_ready(), 20000000);
	}
}
