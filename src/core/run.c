/*
 * Running a script (run.h): each command against the simulation, the
 * expectations checked and journaled, and the run's end.
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "util.h"

int
run_init(struct run *r, struct script *s, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->script = s;
	r->events_max = RUN_EVENTS_MAX;
	if (sim_init(&r->sim, PROFILE_LINUX, err, errlen) == -1)
		return -1;
	/* Where the kernel engine would run it through its relay, the
	 * receive queue is a relay's. */
	r->sim.relay = script_needs_relay(s);
	for (int i = 0; i < NSIDES; i++)
		r->sim.ep[i].relay = r->sim.relay;
	run_seg_rules(r, 0);
	return 0;
}

/*
 * The script's fates for single segments (drop #N ...) go on the link
 * from the start, wherever their lines are, for the segments numbered
 * from_seg on (after a checkpoint, those not yet sent).
 */
void
run_seg_rules(struct run *r, size_t from_seg)
{
	for (size_t i = 0; i < r->script->ncmds; i++) {
		const struct cmd	*c = &r->script->cmds[i];

		if (c->type == CMD_RULE_SEG &&
		    (size_t)c->u.segrule.seg >= from_seg)
			link_add_seg_rule(&r->sim.link,
			    (enum rule_kind)c->u.segrule.kind,
			    c->u.segrule.seg, c->u.segrule.extra);
	}
}

void
run_free(struct run *r)
{
	sim_free(&r->sim);
}

/*
 * A headless run stops here (synfin run): the timers still set go into
 * the journal as pending.  The view's timeline runs on instead.
 */
void
run_end(struct run *r)
{
	if (!r->bad)
		sim_journal_pending(&r->sim);
}

/* What the run has written: all that a reader of it needs. */
const struct journal *
run_journal(const struct run *r)
{
	return &r->sim.journal;
}

/* The script cannot go on: say where and why. */
static void __attribute__((format(printf, 3, 4)))
run_error(struct run *r, const struct cmd *c, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	r->bad = true;
	n = snprintf(r->err, sizeof r->err, "%s:%d:%d: ", r->script->path,
	    c->line, c->col);
	if (n < 0 || (size_t)n >= sizeof r->err)
		return;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof r->err - n, fmt, ap);
	va_end(ap);
}

static bool
over_budget(struct run *r, const struct cmd *c)
{
	if (r->sim.events <= r->events_max)
		return false;
	run_error(r, c, "more than %" PRIu64 " events (timers firing, "
	    "segments arriving, datagrams injected): expected the script to "
	    "come to rest", r->events_max);
	return true;
}

/*
 * Let time run until cond holds.  When nothing is left to happen, a
 * reordered segment that waited for a successor arrives after all; if
 * still nothing, the wait ends.  Returns whether cond holds.
 */
static bool
run_while(struct run *r, const struct cmd *c,
    bool (*cond)(const struct run *, const struct cmd *), vtime_t limit)
{
	struct sim	*s = &r->sim;

	while (!cond(r, c)) {
		if (over_budget(r, c))
			return false;
		if (sim_step(s, limit))
			continue;
		if (link_release_reordered(&s->link) > 0)
			continue;
		return false;
	}
	return true;
}

/* Let everything due up to t happen, then stand at t. */
static bool
wait_until_time(struct run *r, const struct cmd *c, vtime_t t)
{
	while (sim_step(&r->sim, t)) {
		if (over_budget(r, c))
			return false;
	}
	sim_run_until(&r->sim, t);
	return true;
}

static bool
reached_state(const struct run *r, const struct cmd *c)
{
	const struct tcp	*tp = &r->sim.ep[c->side];

	return tp->state == c->u.state ||
	    tp->entered[c->u.state] != r->until_entered;
}

static bool
is_idle(const struct run *r, const struct cmd *c)
{
	(void)c;
	return sim_idle(&r->sim);
}

static bool
is_quiet(const struct run *r, const struct cmd *c)
{
	(void)c;
	return sim_quiet(&r->sim);
}

/* Journal an expectation: what was wanted, what was found. */
static struct jexpect *
expectation(struct run *r, const struct cmd *c, enum jexpect_kind kind,
    bool ok, uint64_t want, uint64_t got)
{
	struct sim	*s = &r->sim;
	struct jexpect	*x;

	x = journal_expect(&s->journal, s->clock.now, c->side);
	x->ok = ok;
	x->line = c->line;
	x->col = c->col;
	x->kind = kind;
	x->dir = c->dir;
	x->want = want;
	x->got = got;
	if (!ok)
		r->failures++;
	return x;
}

