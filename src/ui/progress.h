/*
 * The one progress style (docs/output.md): on a terminal, a line on stderr
 * rewritten in place, a spinner, the text (for counted work a bar, the count,
 * the rate and the time left) and the seconds elapsed; in a pipe, a plain
 * line now and then (cli/ decides when); nothing with -o json.
 */
#ifndef UI_PROGRESS_H
#define UI_PROGRESS_H

#include "core/buf.h"

/* Append frame number `tick` of the indicator for text after `elapsed` seconds. */
void progress_frame(struct buf *out, const char *text, double elapsed, unsigned tick);
/*
 * Append counted work: "label ████░░░░ done/total · R/s · ETA T" with a bar
 * (on a terminal), or "label: done/total · R/s · ETA T" without one (a pipe's
 * line). The rate appears after a second with something done, the time left
 * while work remains.
 */
void progress_counts(struct buf *out, const char *label, size_t done, size_t total, double elapsed,
		     int bar);
/* Append what erases the indicator's line. */
void progress_clear(struct buf *out);

#endif
