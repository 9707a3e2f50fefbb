/*
 * Publishing sched domains, and the grace period that lets us free the old
 * ones (include/topology.h, docs/balance.md).
 *
 * Linux frees old domains after an RCU grace period: milliseconds, because
 * RCU waits until every CPU has passed through a quiescent state.  We know
 * exactly who may hold a pointer into the domains: code between
 * sd_read_begin() and sd_read_end().  So each CPU publishes whether it is
 * inside such a section, in a sequence counter that is odd while inside,
 * and the writer waits only for the sections that were running when it
 * published the new domains:
 *
 *   reader (any CPU)                    writer (rebuild_sched_domains)
 *   seq++ (odd)                         rq->sd = new      (release)
 *   smp_mb()                            smp_mb()
 *   sd = rq->sd; walk it ...            s = seq of each CPU (acquire)
 *   seq++ (even, release)               odd s: spin until seq != s
 *                                       free old
 *
 * The two full barriers make this a store-buffering pair: either the
 * reader's odd seq is visible to the writer's load, or the reader's load
 * of rq->sd comes after the writer's store and sees the new domains.  A
 * section that began after we sampled its CPU therefore never saw the old
 * set, and one that was running ends with a release that our acquire
 * observes as a changed seq.  The wait costs one cache-line load per CPU
 * plus the longest section that was running; no IPIs, no sleeping.
 *
 * Sections nest (an interrupt may balance inside a task's section): only
 * the outermost begin and end move seq.  The nesting count is per CPU,
 * updated with IRQs masked so an interrupt cannot land between the count
 * and the seq update; preemption stays off for the whole section so that
 * the task cannot be moved to another CPU and end someone else's section.
 */
#include "topology.h"
#include "cpuhp.h"
#include "kernel.h"
#include "rq.h"
#include "wait.h"
#include "asm/irqflags.h"

struct sd_reader {
	unsigned long seq;	/* odd while this CPU is inside a section */
	unsigned int nest;	/* only this CPU reads and writes it */
} __aligned(64);

static struct sd_reader sd_readers[NR_CPUS];
static DEFINE_MUTEX(sched_domains_mutex);	/* one rebuild at a time */
static struct sd_set *sd_current;		/* under sched_domains_mutex */

struct sd_rebuild_stats sd_rebuild_stats;
void (*sd_before_free_hook)(struct sd_set *old);

void sd_read_begin(void)
{
	struct sd_reader *r;
	unsigned long flags;

	preempt_disable();
	flags = local_irq_save();
	r = &sd_readers[smp_processor_id()];
	if (r->nest++ == 0) {
		WRITE_ONCE(r->seq, r->seq + 1);
		/* The odd seq before our loads of rq->sd; pairs with the
		 * smp_mb() in sd_grace_wait() between the writer's publish
		 * and its seq loads. */
		smp_mb();
	}
	local_irq_restore(flags);
}

void sd_read_end(void)
{
	struct sd_reader *r;
	unsigned long flags;

	flags = local_irq_save();
	r = &sd_readers[smp_processor_id()];
	BUG_ON(r->nest == 0);
	if (--r->nest == 0) {
		/* Every load from the domains above completes before the even
		 * seq is seen; pairs with the acquire loads in sd_grace_wait(). */
		smp_store_release(&r->seq, r->seq + 1);
	}
	local_irq_restore(flags);
	preempt_enable();
}

struct sched_domain *sd_cpu_base(unsigned int cpu)
{
	/* Pairs with the release store in publish(): the domains' contents
	 * were written before the pointer. */
	return smp_load_acquire(&cpu_rq(cpu)->sd);
}

static void publish(struct sd_set *set)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		smp_store_release(&cpu_rq(cpu)->sd, set->base[cpu]);
}

/* Returns once no CPU can still be inside a section that began before
 * publish(); counts the CPUs it had to wait for. */
static unsigned int sd_grace_wait(void)
{
	unsigned long snap[NR_CPUS];
	unsigned int cpu, waited = 0;

	/* The rq->sd stores before the seq loads; pairs with the smp_mb() in
	 * sd_read_begin() (see the comment at the top). */
	smp_mb();
	for_each_possible_cpu(cpu)
		snap[cpu] = smp_load_acquire(&sd_readers[cpu].seq);
	for_each_possible_cpu(cpu) {
		if (!(snap[cpu] & 1))
			continue;
		waited++;
		/* Acquire pairs with the release in sd_read_end(): once seq
		 * moved, that section's loads from the old set are done. */
		while (smp_load_acquire(&sd_readers[cpu].seq) == snap[cpu])
			cpuhp_spin_relax();
	}
	return waited;
}

/* Build for the active CPUs (and 'activating', if >= 0, made active by
 * activate() just before the new set is published), publish, wait, free. */
static int rebuild(int activating, void (*activate)(unsigned int cpu))
{
	struct sd_set *new, *old;
	cpumask_t active;
	u64 t0, t1, t2;

	preempt_disable();
	/* Waiting for our own section would never end. */
	BUG_ON(sd_readers[smp_processor_id()].nest);
	preempt_enable();
	mutex_lock(&sched_domains_mutex);
	cpumask_copy(&active, cpu_active_mask);
	if (activating >= 0)
		cpumask_set_cpu((unsigned int)activating, &active);
	t0 = read_cntvct();
	new = build_sched_domains(&active, cpu_topology);
	if (!new) {
		mutex_unlock(&sched_domains_mutex);
		printk("sched: out of memory rebuilding the sched domains; the old ones stay\n");
		return -ENOMEM;
	}
	t1 = read_cntvct();
	/* A CPU being activated is active without domains only for the
	 * few stores of publish(): not even a preemption in between. */
	preempt_disable();
	if (activating >= 0)
		activate((unsigned int)activating);
	publish(new);
	preempt_enable();
	old = sd_current;
	sd_current = new;
	sd_rebuild_stats.grace_waits += sd_grace_wait();
	t2 = read_cntvct();
	if (old) {
		if (sd_before_free_hook)
			sd_before_free_hook(old);
		free_sched_domains(old);
	}
	sd_rebuild_stats.rebuilds++;
	sd_rebuild_stats.last_build_ns = cycles_to_ns(t1 - t0);
	sd_rebuild_stats.last_grace_ns = cycles_to_ns(t2 - t1);
	if (sd_rebuild_stats.last_grace_ns > sd_rebuild_stats.max_grace_ns)
		sd_rebuild_stats.max_grace_ns = sd_rebuild_stats.last_grace_ns;
	mutex_unlock(&sched_domains_mutex);
	return 0;
}

/* Task context, may sleep, not in a read section; 0 or -ENOMEM (topology.h). */
int rebuild_sched_domains(void)
{
	return rebuild(-1, NULL);
}

/* The same context and returns; activate() runs with preemption off and must
 * not sleep, and is not called on -ENOMEM (topology.h). */
int rebuild_sched_domains_activating(unsigned int cpu, void (*activate)(unsigned int cpu))
{
	return rebuild((int)cpu, activate);
}
