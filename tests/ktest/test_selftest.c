/*
 * The harness tested by itself: run by name only (ktest=ktest_selftest),
 * and the host (tests/target/targetlib.py, SELFTEST_VERDICTS) checks that
 * exactly the cases meant to fail do, each with the right verdict and
 * reason, and that the run goes on after each.
 */
#include "ktest.h"
#include "wait.h"
#include "asm/atomic.h"

static u64 bad_addr = 0x7ff0000000UL;

static void passes(struct ktest *t)
{
	KT_EXPECT_EQ(t, 2 + 2, 4);
}

static void fails_expectation(struct ktest *t)
{
	KT_EXPECT_EQ(t, 2 + 2, 5);
}

static void fails_assertion(struct ktest *t)
{
	KT_ASSERT(t, 1 == 2);
	ktest_fail(t, __FILE__, __LINE__, "not reached: the assertion ends the case");
}

static void takes_exception(struct ktest *t)
{
	/* Unmapped on every board: above all RAM and devices, below 2^39. */
	volatile u64 *nowhere = (volatile u64 *)(READ_ONCE(bad_addr));

	(void)t;
	(void)*nowhere;
}

static void read_nowhere(void *arg)
{
	(void)*(volatile u64 *)arg;
}

static void expects_fault(struct ktest *t)
{
	u64 esr = ktest_expect_fault(read_nowhere, (void *)READ_ONCE(bad_addr));

	KT_EXPECT_EQ(t, (esr >> 26) & 0x3f, 0x25);	/* data abort, caught */
}

/* Spins with preemption on: the watchdog unwinds it. */
static void hangs(struct ktest *t)
{
	(void)t;
	for (;;)
		__asm__ volatile("yield");
}

/* Sleeps for good: the watchdog reports it and leaves it asleep. */
static void blocks_forever(struct ktest *t)
{
	struct completion never;

	init_completion(&never);
	wait_for_completion(&never);
	ktest_fail(t, __FILE__, __LINE__, "not reached: nobody completes it");
}

static void skips(struct ktest *t)
{
	KT_SKIP(t, "skipping on purpose");
}

static void skips_without_reason(struct ktest *t)
{
	KT_SKIP(t, "%s", "");
}

KTEST_SUITE_EXPLICIT(ktest_selftest,
	KTEST_CASE(passes),
	KTEST_CASE(fails_expectation),
	KTEST_CASE(fails_assertion),
	KTEST_CASE(takes_exception),
	KTEST_CASE(expects_fault),
	KTEST_CASE_TIMEOUT(hangs, 300),
	KTEST_CASE_TIMEOUT(blocks_forever, 300),
	KTEST_CASE(skips),
	KTEST_CASE(skips_without_reason),
	KTEST_CASE(passes));
