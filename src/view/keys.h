/*
 * The keys: every key synfin takes is bound once, in one table
 * (keys.c).  The view's key handler, the footer's hints, the help and
 * "synfin frames" (which names keys) all read that table, so a new key is
 * one line there and a handler for its action in ui.c.
 */
#ifndef SYNFIN_KEYS_H
#define SYNFIN_KEYS_H

#include <stddef.h>

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

/* Which keys apply: where the learner is. */
enum keymap {
	KEYMAP_VIEW,		/* a lesson or a script */
	KEYMAP_SANDBOX,		/* the sandbox: the view's keys, 1 and 2 */
	KEYMAP_CALL,		/* the sandbox, a side chosen: its calls */
	KEYMAP_HELP,		/* the help is open: any key closes it */
	KEYMAP_MENU,		/* the lesson menu */
};
#define KM(m)		(1u << (m))
#define KM_VIEWS	(KM(KEYMAP_VIEW) | KM(KEYMAP_SANDBOX))

/* What the body of the view shows; the footer's hints depend on it. */
enum ui_panel {
	PANEL_LADDER,
	PANEL_DIAGRAM,
	PANEL_DETAIL,
};
#define KP(p)		(1u << (p))
#define KP_ALL		(KP(PANEL_LADDER) | KP(PANEL_DIAGRAM) | KP(PANEL_DETAIL))

/* What a key does; ui.c has a handler for each. */
enum ui_action {
	A_QUIT,			/* quit, or back to the menu */
	A_PLAY,			/* play or pause */
	A_NEXT,			/* the next step */
	A_BACK,			/* the step before */
	A_START,		/* the beginning */
	A_END,			/* the end */
	A_FASTER,
	A_SLOWER,
	A_RESTART,		/* from the beginning, without changes */
	A_SELECT,		/* choose a segment: arg +1 or -1, wrapping */
	A_SELECT_STEP,		/* ... arg +1 or -1, not wrapping */
	A_FOLLOW,		/* follow the newest segment again */
	A_FATE,			/* drop, delay or duplicate: arg a rule_kind */
	A_DIAGRAM,		/* the state diagram, or back */
	A_DETAIL,		/* the segment's header, or back */
	A_LANG,			/* English / Chinese */
	A_TIMEAXIS,		/* the time axis, or one event a row */
	A_PRESENT,		/* presenter mode, or not */
	A_HELP,
	A_ANSWER,		/* a question's choice: arg from 0 */
	A_SIDE,			/* sandbox: a side will act, arg its side */
	A_CALL,			/* ... it makes a call: arg a tcp_call */
	A_CANCEL,		/* ... or not */
	A_CLOSE_HELP,
	A_LATENCY,		/* sandbox: the latency from now on */
	A_RELEASE,		/* ... held segments go on */
	A_PROFILE,		/* ... the calls again, the other profile */
	A_SAVE,			/* ... saved as a recording */
	A_MENU_MOVE,		/* the menu: arg lessons down (up if < 0) */
	A_MENU_WRAP,		/* ... arg 1 or -1, wrapping round */
	A_MENU_FIRST,
	A_MENU_LAST,
	A_MENU_OPEN,		/* open the lesson chosen */
};
#define UI_NACTIONS	(A_MENU_OPEN + 1)

/*
 * A key binding: the keys, the keymaps they act in and what they do.
 * The footer shows its hint in the panels named (in table order, the
 * least needed given up first when space is short); the help shows its
 * line.  A row bound to several keys passes arg plus the key's place in
 * the list, so "1".."9" answer the first to the ninth choice.
 */
struct binding {
	const char	*label;		/* the key, as the footer writes it */
	int		 keys[9];	/* the keys; 0 ends the list */
	unsigned	 maps;		/* KM(...): where the keys act */
	enum ui_action	 action;
	int		 arg;
	unsigned	 panels;	/* KP(...): where the footer shows it */
	enum msg	 hint;		/* its word in the footer, or M_NONE */
	int		 rank;		/* lower stays longer in the footer */
	enum msg	 help;		/* its line in the help, or M_NONE */
};

extern const struct binding bindings[];
extern const size_t nbindings;

const struct binding	*key_lookup(enum keymap, int, int *);
int			 key_parse(const char *);

#endif