/* The last segment an endpoint sent that way, or -1. */
static int
last_segment(const struct sim *s, enum dir dir)
{
	for (size_t i = s->journal.nsegs; i-- > 0; ) {
		const struct jseg *g = &s->journal.segs[i];

		if (g->dir == dir && g->valid && !g->injected)
			return (int)i;
	}
	return -1;
}

static void
expect_segment(struct run *r, const struct cmd *c)
{
	int			 found = last_segment(&r->sim, c->dir);
	const struct jseg	*g = found >= 0 ? &r->sim.journal.segs[found] :
				     NULL;
	struct jexpect		*x;
	bool			 ok;

	ok = g != NULL && g->seg.flags == c->u.seg.flags &&
	    (!(c->u.seg.fields & FIELD_SEQ) || g->rel_seq == c->u.seg.seq) &&
	    (!(c->u.seg.fields & FIELD_ACK) || ((g->seg.flags & TH_ACK) &&
	    g->rel_ack == c->u.seg.ack)) &&
	    (!(c->u.seg.fields & FIELD_LEN) || g->seg.len == c->u.seg.len) &&
	    (!(c->u.seg.fields & FIELD_AT) || g->t == c->u.seg.at);
	x = expectation(r, c, EXPECT_SEGMENT, ok, 0, 0);
	x->flags = c->u.seg.flags;
	x->fields = c->u.seg.fields;
	x->seq = c->u.seg.seq;
	x->ack = c->u.seg.ack;
	x->len = c->u.seg.len;
	x->at = c->u.seg.at;
	x->found = found;
}

/*
 * set queued N: other clients' connections (never drawn: the model has
 * one) have completed their handshakes and wait in the server's accept
 * queue, N of them now.  Only accept() takes them out again.
 */
static void
run_set_queued(struct run *r, const struct cmd *c)
{
	struct tcp	*tp = &r->sim.ep[SIDE_SERVER];
	uint32_t	 n = (uint32_t)c->u.set->n, now;

	now = tp->others + tp->others_behind;
	if (!tp->listening) {
		run_error(r, c, "expected a listening server for set queued");
		return;
	}
	if (n < now) {
		run_error(r, c, "expected at least %u queued: only server "
		    "accept takes connections out of the queue", now);
		return;
	}
	if (!tcp_others_arrive(tp, n - now))
		run_error(r, c, "expected at most %u in the accept queue "
		    "(backlog + 1): the rest would have their SYNs dropped",
		    tp->backlog + 1);
}

static void
run_set(struct run *r, const struct cmd *c)
{
	struct sim	*s = &r->sim;
	struct profile	*p = &s->prof;

	switch (c->u.set->key) {
	case SET_SEED:
	case SET_ISN:
	case SET_ADDR:
		if (s->started) {
			run_error(r, c, "expected this setting before the "
			    "first call");
			return;
		}
		if (c->u.set->key == SET_SEED)
			sim_seed(s, c->u.set->n);
		else if (c->u.set->key == SET_ISN)
			sim_set_isn(s, c->side, (uint32_t)c->u.set->n);
		else
			sim_set_addr(s, c->side, c->u.set->ip, c->u.set->port);
		break;
	case SET_LATENCY:
		p->latency = c->u.set->d[0];
		s->link.latency = p->latency;
		break;
	case SET_MSL:
		p->msl = c->u.set->d[0];
		break;
	case SET_RTO:
		p->rto_initial = c->u.set->d[0];
		for (int i = 0; i < NSIDES; i++) {
			if (s->ep[i].state == TCPS_CLOSED ||
			    s->ep[i].state == TCPS_LISTEN)
				s->ep[i].rto = p->rto_initial;
		}
		break;
	case SET_RTO_MIN:
		p->rto_min = c->u.set->d[0];
		break;
	case SET_FIN_TIMEOUT:
		p->fin_timeout = c->u.set->d[0];
		break;
	case SET_SYN_RETRIES:
		p->syn_retries = (int)c->u.set->n;
		break;
	case SET_SYNACK_RETRIES:
		p->synack_retries = (int)c->u.set->n;
		break;
	case SET_RETRIES:
		p->retries2 = (int)c->u.set->n;
		p->orphan_retries = (int)c->u.set->n;
		break;
	case SET_KEEPALIVE:
		p->keepalive_idle = c->u.set->d[0];
		p->keepalive_intvl = c->u.set->d[1];
		p->keepalive_probes = (int)c->u.set->n;
		break;
	case SET_DELACK:
		p->delayed_ack = c->u.set->n != 0;
		break;
	case SET_REUSEADDR:
		p->reuseaddr = c->u.set->n != 0;
		break;
	case SET_USER_TIMEOUT:
		/* A socket option: it may be set at any time. */
		sim_set_user_timeout(s, c->side, c->u.set->d[0]);
		break;
	case SET_BACKLOG:
		/* listen() again on a listening socket sets it anew. */
		s->ep[SIDE_SERVER].backlog = (uint32_t)c->u.set->n;
		break;
	case SET_QUEUED:
		run_set_queued(r, c);
		break;
	case SET_ABORT_ON_OVERFLOW:
		p->abort_on_overflow = c->u.set->n != 0;
		break;
	case SET_FAST_RETRANSMIT:
		p->fast_retransmit = c->u.set->n != 0;
		break;
	case SET_TICK_PHASE:
		p->tick_phase = c->u.set->d[0];
		break;
	}
}

