/*
 * Scheduler event trace (kernel/trace.c): a ring buffer per CPU, written
 * only by its own CPU with IRQs masked, so recording takes no lock.
 * Shell: trace on|off|dump|clear.  Dumped line format (docs/trace.md):
 *
 *   <ns since boot, 12 digits> C<cpu> <event> key=value ...
 *
 *   switch  prev=<pid>:<comm> next=<pid>:<comm> prev_state=<state>
 *   wakeup  pid=<pid> comm=<comm> target=<cpu>
 *   migrate pid=<pid> comm=<comm> from=<cpu> to=<cpu> reason=<why>
 *   stop    fn=<image offset of the stopper work function>
 */
#ifndef RONDO_TRACE_H
#define RONDO_TRACE_H

#include "types.h"

struct task_struct;

extern bool tracing_on;

void __trace_switch(struct task_struct *prev, struct task_struct *next);
void __trace_wakeup(struct task_struct *p);
void __trace_migrate(struct task_struct *p, unsigned int from, unsigned int to, const char *reason);
void __trace_stop(void *fn);

#define trace_sched_switch(prev, next) do { if (tracing_on) __trace_switch(prev, next); } while (0)
#define trace_sched_wakeup(p) do { if (tracing_on) __trace_wakeup(p); } while (0)
#define trace_sched_migrate(p, f, t, r) do { if (tracing_on) __trace_migrate(p, f, t, r); } while (0)
#define trace_stop_work(fn) do { if (tracing_on) __trace_stop((void *)(fn)); } while (0)

int trace_enable(bool on);
void trace_clear(void);
/* Write every recorded event, oldest first, through kprintf. */
unsigned int trace_dump(void);

#endif
