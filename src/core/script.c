/*
 * The script reader.  A script is UTF-8 text, one command a line, '#' to
 * the end of the line a comment.  Whatever bytes a file holds, the reader
 * either returns its commands or says where it went wrong and what it
 * expected there: "file:line:col: expected a duration (like 200ms), found
 * '200'".  Columns count characters, from 1.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile.h"
#include "script.h"
#include "util.h"

#define SCRIPT_MAX_BYTES	(16 * 1024 * 1024)
#define SEND_MAX		(16 * 1024 * 1024)
#define DURATION_MAX		VT_SEC(1000000)		/* about 11.5 days */
#define ASK_CHOICES_MAX		9

enum tok_kind {
	TOK_WORD,
	TOK_STRING,
};

struct token {
	enum tok_kind	 kind;
	char		*text;
	int		 col;
};

struct parser {
	const char	*path;
	int		 line;
	struct token	*tok;
	int		 ntok;
	int		 pos;
	int		 eol_col;	/* column just past the line's last token */
	char		*err;
	size_t		 errlen;
	bool		 failed;
	struct script	*s;
};

static const char *const group_names[NGROUPS] = {
	"opening", "closing", "failures", "details",
};

/* Record the first error, at a column of the current line. */
static void __attribute__((format(printf, 3, 4)))
error_at(struct parser *p, int col, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (p->failed)
		return;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "%s:%d:%d: ", p->path, p->line, col);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
}

/* "expected X, found 'Y'" at the current token, or at the end of line. */
static void
expected(struct parser *p, const char *what)
{
	if (p->pos < p->ntok) {
		struct token	*t = &p->tok[p->pos];

		assert(p->tok != NULL);
		if (t->kind == TOK_STRING && strlen(t->text) > 40)
			error_at(p, t->col, "expected %s, found \"%.40s...\"",
			    what, t->text);
		else if (t->kind == TOK_STRING)
			error_at(p, t->col, "expected %s, found \"%s\"", what,
			    t->text);
		else if (strlen(t->text) > 40)
			error_at(p, t->col, "expected %s, found '%.40s...'",
			    what, t->text);
		else
			error_at(p, t->col, "expected %s, found '%s'", what,
			    t->text);
	} else
		error_at(p, p->eol_col, "expected %s, found end of line",
		    what);
}

static bool
at_end(const struct parser *p)
{
	return p->pos >= p->ntok;
}

static struct token *
peek(struct parser *p)
{
	return at_end(p) ? NULL : &p->tok[p->pos];
}

/* The next token if it is a bare word, else NULL (and nothing consumed). */
static const char *
peek_word(struct parser *p)
{
	struct token	*t = peek(p);

	return t != NULL && t->kind == TOK_WORD ? t->text : NULL;
}

static bool
accept_word(struct parser *p, const char *w)
{
	const char	*t = peek_word(p);

	if (t != NULL && strcasecmp(t, w) == 0) {
		p->pos++;
		return true;
	}
	return false;
}

static const char *
word(struct parser *p, const char *what)
{
	const char	*t = peek_word(p);

	if (t == NULL) {
		expected(p, what);
		return NULL;
	}
	p->pos++;
	return t;
}

static char *
string(struct parser *p, const char *what)
{
	struct token	*t = peek(p);

	if (t == NULL || t->kind != TOK_STRING) {
		expected(p, what);
		return NULL;
	}
	p->pos++;
	return xstrdup(t->text);
}

/* A word or a quoted string, as text. */
static const char *
word_or_string(struct parser *p, const char *what)
{
	struct token	*t = peek(p);

	if (t == NULL) {
		expected(p, what);
		return NULL;
	}
	p->pos++;
	return t->text;
}

static int
cur_col(const struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos].col : p->eol_col;
}

static bool
parse_uint_text(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* A whole number from min to max. */
static bool
number(struct parser *p, uint64_t min, uint64_t max, uint64_t *out)
{
	const char	*t = peek_word(p);
	char		 what[64];

	snprintf(what, sizeof what, "a whole number from %llu to %llu",
	    (unsigned long long)min, (unsigned long long)max);
	if (t == NULL || !parse_uint_text(t, max, out) || *out < min) {
		expected(p, what);
		return false;
	}
	p->pos++;
	return true;
}

/*
 * "200ms", "1.5s", "30s", "2min", "250us": a decimal and a unit.  With
 * bare_seconds a plain number means seconds (for "@1.250").
 */
static bool
parse_duration_text(const char *s, bool bare_seconds, vtime_t *out)
{
	static const struct {
		const char	*unit;
		vtime_t		 us;
	} units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 },
		{ "min", 60000000 }, { "m", 60000000 }, { "h", 3600000000LL },
	};
	uint64_t	 whole = 0, frac = 0, fscale = 1;
	const char	*q = s;
	vtime_t		 unit = -1, v;
	int		 ndig = 0;

	for (; *q >= '0' && *q <= '9'; q++, ndig++) {
		if (whole > 100000000000ULL)
			return false;
		whole = whole * 10 + (uint64_t)(*q - '0');
	}
	if (*q == '.') {
		q++;
		for (; *q >= '0' && *q <= '9'; q++, ndig++) {
			if (fscale >= 1000000000000ULL)
				return false;
			frac = frac * 10 + (uint64_t)(*q - '0');
			fscale *= 10;
		}
	}
	if (ndig == 0)
		return false;
	if (*q == '\0' && bare_seconds)
		unit = 1000000;
	for (size_t i = 0; unit == -1 && i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(q, units[i].unit) == 0)
			unit = units[i].us;
	}
	if (unit == -1)
		return false;
	if (whole > (uint64_t)(DURATION_MAX / unit))
		return false;
	v = (vtime_t)whole * unit + (vtime_t)((frac * (uint64_t)unit) / fscale);
	if (v > DURATION_MAX)
		return false;
	*out = v;
	return true;
}

