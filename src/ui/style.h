/*
 * Colour roles from the spec: green success/completed/active, red
 * failed/error/inactive, yellow running/pending/warning, blue informational,
 * cyan identifiers and names, magenta metadata.
 */
#ifndef UI_STYLE_H
#define UI_STYLE_H

#include "core/buf.h"

enum style {
	STYLE_NONE = 0,
	STYLE_SUCCESS,  /* green */
	STYLE_FAILURE,  /* red */
	STYLE_PROGRESS, /* yellow */
	STYLE_INFO,     /* blue */
	STYLE_NAME,     /* cyan */
	STYLE_META,     /* magenta */
	STYLE_BOLD,
	STYLE_DIM,
};

/* Append text wrapped in the style's SGR sequence when color is set. */
void style_add(struct buf *out, const char *text, enum style style, int color);
/* Same, bold as well (panel titles). */
void style_add_bold(struct buf *out, const char *text, enum style style, int color);

#endif
