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
		if (c->has_arg)
			snprintf(buf, len, "%s(%" PRIu32 ")", name, c->arg);
		else
			snprintf(buf, len, "%s()", name);
		return ST_DIM;
	case JE_ERROR:
		snprintf(buf, len, "! %s", tcp_error_names[e->u.error.err]);
		return ST_BAD;
	default:
		snprintf(buf, len, "%s", ui_str(ui,
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
			if (e->x.timer.action == TA_FIRED)
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
		    M_TAG_DELAY : M_TAG_DUP));
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
			tm[side][k].on = e->x.timer.action == TA_ARMED;
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
			char		 a[16], b[16], buf[96], bar[16];
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
				int	 bw = form == 0 ? 10 : 5;

				for (int i = 0; i < bw; i++)
					bar[i] = i < (fill * bw + 5) / 10 ?
					    '#' : '.';
				bar[bw] = '\0';
				if (form == 3)
					snprintf(buf, sizeof buf, "%s %s",
					    ui_str(ui, timer_msg[k]), a);
				else
					snprintf(buf, sizeof buf, "%s %s/%s%s%s%s",
					    ui_str(ui, timer_msg[k]), a, b,
					    form < 2 ? " [" : "",
					    form < 2 ? bar : "",
					    form < 2 ? "]" : "");
				if (form < 3 && k == TT_RTX && retries[side] > 0) {
					size_t	 u = strlen(buf);

					snprintf(buf + u, sizeof buf - u, " %s %d",
					    ui_str(ui, M_RETRY), retries[side]);
				}
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

/* The addresses, both states large in their boxes, the last change. */
static void
draw_sides(struct ui *ui, struct canvas *cv, int y, int x, int w)
{
	const struct jconn	*c = &session_journal(ui->s)->conn;
	const struct jevent	*last;
	int			 state[2];
	char			 buf[256], addr[64], cause[160];
	int			 rx = x + w - 1 - BOX_W, mid = x + BOX_W + 2;
	int			 midw = rx - 1 - mid;

	ui_states(ui, state, &last);
	address(addr, sizeof addr, c->ip[0], c->port[0]);
	snprintf(buf, sizeof buf, "%s %s", ui_str(ui, M_CLIENT), addr);
	canvas_text(cv, y, x + 1, w / 2 - 1, ST_CLIENT, buf);
	address(addr, sizeof addr, c->ip[1], c->port[1]);
	snprintf(buf, sizeof buf, "%s %s", ui_str(ui, M_SERVER), addr);
	canvas_text(cv, y, x + w - 1 - text_width(buf), w / 2 - 1, ST_SERVER,
	    buf);
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
	snprintf(buf, sizeof buf, "%s (RFC 9293 %s)", cause, ui_rfc(last));
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
	int		 timers;
	char		 note[64];

	nrows = rows_upto(l, ui_shown(ui));
	if (l->nhit != h) {
		l->nhit = h;
		l->hit = xreallocarray(l->hit, (size_t)h, sizeof *l->hit);
	}
	for (int i = 0; i < h; i++)
		l->hit[i] = -1;
	draw_sides(ui, cv, y, x, w);
	timers = draw_timers(ui, cv, y + 4, x, w, h >= 20 ? 2 : 1);
	top = y + 4 + (timers > 0 ? timers : 1);
	lines = y + h - top;
	if (lines <= 0)
		return;
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

		if (r->state[0] >= 0)
			canvas_text(cv, ry, x + 1, STATE_W, ST_STATE_CLIENT,
			    tcp_state_names[r->state[0]]);
		if (r->state[1] >= 0)
			canvas_text(cv, ry, rx, STATE_W, ST_STATE_SERVER,
			    tcp_state_names[r->state[1]]);
		if (r->kind == LROW_NOTE) {
			const struct jevent *e =
			    &session_journal(ui->s)->ev[r->ref];
			uint8_t	 st = note_text(ui, e, note, sizeof note);
			int	 nw = text_width(note);

			canvas_text(cv, ry, e->side == SIDE_SERVER ?
			    mx + mw - (nw < mw ? nw : mw) : mx, mw, st, note);
		}
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