static bool
duration(struct parser *p, vtime_t *out)
{
	const char	*t = peek_word(p);

	if (t == NULL || !parse_duration_text(t, false, out)) {
		expected(p, "a duration (like 200ms, 1.5s or 2min, at most "
		    "1000000s)");
		return false;
	}
	p->pos++;
	return true;
}

static bool
side(struct parser *p, int8_t *out)
{
	if (accept_word(p, "client"))
		*out = SIDE_CLIENT;
	else if (accept_word(p, "server"))
		*out = SIDE_SERVER;
	else {
		expected(p, "client or server");
		return false;
	}
	return true;
}

static bool
direction(struct parser *p, int8_t *out)
{
	if (accept_word(p, "c2s"))
		*out = DIR_C2S;
	else if (accept_word(p, "s2c"))
		*out = DIR_S2C;
	else {
		expected(p, "a direction, c2s or s2c");
		return false;
	}
	return true;
}

static bool
lang(struct parser *p, enum lang *out)
{
	const char	*t = peek_word(p);

	if (t == NULL || lang_parse(t, out) == -1) {
		expected(p, "a language, zh or en");
		return false;
	}
	p->pos++;
	return true;
}

static bool
state(struct parser *p, enum tcp_state *out)
{
	const char	*t = peek_word(p);

	if (t == NULL || tcp_state_parse(t, out) == -1) {
		expected(p, "a TCP state (CLOSED, LISTEN, SYN_SENT, "
		    "SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, "
		    "CLOSE_WAIT, CLOSING, LAST_ACK or TIME_WAIT)");
		return false;
	}
	p->pos++;
	return true;
}

/* Flags as tcpdump writes them ("F.", quoted or not) or as "SYN+ACK". */
static bool
flags(struct parser *p, uint8_t *out)
{
	struct token	*t = peek(p);

	if (t == NULL || segment_parse_flags(t->text, out, NULL) == -1) {
		expected(p, "TCP flags (like \"S.\", \"F.\", \"R\", or "
		    "SYN+ACK)");
		return false;
	}
	p->pos++;
	return true;
}

/*
 * Optional flags filter: a next token that reads as flags.  Without one
 * any segment matches.
 */
static void
optional_flags(struct parser *p, uint8_t *out, bool *exact)
{
	struct token	*t = peek(p);

	*out = 0;
	*exact = false;
	if (t != NULL && segment_parse_flags(t->text, out, exact) == 0)
		p->pos++;
}

/* seq=N ack=N len=N win=N at=TIME, any of them, each at most once. */
static bool
seg_fields(struct parser *p, struct cmd *c, uint8_t allowed)
{
	static const struct {
		const char	*key;
		uint8_t		 bit;
		uint64_t	 max;
	} keys[] = {
		{ "seq", FIELD_SEQ, UINT32_MAX },
		{ "ack", FIELD_ACK, UINT32_MAX },
		{ "len", FIELD_LEN, SEG_PAYLOAD_MAX },
		{ "win", FIELD_WIN, UINT16_MAX },
		{ "at", FIELD_AT, 0 },
	};
	const char	*t;
	uint64_t	 v;

	while ((t = peek_word(p)) != NULL) {
		const char	*eq = strchr(t, '=');
		size_t		 i, klen = eq ? (size_t)(eq - t) : strlen(t);
		char		 what[64];

		for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			if ((keys[i].bit & allowed) &&
			    strlen(keys[i].key) == klen &&
			    strncmp(t, keys[i].key, klen) == 0)
				break;
		}
		if (i == sizeof keys / sizeof keys[0] || eq == NULL) {
			expected(p, allowed & FIELD_WIN ?
			    "seq=, ack=, len= or win=" : allowed & FIELD_AT ?
			    "seq=, ack=, len= or at=" : "seq=, ack= or len=");
			return false;
		}
		if (c->u.seg.fields & keys[i].bit) {
			error_at(p, cur_col(p), "%s= is given twice",
			    keys[i].key);
			return false;
		}
		if (keys[i].bit == FIELD_AT) {
			/* A time as @ writes one: seconds, or a duration. */
			if (!parse_duration_text(eq + 1, true,
			    &c->u.seg.at)) {
				expected(p, "at= and a time (like 0.504 or "
				    "504ms)");
				return false;
			}
			c->u.seg.fields |= FIELD_AT;
			p->pos++;
			continue;
		}
		if (!parse_uint_text(eq + 1, keys[i].max, &v)) {
			snprintf(what, sizeof what, "%s= and a number up to "
			    "%llu", keys[i].key,
			    (unsigned long long)keys[i].max);
			expected(p, what);
			return false;
		}
		c->u.seg.fields |= keys[i].bit;
		switch (keys[i].bit) {
		case FIELD_SEQ:
			c->u.seg.seq = (uint32_t)v;
			break;
		case FIELD_ACK:
			c->u.seg.ack = (uint32_t)v;
			break;
		case FIELD_LEN:
			c->u.seg.len = (uint32_t)v;
			break;
		case FIELD_WIN:
			c->u.seg.win = (uint16_t)v;
			break;
		}
		p->pos++;
	}
	return true;
}

