/*
 * Kernel threads.  A thread is created asleep (TASK_NEW) with its own
 * guarded stack; waking it runs fn(arg).  Stopping and parking are
 * requests: the thread sees them at its next kthread_should_stop() /
 * kthread_should_park() check, and the requester waits on a completion.
 */
#include "kthread.h"
#include "cpuhp.h"
#include "kernel.h"
#include "page_alloc.h"
#include "stack_alloc.h"
#include "wait.h"
#include "sched/rq.h"
#include "sched/pelt.h"

struct kthread {
	struct completion exited;
	struct completion parked;
};

void ret_from_fork(void);
int task_list_add(struct task_struct *p);

static void set_flag(struct task_struct *p, unsigned long f)
{
	__atomic_fetch_or(&p->flags, f, __ATOMIC_SEQ_CST);
}

static void clear_flag(struct task_struct *p, unsigned long f)
{
	__atomic_fetch_and(&p->flags, ~f, __ATOMIC_SEQ_CST);
}

static bool has_flag(struct task_struct *p, unsigned long f)
{
	return __atomic_load_n(&p->flags, __ATOMIC_ACQUIRE) & f;
}

/*
 * C body of every kthread: ret_from_fork lands here.  A thread may have
 * been told to stop, or to park, before it ever ran: a stopped one never
 * calls fn (its creator gets -EINTR instead), a parked one waits here
 * until unparked, and only then starts fn.
 */
void __noreturn kthread_main(void)
{
	struct task_struct *p = current;

	if (!kthread_should_stop() && kthread_should_park())
		kthread_parkme();
	if (kthread_should_stop())
		kthread_exit(-EINTR);
	kthread_exit(p->fn(p->arg));
}

struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p));
	struct kthread *k = kzalloc(sizeof(*k));
	void *stack = p && k ? stack_alloc() : NULL;

	if (!stack) {
		kfree(p);
		kfree(k);
		return NULL;
	}
	init_completion(&k->exited);
	init_completion(&k->parked);
	p->kthread = k;
	p->stack_top = stack;
	p->ctx.sp = (u64)stack;
	p->ctx.pc = (u64)ret_from_fork;
	p->fn = fn;
	p->arg = arg;
	p->state = TASK_NEW;
	p->refcount = 2;	/* one to run on, one for the creator */
	p->cpu = smp_processor_id();
	p->nice = 0;
	p->weight = nice_to_weight(0);
	init_entity_runnable_average(p);
	cpumask_copy(&p->cpus_allowed, cpu_possible_mask);
	spin_lock_init(&p->pi_lock);
	INIT_LIST_HEAD(&p->run_node);
	INIT_LIST_HEAD(&p->tasks);
	strlcpy(p->comm, name, sizeof(p->comm));
	task_list_add(p);
	return p;
}

struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg, unsigned int cpu,
					  const char *name)
{
	struct task_struct *p = kthread_create(fn, arg, name);

	if (p) {
		cpumask_clear(&p->cpus_allowed);
		cpumask_set_cpu(cpu, &p->cpus_allowed);
		p->flags |= PF_NO_SETAFFINITY;
		p->cpu = cpu;
	}
	return p;
}

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = kthread_create(fn, arg, name);

	if (p)
		wake_up_process(p);
	return p;
}

bool kthread_should_stop(void)
{
	return has_flag(current, PF_KTHREAD_SHOULD_STOP);
}

bool kthread_should_park(void)
{
	return has_flag(current, PF_KTHREAD_SHOULD_PARK);
}

void kthread_exit(int code)
{
	struct task_struct *p = current;

	p->exit_code = code;
	complete_all(&p->kthread->exited);
	/* A thread that returns instead of parking must not leave its parker
	 * waiting: kthread_park sees 'exited' and reports -ESRCH. */
	complete_all(&p->kthread->parked);
	/* The last reference to our stack is dropped by whoever switches in
	 * after us (finish_task_switch), not by us while we stand on it. */
	do_task_dead();
}

/*
 * kthread_stop - ask p to return from its function, wait until it has.
 * Context: may sleep; not from p itself.  Consumes the caller's reference
 * (kthread.h): the one from kthread_create(), or one the caller took.
 * A parked p is unparked so that it can return; a p that never ran is
 * started only to exit: its function is not called.
 * Returns p's exit code (fn's result), or -EINTR if fn never ran, once p
 * is gone (the caller's reference was the last one: a reference someone
 * else holds delays the return until they drop it).
 */
