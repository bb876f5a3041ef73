/*
 * The journal: every event of a run, in order, with its virtual time.
 *
 * Both engines write it; the trace, the view, the recorder and the
 * exporters only read it, and it is the only thing they read.  Its events
 * carry enums and fields, never text a reader would parse back: a state
 * change names its cause, a call its call, argument and result.  The
 * words for a person come from tables (tcp.h's causes and outcomes, the
 * view's strings) in both languages.  The only text is the script's own:
 * narration and questions, in the language they were written in.
 * Segments are kept once, with their wire bytes, and events refer to them
 * by number.
 */
#ifndef SYNFIN_JOURNAL_H
#define SYNFIN_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "profile.h"
#include "segment.h"
#include "tcp.h"
#include "types.h"

enum fate {
	FATE_SENT,
	FATE_DELIVERED,
	FATE_DROPPED,
	FATE_DUPLICATED,	/* a second copy delivered */
	FATE_IGNORED,		/* not a valid segment of this connection */
};
#define NFATES		(FATE_IGNORED + 1)

enum jev_type {
	JE_SEG,		/* a segment (or datagram) and what became of it */
	JE_STATE,	/* a side changed state */
	JE_TIMER,	/* a timer was armed, cancelled, fired, or is pending */
	JE_CALL,	/* the application made a call, and what came of it */
	JE_ERROR,	/* the application was told of an error */
	JE_SAY,		/* narration */
	JE_PAUSE,	/* a pause point */
	JE_ASK,		/* a question */
	JE_EXPECT,	/* an expectation checked */
};
#define JE_NTYPES	(JE_EXPECT + 1)

/* What an expectation looked at. */
enum jexpect_kind {
	EXPECT_STATE,		/* a side's state now */
	EXPECT_REACH,		/* wait until: the state never came */
	EXPECT_SEGMENT,		/* the last segment sent one way */
	EXPECT_ERROR,		/* the last error a side was told */
	EXPECT_READ,		/* the octets a side has read */
	EXPECT_IGNORED,		/* datagrams refused */
	EXPECT_QUEUED,		/* connections in a listener's accept queue */
};
#define NEXPECT_KINDS	(EXPECT_QUEUED + 1)

/* Which fields of a segment an expectation (or an inject) names. */
#define FIELD_SEQ	0x01
#define FIELD_ACK	0x02
#define FIELD_LEN	0x04
#define FIELD_WIN	0x08
#define FIELD_AT	0x10	/* expect segment: the time it was sent */

/* Why a datagram was refused: what segment_decode found, or more. */
enum jwhy {
	WHY_NONE,
	WHY_SHORT,		/* SEG_ESHORT ... */
	WHY_OFFSET,
	WHY_OPTION,
	WHY_CHECKSUM,
	WHY_TOOBIG,		/* ... SEG_ETOOBIG */
	WHY_STRANGER,		/* not from the other side */
	WHY_PORTS,		/* for other ports */
	WHY_UNEXPECTED,		/* a good segment not sent over the link */
};
#define NWHYS		(WHY_UNEXPECTED + 1)

/* A segment as it was put on the link, or a datagram the wire refused. */
struct jseg {
	struct segment	 seg;		/* meaningful when the header decoded */
	uint32_t	 off;		/* its datagram: journal_bytes */
	uint32_t	 nbytes;
	uint32_t	 rel_seq;	/* relative to the direction's first seq */
	uint32_t	 rel_ack;
	vtime_t		 t;		/* when it was sent */
	int32_t		 id;		/* 1, 2, ...: its number on screen */
	uint8_t		 dir;		/* enum dir */
	bool		 valid;		/* a segment of this connection */
	bool		 injected;	/* made by the script */
	uint8_t		 why;		/* why it was ignored: enum jwhy */
};

/* A question, as the script asked it. */
struct jask {
	char		 *text;
	char		**choices;
	int		  nchoices;
	int		  answer;	/* index into choices */
	char		 *why;		/* the explanation, or NULL */
	int		  answered;	/* a recording's answer + 1, or 0 */
};

/* An expectation: what was wanted and what was found. */
struct jexpect {
	bool		 ok;
	int		 line;		/* where the script says it */
	int		 col;
	enum jexpect_kind kind;
	enum dir	 dir;		/* EXPECT_SEGMENT */
	uint64_t	 want;		/* a state, an error, a count */
	uint64_t	 got;
	uint8_t		 flags;		/* EXPECT_SEGMENT: the flags wanted, */
	uint8_t		 fields;	/* which of these it names, */
	uint32_t	 seq;
	uint32_t	 ack;
	uint32_t	 len;
	vtime_t		 at;		/* the time it was sent */
	int		 found;		/* and the segment found, or -1 */
};

/*
 * An event: 24 octets, for a run may have hundreds of thousands.  What
 * does not fit (narration, a question, an expectation, a call and what
 * came of it) is held by the journal, and the event points at it or
 * names it by number.
 */
