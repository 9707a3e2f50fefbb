/*
 * Boot arguments, from /chosen/bootargs (QEMU -append, U-Boot bootargs,
 * the Pi's cmdline.txt).  Understood: maxcpus=N, nosmp, hz=N, ktest=LIST.
 */
#include "params.h"
#include "kernel.h"
#include "cpumask.h"

struct boot_params boot_params = {
	.maxcpus = NR_CPUS,
	.hz = 100,
	.ktest = NULL,
};

static int parse_uint(const char *key, const char *val, unsigned long lo, unsigned long hi,
		      unsigned int *out)
{
	unsigned long v;

	if (!val || kstrtoul(val, 0, &v) || v < lo || v > hi) {
		printk("bootargs: %s=%s is not a number in %lu..%lu; keeping %u\n",
		       key, val ? val : "", lo, hi, *out);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

static void parse_one(char *word)
{
	char *val = strchr(word, '=');

	if (val)
		*val++ = '\0';
	if (!strcmp(word, "maxcpus")) {
		/* As on Linux, maxcpus=0 means the boot CPU only. */
		if (!parse_uint(word, val, 0, 1024, &boot_params.maxcpus) && !boot_params.maxcpus)
			boot_params.maxcpus = 1;
	} else if (!strcmp(word, "nosmp") && !val) {
		boot_params.maxcpus = 1;
	} else if (!strcmp(word, "hz")) {
		parse_uint(word, val, 10, 1000, &boot_params.hz);
	} else if (!strcmp(word, "ktest")) {
		boot_params.ktest = val && *val ? val : "all";
	} else if (!strcmp(word, "console") || !strcmp(word, "earlycon") ||
		   !strcmp(word, "root") || !strcmp(word, "rootwait")) {
		/* Linux's: boot loaders add them; nothing to do here. */
	} else {
		printk("bootargs: ignoring unknown parameter '%s%s%s'\n", word, val ? "=" : "",
		       val ? val : "");
	}
}

void parse_bootargs(const char *cmdline)
{
	char *p;

	strlcpy(boot_params.cmdline, cmdline ? cmdline : "", sizeof(boot_params.cmdline));
	/* Words point into a second copy, which parse_one cuts up. */
	static char words[sizeof(boot_params.cmdline)];

	strlcpy(words, boot_params.cmdline, sizeof(words));
	p = words;
	while (*p) {
		char *start;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
		parse_one(start);
	}
}
