/*
 * The one key table (keys.h), and the names "synfin frames" gives keys.
 *
 * The footer shows the rows whose panels include the one on screen, in
 * the order here; the help shows the rows with a help line, in the order
 * here too.  Two rows may share a key when the footer words it
 * differently by panel (s: "diagram" on the ladder, "ladder" on the
 * diagram); the first row of a key in a keymap is the one that acts.
 */
#include "config.h"

#include <string.h>

#include "keys.h"
#include "link.h"
#include "tcp.h"
#include "types.h"

#define ALL	(KP_ALL)
#define PANELS	(KP(PANEL_DIAGRAM) | KP(PANEL_DETAIL))
#define LADDER	(KP(PANEL_LADDER))

const struct binding bindings[] = {
	/* The sandbox: a side acts. */
	{ "1", { '1' }, KM(KEYMAP_SANDBOX), A_SIDE, SIDE_CLIENT, LADDER,
	    M_K_CLIENT, 0, M_NONE },
	{ "2", { '2' }, KM(KEYMAP_SANDBOX), A_SIDE, SIDE_SERVER, LADDER,
	    M_K_SERVER, 0, M_NONE },

	/* The sandbox: the network and the hosts. */
	{ "L", { 'L' }, KM(KEYMAP_SANDBOX), A_LATENCY, 0, LADDER, M_K_LATENCY,
	    5, M_NONE },
	{ "P", { 'P' }, KM(KEYMAP_SANDBOX), A_PROFILE, 0, LADDER, M_K_PROFILE,
	    6, M_NONE },
	{ "H", { 'H' }, KM(KEYMAP_SANDBOX), A_FATE, RULE_HOLD, LADDER,
	    M_K_HOLD, 6, M_NONE },
	{ "R", { 'R' }, KM(KEYMAP_SANDBOX), A_RELEASE, 0, LADDER,
	    M_K_RELEASE, 6, M_NONE },
	{ "w", { 'w' }, KM(KEYMAP_SANDBOX), A_SAVE, 0, LADDER, M_K_SAVE, 4,
	    M_NONE },

	/* The panels, and back to the ladder. */
	{ "s", { 's' }, KM_VIEWS, A_DIAGRAM, 0, KP(PANEL_DIAGRAM), M_K_LADDER,
	    0, M_NONE },
	{ "i", { 'i', UIK_ENTER }, KM_VIEWS, A_DETAIL, 0, KP(PANEL_DETAIL),
	    M_K_LADDER, 0, M_NONE },
	{ "Tab", { UIK_TAB }, KM_VIEWS, A_SELECT, 1, PANELS, M_K_OTHER, 1,
	    M_NONE },

	/* Moving through the timeline. */
	{ "space", { ' ' }, KM_VIEWS, A_PLAY, 0, LADDER, M_K_PLAY, 2,
	    M_H_PLAY },
	{ "n", { 'n', UIK_RIGHT }, KM_VIEWS, A_NEXT, 0, ALL, M_K_NEXT, 1,
	    M_H_NEXT },
	{ "b", { 'b', UIK_LEFT }, KM_VIEWS, A_BACK, 0, ALL, M_K_BACK, 1,
	    M_H_BACK },
	{ "Home", { UIK_HOME }, KM_VIEWS, A_START, 0, 0, M_NONE, 0, M_NONE },
	{ "End", { UIK_END }, KM_VIEWS, A_END, 0, 0, M_NONE, 0, M_NONE },
	{ "+-", { '+', '=' }, KM_VIEWS, A_FASTER, 0, LADDER, M_K_SPEED, 9,
	    M_H_SPEED },
	{ "-", { '-', '_' }, KM_VIEWS, A_SLOWER, 0, 0, M_NONE, 0, M_NONE },
	{ "r", { 'r' }, KM_VIEWS, A_RESTART, 0, 0, M_NONE, 0, M_H_RESTART },

	/* Choosing a segment (Tab is above, for the footer's order). */
	{ "btab", { UIK_BTAB }, KM_VIEWS, A_SELECT, -1, 0, M_NONE, 0,
	    M_H_SELECT },
	{ "dn", { UIK_DOWN }, KM_VIEWS, A_SELECT_STEP, 1, 0, M_NONE, 0,
	    M_NONE },
	{ "up", { UIK_UP }, KM_VIEWS, A_SELECT_STEP, -1, 0, M_NONE, 0,
	    M_NONE },
	{ "Esc", { UIK_ESC }, KM_VIEWS, A_FOLLOW, 0, 0, M_NONE, 0, M_NONE },

	/* The learner's experiment. */
	{ "d", { 'd' }, KM_VIEWS, A_FATE, RULE_DROP, LADDER, M_K_DROP, 3,
	    M_H_DROP },
	{ "D", { 'D' }, KM_VIEWS, A_FATE, RULE_DELAY, LADDER, M_K_DELAY, 7,
	    M_H_DELAY },
	{ "c", { 'c' }, KM_VIEWS, A_FATE, RULE_DUP, LADDER, M_K_COPY, 7,
	    M_H_DUP },

	/* More to see. */
	{ "s", { 's' }, KM_VIEWS, A_DIAGRAM, 0, LADDER, M_K_DIAGRAM, 4,
	    M_H_DIAGRAM },
	{ "i", { 'i', UIK_ENTER }, KM_VIEWS, A_DETAIL, 0, LADDER, M_K_HEADER,
	    5, M_H_DETAIL },
	{ "1-9", { '1', '2', '3', '4', '5', '6', '7', '8', '9' }, KM_VIEWS,
	    A_ANSWER, 0, 0, M_NONE, 0, M_H_ANSWER },
	{ "l", { 'l' }, KM_VIEWS, A_LANG, 0, LADDER, M_K_LANG, 3, M_H_LANG },
	{ "t", { 't' }, KM_VIEWS, A_TIMEAXIS, 0, 0, M_NONE, 0, M_H_TIMEAXIS },
	{ "p", { 'p' }, KM_VIEWS, A_PRESENT, 0, 0, M_NONE, 0, M_H_PRESENT },
	{ "?", { '?', 'h' }, KM_VIEWS, A_HELP, 0, ALL, M_K_HELP, 0, M_NONE },
	{ "q", { 'q', 'Q' }, KM_VIEWS, A_QUIT, 0, LADDER, M_K_QUIT, 0,
	    M_H_QUIT },
	/* In a panel, q (and Esc) go back to the ladder, never quit. */
	{ "q", { 'q', 'Q' }, KM_VIEWS, A_QUIT, 0, PANELS, M_K_LADDER, 0,
	    M_NONE },

	/* The sandbox, a side chosen: the socket calls by their names. */
	{ "l", { 'l' }, KM(KEYMAP_CALL), A_CALL, CALL_LISTEN, ALL, M_C_LISTEN,
	    0, M_C_LISTEN },
	{ "a", { 'a' }, KM(KEYMAP_CALL), A_CALL, CALL_ACCEPT, ALL, M_C_ACCEPT,
	    0, M_C_ACCEPT },
	{ "c", { 'c' }, KM(KEYMAP_CALL), A_CALL, CALL_CONNECT, ALL,
	    M_C_CONNECT, 0, M_C_CONNECT },
	{ "s", { 's' }, KM(KEYMAP_CALL), A_CALL, CALL_SEND, ALL, M_C_SEND, 0,
	    M_C_SEND_100 },
	{ "r", { 'r' }, KM(KEYMAP_CALL), A_CALL, CALL_READ, ALL, M_C_READ, 0,
	    M_C_READ },
	{ "h", { 'h' }, KM(KEYMAP_CALL), A_CALL, CALL_SHUTDOWN, ALL,
	    M_C_SHUTDOWN, 0, M_C_SHUTDOWN },
	{ "x", { 'x' }, KM(KEYMAP_CALL), A_CALL, CALL_CLOSE, ALL, M_C_CLOSE, 0,
	    M_C_CLOSE },
	{ "k", { 'k' }, KM(KEYMAP_CALL), A_CALL, CALL_ABORT, ALL, M_C_ABORT, 0,
	    M_C_ABORT_RST },
	/* The footer has no room for these: the help shows them. */
	{ "e", { 'e' }, KM(KEYMAP_CALL), A_CALL, CALL_KEEPALIVE, ALL, M_NONE,
	    0, M_C_KEEPALIVE },
	{ "z", { 'z' }, KM(KEYMAP_CALL), A_CALL, CALL_CRASH, ALL, M_NONE, 0,
	    M_C_CRASH },
	{ "o", { 'o' }, KM(KEYMAP_CALL), A_CALL, CALL_REBOOT, ALL, M_NONE, 0,
	    M_C_REBOOT },
	{ "Esc", { UIK_ESC }, KM(KEYMAP_CALL), A_CANCEL, 0, ALL, M_K_CANCEL,
	    0, M_NONE },

	/* The lesson menu. */
	{ "up/dn", { UIK_UP, 'k' }, KM(KEYMAP_MENU), A_MENU_MOVE, -1, ALL,
	    M_K_CHOOSE, 1, M_NONE },
	{ "dn", { UIK_DOWN, 'j' }, KM(KEYMAP_MENU), A_MENU_MOVE, 1, 0, M_NONE,
	    0, M_NONE },
	{ "Tab", { UIK_TAB }, KM(KEYMAP_MENU), A_MENU_WRAP, 1, 0, M_NONE, 0,
	    M_NONE },
	{ "btab", { UIK_BTAB }, KM(KEYMAP_MENU), A_MENU_WRAP, -1, 0, M_NONE,
	    0, M_NONE },
	{ "PgUp", { UIK_PGUP }, KM(KEYMAP_MENU), A_MENU_MOVE, -10, 0, M_NONE,
	    0, M_NONE },
	{ "PgDn", { UIK_PGDN }, KM(KEYMAP_MENU), A_MENU_MOVE, 10, 0, M_NONE, 0,
	    M_NONE },
	{ "Home", { UIK_HOME }, KM(KEYMAP_MENU), A_MENU_FIRST, 0, 0, M_NONE, 0,
	    M_NONE },
	{ "End", { UIK_END }, KM(KEYMAP_MENU), A_MENU_LAST, 0, 0, M_NONE, 0,
	    M_NONE },
	{ "Enter", { UIK_ENTER, UIK_RIGHT, ' ', 'o' }, KM(KEYMAP_MENU),
	    A_MENU_OPEN, 0, ALL, M_K_OPEN, 0, M_NONE },
	{ "l", { 'l' }, KM(KEYMAP_MENU), A_LANG, 0, ALL, M_K_LANG, 2, M_NONE },
	{ "q", { 'q', 'Q' }, KM(KEYMAP_MENU), A_QUIT, 0, ALL, M_K_QUIT, 0,
	    M_NONE },
};
const size_t nbindings = sizeof bindings / sizeof bindings[0];

