/*
 * The script reader: every command form, exact error positions, and
 * fuzzing.  Whatever bytes a script holds, reading it either succeeds or
 * names a line and column; a script that reads is also run, and the run
 * must end, with a journal that is consistent.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "script.h"
#include "tap.h"

static struct script *
parse(const char *text, char *err, size_t errlen)
{
	return script_parse("t.syn", text, strlen(text), err, errlen);
}

static void
test_forms(void)
{
	static const char text[] =
	    "\xef\xbb\xbf# a comment\r\n"
	    "title en \"Four-way \\\"close\\\"\"   # trailing comment\n"
	    "title zh \"四次挥手\"\n"
	    "profile rfc9293\n"
	    "set seed 7\n"
	    "set isn server 5000\n"
	    "set latency 1.5ms\n"
	    "set addr client 10.0.0.1:40000\n"
	    "set keepalive 2min 75s 9\n"
	    "\tserver listen\n"
	    "client send 100\n"
	    "client read\n"
	    "client keepalive off\n"
	    "drop next s2c FIN\n"
	    "drop next c2s .\n"
	    "drop all c2s\n"
	    "drop none\n"
	    "delay next s2c 300ms\n"
	    "dup next c2s\n"
	    "hold next s2c S.\n"
	    "release s2c\n"
	    "wait until client time-wait\n"
	    "wait idle\n"
	    "ask zh \"现在?\" choices CLOSE_WAIT LAST_ACK answer LAST_ACK why \"因为\"\n"
	    "expect segment s2c \"F.\" seq=1 ack=2\n"
	    "expect client error ECONNRESET\n"
	    "expect server read 100\n"
	    "expect ignored 3\n"
	    "inject c2s R seq=5 win=0\n"
	    "inject s2c garbage 10\n"
	    "@1.250 client close\n"
	    "expect segment c2s \"F.\" seq=1 at=708ms\n"
	    "set user-timeout client 5s\n";
	struct script	*s;
	char		 err[256] = "";
	const struct cmd *c;

	s = parse(text, err, sizeof err);
	ok(s != NULL, "every form reads (%s)", err);
	if (s == NULL)
		return;
	is_int(s->ncmds, 32, "32 commands, comments and blank lines aside");
	is_str(s->title[LANG_EN], "Four-way \"close\"", "escaped quotes");
	is_str(s->title[LANG_ZH], "四次挥手", "a Chinese title");
	c = &s->cmds[2];
	ok(c->type == CMD_PROFILE && c->u.profile == PROFILE_RFC9293,
	    "profile rfc9293");
	ok(s->cmds[5].type == CMD_SET && s->cmds[5].u.set->d[0] == 1500,
	    "1.5ms is 1500 us");
	ok(s->cmds[6].u.set->ip == 0x0a000001 &&
	    s->cmds[6].u.set->port == 40000,
	    "set addr");
	ok(s->cmds[7].u.set->d[0] == VT_SEC(120) &&
	    s->cmds[7].u.set->d[1] == VT_SEC(75) && s->cmds[7].u.set->n == 9,
	    "set keepalive 2min 75s 9");
	ok(s->cmds[8].col == 2, "a tab is one column");
	ok(s->cmds[9].u.call.call == CALL_SEND && s->cmds[9].u.call.n == 100,
	    "client send 100");
	ok(!s->cmds[11].u.call.on, "keepalive off");
	ok(s->cmds[12].u.rule.flags == TH_FIN && !s->cmds[12].u.rule.exact,
	    "drop next s2c FIN: carrying FIN");
	ok(s->cmds[13].u.rule.flags == TH_ACK && s->cmds[13].u.rule.exact,
	    "drop next c2s .: exactly a bare ACK");
	ok(s->cmds[14].u.rule.standing, "drop all");
	ok(s->cmds[15].type == CMD_RULE_CLEAR && s->cmds[15].u.rule.dir == -1,
	    "drop none");
	ok(s->cmds[16].u.rule.kind == RULE_DELAY &&
	    s->cmds[16].u.rule.extra == VT_MS(300), "delay next s2c 300ms");
	ok(s->cmds[20].type == CMD_WAIT_UNTIL &&
	    s->cmds[20].u.state == TCPS_TIME_WAIT, "time-wait names TIME_WAIT");
	c = &s->cmds[22];
	ok(c->type == CMD_ASK && c->u.ask->nchoices == 2 &&
	    c->u.ask->answer == 1 && strcmp(c->u.ask->why, "因为") == 0,
	    "ask with choices, answer, why");
	c = &s->cmds[23];
	ok(c->type == CMD_EXPECT_SEGMENT && c->u.seg.flags == (TH_FIN | TH_ACK) &&
	    c->u.seg.fields == (FIELD_SEQ | FIELD_ACK) && c->u.seg.ack == 2,
	    "expect segment s2c \"F.\" seq=1 ack=2");
	ok(s->cmds[27].u.seg.win == 0 && (s->cmds[27].u.seg.fields & FIELD_WIN),
	    "inject with win=0");
	ok(s->cmds[28].type == CMD_INJECT_BAD && s->cmds[28].u.bad.count == 10,
	    "inject s2c garbage 10");
	ok(s->cmds[29].at == 1250000, "@1.250 is 1.25 s");
	c = &s->cmds[30];
	ok(c->u.seg.fields == (FIELD_SEQ | FIELD_AT) && c->u.seg.at == 708000,
	    "expect segment with at=708ms: the time it was sent");
	ok(s->cmds[31].u.set->key == SET_USER_TIMEOUT &&
	    s->cmds[31].side == SIDE_CLIENT &&
	    s->cmds[31].u.set->d[0] == VT_SEC(5), "set user-timeout client 5s");
	script_free(s);
}

static void
test_errors(void)
{
	static const struct {
		const char	*text;
		const char	*err;
	} t[] = {
		{ "server listen\n  wait 3\n",
		  "t.syn:2:8: expected a duration (like 200ms), until or idle, "
		  "found '3'" },
		{ "say en \"no end\n", "t.syn:1:8: unterminated string: "
		  "expected a closing '\"' on this line" },
		{ "client connect\n\n\nexpect client BOGUS\n",
		  "t.syn:4:15: expected a TCP state, error, read or queued, found "
		  "'BOGUS'" },
		{ "set latency\n", "t.syn:1:12: expected a duration (like "
		  "200ms, 1.5s or 2min, at most 1000000s), found end of line" },
		{ "drop next c2s FIN extra\n",
		  "t.syn:1:19: expected end of line, found 'extra'" },
		{ "expect segment c2s . seq=1 seq=2\n",
		  "t.syn:1:28: seq= is given twice" },
		{ "say zh \"好\"x\n", "t.syn:1:11: expected end of line, "
		  "found 'x'" },
		{ "expect segment c2s F. at=soon\n", "t.syn:1:23: expected "
		  "at= and a time (like 0.504 or 504ms), found 'at=soon'" },
		{ "inject c2s R at=1\n", "t.syn:1:14: expected seq=, ack=, "
		  "len= or win=, found 'at=1'" },
		{ "set user-timeout 5s\n", "t.syn:1:18: expected client or "
		  "server, found '5s'" },
	};
	char	 err[256];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct script	*s = parse(t[i].text, err, sizeof err);

		ok(s == NULL, "bad script %zu is refused", i + 1);
		is_str(err, t[i].err, "with the place and what was expected");
		script_free(s);
	}
}

/* xorshift: deterministic fuzzing, the same cases every run. */
static uint32_t
rnd(uint32_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 17;
	*st ^= *st << 5;
	return *st;
}

