/*
 * The small enums every layer shares: the two sides of the connection,
 * the two directions a segment travels, and the learner's two languages.
 */
#ifndef SYNFIN_TYPES_H
#define SYNFIN_TYPES_H

enum side {
	SIDE_CLIENT,
	SIDE_SERVER,
	SIDE_NONE = -1
};
#define NSIDES 2

/* The direction a segment travels: from the side of the same number. */
enum dir {
	DIR_C2S = SIDE_CLIENT,
	DIR_S2C = SIDE_SERVER
};

enum lang {
	LANG_EN,
	LANG_ZH,
};
#define NLANGS 2

const char	*side_name(enum side);
const char	*dir_name(enum dir);
const char	*lang_name(enum lang);
int		 lang_parse(const char *, enum lang *);

#endif
