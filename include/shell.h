/*
 * Shell commands register themselves with SHELL_CMD, anywhere in the
 * tree; the shell (kernel/shell/shell.c) finds them in the .shell_cmds
 * sections, which the linker sorts by command name (linker.ld), so `help`
 * lists them alphabetically whatever file they live in.
 * A command returns 0, or a negative errno after printing a one-line error.
 */
#ifndef RONDO_SHELL_H
#define RONDO_SHELL_H

#include "types.h"

#define SHELL_PROMPT "rondo> "
#define SHELL_MAX_LINE 255
#define SHELL_MAX_ARGS 16

struct shell_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* arguments, e.g. "[-v]" */
	const char *help;	/* one line */
};

#define SHELL_CMD(cname, cfn, cusage, chelp)					\
	static const struct shell_cmd __shell_cmd_##cname			\
	__attribute__((section(".shell_cmds." #cname), used, aligned(8))) = {		\
		#cname, cfn, cusage, chelp					\
	}

/* Run one command line as if typed (used by tests). */
int shell_exec(const char *line);
int shell_thread(void *arg);	/* the shell's kthread body */
/* Kthread body for a boot script (rondo.run=): runs each ';'-separated
 * command of 'script' as if typed, then becomes the shell. */
int shell_script_thread(void *script);

#endif