static bool
parse_ipport(const char *s, uint32_t *ip, uint16_t *port)
{
	unsigned int	 a[4];
	uint64_t	 pv;
	const char	*colon = strrchr(s, ':');
	char		 buf[16], tail;

	if (colon == NULL || colon - s >= (long)sizeof buf)
		return false;
	memcpy(buf, s, colon - s);
	buf[colon - s] = '\0';
	if (sscanf(buf, "%3u.%3u.%3u.%3u%c", &a[0], &a[1], &a[2], &a[3],
	    &tail) != 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (a[i] > 255)
			return false;
	}
	if (!parse_uint_text(colon + 1, 65535, &pv) || pv == 0)
		return false;
	*ip = (uint32_t)a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
	*port = (uint16_t)pv;
	return true;
}

static void
parse_set(struct parser *p, struct cmd *c)
{
	static const struct {
		const char	*name;
		enum set_key	 key;
	} keys[] = {
		{ "seed", SET_SEED }, { "isn", SET_ISN },
		{ "latency", SET_LATENCY }, { "msl", SET_MSL },
		{ "rto", SET_RTO }, { "rto-min", SET_RTO_MIN },
		{ "addr", SET_ADDR }, { "fin-timeout", SET_FIN_TIMEOUT },
		{ "syn-retries", SET_SYN_RETRIES },
		{ "synack-retries", SET_SYNACK_RETRIES },
		{ "retries", SET_RETRIES }, { "keepalive", SET_KEEPALIVE },
		{ "delack", SET_DELACK }, { "reuseaddr", SET_REUSEADDR },
		{ "user-timeout", SET_USER_TIMEOUT },
		{ "backlog", SET_BACKLOG }, { "queued", SET_QUEUED },
		{ "abort-on-overflow", SET_ABORT_ON_OVERFLOW },
		{ "fast-retransmit", SET_FAST_RETRANSMIT },
		{ "tick-phase", SET_TICK_PHASE },
	};
	const char	*t;
	size_t		 i;

	c->type = CMD_SET;
	c->u.set = xcalloc(1, sizeof *c->u.set);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (accept_word(p, keys[i].name))
			break;
	}
	if (i == sizeof keys / sizeof keys[0]) {
		expected(p, "a setting (seed, isn, latency, msl, rto, "
		    "rto-min, addr, fin-timeout, syn-retries, synack-retries, "
		    "retries, keepalive, delack, reuseaddr, user-timeout, "
		    "backlog, queued, abort-on-overflow, fast-retransmit or "
		    "tick-phase)");
		return;
	}
	c->u.set->key = keys[i].key;
	switch (keys[i].key) {
	case SET_SEED:
		number(p, 0, UINT32_MAX, &c->u.set->n);
		break;
	case SET_ISN:
		if (side(p, &c->side))
			number(p, 0, UINT32_MAX, &c->u.set->n);
		break;
	case SET_LATENCY:
	case SET_MSL:
	case SET_RTO:
	case SET_RTO_MIN:
	case SET_FIN_TIMEOUT:
		if (duration(p, &c->u.set->d[0]) &&
		    keys[i].key != SET_LATENCY &&
		    keys[i].key != SET_FIN_TIMEOUT && c->u.set->d[0] == 0)
			error_at(p, p->tok[p->pos - 1].col,
			    "expected a duration above zero");
		break;
	case SET_ADDR:
		if (!side(p, &c->side))
			break;
		if ((t = peek_word(p)) == NULL ||
		    !parse_ipport(t, &c->u.set->ip, &c->u.set->port)) {
			expected(p, "an IPv4 address and port, like "
			    "127.0.0.1:40312");
			break;
		}
		p->pos++;
		break;
	case SET_SYN_RETRIES:
	case SET_SYNACK_RETRIES:
	case SET_RETRIES:
		number(p, 0, 30, &c->u.set->n);
		break;
	case SET_KEEPALIVE: {
		int	 col = cur_col(p);

		if (duration(p, &c->u.set->d[0]) &&
		    duration(p, &c->u.set->d[1]))
			number(p, 1, 100, &c->u.set->n);
		if (!p->failed && (c->u.set->d[0] == 0 || c->u.set->d[1] == 0))
			error_at(p, col, "expected keepalive times above zero");
		break;
	}
	case SET_TICK_PHASE:
		/* Within Linux's 4 ms tick (HZ=250). */
		if (duration(p, &c->u.set->d[0]) &&
		    c->u.set->d[0] >= VT_MS(4))
			error_at(p, p->tok[p->pos - 1].col,
			    "expected a phase under 4ms");
		break;
	case SET_USER_TIMEOUT:
		/* 0 turns it off, as setsockopt(TCP_USER_TIMEOUT, 0). */
		if (side(p, &c->side))
			duration(p, &c->u.set->d[0]);
		break;
	case SET_BACKLOG:
	case SET_QUEUED:
		number(p, 0, 65535, &c->u.set->n);
		break;
	case SET_DELACK:
	case SET_REUSEADDR:
	case SET_ABORT_ON_OVERFLOW:
	case SET_FAST_RETRANSMIT:
		if (accept_word(p, "on"))
			c->u.set->n = 1;
		else if (accept_word(p, "off"))
			c->u.set->n = 0;
		else
			expected(p, "on or off");
		break;
	}
}

