/*
 * Power off and reboot.  Both print the same final marker line, which the
 * runner scripts wait for: on a board without PSCI (a stock Raspberry Pi)
 * nothing can switch the machine off, so the marker is how a script knows
 * the kernel is done.
 */
#include "kernel.h"
#include "psci.h"
#include "smp.h"
#include "asm/irqflags.h"

#define HALT_MARKER "rondo: system halted"

static void halt_others(void)
{
	if (system_state >= SYSTEM_SMP)
		smp_stop_others();
}

void machine_poweroff(void)
{
	halt_others();
	kprintf("%s\n", HALT_MARKER);
	if (psci_available())
		psci_system_off();
	cpu_halt();
}

void machine_reboot(void)
{
	halt_others();
	if (psci_available()) {
		kprintf("rondo: rebooting\n");
		psci_system_reset();
	}
	kprintf("reboot: no PSCI on this board, so no way to reset; halting instead\n");
	kprintf("%s\n", HALT_MARKER);
	cpu_halt();
}
