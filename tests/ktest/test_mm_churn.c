/* All CPUs allocating and freeing at once (part of the mm suite). */
#include "ktest.h"
#include "page_alloc.h"
#include "smp.h"
#include "stack_alloc.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/spinlock.h"
#include "asm/stack.h"
#include "mm_util.h"

#define CHURN_BATCH 8		/* objects each CPU holds at once */
#define CHURN_OBJS 128		/* objects per CPU */
#define CHURN_GROUP 8		/* CPUs churning at the same time */

/*
 * Every CPU takes part, in groups of CHURN_GROUP that run one after the
 * other.  Under QEMU with more vCPUs than host cores, a contended ticket
 * lock can only pass to a vCPU the host happens to be running, and a
 * broadcast TLBI stops every running vCPU: 64 CPUs at once would turn a
 * second of work into minutes, while CPUs outside the group sit in WFI
 * and cost nothing.
 */
static unsigned int churn_group_size;
static atomic_t churn_errors, churn_done, churn_arrived;
static unsigned int churn_objs_on[NR_CPUS];
static bool churn_stop;

static size_t churn_size(unsigned int cpu, unsigned int n)
{
	static const size_t sizes[] = { 16, 24, 40, 100, 256, 700, 2048, 3000, 4096 };

	return sizes[(cpu + n) % ARRAY_SIZE(sizes)];
}

static u32 churn_tag(unsigned int cpu, unsigned int n)
{
	return (cpu << 24) | n;
}

/* Objects first..first+k-1 of this CPU, all live at once. */
static void churn_batch(unsigned int cpu, unsigned int first, unsigned int k)
{
	u32 *obj[CHURN_BATCH];

	for (unsigned int i = 0; i < k; i++) {
		obj[i] = kmalloc(churn_size(cpu, first + i));
		if (obj[i])
			fill_words(obj[i], churn_size(cpu, first + i), churn_tag(cpu, first + i));
		else
			atomic_inc(&churn_errors);
	}
	for (unsigned int i = 0; i < k; i++) {
		if (obj[i] && !words_are(obj[i], churn_size(cpu, first + i), churn_tag(cpu, first + i)))
			atomic_inc(&churn_errors);
		kfree(obj[i]);
	}
}

static void churn_pages_and_stack(unsigned int cpu)
{
	phys_addr_t pa = alloc_pages(cpu % 3);
	u64 top = (u64)stack_alloc();

	if (pa)
		free_pages(pa, cpu % 3);
	if (!pa || !top) {
		atomic_inc(&churn_errors);
		return;
	}
	*(volatile u64 *)(top - 8) = top;
	*(volatile u64 *)(top - STACK_SIZE) = top;
	if (*(volatile u64 *)(top - 8) != top)
		atomic_inc(&churn_errors);
	stack_free((void *)top);
}

/* Start together (within a second), so the CPUs really overlap. */
static void churn_start_line(void)
{
	u64 give_up = read_cntvct() + timer_freq;

	atomic_inc(&churn_arrived);
	while (atomic_read(&churn_arrived) < (int)churn_group_size && read_cntvct() < give_up)
		cpu_relax();
}

static void churn(void *unused)
{
	unsigned int cpu = smp_processor_id(), done = 0;

	churn_start_line();
	while (done < CHURN_OBJS && !READ_ONCE(churn_stop)) {
		unsigned int k = MIN(CHURN_BATCH, CHURN_OBJS - done);

		churn_batch(cpu, done, k);
		done += k;
	}
	churn_pages_and_stack(cpu);
	churn_objs_on[cpu] = done;
	atomic_inc(&churn_done);
}

/* Up to CHURN_GROUP online CPUs from 'from' on; returns where to go on. */
static unsigned int next_group(unsigned int from, cpumask_t *group)
{
	unsigned int cpu = cpumask_next((int)from - 1, cpu_online_mask);

	cpumask_clear(group);
	for (unsigned int k = 0; k < CHURN_GROUP && cpu < NR_CPUS; k++) {
		cpumask_set_cpu(cpu, group);
		cpu = cpumask_next((int)cpu, cpu_online_mask);
	}
	return cpu;
}

/* Run the group, this CPU too if it is a member; false if it had to be
 * stopped at the deadline. */
static bool run_group(const cpumask_t *group, u64 deadline)
{
	int target = atomic_read(&churn_done) + (int)cpumask_weight(group);

	churn_group_size = cpumask_weight(group);
	atomic_set(&churn_arrived, 0);
	smp_call_function_many(group, churn, NULL, false);
	if (cpumask_test_cpu(smp_processor_id(), group))
		churn(NULL);
	while (atomic_read(&churn_done) < target && read_cntvct() < deadline)
		cpu_relax();
	if (atomic_read(&churn_done) >= target)
		return true;
	/* Stop the others before failing, or they would still be busy in
	 * their IPI handler during later tests. */
	WRITE_ONCE(churn_stop, true);
	while (atomic_read(&churn_done) < target)
		cpu_relax();
	return false;
}

/* Hold as many stacks at once as a group may use, so that any page table
 * they need exists before the free page count is taken. */
static void prepare_stack_tables(void)
{
	static void *held[CHURN_GROUP];

	for (unsigned int i = 0; i < CHURN_GROUP; i++)
		held[i] = stack_alloc();
	for (unsigned int i = 0; i < CHURN_GROUP; i++)
		if (held[i])
			stack_free(held[i]);
}

void concurrent_alloc_free_all_cpus(struct ktest *t)
{
	unsigned long before, warned = mm_bad_frees();
	unsigned int cpu = 0;
	cpumask_t group;
	bool in_time = true;
	u64 deadline;

	prepare_stack_tables();
	before = nr_free_pages();
	churn_stop = false;
	atomic_set(&churn_errors, 0);
	atomic_set(&churn_done, 0);
	memset(churn_objs_on, 0, sizeof(churn_objs_on));
	deadline = read_cntvct() + 20 * timer_freq;
	/* Stay on this CPU: churn() records its work by CPU number. */
	preempt_disable();
	while (in_time && cpu < NR_CPUS) {
		cpu = next_group(cpu, &group);
		if (cpumask_empty(&group))
			break;
		in_time = run_group(&group, deadline);
	}
	preempt_enable();
	KT_ASSERT(t, in_time);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, churn_objs_on[cpu], CHURN_OBJS);
	KT_EXPECT_EQ(t, atomic_read(&churn_errors), 0);
	KT_EXPECT_EQ(t, mm_bad_frees(), warned);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}
