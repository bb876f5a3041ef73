/*
 * The journal: every event of a run, in order, with its virtual time.
 *
 * Both engines write it; the trace, the view, the recorder and the
 * exporters only read it.  Segments are kept once, with their wire bytes,
 * and events refer to them by number.
 */
#ifndef SYNFIN_JOURNAL_H
#define SYNFIN_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "segment.h"
#include "types.h"

enum fate {
	FATE_SENT,
	FATE_DELIVERED,
	FATE_DROPPED,
	FATE_DUPLICATED,	/* a second copy delivered */
	FATE_IGNORED,		/* not a valid segment of this connection */
};

enum jev_type {
	JE_SEG,		/* a segment (or datagram) and what became of it */
	JE_STATE,	/* a side changed state */
	JE_TIMER,	/* a timer was armed, cancelled or fired */
	JE_CALL,	/* the application made a call */
	JE_ERROR,	/* the application was told of an error */
	JE_SAY,		/* narration */
	JE_PAUSE,	/* a pause point */
	JE_ASK,		/* a question */
	JE_EXPECT,	/* an expectation checked */
	JE_NOTE,	/* anything else worth showing (script notes, warnings) */
};

enum timer_action {
	TA_ARMED,
	TA_CANCELLED,
	TA_FIRED,
};

/* A segment as it was put on the link, or a datagram the wire refused. */
struct jseg {
	int		 id;		/* 1, 2, ...: the number shown on screen */
	enum dir	 dir;
	bool		 valid;		/* decoded as a segment of this connection */
	bool		 injected;	/* made by the script, not by an endpoint */
	struct segment	 seg;		/* meaningful when the header decoded */
	uint8_t		*bytes;		/* the datagram's payload as sent */
	size_t		 nbytes;
	uint32_t	 rel_seq;	/* relative to the direction's first seq */
	uint32_t	 rel_ack;
	const char	*why;		/* why it was ignored (static text) */
};

struct jevent {
	enum jev_type	 type;
	vtime_t		 t;
	enum side	 side;
	int		 cmd;		/* the script command running, or -1 */
	union {
		struct {
			int		 id;	/* index into segs, from 0 */
			enum fate	 fate;
		} seg;
		struct {
			uint8_t		 from;
			uint8_t		 to;
			const char	*rfc;	/* static: "3.10.7.4" */
		} state;
		struct {
			uint8_t		 kind;	/* enum tcp_timer */
			uint8_t		 action;
			vtime_t		 due;
		} timer;
		struct {
			bool		 ok;
			int		 line;
			int		 col;
		} expect;
		struct {
			char		 lang[4];
		} say;
	} u;
	char		*text;		/* owned; cause, call, error, narration */
};

struct journal {
	struct jevent	*ev;
	size_t		 nev;
	size_t		 evcap;
	struct jseg	*segs;
	size_t		 nsegs;
	size_t		 segcap;

	/* Relative numbering: each direction's first sequence number. */
	uint32_t	 base[NSIDES];
	bool		 have_base[NSIDES];

	int		 cur_cmd;	/* stamped on each event added */
};

void		 journal_init(struct journal *);
void		 journal_free(struct journal *);
void		 journal_clear(struct journal *);
struct jevent	*journal_add(struct journal *, enum jev_type, vtime_t,
		     enum side, const char *, ...)
		     __attribute__((format(printf, 5, 6)));
int		 journal_add_seg(struct journal *, enum dir,
		     const struct segment *, const uint8_t *, size_t,
		     bool, vtime_t);
int		 journal_add_raw(struct journal *, enum dir, const uint8_t *,
		     size_t, const char *);
void		 journal_seg_event(struct journal *, vtime_t, int, enum fate);
uint32_t	 journal_rel(const struct journal *, enum dir, uint32_t);

const char	*fate_name(enum fate);

#endif
