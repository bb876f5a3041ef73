/*
 * The kernel engine: what the Linux kernel does for a script's calls,
 * written into a journal as the model's engine writes its own, so that
 * the trace, the narration and the exports read it alike.
 *
 * Each call in the script is made on real sockets of the kernel's own TCP
 * on 127.0.0.1, in real time; the segments are read off the loopback
 * interface with a packet socket, and the states come from the kernel
 * (sock_diag).  "drop" rules become one-shot nftables rules at lo's
 * ingress, after the packet socket has seen the segment (so it still
 * counts as sent); "inject" sends a crafted segment through a raw socket.
 * As root it runs on the host's lo; otherwise in a user and network
 * namespace of its own, where this process may capture and filter (most
 * distributions allow unprivileged user namespaces).  Drops need the nft
 * program (Debian's nftables).
 *
 * A script with a latency, or a segment held, delayed, copied or
 * reordered, runs through the relay instead: each side in a network
 * namespace of its own with a TUN device, and this process between the
 * two devices, carrying every segment across on the model's link (the
 * same rules, the same fates), on wall time.
 *
 * "exit" is a program's end: the kernel closes each descriptor it held
 * (the connection, and a server's listener), as it does for a process
 * that returns from main, calls exit() or is killed.
 *
 * "crash" is a host vanishing as its peer sees it: its sockets go with
 * SO_LINGER 0 (the connection is forgotten) and, until "reboot", a rule
 * at lo's ingress drops what its kernel still sends (the RST of that
 * abort, the RSTs its closed port answers with), which the trace leaves
 * out: a dead host sends nothing.  After the reboot, connect binds the
 * same port again (SO_REUSEADDR), as every call here does.
 *
 * Only what a real program or a sysctl can do is accepted
 * (script_kernel_ok): no timers set by hand.  "set user-timeout" is
 * setsockopt(TCP_USER_TIMEOUT) on that side's sockets; "set retries" is
 * the sysctl tcp_retries2 (and tcp_orphan_retries, as synfin takes it);
 * fin-timeout, syn-retries, synack-retries and abort-on-overflow are
 * sysctls too.  They belong to a network namespace: a script that sets
 * one runs in a namespace of its own, never touching the host's.
 *
 * "set backlog" is listen()'s backlog.  "set queued N" connects other
 * clients until N of their connections wait in the listener's accept
 * queue, as a busy server's do: their segments are on other ports, left
 * out of the capture, and accept() takes them before the script's
 * connection when they came first (the queue is first in, first out).
 *
 *	kernel_run(script, journal, err, errlen)
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "journal.h"
#include "kernel.h"

/* A read takes at most this at once: more than a receive buffer holds. */
#define READ_MAX	(4u << 20)
#include "link.h"
#include "script.h"
#include "session.h"
#include "trace.h"
#include "tcp.h"
#include "util.h"

#define LOOPBACK	0x7f000001u
#define RELAY_NET	0x0a090000u	/* 10.9.0.0/24: the relay's two sides */
#define WAIT_UNTIL_MAX	200.0		/* seconds a wait until may take */
#define QUIET_GAP	0.3		/* no segment this long: quiet */

struct kr {
	const struct script *script;
	struct journal	 j;
	int		 pkt;		/* packet socket on lo */
	int		 raw;		/* raw socket for inject */
	int		 fd[NSIDES];	/* client socket; server's connection */
	int		 listener;
	bool		 accept_waiting;
	bool		 reuseaddr;	/* set reuseaddr: the client's too */
	uint16_t	 port[NSIDES];
	double		 t0;
	double		 script_t;	/* where the script's waits reach */
	double		 last_seg;	/* when the last segment was seen */
	enum tcp_state	 state[NSIDES];
	unsigned	 entered[NSIDES][TCP_NSTATES];	/* wait until */
	struct {			/* the nft rules, to tell the fates */
		uint8_t		 dir, flags;
		bool		 exact, standing, used;
	}		 rules[64];
	unsigned	 nrules;
	/* Relay: each side in a network namespace of its own, joined by
	 * a TUN device to this process, which carries every segment across
	 * on the link of the model (latency, drop, copy, delay, hold). */
	bool		 relay;
	bool		 live;		/* the sandbox's: each segment held */
	bool		 dead;		/* ... and it stopped (die) */
	int		 home;		/* the namespace the program began in */
	int		 diag[NSIDES];	/* sock_diag, in each namespace */
	int		 tkind[NSIDES];	/* each side's timer, as journaled */
	vtime_t		 tdue[NSIDES];
	unsigned	 tretrans[NSIDES];
	uint32_t	 ip[NSIDES];	/* each side's address */
	int		 ns[NSIDES];	/* its network namespace */
	int		 tun[NSIDES];	/* its TUN device */
	bool		 rst_to[NSIDES];	/* a RST came to it, since we
						   last looked at its state */
	struct clock	 clock;		/* the link's, on wall time */
	struct link	 link;
	/* The model's run of the same calls, each direction's segments as
	 * the trace writes them: where the kernel parts from it, said. */
	char		**model[2];
	size_t		 nmodel[2], imodel[2];
	char		 table[48];	/* nft table, once made */
	bool		 down[NSIDES];	/* crashed, not yet rebooted */
	unsigned	 hidden;	/* segments a crashed host sent */
	int		 keep_idle, keep_intvl, keep_cnt;
	unsigned int	 user_timeout[NSIDES];	/* ms; 0: none */
	int		 backlog;	/* listen()'s */
	int		 others[256];	/* set queued: other clients' sockets */
	unsigned	 nothers;
	unsigned	 others_waiting;	/* ... not yet accepted */
	int		 others_accepted[256];	/* ... and accepted (kept open) */
	unsigned	 naccepted;
	uint8_t		*buf;		/* READ_MAX: a read, a packet */
};

static struct kr	*cleanup_kr;
static jmp_buf		 failed_run;	/* die() goes back to kernel_run */
static char		*fail_err;
static size_t		 fail_errlen;

/* The run cannot go on: say why (at the command, if one) and unwind. */
static void __attribute__((format(printf, 2, 3), noreturn))
die(const struct cmd *c, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c != NULL)
		snprintf(fail_err, fail_errlen, "%s:%d:%d: %s",
		    cleanup_kr->script->path, c->line, c->col, msg);
	else
		snprintf(fail_err, fail_errlen, "%s", msg);
	longjmp(failed_run, 1);
}

static double
wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static vtime_t
now_vt(const struct kr *k)
{
	return (vtime_t)((wall() - k->t0) * 1e6);
}

/* Run a program with arguments; its standard input is text, if any. */
static int
run_prog(const char *text, char *const argv[])
{
	int	 p[2], status;
	pid_t	 pid;

	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[0]);
	if (text != NULL && write(p[1], text, strlen(text)) == -1)
		status = -1;
	close(p[1]);
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * One nft, kept running (nft -i reads its commands a line at a time): a
 * rule takes a millisecond or two where starting nft for each took 35,
 * time the kernels' timers went on running while the script waited.  A
 * command is known done when nft has refused the one sent after it, a
 * look at a table that does not exist: its error, on standard error,
 * names the table.  An error before that one was the command's.
 */
static struct {
	pid_t		 pid;
	int		 in;		/* its standard input */
	int		 err;		/* its standard error */
	unsigned	 marks;
} nftp = { -1, -1, -1, 0 };

static bool
nft_start(void)
{
	int	 in[2], err[2];

	if (pipe(in) == -1 || pipe(err) == -1)
		return false;
	if ((nftp.pid = fork()) == -1)
		return false;
	if (nftp.pid == 0) {
		int	 null = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		dup2(err[1], 2);
		if (null != -1)
			dup2(null, 1);
		close(in[0]);
		close(in[1]);
		close(err[0]);
		close(err[1]);
		execlp("nft", "nft", "-i", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	nftp.in = in[1];
	nftp.err = err[0];
	fcntl(nftp.in, F_SETFD, FD_CLOEXEC);
	fcntl(nftp.err, F_SETFD, FD_CLOEXEC);
	return true;
}

/* Wait for nft to answer up to the mark; false if the command failed. */
static bool
nft_sync(const char *mark, char *why, size_t whylen)
{
	char	 buf[4096];
	size_t	 have = 0;
	int	 errors = 0;

	why[0] = '\0';
	for (;;) {
		struct pollfd	 pfd = { nftp.err, POLLIN, 0 };
		char		*nl;
		ssize_t		 n;

		if (poll(&pfd, 1, 5000) <= 0 ||
		    (n = read(nftp.err, buf + have, sizeof buf - 1 - have)) <= 0)
			return snprintf(why, whylen, "nft stopped answering"),
			    false;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (strstr(buf, mark) != NULL &&
			    strncmp(buf, "Error:", 6) != 0)
				return errors <= 1;
			if (strncmp(buf, "Error:", 6) == 0 && ++errors == 1)
				snprintf(why, whylen, "%.200s", buf);
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have + 1);
		}
		if (have == sizeof buf - 1)
			have = 0;		/* a line too long: not ours */
	}
}

static void __attribute__((format(printf, 1, 2)))
nft(const char *fmt, ...)
{
	char		*text, mark[64], why[256] = "";
	va_list		 ap;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (nftp.pid == -1 && !nft_start())
		die(NULL, "nft: %s", strerror(errno));
	snprintf(mark, sizeof mark, "synfin_mark_%d_%u", (int)getpid(),
	    ++nftp.marks);
	if (write(nftp.in, text, strlen(text)) == -1 ||
	    dprintf(nftp.in, "list table netdev %s\n", mark) < 0 ||
	    !nft_sync(mark, why, sizeof why))
		die(NULL, "nft failed on: %s%s%s", text, why[0] ? ": " : "",
		    why);
	free(text);
}

