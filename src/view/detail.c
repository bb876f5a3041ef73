/*
 * The segment detail panel: the chosen segment's header field by field,
 * each with what it means, absolute and relative numbers, the checksum
 * verified again from the bytes, and the bytes themselves.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

#define NAME_W	17
#define ROWS	17	/* the panel's rows under the ladder */

struct dline {
	struct canvas	*cv;
	int		 y;
	int		 x;
	int		 w;
	int		 end;	/* one past the last row */
};

static void
field(struct dline *d, const char *name, const char *value, const char *what)
{
	int	 vw, at, rows = 1;

	if (d->y >= d->end)
		return;
	canvas_text(d->cv, d->y, d->x + 1, NAME_W - 1, ST_BOLD, name);
	vw = canvas_text(d->cv, d->y, d->x + NAME_W, d->w - NAME_W, ST_NORMAL,
	    value);
	/* The note beside the value, wrapped under itself; under the value
	 * when a long value leaves it too little room. */
	at = NAME_W + (vw < 22 ? 22 : vw + 2);
	if (what != NULL && d->w - at - 1 >= 20)
		rows = canvas_wrap(d->cv, d->y, d->x + at, d->w - at - 1,
		    d->end - d->y, ST_DIM, what);
	else if (what != NULL && d->y + 1 < d->end)
		rows = 1 + canvas_wrap(d->cv, d->y + 1, d->x + NAME_W + 2,
		    d->w - NAME_W - 3, d->end - d->y - 1, ST_DIM, what);
	d->y += rows > 0 ? rows : 1;
}

/* The options as tcpdump names them; SACK blocks numbered as the ack
 * is (base: the other side's first sequence number). */
static void
options_text(const struct segment *seg, uint32_t base, char *buf,
    size_t len)
{
	int	 n = 0;

	buf[0] = '\0';
	if (seg->mss != 0)
		n += snprintf(buf + n, len - (size_t)n, "mss %u ", seg->mss);
	if (seg->sack_ok && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "sackOK ");
	if (seg->has_ts && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "TS val %" PRIu32
		    " ecr %" PRIu32 " ", seg->ts_val, seg->ts_ecr);
	if (seg->wscale >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "wscale %d ",
		    seg->wscale);
	for (int b = 0; b < seg->nsack && (size_t)n < len; b++)
		n += snprintf(buf + n, len - (size_t)n, "%s%" PRIu32 "-%"
		    PRIu32 "%s", b == 0 ? "sack " : "",
		    seg->sack[b].start - base, seg->sack[b].end - base,
		    b + 1 < seg->nsack ? "," : " ");
	if (n > 0 && (size_t)n <= len)
		buf[n - 1] = '\0';
}

static void
flag_lines(struct ui *ui, struct dline *d, uint8_t flags)
{
	static const struct {
		uint8_t		 bit;
		const char	*name;
		enum msg	 m;
	} f[] = {
		{ TH_SYN, "SYN", M_FLAG_SYN }, { TH_FIN, "FIN", M_FLAG_FIN },
		{ TH_RST, "RST", M_FLAG_RST }, { TH_PSH, "PSH", M_FLAG_PSH },
		{ TH_ACK, "ACK", M_FLAG_ACK }, { TH_URG, "URG", M_FLAG_URG },
	};
	char	 v[96], letters[16];
	int	 n;

	n = snprintf(v, sizeof v, "%s  (", segment_flags(flags, letters));
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if ((flags & f[i].bit) && n > 0 && (size_t)n < sizeof v)
			n += snprintf(v + n, sizeof v - (size_t)n, "%s%s",
			    v[n - 1] == '(' ? "" : " ", f[i].name);
	}
	if (n > 0 && (size_t)n < sizeof v)
		snprintf(v + n, sizeof v - (size_t)n, ")");
	field(d, ui_str(ui, M_F_FLAGS), v, NULL);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if ((flags & f[i].bit) && d->y < d->end)
			canvas_text(d->cv, d->y++, d->x + NAME_W + 2,
			    d->w - NAME_W - 2, ST_DIM, ui_str(ui, f[i].m));
	}
}

