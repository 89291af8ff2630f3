/*
 * The terminal facts every renderer needs, decided once per run:
 * output format, whether to colour stdout and stderr, and the layout width.
 * Rules (docs/output.md): colour only when the stream is a terminal or
 * FORCE_COLOR is set (non-empty, not "0"); never with NO_COLOR (non-empty)
 * or --no-color; TERM=dumb turns it off unless FORCE_COLOR is set.
 * Width: $MAHAVISHNU_WIDTH, else the terminal's, else $COLUMNS, else 80;
 * never below 20.
 */
#ifndef UI_TERM_H
#define UI_TERM_H

#include <stdio.h>

enum output_format {
	OUTPUT_TABLE = 0,
	OUTPUT_JSON,
};

/*
 * How a document of OUTPUT_JSON is written: indented JSON, JSON Lines (-o
 * jsonl, one line a record), or the same value as YAML (-o yaml, ui/yaml_out.h).
 */
enum json_style {
	JSON_INDENTED = 0,
	JSON_LINES,
	JSON_YAML,
};

struct term {
	enum output_format format;
	enum json_style json_style; /* with OUTPUT_JSON */
	int color;                  /* ANSI colour on stdout */
	int color_err;              /* ANSI colour on stderr */
	int out_tty;                /* stdout is a terminal */
	int err_tty;                /* stderr is a terminal */
	int in_tty;                 /* stdin is a terminal (for confirmations) */
	int width;                  /* columns available for tables and panels (>= 20) */
	int wide;                   /* -o wide: every column of a table, nothing cut */
};

/*
 * Fill t from the environment and the given streams. getenv_fn is getenv in
 * the program and a fake in tests.
 */
void term_detect(struct term *t, int no_color, FILE *out, FILE *err, FILE *in,
		 const char *(*getenv_fn)(const char *));

#endif
