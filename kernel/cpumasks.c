/*
 * The four global CPU masks.  Writers go through set_cpu_*() so that each
 * update is one atomic bit operation: a secondary marks itself online
 * while the boot CPU may be reading the same word.  Readers use the const
 * pointers, as in Linux.  The exception is the very first setting of
 * possible and present, which happens with the MMU off, where exclusives
 * must not be used (asm/atomic.h): init_cpu_possible/present copy a whole
 * mask with plain stores.
 */
#include "smp.h"
#include "asm/atomic.h"

static cpumask_t possible, present, online, active;

const cpumask_t *const cpu_possible_mask = &possible;
const cpumask_t *const cpu_present_mask = &present;
const cpumask_t *const cpu_online_mask = &online;
const cpumask_t *const cpu_active_mask = &active;

static void assign(cpumask_t *m, unsigned int cpu, bool on)
{
	if (on)
		set_bit(cpu, m->bits);
	else
		clear_bit(cpu, m->bits);
}

void set_cpu_possible(unsigned int cpu, bool on) { assign(&possible, cpu, on); }
void set_cpu_present(unsigned int cpu, bool on) { assign(&present, cpu, on); }
void set_cpu_online(unsigned int cpu, bool on) { assign(&online, cpu, on); }
void set_cpu_active(unsigned int cpu, bool on) { assign(&active, cpu, on); }

/* Boot CPU only, before any other CPU runs (smp_setup_cpus, MMU off):
 * plain stores.  They go straight to memory, and mmu_enable_boot_cpu
 * invalidates the image from the cache before turning it on, so no stale
 * line can hide them afterwards. */
void init_cpu_possible(const cpumask_t *src) { cpumask_copy(&possible, src); }
void init_cpu_present(const cpumask_t *src) { cpumask_copy(&present, src); }