/* The error of a refused script names the file, a line and a column. */
static bool
well_formed_error(const char *err)
{
	int	 line, col;

	return sscanf(err, "fuzz.syn:%d:%d: ", &line, &col) == 2 &&
	    line >= 1 && col >= 1;
}

/* Run a script that read well; check the journal for consistency. */
static bool
run_checked(struct script *s, char *why, size_t whylen)
{
	struct run	 r;
	char		 err[256];
	enum tcp_state	 state[NSIDES] = { TCPS_CLOSED, TCPS_CLOSED };
	vtime_t		 t = 0;

	if (run_init(&r, s, err, sizeof err) == -1) {
		snprintf(why, whylen, "no socket pair");
		return false;
	}
	r.sim.in_memory = true;
	if (run_all(&r) == RUN_BAD && strstr(r.err, "events") != NULL) {
		/* Valid lines must come to rest: this is a livelock. */
		snprintf(why, whylen, "%.200s", r.err);
		goto fail;
	}
	for (size_t i = 0; i < r.sim.journal.nev; i++) {
		const struct jevent	*e = &r.sim.journal.ev[i];

		if (e->t < t) {
			snprintf(why, whylen, "time ran backwards at event %zu",
			    i);
			goto fail;
		}
		t = e->t;
		if (e->type == JE_STATE) {
			if (e->u.state.from != state[e->side]) {
				snprintf(why, whylen, "%s jumped from %s",
				    side_name(e->side),
				    tcp_state_names[state[e->side]]);
				goto fail;
			}
			state[e->side] = e->u.state.to;
		}
	}
	for (size_t i = 0; i < r.sim.journal.nsegs; i++) {
		const struct jseg	*g = &r.sim.journal.segs[i];
		struct segment		 seg;
		struct seg_addrs	 a = { r.sim.journal.conn.ip[g->dir],
		    r.sim.journal.conn.ip[!g->dir] };

		if (g->valid && !g->why &&
		    segment_decode(journal_bytes(&r.sim.journal, g), g->nbytes,
		    &a, &seg, NULL) != SEG_OK) {
			snprintf(why, whylen, "segment #%d does not decode",
			    g->id);
			goto fail;
		}
	}
	for (int i = 0; i < NSIDES; i++) {
		if (r.sim.ep[i].state != state[i]) {
			snprintf(why, whylen, "the journal lost a state change");
			goto fail;
		}
	}
	run_free(&r);
	return true;
fail:
	run_free(&r);
	return false;
}

