/*
 * The bash, zsh and fish scripts of `mahavishnu completion`: each hands the
 * words typed to `mahavishnu completion --words -- WORDS...` and shows the
 * candidates it prints (":files" and ":dirs" ask the shell for paths).
 */
#ifndef CMD_COMPLETION_SCRIPTS_H
#define CMD_COMPLETION_SCRIPTS_H

/* The script for shell ("bash", "zsh", "fish"), or NULL. */
const char *completion_script(const char *shell);

#endif
