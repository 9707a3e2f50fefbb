/*
 * Test support: reading DTB files, text buffers, and a minimal DTB writer
 * used to make small trees, well-formed or deliberately broken.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_host.h"

#ifndef RONDO_DTB_DIR
#define RONDO_DTB_DIR "cache/dtb"
#endif

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

void *load_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	long n;
	void *buf;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return NULL;
	}
	/* Exactly n bytes, so ASan flags any read past the file's end. */
	buf = xrealloc(NULL, (size_t)n);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

const char *dtb_dir(void)
{
	const char *d = getenv("RONDO_DTB_DIR");

	return d && *d ? d : RONDO_DTB_DIR;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int list_dtbs(const char *dir, char ***names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	*names = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".dtb") == 0) {
			*names = xrealloc(*names, sizeof(char *) * (size_t)(n + 1));
			(*names)[n++] = strdup(e->d_name);
		}
	}
	closedir(d);
	qsort(*names, (size_t)n, sizeof(char *), cmp_names);
	return n;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_hex(struct strbuf *b, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		sb_printf(b, "%02x", c[i]);
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int dump_diff(const char *ours, const char *ref, char *msg, size_t size)
{
	const char *a = ours, *b = ref;
	int line = 1;

	while (*a && *a == *b) {
		if (*a == '\n')
			line++;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	while (a > ours && a[-1] != '\n')
		a--;
	while (b > ref && b[-1] != '\n')
		b--;
	snprintf(msg, size, "dumps differ at line %d:\n  ours:   %.*s\n  libfdt: %.*s\n",
		 line, (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
	return 1;
}

uint32_t get_be32(const void *p)
{
	const unsigned char *c = p;

	return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
}

void put_be32(void *p, uint32_t v)
{
	unsigned char *c = p;

	c[0] = (unsigned char)(v >> 24);
	c[1] = (unsigned char)(v >> 16);
	c[2] = (unsigned char)(v >> 8);
	c[3] = (unsigned char)v;
}

/* ---- the writer ---- */

static void st_append(struct fdtb *b, const void *p, size_t n)
{
	/* Keep the block 4-byte aligned after each item, as tokens need. */
	size_t padded = (n + 3) & ~(size_t)3;

	if (b->st_len + padded > b->st_cap) {
		b->st_cap = (b->st_len + padded) * 2 + 64;
		b->st = xrealloc(b->st, b->st_cap);
	}
	memcpy(b->st + b->st_len, p, n);
	memset(b->st + b->st_len + n, 0, padded - n);
	b->st_len += padded;
}

void fdtb_raw32(struct fdtb *b, uint32_t word)
{
	unsigned char w[4];

	put_be32(w, word);
	st_append(b, w, 4);
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_begin(struct fdtb *b, const char *name)
{
	fdtb_raw32(b, 1);
	st_append(b, name, strlen(name) + 1);
}

void fdtb_end(struct fdtb *b)
{
	fdtb_raw32(b, 2);
}

/* Offset of name in the strings block, added if new (shared like dtc does). */
static uint32_t string_offset(struct fdtb *b, const char *name)
{
	size_t n = strlen(name) + 1;

	for (size_t off = 0; off < b->str_len; off += strlen(b->str + off) + 1)
		if (strcmp(b->str + off, name) == 0)
			return (uint32_t)off;
	if (b->str_len + n > b->str_cap) {
		b->str_cap = (b->str_len + n) * 2 + 64;
		b->str = xrealloc(b->str, b->str_cap);
	}
	memcpy(b->str + b->str_len, name, n);
	b->str_len += n;
	return (uint32_t)(b->str_len - n);
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len)
{
	fdtb_raw32(b, 3);
	fdtb_raw32(b, (uint32_t)len);
	fdtb_raw32(b, string_offset(b, name));
	if (len)
		st_append(b, val, len);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1);
}

void fdtb_prop_cells(struct fdtb *b, const char *name, int n, ...)
{
	unsigned char *v = xrealloc(NULL, (size_t)n * 4);
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		put_be32(v + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	fdtb_prop(b, name, v, (size_t)n * 4);
	free(v);
}

void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size)
{
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

int fdtb_pos(const struct fdtb *b)
{
	return (int)b->st_len;
}

uint8_t *fdtb_finish(struct fdtb *b, size_t *len)
{
	size_t off_rsv = 40, rsv_len = (size_t)(b->nrsv + 1) * 16;
	size_t off_st, off_str, total;
	uint8_t *blob;

	fdtb_raw32(b, 9);
	off_st = off_rsv + rsv_len;
	off_str = off_st + b->st_len;
	total = off_str + b->str_len;
	blob = calloc(1, total);
	put_be32(blob + HDR_MAGIC, 0xd00dfeed);
	put_be32(blob + HDR_TOTALSIZE, (uint32_t)total);
	put_be32(blob + HDR_OFF_STRUCT, (uint32_t)off_st);
	put_be32(blob + HDR_OFF_STRINGS, (uint32_t)off_str);
	put_be32(blob + HDR_OFF_RSVMAP, (uint32_t)off_rsv);
	put_be32(blob + HDR_VERSION, 17);
	put_be32(blob + HDR_LAST_COMP, 16);
	put_be32(blob + HDR_SIZE_STRINGS, (uint32_t)b->str_len);
	put_be32(blob + HDR_SIZE_STRUCT, (uint32_t)b->st_len);
	for (int i = 0; i < b->nrsv; i++)
		for (int j = 0; j < 2; j++) {
			put_be32(blob + off_rsv + 16 * i + 8 * j, (uint32_t)(b->rsv[i][j] >> 32));
			put_be32(blob + off_rsv + 16 * i + 8 * j + 4, (uint32_t)b->rsv[i][j]);
		}
	memcpy(blob + off_st, b->st, b->st_len);
	if (b->str_len)
		memcpy(blob + off_str, b->str, b->str_len);
	free(b->st);
	free(b->str);
	fdtb_init(b);
	*len = total;
	return blob;
}