static const char seed_script[] =
    "set latency 5ms\n"
    "server listen\n"
    "drop next s2c\n"
    "client connect\n"
    "wait 1200ms\n"
    "client send 3000\n"
    "dup next c2s\n"
    "server send 200\n"
    "reorder next s2c\n"
    "server read\n"
    "client shutdown\n"
    "wait idle\n"
    "hold next c2s\n"
    "server close\n"
    "release\n"
    "inject c2s R seq=9\n"
    "client abort\n"
    "wait until server CLOSED\n";

static const char *const words[] = {
	"client", "server", "connect", "listen", "close", "send 9", "read",
	"abort", "shutdown", "wait 1s", "wait idle", "drop next c2s",
	"drop all s2c", "\"", "@", "#", "expect", "S.", "seq=", "\n", "\t",
	"1000000s", "keepalive", "crash", "reboot", "accept", "ESTABLISHED",
	"\xe4\xb8\xad", "\xff", "hold next s2c", "release",
	"set keepalive 1s 1s 2", "profile linux", "inject c2s garbage 2",
};

/* Valid lines, for scripts whose runs are checked. */
static const char *const lines[] = {
	"server listen", "server listen", "client connect", "client connect",
	"server accept", "server connect", "client send 500",
	"server send 70000", "client send 300000", "client read",
	"server read 10", "client close",
	"server close", "client shutdown", "server shutdown", "client abort",
	"server abort", "drop next c2s", "drop next s2c FIN", "drop next c2s .",
	"drop all c2s", "drop none", "dup next s2c", "dup next c2s 3ms",
	"delay next c2s 50ms", "reorder next s2c", "hold next c2s", "release",
	"wait 10ms", "wait 1s", "wait 61s", "wait idle",
	"wait until client CLOSED", "wait until server ESTABLISHED",
	"client keepalive", "set keepalive 5s 1s 2", "server crash",
	"server reboot", "inject c2s R seq=1", "inject s2c S seq=77",
	"inject c2s F. seq=1 ack=1", "inject s2c garbage 3",
	"set latency 7ms", "set latency 0ms", "expect client ESTABLISHED",
	"say en \"hello\"", "pause", "profile rfc9293",
	"set user-timeout client 300ms", "set backlog 0", "set queued 1",
	"set abort-on-overflow on", "expect server queued 1",
};