struct jevent {
	vtime_t		 t;
	int32_t		 cmd;		/* the script command running, or -1 */
	uint8_t		 type;		/* enum jev_type */
	int8_t		 side;		/* enum side */
	union {				/* two octets more, by type */
		struct {
			uint8_t		 kind;	/* enum tcp_timer */
			uint8_t		 action;	/* enum timer_action */
		} timer;
		uint8_t		 lang;		/* JE_SAY, JE_ASK: enum lang */
	} x;
	union {
		struct {
			int32_t		 id;	/* index into segs, from 0 */
			uint8_t		 fate;	/* enum fate */
		} seg;
		struct {
			uint8_t		 from;	/* enum tcp_state */
			uint8_t		 to;
			uint16_t	 cause;	/* enum tcp_cause */
			int32_t		 n;	/* the count a cause names */
		} state;
		struct {
			vtime_t		 due;	/* when it fires, or would */
		} timer;
		uint32_t	 call;		/* index into calls */
		struct {
			uint8_t		 err;	/* enum tcp_error */
		} error;
		struct {
			const char	*text;
		} say;
		struct {
			const struct jask *q;
		} ask;
		const struct jexpect *expect;
	} u;
};

/* A call the application made, and what came of it. */
struct jcall {
	uint8_t		 call;		/* enum tcp_call */
	uint8_t		 err;		/* what it came to: enum tcp_error, */
	uint8_t		 what;		/* enum tcp_outcome, */
	bool		 has_arg;	/* shown: send N, read N */
	uint32_t	 n;		/* and its count */
	uint32_t	 arg;		/* octets for send and read */
};

/* The connection the journal is about. */
struct jconn {
	uint32_t	 ip[NSIDES];	/* host order */
	uint16_t	 port[NSIDES];
	enum profile_id	 profile;
};

/* Where a journal stood, to put it back there (a run's checkpoint). */
struct journal_mark {
	size_t		 nev;
	size_t		 nsegs;
	size_t		 nbytes;
	size_t		 nowned;
	size_t		 ncalls;
	struct jconn	 conn;
	uint32_t	 base[NSIDES];
	bool		 have_base[NSIDES];
	uint32_t	 prev_base[NSIDES];
	bool		 have_prev[NSIDES];
	int		 cur_cmd;
};

struct journal {
	struct jevent	*ev;
	size_t		 nev;
	size_t		 evcap;
	struct jseg	*segs;
	size_t		 nsegs;
	size_t		 segcap;
	uint8_t		*bytes;		/* every datagram's, end to end */
	size_t		 nbytes;
	size_t		 bytecap;
	void		**owned;	/* texts, questions, expectations */
	size_t		 nowned;
	size_t		 ownedcap;
	struct jcall	*calls;
	size_t		 ncalls;
	size_t		 callcap;
	struct jconn	 conn;

	/* Relative numbering: each direction's first sequence number, and
	 * the one before a new connection's SYN took its place. */
	uint32_t	 base[NSIDES];
	bool		 have_base[NSIDES];
	uint32_t	 prev_base[NSIDES];
	bool		 have_prev[NSIDES];

	int		 cur_cmd;	/* stamped on each event added */
};

void		 journal_init(struct journal *);
void		 journal_free(struct journal *);
void		 journal_clear(struct journal *);
struct jevent	*journal_add(struct journal *, enum jev_type, vtime_t,
		     enum side);
void		 journal_say(struct journal *, vtime_t, enum lang,
		     const char *);
void		 journal_ask(struct journal *, vtime_t, enum lang,
		     const char *, char *const *, int, int, const char *);
struct jexpect	*journal_expect(struct journal *, vtime_t, enum side);
int		 journal_add_seg(struct journal *, enum dir,
		     const struct segment *, const uint8_t *, size_t,
		     bool, vtime_t);
int		 journal_add_raw(struct journal *, enum dir, const uint8_t *,
		     size_t, enum jwhy);
enum jwhy	 journal_why(enum seg_error);
int		 journal_wscale(const struct journal *, enum dir);
uint64_t	 journal_window(const struct journal *, const struct jseg *);
const char	*journal_why_name(enum jwhy);
void		 journal_seg_event(struct journal *, vtime_t, int, enum fate);
uint32_t	 journal_rel(const struct journal *, enum dir, uint32_t);
void		 journal_mark(const struct journal *, struct journal_mark *);
void		 journal_rewind(struct journal *, const struct journal_mark *);
struct jcall	*journal_call(struct journal *, vtime_t, enum side);
int		 journal_answered(struct journal *, int);

/* A segment's datagram as it was sent. */
static inline const uint8_t *
journal_bytes(const struct journal *j, const struct jseg *g)
{
	return j->bytes + g->off;
}

/* A JE_CALL event's call. */
static inline const struct jcall *
journal_call_of(const struct journal *j, const struct jevent *e)
{
	return &j->calls[e->u.call];
}

/* What a call came to. */
static inline struct tcp_result
journal_result(const struct jcall *c)
{
	struct tcp_result	 r = { (enum tcp_error)c->err,
				     (enum tcp_outcome)c->what, c->n };

	return r;
}

/* Record what a call came to. */
static inline void
journal_set_result(struct jcall *c, const struct tcp_result *r)
{
	c->err = (uint8_t)r->err;
	c->what = (uint8_t)r->what;
	c->n = (uint32_t)r->n;
}

const char	*fate_name(enum fate);

#endif
