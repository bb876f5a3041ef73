/*
 * Scripts: lessons, test scenarios and recordings share one language
 * (DESIGN section 5).  This module only reads them: it turns text into a
 * list of commands, or into a "file:line:col: what was expected" error.
 * Running them is sim.c's and run.c's business.
 */
#ifndef SYNFIN_SCRIPT_H
#define SYNFIN_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "journal.h"
#include "link.h"
#include "tcp.h"
#include "types.h"
#include "wire.h"

/* The lesson menu's groups, in the order it shows them. */
enum lesson_group {
	GROUP_OPENING,
	GROUP_CLOSING,
	GROUP_FAILURES,
	GROUP_DETAILS,
};
#define NGROUPS 4

enum cmd_type {
	CMD_TITLE,
	CMD_GROUP,		/* the lesson menu's group and place */
	CMD_PROFILE,
	CMD_SET,
	CMD_CALL,		/* a side's application acts */
	CMD_RULE,		/* drop/dup/delay/reorder/hold next|all */
	CMD_RULE_CLEAR,		/* drop none [DIR] */
	CMD_RULE_SEG,		/* drop|dup|delay|hold #N: one segment */
	CMD_RELEASE,
	CMD_WAIT,
	CMD_WAIT_UNTIL,
	CMD_WAIT_IDLE,
	CMD_SAY,
	CMD_PAUSE,
	CMD_ASK,
	CMD_EXPECT_STATE,
	CMD_EXPECT_SEGMENT,
	CMD_EXPECT_ERROR,
	CMD_EXPECT_READ,
	CMD_EXPECT_IGNORED,
	CMD_EXPECT_QUEUED,	/* connections in the accept queue */
	CMD_INJECT,		/* a crafted segment */
	CMD_INJECT_BAD,		/* datagrams that are not valid segments */
	CMD_ANSWERED,		/* a recording: the learner's answer */
};

enum set_key {
	SET_SEED,
	SET_ISN,
	SET_LATENCY,
	SET_MSL,
	SET_RTO,
	SET_RTO_MIN,
	SET_ADDR,
	SET_FIN_TIMEOUT,
	SET_SYN_RETRIES,
	SET_SYNACK_RETRIES,
	SET_RETRIES,
	SET_KEEPALIVE,
	SET_DELACK,
	SET_REUSEADDR,
	SET_USER_TIMEOUT,	/* a side's TCP_USER_TIMEOUT */
	SET_BACKLOG,		/* the server's listen() backlog */
	SET_QUEUED,		/* others' connections in its accept queue */
	SET_ABORT_ON_OVERFLOW,	/* tcp_abort_on_overflow */
	SET_FAST_RETRANSMIT,	/* RFC 5681 3.2 without SACK */
	SET_TICK_PHASE,		/* where the timer wheel's ticks fall */
};

/* A set command's values, and a question's parts: held apart. */
struct cmd_set {
	enum set_key	 key;
	uint64_t	 n;
	vtime_t		 d[2];
	uint32_t	 ip;
	uint16_t	 port;
};

struct cmd_ask {
	enum lang	 lang;
	char		*text;
	char	       **choices;
	int		 nchoices;
	int		 answer;	/* index into choices */
	char		*why;
};

/* A command: 40 octets, for a script may have tens of thousands. */
struct cmd {
	vtime_t		 at;		/* @time, or -1 */
	int32_t		 line;
	int32_t		 col;
	uint8_t		 type;		/* enum cmd_type */
	int8_t		 side;		/* enum side */
	int8_t		 dir;		/* enum dir */
	union {
		struct {
			enum lang	 lang;
			char		*text;
		} text;			/* title, say */
		int		 profile;	/* enum profile_id */
		struct {
			int		 group;
			int		 order;
		} group;
		struct cmd_set	*set;		/* owned */
		struct {
			enum tcp_call	 call;
			uint32_t	 n;		/* send/read octets */
			bool		 has_n;
			bool		 on;		/* keepalive on|off */
		} call;
		struct {
			vtime_t		 extra;
			uint8_t		 kind;		/* enum rule_kind */
			uint8_t		 flags;
			bool		 exact;
			bool		 standing;
			int8_t		 dir;	/* -1: both (release, clear) */
		} rule;
		struct {
			vtime_t		 extra;
			int32_t		 seg;		/* from 0 */
			uint8_t		 kind;		/* enum rule_kind */
		} segrule;
		vtime_t		 wait;
		enum tcp_state	 state;		/* wait until, expect state */
		struct cmd_ask	*ask;		/* owned */
		struct {
			uint8_t		 flags;
			uint8_t		 fields;
			uint16_t	 win;
			uint32_t	 seq;
			uint32_t	 ack;
			uint32_t	 len;
			vtime_t		 at;	/* expect: when it was sent */
		} seg;				/* expect segment, inject */
		struct {
			enum bad_kind	 kind;
			uint32_t	 count;
		} bad;
		enum tcp_error	 err;		/* expect error; TE_NONE: none */
		uint64_t	 count;		/* expect read, expect ignored */
	} u;
};

struct script {
	char		*path;
	struct cmd	*cmds;
	size_t		 ncmds;
	size_t		 cmdcap;
	char		*title[NLANGS];
	int		 group;		/* enum lesson_group, or -1 */
	int		 order;		/* place in the group */
};

struct script	*script_new(const char *);
struct script	*script_parse(const char *, const char *, size_t, char *,
		     size_t);
void		 script_add(struct script *, const struct cmd *);
void		 script_call(struct cmd *, vtime_t, enum side, enum tcp_call,
		     uint32_t);
void		 script_set_profile(struct script *, int);
void		 script_truncate(struct script *, size_t);
struct script	*script_load(const char *, char *, size_t);
void		 script_free(struct script *);
bool		 script_needs_relay(const struct script *);
bool		 script_kernel_ok(const struct script *, char *, size_t);

#endif
