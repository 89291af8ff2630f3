/*
 * Detached program start (see spawn.h). A close-on-exec pipe tells the
 * parent whether exec succeeded: it reads EOF on success, errno otherwise.
 */
#include "core/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void
child(char *const argv[], int report)
{
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	setsid();
	execvp(argv[0], argv);
	int e = errno;
	if (write(report, &e, sizeof(e)) < 0) {
		/* the parent sees EOF and cannot tell; nothing else to do */
	}
	_exit(127);
}

int
spawn_detached(char *const argv[], struct error *err)
{
	int fds[2], e = 0;
	if (pipe(fds) < 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0)
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(errno));
	}
	if (pid == 0)
		child(argv, fds[1]);
	close(fds[1]);
	ssize_t n = read(fds[0], &e, sizeof(e));
	close(fds[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(e));
	}
	return 0;
}
