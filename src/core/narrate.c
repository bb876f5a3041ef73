/*
 * Narration made from the journal (narrate.h).  Each event kind has its
 * sentence in both languages, built from the tables the journal's enums
 * index: the causes of state changes (tcp.c) with their RFC 9293
 * sections, the outcomes of calls, and the words below.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "narrate.h"
#include "session.h"
#include "trace.h"

/* How far back a sentence looks for what it refers to. */
#define LOOK_BACK_SEGS		256
#define LOOK_BACK_EVENTS	4096

static const char *const side_words[NSIDES][NLANGS] = {
	[SIDE_CLIENT] = { "the client", "客户端" },
	[SIDE_SERVER] = { "the server", "服务器" },
};
static const char *const side_caps[NSIDES] = { "The client", "The server" };

static const char *const timer_words[TCP_NTIMERS][NLANGS] = {
	[TT_RTX] = { "retransmission", "重传" },
	[TT_DELACK] = { "delayed-ACK", "延迟确认" },
	[TT_TIMEWAIT] = { "2MSL (TIME_WAIT)", "2MSL（TIME_WAIT）" },
	[TT_FINWAIT2] = { "FIN_WAIT_2", "FIN_WAIT_2" },
	[TT_KEEPALIVE] = { "keepalive", "保活" },
};

/* A timer just set: what it is for, with %s its time and %s the side. */
static const char *const timer_armed[TCP_NTIMERS][NLANGS] = {
	[TT_RTX] = {
	    "%s's retransmission timer runs: if what it sent is not "
	    "acknowledged by %s, it sends it again (RFC 9293 3.8.1).",
	    "%s的重传定时器开始计时：到 %s还没有收到确认，就重发（RFC 9293 "
	    "第 3.8.1 节）。" },
	[TT_DELACK] = {
	    "%s holds its ACK back: it goes out by %s, or sooner with "
	    "something else to send (RFC 9293 3.8.6.3).",
	    "%s推迟发送 ACK：最迟 %s发出，若先有别的报文段要发就捎带上"
	    "（RFC 9293 第 3.8.6.3 节）。" },
	[TT_TIMEWAIT] = {
	    "%s's 2MSL timer runs: it keeps the connection in TIME_WAIT "
	    "until %s, to answer a repeated FIN and let old segments die "
	    "out (RFC 9293 3.10.8).",
	    "%s的 2MSL 定时器开始计时：连接在 TIME_WAIT 中保留到 %s，以便"
	    "再次确认重发的 FIN，并让旧报文段消失（RFC 9293 第 3.10.8 节）"
	    "。" },
	[TT_FINWAIT2] = {
	    "%s has no application left to close it: it waits for the "
	    "other side's FIN until %s at most.",
	    "%s的应用已经关闭了套接字：它最多等到 %s，等对方的 FIN。" },
	[TT_KEEPALIVE] = {
	    "%s's keepalive timer runs: if the connection is still idle at "
	    "%s, it sends a probe (RFC 9293 3.8.4).",
	    "%s的保活定时器开始计时：到 %s连接仍然空闲，就发出探测（RFC 9293 "
	    "第 3.8.4 节）。" },
};

static const char *const error_words[TCP_NERRORS][NLANGS] = {
	[TE_NONE] = { "no error", "没有错误" },
	[TE_CONNREFUSED] = { "the connection was refused", "连接被拒绝" },
	[TE_CONNRESET] = { "the connection was reset", "连接被重置" },
	[TE_TIMEDOUT] = { "the connection timed out", "连接超时" },
	[TE_PIPE] = { "the connection can no longer be written",
	    "连接已经不能再写" },
	[TE_NOTCONN] = { "the socket is not connected", "套接字没有连接" },
	[TE_ISCONN] = { "the socket is already connected",
	    "套接字已经连接" },
	[TE_ADDRNOTAVAIL] = { "the address is not available",
	    "地址不可用" },
	[TE_AGAIN] = { "nothing is ready yet", "还没有就绪" },
	[TE_INVAL] = { "not possible in this state", "此状态下不能这样做" },
	[TE_HOSTDOWN] = { "the host is down", "主机已经宕机" },
	[TE_BADF] = { "the socket is closed", "套接字已经关闭" },
	[TE_ADDRINUSE] = { "the address is in use", "地址已被占用" },
};

static const char *const why_words[NWHYS][NLANGS] = {
	[WHY_NONE] = { "it is not a segment of this connection",
	    "它不是这条连接的报文段" },
	[WHY_SHORT] = { "it is too short for a TCP header",
	    "它短得装不下 TCP 首部" },
	[WHY_OFFSET] = { "its data offset is impossible",
	    "它的数据偏移不可能成立" },
	[WHY_OPTION] = { "one of its options is malformed",
	    "它的某个选项格式错误" },
	[WHY_CHECKSUM] = { "its checksum is wrong", "它的校验和不对" },
	[WHY_TOOBIG] = { "it is too large", "它太大了" },
	[WHY_STRANGER] = { "it did not come from the other side",
	    "它不是从对方发来的" },
	[WHY_PORTS] = { "it is for other ports", "它发往别的端口" },
	[WHY_UNEXPECTED] = { "nothing sent it over the link",
	    "链路上并没有人发出它" },
};

