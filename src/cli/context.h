/*
 * The per-run command context: global options, terminal facts,
 * configuration and the API client, created for the command being run.
 */
#ifndef CLI_CONTEXT_H
#define CLI_CONTEXT_H

#include "cli/command.h"
#include "core/buf.h"

/* Run a command with its arguments; returns the exit code. */
int context_run(const struct cmd_entry *entry, int argc, char **argv);
/* Whether arg is a global option whose value is the next word. */
int context_global_takes_value(const char *arg);
/* Whether arg is a global option, -h/--help or --version (also as --name=VALUE). */
int context_global_known(const char *arg);
/* The long form of a global option given before the command ("-o" -> "--output"),
 * so that a command's own letters cannot capture it; other words are returned as is. */
const char *context_global_long_form(const char *arg);
/* Append the global options' help. */
void context_global_help(struct buf *out);
/* Whether messages on stderr may be coloured (before options are parsed). */
int context_stderr_color(void);

#endif