static void
cleanup(void)
{
	struct kr	*k = cleanup_kr;

	if (k != NULL && k->table[0] != '\0') {
		char	*const argv[] = { "nft", "delete", "table", "netdev",
		    k->table, NULL };

		run_prog(NULL, argv);
		k->table[0] = '\0';
	}
}

static void
on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* nft's words for a flag set. */
static void
nft_flags(char *out, size_t len, uint8_t flags)
{
	static const struct {
		uint8_t		 bit;
		const char	*name;
	} names[] = {
		{ TH_FIN, "fin" }, { TH_SYN, "syn" }, { TH_RST, "rst" },
		{ TH_PSH, "psh" }, { TH_ACK, "ack" }, { TH_URG, "urg" },
	};
	size_t	 n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (flags & names[i].bit)
			n += (size_t)snprintf(out + n, len - n, "%s%s",
			    n ? "|" : "", names[i].name);
	}
	if (n == 0)
		snprintf(out, len, "0x0");
}

/* The nft table with its chains at lo's ingress: "in" for the script's
 * drops, "down0" and "down1" for what a crashed client or server sends. */
static void
make_table(struct kr *k)
{
	if (k->table[0] != '\0')
		return;
	snprintf(k->table, sizeof k->table, "synfin_kreplay_%d",
	    (int)getpid());
	nft("add table netdev %s\n"
	    "add chain netdev %s in { type filter hook ingress device "
	    "lo priority 0; }\n"
	    "add chain netdev %s down0 { type filter hook ingress device "
	    "lo priority -1; }\n"
	    "add chain netdev %s down1 { type filter hook ingress device "
	    "lo priority -1; }\n", k->table, k->table, k->table, k->table);
}

/* drop next|all DIR [FLAGS]: a rule at lo's ingress. */
static void
add_drop(struct kr *k, const struct cmd *c)
{
	char	 match[160] = "", want[64];
	enum dir d = c->dir;

	make_table(k);
	if (c->u.rule.flags != 0 || c->u.rule.exact) {
		nft_flags(want, sizeof want, c->u.rule.flags);
		if (c->u.rule.exact)
			snprintf(match, sizeof match,
			    "tcp flags & (fin|syn|rst|psh|ack|urg) == %s", want);
		else
			snprintf(match, sizeof match, "tcp flags & (%s) == %s",
			    want, want);
	}
	nft("add rule netdev %s in ip protocol tcp tcp sport %u tcp dport %u "
	    "%s %s counter drop\n", k->table, k->port[d], k->port[!d], match,
	    c->u.rule.standing ? "" : "limit rate 1/hour burst 1 packets");
	if (k->nrules == sizeof k->rules / sizeof k->rules[0])
		die(c, "more drop rules than the kernel engine keeps (%u)",
		    k->nrules);
	k->rules[k->nrules].dir = (uint8_t)d;
	k->rules[k->nrules].flags = c->u.rule.flags;
	k->rules[k->nrules].exact = c->u.rule.exact;
	k->rules[k->nrules].standing = c->u.rule.standing;
	k->rules[k->nrules].used = false;
	k->nrules++;
}

/*
 * Whether lo's ingress drops this segment: the rules in order, as nft
 * takes them, a one-shot rule spent by the first segment it matches.
 */
static bool
dropped(struct kr *k, enum dir d, uint8_t flags)
{
	const uint8_t	 all = TH_FIN | TH_SYN | TH_RST | TH_PSH | TH_ACK |
			     TH_URG;

	for (unsigned i = 0; i < k->nrules; i++) {
		if (k->rules[i].dir != d || k->rules[i].used)
			continue;
		if (k->rules[i].exact ? (flags & all) != k->rules[i].flags :
		    (flags & k->rules[i].flags) != k->rules[i].flags)
			continue;
		if (!k->rules[i].standing)
			k->rules[i].used = true;
		return true;
	}
	return false;
}

static void
clear_drops(struct kr *k)
{
	if (k->table[0] != '\0')
		nft("flush chain netdev %s in\n", k->table);
	k->nrules = 0;
}

/*
 * Say it, in both languages, now (a line of the journal's narration):
 * each language's words before and after the segment.
 */
static void
say_both(struct kr *k, const char *const en[2], const char *const zh[2],
    const char *seg)
{
	char	 buf[512];

	snprintf(buf, sizeof buf, "%s%s%s", en[0], seg, en[1]);
	journal_say(&k->j, now_vt(k), LANG_EN, buf);
	snprintf(buf, sizeof buf, "%s%s%s", zh[0], seg, zh[1]);
	journal_say(&k->j, now_vt(k), LANG_ZH, buf);
}

static const char *const model_only_en[2] = {
	"The model (linux profile) sends ", " here; the kernel does not." };
static const char *const model_only_zh[2] = {
	"模型（linux 模式）在这里发出 ", "，内核没有发。" };
static const char *const kernel_only_en[2] = {
	"The kernel sends ", ", which the model (linux profile) does not send "
	"here." };
static const char *const kernel_only_zh[2] = {
	"内核发出了 ", "，模型（linux 模式）在这里不发这个。" };
static const char *const never_en[2] = {
	"The model (linux profile) also sends ", "; the kernel never did." };
static const char *const never_zh[2] = {
	"模型（linux 模式）还会发出 ", "，内核始终没有发。" };

/*
 * A segment the kernel sent, set beside the model's next one that way:
 * the same, or said.  Model segments the kernel skipped (it sends what
 * the model sends a little later) are said as the model's alone.
 */
static void
compare_segment(struct kr *k, const struct jseg *g)
{
	char		 text[256];
	int		 d = g->dir;
	size_t		 i = k->imodel[d];

	if (k->model[d] == NULL)
		return;
	trace_seg_text(text, sizeof text, g);
	if (i < k->nmodel[d] && strcmp(text, k->model[d][i]) == 0) {
		k->imodel[d]++;
		return;
	}
	for (size_t ahead = i + 1; ahead < k->nmodel[d] && ahead <= i + 3;
	    ahead++) {
		if (strcmp(text, k->model[d][ahead]) != 0)
			continue;
		for (; i < ahead; i++)
			say_both(k, model_only_en, model_only_zh,
			    k->model[d][i]);
		k->imodel[d] = ahead + 1;
		return;
	}
	say_both(k, kernel_only_en, kernel_only_zh, text);
}

/* The model's segments the kernel never sent, said at the end. */
static void
compare_end(struct kr *k)
{
	for (int d = 0; d < 2; d++) {
		for (size_t i = k->imodel[d]; k->model[d] != NULL &&
		    i < k->nmodel[d]; i++)
			say_both(k, never_en, never_zh, k->model[d][i]);
		k->imodel[d] = k->nmodel[d];
	}
}

static void	relay_read(struct kr *);
static void	timer_fired(struct kr *, enum side);
static void	relay_tick(struct kr *);
static void	in_ns(struct kr *, enum side);

/* Take every segment the packet socket (or the relay) holds into the
 * journal. */
