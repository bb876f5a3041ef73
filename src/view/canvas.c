/*
 * The canvas (canvas.h): cells laid out by display width, Chinese text
 * wrapped as Chinese typesetting has it, and the text dump.
 */
#include "config.h"

#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "canvas.h"
#include "util.h"

void
canvas_init(struct canvas *c, int w, int h)
{
	c->w = w > 0 ? w : 1;
	c->h = h > 0 ? h : 1;
	c->ascii = false;
	c->cells = xreallocarray(NULL, (size_t)c->w * (size_t)c->h,
	    sizeof *c->cells);
	canvas_clear(c);
}

void
canvas_free(struct canvas *c)
{
	free(c->cells);
	c->cells = NULL;
}

void
canvas_clear(struct canvas *c)
{
	for (int i = 0; i < c->w * c->h; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].style = ST_NORMAL;
	}
}

struct cell *
canvas_at(struct canvas *c, int y, int x)
{
	if (y < 0 || y >= c->h || x < 0 || x >= c->w)
		return NULL;
	return &c->cells[y * c->w + x];
}

/*
 * The next code point of UTF-8 text and its length in octets.  Scripts
 * are checked to be UTF-8 when read; anything else still gives a code
 * point (U+FFFD) and moves on.
 */
static uint32_t
utf8_next(const char *s, size_t n, size_t *len)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 need;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0) {
		cp = u[0] & 0x1f;
		need = 2;
	} else if ((u[0] & 0xf0) == 0xe0) {
		cp = u[0] & 0x0f;
		need = 3;
	} else if ((u[0] & 0xf8) == 0xf0) {
		cp = u[0] & 0x07;
		need = 4;
	} else {
		*len = 1;
		return 0xfffd;
	}
	if (need > n) {
		*len = n;
		return 0xfffd;
	}
	for (size_t i = 1; i < need; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = i;
			return 0xfffd;
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	*len = need;
	return cp;
}

/* Display width of a code point: 0 for controls, 2 for wide ones. */
static int
cp_width(uint32_t cp)
{
	int	 w;

	if (cp < 0x20 || cp == 0x7f)
		return 0;
	if (cp < 0x7f)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	size_t	 n = strlen(s), len;
	int	 w = 0;

	for (size_t i = 0; i < n; i += len)
		w += cp_width(utf8_next(s + i, n - i, &len));
	return w;
}

/*
 * Put one character in a cell.  Half of a wide character cannot stand
 * alone: one being overwritten leaves a blank in its other half.
 */
static void
put(struct canvas *c, int y, int x, uint32_t ch, uint8_t style)
{
	struct cell	*cl = canvas_at(c, y, x), *nb;

	if (cl == NULL)
		return;
	if (cl->ch == 0 && (nb = canvas_at(c, y, x - 1)) != NULL)
		nb->ch = ' ';
	else if ((nb = canvas_at(c, y, x + 1)) != NULL && nb->ch == 0)
		nb->ch = ' ';
	cl->ch = ch;
	cl->style = style;
}

/*
 * Write at most n octets of text from column x, no further than maxw
 * columns.  Returns the columns written.
 */
int
canvas_textn(struct canvas *c, int y, int x, int maxw, uint8_t style,
    const char *s, size_t n)
{
	size_t	 len;
	int	 used = 0;

	if (y < 0 || y >= c->h)
		return 0;
	for (size_t i = 0; i < n && s[i] != '\0'; i += len) {
		uint32_t	 cp = utf8_next(s + i, n - i, &len);
		int		 w = cp_width(cp);
		struct cell	*cl;

		if (w == 0)
			continue;
		if (c->ascii && cp >= 0x80) {
			cp = '?';
			w = 1;
		}
		if (used + w > maxw || x + used + w > c->w)
			break;
		put(c, y, x + used, cp, style);
		if (w == 2) {
			put(c, y, x + used + 1, ' ', style);
			if ((cl = canvas_at(c, y, x + used + 1)) != NULL)
				cl->ch = 0;
		}
		used += w;
	}
	return used;
}

int
canvas_text(struct canvas *c, int y, int x, int maxw, uint8_t style,
    const char *s)
{
	return canvas_textn(c, y, x, maxw, style, s, strlen(s));
}

void
canvas_fill(struct canvas *c, int y, int x, int w, uint32_t ch, uint8_t style)
{
	for (int i = 0; i < w; i++)
		put(c, y, x + i, ch, style);
}

void
canvas_restyle(struct canvas *c, int y, int x, int w, uint8_t style)
{
	for (int i = 0; i < w; i++) {
		struct cell	*cl = canvas_at(c, y, x + i);

		if (cl != NULL)
			cl->style = style;
	}
}

/* An ASCII frame: ambiguous-width box characters never break a layout. */
void
canvas_box(struct canvas *c, int y, int x, int h, int w, uint8_t style)
{
	if (h < 2 || w < 2)
		return;
	canvas_fill(c, y, x, w, '-', style);
	canvas_fill(c, y + h - 1, x, w, '-', style);
	for (int i = 0; i < h; i++) {
		canvas_fill(c, y + i, x, 1, i == 0 || i == h - 1 ? '+' : '|',
		    style);
		canvas_fill(c, y + i, x + w - 1, 1, i == 0 || i == h - 1 ?
		    '+' : '|', style);
	}
}

