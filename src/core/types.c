/* The names of the shared enums (types.h), as scripts and traces write them. */
#include "config.h"

#include <string.h>

#include "types.h"

static const char *const lang_names[NLANGS] = { "en", "zh" };

const char *
side_name(enum side s)
{
	return s == SIDE_CLIENT ? "client" : s == SIDE_SERVER ? "server" : "-";
}

const char *
dir_name(enum dir d)
{
	return d == DIR_C2S ? "C>S" : "S>C";
}

const char *
lang_name(enum lang l)
{
	return lang_names[l];
}

int
lang_parse(const char *s, enum lang *out)
{
	for (int i = 0; i < NLANGS; i++) {
		if (strcmp(s, lang_names[i]) == 0) {
			*out = (enum lang)i;
			return 0;
		}
	}
	return -1;
}
