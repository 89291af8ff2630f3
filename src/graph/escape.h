/*
 * Text inside Mermaid and DOT output (labels, the flow's name, comments):
 * every C0 and C1 control character, DEL, bidirectional override and
 * invalid UTF-8 byte is replaced first (tab, CR and newline by a space,
 * invalid bytes by U+FFFD, the rest by '?'), so the output never carries
 * terminal escapes; then the characters the syntax gives a meaning to are
 * escaped.
 */
#ifndef GRAPH_ESCAPE_H
#define GRAPH_ESCAPE_H

#include "core/buf.h"

enum graph_syntax {
	GRAPH_COMMENT = 0,   /* the rest of a comment line: nothing escaped */
	GRAPH_MERMAID_LABEL, /* inside "..." in Mermaid: # " < > & ` as #name; */
	GRAPH_DOT_STRING,    /* inside "..." in DOT: \ and " backslashed, & as &amp; */
};

/* Append s, cleaned and escaped for syntax. */
void graph_escape(struct buf *out, const char *s, enum graph_syntax syntax);

#endif
