/*
 * Broken device trees (part of the test_fdt_bad binary): truncated,
 * with lying headers, with bad tokens, names, nesting and lengths.  Each
 * must be rejected with the right code, and every call on it must come
 * back without touching a byte outside the blob (ASan watches that: each
 * blob sits in a heap buffer of exactly its size).
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

static uint8_t *copy_of(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	memcpy(c, p, len);
	return c;
}

/*
 * Everything a kernel might ask of a tree it has not checked.  The answers
 * do not matter; finishing, inside the buffer, does.
 */
static void exercise(const struct fdt *f)
{
	static const char *const paths[] = {
		"/", "/bus@1000/sub/uart@10", "/bus/sub/uart", "uart", "uart:9600",
		"console/uart", "relative", "ragged", "/chosen", "/ph1", "nope",
	};
	struct strbuf sb = { 0 };
	char buf[256];
	u64 a, s;
	u32 v;

	(void)fdt_check_full(f);
	(void)rondo_dump(f, &sb);
	sb_free(&sb);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		int node = fdt_path_offset(f, paths[i]);

		(void)fdt_get_path(f, node, buf, sizeof(buf));
		(void)fdt_reg_cpu(f, node, 0, &a, &s);
		(void)fdt_reg_cpu(f, node, 1, &a, &s);
		(void)fdt_address_cells(f, node);
		(void)fdt_size_cells(f, node);
		(void)fdt_prop_u32(f, node, "phandle", &v);
		(void)fdt_prop_u64(f, node, "two", &a);
		(void)fdt_prop_string(f, node, "status");
		(void)fdt_node_enabled(f, node);
		(void)fdt_prop_has_string(f, node, "list", "bc");
		(void)fdt_parent(f, node);
		(void)fdt_next_sibling(f, node);
	}
	for (int n = fdt_next_compatible(f, -1, "y,uart"), i = 0; n >= 0 && i < 100; i++)
		n = fdt_next_compatible(f, n, "y,uart");
	(void)fdt_node_by_phandle(f, 7);
	for (int i = 0; fdt_mem_rsv(f, i, &a, &s) == 0 && i < 100; i++)
		;
}

/* Initialise from a copy of exactly len bytes, exercise, return init's code. */
static int init_and_exercise(const uint8_t *blob, size_t len)
{
	uint8_t *c = copy_of(blob, len);
	struct fdt f;
	int err = fdt_init(&f, c, len);

	if (err == 0)
		exercise(&f);
	free(c);
	return err;
}

static int check_full_of(const uint8_t *blob, size_t len)
{
	struct fdt f;
	int err = fdt_init(&f, blob, len);

	return err ? err : fdt_check_full(&f);
}

static void truncated_buffers(void **state)
{
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);

	(void)state;
	for (size_t l = 0; l < len; l++) {
		uint8_t *c = copy_of(blob, len);

		/* The header promises more than the buffer holds. */
		assert_int_equal(init_and_exercise(c, l), -FDT_ERR_TRUNCATED);
		/* Or it is made to agree, and the strings fall off the end. */
		if (l >= 8) {
			put_be32(c + HDR_TOTALSIZE, (uint32_t)l);
			assert_int_equal(init_and_exercise(c, l),
					 l >= 40 ? -FDT_ERR_BADLAYOUT : -FDT_ERR_TRUNCATED);
		}
		free(c);
	}
	assert_int_equal(init_and_exercise(blob, len), 0);
	free(blob);
}

static void truncated_blocks(void **state)
{
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);
	uint32_t size_struct = get_be32(blob + HDR_SIZE_STRUCT);
	uint32_t size_strings = get_be32(blob + HDR_SIZE_STRINGS);

	(void)state;
	for (uint32_t k = 0; k < size_struct; k++) {
		uint8_t *c = copy_of(blob, len);

		put_be32(c + HDR_SIZE_STRUCT, k);
		assert_int_equal(check_full_of(c, len), -FDT_ERR_BADSTRUCTURE);
		assert_int_not_equal(lf_check_full(c, len), 0);
		assert_int_equal(init_and_exercise(c, len), 0);
		free(c);
	}
	/* Every name is used, so cutting the block orphans the last one. */
	for (uint32_t k = 0; k < size_strings; k++) {
		uint8_t *c = copy_of(blob, len);

		put_be32(c + HDR_SIZE_STRINGS, k);
		assert_int_equal(check_full_of(c, len), -FDT_ERR_BADSTRUCTURE);
		assert_int_not_equal(lf_check_full(c, len), 0);
		assert_int_equal(init_and_exercise(c, len), 0);
		free(c);
	}
	free(blob);
}

