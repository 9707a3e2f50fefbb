/*
 * The serial shell: read a line with simple editing, split it into words,
 * run the command.  Input is untrusted: control characters and bytes
 * outside printable ASCII are dropped, escape sequences swallowed, and an
 * over-long line is discarded with an error instead of overflowing.
 */
#include "shell.h"
#include "console.h"
#include "kernel.h"

#define PROMPT SHELL_PROMPT

extern const struct shell_cmd __shell_cmds_start[], __shell_cmds_end[];

static const struct shell_cmd *find_cmd(const char *name)
{
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Split in place; returns argc, or -E2BIG for too many words. */
static int split_words(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS)
			return -E2BIG;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int shell_exec(const char *text)
{
	char line[SHELL_MAX_LINE + 1];
	char *argv[SHELL_MAX_ARGS + 1];
	const struct shell_cmd *cmd;
	int argc;

	if (strlen(text) > SHELL_MAX_LINE) {
		kprintf("error: line too long (max %d characters)\n", SHELL_MAX_LINE);
		return -E2BIG;
	}
	strlcpy(line, text, sizeof(line));
	argc = split_words(line, argv);
	if (argc < 0) {
		kprintf("error: too many arguments (max %d words)\n", SHELL_MAX_ARGS);
		return argc;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		kprintf("unknown command: %s (try 'help')\n", argv[0]);
		return -ENOENT;
	}
	return cmd->fn(argc, argv);
}

enum esc_state { ESC_NONE, ESC_SEEN, ESC_CSI };

/* Read one line; returns its length, or -E2BIG if it was too long. */
static int read_line(char *buf)
{
	enum esc_state esc = ESC_NONE;
	int len = 0;
	bool too_long = false;

	for (;;) {
		int c = console_getc();

		if (esc == ESC_SEEN) {
			esc = c == '[' ? ESC_CSI : ESC_NONE;
			continue;
		}
		if (esc == ESC_CSI) {
			if (c >= 0x40 && c <= 0x7e)	/* final byte of the sequence */
				esc = ESC_NONE;
			continue;
		}
		if (c == '\r' || c == '\n') {
			kprintf("\n");
			buf[len] = '\0';
			return too_long ? -E2BIG : len;
		}
		if (c == 0x1b) {
			esc = ESC_SEEN;
		} else if (c == 0x08 || c == 0x7f) {
			if (len > 0) {
				len--;
				kprintf("\b \b");
				kflush();
			}
		} else if (c == 0x03 || c == 0x15) {	/* ^C, ^U: start over */
			kprintf("^%c\n%s", c + '@', PROMPT);
			kflush();
			len = 0;
			too_long = false;
		} else if (c >= 0x20 && c < 0x7f) {
			if (len < SHELL_MAX_LINE) {
				buf[len++] = (char)c;
				kprintf("%c", c);
				kflush();
			} else {
				too_long = true;
			}
		}
	}
}

int shell_thread(void *arg)
{
	char line[SHELL_MAX_LINE + 1];

	(void)arg;
	kprintf("\nRondo shell. Type 'help' for commands.\n");
	for (;;) {
		int n;

		kprintf(PROMPT);
		kflush();
		n = read_line(line);
		if (n == -E2BIG) {
			kprintf("error: line too long (max %d characters)\n", SHELL_MAX_LINE);
			continue;
		}
		shell_exec(line);
	}
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++) {
		char head[48];

		snprintf(head, sizeof(head), "%s %s", c->name, c->usage);
		kprintf("  %-24s %s\n", head, c->help);
	}
	return 0;
}
SHELL_CMD(help, cmd_help, "", "list the commands");
