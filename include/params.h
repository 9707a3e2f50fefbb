/* The kernel command line (/chosen/bootargs), parsed once at boot. */
#ifndef RONDO_PARAMS_H
#define RONDO_PARAMS_H

#include "types.h"

struct boot_params {
	unsigned int maxcpus;		/* CPUs to bring up at boot, boot CPU included */
	unsigned int hz;		/* timer tick rate */
	const char *ktest;		/* suites to run at boot, NULL = none */
	const char *run;		/* rondo.run: shell commands at boot, NULL = none */
	bool nohz;			/* idle CPUs stop their tick (nohz=off: they don't) */
	const char *cpuhp_fail;		/* cpuhp.fail=CPU:STATE (kernel/cpuhp.c), NULL = none */
	unsigned int cpuhp_poll_us;	/* cpuhp.poll_us=N: the emulator hint (cpuhp.h); 50, 0 = off */
	char cmdline[512];
};

extern struct boot_params boot_params;

/* Parse 'cmdline' into boot_params; unknown words are reported, bad values
 * keep the default and are reported. */
void parse_bootargs(const char *cmdline);

#endif
