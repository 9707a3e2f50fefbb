/*
 * Memory and string routines for the kernel (include/string.h).
 *
 * They run before the MMU is on, when every access to Device-nGnRnE memory
 * (the only kind there is then) must be naturally aligned.  So a wide access
 * is only made when both pointers are aligned to the width; everything else
 * goes a byte at a time.
 */
#include "types.h"
#include "errno.h"
#include "string.h"

/*
 * GCC recognises byte loops as memset/memcpy/strlen and replaces them with a
 * call to that very function, which here would call itself forever.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

/* Word accesses to objects of any type: tell the compiler they may alias. */
typedef unsigned long __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static inline bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD - 1)) == 0;
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;
	u8 b = (u8)c;

	while (n && !word_aligned(p)) {
		*p++ = b;
		n--;
	}
	if (n >= WORD) {
		word_t w = b;

		w |= w << 8;
		w |= w << 16;
		w |= w << 32;
		while (n >= WORD) {
			*(word_t *)p = w;
			p += WORD;
			n -= WORD;
		}
	}
	while (n--)
		*p++ = b;
	return s;
}

static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (word_aligned(d) && word_aligned(s)) {
		while (n >= WORD) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD;
			s += WORD;
			n -= WORD;
		}
	}
	while (n--)
		*d++ = *s++;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	/* Copying forwards is safe unless dst starts inside [src, src+n). */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		copy_forward(d, s, n);
		return dst;
	}
	d += n;
	s += n;
	while (n--)
		*--d = *--s;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const u8 *p = (const u8 *)a, *q = (const u8 *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p == *q ? 0 : (*p < *q ? -1 : 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const u8 *p = (const u8 *)a, *q = (const u8 *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (!*p)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The unsigned part shared by kstrtoul and kstrtol.  Like Linux, a leading
 * '+' and one trailing newline are accepted, since values often come from
 * text typed by a person.
 */
static int parse_ulong(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long val = 0;
	bool overflow = false;
	const char *start;

	if (base == 1 || base > 36)
		return -EINVAL;
	if (*s == '+')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			base = 16;
			s += 2;
		} else if (s[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		   digit_value(s[2]) < 16) {
		s += 2;
	}
	start = s;
	for (; *s; s++) {
		unsigned int d = (unsigned int)digit_value(*s);

		if (d >= base)
			break;
		if (val > (~0UL - d) / base)
			overflow = true;
		val = val * base + d;
	}
	if (s == start)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	if (*s == '-')
		return -EINVAL;
	return parse_ulong(s, base, res);
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	unsigned long mag;
	bool neg = false;
	int err;

	if (*s == '-') {
		neg = true;
		s++;
		if (*s == '+' || *s == '-')
			return -EINVAL;
	}
	err = parse_ulong(s, base, &mag);
	if (err)
		return err;
	/* LONG_MIN has no positive counterpart, hence the asymmetric limits. */
	if (neg) {
		if (mag > (~0UL >> 1) + 1)
			return -ERANGE;
		*res = (long)(0UL - mag);
	} else {
		if (mag > (~0UL >> 1))
			return -ERANGE;
		*res = (long)mag;
	}
	return 0;
}