static void
parse_call(struct parser *p, struct cmd *c)
{
	const char	*t;
	uint64_t	 n;

	c->type = CMD_CALL;
	if (!side(p, &c->side))
		return;
	if ((t = peek_word(p)) == NULL ||
	    tcp_call_parse(t, &c->u.call.call) == -1) {
		expected(p, "what the application does (listen, accept, "
		    "connect, send, read, shutdown, close, abort, keepalive, "
		    "exit, crash or reboot)");
		return;
	}
	p->pos++;
	switch (c->u.call.call) {
	case CALL_SEND:
		if (number(p, 1, SEND_MAX, &n)) {
			c->u.call.n = (uint32_t)n;
			c->u.call.has_n = true;
		}
		break;
	case CALL_READ:
		if (!at_end(p) && number(p, 1, SEND_MAX, &n)) {
			c->u.call.n = (uint32_t)n;
			c->u.call.has_n = true;
		}
		break;
	case CALL_KEEPALIVE:
		c->u.call.on = true;
		if (accept_word(p, "off"))
			c->u.call.on = false;
		else
			accept_word(p, "on");
		break;
	default:
		break;
	}
}

/*
 * drop|dup|delay|hold segment N [DUR]: the fate of one segment, by the
 * number the view and the trace give it (from 1), wherever the line is:
 * a recording says what the learner did to which segment.
 */
static void
parse_seg_rule(struct parser *p, struct cmd *c, enum rule_kind kind)
{
	uint64_t	 n;

	c->type = CMD_RULE_SEG;
	c->u.segrule.kind = (uint8_t)kind;
	if (!number(p, 1, INT32_MAX, &n))
		return;
	c->u.segrule.seg = (int32_t)(n - 1);
	if (kind == RULE_DELAY)
		duration(p, &c->u.segrule.extra);
	else if (kind == RULE_DUP && !at_end(p))
		duration(p, &c->u.segrule.extra);
}

/* drop|dup|delay|reorder|hold next DIR [FLAGS] [DUR]; drop all|none ... */
static void
parse_rule(struct parser *p, struct cmd *c, enum rule_kind kind)
{
	if (kind != RULE_REORDER && accept_word(p, "segment")) {
		parse_seg_rule(p, c, kind);
		return;
	}
	c->type = CMD_RULE;
	c->u.rule.kind = kind;
	if (kind == RULE_DROP && accept_word(p, "none")) {
		c->type = CMD_RULE_CLEAR;
		c->u.rule.dir = -1;
		if (!at_end(p) && direction(p, &c->dir))
			c->u.rule.dir = (int)c->dir;
		return;
	}
	if (kind == RULE_DROP && accept_word(p, "all"))
		c->u.rule.standing = true;
	else if (!accept_word(p, "next")) {
		expected(p, kind == RULE_DROP ? "next, all or none" : "next");
		return;
	}
	if (!direction(p, &c->dir))
		return;
	c->u.rule.dir = (int)c->dir;
	optional_flags(p, &c->u.rule.flags, &c->u.rule.exact);
	if (kind == RULE_DELAY)
		duration(p, &c->u.rule.extra);
	else if (kind == RULE_DUP && !at_end(p))
		duration(p, &c->u.rule.extra);
}

static void
parse_wait(struct parser *p, struct cmd *c)
{
	if (accept_word(p, "until")) {
		c->type = CMD_WAIT_UNTIL;
		if (side(p, &c->side))
			state(p, &c->u.state);
	} else if (accept_word(p, "idle")) {
		c->type = CMD_WAIT_IDLE;
	} else {
		c->type = CMD_WAIT;
		if (peek_word(p) == NULL ||
		    !parse_duration_text(peek_word(p), false, &c->u.wait))
			expected(p, "a duration (like 200ms), until or idle");
		else
			p->pos++;
	}
}

