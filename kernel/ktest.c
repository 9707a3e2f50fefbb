/*
 * The on-target test runner: KTAP version 1 over the console.
 *
 * Each case runs in a kernel thread of its own (the "case thread") under a
 * jump buffer, while the runner (the boot-time ktest thread, or the shell
 * running `test`) waits for it with a deadline.  A failed assertion jumps
 * back directly; an exception in the case rewrites the interrupted context
 * so that the exception return lands in ktest_longjmp instead.
 *
 * The watchdog is the runner itself: it does not run test code, so it
 * wakes at the deadline whatever the case is doing.  It then stops the
 * case the same way an exception does, from an interrupt taken while the
 * case thread is running: a timer on the runner's CPU (the case runs there
 * as soon as the runner sleeps) and a cross-CPU call to the CPU the case
 * runs on.  A case that sleeps and does not wake (wait_for_completion,
 * kthread_stop, ...) cannot be unwound: its stack holds wait-queue entries
 * that others may still reach.  It is reported as TIMEOUT, its call trace
 * is printed, and it is left asleep; the run goes on.  (A case spinning
 * with IRQs masked takes no interrupt at all; the host-side timeout of the
 * run catches that.)
 */
#include "ktest.h"
#include "console.h"
#include "kthread.h"
#include "page_alloc.h"
#include "shell.h"
#include "smp.h"
#include "timer.h"
#include "asm/irqflags.h"
#include "asm/percpu.h"
#include "sched.h"
#include "wait.h"
#include "asm/ptregs.h"

#define DEFAULT_TIMEOUT_MS 5000
#define STOP_POLL_MS 10		/* the watchdog looks again this often */
#define STOP_TRIES 100		/* ... for up to 1 s, then gives up */
#define ASLEEP_TRIES 20		/* asleep for 200 ms on end: blocked */

/* One per case run; shared by the runner and the case thread. */
struct ktest_task {
	u64 jmpbuf[13];
	u64 fault_jmpbuf[13];
	bool armed;		/* jmpbuf is live: the case may be unwound */
	bool expect_fault;
	bool abandoned;		/* blocked past the deadline: left asleep */
	u64 fault_esr;
	const struct ktest_case *c;
	struct ktest t;
	struct task_struct *task;	/* the case thread */
	struct completion done;		/* the case thread is finished with it */
	struct timer_list kick;		/* the watchdog's interrupt on this CPU */
	char reason[200];		/* the KTAP directive, if any */
};

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];
int ktest_setjmp(u64 *buf);
void __noreturn ktest_longjmp(u64 *buf);
int esr_describe(u64 esr, char *buf, size_t size);
struct pt_regs *get_irq_regs(void);
void console_unlock_if_owner(void);
extern char _head[];

static struct ktest_task *case_of(struct ktest *t)
{
	return container_of(t, struct ktest_task, t);
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	t->failures++;
	/* A case left asleep that wakes up later must not write into the
	 * output of the cases that run after it. */
	if (READ_ONCE(case_of(t)->abandoned))
		return;
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("    # %s:%d: %s\n", file, line, msg);
}

void ktest_abort(struct ktest *t)
{
	ktest_longjmp(case_of(t)->jmpbuf);
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
	t->skipped = true;
}

/* Make the interrupted context resume in ktest_longjmp(buf), IRQs masked. */
static void redirect(struct pt_regs *regs, u64 *buf)
{
	regs->pc = (u64)ktest_longjmp;
	regs->regs[0] = (u64)buf;
	regs->pstate = 0x3c5;	/* EL1h, DAIF masked */
}

bool ktest_handle_exception(struct pt_regs *regs, const char *what)
{
	struct ktest_task *kc = current->ktest;
	char desc[160];

	/* Only a fault in the test's own code, not in an interrupt handler
	 * that happened to interrupt it, can be unwound. */
	if (!kc || !kc->armed || this_cpu()->irq_nesting)
		return false;
	if (kc->expect_fault) {
		kc->fault_esr = regs->esr;
		kc->expect_fault = false;
		redirect(regs, kc->fault_jmpbuf);
		return true;
	}
	esr_describe(regs->esr, desc, sizeof(desc));
	snprintf(kc->reason, sizeof(kc->reason), "ERROR %s at image+0x%lx: %s, FAR 0x%lx",
		 what, regs->pc - (u64)_head, desc, regs->far);
	kc->armed = false;
	redirect(regs, kc->jmpbuf);
	return true;
}

/*
 * Interrupt context (the watchdog's timer, or its cross-CPU call): if the
 * interrupt came straight from the case thread's own code, make it return
 * into the case's jump buffer.  Not while the case holds a spinlock
 * (preemption off): the watchdog tries again a little later.
 */
