/*
 * printk and kprintf.  Each CPU assembles its output line by line; a
 * finished line goes to the UART under console_lock in one piece, so lines
 * from different CPUs never mix.  With IRQs masked while the lock is held,
 * an interrupt handler on the same CPU cannot deadlock against it.
 */
#include "kernel.h"
#include "console.h"
#include "smp.h"
#include "asm/spinlock.h"
#include "asm/atomic.h"

#define LINE_MAX 256

static DEFINE_SPINLOCK(console_lock);
static int console_owner = -1;		/* CPU inside the lock, for recursion */
static int console_open_line = -1;	/* CPU whose partial line is on screen */

struct line_buf {
	char buf[LINE_MAX];
	unsigned int len;
};
static struct line_buf line_bufs[NR_CPUS];

/* Returns true if we took the lock (false: early boot, or this CPU is
 * already inside it because an exception interrupted a write). */
static bool console_lock_take(void)
{
	int cpu = (int)smp_processor_id();

	if (system_state == SYSTEM_EARLY || READ_ONCE(console_owner) == cpu)
		return false;
	if (system_state == SYSTEM_HALTING) {
		/* A stopped CPU may have died holding it: wait a bounded time. */
		for (int i = 0; i < 1000000; i++)
			if (spin_trylock(&console_lock))
				goto got;
		spin_lock_init(&console_lock);
		spin_lock(&console_lock);
		goto got;
	}
	spin_lock(&console_lock);
got:
	WRITE_ONCE(console_owner, cpu);
	return true;
}

static void console_lock_drop(bool taken)
{
	if (!taken)
		return;
	WRITE_ONCE(console_owner, -1);
	spin_unlock(&console_lock);
}

/* Caller holds the console: end someone else's partial line first. */
static void emit(int cpu, const char *s, size_t n, bool ends_line)
{
	if (console_open_line >= 0 && console_open_line != cpu)
		console_write("\n", 1);
	console_write(s, n);
	console_open_line = ends_line ? -1 : cpu;
}

static void flush_line(struct line_buf *lb, bool ends_line)
{
	unsigned long flags = local_irq_save();
	bool taken = console_lock_take();

	emit((int)smp_processor_id(), lb->buf, lb->len, ends_line);
	lb->len = 0;
	console_lock_drop(taken);
	local_irq_restore(flags);
}

int vkprintf(const char *fmt, va_list ap)
{
	char tmp[LINE_MAX];
	int n = vscnprintf(tmp, sizeof(tmp), fmt, ap);
	unsigned long flags = local_irq_save();	/* the line buffer is per CPU */
	struct line_buf *lb = &line_bufs[smp_processor_id()];

	for (int i = 0; i < n; i++) {
		lb->buf[lb->len++] = tmp[i];
		if (tmp[i] == '\n')
			flush_line(lb, true);
		else if (lb->len == LINE_MAX)
			flush_line(lb, false);
	}
	local_irq_restore(flags);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}

void kflush(void)
{
	unsigned long flags = local_irq_save();
	struct line_buf *lb = &line_bufs[smp_processor_id()];

	if (lb->len)
		flush_line(lb, false);
	local_irq_restore(flags);
}

int printk(const char *fmt, ...)
{
	char buf[LINE_MAX + 16];
	unsigned int cpu = smp_processor_id();
	int n = scnprintf(buf, sizeof(buf), "[C%u] ", cpu);
	unsigned long flags;
	bool taken;
	va_list ap;

	va_start(ap, fmt);
	n += vscnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (buf[n - 1] != '\n') {
		if ((size_t)n == sizeof(buf) - 1)
			n--;
		buf[n++] = '\n';
	}
	flags = local_irq_save();
	taken = console_lock_take();
	emit((int)cpu, buf, (size_t)n, true);
	console_lock_drop(taken);
	local_irq_restore(flags);
	return n;
}

/* The test harness cleans up after a test that died inside printk. */
void console_unlock_if_owner(void)
{
	if (READ_ONCE(console_owner) == (int)smp_processor_id()) {
		WRITE_ONCE(console_owner, -1);
		spin_unlock(&console_lock);
	}
}
