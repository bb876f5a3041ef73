/*
 * The status line: "synfin · title" on the left; the profile, playing or
 * paused, the speed, the virtual time, the step, the score and the
 * datagrams refused on the right.  Where the title would be cut, the
 * profile and then a plain 1x speed give way to it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

static const char *
title(const struct ui *ui, char *buf, size_t len)
{
	if (ui->s->live != NULL)
		return ui_str(ui, M_KERNEL_SANDBOX);
	if (ui->s->sandbox)
		return ui_str(ui, M_SANDBOX);
	return session_title(ui->s, ui->lang, buf, len);
}

/*
 * The right side at a terseness: 0 says it all; 1 leaves out the
 * profile, 2 a plain 1x speed, 3 the word "step", 4 the word beside the
 * play or pause sign.
 */
static void
right_side(const struct ui *ui, int terse, char *buf, size_t len)
{
	const struct session	*s = ui->s;
	size_t			 shown = ui_shown(ui);
	size_t			 ignored = session_ignored(s, shown);
	double			 speed = ui_speed(ui);
	bool			 fast = ui_fast(ui);
	const char		*play = ui_str(ui, ui->play.playing ?
				    M_PLAYING : M_PAUSED);
	char			 sp[64] = "", t[32], sign[8];
	int			 n, score, asked;

	ui_score(ui, &score, &asked);
	if (terse < 2 || speed != 1)
		snprintf(sp, sizeof sp, " · %gx%s%s", speed, fast ? " " : "",
		    fast ? ui_str(ui, M_FAST) : "");
	else if (fast)
		snprintf(sp, sizeof sp, " · %s", ui_str(ui, M_FAST));
	if (terse >= 4) {
		snprintf(sign, sizeof sign, "%.*s", (int)strcspn(play, " "),
		    play);
		play = sign;
	}
	/* Compressed: the clock runs faster than the speed says. */
	snprintf(t, sizeof t, "%.3f", ui_vtime(ui) / 1e6);
	/* A timeline still being worked out: the steps so far. */
	n = snprintf(buf, len, "%s%s%s%s · t=%ss · %s%s%zu/%zu%s",
	    terse == 0 ? profiles[session_journal(s)->conn.profile].name : "",
	    terse == 0 ? " · " : "", play, sp, t,
	    terse < 3 ? ui_str(ui, M_STEP) : "", terse < 3 ? " " : "",
	    shown, s->nsteps, session_done(s) ? "" : "+");
	if (asked > 0 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " · %s %d/%d",
		    ui_str(ui, M_SCORE), score, asked);
	if (ignored > 0 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " · %s %zu",
		    ui_str(ui, M_IGNORED), ignored);
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	char	 right[256], left[512], name[256];
	int	 rw, lw;

	snprintf(left, sizeof left, " synfin · %s", title(ui, name,
	    sizeof name));
	for (int terse = 0; terse <= 4; terse++) {
		right_side(ui, terse, right, sizeof right);
		if (text_width(left) + text_width(right) + 3 <= r->w)
			break;
	}
	canvas_fill(cv, r->y, r->x, r->w, ' ', ST_STATUS);
	rw = text_width(right);
	if (rw + 2 > r->w)
		rw = r->w - 2;
	/* A title still too long loses whole words, and says so. */
	lw = r->w - rw - 3;
	if (text_width(left) > lw)
		text_shorten(left, lw, ui->ascii ? "..." : "…");
	canvas_text(cv, r->y, r->x, lw + 1, ST_STATUS, left);
	canvas_text(cv, r->y, r->x + r->w - rw - 1, rw, ST_STATUS, right);
}

const struct panel panel_status = { "status", NULL, draw, NULL };
