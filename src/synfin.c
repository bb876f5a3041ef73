/*
 * synfin: watch a TCP connection open and close.
 *
 * This file holds main and the command line (DESIGN section 4).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "export.h"
#ifdef HAVE_LINUX_IF_PACKET_H
#include "kernel.h"
#endif
#include "loop.h"
#include "narrate.h"
#include "run.h"
#include "script.h"
#include "session.h"
#include "trace.h"
#include "ui.h"
#include "util.h"

static void
usage(FILE *f)
{
	fputs(
"usage: synfin [--lang zh|en]\n"
"       synfin [--lang zh|en] NAME|FILE\n"
"       synfin [--lang zh|en] --sandbox\n"
"       synfin [run] --engine kernel FILE | synfin --engine kernel --sandbox\n"
"       synfin --present ...  (any of the above, for a projector)\n"
"       synfin --record OUT NAME|FILE|--sandbox\n"
"       synfin run [--lang zh|en] [--narrate] NAME|FILE...\n"
"       synfin export [--lang zh|en] NAME|FILE [--pcap OUT] [--ladder OUT]\n"
"                     [--narration OUT] [--cast OUT [--size WxH] [--speed N]]\n"
"                     [--ascii] [--width N] [--no-dropped]\n"
"       synfin frames [--lang zh|en] [--size WxH] NAME|FILE|--sandbox|--menu\n"
"                     [KEY...]\n"
"       synfin --help | --version\n"
"\n"
"synfin shows how a TCP connection opens and closes: a client, a server,\n"
"their states, and every segment between them.\n"
"\n"
"  (nothing)       the lesson menu\n"
"  NAME            open a lesson by its name (synfin handshake)\n"
"  FILE            open a lesson or script, paused at its beginning\n"
"  --sandbox       no script: keys make each side act\n"
"  --engine kernel Linux's own TCP: run FILE and FILE as its calls on\n"
"                  real sockets (DIFF lines where the model differs);\n"
"                  --sandbox with each real segment held for you\n"
"  run FILE...     run scripts without a screen and print the trace;\n"
"                  --narrate says each event in words under it;\n"
"                  exit 0 if every expect held, 1 if one failed,\n"
"                  2 if a file is bad\n"
"  export ...      write files other tools read: a pcap capture (tcpdump,\n"
"                  Wireshark), the ladder as text, the narration as\n"
"                  Markdown, an asciicast of the screen\n"
"  frames ...      press KEYs without a terminal and print the screen\n"
"                  at each 'dump' (screen tests, screenshots)\n"
"  --lang zh|en    the language of narration and messages\n"
"  --present       presenter mode: no dim text, large states, seconds\n"
"  --record OUT    the session, written to OUT at each change\n"
"                  (a script: synfin OUT plays it, synfin run OUT tests it)\n"
"  --help          this text (more in the manual: man synfin)\n"
"  --version       the version\n", f);
}

/* zh from --lang, else from LANGUAGE, LC_ALL or LANG; English otherwise. */
static enum lang
lang_from_env(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char	*v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return strncmp(v, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
	}
	return LANG_EN;
}

static const char	*argv0;
static bool		 presenting;	/* --present */
static const char	*recording;	/* --record OUT */
static int		 capture_conn = 1;	/* --conn N */
static int		 capture_conns;		/* in the capture opened */
static bool		 kernel_engine;		/* run --engine kernel */

/*
 * The sandbox's recording, written whole at each change when --record
 * names it, or once when the learner presses w (then under a name of
 * its own in the current directory).  NULL, or what went wrong.
 */
static const char *
save_recording(struct ui *ui, bool asked, void *arg)
{
	static char	 err[1024], name[64];
	const char	*path = recording;

	(void)arg;
	if (path == NULL && !asked)
		return NULL;
	if (path == NULL) {
		for (int i = 1; i < 1000; i++) {
			snprintf(name, sizeof name, "synfin-sandbox-%d.syn", i);
			if (access(name, F_OK) == -1)
				break;
		}
		path = name;
	}
	if (export_recording(ui->s, path, ui->quiz.answers,
	    ui->quiz.nanswers, err, sizeof err) == -1)
		return err;
	if (asked)
		ui_saved(ui, path, NULL);
	return NULL;
}