/* Append to buf as snprintf would, keeping count in *n. */
static void	 add(char *, size_t, size_t *, const char *, ...)
		     __attribute__((format(printf, 4, 5)));

static void
add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 k;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

/* The side at a sentence's start: "The client", "客户端". */
static const char *
side_cap(enum side side, enum lang lang)
{
	return lang == LANG_EN ? side_caps[side] : side_words[side][LANG_ZH];
}

static const char *
side_word(enum side side, enum lang lang)
{
	return side_words[side][lang];
}

/* Seconds, to the µs where they have them: "1.060 s", "1.0205 秒". */
static char *
seconds(char buf[48], vtime_t t, enum lang lang)
{
	char	 v[32];

	snprintf(buf, 48, lang == LANG_EN ? "%s s" : "%s 秒", vt_seconds(v, t));
	return buf;
}

/* "#2 SYN+ACK (seq=0 ack=1)", "#5 data (seq=1 ack=1 len=100)". */
static void
seg_words(char *buf, size_t len, const struct jseg *g, enum lang lang)
{
	static const struct {
		uint8_t		 bit;
		const char	*name;
	} f[] = {
		{ TH_SYN, "SYN" }, { TH_FIN, "FIN" }, { TH_RST, "RST" },
		{ TH_ACK, "ACK" },
	};
	size_t	 n = 0;

	add(buf, len, &n, "#%d ", g->id);
	if (!g->valid) {
		add(buf, len, &n, lang == LANG_EN ? "(%" PRIu32 " bytes)" :
		    "（%" PRIu32 " 字节）", g->nbytes);
		return;
	}
	if (g->seg.len > 0)
		add(buf, len, &n, lang == LANG_EN ? "data+" : "数据+");
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (g->seg.flags & f[i].bit)
			add(buf, len, &n, "%s+", f[i].name);
	}
	if (n > 0 && buf[n - 1] == '+')
		buf[--n] = '\0';
	add(buf, len, &n, lang == LANG_EN ? " (seq=%" PRIu32 : "（seq=%"
	    PRIu32, g->rel_seq);
	if (g->seg.flags & TH_ACK)
		add(buf, len, &n, " ack=%" PRIu32, g->rel_ack);
	if (g->seg.len > 0)
		add(buf, len, &n, " len=%" PRIu32, g->seg.len);
	add(buf, len, &n, lang == LANG_EN ? ")" : "）");
}

/*
 * What a segment's SACK blocks say, numbered as its ack: a first block
 * below the ack or inside the second is a D-SACK (those bytes came
 * twice, RFC 2883); the others are bytes already held past a gap (RFC
 * 2018).
 */
static void
sack_words(char *buf, size_t len, size_t *n, const struct jseg *g,
    enum lang lang)
{
	uint32_t	 base = g->seg.ack - g->rel_ack;
	int		 b = 0;

	if (g->seg.nsack == 0)
		return;
	if (segment_dsack(&g->seg)) {
		add(buf, len, n, lang == LANG_EN ? " Its D-SACK %" PRIu32 "-%"
		    PRIu32 " says those bytes came twice." :
		    "其中的 D-SACK %" PRIu32 "-%" PRIu32 " 表示这些字节收到了"
		    "两次。", g->seg.sack[0].start - base,
		    g->seg.sack[0].end - base);
		b = 1;
	}
	if (b == g->seg.nsack)
		return;
	add(buf, len, n, lang == LANG_EN ? " SACK " : "SACK ");
	for (int i = b; i < g->seg.nsack; i++)
		add(buf, len, n, "%s%" PRIu32 "-%" PRIu32, i > b ? ", " : "",
		    g->seg.sack[i].start - base, g->seg.sack[i].end - base);
	add(buf, len, n, lang == LANG_EN ? ": those bytes are here already; "
	    "only the gap before them is missing." :
	    "：这些字节已经收到，缺的只是它们前面的空缺。");
}

/*
 * The first of the segments this one repeats (the same octets sent
 * again, one after another), or -1.
 */
static int
repeats(const struct journal *j, int id)
{
	const struct jseg	*g = &j->segs[id];
	int			 first = -1;

	if (!g->valid || g->injected)
		return -1;
	for (int i = id - 1; i >= 0 && id - i <= LOOK_BACK_SEGS; i--) {
		const struct jseg	*o = &j->segs[i];

		if (o->valid && !o->injected && o->dir == g->dir &&
		    o->seg.seq == g->seg.seq && o->seg.len == g->seg.len &&
		    (o->seg.flags & (TH_SYN | TH_FIN | TH_RST)) ==
		    (g->seg.flags & (TH_SYN | TH_FIN | TH_RST)) &&
		    (g->seg.len > 0 || (g->seg.flags & (TH_SYN | TH_FIN))))
			first = i;
	}
	return first;
}

/*
 * Whether segment id is a window update: an ACK alone that acknowledges
 * nothing its side's last segment did not, with a larger window.  That
 * last segment, or NULL.
 */
static const struct jseg *
window_update(const struct journal *j, int id)
{
	const struct jseg	*g = &j->segs[id];

	if (!g->valid || g->injected || g->seg.flags != TH_ACK ||
	    g->seg.len != 0)
		return NULL;
	for (int i = id - 1; i >= 0 && id - i <= LOOK_BACK_SEGS; i--) {
		const struct jseg	*o = &j->segs[i];

		if (!o->valid || o->injected || o->dir != g->dir)
			continue;
		if (!(o->seg.flags & TH_ACK) || (o->seg.flags & TH_SYN) ||
		    o->seg.ack != g->seg.ack ||
		    journal_window(j, o) >= journal_window(j, g))
			return NULL;
		return o;
	}
	return NULL;
}