static void
parse_ask(struct parser *p, struct cmd *c)
{
	const char	*t;
	int		 answer_col;

	c->type = CMD_ASK;
	c->u.ask = xcalloc(1, sizeof *c->u.ask);
	c->u.ask->answer = -1;
	if (!lang(p, &c->u.ask->lang) ||
	    (c->u.ask->text = string(p, "the question in quotes")) == NULL)
		return;
	if (!accept_word(p, "choices")) {
		expected(p, "choices");
		return;
	}
	while (!at_end(p) && !(peek_word(p) != NULL &&
	    strcmp(peek_word(p), "answer") == 0)) {
		if (c->u.ask->nchoices == ASK_CHOICES_MAX) {
			error_at(p, cur_col(p), "expected at most %d choices",
			    ASK_CHOICES_MAX);
			return;
		}
		c->u.ask->choices = xreallocarray(c->u.ask->choices,
		    c->u.ask->nchoices + 1, sizeof *c->u.ask->choices);
		c->u.ask->choices[c->u.ask->nchoices++] =
		    xstrdup(p->tok[p->pos++].text);
	}
	if (c->u.ask->nchoices < 2) {
		expected(p, "at least two choices");
		return;
	}
	if (!accept_word(p, "answer")) {
		expected(p, "answer");
		return;
	}
	answer_col = cur_col(p);
	if ((t = word_or_string(p, "the right choice")) == NULL)
		return;
	for (int i = 0; i < c->u.ask->nchoices; i++) {
		if (strcmp(c->u.ask->choices[i], t) == 0)
			c->u.ask->answer = i;
	}
	if (c->u.ask->answer == -1) {
		error_at(p, answer_col, "expected the answer to be one of the "
		    "choices, found '%s'", t);
		return;
	}
	if (accept_word(p, "why"))
		c->u.ask->why = string(p, "the explanation in quotes");
}

static void
parse_expect(struct parser *p, struct cmd *c)
{
	const char	*t;
	enum tcp_error	 e = TE_NONE;

	if (accept_word(p, "segment")) {
		c->type = CMD_EXPECT_SEGMENT;
		if (direction(p, &c->dir) && flags(p, &c->u.seg.flags))
			seg_fields(p, c, FIELD_SEQ | FIELD_ACK | FIELD_LEN |
			    FIELD_AT);
		return;
	}
	if (accept_word(p, "ignored")) {
		c->type = CMD_EXPECT_IGNORED;
		number(p, 0, UINT32_MAX, &c->u.count);
		return;
	}
	if (!side(p, &c->side))
		return;
	if (accept_word(p, "error")) {
		c->type = CMD_EXPECT_ERROR;
		if ((t = peek_word(p)) == NULL ||
		    (strcmp(t, "none") != 0 && tcp_error_parse(t, &e) == -1)) {
			expected(p, "an error name (ECONNREFUSED, ECONNRESET, "
			    "ETIMEDOUT, EPIPE, ...) or none");
			return;
		}
		c->u.err = strcmp(t, "none") == 0 ? TE_NONE : e;
		p->pos++;
	} else if (accept_word(p, "read")) {
		c->type = CMD_EXPECT_READ;
		number(p, 0, UINT32_MAX, &c->u.count);
	} else if (accept_word(p, "queued")) {
		c->type = CMD_EXPECT_QUEUED;
		number(p, 0, UINT32_MAX, &c->u.count);
	} else {
		c->type = CMD_EXPECT_STATE;
		if (peek_word(p) == NULL ||
		    tcp_state_parse(peek_word(p), &c->u.state) == -1)
			expected(p, "a TCP state, error, read or queued");
		else
			p->pos++;
	}
}

static void
parse_inject(struct parser *p, struct cmd *c)
{
	static const struct {
		const char	*name;
		enum bad_kind	 kind;
	} bad[] = {
		{ "garbage", BAD_GARBAGE }, { "short", BAD_SHORT },
		{ "badsum", BAD_CHECKSUM }, { "badport", BAD_PORT },
		{ "stranger", BAD_STRANGER },
	};
	uint64_t	 n;

	if (!direction(p, &c->dir))
		return;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (accept_word(p, bad[i].name)) {
			c->type = CMD_INJECT_BAD;
			c->u.bad.kind = bad[i].kind;
			c->u.bad.count = 1;
			if (!at_end(p) && number(p, 1, 100000, &n))
				c->u.bad.count = (uint32_t)n;
			return;
		}
	}
	c->type = CMD_INJECT;
	if (peek(p) == NULL || segment_parse_flags(peek(p)->text,
	    &c->u.seg.flags, NULL) == -1) {
		expected(p, "TCP flags or garbage, short, badsum, badport, "
		    "stranger");
		return;
	}
	p->pos++;
	seg_fields(p, c, FIELD_SEQ | FIELD_ACK | FIELD_LEN | FIELD_WIN);
}

/* group opening|closing|failures|details [ORDER]: the lesson menu. */
static void
parse_group(struct parser *p, struct cmd *c)
{
	const char	*w = peek_word(p);
	uint64_t	 n = 0;

	c->type = CMD_GROUP;
	c->u.group.group = -1;
	for (int i = 0; w != NULL && i < NGROUPS; i++) {
		if (strcmp(w, group_names[i]) == 0)
			c->u.group.group = i;
	}
	if (c->u.group.group == -1) {
		expected(p, "a group: opening, closing, failures or details");
		return;
	}
	p->pos++;
	if (!at_end(p) && !number(p, 0, 999, &n))
		return;
	c->u.group.order = (int)n;
}

