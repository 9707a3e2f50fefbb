/*
 * Formatted output into a buffer (lib/printf.c).  Supported conversions:
 * %d %i %u %x %X %o %c %s %p %% with flags '-', '0', ' ', '+', '#', a field
 * width and precision (numbers or '*'), and length modifiers hh h l ll z t j.
 * %p prints 0x followed by 16 hex digits.  A NULL %s prints "(null)".
 * Widths and precisions are capped at 4096; an unknown conversion is
 * printed as written.
 * Return values follow C99: vsnprintf returns the length the whole output
 * would have had; scnprintf returns what was actually written (excluding NUL).
 */
#ifndef RONDO_PRINTF_H
#define RONDO_PRINTF_H

#include "types.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
