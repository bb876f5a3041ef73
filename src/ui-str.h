/*
 * Every piece of interface text, in English and in Chinese.
 *
 * One table rather than gettext: there are two languages, the learner
 * switches between them at any moment with a key, and a table keeps both
 * in the program with nothing to install or find at run time.  A test
 * checks that no entry lacks a language.
 */
#ifndef SYNFIN_UI_STR_H
#define SYNFIN_UI_STR_H

#include "script.h"

enum msg {
	M_CLIENT,
	M_SERVER,
	M_PAUSED,
	M_PLAYING,
	M_STEP,
	M_SCORE,
	M_IGNORED,
	M_FAST,
	M_SANDBOX,
	M_TOO_SMALL,
	M_NARRATION,
	M_SEGMENT,
	M_NO_SEGMENT,
	M_DIAGRAM,
	M_HELP_TITLE,
	M_HELP,
	M_HELP_SANDBOX,
	M_HELP_CLOSE,
	M_TIMER_RTX,
	M_TIMER_DELACK,
	M_TIMER_TIMEWAIT,
	M_TIMER_FINWAIT2,
	M_TIMER_KEEPALIVE,
	M_FIRED_RTX,
	M_FIRED_DELACK,
	M_FIRED_TIMEWAIT,
	M_FIRED_FINWAIT2,
	M_FIRED_KEEPALIVE,
	M_RETRY,
	M_DROPPED,
	M_IGNORED_SEG,
	M_COPY,
	M_HELD,
	M_WILL_DROP,
	M_WILL_DELAY,
	M_WILL_DUP,
	M_TAKEN_BACK,
	M_DONE_ALREADY,
	M_NOTHING_SENT,
	M_NEXT_SENT,
	M_AT_START,
	M_AT_END,
	M_AT_END_SANDBOX,
	M_ASK_PROMPT,
	M_RIGHT,
	M_WRONG,
	M_ANSWERED,
	M_EXPECT_FAILED,
	M_SCRIPT_STOPPED,
	M_SANDBOX_HINT,
	M_LAST_TRANSITION,
	M_NO_TRANSITION,
	M_F_SPORT,
	M_F_DPORT,
	M_F_SEQ,
	M_F_ACK,
	M_F_OFF,
	M_F_FLAGS,
	M_F_WIN,
	M_F_CKSUM,
	M_F_URP,
	M_F_OPTIONS,
	M_F_PAYLOAD,
	M_F_BYTES,
	M_D_SPORT,
	M_D_SEQ,
	M_D_SEQ_SYN,
	M_D_ACK,
	M_D_NOACK,
	M_D_OFF,
	M_D_WIN,
	M_D_CKSUM_OK,
	M_D_CKSUM_BAD,
	M_D_URP,
	M_D_OPTIONS,
	M_D_NOOPTIONS,
	M_D_PAYLOAD,
	M_RELATIVE,
	M_SENT_AT,
	M_ARRIVED_AT,
	M_LOST_AT,
	M_IN_FLIGHT,
	M_RESTARTED,
	M_SPEED,
	M_LANGUAGE,
	M_TAG_DROP,
	M_TAG_DELAY,
	M_TAG_DUP,
	M_FLAG_FIN,
	M_FLAG_SYN,
	M_FLAG_RST,
	M_FLAG_PSH,
	M_FLAG_ACK,
	M_FLAG_URG,
	M_K_PLAY,
	M_K_NEXT,
	M_K_BACK,
	M_K_DROP,
	M_K_DELAY,
	M_K_COPY,
	M_K_DIAGRAM,
	M_K_HEADER,
	M_K_LANG,
	M_K_HELP,
	M_K_QUIT,
	M_K_SPEED,
	M_K_CLIENT,
	M_K_SERVER,
	M_K_CANCEL,
	M_K_LADDER,
	M_K_OTHER,
	M_NSTRINGS
};

#include <stdarg.h>
#include <stddef.h>

const char	*msg_text(enum msg, enum lang);
int		 msg_format(char *, size_t, enum msg, enum lang, ...);
int		 msg_vformat(char *, size_t, enum msg, enum lang, va_list);
int		 msg_check(void);
const char	*msg_cause(const char *, enum lang);

#endif
