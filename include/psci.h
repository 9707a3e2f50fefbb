/* PSCI client (arch/arm64/kernel/psci.c): firmware calls over HVC or SMC. */
#ifndef RONDO_PSCI_H
#define RONDO_PSCI_H

#include "types.h"
#include "fdt.h"

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED -1
#define PSCI_RET_INVALID_PARAMS -2
#define PSCI_RET_DENIED -3
#define PSCI_RET_ALREADY_ON -4
#define PSCI_RET_ON_PENDING -5
#define PSCI_RET_INTERNAL_FAILURE -6
#define PSCI_RET_NOT_PRESENT -7
#define PSCI_RET_DISABLED -8
#define PSCI_RET_INVALID_ADDRESS -9

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

struct psci_info {
	enum psci_conduit conduit;
	u32 version;			/* major << 16 | minor */
	u32 fn_cpu_on, fn_cpu_off;	/* 0.1 firmware names its own IDs */
};
extern struct psci_info psci;

/* Parse /psci; returns 0, or a negative error with a message printed. */
int psci_dt_init(const struct fdt *f);
static inline bool psci_available(void) { return psci.conduit != PSCI_CONDUIT_NONE; }
int psci_cpu_on(u64 mpidr, u64 entry, u64 context);
int psci_cpu_off(void);
int psci_affinity_info(u64 mpidr);	/* 0 on, 1 off, 2 on pending, <0 error */
int psci_features(u32 fn);
void __noreturn psci_system_off(void);
void __noreturn psci_system_reset(void);
const char *psci_strerror(int err);

#endif
