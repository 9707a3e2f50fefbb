/* The shell answers bad input with one-line errors and keeps going. */
#include "ktest.h"
#include "console.h"
#include "shell.h"
#include "smp.h"

static char out[4096];
static size_t out_len;

static int run(const char *line)
{
	int r;

	console_capture(out, sizeof(out), &out_len);
	r = shell_exec(line);
	console_capture(NULL, 0, NULL);
	return r;
}

static bool has(const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= out_len; i++)
		if (!strncmp(out + i, needle, n))
			return true;
	return false;
}

static void unknown_command(struct ktest *t)
{
	KT_EXPECT_EQ(t, run("frobnicate now"), -ENOENT);
	KT_EXPECT(t, has("unknown command: frobnicate (try 'help')\n"));
}

static void empty_and_blank_lines(struct ktest *t)
{
	KT_EXPECT_EQ(t, run(""), 0);
	KT_EXPECT_EQ(t, run("   \t  "), 0);
	KT_EXPECT_EQ(t, out_len, 0);
}

static void too_many_words(struct ktest *t)
{
	KT_EXPECT_EQ(t, run("help a b c d e f g h i j k l m n o p q"), -E2BIG);
	KT_EXPECT(t, has("too many arguments"));
}

static void too_long_line(struct ktest *t)
{
	static char line[400];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	KT_EXPECT_EQ(t, run(line), -E2BIG);
	KT_EXPECT(t, has("line too long"));
}

static void cpus_prints_the_masks(struct ktest *t)
{
	char want[300], list[200];
	int n;

	KT_EXPECT_EQ(t, run("cpus"), 0);
	cpumask_print_list(list, sizeof(list), cpu_possible_mask);
	n = snprintf(want, sizeof(want), "possible: %s\n", list);
	cpumask_print_list(list, sizeof(list), cpu_present_mask);
	n += snprintf(want + n, sizeof(want) - n, "present: %s\n", list);
	cpumask_print_list(list, sizeof(list), cpu_online_mask);
	n += snprintf(want + n, sizeof(want) - n, "online: %s\n", list);
	cpumask_print_list(list, sizeof(list), cpu_active_mask);
	snprintf(want + n, sizeof(want) - n, "active: %s\n", list);
	KT_EXPECT_STREQ(t, out, want);
}

static void bad_arguments(struct ktest *t)
{
	KT_EXPECT_EQ(t, run("cpus --bogus"), -EINVAL);
	KT_EXPECT(t, has("usage: cpus"));
	KT_EXPECT_EQ(t, run("test a b"), -EINVAL);
	KT_EXPECT(t, has("usage: test"));
}

static void help_lists_commands(struct ktest *t)
{
	KT_EXPECT_EQ(t, run("help"), 0);
	KT_EXPECT(t, has("cpus"));
	KT_EXPECT(t, has("poweroff"));
	KT_EXPECT(t, has("test"));
}

KTEST_SUITE(shell,
	KTEST_CASE(unknown_command),
	KTEST_CASE(empty_and_blank_lines),
	KTEST_CASE(too_many_words),
	KTEST_CASE(too_long_line),
	KTEST_CASE(cpus_prints_the_masks),
	KTEST_CASE(bad_arguments),
	KTEST_CASE(help_lists_commands));
