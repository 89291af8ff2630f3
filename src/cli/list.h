/*
 * How every list command shows its rows: with -o json the items as one JSON
 * array, else a table titled "<Title> (N)". The command says how one item
 * becomes a row (and, when it differs from the server's object, a JSON
 * object); the printing, the count and the choice of format are here.
 */
#ifndef CLI_LIST_H
#define CLI_LIST_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/table.h"

struct list_view {
	const char *title; /* "Flow Runs" */
	void (*columns)(struct table *t);
	void (*row)(struct table *t, const json_t *item, void *data);
	json_t *(*json)(const json_t *item, void *data); /* NULL: the item as it is */
	void *data;                                      /* passed to row and json */
};

/* Print items (a JSON array) as v says; returns EXIT_OK. */
int cmd_print_list(struct cmd_ctx *ctx, const struct list_view *v, const json_t *items);

#endif
