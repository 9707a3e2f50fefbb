/*
 * lib/printf.c against the host C library's snprintf: tens of thousands
 * of generated conversions (every flag, width, precision and length
 * modifier the kernel's printf accepts, with the undefined combinations
 * left out), each at several buffer sizes, plus the things libc does
 * differently on purpose (%p, NULL %s) checked against fixed text.
 *
 * lib/printf.c is compiled with its functions renamed rondo_*, so the
 * libc versions stay callable here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define vsnprintf rondo_vsnprintf
#define snprintf rondo_snprintf
#define vscnprintf rondo_vscnprintf
#define scnprintf rondo_scnprintf
#include "printf.h"
#undef vsnprintf
#undef snprintf
#undef vscnprintf
#undef scnprintf

static u64 rng_state = 0x2545f4914f6cdd1dull;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

enum kind { K_INT, K_UINT, K_LONG, K_ULONG, K_LLONG, K_ULLONG, K_SIZE, K_PTRDIFF,
	    K_INTMAX, K_UINTMAX, K_STR };

struct fcase {
	char fmt[64];
	int nstar, star[2];
	enum kind kind;
	u64 v;
	const char *s;
};

typedef int (*printer)(char *, size_t, const char *, ...);

#define CALLV(val)							\
	(c->nstar == 0 ? pf(buf, size, c->fmt, val) :			\
	 c->nstar == 1 ? pf(buf, size, c->fmt, c->star[0], val) :	\
	 pf(buf, size, c->fmt, c->star[0], c->star[1], val))

static int call(printer pf, char *buf, size_t size, const struct fcase *c)
{
	switch (c->kind) {
	case K_INT: return CALLV((int)c->v);
	case K_UINT: return CALLV((unsigned int)c->v);
	case K_LONG: return CALLV((long)c->v);
	case K_ULONG: return CALLV((unsigned long)c->v);
	case K_LLONG: return CALLV((long long)c->v);
	case K_ULLONG: return CALLV((unsigned long long)c->v);
	case K_SIZE: return CALLV((size_t)c->v);
	case K_PTRDIFF: return CALLV((ptrdiff_t)c->v);
	case K_INTMAX: return CALLV((intmax_t)c->v);
	case K_UINTMAX: return CALLV((uintmax_t)c->v);
	case K_STR: return CALLV(c->s);
	}
	return -1;
}

/* Compare at a given buffer size: return value, bytes, terminator, bounds. */
static void compare_at(const struct fcase *c, size_t size)
{
	char ref[600], out[600];
	int r1, r2;

	memset(ref, '#', sizeof(ref));
	memset(out, '#', sizeof(out));
	r1 = call(snprintf, size ? ref : NULL, size, c);
	r2 = call(rondo_snprintf, size ? out : NULL, size, c);
	if (r1 != r2 || memcmp(ref, out, sizeof(ref)) != 0)
		print_error("format \"%s\" size %zu: libc %d \"%.*s\", rondo %d \"%.*s\"\n",
			    c->fmt, size, r1, (int)(size ? size : 1), ref, r2,
			    (int)(size ? size : 1), out);
	assert_int_equal(r2, r1);
	assert_memory_equal(out, ref, sizeof(ref));
}

static const u64 interesting[] = {
	0, 1, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256, 1000, 65535, 65536,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
	0x8000000000000000ull, 0xffffffffffffffffull, (u64)-2, (u64)-10, (u64)-128,
	(u64)-129, (u64)-32768, 1234567890123ull,
};

static const char *const strings[] = {
	"", "a", "hello", "hello, world", "tab\there", "0123456789abcdefghij",
};

static u64 pick_value(void)
{
	switch (rnd() % 3) {
	case 0: return interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))];
	case 1: return rnd() >> (rnd() % 64);
	default: return (u64)-(s64)(rnd() >> (rnd() % 64));
	}
}

