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
 *   then:     "cpuN newidle avg_idle_us=N idle_balance_cost_us=N"
 *   per domain of that CPU, lowest first, two lines each:
 *             "domainN NAME span=LIST key=value ..." and
 *             "domainN NAME key=value ..."; lb_* counters of
 *             load_balance() come as three numbers idle,busy,newidle
 *             (Linux's CPU_IDLE, CPU_NOT_IDLE, CPU_NEWLY_IDLE)
 *   last:     "moved periodic=N nohz=N newidle=N active=N ..." tasks moved
 *             by each balancing mechanism since boot
 */
#include "shell.h"
#include "kernel.h"
#include "smp.h"
#include "softirq.h"
#include "../sched/rq.h"
#include "../sched/lb.h"

/* One CPU's domains, copied inside a read section (printing may wait for
 * the console, which a read section must not). */
struct sd_snap {
	char name[8];
	cpumask_t span;
	struct sd_stats st;
	unsigned int interval, failed;
	u64 newidle_cost;
};

static unsigned int snap_domains(unsigned int cpu, struct sd_snap *snap)
{
	struct sched_domain *sd;
	unsigned int n = 0;

	sd_read_begin();
	for_each_domain(cpu, sd) {
		if (n == SD_NR_LEVELS)
			break;
		strlcpy(snap[n].name, sd->name, sizeof(snap[n].name));
		cpumask_copy(&snap[n].span, &sd->span);
		snap[n].st = sd->stats;
		snap[n].interval = sd->balance_interval;
		snap[n].failed = sd->nr_balance_failed;
		snap[n].newidle_cost = sd->max_newidle_lb_cost;
		n++;
	}
	sd_read_end();
	return n;
}

/* Per idle type, as idle,busy,newidle. */
#define TRIPLE(a) (a)[CPU_IDLE], (a)[CPU_NOT_IDLE], (a)[CPU_NEWLY_IDLE]

static void print_domains(unsigned int cpu)
{
	static struct sd_snap snap[SD_NR_LEVELS];	/* the shell runs one command at a time */
	unsigned int n = snap_domains(cpu, snap);
	char span[64];

	for (unsigned int i = 0; i < n; i++) {
		const struct sd_stats *st = &snap[i].st;

		cpumask_print_list(span, sizeof(span), &snap[i].span);
		/* Two lines: the console's line buffer holds 256 characters. */
		kprintf("domain%u %s span=%s lb_count=%lu,%lu,%lu lb_balanced=%lu,%lu,%lu "
			"lb_imbalance=%lu,%lu,%lu lb_gained=%lu,%lu,%lu lb_failed=%lu,%lu,%lu\n",
			i, snap[i].name, span, TRIPLE(st->lb_count), TRIPLE(st->lb_balanced),
			TRIPLE(st->lb_imbalance), TRIPLE(st->lb_gained), TRIPLE(st->lb_failed));
		kprintf("domain%u %s lb_nobusyg=%lu,%lu,%lu lb_nobusyq=%lu,%lu,%lu all_pinned=%lu "
			"alb_count=%lu alb_failed=%lu alb_pushed=%lu newidle_tries=%lu "
			"newidle_pulls=%lu newidle_cost_us=%lu interval_ms=%u nr_failed=%u\n",
			i, snap[i].name, TRIPLE(st->lb_nobusyg), TRIPLE(st->lb_nobusyq),
			st->lb_all_pinned, st->alb_count, st->alb_failed, st->alb_pushed,
			st->newidle_tries, st->newidle_pulls, snap[i].newidle_cost / 1000,
			snap[i].interval, snap[i].failed);
	}
}

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
		kprintf("cpu%u newidle avg_idle_us=%lu idle_balance_cost_us=%lu\n", cpu,
			READ_ONCE(rq->avg_idle) / 1000, READ_ONCE(rq->max_idle_balance_cost) / 1000);
		print_domains(cpu);
	}
	nohz_get_info(&ni, idle, sizeof(idle));
	kprintf("nohz enabled=%s idle_cpus=%s nr_idle=%u ilb_in_flight=%d kicks_suppressed=%lu "
		"double_kicks=%lu\n", tick_nohz_enabled() ? "on" : "off", idle[0] ? idle : "-",
		ni.nr_idle, ni.ilb_in_flight, ni.kicks_suppressed, ni.double_kicks);
	kprintf("wc bound_ms=%lu violations=%lu\n", wc_bound_ns() / 1000000, wc_total);
	kprintf("moved periodic=%lu nohz=%lu newidle=%lu active=%lu alb_refused=%lu "
		"inactive_aborts=%lu inactive_violations=%lu src_busy=%lu\n",
		READ_ONCE(lb_stats.moved[LB_PERIODIC]), READ_ONCE(lb_stats.moved[LB_NOHZ]),
		READ_ONCE(lb_stats.moved[LB_NEWIDLE]), READ_ONCE(lb_stats.moved[LB_ACTIVE]),
		READ_ONCE(lb_stats.alb_refused), READ_ONCE(lb_stats.inactive_aborts),
		READ_ONCE(lb_stats.inactive_violations), READ_ONCE(lb_stats.src_busy));
	return 0;
}
SHELL_CMD(schedstat, cmd_schedstat, "", "balancing counters per CPU: trigger, NOHZ, work conservation");
