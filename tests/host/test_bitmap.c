/*
 * lib/bitmap.c and the cpumask wrappers.  Built twice: NR_CPUS=64 (one
 * word) and NR_CPUS=128 (two words), so word boundaries get crossed.
 * Besides fixed cases, every operation is compared with a plain bool-array
 * model on pseudo-random maps whose unused tail bits hold junk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cpumask.h"
#include "errno.h"

#define MAXBITS 260

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
	/* xorshift64: deterministic, so failures replay. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void random_map(unsigned long *map, bool *model, unsigned int nbits, int density)
{
	for (unsigned int w = 0; w < BITS_TO_LONGS(MAXBITS); w++)
		map[w] = rnd();		/* junk everywhere, tail included */
	for (unsigned int i = 0; i < nbits; i++) {
		model[i] = (int)(rnd() % 100) < density;
		if (model[i])
			__set_bit(i, map);
		else
			__clear_bit(i, map);
	}
}

static void check_model(const unsigned long *map, const bool *model, unsigned int nbits)
{
	for (unsigned int i = 0; i < nbits; i++)
		assert_int_equal(test_bit(i, map), model[i]);
}

static const unsigned int sizes[] = { 1, 2, 63, 64, 65, 100, 127, 128, 129, 191, 192, 193, 256 };

static void ops_match_model(void **state)
{
	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned int n = sizes[s];

		for (int round = 0; round < 200; round++) {
			unsigned long a[BITS_TO_LONGS(MAXBITS)], b[BITS_TO_LONGS(MAXBITS)];
			unsigned long d[BITS_TO_LONGS(MAXBITS)];
			bool ma[MAXBITS], mb[MAXBITS], md[MAXBITS];
			bool any, eq = true, sub = true, inter = false, empty = true;
			unsigned int weight = 0, start = (unsigned int)(rnd() % (n + 2));
			unsigned int next = n;
			int dens = (int)(rnd() % 4) * 33;	/* 0, 33, 66, 99 % */

			random_map(a, ma, n, dens);
			random_map(b, mb, n, (int)(rnd() % 4) * 33);
			if (round % 5 == 0) {	/* equal maps, different junk */
				random_map(b, mb, n, 0);
				for (unsigned int i = 0; i < n; i++)
					if ((mb[i] = ma[i]))
						__set_bit(i, b);
			}
			for (unsigned int i = 0; i < n; i++) {
				eq &= ma[i] == mb[i];
				sub &= !ma[i] || mb[i];
				inter |= ma[i] && mb[i];
				empty &= !ma[i];
				weight += ma[i];
				if (i >= start && ma[i] && next == n)
					next = i;
			}
			assert_int_equal(bitmap_equal(a, b, n), eq);
			assert_int_equal(bitmap_subset(a, b, n), sub);
			assert_int_equal(bitmap_intersects(a, b, n), inter);
			assert_int_equal(bitmap_empty(a, n), empty);
			assert_int_equal(bitmap_weight(a, n), weight);
			assert_int_equal(find_next_bit(a, n, start), next);

			any = false;
			for (unsigned int i = 0; i < n; i++)
				any |= (md[i] = ma[i] && mb[i]);
			assert_int_equal(bitmap_and(d, a, b, n), any);
			check_model(d, md, n);
			any = false;
			for (unsigned int i = 0; i < n; i++)
				any |= (md[i] = ma[i] && !mb[i]);
			assert_int_equal(bitmap_andnot(d, a, b, n), any);
			check_model(d, md, n);
			for (unsigned int i = 0; i < n; i++)
				md[i] = ma[i] || mb[i];
			bitmap_or(d, a, b, n);
			check_model(d, md, n);
			bitmap_copy(d, a, n);
			check_model(d, ma, n);
		}
	}
}

static void zero_and_fill(void **state)
{
	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned int n = sizes[s];
		unsigned long m[BITS_TO_LONGS(MAXBITS) + 1];

		memset(m, 0xa5, sizeof(m));
		bitmap_fill(m, n);
		assert_int_equal(bitmap_weight(m, n), n);
		/* The tail of the last word is clear, the next word untouched. */
		if (n % BITS_PER_LONG)
			assert_int_equal(m[n / BITS_PER_LONG] >> (n % BITS_PER_LONG), 0);
		assert_int_equal(m[BITS_TO_LONGS(n)], 0xa5a5a5a5a5a5a5a5ul);
		bitmap_zero(m, n);
		assert_true(bitmap_empty(m, n));
		assert_int_equal(find_next_bit(m, n, 0), n);
		assert_int_equal(m[BITS_TO_LONGS(n)], 0xa5a5a5a5a5a5a5a5ul);
	}
}

