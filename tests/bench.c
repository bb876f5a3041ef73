/*
 * make bench: figures, measured side by side in one run, never pass or
 * fail.  Each is printed as "bench NAME VALUE UNIT", and a target as
 * "bench NAME ... (target T: met|not met)".
 *
 *   speed	complete connection lifecycles a second (handshake, close,
 *		TIME_WAIT): the Linux kernel's own on 127.0.0.1, synfin's
 *		model in memory and through its UDP socket pair, in
 *		alternating rounds, the median of each, and the ratios;
 *   large	a run of 100,000 steps (8,000 connect/close cycles) in the
 *		view: opening it (to the first frame, and until the whole
 *		timeline is known), a step back, End, a data segment half
 *		way dropped (to the frame that shows it, and until the rest
 *		is known again), peak memory;
 *   terminal	synfin itself on a pseudo-terminal: startup to the first
 *		frame, CPU over 10 s paused, bytes written a second while
 *		it animates beside a full repaint, peak memory.
 *
 *	bench [SYNFIN LESSON]	(the terminal part needs both)
 *	bench large		the large run alone, in-process, for a profiler
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "session.h"
#include "sim.h"
#include "ui.h"
#include "util.h"

#define ROUNDS		5
#define ROUND_SECONDS	0.4
#define LARGE_CYCLES	8000	/* about 100,000 steps */

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static void
target(const char *name, double value, const char *unit, double want,
    bool at_most)
{
	bool	 met = at_most ? value <= want : value >= want;

	printf("bench %s %.2f %s (target %s%g: %s)\n", name, value, unit,
	    at_most ? "under " : "", want, met ? "met" : "not met");
}

/* ---- speed ------------------------------------------------------------ */

static void
settle(struct sim *s, vtime_t after)
{
	sim_run_until(s, s->clock.now + after);
}

/* One connection from connect() to the end of TIME_WAIT, checked. */
static void
lifecycle(struct sim *s)
{
	sim_call(s, SIDE_CLIENT, CALL_CONNECT, 0);
	sim_call(s, SIDE_SERVER, CALL_ACCEPT, 0);
	settle(s, 0);
	if (s->ep[SIDE_CLIENT].state != TCPS_ESTABLISHED ||
	    s->ep[SIDE_SERVER].state != TCPS_ESTABLISHED) {
		fprintf(stderr, "bench: the handshake did not complete\n");
		exit(1);
	}
	sim_call(s, SIDE_CLIENT, CALL_CLOSE, 0);
	settle(s, VT_MS(10));
	sim_call(s, SIDE_SERVER, CALL_CLOSE, 0);
	/* TIME_WAIT's 60 s, which the linux profile's timer wheel may
	 * stretch by up to an eighth. */
	settle(s, VT_SEC(68));
	/* The server's listener is open all along: LISTEN again. */
	if (s->ep[SIDE_CLIENT].state != TCPS_CLOSED ||
	    s->ep[SIDE_SERVER].state != TCPS_LISTEN ||
	    s->journal.nsegs != 7) {
		fprintf(stderr, "bench: the close went wrong (%zu segments)\n",
		    s->journal.nsegs);
		exit(1);
	}
	journal_clear(&s->journal);
}

/* The socket pair's datagrams that crossed, and its lifecycles. */
static uint64_t		crossed, crossed_lifecycles;

/* synfin's lifecycles a second over one round. */
static double
model_rate(bool in_memory)
{
	struct sim	 s;
	char		 err[256];
	unsigned long	 n = 0;
	double		 t0, t;

	if (sim_init(&s, PROFILE_LINUX, err, sizeof err) == -1) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	s.in_memory = in_memory;
	sim_call(&s, SIDE_SERVER, CALL_LISTEN, 0);
	t0 = seconds();
	do {
		for (int i = 0; i < 64; i++, n++)
			lifecycle(&s);
		/* Every datagram back before the clock is read. */
		sim_flush(&s);
	} while ((t = seconds() - t0) < ROUND_SECONDS);
	if (s.failure[0] != '\0') {
		fprintf(stderr, "bench: %s\n", s.failure);
		exit(1);
	}
	if (!in_memory) {
		crossed += s.wire.sent;
		crossed_lifecycles += n;
	}
	sim_free(&s);
	return n / t;
}

/*
 * The kernel's own lifecycles a second on 127.0.0.1: connect, accept and
 * the close of both, the same seven segments.  The server closes first,
 * so that TIME_WAIT falls on its side and the client's ports never run
 * out; the kernel ends TIME_WAIT on its own.
 */
