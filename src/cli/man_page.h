/*
 * Man pages in roff, made from the command table, the commands' help texts
 * and their option tables (introspect.h), so that they cannot drift from
 * what the program does: mahavishnu(1) lists the command groups, the global
 * options, exit status, environment and files; one page per group
 * (mahavishnu-prefect-flow(1)) describes each of its commands. The build
 * writes them with tools/gen_docs.c; `mahavishnu help COMMAND` opens them.
 */
#ifndef CLI_MAN_PAGE_H
#define CLI_MAN_PAGE_H

#include "core/buf.h"
#include "core/strlist.h"

/* Every page, by path: "" (mahavishnu(1)), then "config", "prefect", "prefect flow", ... */
void man_page_paths(struct strlist *out);
/* "mahavishnu-prefect-flow" for "prefect flow", "mahavishnu" for ""; the caller frees it. */
char *man_page_name(const char *page);
/* The page a command or group is described on ("prefect flow" for "prefect flow list"). */
char *man_page_of(const char *path);
/* Append the page in roff. */
void man_page_write(struct buf *out, const char *page);

#endif