/*
 * Whether side's read sent the segment of event i: its read call is the
 * last thing that happened to side before it (no segment arrived there,
 * no timer of its fired, nothing else went since).
 */
static bool
sent_by_read(const struct journal *j, size_t i, enum side side)
{
	for (size_t k = i; k-- > 0 && i - k <= LOOK_BACK_EVENTS; ) {
		const struct jevent	*e = &j->ev[k];

		if (e->type == JE_CALL && e->side == side)
			return journal_call_of(j, e)->call == CALL_READ;
		if (e->type == JE_TIMER && e->side == side &&
		    TA_IS_FIRED(e->x.timer.action))
			return false;
		if (e->type == JE_SEG && e->u.seg.fate != FATE_DROPPED &&
		    (j->segs[e->u.seg.id].dir == (enum dir)side) ==
		    (e->u.seg.fate == FATE_SENT))
			return false;
	}
	return false;
}

/*
 * Why side sends again at event i, when a segment it took in says so
 * and no timer fired since: *ack, that segment.  RESENT_SACK: it carried
 * SACK blocks beyond a hole (RACK, RFC 8985: data sent later arrived, so
 * the hole is lost).  RESENT_DUPACKS: it was the third duplicate ACK in
 * a row (RFC 5681 3.2).  RESENT_OTHER: a timer, which says so itself, or
 * nothing to tell.
 */
enum resent { RESENT_OTHER, RESENT_SACK, RESENT_DUPACKS };

static enum resent
resent_why(const struct journal *j, size_t i, enum side side, int *ack)
{
	const struct jseg	*first = NULL;
	int			 dups = 0;

	for (size_t k = i; k-- > 0 && i - k <= LOOK_BACK_EVENTS; ) {
		const struct jevent	*e = &j->ev[k];
		const struct jseg	*g;

		if (e->type == JE_TIMER && e->side == side &&
		    e->x.timer.kind == TT_RTX &&
		    TA_IS_FIRED(e->x.timer.action))
			break;
		if (e->type != JE_SEG || e->u.seg.fate != FATE_DELIVERED)
			continue;
		g = &j->segs[e->u.seg.id];
		if (!g->valid || (enum side)g->dir == side)
			continue;
		if (first == NULL) {
			first = g;
			*ack = e->u.seg.id;
			if (g->seg.nsack > (segment_dsack(&g->seg) ? 1 : 0))
				return RESENT_SACK;
		}
		if (g->seg.len > 0 || !(g->seg.flags & TH_ACK) ||
		    (g->seg.flags & (TH_SYN | TH_FIN | TH_RST)) ||
		    g->seg.ack != first->seg.ack)
			break;
		if (++dups == 3)
			return RESENT_DUPACKS;
	}
	return RESENT_OTHER;
}

/*
 * A side's timer as it stands before event i: its due time, or -1; and
 * (as) how it was last armed or stopped, TA_CANCELLED if it never was.
 */
static vtime_t
timer_due(const struct journal *j, size_t i, enum side side,
    enum tcp_timer kind, enum timer_action *as)
{
	*as = TA_CANCELLED;
	for (size_t k = i; k-- > 0 && i - k <= LOOK_BACK_EVENTS; ) {
		const struct jevent	*e = &j->ev[k];

		if (e->type != JE_TIMER || e->side != side ||
		    e->x.timer.kind != kind)
			continue;
		*as = (enum timer_action)e->x.timer.action;
		return TA_IS_ARMED(*as) ? e->u.timer.due : -1;
	}
	return -1;
}

