/*
 * The trace (trace.h): each journal event as one line of text, in the
 * form DESIGN section 6 fixes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp.h"
#include "trace.h"
#include "util.h"

/* Virtual time in milliseconds with three decimals: "1050.000". */
char *
trace_time(char buf[32], vtime_t t)
{
	snprintf(buf, 32, "%" PRId64 ".%03" PRId64, t / 1000, t % 1000);
	return buf;
}

/*
 * A segment's SACK blocks, numbered as its ack is (relative to the
 * other side's first sequence number): " sack=101-201,301-401", or
 * nothing.
 */
void
trace_sack_text(char *buf, size_t len, const struct jseg *s)
{
	uint32_t	 base = s->seg.ack - s->rel_ack;
	int		 n = 0;

	buf[0] = '\0';
	for (int b = 0; b < s->seg.nsack && n >= 0 && (size_t)n < len; b++)
		n += snprintf(buf + n, len - (size_t)n, "%s%" PRIu32 "-%"
		    PRIu32, b == 0 ? " sack=" : ",",
		    s->seg.sack[b].start - base, s->seg.sack[b].end - base);
}

/*
 * A segment as the trace names it: "C>S F. seq=1 ack=1 len=0" (and its
 * SACK blocks, if any), or for a datagram that was not a segment of this
 * connection, "C>S - bytes=7".
 */
void
trace_seg_text(char *buf, size_t len, const struct jseg *s)
{
	char	 flags[16], sack[96];

	if (!s->valid) {
		snprintf(buf, len, "%s - bytes=%" PRIu32, dir_name(s->dir),
		    s->nbytes);
		return;
	}
	segment_flags(s->seg.flags, flags);
	trace_sack_text(sack, sizeof sack, s);
	if (s->seg.flags & TH_ACK)
		snprintf(buf, len, "%s %s seq=%" PRIu32 " ack=%" PRIu32
		    " len=%" PRIu32 "%s", dir_name(s->dir), flags, s->rel_seq,
		    s->rel_ack, s->seg.len, sack);
	else
		snprintf(buf, len, "%s %s seq=%" PRIu32 " len=%" PRIu32,
		    dir_name(s->dir), flags, s->rel_seq, s->seg.len);
}

/*
 * The segments a journal says were sent one way (the script's own
 * injections aside), as the trace writes them: *n of them, and, if num
 * is not NULL, each one's number among all of them in *num.  The
 * strings and arrays are the caller's (trace_sent_free).
 */
char **
trace_sent(const struct journal *j, enum dir d, size_t *n, size_t **num)
{
	char	**v = xcalloc(j->nsegs + 1, sizeof *v);
	char	  buf[256];
	size_t	  all = 0;

	if (num != NULL)
		*num = xcalloc(j->nsegs + 1, sizeof **num);
	*n = 0;
	for (size_t i = 0; i < j->nsegs; i++) {
		if (!j->segs[i].valid || j->segs[i].injected)
			continue;
		all++;
		if (j->segs[i].dir != d)
			continue;
		trace_seg_text(buf, sizeof buf, &j->segs[i]);
		if (num != NULL)
			(*num)[*n] = all;
		v[(*n)++] = xstrdup(buf);
	}
	return v;
}

void
trace_sent_free(char **v, size_t n, size_t *num)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(num);
}

/* A call and what it came to: "send 100", "read -> 20 bytes". */
void
trace_call_text(char *buf, size_t len, const struct journal *j,
    const struct jevent *e)
{
	const struct jcall	*c = journal_call_of(j, e);
	struct tcp_result	 r = journal_result(c);
	char			 arg[16] = "", res[192];

	if (c->has_arg)
		snprintf(arg, sizeof arg, " %" PRIu32, c->arg);
	tcp_result_text(res, sizeof res, &r, LANG_EN);
	snprintf(buf, len, "%s%s%s%s", tcp_call_names[c->call], arg,
	    *res != '\0' ? " -> " : "", res);
}

/* An error as expect error names it: "ECONNRESET", or "none". */
static const char *
error_word(uint64_t err)
{
	return err == TE_NONE ? "none" : err < TCP_NERRORS ?
	    tcp_error_names[err] : "?";
}

static const char *
state_word(uint64_t st)
{
	return st < TCP_NSTATES ? tcp_state_names[st] : "?";
}

/* "WHAT WANT ok", or "WHAT WANT FAIL (found GOT)". */
static void
equal_text(char *buf, size_t len, bool ok, const char *what,
    const char *want, const char *got)
{
	if (ok)
		snprintf(buf, len, "%s %s ok", what, want);
	else
		snprintf(buf, len, "%s %s FAIL (found %s)", what, want, got);
}

/*
 * An expectation, as the trace writes it: what was wanted, ok or FAIL,
 * and what was found instead ("client FIN_WAIT_2 FAIL (found CLOSED)").
 */
