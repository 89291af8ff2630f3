/*
 * What a command accepts, read from the command itself: its exec runs with
 * ctx->describe set, so cmd_parse() hands over the option table it was
 * given and returns before parsing anything. Shell completions (and the
 * man pages) are generated from this, so they cannot drift from the options
 * the command really parses.
 */
#ifndef CLI_INTROSPECT_H
#define CLI_INTROSPECT_H

#include <stddef.h>

#include "cli/command.h"
#include "core/strlist.h"

/* One option or positional argument, copied out of the command's table. */
struct opt_info {
	enum opt_type type;
	char short_name;
	char *long_name;  /* without "--"; for OPT_ARG the placeholder ("FLOW") */
	char *value_name; /* "NAME", or NULL */
	char *help;
	unsigned flags;         /* OPT_REQUIRED, OPT_HIDDEN */
	struct strlist choices; /* OPT_CHOICE's values */
};

struct cmd_info {
	const struct cmd_entry *entry;
	struct opt_info *opts; /* the command's own, in table order */
	size_t len;
	struct opt_info *globals; /* the options every command takes */
	size_t globals_len;
	int described; /* 0: the command never reached cmd_parse() */
};

/* Read entry's options into info; 0, or -1 when its exec did not describe them. */
int cmd_describe(const struct cmd_entry *entry, struct cmd_info *info);
void cmd_info_release(struct cmd_info *info);

/* The option --NAME (or -N when name is one letter long) of info, globals included, or NULL. */
const struct opt_info *cmd_info_option(const struct cmd_info *info, const char *name);

#endif
