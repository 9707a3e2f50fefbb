/*
 * lib/fdt*.c on small trees made by fdt_support.c's writer: the corner
 * cases of paths, cells and translation, and then broken blobs, each of
 * which must give its own error code and nothing worse (these tests run
 * under ASan and UBSan, with every blob in a buffer of exactly its size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "fdt_host.h"

/* The broken-blob tests, from test_fdt_corrupt.c. */
extern const struct CMUnitTest corrupt_tests[];
extern const size_t corrupt_count;

static struct sample_at at;

uint8_t *fdt_sample(size_t *len, struct sample_at *where)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_rsv(&b, 0x1000, 0x2000);
	fdtb_rsv(&b, 0x80000000, 0x100);
	fdtb_begin(&b, "");
	fdtb_prop_cells(&b, "#address-cells", 1, 1);
	fdtb_prop_cells(&b, "#size-cells", 1, 1);
	fdtb_prop_str(&b, "compatible", "test,board");
	fdtb_begin(&b, "aliases");
	fdtb_prop_str(&b, "uart", "/bus@1000/sub/uart@10");
	fdtb_prop_str(&b, "console", "/bus@1000/sub");
	fdtb_prop_str(&b, "relative", "uart");
	fdtb_prop(&b, "ragged", "/bus@1000", 9);	/* no NUL */
	fdtb_end(&b);
	fdtb_begin(&b, "chosen");
	fdtb_prop_str(&b, "stdout-path", "uart:9600n8");
	fdtb_end(&b);
	fdtb_begin(&b, "bus@1000");
	fdtb_prop_str(&b, "compatible", "simple-bus");
	fdtb_prop_cells(&b, "#address-cells", 1, 1);
	fdtb_prop_cells(&b, "#size-cells", 1, 1);
	/* child 0x0..0x800 -> parent 0x1000; then child 0x4000.. -> 0x9000 */
	fdtb_prop_cells(&b, "ranges", 6, 0x0, 0x1000, 0x800, 0x4000, 0x9000, 0x100);
	fdtb_begin(&b, "sub");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 1);
	/* 2-cell child 0x100..0x300 -> 1-cell parent 0x0 */
	fdtb_prop_cells(&b, "ranges", 4, 0x0, 0x100, 0x0, 0x200);
	at.uart = fdtb_pos(&b);
	at.uart_name = at.uart + 4;
	fdtb_begin(&b, "uart@10");
	at.uart_reg = fdtb_pos(&b);
	fdtb_prop_cells(&b, "reg", 6, 0, 0x110, 0x10, 0, 0x180, 0x8);
	fdtb_prop_str(&b, "status", "okay");
	fdtb_prop(&b, "compatible", "x,uart\0y,uart", 14);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "nobus");
	fdtb_prop_cells(&b, "#address-cells", 1, 1);
	fdtb_prop_cells(&b, "#size-cells", 1, 1);
	at.nobus_dev = fdtb_pos(&b);
	fdtb_begin(&b, "dev@4");
	fdtb_prop_cells(&b, "reg", 2, 4, 4);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "empty");
	fdtb_prop_cells(&b, "#address-cells", 1, 1);
	fdtb_prop_cells(&b, "#size-cells", 1, 1);
	fdtb_prop(&b, "ranges", NULL, 0);
	at.empty_dev = fdtb_pos(&b);
	fdtb_begin(&b, "dev@20");
	fdtb_prop_cells(&b, "reg", 2, 0x20, 4);
	fdtb_prop_str(&b, "status", "disabled");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "badranges");
	fdtb_prop_cells(&b, "ranges", 2, 0, 0);
	fdtb_begin(&b, "dev");
	fdtb_prop_cells(&b, "reg", 2, 0, 4);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "cells5");
	fdtb_prop_cells(&b, "#address-cells", 1, 5);
	fdtb_begin(&b, "dev");
	fdtb_prop_cells(&b, "reg", 6, 1, 2, 3, 4, 5, 6);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "size3");
	fdtb_prop_cells(&b, "#size-cells", 1, 3);
	fdtb_end(&b);
	fdtb_begin(&b, "cells0");
	fdtb_prop_cells(&b, "#address-cells", 1, 0);
	fdtb_prop(&b, "#size-cells", "\0\0\0\1\0", 5);
	fdtb_end(&b);
	fdtb_begin(&b, "regs");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 0);
	fdtb_begin(&b, "odd");
	fdtb_prop_cells(&b, "reg", 3, 1, 2, 3);
	fdtb_end(&b);
	fdtb_begin(&b, "wide");
	fdtb_prop_cells(&b, "reg", 2, 0x12345678, 0x9abcdef0);
	fdtb_end(&b);
	fdtb_end(&b);
	at.ph1 = fdtb_pos(&b);
	fdtb_begin(&b, "ph1");
	fdtb_prop_cells(&b, "phandle", 1, 7);
	fdtb_prop(&b, "unterminated", "abc", 3);
	fdtb_prop(&b, "list", "a\0bc\0", 5);
	fdtb_prop(&b, "flag", NULL, 0);
	fdtb_prop_cells(&b, "one", 1, 0x11223344);
	fdtb_prop_cells(&b, "two", 2, 0x55667788, 0x99aabbcc);
	fdtb_end(&b);
	fdtb_begin(&b, "odd@1@2");
	fdtb_end(&b);
	fdtb_end(&b);
	if (where)
		*where = at;
	return fdtb_finish(&b, len);
}