/* The lesson library and the learner's progress in it. */
static void
load_catalog(struct catalog *cat)
{
	char	 buf[4096];
	char	*state = catalog_state_path();

	catalog_load(cat, catalog_find_dir(argv0, buf, sizeof buf), state);
	free(state);
}

/*
 * The file synfin run reads for an argument: the file of that name, else
 * the lesson of that name, as synfin NAME finds it (NULL: neither).  The
 * catalog is loaded the first time a name needs it.
 */
static const char *
run_path(struct catalog *cat, bool *loaded, const char *arg)
{
	struct lesson	*l;

	if (access(arg, F_OK) == 0 || strchr(arg, '/') != NULL)
		return arg;
	if (!*loaded) {
		load_catalog(cat);
		*loaded = true;
	}
	l = catalog_lookup(cat, arg);
	return l != NULL ? l->path : NULL;
}

/* Each expectation that failed, where it is in the script. */
static void
report_failures(const struct run *r)
{
	const struct journal	*j = run_journal(r);

	for (size_t i = 0; i < j->nev; i++) {
		const struct jevent	*e = &j->ev[i];

		char			 what[512];

		if (e->type != JE_EXPECT || e->u.expect->ok)
			continue;
		trace_expect_text(what, sizeof what, j, e);
		fprintf(stderr, "synfin: %s:%d:%d: expectation failed: %s\n",
		    r->script->path, e->u.expect->line, e->u.expect->col, what);
	}
}

/*
 * Read connection capture_conn of a capture into j; *list is the
 * capture's connections, one a line (the caller frees it), *nconns
 * their count.  0, or -1 with the reason in err.
 */
static int
read_capture(const char *path, struct journal *j, char **list,
    int *nconns, char *err, size_t errlen)
{
	size_t		 len = 0;
	FILE		*f;
	int		 r;

	*list = NULL;
	f = open_memstream(list, &len);
	r = capture_read(path, capture_conn, j, f, err, errlen);
	if (f != NULL)
		fclose(f);
	*nconns = 0;
	for (size_t i = 0; *list != NULL && i < len; i++)
		*nconns += (*list)[i] == '\n';
	return r;
}

/*
 * synfin run FILE.pcap: a capture's connection as a trace (and in words
 * with --narrate); the connections are listed on stderr when there are
 * several.  0, or -1 with the error said.
 */
static int
run_capture(const char *path, enum lang lang, bool narrated, bool header)
{
	struct journal	 j;
	char		 err[1024], *list;
	int		 nconns, r;

	r = read_capture(path, &j, &list, &nconns, err, sizeof err);
	if (r == 0 && nconns > 1)
		fprintf(stderr, "synfin: %s holds these connections (--conn N "
		    "picks one):\n%s", path, list);
	free(list);
	if (r == -1) {
		fprintf(stderr, "synfin: %s\n", err);
		return -1;
	}
	if (header)
		printf("RUN %s\n", path);
	if (narrated)
		narrate_print(stdout, &j, lang);
	else
		trace_print(stdout, &j, 0, j.nev, lang);
	journal_free(&j);
	return 0;
}

/* synfin run FILE...: the trace of each, to stdout. */
/* Each side's state at the end of a journal. */
static void
last_states(const struct journal *j, enum tcp_state st[NSIDES])
{
	st[0] = st[1] = TCPS_CLOSED;
	for (size_t i = 0; i < j->nev; i++) {
		if (j->ev[i].type == JE_STATE)
			st[j->ev[i].side] = j->ev[i].u.state.to;
	}
}

