/*
 * Terminal detection (see term.h): colour and width decided once per run
 * from the streams and the environment, read through getenv_fn so tests can
 * fake it.
 */
#include "ui/term.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEFAULT_WIDTH 80
#define MIN_WIDTH 20

typedef const char *(*getenv_func)(const char *);

static int
stream_is_tty(FILE *f)
{
	return f && isatty(fileno(f));
}

static int
env_nonempty(getenv_func getenv_fn, const char *name)
{
	const char *v = getenv_fn(name);

	return v && *v;
}

static int
want_color(int tty, int no_color, getenv_func getenv_fn)
{
	const char *force = getenv_fn("FORCE_COLOR");
	const char *term = getenv_fn("TERM");

	if (no_color || env_nonempty(getenv_fn, "NO_COLOR"))
		return 0;
	if (force && *force && strcmp(force, "0") != 0)
		return 1;
	return tty && !(term && strcmp(term, "dumb") == 0);
}

/* The variable name as a positive int, else 0. */
static int
env_columns(getenv_func getenv_fn, const char *name)
{
	const char *v = getenv_fn(name);
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n <= 0 || n > INT_MAX)
		return 0;
	return (int)n;
}

static int
tty_columns(FILE *f)
{
	struct winsize ws;

	if (!stream_is_tty(f) || ioctl(fileno(f), TIOCGWINSZ, &ws) < 0)
		return 0;
	return ws.ws_col;
}

static int
detect_width(FILE *out, getenv_func getenv_fn)
{
	int width = env_columns(getenv_fn, "MAHAVISHNU_WIDTH");

	if (width <= 0)
		width = tty_columns(out);
	if (width <= 0)
		width = env_columns(getenv_fn, "COLUMNS");
	if (width <= 0)
		width = DEFAULT_WIDTH;
	return width < MIN_WIDTH ? MIN_WIDTH : width;
}

void
term_detect(struct term *t, int no_color, FILE *out, FILE *err, FILE *in,
	    const char *(*getenv_fn)(const char *))
{
	t->format = OUTPUT_TABLE;
	t->wide = 0;
	t->out_tty = stream_is_tty(out);
	t->err_tty = stream_is_tty(err);
	t->in_tty = stream_is_tty(in);
	t->color = want_color(t->out_tty, no_color, getenv_fn);
	t->color_err = want_color(t->err_tty, no_color, getenv_fn);
	t->width = detect_width(out, getenv_fn);
}
