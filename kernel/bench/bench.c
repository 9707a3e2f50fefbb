/*
 * `bench`: the platform's figures, one "name value unit" line each, meant
 * to be read under QEMU -icount where virtual time is a function of the
 * instructions executed (scripts/bench.sh, docs/benchmarks.md).
 */
#include "bench.h"
#include "shell.h"
#include "irq.h"
#include "kernel.h"
#include "smp.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/sysreg.h"

extern u64 cpu_bringup_cycles[NR_CPUS];
extern u64 boot_all_active_cycles;

#define PINGS 101

/* One ping-pong at a time: the initiator sends IPI_PING to the responder,
 * whose handler sends one straight back. */
static struct {
	int initiator, responder;
	u64 pongs;
} pingpong = { -1, -1, 0 };

static void bench_ping_ipi(void)
{
	int cpu = (int)smp_processor_id();

	if (cpu == READ_ONCE(pingpong.responder))
		send_ipi((unsigned int)READ_ONCE(pingpong.initiator), IPI_PING);
	else if (cpu == READ_ONCE(pingpong.initiator))
		WRITE_ONCE(pingpong.pongs, pingpong.pongs + 1);
}

void bench_sort(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 tmp = v[j];

			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

static void print_ns(const char *name, u64 ns, const char *unit)
{
	if (!strcmp(unit, "ms"))
		kprintf("%s_smp%u %lu.%03lu ms\n", name, cpumask_weight(cpu_possible_mask),
			ns / 1000000, ns / 1000 % 1000);
	else
		kprintf("%s_smp%u %lu.%03lu us\n", name, cpumask_weight(cpu_possible_mask),
			ns / 1000, ns % 1000);
}

/* Per second per CPU, from tenths: "hz" keeps the one-word unit. */
static void print_rate(const char *name, u64 x10)
{
	kprintf("%s_smp%u %lu.%lu hz\n", name, cpumask_weight(cpu_possible_mask), x10 / 10,
		x10 % 10);
}

static u64 ipi_roundtrip_ns(unsigned int target)
{
	static u64 samples[PINGS];

	WRITE_ONCE(pingpong.initiator, (int)smp_processor_id());
	WRITE_ONCE(pingpong.responder, (int)target);
	set_ipi_ping_hook(bench_ping_ipi);
	for (int i = 0; i < PINGS; i++) {
		u64 before = READ_ONCE(pingpong.pongs), t0 = read_cntvct();

		send_ipi(target, IPI_PING);
		while (READ_ONCE(pingpong.pongs) == before)
			cpu_relax();
		samples[i] = read_cntvct() - t0;
	}
	set_ipi_ping_hook(NULL);
	WRITE_ONCE(pingpong.responder, -1);
	WRITE_ONCE(pingpong.initiator, -1);
	bench_sort(samples, PINGS);
	return cycles_to_ns(samples[PINGS / 2]);
}

static int cmd_bench(int argc, char **argv)
{
	u64 bringup[NR_CPUS], sum = 0;
	int n = 0;
	unsigned int cpu;

	if (argc == 2 && !strcmp(argv[1], "balance")) {
		/* Only the balancer's cost: short enough for smp 16 and 64. */
		bench_balance(false, true);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "spread")) {
		bench_balance(true, false);
		return 0;
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "hotplug")) {
		/* Only the hotplug rows, medians of 5 rounds as in the full
		 * run, or of ROUNDS (1..64). */
		unsigned long rounds = 0;

		if (argc == 3 && (kstrtoul(argv[2], 10, &rounds) || !rounds || rounds > 64)) {
			kprintf("bench: '%s' is not a round count (1..64)\n", argv[2]);
			return -EINVAL;
		}
		if (irqs_disabled())
			local_irq_enable();
		bench_hotplug((int)rounds);
		return 0;
	}
	if (argc != 1) {
		kprintf("usage: bench [balance | spread | hotplug [ROUNDS]]\n");
		return -EINVAL;
	}
	if (irqs_disabled())
		local_irq_enable();
	print_ns("boot_to_all_active", cycles_to_ns(boot_all_active_cycles), "ms");
	for_each_online_cpu(cpu)
		if (cpu) {
			bringup[n++] = cpu_bringup_cycles[cpu];
			sum += cpu_bringup_cycles[cpu];
		}
	if (n) {
		bench_sort(bringup, n);
		print_ns("secondary_bringup_median", cycles_to_ns(bringup[n / 2]), "us");
		print_ns("secondary_bringup_total", cycles_to_ns(sum), "us");
		print_ns("ipi_roundtrip_median", ipi_roundtrip_ns(cpumask_next(0, cpu_online_mask)), "us");
	} else {
		kprintf("# one CPU online: no bring-up or IPI figures\n");
	}
	/* Kernel threads ping-ponging through a wait queue, as Linux's
	 * futex ping-pong: both on CPU 0, then CPU 0 and the next CPU. */
	print_ns("ctxsw_same_cpu", bench_pingpong_ns(0, 0), "us");
	if (n)
		print_ns("wakeup_xcpu", bench_pingpong_ns(0, cpumask_next(0, cpu_online_mask)), "us");
	print_ns("stop_machine_roundtrip", bench_stop_machine_ns(), "us");
	if (n) {
		print_rate("idle_ticks_nohz_on", bench_idle_ticks_per_s_x10(true));
		print_rate("idle_ticks_nohz_off", bench_idle_ticks_per_s_x10(false));
	}
	bench_hotplug(0);
	bench_balance(true, true);
	return 0;
}
SHELL_CMD(bench, cmd_bench, "[balance|spread|hotplug]",
	  "print the benchmark figures (run under --icount); balance: only the balancer's cost per tick; spread: only the unpin-to-spread time; hotplug [N]: only the hotplug rows, medians of N (5)");
