/*
 * Graphviz's `dot` as a filter (see graphviz.h): DOT text goes to its
 * standard input while its standard output and error are read, all through
 * pipes watched with poll(), so neither side can block the other. SIGPIPE
 * is held back while writing, in case `dot` exits before reading it all.
 */
#include "graph/graphviz.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

extern char **environ;

/* Of `dot`'s standard error, this much is kept for the error message. */
#define MAX_ERROR_TEXT 4096

/* fd[0]: dot's standard input (we write); fd[1], fd[2]: its output and errors. */
struct dot_child {
	pid_t pid;
	int fd[3];
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
make_pipes(int pipes[3][2])
{
	for (int i = 0; i < 3; i++) {
		if (pipe(pipes[i]) < 0) {
			while (i--) {
				close(pipes[i][0]);
				close(pipes[i][1]);
			}
			return -1;
		}
		fcntl(pipes[i][0], F_SETFD, FD_CLOEXEC);
		fcntl(pipes[i][1], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static int
spawn_failed(int rc, struct error *err)
{
	if (rc != ENOENT)
		return error_set(err, ERROR_INVALID, "cannot run Graphviz's 'dot': %s",
				 strerror(rc));
	return error_set(err, ERROR_NOT_FOUND,
			 "Graphviz is not installed: no 'dot' program on PATH");
}

static int
start_dot(struct dot_child *c, const char *format, struct error *err)
{
	int pipes[3][2];
	char *type = xasprintf("-T%s", format);
	char *argv[] = { (char *)"dot", type, NULL };
	posix_spawn_file_actions_t actions;
	if (make_pipes(pipes) < 0) {
		free(type);
		return error_set(err, ERROR_IO, "cannot run Graphviz's 'dot': %s", strerror(errno));
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, pipes[0][0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&actions, pipes[1][1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&actions, pipes[2][1], STDERR_FILENO);
	int rc = posix_spawnp(&c->pid, "dot", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	free(type);
	close(pipes[0][0]);
	close(pipes[1][1]);
	close(pipes[2][1]);
	c->fd[0] = pipes[0][1];
	c->fd[1] = pipes[1][0];
	c->fd[2] = pipes[2][0];
	if (rc != 0) {
		for (int i = 0; i < 3; i++)
			close_fd(&c->fd[i]);
		return spawn_failed(rc, err);
	}
	fcntl(c->fd[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* Write what dot takes now; close its input when all is sent or it is gone. */
static void
feed(struct dot_child *c, const char *data, size_t len, size_t *sent)
{
	ssize_t n = write(c->fd[0], data + *sent, len - *sent);
	if (n > 0)
		*sent += (size_t)n;
	if (*sent == len || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(&c->fd[0]);
}

static void
drain(int *fd, struct buf *into, size_t cap)
{
	char chunk[8192];
	ssize_t n = read(*fd, chunk, sizeof(chunk));
	if (n > 0 && (!cap || into->len < cap))
		buf_add(into, chunk, (size_t)n);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(fd);
}

static void
pump(struct dot_child *c, const char *data, size_t len, struct buf *out, struct buf *errors)
{
	size_t sent = 0;
	if (!len)
		close_fd(&c->fd[0]);
	while (c->fd[1] >= 0 || c->fd[2] >= 0) {
		struct pollfd p[3] = { { c->fd[0], POLLOUT, 0 },
				       { c->fd[1], POLLIN, 0 },
				       { c->fd[2], POLLIN, 0 } };
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			feed(c, data, len, &sent);
		if (p[1].revents)
			drain(&c->fd[1], out, 0);
		if (p[2].revents)
			drain(&c->fd[2], errors, MAX_ERROR_TEXT);
	}
	for (int i = 0; i < 3; i++)
		close_fd(&c->fd[i]);
}

/* "dot ... failed: <its first line>". */
static int
dot_failed(int status, const struct buf *errors, struct error *err)
{
	const char *text = buf_str(errors);
	size_t line = strcspn(text, "\n");
	if (WIFSIGNALED(status))
		return error_set(err, ERROR_INVALID, "Graphviz's 'dot' was killed by signal %d",
				 WTERMSIG(status));
	if (!line)
		return error_set(err, ERROR_INVALID, "Graphviz's 'dot' failed (exit status %d)",
				 WEXITSTATUS(status));
	return error_set(err, ERROR_INVALID, "Graphviz's 'dot' failed: %.*s", (int)line, text);
}

int
graphviz_render(const char *dot_text, size_t len, const char *format, struct buf *out,
		struct error *err)
{
	struct dot_child c = { 0, { -1, -1, -1 } };
	struct buf errors = BUF_INIT;
	sigset_t pipe_set, saved;
	int status = 0, rc = 0;
	if (start_dot(&c, format, err) < 0)
		return -1;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &saved);
	pump(&c, dot_text, len, out, &errors);
	while (sigtimedwait(&pipe_set, NULL, &(struct timespec){ 0, 0 }) == SIGPIPE)
		;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = dot_failed(status, &errors, err);
	buf_release(&errors);
	return rc;
}

int
graph_save(const char *path, const char *data, size_t len, struct error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	size_t done = 0;
	if (fd < 0)
		return error_set(err, ERROR_IO, "cannot write '%s': %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return error_set(err, ERROR_IO, "cannot write '%s': %s", path, strerror(e));
		}
		done += (size_t)n;
	}
	if (close(fd) < 0)
		return error_set(err, ERROR_IO, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}