/*
 * Where the kernel and the model part, as DIFF lines: each direction's
 * segments in the order sent (the longest run they share kept in step,
 * so one extra segment is one line; the two directions apart, since
 * which of two crossing segments left first is not a difference), then
 * each side's last state.  Returns the number of lines.
 */
static int
print_diffs(FILE *f, const struct journal *kj, const struct journal *mj)
{
	enum tcp_state	 kst[NSIDES], mst[NSIDES];
	int		 lines = 0;

	for (int d = 0; d < 2; d++) {
		size_t		 nk, nm, i, k, m, *kn, *mn;
		char		**ks = trace_sent(kj, (enum dir)d, &nk, &kn);
		char		**ms = trace_sent(mj, (enum dir)d, &nm, &mn);
		uint32_t	*lcs = NULL;

		/* Longest common subsequence, from the end. */
		if ((nk + 1) * (nm + 1) <= 4u << 20) {
			lcs = xcalloc((nk + 1) * (nm + 1), sizeof *lcs);
			for (i = nk; i-- > 0; ) {
				for (size_t x = nm; x-- > 0; ) {
					uint32_t *c = &lcs[i * (nm + 1) + x];
					uint32_t  a = lcs[(i + 1) * (nm + 1) + x];
					uint32_t  b = lcs[i * (nm + 1) + x + 1];

					if (strcmp(ks[i], ms[x]) == 0)
						*c = lcs[(i + 1) * (nm + 1) +
						    x + 1] + 1;
					else
						*c = a > b ? a : b;
				}
			}
		}
		for (k = m = 0; k < nk || m < nm; lines++) {
			if (k < nk && m < nm && strcmp(ks[k], ms[m]) == 0) {
				k++, m++, lines--;
				continue;
			}
			if (m >= nm || (k < nk && (lcs == NULL ||
			    lcs[(k + 1) * (nm + 1) + m] >=
			    lcs[k * (nm + 1) + m + 1]))) {
				fprintf(f, "DIFF segment %zu kernel %s model -\n",
				    kn[k], ks[k]);
				k++;
			} else {
				fprintf(f, "DIFF segment %zu kernel - model %s\n",
				    mn[m], ms[m]);
				m++;
			}
		}
		trace_sent_free(ks, nk, kn);
		trace_sent_free(ms, nm, mn);
		free(lcs);
	}
	last_states(kj, kst);
	last_states(mj, mst);
	for (int s = 0; s < NSIDES; s++) {
		if (kst[s] == mst[s])
			continue;
		fprintf(f, "DIFF state %s kernel %s model %s\n",
		    side_name((enum side)s), tcp_state_names[kst[s]],
		    tcp_state_names[mst[s]]);
		lines++;
	}
	return lines;
}

/*
 * The view on the kernel engine: the script's calls run first, in real
 * time, and the view shows the kernel's run as it shows a capture's
 * (it happened: it can be stepped through, not changed).  0, or -1 with
 * the reason in err.
 */
static int
open_kernel(struct session *s, const char *path, char *err, size_t errlen)
{
#ifdef HAVE_LINUX_IF_PACKET_H
	struct script	*sc;
	struct journal	 j;
	struct run	 model;
	int		 r;

	if ((sc = script_load(path, err, errlen)) == NULL)
		return -1;
	/* The model first (at once), so that the kernel's run can say
	 * where it parts from it, when it does. */
	if (run_init(&model, sc, err, errlen) == -1) {
		script_free(sc);
		return -1;
	}
	run_all(&model);
	run_end(&model);
	r = kernel_run(sc, run_journal(&model), &j, err, errlen);
	run_free(&model);
	script_free(sc);
	if (r == -1)
		return -1;
	session_open_capture(s, &j, path);
	s->kernel = true;
	return 0;
#else
	(void)s;
	(void)path;
	snprintf(err, errlen, "--engine kernel: the kernel engine is Linux's, "
	    "and this synfin was built without it");
	return -1;
#endif
}