/* A random conversion that C defines (no UB), with its argument. */
static void make_case(struct fcase *c)
{
	static const char convs[] = "diuxXocs%";
	char conv = convs[rnd() % (sizeof(convs) - 1)];
	bool numeric = strchr("diuxXo", conv) != NULL;
	char *p = c->fmt;
	int nflags = (int)(rnd() % 4);

	memset(c, 0, sizeof(*c));
	*p++ = '%';
	if (conv == '%') {
		*p++ = '%';
		c->kind = K_INT;	/* an argument nobody reads */
		*p = '\0';
		return;
	}
	for (int i = 0; i < nflags; i++) {
		char fl = "-+ #0"[rnd() % 5];

		if (fl == '#' && !strchr("oxX", conv))
			continue;
		if (fl == '0' && !numeric)
			continue;
		*p++ = fl;
	}
	switch (rnd() % 4) {
	case 0: break;
	case 1: p += sprintf(p, "%d", (int)(rnd() % 25)); break;
	case 2: p += sprintf(p, "%d", 1 + (int)(rnd() % 2)); break;
	default:
		*p++ = '*';
		c->star[c->nstar++] = (int)(rnd() % 51) - 25;
	}
	if (conv != 'c') {
		switch (rnd() % 5) {
		case 0: case 1: break;
		case 2: *p++ = '.'; break;
		case 3: p += sprintf(p, ".%d", (int)(rnd() % 25)); break;
		default:
			p += sprintf(p, ".*");
			c->star[c->nstar++] = (int)(rnd() % 31) - 5;
		}
	}
	c->v = pick_value();
	if (conv == 's') {
		c->kind = K_STR;
		c->s = strings[rnd() % (sizeof(strings) / sizeof(strings[0]))];
	} else if (conv == 'c') {
		c->kind = K_INT;
		c->v = 32 + rnd() % 95;
	} else {
		static const char *const mods[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };
		int m = (int)(rnd() % 8);
		bool sign = conv == 'd' || conv == 'i';
		static const enum kind skind[] = { K_INT, K_INT, K_INT, K_LONG, K_LLONG,
						   K_SIZE, K_PTRDIFF, K_INTMAX };
		static const enum kind ukind[] = { K_UINT, K_UINT, K_UINT, K_ULONG, K_ULLONG,
						   K_SIZE, K_PTRDIFF, K_UINTMAX };

		p += sprintf(p, "%s", mods[m]);
		c->kind = sign ? skind[m] : ukind[m];
	}
	*p++ = conv;
	*p = '\0';
}

static void generated_against_libc(void **state)
{
	(void)state;
	for (int i = 0; i < 30000; i++) {
		struct fcase c;
		char full[600];
		int len;

		make_case(&c);
		/* Wrap some in text so position and counting are exercised. */
		if (i % 3 == 0) {
			size_t n = strlen(c.fmt);
			const char *tail = i % 2 ? "|x>" : "|%%>";

			memmove(c.fmt + 1, c.fmt, n);
			c.fmt[0] = '<';
			memcpy(c.fmt + 1 + n, tail, strlen(tail) + 1);
		}
		len = call(snprintf, full, sizeof(full), &c);
		compare_at(&c, sizeof(full));
		compare_at(&c, 0);
		compare_at(&c, 1);
		compare_at(&c, (size_t)len / 2 + 1);
		compare_at(&c, (size_t)len);
		compare_at(&c, (size_t)len + 1);
	}
}

