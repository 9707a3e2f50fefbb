/* Shell commands for watching and pacing a run: trace, sleep. */
#include "shell.h"
#include "kernel.h"
#include "trace.h"
#include "wait.h"

static int cmd_trace(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "on"))
		return trace_enable(true);
	if (argc == 2 && !strcmp(argv[1], "off"))
		return trace_enable(false);
	if (argc == 2 && !strcmp(argv[1], "clear")) {
		trace_clear();
		return 0;
	}
	/* --ftrace names the format explicitly; it is the only one. */
	if ((argc == 2 || (argc == 3 && !strcmp(argv[2], "--ftrace"))) &&
	    !strcmp(argv[1], "dump")) {
		trace_dump();
		return 0;
	}
	kprintf("usage: trace on|off|clear|dump [--ftrace]\n");
	return -EINVAL;
}
SHELL_CMD(trace, cmd_trace, "on|off|clear|dump", "scheduler event trace, Linux ftrace format (docs/trace.md)");

#define SLEEP_MAX_S 3600

/* "2", "0.5", "1.25": seconds to milliseconds; -EINVAL if not that. */
static int parse_seconds_ms(const char *s, unsigned long *ms)
{
	unsigned long whole = 0, frac = 0, scale = 1000;
	const char *p = s;
	bool digits = false;

	for (; *p >= '0' && *p <= '9'; p++, digits = true) {
		whole = whole * 10 + (unsigned long)(*p - '0');
		if (whole > SLEEP_MAX_S)
			return -EINVAL;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits = true) {
			if (scale > 1) {	/* digits past milliseconds are dropped */
				scale /= 10;
				frac += (unsigned long)(*p - '0') * scale;
			}
		}
	}
	if (*p || !digits)
		return -EINVAL;
	*ms = whole * 1000 + frac;
	return *ms > SLEEP_MAX_S * 1000UL ? -EINVAL : 0;
}

static int cmd_sleep(int argc, char **argv)
{
	unsigned long ms;

	if (argc != 2 || parse_seconds_ms(argv[1], &ms)) {
		kprintf("usage: sleep SECONDS (0 to %d, fractions allowed: 0.5)\n", SLEEP_MAX_S);
		return -EINVAL;
	}
	msleep((unsigned int)ms);
	return 0;
}
SHELL_CMD(sleep, cmd_sleep, "SECONDS", "wait, e.g. 1 or 0.25 (the shell only; tasks keep running)");