static void lying_headers(void **state)
{
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);
	uint32_t off_struct = get_be32(blob + HDR_OFF_STRUCT);
	const struct {
		int field;
		uint32_t value;
		int err;
	} cases[] = {
		{ HDR_MAGIC, 0xd00dfeee, -FDT_ERR_BADMAGIC },
		{ HDR_MAGIC, 0xedfe0dd0, -FDT_ERR_BADMAGIC },
		{ HDR_VERSION, 15, -FDT_ERR_BADVERSION },
		{ HDR_VERSION, 1, -FDT_ERR_BADVERSION },
		{ HDR_LAST_COMP, 18, -FDT_ERR_BADVERSION },
		{ HDR_TOTALSIZE, (uint32_t)len + 1, -FDT_ERR_TRUNCATED },
		{ HDR_TOTALSIZE, 0xffffffff, -FDT_ERR_TRUNCATED },
		{ HDR_TOTALSIZE, 39, -FDT_ERR_BADLAYOUT },
		{ HDR_TOTALSIZE, 0, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRUCT, 8, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRUCT, (uint32_t)len + 4, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRUCT, 0xfffffffc, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRINGS, (uint32_t)len, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRINGS, 0xffffffff, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRINGS, off_struct, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_STRINGS, 0, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_RSVMAP, (uint32_t)len + 1, -FDT_ERR_BADLAYOUT },
		{ HDR_OFF_RSVMAP, 0, -FDT_ERR_BADLAYOUT },
		{ HDR_SIZE_STRUCT, 0xffffffff, -FDT_ERR_BADLAYOUT },
		{ HDR_SIZE_STRUCT, (uint32_t)len, -FDT_ERR_BADLAYOUT },
		{ HDR_SIZE_STRINGS, 0xfffffff0, -FDT_ERR_BADLAYOUT },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *c = copy_of(blob, len);

		put_be32(c + cases[i].field, cases[i].value);
		if (init_and_exercise(c, len) != cases[i].err)
			print_error("case %zu: header +%d = %#x\n", i, cases[i].field,
				    cases[i].value);
		assert_int_equal(init_and_exercise(c, len), cases[i].err);
		assert_int_not_equal(lf_check_full(c, len), 0);
		free(c);
	}
	/* Too short for even the magic, and a NULL blob. */
	assert_int_equal(init_and_exercise(blob, 3), -FDT_ERR_TRUNCATED);
	{
		struct fdt f;

		assert_int_equal(fdt_init(&f, NULL, 100), -FDT_ERR_BADVALUE);
		exercise(&f);	/* a failed init leaves a harmless empty tree */
	}
	free(blob);
}

static void version_16_header(void **state)
{
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);
	struct strbuf v16 = { 0 }, v17 = { 0 };
	struct fdt f;

	(void)state;
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(rondo_dump(&f, &v17), 0);
	/* Version 16 has no size_dt_struct: poison it to prove it is unused. */
	put_be32(blob + HDR_VERSION, 16);
	put_be32(blob + HDR_LAST_COMP, 16);
	put_be32(blob + HDR_SIZE_STRUCT, 0xffffffff);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_check_full(&f), 0);
	assert_int_equal(rondo_dump(&f, &v16), 0);
	assert_string_equal(v16.s, v17.s);
	sb_free(&v16);
	sb_free(&v17);
	free(blob);
}

static void unterminated_reservations(void **state)
{
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);
	struct fdt f;
	u64 a, s;

	(void)state;
	/* A map whose first entry would straddle the end of the blob. */
	put_be32(blob + HDR_OFF_RSVMAP, (uint32_t)len - 8);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_mem_rsv(&f, 0, &a, &s), -FDT_ERR_BADLAYOUT);
	assert_int_equal(fdt_check_full(&f), -FDT_ERR_BADLAYOUT);
	free(blob);
}