static void
seg_event(const struct journal *j, size_t i, enum lang lang, char *buf,
    size_t len)
{
	const struct jevent	*e = &j->ev[i];
	const struct jseg	*g = &j->segs[e->u.seg.id];
	enum side		 from = (enum side)g->dir, to = !from;
	char			 what[96], t[48];
	size_t			 n = 0;
	int			 first;
	vtime_t			 due;
	enum timer_action	 as;
	bool			 seqspace;

	seg_words(what, sizeof what, g, lang);
	switch (e->u.seg.fate) {
	case FATE_SENT:
		if (g->injected && lang == LANG_EN)
			add(buf, len, &n, "The script puts %s on the link "
			    "toward %s.", what, side_word(to, lang));
		else if (g->injected)
			add(buf, len, &n, "脚本向%s注入 %s。",
			    side_word(to, lang), what);
		else if ((first = repeats(j, e->u.seg.id)) >= 0) {
			int		 ack = -1;
			enum resent	 why = resent_why(j, i, from, &ack);

			add(buf, len, &n, lang == LANG_EN ? "%s sends %s "
			    "again: a retransmission of #%d." :
			    "%s再次发出 %s：这是 #%d 的重传。",
			    side_cap(from, lang), what, j->segs[first].id);
			if (why == RESENT_DUPACKS)
				add(buf, len, &n, lang == LANG_EN ? " #%d is "
				    "the third duplicate ACK in a row (ack=%"
				    PRIu32 " each time): fast retransmit (RFC "
				    "5681 3.2) sends the missing segment now, "
				    "not when the timer runs out." :
				    "#%d 是连续第三个重复 ACK（每次都是 ack=%"
				    PRIu32 "）：快速重传（RFC 5681 第 3.2 节）"
				    "立即重发缺失的报文段，不等定时器超时。",
				    j->segs[ack].id, j->segs[ack].rel_ack);
			if (why == RESENT_SACK)
				add(buf, len, &n, lang == LANG_EN ? " The "
				    "SACK in #%d shows data sent after #%d "
				    "has arrived, so #%d is taken for lost "
				    "(RACK, RFC 8985) and goes at once, not "
				    "when the timer runs out." :
				    "#%d 的 SACK 表明 #%d 之后发出的数据已经"
				    "到达，于是判定 #%d 丢失（RACK，RFC "
				    "8985），立即重发，不等定时器超时。",
				    j->segs[ack].id, j->segs[first].id,
				    j->segs[first].id);
		} else {
			const struct jseg	*was =
			    sent_by_read(j, i, from) ?
			    window_update(j, e->u.seg.id) : NULL;

			add(buf, len, &n, lang == LANG_EN ? "%s sends %s." :
			    "%s发出 %s。", side_cap(from, lang), what);
			if (was != NULL)
				add(buf, len, &n, lang == LANG_EN ? " It "
				    "acknowledges nothing new: a window update, "
				    "%" PRIu64 " bytes where its last segment "
				    "offered %" PRIu64 ". The read made room in "
				    "the receive buffer, and the window says so "
				    "at once (RFC 9293 3.8.6.2.2)." :
				    "它没有确认新的数据，是一个窗口更新：%" PRIu64
				    " 字节，上一个报文段通告的是 %" PRIu64 " 字节。"
				    "read() 在接收缓冲区里腾出了空间，窗口随即告知"
				    "对方（RFC 9293 第 3.8.6.2.2 节）。",
				    journal_window(j, g), journal_window(j, was));
		}
		if (g->valid)
			sack_words(buf, len, &n, g, lang);
		break;
	case FATE_DELIVERED:
		add(buf, len, &n, lang == LANG_EN ? "%s reaches %s." :
		    "%s到达%s。", what, side_word(to, lang));
		break;
	case FATE_DUPLICATED:
		add(buf, len, &n, lang == LANG_EN ? "A second copy of %s "
		    "reaches %s." : "%s 的第二个副本到达%s。", what,
		    side_word(to, lang));
		break;
	case FATE_DROPPED:
		add(buf, len, &n, lang == LANG_EN ? "%s is lost on the way: "
		    "%s never sees it." : "%s 在途中丢失：%s根本没有收到它。",
		    what, side_word(to, lang));
		if (!g->valid || g->injected)
			break;
		due = timer_due(j, i, from, TT_RTX, &as);
		seqspace = g->seg.len > 0 || (g->seg.flags & (TH_SYN | TH_FIN));
		if (due >= 0 && seqspace && as == TA_ARMED_PROBE)
			add(buf, len, &n, lang == LANG_EN ? " Unless something "
			    "acknowledges it first, %s's timer fires at %s as "
			    "a tail loss probe: one more segment goes, to draw "
			    "an ACK that shows the loss." :
			    "除非在此之前得到确认，%s的定时器会在 %s到期，作为"
			    "尾部丢失探测：再发一个报文段，引出一个能表明丢失的 "
			    "ACK。", side_word(from, lang), seconds(t, due, lang));
		else if (due >= 0 && seqspace)
			add(buf, len, &n, lang == LANG_EN ? " Unless something "
			    "acknowledges it first, %s sends it again when its "
			    "retransmission timer fires at %s." :
			    "除非在此之前得到确认，%s会在重传定时器于 %s到期时"
			    "重发它。", side_word(from, lang),
			    seconds(t, due, lang));
		else if (!seqspace)
			add(buf, len, &n, lang == LANG_EN ? " It takes no "
			    "sequence number, so no timer sends it again: only "
			    "%s's own timer can repair the loss." :
			    "它不占序号，所以没有定时器会重发它：只能靠%s自己的"
			    "定时器来弥补。", side_word(to, lang));
		break;
	case FATE_IGNORED:
		add(buf, len, &n, lang == LANG_EN ? "%s throws a datagram "
		    "away: %s." : "%s丢弃了一个数据报：%s。",
		    side_cap(to, lang), why_words[g->why < NWHYS ?
		    g->why : WHY_NONE][lang]);
		break;
	}
}

static void
state_event(const struct jevent *e, enum lang lang, char *buf, size_t len)
{
	const struct tcp_cause_info *ci = &tcp_causes[e->u.state.cause];
	char			 cause[256];
	size_t			 n = 0;

	add(buf, len, &n, lang == LANG_EN ? "%s goes from %s to %s" :
	    "%s从 %s 进入 %s", side_cap((enum side)e->side, lang),
	    tcp_state_names[e->u.state.from], tcp_state_names[e->u.state.to]);
	tcp_cause_text(cause, sizeof cause, (enum tcp_cause)e->u.state.cause,
	    e->u.state.n, lang);
	if (cause[0] != '\0')
		add(buf, len, &n, lang == LANG_EN ? ": %s" : "：%s", cause);
	if (ci->rfc != NULL)
		add(buf, len, &n, lang == LANG_EN ? " (RFC 9293 %s)" :
		    "（RFC 9293 第 %s 节）", ci->rfc);
	add(buf, len, &n, lang == LANG_EN ? "." : "。");
}

