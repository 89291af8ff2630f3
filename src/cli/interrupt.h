/*
 * Ctrl-C (or SIGTERM) while waiting or creating: the first signal sets a
 * flag that the loops check (they then stop, say what was done and how to
 * pick up again, and exit 130, or 143 for SIGTERM); a second one ends the
 * program at once.
 */
#ifndef CLI_INTERRUPT_H
#define CLI_INTERRUPT_H

void interrupt_install(void);
int interrupt_requested(void);
/* code, made EXIT_TERMINATED (143) when it is EXIT_INTERRUPTED and the signal was SIGTERM. */
int interrupt_exit_code(int code);
/* Sleep up to seconds, returning early (nonzero) when interrupted. */
int interrupt_sleep(double seconds);

#endif
