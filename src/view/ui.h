/*
 * The interactive view: what the learner sees and what each key does.
 *
 * This holds no terminal: it draws on a canvas and takes keys and the
 * passing of time from whoever drives it, the curses loop (src/term) or
 * the headless frame dumper of "synfin frames" and the screen tests.
 * Its state is split by concern: the player (where in the timeline, and
 * how it moves), the quiz, the course (the menu and the lesson opened
 * from it), the ladder's rows and the layout of the last frame drawn.
 */
#ifndef SYNFIN_UI_H
#define SYNFIN_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "catalog.h"
#include "keys.h"
#include "session.h"
#include "str.h"

/* What must happen after a key: the loop acts on it. */
enum ui_result {
	UI_NOTHING,		/* the screen is as it was */
	UI_REDRAW,		/* draw it again */
	UI_RELAYOUT,		/* its parts moved: repaint it all */
	UI_QUIT,
};

/* Where the learner is in the timeline, and how it moves. */
struct player {
	double		 pos;		/* steps shown; a fraction: on the way */
	size_t		 target;	/* the step a single step animates to */
	bool		 playing;
	bool		 stepping;	/* a single step animating (n) */
	int		 speed;		/* index into the speed table */
	double		*cum;		/* display seconds up to each step */
	size_t		 ncum;
};

/* The questions answered, and the score. */
struct quiz {
	uint8_t		*answers;	/* per step: choice + 1, 0 unanswered */
	size_t		 nanswers;
};

/* The lesson menu, and the lesson opened from it or by name. */
struct course {
	struct catalog	*cat;		/* the lessons, for progress, or NULL */
	struct lesson	*lesson;	/* the lesson shown, if it is one */
	bool		 menu;		/* there is a menu to go back to */
	size_t		 sel;		/* the lesson chosen in the menu */
	bool		 unsaved;	/* the last save of progress failed */
	int		 top;		/* the first menu line on screen */
	struct session	 own;		/* a lesson opened from the menu */
};

/* One row of the ladder: an arrow, the states entered, or a note. */
enum lrow_kind {
	LROW_STATES,		/* states alone */
	LROW_ARROW,		/* a segment: ref is its index */
	LROW_COPY,		/* the second copy of a duplicated one */
	LROW_NOTE,		/* a call, an error, a timer: ref, the event */
};

struct lrow {
	uint32_t	 step;		/* the step that made the row */
	uint32_t	 ref;
	int8_t		 state[2];	/* a state each side entered, or -1 */
	uint8_t		 kind;		/* enum lrow_kind */
};
#define LROW_NONE	UINT32_MAX	/* a segment without a row */

/*
 * The ladder's rows for the timeline, made once as it becomes known: a
 * step's rows come from its own events, so the position only decides how
 * many of them show.
 */
struct ladder {
	struct lrow	*rows;
	size_t		 nrows;
	size_t		 cap;
	size_t		 steps;		/* the steps they are made for */
	uint32_t	*seg_row;	/* per segment: its arrow's row */
	size_t		 nseg_row;
	int		*hit;		/* per row of the panel: a segment, or -1 */
	int		 nhit;
	bool		 compact;	/* one row after another, no time */
};

/* Where the last frame put each part, for clicks. */
struct rect {
	int		 y;
	int		 x;
	int		 w;
	int		 h;
};
struct panel;
#define UI_MAXPLACED	8
struct layout {
	const struct panel *panel[UI_MAXPLACED];
	struct rect	 rect[UI_MAXPLACED];
	int		 n;
};

struct ui {
	struct session	*s;		/* the lesson shown, NULL in the menu */
	enum lang	 lang;
	bool		 ascii;		/* no UTF-8 locale: ASCII and English */

	struct player	 play;
	size_t		 synced;	/* steps the view made its data for */
	struct quiz	 quiz;
	struct course	 course;
	struct ladder	 ladder;
	struct layout	 layout;

	int		 sel;		/* selected segment, -1: the newest */
	enum ui_panel	 panel;		/* what fills the body */
	bool		 help;		/* the help is open over it */
	enum side	 act_side;	/* sandbox: a side chosen, or SIDE_NONE */
	bool		 present;	/* presenter mode: for a projector */
	bool		 restarting;	/* r pressed once: again to confirm */

	/*
	 * The sandbox's session changed (a call, a fate, a setting), or
	 * the learner asked to save it (w): the program above the view
	 * writes the recording, and returns NULL or what went wrong.
	 */
	const char	*(*save)(struct ui *, bool, void *);
	void		*save_arg;
	char		 msg[768];	/* a line for the learner */
	uint8_t		 msg_style;
};

void		 ui_init(struct ui *, struct session *, enum lang, bool);
void		 ui_init_menu(struct ui *, struct catalog *, enum lang, bool);
void		 ui_set_lesson(struct ui *, struct catalog *, struct lesson *);
void		 ui_free(struct ui *);
enum ui_result	 ui_key(struct ui *, int);
enum ui_result	 ui_click(struct ui *, int, int);
bool		 ui_animating(const struct ui *);
void		 ui_advance(struct ui *, double);
void		 ui_finish(struct ui *);
void		 ui_draw(struct ui *, struct canvas *);
bool		 ui_working(const struct ui *);
bool		 ui_live(const struct ui *);
bool		 ui_live_poll(struct ui *);
char		*ui_ladder_text(struct ui *, int);
void		 ui_saved(struct ui *, const char *, const char *);
bool		 ui_answer_right(struct ui *);
bool		 ui_at_end(const struct ui *);
void		 ui_work(struct ui *);

#endif
