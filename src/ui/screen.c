/* The full-screen live view: terminal modes, frames and keys (see screen.h). */
#include "ui/screen.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/text.h"

#define ENTER_ALTERNATE "\033[?1049h\033[?25l\033[0m\033[H\033[2J"
#define LEAVE_ALTERNATE "\033[0m\033[?25h\033[?1049l"
/* How long the rest of an escape sequence may take to arrive after its ESC. */
#define ESCAPE_WAIT_MS 30

/* The one piece of process-wide state: SIGWINCH can only reach us here. */
static volatile sig_atomic_t window_changed;
static struct sigaction previous_winch;

static void
on_winch(int sig)
{
	(void)sig;
	window_changed = 1;
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the terminal is gone: nothing left to draw on */
		p += w;
		n -= (size_t)w;
	}
}

static void
write_text(const struct screen *s, const char *text)
{
	write_all(s->out, text, strlen(text));
}

static void
measure(struct screen *s)
{
	struct winsize ws;
	s->rows = 24;
	s->cols = 80;
	if (ioctl(s->out, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		s->rows = ws.ws_row;
		s->cols = ws.ws_col;
	}
}

int
screen_start(struct screen *s, int in, int out)
{
	*s = (struct screen){ .in = in, .out = out };
	if (!isatty(out) || tcgetattr(in, &s->saved) < 0)
		return -1;
	struct termios raw = s->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSAFLUSH, &raw) < 0)
		return -1;
	s->raw = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch; /* no SA_RESTART: a resize ends screen_key's wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, &previous_winch);
	window_changed = 0;
	measure(s);
	screen_resume(s);
	return 0;
}

void
screen_pause(struct screen *s)
{
	if (s->shown)
		write_text(s, LEAVE_ALTERNATE);
	s->shown = 0;
}

void
screen_resume(struct screen *s)
{
	if (!s->shown)
		write_text(s, ENTER_ALTERNATE);
	s->shown = 1;
	measure(s); /* the window may have changed while paused */
}

void
screen_stop(struct screen *s)
{
	screen_pause(s);
	if (s->raw) {
		tcsetattr(s->in, TCSAFLUSH, &s->saved);
		sigaction(SIGWINCH, &previous_winch, NULL);
	}
	s->raw = 0;
}

int
screen_resized(struct screen *s)
{
	if (!window_changed)
		return 0;
	window_changed = 0;
	measure(s);
	return 1;
}

/* Columns a line of the frame takes, its SGR sequences not counted. */
static size_t
visible_width(const char *line, size_t len)
{
	struct buf plain = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\033' && i + 1 < len && line[i + 1] == '[') {
			for (i += 2; i < len && !(line[i] >= 0x40 && line[i] <= 0x7e); i++) {
				/* parameters of the sequence */
			}
			continue;
		}
		buf_addc(&plain, line[i]);
	}
	size_t w = text_width(buf_str(&plain));
	buf_release(&plain);
	return w;
}

void
screen_draw(struct screen *s, const struct buf *frame)
{
	struct buf out = BUF_INIT;
	const char *p = buf_str(frame);
	int row = 0;
	for (; *p && row < s->rows; row++) {
		size_t len = strcspn(p, "\n");
		buf_addf(&out, "\033[%d;1H", row + 1);
		buf_add(&out, p, len);
		buf_adds(&out, "\033[0m");
		if (visible_width(p, len) < (size_t)s->cols)
			buf_adds(&out, "\033[K");
		p += len + (p[len] == '\n');
	}
	if (row < s->rows)
		buf_addf(&out, "\033[%d;1H\033[J", row + 1);
	write_all(s->out, out.data, out.len);
	buf_release(&out);
}

/* Read what is there, waiting up to wait_ms (-1: no limit). 0 on EOF or error, else 1. */
static int
fill(struct screen *s, int wait_ms)
{
	struct pollfd pfd = { .fd = s->in, .events = POLLIN };
	int ready = poll(&pfd, 1, wait_ms);
	if (ready <= 0)
		return 1; /* timeout, or a signal: nothing new */
	ssize_t n = read(s->in, s->pending + s->npending, sizeof(s->pending) - s->npending);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0)
		return 0;
	s->npending += (size_t)n;
	return 1;
}

static void
consume(struct screen *s, size_t n)
{
	memmove(s->pending, s->pending + n, s->npending - n);
	s->npending -= n;
}

/* The key of a complete CSI or SS3 sequence ESC [ params final. */
static int
sequence_key(const unsigned char *seq, size_t len)
{
	unsigned char final = seq[len - 1];
	int param = 0;
	for (size_t i = 2; i < len && seq[i] >= '0' && seq[i] <= '9' && param < 1000; i++)
		param = param * 10 + (seq[i] - '0');
	switch (final) {
	case 'A':
		return SCREEN_KEY_UP;
	case 'B':
		return SCREEN_KEY_DOWN;
	case 'H':
		return SCREEN_KEY_HOME;
	case 'F':
		return SCREEN_KEY_END;
	case '~':
		return param == 5               ? SCREEN_KEY_PAGE_UP :
		       param == 6               ? SCREEN_KEY_PAGE_DOWN :
		       param == 1 || param == 7 ? SCREEN_KEY_HOME :
		       param == 4 || param == 8 ? SCREEN_KEY_END :
						  SCREEN_KEY_NONE;
	default:
		return SCREEN_KEY_NONE; /* a key the view has no use for */
	}
}

/* Decode an escape at the start of pending: a sequence, or ESC on its own. */
static int
escape_key(struct screen *s)
{
	if (s->npending == 1)
		fill(s, ESCAPE_WAIT_MS);
	if (s->npending < 2 || (s->pending[1] != '[' && s->pending[1] != 'O')) {
		consume(s, 1);
		return SCREEN_KEY_ESC;
	}
	for (;;) {
		for (size_t i = 2; i < s->npending; i++) {
			if (s->pending[i] >= 0x40 && s->pending[i] <= 0x7e) {
				int key = sequence_key(s->pending, i + 1);
				consume(s, i + 1);
				return key;
			}
		}
		size_t had = s->npending;
		if (had == sizeof(s->pending) || !fill(s, ESCAPE_WAIT_MS) || s->npending == had) {
			s->npending = 0; /* cut short or too long: dropped */
			return SCREEN_KEY_NONE;
		}
	}
}

int
screen_key(struct screen *s, double timeout)
{
	if (s->npending == 0) {
		int wait_ms = timeout > 0 ? (int)(timeout * 1000 + 0.5) : 0;
		if (!fill(s, wait_ms))
			return SCREEN_KEY_EOF;
		if (s->npending == 0)
			return SCREEN_KEY_NONE;
	}
	if (s->pending[0] == SCREEN_KEY_ESC)
		return escape_key(s);
	int key = s->pending[0];
	consume(s, 1);
	return key == '\n' ? SCREEN_KEY_ENTER : key;
}