/* The retransmission timer armed for a tail loss probe, and as RACK's
 * reordering wait: who, and when. */
static const char *const rtx_armed_as[3][NLANGS] = {
	{ "%s's timer is set for a tail loss probe at %s (RFC 8985 7): if "
	  "nothing is acknowledged by then, one more segment goes, to draw "
	  "an ACK that shows what is lost.",
	  "%s的定时器设为 %s做尾部丢失探测（RFC 8985 第 7 节）：到时如果还没有"
	  "任何确认，就再发一个报文段，引出一个能说明丢了什么的 ACK。" },
	{ "%s waits until %s (RACK, RFC 8985 6.3): what it sent before the "
	  "segment just SACKed may only be out of order; if it is still not "
	  "acknowledged then, it is lost and goes again.",
	  "%s等到 %s（RACK，RFC 8985 第 6.3 节）：比刚被 SACK 的报文段先发的"
	  "数据也许只是乱了序；到时仍未确认，就判定丢失并重发。" },
	{ "%s's timer is set for a zero-window probe at %s (RFC 9293 "
	  "3.8.6.1): data waits, but the peer's window has no room for it; "
	  "if the window is still closed then, a probe goes to ask for it.",
	  "%s的定时器设为 %s做零窗口探测（RFC 9293 第 3.8.6.1 节）：有数据在"
	  "等，但对方的窗口放不下；到时窗口仍关着，就发一个探测去问。" },
};

/* ... and firing so: who. */
static const char *const rtx_fired_as[4][NLANGS] = {
	{ "%s's timer fires as a tail loss probe (RFC 8985), not a timeout: "
	  "one segment goes, new data if there is some and else the last one "
	  "again, so that the ACK it draws shows what was lost; no backoff, "
	  "no retry counted.",
	  "%s的定时器到期，这是尾部丢失探测（RFC 8985），不是超时：发出一个报"
	  "文段（有新数据就发新数据，否则重发最后一个），让它引出的 ACK 表明"
	  "丢了什么；不退避，也不算一次重试。" },
	{ "%s's timer fires as RACK's reordering wait (RFC 8985 6.3): a "
	  "segment sent later has arrived, this long was allowed for the "
	  "earlier ones to come out of order, and those still not "
	  "acknowledged are now taken for lost and sent again.",
	  "%s的定时器到期，这是 RACK 的乱序等待（RFC 8985 第 6.3 节）：后发的"
	  "报文段已经到达，先发的也许只是乱了序，为此等了这么久；仍未确认的那"
	  "些现在判定为丢失，立即重发。" },
	{ "%s's timer fires for a zero-window probe (RFC 9293 3.8.6.1).  If "
	  "the window has opened, if only a little, what of the waiting data "
	  "fits goes now, marked PSH; if it is still closed, a probe goes, an "
	  "ACK one octet behind what was sent (Linux's), which the peer "
	  "answers with its window, and the next probe waits twice as long.",
	  "%s的定时器到期，这是零窗口探测（RFC 9293 第 3.8.6.1 节）。窗口若"
	  "已打开，哪怕只开了一点，等待中的数据能放下多少就立即发多少，带 "
	  "PSH；若仍关着，就发一个探测：序号比已发数据少一个字节的 ACK（Linux "
	  "的做法），对方要用自己的窗口回答它，下一次探测等两倍长。" },
	{ "%s's timer fires for a zero-window probe (RFC 9293 3.8.6.1).  If "
	  "the window has opened, but too little for a full segment, what "
	  "fits goes now: the timeout that overrides the sender's silly "
	  "window avoidance (3.8.6.2.1).  If it is still shut, the next octet "
	  "of data goes as the probe: the peer refuses it with an ACK that "
	  "gives its window, or takes it if its window has opened; the next "
	  "probe waits twice as long.",
	  "%s的定时器到期，这是零窗口探测（RFC 9293 第 3.8.6.1 节）。窗口若"
	  "已打开，但放不下一个完整的报文段，能放下多少就立即发多少：这是越过"
	  "发送方糊涂窗口避免的超时（第 3.8.6.2.1 节）。若仍关着，就把下一个"
	  "字节的数据作为探测发出：对方拒收它，回一个报告窗口的 ACK；窗口若已"
	  "重新打开，就收下它。下一次探测等两倍长。" },
};

