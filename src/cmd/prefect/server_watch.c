/* The server as a waiter sees it: away, back (see server_watch.h). */
#include "cmd/prefect/server_watch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/isotime.h"
#include "ui/timefmt.h"

/*
 * A poll answers in milliseconds; one that takes this long (or the
 * configured 'timeout', when shorter) is given up and made again at the
 * next tick, so a stalled server holds a waiter no longer than that.
 */
#define POLL_REQUEST_MAX_SECONDS 10
/* A server answering 5xx (Prefect on a busy SQLite says 503) is called lost after this long. */
#define AWAY_QUIET_SECONDS 5.0

void
server_watch_init(struct server_watch *w, struct cmd_ctx *ctx, struct api *api,
		  void (*clear)(void *), void *clear_userdata)
{
	long configured = config_get_long(&ctx->config, CFG_TIMEOUT);
	*w = (struct server_watch){
		.ctx = ctx, .base = api, .clear = clear, .clear_userdata = clear_userdata
	};
	w->request_s = configured > 0 && configured < POLL_REQUEST_MAX_SECONDS ?
			       configured :
			       POLL_REQUEST_MAX_SECONDS;
}

void
server_watch_release(struct server_watch *w)
{
	api_close(w->poll);
	w->poll = NULL;
}

struct api *
server_watch_api(struct server_watch *w, double remaining)
{
	long limit = w->request_s;
	if (remaining > 0) {
		long left = (long)ceil(remaining) + 1;
		limit = left < limit ? left : limit;
	}
	if (w->poll && limit >= w->request_s)
		return w->poll;
	/* a fresh client: the limit is set before its first request (api_hurry) */
	api_close(w->poll);
	w->poll = api_clone(w->base);
	api_hurry(w->poll, limit);
	w->request_s = limit;
	return w->poll;
}

/* What the failure was, without the "cannot reach the Prefect API at URL: " it starts with. */
static void
note_why(struct server_watch *w, const struct error *err)
{
	const char *url = api_display_url(w->base);
	const char *at = strstr(err->message, url);
	const char *why = err->message;
	if (at && !strncmp(at + strlen(url), ": ", 2))
		why = at + strlen(url) + 2;
	snprintf(w->why, sizeof(w->why), "%s", why);
}

static void
clear(struct server_watch *w)
{
	if (w->clear)
		w->clear(w->clear_userdata);
}

int
server_watch_failed(struct server_watch *w, const struct error *err, const char *what)
{
	if (!error_server_away(err))
		return 0;
	double now = isotime_now();
	if (!w->away_since)
		w->away_since = now;
	note_why(w, err);
	if (!w->said && !w->quiet &&
	    (error_is_network(err) || now - w->away_since >= AWAY_QUIET_SECONDS)) {
		clear(w);
		cmd_warn(w->ctx,
			 "lost the Prefect API at %s (%s); still waiting for %s (Ctrl-C to stop)",
			 api_display_url(w->base), w->why, what);
		w->said = 1;
	}
	return 1;
}

void
server_watch_ok(struct server_watch *w, const char *what)
{
	if (w->said) {
		struct buf line = BUF_INIT;
		clear(w);
		buf_addf(&line, "mahavishnu: the Prefect API at %s answers again after ",
			 api_display_url(w->base));
		timefmt_duration(&line, isotime_now() - w->away_since);
		buf_addf(&line, "; still waiting for %s\n", what);
		cmd_print_err(w->ctx, &line);
		buf_release(&line);
	}
	w->away_since = 0;
	w->said = 0;
}

int
server_watch_away(const struct server_watch *w)
{
	return w->away_since != 0;
}

void
server_watch_away_text(const struct server_watch *w, struct buf *out)
{
	if (!w->away_since)
		return;
	buf_addf(out, " with the Prefect API at %s not answering for ", api_display_url(w->base));
	timefmt_duration(out, isotime_now() - w->away_since);
	buf_addf(out, " (%s)", w->why);
}