/* Relative numbers of an inject, made absolute for the wire. */
static void
run_inject(struct run *r, const struct cmd *c)
{
	struct sim	*s = &r->sim;
	struct segment	 seg;
	enum dir	 d = c->dir;

	segment_init(&seg);
	seg.flags = c->u.seg.flags;
	seg.seq = c->u.seg.seq + (s->journal.have_base[d] ?
	    s->journal.base[d] : 0);
	if (!(c->u.seg.fields & FIELD_SEQ))
		seg.seq = s->ep[d].snd_nxt;
	if (seg.flags & TH_ACK) {
		seg.ack = c->u.seg.ack + (s->journal.have_base[!d] ?
		    s->journal.base[!d] : 0);
		if (!(c->u.seg.fields & FIELD_ACK))
			seg.ack = s->ep[d].rcv_nxt;
	}
	seg.len = c->u.seg.len;
	seg.win = c->u.seg.fields & FIELD_WIN ? c->u.seg.win : 512;
	sim_inject(s, d, &seg);
}

/*
 * Run the next command.  Returns false when there is none left or the
 * script has gone wrong (r->bad).
 */
bool
run_command(struct run *r)
{
	struct sim		*s = &r->sim;
	const struct cmd	*c;

	if (r->bad || r->pc >= r->script->ncmds)
		return false;
	c = &r->script->cmds[r->pc++];
	s->journal.cur_cmd = (int)(r->pc - 1);
	if (c->at >= 0) {
		if (c->at < s->clock.now) {
			char	 now[32], at[32];

			run_error(r, c, "expected a time after the present "
			    "(%s s), found @%s", vt_seconds(now, s->clock.now),
			    vt_seconds(at, c->at));
			return false;
		}
		if (!wait_until_time(r, c, c->at))
			return false;
	}
	switch (c->type) {
	case CMD_TITLE:
	case CMD_GROUP:
		break;
	case CMD_PROFILE:
		if (s->started) {
			run_error(r, c, "expected the profile before the first "
			    "call");
			return false;
		}
		sim_set_profile(s, (enum profile_id)c->u.profile);
		break;
	case CMD_SET:
		run_set(r, c);
		break;
	case CMD_CALL:
		sim_call(s, c->side, c->u.call.call, c->u.call.call ==
		    CALL_KEEPALIVE ? c->u.call.on : c->u.call.n);
		break;
	case CMD_RULE:
		link_add_rule(&s->link, c->u.rule.kind, c->dir,
		    c->u.rule.flags, c->u.rule.exact, c->u.rule.standing,
		    c->u.rule.extra);
		break;
	case CMD_RULE_SEG:
		break;		/* on the link from the start: run_seg_rules */
	case CMD_RULE_CLEAR:
		link_clear_rules(&s->link, RULE_DROP, c->u.rule.dir);
		break;
	case CMD_RELEASE:
		link_release(&s->link, c->u.rule.dir);
		break;
	case CMD_WAIT:
		wait_until_time(r, c, s->clock.now + c->u.wait);
		break;
	case CMD_WAIT_UNTIL:
		r->until_entered = s->ep[c->side].entered[c->u.state];
		if (!run_while(r, c, reached_state, s->clock.now +
		    RUN_WAIT_MAX) && !r->bad)
			expectation(r, c, EXPECT_REACH, false, c->u.state,
			    s->ep[c->side].state);
		break;
	case CMD_WAIT_IDLE:
		run_while(r, c, is_idle, VT_NEVER);
		break;
	case CMD_SAY:
		journal_say(&s->journal, s->clock.now, c->u.text.lang,
		    c->u.text.text);
		break;
	case CMD_ANSWERED:
		if (journal_answered(&s->journal, (int)c->u.count - 1) <
		    (int)c->u.count) {
			run_error(r, c, "expected an answer to the question "
			    "just asked, one of its choices");
			return false;
		}
		break;
	case CMD_PAUSE:
		journal_add(&s->journal, JE_PAUSE, s->clock.now, SIDE_NONE);
		break;
	case CMD_ASK:
		journal_ask(&s->journal, s->clock.now, c->u.ask->lang,
		    c->u.ask->text, c->u.ask->choices, c->u.ask->nchoices,
		    c->u.ask->answer, c->u.ask->why);
		break;
	case CMD_EXPECT_STATE:
		expectation(r, c, EXPECT_STATE, s->ep[c->side].state ==
		    c->u.state, c->u.state, s->ep[c->side].state);
		break;
	case CMD_EXPECT_SEGMENT:
		expect_segment(r, c);
		break;
	case CMD_EXPECT_ERROR:
		expectation(r, c, EXPECT_ERROR, s->last_error[c->side] ==
		    c->u.err, c->u.err, s->last_error[c->side]);
		break;
	case CMD_EXPECT_READ:
		expectation(r, c, EXPECT_READ, s->read_total[c->side] ==
		    c->u.count, c->u.count, s->read_total[c->side]);
		break;
	case CMD_EXPECT_QUEUED: {
		uint64_t	 n = tcp_acceptq_len(&s->ep[c->side]);

		expectation(r, c, EXPECT_QUEUED, n == c->u.count, c->u.count,
		    n);
		break;
	}
	case CMD_EXPECT_IGNORED: {
		uint64_t	 n = s->ignored[0] + s->ignored[1];

		expectation(r, c, EXPECT_IGNORED, n == c->u.count, c->u.count,
		    n);
		break;
	}
	case CMD_INJECT:
		run_inject(r, c);
		break;
	case CMD_INJECT_BAD:
		for (uint32_t i = 0; i < c->u.bad.count &&
		    !over_budget(r, c) && s->failure[0] == '\0'; i++)
			sim_inject_bad(s, c->dir, c->u.bad.kind);
		break;
	}
	/* What is due at this very instant happens before the next
	 * command: a segment on a link with no latency has arrived. */
	while (!r->bad && sim_step(s, s->clock.now))
		over_budget(r, c);
	if (s->failure[0] != '\0')
		run_error(r, c, "%s", s->failure);
	return !r->bad;
}