/*
 * synfin run --engine kernel: the script's calls on the kernel's own TCP,
 * its trace with real times, then the model's run of the same calls
 * (linux profile) set beside it, every difference a DIFF line.  RUN_OK
 * when they agree, RUN_FAILED when they differ, RUN_BAD when the kernel
 * engine cannot run here.
 */
static int
run_kernel(struct script *s, enum lang lang, bool narrated)
{
#ifdef HAVE_LINUX_IF_PACKET_H
	struct journal	 kj;
	struct run	 r;
	char		 err[1024];
	int		 diffs;

	/* The model first, at once: narrated, the kernel's run says where
	 * it parts from it as it happens; the DIFF lines follow either way. */
	if (run_init(&r, s, err, sizeof err) == -1) {
		fprintf(stderr, "synfin: %s\n", err);
		return RUN_BAD;
	}
	run_all(&r);
	run_end(&r);
	if (kernel_run(s, narrated ? run_journal(&r) : NULL, &kj, err,
	    sizeof err) == -1) {
		fprintf(stderr, "synfin: kernel engine: %s\n", err);
		run_free(&r);
		return RUN_BAD;
	}
	if (narrated)
		narrate_print(stdout, &kj, lang);
	else
		trace_print(stdout, &kj, 0, kj.nev, lang);
	diffs = print_diffs(stdout, &kj, run_journal(&r));
	run_free(&r);
	journal_free(&kj);
	return diffs > 0 ? RUN_FAILED : RUN_OK;
#else
	(void)s;
	(void)lang;
	(void)narrated;
	fputs("synfin: --engine kernel: the kernel engine is Linux's, and "
	    "this synfin was built without it\n", stderr);
	return RUN_BAD;
#endif
}

static int
cmd_run(int argc, char **argv, enum lang lang, bool narrated)
{
	struct catalog	 cat;
	bool		 loaded = false;
	int		 status = RUN_OK;
	char		 err[1024];

	if (argc == 0) {
		fputs("synfin: run: expected at least one lesson or script "
		    "file\n", stderr);
		return RUN_BAD;
	}
	for (int i = 0; i < argc; i++) {
		struct script	*s;
		struct run	 r;
		enum run_status	 st;
		const char	*path = run_path(&cat, &loaded, argv[i]);

		if (path == NULL) {
			fprintf(stderr, "synfin: no lesson or file named '%s' "
			    "(lessons are in %s)\n", argv[i], cat.dir != NULL ?
			    cat.dir : "no directory found");
			status = RUN_BAD;
			continue;
		}
		if (capture_is(path)) {
			if (run_capture(path, lang, narrated, argc > 1) == -1)
				status = RUN_BAD;
			continue;
		}
		if ((s = script_load(path, err, sizeof err)) == NULL) {
			fprintf(stderr, "synfin: %s\n", err);
			status = RUN_BAD;
			continue;
		}
		if (kernel_engine) {
			if (argc > 1)
				printf("RUN %s\n", argv[i]);
			st = (enum run_status)run_kernel(s, lang, narrated);
			if (st > (enum run_status)status)
				status = (int)st;
			script_free(s);
			continue;
		}
		if (run_init(&r, s, err, sizeof err) == -1) {
			fprintf(stderr, "synfin: %s\n", err);
			script_free(s);
			status = RUN_BAD;
			break;
		}
		if (argc > 1)
			printf("RUN %s\n", argv[i]);
		st = run_all(&r);
		run_end(&r);
		report_failures(&r);
		/* A script that cannot run as written gives no trace. */
		if (st == RUN_BAD)
			fprintf(stderr, "synfin: %s\n", r.err);
		else if (narrated)
			narrate_print(stdout, run_journal(&r), lang);
		else {
			trace_print(stdout, run_journal(&r), 0,
			    run_journal(&r)->nev, lang);
		}
		if (st > (enum run_status)status)
			status = (int)st;
		run_free(&r);
		script_free(s);
	}
	if (loaded)
		catalog_free(&cat);
	fflush(stdout);
	return status;
}

