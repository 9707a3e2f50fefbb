/* The reader on the live device tree, and on damaged copies of it: every
 * damage must give an error code, never a fault or a hang. */
#include "ktest.h"
#include "fdt.h"
#include "smp.h"

extern struct fdt boot_fdt;

#define COPY_MAX (256 * 1024)
static u8 copy[COPY_MAX] __aligned(8);

static void live_tree_is_valid(struct ktest *t)
{
	KT_EXPECT_EQ(t, fdt_check_full(&boot_fdt), 0);
	KT_EXPECT(t, fdt_path_offset(&boot_fdt, "/cpus") >= 0);
	KT_EXPECT(t, fdt_path_offset(&boot_fdt, "/chosen") >= 0);
}

static void cpu_nodes_match_possible(struct ktest *t)
{
	int cpus = fdt_path_offset(&boot_fdt, "/cpus"), n = 0;

	KT_ASSERT(t, cpus >= 0);
	for (int node = fdt_first_child(&boot_fdt, cpus); node >= 0;
	     node = fdt_next_sibling(&boot_fdt, node)) {
		const char *type = fdt_prop_string(&boot_fdt, node, "device_type");

		if (type && !strcmp(type, "cpu"))
			n++;
	}
	KT_EXPECT_EQ(t, n, cpumask_weight(cpu_possible_mask));
}

/* The used part of the blob: everything up to the end of the strings. */
static u32 used_size(void)
{
	u32 end = boot_fdt.off_strings + boot_fdt.size_strings;
	u32 s = boot_fdt.off_struct + boot_fdt.size_struct;

	return end > s ? end : s;
}

static bool make_copy(struct ktest *t)
{
	u32 n = used_size();

	if (n > COPY_MAX) {
		ktest_skip(t, "device tree too large to copy (%u bytes)", n);
		return false;
	}
	memcpy(copy, boot_fdt.blob, n);
	/* Shrink totalsize to what we copied. */
	copy[4] = (u8)(n >> 24);
	copy[5] = (u8)(n >> 16);
	copy[6] = (u8)(n >> 8);
	copy[7] = (u8)n;
	return true;
}

static void truncated_copies_are_rejected(struct ktest *t)
{
	struct fdt f;
	u32 n = used_size();

	if (!make_copy(t))
		return;
	KT_EXPECT_EQ(t, fdt_init(&f, copy, n), 0);
	for (u32 len = 0; len < n; len += (len < 64 ? 1 : 97)) {
		int err = fdt_init(&f, copy, len);

		if (err == 0)
			ktest_fail(t, __FILE__, __LINE__, "a %u-byte prefix was accepted", len);
	}
}

static void bad_magic_is_rejected(struct ktest *t)
{
	struct fdt f;

	if (!make_copy(t))
		return;
	copy[0] ^= 0xff;
	KT_EXPECT_EQ(t, fdt_init(&f, copy, COPY_MAX), -FDT_ERR_BADMAGIC);
}

static void scribbled_structure_never_faults(struct ktest *t)
{
	u32 n = used_size(), seed = 12345;
	int errors = 0;

	if (!make_copy(t))
		return;
	for (int round = 0; round < 200; round++) {
		struct fdt f;
		u32 at;

		make_copy(t);
		seed = seed * 1103515245 + 12345;
		at = boot_fdt.off_struct + (seed >> 8) % boot_fdt.size_struct;
		copy[at] ^= (u8)(1 + (seed >> 3) % 255);
		if (fdt_init(&f, copy, n) || fdt_check_full(&f)) {
			errors++;
			continue;
		}
		/* Still valid: the lookups must still be safe. */
		(void)fdt_path_offset(&f, "/cpus");
		(void)fdt_next_compatible(&f, -1, "arm,pl011");
	}
	/* Most flips break the grammar; some land in names or values. */
	KT_EXPECT(t, errors > 0);
}

static void errors_have_messages(struct ktest *t)
{
	for (int e = 1; e <= FDT_ERR_NOTRANSLATION; e++) {
		const char *m = fdt_strerror(-e);

		KT_EXPECT(t, m && strlen(m) > 3);
	}
}

KTEST_SUITE(fdt,
	KTEST_CASE(live_tree_is_valid),
	KTEST_CASE(cpu_nodes_match_possible),
	KTEST_CASE(truncated_copies_are_rejected),
	KTEST_CASE(bad_magic_is_rejected),
	KTEST_CASE(scribbled_structure_never_faults),
	KTEST_CASE(errors_have_messages));
