/*
 * Kernel threads.  A thread is created asleep (TASK_NEW) with its own
 * guarded stack; waking it runs fn(arg).  Stopping and parking are
 * requests: the thread sees them at its next kthread_should_stop() /
 * kthread_should_park() check, and the requester waits on a completion.
 */
#include "kthread.h"
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

/* C body of every kthread: ret_from_fork lands here. */
void __noreturn kthread_main(void)
{
	struct task_struct *p = current;

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
	/* The last reference to our stack is dropped by whoever switches in
	 * after us (finish_task_switch), not by us while we stand on it. */
	do_task_dead();
}

/* Consumes the caller's reference (kthread.h): the one from
 * kthread_create(), or one the caller took itself. */
int kthread_stop(struct task_struct *p)
{
	int code;

	set_flag(p, PF_KTHREAD_SHOULD_STOP);
	kthread_unpark(p);
	wake_up_process(p);
	wait_for_completion(&p->kthread->exited);
	code = p->exit_code;
	put_task_struct(p);
	return code;
}

void kthread_parkme(void)
{
	struct task_struct *p = current;

	for (;;) {
		set_current_state(TASK_PARKED);
		if (!kthread_should_park())
			break;
		complete_all(&p->kthread->parked);
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

int kthread_park(struct task_struct *p)
{
	if (p == current)
		return -EINVAL;
	if (p->state == TASK_DEAD)
		return -ESRCH;
	reinit_completion(&p->kthread->parked);
	set_flag(p, PF_KTHREAD_SHOULD_PARK);
	wake_up_process(p);
	wait_for_completion(&p->kthread->parked);
	return 0;
}

void kthread_unpark(struct task_struct *p)
{
	if (!has_flag(p, PF_KTHREAD_SHOULD_PARK))
		return;
	clear_flag(p, PF_KTHREAD_SHOULD_PARK);
	wake_up_state(p, TASK_PARKED);
}
