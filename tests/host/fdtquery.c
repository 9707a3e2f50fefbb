/*
 * fdtquery: a small fdtget work-alike built on lib/fdt*.c, so tests can
 * compare its output with the real fdtget line for line.
 *
 *   fdtquery [-t TYPE] FILE NODE PROP [NODE PROP]...   values, fdtget style
 *   fdtquery -p FILE NODE...                           property names
 *   fdtquery -l FILE NODE...                           subnode names
 *   fdtquery -a FILE                                   every node's path
 *   fdtquery -r FILE NODE...                           reg, as CPU addresses
 *
 * TYPE is fdtget's: [hh|b|h|l]{x|i|u|s}.  Nodes may be paths or aliases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "fdt_host.h"

static u8 *blob;

/* A command-line tool that exits from anywhere: its heap is not a leak. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static int node_or_die(const struct fdt *f, const char *path)
{
	int node = fdt_path_offset(f, path);

	if (node < 0) {
		fprintf(stderr, "Error at '%s': %s\n", path, fdt_strerror(node));
		exit(1);
	}
	return node;
}

static int print_string_list(const char *v, int len)
{
	if (len == 0) {
		printf("\n");
		return 0;
	}
	if (v[len - 1] != '\0') {
		fprintf(stderr, "Unterminated string\n");
		return 1;
	}
	/* Strings of a list are separated by one space, as fdtget does. */
	for (int i = 0; i < len - 1; i++)
		putchar(v[i] ? v[i] : ' ');
	printf("\n");
	return 0;
}

static int print_value(const u8 *v, int len, int size, char fmt)
{
	if (fmt == 's')
		return print_string_list((const char *)v, len);
	/* A length that is not a whole number of items falls back to bytes. */
	if (len % size)
		size = 1;
	for (int i = 0; i < len; i += size) {
		u64 x = 0;

		for (int j = 0; j < size; j++)
			x = x << 8 | v[i + j];
		if (i)
			printf(" ");
		if (fmt == 'x')
			printf("%llx", (unsigned long long)x);
		else if (fmt == 'u')
			printf("%llu", (unsigned long long)x);
		else if (size == 1)
			printf("%d", (int)(signed char)x);
		else if (size == 2)
			printf("%d", (int)(short)x);
		else
			printf("%d", (int)x);
	}
	printf("\n");
	return 0;
}

static void parse_type(const char *t, int *size, char *fmt)
{
	*size = 4;
	if (strncmp(t, "hh", 2) == 0 || t[0] == 'b') {
		*size = 1;
		t += t[0] == 'b' ? 1 : 2;
	} else if (t[0] == 'h') {
		*size = 2;
		t++;
	} else if (t[0] == 'l') {
		t++;
	}
	if (!strchr("xius", t[0]) || !t[0] || t[1]) {
		fprintf(stderr, "bad type\n");
		exit(2);
	}
	*fmt = t[0];
}

static void print_all_paths(const struct fdt *f, int node)
{
	char path[1024];

	if (fdt_get_path(f, node, path, sizeof(path)) < 0)
		exit(1);
	printf("%s\n", path);
	for (int c = fdt_first_child(f, node); c >= 0; c = fdt_next_sibling(f, c))
		print_all_paths(f, c);
}

int main(int argc, char **argv)
{
	char mode = 'g', fmt = 'x';
	int size = 4, i = 1;
	size_t len;
	struct fdt f;
	int err;

	if (argc > 2 && argv[1][0] == '-' && argv[1][1] == 't') {
		parse_type(argv[2], &size, &fmt);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && strchr("plar", argv[1][1])) {
		mode = argv[1][1];
		i = 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: fdtquery [-t TYPE|-p|-l|-a|-r] FILE [ARGS]...\n");
		return 2;
	}
	blob = load_file(argv[i], &len);
	if (!blob) {
		perror(argv[i]);
		return 1;
	}
	err = fdt_init(&f, blob, len);
	if (!err)
		err = fdt_check_full(&f);
	if (err) {
		fprintf(stderr, "%s: %s\n", argv[i], fdt_strerror(err));
		return 1;
	}
	i++;
	if (mode == 'a') {
		print_all_paths(&f, fdt_root(&f));
		return 0;
	}
	if (mode == 'g' && (argc - i) % 2) {
		fprintf(stderr, "node and property names come in pairs\n");
		return 2;
	}
	for (; i < argc; i += mode == 'g' ? 2 : 1) {
		int node = node_or_die(&f, argv[i]);

		if (mode == 'p') {
			for (int p = fdt_first_prop(&f, node); p >= 0; p = fdt_next_prop(&f, p)) {
				const char *name;

				fdt_prop_info(&f, p, &name, NULL);
				printf("%s\n", name);
			}
		} else if (mode == 'l') {
			for (int c = fdt_first_child(&f, node); c >= 0; c = fdt_next_sibling(&f, c))
				printf("%s\n", fdt_node_name(&f, c));
		} else if (mode == 'r') {
			u64 a, s;

			for (int k = 0; fdt_reg_cpu(&f, node, k, &a, &s) == 0; k++)
				printf("%#llx %#llx\n", (unsigned long long)a, (unsigned long long)s);
		} else {
			int vlen;
			const u8 *v = fdt_getprop(&f, node, argv[i + 1], &vlen);

			if (!v) {
				fprintf(stderr, "Error at '%s': %s\n", argv[i + 1], fdt_strerror(vlen));
				return 1;
			}
			if (print_value(v, vlen, size, fmt))
				return 1;
		}
	}
	return 0;
}
