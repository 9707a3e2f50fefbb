/*
 * CPU hotplug.  For now only the CPU-hotplug lock (Linux: cpu_hotplug_lock,
 * a per-CPU rw-semaphore behind cpus_read_lock()/cpus_write_lock()).
 *
 * A reader (stop_machine, stop_cpus, anything that walks the online mask
 * and must not see it change) may sleep while it holds the lock, and many
 * readers hold it at once.  The writer (a hotplug operation) excludes them
 * all.  Writers are preferred: once a writer has announced itself, new
 * readers wait, and the writer waits only for the readers already inside to
 * leave, so a steady stream of readers cannot starve it.  Writers queue on
 * a mutex, which hands over in arrival order.
 *
 * Built from a spinlock (the counts), a wait queue (everyone who waits:
 * readers for the writer to go, the writer for the readers to drain) and
 * a mutex (one writer at a time).  Linux's version makes the read side
 * nearly free with per-CPU counters; ours is plain, because readers are
 * few and rare here.
 */
#include "cpu.h"
#include "kernel.h"
#include "wait.h"

static struct {
	spinlock_t lock;		/* guards readers and writer */
	unsigned int readers;		/* inside now */
	struct task_struct *writer;	/* holds it, or waits for readers to drain */
	struct wait_queue_head wq;
	struct mutex write_mutex;
} cpu_hotplug = {
	.lock = SPINLOCK_INIT,
	.wq = WAIT_QUEUE_HEAD_INIT(cpu_hotplug.wq),
	.write_mutex = MUTEX_INIT(cpu_hotplug.write_mutex),
};

static bool read_trylock(void)
{
	unsigned long flags;
	bool got;

	spin_lock_irqsave(&cpu_hotplug.lock, flags);
	got = !cpu_hotplug.writer;
	if (got)
		cpu_hotplug.readers++;
	spin_unlock_irqrestore(&cpu_hotplug.lock, flags);
	return got;
}

static bool readers_drained(void)
{
	unsigned long flags;
	bool drained;

	spin_lock_irqsave(&cpu_hotplug.lock, flags);
	drained = cpu_hotplug.readers == 0;
	spin_unlock_irqrestore(&cpu_hotplug.lock, flags);
	return drained;
}

/*
 * cpus_read_lock - keep CPUs from coming or going until cpus_read_unlock().
 * Context: task, may sleep (waits while a writer holds or wants the lock).
 * Not recursive: a second cpus_read_lock() by a holder can deadlock
 * against a writer that arrived in between.  Never from a stopper, nor
 * from the writer.
 */
void cpus_read_lock(void)
{
	wait_event(cpu_hotplug.wq, read_trylock());
}

/* Context: any task that holds the lock for reading; does not sleep. */
void cpus_read_unlock(void)
{
	unsigned long flags;
	bool last;

	spin_lock_irqsave(&cpu_hotplug.lock, flags);
	BUG_ON(!cpu_hotplug.readers);
	last = --cpu_hotplug.readers == 0 && cpu_hotplug.writer;
	spin_unlock_irqrestore(&cpu_hotplug.lock, flags);
	if (last)
		wake_up(&cpu_hotplug.wq);	/* the writer waits for this */
}

/*
 * cpus_write_lock - exclude every reader and every other writer.
 * Context: task, may sleep; the caller must not hold the read side.
 * Returns with no reader inside; new readers wait until cpus_write_unlock.
 */
void cpus_write_lock(void)
{
	unsigned long flags;

	mutex_lock(&cpu_hotplug.write_mutex);
	spin_lock_irqsave(&cpu_hotplug.lock, flags);
	cpu_hotplug.writer = current;	/* from now on readers wait */
	spin_unlock_irqrestore(&cpu_hotplug.lock, flags);
	wait_event(cpu_hotplug.wq, readers_drained());
}

/* Context: the writer; does not sleep.  Lets the waiting readers in (and
 * the next writer, which then waits for them to leave again). */
void cpus_write_unlock(void)
{
	unsigned long flags;

	spin_lock_irqsave(&cpu_hotplug.lock, flags);
	BUG_ON(cpu_hotplug.writer != current);
	cpu_hotplug.writer = NULL;
	spin_unlock_irqrestore(&cpu_hotplug.lock, flags);
	wake_up(&cpu_hotplug.wq);
	mutex_unlock(&cpu_hotplug.write_mutex);
}

void lockdep_assert_cpus_held(void)
{
	if (!READ_ONCE(cpu_hotplug.readers) && READ_ONCE(cpu_hotplug.writer) != current)
		panic("%s/%d: the CPU-hotplug lock is not held", current->comm, current->pid);
}

void lockdep_assert_cpus_write_held(void)
{
	if (READ_ONCE(cpu_hotplug.writer) != current || READ_ONCE(cpu_hotplug.readers))
		panic("%s/%d: the CPU-hotplug lock is not held for writing", current->comm,
		      current->pid);
}