/*
 * The screen needs a UTF-8 locale to lay out Chinese.  Without one, try
 * C.UTF-8; failing that, draw ASCII and speak English.  Returns whether
 * we are down to ASCII.
 */
static bool
screen_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return false;
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return false;
	return true;
}

/*
 * The sandbox on the kernel engine: each key a real call, each real
 * segment held for the learner (the relay's two namespaces).  0, or -1
 * with the reason in err.
 */
static int
open_kernel_sandbox(struct session *s, char *err, size_t errlen)
{
#ifdef HAVE_LINUX_IF_PACKET_H
	const struct live_ops	*ops;
	void			*arg;

	if (kernel_live_open(&ops, &arg, err, errlen) == -1)
		return -1;
	session_open_live(s, ops, arg);
	return 0;
#else
	(void)s;
	snprintf(err, errlen, "--engine kernel: the kernel engine is Linux's, "
	    "and this synfin was built without it");
	return -1;
#endif
}

/*
 * What to show: a script file; else a lesson by name; NULL, the sandbox.
 * The lesson, if it is one, is given to keep the learner's progress.
 */
static int
open_session(struct session *s, const char *arg, struct catalog *cat,
    struct lesson **lesson, char *err, size_t errlen)
{
	const char	*path = arg;

	*lesson = NULL;
	if (arg == NULL && kernel_engine)
		return open_kernel_sandbox(s, err, errlen);
	if (arg == NULL)
		return session_open_sandbox(s, err, errlen);
	if (access(arg, F_OK) == 0 && capture_is(arg)) {
		struct journal	 j;
		char		*list;
		int		 r;

		r = read_capture(arg, &j, &list, &capture_conns, err, errlen);
		free(list);
		if (r == -1)
			return -1;
		session_open_capture(s, &j, arg);
		return 0;
	}
	if (access(arg, F_OK) == 0)
		*lesson = catalog_by_path(cat, arg);
	else if ((*lesson = catalog_lookup(cat, arg)) != NULL)
		path = (*lesson)->path;
	else if (strchr(arg, '/') == NULL) {
		snprintf(err, errlen, "no lesson or file named '%s' (lessons "
		    "are in %s; synfin alone lists them)", arg,
		    cat->dir != NULL ? cat->dir : "no directory found");
		return -1;
	}
	if (kernel_engine)
		return open_kernel(s, path, err, errlen);
	return session_open_file(s, path, err, errlen);
}

/* The cast export: the view played into curses in memory (cast.c). */
static int
export_cast(struct session *s, const char *path, enum lang lang, bool ascii,
    int w, int h, double speed, char *err, size_t errlen)
{
	struct export_file	 x;
	struct ui		 ui;
	const char		*nc = getenv("NO_COLOR");
	FILE			*f;
	int			 r;

	if ((f = export_open(path, &x, err, errlen)) == NULL)
		return -1;
	screen_locale();
	ui_init(&ui, s, lang, ascii);
	r = cast_write(&ui, f, w, h, speed, nc == NULL || *nc == '\0', err,
	    errlen);
	ui_free(&ui);
	if (r == -1) {
		fclose(f);
		remove(x.part);
		return -1;
	}
	return export_close(f, &x, err, errlen);
}

/*
 * synfin export FILE|NAME --pcap OUT --ladder OUT --narration OUT: files
 * other tools read, of the run a script makes.
 */
