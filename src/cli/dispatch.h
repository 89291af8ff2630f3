/*
 * From argv to a command: walks the words through the command groups, lists
 * a group's commands when the words stop at a group, suggests the nearest
 * word for a typo, and runs the command with the remaining arguments.
 */
#ifndef CLI_DISPATCH_H
#define CLI_DISPATCH_H

#include "cli/command.h"
#include "core/strlist.h"

/* Run the program; returns the exit code. */
int dispatch_main(int argc, char **argv);

/* The text `mahavishnu [GROUP] --help` prints; the caller frees it. */
char *dispatch_group_help(const char *group_path);

/* The command whose path is path ("prefect flow list"), or NULL. */
const struct cmd_entry *dispatch_find(const char *path);
/* The words that may follow group ("" for the top), in table order, once each. */
void dispatch_children(const char *group, struct strlist *words);
/* The one-line summary of a command or group, or NULL. */
const char *dispatch_summary(const char *path);

#endif
