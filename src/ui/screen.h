/*
 * A full-screen live view on a terminal, as htop and k9s draw theirs: the
 * alternate screen (what was on the terminal comes back at the end), keys
 * read one at a time without echo, and frames drawn in place without
 * flicker. This is the one place that writes to a terminal directly:
 * commands hand it whole frames (screen_draw) and read keys from it
 * (screen_key); everything else they print goes through cli/ as usual.
 *
 * Keys are read "raw": no echo, no line editing, and Ctrl-C arrives as the
 * key SCREEN_KEY_CTRL_C rather than as SIGINT, so the view decides what it
 * means. Output processing is left on ("\n" still starts a new line), so
 * text printed while the screen is paused looks as it always does.
 *
 * Undoing it: screen_stop() puts back the terminal settings, the cursor
 * and the main screen, whatever state the view was in; the caller calls it
 * on every way out (q, Ctrl-C, SIGTERM, an error).
 */
#ifndef UI_SCREEN_H
#define UI_SCREEN_H

#include <stddef.h>
#include <termios.h>

#include "core/buf.h"

enum screen_key {
	SCREEN_KEY_NONE = 0, /* nothing came before the timeout (or a signal came) */
	SCREEN_KEY_CTRL_C = 3,
	SCREEN_KEY_ENTER = '\r',
	SCREEN_KEY_ESC = 27,
	/* other single bytes are themselves ('q', 'y', ...) */
	SCREEN_KEY_UP = 256,
	SCREEN_KEY_DOWN,
	SCREEN_KEY_PAGE_UP,
	SCREEN_KEY_PAGE_DOWN,
	SCREEN_KEY_HOME,
	SCREEN_KEY_END,
	SCREEN_KEY_EOF, /* the terminal is gone */
};

struct screen {
	int in, out; /* the terminal's file descriptors */
	int rows, cols;
	struct termios saved; /* the settings to put back */
	int raw;              /* keys are raw (saved is to be put back) */
	int shown;            /* the alternate screen is on and the cursor hidden */
	unsigned char pending[32];
	size_t npending; /* bytes read and not yet decoded */
};

/*
 * Take over the terminal: raw keys, the alternate screen, the cursor
 * hidden; redraws are wanted on window resizes (screen_resized). Returns
 * -1 (changing nothing) when in is not a terminal.
 */
int screen_start(struct screen *s, int in, int out);
/*
 * Back to the main screen with the cursor shown, keys still raw: for text
 * printed in between (a run's logs). screen_resume() takes the view back.
 */
void screen_pause(struct screen *s);
void screen_resume(struct screen *s);
/* Put everything back as screen_start found it. Safe to call twice. */
void screen_stop(struct screen *s);

/* Whether the window changed size since the last call; rows and cols are then updated. */
int screen_resized(struct screen *s);

/*
 * Draw frame (lines separated by "\n", each no wider than cols, SGR colour
 * allowed) over the previous one, in one write: cursor home, each line
 * over the old one followed by clear-to-end-of-line, then the rest of the
 * screen cleared. Lines past the last row are not drawn.
 */
void screen_draw(struct screen *s, const struct buf *frame);

/*
 * The next key, waiting up to timeout seconds (0: only what is already
 * there). Arrow keys (ESC [ A, ESC O A, ...), Page Up/Down and Home/End are
 * decoded; a signal (resize, SIGTERM) returns SCREEN_KEY_NONE early.
 */
int screen_key(struct screen *s, double timeout);

#endif