static int
cmd_export(int argc, char **argv, enum lang lang)
{
	const char	*pcap = NULL, *ladder = NULL, *narration = NULL;
	const char	*cast = NULL, *arg = NULL;
	struct catalog	 cat;
	struct session	 s;
	struct lesson	*lesson;
	bool		 ascii = false, dropped = true;
	int		 width = 80, status = 0, cw = 80, ch = 24;
	double		 speed = 1;
	char		 err[1024];

	for (int i = 0; i < argc; i++) {
		const char	*a = argv[i];
		bool		 more = i + 1 < argc;

		if (strcmp(a, "--pcap") == 0 && more)
			pcap = argv[++i];
		else if (strcmp(a, "--ladder") == 0 && more)
			ladder = argv[++i];
		else if (strcmp(a, "--narration") == 0 && more)
			narration = argv[++i];
		else if (strcmp(a, "--cast") == 0 && more)
			cast = argv[++i];
		else if (strcmp(a, "--size") == 0 && more &&
		    sscanf(argv[i + 1], "%dx%d", &cw, &ch) == 2 &&
		    cw >= 60 && ch >= 16 && cw <= 500 && ch <= 200)
			i++;
		else if (strcmp(a, "--speed") == 0 && more &&
		    (speed = atof(argv[i + 1])) >= 0.25 && speed <= 16)
			i++;
		else if (strcmp(a, "--lang") == 0 && more &&
		    lang_parse(argv[i + 1], &lang) == 0)
			i++;
		else if (strcmp(a, "--width") == 0 && more &&
		    (width = atoi(argv[i + 1])) >= 60 && width <= 1000)
			i++;
		else if (strcmp(a, "--ascii") == 0)
			ascii = true;
		else if (strcmp(a, "--no-dropped") == 0)
			dropped = false;
		else if (a[0] != '-' && arg == NULL)
			arg = a;
		else {
			fprintf(stderr, "synfin: export: expected a lesson or "
			    "file, --pcap OUT, --ladder OUT, --narration OUT, "
			    "--cast OUT, --lang zh|en, --ascii, --width 60-1000, "
			    "--size WxH (from 60x16), --speed 0.25-16 or "
			    "--no-dropped, found '%s'\n", a);
			return 2;
		}
	}
	if (arg == NULL || (pcap == NULL && ladder == NULL &&
	    narration == NULL && cast == NULL)) {
		fputs("synfin: export: expected a lesson or file and at least "
		    "one of --pcap, --ladder, --narration, --cast\n", stderr);
		return 2;
	}
	load_catalog(&cat);
	if (open_session(&s, arg, &cat, &lesson, err, sizeof err) == -1) {
		fprintf(stderr, "synfin: %s\n", err);
		catalog_free(&cat);
		return 2;
	}
	session_complete(&s);
	if (s.error != NULL)
		fprintf(stderr, "synfin: %s\n", s.error);
	if ((pcap != NULL && export_pcap(session_journal(&s), pcap, dropped,
	    err, sizeof err) == -1) ||
	    (ladder != NULL && export_ladder(&s, ladder, lang, ascii, width,
	    err, sizeof err) == -1) ||
	    (narration != NULL && export_narration(&s, narration, lang, err,
	    sizeof err) == -1) ||
	    (cast != NULL && export_cast(&s, cast, lang, ascii, cw, ch, speed,
	    err, sizeof err) == -1)) {
		fprintf(stderr, "synfin: export: %s\n", err);
		status = 2;
	}
	session_close(&s);
	catalog_free(&cat);
	return status;
}

/*
 * The view on the menu, or on a lesson, file or (arg NULL) the sandbox
 * with the catalog kept for progress: 0, or -1 with the error said.
 */
static int
setup_view(struct ui *ui, struct session *s, struct catalog *cat,
    const char *arg, bool menu, enum lang lang)
{
	struct lesson	*lesson;
	char		 err[1024];

	load_catalog(cat);
	if (menu) {
		ui_init_menu(ui, cat, lang, screen_locale());
		return 0;
	}
	if (open_session(s, arg, cat, &lesson, err, sizeof err) == -1) {
		fprintf(stderr, "synfin: %s\n", err);
		catalog_free(cat);
		return -1;
	}
	ui_init(ui, s, lang, screen_locale());
	ui_set_lesson(ui, cat, lesson);
	/* A capture of several connections: which one this is. */
	if (s->capture && capture_conns > 1) {
		snprintf(ui->msg, sizeof ui->msg, lang == LANG_EN ?
		    "Connection %d of %d in this capture (--conn N shows "
		    "another)." : "这是抓包中 %d 条连接里的第 %d 条（用 --conn N "
		    "查看别的）。", lang == LANG_EN ? capture_conn :
		    capture_conns, lang == LANG_EN ? capture_conns :
		    capture_conn);
		ui->msg_style = ST_HILITE;
	}
	return 0;
}

