/* Logging, panic and the checks every file uses (kernel/printk.c, panic.c). */
#ifndef RONDO_KERNEL_H
#define RONDO_KERNEL_H

#include "types.h"
#include "errno.h"
#include "printf.h"
#include "string.h"

/* A line being assembled by kprintf (per task, or per CPU in IRQs). */
#define LINE_MAX 256
struct line_buf {
	char buf[LINE_MAX];
	unsigned int len;
};

/* Kernel log: each line is prefixed with the CPU ("[C2] ...") and written
 * whole, so lines from different CPUs never mix. */
int printk(const char *fmt, ...) __printf(1, 2);
/* Plain console output for the shell and the test harness: no prefix,
 * still never mixed mid-line with other CPUs' lines. */
int kprintf(const char *fmt, ...) __printf(1, 2);
int vkprintf(const char *fmt, va_list ap);
/* Write out this CPU's unfinished line now (prompts, echo). */
void kflush(void);

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void dump_backtrace(u64 fp, u64 pc);

#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)
#define WARN_ON(c) ({ bool __w = !!(c); if (unlikely(__w)) printk("WARNING at %s:%d: %s\n", __FILE__, __LINE__, #c); __w; })

/* Boot state: which facilities are safe to use yet. */
enum system_state {
	SYSTEM_EARLY,		/* MMU off: no exclusives, no spinlocks */
	SYSTEM_MMU_ON,		/* one CPU, MMU and caches on */
	SYSTEM_SMP,		/* secondaries may be running */
	SYSTEM_HALTING,		/* panic or power off in progress */
};
extern enum system_state system_state;

#endif