static void cpumask_word_boundaries(void **state)
{
	cpumask_t a, b, d;
	unsigned int cpu, seen = 0;

	(void)state;
	cpumask_clear(&a);
	assert_true(cpumask_empty(&a));
	assert_int_equal(cpumask_first(&a), NR_CPUS);
	cpumask_set_cpu(0, &a);
	cpumask_set_cpu(63, &a);
	cpumask_set_cpu(NR_CPUS - 1, &a);
	assert_true(cpumask_test_cpu(63, &a));
	assert_false(cpumask_test_cpu(62, &a));
	assert_false(cpumask_test_cpu(NR_CPUS, &a));
	assert_false(cpumask_test_cpu(~0u, &a));
	assert_int_equal(cpumask_weight(&a), NR_CPUS > 64 ? 3 : 2);
	assert_int_equal(cpumask_first(&a), 0);
	assert_int_equal(cpumask_next(0, &a), 63);
	assert_int_equal(cpumask_next(63, &a), NR_CPUS > 64 ? NR_CPUS - 1 : NR_CPUS);
	assert_int_equal(cpumask_next(NR_CPUS - 1, &a), NR_CPUS);
	for_each_cpu(cpu, &a)
		seen++;
	assert_int_equal(seen, cpumask_weight(&a));

	cpumask_clear(&b);
	cpumask_set_cpu(63, &b);
	assert_true(cpumask_subset(&b, &a));
	assert_false(cpumask_subset(&a, &b));
	assert_true(cpumask_intersects(&a, &b));
	assert_true(cpumask_and(&d, &a, &b));
	assert_true(cpumask_equal(&d, &b));
	assert_true(cpumask_andnot(&d, &a, &b));
	assert_false(cpumask_test_cpu(63, &d));
	assert_false(cpumask_andnot(&d, &b, &a));
	assert_true(cpumask_empty(&d));
	cpumask_clear_cpu(63, &a);
	assert_false(cpumask_intersects(&a, &b));
	assert_false(cpumask_and(&d, &a, &b));
	cpumask_or(&d, &a, &b);
	assert_int_equal(cpumask_weight(&d), cpumask_weight(&a) + 1);
	cpumask_setall(&d);
	assert_int_equal(cpumask_weight(&d), NR_CPUS);
	cpumask_copy(&b, &d);
	assert_true(cpumask_equal(&b, &d));
	if (NR_CPUS > 64) {
		/* 63 and 64 sit in different words but print as one range. */
		char buf[32];

		cpumask_clear(&a);
		cpumask_set_cpu(63, &a);
		cpumask_set_cpu(64, &a);
		assert_int_equal(cpumask_print_list(buf, sizeof(buf), &a), 5);
		assert_string_equal(buf, "63-64");
		assert_int_equal(cpumask_next(63, &a), 64);
	}
}

static int print_of(const char *list, char *buf, size_t size)
{
	unsigned long m[BITS_TO_LONGS(MAXBITS)];

	assert_int_equal(bitmap_parse_list(list, m, MAXBITS), 0);
	return bitmap_print_list(buf, size, m, MAXBITS);
}

static void print_list(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" }, { "5", "5" }, { "0-3", "0-3" }, { "0,1,3", "0-1,3" },
		{ "0-63", "0-63" }, { "63,64", "63-64" }, { "0,2,4", "0,2,4" },
		{ "0-259", "0-259" }, { "259", "259" }, { "3,1,2", "1-3" },
		{ "0-9,100-199,255", "0-9,100-199,255" }, { "0-7:2", "0,2,4,6" },
	};
	char buf[1200];
	cpumask_t m;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(print_of(cases[i].in, buf, sizeof(buf)), strlen(cases[i].out));
		assert_string_equal(buf, cases[i].out);
	}
	cpumask_clear(&m);
	assert_int_equal(cpumask_print_list(buf, sizeof(buf), &m), 0);
	assert_string_equal(buf, "");
	cpumask_setall(&m);
	cpumask_print_list(buf, sizeof(buf), &m);
	assert_string_equal(buf, NR_CPUS == 64 ? "0-63" : "0-127");
}

static void print_list_truncates(void **state)
{
	const char *full = "0-3,5,7-8,10,63-64,100-199";
	size_t len = strlen(full);
	char buf[64];

	(void)state;
	for (size_t size = 0; size <= len + 2; size++) {
		size_t want = size ? (size - 1 < len ? size - 1 : len) : 0;

		memset(buf, '#', sizeof(buf));
		assert_int_equal(print_of(full, buf, size), want);
		if (size) {
			assert_memory_equal(buf, full, want);
			assert_int_equal(buf[want], '\0');
		}
		assert_int_equal(buf[size], '#');	/* nothing past size */
	}
}

