/*
 * synfin: watch a TCP connection open and close.
 *
 * This file holds main and the command line (DESIGN section 4).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "script.h"
#include "trace.h"

static void
usage(FILE *f)
{
	fputs(
"usage: synfin [--lang zh|en] [NAME|FILE]\n"
"       synfin run [--lang zh|en] FILE...\n"
"       synfin --help | --version\n"
"\n"
"synfin shows how a TCP connection opens and closes: a client, a server,\n"
"their states, and every segment between them.\n"
"\n"
"  run FILE...     run scripts without a screen and print the trace;\n"
"                  exit 0 if every expect held, 1 if one failed,\n"
"                  2 if a file is bad\n"
"  --lang zh|en    the language of narration and messages\n"
"  --help          this text\n"
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

/* Each expectation that failed, where it is in the script. */
static void
report_failures(const struct run *r)
{
	for (size_t i = 0; i < r->sim.journal.nev; i++) {
		const struct jevent	*e = &r->sim.journal.ev[i];

		if (e->type == JE_EXPECT && !e->u.expect.ok)
			fprintf(stderr, "%s:%d:%d: expectation failed: %s\n",
			    r->script->path, e->u.expect.line, e->u.expect.col,
			    e->text);
	}
}

/* synfin run FILE...: the trace of each, to stdout. */
static int
cmd_run(int argc, char **argv, enum lang lang)
{
	int	 status = RUN_OK;
	char	 err[1024];

	if (argc == 0) {
		fputs("synfin run: expected at least one script file\n", stderr);
		return RUN_BAD;
	}
	for (int i = 0; i < argc; i++) {
		struct script	*s;
		struct run	 r;
		enum run_status	 st;

		if ((s = script_load(argv[i], err, sizeof err)) == NULL) {
			fprintf(stderr, "%s\n", err);
			status = RUN_BAD;
			continue;
		}
		if (run_init(&r, s, err, sizeof err) == -1) {
			fprintf(stderr, "synfin: the loopback socket pair: %s\n",
			    err);
			script_free(s);
			return RUN_BAD;
		}
		if (argc > 1)
			printf("RUN %s\n", argv[i]);
		st = run_all(&r);
		report_failures(&r);
		/* A script that cannot run as written gives no trace. */
		if (st == RUN_BAD)
			fprintf(stderr, "%s\n", r.err);
		else {
			trace_print(stdout, &r.sim.journal, 0,
			    r.sim.journal.nev, lang);
			trace_pending(stdout, &r.sim);
		}
		if (st > (enum run_status)status)
			status = (int)st;
		run_free(&r);
		script_free(s);
	}
	fflush(stdout);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	enum lang	 lang = lang_from_env();
	int		 ch;

	/* A reader that goes away (synfin run | head) is not an error. */
	signal(SIGPIPE, SIG_IGN);
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
		default:
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
			if (ch != 'l' || lang_parse(optarg, &lang) == -1) {
				fprintf(stderr, "synfin run: expected --lang zh|en "
				    "or script files\n");
				return 2;
			}
		}
		return cmd_run(argc - optind, argv + optind, lang);
	}
	usage(argc == 0 ? stdout : stderr);
	if (argc == 0)
		return 0;
	fprintf(stderr, "synfin: the interactive view is not built yet; "
	    "try synfin run %s\n", argv[0]);
	return 2;
}