static void
parse_command(struct parser *p, struct cmd *c)
{
	const char	*kw;
	int		 v;

	if ((kw = word(p, "a command")) == NULL)
		return;
	if (strcmp(kw, "title") == 0 || strcmp(kw, "say") == 0) {
		c->type = *kw == 't' ? CMD_TITLE : CMD_SAY;
		if (lang(p, &c->u.text.lang))
			c->u.text.text = string(p, "text in double quotes");
	} else if (strcmp(kw, "group") == 0) {
		parse_group(p, c);
	} else if (strcmp(kw, "profile") == 0) {
		c->type = CMD_PROFILE;
		const char *name = peek_word(p);
		const struct profile *prof = name ? profile_find(name) : NULL;
		if (prof == NULL)
			expected(p, "a profile, linux or rfc9293");
		else {
			c->u.profile = prof->id;
			p->pos++;
		}
	} else if (strcmp(kw, "set") == 0) {
		parse_set(p, c);
	} else if (strcmp(kw, "client") == 0 || strcmp(kw, "server") == 0) {
		p->pos--;
		parse_call(p, c);
	} else if ((v = strcmp(kw, "drop") == 0 ? RULE_DROP :
	    strcmp(kw, "dup") == 0 ? RULE_DUP :
	    strcmp(kw, "delay") == 0 ? RULE_DELAY :
	    strcmp(kw, "reorder") == 0 ? RULE_REORDER :
	    strcmp(kw, "hold") == 0 ? RULE_HOLD : -1) != -1) {
		parse_rule(p, c, (enum rule_kind)v);
	} else if (strcmp(kw, "release") == 0) {
		c->type = CMD_RELEASE;
		c->u.rule.dir = -1;
		if (!at_end(p) && direction(p, &c->dir))
			c->u.rule.dir = (int)c->dir;
	} else if (strcmp(kw, "wait") == 0) {
		parse_wait(p, c);
	} else if (strcmp(kw, "pause") == 0) {
		c->type = CMD_PAUSE;
	} else if (strcmp(kw, "answered") == 0) {
		/* answered N: the learner's choice, in a recording. */
		c->type = CMD_ANSWERED;
		number(p, 1, 9, &c->u.count);
	} else if (strcmp(kw, "ask") == 0) {
		parse_ask(p, c);
	} else if (strcmp(kw, "expect") == 0) {
		parse_expect(p, c);
	} else if (strcmp(kw, "inject") == 0) {
		parse_inject(p, c);
	} else {
		p->pos--;
		expected(p, "a command (title, group, profile, set, client, "
		    "server, "
		    "drop, dup, delay, reorder, hold, release, wait, say, "
		    "pause, ask, answered, expect, inject)");
	}
	if (!p->failed && !at_end(p))
		expected(p, "end of line");
}

/* Length of the UTF-8 sequence starting at s (max n), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		 len;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
free_tokens(struct parser *p)
{
	for (int i = 0; i < p->ntok; i++)
		free(p->tok[i].text);
	free(p->tok);
	p->tok = NULL;
	p->ntok = 0;
	p->pos = 0;
}

static void
add_token(struct parser *p, enum tok_kind kind, char *text, int col)
{
	p->tok = xreallocarray(p->tok, p->ntok + 1, sizeof *p->tok);
	p->tok[p->ntok].kind = kind;
	p->tok[p->ntok].text = text;
	p->tok[p->ntok].col = col;
	p->ntok++;
}

/*
 * Split one line (without its newline) into tokens.  Checks the bytes as
 * it goes: UTF-8 only, no NUL, no control characters but tab.
 */
static void
tokenize(struct parser *p, const char *s, size_t n)
{
	size_t	 i = 0;
	int	 col = 1;

	while (i < n && !p->failed) {
		unsigned char	 ch = (unsigned char)s[i];
		size_t		 l;

		if (ch == ' ' || ch == '\t') {
			i++;
			col++;
			continue;
		}
		if (ch == '#')
			break;
		if (ch == '"') {
			char	*buf = xmalloc(n - i + 1);
			size_t	 bl = 0;
			int	 start = col;

			i++;
			col++;
			for (;;) {
				if (i >= n) {
					free(buf);
					error_at(p, start, "unterminated string: "
					    "expected a closing '\"' on this "
					    "line");
					return;
				}
				ch = (unsigned char)s[i];
				if (ch == '"') {
					i++;
					col++;
					break;
				}
				if (ch == '\\') {
					if (i + 1 >= n || (s[i + 1] != '"' &&
					    s[i + 1] != '\\' && s[i + 1] != 'n')) {
						free(buf);
						error_at(p, col, "expected \\\", "
						    "\\\\ or \\n after a "
						    "backslash");
						return;
					}
					buf[bl++] = s[i + 1] == 'n' ? '\n' :
					    s[i + 1];
					i += 2;
					col += 2;
					continue;
				}
				if (ch < 0x20 && ch != '\t') {
					free(buf);
					error_at(p, col, "expected text, found "
					    "control character 0x%02x", ch);
					return;
				}
				if ((l = utf8_len((const unsigned char *)s + i,
				    n - i)) == 0) {
					free(buf);
					error_at(p, col, "expected UTF-8 text, "
					    "found byte 0x%02x", ch);
					return;
				}
				memcpy(buf + bl, s + i, l);
				bl += l;
				i += l;
				col++;
			}
			buf[bl] = '\0';
			add_token(p, TOK_STRING, buf, start);
			continue;
		}
		/* A bare word runs to the next space, tab, quote or '#'. */
		size_t	 start = i;
		int	 startcol = col;

		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '"' &&
		    s[i] != '#') {
			ch = (unsigned char)s[i];
			if (ch < 0x20 || ch == 0x7f) {
				error_at(p, col, "expected a word, found "
				    "control character 0x%02x", ch);
				return;
			}
			if ((l = utf8_len((const unsigned char *)s + i,
			    n - i)) == 0) {
				error_at(p, col, "expected UTF-8 text, found "
				    "byte 0x%02x", ch);
				return;
			}
			i += l;
			col++;
		}
		add_token(p, TOK_WORD, xstrndup(s + start, i - start),
		    startcol);
	}
	p->eol_col = col;
}

