/*
 * Ctrl-C while waiting: the first SIGINT sets a flag that waiting loops
 * check (they then stop, say how to pick up again, and exit 130); a second
 * one ends the program at once.
 */
#ifndef CLI_INTERRUPT_H
#define CLI_INTERRUPT_H

void interrupt_install(void);
int interrupt_requested(void);
/* Sleep up to seconds, returning early (nonzero) when interrupted. */
int interrupt_sleep(double seconds);

#endif
