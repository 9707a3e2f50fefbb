/* The CPU-hotplug lock (kernel/cpu.c): readers share it, a writer excludes
 * them and waits for those inside, a waiting writer holds off new readers
 * (no writer starvation), and stop_machine takes the read side. */
#include "sched_util.h"
#include "cpu.h"
#include "stop_machine.h"

enum { READER, WRITER, STOPPER_CALL };

struct locker {
	int kind;
	volatile int in, release, out;
	int order;			/* when it got in, counted from 1 */
	struct task_struct *task;
};

static atomic_t order;
static atomic_t readers_in;

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

static int locker_fn(void *arg)
{
	struct locker *l = arg;

	if (l->kind == READER)
		cpus_read_lock();
	else if (l->kind == WRITER)
		cpus_write_lock();
	else
		stop_machine(nothing, NULL, NULL);
	l->order = atomic_inc_return(&order);
	if (l->kind == READER)
		atomic_inc(&readers_in);
	WRITE_ONCE(l->in, 1);
	/* Held, asleep, until told (or stopped). */
	while (!READ_ONCE(l->release) && !kthread_should_stop())
		msleep(1);
	if (l->kind == READER) {
		atomic_add_return(-1, &readers_in);
		cpus_read_unlock();
	} else if (l->kind == WRITER) {
		cpus_write_unlock();
	}
	WRITE_ONCE(l->out, 1);
	kt_idle_until_stopped();
	return 0;
}

static struct locker lk[4];

static bool start(struct ktest *t, int i, int kind)
{
	memset(&lk[i], 0, sizeof(lk[i]));
	lk[i].kind = kind;
	lk[i].task = kt_start(locker_fn, &lk[i], kind == WRITER ? "kt-cpuw" : "kt-cpur", -1, 0);
	KT_EXPECT(t, lk[i].task);
	return lk[i].task;
}

/* Blocked on the lock: asleep and not in. */
static bool blocked(int i)
{
	return lk[i].task && !READ_ONCE(lk[i].in) && kt_is_asleep(lk[i].task);
}

/* Release everyone, then stop them: a locker still waiting for the lock
 * gets it once the others let go, and leaves at once.  Every path. */
static void finish(int n)
{
	for (int i = 0; i < n; i++)
		WRITE_ONCE(lk[i].release, 1);
	for (int i = 0; i < n; i++)
		if (lk[i].task)
			kt_stop(lk[i].task);
}

static void reset(void)
{
	atomic_set(&order, 0);
	atomic_set(&readers_in, 0);
}

/* Three readers inside at once, each asleep while it holds the lock. */
static void readers_share(struct ktest *t)
{
	reset();
	for (int i = 0; i < 3; i++)
		start(t, i, READER);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&readers_in) == 3, KT_LIVENESS_MS));
	finish(3);
	KT_EXPECT_EQ(t, atomic_read(&readers_in), 0);
}

/* A writer waits for the reader inside, and gets in once it left. */
static void writer_waits_for_readers(struct ktest *t)
{
	reset();
	if (start(t, 0, READER))
		KT_EXPECT(t, KT_WAIT_UNTIL(lk[0].in, KT_LIVENESS_MS));
	if (start(t, 1, WRITER)) {
		KT_EXPECT(t, KT_WAIT_UNTIL(blocked(1), KT_LIVENESS_MS));
		msleep(20);
		KT_EXPECT(t, blocked(1));
	}
	WRITE_ONCE(lk[0].release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(lk[1].in, KT_LIVENESS_MS));
	KT_EXPECT(t, lk[0].out);
	finish(2);
}

/* Readers wait while a writer holds it, and all get in after it. */
static void readers_wait_for_writer(struct ktest *t)
{
	reset();
	if (start(t, 0, WRITER))
		KT_EXPECT(t, KT_WAIT_UNTIL(lk[0].in, KT_LIVENESS_MS));
	for (int i = 1; i < 3; i++)
		if (start(t, i, READER))
			KT_EXPECT(t, KT_WAIT_UNTIL(blocked(i), KT_LIVENESS_MS));
	msleep(20);
	KT_EXPECT(t, blocked(1) && blocked(2));
	KT_EXPECT_EQ(t, atomic_read(&readers_in), 0);
	WRITE_ONCE(lk[0].release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&readers_in) == 2, KT_LIVENESS_MS));
	finish(3);
}

/* No writer starvation: with a reader inside and a writer waiting, a new
 * reader waits too; the writer goes first, the new reader after it. */
static void waiting_writer_holds_off_new_readers(struct ktest *t)
{
	reset();
	if (start(t, 0, READER))
		KT_EXPECT(t, KT_WAIT_UNTIL(lk[0].in, KT_LIVENESS_MS));
	if (start(t, 1, WRITER))
		KT_EXPECT(t, KT_WAIT_UNTIL(blocked(1), KT_LIVENESS_MS));
	if (start(t, 2, READER))
		KT_EXPECT(t, KT_WAIT_UNTIL(blocked(2), KT_LIVENESS_MS));
	msleep(20);
	KT_EXPECT(t, blocked(1) && blocked(2));
	WRITE_ONCE(lk[0].release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(lk[1].in, KT_LIVENESS_MS));
	msleep(20);
	KT_EXPECT(t, blocked(2));
	WRITE_ONCE(lk[1].release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(lk[2].in, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, lk[1].order, 2);
	KT_EXPECT_EQ(t, lk[2].order, 3);
	finish(3);
}

/* stop_machine holds the read side: it waits while a writer holds the
 * lock, and runs once the writer let go. */
static void stop_machine_waits_for_writer(struct ktest *t)
{
	reset();
	if (start(t, 0, WRITER))
		KT_EXPECT(t, KT_WAIT_UNTIL(lk[0].in, KT_LIVENESS_MS));
	if (start(t, 1, STOPPER_CALL))
		KT_EXPECT(t, KT_WAIT_UNTIL(blocked(1), KT_LIVENESS_MS));
	msleep(20);
	KT_EXPECT(t, blocked(1));
	WRITE_ONCE(lk[0].release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(lk[1].in, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, lk[1].order, 2);
	finish(2);
}

/* The writer may call stop_machine_cpuslocked (hotplug's dying step). */
static int writer_stops_machine(void *arg)
{
	int *ret = arg;

	cpus_write_lock();
	lockdep_assert_cpus_write_held();
	*ret = stop_machine_cpuslocked(nothing, NULL, NULL) + 1;
	cpus_write_unlock();
	kt_idle_until_stopped();
	return 0;
}

static void writer_can_stop_machine(struct ktest *t)
{
	static int ret;
	struct task_struct *p;

	ret = 0;
	p = kt_start(writer_stops_machine, &ret, "kt-cpuw", -1, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(ret) != 0, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, ret, 1);
	kt_stop(p);
	/* And it was released: readers get in again. */
	cpus_read_lock();
	lockdep_assert_cpus_held();
	cpus_read_unlock();
}

static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(cpu_hotplug_lock,
	KT_CASE(readers_share),
	KT_CASE(writer_waits_for_readers),
	KT_CASE(readers_wait_for_writer),
	KT_CASE(waiting_writer_holds_off_new_readers),
	KT_CASE(stop_machine_waits_for_writer),
	KT_CASE(writer_can_stop_machine),
	KT_CASE(cleanup));