/* The words of timer_armed are ours, each with two %s (a test checks). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static void
timer_event(const struct journal *j, const struct jevent *e, enum lang lang,
    char *buf, size_t len)
{
	enum tcp_timer	 kind = (enum tcp_timer)e->x.timer.kind;
	enum side	 side = (enum side)e->side;
	char		 t[48];
	size_t		 n = 0;

	switch ((enum timer_action)e->x.timer.action) {
	case TA_ARMED:
		add(buf, len, &n, timer_armed[kind][lang], side_cap(side,
		    lang), seconds(t, e->u.timer.due, lang));
		break;
	case TA_ARMED_PROBE:
	case TA_ARMED_REO:
	case TA_ARMED_ZWP:
		add(buf, len, &n, rtx_armed_as[e->x.timer.action ==
		    TA_ARMED_ZWP ? 2 : e->x.timer.action == TA_ARMED_REO][lang],
		    side_cap(side, lang), seconds(t, e->u.timer.due, lang));
		break;
	case TA_CANCELLED:
		add(buf, len, &n, lang == LANG_EN ? "%s's %s timer is "
		    "stopped: what it waited for has come." :
		    "%s的%s定时器停止：它等待的事情已经发生。",
		    side_cap(side, lang), timer_words[kind][lang]);
		break;
	case TA_CLEARED:
		add(buf, len, &n, lang == LANG_EN ? "%s's %s timer is "
		    "stopped: the connection's record (TCB) is deleted, and "
		    "its timers with it." :
		    "%s的%s定时器停止：连接的记录（TCB）被删除，定时器随之撤销。",
		    side_cap(side, lang), timer_words[kind][lang]);
		break;
	case TA_FIRED:
		add(buf, len, &n, lang == LANG_EN ? "%s's %s timer fires." :
		    "%s的%s定时器到期。", side_cap(side, lang),
		    timer_words[kind][lang]);
		break;
	case TA_PROBE:
	case TA_REO:
	case TA_ZWP:
		add(buf, len, &n, rtx_fired_as[e->x.timer.action != TA_ZWP ?
		    e->x.timer.action == TA_REO :
		    profiles[j->conn.profile].zwp_octet ? 3 : 2][lang],
		    side_cap(side, lang));
		break;
	case TA_PENDING:
		add(buf, len, &n, lang == LANG_EN ? "The run stops here with "
		    "%s's %s timer still running; it would fire at %s." :
		    "运行到此结束，%s的%s定时器仍在计时，本应在 %s 到期。",
		    side_word(side, lang), timer_words[kind][lang],
		    seconds(t, e->u.timer.due, lang));
		break;
	}
}

#pragma GCC diagnostic pop

static void
call_event(const struct journal *j, const struct jevent *e, enum lang lang,
    char *buf, size_t len)
{
	const struct jcall	*c = journal_call_of(j, e);
	struct tcp_result	 r = journal_result(c);
	enum side		 side = (enum side)e->side;
	char			 res[256];
	size_t			 n = 0;

	switch ((enum tcp_call)c->call) {
	case CALL_CRASH:
		add(buf, len, &n, lang == LANG_EN ? "%s's host crashes: it "
		    "sends nothing and takes in nothing." :
		    "%s所在的主机崩溃：它既不发送也不接收任何东西。",
		    side_cap(side, lang));
		return;
	case CALL_REBOOT:
		add(buf, len, &n, lang == LANG_EN ? "%s's host comes back, "
		    "having forgotten every connection." :
		    "%s所在的主机重新启动，忘记了所有连接。",
		    side_cap(side, lang));
		return;
	case CALL_EXIT:
		add(buf, len, &n, lang == LANG_EN ? "%s's program exits "
		    "without calling close(): the kernel closes every socket "
		    "it held, as close() would." :
		    "%s的程序没有调用 close() 就退出了：内核替它关闭了它持有的"
		    "所有套接字，效果和 close() 一样。", side_cap(side, lang));
		break;
	case CALL_KEEPALIVE:
		add(buf, len, &n, lang == LANG_EN ? "%s turns keepalive %s." :
		    "%s%s保活。", side_cap(side, lang), c->arg ?
		    (lang == LANG_EN ? "on" : "开启") : (lang == LANG_EN ?
		    "off" : "关闭"));
		break;
	default:
		if (c->has_arg)
			add(buf, len, &n, lang == LANG_EN ? "%s calls %s(%"
			    PRIu32 ")." : "%s调用 %s(%" PRIu32 ")。",
			    side_cap(side, lang), tcp_call_names[c->call],
			    c->arg);
		else
			add(buf, len, &n, lang == LANG_EN ? "%s calls %s()." :
			    "%s调用 %s()。", side_cap(side, lang),
			    tcp_call_names[c->call]);
		break;
	}
	tcp_result_text(res, sizeof res, &r, lang);
	if (r.err != TE_NONE && r.err != TE_AGAIN)
		add(buf, len, &n, lang == LANG_EN ? " It fails with %s." :
		    "调用失败：%s。", res);
	else if (res[0] != '\0')
		add(buf, len, &n, lang == LANG_EN ? " Result: %s." :
		    "结果：%s。", res);
}

/* What an expectation names, in words: "to be ESTABLISHED". */
static void
expect_event(const struct journal *j, const struct jevent *e, enum lang lang,
    enum narrate_change change, char *buf, size_t len)
{
	const struct jexpect	*x = e->u.expect;
	enum side		 side = e->side >= 0 ? (enum side)e->side :
				    SIDE_CLIENT;
	const char		*after = "";
	char			 want[96], got[96], fl[16], sec[48];
	size_t			 n = 0, k = 0;

	static const char *const afters[][NLANGS] = {
		[NC_NONE] = { "", "" },
		[NC_CALLS] = { "after your calls, ", "经过你的操作，" },
		[NC_DROP] = { "after your drop, ", "你丢弃报文段之后，" },
		[NC_DELAY] = { "after your delay, ", "你延迟报文段之后，" },
		[NC_DUP] = { "after your copy, ", "你复制报文段之后，" },
	};

