/* The console: a UART found through /chosen/stdout-path (kernel/console.c). */
#ifndef RONDO_CONSOLE_H
#define RONDO_CONSOLE_H

#include "types.h"
#include "fdt.h"

struct uart_driver {
	const char *compatible;
	void (*init)(u64 base);
	void (*putc)(u64 base, char c);
	int (*getc)(u64 base);		/* -1 if nothing is waiting */
	void (*irq_enable)(u64 base);	/* raise an IRQ on received data */
	void (*irq_ack)(u64 base);
};

/* Find and initialise the console from the DT; 0 or negative error. */
int console_init(const struct fdt *f);
void console_irq_init(void);
/* Physical window of the UART, for the MMU. */
void console_region(u64 *base, u64 *size);
void console_write(const char *s, size_t n);	/* raw, caller holds nothing */
/* Shell input: next received byte, sleeping in WFI while there is none. */
int console_getc(void);
int console_getc_nowait(void);
/* Test hook: send console output into buf instead of the UART (NULL
 * to stop); *len counts the bytes kept, the rest is dropped. */
void console_capture(char *buf, size_t size, size_t *len);

#endif