static void corrupt_structure(void **state)
{
	struct sample_at at;
	size_t len;
	uint8_t *blob = fdt_sample(&len, &at);
	uint32_t off_struct = get_be32(blob + HDR_OFF_STRUCT);
	uint32_t size_strings = get_be32(blob + HDR_SIZE_STRINGS);
	const struct {
		int at;
		uint32_t value;
	} cases[] = {
		/* libfdt rejects all of these but the last. */
		{ at.uart_reg, 7 },			/* unknown token */
		{ at.uart_reg, 0 },
		{ at.uart_reg + 8, size_strings },	/* name offset past the strings */
		{ at.uart_reg + 8, 0xffffffff },
		{ at.uart_reg + 4, 0xfffffff0 },	/* value longer than the block */
		{ at.uart_reg + 4, 0x7fffffff },
		{ at.uart_reg, 2 },			/* END_NODE too early */
		{ at.uart, 3 },				/* BEGIN_NODE read as PROP */
		{ 0, 2 },				/* no root */
		{ 0, 9 },
	};
	struct fdt f;
	int len_out;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *c = copy_of(blob, len);

		put_be32(c + off_struct + cases[i].at, cases[i].value);
		if (check_full_of(c, len) != -FDT_ERR_BADSTRUCTURE)
			print_error("case %zu: struct +%d = %#x\n", i, cases[i].at, cases[i].value);
		assert_int_equal(check_full_of(c, len), -FDT_ERR_BADSTRUCTURE);
		/* libfdt takes an END token alone for an empty tree. */
		if (i != ARRAY_SIZE(cases) - 1)
			assert_int_not_equal(lf_check_full(c, len), 0);
		assert_int_equal(init_and_exercise(c, len), 0);
		free(c);
	}

	/* A bad property is an error for its own node, not silently skipped. */
	put_be32(blob + off_struct + at.uart_reg + 8, size_strings);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_null(fdt_getprop(&f, at.uart, "status", &len_out));
	assert_int_equal(len_out, -FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_first_prop(&f, at.uart), -FDT_ERR_BADSTRUCTURE);

	/* A node name running into the end of the block. */
	put_be32(blob + HDR_SIZE_STRUCT, (uint32_t)at.uart_name + 4);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_null(fdt_node_name(&f, at.uart));
	assert_int_equal(fdt_check_full(&f), -FDT_ERR_BADSTRUCTURE);
	assert_true(fdt_path_offset(&f, "/bus@1000/sub/uart@10") < 0);
	free(blob);
}

/* Trees no honest writer makes, built token by token. */
static uint8_t *build_broken(int kind, size_t *len)
{
	struct fdtb b;

	fdtb_init(&b);
	switch (kind) {
	case 0:	/* a node left open */
		fdtb_begin(&b, "");
		fdtb_begin(&b, "a");
		fdtb_end(&b);
		break;
	case 1:	/* one END_NODE too many */
		fdtb_begin(&b, "");
		fdtb_end(&b);
		fdtb_end(&b);
		break;
	case 2:	/* two roots */
		fdtb_begin(&b, "");
		fdtb_end(&b);
		fdtb_begin(&b, "");
		fdtb_end(&b);
		break;
	case 3:	/* a property outside any node */
		fdtb_prop_str(&b, "stray", "x");
		fdtb_begin(&b, "");
		fdtb_end(&b);
		break;
	case 4:	/* nothing at all */
		break;
	case 5:	/* END_NODE first */
		fdtb_end(&b);
		fdtb_begin(&b, "");
		fdtb_end(&b);
		break;
	case 6:	/* a property after a subnode */
		fdtb_begin(&b, "");
		fdtb_begin(&b, "a");
		fdtb_end(&b);
		fdtb_prop_str(&b, "late", "x");
		fdtb_end(&b);
		break;
	}
	return fdtb_finish(&b, len);
}

static void unbalanced_trees(void **state)
{
	(void)state;
	for (int kind = 0; kind <= 6; kind++) {
		size_t len;
		uint8_t *blob = build_broken(kind, &len);

		if (check_full_of(blob, len) != -FDT_ERR_BADSTRUCTURE)
			print_error("kind %d\n", kind);
		assert_int_equal(check_full_of(blob, len), -FDT_ERR_BADSTRUCTURE);
		/* libfdt tolerates stray and late properties and no root. */
		if (kind != 3 && kind != 4 && kind != 6)
			assert_int_not_equal(lf_check_full(blob, len), 0);
		assert_int_equal(init_and_exercise(blob, len), 0);
		free(blob);
	}
}

/* NOPs between all tokens; outside the root too if 'outer'. */
static uint8_t *with_nops(bool outer, size_t *len)
{
	struct fdtb b;

	fdtb_init(&b);
	if (outer)
		fdtb_raw32(&b, 4);
	fdtb_begin(&b, "");
	fdtb_raw32(&b, 4);
	fdtb_prop_str(&b, "a", "1");
	fdtb_raw32(&b, 4);
	fdtb_begin(&b, "n@1");
	fdtb_raw32(&b, 4);
	fdtb_end(&b);
	fdtb_raw32(&b, 4);
	fdtb_begin(&b, "n@2");
	fdtb_end(&b);
	fdtb_raw32(&b, 4);
	fdtb_end(&b);
	if (outer)
		fdtb_raw32(&b, 4);
	return fdtb_finish(&b, len);
}

