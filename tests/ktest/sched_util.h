/*
 * Helpers shared by the scheduler suites (test_sched*.c, test_kthread.c,
 * test_wait.c, test_stop_machine.c): starting and always stopping helper
 * threads, picking CPUs, bounded waiting.
 *
 * Every thread a case starts goes through kt_start() and is stopped by
 * kt_stop() or kt_stop_all(), so the next case (and suite) finds an idle
 * system even when a case failed half-way.  The thread bodies must end
 * when kthread_should_stop() is true, also while they wait: use
 * KT_WAIT_EVENT(), which wakes for a stop request too.
 */
#ifndef TESTS_KTEST_SCHED_UTIL_H
#define TESTS_KTEST_SCHED_UTIL_H

#include "ktest.h"
#include "kthread.h"
#include "smp.h"
#include "string.h"
#include "timer.h"
#include "wait.h"
#include "asm/atomic.h"

/* Room for the largest user, the balance suite: two spinners per CPU at
 * NR_CPUS, with some to spare (test_hotplug caps its load to fit). */
#define KT_MAX_THREADS (2 * NR_CPUS + 32)

/*
 * How long to wait for something that must happen (a thread to run, to
 * sleep, to be released) before calling it a hang.  Long, because on an
 * overloaded host a woken vCPU can wait seconds for host time (seen: 2.5 s
 * with two QEMUs on two cores); it costs nothing when things work.  Bounds
 * on *how fast* something happens are counted in ticks of the CPU
 * concerned instead: a vCPU the host does not run takes no ticks either.
 */
#define KT_LIVENESS_MS 8000
/* Every case gets a timeout above a few liveness waits. */
#define KT_CASE(fn) KTEST_CASE_TIMEOUT(fn, 30000)

/* Start fn(arg) as a kernel thread: on 'cpu' only (-1: anywhere) with the
 * given nice level.  NULL if out of memory or the registry is full. */
struct task_struct *kt_start(int (*fn)(void *), void *arg, const char *name, int cpu, int nice);
/* Like kt_start with a whole mask (not yet running, so no move needed). */
struct task_struct *kt_start_mask(int (*fn)(void *), void *arg, const char *name,
				  const cpumask_t *mask, int nice);
/* Stop one started thread; its exit code. */
int kt_stop(struct task_struct *p);
/* Stop whatever is left (a case that failed early); how many there were. */
unsigned int kt_stop_all(void);

/* The n-th online CPU counting from the highest, wrapping: spreads helper
 * threads away from CPU 0, where boot left the runner. */
unsigned int kt_cpu(unsigned int n);
static inline unsigned int kt_ncpus(void) { return num_online_cpus(); }

static inline u64 kt_now_ns(void) { return cycles_to_ns(read_cntvct()); }
static inline u64 kt_ms_since(u64 t0_ns) { return (kt_now_ns() - t0_ns) / 1000000; }
static inline u64 kt_tick_ns(void) { return 1000000000ULL / tick_hz; }

/* Deterministic per-thread pseudo-random numbers (xorshift64). */
static inline u64 kt_rand(u64 *state)
{
	u64 x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* A diagnostic line in the KTAP output (the measured value behind a check). */
#define KT_NOTE(fmt, ...) kprintf("    # " fmt "\n", ##__VA_ARGS__)

/* Poll cond about once a tick (msleep) until it holds or ms passed. */
#define KT_WAIT_UNTIL(cond, ms) ({						\
	u64 __end = kt_now_ns() + (u64)(ms) * 1000000;				\
	bool __ok;								\
	while (!(__ok = !!(cond)) && kt_now_ns() < __end)			\
		msleep(1);							\
	__ok;									\
})

/*
 * Time as the CPU we run on saw it: what passed between two polls, but no
 * more than the ticks that CPU took meanwhile (one at least, the wake-up
 * of an idle CPU is a timer interrupt too).  A vCPU that the host does
 * not run takes no ticks, so a host stall counts for at most a tick.
 */