static void
test_fuzz(void)
{
	uint32_t	 st = 0x5eedf00d;
	char		 err[512], why[256];
	char		*buf = malloc(8192);
	int		 bad_errors = 0, bad_runs = 0, parsed = 0, ran = 0;

	/* Random bytes. */
	for (int i = 0; i < 3000; i++) {
		size_t		 n = rnd(&st) % 300;
		struct script	*s;

		for (size_t k = 0; k < n; k++)
			buf[k] = (char)rnd(&st);
		s = script_parse("fuzz.syn", buf, n, err, sizeof err);
		if (s == NULL && !well_formed_error(err))
			bad_errors++;
		parsed += s != NULL;
		script_free(s);
	}
	is_int(bad_errors, 0, "3000 random byte strings: each reads or "
	    "names file:line:col");

	/* Mutations of a real script: bytes changed, words spliced in. */
	bad_errors = 0;
	for (int i = 0; i < 3000; i++) {
		size_t		 n = strlen(seed_script);
		struct script	*s;

		memcpy(buf, seed_script, n);
		for (int m = 0, nm = 1 + rnd(&st) % 4; m < nm; m++) {
			size_t	 at = rnd(&st) % n;

			if (rnd(&st) % 2) {
				buf[at] = (char)rnd(&st);
			} else {
				const char	*w = words[rnd(&st) %
				    (sizeof words / sizeof words[0])];
				size_t		 wl = strlen(w);

				if (n + wl + 1 >= 8192)
					continue;
				memmove(buf + at + wl, buf + at, n - at);
				memcpy(buf + at, w, wl);
				n += wl;
			}
		}
		s = script_parse("fuzz.syn", buf, n, err, sizeof err);
		if (s == NULL) {
			if (!well_formed_error(err))
				bad_errors++;
			continue;
		}
		parsed++;
		script_free(s);
	}
	is_int(bad_errors, 0, "3000 mutated scripts: each reads or names "
	    "file:line:col (%d read)", parsed);

	/* Scripts made of valid lines in random order, run. */
	for (int i = 0; i < 2000; i++) {
		size_t		 n = 0;
		struct script	*s;

		for (int l = 0, nl = 3 + rnd(&st) % 20; l < nl; l++) {
			const char	*line = lines[rnd(&st) %
			    (sizeof lines / sizeof lines[0])];

			n += (size_t)snprintf(buf + n, 8192 - n, "%s\n", line);
		}
		s = script_parse("fuzz.syn", buf, n, err, sizeof err);
		if (s == NULL) {
			if (bad_runs++ == 0)
				printf("# did not read: %s\n", err);
			continue;
		}
		ran++;
		if (!run_checked(s, why, sizeof why) && bad_runs++ == 0)
			printf("# %s in:\n%.*s", why, (int)n, buf);
		script_free(s);
	}
	is_int(ran, 2000, "2000 scripts of valid lines in random order read");
	is_int(bad_runs, 0, "and every one runs to an end with a consistent "
	    "journal");
	free(buf);
}

