/*
 * A recording: a session as a script in the language of
 * DESIGN section 5, so that it plays back (synfin FILE), runs as a test
 * (synfin run FILE) and edits into a lesson.  The learner's calls and
 * settings at their @times, the fates given to segments (drop segment
 * N ...), and before each action and at the end, expectations of both
 * sides' states as they were.  It is written whole after every action
 * (export_open, export_close): a session killed at any moment leaves the
 * last whole recording.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "run.h"
#include "script.h"
#include "util.h"

static const char *const fate_words[] = {
	[RULE_DROP] = "drop", [RULE_DUP] = "dup", [RULE_DELAY] = "delay",
	[RULE_REORDER] = "reorder", [RULE_HOLD] = "hold",
};

/* A duration as the language writes it: "20ms", "1500ms". */
static void
duration_text(char *buf, size_t len, vtime_t d)
{
	if (d % 1000 == 0)
		snprintf(buf, len, "%" PRId64 "ms", (int64_t)(d / 1000));
	else
		snprintf(buf, len, "%" PRId64 "us", (int64_t)d);
}

/* One of the sandbox's commands, as a line of the language. */
static void
write_cmd(FILE *f, const struct cmd *c)
{
	char	 d[32];

	if (c->at >= 0)
		fprintf(f, "@%s ", vt_seconds(d, c->at));
	switch (c->type) {
	case CMD_CALL:
		fprintf(f, "%s %s", side_name((enum side)c->side),
		    tcp_call_names[c->u.call.call]);
		if (c->u.call.call == CALL_KEEPALIVE)
			fprintf(f, " %s", c->u.call.on ? "on" : "off");
		else if (c->u.call.has_n)
			fprintf(f, " %" PRIu32, c->u.call.n);
		break;
	case CMD_SET:
		duration_text(d, sizeof d, c->u.set->d[0]);
		fprintf(f, "set latency %s", d);
		break;
	case CMD_RELEASE:
		fputs("release", f);
		break;
	default:
		fputs("# (not recorded)", f);
		break;
	}
	fputc('\n', f);
}

/*
 * The learner's fates for segments, by number: 'drop segment 5'.  They
 * hold wherever the line is.
 */
static void
write_fates(FILE *f, const struct session *s)
{
	char	 d[32];

	for (size_t i = 0; i < s->niv; i++) {
		const struct intervention *iv = &s->iv[i];

		fprintf(f, "%s segment %d", fate_words[iv->kind], iv->seg + 1);
		if (iv->kind == RULE_DELAY || iv->kind == RULE_DUP) {
			duration_text(d, sizeof d, iv->kind == RULE_DELAY ?
			    SESSION_DELAY : SESSION_DUP_LAG);
			fprintf(f, " %s", d);
		}
		fputc('\n', f);
	}
}

/*
 * Both sides' states once the first k steps are, as expectations; at a
 * time (the kernel's sandbox, where time passed before the next action
 * on the kernels' clocks), or -1 for right after the line before.
 */
static void
write_states(FILE *f, const struct session *s, size_t k, vtime_t at)
{
	const struct jevent	*last;
	char			 when[32];
	int			 st[2];

	session_states(s, k, st, &last);
	for (int i = 0; i < NSIDES; i++) {
		if (at >= 0)
			fprintf(f, "@%s ", vt_seconds(when, at));
		fprintf(f, "expect %s %s\n", side_name((enum side)i),
		    tcp_state_names[st[i]]);
	}
}

/* The step a command of the script begins, or 0 if it made no event. */
static size_t
cmd_step(const struct session *s, size_t n)
{
	const struct journal	*j = session_journal(s);

	for (size_t i = 0; i < j->nev; i++) {
		if (j->ev[i].cmd == (int)n)
			return session_step_of(s, i);
	}
	return 0;
}

/* The recording's text, without its closing expectations. */
static void
write_body(FILE *f, struct session *s)
{
	const struct script	*sc = s->script;

	fputs("# A synfin recording of the sandbox.  synfin FILE plays it,\n"
	    "# synfin run FILE runs it as a test; edit it into a lesson.\n", f);
	/* What the kernel did in its own time is not a script's to say. */
	if (s->live != NULL)
		fputs("# Made on the kernel (--engine kernel --sandbox): the "
		    "calls and\n# the fates given are here; how long each "
		    "segment was held, and what\n# the kernels resent "
		    "meanwhile, are not, so the model may number\n# the "
		    "segments otherwise.\n", f);
	fputs(
	    "title en \"Sandbox recording\"\n"
	    "title zh \"沙盒记录\"\n", f);
	if (session_journal(s)->conn.profile != PROFILE_LINUX)
		fprintf(f, "profile %s\n",
		    profiles[session_journal(s)->conn.profile].name);
	write_fates(f, s);
	for (size_t n = 0; n < sc->ncmds; n++) {
		const struct cmd	*c = &sc->cmds[n];
		size_t			 k = cmd_step(s, n);

		if (c->type == CMD_PROFILE)
			continue;
		/* What the learner saw before acting: a test of the run. */
		if (n > 0 && k > 0)
			write_states(f, s, k - 1, s->live != NULL ? c->at : -1);
		write_cmd(f, c);
	}
	fputs("wait idle\n", f);
}

/*
 * The states the recording comes to: the text run headless, as synfin
 * run would run it.  0, or -1 if it does not run.
 */
