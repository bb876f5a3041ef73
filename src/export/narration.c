/*
 * The narration of a run as Markdown, step by step: each step that says
 * something gets a heading with its number and time, its lines (the
 * script's own, else the generated narration; a failed expectation in
 * bold), and the question asked there with its choices, the answer and
 * why.  A handout, or notes beside a recording.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "export.h"
#include "narrate.h"
#include "util.h"

/* "Question:" and "Answer:", each with its language's colon. */
static const char *const words[][NLANGS] = {
	{ "Step", "第" },
	{ "Question:", "提问：" },
	{ "Answer:", "答案：" },
};

/* The question of step k in lang, or NULL. */
static const struct jask *
question(const struct session *s, size_t k, enum lang lang)
{
	const struct journal	*j = session_journal(s);

	for (size_t i = session_applied(s, k - 1); i < session_applied(s, k);
	    i++) {
		if (j->ev[i].type == JE_ASK && j->ev[i].x.lang == lang &&
		    session_holds(s, i))
			return j->ev[i].u.ask.q;
	}
	return NULL;
}

static void
write_step(FILE *f, const struct session *s, size_t k, enum lang lang,
    struct narration *st)
{
	const struct jask	*q = question(s, k, lang);
	char			 when[32];

	narrate_step(s, k, lang, st);
	if (st->n == 0 && q == NULL)
		return;
	vt_seconds(when, session_time(s, k));
	if (lang == LANG_EN)
		fprintf(f, "## %s %zu · %s s\n\n", words[0][lang], k, when);
	else
		fprintf(f, "## 第 %zu 步 · %s 秒\n\n", k, when);
	for (int i = 0; i < st->n; i++)
		fprintf(f, st->line[i].bad ? "**%s**\n\n" : "%s\n\n",
		    st->line[i].text);
	if (q == NULL)
		return;
	fprintf(f, "> **%s** %s\n>\n", words[1][lang], q->text);
	for (int c = 0; c < q->nchoices; c++)
		fprintf(f, "> %d. %s\n", c + 1, q->choices[c]);
	fprintf(f, ">\n> **%s** %s%s%s\n\n", words[2][lang],
	    q->choices[q->answer], q->why != NULL ? " · " : "",
	    q->why != NULL ? q->why : "");
}

/* Write the whole run's narration to path: 0, or -1 with err said. */
int
export_narration(struct session *s, const char *path, enum lang lang,
    char *err, size_t errlen)
{
	struct narration	*st;
	struct export_file	 x;
	char			 title[256];
	FILE			*f;

	if ((f = export_open(path, &x, err, errlen)) == NULL)
		return -1;
	st = xmalloc(sizeof *st);
	session_complete(s);
	fprintf(f, "# %s\n\n", session_title(s, lang, title, sizeof title));
	for (size_t k = 1; k <= s->nsteps; k++)
		write_step(f, s, k, lang, st);
	free(st);
	return export_close(f, &x, err, errlen);
}