static void stop_case_here(void *arg)
{
	struct ktest_task *kc = arg;
	struct pt_regs *regs = get_irq_regs();

	if (current != kc->task || !regs || this_cpu()->irq_nesting != 1 ||
	    !READ_ONCE(kc->armed) || preempt_count())
		return;
	snprintf(kc->reason, sizeof(kc->reason), "TIMEOUT still running at image+0x%lx",
		 regs->pc - (u64)_head);
	kc->armed = false;
	redirect(regs, kc->jmpbuf);
}

static void watchdog_kick(struct timer_list *timer)
{
	stop_case_here(container_of(timer, struct ktest_task, kick));
}

static bool asleep(struct task_struct *p)
{
	return READ_ONCE(p->state) != TASK_RUNNING && !READ_ONCE(p->on_cpu);
}

/*
 * The runner, once the case's deadline has passed.  Returns true if the
 * case thread was unwound and finished, false if it is left where it is.
 */
static bool stop_case(struct ktest_task *kc)
{
	struct task_struct *p = kc->task;
	int sleeping = 0;
	u64 finished;

	for (int i = 0; i < STOP_TRIES && sleeping < ASLEEP_TRIES; i++) {
		/* Running on another CPU: interrupt it there.  (On this CPU
		 * the call runs here, in the runner, and does nothing.) */
		if (READ_ONCE(p->on_cpu))
			smp_call_function_single(task_cpu(p), stop_case_here, kc, true);
		/* Waiting for this CPU (always so with one CPU): it runs as
		 * soon as we sleep, and the next tick finds it. */
		add_timer_ns(&kc->kick, 1);
		finished = wait_for_completion_timeout(&kc->done, STOP_POLL_MS * 1000000ULL);
		del_timer_sync(&kc->kick);
		if (finished)
			return true;
		sleeping = asleep(p) ? sleeping + 1 : 0;
	}
	WRITE_ONCE(kc->abandoned, true);
	if (sleeping >= ASLEEP_TRIES) {
		snprintf(kc->reason, sizeof(kc->reason),
			 "TIMEOUT blocked (task state 0x%lx): left asleep, call trace in the log",
			 READ_ONCE(p->state));
		printk("ktest: %s is blocked; its call trace:\n", kc->c->name);
		dump_backtrace(p->ctx.fp, 0);
	} else {
		snprintf(kc->reason, sizeof(kc->reason),
			 "TIMEOUT could not be stopped (preemption off?): left running");
	}
	return false;
}

u64 ktest_expect_fault(void (*fn)(void *), void *arg)
{
	struct ktest_task *kc = current->ktest;
	volatile u64 esr = 0;

	if (!kc || !kc->armed)
		return 0;
	kc->fault_esr = 0;
	if (ktest_setjmp(kc->fault_jmpbuf) == 0) {
		kc->expect_fault = true;
		fn(arg);
		kc->expect_fault = false;
	} else {
		esr = kc->fault_esr;
		local_irq_enable();
	}
	return esr;
}

/* The case thread: run the case, come back here however it ends. */
static int case_thread(void *arg)
{
	struct ktest_task *kc = arg;

	current->ktest = kc;
	if (ktest_setjmp(kc->jmpbuf) == 0) {
		WRITE_ONCE(kc->armed, true);
		kc->c->fn(&kc->t);
		WRITE_ONCE(kc->armed, false);
	} else {
		/* Back from an assertion, exception or the watchdog. */
		kc->armed = false;
		kc->expect_fault = false;
		console_capture(NULL, 0, NULL);
		console_unlock_if_owner();
		/* Locks the case died holding stay held; at least let this
		 * CPU schedule again. */
		current_thread_info()->preempt_count = 0;
		local_irq_enable();
		kc->t.failures++;
	}
	current->ktest = NULL;
	complete(&kc->done);
	return 0;
}

enum result { RES_PASS, RES_FAIL, RES_SKIP };

static enum result report(struct ktest_task *kc, unsigned int index)
{
	const char *name = kc->c->name;

	if (kc->reason[0]) {
		kprintf("    not ok %u %s # %s\n", index, name, kc->reason);
		return RES_FAIL;
	}
	if (kc->t.failures) {
		kprintf("    not ok %u %s\n", index, name);
		return RES_FAIL;
	}
	if (kc->t.skipped && !kc->t.skip_reason[0]) {
		kprintf("    # KT_SKIP without a reason\n    not ok %u %s\n", index, name);
		return RES_FAIL;
	}
	if (kc->t.skipped) {
		kprintf("    ok %u %s # SKIP %s\n", index, name, kc->t.skip_reason);
		return RES_SKIP;
	}
	kprintf("    ok %u %s\n", index, name);
	return RES_PASS;
}

