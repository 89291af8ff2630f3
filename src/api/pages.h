/*
 * Lists past the server's 200-row cap: a limit/offset filter endpoint
 * ("/flow_runs/filter", ...) read page by page, the pages handed over in
 * order as they arrive so that a caller can print them and let them go. A
 * list longer than one page is fetched a few pages at a time, each page on a
 * connection of its own that is kept for the next.
 */
#ifndef API_PAGES_H
#define API_PAGES_H

#include <jansson.h>

#include "api/client.h"
#include "api/pages.h"

/* Pages in flight at once by default: what a local server on SQLite serves fastest. */
#define API_PAGES_IN_FLIGHT 4

/*
 * Take one page of rows (the callee may keep it with json_incref). Return 0
 * for more, 1 when it has enough, -1 with err to stop with that error.
 */
typedef int (*api_page_fn)(json_t *rows, void *userdata, struct error *err);

struct api_pages {
	const char *path;       /* e.g. "/flow_runs/filter" */
	const json_t *filter;   /* borrowed; "limit" and "offset" are added per page */
	size_t rows_wanted;     /* the most rows handed over; 0: all */
	const char *unique_key; /* rows whose string at this key was handed over before are
				  * dropped (NULL: none are), so rows that moved to a later page
				  * while the list was read are not seen twice */
	unsigned in_flight;     /* pages fetched at once (0: API_PAGES_IN_FLIGHT; 1: one by one
				  * on the caller's connection, none bigger than still wanted) */
	/*
	 * May be NULL: called in the worker that fetched a page after the first,
	 * with its answer's bytes, to look up ahead what handing the page over
	 * will need (the names of what its rows refer to).
	 */
	void (*prepare)(struct api *api, const struct buf *raw, void *userdata);
	api_page_fn on_page;
	void *userdata;
};

/*
 * Hand every page to p->on_page in order (the last one cut to rows_wanted),
 * until a page is short (the list is over), rows_wanted rows were handed
 * over, or on_page has enough. Rows dropped as seen before are made up from
 * the pages after. A server with a smaller page cap ("less than or equal to
 * N") is followed.
 */
int api_list_pages(struct api *api, const struct api_pages *p, struct error *err);

/*
 * The rows of the whole list whose "id" starts with prefix (any case), into
 * *out (a new array): a scan of every page, keeping only what matches.
 */
int api_find_prefix(struct api *api, const char *path, const json_t *filter, const char *prefix,
		    json_t **out, struct error *err);

/* Up to limit rows (0: all) of path into *out, a new JSON array, one page after another. */
int api_list(struct api *api, const char *path, const json_t *filter, size_t limit, json_t **out,
	     struct error *err);

#endif
