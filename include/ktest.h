/*
 * On-target tests (kernel/ktest.c).  A suite is a list of cases; each case
 * gets a struct ktest to report through.  Suites are collected from the
 * .ktest_suites linker section, so a new test file needs no registration.
 *
 *	static void my_case(struct ktest *t) { KT_EXPECT_EQ(t, 1 + 1, 2); }
 *	KTEST_SUITE(mine, KTEST_CASE(my_case));
 *
 * Output is KTAP version 1.  Each case runs in a thread of its own.  A
 * failed ASSERT, an exception in the test or a test running past its
 * deadline ends that case with "not ok" and the runner goes on with the
 * next one (a case blocked past its deadline is left asleep).
 */
#ifndef RONDO_KTEST_H
#define RONDO_KTEST_H

#include "types.h"
#include "kernel.h"

struct ktest {
	const char *name;
	int failures;
	bool skipped;
	char skip_reason[96];
};

struct ktest_case {
	const char *name;
	void (*fn)(struct ktest *t);
	u32 timeout_ms;		/* 0: the default (5000 ms) */
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	u32 ncases;
	bool explicit_only;	/* not part of "all": run only when named */
};

#define KTEST_CASE(fn) { #fn, fn, 0 }
#define KTEST_CASE_TIMEOUT(fn, ms) { #fn, fn, ms }

#define __KTEST_SUITE(sname, expl, ...)						\
	static const struct ktest_case sname##_cases[] = { __VA_ARGS__ };	\
	static const struct ktest_suite sname##_suite				\
	__section(".ktest_suites") __used = {					\
		#sname, sname##_cases, ARRAY_SIZE(sname##_cases), expl		\
	}
#define KTEST_SUITE(sname, ...) __KTEST_SUITE(sname, false, __VA_ARGS__)
#define KTEST_SUITE_EXPLICIT(sname, ...) __KTEST_SUITE(sname, true, __VA_ARGS__)

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);
void __noreturn ktest_abort(struct ktest *t);
void ktest_skip(struct ktest *t, const char *fmt, ...) __printf(2, 3);

#define KT_EXPECT(t, cond) do {							\
	if (!(cond)) ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond);	\
} while (0)
#define KT_ASSERT(t, cond) do {							\
	if (!(cond)) { ktest_fail(t, __FILE__, __LINE__, "assertion %s", #cond); ktest_abort(t); } \
} while (0)
#define KT_EXPECT_EQ(t, a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);			\
	if (__a != __b) ktest_fail(t, __FILE__, __LINE__,			\
		"expected %s == %s, got %lld (0x%llx) and %lld (0x%llx)",	\
		#a, #b, __a, __a, __b, __b);					\
} while (0)
#define KT_ASSERT_EQ(t, a, b) do {						\
	int __f = (t)->failures; KT_EXPECT_EQ(t, a, b);				\
	if ((t)->failures != __f) ktest_abort(t);				\
} while (0)
#define KT_EXPECT_STREQ(t, a, b) do {						\
	const char *__a = (a), *__b = (b);					\
	if (strcmp(__a, __b)) ktest_fail(t, __FILE__, __LINE__,			\
		"expected %s == %s, got \"%s\" and \"%s\"", #a, #b, __a, __b);	\
} while (0)
/* A skip says why: the reason is a non-empty string literal (format), and
 * a reason that formats to "" makes the case fail. */
#define KT_SKIP(t, fmt, ...) do {						\
	_Static_assert(sizeof(fmt) > 1, "KT_SKIP needs a reason");		\
	ktest_skip(t, "" fmt, ##__VA_ARGS__);					\
	return;									\
} while (0)

/* Run suites: "all", or a comma-separated list.  Returns failures. */
int ktest_run(const char *which);

/* Run fn(arg) expecting it to take a synchronous exception; returns the
 * ESR of that exception, or 0 if it returned normally. */
u64 ktest_expect_fault(void (*fn)(void *), void *arg);

/* Hook from the exception path (traps.c): true if the test harness took
 * the exception over (the context now resumes in the harness). */
struct pt_regs;
bool ktest_handle_exception(struct pt_regs *regs, const char *what);

#endif
