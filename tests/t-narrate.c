/*
 * Generated narration (src/core/narrate.c): every kind of journal event,
 * every fate, timer, call, error, cause and expectation, has words in
 * both languages; and narration speaks only of what has happened, never
 * of what the run does later.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "run.h"
#include "script.h"
#include "tap.h"
#include "util.h"

static bool
is_call(const char *p, size_t n)
{
	for (int c = 0; c < TCP_NCALLS; c++) {
		if (strlen(tcp_call_names[c]) == n &&
		    strncmp(p, tcp_call_names[c], n) == 0)
			return true;
	}
	return false;
}

/* Words that read as words: no format left in them, the right script. */
static bool
sound(const char *text, enum lang lang)
{
	bool	 wide = false;

	if (text[0] == '\0' || strstr(text, "(null)") != NULL ||
	    strstr(text, "%") != NULL)
		return false;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		wide |= *p >= 0x80;
	if (lang == LANG_EN)
		return !wide;
	/* Chinese, with English only where it names a call, a state, an
	 * errno, a flag or a setting: a lower-case word of four letters or
	 * more is a call (listen), a setting (tcp_fin_timeout), or a
	 * sentence left untranslated. */
	for (const char *p = text; *p; ) {
		size_t	 n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");

		if (n >= 4 && p[n] != '(' && memchr(p, '_', n) == NULL &&
		    !is_call(p, n))
			return false;
		p += n > 0 ? n : 1;
	}
	return wide;
}

/* The events of one journal that fail to say something in both languages. */
static int
unsound(const struct journal *j, size_t from, const char *what)
{
	char	 buf[1024];
	int	 bad = 0;

	for (size_t i = from; i < j->nev; i++) {
		for (int l = 0; l < NLANGS; l++) {
			const struct jevent *e = &j->ev[i];

			/* The script's own lines speak in their language. */
			if ((e->type == JE_SAY || e->type == JE_ASK) &&
			    e->x.lang != l)
				continue;
			narrate(j, i, (enum lang)l, NC_DROP, buf,
			    sizeof buf);
			if (!sound(buf, (enum lang)l)) {
				if (bad++ < 5)
					printf("# %s, event %zu (%s): '%s'\n",
					    what, i, lang_name((enum lang)l),
					    buf);
			}
		}
	}
	return bad;
}

static int
seg(struct journal *j, enum dir dir, uint8_t flags, uint32_t len)
{
	struct segment	 s;
	uint8_t		 bytes[20] = { 0 };

	segment_init(&s);
	s.flags = flags;
	s.seq = 1000;
	s.ack = 5000;
	s.len = len;
	return journal_add_seg(j, dir, &s, bytes, sizeof bytes, false, 0);
}