int kthread_stop(struct task_struct *p)
{
	int code;

	set_flag(p, PF_KTHREAD_SHOULD_STOP);
	kthread_unpark(p);
	wake_up_process(p);
	wait_for_completion(&p->kthread->exited);
	code = p->exit_code;
	/* It may still be between its complete() and its last switch (on
	 * one CPU we may even have preempted it there), and the CPU that
	 * switches away from it drops the reference it ran on a moment
	 * after.  Wait until ours is the only reference left, so that our
	 * put frees its stack now, not in the middle of whatever our caller
	 * does next (the test harness counts free pages).  Acquire: pairs
	 * with the release in put_task_struct()'s decrement. */
	while (__atomic_load_n(&p->refcount, __ATOMIC_ACQUIRE) != 1)
		yield();
	put_task_struct(p);
	return code;
}

/*
 * Called by a thread that saw kthread_should_park().  "Parked" is announced
 * with preemption off and the thread goes straight from there into
 * schedule(): a parker on another CPU waits only for the switch-out that
 * follows at once, and a parker on this CPU cannot run before the thread
 * is off its runqueue.  Only kthread_unpark (wake_up_state TASK_PARKED)
 * wakes a parked thread; a plain wake_up_process does not.
 */
void kthread_parkme(void)
{
	struct task_struct *p = current;

	for (;;) {
		set_current_state(TASK_PARKED);
		if (!kthread_should_park())
			break;
		preempt_disable();
		complete_all(&p->kthread->parked);
		schedule_preempt_disabled();
		preempt_enable();
	}
	__set_current_state(TASK_RUNNING);
}

/*
 * kthread_park - hold p in kthread_parkme() until kthread_unpark().
 * p must call kthread_should_park()/kthread_parkme() in its loop (or not
 * have run yet: it then parks before its function starts).  A per-CPU
 * thread's CPU must be online, or p cannot run to park.
 * Context: may sleep, unless p is the caller: then it only records the
 * request (p parks at its next check) and returns at once, so a stopper
 * can park itself from inside its own work, IRQs masked.
 * Callers serialise park and unpark of one thread (hotplug does).
 * Returns 0 once p has announced "parked" and is off its CPU; -EBUSY if p
 * is parked or asked to park already; -ESRCH if p has exited (or exits
 * instead of parking).
 */
int kthread_park(struct task_struct *p)
{
	struct kthread *k = p->kthread;

	if (READ_ONCE(p->state) == TASK_DEAD || completion_done(&k->exited))
		return -ESRCH;
	if (has_flag(p, PF_KTHREAD_SHOULD_PARK))
		return -EBUSY;
	/* Reset while the flag is clear: p cannot be announcing meanwhile. */
	reinit_completion(&k->parked);
	if (__atomic_fetch_or(&p->flags, PF_KTHREAD_SHOULD_PARK, __ATOMIC_SEQ_CST) &
	    PF_KTHREAD_SHOULD_PARK)
		return -EBUSY;
	if (p == current)
		return 0;
	/* An exit that completed 'parked' before our reset would be lost:
	 * kthread_exit completes 'exited' first, so look at it after the
	 * reset (the barrier orders our store before this load). */
	smp_mb();
	if (completion_done(&k->exited))
		return -ESRCH;
	wake_up_process(p);
	wait_for_completion(&k->parked);
	if (completion_done(&k->exited))
		return -ESRCH;
	/* p completed 'parked' with preemption off, so it is switching out
	 * now: wait until its CPU is done with it (this acquire pairs with
	 * the store-release of on_cpu in finish_task_switch; after it, p's
	 * dequeue under its runqueue lock is visible too). */
	while (smp_load_acquire(&p->on_cpu))
		cpuhp_spin_relax();
	return 0;
}

/*
 * kthread_unpark - let a parked p go on (or start, if it was parked
 * before its first run).  Nothing happens if p is not parked or asked to.
 * Context: any, IRQs on or off; does not sleep.
 */
void kthread_unpark(struct task_struct *p)
{
	if (!has_flag(p, PF_KTHREAD_SHOULD_PARK))
		return;
	clear_flag(p, PF_KTHREAD_SHOULD_PARK);
	wake_up_state(p, TASK_PARKED);
}
