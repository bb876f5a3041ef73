/*
 * The interactive view: what the learner sees and what each key does.
 *
 * This holds no terminal: it draws on a canvas and takes keys and the
 * passing of time from whoever drives it, the curses loop (loop.c) or the
 * headless frame dumper used by the screen tests.
 */
#ifndef SYNFIN_UI_H
#define SYNFIN_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "catalog.h"
#include "session.h"
#include "str.h"

/* Keys beyond ASCII, as the drivers pass them. */
enum {
	UIK_RIGHT = 0x101,
	UIK_LEFT,
	UIK_UP,
	UIK_DOWN,
	UIK_TAB,
	UIK_BTAB,
	UIK_ENTER,
	UIK_ESC,
	UIK_HOME,
	UIK_END,
	UIK_PGUP,
	UIK_PGDN,
};

/* What a key handler asks of the loop. */
enum ui_result {
	UI_NOTHING,
	UI_REDRAW,
	UI_QUIT,
};

enum ui_panel {
	PANEL_LADDER,
	PANEL_DIAGRAM,
	PANEL_DETAIL,
};

/* The figure the ladder is drawn from, rebuilt as the position moves. */
struct lrow {
	int		 seg;		/* an arrow: journal segment, or -1 */
	bool		 copy;		/* the second copy of a duplicate */
	size_t		 step;		/* the step that made the row */
	int		 state[2];	/* a state each side entered, or -1 */
	enum side	 note_side;
	const char	*note;		/* a call, an error, a timer */
	int		 note_style;
	char		 notebuf[48];
};

struct ui {
	struct session	*s;		/* the lesson shown, NULL in the menu */
	enum lang	 lang;
	bool		 ascii;		/* no UTF-8 locale: ASCII and English */

	struct catalog	*cat;		/* the lessons, for progress, or NULL */
	struct lesson	*lesson;	/* the one shown, if it is one */
	bool		 menu;		/* q goes back to the menu */
	size_t		 menu_sel;	/* the lesson chosen in the menu */
	int		 menu_top;	/* the first menu line on screen */
	struct session	 own;		/* a lesson opened from the menu */

	double		 pos;		/* steps shown, fraction: on the way */
	size_t		 target;	/* the step being animated to */
	bool		 playing;
	bool		 stepping;	/* a single step animating (n) */
	int		 speed;		/* index into the speed table */
	double		*cum;		/* display seconds up to each step */
	size_t		 ncum;

	int		 sel;		/* selected segment, -1: the latest */
	enum ui_panel	 panel;
	bool		 help;
	enum side	 act_side;	/* sandbox: a side chosen, or SIDE_NONE */
	char		 msg[768];
	uint8_t		 msg_style;

	int		*answers;	/* per step: choice + 1, 0 unanswered */
	size_t		 nanswers;
	int		 right;
	int		 asked;

	struct lrow	*rows;		/* the ladder at the current position */
	size_t		 nrows;
	size_t		 rowcap;
	size_t		 rows_for;	/* the step count the rows are for */
	int		*hit;		/* screen row -> segment, for the mouse */
	int		 nhit;
};

void		 ui_init(struct ui *, struct session *, enum lang, bool);
void		 ui_init_menu(struct ui *, struct catalog *, enum lang, bool);
void		 ui_free(struct ui *);
enum ui_result	 ui_key(struct ui *, int);
enum ui_result	 ui_click(struct ui *, int, int);
bool		 ui_animating(const struct ui *);
void		 ui_advance(struct ui *, double);
void		 ui_finish(struct ui *);
void		 ui_draw(struct ui *, struct canvas *);

/* Inside the view: shared by ui*.c. */

/* A key and what it does, for the footer. */
struct keyhint {
	const char	*key;
	enum msg	 what;
	int		 rank;		/* lower stays longer when space is short */
};
void		 ui_hints(struct ui *, struct canvas *, int, const char *,
		     const struct keyhint *, size_t);
int		 ui_open_lesson(struct ui *, struct lesson *);
enum ui_result	 ui_menu_key(struct ui *, int);
enum ui_result	 ui_menu_click(struct ui *, int);
void		 ui_menu_draw(struct ui *, struct canvas *);
const char	*ui_str(const struct ui *, enum msg);
const char	*ui_cause(const struct ui *, const struct jevent *, char *,
		     size_t);
const char	*ui_rfc(const struct jevent *);
size_t		 ui_shown(const struct ui *);
vtime_t		 ui_vtime(const struct ui *);
double		 ui_progress(const struct ui *, int, bool);
int		 ui_selected(const struct ui *);
void		 ui_states(const struct ui *, int [2], const struct jevent **);
void		 ui_build_rows(struct ui *);
int		 ui_ladder_draw(struct ui *, struct canvas *, int, int, int,
		     int);
void		 ui_detail_draw(struct ui *, struct canvas *, int, int, int,
		     int);
void		 ui_diagram_draw(struct ui *, struct canvas *, int, int, int,
		     int);
int		 ui_diagram_width(void);
int		 ui_diagram_height(void);
int		 ui_diagram_check(void);

#endif