static void parse_list_cases(void **state)
{
	static const struct {
		const char *in;
		int err;
		const char *canon;	/* printed back, when err == 0 */
	} cases[] = {
		{ "", 0, "" }, { "   ", 0, "" }, { "\n", 0, "" }, { "7", 0, "7" },
		{ " 1 , 3 - 5 \n", 0, "1,3-5" }, { "0-3,2-5", 0, "0-5" },
		{ "0-7:2", 0, "0,2,4,6" }, { "0-7:2/4", 0, "0-1,4-5" },
		{ "1-9:3", 0, "1,4,7" }, { "0-9:3/3", 0, "0-9" }, { "0-0:1/8", 0, "0" },
		{ "2-13:2/5", 0, "2-3,7-8,12-13" }, { "1-1", 0, "1" },
		{ "a", -EINVAL, NULL }, { "1-", -EINVAL, NULL }, { "-1", -EINVAL, NULL },
		{ "1,,2", -EINVAL, NULL }, { "1,", -EINVAL, NULL }, { ",1", -EINVAL, NULL },
		{ "3-1", -EINVAL, NULL }, { "0x1", -EINVAL, NULL }, { "1 2", -EINVAL, NULL },
		{ "1:2", -EINVAL, NULL }, { "0-7:0", -EINVAL, NULL }, { "0-7:3/2", -EINVAL, NULL },
		{ "0-7:0/2", -EINVAL, NULL }, { "0-7:2/0", -EINVAL, NULL }, { "0-7:", -EINVAL, NULL },
		{ "0-7:2/", -EINVAL, NULL }, { "1;2", -EINVAL, NULL }, { "+1", -EINVAL, NULL },
		{ "99999999999", -ERANGE, NULL }, { "0-99999999999", -ERANGE, NULL },
		{ "260", -ERANGE, NULL }, { "0-260", -ERANGE, NULL }, { "1,5,999", -ERANGE, NULL },
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long m[BITS_TO_LONGS(MAXBITS)];
		unsigned long before[BITS_TO_LONGS(MAXBITS)];

		memset(m, 0x5a, sizeof(m));
		memcpy(before, m, sizeof(m));
		if (bitmap_parse_list(cases[i].in, m, MAXBITS) != cases[i].err)
			print_error("parsing \"%s\"\n", cases[i].in);
		assert_int_equal(bitmap_parse_list(cases[i].in, m, MAXBITS), cases[i].err);
		if (cases[i].err) {
			assert_memory_equal(m, before, sizeof(m));	/* untouched */
			continue;
		}
		bitmap_print_list(buf, sizeof(buf), m, MAXBITS);
		assert_string_equal(buf, cases[i].canon);
	}
}

static void cpulist_limits(void **state)
{
	cpumask_t m;
	char last[16], past[16];

	(void)state;
	snprintf(last, sizeof(last), "%d", NR_CPUS - 1);
	snprintf(past, sizeof(past), "%d", NR_CPUS);
	assert_int_equal(cpulist_parse(last, &m), 0);
	assert_int_equal(cpumask_weight(&m), 1);
	assert_true(cpumask_test_cpu(NR_CPUS - 1, &m));
	assert_int_equal(cpulist_parse(past, &m), -ERANGE);
	assert_true(cpumask_test_cpu(NR_CPUS - 1, &m));
	assert_int_equal(cpulist_parse("0-63", &m), 0);
	assert_int_equal(cpumask_weight(&m), 64);
	assert_int_equal(cpulist_parse("63-64", &m), NR_CPUS > 64 ? 0 : -ERANGE);
}

static void round_trips(void **state)
{
	(void)state;
	for (int round = 0; round < 2000; round++) {
		unsigned int n = sizes[rnd() % ARRAY_SIZE(sizes)];
		unsigned long a[BITS_TO_LONGS(MAXBITS)], b[BITS_TO_LONGS(MAXBITS)];
		bool model[MAXBITS];
		char buf[2048], again[2048];

		random_map(a, model, n, (int)(rnd() % 101));
		assert_true(bitmap_print_list(buf, sizeof(buf), a, n) < (int)sizeof(buf) - 1);
		assert_int_equal(bitmap_parse_list(buf, b, n), 0);
		assert_true(bitmap_equal(a, b, n));
		bitmap_print_list(again, sizeof(again), b, n);
		assert_string_equal(buf, again);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ops_match_model),
		cmocka_unit_test(zero_and_fill),
		cmocka_unit_test(cpumask_word_boundaries),
		cmocka_unit_test(print_list),
		cmocka_unit_test(print_list_truncates),
		cmocka_unit_test(parse_list_cases),
		cmocka_unit_test(cpulist_limits),
		cmocka_unit_test(round_trips),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name(NR_CPUS == 64 ? "bitmap" : "bitmap_nr_cpus_128",
					   tests, NULL, NULL);
}
