/* The session (session.h): the timeline the view steps through. */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "util.h"

#define NONE	SIZE_MAX
#define NOEV	UINT32_MAX	/* no such event, in the segment index */

static void
evlist_add(struct evlist *l, size_t ev, bool aux, uint32_t v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ev = xreallocarray(l->ev, l->cap, sizeof *l->ev);
		if (aux)
			l->aux = xreallocarray(l->aux, l->cap, sizeof *l->aux);
	}
	l->ev[l->n] = (uint32_t)ev;
	if (aux)
		l->aux[l->n] = v;
	l->n++;
}

static void
evlist_free(struct evlist *l)
{
	free(l->ev);
	free(l->aux);
	memset(l, 0, sizeof *l);
}

/* How many of the list's events come before event end. */
static size_t
evlist_before(const struct evlist *l, size_t end)
{
	size_t	 lo = 0, hi = l->n;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (l->ev[mid] < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
free_indexes(struct session *s)
{
	for (int i = 0; i < NSIDES; i++) {
		evlist_free(&s->states[i]);
		for (int k = 0; k < TCP_NTIMERS; k++)
			evlist_free(&s->timers[i][k]);
	}
	evlist_free(&s->appear);
	evlist_free(&s->ignored);
	evlist_free(&s->asks);
}

static void
free_marks(struct session *s, size_t from)
{
	for (size_t i = from; i < s->nmarks; i++)
		run_mark_free(&s->marks[i]);
	s->nmarks = from;
}

static void
free_run(struct session *s)
{
	if (s->have_run)
		run_free(&s->run);
	if (s->capture)
		journal_free(&s->run.sim.journal);
	s->have_run = false;
	free_marks(s, 0);
	free(s->marks);
	s->marks = NULL;
	s->markcap = 0;
	free_indexes(s);
	free(s->step_first);
	free(s->seg_sent);
	free(s->seg_end);
	free(s->seg_copy_end);
	s->step_first = NULL;
	s->seg_sent = s->seg_end = s->seg_copy_end = NULL;
	s->nsteps = s->ncut = s->stepcap = s->cut = s->indexed = 0;
	s->nseg = s->segcap = 0;
	s->same = s->rows = 0;
}

static int	rebuild(struct session *, char *, size_t);
static void	index_timeline(struct session *);
static void	cut_steps(struct session *);

/*
 * Show a script, which the session owns from now on: 0, or -1 with the
 * reason in err and everything freed.
 */
int
session_open(struct session *s, struct script *script, char *err,
    size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->script = script;
	s->mark_every = SESSION_MARK_EVERY;
	if (rebuild(s, err, errlen) == -1) {
		session_close(s);
		return -1;
	}
	session_need(s, SESSION_FIRST);
	return 0;
}

/* A lesson or script file: 0, or -1 with the reason in err. */
int
session_open_file(struct session *s, const char *path, char *err,
    size_t errlen)
{
	struct script	*sc;

	memset(s, 0, sizeof *s);
	if ((sc = script_load(path, err, errlen)) == NULL)
		return -1;
	return session_open(s, sc, err, errlen);
}

/*
 * A capture of real traffic, as a journal made from its packets (the
 * export layer reads the file): the session owns the journal from now
 * on.  Nothing runs: the timeline is the capture, and cannot be changed.
 */
void
session_open_capture(struct session *s, struct journal *j, const char *path)
{
	memset(s, 0, sizeof *s);
	s->script = script_new(path);
	s->capture = true;
	s->run.sim.journal = *j;
	memset(j, 0, sizeof *j);
	s->mark_every = SESSION_MARK_EVERY;
	s->phase = PHASE_DONE;
	index_timeline(s);
	cut_steps(s);
	s->same = s->rows = 0;
}

int
session_open_sandbox(struct session *s, char *err, size_t errlen)
{
	if (session_open(s, script_new("sandbox"), err, errlen) == -1)
		return -1;
	s->sandbox = true;
	return 0;
}

/*
 * The sandbox on a live engine (the kernel's): the learner's calls are
 * made as the keys are pressed, each segment waits for a step or a fate,
 * and the timeline is the journal as far as it has come.  It cannot be
 * rewound: what the kernel did, it did.
 */
void
session_open_live(struct session *s, const struct live_ops *ops, void *arg)
{
	memset(s, 0, sizeof *s);
	s->script = script_new("sandbox");
	s->sandbox = true;
	s->kernel = true;
	s->live = ops;
	s->live_arg = arg;
	s->live_j = ops->journal(arg);
	s->mark_every = SESSION_MARK_EVERY;
	s->phase = PHASE_DONE;
	index_timeline(s);
	cut_steps(s);
	s->same = s->rows = 0;
}

/* Live: a fate given, kept for a recording (it cannot be taken back). */
static void
live_fate(struct session *s, int seg, enum rule_kind kind)
{
	s->iv = xreallocarray(s->iv, s->niv + 1, sizeof *s->iv);
	s->iv[s->niv].seg = seg;
	s->iv[s->niv].kind = kind;
	s->niv++;
}

/* The engine failed: it is stopped, and the reason kept. */
static int
live_failed(struct session *s, const char *err)
{
	static char	 why[512];

	snprintf(why, sizeof why, "%s", err);
	s->error = why;
	s->live_dead = true;
	return -1;
}

/*
 * Take in what the live engine did since last asked: 1 if the timeline
 * grew (the last step may have grown too: the view makes it again), 0 if
 * not, -1 if the engine failed.
 */
int
session_live_poll(struct session *s, char *err, size_t errlen)
{
	const struct journal	*j = s->live_j;
	size_t			 ncut = s->ncut, cut = s->cut;

	if (s->live_dead) {
		snprintf(err, errlen, "%s", s->error);
		return -1;
	}
	if (s->live->poll(s->live_arg, err, errlen) == -1)
		return live_failed(s, err);
	/* A fate asked for the next segment: it has come. */
	if (s->pending && j->nsegs > s->pending_from) {
		s->pending = false;
		/* Not held any more (let go already): nothing to do. */
		switch (s->live->let_go(s->live_arg, (int)s->pending_from,
		    (int)s->pending_kind, err, errlen)) {
		case -1:
			return live_failed(s, err);
		case 0:
			live_fate(s, (int)s->pending_from, s->pending_kind);
			break;
		}
	}
	if (j->nev == cut)
		return 0;
	index_timeline(s);
	cut_steps(s);
	if (ncut > 0 && (s->ncut == ncut || s->step_first[ncut] > cut)) {
		if (s->same > ncut - 1)
			s->same = ncut - 1;
		if (s->rows > ncut - 1)
			s->rows = ncut - 1;
	}
	return 1;
}

/* Live: the segment held longest goes on: 1, or 0 if none is held. */
int
session_live_step(struct session *s, char *err, size_t errlen)
{
	int	 seg = s->live_dead ? -1 : s->live->first_held(s->live_arg);

	if (seg == -1)
		return 0;
	if (s->live->let_go(s->live_arg, seg, -1, err, errlen) != 0)
		return live_failed(s, err);
	return session_live_poll(s, err, errlen) == -1 ? -1 : 1;
}

/* Live: the segment held longest, or -1. */
int
session_live_held(const struct session *s)
{
	return s->live == NULL || s->live_dead ? -1 :
	    s->live->first_held(s->live_arg);
}

/*
 * Live: every segment held from now on (as it opens), or none: those
 * held go on, and what is sent travels for the latency alone.
 */
int
session_live_hold(struct session *s, bool on, char *err, size_t errlen)
{
	if (s->live_dead) {
		snprintf(err, errlen, "%s", s->error);
		return -1;
	}
	if (s->live->hold(s->live_arg, on, err, errlen) == -1)
		return live_failed(s, err);
	s->live_free = !on;
	return session_live_poll(s, err, errlen);
}

/* Live: every segment held goes on, oldest first: how many. */
int
session_live_release(struct session *s, char *err, size_t errlen)
{
	int	 n = 0, r;

	while ((r = session_live_step(s, err, errlen)) == 1)
		n++;
	return r == -1 ? -1 : n;
}

void
session_close(struct session *s)
{
	if (s->live != NULL)
		s->live->close(s->live_arg);
	free_run(s);
	if (s->script != NULL)
		script_free(s->script);
	free(s->iv);
	memset(s, 0, sizeof *s);
}

const struct journal *
session_journal(const struct session *s)
{
	if (s->live_j != NULL)
		return s->live_j;
	return run_journal(&s->run);
}

/*
 * Whether event i begins a step.  A step is one thing happening with all
 * it causes at that instant: a call, an arrival, a timer firing, a
 * segment made by the script, a question, a line of narration (one per
 * language, so consecutive lines go together).
 */
static bool
starts_step(const struct journal *j, size_t i, vtime_t t)
{
	const struct jevent	*e = &j->ev[i], *prev;

	if (i == 0 || e->t != t)
		return true;
	prev = &j->ev[i - 1];
	switch (e->type) {
	case JE_CALL:
		return true;
	case JE_TIMER:
		return TA_IS_FIRED(e->x.timer.action);
	case JE_SEG:
		return e->u.seg.fate != FATE_SENT ||
		    j->segs[e->u.seg.id].injected;
	case JE_SAY:
	case JE_ASK:
		return prev->type != e->type;
	default:
		return false;
	}
}

/* Cut the events not yet cut into steps. */
static void
cut_steps(struct session *s)
{
	const struct journal	*j = session_journal(s);

	for (size_t i = s->cut; i < j->nev; i++) {
		vtime_t	 t = s->ncut ? j->ev[s->step_first[s->ncut - 1]].t : 0;

		if (s->ncut == 0 || starts_step(j, i, t)) {
			if (s->ncut == s->stepcap) {
				s->stepcap = s->stepcap ? s->stepcap * 2 : 64;
				s->step_first = xreallocarray(s->step_first,
				    s->stepcap, sizeof *s->step_first);
			}
			s->step_first[s->ncut++] = (uint32_t)i;
		}
	}
	s->cut = j->nev;
	/* The last step may grow while the run goes on. */
	s->nsteps = s->phase == PHASE_DONE || s->ncut == 0 ? s->ncut :
	    s->ncut - 1;
}

/* Where the step cut k (from 0) ends: where the next begins. */
static size_t
step_end(const struct session *s, size_t k)
{
	return k + 1 < s->ncut ? s->step_first[k + 1] : s->cut;
}

/* The step (from 0) of the steps cut that holds event ev; ncut if none. */
static size_t
cut_step_of(const struct session *s, size_t ev)
{
	size_t	 lo = 0, hi = s->ncut;

	if (ev >= s->cut)
		return s->ncut;
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (step_end(s, mid) <= ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A segment's event: where it was sent, came to an end, first showed. */
static void
index_seg(struct session *s, size_t i, const struct jevent *e)
{
	uint32_t	*slot;
	int		 id = e->u.seg.id;

	if (s->seg_sent[id] == NOEV && s->seg_end[id] == NOEV &&
	    s->seg_copy_end[id] == NOEV) {
		uint32_t	 top = s->appear.n > 0 ?
				     s->appear.aux[s->appear.n - 1] : 0;

		if (s->appear.n == 0 || (uint32_t)id > top)
			top = (uint32_t)id;
		evlist_add(&s->appear, i, true, top);
	}
	switch (e->u.seg.fate) {
	case FATE_SENT:
		slot = &s->seg_sent[id];
		break;
	case FATE_IGNORED:
		evlist_add(&s->ignored, i, false, 0);
		slot = &s->seg_end[id];
		break;
	case FATE_DUPLICATED:
		slot = &s->seg_copy_end[id];
		/* The ladder gives a copy a row where it was sent, which
		 * may be in a step the view has made its rows for. */
		if (s->seg_sent[id] != NOEV && *slot == NOEV) {
			size_t	 k = cut_step_of(s, s->seg_sent[id]);

			if (k < s->rows)
				s->rows = k;
		}
		break;
	default:
		slot = &s->seg_end[id];
		break;
	}
	if (*slot == NOEV)
		*slot = (uint32_t)i;
}

/*
 * Index the events not yet indexed: where each segment was sent and came
 * to an end; each side's state changes and timers.
 */
static void
index_timeline(struct session *s)
{
	const struct journal	*j = session_journal(s);

	if (j->nsegs > s->segcap) {
		s->segcap = j->nsegs * 2;
		s->seg_sent = xreallocarray(s->seg_sent, s->segcap,
		    sizeof *s->seg_sent);
		s->seg_end = xreallocarray(s->seg_end, s->segcap,
		    sizeof *s->seg_end);
		s->seg_copy_end = xreallocarray(s->seg_copy_end, s->segcap,
		    sizeof *s->seg_copy_end);
	}
	for (; s->nseg < j->nsegs; s->nseg++)
		s->seg_sent[s->nseg] = s->seg_end[s->nseg] =
		    s->seg_copy_end[s->nseg] = NOEV;
	for (size_t i = s->indexed; i < j->nev; i++) {
		const struct jevent	*e = &j->ev[i];
		struct evlist		*l;
		uint32_t		 retries;

		switch (e->type) {
		case JE_SEG:
			index_seg(s, i, e);
			break;
		case JE_STATE:
			evlist_add(&s->states[e->side], i, false, 0);
			break;
		case JE_TIMER:
			if (e->side == SIDE_NONE ||
			    e->x.timer.action == TA_PENDING)
				break;
			l = &s->timers[e->side][e->x.timer.kind];
			if (e->x.timer.kind != TT_RTX) {
				evlist_add(l, i, false, 0);
				break;
			}
			retries = l->n > 0 ? l->aux[l->n - 1] : 0;
			if (e->x.timer.action == TA_FIRED)
				retries++;
			else if (e->x.timer.action == TA_CANCELLED ||
			    e->x.timer.action == TA_CLEARED)
				retries = 0;
			evlist_add(l, i, true, retries);
			break;
		case JE_ASK:
			evlist_add(&s->asks, i, false, 0);
			break;
		default:
			break;
		}
	}
	s->indexed = j->nev;
}

static const vtime_t rule_extra[] = {
	[RULE_DROP] = 0,
	[RULE_DUP] = SESSION_DUP_LAG,
	[RULE_DELAY] = SESSION_DELAY,
	[RULE_REORDER] = 0,
	[RULE_HOLD] = 0,
};

/* The learner's fates for segments not yet sent go on the link. */
static void
apply_fates(struct session *s, size_t from_seg)
{
	for (size_t i = 0; i < s->niv; i++) {
		if ((size_t)s->iv[i].seg >= from_seg)
			link_add_seg_rule(&s->run.sim.link, s->iv[i].kind,
			    s->iv[i].seg, rule_extra[s->iv[i].kind]);
	}
}

/* The script again from the start, with the learner's changes. */
static int
rebuild(struct session *s, char *err, size_t errlen)
{
	free_run(s);
	s->error = NULL;
	if (run_init(&s->run, s->script, err, errlen) == -1)
		return -1;
	s->have_run = true;
	s->phase = PHASE_SCRIPT;
	s->kept = 0;
	apply_fates(s, 0);
	return 0;
}

/*
 * The timeline anew from the start with the learner's changes, no
 * checkpoint used: what a change from a checkpoint must come to.
 */
int
session_rebuild(struct session *s, char *err, size_t errlen)
{
	return rebuild(s, err, errlen);
}

/*
 * One piece of the run: a command (after a checkpoint, now and then),
 * the wait for the connection to be quiet, or a timer or arrival after
 * the script's end, while timers are set (a TIME_WAIT to expire, a
 * retransmission to give up) so the learner can watch them.
 */
static void
advance(struct session *s)
{
	struct run	*r = &s->run;
	struct sim	*sim = &r->sim;

	switch (s->phase) {
	case PHASE_SCRIPT:
		if (!r->bad && sim->journal.nev - (s->nmarks > 0 ?
		    s->marks[s->nmarks - 1].sim.journal.nev : 0) >=
		    s->mark_every) {
			if (s->nmarks == s->markcap) {
				s->markcap = s->markcap ? s->markcap * 2 : 16;
				s->marks = xreallocarray(s->marks, s->markcap,
				    sizeof *s->marks);
			}
			run_mark(r, &s->marks[s->nmarks++]);
		}
		if (!run_command(r))
			s->phase = PHASE_FINISH;
		break;
	case PHASE_FINISH:
		run_finish(r);
		if (r->bad) {
			s->error = r->err;
			s->phase = PHASE_DONE;
		} else {
			s->phase = PHASE_ON;
			s->horizon = sim->clock.now + SESSION_HORIZON;
		}
		break;
	case PHASE_ON:
		if (sim->clock.head == NULL || sim->events > r->events_max ||
		    !sim_step(sim, s->horizon)) {
			s->phase = PHASE_DONE;
			sim_flush(sim);
			if (sim->failure[0] != '\0')
				s->error = sim->failure;
		}
		break;
	case PHASE_DONE:
		break;
	}
	index_timeline(s);
	cut_steps(s);
}

/* Whether the whole timeline is known. */
bool
session_done(const struct session *s)
{
	return s->phase == PHASE_DONE;
}

/* Work the timeline out to at least k steps, or to its end. */
void
session_need(struct session *s, size_t k)
{
	while (s->have_run && s->phase != PHASE_DONE && s->nsteps < k)
		advance(s);
}

/* About n steps more; returns whether any are left to work out after. */
bool
session_more(struct session *s, size_t n)
{
	session_need(s, s->nsteps + n);
	return s->have_run && s->phase != PHASE_DONE;
}

/* The whole timeline. */
void
session_complete(struct session *s)
{
	while (s->have_run && s->phase != PHASE_DONE)
		advance(s);
}

/*
 * What changed since the view last asked: the first *same steps are as
 * they were, and the ladder's rows of the first *rows; SIZE_MAX when
 * nothing has (the view holds what it made for the steps it saw).
 */
void
session_changes(struct session *s, size_t *same, size_t *rows)
{
	*same = s->same;
	*rows = s->rows < s->same ? s->rows : s->same;
	s->same = s->rows = NONE;
}

/*
 * Put the run back to checkpoint m: the journal, the steps and the
 * indexes forget what came after it, and the learner's fates for the
 * segments not yet sent then go on the link.
 */
static void
rewind_to(struct session *s, size_t m)
{
	const struct run_mark	*mk = &s->marks[m];
	size_t			 nev = mk->sim.journal.nev;
	size_t			 nsegs = mk->sim.journal.nsegs, k;

	run_rewind(&s->run, mk);
	s->kept = nev;
	link_drop_seg_rules(&s->run.sim.link);
	run_seg_rules(&s->run, nsegs);
	apply_fates(s, nsegs);
	free_marks(s, m + 1);
	s->phase = PHASE_SCRIPT;
	s->error = NULL;
	/* Steps that ended before the checkpoint stay; the one it fell in
	 * is cut again, for more may happen at its instant. */
	for (k = s->ncut; k > 0 && step_end(s, k - 1) >= nev; k--)
		;
	s->cut = k > 0 ? step_end(s, k - 1) : 0;
	s->ncut = k;
	if (s->same > k)
		s->same = k;
	if (s->rows > k)
		s->rows = k;
	for (size_t i = 0; i < nsegs; i++) {
		if (s->seg_sent[i] != NOEV && s->seg_sent[i] >= nev)
			s->seg_sent[i] = NOEV;
		if (s->seg_end[i] != NOEV && s->seg_end[i] >= nev)
			s->seg_end[i] = NOEV;
		if (s->seg_copy_end[i] != NOEV && s->seg_copy_end[i] >= nev)
			s->seg_copy_end[i] = NOEV;
	}
	s->nseg = nsegs;
	for (int i = 0; i < NSIDES; i++) {
		s->states[i].n = evlist_before(&s->states[i], nev);
		for (int t = 0; t < TCP_NTIMERS; t++)
			s->timers[i][t].n = evlist_before(&s->timers[i][t],
			    nev);
	}
	s->appear.n = evlist_before(&s->appear, nev);
	s->ignored.n = evlist_before(&s->ignored, nev);
	s->asks.n = evlist_before(&s->asks, nev);
	s->indexed = nev;
	cut_steps(s);
}

/* From the beginning, without the learner's changes (or calls). */
int
session_restart(struct session *s, char *err, size_t errlen)
{
	if (s->capture || s->live != NULL)
		return 0;		/* what happened, from the start */
	s->niv = 0;
	s->pending = false;
	if (s->sandbox)
		script_truncate(s->script, 0);
	return rebuild(s, err, errlen);
}

/*
 * The title in a language, else in the other, else the file's name
 * without its extension (in buf).
 */
const char *
session_title(const struct session *s, enum lang lang, char *buf,
    size_t len)
{
	const struct script	*sc = s->script;
	const char		*base;

	if (sc->title[lang] != NULL)
		return sc->title[lang];
	if (sc->title[!lang] != NULL)
		return sc->title[!lang];
	base = strrchr(sc->path, '/') ? strrchr(sc->path, '/') + 1 : sc->path;
	snprintf(buf, len, "%.*s", (int)strcspn(base, "."), base);
	return buf;
}

/* Events shown once k steps are: [0, session_applied(k)). */
size_t
session_applied(const struct session *s, size_t k)
{
	if (k == 0)
		return 0;
	if (k > s->nsteps)
		k = s->nsteps;
	return step_end(s, k - 1);
}

/* The virtual time once k steps are. */
vtime_t
session_time(const struct session *s, size_t k)
{
	if (k == 0 || s->nsteps == 0)
		return 0;
	if (k > s->nsteps)
		k = s->nsteps;
	return session_journal(s)->ev[s->step_first[k - 1]].t;
}

/* The step (from 1) that holds event ev. */
size_t
session_step_of(const struct session *s, size_t ev)
{
	size_t	 k = cut_step_of(s, ev);

	return (k < s->nsteps ? k : s->nsteps) + 1;
}

/* The event that put segment seg on the link, or SIZE_MAX. */
size_t
session_sent_event(const struct session *s, int seg)
{
	if (seg < 0 || (size_t)seg >= session_journal(s)->nsegs)
		return NONE;
	return s->seg_sent[seg] == NOEV ? NONE : s->seg_sent[seg];
}

/*
 * The event where segment seg (or its second copy) came to an end:
 * delivered, dropped or ignored.  SIZE_MAX while it is still on its way.
 */
size_t
session_arrival_event(const struct session *s, int seg, bool copy)
{
	uint32_t	 ev;

	if (seg < 0 || (size_t)seg >= session_journal(s)->nsegs)
		return NONE;
	ev = copy ? s->seg_copy_end[seg] : s->seg_end[seg];
	return ev == NOEV ? NONE : ev;
}

/*
 * The first segment an endpoint sends after the first k steps, or -1;
 * the timeline is worked out as far as it takes to know.
 */
int
session_next_sent(struct session *s, size_t k)
{
	const struct journal	*j = session_journal(s);
	size_t			 i = session_applied(s, k);

	for (;;) {
		for (; i < j->nev; i++) {
			const struct jevent *e = &j->ev[i];

			if (e->type == JE_SEG && e->u.seg.fate == FATE_SENT &&
			    j->segs[e->u.seg.id].valid &&
			    !j->segs[e->u.seg.id].injected)
				return e->u.seg.id;
		}
		if (session_done(s))
			return -1;
		advance(s);
	}
}

/*
 * Each side's state once the first k steps are, and the last change
 * (NULL if none yet).
 */
void
session_states(const struct session *s, size_t k, int state[2],
    const struct jevent **last)
{
	const struct journal	*j = session_journal(s);
	size_t			 end = session_applied(s, k), at = 0;

	*last = NULL;
	for (int side = 0; side < NSIDES; side++) {
		size_t	 n = evlist_before(&s->states[side], end);

		state[side] = TCPS_CLOSED;
		if (n == 0)
			continue;
		at = s->states[side].ev[n - 1];
		state[side] = j->ev[at].u.state.to;
		if (*last == NULL || &j->ev[at] > *last)
			*last = &j->ev[at];
	}
}

/*
 * A side's timer of a kind once the first k steps are: the last event
 * that armed, cancelled or fired it, or NULL; *retries counts the
 * retransmission timer's firings since it was last cancelled.
 */
const struct jevent *
session_timer(const struct session *s, size_t k, enum side side,
    enum tcp_timer kind, int *retries)
{
	const struct evlist	*l = &s->timers[side][kind];
	size_t			 n = evlist_before(l, session_applied(s, k));

	*retries = 0;
	if (n == 0)
		return NULL;
	if (l->aux != NULL)
		*retries = (int)l->aux[n - 1];
	return &session_journal(s)->ev[l->ev[n - 1]];
}

/* The highest-numbered segment shown once the first k steps are, or -1. */
int
session_last_seg(const struct session *s, size_t k)
{
	size_t	 n = evlist_before(&s->appear, session_applied(s, k));

	return n == 0 ? -1 : (int)s->appear.aux[n - 1];
}

/* The datagrams refused once the first k steps are. */
size_t
session_ignored(const struct session *s, size_t k)
{
	return evlist_before(&s->ignored, session_applied(s, k));
}

/* What the learner asked for segment seg, if anything. */
bool
session_fate(const struct session *s, int seg, enum rule_kind *kind)
{
	for (size_t i = 0; i < s->niv; i++) {
		if (s->iv[i].seg == seg) {
			if (kind != NULL)
				*kind = s->iv[i].kind;
			return true;
		}
	}
	return false;
}

static void
remove_iv(struct session *s, size_t i)
{
	memmove(&s->iv[i], &s->iv[i + 1], (s->niv - i - 1) * sizeof *s->iv);
	s->niv--;
}

/*
 * Drop, delay or duplicate segment seg; asking the same again takes it
 * back.  Returns 1 if the fate is now set, 0 if it was taken back, -1 if
 * the run failed.
 */
int
session_toggle(struct session *s, int seg, enum rule_kind kind, char *err,
    size_t errlen)
{
	int	 set = 1;

	if (s->live != NULL) {
		if (s->live_dead) {
			snprintf(err, errlen, "%s", s->error);
			return -1;
		}
		switch (s->live->let_go(s->live_arg, seg, (int)kind, err,
		    errlen)) {
		case -1:
			return live_failed(s, err);
		case 1:			/* not held: err says so */
			return -1;
		}
		live_fate(s, seg, kind);
		return session_live_poll(s, err, errlen) == -1 ? -1 : 1;
	}
	if (s->capture) {
		snprintf(err, errlen, s->kernel ? "the kernel has run these "
		    "calls: to lose a segment, put a drop line in the script" :
		    "a capture shows what happened on the wire: it cannot be "
		    "changed");
		return -1;
	}
	for (size_t i = 0; i < s->niv; i++) {
		if (s->iv[i].seg != seg)
			continue;
		set = s->iv[i].kind != kind;
		remove_iv(s, i);
		break;
	}
	if (set) {
		s->iv = xreallocarray(s->iv, s->niv + 1, sizeof *s->iv);
		s->iv[s->niv].seg = seg;
		s->iv[s->niv].kind = kind;
		s->niv++;
	}
	/* From the last checkpoint before the segment was sent. */
	for (size_t m = s->nmarks; m-- > 0; ) {
		if (s->marks[m].sim.journal.nsegs <= (size_t)seg) {
			rewind_to(s, m);
			return set;
		}
	}
	if (rebuild(s, err, errlen) == -1)
		return -1;
	return set;
}

/*
 * The first event the learner changed: the sending of the first segment
 * given a fate (every event before it is as the script made it), and
 * that fate in *kind; SIZE_MAX when the run is the script's own.  In the
 * sandbox everything is the learner's: 0.
 */
size_t
session_first_change(const struct session *s, enum rule_kind *kind)
{
	size_t	 first = NONE;

	if (s->sandbox)
		return 0;
	for (size_t i = 0; i < s->niv; i++) {
		size_t	 ev = session_sent_event(s, s->iv[i].seg);

		if (ev < first) {
			first = ev;
			if (kind != NULL)
				*kind = s->iv[i].kind;
		}
	}
	return first;
}

/*
 * Whether a line of the script's (a say, a question) at event ev still
 * tells the truth about the run.  Before the learner's first change it
 * does: the run is the one the script was written for.  After it, the
 * line's premise is what the script checks around it: the expectations
 * of its paragraph, from the pause before it to the pause after.  The
 * line holds when there is at least one and every one of them held; a
 * paragraph that checks nothing gives way to the generated narration.
 */
bool
session_holds(const struct session *s, size_t ev)
{
	const struct journal	*j = session_journal(s);
	size_t			 lo = ev, hi = ev, checked = 0;

	if (ev < session_first_change(s, NULL) || ev >= j->nev)
		return true;
	while (lo > 0 && j->ev[lo - 1].type != JE_PAUSE)
		lo--;
	while (hi < j->nev && j->ev[hi].type != JE_PAUSE)
		hi++;
	for (size_t i = lo; i < hi; i++) {
		if (j->ev[i].type != JE_EXPECT)
			continue;
		if (!j->ev[i].u.expect->ok)
			return false;
		checked++;
	}
	return checked > 0;
}

/* Sandbox: the next segment anyone sends, once there is one. */
void
session_set_pending(struct session *s, enum rule_kind kind)
{
	s->pending = true;
	s->pending_kind = kind;
	if (s->live != NULL)
		s->pending_from = s->live_j->nsegs;
}

/* The first event of command n, or SIZE_MAX if it made none. */
static size_t
first_event_of(const struct session *s, size_t n)
{
	const struct journal	*j = session_journal(s);

	for (size_t i = 0; i < j->nev; i++) {
		if (j->ev[i].cmd == (int)n)
			return i;
	}
	return NONE;
}

/* Sandbox: the step of the last call made, or 0. */
size_t
session_last_act(const struct session *s)
{
	size_t	 first;

	if (s->script == NULL || s->script->ncmds == 0)
		return 0;
	first = first_event_of(s, s->script->ncmds - 1);
	return first == NONE ? 0 : session_step_of(s, first);
}

/*
 * Sandbox: the same calls again under another profile, from the start.
 * The segments may differ, so the fates given to them are forgotten.
 */
int
session_set_profile(struct session *s, enum profile_id profile, char *err,
    size_t errlen)
{
	if (s->live != NULL) {
		snprintf(err, errlen, "the kernel is Linux's own: its calls "
		    "cannot be made again under another profile");
		return -1;
	}
	script_set_profile(s->script, (int)profile);
	s->niv = 0;
	s->pending = false;
	return rebuild(s, err, errlen);
}

/*
 * Sandbox: side makes a call at time t, with k steps shown.  What was to
 * come after step k (later actions, fates of segments not yet sent) is
 * forgotten, as when one types over a recording.  On success *step is the
 * step the call happens in.
 */
int
session_act(struct session *s, size_t k, vtime_t t, enum side side,
    enum tcp_call call, uint32_t n, size_t *step, char *err, size_t errlen)
{
	struct cmd	 c;

	script_call(&c, t, side, call, call == CALL_SEND ||
	    call == CALL_KEEPALIVE ? n : 0);
	return session_act_cmd(s, k, &c, step, err, errlen);
}

/*
 * Sandbox: a command the learner gives at step k (a call, a setting,
 * a release): the commands before it are kept, those after forgotten,
 * and the run is made again.  *step is the step it begins.
 */
int
session_act_cmd(struct session *s, size_t k, const struct cmd *c,
    size_t *step, char *err, size_t errlen)
{
	size_t	 keep = 0, first;

	if (s->live != NULL) {
		struct cmd	 now = *c;

		if (s->live_dead) {
			snprintf(err, errlen, "%s", s->error);
			return -1;
		}
		/* Made now, whatever step is shown: the kernel's time runs
		 * on.  Kept in the script for a recording. */
		now.at = s->live->now(s->live_arg);
		script_add(s->script, &now);
		if (s->live->act(s->live_arg, (int)s->script->ncmds - 1, &now,
		    err, errlen) == -1)
			return live_failed(s, err);
		if (session_live_poll(s, err, errlen) == -1)
			return -1;
		first = first_event_of(s, s->script->ncmds - 1);
		*step = first == NONE ? s->nsteps : session_step_of(s, first);
		return 0;
	}
	/* The sandbox's timelines are short: all of it, before and after. */
	session_complete(s);
	/* Keep the commands already seen: those whose events are shown,
	 * and one that made none (a setting) if the next that did is kept,
	 * or if none did since and it came before this one. */
	for (size_t i = 0; i < s->script->ncmds; i++) {
		first = first_event_of(s, i);
		if (first != NONE && session_step_of(s, first) > k)
			break;
		if (first != NONE || s->script->cmds[i].at <= c->at)
			keep = i + 1;
	}
	script_truncate(s->script, keep);
	for (size_t i = s->niv; i-- > 0; ) {
		size_t	 sent = session_sent_event(s, s->iv[i].seg);

		if (sent == NONE || session_step_of(s, sent) > k)
			remove_iv(s, i);
	}
	script_add(s->script, c);
	if (rebuild(s, err, errlen) == -1)
		return -1;
	session_complete(s);
	first = first_event_of(s, keep);
	if (s->pending) {
		int	 seg;

		s->pending = false;
		seg = session_next_sent(s, first == NONE ? s->nsteps :
		    session_step_of(s, first) - 1);
		if (seg != -1 && session_toggle(s, seg, s->pending_kind, err,
		    errlen) == -1)
			return -1;
		session_complete(s);
	}
	*step = first == NONE ? s->nsteps : session_step_of(s, first);
	return 0;
}