static void
teardown_view(struct ui *ui, struct session *s, struct catalog *cat)
{
	bool	 menu = ui->course.menu;	/* else the session is ours */

	ui_free(ui);
	if (!menu)
		session_close(s);
	catalog_free(cat);
}

/* The interactive view: synfin, synfin NAME|FILE, synfin --sandbox. */
static int
cmd_view(const char *arg, bool sandbox, enum lang lang)
{
	struct catalog	 cat;
	struct session	 s;
	struct ui	 ui;
	const char	*nc = getenv("NO_COLOR");
	char		 err[1024];
	int		 status;

	if (recording != NULL && arg == NULL && !sandbox) {
		fputs("synfin: --record: expected a lesson, a file or "
		    "--sandbox to record\n", stderr);
		return 2;
	}
	if (setup_view(&ui, &s, &cat, arg, arg == NULL && !sandbox, lang) == -1)
		return 2;
	ui.present = presenting;
	ui.save = save_recording;
	status = loop_run(&ui, nc == NULL || *nc == '\0', err, sizeof err);
	teardown_view(&ui, &s, &cat);
	if (status == -1) {
		fprintf(stderr, "synfin: %s\n", err);
		return 2;
	}
	return status;
}

/*
 * synfin frames: the view without a terminal.  Each KEY is pressed in
 * turn and its animation run to its end; "dump" prints the screen,
 * "size=WxH" resizes, "click=Y" clicks row Y.
 */
