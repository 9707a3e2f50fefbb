/*
 * lib/string.c, compiled with its functions renamed rondo_* so that libc's
 * stay in charge of the test program itself.  Copies and fills are tried
 * at every source/destination alignment and many lengths, with guard bytes
 * around the destination.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "errno.h"

/* include/string.h would clash with libc's <string.h>: declare by hand. */
void *rondo_memset(void *s, int c, size_t n);
void *rondo_memcpy(void *dst, const void *src, size_t n);
void *rondo_memmove(void *dst, const void *src, size_t n);
int rondo_memcmp(const void *a, const void *b, size_t n);
size_t rondo_strlen(const char *s);
size_t rondo_strnlen(const char *s, size_t max);
int rondo_strcmp(const char *a, const char *b);
int rondo_strncmp(const char *a, const char *b, size_t n);
char *rondo_strchr(const char *s, int c);
size_t rondo_strlcpy(char *dst, const char *src, size_t size);
int rondo_kstrtoul(const char *s, unsigned int base, unsigned long *res);
int rondo_kstrtol(const char *s, unsigned int base, long *res);

#define AREA 192
#define GUARD 0xee

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static const size_t lengths[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100 };

static void memcpy_every_alignment(void **state)
{
	(void)state;
	for (size_t so = 0; so < 16; so++)
		for (size_t doff = 0; doff < 16; doff++)
			for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
				unsigned char src[AREA], dst[AREA], want[AREA];
				size_t n = lengths[l];

				fill_pattern(src, AREA, (unsigned)(so + l));
				memset(dst, GUARD, AREA);
				memcpy(want, dst, AREA);
				memcpy(want + 8 + doff, src + so, n);
				assert_ptr_equal(rondo_memcpy(dst + 8 + doff, src + so, n), dst + 8 + doff);
				assert_memory_equal(dst, want, AREA);
			}
}

static void memmove_overlaps(void **state)
{
	(void)state;
	for (size_t from = 0; from < 40; from++)
		for (size_t to = 0; to < 40; to++)
			for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
				unsigned char buf[AREA], want[AREA];
				size_t n = lengths[l];

				fill_pattern(buf, AREA, (unsigned)(from * 3 + to));
				memcpy(want, buf, AREA);
				memmove(want + 8 + to, want + 8 + from, n);
				assert_ptr_equal(rondo_memmove(buf + 8 + to, buf + 8 + from, n),
						 buf + 8 + to);
				assert_memory_equal(buf, want, AREA);
			}
}

static void memset_every_alignment(void **state)
{
	(void)state;
	for (size_t off = 0; off < 16; off++)
		for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++)
			for (int c = 0; c < 3; c++) {
				static const int values[] = { 0, 0xa5, 0x1ff };
				unsigned char dst[AREA], want[AREA];
				size_t n = lengths[l];

				memset(dst, GUARD, AREA);
				memset(want, GUARD, AREA);
				memset(want + 8 + off, values[c], n);
				assert_ptr_equal(rondo_memset(dst + 8 + off, values[c], n), dst + 8 + off);
				assert_memory_equal(dst, want, AREA);
			}
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void compare_functions(void **state)
{
	static const char *const s[] = { "", "a", "b", "ab", "abc", "abd", "abc\x80", "ABC", "zz" };
	unsigned char x[8] = { 1, 2, 3, 4, 5, 6, 7, 0x80 };
	unsigned char y[8] = { 1, 2, 3, 4, 5, 6, 7, 0x7f };

	(void)state;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			assert_int_equal(sign(rondo_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 6; n++)
				assert_int_equal(sign(rondo_strncmp(s[i], s[j], n)),
						 sign(strncmp(s[i], s[j], n)));
		}
	/* Bytes compare as unsigned, so 0x80 > 0x7f. */
	assert_int_equal(rondo_memcmp(x, y, 8), 1);
	assert_int_equal(rondo_memcmp(y, x, 8), -1);
	assert_int_equal(rondo_memcmp(x, y, 7), 0);
	assert_int_equal(rondo_memcmp(x, y, 0), 0);
}