static void
capture(struct kr *k)
{
	if (k->relay) {
		relay_read(k);
		return;
	}
	for (;;) {
		struct sockaddr_ll	 sll;
		socklen_t		 sl = sizeof sll;
		ssize_t			 n;
		struct iphdr		*ip;
		struct segment		 seg;
		size_t			 hl;
		int			 dir, id;

		memset(&sll, 0, sizeof sll);
		n = recvfrom(k->pkt, k->buf, 65536, MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (n < 0)
			return;
		/* On lo every packet is seen going out and coming in. */
		if (sll.sll_pkttype == PACKET_OUTGOING ||
		    sll.sll_protocol != htons(ETH_P_IP))
			continue;
		ip = (struct iphdr *)k->buf;
		if ((size_t)n < sizeof *ip || ip->protocol != IPPROTO_TCP)
			continue;
		hl = ip->ihl * 4u;
		if (hl < sizeof *ip || (size_t)n < hl ||
		    ntohl(ip->saddr) != LOOPBACK || ntohl(ip->daddr) != LOOPBACK)
			continue;
		n = ntohs(ip->tot_len) < n ? ntohs(ip->tot_len) : n;
		if (segment_decode(k->buf + hl, (size_t)n - hl, NULL, &seg,
		    NULL) != SEG_OK)
			continue;
		if (seg.sport == k->port[SIDE_CLIENT] &&
		    seg.dport == k->port[SIDE_SERVER])
			dir = DIR_C2S;
		else if (seg.sport == k->port[SIDE_SERVER] &&
		    seg.dport == k->port[SIDE_CLIENT])
			dir = DIR_S2C;
		else
			continue;
		/* A crashed host sends nothing: what its kernel does send
		 * is RSTs, for the aborted connection and for what comes to
		 * its closed port. */
		if (k->down[dir] && (seg.flags & TH_RST)) {
			k->hidden++;
			continue;
		}
		timer_fired(k, (enum side)dir);
		id = journal_add_seg(&k->j, (enum dir)dir, &seg, k->buf + hl,
		    (size_t)n - hl, false, now_vt(k));
		compare_segment(k, &k->j.segs[id]);
		if (seg.flags & TH_RST)
			k->rst_to[!dir] = true;
		/* On lo a segment arrives as it leaves, or is dropped at
		 * the ingress. */
		journal_seg_event(&k->j, now_vt(k), id,
		    dropped(k, (enum dir)dir, seg.flags) ? FATE_DROPPED :
		    FATE_DELIVERED);
		k->last_seg = wall();
	}
}

static enum tcp_state
from_linux(int s)
{
	switch (s) {
	case 1:
		return TCPS_ESTABLISHED;
	case 2:
		return TCPS_SYN_SENT;
	case 3:
	case 12:			/* TCP_NEW_SYN_RECV: a request */
		return TCPS_SYN_RECEIVED;
	case 4:
		return TCPS_FIN_WAIT_1;
	case 5:
		return TCPS_FIN_WAIT_2;
	case 6:
		return TCPS_TIME_WAIT;
	case 8:
		return TCPS_CLOSE_WAIT;
	case 9:
		return TCPS_LAST_ACK;
	case 10:
		return TCPS_LISTEN;
	case 11:
		return TCPS_CLOSING;
	default:
		return TCPS_CLOSED;
	}
}

/*
 * Each side's state, from the kernel (sock_diag): the connection on the
 * four ports if there is one, else CLOSED; as in synfin's linux profile,
 * the server shows LISTEN while its listener is open and no connection
 * is on the four ports.
 */
/* A side's connection's timer, as sock_diag tells it. */
struct ktimer {
	int		 kind;		/* enum tcp_timer, or -1: none */
	vtime_t		 left;		/* until it fires */
	unsigned	 retrans;	/* retransmissions so far */
	int		 ca_state;	/* tcpi_ca_state: 3, 4 recovering */
};

/* The kernel's timer (inet_diag's idiag_timer) as synfin names it. */
static int
timer_kind(int idiag_timer, int state)
{
	switch (idiag_timer) {
	case 1:			/* retransmission, or a loss probe */
		return TT_RTX;
	case 2:			/* sk_timer: an orphan FIN_WAIT_2's too */
		return state == 5 ? TT_FINWAIT2 : TT_KEEPALIVE;
	case 3:
		/* An orphan's FIN_WAIT_2 no longer than TIME_WAIT is kept
		 * as a timewait socket, shown in FIN_WAIT_2 (tcp_close). */
		return state == 5 ? TT_FINWAIT2 : TT_TIMEWAIT;
	default:		/* none; a zero window probe (not modelled) */
		return -1;
	}
}

/*
 * Side s's connection, looked up by its four-tuple (an exact sock_diag
 * request: a dump would walk the whole connection table, some
 * milliseconds on a busy host, at every look).  Nothing there, CLOSED;
 * the lookup falls back to a listener on the port, which tells that the
 * server listens and is no connection.
 */
static void
diag_one(struct kr *k, int fd, enum side s, enum tcp_state out[NSIDES],
    struct ktimer tm[NSIDES], bool *listening)
{
	struct {
		struct nlmsghdr		 nlh;
		struct inet_diag_req_v2	 r;
	} req;
	struct sockaddr_nl	 sa = { .nl_family = AF_NETLINK };
	char			 buf[8192];
	struct nlmsghdr		*h = (struct nlmsghdr *)buf;
	struct inet_diag_msg	*m;
	ssize_t			 n;
	int			 len;

	memset(&req, 0, sizeof req);
	req.nlh.nlmsg_len = sizeof req;
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = AF_INET;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0u;
	req.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	req.r.id.idiag_sport = htons(k->port[s]);
	req.r.id.idiag_dport = htons(k->port[!s]);
	req.r.id.idiag_src[0] = htonl(k->ip[s]);
	req.r.id.idiag_dst[0] = htonl(k->ip[!s]);
	req.r.id.idiag_cookie[0] = req.r.id.idiag_cookie[1] =
	    INET_DIAG_NOCOOKIE;
	if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&sa,
	    sizeof sa) == -1)
		die(NULL, "sock_diag: %s", strerror(errno));
	if ((n = recv(fd, buf, sizeof buf, 0)) <= 0)
		die(NULL, "sock_diag: %s", n == 0 ? "no answer" :
		    strerror(errno));
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return;			/* NLMSG_ERROR: ENOENT, none */
	m = NLMSG_DATA(h);
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
	if (m->idiag_state == 10) {
		if (s == SIDE_SERVER)
			*listening = true;
		return;
	}
	out[s] = from_linux(m->idiag_state);
	tm[s].kind = timer_kind(m->idiag_timer, m->idiag_state);
	tm[s].left = (vtime_t)m->idiag_expires * 1000;
	tm[s].retrans = m->idiag_retrans;
	for (struct rtattr *a = (struct rtattr *)(m + 1);
	    RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == INET_DIAG_INFO &&
		    RTA_PAYLOAD(a) > (int)offsetof(struct tcp_info,
		    tcpi_ca_state))
			tm[s].ca_state = ((struct tcp_info *)
			    RTA_DATA(a))->tcpi_ca_state;
	}
}

/* The states, from every namespace the run uses. */
static void
kernel_states(struct kr *k, enum tcp_state out[NSIDES],
    struct ktimer tm[NSIDES])
{
	bool	 listening = false;