static double
kernel_rate(void)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 len = sizeof sin;
	unsigned long		 n = 0;
	double			 t0, t;
	int			 lfd, one = 1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(lfd, 128) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == -1) {
		fprintf(stderr, "bench: a listening socket: %s\n",
		    strerror(errno));
		exit(1);
	}
	t0 = seconds();
	do {
		for (int i = 0; i < 64; i++, n++) {
			int	 c, s;

			c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (c == -1 || connect(c, (struct sockaddr *)&sin,
			    sizeof sin) == -1 ||
			    (s = accept(lfd, NULL, NULL)) == -1) {
				fprintf(stderr, "bench: the kernel's "
				    "connection: %s\n", strerror(errno));
				exit(1);
			}
			close(s);
			close(c);
		}
	} while ((t = seconds() - t0) < ROUND_SECONDS);
	close(lfd);
	return n / t;
}

static void
bench_speed(void)
{
	double	 mem[ROUNDS], loop[ROUNDS], kern[ROUNDS], m, l, k;

	for (int i = 0; i < ROUNDS; i++) {
		kern[i] = kernel_rate();
		mem[i] = model_rate(true);
		loop[i] = model_rate(false);
	}
	k = median(kern, ROUNDS);
	m = median(mem, ROUNDS);
	l = median(loop, ROUNDS);
	printf("bench lifecycles_kernel %.0f conn/s\n", k);
	printf("bench lifecycles_memory %.0f conn/s\n", m);
	printf("bench lifecycles_loopback %.0f conn/s\n", l);
	target("memory_vs_kernel", m / k, "x", 30, false);
	target("loopback_vs_kernel", l / k, "x", 1, false);
	printf("bench loopback_cost_ratio %.2f x\n", m / l);
	/* Proof that the socket pair carried them all: seven a lifecycle,
	 * each read back byte for byte. */
	printf("bench loopback_datagrams %.2f a lifecycle (%llu crossed)\n",
	    (double)crossed / (double)crossed_lifecycles,
	    (unsigned long long)crossed);
	if (crossed != 7 * crossed_lifecycles) {
		fprintf(stderr, "bench: the socket pair carried %llu datagrams "
		    "for %llu lifecycles\n", (unsigned long long)crossed,
		    (unsigned long long)crossed_lifecycles);
		exit(1);
	}
}

/* ---- large runs ------------------------------------------------------- */

/* A script of LARGE_CYCLES connections, each to the end of TIME_WAIT. */
static struct script *
large_script(void)
{
	static const char cycle[] =
	    "client connect\nserver accept\nclient send 100\nserver read\n"
	    "client close\nwait 10ms\nserver close\n"
	    "wait until client CLOSED\n";
	size_t		 n = strlen(cycle), head = strlen("server listen\n");
	char		*text = malloc(head + n * LARGE_CYCLES + 1), err[256];
	struct script	*s;

	if (text == NULL)
		exit(1);
	memcpy(text, "server listen\n", head);
	for (int i = 0; i < LARGE_CYCLES; i++)
		memcpy(text + head + n * (size_t)i, cycle, n);
	s = script_parse("large.syn", text, head + n * LARGE_CYCLES, err,
	    sizeof err);
	free(text);
	if (s == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	return s;
}

static double
draw_ms(struct ui *ui, struct canvas *cv, int key)
{
	double	 t0 = seconds();

	ui_key(ui, key);
	ui_finish(ui);
	ui_draw(ui, cv);
	return (seconds() - t0) * 1e3;
}

/* The first segment with data sent at or after step k. */
static int
data_after(struct session *s, size_t k)
{
	int	 seg;

	while ((seg = session_next_sent(s, k)) != -1 &&
	    session_journal(s)->segs[seg].seg.len == 0)
		k = session_step_of(s, session_sent_event(s, seg));
	return seg;
}

/* Work the timeline out to its end, a slice at a time, as the view does. */
static double
work_ms(struct ui *ui)
{
	double	 t0 = seconds();

	while (ui_working(ui))
		ui_work(ui);
	return (seconds() - t0) * 1e3;
}

/* In a child of its own, so that its peak memory is its own. */
static void
bench_large(void)
{
	struct session	 s;
	struct ui	 ui;
	struct canvas	 cv;
	struct rusage	 ru;
	char		 err[512];
	double		 t0, open_ms, whole, back, end, drop, rest;
	size_t		 half;
	int		 seg;

	t0 = seconds();
	if (session_open(&s, large_script(), err, sizeof err) == -1) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	ui_init(&ui, &s, LANG_EN, false);
	canvas_init(&cv, 80, 24);
	ui_draw(&ui, &cv);
	open_ms = (seconds() - t0) * 1e3;
	whole = work_ms(&ui);
	end = draw_ms(&ui, &cv, UIK_END);
	back = draw_ms(&ui, &cv, 'b');
	/* Half way, the next segment with data dropped: it is sent again,
	 * and the rest of the run comes after. */
	half = s.nsteps / 2;
	seg = data_after(&s, half);
	ui.play.pos = (double)session_step_of(&s, session_sent_event(&s,
	    seg));
	ui_draw(&ui, &cv);
	t0 = seconds();
	session_toggle(&s, seg, RULE_DROP, err, sizeof err);
	ui_draw(&ui, &cv);
	drop = (seconds() - t0) * 1e3;
	rest = work_ms(&ui);
	getrusage(RUSAGE_SELF, &ru);
	printf("bench large_steps %zu steps\n", s.nsteps);
	target("large_open", open_ms, "ms", 300, true);
	printf("bench large_whole %.2f ms (the rest of the timeline, worked "
	    "out while the learner reads)\n", whole);
	target("large_back", back, "ms", 5, true);
	target("large_end", end, "ms", 5, true);
	target("large_drop", drop, "ms", 50, true);
	printf("bench large_drop_from %zu of %zu events kept (a checkpoint); "
	    "the rest in %.2f ms more\n", s.kept, session_journal(&s)->nev,
	    rest);
	target("large_peak_rss", ru.ru_maxrss / 1024.0, "MB", 30, true);
	canvas_free(&cv);
	ui_free(&ui);
	session_close(&s);
}

/* ---- synfin on a terminal --------------------------------------------- */

struct pty {
	int	 fd;
	pid_t	 pid;
};

/* synfin FILE on a pseudo-terminal of 80x24. */
static int
spawn(struct pty *p, const char *synfin, const char *file)
{
	struct winsize	 ws = { .ws_row = 24, .ws_col = 80 };
	char		*name;
	int		 slave;

	if ((p->fd = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(p->fd) == -1 || unlockpt(p->fd) == -1 ||
	    (name = ptsname(p->fd)) == NULL)
		return -1;
	ioctl(p->fd, TIOCSWINSZ, &ws);
	if ((p->pid = fork()) == 0) {
		setsid();
		if ((slave = open(name, O_RDWR)) == -1)
			_exit(127);
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execl(synfin, synfin, file, (char *)NULL);
		_exit(127);
	}
	return p->pid == -1 ? -1 : 0;
}

/* Read what the terminal gets for up to secs; stop after quiet seconds
 * of nothing if quiet > 0.  Returns the octets. */
static size_t
drain(struct pty *p, double secs, double quiet)
{
	char	 buf[65536];
	size_t	 total = 0;
	double	 t0 = seconds(), last = t0;

	while (seconds() - t0 < secs) {
		struct pollfd	 pfd = { .fd = p->fd, .events = POLLIN };
		ssize_t		 n;

		if (poll(&pfd, 1, 20) == 1 && (n = read(p->fd, buf,
		    sizeof buf)) > 0) {
			total += (size_t)n;
			last = seconds();
		} else if (quiet > 0 && total > 0 && seconds() - last > quiet)
			break;
	}
	return total;
}

/* CPU ticks (user + system) and peak memory of a process, from /proc. */
static long
cpu_ticks(pid_t pid)
{
	char		 path[64], buf[1024], *p;
	FILE		*f;
	unsigned long	 ut = 0, st = 0;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof buf, f) != NULL && (p = strrchr(buf, ')')) !=
	    NULL)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%lu %lu", &ut, &st);
	fclose(f);
	return (long)(ut + st);
}

