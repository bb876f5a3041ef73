/*
 * The terminal: curses for the screen, libevent for everything that
 * happens (keys, the frame timer, SIGWINCH, Ctrl-Z and the signals that
 * end us).  Whatever ends synfin gives the terminal back as it found it:
 * q, a signal that ends a program (exit status 128 + the signal), even a
 * crash (the signal's own end, after the terminal is restored).
 *
 * One redraw point: anything that changes the picture asks for a redraw,
 * and one callback draws the whole canvas and ends in one doupdate().  No
 * timer runs unless something moves, so a paused view costs no CPU.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "loop.h"
#include "paint.h"

#define FRAME_US	33333	/* 30 frames a second while animating */
#define LIVE_US		10000	/* a live engine looked at 100 times a second */

/*
 * The signals whose default is to end a program.  Each ends synfin as
 * q would, with the terminal given back and exit status 128 + the
 * signal: Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT) alike; no core is dumped
 * for Ctrl-\, since there is nothing of synfin's to debug in it.
 */
static const int ending[] = {
	SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM,
	SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO,
#ifdef SIGPWR
	SIGPWR,
#endif
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};
#define NENDING		(sizeof ending / sizeof ending[0])
#define NSIGEVENTS	(NENDING + 2)	/* and SIGWINCH, SIGTSTP */

/* Signals that mean synfin itself went wrong: the terminal is restored
 * and the signal then ends synfin as it would have. */
static const int fatal[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS,
};

struct loop {
	struct event_base	*base;
	struct event		*input;
	struct event		*frame;
	struct event		*redraw;
	struct event		*work;
	struct event		*live;		/* the kernel's sandbox */
	struct event		*sig[NSIGEVENTS];
	struct ui		*ui;
	struct canvas		 cv;
	bool			 repaint;	/* every cell, not what changed */
	double			 last;		/* when the last frame was */
	int			 status;
	struct paint		 paint;
};

static bool		curses_on;
static struct termios	saved_tio;	/* the terminal as synfin found it */
static char		reset_seq[256];	/* what puts its screen back */
static size_t		reset_len;

/* Give the terminal back, whichever way we leave. */
static void
restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