/* Every kind of event, each in all its forms. */
static void
test_every_kind(void)
{
	struct journal	 j;
	bool		 seen[JE_NTYPES] = { false };
	char		*choices[] = { "a", "b" };
	size_t		 from;
	int		 id, missing = 0;
	uint8_t		 bytes[8] = { 0 };

	journal_init(&j);
	/* Segments: every fate, resent, injected, refused for each reason. */
	from = j.nev;
	id = seg(&j, DIR_C2S, TH_SYN, 0);
	for (int f = 0; f < NFATES; f++)
		journal_seg_event(&j, VT_MS(20), id, (enum fate)f);
	journal_add(&j, JE_TIMER, 0, SIDE_SERVER)->x.timer.kind = TT_RTX;
	id = seg(&j, DIR_S2C, TH_SYN | TH_ACK, 0);
	journal_seg_event(&j, VT_MS(20), id, FATE_DROPPED);
	id = seg(&j, DIR_C2S, TH_ACK, 0);
	journal_seg_event(&j, VT_MS(20), id, FATE_DROPPED);
	seg(&j, DIR_C2S, TH_SYN, 0);		/* sent again */
	id = seg(&j, DIR_S2C, TH_ACK | TH_PSH, 100);
	journal_seg_event(&j, VT_MS(20), id, FATE_DROPPED);
	for (int w = 0; w < NWHYS; w++) {
		id = journal_add_raw(&j, DIR_S2C, bytes, sizeof bytes,
		    (enum jwhy)w);
		journal_seg_event(&j, 0, id, FATE_IGNORED);
	}
	is_int(unsound(&j, from, "segments"), 0,
	    "every fate of a segment, and every reason to refuse one, in "
	    "both languages");

	/* Timers: each kind, each thing that happens to it. */
	from = j.nev;
	for (int k = 0; k < TCP_NTIMERS; k++) {
		for (int a = 0; a <= TA_PENDING; a++) {
			struct jevent	*e = journal_add(&j, JE_TIMER,
			    VT_SEC(1), (enum side)(k % 2));

			e->x.timer.kind = (uint8_t)k;
			e->x.timer.action = (uint8_t)a;
			e->u.timer.due = VT_SEC(3);
		}
	}
	is_int(unsound(&j, from, "timers"), 0,
	    "every timer armed, stopped, fired and pending, in both "
	    "languages");

	/* Calls, each ending well and in an error; errors told. */
	from = j.nev;
	for (int c = 0; c < TCP_NCALLS; c++) {
		for (int err = 0; err < 2; err++) {
			struct jcall	*call = journal_call(&j, VT_SEC(2),
			    SIDE_CLIENT);

			call->call = (uint8_t)c;
			call->has_arg = c == CALL_SEND;
			call->arg = 100;
			call->err = err ? TE_NOTCONN : TE_NONE;
			call->what = err ? OUT_NOT_CONNECTED : OUT_NONE;
		}
	}
	for (int err = 1; err < TCP_NERRORS; err++)
		journal_add(&j, JE_ERROR, VT_SEC(2),
		    SIDE_SERVER)->u.error.err = (uint8_t)err;
	is_int(unsound(&j, from, "calls"), 0,
	    "every call, done or failed, and every error told, in both "
	    "languages");

	/* A state change for every cause. */
	from = j.nev;
	for (int c = 1; c < TCP_NCAUSES; c++) {
		struct jevent	*e = journal_add(&j, JE_STATE, VT_SEC(2),
		    SIDE_SERVER);

		e->u.state.from = TCPS_LISTEN;
		e->u.state.to = TCPS_SYN_RECEIVED;
		e->u.state.cause = (uint16_t)c;
		e->u.state.n = 3;
	}
	is_int(unsound(&j, from, "state changes"), 0,
	    "a state change for each of %d causes, in both languages",
	    TCP_NCAUSES - 1);

	/* The script's own: lines, a pause, questions, expectations. */
	from = j.nev;
	journal_say(&j, 0, LANG_EN, "Hello.");
	journal_say(&j, 0, LANG_ZH, "你好。");
	journal_add(&j, JE_PAUSE, 0, SIDE_NONE);
	journal_ask(&j, 0, LANG_EN, "Which?", choices, 2, 1, NULL);
	journal_ask(&j, 0, LANG_ZH, "哪个？", choices, 2, 1, NULL);
	for (int k = 0; k < NEXPECT_KINDS; k++) {
		for (int okay = 0; okay < 2; okay++) {
			struct jexpect	*x = journal_expect(&j, 0,
			    SIDE_CLIENT);

			x->kind = (enum jexpect_kind)k;
			x->ok = okay;
			x->dir = DIR_S2C;
			x->flags = TH_FIN | TH_ACK;
			x->fields = FIELD_SEQ | FIELD_ACK | FIELD_LEN;
			x->want = k == EXPECT_ERROR ? TE_CONNRESET :
			    TCPS_ESTABLISHED;
			x->got = k == EXPECT_ERROR ? TE_NONE : TCPS_LISTEN;
			x->found = okay ? -1 : 0;
		}
	}
	is_int(unsound(&j, from, "the script's"), 0,
	    "lines, pauses, questions and every expectation, held or not, "
	    "in both languages");

	for (size_t i = 0; i < j.nev; i++)
		seen[j.ev[i].type] = true;
	for (int t = 0; t < JE_NTYPES; t++)
		missing += !seen[t];
	is_int(missing, 0, "the events above are of all %d kinds",
	    JE_NTYPES);
	journal_free(&j);
}

/* A failed expectation is told in plain words, not in test syntax. */
static void
test_expect_words(void)
{
	struct journal	 j;
	struct jexpect	*x;
	char		 buf[512];

	journal_init(&j);
	x = journal_expect(&j, 0, SIDE_SERVER);
	x->kind = EXPECT_STATE;
	x->want = TCPS_ESTABLISHED;
	x->got = TCPS_LISTEN;
	narrate(&j, 0, LANG_EN, NC_DROP, buf, sizeof buf);
	ok(strcmp(buf, "The lesson expected the server to be in ESTABLISHED "
	    "here; after your drop, it is in LISTEN.") == 0,
	    "a failed expect after a drop: '%s'", buf);
	narrate(&j, 0, LANG_ZH, NC_DROP, buf, sizeof buf);
	ok(strstr(buf, "ESTABLISHED") && strstr(buf, "LISTEN") &&
	    strstr(buf, "丢弃") && !strstr(buf, "FAIL"),
	    "and in Chinese: '%s'", buf);
	journal_free(&j);
}

/*
 * Narration never speaks of the future: each event's words are the same
 * when the journal stops right after it as in the whole run.
 */
static void
test_no_future(int argc, char **argv)
{
	int	 bad = 0, events = 0, scripts = 0;

	for (int a = 0; a < argc; a++) {
		struct script	*s;
		struct run	 r;
		char		 err[512], whole[1024], cut[1024];

		if ((s = script_load(argv[a], err, sizeof err)) == NULL ||
		    run_init(&r, s, err, sizeof err) == -1) {
			printf("# %s\n", err);
			script_free(s);
			bad++;
			continue;
		}
		run_all(&r);
		run_end(&r);
		scripts++;
		for (size_t i = 0; i < run_journal(&r)->nev; i++) {
			struct journal	 j = *run_journal(&r);

			for (int l = 0; l < NLANGS; l++) {
				narrate(&j, i, (enum lang)l, NC_NONE, whole,
				    sizeof whole);
				j.nev = i + 1;
				narrate(&j, i, (enum lang)l, NC_NONE, cut,
				    sizeof cut);
				j.nev = run_journal(&r)->nev;
				if (strcmp(whole, cut) != 0 && bad++ < 3)
					printf("# %s event %zu: '%s'\n",
					    argv[a], i, whole);
			}
			events++;
		}
		run_free(&r);
		script_free(s);
	}
	ok(bad == 0 && scripts > 0, "%d events of %d scripts: each said the "
	    "same with the run cut right after it (%d differ)", events,
	    scripts, bad);
}