/*
 * After the last command: run on until the connection is quiet, nothing
 * in flight and no ACK owed.  Timers still pending are left for the
 * trace to list.
 */
void
run_finish(struct run *r)
{
	struct cmd	 end;

	if (r->bad)
		return;
	memset(&end, 0, sizeof end);
	end.line = r->script->ncmds ? r->script->cmds[r->script->ncmds -
	    1].line : 1;
	end.col = 1;
	r->sim.journal.cur_cmd = -1;
	run_while(r, &end, is_quiet, VT_NEVER);
	/* The run is over when its last datagrams are back. */
	sim_flush(&r->sim);
	if (!r->bad && r->sim.failure[0] != '\0')
		run_error(r, &end, "%s", r->sim.failure);
}

/* The whole script: its commands, then on until the connection is quiet. */
enum run_status
run_all(struct run *r)
{
	while (run_command(r))
		;
	run_finish(r);
	if (r->bad)
		return RUN_BAD;
	return r->failures > 0 ? RUN_FAILED : RUN_OK;
}

/*
 * A checkpoint before the next command, of a run that has not failed;
 * the datagrams posted so far cross first, for they belong to the past
 * it keeps.
 */
void
run_mark(struct run *r, struct run_mark *m)
{
	assert(!r->bad);
	sim_flush(&r->sim);
	m->pc = r->pc;
	m->failures = r->failures;
	sim_mark(&r->sim, &m->sim);
}

/* Back to the checkpoint, to run on from its command. */
void
run_rewind(struct run *r, const struct run_mark *m)
{
	r->pc = m->pc;
	r->failures = m->failures;
	r->bad = false;
	r->err[0] = '\0';
	sim_rewind(&r->sim, &m->sim);
}

void
run_mark_free(struct run_mark *m)
{
	sim_mark_free(&m->sim);
}
