/*
 * Inside the view: the interface every panel implements, and what the
 * view's files share.  A new panel is a file exporting one struct panel,
 * placed by ui_draw (ui.c); a new key is a row in keys.c.
 */
#ifndef SYNFIN_VIEW_H
#define SYNFIN_VIEW_H

#include "ui.h"

/*
 * A part of the screen.  layout says how much room it wants within what
 * is offered (NULL: it takes whatever it is given); draw fills its rect;
 * click takes a click at a row and column of its rect (both counted
 * from the rect's corner).  Keys are bound
 * in keys.c rather than by panel: most act the same whichever panel is
 * on screen (n steps with the ladder or the diagram).
 */
struct panel {
	const char	*name;
	void		 (*layout)(const struct ui *, int, int, int *, int *);
	void		 (*draw)(struct ui *, struct canvas *, const struct rect *);
	enum ui_result	 (*click)(struct ui *, const struct rect *, int,
			     int);
};

extern const struct panel panel_status;		/* status.c: the top line */
extern const struct panel panel_footer;		/* footer.c: the keys */
extern const struct panel panel_ladder;		/* ladder.c */
extern const struct panel panel_narration;	/* narration.c */
extern const struct panel panel_detail;		/* detail.c */
extern const struct panel panel_diagram;	/* diagram.c */
extern const struct panel panel_help;		/* help.c: over the rest */
extern const struct panel panel_small;		/* help.c: too small */
extern const struct panel panel_menu;		/* menu.c: the lessons */

#define MIN_W		60	/* below this, only panel_small */
#define MIN_H		16

/* ui.c: the state the panels draw. */
const char	*ui_str(const struct ui *, enum msg);
size_t		 ui_shown(const struct ui *);
vtime_t		 ui_vtime(const struct ui *);
double		 ui_speed(const struct ui *);
bool		 ui_fast(const struct ui *);
double		 ui_progress(const struct ui *, int, bool);
int		 ui_selected(const struct ui *);
void		 ui_score(const struct ui *, int *, int *);
void		 ui_states(const struct ui *, int [2], const struct jevent **);
const struct jevent *ui_step_event(const struct ui *, size_t,
		     enum jev_type);
const char	*ui_cause(const struct ui *, const struct jevent *, char *,
		     size_t);
const char	*ui_rfc(const struct jevent *);
const char	*ui_rfc_note(const struct ui *, const struct jevent *,
		    char [64]);
enum keymap	 ui_keymap(const struct ui *);
int		 ui_open_lesson(struct ui *, struct lesson *);
void		 ui_say(struct ui *, uint8_t, enum msg, ...);

/* footer.c: a line of key hints, for the footer and the menu. */
void		 ui_hints(struct ui *, struct canvas *, int, enum keymap);

/* narration.c: the question at a step, and the rows it takes. */
const struct jevent *ui_question(const struct ui *, size_t);
int		 ui_question_rows(const struct jevent *, int);

/* ladder.c: its rows, for the steps shown. */
void		 ladder_sync(struct ui *, size_t);

/* diagram.c: its size, and a check of the art (tests). */
int		 ui_diagram_width(void);
int		 ui_diagram_height(void);
int		 ui_diagram_check(void);

/* menu.c: the menu's keys. */
enum ui_result	 ui_menu_act(struct ui *, enum ui_action, int);

#endif