/*
 * The row that key acts on in keymap map, with the argument it passes
 * (its arg plus the key's place in its list); NULL if none.
 */
const struct binding *
key_lookup(enum keymap map, int key, int *arg)
{
	for (size_t i = 0; i < nbindings; i++) {
		const struct binding	*b = &bindings[i];

		if (!(b->maps & KM(map)))
			continue;
		for (size_t k = 0; k < sizeof b->keys / sizeof b->keys[0] &&
		    b->keys[k] != 0; k++) {
			if (b->keys[k] == key) {
				*arg = b->arg + (int)k;
				return b;
			}
		}
	}
	return NULL;
}

/*
 * A key by name, as "synfin frames" takes them: "space", "right", "esc",
 * ..., or a single character.  -1 if it names none.
 */
int
key_parse(const char *name)
{
	static const struct {
		const char	*name;
		int		 key;
	} names[] = {
		{ "space", ' ' }, { "right", UIK_RIGHT }, { "left", UIK_LEFT },
		{ "up", UIK_UP }, { "down", UIK_DOWN }, { "tab", UIK_TAB },
		{ "btab", UIK_BTAB }, { "enter", UIK_ENTER }, { "esc", UIK_ESC },
		{ "home", UIK_HOME }, { "end", UIK_END }, { "pgup", UIK_PGUP },
		{ "pgdn", UIK_PGDN },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0)
			return names[i].key;
	}
	if (strlen(name) == 1)
		return (unsigned char)name[0];
	return -1;
}
