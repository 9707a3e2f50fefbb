/* printk from many CPUs at once: every line arrives whole. */
#include "ktest.h"
#include "console.h"
#include "smp.h"
#include "asm/spinlock.h"

/* About 256 lines in all: enough contention, and quick even when 64 vCPUs
 * share two host cores (ticket locks hand over strictly in turn). */
#define LINES_PER_CPU (num_online_cpus() > 32 ? 2 : 256 / 4 / (int)num_online_cpus() + 1)
#define CAP_SIZE (96 * 1024)

static char cap[CAP_SIZE];
static size_t cap_len;

static void print_lines(void *arg)
{
	(void)arg;
	for (int i = 0; i < LINES_PER_CPU; i++)
		printk("ktest-line cpu=%u seq=%d %s\n", smp_processor_id(), i, "abcdefghijklmnopqrstuvwxyz");
}

static const char *memchr_n(const char *s, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

static bool starts_with_tag(const char *l, size_t len)
{
	/* "[Cn] ktest-line": the tag follows the prefix. */
	const char *p = memchr_n(l, len, ']');

	return p && (size_t)(p - l) + 12 <= len && !strncmp(p + 2, "ktest-line", 10);
}

/* Check one captured line; returns the cpu it names or -1. */
static int check_line(const char *l, size_t len)
{
	static const char tail[] = " abcdefghijklmnopqrstuvwxyz";
	const char *p = l;
	unsigned long cpu;

	if (len < 5 || strncmp(p, "[C", 2))
		return -1;
	p += 2;
	cpu = 0;
	while (*p >= '0' && *p <= '9')
		cpu = cpu * 10 + (unsigned long)(*p++ - '0');
	if (strncmp(p, "] ktest-line cpu=", 17))
		return -1;
	if (len < sizeof(tail) - 1 || strncmp(l + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1))
		return -1;
	return (int)cpu;
}

static void lines_never_mix(struct ktest *t)
{
	static int per_cpu[NR_CPUS];
	unsigned int cpu, self;
	int bad = 0, total = 0;

	memset(per_cpu, 0, sizeof(per_cpu));
	/* Stay on this CPU: the count check needs to know which was ours. */
	preempt_disable();
	self = smp_processor_id();
	console_capture(cap, sizeof(cap), &cap_len);
	smp_call_function_many(cpu_online_mask, print_lines, NULL, false);
	print_lines(NULL);
	smp_call_function_many(cpu_online_mask, print_lines, NULL, true);
	console_capture(NULL, 0, NULL);
	preempt_enable();

	for (char *l = cap; l < cap + cap_len;) {
		char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);

		if (len && starts_with_tag(l, len)) {
			int c = check_line(l, len);

			if (c < 0 || c >= NR_CPUS)
				bad++;
			else
				per_cpu[c]++;
			total++;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	KT_EXPECT_EQ(t, bad, 0);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, per_cpu[cpu], cpu == self ? LINES_PER_CPU : 2 * LINES_PER_CPU);
	KT_EXPECT(t, cap_len < sizeof(cap) - 1);	/* nothing was cut off */
	(void)total;
}

KTEST_SUITE(console, KTEST_CASE_TIMEOUT(lines_never_mix, 30000));
