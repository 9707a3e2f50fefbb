/*
 * A C99-style formatter for the kernel (include/printf.h): integers,
 * characters, strings and pointers; no floating point, since the kernel is
 * built without FP registers.
 */
#include "types.h"
#include "printf.h"

/*
 * Cap on a field width or precision.  A runaway "%999999999d" from a bad
 * format string should cost a little padding, not seconds of counting.
 */
#define FIELD_MAX 4096

enum {
	F_LEFT = 1 << 0,	/* '-' */
	F_PLUS = 1 << 1,	/* '+' */
	F_SPACE = 1 << 2,	/* ' ' */
	F_ALT = 1 << 3,		/* '#' */
	F_ZERO = 1 << 4,	/* '0' */
	F_UPPER = 1 << 5,	/* %X */
};

/* The buffer being filled; len counts every character, stored or not. */
struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct sink *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct sink *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1: none given */
};

static void put_str(struct sink *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* With a precision the string need not be terminated: stop there. */
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', sp->width - n);
}

/*
 * One integer conversion.  'neg' carries the sign separately so the most
 * negative value needs no special case.
 */
static void put_num(struct sink *o, const struct spec *sp, u64 val, bool neg,
		    unsigned int base, bool is_signed)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 64 bits in octal is 22 digits */
	char prefix[2];
	int nd = 0, np = 0, prec = sp->prec, zeros, pad;

	if (!(prec == 0 && val == 0)) {
		do {
			tmp[nd++] = digits[val % base];
			val /= base;
		} while (val);
	}
	if (is_signed) {
		if (neg)
			prefix[np++] = '-';
		else if (sp->flags & F_PLUS)
			prefix[np++] = '+';
		else if (sp->flags & F_SPACE)
			prefix[np++] = ' ';
	}
	if ((sp->flags & F_ALT) && base == 16 && nd && !(nd == 1 && tmp[0] == '0')) {
		prefix[np++] = '0';
		prefix[np++] = (sp->flags & F_UPPER) ? 'X' : 'x';
	}
	/* '#' with %o: the first digit must be 0, by raising the precision. */
	if ((sp->flags & F_ALT) && base == 8 && (nd == 0 || tmp[nd - 1] != '0') && prec <= nd)
		prec = nd + 1;
	zeros = prec > nd ? prec - nd : 0;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 &&
	    sp->width > np + nd + zeros)
		zeros = sp->width - np - nd;
	pad = sp->width - np - zeros - nd;
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	for (int i = 0; i < np; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	while (nd)
		put(o, tmp[--nd]);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

/* A width or precision written as digits; *pp is left after them. */
static int parse_field(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v < FIELD_MAX)
			v = v * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	return v < FIELD_MAX ? v : FIELD_MAX;
}

static int clamp_field(int v)
{
	return v > FIELD_MAX ? FIELD_MAX : v;
}

enum length { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_PTRDIFF, L_MAX };

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink o = { buf, size, 0 };

	while (*fmt) {
		struct spec sp = { 0, 0, -1 };
		enum length len = L_INT;
		const char *start = fmt;
		unsigned int base = 10;
		u64 uval;
		s64 sval = 0;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= F_LEFT;
			else if (*fmt == '+')
				sp.flags |= F_PLUS;
			else if (*fmt == ' ')
				sp.flags |= F_SPACE;
			else if (*fmt == '#')
				sp.flags |= F_ALT;
			else if (*fmt == '0')
				sp.flags |= F_ZERO;
			else
				break;
		}
		if (*fmt == '*') {
			int w = va_arg(ap, int);

			fmt++;
			/* A negative width from '*' means '-' and its magnitude. */
			if (w < 0) {
				sp.flags |= F_LEFT;
				w = w == INT32_MIN ? FIELD_MAX : -w;
			}
			sp.width = clamp_field(w);
		} else {
			sp.width = parse_field(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(ap, int);

				fmt++;
				sp.prec = p < 0 ? -1 : clamp_field(p);
			} else {
				sp.prec = parse_field(&fmt);
			}
		}
		switch (*fmt) {
		case 'h':
			fmt++;
			len = L_SHORT;
			if (*fmt == 'h') {
				fmt++;
				len = L_CHAR;
			}
			break;
		case 'l':
			fmt++;
			len = L_LONG;
			if (*fmt == 'l') {
				fmt++;
				len = L_LLONG;
			}
			break;
		case 'z':
			fmt++;
			len = L_SIZE;
			break;
		case 't':
			fmt++;
			len = L_PTRDIFF;
			break;
		case 'j':
			fmt++;
			len = L_MAX;
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			switch (len) {
			case L_CHAR: sval = (signed char)va_arg(ap, int); break;
			case L_SHORT: sval = (short)va_arg(ap, int); break;
			case L_LONG: sval = va_arg(ap, long); break;
			case L_LLONG: sval = va_arg(ap, long long); break;
			case L_SIZE: sval = (s64)va_arg(ap, size_t); break;
			case L_PTRDIFF: sval = va_arg(ap, ptrdiff_t); break;
			case L_MAX: sval = va_arg(ap, intmax_t); break;
			default: sval = va_arg(ap, int); break;
			}
			uval = sval < 0 ? 0 - (u64)sval : (u64)sval;
			put_num(&o, &sp, uval, sval < 0, 10, true);
			break;
		case 'X':
			sp.flags |= F_UPPER;
			/* fall through */
		case 'x':
		case 'o':
		case 'u':
			base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			switch (len) {
			case L_CHAR: uval = (unsigned char)va_arg(ap, unsigned int); break;
			case L_SHORT: uval = (unsigned short)va_arg(ap, unsigned int); break;
			case L_LONG: uval = va_arg(ap, unsigned long); break;
			case L_LLONG: uval = va_arg(ap, unsigned long long); break;
			case L_SIZE: uval = va_arg(ap, size_t); break;
			case L_PTRDIFF: uval = (u64)va_arg(ap, ptrdiff_t); break;
			case L_MAX: uval = va_arg(ap, uintmax_t); break;
			default: uval = va_arg(ap, unsigned int); break;
			}
			put_num(&o, &sp, uval, false, base, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!(sp.flags & F_LEFT))
				put_repeat(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.flags & F_LEFT)
				put_repeat(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_str(&o, &sp, va_arg(ap, const char *));
			break;
		case 'p': {
			/* Always 16 digits, so addresses line up in dumps. */
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			char text[19];

			text[0] = '0';
			text[1] = 'x';
			for (int i = 0; i < 16; i++)
				text[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
			text[18] = '\0';
			sp.prec = -1;
			put_str(&o, &sp, text);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown or cut-off conversion: show it as written. */
			while (start < fmt)
				put(&o, *start++);
			if (*fmt)
				put(&o, *fmt);
			else
				continue;
			break;
		}
		fmt++;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > (size_t)INT32_MAX ? INT32_MAX : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (size == 0)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