	out[0] = out[1] = TCPS_CLOSED;
	memset(tm, 0, NSIDES * sizeof *tm);
	tm[0].kind = tm[1].kind = -1;
	/* On lo one namespace holds both sides; the relay's, one each. */
	for (int s = 0; s < NSIDES; s++) {
		int	 ns = k->relay ? s : 0;

		/* A netlink socket answers for the namespace it was made
		 * in: one for each, made once. */
		if (k->diag[ns] == -1) {
			in_ns(k, (enum side)ns);
			k->diag[ns] = socket(AF_NETLINK, SOCK_DGRAM |
			    SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
			if (k->diag[ns] == -1)
				die(NULL, "sock_diag: %s", strerror(errno));
		}
		diag_one(k, k->diag[ns], (enum side)s, out, tm, &listening);
	}
	if (out[SIDE_SERVER] == TCPS_CLOSED && listening)
		out[SIDE_SERVER] = TCPS_LISTEN;
}

/*
 * A connection the program still holds ended without its close(): the
 * kernel has an error for the program, which its next call returns.
 * Read from the kernel it would be spent (SO_ERROR), so it is told from
 * what was seen: a RST to a SYN, refused; to a connection that had the
 * peer's FIN, EPIPE (Linux's tcp_reset); to any other, reset; none, the
 * retransmissions gave up.
 */
static void
told(struct kr *k, enum side s, enum tcp_state from, enum tcp_state to)
{
	enum tcp_error	 err;

	if ((to != TCPS_CLOSED && to != TCPS_LISTEN) || k->fd[s] == -1 ||
	    from == TCPS_CLOSED || from == TCPS_LISTEN ||
	    from == TCPS_TIME_WAIT || from == TCPS_LAST_ACK ||
	    from == TCPS_CLOSING)
		return;
	if (!k->rst_to[s])
		err = TE_TIMEDOUT;
	else if (from == TCPS_SYN_SENT)
		err = TE_CONNREFUSED;
	else if (from == TCPS_CLOSE_WAIT)
		err = TE_PIPE;
	else
		err = TE_CONNRESET;
	journal_add(&k->j, JE_ERROR, now_vt(k), s)->u.error.err = err;
}

/*
 * Journal the kernel's timers as they change: armed (with when it
 * fires), and when one goes, fired if its time had come or it resent
 * something meanwhile, else cancelled.  The kernel's clock ticks in
 * jiffies (4 ms at HZ=250) and sock_diag tells milliseconds: a due time
 * that moved less than a tick is the same timer.  Seen in the same look
 * as an event before it (the segment that set it), it takes that
 * event's time: it is that event's timer.
 */
static void
timers(struct kr *k, const struct ktimer tm[NSIDES], size_t nev)
{
	vtime_t	 now = now_vt(k), t = now;

	if (k->j.nev > nev)
		t = k->j.ev[k->j.nev - 1].t;
	for (int s = 0; s < NSIDES; s++) {
		vtime_t		 due = now + tm[s].left, at;
		bool		 fired;
		struct jevent	*e;

		/* The same timer: its due time moved less than two ticks,
		 * or it is overdue (a timer wheel runs a long timer late,
		 * by tens of ms) and has not resent anything yet. */
		if (tm[s].kind == k->tkind[s] && (tm[s].kind == -1 ||
		    (due > k->tdue[s] - VT_MS(8) &&
		    due < k->tdue[s] + VT_MS(8)) ||
		    (tm[s].left == 0 && tm[s].retrans == k->tretrans[s])))
			continue;
		at = t;
		if (k->tkind[s] != -1) {
			fired = k->tdue[s] <= now + VT_MS(4) ||
			    (tm[s].kind == k->tkind[s] &&
			    tm[s].retrans > k->tretrans[s]);
			if (fired)
				at = now;
			e = journal_add(&k->j, JE_TIMER, at, (enum side)s);
			e->x.timer.kind = (uint8_t)k->tkind[s];
			e->x.timer.action = fired ? TA_FIRED : TA_CANCELLED;
			e->u.timer.due = k->tdue[s];
		}
		k->tkind[s] = tm[s].kind;
		k->tdue[s] = due;
		k->tretrans[s] = tm[s].retrans;
		if (tm[s].kind == -1)
			continue;
		e = journal_add(&k->j, JE_TIMER, at, (enum side)s);
		e->x.timer.kind = (uint8_t)tm[s].kind;
		e->x.timer.action = TA_ARMED;
		e->u.timer.due = due;
	}
}

/*
 * Side s sends a segment: if its retransmission timer was due, this is
 * what it fired for, and the firing is journaled first, as it happened.
 * The next look at the timers finds it armed again.
 */
static void
timer_fired(struct kr *k, enum side s)
{
	vtime_t		 now = k->relay ? k->clock.now : now_vt(k);
	enum tcp_state	 st[NSIDES] = { TCPS_CLOSED, TCPS_CLOSED };
	struct ktimer	 tm[NSIDES];
	bool		 listening = false;
	struct jevent	*e;

	if (k->tkind[s] != TT_RTX || k->tdue[s] > now + VT_MS(8))
		return;
	/* A timeout counts a retransmission (icsk_retransmits) before it
	 * sends; a tail loss probe does not, nor RACK's reordering wait,
	 * which puts the connection in recovery (tcpi_ca_state 3) where
	 * a probe leaves it open: ask, as it goes.  Only the relay can: it
	 * reads the segment before the peer has it, while on lo the peer's
	 * answer has often reset the count already. */
	memset(tm, 0, sizeof tm);
	tm[s].retrans = k->tretrans[s] + 1;
	if (k->relay && k->diag[s] != -1)
		diag_one(k, k->diag[s], s, st, tm, &listening);
	if (k->j.nev > 0 && now < k->j.ev[k->j.nev - 1].t)
		now = k->j.ev[k->j.nev - 1].t;
	e = journal_add(&k->j, JE_TIMER, now, s);
	e->x.timer.kind = TT_RTX;
	e->x.timer.action = tm[s].retrans > k->tretrans[s] ? TA_FIRED :
	    tm[s].ca_state >= 3 ? TA_REO : TA_PROBE;
	e->u.timer.due = k->tdue[s];
	k->tkind[s] = -1;
}

/* Journal the state changes the kernel shows. */
static void
observe(struct kr *k)
{
	enum tcp_state	 st[NSIDES];
	struct ktimer	 tm[NSIDES];
	size_t		 nev = k->j.nev;

	/* Live, the states first: a segment that came in a moment ago
	 * moved its receiver before the reply it made (read after). */
	if (!k->live)
		capture(k);
	kernel_states(k, st, tm);
	/* The timers before the states: a retransmission timer that gave
	 * up is why the connection closed. */
	timers(k, tm, nev);
	for (int s = 0; s < NSIDES; s++) {
		struct jevent	*e;

		if (st[s] == k->state[s])
			continue;
		told(k, (enum side)s, k->state[s], st[s]);
		k->rst_to[s] = false;
		/* A connection that ended, its listener still open: CLOSED,
		 * then LISTEN, as the model says it. */
		if (st[s] == TCPS_LISTEN && k->state[s] != TCPS_CLOSED) {
			e = journal_add(&k->j, JE_STATE, now_vt(k),
			    (enum side)s);
			e->u.state.from = (uint8_t)k->state[s];
			e->u.state.to = TCPS_CLOSED;
			e->u.state.cause = CAUSE_KERNEL;
			k->state[s] = TCPS_CLOSED;
			k->entered[s][TCPS_CLOSED]++;
		}
		e = journal_add(&k->j, JE_STATE, now_vt(k), (enum side)s);
		e->u.state.from = (uint8_t)k->state[s];
		e->u.state.to = (uint8_t)st[s];
		e->u.state.cause = CAUSE_KERNEL;
		k->state[s] = st[s];
		k->entered[s][st[s]]++;
	}
	if (k->live)
		capture(k);
}

/* Let real time pass until t (seconds since start), watching. */
static void
pass_until(struct kr *k, double t)
{
	for (;;) {
		struct pollfd	 p[2] = {
			{ .fd = k->relay ? k->tun[0] : k->pkt, .events = POLLIN },
			{ .fd = k->relay ? k->tun[1] : -1, .events = POLLIN },
		};
		double		 left = t - (wall() - k->t0);
		struct timespec	 ts = { 0, 0 };

		observe(k);
		if (left <= 0)
			return;
		/* Microseconds, not poll's milliseconds: a wait of 1 ms
		 * after a call that took 0.3 would otherwise end 0.7 late. */
		ts.tv_nsec = left > 0.002 ? 2000000 : (long)(left * 1e9) + 1;
		ppoll(p, 2, &ts, NULL);
	}
}

/* accept(): true if it returned another client's connection. */
static bool
try_accept(struct kr *k)
{
	struct sockaddr_in	 peer = { .sin_family = AF_INET };
	socklen_t		 len = sizeof peer;
	int			 fd;

	if (!k->accept_waiting || k->listener == -1 || k->fd[SIDE_SERVER] != -1)
		return false;
	fd = accept4(k->listener, (struct sockaddr *)&peer, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return false;
	k->accept_waiting = false;
	if (ntohs(peer.sin_port) != k->port[SIDE_CLIENT]) {
		/* One of set queued's: kept open, never shown. */
		if (k->naccepted == sizeof k->others_accepted /
		    sizeof k->others_accepted[0] || k->others_waiting == 0)
			die(NULL, "accept() returned a stranger's connection");
		k->others_accepted[k->naccepted++] = fd;
		k->others_waiting--;
		return true;
	}
	k->fd[SIDE_SERVER] = fd;
	return false;
}

/* The listener's accept queue: its length now (TCP_INFO of a listener). */
static unsigned
acceptq_len(struct kr *k)
{
	struct tcp_info	 ti;
	socklen_t	 len = sizeof ti;

	if (getsockopt(k->listener, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		die(NULL, "TCP_INFO: %s", strerror(errno));
	return ti.tcpi_unacked;
}

/*
 * set queued N: other clients connect until N of their connections wait
 * in the accept queue.  Each binds a port of its own first, never the
 * script's client's, and must be seen to join the queue.
 */
static void
queue_others(struct kr *k, const struct cmd *c)
{
	unsigned	 want = (unsigned)c->u.set->n;

	if (k->listener == -1)
		die(c, "set queued needs a listening server");
	if (want < k->others_waiting)
		die(c, "only accept takes connections out of the queue");
	while (k->others_waiting < want) {
		struct sockaddr_in	 sin = { .sin_family = AF_INET };
		socklen_t		 sl = sizeof sin;
		unsigned		 before = acceptq_len(k);
		double			 until;
		int			 fd;

		if (k->nothers == sizeof k->others / sizeof k->others[0])
			die(c, "too many queued connections");
		in_ns(k, SIDE_CLIENT);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		sin.sin_addr.s_addr = htonl(k->ip[SIDE_CLIENT]);
		if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sl) == -1 ||
		    getsockname(fd, (struct sockaddr *)&sin, &sl) == -1)
			die(c, "another client's socket: %s", strerror(errno));
		if (ntohs(sin.sin_port) == k->port[SIDE_CLIENT] ||
		    ntohs(sin.sin_port) == k->port[SIDE_SERVER]) {
			close(fd);
			continue;
		}
		sin.sin_port = htons(k->port[SIDE_SERVER]);
		sin.sin_addr.s_addr = htonl(k->ip[SIDE_SERVER]);
		if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 &&
		    errno != EINPROGRESS)
			die(c, "another client's connect: %s", strerror(errno));
		k->others[k->nothers++] = fd;
		until = wall() + 0.5;
		while (acceptq_len(k) == before && wall() < until)
			pass_until(k, wall() - k->t0 + 0.001);
		if (acceptq_len(k) == before)
			die(c, "another client's connection did not join the "
			    "accept queue: it is full");
		k->others_waiting++;
	}
}

#define CONGESTION	"cubic"

/* A socket filter that takes nothing. */
static struct sock_filter	 none_code[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
static const struct sock_fprog	 take_none = { 1, none_code };

/*
 * A socket bound to side s's port, or -1 with errno from bind().  The
 * server's has SO_REUSEADDR, as servers' do; the client's only when the
 * script sets reuseaddr, so that binding a port still in TIME_WAIT fails
 * as it does for a program that did not ask.
 */
static int
new_socket(struct kr *k, enum side s)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	int			 fd, one = 1, e;

	in_ns(k, s);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		die(NULL, "socket: %s", strerror(errno));
	if (s == SIDE_SERVER || k->reuseaddr)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* The linux profile models CUBIC, Linux's default; a host set to
	 * another (BBR keeps no ssthresh: its recovery sends otherwise)
	 * would be measured against the wrong thing. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, CONGESTION,
	    sizeof CONGESTION - 1) == -1)
		die(NULL, "TCP_CONGESTION %s: %s", CONGESTION,
		    strerror(errno));
	/* A listener's is inherited by the connections it accepts. */
	if (k->user_timeout[s] > 0 && setsockopt(fd, IPPROTO_TCP,
	    TCP_USER_TIMEOUT, &k->user_timeout[s],
	    sizeof k->user_timeout[s]) == -1)
		die(NULL, "TCP_USER_TIMEOUT: %s", strerror(errno));
	sin.sin_addr.s_addr = htonl(k->ip[s]);
	sin.sin_port = htons(k->port[s]);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
set_keepalive(struct kr *k, int fd, bool on)
{
	int	 v = on;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v);
	if (!on)
		return;
	if (k->keep_idle > 0) {
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &k->keep_idle,
		    sizeof k->keep_idle);
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &k->keep_intvl,
		    sizeof k->keep_intvl);
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &k->keep_cnt,
		    sizeof k->keep_cnt);
	}
}

/* set user-timeout SIDE D: on the side's sockets, now and to come. */
static void
set_user_timeout(struct kr *k, const struct cmd *c)
{
	int	 fds[2] = { k->fd[c->side], c->side == SIDE_SERVER ?
	    k->listener : -1 };

	if (c->u.set->d[0] % 1000 != 0)
		die(c, "the kernel takes TCP_USER_TIMEOUT in whole "
		    "milliseconds");
	k->user_timeout[c->side] = (unsigned int)(c->u.set->d[0] / 1000);
	for (int i = 0; i < 2; i++) {
		if (fds[i] != -1 && setsockopt(fds[i], IPPROTO_TCP,
		    TCP_USER_TIMEOUT, &k->user_timeout[c->side],
		    sizeof k->user_timeout[c->side]) == -1)
			die(c, "TCP_USER_TIMEOUT: %s", strerror(errno));
	}
}