struct blob {
	uint8_t *p;
	size_t len;
	struct fdt f;
};

static int setup(void **state)
{
	struct blob *b = calloc(1, sizeof(*b));

	b->p = fdt_sample(&b->len, NULL);
	*state = b;
	return fdt_init(&b->f, b->p, b->len);
}

static int teardown(void **state)
{
	struct blob *b = *state;

	free(b->p);
	free(b);
	return 0;
}

static void sample_is_valid_and_matches_libfdt(void **state)
{
	struct blob *b = *state;
	struct strbuf ours = { 0 }, ref = { 0 };
	char msg[1024];

	assert_int_equal(lf_check_full(b->p, b->len), 0);
	assert_int_equal(fdt_check_full(&b->f), 0);
	assert_int_equal(lf_dump(b->p, b->len, &ref), 0);
	assert_int_equal(rondo_dump(&b->f, &ours), 0);
	assert_int_equal(dump_diff(ours.s, ref.s, msg, sizeof(msg)), 0);
	sb_free(&ours);
	sb_free(&ref);
}

static void paths_and_aliases(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	int bus = fdt_path_offset(f, "/bus@1000");

	assert_true(bus > 0);
	assert_int_equal(fdt_path_offset(f, "/bus@1000/sub/uart@10"), at.uart);
	assert_int_equal(fdt_path_offset(f, "/bus/sub/uart"), at.uart);
	assert_int_equal(fdt_path_offset(f, "uart"), at.uart);
	assert_int_equal(fdt_path_offset(f, "uart:9600n8"), at.uart);
	assert_int_equal(fdt_path_offset(f, fdt_prop_string(f, fdt_path_offset(f, "/chosen"),
							   "stdout-path")), at.uart);
	assert_int_equal(fdt_path_offset(f, "console/uart@10"), at.uart);
	assert_int_equal(fdt_path_offset(f, "console/uart:x/y"), at.uart);
	assert_int_equal(fdt_path_offset(f, "/bus@1000/sub/uart@11"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "/bus@1/sub"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "/bu"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "nope"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "uar"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "relative"), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_path_offset(f, "ragged"), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_path_offset(f, ""), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_path_offset(f, NULL), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_path_offset(f, "/:opts"), fdt_root(f));
	/* A unit address in the request must match in full. */
	assert_true(fdt_path_offset(f, "/odd") > 0);
	assert_int_equal(fdt_path_offset(f, "/odd@1@2"), fdt_path_offset(f, "/odd"));
	assert_int_equal(fdt_path_offset(f, "/odd@1"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_subnode(f, fdt_root(f), "bus"), bus);
	assert_int_equal(fdt_subnode(f, fdt_root(f), "bus@1000"), bus);
	assert_int_equal(fdt_subnode(f, fdt_root(f), "bus@100"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_parent(f, at.uart), fdt_path_offset(f, "/bus@1000/sub"));
	assert_int_equal(fdt_parent(f, fdt_root(f)), -FDT_ERR_NOTFOUND);
	assert_string_equal(fdt_node_name(f, fdt_root(f)), "");
	assert_int_equal(fdt_next_sibling(f, fdt_root(f)), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_first_child(f, at.uart), -FDT_ERR_NOTFOUND);
}

static void get_path_buffer_sizes(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	char buf[32];

	assert_int_equal(fdt_get_path(f, at.uart, buf, sizeof(buf)), 21);
	assert_string_equal(buf, "/bus@1000/sub/uart@10");
	assert_int_equal(fdt_get_path(f, at.uart, buf, 22), 21);
	assert_int_equal(fdt_get_path(f, at.uart, buf, 21), -FDT_ERR_NOSPACE);
	assert_int_equal(fdt_get_path(f, at.uart, buf, 1), -FDT_ERR_NOSPACE);
	assert_int_equal(fdt_get_path(f, fdt_root(f), buf, 2), 1);
	assert_string_equal(buf, "/");
}

static void cells_and_reg(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	u64 a = 1, s = 1;

	assert_int_equal(fdt_address_cells(f, fdt_path_offset(f, "/chosen")), 2);
	assert_int_equal(fdt_size_cells(f, fdt_path_offset(f, "/chosen")), 1);
	assert_int_equal(fdt_address_cells(f, fdt_path_offset(f, "/bus/sub")), 2);
	assert_int_equal(fdt_address_cells(f, fdt_path_offset(f, "/cells5")), -FDT_ERR_BADCELLS);
	assert_int_equal(fdt_reg(f, fdt_path_offset(f, "/cells5/dev"), 0, &a, &s),
			 -FDT_ERR_BADCELLS);
	assert_int_equal(fdt_size_cells(f, fdt_path_offset(f, "/size3")), -FDT_ERR_BADCELLS);
	assert_int_equal(fdt_address_cells(f, fdt_path_offset(f, "/cells0")), -FDT_ERR_BADCELLS);
	assert_int_equal(fdt_size_cells(f, fdt_path_offset(f, "/cells0")), -FDT_ERR_BADCELLS);
	assert_int_equal(fdt_reg(f, fdt_path_offset(f, "/regs/odd"), 0, &a, &s), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_reg(f, fdt_path_offset(f, "/regs/wide"), 0, &a, &s), 0);
	assert_int_equal(a, 0x123456789abcdef0ull);
	assert_int_equal(s, 0);
	assert_int_equal(fdt_reg(f, at.uart, 1, &a, &s), 0);
	assert_int_equal(a, 0x180);
	assert_int_equal(s, 8);
	assert_int_equal(fdt_reg(f, at.uart, 2, &a, &s), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_reg(f, at.uart, -1, &a, &s), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_reg(f, fdt_path_offset(f, "/chosen"), 0, &a, &s), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_reg(f, fdt_root(f), 0, &a, &s), -FDT_ERR_NOTFOUND);
}

static void translation(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	u64 a = 0, s = 0;

	/* 0x110 -(sub)-> 0x10 -(bus)-> 0x1010 */
	assert_int_equal(fdt_reg_cpu(f, at.uart, 0, &a, &s), 0);
	assert_int_equal(a, 0x1010);
	assert_int_equal(s, 0x10);
	assert_int_equal(fdt_reg_cpu(f, at.uart, 1, &a, &s), 0);
	assert_int_equal(a, 0x1080);
	/* The second range of bus@1000 */
	assert_int_equal(fdt_translate(f, fdt_path_offset(f, "/bus/sub"), 0x40f0, &a), 0);
	assert_int_equal(a, 0x90f0);
	assert_int_equal(fdt_translate(f, fdt_path_offset(f, "/bus/sub"), 0x4100, &a),
			 -FDT_ERR_NOTRANSLATION);
	/* Range ends are exclusive; the start is inclusive. */
	assert_int_equal(fdt_translate(f, at.uart, 0x2ff, &a), 0);
	assert_int_equal(a, 0x11ff);
	assert_int_equal(fdt_translate(f, at.uart, 0x300, &a), -FDT_ERR_NOTRANSLATION);
	assert_int_equal(fdt_translate(f, at.uart, 0xff, &a), -FDT_ERR_NOTRANSLATION);
	/* A bus without "ranges" hides its children. */
	assert_int_equal(fdt_reg_cpu(f, at.nobus_dev, 0, &a, &s), -FDT_ERR_NOTRANSLATION);
	assert_int_equal(fdt_reg(f, at.nobus_dev, 0, &a, &s), 0);
	assert_int_equal(a, 4);
	/* Empty "ranges" is the identity, then bus@1000 adds 0x1000. */
	assert_int_equal(fdt_reg_cpu(f, at.empty_dev, 0, &a, &s), 0);
	assert_int_equal(a, 0x1020);
	assert_int_equal(fdt_reg_cpu(f, fdt_path_offset(f, "/bus/badranges/dev"), 0, &a, &s),
			 -FDT_ERR_BADVALUE);
	/* Directly under the root: CPU addresses already. */
	assert_int_equal(fdt_translate(f, fdt_path_offset(f, "/bus"), 0x1234, &a), 0);
	assert_int_equal(a, 0x1234);
	assert_int_equal(fdt_translate(f, fdt_root(f), 0, &a), -FDT_ERR_NOTFOUND);
}

static void properties(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	int len = 0;
	u32 v32;
	u64 v64;

	assert_null(fdt_prop_string(f, at.ph1, "unterminated"));
	assert_string_equal(fdt_prop_string(f, at.ph1, "list"), "a");
	assert_true(fdt_prop_has_string(f, at.ph1, "list", "a"));
	assert_true(fdt_prop_has_string(f, at.ph1, "list", "bc"));
	assert_false(fdt_prop_has_string(f, at.ph1, "list", "b"));
	assert_false(fdt_prop_has_string(f, at.ph1, "list", ""));
	assert_false(fdt_prop_has_string(f, at.ph1, "unterminated", "abc"));
	assert_false(fdt_prop_has_string(f, at.ph1, "missing", "abc"));
	assert_true(fdt_is_compatible(f, at.uart, "y,uart"));
	assert_int_equal(fdt_next_compatible(f, -1, "y,uart"), at.uart);
	assert_int_equal(fdt_next_compatible(f, at.uart, "y,uart"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_next_compatible(f, -1, "test,board"), fdt_root(f));
	assert_non_null(fdt_getprop(f, at.ph1, "flag", &len));
	assert_int_equal(len, 0);
	assert_null(fdt_getprop(f, at.ph1, "missing", &len));
	assert_int_equal(len, -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_prop_u32(f, at.ph1, "one", &v32), 0);
	assert_int_equal(v32, 0x11223344);
	assert_int_equal(fdt_prop_u32(f, at.ph1, "two", &v32), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_prop_u32(f, at.ph1, "missing", &v32), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_prop_u64(f, at.ph1, "one", &v64), 0);
	assert_int_equal(v64, 0x11223344);
	assert_int_equal(fdt_prop_u64(f, at.ph1, "two", &v64), 0);
	assert_int_equal(v64, 0x5566778899aabbccull);
	assert_int_equal(fdt_prop_u64(f, at.ph1, "list", &v64), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_node_by_phandle(f, 7), at.ph1);
	assert_int_equal(fdt_node_by_phandle(f, 8), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_node_by_phandle(f, 0), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_node_by_phandle(f, 0xffffffff), -FDT_ERR_BADVALUE);
	assert_true(fdt_node_enabled(f, at.uart));
	assert_false(fdt_node_enabled(f, at.empty_dev));
	assert_true(fdt_node_enabled(f, at.ph1));
	assert_false(fdt_node_enabled(f, at.uart_reg));
	assert_int_equal(fdt_be32("\x12\x34\x56\x78"), 0x12345678);
	assert_int_equal(fdt_read_cells("\x12\x34\x56\x78\x9a\xbc\xde\xf0", 2),
			 0x123456789abcdef0ull);
	assert_int_equal(fdt_read_cells("\x12\x34\x56\x78\x9a\xbc\xde\xf0", 1), 0x12345678);
	assert_int_equal(fdt_read_cells("\x12\x34\x56\x78", 0), 0);
}

static void bad_offsets(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	int len = 0;
	u64 a;
	char buf[64];

	for (int off = -8; off < (int)f->size_struct + 16; off++) {
		const char *name = NULL;

		/* Whatever the offset, answers are errors or real nodes/props. */
		(void)fdt_first_prop(f, off);
		(void)fdt_next_prop(f, off);
		(void)fdt_first_child(f, off);
		(void)fdt_next_sibling(f, off);
		(void)fdt_parent(f, off);
		(void)fdt_get_path(f, off, buf, sizeof(buf));
		(void)fdt_reg_cpu(f, off, 0, &a, NULL);
		(void)fdt_prop_info(f, off, &name, &len);
		(void)fdt_next_compatible(f, off, "y,uart");
	}
	assert_int_equal(fdt_first_prop(f, at.uart + 2), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_first_child(f, at.uart_reg), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_first_prop(f, -4), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_first_prop(f, (int)f->size_struct), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_prop(f, at.uart), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_parent(f, -1), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_parent(f, at.uart_reg), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_get_path(f, at.uart + 4, buf, sizeof(buf)), -FDT_ERR_BADOFFSET);
	assert_null(fdt_node_name(f, -4));
	assert_null(fdt_node_name(f, at.uart_reg));
	assert_null(fdt_prop_info(f, at.uart, NULL, &len));
	assert_int_equal(len, -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_prop(f, at.uart_reg), at.uart_reg + 12 + 24);
}

static void reservations(void **state)
{
	const struct fdt *f = &((struct blob *)*state)->f;
	u64 a, s;

	assert_int_equal(fdt_mem_rsv(f, 0, &a, &s), 0);
	assert_int_equal(a, 0x1000);
	assert_int_equal(s, 0x2000);
	assert_int_equal(fdt_mem_rsv(f, 1, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x100);
	assert_int_equal(fdt_mem_rsv(f, 2, &a, &s), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_mem_rsv(f, 1000, &a, &s), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_mem_rsv(f, -1, &a, &s), -FDT_ERR_BADVALUE);
}

static void error_strings(void **state)
{
	(void)state;
	assert_string_equal(fdt_strerror(0), "no error");
	for (int e = FDT_ERR_NOTFOUND; e <= FDT_ERR_NOSPACE; e++) {
		assert_string_not_equal(fdt_strerror(-e), "unknown error");
		assert_string_equal(fdt_strerror(-e), fdt_strerror(e));
	}
	assert_string_equal(fdt_strerror(-1000), "unknown error");
}

int main(void)
{
	const struct CMUnitTest sample_tests[] = {
		cmocka_unit_test_setup_teardown(sample_is_valid_and_matches_libfdt, setup, teardown),
		cmocka_unit_test_setup_teardown(paths_and_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(get_path_buffer_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(cells_and_reg, setup, teardown),
		cmocka_unit_test_setup_teardown(translation, setup, teardown),
		cmocka_unit_test_setup_teardown(properties, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(reservations, setup, teardown),
		cmocka_unit_test(error_strings),
	};
	size_t n = ARRAY_SIZE(sample_tests) + corrupt_count;
	struct CMUnitTest *all = calloc(n, sizeof(*all));
	int failed;

	memcpy(all, sample_tests, sizeof(sample_tests));
	memcpy(all + ARRAY_SIZE(sample_tests), corrupt_tests,
	       corrupt_count * sizeof(*all));
	cmocka_set_message_output(CM_OUTPUT_TAP);
	failed = _cmocka_run_group_tests("fdt_bad", all, n, NULL, NULL);
	free(all);
	return failed;
}
