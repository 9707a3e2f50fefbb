/* Boot argument parsing: known words set values, bad ones keep defaults. */
#include "ktest.h"
#include "params.h"

static struct boot_params saved;

static void save(void) { saved = boot_params; }
static void restore(void) { boot_params = saved; }

static void values_are_parsed(struct ktest *t)
{
	save();
	parse_bootargs("maxcpus=3 hz=250 ktest=fdt,smp");
	KT_EXPECT_EQ(t, boot_params.maxcpus, 3);
	KT_EXPECT_EQ(t, boot_params.hz, 250);
	KT_EXPECT_STREQ(t, boot_params.ktest, "fdt,smp");
	restore();
}

static void nosmp_and_maxcpus_zero(struct ktest *t)
{
	save();
	parse_bootargs("nosmp");
	KT_EXPECT_EQ(t, boot_params.maxcpus, 1);
	boot_params.maxcpus = 8;
	parse_bootargs("maxcpus=0");
	KT_EXPECT_EQ(t, boot_params.maxcpus, 1);
	restore();
}

static void bad_values_keep_defaults(struct ktest *t)
{
	save();
	boot_params.maxcpus = 8;
	boot_params.hz = 100;
	parse_bootargs("maxcpus=lots hz=5 hz=99999 maxcpus= bogus=1 =");
	KT_EXPECT_EQ(t, boot_params.maxcpus, 8);
	KT_EXPECT_EQ(t, boot_params.hz, 100);
	restore();
}

/* rondo.run="a; b": the quotes keep the blanks inside one value and go. */
static void quoted_values(struct ktest *t)
{
	save();
	parse_bootargs("hz=250 rondo.run=\"cpus; spawn 2 spin; ps\" maxcpus=3");
	KT_EXPECT_STREQ(t, boot_params.run, "cpus; spawn 2 spin; ps");
	KT_EXPECT_EQ(t, boot_params.hz, 250);
	KT_EXPECT_EQ(t, boot_params.maxcpus, 3);
	parse_bootargs("\"rondo.run=help; ps\"");
	KT_EXPECT_STREQ(t, boot_params.run, "help; ps");
	/* Unterminated: the value runs to the end of the line. */
	parse_bootargs("rondo.run=\"cpus; hz=300");
	KT_EXPECT_STREQ(t, boot_params.run, "cpus; hz=300");
	KT_EXPECT_EQ(t, boot_params.hz, 250);
	restore();
}

static void nohz_on_off(struct ktest *t)
{
	save();
	parse_bootargs("nohz=off");
	KT_EXPECT(t, !boot_params.nohz);
	parse_bootargs("nohz=maybe");	/* reported, kept */
	KT_EXPECT(t, !boot_params.nohz);
	parse_bootargs("nohz=on");
	KT_EXPECT(t, boot_params.nohz);
	parse_bootargs("nohz");
	KT_EXPECT(t, boot_params.nohz);
	restore();
}

/* The hotplug hint: 0 turns it off, a value past 1000 us is refused. */
static void cpuhp_poll_us(struct ktest *t)
{
	save();
	parse_bootargs("cpuhp.poll_us=0");
	KT_EXPECT_EQ(t, boot_params.cpuhp_poll_us, 0);
	parse_bootargs("cpuhp.poll_us=20");
	KT_EXPECT_EQ(t, boot_params.cpuhp_poll_us, 20);
	parse_bootargs("cpuhp.poll_us=5000 cpuhp.poll_us=x cpuhp.poll_us");
	KT_EXPECT_EQ(t, boot_params.cpuhp_poll_us, 20);
	restore();
}

KTEST_SUITE(params,
	KTEST_CASE(values_are_parsed),
	KTEST_CASE(nosmp_and_maxcpus_zero),
	KTEST_CASE(bad_values_keep_defaults),
	KTEST_CASE(quoted_values),
	KTEST_CASE(nohz_on_off),
	KTEST_CASE(cpuhp_poll_us));
