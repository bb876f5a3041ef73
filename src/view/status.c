/*
 * The status line: "synfin · title" on the left; the profile, playing or
 * paused, the speed, the virtual time, the step, the score and the
 * datagrams refused on the right.  Where the title would be cut, the
 * profile and then a plain 1x speed give way to it.
 */
#include "config.h"

#include <stdio.h>

#include "view.h"

static const char *
title(const struct ui *ui, char *buf, size_t len)
{
	if (ui->s->sandbox)
		return ui_str(ui, M_SANDBOX);
	return session_title(ui->s, ui->lang, buf, len);
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	const struct session	*s = ui->s;
	const struct journal	*j = session_journal(s);
	size_t			 shown = ui_shown(ui);
	size_t			 ignored = session_ignored(s, shown);
	char			 right[256], left[256], t[32], name[64];
	int			 n, rw, score, asked;
	bool			 fast = ui_fast(ui);
	double			 speed = ui_speed(ui);

	ui_score(ui, &score, &asked);
	/* Compressed: the clock runs faster than the speed says. */
	snprintf(t, sizeof t, "%.3f", ui_vtime(ui) / 1e6);
	snprintf(left, sizeof left, " synfin · %s", title(ui, name,
	    sizeof name));
	for (int terse = 0; terse < 3; terse++) {
		char	 sp[32] = "";

		if (terse < 2 || speed != 1)
			snprintf(sp, sizeof sp, " · %gx%s%s", speed,
			    fast ? " " : "", fast ? ui_str(ui, M_FAST) : "");
		else if (fast)
			snprintf(sp, sizeof sp, " · %s", ui_str(ui, M_FAST));
		/* A timeline still being worked out: the steps so far. */
		n = snprintf(right, sizeof right,
		    "%s%s%s%s · t=%ss · %s %zu/%zu%s",
		    terse == 0 ? profiles[j->conn.profile].name : "",
		    terse == 0 ? " · " : "",
		    ui_str(ui, ui->play.playing ? M_PLAYING : M_PAUSED), sp, t,
		    ui_str(ui, M_STEP), shown, s->nsteps,
		    session_done(s) ? "" : "+");
		if (asked > 0 && n > 0 && (size_t)n < sizeof right)
			n += snprintf(right + n, sizeof right - (size_t)n,
			    " · %s %d/%d", ui_str(ui, M_SCORE), score, asked);
		if (ignored > 0 && n > 0 && (size_t)n < sizeof right)
			snprintf(right + n, sizeof right - (size_t)n,
			    " · %s %zu", ui_str(ui, M_IGNORED), ignored);
		if (text_width(left) + text_width(right) + 3 <= r->w)
			break;
	}
	canvas_fill(cv, r->y, r->x, r->w, ' ', ST_STATUS);
	rw = text_width(right);
	if (rw + 2 > r->w)
		rw = r->w - 2;
	canvas_text(cv, r->y, r->x, r->w - rw - 2, ST_STATUS, left);
	canvas_text(cv, r->y, r->x + r->w - rw - 1, rw, ST_STATUS, right);
}

const struct panel panel_status = { "status", NULL, draw, NULL };