static void nops_anywhere(void **state)
{
	struct strbuf ours = { 0 }, ref = { 0 };
	char msg[1024];
	struct fdt f;
	size_t len;
	uint8_t *blob;

	(void)state;
	blob = with_nops(false, &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_check_full(&f), 0);
	assert_int_equal(lf_dump(blob, len, &ref), 0);
	assert_int_equal(rondo_dump(&f, &ours), 0);
	assert_int_equal(dump_diff(ours.s, ref.s, msg, sizeof(msg)), 0);
	sb_free(&ours);
	sb_free(&ref);
	free(blob);

	/*
	 * The spec allows NOPs before and after the root as well; libfdt's
	 * checker and path builder do not, so only Rondo's reader is asked.
	 */
	blob = with_nops(true, &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_check_full(&f), 0);
	assert_int_equal(fdt_root(&f), 4);
	assert_string_equal(fdt_prop_string(&f, fdt_root(&f), "a"), "1");
	assert_int_equal(fdt_next_sibling(&f, fdt_path_offset(&f, "/n@1")),
			 fdt_path_offset(&f, "/n@2"));
	assert_int_equal(fdt_parent(&f, fdt_path_offset(&f, "/n@2")), 4);
	assert_int_equal(fdt_next_sibling(&f, fdt_path_offset(&f, "/n@2")), -FDT_ERR_NOTFOUND);
	free(blob);
}

static uint8_t *nested(int levels, size_t *len)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	for (int i = 1; i < levels; i++)
		fdtb_begin(&b, "n");
	for (int i = 0; i < levels; i++)
		fdtb_end(&b);
	return fdtb_finish(&b, len);
}

static void depth_limit(void **state)
{
	size_t len;
	uint8_t *blob;
	struct fdt f;
	char path[256];
	int node;
	u64 addr;

	(void)state;
	/* 64 levels, root included, are fine. */
	blob = nested(64, &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_check_full(&f), 0);
	node = fdt_root(&f);
	for (int i = 1; i < 64; i++)
		node = fdt_first_child(&f, node);
	assert_true(node > 0);
	assert_int_equal(fdt_get_path(&f, node, path, sizeof(path)), 63 * 2);
	assert_true(fdt_parent(&f, node) > 0);
	free(blob);

	/* One more is refused, by the checker and by every upward walk. */
	blob = nested(65, &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(fdt_check_full(&f), -FDT_ERR_BADSTRUCTURE);
	node = fdt_root(&f);
	for (int i = 1; i < 65; i++)
		node = fdt_first_child(&f, node);
	assert_true(node > 0);
	assert_int_equal(fdt_parent(&f, node), -FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_get_path(&f, node, path, sizeof(path)), -FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_translate(&f, node, 0, &addr), -FDT_ERR_BADSTRUCTURE);
	free(blob);
}

/*
 * Every single-byte change to the sample: whatever the reader accepts must
 * read exactly as libfdt reads it when libfdt accepts it too.
 */
static void every_byte_flipped(void **state)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	size_t len;
	uint8_t *blob = fdt_sample(&len, NULL);
	char msg[1024];
	int both = 0;

	(void)state;
	for (size_t i = 0; i < len; i++)
		for (size_t j = 0; j < ARRAY_SIZE(flips); j++) {
			uint8_t *c = copy_of(blob, len);
			struct fdt f;

			c[i] ^= flips[j];
			if (init_and_exercise(c, len) == 0 && fdt_init(&f, c, len) == 0 &&
			    fdt_check_full(&f) == 0 && lf_check_full(c, len) == 0) {
				struct strbuf ours = { 0 }, ref = { 0 };

				assert_int_equal(rondo_dump(&f, &ours), 0);
				assert_int_equal(lf_dump(c, len, &ref), 0);
				if (dump_diff(ours.s, ref.s, msg, sizeof(msg))) {
					print_error("byte %zu ^ %#x: %s", i, flips[j], msg);
					fail();
				}
				sb_free(&ours);
				sb_free(&ref);
				both++;
			}
			free(c);
		}
	/* Changes inside values and names leave valid trees: many of them. */
	assert_true(both > 100);
	free(blob);
}

const struct CMUnitTest corrupt_tests[] = {
	cmocka_unit_test(truncated_buffers),
	cmocka_unit_test(truncated_blocks),
	cmocka_unit_test(lying_headers),
	cmocka_unit_test(version_16_header),
	cmocka_unit_test(unterminated_reservations),
	cmocka_unit_test(corrupt_structure),
	cmocka_unit_test(unbalanced_trees),
	cmocka_unit_test(nops_anywhere),
	cmocka_unit_test(depth_limit),
	cmocka_unit_test(every_byte_flipped),
};
const size_t corrupt_count = ARRAY_SIZE(corrupt_tests);
