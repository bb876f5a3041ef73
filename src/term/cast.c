/*
 * An asciicast v2 file of the real screen while a script plays: curses
 * draws each frame into a file given to newterm, as it would draw on a
 * terminal, and the octets it writes become the cast's output events,
 * stamped with the time they would have appeared.  The player is
 * driven as a learner would let it run: played at the chosen speed, a
 * pause held for a moment, a question shown, then answered right.
 * asciinema play shows the file.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "loop.h"
#include "paint.h"

#define CAST_FPS	10
#define CAST_HOLD	1.5	/* seconds a pause or a question is shown */
#define CAST_MAX	3600.0	/* a cast ends after an hour, whatever */

/* Octets as a JSON string's contents. */
static void
json_string(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

/*
 * What curses wrote since the last frame, as an event at time t.  Curses
 * writes to its screen's descriptor, so the screen is a temporary file
 * read back from where the last frame ended.
 */
static void
emit(FILE *f, FILE *screen, off_t *sent, double t)
{
	char	 buf[8192];
	ssize_t	 n;
	bool	 open = false;

	fflush(screen);
	while ((n = pread(fileno(screen), buf, sizeof buf, *sent)) > 0) {
		if (!open)
			fprintf(f, "[%.6f, \"o\", \"", t);
		open = true;
		json_string(f, buf, (size_t)n);
		*sent += n;
	}
	if (open)
		fputs("\"]\n", f);
}

/*
 * Write the cast of ui's session, w by h, to f (opened by the caller).
 * 0, or -1 with err said.
 */
int
cast_write(struct ui *ui, FILE *f, int w, int h, double speed, bool colour,
    char *err, size_t errlen)
{
	struct canvas	 cv;
	struct paint	 pt;
	SCREEN		*scr;
	FILE		*screen, *in;
	char		 title[256], name[200];
	off_t		 sent = 0;
	double		 t = 0, held = 0;

	if ((screen = tmpfile()) == NULL ||
	    (in = fopen("/dev/null", "r")) == NULL) {
		snprintf(err, errlen, "cannot make a screen to draw on");
		if (screen != NULL)
			fclose(screen);
		return -1;
	}
	if ((scr = newterm("xterm-256color", screen, in)) == NULL) {
		snprintf(err, errlen, "curses cannot draw for xterm-256color");
		fclose(screen);
		fclose(in);
		return -1;
	}
	set_term(scr);
	resizeterm(h, w);
	curs_set(0);
	if (colour && has_colors()) {
		start_color();
		use_default_colors();
	} else
		colour = false;
	paint_scheme(&pt, colour);
	canvas_init(&cv, w, h);
	cv.ascii = ui->ascii;
	fprintf(f, "{\"version\": 2, \"width\": %d, \"height\": %d, "
	    "\"env\": {\"TERM\": \"xterm-256color\"}, \"title\": \"", w, h);
	snprintf(title, sizeof title, "synfin · %s", session_title(ui->s,
	    ui->lang, name, sizeof name));
	json_string(f, title, strlen(title));
	fputs("\"}\n", f);
	ui_key(ui, ' ');
	while (t < CAST_MAX) {
		if (ui_working(ui))
			ui_work(ui);
		ui_draw(ui, &cv);
		erase();
		paint_canvas(&pt, &cv);
		wnoutrefresh(stdscr);
		doupdate();
		emit(f, screen, &sent, t);
		if (!ui_animating(ui)) {
			/* A pause, a question or the end: shown a while. */
			if (held < CAST_HOLD) {
				held += 1.0 / CAST_FPS;
			} else if (ui_at_end(ui)) {
				break;
			} else {
				held = 0;
				if (!ui_answer_right(ui))
					ui_key(ui, ' ');
				continue;
			}
		} else
			ui_advance(ui, speed / CAST_FPS);
		t += 1.0 / CAST_FPS;
	}
	canvas_free(&cv);
	endwin();
	delscreen(scr);
	emit(f, screen, &sent, t);
	fclose(screen);
	fclose(in);
	return ferror(f) ? -1 : 0;
}
