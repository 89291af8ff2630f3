/* SIGINT and SIGTERM handling for commands that wait (see interrupt.h). */
#include "cli/interrupt.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"

/* The one piece of process-wide state: a signal can only reach us here. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	if (interrupted)
		_exit(128 + sig);
	interrupted = sig;
}

void
interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
interrupt_requested(void)
{
	return interrupted != 0;
}

int
interrupt_exit_code(int code)
{
	return code == EXIT_INTERRUPTED && interrupted == SIGTERM ? EXIT_TERMINATED : code;
}

int
interrupt_sleep(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - floor(seconds)) * 1e9) };
	while (!interrupted && nanosleep(&ts, &ts) < 0 && errno == EINTR) {
		/* resume the remainder unless interrupted */
	}
	return interrupted;
}
