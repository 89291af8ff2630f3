/*
 * How every list command shows its rows, as they arrive a page at a time:
 *   -o json   one JSON array, written an element at a time
 *   -o jsonl  one object per line, flushed with every page
 *   -o yaml   one YAML sequence ("- " an item; [] when empty), written a page at a time
 *   table     "<Title> (N)" boxed; the first LIST_TABLE_WINDOW rows are held
 *             to measure the columns (and the shortest unique ID prefixes),
 *             later rows are drawn as they come in those widths
 * A list cut by --limit says so: the title reads "N of M" and a hint on
 * stderr names --limit (JSON stays a plain array). The command says how one
 * item becomes a row, and a JSON object when it differs from the server's.
 */
#ifndef CLI_LIST_H
#define CLI_LIST_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/table.h"

/* Rows a table holds before its widths are fixed and it is drawn as it comes. */
#define LIST_TABLE_WINDOW 500
/* What --limit is when not given. */
#define LIST_DEFAULT_LIMIT 50

/* --limit N and --all, for a list of what ("runs"); *limit 0 means all. */
/* clang-format off */
#define LIST_LIMIT_OPTIONS(limit, all, what)                                                   \
	OPT_NUM('l', "limit", limit, "N", "Most " what " to show (default 50; 0: all of them)", \
		0, 1000000000),                                                                \
	OPT_FLAG(0, "all", all, "Show all " what ", as --limit 0")
/* clang-format on */

struct list_view {
	const char *title; /* "Flow Runs" */
	const char *noun;  /* "flow runs", for the hint */
	void (*columns)(struct table *t);
	void (*row)(struct table *t, const json_t *item, void *data);
	json_t *(*json)(const json_t *item, void *data); /* NULL: the item as it is */
	void *data;                                      /* passed to row and json */
};

struct list_out;

/* Start printing a list as v says. */
struct list_out *list_start(struct cmd_ctx *ctx, const struct list_view *v);
/* How many items the list has in all (the server's count), when it is known. */
void list_total(struct list_out *l, long total);
/* Print (or, for a table's first window, hold) the items of one page. */
void list_add(struct list_out *l, const json_t *items);
/* End the list, saying when fewer items were shown than it has; frees l; EXIT_OK. */
int list_finish(struct list_out *l);

/* The rows a --limit/--all pair asks for: 0 for all. */
size_t list_limit(long limit, int all);

/* How many items the whole list has, asked of the server. */
typedef int (*list_count_fn)(void *userdata, long *out, struct error *err);
/*
 * list_add for a page of a list read with limit (0: all): when the first
 * page is full the list may be longer than what is shown, so count (with
 * userdata) asks the server how long it is, for the title and the hint.
 */
int list_add_page(struct list_out *l, const json_t *items, size_t limit, list_count_fn count,
		  void *userdata, struct error *err);
/* End a list that failed: what was printed stays as it is; frees l. */
void list_abort(struct list_out *l);

/*
 * Print doc (the -o json, jsonl or yaml output) with one more member, key,
 * an array of count items made by item(i) and written per_write at a time,
 * so that a long array is never held whole; returns EXIT_OK.
 */
int cmd_print_json_with_list(struct cmd_ctx *ctx, const json_t *doc, const char *key, size_t count,
			     size_t per_write, json_t *(*item)(size_t i, void *), void *userdata);

/* Print a whole list (items, a JSON array) at once; returns EXIT_OK. */
int cmd_print_list(struct cmd_ctx *ctx, const struct list_view *v, const json_t *items);

#endif