static void length_and_search(void **state)
{
	const char *s = "hello, world";
	char buf[8];

	(void)state;
	assert_int_equal(rondo_strlen(""), 0);
	assert_int_equal(rondo_strlen(s), 12);
	assert_int_equal(rondo_strnlen(s, 5), 5);
	assert_int_equal(rondo_strnlen(s, 100), 12);
	assert_int_equal(rondo_strnlen("abc", 0), 0);
	assert_ptr_equal(rondo_strchr(s, 'o'), s + 4);
	assert_ptr_equal(rondo_strchr(s, 'z'), NULL);
	assert_ptr_equal(rondo_strchr(s, '\0'), s + 12);
	assert_ptr_equal(rondo_strchr(s, 'o' + 256), s + 4);	/* converted to char */

	memset(buf, '#', sizeof(buf));
	assert_int_equal(rondo_strlcpy(buf, s, sizeof(buf)), 12);
	assert_string_equal(buf, "hello, ");
	assert_int_equal(rondo_strlcpy(buf, "hi", sizeof(buf)), 2);
	assert_string_equal(buf, "hi");
	memset(buf, '#', sizeof(buf));
	assert_int_equal(rondo_strlcpy(buf, "hi", 0), 2);
	assert_int_equal(buf[0], '#');
	assert_int_equal(rondo_strlcpy(buf, "hi", 1), 2);
	assert_string_equal(buf, "");
}

static void kstrtoul_cases(void **state)
{
	static const struct {
		const char *s;
		unsigned int base;
		int err;
		unsigned long v;
	} cases[] = {
		{ "0", 10, 0, 0 }, { "42", 10, 0, 42 }, { "+42", 10, 0, 42 }, { "42\n", 10, 0, 42 },
		{ "0x1f", 0, 0, 31 }, { "0X1F", 0, 0, 31 }, { "017", 0, 0, 15 }, { "0", 0, 0, 0 },
		{ "1f", 16, 0, 31 }, { "0x1f", 16, 0, 31 }, { "777", 8, 0, 511 }, { "101", 2, 0, 5 },
		{ "zz", 36, 0, 35 * 36 + 35 }, { "18446744073709551615", 10, 0, ULONG_MAX },
		{ "0xffffffffffffffff", 0, 0, ULONG_MAX },
		{ "18446744073709551616", 10, -ERANGE, 0 }, { "0x10000000000000000", 0, -ERANGE, 0 },
		{ "", 10, -EINVAL, 0 }, { "-1", 10, -EINVAL, 0 }, { " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 }, { "1\n\n", 10, -EINVAL, 0 }, { "12a", 10, -EINVAL, 0 },
		{ "0x", 0, -EINVAL, 0 }, { "0x", 16, -EINVAL, 0 }, { "8", 8, -EINVAL, 0 },
		{ "09", 0, -EINVAL, 0 }, { "2", 2, -EINVAL, 0 }, { "1", 1, -EINVAL, 0 },
		{ "1", 37, -EINVAL, 0 }, { "+", 10, -EINVAL, 0 }, { "++1", 10, -EINVAL, 0 },
		{ "\n", 10, -EINVAL, 0 }, { "99999999999999999999x", 10, -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 12345;
		int err = rondo_kstrtoul(cases[i].s, cases[i].base, &v);

		if (err != cases[i].err)
			print_error("kstrtoul(\"%s\", %u)\n", cases[i].s, cases[i].base);
		assert_int_equal(err, cases[i].err);
		assert_int_equal(v, err ? 12345 : cases[i].v);	/* untouched on error */
	}
}

static void kstrtol_cases(void **state)
{
	static const struct {
		const char *s;
		int err;
		long v;
	} cases[] = {
		{ "0", 0, 0 }, { "-0", 0, 0 }, { "-42", 0, -42 }, { "+42", 0, 42 },
		{ "9223372036854775807", 0, LONG_MAX }, { "-9223372036854775808", 0, LONG_MIN },
		{ "9223372036854775808", -ERANGE, 0 }, { "-9223372036854775809", -ERANGE, 0 },
		{ "-0x10", 0, -16 }, { "--1", -EINVAL, 0 }, { "-+1", -EINVAL, 0 },
		{ "-", -EINVAL, 0 }, { "", -EINVAL, 0 }, { "1-", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long v = 777;
		int err = rondo_kstrtol(cases[i].s, 0, &v);

		if (err != cases[i].err)
			print_error("kstrtol(\"%s\")\n", cases[i].s);
		assert_int_equal(err, cases[i].err);
		assert_int_equal(v, err ? 777 : cases[i].v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_every_alignment),
		cmocka_unit_test(memmove_overlaps),
		cmocka_unit_test(memset_every_alignment),
		cmocka_unit_test(compare_functions),
		cmocka_unit_test(length_and_search),
		cmocka_unit_test(kstrtoul_cases),
		cmocka_unit_test(kstrtol_cases),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
