/*
 * printk and kprintf.  Each CPU assembles its output line by line; a
 * finished line goes to the UART under console_lock in one piece, so lines
 * from different CPUs never mix.  With IRQs masked while the lock is held,
 * an interrupt handler on the same CPU cannot deadlock against it.
 */
#include "kernel.h"
#include "console.h"
#include "sched.h"
#include "smp.h"
#include "asm/spinlock.h"
#include "asm/atomic.h"


static DEFINE_SPINLOCK(console_lock);
static int console_owner = -1;		/* CPU inside the lock, for recursion */
/* Whose partial line is on screen: a task's, or a CPU's (IRQ context). */
static const void *console_open_line;

/* Interrupt handlers and early boot write through a per-CPU buffer; tasks
 * through their own, since a task may move to another CPU mid-line. */
static struct line_buf cpu_line_bufs[NR_CPUS];

static struct line_buf *my_line_buf(void)
{
	struct cpu_data *cd = this_cpu();

	if (cd->rq && !cd->irq_nesting && !(current->flags & PF_IDLE))
		return &current->line;
	return &cpu_line_bufs[cd->cpu];
}

/* Returns true if we took the lock (false: early boot, or this CPU is
 * already inside it because an exception interrupted a write). */
static bool console_lock_take(void)
{
	int cpu = (int)smp_processor_id();

	/* With the MMU off (early boot, or a panic reporting an exclusive
	 * access made with it off) a spinlock is exactly what must not run. */
	if (system_state == SYSTEM_EARLY || !mmu_on_this_cpu() ||
	    READ_ONCE(console_owner) == cpu)
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
static void emit(const void *owner, const char *s, size_t n, bool ends_line)
{
	if (console_open_line && console_open_line != owner)
		console_write("\n", 1);
	console_write(s, n);
	console_open_line = ends_line ? NULL : owner;
}

static void flush_line(struct line_buf *lb, bool ends_line)
{
	unsigned long flags = local_irq_save();
	bool taken = console_lock_take();

	emit(lb, lb->buf, lb->len, ends_line);
	lb->len = 0;
	console_lock_drop(taken);
	local_irq_restore(flags);
}

int vkprintf(const char *fmt, va_list ap)
{
	char tmp[LINE_MAX];
	int n = vscnprintf(tmp, sizeof(tmp), fmt, ap);
	/* IRQs off: an interrupt handler on this CPU must not write into the
	 * buffer we are filling (it uses the per-CPU one, but we may be it). */
	unsigned long flags = local_irq_save();
	struct line_buf *lb = my_line_buf();

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
	struct line_buf *lb = my_line_buf();

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
	emit(NULL, buf, (size_t)n, true);
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
