/* Shared by the `bench` command's two files (bench.c, bench_sched.c). */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include "types.h"

void bench_sort(u64 *v, int n);		/* ascending, in place */
u64 bench_pingpong_ns(unsigned int cpu_a, unsigned int cpu_b);
u64 bench_stop_machine_ns(void);
u64 bench_idle_ticks_per_s_x10(bool nohz);
void bench_hotplug(int rounds);	/* prints its own lines; rounds 0: 5 */
void bench_balance(bool spread, bool cost);	/* bench_balance.c, prints its own lines */

#endif
