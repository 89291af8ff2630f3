/* flow-runs watch's live screen and its keys (see run_watch_screen.h). */
#include "cmd/prefect/run_watch_screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"
#include "cmd/prefect/run_cancel.h"
#include "cmd/prefect/run_follow.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "ui/screen.h"
#include "ui/state.h"
#include "ui/text.h"
#include "ui/timefmt.h"

/* Lines around the table: two of header and a status line above, the keys below. */
#define LINES_ABOVE 3
#define LINES_BELOW 1
/* Lines of the table that are not runs: top border, header, rule, bottom border. */
#define TABLE_FRAME_LINES 4
/* The marker column before the table: "› " on the selected run. */
#define MARKER_COLS 2
#define SGR_RESET "\033[0m"
#define SGR_REVERSE "\033[7m"

static const char keys_help[] =
	"↑↓ select · l logs · c cancel · f state filter · r refresh · q quit";

struct live {
	struct run_watch *w;
	struct screen screen;
	long count;        /* end after this many refreshes; 0: no limit */
	size_t selected;   /* index into w->runs */
	size_t top;        /* the first run shown */
	char *selected_id; /* the selected run, found again after a refresh */
	struct buf status; /* the message line (unsanitised) */
	enum style status_style;
	double next_read;
	int dirty; /* the frame is to be drawn again */
};

