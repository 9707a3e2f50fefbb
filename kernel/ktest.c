/*
 * The on-target test runner: KTAP version 1 over the console.
 *
 * Each case runs in the runner's task under a jump buffer.  A failed
 * assertion jumps back directly; an exception in the case, or the tick
 * finding the case past its deadline, rewrites the interrupted context so
 * that the exception return lands in ktest_longjmp instead.  The runner
 * then reports "not ok" and moves on.  (A case that hangs with IRQs masked
 * cannot be caught this way; the host-side timeout covers that.)
 */
#include "ktest.h"
#include "console.h"
#include "shell.h"
#include "smp.h"
#include "timer.h"
#include "asm/irqflags.h"
#include "asm/percpu.h"
#include "sched.h"
#include "wait.h"
#include "asm/ptregs.h"

#define DEFAULT_TIMEOUT_MS 5000

struct ktest_task {
	u64 jmpbuf[13];
	u64 fault_jmpbuf[13];
	bool armed;
	bool expect_fault;
	u64 fault_esr;
	u64 deadline;
	struct ktest *test;
	char reason[200];
};

/* One test run at a time (the boot run or the shell's `test`). */
static struct ktest_task runner_state;

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];
int ktest_setjmp(u64 *buf);
void __noreturn ktest_longjmp(u64 *buf);
int esr_describe(u64 esr, char *buf, size_t size);
void console_unlock_if_owner(void);
extern char _head[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->failures++;
	kprintf("    # %s:%d: %s\n", file, line, msg);
}

void ktest_abort(struct ktest *t)
{
	(void)t;
	ktest_longjmp(current->ktest->jmpbuf);
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

void ktest_tick(struct pt_regs *regs)
{
	struct ktest_task *kc = current->ktest;

	if (!kc || !kc->armed || this_cpu()->irq_nesting || read_cntvct() < kc->deadline)
		return;
	snprintf(kc->reason, sizeof(kc->reason), "TIMEOUT still running at image+0x%lx",
		 regs->pc - (u64)_head);
	kc->armed = false;
	redirect(regs, kc->jmpbuf);
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

enum result { RES_PASS, RES_FAIL, RES_SKIP };

static enum result run_case(const struct ktest_case *c, unsigned int index)
{
	struct ktest_task *kc = &runner_state;
	struct ktest t = { .name = c->name };
	u32 ms = c->timeout_ms ? c->timeout_ms : DEFAULT_TIMEOUT_MS;

	current->ktest = kc;
	kc->test = &t;
	kc->reason[0] = '\0';
	kc->deadline = read_cntvct() + timer_freq / 1000 * ms;
	if (ktest_setjmp(kc->jmpbuf) == 0) {
		kc->armed = true;
		c->fn(&t);
		kc->armed = false;
	} else {
		/* Back from an assertion, exception or timeout. */
		kc->armed = false;
		kc->expect_fault = false;
		console_capture(NULL, 0, NULL);
		console_unlock_if_owner();
		/* Locks the case died holding stay held; at least let this CPU
		 * schedule again. */
		this_cpu()->preempt_count = 0;
		local_irq_enable();
		if (!kc->reason[0])
			snprintf(kc->reason, sizeof(kc->reason), "aborted");
		t.failures++;
	}
	current->ktest = NULL;
	if (kc->reason[0]) {
		kprintf("    not ok %u %s # %s\n", index, c->name, kc->reason);
		return RES_FAIL;
	}
	if (t.failures) {
		kprintf("    not ok %u %s\n", index, c->name);
		return RES_FAIL;
	}
	if (t.skipped) {
		kprintf("    ok %u %s # SKIP %s\n", index, c->name, t.skip_reason);
		return RES_SKIP;
	}
	kprintf("    ok %u %s\n", index, c->name);
	return RES_PASS;
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
