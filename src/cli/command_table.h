/* The list of every command and the descriptions of command groups. */
#ifndef CLI_COMMAND_TABLE_H
#define CLI_COMMAND_TABLE_H

#include <stddef.h>

#include "cli/command.h"

struct cmd_group {
	const char *path; /* "prefect flow" */
	const char *summary;
};

extern const struct cmd_entry *const command_table[];
extern const size_t command_table_len;
extern const struct cmd_group command_groups[];
extern const size_t command_groups_len;

#endif
