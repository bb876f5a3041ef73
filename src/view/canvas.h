/*
 * A canvas: the screen as a grid of cells, each a character and a style.
 *
 * The views draw here, not on the terminal.  The terminal layer copies the
 * canvas to curses once a frame; the screen tests and the text exports
 * read it as plain text.  Text is laid out by display width: a Chinese
 * character takes two cells, and is never cut in half.
 */
#ifndef SYNFIN_CANVAS_H
#define SYNFIN_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell means; the terminal layer maps each to colours. */
enum style {
	ST_NORMAL,
	ST_DIM,
	ST_BOLD,
	ST_STATUS,
	ST_CLIENT,
	ST_SERVER,
	ST_STATE_CLIENT,
	ST_STATE_SERVER,
	ST_SYN,
	ST_FIN,
	ST_RST,
	ST_DATA,
	ST_ACK,
	ST_DROPPED,
	ST_TIMER,
	ST_KEY,
	ST_GOOD,
	ST_BAD,
	ST_HEADING,
	ST_HILITE,
	ST_NSTYLES
};
#define ST_SELECTED	0x80	/* or'd in: the learner's selection */

struct cell {
	uint32_t	 ch;		/* a code point; 0: right half of a wide one */
	uint8_t		 style;
};

struct canvas {
	int		 w;
	int		 h;
	struct cell	*cells;
	bool		 ascii;		/* no UTF-8: show '?' for the rest */
};

void	 canvas_init(struct canvas *, int, int);
void	 canvas_free(struct canvas *);
void	 canvas_clear(struct canvas *);
struct cell *canvas_at(struct canvas *, int, int);
int	 canvas_text(struct canvas *, int, int, int, uint8_t, const char *);
int	 canvas_textn(struct canvas *, int, int, int, uint8_t, const char *,
	     size_t);
void	 canvas_fill(struct canvas *, int, int, int, uint32_t, uint8_t);
void	 canvas_restyle(struct canvas *, int, int, int, uint8_t);
void	 canvas_box(struct canvas *, int, int, int, int, uint8_t);
char	*canvas_dump(const struct canvas *);

int	 text_width(const char *);
size_t	 text_wrap(const char *, int, size_t *);
int	 text_lines(const char *, int);
void	 text_shorten(char *, int, const char *);
int	 canvas_wrap(struct canvas *, int, int, int, int, uint8_t,
	     const char *);

#endif