void
trace_expect_text(char *buf, size_t len, const struct journal *j,
    const struct jevent *e)
{
	const struct jexpect	*x = e->u.expect;
	const char		*verdict = x->ok ? "ok" : "FAIL";
	char			 flags[16], found[128], what[32], when[32];
	int			 n;

	switch (x->kind) {
	case EXPECT_STATE:
		equal_text(buf, len, x->ok, side_name(e->side),
		    state_word(x->want), state_word(x->got));
		break;
	case EXPECT_REACH:
		snprintf(buf, len, "%s reaches %s FAIL (still %s, nothing more "
		    "happens)", side_name(e->side), state_word(x->want),
		    state_word(x->got));
		break;
	case EXPECT_ERROR:
		snprintf(what, sizeof what, "%s error", side_name(e->side));
		equal_text(buf, len, x->ok, what, error_word(x->want),
		    error_word(x->got));
		break;
	case EXPECT_READ:
		snprintf(buf, len, "%s read %" PRIu64 " %s (%" PRIu64 ")",
		    side_name(e->side), x->want, verdict, x->got);
		break;
	case EXPECT_IGNORED:
		snprintf(buf, len, "ignored %" PRIu64 " %s (%" PRIu64 ")",
		    x->want, verdict, x->got);
		break;
	case EXPECT_QUEUED:
		snprintf(buf, len, "%s queued %" PRIu64 " %s (%" PRIu64 ")",
		    side_name(e->side), x->want, verdict, x->got);
		break;
	case EXPECT_SEGMENT:
		n = snprintf(buf, len, "segment %s %s",
		    x->dir == DIR_C2S ? "c2s" : "s2c",
		    segment_flags(x->flags, flags));
		if ((x->fields & FIELD_SEQ) && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " seq=%" PRIu32,
			    x->seq);
		if ((x->fields & FIELD_ACK) && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " ack=%" PRIu32,
			    x->ack);
		if ((x->fields & FIELD_LEN) && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " len=%" PRIu32,
			    x->len);
		if ((x->fields & FIELD_AT) && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " at=%ss",
			    vt_seconds(when, x->at));
		if (n < 0 || (size_t)n >= len)
			break;
		if (x->ok)
			snprintf(buf + n, len - (size_t)n, " ok");
		else if (x->found < 0)
			snprintf(buf + n, len - (size_t)n, " FAIL (no segment "
			    "sent that way)");
		else {
			const struct jseg *g = &j->segs[x->found];

			trace_seg_text(found, sizeof found, g);
			if (x->fields & FIELD_AT)
				snprintf(buf + n, len - (size_t)n, " FAIL (found "
				    "#%d %s at=%ss)", g->id, found,
				    vt_seconds(when, g->t));
			else
				snprintf(buf + n, len - (size_t)n, " FAIL (found "
				    "#%d %s)", g->id, found);
		}
		break;
	}
}

static void
print_ask(FILE *f, const struct jevent *e)
{
	const struct jask	*q = e->u.ask.q;

	fprintf(f, "%s [", q->text);
	for (int i = 0; i < q->nchoices; i++)
		fprintf(f, "%s%s", i > 0 ? " / " : "", q->choices[i]);
	fprintf(f, "] answer %s\n", q->choices[q->answer]);
}

static void
print_event(FILE *f, const struct journal *j, const struct jevent *e,
    enum lang lang)
{
	char		 t[32], due[32], text[512];
	const struct jseg *s;

	trace_time(t, e->t);
	switch (e->type) {
	case JE_SEG:
		s = &j->segs[e->u.seg.id];
		trace_seg_text(text, sizeof text, s);
		if (e->u.seg.fate == FATE_IGNORED)
			fprintf(f, "SEG %s %s ignored %s\n", t, text,
			    s->why ? journal_why_name(s->why) : "invalid");
		else
			fprintf(f, "SEG %s %s %s\n", t, text,
			    fate_name(e->u.seg.fate));
		break;
	case JE_STATE:
		fprintf(f, "STATE %s %s %s %s\n", t, side_name(e->side),
		    tcp_state_names[e->u.state.from],
		    tcp_state_names[e->u.state.to]);
		break;
	case JE_TIMER:
		if (TA_IS_FIRED(e->x.timer.action))
			fprintf(f, "TIMER %s %s %s fired\n", t,
			    side_name(e->side),
			    e->x.timer.action == TA_PROBE ? "tlp" :
			    e->x.timer.action == TA_REO ? "rack" :
			    e->x.timer.action == TA_ZWP ? "zwp" :
			    tcp_timer_names[e->x.timer.kind]);
		else if (e->x.timer.action == TA_PENDING)
			fprintf(f, "TIMER %s %s %s pending %s\n", t,
			    side_name(e->side),
			    tcp_timer_names[e->x.timer.kind],
			    trace_time(due, e->u.timer.due));
		break;
	case JE_CALL:
		trace_call_text(text, sizeof text, j, e);
		fprintf(f, "CALL %s %s %s\n", t, side_name(e->side), text);
		break;
	case JE_ERROR:
		fprintf(f, "ERROR %s %s %s\n", t, side_name(e->side),
		    tcp_error_names[e->u.error.err]);
		break;
	case JE_SAY:
		if (e->x.lang == lang)
			fprintf(f, "SAY %s %s %s\n", t, lang_name(lang),
			    e->u.say.text);
		break;
	case JE_PAUSE:
		fprintf(f, "PAUSE %s\n", t);
		break;
	case JE_ASK:
		if (e->x.lang == lang) {
			fprintf(f, "ASK %s %s ", t, lang_name(lang));
			print_ask(f, e);
		}
		break;
	case JE_EXPECT:
		trace_expect_text(text, sizeof text, j, e);
		fprintf(f, "EXPECT %s %s\n", t, text);
		break;
	}
}

/* Print events [from, to) of the journal. */
void
trace_print(FILE *f, const struct journal *j, size_t from, size_t to,
    enum lang lang)
{
	for (size_t i = from; i < to && i < j->nev; i++)
		print_event(f, j, &j->ev[i], lang);
}