	if (!x->ok)
		after = afters[change][lang];
	switch (x->kind) {
	case EXPECT_STATE:
	case EXPECT_REACH:
		if (x->ok)
			add(buf, len, &n, lang == LANG_EN ? "As the lesson "
			    "expects, %s is in %s." : "正如课程所料，%s处于 %s。",
			    side_word(side, lang), tcp_state_names[x->want]);
		else
			add(buf, len, &n, lang == LANG_EN ? "The lesson "
			    "expected %s to be in %s here; %sit is in %s." :
			    "课程原以为%s此时处于 %s；%s它处于 %s。",
			    side_word(side, lang), tcp_state_names[x->want %
			    TCP_NSTATES], after, tcp_state_names[x->got %
			    TCP_NSTATES]);
		break;
	case EXPECT_ERROR:
		if (x->ok)
			add(buf, len, &n, lang == LANG_EN ? "As the lesson "
			    "expects, %s was told: %s." :
			    "正如课程所料，%s得到的结果是：%s。",
			    side_word(side, lang), error_words[x->want %
			    TCP_NERRORS][lang]);
		else
			add(buf, len, &n, lang == LANG_EN ? "The lesson "
			    "expected %s to be told: %s; %sit was told: %s." :
			    "课程原以为%s会得知：%s；%s它得知的是：%s。",
			    side_word(side, lang), error_words[x->want %
			    TCP_NERRORS][lang], after, error_words[x->got %
			    TCP_NERRORS][lang]);
		break;
	case EXPECT_READ:
		add(buf, len, &n, x->ok ? (lang == LANG_EN ? "As the lesson "
		    "expects, %s has read %" PRIu64 " bytes." :
		    "正如课程所料，%s已读到 %" PRIu64 " 字节。") :
		    (lang == LANG_EN ? "The lesson expected %s to have read %"
		    PRIu64 " bytes; " : "课程原以为%s已读到 %" PRIu64
		    " 字节；"), side_word(side, lang), x->want);
		if (!x->ok)
			add(buf, len, &n, lang == LANG_EN ? "%sit has read %"
			    PRIu64 "." : "%s它读到的是 %" PRIu64 " 字节。",
			    after, x->got);
		break;
	case EXPECT_QUEUED:
		add(buf, len, &n, x->ok ? (lang == LANG_EN ? "As the lesson "
		    "expects, %s's accept queue holds %" PRIu64
		    " connections." : "正如课程所料，%s的全连接队列里有 %"
		    PRIu64 " 条连接。") : (lang == LANG_EN ? "The lesson "
		    "expected %s's accept queue to hold %" PRIu64
		    " connections; " : "课程原以为%s的全连接队列里有 %" PRIu64
		    " 条连接；"), side_word(side, lang), x->want);
		if (!x->ok)
			add(buf, len, &n, lang == LANG_EN ? "%sit holds %"
			    PRIu64 "." : "%s实际是 %" PRIu64 " 条。", after,
			    x->got);
		break;
	case EXPECT_IGNORED:
		add(buf, len, &n, x->ok ? (lang == LANG_EN ? "As the lesson "
		    "expects, %" PRIu64 " datagrams were thrown away." :
		    "正如课程所料，有 %" PRIu64 " 个数据报被丢弃。") :
		    (lang == LANG_EN ? "The lesson expected %" PRIu64
		    " datagrams to be thrown away; " : "课程原以为会有 %"
		    PRIu64 " 个数据报被丢弃；"), x->want);
		if (!x->ok)
			add(buf, len, &n, lang == LANG_EN ? "%s%" PRIu64
			    " were." : "%s实际是 %" PRIu64 " 个。", after,
			    x->got);
		break;
	case EXPECT_SEGMENT:
		add(want, sizeof want, &k, "%s", segment_flags(x->flags, fl));
		if (x->fields & FIELD_SEQ)
			add(want, sizeof want, &k, " seq=%" PRIu32, x->seq);
		if (x->fields & FIELD_ACK)
			add(want, sizeof want, &k, " ack=%" PRIu32, x->ack);
		if (x->fields & FIELD_LEN)
			add(want, sizeof want, &k, " len=%" PRIu32, x->len);
		if (x->fields & FIELD_AT)
			add(want, sizeof want, &k, lang == LANG_EN ?
			    ", sent at %s" : "，于 %s发出", seconds(sec, x->at, lang));
		side = (enum side)x->dir;
		if (x->ok) {
			add(buf, len, &n, lang == LANG_EN ? "As the lesson "
			    "expects, the last segment %s sent is %s." :
			    "正如课程所料，%s最近发出的报文段是 %s。",
			    side_word(side, lang), want);
			break;
		}
		if (x->found >= 0) {
			seg_words(got, sizeof got, &j->segs[x->found], lang);
			if (x->fields & FIELD_AT) {
				k = strlen(got);
				add(got, sizeof got, &k, lang == LANG_EN ?
				    ", sent at %s" : "，于 %s发出",
				    seconds(sec, j->segs[x->found].t, lang));
			}
		}
		add(buf, len, &n, lang == LANG_EN ? "The lesson expected the "
		    "last segment %s sent to be %s; %s" :
		    "课程原以为%s最近发出的报文段是 %s；%s",
		    side_word(side, lang), want, after);
		if (x->found >= 0)
			add(buf, len, &n, lang == LANG_EN ? "it was %s." :
			    "实际是 %s。", got);
		else
			add(buf, len, &n, lang == LANG_EN ? "it has sent "
			    "none." : "它一个也没有发。");
		break;
	}
	if (lang == LANG_EN && n > 0 && buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/*
 * The words for event i of the journal, in a language: "" where the
 * event has nothing to say in it (a line of the script's in the other
 * language).  Returns buf.
 */
const char *
narrate(const struct journal *j, size_t i, enum lang lang,
    enum narrate_change change, char *buf, size_t len)
{
	const struct jevent	*e = &j->ev[i];
	size_t			 n = 0;

	buf[0] = '\0';
	switch ((enum jev_type)e->type) {
	case JE_SEG:
		seg_event(j, i, lang, buf, len);
		break;
	case JE_STATE:
		state_event(e, lang, buf, len);
		break;
	case JE_TIMER:
		timer_event(j, e, lang, buf, len);
		break;
	case JE_CALL:
		call_event(j, e, lang, buf, len);
		break;
	case JE_ERROR:
		add(buf, len, &n, lang == LANG_EN ? "%s's application is told "
		    "%s: %s." : "%s的应用得知 %s：%s。",
		    side_cap((enum side)e->side, lang),
		    tcp_error_names[e->u.error.err],
		    error_words[e->u.error.err][lang]);
		break;
	case JE_SAY:
		if (e->x.lang == lang)
			add(buf, len, &n, "%s", e->u.say.text);
		break;
	case JE_PAUSE:
		add(buf, len, &n, lang == LANG_EN ? "The lesson pauses here." :
		    "课程在这里暂停。");
		break;
	case JE_ASK:
		if (e->x.lang == lang)
			add(buf, len, &n, lang == LANG_EN ? "A question: %s "
			    "(the answer: %s)" : "提问：%s（答案：%s）",
			    e->u.ask.q->text,
			    e->u.ask.q->choices[e->u.ask.q->answer]);
		break;
	case JE_EXPECT:
		expect_event(j, e, lang, change, buf, len);
		break;
	}
	return buf;
}

/*
 * synfin run --narrate: the trace with each event's narration under it,
 * indented four spaces.  The script's own lines (SAY, ASK) and pauses are
 * words already, and are not said twice.
 */
void
narrate_print(FILE *f, const struct journal *j, enum lang lang)
{
	char	 buf[1024];

	for (size_t i = 0; i < j->nev; i++) {
		uint8_t	 type = j->ev[i].type;

		trace_print(f, j, i, i + 1, lang);
		if (type == JE_SAY || type == JE_ASK || type == JE_PAUSE)
			continue;
		narrate(j, i, lang, NC_NONE, buf, sizeof buf);
		if (buf[0] != '\0')
			fprintf(f, "    %s\n", buf);
	}
}

static int
rank_of(const struct jevent *e)
{
	switch (e->type) {
	case JE_EXPECT:
	case JE_SAY:
		return 0;
	case JE_SEG:
		return e->u.seg.fate == FATE_SENT ? 1 : 0;
	case JE_STATE:
	case JE_CALL:
	case JE_ERROR:
		return 1;
	case JE_TIMER:
		return TA_IS_ARMED(e->x.timer.action) ||
		    e->x.timer.action == TA_PENDING ? 2 : 3;
	default:
		return 3;
	}
}

/*
 * Step k's lines, in a language.  The script's own lines, as long as
 * their premise holds (session_holds), are the teacher's voice; a step
 * without one is told by the generated narration, each event in words,
 * a failed expectation in plain words.  Each line has a rank: where the
 * room is short, the lines of the highest rank give way first.
 */
void
narrate_step(const struct session *s, size_t k, enum lang lang,
    struct narration *st)
{
	const struct journal	*j = session_journal(s);
	size_t			 from = session_applied(s, k - 1);
	size_t			 to = session_applied(s, k);
	enum rule_kind		 kind = RULE_DROP;
	size_t			 change = session_first_change(s, &kind);
	enum narrate_change	 how = s->sandbox ? NC_CALLS :
				    kind == RULE_DELAY ? NC_DELAY :
				    kind == RULE_DUP ? NC_DUP : NC_DROP;

	st->n = 0;
	st->scripted = false;
	for (size_t i = from; i < to; i++) {
		const struct jevent	*e = &j->ev[i];

		if (e->type == JE_SAY && e->x.lang == lang &&
		    session_holds(s, i))
			st->scripted = true;
	}
	for (size_t i = from; i < to && st->n < NARRATE_LINES; i++) {
		const struct jevent	*e = &j->ev[i];
		struct nline		*l = &st->line[st->n];

		switch (e->type) {
		case JE_SAY:
			if (e->x.lang != lang || !session_holds(s, i))
				continue;
			l->text = e->u.say.text;
			break;
		case JE_EXPECT:
			if (e->u.expect->ok)
				continue;
			break;
		case JE_ASK:
		case JE_PAUSE:
			continue;
		default:
			if (st->scripted)
				continue;
			break;
		}
		if (e->type != JE_SAY)
			l->text = narrate(j, i, lang, i >= change ? how :
			    NC_NONE, st->buf[st->n], sizeof st->buf[st->n]);
		if (l->text[0] == '\0')
			continue;
		l->bad = e->type == JE_EXPECT;
		l->rank = (uint8_t)rank_of(e);
		st->n++;
	}
}
