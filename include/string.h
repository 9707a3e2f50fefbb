/* The few string and memory routines the kernel uses (lib/string.c). */
#ifndef RONDO_STRING_H
#define RONDO_STRING_H

#include "types.h"

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse an unsigned number: base 0 accepts 0x (hex), 0 (octal) prefixes as C
 * does, base 16 an optional 0x.  The whole string must be consumed, except
 * that, as in Linux, a leading '+' and one trailing newline are allowed.
 * Returns 0, -EINVAL (not a number, empty, trailing junk, bad base) or
 * -ERANGE (overflow); *res is only written on success.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);

#endif
