/*
 * `schedstat`: the balancing counters, in the spirit of /proc/schedstat.
 *
 * Format (a contract: tests and docs read it; extend it, do not reorder):
 *   line 1:   "schedstat version 1"
 *   per CPU:  "cpuN key=value key=value ..."  (online CPUs)
 *   global:   "nohz key=value ..."  and  "wc key=value ..."
 * Readers look keys up by name, so a new counter is a new key=value at
 * the end of a line, and a new kind of line (e.g. "domainN ..." after its
 * CPU's line) starts with its own word.
 */
#include "shell.h"
#include "kernel.h"
#include "smp.h"
#include "softirq.h"
#include "../sched/rq.h"

static int cmd_schedstat(int argc, char **argv)
{
	struct nohz_info ni;
	char idle[128];
	unsigned int cpu;
	u64 wc_total = 0;

	(void)argv;
	if (argc != 1) {
		kprintf("usage: schedstat\n");
		return -EINVAL;
	}
	kprintf("schedstat version 1\n");
	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		wc_total += READ_ONCE(rq->wc_violations);
		kprintf("cpu%u lb_idle=%lu lb_busy=%lu lb_newidle=%lu lb_irqs_off=%lu softirq_sched=%lu "
			"idle_ticks=%lu ilb_kicks_sent=%lu ilb_kicks_recv=%lu nohz_runs=%lu "
			"wc_violations=%lu wc_checks=%lu wc_check_ns_max=%lu migrations=%lu "
			"useless_migrations=%lu\n",
			cpu, READ_ONCE(rq->balance_runs[CPU_IDLE]), READ_ONCE(rq->balance_runs[CPU_NOT_IDLE]),
			READ_ONCE(rq->balance_runs[CPU_NEWLY_IDLE]), READ_ONCE(rq->balance_irqs_off),
			softirq_runs(cpu, SCHED_SOFTIRQ), READ_ONCE(rq->idle_ticks),
			READ_ONCE(rq->ilb_kicks_sent), READ_ONCE(rq->ilb_kicks_received),
			READ_ONCE(rq->nohz_balance_runs), READ_ONCE(rq->wc_violations),
			READ_ONCE(rq->wc_checks), READ_ONCE(rq->wc_check_ns_max),
			READ_ONCE(rq->balance_migrations), READ_ONCE(rq->useless_migrations));
	}
	nohz_get_info(&ni, idle, sizeof(idle));
	kprintf("nohz enabled=%s idle_cpus=%s nr_idle=%u ilb_in_flight=%d kicks_suppressed=%lu "
		"double_kicks=%lu\n", tick_nohz_enabled() ? "on" : "off", idle[0] ? idle : "-",
		ni.nr_idle, ni.ilb_in_flight, ni.kicks_suppressed, ni.double_kicks);
	kprintf("wc bound_ms=%lu violations=%lu\n", wc_bound_ns() / 1000000, wc_total);
	return 0;
}
SHELL_CMD(schedstat, cmd_schedstat, "", "balancing counters per CPU: trigger, NOHZ, work conservation");
