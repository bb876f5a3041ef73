#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim.h"
#include "tcp.h"
#include "trace.h"

/* Virtual time in milliseconds with three decimals: "1050.000". */
char *
trace_time(char buf[32], vtime_t t)
{
	snprintf(buf, 32, "%" PRId64 ".%03" PRId64, t / 1000, t % 1000);
	return buf;
}

/*
 * A segment as the trace names it: "C>S F. seq=1 ack=1 len=0", or for a
 * datagram that was not a segment of this connection, "C>S - bytes=7".
 */
void
trace_seg_text(char *buf, size_t len, const struct jseg *s)
{
	char	 flags[16];

	if (!s->valid) {
		snprintf(buf, len, "%s - bytes=%zu", dir_name(s->dir),
		    s->nbytes);
		return;
	}
	segment_flags(s->seg.flags, flags);
	if (s->seg.flags & TH_ACK)
		snprintf(buf, len, "%s %s seq=%" PRIu32 " ack=%" PRIu32
		    " len=%" PRIu32, dir_name(s->dir), flags, s->rel_seq,
		    s->rel_ack, s->seg.len);
	else
		snprintf(buf, len, "%s %s seq=%" PRIu32 " len=%" PRIu32,
		    dir_name(s->dir), flags, s->rel_seq, s->seg.len);
}

static void
print_event(FILE *f, const struct journal *j, const struct jevent *e,
    enum lang lang)
{
	char		 t[32], seg[128];
	const struct jseg *s;

	trace_time(t, e->t);
	switch (e->type) {
	case JE_SEG:
		s = &j->segs[e->u.seg.id];
		trace_seg_text(seg, sizeof seg, s);
		if (e->u.seg.fate == FATE_IGNORED)
			fprintf(f, "SEG %s %s ignored %s\n", t, seg,
			    s->why ? s->why : "invalid");
		else
			fprintf(f, "SEG %s %s %s\n", t, seg,
			    fate_name(e->u.seg.fate));
		break;
	case JE_STATE:
		fprintf(f, "STATE %s %s %s %s\n", t, side_name(e->side),
		    tcp_state_names[e->u.state.from],
		    tcp_state_names[e->u.state.to]);
		break;
	case JE_TIMER:
		if (e->u.timer.action == TA_FIRED)
			fprintf(f, "TIMER %s %s %s fired\n", t,
			    side_name(e->side),
			    tcp_timer_names[e->u.timer.kind]);
		break;
	case JE_CALL:
		fprintf(f, "CALL %s %s %s\n", t, side_name(e->side), e->text);
		break;
	case JE_ERROR:
		fprintf(f, "ERROR %s %s %s\n", t, side_name(e->side), e->text);
		break;
	case JE_SAY:
		if (strcmp(e->u.say.lang, lang_name(lang)) == 0)
			fprintf(f, "SAY %s %s %s\n", t, e->u.say.lang, e->text);
		break;
	case JE_PAUSE:
		fprintf(f, "PAUSE %s\n", t);
		break;
	case JE_ASK:
		if (strcmp(e->u.say.lang, lang_name(lang)) == 0)
			fprintf(f, "ASK %s %s %s\n", t, e->u.say.lang, e->text);
		break;
	case JE_EXPECT:
		fprintf(f, "EXPECT %s %s\n", t, e->text);
		break;
	case JE_NOTE:
		fprintf(f, "NOTE %s %s\n", t, e->text);
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

/* The timers still running when a run stops: listed, not run. */
void
trace_pending(FILE *f, const struct sim *s)
{
	char	 t[32], due[32];

	trace_time(t, s->clock.now);
	for (int i = 0; i < NSIDES; i++) {
		for (int k = 0; k < TCP_NTIMERS; k++) {
			const struct timer *tm = &s->ep[i].timers[k];

			if (!tm->armed)
				continue;
			fprintf(f, "TIMER %s %s %s pending %s\n", t,
			    side_name((enum side)i), tcp_timer_names[k],
			    trace_time(due, tm->when));
		}
	}
}
