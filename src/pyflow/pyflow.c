/* A flow file's text, its lines and its problems (see pyflow.h). */
#include "pyflow/pyflow.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/xalloc.h"

/* Larger files are refused rather than read whole. */
#define MAX_SOURCE_BYTES (16u << 20)

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_sequence(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80                  ? 1 :
		     s[0] >= 0xc2 && s[0] <= 0xdf ? 2 :
		     s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		     s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 :
						    0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0; /* overlong, surrogate or beyond U+10FFFF */
	return len;
}

/* Byte offset of the first NUL or invalid UTF-8 byte, or len when none. */
static size_t
first_bad_byte(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	while (i < len && s[i] && (n = utf8_sequence(s + i, len - i)))
		i += n;
	return i;
}

static void
index_lines(struct pyflow_file *f)
{
	size_t alloc = 64;
	f->line_starts = xmalloc(alloc * sizeof(*f->line_starts));
	f->line_starts[0] = 0;
	f->n_lines = 1;
	for (size_t i = 0; i < f->source_len; i++) {
		if (f->source[i] != '\n' || i + 1 == f->source_len)
			continue;
		if (f->n_lines == alloc) {
			alloc *= 2;
			f->line_starts = xrealloc(f->line_starts, alloc * sizeof(*f->line_starts));
		}
		f->line_starts[f->n_lines++] = i + 1;
	}
}

void
pyflow_load_text(struct pyflow_file *f, const char *path, const char *text, size_t len)
{
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	free(f->path);
	free(f->source);
	free(f->line_starts);
	f->path = xstrdup(path);
	f->source = xstrndup(text, len);
	f->source_len = len;
	index_lines(f);
}

static int
has_py_suffix(const char *path)
{
	size_t n = strlen(path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return n >= 3 && !strcmp(path + n - 3, ".py") && strlen(base) > 3;
}

static int
check_text(const struct buf *b, struct error *err)
{
	size_t bad = first_bad_byte(b->data, b->len);
	if (bad == b->len)
		return 0;
	size_t line = 1, col = 1;
	for (size_t i = 0; i < bad; i++) {
		if (b->data[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)b->data[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	if (!b->data[bad])
		return error_set(err, ERROR_INVALID,
				 "not a text file: it contains a NUL "
				 "byte (line %zu, column %zu)",
				 line, col);
	return error_set(err, ERROR_INVALID,
			 "not UTF-8 text: byte 0x%02X at line %zu, "
			 "column %zu is not valid UTF-8",
			 (unsigned char)b->data[bad], line, col);
}

static int
read_all(struct buf *b, const char *path, struct error *err)
{
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return error_set(err, ERROR_IO, "cannot open it: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(b, chunk, n) < 0) {
			fclose(fp);
			return error_set(err, ERROR_INVALID, "larger than %u MiB",
					 MAX_SOURCE_BYTES >> 20);
		}
	}
	int failed = ferror(fp);
	fclose(fp);
	if (failed)
		return error_set(err, ERROR_IO, "cannot read it: %s", strerror(errno));
	return 0;
}

int
pyflow_load(struct pyflow_file *f, const char *path, struct error *err)
{
	struct stat st;
	struct buf b;
	if (stat(path, &st) < 0 && errno == ENOENT)
		return error_set(err, ERROR_NOT_FOUND, "no such file");
	if (stat(path, &st) < 0)
		return error_set(err, ERROR_IO, "cannot read it: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return error_set(err, ERROR_INVALID, "a directory, not a Python file");
	if (!S_ISREG(st.st_mode))
		return error_set(err, ERROR_INVALID, "not a regular file");
	if (!has_py_suffix(path))
		return error_set(err, ERROR_INVALID,
				 "not a Python file: its name does not "
				 "end in .py");
	buf_init(&b, MAX_SOURCE_BYTES);
	if (read_all(&b, path, err) < 0 || check_text(&b, err) < 0) {
		buf_release(&b);
		return -1;
	}
	pyflow_load_text(f, path, b.data, b.len);
	buf_release(&b);
	return 0;
}

const struct pyflow_func *
pyflow_find(const struct pyflow_file *f, const char *function)
{
	for (size_t i = f->n_funcs; i-- > 0;)
		if (!strcmp(f->funcs[i].function, function))
			return &f->funcs[i];
	return NULL;
}

size_t
pyflow_count(const struct pyflow_file *f, enum pyflow_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_problems; i++)
		n += f->problems[i].severity == severity;
	return n;
}

const char *
pyflow_line(const struct pyflow_file *f, unsigned n, size_t *len)
{
	if (n == 0 || n > f->n_lines || !f->source)
		return NULL;
	size_t start = f->line_starts[n - 1];
	size_t end = n < f->n_lines ? f->line_starts[n] : f->source_len;
	while (end > start && (f->source[end - 1] == '\n' || f->source[end - 1] == '\r'))
		end--;
	*len = end - start;
	return f->source + start;
}

static int
problem_before(const struct pyflow_problem *a, const struct pyflow_problem *b)
{
	if (a->severity != b->severity)
		return a->severity < b->severity;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line;
	return a->pos.column < b->pos.column;
}

void
pyflow_add_problem(struct pyflow_file *f, enum pyflow_severity severity, struct pyflow_pos pos,
		   const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	struct pyflow_problem p = { severity, pos, buf_detach(&msg) };
	f->problems = xrealloc(f->problems, (f->n_problems + 1) * sizeof(*f->problems));
	size_t at = f->n_problems;
	while (at > 0 && problem_before(&p, &f->problems[at - 1]))
		at--;
	memmove(f->problems + at + 1, f->problems + at, (f->n_problems - at) * sizeof(*f->problems));
	f->problems[at] = p;
	f->n_problems++;
}

static void
release_func(struct pyflow_func *fn)
{
	for (size_t i = 0; i < fn->n_params; i++) {
		free(fn->params[i].name);
		free(fn->params[i].default_value);
		free(fn->params[i].annotation);
	}
	for (size_t i = 0; i < fn->n_calls; i++) {
		free(fn->calls[i].inputs.items);
		free(fn->calls[i].wait_for.items);
	}
	free(fn->params);
	free(fn->calls);
	json_decref(fn->schema);
	strlist_release(&fn->inexact);
	free(fn->name);
	free(fn->function);
}

void
pyflow_release(struct pyflow_file *f)
{
	for (size_t i = 0; i < f->n_funcs; i++)
		release_func(&f->funcs[i]);
	for (size_t i = 0; i < f->n_problems; i++)
		free(f->problems[i].message);
	free(f->funcs);
	free(f->problems);
	free(f->path);
	free(f->source);
	free(f->line_starts);
	memset(f, 0, sizeof(*f));
}