static int
cmd_frames(int argc, char **argv, enum lang lang)
{
	struct catalog	 cat;
	struct session	 s;
	struct ui	 ui;
	struct canvas	 cv;
	const char	*path = NULL;
	int		 w = 80, h = 24, i = 0, frame = 0;
	bool		 sandbox = false, menu = false;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--sandbox") == 0)
			sandbox = true;
		else if (strcmp(argv[i], "--menu") == 0)
			menu = true;
		else if (strcmp(argv[i], "--present") == 0)
			presenting = true;
		else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
			recording = argv[++i];
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc &&
		    sscanf(argv[i + 1], "%dx%d", &w, &h) == 2 && w > 0 &&
		    h > 0 && w <= 1000 && h <= 1000)
			i++;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc &&
		    lang_parse(argv[i + 1], &lang) == 0)
			i++;
		else {
			fprintf(stderr, "synfin: frames: expected --sandbox, "
			    "--menu, --present, --size WxH or --lang zh|en, "
			    "found '%s'\n",
			    argv[i]);
			return 2;
		}
	}
	if (!sandbox && !menu) {
		if (i >= argc) {
			fputs("synfin: frames: expected a lesson, a script "
			    "file, --sandbox or --menu\n", stderr);
			return 2;
		}
		path = argv[i++];
	}
	if (recording != NULL && menu) {
		fputs("synfin: --record: expected a lesson, a file or "
		    "--sandbox to record\n", stderr);
		return 2;
	}
	if (setup_view(&ui, &s, &cat, path, menu, lang) == -1)
		return 2;
	ui.present = presenting;
	ui.save = save_recording;
	canvas_init(&cv, w, h);
	cv.ascii = ui.ascii;
	for (; i < argc; i++) {
		const char	*k = argv[i];
		int		 key = -1, y;

		if (strcmp(k, "dump") == 0) {
			char	*text;

			ui_draw(&ui, &cv);
			text = canvas_dump(&cv);
			printf("=== frame %d\n%s", ++frame, text);
			free(text);
			continue;
		}
		if (sscanf(k, "size=%dx%d", &w, &h) == 2 && w > 0 && h > 0 &&
		    w <= 1000 && h <= 1000) {
			canvas_free(&cv);
			canvas_init(&cv, w, h);
			cv.ascii = ui.ascii;
			continue;
		}
		if (sscanf(k, "click=%d", &y) == 1) {
			ui_draw(&ui, &cv);
			ui_click(&ui, y, 0);
			continue;
		}
		if ((key = key_parse(k)) == -1) {
			fprintf(stderr, "synfin: frames: expected a key, dump, "
			    "size=WxH or click=Y, found '%s'\n", k);
			break;
		}
		if (ui_key(&ui, key) == UI_QUIT)
			break;
		ui_finish(&ui);
	}
	canvas_free(&cv);
	teardown_view(&ui, &s, &cat);
	fflush(stdout);
	return i < argc && strcmp(argv[i], "q") != 0 ? 2 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "lang", required_argument, NULL, 'l' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "narrate", no_argument, NULL, 'n' },
		{ "present", no_argument, NULL, 'p' },
		{ "record", required_argument, NULL, 'r' },
		{ "conn", required_argument, NULL, 'c' },
		{ "engine", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	enum lang	 lang = lang_from_env();
	bool		 sandbox = false, narrated = false;
	int		 ch;

	xalloc_init();
	argv0 = argv[0];
	/* A reader that goes away (synfin run | head) is not an error. */
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("synfin %s\n", PACKAGE_VERSION);
			return 0;
		case 'l':
			if (lang_parse(optarg, &lang) == -1) {
				fprintf(stderr, "synfin: --lang: expected zh or "
				    "en, found '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			sandbox = true;
			break;
		case 'n':
			narrated = true;
			break;
		case 'p':
			presenting = true;
			break;
		case 'r':
			recording = optarg;
			break;
		case 'e':
			if (strcmp(optarg, "kernel") != 0 &&
			    strcmp(optarg, "model") != 0) {
				fprintf(stderr, "synfin: --engine: expected "
				    "kernel or model, found '%s'\n", optarg);
				return 2;
			}
			kernel_engine = strcmp(optarg, "kernel") == 0;
			break;
		case 'c':
			if ((capture_conn = atoi(optarg)) < 1) {
				fprintf(stderr, "synfin: --conn: expected a "
				    "connection's number from 1, found '%s'\n",
				    optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "synfin: unknown option '%s'\n",
			    argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "run") == 0) {
		/* Options may also follow the command word. */
		optind = 1;
		while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
			if (ch == 'n') {
				narrated = true;
				continue;
			}
			if (ch == 'c' && (capture_conn = atoi(optarg)) >= 1)
				continue;
			if (ch == 'e' && (strcmp(optarg, "kernel") == 0 ||
			    strcmp(optarg, "model") == 0)) {
				kernel_engine = strcmp(optarg, "kernel") == 0;
				continue;
			}
			if (ch != 'l' || lang_parse(optarg, &lang) == -1) {
				fprintf(stderr, "synfin: run: expected --lang "
				    "zh|en, --narrate, --engine kernel|model or "
				    "script files\n");
				return 2;
			}
		}
		return cmd_run(argc - optind, argv + optind, lang, narrated);
	}
	if (argc > 0 && strcmp(argv[0], "export") == 0)
		return cmd_export(argc - 1, argv + 1, lang);
	if (argc > 0 && strcmp(argv[0], "frames") == 0)
		return cmd_frames(argc - 1, argv + 1, lang);
	if (argc <= 1 && !(sandbox && argc == 1))
		return cmd_view(argc == 1 ? argv[0] : NULL, sandbox, lang);
	fprintf(stderr, "synfin: expected one lesson or file, found %d "
	    "arguments\n", argc);
	usage(stderr);
	return 2;
}
