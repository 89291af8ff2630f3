/*
 * Rendering DOT text to an image with Graphviz's `dot` program (looked up
 * on PATH, started without a shell, fed and read through pipes), and
 * saving a rendered graph to a file.
 */
#ifndef GRAPH_GRAPHVIZ_H
#define GRAPH_GRAPHVIZ_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * Run `dot -T<format>` (format "svg", "png", ...) on dot_text (len bytes)
 * and append what it writes to out. A missing `dot` is ERROR_NOT_FOUND;
 * `dot` failing is ERROR_INVALID quoting its first error line.
 */
int graphviz_render(const char *dot_text, size_t len, const char *format, struct buf *out,
		    struct error *err);

/* Write len bytes of data to path, created or truncated; ERROR_IO on failure. */
int graph_save(const char *path, const char *data, size_t len, struct error *err);

#endif