static void
free_cmd(struct cmd *c)
{
	switch (c->type) {
	case CMD_TITLE:
	case CMD_SAY:
		free(c->u.text.text);
		break;
	case CMD_ASK:
		free(c->u.ask->text);
		for (int i = 0; i < c->u.ask->nchoices; i++)
			free(c->u.ask->choices[i]);
		free(c->u.ask->choices);
		free(c->u.ask->why);
		free(c->u.ask);
		break;
	case CMD_SET:
		free(c->u.set);
		break;
	default:
		break;
	}
}

void
script_free(struct script *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ncmds; i++)
		free_cmd(&s->cmds[i]);
	free(s->cmds);
	for (int i = 0; i < NLANGS; i++)
		free(s->title[i]);
	free(s->path);
	free(s);
}

/* Room for one more command at the end: the caller fills it in. */
static struct cmd *
new_cmd(struct script *s)
{
	if (s->ncmds == s->cmdcap) {
		s->cmdcap = s->cmdcap ? s->cmdcap * 2 : 32;
		s->cmds = xreallocarray(s->cmds, s->cmdcap, sizeof *s->cmds);
	}
	return &s->cmds[s->ncmds++];
}

static void
parse_line(struct parser *p)
{
	struct cmd	 c;
	const char	*t;

	if (p->ntok == 0)
		return;
	memset(&c, 0, sizeof c);
	c.line = p->line;
	c.col = p->tok[0].col;
	c.at = -1;
	c.side = SIDE_NONE;
	t = peek_word(p);
	if (t != NULL && t[0] == '@') {
		if (!parse_duration_text(t + 1, true, &c.at)) {
			expected(p, "a time after '@' (like @1.250 or @1250ms)");
			return;
		}
		p->pos++;
	}
	parse_command(p, &c);
	if (p->failed) {
		free_cmd(&c);
		return;
	}
	if (c.type == CMD_TITLE) {
		if (p->s->title[c.u.text.lang] != NULL) {
			error_at(p, c.col, "a second title %s: expected one "
			    "title a language", lang_name(c.u.text.lang));
			free_cmd(&c);
			return;
		}
		p->s->title[c.u.text.lang] = xstrdup(c.u.text.text);
	}
	if (c.type == CMD_GROUP) {
		if (p->s->group != -1) {
			error_at(p, c.col, "a second group: expected one");
			return;
		}
		p->s->group = c.u.group.group;
		p->s->order = c.u.group.order;
	}
	*new_cmd(p->s) = c;
}

/* An empty script, to be written by script_add_call (the sandbox). */
struct script *
script_new(const char *path)
{
	struct script	*s = xcalloc(1, sizeof *s);

	s->path = xstrdup(path);
	s->group = -1;
	return s;
}

/*
 * Append a command as the parser would have read it from the script's
 * next line: what a learner does in the sandbox.  What it points to
 * (a setting) becomes the script's.
 */
void
script_add(struct script *s, const struct cmd *add)
{
	struct cmd	*c = new_cmd(s);

	*c = *add;
	c->line = (int)s->ncmds;
	c->col = 1;
}

/*
 * The command "@T SIDE CALL [N]".  n is the octet count of a send, on
 * (1) or off (0) for keepalive, else 0.
 */
void
script_call(struct cmd *c, vtime_t at, enum side side, enum tcp_call call,
    uint32_t n)
{
	memset(c, 0, sizeof *c);
	c->type = CMD_CALL;
	c->at = at;
	c->side = side;
	c->u.call.call = call;
	c->u.call.on = call != CALL_KEEPALIVE || n != 0;
	if (call != CALL_KEEPALIVE) {
		c->u.call.n = n;
		c->u.call.has_n = n != 0;
	}
}

/* "profile P" as the first line, in place of the one there. */
void
script_set_profile(struct script *s, int profile)
{
	struct cmd	*c;

	if (s->ncmds == 0 || s->cmds[0].type != CMD_PROFILE) {
		new_cmd(s);
		memmove(&s->cmds[1], &s->cmds[0], (s->ncmds - 1) *
		    sizeof *s->cmds);
		c = &s->cmds[0];
		memset(c, 0, sizeof *c);
		c->type = CMD_PROFILE;
		c->at = -1;
		c->line = c->col = 1;
	}
	s->cmds[0].u.profile = profile;
}