static void
hex_lines(struct dline *d, const uint8_t *b, size_t n)
{
	char	 buf[80];

	for (size_t off = 0; off < n && d->y < d->end; off += 16) {
		int	 k = snprintf(buf, sizeof buf, "%04zx ", off);

		for (size_t i = off; i < off + 16 && i < n; i++)
			k += snprintf(buf + k, sizeof buf - (size_t)k, " %02x",
			    b[i]);
		canvas_text(d->cv, d->y++, d->x + 1, d->w - 2, ST_DIM, buf);
	}
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	int			 y = r->y, x = r->x, w = r->w, h = r->h;
	const struct journal	*j = session_journal(ui->s);
	int			 id = ui_selected(ui), ws;
	const struct jseg	*g;
	struct dline		 d = { cv, y + 1, x, w, y + h };
	struct segment		 seg;
	struct seg_addrs	 a;
	const uint8_t		*payload;
	enum seg_error		 err;
	char			 v[160], flags[16];
	size_t			 sent, end;
	uint32_t		 rseq, rack;

	canvas_fill(cv, y, x, w, '-', ST_DIM);
	if (id < 0) {
		canvas_text(cv, y, x + 2, w - 4, ST_HEADING,
		    ui_str(ui, M_SEGMENT));
		canvas_wrap(cv, y + 1, x + 1, w - 2, h - 1, ST_DIM,
		    ui_str(ui, M_NO_SEGMENT));
		return;
	}
	g = &j->segs[id];
	sent = session_sent_event(ui->s, id);
	end = session_arrival_event(ui->s, id, false);
	snprintf(v, sizeof v, " %s #%d %s %s ", ui_str(ui, M_SEGMENT), id + 1,
	    dir_name(g->dir), g->valid ? segment_flags(g->seg.flags, flags) :
	    "-");
	{
		int	 n = canvas_text(cv, y, x + 2, w - 4, ST_HEADING, v);
		char	 when[128];
		int	 k = 0;

		char	 t[32];

		if (sent != SIZE_MAX)
			k = snprintf(when, sizeof when, "%s %ss  ",
			    ui_str(ui, M_SENT_AT), vt_seconds(t, j->ev[sent].t));
		if (end != SIZE_MAX && session_step_of(ui->s, end) <=
		    ui_shown(ui))
			snprintf(when + k, sizeof when - (size_t)k, "%s %ss ",
			    ui_str(ui, j->ev[end].u.seg.fate == FATE_DROPPED ?
			    M_LOST_AT : M_ARRIVED_AT), vt_seconds(t,
			    j->ev[end].t));
		else
			snprintf(when + k, sizeof when - (size_t)k, "%s ",
			    ui_str(ui, M_IN_FLIGHT));
		canvas_fill(cv, y, x + 2 + n, 1, ' ', ST_DIM);
		canvas_text(cv, y, x + 3 + n, w - 5 - n, ST_DIM, when);
	}
	a.src = j->conn.ip[g->dir];
	a.dst = j->conn.ip[!g->dir];
	err = segment_decode(journal_bytes(j, g), g->nbytes, &a, &seg,
	    &payload);
	if (!g->valid && err != SEG_OK && err != SEG_ECHECKSUM) {
		snprintf(v, sizeof v, "%" PRIu32 " %s: %s", g->nbytes,
		    ui_str(ui, M_F_BYTES), g->why ? journal_why_name(g->why) :
		    segment_strerror(err));
		field(&d, ui_str(ui, M_F_PAYLOAD), v, NULL);
		hex_lines(&d, journal_bytes(j, g), g->nbytes);
		return;
	}
	/* Relative as the ladder and the trace show it: to the base in
	 * force when it was sent (a later SYN may start a new one). */
	rseq = g->valid ? g->rel_seq : journal_rel(j, g->dir, seg.seq);
	rack = g->valid ? g->rel_ack : journal_rel(j, !g->dir, seg.ack);
	snprintf(v, sizeof v, "%u -> %u", seg.sport, seg.dport);
	field(&d, ui_str(ui, M_F_SPORT), v, ui_str(ui, M_D_SPORT));
	snprintf(v, sizeof v, "%" PRIu32 "  (%s %" PRIu32 ")", seg.seq,
	    ui_str(ui, M_RELATIVE), rseq);
	field(&d, ui_str(ui, M_F_SEQ), v, ui_str(ui, seg.flags & TH_SYN ?
	    M_D_SEQ_SYN : M_D_SEQ));
	if (seg.flags & TH_ACK)
		snprintf(v, sizeof v, "%" PRIu32 "  (%s %" PRIu32 ")", seg.ack,
		    ui_str(ui, M_RELATIVE), rack);
	else
		snprintf(v, sizeof v, "%" PRIu32, seg.ack);
	field(&d, ui_str(ui, M_F_ACK), v, ui_str(ui, seg.flags & TH_ACK ?
	    M_D_ACK : M_D_NOACK));
	snprintf(v, sizeof v, "%u (%u %s)", seg.off, seg.off * 4u,
	    ui_str(ui, M_F_BYTES));
	field(&d, ui_str(ui, M_F_OFF), v, ui_str(ui, M_D_OFF));
	flag_lines(ui, &d, seg.flags);
	ws = journal_wscale(j, g->dir);
	if (!(seg.flags & TH_SYN) && ws > 0 && journal_wscale(j, !g->dir) >= 0)
		snprintf(v, sizeof v, "%u (x%u = %lu)", seg.win, 1u << ws,
		    (unsigned long)journal_window(j, g));
	else
		snprintf(v, sizeof v, "%u", seg.win);
	field(&d, ui_str(ui, M_F_WIN), v, ui_str(ui, M_D_WIN));
	snprintf(v, sizeof v, "0x%04x %s", seg.cksum, err == SEG_OK ? "ok" :
	    "BAD");
	field(&d, ui_str(ui, M_F_CKSUM), v, ui_str(ui, err == SEG_OK ?
	    M_D_CKSUM_OK : M_D_CKSUM_BAD));
	snprintf(v, sizeof v, "%u", seg.urp);
	field(&d, ui_str(ui, M_F_URP), v, ui_str(ui, M_D_URP));
	options_text(&seg, seg.ack - rack, v, sizeof v);
	/* SACK blocks: what the receiver holds past the ack, or, the first
	 * below it, what came twice (D-SACK). */
	field(&d, ui_str(ui, M_F_OPTIONS), v[0] ? v : ui_str(ui,
	    M_D_NOOPTIONS), !v[0] ? NULL : seg.nsack == 0 ? ui_str(ui,
	    M_D_OPTIONS) : segment_dsack(&seg) ? ui_str(ui,
	    M_D_DSACK) : ui_str(ui, M_D_SACK));
	snprintf(v, sizeof v, "%" PRIu32 " %s", seg.len, ui_str(ui,
	    M_F_BYTES));
	field(&d, ui_str(ui, M_F_PAYLOAD), v, ui_str(ui, M_D_PAYLOAD));
	hex_lines(&d, journal_bytes(j, g), g->nbytes);
}

static void
layout(const struct ui *ui, int w, int h, int *ww, int *wh)
{
	(void)ui;
	(void)h;
	*ww = w;
	*wh = ROWS;
}

const struct panel panel_detail = { "detail", layout, draw, NULL };
