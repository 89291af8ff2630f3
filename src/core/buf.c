/* Growable string buffer with an optional size cap (see buf.h). */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char buf_empty[1];

void
buf_init(struct buf *b, size_t cap)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void
buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	buf_init(b, b->cap);
}

void
buf_reset(struct buf *b)
{
	if (!b->alloc) {
		buf_init(b, b->cap);
		return;
	}
	b->len = 0;
	b->data[0] = '\0';
}

static int
buf_grow(struct buf *b, size_t extra)
{
	if (b->cap && b->len + extra > b->cap)
		return -1;
	if (b->len + extra + 1 <= b->alloc)
		return 0;
	size_t want = b->alloc ? b->alloc * 2 : 64;
	while (want < b->len + extra + 1)
		want *= 2;
	char *p = b->alloc ? xrealloc(b->data, want) : xmalloc(want);
	if (!b->alloc)
		p[0] = '\0';
	b->data = p;
	b->alloc = want;
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t len)
{
	if (!b->data)
		buf_init(b, b->cap);
	if (buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	if (b->alloc)
		b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return -1;
	if (!b->data)
		buf_init(b, b->cap);
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
buf_repeat(struct buf *b, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (b->cap && len && n > (b->cap - b->len) / len)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (buf_add(b, s, len) < 0)
			return -1;
	return 0;
}

char *
buf_detach(struct buf *b)
{
	char *p = b->alloc ? b->data : xstrdup("");
	buf_init(b, b->cap);
	return p;
}

void
buf_swap(struct buf *a, struct buf *b)
{
	struct buf t = *a;
	*a = *b;
	*b = t;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