static int
final_states(const char *text, size_t len, int st[2], char *err,
    size_t errlen)
{
	struct script	*sc;
	struct run	 r;

	if ((sc = script_parse("recording", text, len, err, errlen)) == NULL)
		return -1;
	if (run_init(&r, sc, err, errlen) == -1) {
		script_free(sc);
		return -1;
	}
	run_all(&r);
	for (int i = 0; i < NSIDES; i++)
		st[i] = r.sim.ep[i].state;
	run_free(&r);
	script_free(sc);
	return 0;
}

/*
 * A lesson or script as the learner ran it: its own lines as they are,
 * the learner's fates for segments at the top (they hold wherever they
 * are), and each expectation the change broke written again as what
 * happened (a state), or kept as a comment (the rest), so that the
 * recording holds as a test of the learner's run.
 */
static int
write_lesson(struct session *s, const char *path, const uint8_t *answers,
    size_t nanswers, char *err, size_t errlen)
{
	const struct journal	*j;
	struct export_file	 x;
	char			**fix, *text, *line, *next;
	uint8_t			*answered;
	FILE			*in, *f;
	size_t			 len = 0, nlines = 1;
	long			 size;
	int			 no = 1;

	if ((in = fopen(s->script->path, "r")) == NULL ||
	    fseek(in, 0, SEEK_END) == -1 || (size = ftell(in)) < 0) {
		snprintf(err, errlen, "%s: %s", s->script->path,
		    strerror(errno));
		if (in != NULL)
			fclose(in);
		return -1;
	}
	rewind(in);
	text = xmalloc((size_t)size + 1);
	len = fread(text, 1, (size_t)size, in);
	text[len] = '\0';
	fclose(in);
	for (size_t i = 0; i < len; i++)
		nlines += text[i] == '\n';
	fix = xcalloc(nlines + 1, sizeof *fix);
	answered = xcalloc(nlines + 1, 1);
	session_complete(s);
	j = session_journal(s);
	for (size_t i = 0; i < j->nev; i++) {
		const struct jevent	*e = &j->ev[i];
		const struct jexpect	*xp;
		char			 buf[128];
		int			 ln;

		if (e->cmd < 0)
			continue;
		ln = s->script->cmds[e->cmd].line;
		if (ln < 1 || (size_t)ln > nlines || fix[ln] != NULL)
			continue;
		/* The learner's answer, written after the question. */
		if (e->type == JE_ASK && session_holds(s, i)) {
			size_t	 k = session_step_of(s, i);

			if (k < nanswers && answers[k] > 0)
				answered[ln] = answers[k];
		}
		/* A line or a question whose premise the change broke. */
		if ((e->type == JE_SAY || e->type == JE_ASK) &&
		    !session_holds(s, i)) {
			fix[ln] = xstrdup("");
			continue;
		}
		if (e->type != JE_EXPECT || e->u.expect->ok)
			continue;
		xp = e->u.expect;
		if (xp->kind == EXPECT_STATE || xp->kind == EXPECT_REACH)
			snprintf(buf, sizeof buf, "expect %s %s",
			    side_name((enum side)e->side),
			    tcp_state_names[xp->got % TCP_NSTATES]);
		else
			buf[0] = '\0';
		fix[ln] = xstrdup(buf);
	}
	if ((f = export_open(path, &x, err, errlen)) == NULL) {
		for (size_t i = 0; i <= nlines; i++)
			free(fix[i]);
		free(fix);
		free(answered);
		free(text);
		return -1;
	}
	fprintf(f, "# A synfin recording of %s: the lesson as the learner\n"
	    "# ran it.  synfin FILE plays it, synfin run FILE tests it.\n",
	    s->script->path);
	write_fates(f, s);
	for (line = text; line != NULL && *line != '\0'; line = next, no++) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if ((size_t)no <= nlines && fix[no] != NULL) {
			fprintf(f, "# before the learner's change: %s\n", line);
			if (fix[no][0] != '\0')
				fprintf(f, "%s\n", fix[no]);
		} else
			fprintf(f, "%s\n", line);
		if ((size_t)no <= nlines && answered[no] > 0)
			fprintf(f, "answered %d\n", answered[no]);
	}
	for (size_t i = 0; i <= nlines; i++)
		free(fix[i]);
	free(fix);
	free(answered);
	free(text);
	return export_close(f, &x, err, errlen);
}

/* Write the session to path as a recording: 0, or -1. */
int
export_recording(struct session *s, const char *path,
    const uint8_t *answers, size_t nanswers, char *err, size_t errlen)
{
	struct export_file	 x;
	char			*text = NULL;
	size_t			 len = 0;
	int			 st[2];
	FILE			*m, *f;

	if (!s->sandbox)
		return write_lesson(s, path, answers, nanswers, err, errlen);
	session_complete(s);
	if ((m = open_memstream(&text, &len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	write_body(m, s);
	fclose(m);
	if (final_states(text, len, st, err, errlen) == -1 ||
	    (f = export_open(path, &x, err, errlen)) == NULL) {
		free(text);
		return -1;
	}
	fwrite(text, 1, len, f);
	free(text);
	fprintf(f, "expect client %s\nexpect server %s\n",
	    tcp_state_names[st[0]], tcp_state_names[st[1]]);
	return export_close(f, &x, err, errlen);
}