/* Append a terminfo string to reset_seq, if the terminal has it. */
static void
add_reset(const char *cap)
{
	char	*s = tigetstr((char *)cap);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

/*
 * A crash: curses cannot be called from here, so put the screen back
 * with what was worked out in advance (only write and tcsetattr, both
 * safe in a handler), then let the signal end synfin as it would have.
 */
static void
on_fatal(int sig)
{
	if (curses_on) {
		if (write(STDOUT_FILENO, reset_seq, reset_len) == -1)
			(void)0;
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Ready for a crash: what to send, and the handlers. */
static void
prepare_fatal(void)
{
	struct sigaction	 sa;

	reset_len = 0;
	add_reset("sgr0");	/* attributes off */
	add_reset("cnorm");	/* the cursor shown */
	add_reset("rmkx");	/* the keypad as it was */
	add_reset("rmcup");	/* the main screen back */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

static double
now_seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
request_redraw(struct loop *lp)
{
	event_active(lp->redraw, EV_WRITE, 0);
}

/*
 * Keep the frame timer running exactly while something moves, and the
 * work on a long timeline going while there is some: a slice at a time,
 * each after the keys that came meanwhile.
 */
static void
pace(struct loop *lp)
{
	struct timeval	 tv = { 0, FRAME_US }, now = { 0, 0 };

	if (ui_working(lp->ui) && !evtimer_pending(lp->work, NULL))
		evtimer_add(lp->work, &now);
	if (ui_live(lp->ui) && !evtimer_pending(lp->live, NULL)) {
		struct timeval	 lt = { 0, LIVE_US };

		evtimer_add(lp->live, &lt);
	}
	if (ui_animating(lp->ui)) {
		if (!evtimer_pending(lp->frame, NULL)) {
			lp->last = now_seconds();
			evtimer_add(lp->frame, &tv);
		}
	} else if (evtimer_pending(lp->frame, NULL))
		evtimer_del(lp->frame);
}

static void
on_redraw(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;

	(void)fd;
	(void)what;
	if (lp->cv.w != COLS || lp->cv.h != LINES) {
		canvas_free(&lp->cv);
		canvas_init(&lp->cv, COLS, LINES);
		lp->cv.ascii = lp->ui->ascii;
	}
	ui_draw(lp->ui, &lp->cv);
	if (lp->repaint) {
		/* The parts moved: send every cell again. */
		clearok(curscr, TRUE);
		lp->repaint = false;
	}
	erase();
	paint_canvas(&lp->paint, &lp->cv);
	wnoutrefresh(stdscr);
	doupdate();
	pace(lp);
}

static void
on_work(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;

	(void)fd;
	(void)what;
	ui_work(lp->ui);
	request_redraw(lp);
}

/* A live engine: what the kernels did meanwhile, drawn if anything. */
static void
on_live(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;
	struct timeval	 tv = { 0, LIVE_US };

	(void)fd;
	(void)what;
	if (ui_live_poll(lp->ui))
		request_redraw(lp);
	if (ui_live(lp->ui))
		evtimer_add(lp->live, &tv);
}

static void
on_frame(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;
	double		 now = now_seconds();

	(void)fd;
	(void)what;
	ui_advance(lp->ui, now - lp->last);
	lp->last = now;
	if (ui_animating(lp->ui)) {
		struct timeval	 tv = { 0, FRAME_US };

		evtimer_add(lp->frame, &tv);
	}
	request_redraw(lp);
}

static int
map_key(int ch)
{
	switch (ch) {
	case KEY_RIGHT:
		return UIK_RIGHT;
	case KEY_LEFT:
		return UIK_LEFT;
	case KEY_UP:
		return UIK_UP;
	case KEY_DOWN:
		return UIK_DOWN;
	case '\t':
		return UIK_TAB;
	case KEY_BTAB:
		return UIK_BTAB;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return UIK_ENTER;
	case 27:
		return UIK_ESC;
	case KEY_HOME:
		return UIK_HOME;
	case KEY_END:
		return UIK_END;
	case 3:		/* ^C, should the terminal pass it as a key */
		return 'q';
	default:
		return ch;
	}
}

static void
quit(struct loop *lp, int status)
{
	lp->status = status;
	event_base_loopbreak(lp->base);
}

/* What a key or a click asks for: nothing, a redraw, a repaint, or out. */
static bool
act_on(struct loop *lp, enum ui_result r)
{
	switch (r) {
	case UI_NOTHING:
		break;
	case UI_RELAYOUT:
		lp->repaint = true;
		/* FALLTHROUGH */
	case UI_REDRAW:
		request_redraw(lp);
		break;
	case UI_QUIT:
		quit(lp, 0);
		return false;
	}
	return true;
}

static void
on_input(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;
	int		 ch, keys = 0, avail = 0;

	(void)fd;
	(void)what;
	while ((ch = getch()) != ERR) {
		MEVENT		 m;
		enum ui_result	 r;

		keys++;
		if (ch == KEY_RESIZE)
			r = UI_RELAYOUT;
		else if (ch == KEY_MOUSE) {
			r = UI_NOTHING;
			if (getmouse(&m) == OK && (m.bstate & (BUTTON1_PRESSED |
			    BUTTON1_CLICKED)))
				r = ui_click(lp->ui, m.y, m.x);
		} else
			r = ui_key(lp->ui, map_key(ch));
		if (!act_on(lp, r))
			return;
	}
	/* Readable with nothing to read: the terminal went away. */
	if (keys == 0 && ioctl(STDIN_FILENO, FIONREAD, &avail) == 0 &&
	    avail == 0)
		quit(lp, 1);
}

static void
on_resize(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*lp = arg;
	struct winsize	 ws;

	(void)fd;
	(void)what;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	request_redraw(lp);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	quit(arg, 128 + (int)sig);
}

/*
 * Ctrl-Z: give the terminal back and stop, as the shell expects; when
 * continued (fg), take it again and repaint it all, at the size it has
 * now, paused where it was.  In a process group without job control the
 * stop is discarded and synfin simply carries on.
 */
static void
on_suspend(evutil_socket_t sig, short what, void *arg)
{
	struct loop		*lp = arg;
	struct sigaction	 dfl, old;

	(void)sig;
	(void)what;
	endwin();
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	raise(SIGTSTP);
	/* Continued. */
	sigaction(SIGTSTP, &old, NULL);
	lp->last = now_seconds();
	on_resize(-1, 0, lp);
}

/*
 * Whether the terminal can draw the view: it must move its cursor
 * anywhere (terminfo's cup) and clear the screen.  A dumb terminal, or
 * one terminfo does not know, is told so rather than shown a blank.
 */
static bool
terminal_can_draw(char *err, size_t errlen)
{
	const char	*term = getenv("TERM");
	char		*cup, *clear;
	bool		 ok;
	int		 e = 0;

	if (term == NULL || *term == '\0') {
		snprintf(err, errlen, "TERM is not set: the interactive view "
		    "needs to know the terminal (synfin run FILE prints a "
		    "trace without one)");
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
		snprintf(err, errlen, "the terminal '%s' is not known to "
		    "terminfo (synfin run FILE prints a trace without one)",
		    term);
		return false;
	}
	cup = tigetstr((char *)"cup");
	clear = tigetstr((char *)"clear");
	ok = cup != NULL && cup != (char *)-1 && clear != NULL &&
	    clear != (char *)-1;
	del_curterm(cur_term);
	if (!ok) {
		snprintf(err, errlen, "the terminal '%s' cannot move its "
		    "cursor, so the interactive view cannot be drawn on it "
		    "(synfin run FILE prints a trace without one)", term);
		return false;
	}
	return true;
}

/*
 * Run the view until the learner quits.  Returns the exit status: 0 for
 * q, 128 + the signal for a signal that ends it (ending[]).
 */
int
loop_run(struct ui *ui, bool colour, char *err, size_t errlen)
{
	struct loop		 lp;
	SCREEN			*scr;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the interactive view needs a terminal "
		    "on stdin and stdout (synfin run FILE prints a trace "
		    "without one)");
		return -1;
	}
	memset(&lp, 0, sizeof lp);
	lp.ui = ui;
	if ((lp.base = event_base_new()) == NULL) {
		snprintf(err, errlen, "libevent: cannot make an event base");
		return -1;
	}
	if (!terminal_can_draw(err, errlen)) {
		event_base_free(lp.base);
		return -1;
	}
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	tcgetattr(STDIN_FILENO, &saved_tio);
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		snprintf(err, errlen, "cannot use the terminal '%s'",
		    getenv("TERM") ? getenv("TERM") : "(TERM unset)");
		event_base_free(lp.base);
		return -1;
	}
	curses_on = true;
	atexit(restore_terminal);
	prepare_fatal();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
	colour = colour && has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	paint_scheme(&lp.paint, colour);
	canvas_init(&lp.cv, COLS, LINES);
	lp.cv.ascii = ui->ascii;

	lp.input = event_new(lp.base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    on_input, &lp);
	lp.frame = evtimer_new(lp.base, on_frame, &lp);
	lp.redraw = event_new(lp.base, -1, 0, on_redraw, &lp);
	lp.work = evtimer_new(lp.base, on_work, &lp);
	lp.live = evtimer_new(lp.base, on_live, &lp);
	lp.sig[0] = evsignal_new(lp.base, SIGWINCH, on_resize, &lp);
	lp.sig[1] = evsignal_new(lp.base, SIGTSTP, on_suspend, &lp);
	for (size_t i = 0; i < NENDING; i++)
		lp.sig[i + 2] = evsignal_new(lp.base, ending[i], on_signal,
		    &lp);
	event_add(lp.input, NULL);
	for (size_t i = 0; i < NSIGEVENTS; i++)
		evsignal_add(lp.sig[i], NULL);
	request_redraw(&lp);
	event_base_dispatch(lp.base);

	for (size_t i = 0; i < NSIGEVENTS; i++)
		event_free(lp.sig[i]);
	event_free(lp.input);
	event_free(lp.frame);
	event_free(lp.redraw);
	event_free(lp.work);
	event_free(lp.live);
	event_base_free(lp.base);
	canvas_free(&lp.cv);
	restore_terminal();
	delscreen(scr);
	return lp.status;
}
