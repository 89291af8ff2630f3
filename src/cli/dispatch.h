/*
 * From argv to a command: walks the words through the command groups, lists
 * a group's commands when the words stop at a group, suggests the nearest
 * word for a typo, and runs the command with the remaining arguments.
 */
#ifndef CLI_DISPATCH_H
#define CLI_DISPATCH_H

/* Run the program; returns the exit code. */
int dispatch_main(int argc, char **argv);

/* The text `mahavishnu [GROUP] --help` prints; the caller frees it. */
char *dispatch_group_help(const char *group_path);

#endif
