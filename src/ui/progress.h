/*
 * A one-line progress indicator on stderr for terminals: a spinner, a text
 * and the seconds elapsed, rewritten in place. Nothing is drawn when stderr
 * is not a terminal (callers then say what they do in plain lines).
 */
#ifndef UI_PROGRESS_H
#define UI_PROGRESS_H

#include "core/buf.h"

/* Append frame number `tick` of the indicator for text after `elapsed` seconds. */
void progress_frame(struct buf *out, const char *text, double elapsed, unsigned tick);
/* Append "label ████░░░░ done/total" with a bar of cells cells. */
void progress_bar(struct buf *out, const char *label, size_t done, size_t total, size_t cells);
/* Append what erases the indicator's line. */
void progress_clear(struct buf *out);

#endif
