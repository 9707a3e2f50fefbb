/*
 * Boot scripts: rondo.run="cmd; cmd; ..." on the kernel command line runs
 * those shell commands at boot, through the same dispatcher as typed ones,
 * so a run depends on nothing but the Image and its arguments.  Each
 * command is echoed after a prompt, as if typed, so logs read the same;
 * a failing command prints its usual error and the script goes on.
 */
#include "shell.h"
#include "kernel.h"

int shell_script_thread(void *script)
{
	/* It points into the boot's copy of the command line, which later
	 * parses (the params tests) leave alone (kernel/params.c). */
	const char *p = script;

	kprintf("\nRondo shell: running the boot script (rondo.run)\n");
	while (*p) {
		char line[SHELL_MAX_LINE + 1];
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > SHELL_MAX_LINE) {
			kprintf("%s%.40s...\nerror: line too long (max %d characters)\n",
				SHELL_PROMPT, p, SHELL_MAX_LINE);
		} else if (len) {
			memcpy(line, p, len);
			line[len] = '\0';
			kprintf("%s%s\n", SHELL_PROMPT, line);
			shell_exec(line);
		}
		if (!end)
			break;
		p = end + 1;
	}
	return shell_thread(NULL);
}
