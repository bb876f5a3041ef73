/*
 * The ladder: the two sides' addresses and states, their timers, and down
 * the page every segment as an arrow from sender to receiver, with the
 * states each side went through beside them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define STATE_W		12	/* "SYN_RECEIVED" */
#define BOX_W		(STATE_W + 4)

static struct lrow *
new_row(struct ladder *l, size_t step)
{
	struct lrow	*r;

	if (l->nrows == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->rows = xreallocarray(l->rows, l->cap, sizeof *l->rows);
	}
	r = &l->rows[l->nrows++];
	r->step = (uint32_t)step;
	r->ref = 0;
	r->kind = LROW_STATES;
	r->state[0] = r->state[1] = -1;
	return r;
}

/* A row telling of event i: a call, an error, a timer that fired. */
static void
note_row(struct ladder *l, size_t step, size_t i)
{
	struct lrow	*r = new_row(l, step);

	r->kind = LROW_NOTE;
	r->ref = (uint32_t)i;
}

static const enum msg fired_msg[TCP_NTIMERS] = {
	[TT_RTX] = M_FIRED_RTX,
	[TT_DELACK] = M_FIRED_DELACK,
	[TT_TIMEWAIT] = M_FIRED_TIMEWAIT,
	[TT_FINWAIT2] = M_FIRED_FINWAIT2,
	[TT_KEEPALIVE] = M_FIRED_KEEPALIVE,
};

/*
 * A row's note, in the learner's language, and its style: a call as a
 * program writes it ("send(100)", "close()"), an error, a timer fired.
 */
static uint8_t
note_text(const struct ui *ui, const struct jevent *e, char *buf, size_t len)
{
	const struct jcall	*c;
	const char		*name;

	switch (e->type) {
	case JE_CALL:
		c = journal_call_of(session_journal(ui->s), e);
		name = tcp_call_names[c->call];
		if (c->call == CALL_KEEPALIVE)
			snprintf(buf, len, "%s(%s)", name, c->arg ? "on" :
			    "off");
		else if (c->has_arg)
			snprintf(buf, len, "%s(%" PRIu32 ")", name, c->arg);
		else
			snprintf(buf, len, "%s()", name);
		/* A call that failed says so where it was made. */
		if (c->err != TE_NONE && c->err != TE_AGAIN) {
			size_t	 n = strlen(buf);

			snprintf(buf + n, len - n, " %s",
			    tcp_error_names[c->err]);
			return ST_BAD;
		}
		return ui->present ? ST_NORMAL : ST_DIM;
	case JE_ERROR:
		snprintf(buf, len, "! %s", tcp_error_names[e->u.error.err]);
		return ST_BAD;
	default:
		snprintf(buf, len, "%s", ui_str(ui,
		    e->x.timer.action == TA_PROBE ? M_FIRED_TLP :
		    e->x.timer.action == TA_REO ? M_FIRED_REO :
		    e->x.timer.action == TA_ZWP ? M_FIRED_ZWP :
		    fired_msg[e->x.timer.kind]));
		return ST_TIMER;
	}
}

/* The side a row's note is told on. */
static enum side
note_side(const struct ui *ui, const struct lrow *r)
{
	if (r->kind != LROW_NOTE)
		return SIDE_NONE;
	return (enum side)session_journal(ui->s)->ev[r->ref].side;
}

/* The states a step left waiting go beside its note, or on a row. */
static void
flush_states(struct ui *ui, size_t step, int pending[2], size_t first_row)
{
	struct ladder	*l = &ui->ladder;
	struct lrow	*r = NULL;

	for (int side = 0; side < NSIDES; side++) {
		if (pending[side] < 0)
			continue;
		for (size_t i = first_row; i < l->nrows && r == NULL; i++) {
			struct lrow	*ri = &l->rows[i];

			if (note_side(ui, ri) == (enum side)side &&
			    ri->state[side] < 0)
				r = ri;
		}
		if (r == NULL || r->state[side] >= 0)
			r = new_row(l, step);
		r->state[side] = (int8_t)pending[side];
		pending[side] = -1;
	}
}

/* Step k's rows, from its own events alone. */
static void
step_rows(struct ui *ui, size_t k)
{
	const struct journal	*j = session_journal(ui->s);
	struct ladder		*l = &ui->ladder;
	int			 pending[2] = { -1, -1 };
	size_t			 first_row = l->nrows;

	for (size_t i = session_applied(ui->s, k - 1),
	    end = session_applied(ui->s, k); i < end; i++) {
		const struct jevent	*e = &j->ev[i];
		struct lrow		*r;
		int			 side = e->side, id;

		switch (e->type) {
		case JE_CALL:
		case JE_ERROR:
			note_row(l, k, i);
			break;
		case JE_TIMER:
			if (TA_IS_FIRED(e->x.timer.action))
				note_row(l, k, i);
			break;
		case JE_STATE:
			if (pending[side] >= 0)
				flush_states(ui, k, pending, first_row);
			pending[side] = e->u.state.to;
			break;
		case JE_SEG:
			id = e->u.seg.id;
			if (e->u.seg.fate != FATE_SENT &&
			    (e->u.seg.fate != FATE_IGNORED ||
			    session_sent_event(ui->s, id) != SIZE_MAX))
				break;
			side = j->segs[id].dir;
			l->seg_row[id] = (uint32_t)l->nrows;
			r = new_row(l, k);
			r->kind = LROW_ARROW;
			r->ref = (uint32_t)id;
			r->state[side] = (int8_t)pending[side];
			pending[side] = -1;
			if (session_arrival_event(ui->s, id, true) !=
			    SIZE_MAX) {
				r = new_row(l, k);
				r->kind = LROW_COPY;
				r->ref = (uint32_t)id;
			}
			break;
		default:
			break;
		}
	}
	flush_states(ui, k, pending, first_row);
}

