/*
 * flow-runs watch on a terminal: the runs as a live table on the alternate
 * screen (ui/screen.h), redrawn in place at every refresh and window
 * resize, with keys: Up/Down (k/j), Page Up/Down, Home/End select a run;
 * l follows its logs (run_follow.h) on the main screen until it ends or q
 * or Ctrl-C is pressed; c cancels it (run_cancel.h) after a y/n question;
 * f changes the state filter; r reads the runs now; q (or Ctrl-C) quits.
 * A server away keeps the last table, with a line saying since when.
 */
#ifndef CMD_PREFECT_RUN_WATCH_SCREEN_H
#define CMD_PREFECT_RUN_WATCH_SCREEN_H

#include "cmd/prefect/run_watch.h"

/*
 * Show w (already read once) until q, Ctrl-C, SIGTERM or SIGINT, or after
 * count refreshes (0: no limit; the last table stays an interval). Returns
 * EXIT_OK, EXIT_INTERRUPTED, or -1 with err; the terminal is put back in
 * every case.
 */
int run_watch_screen(struct run_watch *w, long count, struct error *err);

#endif
