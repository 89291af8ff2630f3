/*
 * Growable NUL-terminated byte buffer (after git's strbuf and curl's dynbuf).
 * Invariants: b->data is never NULL and always NUL-terminated once
 * initialised; an optional cap bounds the length (appends past it fail).
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap; /* 0: unlimited */
};

/* clang-format off */
#define BUF_INIT { NULL, 0, 0, 0 }
/* clang-format on */

void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Each append returns 0, or -1 when the cap would be exceeded (buffer unchanged). */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append s n times. */
int buf_repeat(struct buf *b, const char *s, size_t n);
/* Hand the string over to the caller (who frees it); b is reset. */
char *buf_detach(struct buf *b);
/* Exchange the contents of a and b (no copy). */
void buf_swap(struct buf *a, struct buf *b);
/* Read data (NUL terminated; "" before any append). */
const char *buf_str(const struct buf *b);

#endif
