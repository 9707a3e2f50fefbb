/*
 * Boot arguments, from /chosen/bootargs (QEMU -append, U-Boot bootargs,
 * the Pi's cmdline.txt).  Understood: maxcpus=N, nosmp, hz=N, ktest=LIST,
 * rondo.run="CMD; CMD", nohz=on|off, cpuhp.fail=CPU:STATE,
 * cpuhp.poll_us=N.  As on Linux, a value may be double-quoted to hold
 * spaces: key="a b" (the quotes are removed).
 */
#include "params.h"
#include "kernel.h"
#include "cpumask.h"

struct boot_params boot_params = {
	.maxcpus = NR_CPUS,
	.hz = 100,
	.ktest = NULL,
	.run = NULL,
	.nohz = true,
	.cpuhp_poll_us = 50,
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
	} else if (!strcmp(word, "nohz")) {
		if (val && !strcmp(val, "on"))
			boot_params.nohz = true;
		else if (val && !strcmp(val, "off"))
			boot_params.nohz = false;
		else
			printk("bootargs: nohz=%s is not on or off; keeping %s\n", val ? val : "",
			       boot_params.nohz ? "on" : "off");
	} else if (!strcmp(word, "ktest")) {
		boot_params.ktest = val && *val ? val : "all";
	} else if (!strcmp(word, "rondo.run")) {
		if (val && *val)
			boot_params.run = val;
		else
			printk("bootargs: rondo.run needs commands, like rondo.run=\"cpus; ps\"\n");
	} else if (!strcmp(word, "cpuhp.fail")) {
		/* Checked once the CPUs and states are known (cpuhp.c). */
		boot_params.cpuhp_fail = val;
	} else if (!strcmp(word, "cpuhp.poll_us")) {
		parse_uint(word, val, 0, 1000, &boot_params.cpuhp_poll_us);
	} else if (!strcmp(word, "console") || !strcmp(word, "earlycon") ||
		   !strcmp(word, "root") || !strcmp(word, "rootwait")) {
		/* Linux's: boot loaders add them; nothing to do here. */
	} else {
		printk("bootargs: ignoring unknown parameter '%s%s%s'\n", word, val ? "=" : "",
		       val ? val : "");
	}
}

/*
 * The next word of the command line, cut out in place: it ends at a blank
 * outside double quotes.  The quotes around a value (key="a b") or a whole
 * word are removed.  An unterminated quote runs to the end of the line.
 */
static char *next_word(char **pp)
{
	char *p = *pp, *start, *out;
	bool quoted = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p) {
		*pp = p;
		return NULL;
	}
	start = out = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;		/* dropped: closes the gap as we copy */
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
		*out++ = *p;
	}
	if (*p)
		p++;
	*out = '\0';
	if (quoted)
		printk("bootargs: unterminated quote in '%s'; taking the rest of the line\n", start);
	*pp = p;
	return start;
}

void parse_bootargs(const char *cmdline)
{
	/*
	 * Values (ktest=, rondo.run=) point into a copy that next_word cuts
	 * up.  The boot's copy must outlive the boot: the ktest thread and the
	 * boot script read theirs while tests parse command lines of their
	 * own, so every later call cuts up a second buffer instead.
	 */
	static char boot_words[sizeof(boot_params.cmdline)];
	static char later_words[sizeof(boot_params.cmdline)];
	static bool booted;
	char *words = booted ? later_words : boot_words;
	char *p, *word;

	if (cmdline && strlen(cmdline) >= sizeof(boot_params.cmdline))
		printk("bootargs: command line longer than %zu characters; the rest is ignored\n",
		       sizeof(boot_params.cmdline) - 1);
	strlcpy(boot_params.cmdline, cmdline ? cmdline : "", sizeof(boot_params.cmdline));
	strlcpy(words, boot_params.cmdline, sizeof(boot_words));
	booted = true;
	p = words;
	while ((word = next_word(&p)))
		parse_one(word);
}