static long
peak_kb(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void
bench_terminal(const char *synfin, const char *lesson)
{
	struct pty	 p;
	double		 t0;
	size_t		 first, anim, repaint;
	long		 a, b;

	t0 = seconds();
	if (spawn(&p, synfin, lesson) == -1) {
		printf("bench terminal: no pseudo-terminal (%s)\n",
		    strerror(errno));
		return;
	}
	first = drain(&p, 5, 0.2);
	/* The first frame is whole when output stops: less that wait. */
	printf("bench startup_first_frame %.1f ms (%zu octets)\n",
	    (seconds() - t0 - 0.2) * 1e3, first);
	a = cpu_ticks(p.pid);
	drain(&p, 10, 0);
	b = cpu_ticks(p.pid);
	printf("bench paused_cpu %ld ticks in 10 s\n", b - a);
	/* A full repaint: Ctrl-L is not bound, a resize repaints all. */
	if (write(p.fd, "s", 1) == 1) {
		repaint = drain(&p, 2, 0.3);
		if (write(p.fd, "s", 1) == 1)
			drain(&p, 2, 0.3);
	} else
		repaint = 0;
	t0 = seconds();
	if (write(p.fd, " ", 1) == 1)
		anim = drain(&p, 4, 0);
	else
		anim = 0;
	printf("bench animation_output %.0f octets/s (a full panel repaint "
	    "%zu octets)\n", anim / (seconds() - t0), repaint);
	printf("bench view_peak_rss %.1f MB\n", peak_kb(p.pid) / 1024.0);
	kill(p.pid, SIGTERM);
	waitpid(p.pid, NULL, 0);
	close(p.fd);
}

int
main(int argc, char **argv)
{
	pid_t	 pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	xalloc_init();
	if (argc == 2 && strcmp(argv[1], "large") == 0) {
		/* Only the large run, in this process: for a profiler. */
		bench_large();
		return 0;
	}
	bench_speed();
	if ((pid = fork()) == 0) {
		bench_large();
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	if (argc == 3)
		bench_terminal(argv[1], argv[2]);
	return 0;
}
