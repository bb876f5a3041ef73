/*
 * The time-sequence diagram as plain text, for slides and handouts: the
 * view's own ladder of the whole run (its time axis, one arrow per
 * segment with its label, both sides' states), drawn on a canvas tall
 * enough for every row.  UTF-8, or ASCII (and English) with --ascii.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "export.h"
#include "keys.h"
#include "ui.h"

/* Write the ladder of the whole run to path: 0, or -1 with err said. */
int
export_ladder(struct session *s, const char *path, enum lang lang,
    bool ascii, int width, char *err, size_t errlen)
{
	struct export_file	 x;
	struct ui		 ui;
	FILE			*f;
	char			*text;

	if ((f = export_open(path, &x, err, errlen)) == NULL)
		return -1;
	ui_init(&ui, s, lang, ascii);
	ui_key(&ui, UIK_END);
	text = ui_ladder_text(&ui, width);
	fputs(text, f);
	free(text);
	ui_free(&ui);
	return export_close(f, &x, err, errlen);
}