/* A fixed table of the classic corner cases, for readable failures. */
static void corner_cases_against_libc(void **state)
{
	static const struct {
		const char *fmt;
		long long v;
	} cases[] = {
		{ "%d", 0 }, { "%.0d", 0 }, { "%5.0d", 0 }, { "%+.0d", 0 }, { "% d", 5 },
		{ "%+ d", 5 }, { "%05d", -42 }, { "%-05d", -42 }, { "%05.3d", -42 },
		{ "%#o", 0 }, { "%#.0o", 0 }, { "%#o", 8 }, { "%#5.3o", 8 }, { "%#.3o", 01234 },
		{ "%#x", 0 }, { "%#x", 255 }, { "%#X", 255 }, { "%#08x", 255 }, { "%#.0x", 0 },
		{ "%-#10x|", 255 }, { "%x", -1 }, { "%o", -1 }, { "%u", -1 }, { "%hhd", 255 },
		{ "%hhu", 256 + 7 }, { "%hd", 40000 }, { "%hx", -1 }, { "%.10d", -5 },
		{ "%c", 'A' }, { "%5c|", 'z' }, { "%-5c|", 'z' }, { "%i", -2147483647 - 1 },
		{ "100%%", 0 }, { "%d%%", 3 },
	};
	char ref[128], out[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r1 = snprintf(ref, sizeof(ref), cases[i].fmt, (int)cases[i].v);
		int r2 = rondo_snprintf(out, sizeof(out), cases[i].fmt, (int)cases[i].v);

		if (strcmp(ref, out) != 0)
			print_error("\"%s\": libc \"%s\", rondo \"%s\"\n", cases[i].fmt, ref, out);
		assert_string_equal(out, ref);
		assert_int_equal(r2, r1);
	}
	rondo_snprintf(out, sizeof(out), "%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	snprintf(ref, sizeof(ref), "%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	assert_string_equal(out, ref);
	rondo_snprintf(out, sizeof(out), "%zu %zd %td %jd", (size_t)-1, (size_t)-1,
		       (ptrdiff_t)-3, (intmax_t)INT64_MIN);
	snprintf(ref, sizeof(ref), "%zu %zd %td %jd", (size_t)-1, (ssize_t)-1,
		 (ptrdiff_t)-3, (intmax_t)INT64_MIN);
	assert_string_equal(out, ref);
}

/*
 * Where Rondo's printf defines its own output.  Some of these formats are
 * wrong on purpose, so the compiler's format checks are off here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void rondo_specific(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(rondo_snprintf(out, sizeof(out), "%p", (void *)0x1234), 18);
	assert_string_equal(out, "0x0000000000001234");
	rondo_snprintf(out, sizeof(out), "%p", NULL);
	assert_string_equal(out, "0x0000000000000000");
	rondo_snprintf(out, sizeof(out), "[%20p]", (void *)~(uintptr_t)0);
	assert_string_equal(out, "[  0xffffffffffffffff]");
	rondo_snprintf(out, sizeof(out), "[%-20p]", (void *)0xabcdef);
	assert_string_equal(out, "[0x0000000000abcdef  ]");
	rondo_snprintf(out, sizeof(out), "[%s]", (char *)NULL);
	assert_string_equal(out, "[(null)]");
	rondo_snprintf(out, sizeof(out), "[%8.3s]", (char *)NULL);
	assert_string_equal(out, "[     (nu]");
	/* A precision bounds the read: the string need not be terminated. */
	{
		char raw[3] = { 'a', 'b', 'c' };

		rondo_snprintf(out, sizeof(out), "%.3s|", raw);
		assert_string_equal(out, "abc|");
	}
	/* Unknown conversions and a lone '%' come out as written. */
	assert_int_equal(rondo_snprintf(out, sizeof(out), "%y %5k%"), 7);
	assert_string_equal(out, "%y %5k%");
	assert_int_equal(rondo_snprintf(out, sizeof(out), "%-5"), 3);
	assert_string_equal(out, "%-5");
	/* Widths are capped, so a runaway width costs bounded time. */
	assert_int_equal(rondo_snprintf(NULL, 0, "%999999999d", 1), 4096);
	assert_int_equal(rondo_snprintf(NULL, 0, "%*d", INT_MIN, 1), 4096);
	assert_int_equal(rondo_snprintf(NULL, 0, "%.*d", 99999, 1), 4096);
	assert_int_equal(rondo_snprintf(out, sizeof(out), "plain"), 5);
	assert_int_equal(rondo_snprintf(out, sizeof(out), ""), 0);
	assert_string_equal(out, "");
}
#pragma GCC diagnostic pop

static int wrap_vscn(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rondo_vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void scnprintf_counts_written(void **state)
{
	char out[16];

	(void)state;
	memset(out, '#', sizeof(out));
	assert_int_equal(rondo_scnprintf(out, 0, "%d", 12345), 0);
	assert_int_equal(out[0], '#');
	assert_int_equal(rondo_scnprintf(out, 1, "%d", 12345), 0);
	assert_string_equal(out, "");
	assert_int_equal(rondo_scnprintf(out, 4, "%d", 12345), 3);
	assert_string_equal(out, "123");
	assert_int_equal(rondo_scnprintf(out, 6, "%d", 12345), 5);
	assert_int_equal(rondo_scnprintf(out, 16, "%d", 12345), 5);
	assert_int_equal(wrap_vscn(out, 3, "%s", "abcdef"), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(wrap_vscn(out, 16, "%s-%s", "ab", "cd"), 5);
	assert_string_equal(out, "ab-cd");
	/* Appending in a loop never runs past the end. */
	{
		char buf[10];
		size_t len = 0;

		for (int i = 0; i < 20; i++)
			len += (size_t)rondo_scnprintf(buf + len, sizeof(buf) - len, "%d,", i);
		assert_int_equal(len, 9);
		assert_string_equal(buf, "0,1,2,3,4");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corner_cases_against_libc),
		cmocka_unit_test(generated_against_libc),
		cmocka_unit_test(rondo_specific),
		cmocka_unit_test(scnprintf_counts_written),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