/* Keep the first n commands only. */
void
script_truncate(struct script *s, size_t n)
{
	while (s->ncmds > n)
		free_cmd(&s->cmds[--s->ncmds]);
}

/*
 * Parse a whole script from memory.  Returns it, or NULL with the first
 * error in err as "path:line:col: message".
 */
struct script *
script_parse(const char *path, const char *buf, size_t n, char *err,
    size_t errlen)
{
	struct parser	 p;
	size_t		 i = 0;

	memset(&p, 0, sizeof p);
	p.path = path;
	p.err = err;
	p.errlen = errlen;
	p.s = script_new(path);

	/* A byte order mark at the very start is allowed and skipped. */
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && !p.failed) {
		const char	*nl = memchr(buf + i, '\n', n - i);
		size_t		 len = nl ? (size_t)(nl - (buf + i)) : n - i;
		const char	*nul = memchr(buf + i, '\0', len);

		p.line++;
		if (nul != NULL) {
			/* Count characters up to the NUL for its column. */
			int	 col = 1;

			for (const char *q = buf + i; q < nul; q++)
				col += ((unsigned char)*q & 0xc0) != 0x80;
			error_at(&p, col, "expected text, found a NUL byte");
			break;
		}
		if (len > 0 && buf[i + len - 1] == '\r')
			tokenize(&p, buf + i, len - 1);
		else
			tokenize(&p, buf + i, len);
		if (!p.failed)
			parse_line(&p);
		free_tokens(&p);
		i += len + (nl != NULL);
	}
	free_tokens(&p);
	if (p.failed) {
		script_free(p.s);
		return NULL;
	}
	return p.s;
}

/* Read and parse a script file. */
struct script *
script_load(const char *path, char *err, size_t errlen)
{
	FILE		*f;
	char		*buf;
	size_t		 n = 0, cap = 65536;
	struct script	*s;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		size_t	 r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (n > SCRIPT_MAX_BYTES) {
			snprintf(err, errlen, "%s: larger than %d MiB: expected "
			    "a script", path, SCRIPT_MAX_BYTES >> 20);
			free(buf);
			fclose(f);
			return NULL;
		}
		if (r == 0)
			break;
		if (n == cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	s = script_parse(path, buf, n, err, errlen);
	free(buf);
	return s;
}

/*
 * Whether the kernel engine must carry the segments itself (two
 * namespaces joined through synfin): a latency, or a fate plain
 * loopback cannot give (a copy, a delay, a hold, a reorder).
 */
bool
script_needs_relay(const struct script *sc)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct cmd	*c = &sc->cmds[i];

		if ((c->type == CMD_SET && c->u.set->key == SET_LATENCY &&
		    c->u.set->d[0] != 0) || c->type == CMD_RELEASE ||
		    (c->type == CMD_RULE && c->u.rule.kind != RULE_DROP))
			return true;
	}
	return false;
}

/*
 * Whether the kernel engine can run the script: every line one a real
 * program (or the kernel's sysctls) can make.  false, with the first
 * line that cannot in why ("FILE:LINE:COL: what"), else true.  The
 * kernel's timers are its own; the rfc9293 profile is not the kernel.
 */
bool
script_kernel_ok(const struct script *sc, char *why, size_t len)
{
	bool		 relay = script_needs_relay(sc);
	const char	*no;

	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct cmd	*c = &sc->cmds[i];

		no = NULL;
		switch (c->type) {
		case CMD_PROFILE:
			if (c->u.profile != PROFILE_LINUX)
				no = "the kernel is the linux profile";
			break;
		case CMD_SET:
			switch (c->u.set->key) {
			case SET_MSL:
			case SET_RTO:
			case SET_RTO_MIN:
			case SET_DELACK:
			case SET_TICK_PHASE:
				no = "the kernel's timers are its own";
				break;
			case SET_ADDR:
				if (c->u.set->ip != 0x7f000001u && !relay)
					no = "the kernel runs on 127.0.0.1";
				break;
			case SET_FIN_TIMEOUT:
				if (c->u.set->d[0] % VT_SEC(1) != 0)
					no = "tcp_fin_timeout is in whole seconds";
				break;
			case SET_KEEPALIVE:
				if (c->u.set->d[0] % VT_SEC(1) != 0 ||
				    c->u.set->d[1] % VT_SEC(1) != 0)
					no = "the kernel counts keepalive in whole "
					    "seconds";
				break;
			default:
				break;
			}
			break;
		case CMD_INJECT:
			if (relay)
				no = "inject does not go through the relay yet";
			else if (c->u.seg.len > 0)
				no = "inject with data is not supported on the "
				    "kernel";
			break;
		case CMD_INJECT_BAD:
			no = "garbage never reaches the kernel's TCP";
			break;
		case CMD_RULE_SEG:
			no = "a rule for segment N is a recording's, not a "
			    "program's";
			break;
		default:
			break;
		}
		if (no != NULL) {
			snprintf(why, len, "%s:%d:%d: %s", sc->path, c->line,
			    c->col, no);
			return false;
		}
	}
	return true;
}