static void set_status(struct live *l, enum style style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_status(struct live *l, enum style style, const char *fmt, ...)
{
	va_list ap;
	buf_reset(&l->status);
	va_start(ap, fmt);
	buf_vaddf(&l->status, fmt, ap);
	va_end(ap);
	l->status_style = style;
	l->dirty = 1;
}

static size_t
run_count(const struct live *l)
{
	return json_array_size(l->w->runs);
}

static const json_t *
selected_run(const struct live *l)
{
	return json_array_get(l->w->runs, l->selected);
}

static void
select_run(struct live *l, size_t i)
{
	size_t n = run_count(l);
	l->selected = n == 0 ? 0 : i < n ? i : n - 1;
	free(l->selected_id);
	l->selected_id = n ? xstrdup(json_str(selected_run(l), "id")) : NULL;
	l->dirty = 1;
}

/* After a refresh: the same run stays selected if it is still listed. */
static void
keep_selection(struct live *l)
{
	const json_t *run;
	size_t i;
	json_array_foreach(l->w->runs, i, run) {
		const char *id = json_str(run, "id");
		if (l->selected_id && id && !strcmp(id, l->selected_id)) {
			select_run(l, i);
			return;
		}
	}
	select_run(l, l->selected);
}

/* How many runs fit on the screen. */
static size_t
rows_for_runs(const struct live *l)
{
	int spare = l->screen.rows - LINES_ABOVE - LINES_BELOW - TABLE_FRAME_LINES;
	return spare > 0 ? (size_t)spare : 0;
}

static void
scroll_to_selection(struct live *l, size_t fit)
{
	size_t n = run_count(l);
	if (l->selected < l->top)
		l->top = l->selected;
	if (fit && l->selected >= l->top + fit)
		l->top = l->selected - fit + 1;
	if (l->top + fit > n)
		l->top = n > fit ? n - fit : 0;
}

/* Append text (server text included) sanitised, cut to cols and styled, as one line. */
static void
add_line(struct buf *frame, const char *text, size_t cols, enum style style, int color)
{
	struct buf cut = BUF_INIT;
	char *safe = text_sanitize_dup(text, 1);
	text_truncate(&cut, safe, cols);
	style_add(frame, buf_str(&cut), style, color);
	buf_addc(frame, '\n');
	free(safe);
	buf_release(&cut);
}

static void
status_line(const struct live *l, struct buf *frame, size_t cols, int color)
{
	if (!server_watch_away(&l->w->watch)) {
		add_line(frame, buf_str(&l->status), cols, l->status_style, color);
		return;
	}
	struct buf text = BUF_INIT;
	char read_at[32];
	isotime_format_utc(l->w->read_at, read_at);
	buf_adds(&text, "⚠ showing the runs as read at ");
	timefmt_local_iso(&text, read_at);
	server_watch_away_text(&l->w->watch, &text);
	add_line(frame, buf_str(&text), cols, STYLE_PROGRESS, color);
	buf_release(&text);
}

/* Append one table line with its marker; the selected run's line in reverse video. */
static void
add_table_line(struct buf *frame, const char *line, size_t len, int selected, int color)
{
	if (!selected) {
		buf_adds(frame, "  ");
		buf_add(frame, line, len);
		buf_addc(frame, '\n');
		return;
	}
	if (color)
		buf_adds(frame, SGR_REVERSE);
	buf_adds(frame, "› ");
	for (size_t i = 0; i < len; i++) {
		size_t reset = strlen(SGR_RESET);
		if (color && len - i >= reset && !memcmp(line + i, SGR_RESET, reset)) {
			buf_adds(frame,
				 SGR_RESET SGR_REVERSE); /* the cell's colour ends, the reverse stays */
			i += reset - 1;
		} else {
			buf_addc(frame, line[i]);
		}
	}
	if (color)
		buf_adds(frame, SGR_RESET);
	buf_addc(frame, '\n');
}

/* Append the table of the runs that fit, returning how many lines it took. */
static int
table_lines(struct live *l, struct buf *frame, size_t cols)
{
	struct term term = l->w->ctx->term;
	struct buf text = BUF_INIT;
	size_t fit = rows_for_runs(l);
	scroll_to_selection(l, fit);
	term.width = cols > MARKER_COLS + 20 ? (int)(cols - MARKER_COLS) : 20;
	struct table *t = run_watch_table(l->w, l->top, fit);
	table_render(t, &term, &text);
	table_free(t);
	int lines = 0;
	for (const char *p = buf_str(&text); *p; lines++) {
		size_t len = strcspn(p, "\n");
		int row = lines - (TABLE_FRAME_LINES - 1);
		int selected = row >= 0 && l->top + (size_t)row == l->selected &&
			       l->selected < run_count(l);
		add_table_line(frame, p, len, selected, term.color);
		p += len + (p[len] == '\n');
	}
	buf_release(&text);
	return lines;
}

static void
draw(struct live *l)
{
	int color = l->w->ctx->term.color;
	size_t cols = (size_t)l->screen.cols;
	struct buf frame = BUF_INIT;
	run_watch_header(l->w, &frame, cols, color);
	status_line(l, &frame, cols, color);
	int lines = LINES_ABOVE + table_lines(l, &frame, cols);
	for (; lines < l->screen.rows - LINES_BELOW; lines++)
		buf_addc(&frame, '\n');
	add_line(&frame, keys_help, cols, STYLE_DIM, color);
	screen_draw(&l->screen, &frame);
	buf_release(&frame);
	l->dirty = 0;
}

/* The next key, redrawing on resizes meanwhile; SCREEN_KEY_NONE when a signal ends the wait. */
static int
wait_key(struct live *l)
{
	for (;;) {
		if (interrupt_requested())
			return SCREEN_KEY_NONE;
		if (screen_resized(&l->screen))
			draw(l);
		int key = screen_key(&l->screen, 1.0);
		if (key != SCREEN_KEY_NONE)
			return key;
	}
}

static void
cancel_selected(struct live *l)
{
	const json_t *run = selected_run(l);
	if (!run) {
		set_status(l, STYLE_DIM, "no run to cancel");
		return;
	}
	const char *name = json_str(run, "name") ? json_str(run, "name") : "?";
	set_status(l, STYLE_PROGRESS, "Cancel flow run '%s' (%s)? [y/N]", name, json_str(run, "id"));
	draw(l);
	int key = wait_key(l);
	if (key != 'y' && key != 'Y') {
		set_status(l, STYLE_DIM, "flow run '%s' not cancelled", name);
		return;
	}
	json_t *result = NULL;
	const char *said = NULL;
	struct error e = ERROR_INIT;
	if (run_cancel(server_watch_api(&l->w->watch, 0), run, &result, &said, &e) < 0)
		set_status(l, STYLE_FAILURE, "✗ %s", e.message);
	else
		set_status(l, STYLE_SUCCESS, "✓ flow run '%s': %s", name, said);
	json_decref(result);
	l->next_read = 0;
}

static int
is_back_key(int key)
{
	return key == 'q' || key == 'Q' || key == SCREEN_KEY_CTRL_C || key == SCREEN_KEY_ESC ||
	       key == SCREEN_KEY_EOF;
}

/* run_follow's stop hook: q, Ctrl-C or Esc pressed while the logs scroll. */
static int
back_pressed(void *userdata)
{
	struct live *l = userdata;
	for (int key; (key = screen_key(&l->screen, 0)) != SCREEN_KEY_NONE;)
		if (is_back_key(key))
			return 1;
	return 0;
}

/* Keep what is on the main screen (logs, an error) until the way back is taken. */
static void
wait_back(struct live *l)
{
	while (!interrupt_requested() && !is_back_key(screen_key(&l->screen, 1.0))) {
		/* nothing to do but wait */
	}
}

/* After the followed run ended: say how, and wait for the way back. */
static void
ended(struct live *l, const struct run_follow *f)
{
	struct cmd_ctx *ctx = l->w->ctx;
	struct buf line = BUF_INIT, label = BUF_INIT;
	const char *type = json_str(f->run, "state_type");
	state_label(&label, type, json_str(f->run, "state_name"));
	buf_adds(&line, "The run ended: ");
	style_add(&line, buf_str(&label), state_style(type), ctx->term.color);
	buf_adds(&line, " · q: back to the watch\n");
	cmd_print(ctx, &line);
	wait_back(l);
	buf_release(&label);
	buf_release(&line);
}

static void
follow_selected(struct live *l)
{
	struct cmd_ctx *ctx = l->w->ctx;
	const json_t *run = selected_run(l);
	if (!run) {
		set_status(l, STYLE_DIM, "no run to follow");
		return;
	}
	char *id = xstrdup(json_str(run, "id"));
	char *name = text_sanitize_dup(json_str(run, "name"), 1);
	struct buf line = BUF_INIT;
	screen_pause(&l->screen);
	buf_addf(&line, "Logs of flow run '%s' (%s) · q: back to the watch\n", name, id);
	cmd_print(ctx, &line);
	struct run_follow f = RUN_FOLLOW_INIT;
	struct error e = ERROR_INIT;
	f.show_logs = f.show_states = 1;
	f.stop = back_pressed;
	f.stop_userdata = l;
	int rc = run_follow(ctx, ctx->api, id, &f, &e);
	if (rc < 0)
		cmd_fail(ctx, &e);
	if (rc == 0 && !f.interrupted)
		ended(l, &f);
	else if (rc < 0)
		wait_back(l);
	run_follow_release(&f);
	screen_resume(&l->screen);
	buf_release(&line);
	free(name);
	free(id);
	l->next_read = 0;
	l->dirty = 1;
}

static void
move(struct live *l, long by)
{
	long to = (long)l->selected + by;
	select_run(l, to < 0 ? 0 : (size_t)to);
}

/* What a key does; returns an exit code to end with, or -1 to go on. */
static int
on_key(struct live *l, int key)
{
	long page = (long)(rows_for_runs(l) > 1 ? rows_for_runs(l) - 1 : 1);
	switch (key) {
	case 'q':
	case 'Q':
	case SCREEN_KEY_EOF:
		return EXIT_OK;
	case SCREEN_KEY_CTRL_C:
		return EXIT_INTERRUPTED;
	case SCREEN_KEY_UP:
	case 'k':
		move(l, -1);
		break;
	case SCREEN_KEY_DOWN:
	case 'j':
		move(l, 1);
		break;
	case SCREEN_KEY_PAGE_UP:
		move(l, -page);
		break;
	case SCREEN_KEY_PAGE_DOWN:
		move(l, page);
		break;
	case SCREEN_KEY_HOME:
		select_run(l, 0);
		break;
	case SCREEN_KEY_END:
		select_run(l, run_count(l) ? run_count(l) - 1 : 0);
		break;
	case 'f':
		set_status(l, STYLE_INFO, "state filter: %s", run_watch_next_filter(l->w));
		select_run(l, 0);
		l->next_read = 0;
		break;
	case 'r':
		l->next_read = 0;
		break;
	case 'c':
		cancel_selected(l);
		break;
	case 'l':
		follow_selected(l);
		break;
	default:
		break; /* keys the view has no use for */
	}
	return interrupt_requested() ? EXIT_INTERRUPTED : -1;
}

static int
loop(struct live *l, struct error *err)
{
	for (;;) {
		if (interrupt_requested())
			return EXIT_INTERRUPTED;
		if (isotime_now() >= l->next_read) {
			if (l->count && l->w->refreshes >= l->count)
				return EXIT_OK;
			if (run_watch_refresh(l->w, err) < 0)
				return -1;
			l->next_read = isotime_now() + (double)l->w->interval;
			keep_selection(l);
		}
		if (screen_resized(&l->screen) || l->dirty)
			draw(l);
		double wait = l->next_read - isotime_now();
		int key = screen_key(&l->screen, wait > 0 ? wait : 0);
		int rc = key == SCREEN_KEY_NONE ? -1 : on_key(l, key);
		if (rc >= 0)
			return rc;
	}
}

int
run_watch_screen(struct run_watch *w, long count, struct error *err)
{
	struct live l = { .w = w, .count = count, .status = BUF_INIT };
	struct cmd_ctx *ctx = w->ctx;
	fflush(ctx->out);
	if (screen_start(&l.screen, STDIN_FILENO, fileno(ctx->out)) < 0)
		return error_set(err, ERROR_IO, "cannot use the terminal for a live screen");
	w->watch.quiet = 1; /* the status line says when the server is away */
	l.next_read = isotime_now() + (double)w->interval;
	select_run(&l, 0);
	int rc = loop(&l, err);
	screen_stop(&l.screen);
	free(l.selected_id);
	buf_release(&l.status);
	return rc;
}
