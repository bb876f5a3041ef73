/*
 * Fuzz target: the view, driven by any sequence of keys, resizes, clicks
 * and time passing, as a learner (or a cat on the keyboard) would: on a
 * lesson with questions, pauses and a drop, in the sandbox, or in the
 * lesson menu.  Every frame is drawn, at every size; nothing may crash,
 * leak or hang, and the dump of a frame has as many lines as the screen.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "fuzz.h"
#include "ui.h"

#define MAX_OPS		400	/* a longer input is cut: no hang */

static const char lesson[] =
    "title en \"Fuzz\"\ntitle zh \"模糊\"\ngroup opening 1\n"
    "set latency 10ms\nserver listen\nclient connect\npause\n"
    "say en \"The SYN has gone.\"\nsay zh \"SYN 已发出。\"\n"
    "ask en \"Next?\" choices A B C answer B why \"Because.\"\n"
    "ask zh \"下一个？\" choices 甲 乙 丙 answer 乙 why \"因为。\"\n"
    "wait idle\nserver accept\nclient send 100\nserver read\n"
    "drop next s2c F\nserver close\nwait 300ms\nclient close\n"
    "expect client TIME_WAIT\n";

/* Every key the table binds, and some it does not. */
static int	 keyset[128];
static int	 nkeys;
static char	 dir[] = "/tmp/synfin-fuzz-view.XXXXXX";
static char	 lessons[256];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 path[300];
	FILE	*f;

	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	for (size_t i = 0; i < nbindings; i++) {
		for (size_t k = 0; k < 9 && bindings[i].keys[k] != 0 &&
		    nkeys < 120; k++)
			keyset[nkeys++] = bindings[i].keys[k];
	}
	keyset[nkeys++] = 'Z';
	keyset[nkeys++] = 0x7f;
	keyset[nkeys++] = 0x4e2d;	/* 中 */
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(lessons, sizeof lessons, "%s/lessons", dir);
	mkdir(lessons, 0700);
	snprintf(path, sizeof path, "%s/fuzz.syn", lessons);
	FUZZ_CHECK((f = fopen(path, "w")) != NULL);
	fputs(lesson, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/other.syn", lessons);
	FUZZ_CHECK((f = fopen(path, "w")) != NULL);
	fputs("title en \"Other\"\ngroup closing\nserver listen\n", f);
	fclose(f);
	return 0;
}

/* Draw a frame; its dump has a line a row. */
static void
frame(struct ui *ui, struct canvas *cv)
{
	char	*text;
	int	 lines = 0;

	ui_draw(ui, cv);
	text = canvas_dump(cv);
	for (const char *p = text; *p != '\0'; p++)
		lines += *p == '\n';
	FUZZ_CHECK(lines == cv->h);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session	 s;
	struct catalog	 cat;
	struct ui	 ui;
	struct canvas	 cv;
	struct script	*sc;
	char		 err[512], state[300];
	int		 mode;
	size_t		 i = 1, ops = 0;

	if (size == 0)
		return 0;
	mode = data[0] % 3;
	memset(&cat, 0, sizeof cat);
	if (mode == 0) {
		sc = script_parse("fuzz.syn", lesson, sizeof lesson - 1, err,
		    sizeof err);
		FUZZ_CHECK(sc != NULL);
		if (session_open(&s, sc, err, sizeof err) == -1)
			return 0;
		ui_init(&ui, &s, (data[0] / 3) % 2 ? LANG_ZH : LANG_EN, false);
	} else if (mode == 1) {
		if (session_open_sandbox(&s, err, sizeof err) == -1)
			return 0;
		ui_init(&ui, &s, LANG_EN, false);
	} else {
		snprintf(state, sizeof state, "%s/progress", dir);
		unlink(state);
		catalog_load(&cat, lessons, state);
		ui_init_menu(&ui, &cat, LANG_EN, false);
	}
	canvas_init(&cv, 80, 24);
	for (; i < size && ops < MAX_OPS; ops++) {
		uint8_t	 op = data[i++], arg = i < size ? data[i] : 0;

		switch (op % 8) {
		case 0: case 1: case 2: case 3:
			if (ui_key(&ui, keyset[op % nkeys]) == UI_QUIT)
				goto out;
			break;
		case 4:		/* a resize, small sizes included */
			i++;
			canvas_free(&cv);
			canvas_init(&cv, 1 + arg % 200, 1 + (op / 8) % 70);
			break;
		case 5:		/* a click */
			i++;
			ui_click(&ui, arg % (cv.h + 2) - 1, arg / 2 % cv.w);
			break;
		case 6:		/* time passes */
			i++;
			ui_advance(&ui, arg / 16.0);
			break;
		default:	/* the animation to its end */
			ui_finish(&ui);
			break;
		}
		frame(&ui, &cv);
	}
out:
	canvas_free(&cv);
	ui_free(&ui);
	if (mode != 2)
		session_close(&s);
	else
		catalog_free(&cat);
	return 0;
}
