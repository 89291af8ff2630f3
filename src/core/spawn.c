/*
 * Background program start (see spawn.h). A close-on-exec pipe tells the
 * parent whether exec succeeded: it reads EOF on success, errno otherwise.
 */
#include "core/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
child(char *const argv[], char *const env_add[], int out_fd, int report)
{
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	setsid();
	for (size_t i = 0; env_add && env_add[i]; i++)
		putenv(env_add[i]);
	execvp(argv[0], argv);
	int e = errno;
	if (write(report, &e, sizeof(e)) < 0) {
		/* the parent then only sees the child exit */
	}
	_exit(127);
}

int
spawn_process(char *const argv[], char *const env_add[], int out_fd, pid_t *pid, struct error *err)
{
	int fds[2], e = 0;
	if (pipe(fds) < 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0)
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(errno));
	*pid = fork();
	if (*pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(errno));
	}
	if (*pid == 0)
		child(argv, env_add, out_fd, fds[1]);
	close(fds[1]);
	ssize_t n = read(fds[0], &e, sizeof(e));
	close(fds[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(*pid, NULL, 0);
		return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(e));
	}
	return 0;
}

int
spawn_detached(char *const argv[], struct error *err)
{
	pid_t pid;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		return error_set(err, ERROR_IO, "cannot open /dev/null: %s", strerror(errno));
	int rc = spawn_process(argv, NULL, null, &pid, err);
	close(null);
	return rc;
}

int
spawn_program_exists(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	const char *path = getenv("PATH");
	char candidate[4096];
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)n, n ? p : ".", name);
		if (access(candidate, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

int
spawn_run_quiet(char *const argv[])
{
	pid_t pid;
	struct error err = ERROR_INIT;
	int status;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		return -1;
	int rc = spawn_process(argv, NULL, null, &pid, &err);
	close(null);
	if (rc < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
spawn_replace(char *const argv[], struct error *err)
{
	fflush(NULL);
	execvp(argv[0], argv);
	return error_set(err, ERROR_IO, "cannot start '%s': %s", argv[0], strerror(errno));
}
