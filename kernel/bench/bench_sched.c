/*
 * Scheduler figures for `bench` (kernel/bench/bench.c), made the way the Linux
 * peer measured them (../shared/peers/linux/bench.c): two threads
 * ping-pong a turn flag, each sleeping until it is its turn; one-way
 * latency = round trip / 2, 2000 round trips, the first 10% dropped as
 * warm-up, median reported.  Linux's threads are user processes blocking
 * in futex(); ours are kernel threads on a wait queue, so our figure has
 * no system-call entry and exit in it.
 */
#include "bench.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "stop_machine.h"
#include "timer.h"
#include "wait.h"

#define ROUND_TRIPS 2000
#define WARMUP (ROUND_TRIPS / 10)
#define STOPS 50

static struct {
	struct wait_queue_head wq;
	int turn;			/* 0: A's turn, 1: B's */
	u64 rtt[ROUND_TRIPS];		/* counter cycles */
	struct completion done;
} pp;

static int ping_a(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUND_TRIPS; i++) {
		u64 t0 = read_cntvct();

		smp_store_release(&pp.turn, 1);
		wake_up(&pp.wq);
		wait_event(pp.wq, smp_load_acquire(&pp.turn) == 0);
		pp.rtt[i] = read_cntvct() - t0;
	}
	complete(&pp.done);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static int pong_b(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(pp.wq, smp_load_acquire(&pp.turn) == 1 || kthread_should_stop());
		if (kthread_should_stop())
			return 0;
		smp_store_release(&pp.turn, 0);
		wake_up(&pp.wq);
	}
}

static struct task_struct *start_on(int (*fn)(void *), unsigned int cpu, const char *name)
{
	struct task_struct *p = kthread_create(fn, NULL, name);

	if (p) {
		/* Not started yet: the mask is simply where it will run. */
		cpumask_clear(&p->cpus_allowed);
		cpumask_set_cpu(cpu, &p->cpus_allowed);
		wake_up_process(p);
	}
	return p;
}

/* Median one-way latency in ns of a wait-queue ping-pong between a thread
 * on cpu_a and one on cpu_b (the same CPU: a task switch each way); 0 if
 * the threads could not be made or did not finish within 10 s. */
u64 bench_pingpong_ns(unsigned int cpu_a, unsigned int cpu_b)
{
	struct task_struct *a, *b;
	bool finished;
	u64 ns = 0;

	init_waitqueue_head(&pp.wq);
	init_completion(&pp.done);
	pp.turn = 0;
	b = start_on(pong_b, cpu_b, "bench-pong");
	a = b ? start_on(ping_a, cpu_a, "bench-ping") : NULL;
	if (!a) {
		if (b)
			kthread_stop(b);
		return 0;
	}
	finished = wait_for_completion_timeout(&pp.done, 10000000000ULL) != 0;
	kthread_stop(b);
	kthread_stop(a);
	if (finished) {
		bench_sort(pp.rtt + WARMUP, ROUND_TRIPS - WARMUP);
		ns = cycles_to_ns(pp.rtt[WARMUP + (ROUND_TRIPS - WARMUP) / 2]) / 2;
	}
	return ns;
}

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

/* Median time of a whole stop_machine() call, as its caller sees it:
 * every CPU's stopper woken, the lockstep rendezvous, all released. */
u64 bench_stop_machine_ns(void)
{
	static u64 t[STOPS];

	for (int i = 0; i < STOPS; i++) {
		u64 t0 = read_cntvct();

		stop_machine(nothing, NULL, NULL);
		t[i] = read_cntvct() - t0;
	}
	bench_sort(t + STOPS / 10, STOPS - STOPS / 10);
	return cycles_to_ns(t[STOPS / 10 + (STOPS - STOPS / 10) / 2]);
}
