/*
 * Unit tests for ui/screen.c on a pseudo-terminal: the raw mode and the
 * alternate screen taken and put back exactly, a frame drawn as the bytes
 * that overwrite the old one, keys decoded from what terminals send, and
 * window resizes noticed.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ui/screen.h"

struct pty {
	int master, slave;
};

static void
open_pty(struct pty *p, unsigned short rows, unsigned short cols)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	char *name;
	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(p->master >= 0);
	assert_int_equal(grantpt(p->master), 0);
	assert_int_equal(unlockpt(p->master), 0);
	assert_non_null(name = ptsname(p->master));
	p->slave = open(name, O_RDWR | O_NOCTTY);
	assert_true(p->slave >= 0);
	assert_int_equal(ioctl(p->slave, TIOCSWINSZ, &ws), 0);
}

static void
close_pty(struct pty *p)
{
	close(p->slave);
	close(p->master);
}

/* Everything the program wrote to the terminal so far (NUL-terminated, static). */
static const char *
drain(const struct pty *p)
{
	static char text[8192];
	size_t len = 0;
	struct pollfd pfd = { .fd = p->master, .events = POLLIN };
	while (len < sizeof(text) - 1 && poll(&pfd, 1, 50) > 0) {
		ssize_t n = read(p->master, text + len, sizeof(text) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	return text;
}

static void
type(const struct pty *p, const char *bytes)
{
	assert_int_equal(write(p->master, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
}

static void
test_start_and_stop_put_everything_back(void **state)
{
	struct pty p;
	struct screen s;
	struct termios before, during, after;
	(void)state;
	open_pty(&p, 24, 80);
	assert_int_equal(tcgetattr(p.slave, &before), 0);
	assert_int_equal(screen_start(&s, p.slave, p.slave), 0);
	assert_int_equal(s.rows, 24);
	assert_int_equal(s.cols, 80);
	assert_int_equal(tcgetattr(p.slave, &during), 0);
	assert_int_equal(during.c_lflag & (ICANON | ECHO | ISIG), 0);
	assert_true(during.c_oflag & OPOST); /* "\n" still starts a line while paused */
	const char *out = drain(&p);
	assert_non_null(strstr(out, "\033[?1049h")); /* the alternate screen */
	assert_non_null(strstr(out, "\033[?25l"));   /* the cursor hidden */

	screen_pause(&s);
	out = drain(&p);
	assert_non_null(strstr(out, "\033[?25h\033[?1049l"));
	assert_int_equal(tcgetattr(p.slave, &during), 0);
	assert_int_equal(during.c_lflag & ICANON, 0); /* keys stay raw while paused */
	screen_resume(&s);
	assert_non_null(strstr(drain(&p), "\033[?1049h"));

	screen_stop(&s);
	out = drain(&p);
	assert_non_null(strstr(out, "\033[?25h\033[?1049l"));
	assert_int_equal(tcgetattr(p.slave, &after), 0);
	assert_memory_equal(&after.c_lflag, &before.c_lflag, sizeof(before.c_lflag));
	assert_memory_equal(&after.c_iflag, &before.c_iflag, sizeof(before.c_iflag));
	assert_memory_equal(after.c_cc, before.c_cc, sizeof(before.c_cc));
	screen_stop(&s); /* twice is harmless: nothing more is written */
	assert_string_equal(drain(&p), "");
	close_pty(&p);
}

static void
test_not_a_terminal_changes_nothing(void **state)
{
	int fds[2];
	struct screen s;
	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(screen_start(&s, fds[0], fds[1]), -1);
	close(fds[1]);
	char c;
	assert_int_equal(read(fds[0], &c, 1), 0); /* nothing was written */
	close(fds[0]);
}

static void
test_a_frame_overwrites_the_last_one(void **state)
{
	struct pty p;
	struct screen s;
	struct buf frame = BUF_INIT;
	(void)state;
	open_pty(&p, 4, 10);
	assert_int_equal(screen_start(&s, p.slave, p.slave), 0);
	drain(&p);
	/* a short line is cleared to its end; a full one (colour not counted) is not */
	buf_adds(&frame, "ab\n\033[31m0123456789\033[0m\n");
	screen_draw(&s, &frame);
	assert_string_equal(drain(&p), "\033[1;1Hab\033[0m\033[K"
				       "\033[2;1H\033[31m0123456789\033[0m\033[0m"
				       "\033[3;1H\033[J");
	/* lines past the last row are not drawn (the screen would scroll) */
	buf_reset(&frame);
	buf_adds(&frame, "1\n2\n3\n4\n5\n");
	screen_draw(&s, &frame);
	const char *out = drain(&p);
	assert_non_null(strstr(out, "\033[4;1H4\033[0m\033[K"));
	assert_null(strstr(out, "5"));
	assert_null(strstr(out, "\033[J"));
	buf_release(&frame);
	screen_stop(&s);
	close_pty(&p);
}

static void
test_keys_are_decoded(void **state)
{
	static const struct {
		const char *bytes;
		int key;
	} cases[] = {
		{ "q", 'q' },
		{ "\003", SCREEN_KEY_CTRL_C },
		{ "\r", SCREEN_KEY_ENTER },
		{ "\033[A", SCREEN_KEY_UP },
		{ "\033[B", SCREEN_KEY_DOWN },
		{ "\033OA", SCREEN_KEY_UP }, /* application cursor mode */
		{ "\033[1;5B", SCREEN_KEY_DOWN },
		{ "\033[5~", SCREEN_KEY_PAGE_UP },
		{ "\033[6~", SCREEN_KEY_PAGE_DOWN },
		{ "\033[H", SCREEN_KEY_HOME },
		{ "\033[4~", SCREEN_KEY_END },
		{ "\033[15~", SCREEN_KEY_NONE }, /* F5: read and dropped */
		{ "\033", SCREEN_KEY_ESC },
	};
	struct pty p;
	struct screen s;
	(void)state;
	open_pty(&p, 24, 80);
	assert_int_equal(screen_start(&s, p.slave, p.slave), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		type(&p, cases[i].bytes);
		assert_int_equal(screen_key(&s, 1.0), cases[i].key);
		assert_int_equal(s.npending, 0);
	}
	/* keys typed together come one at a time */
	type(&p, "j\033[Ak");
	assert_int_equal(screen_key(&s, 1.0), 'j');
	assert_int_equal(screen_key(&s, 1.0), SCREEN_KEY_UP);
	assert_int_equal(screen_key(&s, 1.0), 'k');
	/* nothing typed: the wait ends at the timeout */
	assert_int_equal(screen_key(&s, 0.05), SCREEN_KEY_NONE);
	screen_stop(&s);
	close_pty(&p);
}

static void
test_a_resize_is_noticed(void **state)
{
	struct pty p;
	struct screen s;
	struct winsize ws = { .ws_row = 20, .ws_col = 70 };
	(void)state;
	open_pty(&p, 24, 80);
	assert_int_equal(screen_start(&s, p.slave, p.slave), 0);
	assert_int_equal(screen_resized(&s), 0);
	assert_int_equal(ioctl(p.slave, TIOCSWINSZ, &ws), 0);
	raise(SIGWINCH);
	assert_int_equal(screen_key(&s, 0), SCREEN_KEY_NONE);
	assert_int_equal(screen_resized(&s), 1);
	assert_int_equal(s.rows, 20);
	assert_int_equal(s.cols, 70);
	assert_int_equal(screen_resized(&s), 0);
	screen_stop(&s);
	close_pty(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_and_stop_put_everything_back),
		cmocka_unit_test(test_not_a_terminal_changes_nothing),
		cmocka_unit_test(test_a_frame_overwrites_the_last_one),
		cmocka_unit_test(test_keys_are_decoded),
		cmocka_unit_test(test_a_resize_is_noticed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