static size_t	rows_upto(const struct ladder *, size_t);

/*
 * The rows for the steps the session knows: those of the first keep
 * steps stay, the rest are made (again).
 */
void
ladder_sync(struct ui *ui, size_t keep)
{
	struct ladder	*l = &ui->ladder;
	size_t		 nsegs = session_journal(ui->s)->nsegs;

	if (keep < l->steps) {
		l->nrows = rows_upto(l, keep);
		l->steps = keep;
		for (size_t i = 0; i < l->nseg_row; i++) {
			if (l->seg_row[i] != LROW_NONE &&
			    l->seg_row[i] >= l->nrows)
				l->seg_row[i] = LROW_NONE;
		}
	}
	if (nsegs > l->nseg_row) {
		l->seg_row = xreallocarray(l->seg_row, nsegs,
		    sizeof *l->seg_row);
		for (size_t i = l->nseg_row; i < nsegs; i++)
			l->seg_row[i] = LROW_NONE;
		l->nseg_row = nsegs;
	}
	for (; l->steps < ui->s->nsteps; l->steps++)
		step_rows(ui, l->steps + 1);
}

/* How many rows the first k steps made. */
static size_t
rows_upto(const struct ladder *l, size_t k)
{
	size_t	 lo = 0, hi = l->nrows;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (l->rows[mid].step <= k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint8_t
seg_style(const struct jseg *g)
{
	if (!g->valid)
		return ST_DROPPED;
	if (g->seg.flags & TH_RST)
		return ST_RST;
	if (g->seg.flags & TH_SYN)
		return ST_SYN;
	if (g->seg.flags & TH_FIN)
		return ST_FIN;
	if (g->seg.len > 0)
		return ST_DATA;
	return ST_ACK;
}

/* Whether the segment has arrived, or been lost, by the position. */
static bool
seg_over(const struct ui *ui, int seg)
{
	size_t	 end = session_arrival_event(ui->s, seg, false);

	return end != SIZE_MAX && session_step_of(ui->s, end) <= ui_shown(ui);
}

static void
seg_text(const struct ui *ui, const struct lrow *r, char *buf, size_t len)
{
	int			 seg = (int)r->ref;
	bool			 copy = r->kind == LROW_COPY;
	const struct jseg	*g = &session_journal(ui->s)->segs[seg];
	char			 flags[16];
	int			 n;
	enum rule_kind		 kind;

	if (!g->valid) {
		snprintf(buf, len, "#%d %" PRIu32 " %s (%s)", seg + 1,
		    g->nbytes,
		    ui_str(ui, M_F_BYTES), g->why ? journal_why_name(g->why) :
		    "?");
		return;
	}
	segment_flags(g->seg.flags, flags);
	if (g->seg.flags & TH_ACK)
		n = snprintf(buf, len, "#%d %s seq=%" PRIu32 " ack=%" PRIu32
		    " len=%" PRIu32, seg + 1, flags, g->rel_seq, g->rel_ack,
		    g->seg.len);
	else
		n = snprintf(buf, len, "#%d %s seq=%" PRIu32 " len=%" PRIu32,
		    seg + 1, flags, g->rel_seq, g->seg.len);
	if (n < 0 || (size_t)n >= len)
		return;
	if (copy)
		snprintf(buf + n, len - (size_t)n, " (%s)",
		    ui_str(ui, M_COPY));
	else if (session_fate(ui->s, seg, &kind) && !seg_over(ui, seg))
		snprintf(buf + n, len - (size_t)n, " %s", ui_str(ui,
		    kind == RULE_DROP ? M_TAG_DROP : kind == RULE_DELAY ?
		    M_TAG_DELAY : kind == RULE_HOLD ? M_TAG_HOLD : M_TAG_DUP));
}

/*
 * One arrow across the middle, mx to mx + mw - 1.  It grows from the
 * sender as the segment travels; a lost one stops halfway at an X.
 */
static void
draw_arrow(struct ui *ui, struct canvas *cv, int y, int mx, int mw,
    const struct lrow *r, bool selected)
{
	const struct journal	*j = session_journal(ui->s);
	int			 seg = (int)r->ref;
	bool			 copy = r->kind == LROW_COPY;
	const struct jseg	*g = &j->segs[seg];
	size_t			 end = session_arrival_event(ui->s, seg,
				     copy);
	bool			 c2s = g->dir == DIR_C2S, over, lost, bad;
	double			 p = ui_progress(ui, seg, copy);
	uint8_t			 st = seg_style(g), sel = selected ?
				     ST_SELECTED : 0;
	char			 label[160], tail[64];
	int			 lw, reach, shaft;

	over = end != SIZE_MAX && session_step_of(ui->s, end) <= ui_shown(ui);
	lost = end != SIZE_MAX && j->ev[end].u.seg.fate == FATE_DROPPED;
	bad = end != SIZE_MAX && j->ev[end].u.seg.fate == FATE_IGNORED;
	if (lost && p > 0.5)
		p = 0.5;
	seg_text(ui, r, label, sizeof label);
	lw = text_width(label);
	if (lw > mw - 4)
		lw = mw - 4;
	/* Columns from the sender: the shaft grows beyond the label. */
	reach = lw + 1 + (int)(p * (mw - lw - 1) + 0.5);
	if (reach > mw)
		reach = mw;
	tail[0] = '\0';
	if (over && lost)
		snprintf(tail, sizeof tail, "X %s", ui_str(ui, M_DROPPED));
	else if (over && bad)
		snprintf(tail, sizeof tail, "X %s", ui_str(ui, M_IGNORED_SEG));
	else if (end == SIZE_MAX && session_sent_event(ui->s, seg) !=
	    SIZE_MAX && ui_shown(ui) >= ui->s->nsteps)
		snprintf(tail, sizeof tail, "%s", ui_str(ui, M_HELD));
	if (c2s) {
		canvas_text(cv, y, mx, lw, st | sel, label);
		shaft = reach - lw - 1;
		canvas_fill(cv, y, mx + lw, 1, ' ', st | sel);
		canvas_fill(cv, y, mx + lw + 1, shaft, '-', st | sel);
		if (over && !lost && !bad)
			canvas_fill(cv, y, mx + mw - 1, 1, '>', st | sel);
		else if (tail[0] != '\0')
			canvas_text(cv, y, mx + reach, mw - reach,
			    ST_DROPPED | sel, tail);
	} else {
		int	 right = mx + mw;	/* one past the last column */

		canvas_text(cv, y, right - lw, lw, st | sel, label);
		shaft = reach - lw - 1;
		canvas_fill(cv, y, right - lw - 1, 1, ' ', st | sel);
		canvas_fill(cv, y, right - reach, shaft, '-', st | sel);
		if (over && !lost && !bad)
			canvas_fill(cv, y, mx, 1, '<', st | sel);
		else if (tail[0] != '\0') {
			int	 tw = text_width(tail);

			canvas_text(cv, y, right - reach - tw, tw,
			    ST_DROPPED | sel, tail);
		}
	}
}

struct ltimer {
	bool		 on;
	uint8_t		 action;	/* TA_ARMED, _PROBE, _REO */
	vtime_t		 since;
	vtime_t		 due;
};

static const enum msg timer_msg[TCP_NTIMERS] = {
	[TT_RTX] = M_TIMER_RTX,
	[TT_DELACK] = M_TIMER_DELACK,
	[TT_TIMEWAIT] = M_TIMER_TIMEWAIT,
	[TT_FINWAIT2] = M_TIMER_FINWAIT2,
	[TT_KEEPALIVE] = M_TIMER_KEEPALIVE,
};

static void
seconds(char *buf, size_t len, vtime_t us)
{
	if (us < VT_SEC(10))
		snprintf(buf, len, "%.2gs", us / 1e6);
	else
		snprintf(buf, len, "%.0fs", us / 1e6);
	if (us > 0 && us < VT_MS(10))
		snprintf(buf, len, "%.1fms", us / 1e3);
}

/*
 * A countdown in one of its forms, longest first: "RTO 0.6s/1s
 * [####------] retry 2", a bar of 5, no bar, "RTO 0.6s".  fill is the
 * bar's part still to run, in tenths.
 */
static void
timer_text(const struct ui *ui, int k, int action, int form, int fill,
    const char *left, const char *total, int retries, char *buf, size_t len)
{
	char		 bar[16];
	int		 bw = form == 0 ? 10 : 5;
	size_t		 n;
	const char	*name = ui_str(ui, action == TA_ARMED_PROBE ? M_TIMER_TLP :
			    action == TA_ARMED_REO ? M_TIMER_REO :
			    action == TA_ARMED_ZWP ? M_TIMER_ZWP : timer_msg[k]);

	for (int i = 0; i < bw; i++)
		bar[i] = i < (fill * bw + 5) / 10 ? '#' : '.';
	bar[bw] = '\0';
	if (form == 3) {
		snprintf(buf, len, "%s %s", name, left);
		return;
	}
	if (form < 2)
		snprintf(buf, len, "%s %s/%s [%s]", name,
		    left, total, bar);
	else
		snprintf(buf, len, "%s %s/%s", name, left,
		    total);
	n = strlen(buf);
	if (retries > 0 && n < len)
		snprintf(buf + n, len - n, " %s %d", ui_str(ui, M_RETRY),
		    retries);
}

/*
 * Countdowns under each side: "RTO 0.6s/1s [####------] retry 2".  The
 * bar empties as the timer runs; the figures are the real virtual time.
 */
static int
draw_timers(struct ui *ui, struct canvas *cv, int y, int x, int w, int maxh)
{
	struct ltimer		 tm[NSIDES][TCP_NTIMERS];
	int			 retries[NSIDES] = { 0, 0 }, used = 0, n;
	vtime_t			 now = ui_vtime(ui);

	memset(tm, 0, sizeof tm);
	for (int side = 0; side < NSIDES; side++) {
		for (int k = 0; k < TCP_NTIMERS; k++) {
			const struct jevent	*e = session_timer(ui->s,
						     ui_shown(ui), side, k,
						     &n);

			if (e == NULL)
				continue;
			tm[side][k].on = TA_IS_ARMED(e->x.timer.action);
			tm[side][k].action = e->x.timer.action;
			tm[side][k].since = e->t;
			tm[side][k].due = e->u.timer.due;
			if (k == TT_RTX)
				retries[side] = n;
		}
	}
	for (int side = 0; side < NSIDES; side++) {
		int	 row = 0, half = w / 2, col = x + side * half + 1;

		for (int k = 0; k < TCP_NTIMERS && row < maxh; k++) {
			struct ltimer	*t = &tm[side][k];
			vtime_t		 left, total;
			char		 a[16], b[16], buf[96];
			int		 fill;

			if (!t->on)
				continue;
			total = t->due - t->since;
			left = t->due - now;
			if (left < 0)
				left = 0;
			fill = total > 0 ? (int)((double)left / total * 10 + 0.5)
			    : 0;
			seconds(a, sizeof a, left);
			seconds(b, sizeof b, total);
			/* Shorter forms where half the width is too little:
			 * a short bar, then none, then the time left alone;
			 * never a word cut. */
			for (int form = 0; form < 4; form++) {
				timer_text(ui, k, t->action, form, fill, a, b,
				    k == TT_RTX ?
				    retries[side] : 0, buf, sizeof buf);
				if (text_width(buf) <= half - 2)
					break;
			}
			if (side == SIDE_SERVER)
				col = x + w - 1 - (text_width(buf) < half - 2 ?
				    text_width(buf) : half - 2);
			canvas_text(cv, y + row, col, half - 2, ST_TIMER, buf);
			row++;
		}
		if (row > used)
			used = row;
	}
	return used;
}

static void
address(char *buf, size_t len, uint32_t ip, uint16_t port)
{
	struct in_addr	 a;
	char		 s[INET_ADDRSTRLEN];

	a.s_addr = htonl(ip);
	inet_ntop(AF_INET, &a, s, sizeof s);
	snprintf(buf, len, "%s:%u", s, port);
}

/* Each side's address, the client's at the left, the server's right. */
static void
draw_addresses(struct ui *ui, struct canvas *cv, int y, int x, int w)
{
	const struct jconn	*c = &session_journal(ui->s)->conn;
	char			 buf[256], addr[64];

	address(addr, sizeof addr, c->ip[0], c->port[0]);
	snprintf(buf, sizeof buf, "%s %s", ui_str(ui, M_CLIENT), addr);
	canvas_text(cv, y, x + 1, w / 2 - 1, ST_CLIENT, buf);
	address(addr, sizeof addr, c->ip[1], c->port[1]);
	snprintf(buf, sizeof buf, "%s %s", ui_str(ui, M_SERVER), addr);
	canvas_text(cv, y, x + w - 1 - text_width(buf), w / 2 - 1, ST_SERVER,
	    buf);
}

/* The addresses, both states large in their boxes, the last change. */
static void
draw_sides(struct ui *ui, struct canvas *cv, int y, int x, int w)
{
	const struct jevent	*last;
	int			 state[2];
	char			 buf[256], cause[160], note[64];
	int			 rx = x + w - 1 - BOX_W, mid = x + BOX_W + 2;
	int			 midw = rx - 1 - mid;

	ui_states(ui, state, &last);
	draw_addresses(ui, cv, y, x, w);
	for (int side = 0; side < NSIDES; side++) {
		int	 bx = side == 0 ? x + 1 : rx;
		uint8_t	 st = side == 0 ? ST_STATE_CLIENT : ST_STATE_SERVER;
		const char *name = tcp_state_names[state[side]];

		canvas_box(cv, y + 1, bx, 3, BOX_W, side == 0 ? ST_CLIENT :
		    ST_SERVER);
		canvas_text(cv, y + 2, bx + (BOX_W - (int)strlen(name)) / 2,
		    STATE_W, st, name);
	}
	if (last == NULL || midw < 10)
		return;
	snprintf(buf, sizeof buf, "%s %s -> %s", ui_str(ui,
	    last->side == SIDE_CLIENT ? M_K_CLIENT : M_K_SERVER),
	    tcp_state_names[last->u.state.from],
	    tcp_state_names[last->u.state.to]);
	canvas_text(cv, y + 1, mid + (midw - text_width(buf)) / 2 > mid ?
	    mid + (midw - text_width(buf)) / 2 : mid, midw, ST_BOLD, buf);
	/* Why, and where RFC 9293 says so: two centred lines. */
	ui_cause(ui, last, cause, sizeof cause);
	snprintf(buf, sizeof buf, "%s%s", cause, ui_rfc_note(ui, last, note));
	{
		const char	*p = buf;
		size_t		 n, skip;

		for (int row = 0; row < 2 && *p != '\0'; row++) {
			char	 line[128];
			int	 lw;

			n = text_wrap(p, midw, &skip);
			snprintf(line, sizeof line, "%.*s", (int)n, p);
			lw = text_width(line);
			canvas_text(cv, y + 2 + row, mid + (midw - lw) / 2, midw,
			    ST_DIM, line);
			p += skip;
		}
	}
}

/* A row's states at either side and its note, if it has them. */
static void
draw_row_text(struct ui *ui, struct canvas *cv, int ry, int sx, int rx,
    int mx, int mw, const struct lrow *r)
{
	char	 note[64];

	if (r->state[0] >= 0)
		canvas_text(cv, ry, sx, STATE_W, ST_STATE_CLIENT,
		    tcp_state_names[r->state[0]]);
	if (r->state[1] >= 0)
		canvas_text(cv, ry, rx, STATE_W, ST_STATE_SERVER,
		    tcp_state_names[r->state[1]]);
	if (r->kind == LROW_NOTE) {
		const struct jevent *e = &session_journal(ui->s)->ev[r->ref];
		uint8_t	 st = note_text(ui, e, note, sizeof note);
		int	 nw = text_width(note);

		canvas_text(cv, ry, e->side == SIDE_SERVER ?
		    mx + mw - (nw < mw ? nw : mw) : mx, mw, st, note);
	}
}

/* ---- the time axis ---------------------------------------------------- */

#define TIME_W		9	/* the margin: "60040ms" and a space */
#define SLOPE_REACH	48	/* lines above the screen an arrow comes from */
#define BREAK_FROM	3	/* a gap of this many lines says its length */

/*
 * The blank lines a gap of d microseconds takes: none for an instant,
 * one line for 20 ms, one more each time it is four times longer, six
 * at most (from about 20 s).  A long wait is compressed and its length
 * is written in the break (BREAK_FROM); a doubling still shows.
 */
static int
gap_lines(vtime_t d)
{
	int	 n = 1;

	if (d <= 0)
		return 0;
	for (vtime_t u = VT_MS(80); d >= u && n < 6; u *= 4)
		n++;
	return n;
}

/* The time of a row: its step's, for a step is one instant. */
static vtime_t
row_time(const struct ui *ui, size_t i)
{
	return session_time(ui->s, ui->ladder.rows[i].step);
}

/* A time in the margin: "1020ms", or in seconds for a projector. */
static void
margin_time(const struct ui *ui, char *buf, size_t len, vtime_t t)
{
	if (ui->present)
		snprintf(buf, len, "%.2fs", t / 1e6);
	else if (t % 1000 == 0)
		snprintf(buf, len, "%lldms", (long long)(t / 1000));
	else if (t < 1000)
		snprintf(buf, len, "%lldus", (long long)t);
	else if (t < 10000000)
		snprintf(buf, len, "%.1fms", t / 1e3);
	else if (t < 1000000000)	/* whole ms, to fit the margin */
		snprintf(buf, len, "%lldms", (long long)((t + 500) / 1000));
	else
		snprintf(buf, len, "%.1fs", t / 1e6);
}

/* A gap's length in its break: "~ 1.000 s ~". */
static void
break_text(const struct ui *ui, struct canvas *cv, int y, int mx, int mw,
    vtime_t d)
{
	char	 buf[48];
	int	 bw;

	snprintf(buf, sizeof buf, "~ %.3f s ~", d / 1e6);
	bw = text_width(buf);
	if (bw < mw)
		canvas_text(cv, y, mx + (mw - bw) / 2, bw, ui->present ?
		    ST_NORMAL : ST_DIM, buf);
}

/*
 * The lines of the rows on screen, relative to the last row shown
 * (its line is 0, those above are negative), and the line of now.
 */
struct tlayout {
	size_t		 first;		/* the first row placed */
	size_t		 last;		/* the last row shown */
	int		*rel;		/* per row from first */
	int		 now;		/* now's line, 0 or more */
	int		 base;		/* the screen line of rel 0 */
};

/*
 * The line a segment arriving at time t lands on, by the rows placed
 * around it: the last blank line before the rows of its instant, so that
 * no label of theirs hides its head (a gap is one line at least).
 */
static int
line_of(const struct ui *ui, const struct tlayout *tl, vtime_t t)
{
	size_t		 lo = tl->first, hi = tl->last + 1;
	vtime_t		 tlast = row_time(ui, tl->last);

	if (t > tlast)
		return gap_lines(t - tlast);
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (row_time(ui, mid) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (row_time(ui, lo) == t)
		return tl->rel[lo - tl->first] - 1;
	if (lo == tl->first)
		return tl->rel[0] - 1 - gap_lines(row_time(ui, lo) - t);
	return tl->rel[lo - 1 - tl->first] + gap_lines(t - row_time(ui,
	    lo - 1));
}

/*
 * A segment sent on line ys that arrives on line ya, drawn as it
 * travels: its label at the sender on the send line, then a shaft down
 * the page to the receiver, so that a slow segment slopes and two that
 * pass each other cross.  Lines are relative; only those between top
 * and bottom (screen lines) are drawn.
 */
static void
draw_slope(struct ui *ui, struct canvas *cv, const struct tlayout *tl,
    int ys, int ya, int top, int bottom, int mx, int mw,
    const struct lrow *r, bool selected, bool head)
{
	const struct journal	*j = session_journal(ui->s);
	int			 seg = (int)r->ref;
	bool			 copy = r->kind == LROW_COPY;
	const struct jseg	*g = &j->segs[seg];
	size_t			 end = session_arrival_event(ui->s, seg, copy);
	bool			 c2s = g->dir == DIR_C2S, over, lost, bad;
	uint8_t			 st = seg_style(g), sel = selected ?
				     ST_SELECTED : 0;
	char			 label[160], tail[64] = "";
	int			 lw, from, to, reach, span = ya - ys;

	over = end != SIZE_MAX && session_step_of(ui->s, end) <= ui_shown(ui);
	lost = over && j->ev[end].u.seg.fate == FATE_DROPPED;
	bad = over && j->ev[end].u.seg.fate == FATE_IGNORED;
	seg_text(ui, r, label, sizeof label);
	lw = text_width(label);
	if (lw > mw - 4)
		lw = mw - 4;
	/* The shaft's ends: after the label, and the receiver's edge. */
	from = c2s ? mx + lw + 1 : mx + mw - lw - 2;
	to = c2s ? mx + mw - 1 : mx;
	/* How far down it has come: to now, or half way if it was lost. */
	reach = over ? (lost || bad ? span / 2 : span) : tl->now - ys;
	if (reach > span)
		reach = span;
	if (lost)
		snprintf(tail, sizeof tail, "X %s", ui_str(ui, M_DROPPED));
	else if (bad)
		snprintf(tail, sizeof tail, "X %s", ui_str(ui, M_IGNORED_SEG));
	for (int k = 0; k <= reach; k++) {
		int	 y = tl->base + ys + k;
		int	 a = from + (to - from) * k / (span + 1);
		int	 b = from + (to - from) * (k + 1) / (span + 1);
		int	 lo = a < b ? a : b, hi = a < b ? b : a;

		if (y < top || y >= bottom)
			continue;
		if (head) {
			/* Drawn last: no label hides where it lands. */
			if (k == span && over && !lost && !bad)
				canvas_fill(cv, y, to, 1, c2s ? '>' : '<',
				    st | sel);
			continue;
		}
		if (k == 0)
			canvas_text(cv, y, c2s ? mx : mx + mw - lw, lw,
			    st | sel, label);
		if (k == reach && tail[0] != '\0') {
			int	 tw = text_width(tail);

			canvas_fill(cv, y, lo, hi - lo, '-', st | sel);
			canvas_text(cv, y, c2s ? hi : lo - tw, tw,
			    ST_DROPPED | sel, tail);
			continue;
		}
		canvas_fill(cv, y, lo, hi - lo, '-', st | sel);
	}
}

/*
 * The rows down a time axis: each on the line its time puts it, gaps
 * between instants as blank lines (gap_lines), the time in a margin,
 * now at the bottom (or the chosen segment at the top).
 */
static void
draw_timed(struct ui *ui, struct canvas *cv, int x, int w, int top,
    int lines, int py, size_t nrows, int sel)
{
	struct ladder	*l = &ui->ladder;
	struct tlayout	 tl;
	int		 mx, mw, rx, sx, bottom = top + lines, selrow = -1;
	size_t		 n;
	vtime_t		 now = ui_vtime(ui), tlast;
	char		 buf[64];

	if (nrows == 0)
		return;
	sx = x + 1 + TIME_W;
	rx = x + w - 1 - STATE_W;
	mx = sx + STATE_W + 2;
	mw = rx - 2 - mx;
	if (mw < 20)
		return;
	tl.last = nrows - 1;
	tlast = row_time(ui, tl.last);
	tl.now = now > tlast ? 1 + gap_lines(now - tlast) : 0;
	if (ui->sel >= 0 && sel >= 0 && (size_t)sel < l->nseg_row &&
	    l->seg_row[sel] < nrows)
		selrow = (int)l->seg_row[sel];
	/* Place rows back from the last while they may show. */
	n = 1;
	tl.rel = xreallocarray(NULL, nrows < 256 ? nrows : 256,
	    sizeof *tl.rel);
	{
		size_t	 cap = nrows < 256 ? nrows : 256;
		int	*back = tl.rel, y = 0;

		back[0] = 0;
		for (size_t i = tl.last; i > 0; i--) {
			y -= 1 + gap_lines(row_time(ui, i) - row_time(ui,
			    i - 1));
			if (y < -(tl.now + lines + SLOPE_REACH) &&
			    (selrow < 0 || (size_t)selrow >= i))
				break;
			if (n == cap) {
				cap *= 2;
				back = xreallocarray(back, cap, sizeof *back);
			}
			back[n++] = y;
		}
		/* Back to front: rel[k] is row first + k. */
		for (size_t a = 0, b = n - 1; a < b; a++, b--) {
			int	 t = back[a];

			back[a] = back[b];
			back[b] = t;
		}
		tl.rel = back;
		tl.first = nrows - n;
	}
	/* Now on the bottom line; the chosen segment kept in view. */
	tl.base = bottom - 1 - tl.now;
	if (selrow >= 0 && (size_t)selrow >= tl.first &&
	    tl.base + tl.rel[(size_t)selrow - tl.first] < top)
		tl.base = top - tl.rel[(size_t)selrow - tl.first];
	/* The breaks in long gaps, under everything else. */
	for (size_t i = tl.first + 1; i <= tl.last + 1; i++) {
		int	 a = tl.rel[i - 1 - tl.first];
		int	 b = i <= tl.last ? tl.rel[i - tl.first] : tl.now;
		vtime_t	 d = (i <= tl.last ? row_time(ui, i) : now) -
			     row_time(ui, i - 1);
		int	 y = tl.base + a + (b - a + 1) / 2;

		if (b - a - 1 >= BREAK_FROM && y >= top && y < bottom)
			break_text(ui, cv, y, mx, mw, d);
	}
	for (size_t i = tl.first; i <= tl.last; i++) {
		const struct lrow	*r = &l->rows[i];
		int			 ys = tl.rel[i - tl.first];
		int			 ry = tl.base + ys;

		if (r->kind == LROW_ARROW || r->kind == LROW_COPY) {
			int	 seg = (int)r->ref;
			size_t	 end = session_arrival_event(ui->s, seg,
			    r->kind == LROW_COPY);
			vtime_t	 ta = end != SIZE_MAX ?
			    session_journal(ui->s)->ev[end].t : now;
			int	 ya = ta > row_time(ui, i) ?
			    line_of(ui, &tl, ta) : ys;

			if (ya < ys)
				ya = ys;
			if (ya == ys) {
				if (ry >= top && ry < bottom)
					draw_arrow(ui, cv, ry, mx, mw, r,
					    seg == sel && ui->sel >= 0);
			} else
				draw_slope(ui, cv, &tl, ys, ya, top, bottom,
				    mx, mw, r, seg == sel && ui->sel >= 0,
				    false);
			if (ry >= top && ry < bottom) {
				if (seg == sel)
					canvas_text(cv, ry, x, 1,
					    ST_SELECTED | ST_BOLD, ">");
				l->hit[ry - py] = seg;
			}
		}
		if (ry < top || ry >= bottom)
			continue;
		margin_time(ui, buf, sizeof buf, row_time(ui, i));
		canvas_text(cv, ry, x + TIME_W - text_width(buf), TIME_W - 1,
		    ui->present ? ST_NORMAL : ST_DIM, buf);
		draw_row_text(ui, cv, ry, sx, rx, mx, mw, r);
	}
	/* The heads of the sloped arrows, over any label on their line. */
	for (size_t i = tl.first; i <= tl.last; i++) {
		const struct lrow	*r = &l->rows[i];
		int			 ys = tl.rel[i - tl.first], ya;
		size_t			 end;

		if (r->kind != LROW_ARROW && r->kind != LROW_COPY)
			continue;
		end = session_arrival_event(ui->s, (int)r->ref,
		    r->kind == LROW_COPY);
		if (end == SIZE_MAX ||
		    session_journal(ui->s)->ev[end].t <= row_time(ui, i))
			continue;
		ya = line_of(ui, &tl, session_journal(ui->s)->ev[end].t);
		if (ya > ys)
			draw_slope(ui, cv, &tl, ys, ya, top, bottom, mx, mw, r,
			    (int)r->ref == sel && ui->sel >= 0, true);
	}
	free(tl.rel);
}

/* ---- large letters, for a projector ------------------------------------ */

/*
 * A 3 by 5 pixel font for the state names, drawn with half blocks: each
 * glyph is 3 columns by 3 rows of the screen.  Bits from the left, rows
 * from the top.
 */
static const struct {
	char	 c;
	uint8_t	 row[5];
} glyphs[] = {
	{ 'A', { 2, 5, 7, 5, 5 } }, { 'B', { 6, 5, 6, 5, 6 } },
	{ 'C', { 3, 4, 4, 4, 3 } }, { 'D', { 6, 5, 5, 5, 6 } },
	{ 'E', { 7, 4, 6, 4, 7 } }, { 'F', { 7, 4, 6, 4, 4 } },
	{ 'G', { 3, 4, 5, 5, 3 } }, { 'H', { 5, 5, 7, 5, 5 } },
	{ 'I', { 7, 2, 2, 2, 7 } }, { 'K', { 5, 5, 6, 5, 5 } },
	{ 'L', { 4, 4, 4, 4, 7 } }, { 'M', { 5, 7, 7, 5, 5 } },
	{ 'N', { 6, 5, 5, 5, 5 } }, { 'O', { 2, 5, 5, 5, 2 } },
	{ 'P', { 6, 5, 6, 4, 4 } }, { 'R', { 6, 5, 6, 5, 5 } },
	{ 'S', { 3, 4, 2, 1, 6 } }, { 'T', { 7, 2, 2, 2, 2 } },
	{ 'U', { 5, 5, 5, 5, 7 } }, { 'V', { 5, 5, 5, 5, 2 } },
	{ 'W', { 5, 5, 7, 7, 5 } }, { 'Y', { 5, 5, 2, 2, 2 } },
	{ '_', { 0, 0, 0, 0, 7 } }, { '1', { 2, 6, 2, 2, 7 } },
	{ '2', { 6, 1, 2, 4, 7 } },
};
#define BIG_W(n)	((n) * 4 - 1)	/* columns for n letters */

/* A name in large letters at (y, x): three rows. */
static void
draw_big(struct canvas *cv, int y, int x, uint8_t style, const char *name)
{
	static const char *const half[4] = { " ", "▀", "▄", "█" };

	for (int k = 0; name[k] != '\0'; k++) {
		const uint8_t	*g = NULL;

		for (size_t i = 0; i < nitems(glyphs); i++) {
			if (glyphs[i].c == name[k])
				g = glyphs[i].row;
		}
		if (g == NULL)
			continue;
		for (int r = 0; r < 3; r++) {
			for (int col = 0; col < 3; col++) {
				int	 bit = 4 >> col;
				int	 top = g[2 * r] & bit ? 1 : 0;
				int	 low = r < 2 && (g[2 * r + 1] & bit) ?
					     2 : 0;

				canvas_text(cv, y + r, x + k * 4 + col, 1,
				    style, half[top | low]);
			}
		}
	}
}

/*
 * Presenter mode, where the screen is wide enough: the addresses, both
 * states in large letters, and the last change on one line.  Returns
 * the rows it took, or 0 if it does not fit.
 */
static int
draw_sides_big(struct ui *ui, struct canvas *cv, int y, int x, int w)
{
	const struct jevent	*last;
	int			 state[2];
	char			 buf[256], cause[160], note[64];

	if (!ui->present || cv->ascii || w < 2 * BIG_W(STATE_W) + 8)
		return 0;
	ui_states(ui, state, &last);
	draw_addresses(ui, cv, y, x, w);
	draw_big(cv, y + 1, x + 1, ST_STATE_CLIENT,
	    tcp_state_names[state[0]]);
	draw_big(cv, y + 1, x + w - 1 - BIG_W((int)strlen(
	    tcp_state_names[state[1]])), ST_STATE_SERVER,
	    tcp_state_names[state[1]]);
	if (last != NULL) {
		ui_cause(ui, last, cause, sizeof cause);
		snprintf(buf, sizeof buf, ui->lang == LANG_EN ?
		    "%s %s -> %s: %s%s" : "%s %s -> %s：%s%s",
		    ui_str(ui, last->side == SIDE_CLIENT ? M_K_CLIENT :
		    M_K_SERVER), tcp_state_names[last->u.state.from],
		    tcp_state_names[last->u.state.to], cause,
		    ui_rfc_note(ui, last, note));
		text_shorten(buf, w - 2, "…");
		canvas_text(cv, y + 4, x + 1 + (w - 2 - text_width(buf)) / 2,
		    w - 2, ST_BOLD, buf);
	}
	return 5;
}

/*
 * The ladder panel: the sides, the timers, and the rows.  The newest rows
 * are shown; the chosen segment is kept in view.
 */
static void
draw(struct ui *ui, struct canvas *cv, const struct rect *rc)
{
	struct ladder	*l = &ui->ladder;
	int		 sel = ui_selected(ui), top, lines, rx, mx, mw;
	int		 y = rc->y, x = rc->x, w = rc->w, h = rc->h;
	size_t		 first, nrows;
	int		 timers, sides;

	nrows = rows_upto(l, ui_shown(ui));
	if (l->nhit != h) {
		l->nhit = h;
		l->hit = xreallocarray(l->hit, (size_t)h, sizeof *l->hit);
	}
	for (int i = 0; i < h; i++)
		l->hit[i] = -1;
	if ((sides = draw_sides_big(ui, cv, y, x, w)) == 0) {
		draw_sides(ui, cv, y, x, w);
		sides = 4;
	}
	timers = draw_timers(ui, cv, y + sides, x, w, h >= 20 ? 2 : 1);
	top = y + sides + (timers > 0 ? timers : 1);
	lines = y + h - top;
	if (lines <= 0)
		return;
	if (!ui->ladder.compact) {
		draw_timed(ui, cv, x, w, top, lines, y, nrows, sel);
		return;
	}
	rx = x + w - 1 - STATE_W;
	mx = x + 1 + STATE_W + 2;
	mw = rx - 2 - mx;
	/* Keep the chosen segment's row in view, else show the newest. */
	first = nrows > (size_t)lines ? nrows - (size_t)lines : 0;
	if (ui->sel >= 0 && sel >= 0 && (size_t)sel < l->nseg_row &&
	    l->seg_row[sel] < nrows && l->seg_row[sel] < first)
		first = l->seg_row[sel];
	for (size_t i = first; i < nrows && (int)(i - first) < lines; i++) {
		const struct lrow	*r = &l->rows[i];
		int			 ry = top + (int)(i - first);

		draw_row_text(ui, cv, ry, x + 1, rx, mx, mw, r);
		if (r->kind == LROW_ARROW || r->kind == LROW_COPY) {
			int	 seg = (int)r->ref;

			draw_arrow(ui, cv, ry, mx, mw, r, seg == sel &&
			    ui->sel >= 0);
			if (seg == sel)
				canvas_text(cv, ry, x, 1, ST_SELECTED | ST_BOLD,
				    ">");
			l->hit[ry - y] = seg;
		}
	}
}

/*
 * The whole ladder as text, w columns wide, as far as the view has gone:
 * the sides and states, then every row on its time axis (or one after
 * another), tall enough for all of them.  For the exports.
 */
char *
ui_ladder_text(struct ui *ui, int w)
{
	struct ladder	*l = &ui->ladder;
	size_t		 nrows = rows_upto(l, ui_shown(ui));
	struct canvas	 cv;
	struct rect	 r;
	char		*text;
	int		 lines = 1;

	for (size_t i = 1; i < nrows; i++)
		lines += 1 + (l->compact ? 0 : gap_lines(row_time(ui, i) -
		    row_time(ui, i - 1)));
	r.y = r.x = 0;
	r.w = w;
	r.h = 4 + 2 + lines;
	canvas_init(&cv, r.w, r.h);
	cv.ascii = ui->ascii;
	draw(ui, &cv, &r);
	/* The selection's mark is the view's, not the diagram's. */
	for (int y = 0; y < r.h; y++)
		canvas_fill(&cv, y, 0, 1, ' ', ST_NORMAL);
	text = canvas_dump(&cv);
	canvas_free(&cv);
	return text;
}

/* A click on a segment's row chooses it. */
static enum ui_result
click(struct ui *ui, const struct rect *r, int y, int x)
{
	(void)r;
	(void)x;
	if (y < 0 || y >= ui->ladder.nhit || ui->ladder.hit[y] < 0)
		return UI_NOTHING;
	ui->sel = ui->ladder.hit[y];
	return UI_REDRAW;
}

const struct panel panel_ladder = { "ladder", NULL, draw, click };