/*
 * The time points a line of narration names, in seconds, each passed to
 * fn: "at 10.04 s", "t=5 s", "第 5 秒", "5 秒时".  Durations ("10 s
 * idle", "64 秒") are not points and are left alone.
 */
static int
later_points(const char *text, double now)
{
	int	 later = 0;

	for (const char *p = text; *p != '\0'; p++) {
		const char	*num = NULL, *end;
		double		 x;

		if (strncmp(p, "at ", 3) == 0)
			num = p + 3;
		else if (strncmp(p, "t=", 2) == 0)
			num = p + 2;
		else if (strncmp(p, "第 ", strlen("第 ")) == 0)
			num = p + strlen("第 ");
		else if (*p >= '0' && *p <= '9' && (p == text || p[-1] == ' '))
			num = p;
		if (num == NULL || *num < '0' || *num > '9')
			continue;
		x = strtod(num, (char **)&end);
		while (*end == ' ')
			end++;
		/* A point in time: "at X s", "t=X s", "第 X 秒", "X 秒时". */
		if (num == p) {
			if (strncmp(end, "秒时", strlen("秒时")) != 0)
				continue;
		} else if (strncmp(p, "第", strlen("第")) == 0) {
			if (strncmp(end, "秒", strlen("秒")) != 0)
				continue;
		} else if (end[0] != 's' || (end[1] != '\0' && end[1] != ' ' &&
		    end[1] != ',' && end[1] != '.' && end[1] != ':' &&
		    end[1] != ')'))
			continue;
		later += x * 1e6 > now + 1000;
	}
	return later;
}

/*
 * The lessons' own lines do not speak of the run's future either: a line
 * or a question names no moment later than its own, unless it says when
 * a timer running now fires.
 */
static void
test_lessons_no_future(int argc, char **argv)
{
	int	 bad = 0, lines = 0;

	for (int a = 0; a < argc; a++) {
		struct script	*s;
		struct run	 r;
		char		 err[512];

		if (strstr(argv[a], "lessons/") == NULL)
			continue;
		if ((s = script_load(argv[a], err, sizeof err)) == NULL ||
		    run_init(&r, s, err, sizeof err) == -1) {
			script_free(s);
			bad++;
			continue;
		}
		run_all(&r);
		run_end(&r);
		for (size_t i = 0; i < run_journal(&r)->nev; i++) {
			const struct jevent	*e = &run_journal(&r)->ev[i];
			const char		*text;

			if (e->type == JE_SAY)
				text = e->u.say.text;
			else if (e->type == JE_ASK)
				text = e->u.ask.q->text;
			else
				continue;
			lines++;
			if (strstr(text, "timer") != NULL ||
			    strstr(text, "定时器") != NULL)
				continue;
			if (later_points(text, (double)e->t) > 0 && bad++ < 5)
				printf("# %s at %.3f s: %s\n", argv[a],
				    e->t / 1e6, text);
		}
		run_free(&r);
		script_free(s);
	}
	ok(bad == 0 && lines > 0, "%d lines and questions of the lessons name "
	    "no moment after their own (%d do)", lines, bad);
}

/* The scripts of a directory of the source tree, added to *paths. */
static void
scripts_in(const char *rel, char ***paths, int *n)
{
	const char	*srcdir = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
	struct dirent	**names;
	char		 dir[1024];
	int		 k;

	snprintf(dir, sizeof dir, "%s/%s", srcdir, rel);
	if ((k = scandir(dir, &names, NULL, alphasort)) == -1)
		return;
	for (int i = 0; i < k; i++) {
		size_t	 len = strlen(names[i]->d_name);

		if (len > 4 &&
		    strcmp(names[i]->d_name + len - 4, ".syn") == 0) {
			*paths = xreallocarray(*paths, (size_t)*n + 1,
			    sizeof **paths);
			(*paths)[*n] = xmalloc(strlen(dir) + len + 2);
			sprintf((*paths)[*n], "%s/%s", dir, names[i]->d_name);
			(*n)++;
		}
		free(names[i]);
	}
	free(names);
}

int
main(void)
{
	char	**paths = NULL;
	int	  n = 0;

	xalloc_init();
	test_every_kind();
	test_expect_words();
	scripts_in("lessons", &paths, &n);
	scripts_in("tests/scenarios", &paths, &n);
	test_no_future(n, paths);
	test_lessons_no_future(n, paths);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return tap_done();
}