static enum result run_case(const struct ktest_case *c, unsigned int index)
{
	struct ktest_task *kc = kzalloc(sizeof(*kc));
	u32 ms = c->timeout_ms ? c->timeout_ms : DEFAULT_TIMEOUT_MS;
	enum result r;

	if (kc)
		kc->task = kthread_create(case_thread, kc, c->name);
	if (!kc || !kc->task) {
		kprintf("    not ok %u %s # ERROR no memory for the case thread\n", index, c->name);
		kfree(kc);
		return RES_FAIL;
	}
	kc->c = c;
	kc->t.name = c->name;
	init_completion(&kc->done);
	timer_setup(&kc->kick, watchdog_kick);
	wake_up_process(kc->task);
	if (!wait_for_completion_timeout(&kc->done, ms * 1000000ULL) && !stop_case(kc)) {
		/* Left asleep or running: it keeps kc and its task for good. */
		r = report(kc, index);
		put_task_struct(kc->task);
		return r;
	}
	r = report(kc, index);
	kthread_stop(kc->task);		/* it has returned, or is about to */
	kfree(kc);
	return r;
}

struct tally { unsigned int pass, fail, skip; };

static bool run_suite(const struct ktest_suite *s, unsigned int index, struct tally *tl)
{
	unsigned int fails = 0, skips = 0;

	kprintf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name, s->ncases);
	for (unsigned int i = 0; i < s->ncases; i++) {
		enum result r = run_case(&s->cases[i], i + 1);

		if (r == RES_FAIL) {
			fails++;
			tl->fail++;
		} else if (r == RES_SKIP) {
			skips++;
			tl->skip++;
		} else {
			tl->pass++;
		}
	}
	if (fails)
		kprintf("not ok %u %s\n", index, s->name);
	else if (skips == s->ncases)
		kprintf("ok %u %s # SKIP all cases skipped\n", index, s->name);
	else
		kprintf("ok %u %s\n", index, s->name);
	return fails == 0;
}

static const struct ktest_suite *find_suite(const char *name, size_t len)
{
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (strlen(s->name) == len && !strncmp(s->name, name, len))
			return s;
	return NULL;
}

/* Call fn for each selected suite (NULL = a name that matched nothing). */
static unsigned int for_each_selected(const char *which,
				      void (*fn)(const struct ktest_suite *, const char *, size_t, void *),
				      void *arg)
{
	unsigned int n = 0;

	if (!strcmp(which, "all")) {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			if (!s->explicit_only) {
				if (fn)
					fn(s, s->name, strlen(s->name), arg);
				n++;
			}
		return n;
	}
	for (const char *p = which; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len) {
			if (fn)
				fn(find_suite(p, len), p, len, arg);
			n++;
		}
		p += len + (end ? 1 : 0);
	}
	return n;
}

struct run_state { unsigned int index; struct tally tally; };

static void run_one(const struct ktest_suite *s, const char *name, size_t len, void *arg)
{
	struct run_state *st = arg;

	st->index++;
	if (s) {
		run_suite(s, st->index, &st->tally);
		return;
	}
	kprintf("not ok %u %.*s # ERROR no such test suite\n", st->index, (int)len, name);
	st->tally.fail++;
}

int ktest_run(const char *which)
{
	struct run_state st = { 0, { 0, 0, 0 } };

	kprintf("KTAP version 1\n1..%u\n", for_each_selected(which, NULL, NULL));
	for_each_selected(which, run_one, &st);
	kprintf("# ktest: %u passed, %u failed, %u skipped\n", st.tally.pass, st.tally.fail,
		st.tally.skip);
	return (int)st.tally.fail;
}

static int cmd_test(int argc, char **argv)
{
	if (argc > 2) {
		kprintf("usage: test [list | all | suite[,suite...]]\n");
		return -EINVAL;
	}
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			kprintf("%-20s %u cases%s\n", s->name, s->ncases,
				s->explicit_only ? " (run only by name)" : "");
		return 0;
	}
	return ktest_run(argc == 2 ? argv[1] : "all") ? -EIO : 0;
}
SHELL_CMD(test, cmd_test, "[list|all|SUITES]", "run on-target tests (KTAP output)");

void machine_poweroff(void);

/* The boot-time run (ktest= on the command line): run, then power off. */
int ktest_thread(void *arg)
{
	ktest_run(arg);
	machine_poweroff();
	return 0;
}
