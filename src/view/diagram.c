/*
 * The state diagram: RFC 9293's figure 5, redrawn small enough for an
 * 80x24 terminal (assets/state-diagram.txt), with the state each side is
 * in marked and the last transition's label lit, and under it what caused
 * that transition and the section of RFC 9293 that says so.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

static const char *const art[] = {
#include "diagram-art.h"
};
#define ART_H	(int)(sizeof art / sizeof art[0])

/* Each drawn transition and where its label is: the nth on its row. */
static const struct {
	enum tcp_state	 from;
	enum tcp_state	 to;
	int		 row;
	int		 nth;
	const char	*label;
} edges[] = {
	{ TCPS_CLOSED, TCPS_LISTEN, 0, 0, "listen" },
	{ TCPS_CLOSED, TCPS_SYN_SENT, 0, 0, "connect / snd SYN" },
	{ TCPS_LISTEN, TCPS_SYN_RECEIVED, 4, 0, "rcv SYN / snd SYN,ACK" },
	{ TCPS_SYN_SENT, TCPS_SYN_RECEIVED, 4, 1, "rcv SYN / snd SYN,ACK" },
	{ TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, 6, 0, "rcv ACK of SYN" },
	{ TCPS_SYN_SENT, TCPS_ESTABLISHED, 7, 0, "rcv SYN,ACK / snd ACK" },
	{ TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, 7, 0, "close / snd FIN" },
	{ TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, 9, 0, "rcv FIN / snd ACK" },
	{ TCPS_FIN_WAIT_1, TCPS_CLOSING, 11, 0, "rcv FIN / snd ACK" },
	{ TCPS_CLOSE_WAIT, TCPS_LAST_ACK, 12, 0, "close / snd FIN" },
	{ TCPS_FIN_WAIT_1, TCPS_TIME_WAIT, 13, 0, "rcv FIN,ACK / snd ACK" },
	{ TCPS_CLOSING, TCPS_TIME_WAIT, 13, 0, "rcv ACK of FIN" },
	{ TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, 15, 0, "rcv ACK of FIN" },
	{ TCPS_LAST_ACK, TCPS_CLOSED, 16, 0, "rcv ACK of FIN" },
	{ TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, 17, 0, "rcv FIN / snd ACK" },
	{ TCPS_TIME_WAIT, TCPS_CLOSED, 17, 0, "2MSL timeout" },
};

int
ui_diagram_width(void)
{
	int	 w = 0;

	for (int i = 0; i < ART_H; i++) {
		if ((int)strlen(art[i]) > w)
			w = (int)strlen(art[i]);
	}
	return w;
}

/* Heading, the figure, the last transition: two lines of caption. */
int
ui_diagram_height(void)
{
	return ART_H + 3;
}

/* The column of the nth occurrence of text on an art row, or -1. */
static int
find_on_row(int row, const char *text, int nth)
{
	const char	*p = art[row];

	while ((p = strstr(p, text)) != NULL) {
		if (nth-- == 0)
			return (int)(p - art[row]);
		p += strlen(text);
	}
	return -1;
}

/* Mark a state's box: C replaces its '[' for the client, S its ']'. */
static void
mark_state(struct canvas *cv, int y, int x, enum tcp_state st, enum side side)
{
	char	 box[32];

	snprintf(box, sizeof box, "[ %s ]", tcp_state_names[st]);
	for (int row = 0; row < ART_H; row++) {
		int	 col = find_on_row(row, box, 0), len = (int)strlen(box);

		if (col < 0)
			continue;
		canvas_restyle(cv, y + row, x + col, len, (side == SIDE_CLIENT ?
		    ST_STATE_CLIENT : ST_STATE_SERVER) | ST_SELECTED);
		canvas_fill(cv, y + row, x + (side == SIDE_CLIENT ? col :
		    col + len - 1), 1, side == SIDE_CLIENT ? 'C' : 'S',
		    (side == SIDE_CLIENT ? ST_STATE_CLIENT : ST_STATE_SERVER) |
		    ST_SELECTED);
	}
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	int			 y = r->y, x = r->x, w = r->w, h = r->h;
	const struct jevent	*last;
	int			 state[2];
	int			 aw = ui_diagram_width(), ax, rows;
	char			 buf[256];

	ui_states(ui, state, &last);
	canvas_fill(cv, y, x, w, '-', ST_DIM);
	snprintf(buf, sizeof buf, " %s   C=%s S=%s ", ui_str(ui, M_DIAGRAM),
	    ui_str(ui, M_CLIENT), ui_str(ui, M_SERVER));
	canvas_text(cv, y, x + 2, w - 4, ST_HEADING, buf);
	ax = x + (w > aw ? (w - aw) / 2 : 0);
	rows = h - 3 < ART_H ? h - 3 : ART_H;
	for (int i = 0; i < rows; i++)
		canvas_text(cv, y + 1 + i, ax, w - (ax - x), ST_NORMAL, art[i]);
	if (last != NULL) {
		for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
			int	 col;

			if (edges[e].from != last->u.state.from ||
			    edges[e].to != last->u.state.to ||
			    edges[e].row >= rows)
				continue;
			col = find_on_row(edges[e].row, edges[e].label,
			    edges[e].nth);
			if (col >= 0)
				canvas_restyle(cv, y + 1 + edges[e].row, ax + col,
				    (int)strlen(edges[e].label),
				    ST_HILITE | ST_SELECTED);
		}
	}
	mark_state(cv, y + 1, ax, state[SIDE_CLIENT], SIDE_CLIENT);
	mark_state(cv, y + 1, ax, state[SIDE_SERVER], SIDE_SERVER);
	if (last == NULL) {
		canvas_text(cv, y + 1 + rows, x + 1, w - 2, ST_DIM,
		    ui_str(ui, M_NO_TRANSITION));
		return;
	}
	msg_format(buf, sizeof buf, M_LAST_TRANSITION, ui->lang,
	    ui_str(ui, last->side == SIDE_CLIENT ? M_K_CLIENT : M_K_SERVER),
	    tcp_state_names[last->u.state.from],
	    tcp_state_names[last->u.state.to],
	    ui_rfc(last));
	canvas_text(cv, y + 1 + rows, x + 1, w - 2, ST_HILITE, buf);
	canvas_text(cv, y + 2 + rows, x + 3, w - 4, ST_DIM,
	    ui_cause(ui, last, buf, sizeof buf));
}

/* Every drawn transition's label is where the table says (tests). */
int
ui_diagram_check(void)
{
	for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
		if (find_on_row(edges[e].row, edges[e].label, edges[e].nth) < 0)
			return -1;
	}
	return 0;
}

/* The art's width, and its height with the heading and the caption. */
static void
layout(const struct ui *ui, int w, int h, int *ww, int *wh)
{
	(void)ui;
	(void)w;
	(void)h;
	*ww = ui_diagram_width();
	*wh = ui_diagram_height();
}

const struct panel panel_diagram = { "diagram", layout, draw, NULL };