/* Settings seen only in the bytes: the ISN, the ports, the seed. */
static uint32_t
server_isn(const char *text, uint32_t *client_seq, uint16_t *dport)
{
	char		 err[256];
	struct script	*s = parse(text, err, sizeof err);
	struct run	 r;
	uint32_t	 isn = 0;

	if (s == NULL || run_init(&r, s, err, sizeof err) == -1)
		return 0;
	r.sim.in_memory = true;
	run_all(&r);
	if (r.sim.journal.nsegs >= 2) {
		*client_seq = r.sim.journal.segs[0].seg.seq;
		*dport = r.sim.journal.segs[0].seg.dport;
		isn = r.sim.journal.segs[1].seg.seq;
	}
	run_free(&r);
	script_free(s);
	return isn;
}

static void
test_settings(void)
{
	uint32_t	 cseq = 0, a, b, c;
	uint16_t	 port = 0;

	a = server_isn("set seed 9\nset isn client 1000\n"
	    "set addr server 127.0.0.1:8080\nserver listen\nclient connect\n",
	    &cseq, &port);
	is_int(cseq, 1000, "set isn client 1000: the SYN's seq is 1000");
	is_int(port, 8080, "set addr server 127.0.0.1:8080: the SYN goes to "
	    "port 8080");
	b = server_isn("set seed 9\nserver listen\nclient connect\n", &cseq,
	    &port);
	c = server_isn("set seed 10\nserver listen\nclient connect\n", &cseq,
	    &port);
	ok(a == b && b != c, "the same seed gives the same ISN, another seed "
	    "another (%u %u %u)", a, b, c);
	is_int(port, 80, "the server's port is 80 unless set");
}

/* What the kernel engine can run, and when it needs its relay. */
static void
test_kernel(void)
{
	static const struct {
		const char	*text;
		bool		 ok, relay;
		const char	*why;
	} t[] = {
		{ "server listen\nclient connect\nclient close\n", true, false,
		  NULL },
		{ "set latency 20ms\nserver listen\n", true, true, NULL },
		{ "dup next c2s S\nclient connect\n", true, true, NULL },
		{ "drop next c2s S\nclient connect\n", true, false, NULL },
		{ "set retries 3\nset fin-timeout 30s\n", true, false, NULL },
		{ "server listen\nset msl 50ms\n", false, false,
		  "t.syn:2:1: the kernel's timers are its own" },
		{ "profile rfc9293\n", false, false,
		  "t.syn:1:1: the kernel is the linux profile" },
		{ "set fin-timeout 1500ms\n", false, false,
		  "t.syn:1:1: tcp_fin_timeout is in whole seconds" },
		{ "inject c2s garbage 3\n", false, false,
		  "t.syn:1:1: garbage never reaches the kernel's TCP" },
		{ "set addr client 10.0.0.1:5000\n", false, false,
		  "t.syn:1:1: the kernel runs on 127.0.0.1" },
		{ "set latency 5ms\nset addr client 10.0.0.1:5000\n", true,
		  true, NULL },
	};
	char	 err[256], why[256];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct script	*s = parse(t[i].text, err, sizeof err);
		bool		 ok;

		if (s == NULL) {
			ok(false, "kernel %zu: %s", i, err);
			continue;
		}
		why[0] = '\0';
		ok = script_kernel_ok(s, why, sizeof why);
		ok(ok == t[i].ok && script_needs_relay(s) == t[i].relay &&
		    (t[i].why == NULL || strcmp(why, t[i].why) == 0),
		    "kernel engine: %s%s%s", ok ? "runs" : "refuses",
		    t[i].relay ? " (through the relay)" : "",
		    ok ? "" : strchr(why + 6, ' '));
		script_free(s);
	}
}

int
main(void)
{
	test_forms();
	test_kernel();
	test_settings();
	test_errors();
	test_fuzz();
	return tap_done();
}
