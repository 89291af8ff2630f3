/*
 * Messages on stderr: "mahavishnu: <error>", "mahavishnu: warning: ...",
 * "hint: ...". Every message is sanitised, so server text never reaches the
 * terminal raw, and kept to one line.
 */
#ifndef UI_MESSAGE_H
#define UI_MESSAGE_H

#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"

void message_error(FILE *err, int color, const struct error *e);
void message_warning(FILE *err, int color, const char *text);
/* "hint: text" on its own, as after an error. */
void message_hint(FILE *err, int color, const char *text);
/* One line of -v trace, sanitised, on stderr. */
void message_trace(FILE *err, const char *line);
/* Write the whole buffer to out; returns 0 or -1 on a write error. */
int message_write(FILE *out, const struct buf *b);

#endif
