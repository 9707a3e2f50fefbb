/* The task list, pids and task lifetime (reference counts). */
#include "sched.h"
#include "kernel.h"
#include "page_alloc.h"
#include "stack_alloc.h"

static LIST_HEAD(task_list);
static DEFINE_SPINLOCK(task_list_lock);	/* irqsave: freed from switch path */
static int next_pid = 1;

int task_list_add(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&task_list_lock, flags);
	if (p->pid == 0 && !(p->flags & PF_IDLE))
		p->pid = next_pid++;
	if (!p->tasks.next || list_empty(&p->tasks))
		list_add_tail(&p->tasks, &task_list);
	spin_unlock_irqrestore(&task_list_lock, flags);
	return p->pid;
}

void get_task_struct(struct task_struct *p)
{
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
}

void put_task_struct(struct task_struct *p)
{
	unsigned long flags;

	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock_irqsave(&task_list_lock, flags);
	list_del_init(&p->tasks);
	spin_unlock_irqrestore(&task_list_lock, flags);
	stack_free(p->stack_top);
	kfree(p->kthread);
	kfree(p);
}

struct task_struct *find_get_task_by_pid(int pid)
{
	struct task_struct *p, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&task_list_lock, flags);
	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid && !(p->flags & PF_IDLE) && p->state != TASK_DEAD) {
			get_task_struct(p);
			found = p;
			break;
		}
	spin_unlock_irqrestore(&task_list_lock, flags);
	return found;
}

void for_each_task(void (*fn)(struct task_struct *p, void *arg), void *arg)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&task_list_lock, flags);
	list_for_each_entry(p, &task_list, tasks)
		fn(p, arg);
	spin_unlock_irqrestore(&task_list_lock, flags);
}

const char *task_state_name(const struct task_struct *p)
{
	long s = READ_ONCE(p->state);

	if (p->flags & PF_IDLE)
		return READ_ONCE(p->on_cpu) ? "running" : "idle";
	if (s == TASK_RUNNING)
		return READ_ONCE(p->on_cpu) ? "running" : "runnable";
	if (s & TASK_DEAD)
		return "dead";
	if (s & TASK_PARKED)
		return "parked";
	if (s == TASK_NEW)
		return "new";
	return "sleeping";
}
