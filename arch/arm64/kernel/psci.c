/*
 * PSCI: the firmware interface that powers CPUs on and off and the whole
 * system down.  The DT's /psci node says whether calls go by HVC (to EL2)
 * or SMC (to EL3); arguments and results follow the SMC calling convention
 * in x0..x3.
 */
#include "psci.h"
#include "kernel.h"

#define PSCI_0_2_FN_VERSION 0x84000000u
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_1_0_FN_FEATURES 0x8400000au

struct psci_info psci;

static s64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (psci.conduit == PSCI_CONDUIT_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	else if (psci.conduit == PSCI_CONDUIT_SMC)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	else
		return PSCI_RET_NOT_SUPPORTED;
	return (s64)x0;
}

int psci_dt_init(const struct fdt *f)
{
	int node = fdt_path_offset(f, "/psci");
	const char *method;

	psci.conduit = PSCI_CONDUIT_NONE;
	if (node < 0) {
		printk("psci: no /psci node in the device tree (no PSCI: CPUs must use spin-table)\n");
		return -ENODEV;
	}
	method = fdt_prop_string(f, node, "method");
	if (!method) {
		printk("psci: /psci has no method property\n");
		return -EINVAL;
	}
	if (!strcmp(method, "hvc")) {
		psci.conduit = PSCI_CONDUIT_HVC;
	} else if (!strcmp(method, "smc")) {
		psci.conduit = PSCI_CONDUIT_SMC;
	} else {
		printk("psci: unknown method \"%s\" (want hvc or smc)\n", method);
		return -EINVAL;
	}
	psci.fn_cpu_on = PSCI_0_2_FN64_CPU_ON;
	psci.fn_cpu_off = PSCI_0_2_FN_CPU_OFF;
	if (fdt_is_compatible(f, node, "arm,psci-0.2") || fdt_is_compatible(f, node, "arm,psci-1.0")) {
		psci.version = (u32)psci_call(PSCI_0_2_FN_VERSION, 0, 0, 0);
	} else {
		/* PSCI 0.1: function IDs come from the DT. */
		psci.version = 1;
		if (fdt_prop_u32(f, node, "cpu_on", &psci.fn_cpu_on) ||
		    fdt_prop_u32(f, node, "cpu_off", &psci.fn_cpu_off)) {
			printk("psci: 0.1 firmware without cpu_on/cpu_off IDs\n");
			psci.conduit = PSCI_CONDUIT_NONE;
			return -EINVAL;
		}
	}
	printk("psci: PSCI v%u.%u via %s\n", psci.version >> 16, psci.version & 0xffff, method);
	return 0;
}

int psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return (int)psci_call(psci.fn_cpu_on, mpidr, entry, context);
}

int psci_cpu_off(void)
{
	return (int)psci_call(psci.fn_cpu_off, 0, 0, 0);
}

int psci_affinity_info(u64 mpidr)
{
	return (int)psci_call(PSCI_0_2_FN64_AFFINITY_INFO, mpidr, 0, 0);
}

int psci_features(u32 fn)
{
	return (int)psci_call(PSCI_1_0_FN_FEATURES, fn, 0, 0);
}

void psci_system_off(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	panic("psci: SYSTEM_OFF returned");
}

void psci_system_reset(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	panic("psci: SYSTEM_RESET returned");
}

const char *psci_strerror(int err)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
		"ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
	};

	if (err <= 0 && err >= -9)
		return names[-err];
	return "unknown PSCI error";
}
