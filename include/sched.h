/*
 * Tasks and the scheduler core (kernel/sched/).  Every thread of control is
 * a task: the idle loop of each CPU, the per-CPU stopper, the shell, test
 * and workload threads.  Each CPU has its own runqueue; a task belongs to
 * exactly one runqueue at a time (task_cpu()) and moves only by the
 * migration paths in kernel/sched/migrate.c.
 */
#ifndef RONDO_SCHED_H
#define RONDO_SCHED_H

#include "types.h"
#include "cpumask.h"
#include "list.h"
#include "asm/atomic.h"
#include "asm/spinlock.h"
#include "asm/percpu.h"
#include "asm/thread_info.h"
#include "kernel.h"

struct kthread;

/* Task states, as in Linux: 0 = runnable (queued or running). */
#define TASK_RUNNING 0x00
#define TASK_INTERRUPTIBLE 0x01
#define TASK_UNINTERRUPTIBLE 0x02
#define TASK_PARKED 0x40
#define TASK_DEAD 0x80
#define TASK_NEW 0x100		/* created, never woken */
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* p->on_rq, as in Linux.  QUEUED: runnable on rq task_cpu(p) (queued, or
 * running as its curr).  MIGRATING: taken off one runqueue and not yet on
 * the next; task_cpu(p) may already name the next one.  Whoever sees
 * MIGRATING waits (task_rq_lock) until the mover has put it down. */
#define TASK_ON_RQ_QUEUED 1
#define TASK_ON_RQ_MIGRATING 2

/* Task flags */
#define PF_IDLE (1u << 0)
#define PF_STOPPER (1u << 1)
#define PF_NO_SETAFFINITY (1u << 2)	/* bound per-CPU kthread */
#define PF_KTHREAD_SHOULD_STOP (1u << 3)
#define PF_KTHREAD_SHOULD_PARK (1u << 4)

#define TASK_COMM_LEN 16
#define NICE_MIN -20
#define NICE_MAX 19

struct ktest_task;	/* kernel/ktest.c */

/*
 * Load tracking (kernel/sched/pelt.c, Linux's struct sched_avg): geometric
 * averages over 1024-unit periods, one unit being 1024 ns.  A task's moves
 * with it; each runqueue has its own.
 */
struct sched_avg {
	u64 last_update_time;		/* ns; 0 = not attached to a runqueue */
	u64 load_sum;			/* task: runnable time; rq: x weight */
	u64 runnable_sum;		/* runnable time x tasks x 1024 */
	u64 util_sum;			/* running time x CPU capacity */
	u32 period_contrib;		/* units into the current period */
	unsigned long load_avg, runnable_avg, util_avg;
};

/* Saved by cpu_switch_to (switch.S): callee-saved registers, fp, sp, pc. */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp, sp, pc;
};

struct task_struct {
	struct thread_info thread_info;	/* first: current_thread_info() */
	struct cpu_context ctx;		/* at TASK_CTX_OFFSET (switch.S) */
	volatile long state;
	unsigned long flags;		/* PF_*: set plainly before the task first runs,
					 * later only with atomic ops (kthread.c) */
	int pid;
	char comm[TASK_COMM_LEN];
	int refcount;

	/* Placement */
	unsigned int cpu;		/* runqueue we belong to (rules: core.c) */
	int on_rq;			/* 0, TASK_ON_RQ_QUEUED or _MIGRATING */
	int on_cpu;			/* executing, or still switching out */
	cpumask_t cpus_allowed;
	spinlock_t pi_lock;		/* serialises wake-ups and affinity changes */

	/* Fair policy */
	int nice;
	u32 weight;
	u64 vruntime;			/* ns of weighted CPU time */
	u64 exec_start;			/* ns, when it last got the CPU */
	u64 slice_start;
	struct sched_avg avg;		/* its load and utilisation (pelt.c) */

	/* Accounting */
	u64 sum_exec_runtime;		/* ns */
	u64 nr_switches;		/* times it got the CPU */
	u64 nr_migrations;
	u64 migrated_at;		/* sched_clock() ns of its last move (bench) */
	u64 affinity_violations;	/* switched in on a CPU outside cpus_allowed: must stay 0 */
	u64 progress;			/* workloads count their loops here */

	struct list_head run_node;	/* in rq->queue */
	struct list_head tasks;		/* in the global task list */

	/* Thread body */
	int (*fn)(void *);
	void *arg;
	void *stack_top;
	int exit_code;
	struct kthread *kthread;		/* stop/park hand-shake (kthread.c) */
	struct ktest_task *ktest;
	struct line_buf line;		/* kprintf's unfinished line */	/* test harness state while a case runs */
};

/* `current`: SP_EL0 is free (the kernel runs on SP_EL1), so it holds the
 * running task, switched by cpu_switch_to. */
static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__ volatile("mrs %0, sp_el0" : "=r"(t));
	return t;
}
#define current get_current()

static inline unsigned int task_cpu(const struct task_struct *p) { return READ_ONCE(p->cpu); }
static inline bool task_on_rq_queued(const struct task_struct *p)
{
	return READ_ONCE(p->on_rq) == TASK_ON_RQ_QUEUED;
}
static inline bool task_on_rq_migrating(const struct task_struct *p)
{
	return READ_ONCE(p->on_rq) == TASK_ON_RQ_MIGRATING;
}

/* Scheduler entry points */
void init_cpu_task(unsigned int cpu);	/* first thing on each CPU: current = its idle task */
void sched_init(void);			/* boot CPU, before smp_init */
void sched_init_secondary(unsigned int cpu);
void __noreturn cpu_idle(void);
void schedule(void);
void schedule_preempt_disabled(void);	/* preempt count 1 on entry and exit */
void __noreturn do_task_dead(void);	/* exiting task: switch away for good */
void scheduler_tick(void);
void preempt_schedule_irq(void);	/* from IRQ exit */
void nohz_kick_ipi(void);		/* IPI_NOHZ_KICK received (IRQ context) */
void yield(void);
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);
void wake_up_new_task(struct task_struct *p);
void resched_cpu(unsigned int cpu);
bool idle_cpu(unsigned int cpu);
unsigned int nr_running_on(unsigned int cpu);
int set_user_nice(struct task_struct *p, int nice);
int sched_boost_current(void);		/* hotplug's control task: see core.c */
void sched_unboost_current(int nice);

#define set_current_state(s) do { WRITE_ONCE(current->state, (s)); smp_mb(); } while (0)
#define __set_current_state(s) WRITE_ONCE(current->state, (s))

/* Affinity and migration (contract at the definition, migrate.c) */
int set_cpus_allowed_ptr(struct task_struct *p, const cpumask_t *mask);
/* Invariants counted per CPU at every switch-in; both must stay 0:
 * a task switched in outside its cpus_allowed (also per task, in
 * p->affinity_violations), and a task that is not a bound per-CPU thread
 * switched in while the CPU is not active.  Any context, lock-free. */
u64 sched_affinity_violations(unsigned int cpu);
u64 sched_inactive_violations(unsigned int cpu);
int select_fallback_rq(unsigned int cpu, struct task_struct *p);

/* Task lifetime and lookup */
struct task_struct *find_get_task_by_pid(int pid);
void get_task_struct(struct task_struct *p);
void put_task_struct(struct task_struct *p);
/* Call fn for each task under the task-list lock (keep it short). */
void for_each_task(void (*fn)(struct task_struct *p, void *arg), void *arg);
const char *task_state_name(const struct task_struct *p);


#endif