/* net.ipv4.NAME = v, in the namespace we run in. */
static void
set_sysctl(struct kr *k, const struct cmd *c, const char *name, uint64_t v)
{
	char	 path[96];
	FILE	*f;

	snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
	/* The relay's two namespaces have a value each. */
	for (int s = 0; s < (k->relay ? NSIDES : 1); s++) {
		in_ns(k, (enum side)s);
		if ((f = fopen(path, "w")) == NULL ||
		    fprintf(f, "%llu\n", (unsigned long long)v) < 0 ||
		    fclose(f) == EOF)
			die(c, "%s: %s", path, strerror(errno));
	}
}

/* Bring the interface ifr names up, through socket s. */
static void
if_up(int s, struct ifreq *ifr)
{
	if (ioctl(s, SIOCGIFFLAGS, ifr) == -1)
		die(NULL, "%s: %s", ifr->ifr_name, strerror(errno));
	ifr->ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, ifr) == -1)
		die(NULL, "%s up: %s", ifr->ifr_name, strerror(errno));
}

/* Bring lo up in a network namespace just made. */
static void
lo_up(void)
{
	struct ifreq	 ifr;
	int		 fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		die(NULL, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if_up(fd, &ifr);
	close(fd);
}

/* Write text to a file of /proc: 0, or -1 with errno. */
static int
proc_write(const char *path, const char *text)
{
	int	 fd, e;
	ssize_t	 n;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	n = write(fd, text, strlen(text));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * Where the run takes place.  Not root: a user namespace of our own, in
 * which this process is root, and a network namespace it owns, so that it
 * may capture, filter and set sysctls there (and nowhere else).  Root:
 * the host's lo, unless the script sets a sysctl of the network
 * namespace (tcp_retries2 and the like): setting the host's
 * would change every other program's connections, so such a script gets
 * a namespace of its own.  A new namespace starts from the kernel's
 * defaults, which are what synfin models.
 */
static void
own_netns(const struct script *sc)
{
	bool		 wanted = false;
	uid_t		 uid = geteuid();
	gid_t		 gid = getegid();
	char		 map[64];

	for (size_t i = 0; i < sc->ncmds; i++) {
		if (sc->cmds[i].type == CMD_SET &&
		    (sc->cmds[i].u.set->key == SET_RETRIES ||
		    sc->cmds[i].u.set->key == SET_ABORT_ON_OVERFLOW ||
		    sc->cmds[i].u.set->key == SET_FIN_TIMEOUT ||
		    sc->cmds[i].u.set->key == SET_SYN_RETRIES ||
		    sc->cmds[i].u.set->key == SET_SYNACK_RETRIES))
			wanted = true;
	}
	if (uid != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == -1)
			die(NULL, "the kernel engine needs root, or a user "
			    "namespace of its own, and this system refuses one "
			    "(unshare: %s; see user.max_user_namespaces and "
			    "kernel.unprivileged_userns_clone)", strerror(errno));
		snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
		if (proc_write("/proc/self/setgroups", "deny") == -1 ||
		    proc_write("/proc/self/uid_map", map) == -1)
			die(NULL, "user namespace: %s", strerror(errno));
		snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
		if (proc_write("/proc/self/gid_map", map) == -1)
			die(NULL, "user namespace: %s", strerror(errno));
		lo_up();
		return;
	}
	if (!wanted)
		return;
	if (unshare(CLONE_NEWNET) == -1)
		die(NULL, "unshare(CLONE_NEWNET): %s", strerror(errno));
	lo_up();
}

/* Relay: make the sockets of side s (and ask the kernel) in its
 * namespace; a socket stays in the namespace it was made in. */
static void
in_ns(struct kr *k, enum side s)
{
	if (k->relay && setns(k->ns[s], CLONE_NEWNET) == -1)
		die(NULL, "setns: %s", strerror(errno));
}

/* A segment's time on the link has come: into the other side's TUN. */
static void
relay_arrive(void *ctx, struct flight *f)
{
	struct kr	*k = ctx;

	if (write(k->tun[!f->dir], f->bytes, f->nbytes) != (ssize_t)f->nbytes)
		die(NULL, "tun: %s", strerror(errno));
	if (k->j.segs[f->seg].seg.flags & TH_RST)
		k->rst_to[!f->dir] = true;
	journal_seg_event(&k->j, k->clock.now, f->seg,
	    f->copy ? FATE_DUPLICATED : FATE_DELIVERED);
}

static void
relay_lost(void *ctx, struct flight *f)
{
	struct kr	*k = ctx;

	journal_seg_event(&k->j, k->clock.now, f->seg, FATE_DROPPED);
}

static const struct link_ops relay_ops = { relay_arrive, relay_lost };

/* Let the link's clock catch up with the wall: what is due arrives. */
static void
relay_tick(struct kr *k)
{
	vtime_t	 now = now_vt(k);

	while (clock_fire_next(&k->clock, now))
		continue;
	if (now > k->clock.now)
		clock_advance(&k->clock, now);
}

/* Every packet a side's kernel sent: journaled, and onto the link. */
static void
relay_read(struct kr *k)
{
	relay_tick(k);
	for (int s = 0; s < NSIDES; s++) {
		for (;;) {
			ssize_t		 n = read(k->tun[s], k->buf, 65536);
			struct iphdr	*ip = (struct iphdr *)k->buf;
			struct segment	 seg;
			size_t		 hl;
			int		 id;

			if (n <= 0)
				break;
			if ((size_t)n < sizeof *ip || ip->version != 4 ||
			    ip->protocol != IPPROTO_TCP)
				continue;
			hl = ip->ihl * 4u;
			if (hl < sizeof *ip || (size_t)n < hl ||
			    segment_decode(k->buf + hl, (size_t)n - hl, NULL,
			    &seg, NULL) != SEG_OK)
				continue;
			/* Other clients' connections (set queued) cross at
			 * once, unseen. */
			if (seg.sport != k->port[s] ||
			    seg.dport != k->port[!s]) {
				if (write(k->tun[!s], k->buf, (size_t)n) != n)
					die(NULL, "tun: %s", strerror(errno));
				continue;
			}
			/* A crashed host sends nothing (see crash). */
			if (k->down[s] && (seg.flags & TH_RST)) {
				k->hidden++;
				continue;
			}
			timer_fired(k, (enum side)s);
			id = journal_add_seg(&k->j, (enum dir)s, &seg,
			    k->buf + hl, (size_t)n - hl, false, k->clock.now);
			compare_segment(k, &k->j.segs[id]);
			link_send(&k->link, id, (enum dir)s, seg.flags, k->buf,
			    (size_t)n);
			k->last_seg = wall();
		}
	}
}

/* A TUN device in the current namespace, up, with this address. */
static int
tun_open(uint32_t addr)
{
	struct ifreq		 ifr;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int			 fd, s;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		die(NULL, "segments held, delayed or copied, or a latency, "
		    "need the kernel's TUN device, and /dev/net/tun: %s (as "
		    "root it works)", strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "synfin0");
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		die(NULL, "TUNSETIFF: %s", strerror(errno));
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		die(NULL, "socket: %s", strerror(errno));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	if (ioctl(s, SIOCSIFADDR, &ifr) == -1)
		die(NULL, "tun address: %s", strerror(errno));
	sin->sin_addr.s_addr = htonl(0xffffff00u);
	if (ioctl(s, SIOCSIFNETMASK, &ifr) == -1)
		die(NULL, "tun netmask: %s", strerror(errno));
	/* lo's MSS: 65535 - 40, as the model's linux profile sends. */
	ifr.ifr_mtu = 65535;
	if (ioctl(s, SIOCSIFMTU, &ifr) == -1)
		die(NULL, "tun mtu: %s", strerror(errno));
	if_up(s, &ifr);
	close(s);
	return fd;
}

/* Two namespaces, a TUN device in each, this process between them. */
static void
relay_setup(struct kr *k)
{
	for (int s = 0; s < NSIDES; s++) {
		if (unshare(CLONE_NEWNET) == -1)
			die(NULL, "unshare(CLONE_NEWNET): %s", strerror(errno));
		if ((k->ns[s] = open("/proc/self/ns/net", O_RDONLY |
		    O_CLOEXEC)) == -1)
			die(NULL, "/proc/self/ns/net: %s", strerror(errno));
		lo_up();
		k->ip[s] = RELAY_NET | (uint32_t)(s + 1);
		k->tun[s] = tun_open(k->ip[s]);
	}
	clock_init(&k->clock);
	link_init(&k->link, &k->clock, &relay_ops, k);
}

/* The socket a call on side s acts on: the server's is its connection. */
static int
sock_of(struct kr *k, enum side s, bool implicit_accept)
{
	if (s == SIDE_SERVER && implicit_accept && k->fd[s] == -1) {
		k->accept_waiting = true;
		try_accept(k);
	}
	return k->fd[s];
}

/*
 * The host of side s stops dead.  Its peer cannot tell that from its
 * sockets vanishing without a word: abort them (SO_LINGER 0) and drop,
 * until the reboot, the RSTs that leave its port, starting with that
 * abort's.
 */
/* Side s's program holds no socket any more: its connection and, a
 * server's, its listener. */
static void
close_sockets(struct kr *k, enum side s)
{
	if (k->fd[s] != -1) {
		close(k->fd[s]);
		k->fd[s] = -1;
	}
	if (s == SIDE_SERVER && k->listener != -1) {
		close(k->listener);
		k->listener = -1;
		k->accept_waiting = false;
	}
}

static void
crash(struct kr *k, enum side s)
{
	struct linger	 l = { 1, 0 };
	unsigned	 hidden = k->hidden;
	double		 until;

	capture(k);		/* what it sent before */
	if (!k->relay) {	/* the relay itself holds them back */
		make_table(k);
		nft("add rule netdev %s down%d ip protocol tcp tcp sport %u "
		    "tcp flags & rst == rst counter drop\n", k->table, (int)s,
		    k->port[s]);
	}
	k->down[s] = true;
	if (k->fd[s] != -1)
		setsockopt(k->fd[s], SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close_sockets(k, s);
	/* Lo's receive side may see the RST a little later: wait for it
	 * while the rule is sure to be there. */
	until = wall() - k->t0 + 0.05;
	while (k->hidden == hidden && wall() - k->t0 < until)
		pass_until(k, wall() - k->t0 + 0.001);
}

static void
reboot(struct kr *k, enum side s)
{
	capture(k);
	if (k->down[s] && !k->relay)
		nft("flush chain netdev %s down%d\n", k->table, (int)s);
	k->down[s] = false;
}

/*
 * A call on no connection: in a script a mistake, which stops the run;
 * a key in the sandbox gets what a program would, ENOTCONN.
 */
static struct tcp_result
no_connection(struct kr *k, const struct cmd *c, const char *call)
{
	struct tcp_result	 r = { TE_NOTCONN, OUT_NOT_CONNECTED, 0 };

	if (!k->live)
		die(c, "%s: no connection", call);
	return r;
}

/* The error a call failed with, as synfin names it. */
static struct tcp_result
failed(int e)
{
	struct tcp_result	 r = { tcp_error_from_errno(e), OUT_NONE, 0 };

	return r;
}

static struct tcp_result
do_call(struct kr *k, const struct cmd *c)
{
	struct tcp_result res = { TE_NONE, OUT_NONE, 0 };
	enum side	 s = c->side;
	int		 fd;
	ssize_t		 n;

	switch (c->u.call.call) {
	case CALL_LISTEN:
		/* Again: listen() on the listener, as a program may. */
		if (k->listener == -1 &&
		    (k->listener = new_socket(k, s)) == -1) {
			if (k->live) {
				res = failed(errno);
				break;
			}
			die(c, "bind 127.0.0.1:%u: %s", k->port[s],
			    strerror(errno));
		}
		if (listen(k->listener, k->backlog) == -1)
			die(c, "listen: %s", strerror(errno));
		break;
	case CALL_ACCEPT:
		k->accept_waiting = true;
		if (try_accept(k))
			res.what = OUT_OTHER_CONN;
		break;
	case CALL_CONNECT: {
		struct sockaddr_in	 sin = { .sin_family = AF_INET };

		/* A socket whose connection ended may connect again; one
		 * still connected may not. */
		if (k->fd[s] != -1 && k->state[s] != TCPS_CLOSED) {
			res.err = TE_ISCONN;
			res.what = OUT_CONNECTED_ALREADY;
			break;
		}
		if (k->fd[s] != -1) {
			close(k->fd[s]);
			k->fd[s] = -1;
		}
		if ((fd = new_socket(k, s)) == -1) {
			res = failed(errno);
			break;
		}
		if (k->keep_idle > 0)
			set_keepalive(k, fd, true);
		sin.sin_addr.s_addr = htonl(k->ip[!s]);
		sin.sin_port = htons(k->port[!s]);
		if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 &&
		    errno != EINPROGRESS)
			res = failed(errno);
		k->fd[s] = fd;
		break;
	}
	case CALL_SEND: {
		uint8_t	*data;
		uint32_t done = 0;

		if ((fd = sock_of(k, s, true)) == -1) {
			res = no_connection(k, c, "send");
			break;
		}
		data = xmalloc(c->u.call.n);
		tcp_stream_bytes(s, 0, data, c->u.call.n);
		while (done < c->u.call.n) {
			n = send(fd, data + done, c->u.call.n - done,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0) {
				res = failed(errno);
				break;
			}
			done += (uint32_t)n;
		}
		free(data);
		break;
	}
	case CALL_READ: {
		uint32_t got = 0, want = c->u.call.has_n ? c->u.call.n : ~0u;

		if ((fd = sock_of(k, s, true)) == -1) {
			res = no_connection(k, c, "read");
			break;
		}
		/* One recv() takes all that waits, as the model's read
		 * does (a smaller buffer would let a window update out
		 * between the pieces); another, what that read's own ACK
		 * brought meanwhile. */
		while (got < want) {
			n = recv(fd, k->buf, want - got > READ_MAX ? READ_MAX :
			    want - got, MSG_DONTWAIT);
			if (n < 0) {
				if (errno != EAGAIN)
					res = failed(errno);
				break;
			}
			if (n == 0) {
				res.what = OUT_EOF;
				break;
			}
			got += (uint32_t)n;
		}
		if (got > 0) {
			res.what = OUT_BYTES;
			res.n = got;
		}
		break;
	}
	case CALL_SHUTDOWN:
		if ((fd = sock_of(k, s, true)) == -1) {
			res = no_connection(k, c, "shutdown");
			break;
		}
		shutdown(fd, SHUT_WR);
		break;
	case CALL_ABORT: {
		struct linger	 l = { 1, 0 };

		if ((fd = sock_of(k, s, false)) != -1)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
		/* FALLTHROUGH */
	case CALL_CLOSE:
		/* The server's connection if accepted, else its listener. */
		if (k->fd[s] != -1) {
			close(k->fd[s]);
			k->fd[s] = -1;
		} else if (s == SIDE_SERVER && k->listener != -1) {
			close(k->listener);
			k->listener = -1;
		}
		break;
	case CALL_EXIT:
		/* The kernel closes every descriptor the program held,
		 * its connection and, a server's, its listener. */
		close_sockets(k, s);
		break;
	case CALL_KEEPALIVE:
		if ((fd = sock_of(k, s, false)) != -1)
			set_keepalive(k, fd, c->u.call.on);
		break;
	case CALL_CRASH:
		crash(k, s);
		break;
	case CALL_REBOOT:
		reboot(k, s);
		break;
	}
	return res;
}

/* A crafted segment through a raw socket, numbers made absolute. */
static void
inject(struct kr *k, const struct cmd *c)
{
	struct seg_addrs	 a = { LOOPBACK, LOOPBACK };
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	struct segment		 seg;
	uint8_t			 buf[1500];
	enum dir		 d = c->dir;
	int			 n;

	if (k->relay)
		die(c, "inject does not go through the relay yet");
	if (!k->j.have_base[d] || !k->j.have_base[!d])
		die(c, "inject needs a connection to number against");
	segment_init(&seg);
	seg.sport = k->port[d];
	seg.dport = k->port[!d];
	seg.flags = c->u.seg.flags;
	seg.seq = c->u.seg.seq + k->j.base[d];
	seg.ack = (seg.flags & TH_ACK) ? c->u.seg.ack + k->j.base[!d] : 0;
	seg.win = c->u.seg.fields & FIELD_WIN ? c->u.seg.win : 512;
	if (c->u.seg.len > 0)
		die(c, "inject with data is not supported here");
	n = segment_encode(&seg, NULL, &a, buf, sizeof buf);
	sin.sin_addr.s_addr = htonl(LOOPBACK);
	if (sendto(k->raw, buf, (size_t)n, 0, (struct sockaddr *)&sin,
	    sizeof sin) != n)
		die(c, "raw send: %s", strerror(errno));
}

static bool
quiet(struct kr *k)
{
	/* Through the relay, nothing due on the link either (a held
	 * segment waits for a release that will not come). */
	return wall() - k->last_seg >= QUIET_GAP &&
	    (!k->relay || k->clock.head == NULL);
}

/* One command of the script's (or a key of the sandbox's), now. */
static void
run_cmd(struct kr *k, const struct cmd *c)
{
	struct jcall		*jc;
	struct tcp_result	 res;
	double			 until;
	size_t			 at;

	switch (c->type) {
	case CMD_SAY:		/* the lesson's words, as the model's */
		journal_say(&k->j, now_vt(k), c->u.text.lang,
		    c->u.text.text);
		break;
	case CMD_PAUSE:
		journal_add(&k->j, JE_PAUSE, now_vt(k), SIDE_NONE);
		break;
	case CMD_ASK:
		journal_ask(&k->j, now_vt(k), c->u.ask->lang,
		    c->u.ask->text, c->u.ask->choices,
		    c->u.ask->nchoices, c->u.ask->answer, c->u.ask->why);
		break;
	case CMD_TITLE:
	case CMD_GROUP:
	case CMD_EXPECT_STATE:
	case CMD_EXPECT_SEGMENT:
	case CMD_EXPECT_ERROR:
	case CMD_EXPECT_READ:
	case CMD_EXPECT_IGNORED:
	case CMD_EXPECT_QUEUED:
		break;
	case CMD_PROFILE:
		if (c->u.profile != PROFILE_LINUX)
			die(c, "the kernel is the linux profile");
		break;
	case CMD_SET:
		switch (c->u.set->key) {
		case SET_SEED:
		case SET_ISN:
			break;		/* the kernel picks its own */
		case SET_ADDR:
			/* The relay's sides have addresses of their
			 * own; the ports are the script's. */
			if (c->u.set->ip != LOOPBACK && !k->relay)
				die(c, "the kernel runs on 127.0.0.1");
			k->port[c->side] = c->u.set->port;
			break;
		case SET_LATENCY:
			/* needs_relay chose the relay for it. */
			k->link.latency = c->u.set->d[0];
			break;
		case SET_REUSEADDR:
			k->reuseaddr = c->u.set->n != 0;
			break;
		case SET_USER_TIMEOUT:
			set_user_timeout(k, c);
			break;
		case SET_BACKLOG:
			/* listen() again sets it anew. */
			k->backlog = (int)c->u.set->n;
			if (k->listener != -1 &&
			    listen(k->listener, k->backlog) == -1)
				die(c, "listen: %s", strerror(errno));
			break;
		case SET_QUEUED:
			queue_others(k, c);
			break;
		case SET_ABORT_ON_OVERFLOW:
			set_sysctl(k, c, "tcp_abort_on_overflow",
			    c->u.set->n);
			break;
		case SET_FAST_RETRANSMIT:
			die(c, "set fast-retransmit is the textbook's: the "
			    "kernel recovers as Linux does (SACK, RACK)");
		case SET_FIN_TIMEOUT:
			set_sysctl(k, c, "tcp_fin_timeout",
			    (uint64_t)(c->u.set->d[0] / VT_SEC(1)));
			break;
		case SET_SYN_RETRIES:
			set_sysctl(k, c, "tcp_syn_retries", c->u.set->n);
			break;
		case SET_SYNACK_RETRIES:
			set_sysctl(k, c, "tcp_synack_retries",
			    c->u.set->n);
			break;
		case SET_RETRIES:
			/* In our own namespace (main): the host's
			 * stays as it is. */
			set_sysctl(k, c, "tcp_retries2", c->u.set->n);
			set_sysctl(k, c, "tcp_orphan_retries",
			    c->u.set->n);
			break;
		case SET_KEEPALIVE:
			k->keep_idle = (int)(c->u.set->d[0] / 1000000);
			k->keep_intvl = (int)(c->u.set->d[1] / 1000000);
			k->keep_cnt = (int)c->u.set->n;
			if (k->keep_idle < 1 || k->keep_intvl < 1)
				die(c, "the kernel counts keepalive in "
				    "whole seconds");
			break;
		default:
			die(c, "the kernel's timers cannot be set here");
		}
		break;
	case CMD_CALL:
		jc = journal_call(&k->j, now_vt(k), c->side);
		jc->call = (uint8_t)c->u.call.call;
		jc->arg = c->u.call.n;
		jc->has_arg = c->u.call.has_n;
		at = k->j.ncalls - 1;
		res = do_call(k, c);
		journal_set_result(&k->j.calls[at], &res);
		/* listen() returned: the kernel listens; connect()
		 * returned: its SYN went out from SYN_SENT, whatever
		 * came of it before we next look. */
		if ((c->u.call.call == CALL_LISTEN ||
		    c->u.call.call == CALL_CONNECT) &&
		    res.err == TE_NONE &&
		    k->state[c->side] == TCPS_CLOSED) {
			bool		 l = c->u.call.call == CALL_LISTEN;
			struct jevent	*e = journal_add(&k->j,
			    JE_STATE, now_vt(k), c->side);

			e->u.state.from = TCPS_CLOSED;
			e->u.state.to = l ? TCPS_LISTEN : TCPS_SYN_SENT;
			e->u.state.cause = l ? CAUSE_LISTEN :
			    CAUSE_CONNECT;
			k->state[c->side] = e->u.state.to;
			k->entered[c->side][e->u.state.to]++;
		}
		break;
	case CMD_RULE:
		/* Through the relay, the link of the model decides;
		 * on lo, nftables can only drop. */
		if (k->relay)
			link_add_rule(&k->link, c->u.rule.kind, c->dir,
			    c->u.rule.flags, c->u.rule.exact,
			    c->u.rule.standing, c->u.rule.extra);
		else
			add_drop(k, c);
		break;
	case CMD_RULE_CLEAR:
		if (k->relay)
			link_clear_rules(&k->link, RULE_DROP,
			    c->u.rule.dir);
		else
			clear_drops(k);
		break;
	case CMD_RELEASE:
		relay_tick(k);
		link_release(&k->link, c->u.rule.dir);
		break;
	case CMD_WAIT: {
		/* The script's clock, not the time since the last call: a
		 * call that took milliseconds (an nft rule, a process) is
		 * caught up by the next wait, and the calls stay where the
		 * model makes them, against the kernels' timers.  A wait
		 * the script's clock has already passed only takes in what
		 * came meanwhile: it used to let a millisecond more pass,
		 * and a few drops and 1 ms waits put the calls 6 ms late. */
		k->script_t += c->u.wait / 1e6;
		pass_until(k, k->script_t);
		break;
	}
	case CMD_WAIT_UNTIL: {
		/* Entered, though perhaps left at once (a server's
		 * connection CLOSED, its listener LISTEN again). */
		unsigned	 seen = k->entered[c->side][c->u.state];

		until = wall() - k->t0 + WAIT_UNTIL_MAX;
		while (k->state[c->side] != c->u.state &&
		    k->entered[c->side][c->u.state] == seen &&
		    wall() - k->t0 < until)
			pass_until(k, wall() - k->t0 + 0.001);
		if (k->script_t < wall() - k->t0)
			k->script_t = wall() - k->t0;
		break;
	}
	case CMD_WAIT_IDLE:
		/* Nothing sent for a while, no connection waiting
		 * on a retransmission. */
		do {
			pass_until(k, wall() - k->t0 + 0.01);
		} while (!quiet(k) ||
		    k->state[0] == TCPS_SYN_SENT ||
		    k->state[1] == TCPS_SYN_RECEIVED ||
		    k->state[0] == TCPS_FIN_WAIT_1 ||
		    k->state[1] == TCPS_FIN_WAIT_1 ||
		    k->state[0] == TCPS_LAST_ACK ||
		    k->state[1] == TCPS_LAST_ACK);
		if (k->script_t < wall() - k->t0)
			k->script_t = wall() - k->t0;
		break;
	case CMD_INJECT:
		inject(k, c);
		break;
	case CMD_INJECT_BAD:
		die(c, "garbage never reaches the kernel's TCP");
	}
	/* Live, observe() reads the states first, then the segments. */
	if (!k->live)
		capture(k);
	try_accept(k);
}

static void
run_script(struct kr *k)
{
	for (size_t i = 0; i < k->script->ncmds; i++) {
		const struct cmd	*c = &k->script->cmds[i];

		if (c->at >= 0)
			pass_until(k, c->at / 1e6);
		run_cmd(k, c);
		/* Between two calls a real program does nothing; the
		 * states are read only when time passes (or is waited on). */
		if (i + 1 < k->script->ncmds &&
		    k->script->cmds[i + 1].type != CMD_CALL)
			observe(k);
	}
	/* As synfin run does: on until nothing more is on its way. */
	do {
		pass_until(k, wall() - k->t0 + 0.01);
	} while (!quiet(k));
}

/* Give back what a run holds: its sockets, its nft table, its memory. */
static void
teardown(struct kr *k)
{
	cleanup();
	for (int s = 0; s < NSIDES; s++) {
		if (k->fd[s] != -1)
			close(k->fd[s]);
	}
	if (k->listener != -1)
		close(k->listener);
	for (unsigned i = 0; i < k->nothers; i++)
		close(k->others[i]);
	for (unsigned i = 0; i < k->naccepted; i++)
		close(k->others_accepted[i]);
	if (k->pkt != -1)
		close(k->pkt);
	if (k->raw != -1)
		close(k->raw);
	for (int s = 0; s < NSIDES; s++) {
		if (k->diag[s] != -1)
			close(k->diag[s]);
	}
	if (k->relay) {
		link_free(&k->link);
		for (int s = 0; s < NSIDES; s++) {
			if (k->tun[s] != -1)
				close(k->tun[s]);
			if (k->ns[s] != -1)
				close(k->ns[s]);
		}
	}
	for (int d = 0; d < 2; d++) {
		if (k->model[d] != NULL)
			trace_sent_free(k->model[d], k->nmodel[d], NULL);
	}
	free(k->buf);
	cleanup_kr = NULL;
}

/* A run about to begin, on a script, its errors said in err. */
static void
kr_init(struct kr *k, const struct script *sc, char *err, size_t errlen)
{
	static bool	 registered;

	memset(k, 0, sizeof *k);
	cleanup_kr = k;
	fail_err = err;
	fail_errlen = errlen;
	k->script = sc;
	journal_init(&k->j);
	k->j.conn.profile = PROFILE_LINUX;
	/* Touched now, before the clock starts, as a program that reuses
	 * its buffer has it: the first reads would otherwise fault its
	 * pages in while they copy, time the model's reads do not take. */
	k->buf = xmalloc(READ_MAX);
	memset(k->buf, 0, READ_MAX);
	k->fd[0] = k->fd[1] = k->listener = k->pkt = k->raw = -1;
	k->tun[0] = k->tun[1] = k->ns[0] = k->ns[1] = k->home = -1;
	k->diag[0] = k->diag[1] = -1;
	k->tkind[0] = k->tkind[1] = -1;
	k->ip[0] = k->ip[1] = LOOPBACK;
	k->backlog = TCP_BACKLOG_DEFAULT;
	/* Fresh ports for each run unless the script sets them: the last
	 * run's TIME_WAIT must not meet this one. */
	k->port[SIDE_CLIENT] = (uint16_t)(40000 + getpid() % 20000);
	k->port[SIDE_SERVER] = (uint16_t)(20000 + getpid() % 10000);
	if (!registered) {
		atexit(cleanup);
		registered = true;
	}
}

/*
 * Run the script's calls on the kernel's TCP and journal what it did in
 * *j (the caller frees it): 0, or -1 with the reason in err.
 */
int
kernel_run(const struct script *sc, const struct journal *model,
    struct journal *j, char *err, size_t errlen)
{
	static struct kr	 k;	/* static: setjmp leaves it whole */
	struct sockaddr_ll	 sll = { .sll_family = AF_PACKET };
	char *const		 flush[] = { "ip", "tcp_metrics", "flush", "all",
	    NULL };
	struct tpacket_stats	 st;
	socklen_t		 stlen = sizeof st;
	int			 rcvbuf = 32 << 20;
	void			(*old_int)(int), (*old_term)(int), (*old_pipe)(int);

	/* What the kernel cannot do is said before any real time passes. */
	if (!script_kernel_ok(sc, err, errlen))
		return -1;
	kr_init(&k, sc, err, errlen);
	k.relay = script_needs_relay(sc);
	for (int d = 0; model != NULL && d < 2; d++)
		k.model[d] = trace_sent(model, (enum dir)d, &k.nmodel[d], NULL);
	old_int = signal(SIGINT, on_signal);
	old_term = signal(SIGTERM, on_signal);
	old_pipe = signal(SIGPIPE, SIG_IGN);
	if (setjmp(failed_run) != 0) {
		teardown(&k);
		journal_free(&k.j);
		signal(SIGINT, old_int);
		signal(SIGTERM, old_term);
		signal(SIGPIPE, old_pipe);
		return -1;
	}

	own_netns(k.script);
	if (k.relay) {
		relay_setup(&k);
		goto ready;
	}

	/* Lossy runs leave a large RTT cached for 127.0.0.1, which would
	 * slow the next run's timers: start clean. */
	run_prog(NULL, flush);

	/* ETH_P_ALL, as tcpdump: such taps see a packet before lo's
	 * ingress hook can drop it; an ETH_P_IP socket would not. */
	k.pkt = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (k.pkt == -1)
		die(NULL, "packet socket: %s", strerror(errno));
	/* It sees all of lo, other programs' traffic too, and is not read
	 * while nft runs: room for a burst. */
	if (setsockopt(k.pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof rcvbuf) == -1)		/* not root: as much as allowed */
		setsockopt(k.pkt, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof rcvbuf);
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex("lo");
	if (bind(k.pkt, (struct sockaddr *)&sll, sizeof sll) == -1)
		die(NULL, "bind to lo: %s", strerror(errno));
	k.raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (k.raw == -1)
		die(NULL, "raw socket: %s", strerror(errno));
	/* It only sends.  Unread, it would keep a clone of each TCP packet
	 * that came in until its buffer filled, and a receiver cannot add
	 * to a buffer still shared so (skb_try_coalesce): its receive
	 * queue, and so its window, would be other than a program's. */
	if (setsockopt(k.raw, SOL_SOCKET, SO_ATTACH_FILTER, &take_none,
	    sizeof take_none) == -1)
		die(NULL, "raw socket filter: %s", strerror(errno));
	/* nft's first command reads the whole ruleset, some 30 ms: done
	 * before the clock starts, so that the script's first drop is as
	 * quick as the others. */
	for (size_t i = 0; i < sc->ncmds; i++)
		if (sc->cmds[i].type == CMD_RULE) {
			make_table(&k);
			break;
		}

ready:
	k.t0 = wall();
	k.last_seg = k.t0;
	run_script(&k);
	compare_end(&k);
	/* As the model's run ends: the timers still set, and when. */
	for (int s = 0; s < NSIDES; s++) {
		struct jevent	*e;

		if (k.tkind[s] == -1)
			continue;
		e = journal_add(&k.j, JE_TIMER, now_vt(&k), (enum side)s);
		e->x.timer.kind = (uint8_t)k.tkind[s];
		e->x.timer.action = TA_PENDING;
		e->u.timer.due = k.tdue[s];
	}
	for (int d = 0; d < NSIDES; d++) {	/* as the view names them */
		k.j.conn.ip[d] = k.ip[d];
		k.j.conn.port[d] = k.port[d];
	}
	/* A segment the packet socket missed would make a false recording. */
	if (!k.relay &&
	    getsockopt(k.pkt, SOL_PACKET, PACKET_STATISTICS, &st, &stlen) == 0 &&
	    st.tp_drops > 0)
		die(NULL, "the packet socket lost %u packets on lo: run again",
		    st.tp_drops);
	teardown(&k);
	signal(SIGINT, old_int);
	signal(SIGTERM, old_term);
	signal(SIGPIPE, old_pipe);
	*j = k.j;
	return 0;
}

/*
 * The sandbox on the kernel (session.h's live engine).  Each key is a
 * real call, made as it is pressed; the two sides are the relay's, and
 * every segment either kernel sends waits in synfin's hands (a standing
 * hold rule on the link) until the learner lets it go on, as it was or
 * lost, copied or late.  The kernels' own clocks do not wait: a segment
 * held past the sender's retransmission timeout is sent again, as it
 * would be on a slow network, and the learner sees that too.
 *
 * Each entry point comes back here if the run cannot go on (die): the
 * engine is then stopped, and says why.
 */
#define LIVE_ENTER(k, err, errlen)					\
	do {								\
		cleanup_kr = (k);					\
		fail_err = (err);					\
		fail_errlen = (errlen);					\
		if (setjmp(failed_run) != 0) {				\
			(k)->dead = true;				\
			return -1;					\
		}							\
		if ((k)->dead) {					\
			snprintf((err), (errlen), "the kernel engine "	\
			    "has stopped");				\
			return -1;					\
		}							\
	} while (0)

static const struct journal *
live_journal(void *arg)
{
	return &((struct kr *)arg)->j;
}

static int
live_poll(void *arg, char *err, size_t errlen)
{
	struct kr	*k = arg;

	LIVE_ENTER(k, err, errlen);
	observe(k);
	try_accept(k);
	return 0;
}

static int
live_act(void *arg, int n, const struct cmd *c, char *err, size_t errlen)
{
	struct kr	*k = arg;

	LIVE_ENTER(k, err, errlen);
	k->j.cur_cmd = n;
	run_cmd(k, c);
	observe(k);
	return 0;
}

/* 0; 1 if the segment is not held (err says so); -1 if stopped. */
static int
live_let_go(void *arg, int seg, int kind, char *err, size_t errlen)
{
	struct kr	*k = arg;
	vtime_t		 extra = kind == RULE_DELAY ? SESSION_DELAY :
			     kind == RULE_DUP ? SESSION_DUP_LAG : 0;

	LIVE_ENTER(k, err, errlen);
	relay_tick(k);
	if (link_let_go(&k->link, seg, kind, extra) == -1) {
		snprintf(err, errlen, "#%d is no longer on its way: it has "
		    "arrived, or was lost", seg + 1);
		return 1;
	}
	relay_tick(k);		/* due now: into the other side's TUN */
	observe(k);
	return 0;
}

static int
live_first_held(void *arg)
{
	return link_first_held(&((struct kr *)arg)->link);
}

static int
live_hold(void *arg, bool on, char *err, size_t errlen)
{
	struct kr	*k = arg;

	LIVE_ENTER(k, err, errlen);
	relay_tick(k);
	link_clear_rules(&k->link, RULE_HOLD, -1);
	if (on) {
		for (int d = 0; d < 2; d++)
			link_add_rule(&k->link, RULE_HOLD, (enum dir)d, 0,
			    false, true, 0);
	} else
		link_release(&k->link, -1);
	relay_tick(k);
	observe(k);
	return 0;
}

static vtime_t
live_now(void *arg)
{
	return now_vt(arg);
}

static void
live_close(void *arg)
{
	struct kr	*k = arg;

	cleanup_kr = k;
	teardown(k);
	/* Back where the program began (as root: the host's). */
	if (k->home != -1) {
		/* Failing, it stays in the relay's: harmless. */
		(void)setns(k->home, CLONE_NEWNET);
		close(k->home);
	}
	journal_free(&k->j);
	script_free((struct script *)k->script);
	free(k);
}

static const struct live_ops kernel_live_ops = {
	live_journal, live_poll, live_act, live_let_go, live_first_held,
	live_hold, live_now, live_close,
};

/*
 * Make the kernel's sandbox: two network namespaces joined through this
 * process, every segment held.  0 with the engine in *ops and *arg, or
 * -1 with the reason in err (the relay needs /dev/net/tun).
 */
int
kernel_live_open(const struct live_ops **ops, void **arg, char *err,
    size_t errlen)
{
	struct kr	*k = xmalloc(sizeof *k);

	kr_init(k, script_new("sandbox"), err, errlen);
	k->live = k->relay = true;
	if (setjmp(failed_run) != 0) {
		live_close(k);
		return -1;
	}
	k->home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	own_netns(k->script);
	relay_setup(k);
	for (int d = 0; d < 2; d++)
		link_add_rule(&k->link, RULE_HOLD, (enum dir)d, 0, false, true,
		    0);
	for (int d = 0; d < NSIDES; d++) {
		k->j.conn.ip[d] = k->ip[d];
		k->j.conn.port[d] = k->port[d];
	}
	k->t0 = wall();
	k->last_seg = k->t0;
	*ops = &kernel_live_ops;
	*arg = k;
	return 0;
}