struct kt_ticked {
	unsigned int cpu;
	u64 ticks, ns, elapsed_ns;
};
void kt_ticked_start(struct kt_ticked *c);
u64 kt_ticked_ms(struct kt_ticked *c);	/* since start, stalls cut short */

/* Poll cond about once a tick until it holds or ms passed in the time of
 * our CPU (kt_ticked): a bound on how fast something happens.  Never more
 * than KT_TICKED_WALL times ms of wall time, so that a case ends by itself
 * (a failure) rather than at its deadline. */
#define KT_TICKED_WALL 3
#define KT_WAIT_TICKED(cond, ms) ({						\
	struct kt_ticked __c;							\
	u64 __ms = (u64)(ms), __end = kt_now_ns() + KT_TICKED_WALL * __ms * 1000000;	\
	bool __ok;								\
	kt_ticked_start(&__c);							\
	while (!(__ok = !!(cond)) && kt_ticked_ms(&__c) < __ms &&		\
	       kt_now_ns() < __end)						\
		msleep(1);							\
	__ok;									\
})

/* Busy-poll cond (no sleeping: for sub-tick waits) until it holds or ms passed. */
#define KT_SPIN_UNTIL(cond, ms) ({						\
	u64 __end = kt_now_ns() + (u64)(ms) * 1000000;				\
	bool __ok;								\
	while (!(__ok = !!(cond)) && kt_now_ns() < __end)			\
		cpu_relax();							\
	__ok;									\
})

/* In a helper thread: sleep until cond, or until asked to stop. */
#define KT_WAIT_EVENT(wq, cond) wait_event(wq, (cond) || kthread_should_stop())

/* In a helper thread that is done: sleep until kthread_stop(), which
 * wakes us at once (a msleep() loop would make every stop wait a tick). */
void kt_idle_until_stopped(void);

/* CPUs waiting for a ticket spinlock, besides its holder (0 when free). */
static inline unsigned int kt_lock_waiters(spinlock_t *l)
{
	u32 v = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	u16 queued = (u16)((v >> 16) - (v & 0xffff));

	return queued ? queued - 1u : 0;
}

/* The task's state name is "sleeping", and it is off its runqueue: it
 * really went to sleep (not just marked itself). */
static inline bool kt_is_asleep(struct task_struct *p)
{
	return !READ_ONCE(p->on_rq) && !READ_ONCE(p->on_cpu) &&
	       (READ_ONCE(p->state) & TASK_NORMAL);
}

/*
 * A busy thread that watches itself: loops, the CPU of each loop, the
 * largest gap (in ticks of its CPU) between two loops, and loops seen on
 * a CPU other than 'expect' (-1: anywhere is fine).  Reset by the test
 * while it runs, so the fields are only approximately in step.
 */
struct kt_spinner {
	u64 loops;
	u64 max_gap;
	int expect;
	u64 stray;
	unsigned int cpu;
	u64 migrations_at_exit;		/* its nr_migrations after its last loop */
	u64 loops_on[NR_CPUS];
};

int kt_spinner_fn(void *arg);
static inline void kt_spinner_init(struct kt_spinner *s, int expect)
{
	memset(s, 0, sizeof(*s));
	s->expect = expect;
}

/* For a failure report: one line per CPU that is not idle (current task,
 * queue length, whether its stopper is queued, ticks). */
void kt_dump_cpus(void);
/* Print where cpu is now, from an IPI (or say that it takes none). */
void kt_backtrace_cpu(unsigned int cpu);
/* Ask every online CPU to run a function; the number that do not within
 * KT_LIVENESS_MS (a CPU left stuck with IRQs masked, or one no IPI
 * reaches). */
unsigned int kt_unresponsive_cpus(void);
/* One line about a task. */
void kt_dump_task(const char *what, struct task_struct *p);

/* Tasks on the task list with this pid, dead or alive (0 once reaped). */
unsigned int kt_tasks_with_pid(int pid);

#endif