/* The canvas as UTF-8 text, a line a row, trailing blanks cut. */
char *
canvas_dump(const struct canvas *c)
{
	size_t	 cap = (size_t)c->w * (size_t)c->h * 4 + (size_t)c->h + 1;
	char	*out = xmalloc(cap), *p = out;

	for (int y = 0; y < c->h; y++) {
		char	*line = p;

		for (int x = 0; x < c->w; x++) {
			uint32_t	 cp = c->cells[y * c->w + x].ch;

			if (cp == 0)
				continue;
			if (cp < 0x80)
				*p++ = (char)cp;
			else if (cp < 0x800) {
				*p++ = (char)(0xc0 | cp >> 6);
				*p++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*p++ = (char)(0xe0 | cp >> 12);
				*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
				*p++ = (char)(0x80 | (cp & 0x3f));
			} else {
				*p++ = (char)(0xf0 | cp >> 18);
				*p++ = (char)(0x80 | (cp >> 12 & 0x3f));
				*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
				*p++ = (char)(0x80 | (cp & 0x3f));
			}
		}
		while (p > line && p[-1] == ' ')
			p--;
		*p++ = '\n';
	}
	*p = '\0';
	return out;
}

/*
 * Chinese punctuation that may not begin a line (commas, stops, closing
 * marks) or end one (opening marks), as Chinese typesetting has it.
 */
static const uint32_t no_start[] = {
	0xff0c, 0x3002, 0x3001, 0xff1b, 0xff1a, 0xff1f, 0xff01, 0xff09,
	0x300d, 0x300f, 0x3011, 0x300b, 0x3009, 0x201d, 0x2019, 0x2026,
	0xff0e,
}, no_end[] = {
	0xff08, 0x300c, 0x300e, 0x3010, 0x300a, 0x3008, 0x201c, 0x2018,
};

static bool
in_set(uint32_t cp, const uint32_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp == set[i])
			return true;
	return false;
}

/* Whether text (n octets) ends with suffix, blanks after it aside. */
static bool
ends_with(const char *text, size_t n, const char *suffix)
{
	size_t	 k = strlen(suffix);

	while (n > 0 && text[n - 1] == ' ')
		n--;
	return n >= k && memcmp(text + n - k, suffix, k) == 0;
}

/*
 * Whether a line may not break at octet i of s: inside a reference to
 * the RFC ("RFC 9293 3.10.7.4", "RFC 9293 第 3.10.7.4 节"), which reads
 * as one thing and is looked up as one.
 */
static bool
glued(const char *s, size_t i)
{
	const char	*after = s + i;

	while (*after == ' ')
		after++;
	return ends_with(s, i, "RFC") || ends_with(s, i, "RFC 9293") ||
	    ends_with(s, i, "第") || strncmp(after, "节", strlen("节")) == 0;
}

/*
 * Where the next line of text breaks to fit width columns: returns the
 * octets on the line and, through skip, the octets to move past (the line
 * and the blanks after it).  Latin text breaks at spaces; Chinese may break
 * between two characters, but not before a comma or a closing mark nor
 * after an opening one; a word longer than the line is cut.
 */
size_t
text_wrap(const char *s, int width, size_t *skip)
{
	size_t	 n = strlen(s), len, i, brk = 0;
	int	 w = 0;
	bool	 have_brk = false;
	uint32_t prev = 0;	/* the character before */

	for (i = 0; i < n; i += len) {
		uint32_t	 cp = utf8_next(s + i, n - i, &len);
		int		 cw = cp_width(cp);

		if (cp == '\n')
			break;
		if (cp == ' ' && !glued(s, i)) {
			brk = i;
			have_brk = true;
		} else if (cw == 2 && i > 0 && !glued(s, i) &&
		    !in_set(cp, no_start, nitems(no_start)) &&
		    !in_set(prev, no_end, nitems(no_end))) {
			/* A wide character may start a new line. */
			brk = i;
			have_brk = true;
		}
		prev = cp;
		if (w + cw > width) {
			if (!have_brk || brk == 0)
				brk = i;
			break;
		}
		w += cw;
	}
	if (i >= n || s[i] == '\n')
		brk = i;
	*skip = brk;
	while (s[*skip] == ' ')
		(*skip)++;
	if (s[*skip] == '\n')
		(*skip)++;
	if (*skip == 0 && n > 0)
		*skip = len;	/* a character wider than the line */
	return brk;
}

/*
 * Shorten text in place to fit width columns, cutting at a word (or
 * between two Chinese characters) and putting the mark after what is
 * left: "The TCP header, field…".
 */
void
text_shorten(char *s, int width, const char *mark)
{
	int	 mw = text_width(mark);
	size_t	 n, skip, k;

	if (text_width(s) <= width)
		return;
	if (width <= mw) {
		s[0] = '\0';
		return;
	}
	n = text_wrap(s, width - mw, &skip);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	k = strlen(mark);
	memmove(s + n, mark, k + 1);
}

/* How many lines text takes at this width. */
int
text_lines(const char *s, int width)
{
	int	 lines = 0;
	size_t	 skip;

	if (width < 2)
		return 0;
	while (*s != '\0') {
		text_wrap(s, width, &skip);
		s += skip;
		lines++;
	}
	return lines;
}

/* Wrap text into the box at (y, x), w wide, at most maxlines. */
int
canvas_wrap(struct canvas *c, int y, int x, int w, int maxlines, uint8_t style,
    const char *s)
{
	int	 lines = 0;
	size_t	 n, skip;

	if (w < 2)
		return 0;
	while (*s != '\0' && lines < maxlines) {
		n = text_wrap(s, w, &skip);
		canvas_textn(c, y + lines, x, w, style, s, n);
		s += skip;
		lines++;
	}
	return lines;
}
