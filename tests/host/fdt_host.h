/*
 * Support for the host-side device tree tests.  Nothing here includes
 * either fdt header: the reference side (libfdt_ref.c) sees only libfdt,
 * the code under test only include/fdt.h, and both names for the same
 * things (FDT_MAGIC, FDT_ERR_*, fdt_getprop...) never meet.
 */
#ifndef RONDO_TESTS_FDT_HOST_H
#define RONDO_TESTS_FDT_HOST_H

#include <stddef.h>
#include <stdint.h>

/* ---- files and text (fdt_support.c) ---- */

/* The whole file in a malloc'ed buffer of exactly *len bytes, or NULL. */
void *load_file(const char *path, size_t *len);
/* Directory of the cached DTBs: $RONDO_DTB_DIR or the one built in. */
const char *dtb_dir(void);
/* Sorted, malloc'ed names of the *.dtb files in dir; returns the count. */
int list_dtbs(const char *dir, char ***names);

/* A growable text buffer for tree dumps. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_hex(struct strbuf *b, const void *p, size_t n);
void sb_free(struct strbuf *b);

/*
 * The canonical dump both readers must produce, one line each for
 *   node <offset> <depth> <path>
 *   prop <offset> <name> <len> <hex bytes>
 *   rsv <index> <addr> <size>
 * in document order.
 */

/* 0 when equal, else 1 and the first differing lines in msg. */
int dump_diff(const char *ours, const char *ref, char *msg, size_t size);

/* ---- Rondo's reader (fdt_dump.c) ---- */

struct fdt;
int rondo_dump(const struct fdt *f, struct strbuf *out);	/* 0 or -FDT_ERR_* */

/* ---- libfdt as the reference (libfdt_ref.c) ---- */

int lf_dump(const void *blob, size_t len, struct strbuf *out); /* 0 or libfdt error */
int lf_check_full(const void *blob, size_t len);
int lf_path_offset(const void *blob, const char *path);
int lf_node_by_phandle(const void *blob, uint32_t phandle);
int lf_next_compatible(const void *blob, int from, const char *compat);
int lf_address_cells(const void *blob, int node);
int lf_size_cells(const void *blob, int node);
int lf_parent(const void *blob, int node);

/* ---- a DTB writer for synthetic and broken trees (fdt_support.c) ---- */

struct fdtb {
	uint8_t *st;		/* structure block */
	size_t st_len, st_cap;
	char *str;		/* strings block */
	size_t str_len, str_cap;
	uint64_t rsv[8][2];
	int nrsv;
};

void fdtb_init(struct fdtb *b);
void fdtb_begin(struct fdtb *b, const char *name);
void fdtb_end(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
/* n big-endian cells */
void fdtb_prop_cells(struct fdtb *b, const char *name, int n, ...);
/* A raw token word, to write structures no honest writer would. */
void fdtb_raw32(struct fdtb *b, uint32_t word);
void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size);
/* Structure-block offset the next token will have (a node or prop offset). */
int fdtb_pos(const struct fdtb *b);
/*
 * Append FDT_END and lay out header, reservation map, structure and strings
 * (version 17).  Returns a malloc'ed blob of *len bytes; frees the builder.
 */
uint8_t *fdtb_finish(struct fdtb *b, size_t *len);

/* ---- the sample tree (test_fdt_bad.c) and its broken copies ---- */

/* Structure-block offsets of a few places in the sample tree. */
struct sample_at {
	int uart, uart_name, uart_reg, nobus_dev, empty_dev, ph1;
};
uint8_t *fdt_sample(size_t *len, struct sample_at *where);

/* Header field access for corrupting blobs (big-endian, byte offsets). */
uint32_t get_be32(const void *p);
void put_be32(void *p, uint32_t v);

enum {
	HDR_MAGIC = 0, HDR_TOTALSIZE = 4, HDR_OFF_STRUCT = 8, HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16, HDR_VERSION = 20, HDR_LAST_COMP = 24, HDR_BOOT_CPU = 28,
	HDR_SIZE_STRINGS = 32, HDR_SIZE_STRUCT = 36,
};

#endif
