/*
 * mahavishnu: a fast command-line client for the Prefect workflow
 * orchestrator. main() is the only place that exits: it runs the command and
 * then makes sure everything written to stdout actually got there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli/dispatch.h"
#include "core/error.h"

int
main(int argc, char **argv)
{
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	int rc = dispatch_main(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("mahavishnu: write error on standard output\n", stderr);
		if (rc == EXIT_OK)
			rc = EXIT_ERROR;
	}
	return rc;
}
