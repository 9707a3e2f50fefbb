/*
 * SMP: the four CPU masks, logical <-> hardware ids, bring-up and
 * cross-CPU function calls (kernel/smp.c, kernel/cpumasks.c).
 */
#ifndef RONDO_SMP_H
#define RONDO_SMP_H

#include "types.h"
#include "cpumask.h"
#include "asm/percpu.h"

/* Linux's meaning:
 *   possible: could ever run in this boot (one bit per CPU in the DT)
 *   present:  populated and bootable (it has working cpu_ops)
 *   online:   running, taking interrupts, schedulable
 *   active:   the scheduler may migrate tasks to it
 */
extern const cpumask_t *const cpu_possible_mask;
extern const cpumask_t *const cpu_present_mask;
extern const cpumask_t *const cpu_online_mask;
extern const cpumask_t *const cpu_active_mask;

void set_cpu_possible(unsigned int cpu, bool on);
void set_cpu_present(unsigned int cpu, bool on);
void set_cpu_online(unsigned int cpu, bool on);
void set_cpu_active(unsigned int cpu, bool on);
/* Boot CPU, MMU off, nobody else running: plain stores, no exclusives. */
void init_cpu_possible(const cpumask_t *src);
void init_cpu_present(const cpumask_t *src);

static inline bool cpu_online(unsigned int cpu) { return cpumask_test_cpu(cpu, cpu_online_mask); }
static inline bool cpu_active(unsigned int cpu) { return cpumask_test_cpu(cpu, cpu_active_mask); }
static inline bool cpu_present(unsigned int cpu) { return cpumask_test_cpu(cpu, cpu_present_mask); }
static inline bool cpu_possible(unsigned int cpu) { return cpumask_test_cpu(cpu, cpu_possible_mask); }
static inline unsigned int num_online_cpus(void) { return cpumask_weight(cpu_online_mask); }

#define for_each_possible_cpu(c) for_each_cpu(c, cpu_possible_mask)
#define for_each_online_cpu(c) for_each_cpu(c, cpu_online_mask)

/* Logical CPU -> MPIDR affinity (INVALID_HWID when unused). */
extern u64 cpu_logical_map[NR_CPUS];
int get_logical_index(u64 mpidr);

/* Cross-CPU calls.  'func' runs on the target in interrupt context.  With
 * wait, the caller returns after func finished.  Callable with IRQs on or
 * off: a caller spinning with IRQs masked serves the calls queued to its
 * own CPU while it waits (smp_call.c csd_wait), so two CPUs calling each
 * other cannot deadlock.  Not from an IRQ handler that interrupted a
 * caller spinning in csd_wait for the same slot. */
typedef void (*smp_call_func_t)(void *info);
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait);
/* Runs on every online CPU in 'mask' except the caller, as on Linux. */
void smp_call_function_many(const cpumask_t *mask, smp_call_func_t func, void *info, bool wait);
void generic_smp_call_function_interrupt(void);
/* CPU hotplug, dying CPU, IRQs masked: run the calls still queued here. */
void smp_call_flush_this_cpu(void);

void smp_init(void);		/* bring up secondaries (boot CPU) */
int boot_secondary(unsigned int cpu);	/* CPU_ON / release; no wait */
extern u64 cpu_bringup_cycles[NR_CPUS];
extern u64 boot_all_active_cycles;
void smp_stop_others(void);	/* IPI_STOP to all other online CPUs */
void __noreturn cpu_halt(void);	/* this CPU stops for good */

#endif
