/*
 * Bit maps (include/bitmap.h).  Whole words are processed at a time; the
 * bits of the last word beyond nbits may hold anything, so every answer that
 * depends on them masks them off.
 */
#include "types.h"
#include "errno.h"
#include "bitmap.h"

/* The valid bits of the last word of an nbits-long map. */
static inline unsigned long last_word_mask(unsigned int nbits)
{
	unsigned int rem = nbits % BITS_PER_LONG;

	return rem ? (1UL << rem) - 1 : ~0UL;
}

static inline unsigned int full_words(unsigned int nbits)
{
	return nbits / BITS_PER_LONG;
}

static inline bool has_tail(unsigned int nbits)
{
	return nbits % BITS_PER_LONG != 0;
}

void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = 0;
}

void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	unsigned int n = BITS_TO_LONGS(nbits);

	for (unsigned int i = 0; i < n; i++)
		dst[i] = ~0UL;
	/* Keep the bits past the end clear so weight-like scans stay honest. */
	if (has_tail(nbits))
		dst[n - 1] = last_word_mask(nbits);
}

void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = src[i];
}

/* Returns whether the result has any of its nbits set. */
bool bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		unsigned int nbits)
{
	unsigned long any = 0;
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		any |= dst[i] = a[i] & b[i];
	if (has_tail(nbits))
		any |= (dst[i] = a[i] & b[i]) & last_word_mask(nbits);
	return any != 0;
}

void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b,
	       unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] | b[i];
}

/* Returns whether the result has any of its nbits set. */
bool bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		   unsigned int nbits)
{
	unsigned long any = 0;
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		any |= dst[i] = a[i] & ~b[i];
	if (has_tail(nbits))
		any |= (dst[i] = a[i] & ~b[i]) & last_word_mask(nbits);
	return any != 0;
}

bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		if (a[i] != b[i])
			return false;
	return !has_tail(nbits) || !((a[i] ^ b[i]) & last_word_mask(nbits));
}

bool bitmap_empty(const unsigned long *a, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		if (a[i])
			return false;
	return !has_tail(nbits) || !(a[i] & last_word_mask(nbits));
}

/* Is every bit of a also set in b? */
bool bitmap_subset(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		if (a[i] & ~b[i])
			return false;
	return !has_tail(nbits) || !(a[i] & ~b[i] & last_word_mask(nbits));
}

bool bitmap_intersects(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < full_words(nbits); i++)
		if (a[i] & b[i])
			return true;
	return has_tail(nbits) && (a[i] & b[i] & last_word_mask(nbits));
}

static unsigned int popcount(unsigned long w)
{
	unsigned int n = 0;

	/* Each step clears the lowest set bit: cheap for sparse CPU masks. */
	while (w) {
		w &= w - 1;
		n++;
	}
	return n;
}

unsigned int bitmap_weight(const unsigned long *a, unsigned int nbits)
{
	unsigned int i, n = 0;

	for (i = 0; i < full_words(nbits); i++)
		n += popcount(a[i]);
	if (has_tail(nbits))
		n += popcount(a[i] & last_word_mask(nbits));
	return n;
}

unsigned int find_next_bit(const unsigned long *a, unsigned int nbits, unsigned int start)
{
	unsigned int i;
	unsigned long w;

	if (start >= nbits)
		return nbits;
	i = start / BITS_PER_LONG;
	w = a[i] & (~0UL << (start % BITS_PER_LONG));
	for (;;) {
		if (w) {
			unsigned int bit = i * BITS_PER_LONG + (unsigned int)__builtin_ctzl(w);

			return bit < nbits ? bit : nbits;
		}
		if (++i >= BITS_TO_LONGS(nbits))
			return nbits;
		w = a[i];
	}
}

/* ---- cpulist text ------------------------------------------------------- */

/* Output with scnprintf's rules: stop at size-1 characters, always NUL. */
struct text {
	char *buf;
	size_t size;
	size_t len;
};

static void text_put(struct text *t, char c)
{
	if (t->len + 1 < t->size)
		t->buf[t->len++] = c;
}

static void text_put_uint(struct text *t, unsigned int v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		text_put(t, digits[--n]);
}

int bitmap_print_list(char *buf, size_t size, const unsigned long *a, unsigned int nbits)
{
	struct text t = { buf, size, 0 };
	unsigned int first = find_next_bit(a, nbits, 0);

	while (first < nbits) {
		unsigned int last = first;

		while (last + 1 < nbits && test_bit(last + 1, a))
			last++;
		if (t.len)
			text_put(&t, ',');
		text_put_uint(&t, first);
		if (last != first) {
			text_put(&t, '-');
			text_put_uint(&t, last);
		}
		first = last + 1 < nbits ? find_next_bit(a, nbits, last + 1) : nbits;
	}
	if (size)
		buf[t.len] = '\0';
	return (int)t.len;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *skip_space(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/*
 * A decimal number after optional blanks.  Returns the text after it, or
 * NULL when there are no digits; *overflow is set when it does not fit.
 */
static const char *parse_uint(const char *s, unsigned int *val, bool *overflow)
{
	unsigned int v = 0;
	const char *start;

	s = skip_space(s);
	start = s;
	while (*s >= '0' && *s <= '9') {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (~0U - d) / 10)
			*overflow = true;
		else
			v = v * 10 + d;
		s++;
	}
	*val = v;
	return s == start ? NULL : skip_space(s);
}

/*
 * One pass over the list.  With dst NULL it only validates, which lets the
 * caller leave dst untouched when the text turns out to be bad.
 *
 * Region grammar: A, A-B, A-B:S (every S-th bit from A), or Linux's
 * A-B:U/G (the first U bits of every group of G, starting at A).
 */
static int parse_list(const char *s, unsigned long *dst, unsigned int nbits)
{
	s = skip_space(s);
	if (!*s)
		return 0;
	for (;;) {
		unsigned int lo, hi, used = 1, group = 1;
		bool overflow = false;

		s = parse_uint(s, &lo, &overflow);
		if (!s)
			return -EINVAL;
		hi = lo;
		if (*s == '-') {
			s = parse_uint(s + 1, &hi, &overflow);
			if (!s)
				return -EINVAL;
			if (*s == ':') {
				s = parse_uint(s + 1, &used, &overflow);
				if (!s)
					return -EINVAL;
				group = used;
				used = 1;
				if (*s == '/') {
					used = group;
					s = parse_uint(s + 1, &group, &overflow);
					if (!s)
						return -EINVAL;
				}
				if (used == 0 || group == 0 || used > group)
					return -EINVAL;
			}
		}
		if (*s != ',' && *s != '\0')
			return -EINVAL;
		if (!overflow && lo > hi)
			return -EINVAL;
		if (overflow || hi >= nbits)
			return -ERANGE;
		if (dst) {
			for (unsigned int base = lo; base <= hi; base += group) {
				for (unsigned int i = 0; i < used && base + i <= hi; i++)
					__set_bit(base + i, dst);
				if (hi - base < group)
					break;
			}
		}
		if (*s == '\0')
			return 0;
		s++;
	}
}

int bitmap_parse_list(const char *s, unsigned long *dst, unsigned int nbits)
{
	int err = parse_list(s, NULL, nbits);

	if (err)
		return err;
	bitmap_zero(dst, nbits);
	return parse_list(s, dst, nbits);
}
