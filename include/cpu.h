/*
 * CPU hotplug (kernel/cpu.c).  For now the CPU-hotplug lock only: it keeps
 * the set of online CPUs stable for its readers.  The hotplug state
 * machine will live here too, taking the lock for writing.
 */
#ifndef RONDO_CPU_H
#define RONDO_CPU_H

#include "types.h"

/* Readers: many at once, may sleep while holding it; not recursive. */
void cpus_read_lock(void);
void cpus_read_unlock(void);
/* The writer (hotplug): one at a time, excludes every reader. */
void cpus_write_lock(void);
void cpus_write_unlock(void);
/* Panics unless the lock is held for reading by someone or for writing by
 * the caller (readers are not tracked per task). */
void lockdep_assert_cpus_held(void);
/* Panics unless the caller holds the lock for writing. */
void lockdep_assert_cpus_write_held(void);

#endif
