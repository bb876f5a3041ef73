/* Every piece of interface text, in English and in Chinese (str.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "str.h"
#include "util.h"

static const char *const strings[M_NSTRINGS][NLANGS] = {
	[M_CLIENT] = { "CLIENT", "客户端" },
	[M_SERVER] = { "SERVER", "服务器" },
	[M_PAUSED] = { "|| paused", "|| 暂停" },
	[M_PLAYING] = { "> playing", "> 播放" },
	[M_STEP] = { "step", "步" },
	[M_SCORE] = { "score", "得分" },
	[M_IGNORED] = { "ignored", "丢弃的数据报" },
	[M_FAST] = { "fast", "快进" },
	[M_SANDBOX] = { "sandbox", "沙盒" },
	[M_TOO_SMALL] = {
	    "Terminal too small: synfin needs %dx%d, this one is %dx%d.",
	    "终端太小：synfin 至少需要 %dx%d，现在是 %dx%d。" },
	[M_NARRATION] = { "narration", "讲解" },
	[M_SEGMENT] = { "segment", "报文段" },
	[M_NO_SEGMENT] = {
	    "No segment yet. Tab or the arrow keys pick one once it is sent.",
	    "还没有报文段。发出之后，可以用 Tab 或方向键选择。" },
	[M_DIAGRAM] = { "state diagram (RFC 9293, figure 5)",
	    "状态图（RFC 9293 图 5）" },
	[M_HELP_TITLE] = { "synfin keys", "synfin 按键" },
	[M_NONE] = { "", "" },
	[M_HELP_SANDBOX] = {
	    "sandbox: 1 then a key makes the client act, 2 the server:",
	    "沙盒：先按 1 再按一个键让客户端操作，按 2 则是服务器：" },
	/* The help's lines, one a key binding (keys.c): the keys, then what
	 * they do. */
	[M_H_SELECT] = {
	    "Tab up dn  choose a segment (Esc: follow the newest)",
	    "Tab 上 下  选择报文段（Esc：跟随最新的）" },
	[M_H_PLAY] = { "space      play or pause", "空格       播放或暂停" },
	[M_H_NEXT] = { "n  right   the next step", "n  右方向键 下一步" },
	[M_H_BACK] = {
	    "b  left    the step before (exact: the run is replayed)",
	    "b  左方向键 上一步（精确：重新运行到那一步）" },
	[M_H_SPEED] = { "+  -       faster, slower",
	    "+  -       加快、减慢" },
	[M_H_RESTART] = { "r          start again from the beginning",
	    "r          从头开始" },
	[M_H_DROP] = {
	    "d          drop the chosen segment in flight, else the next sent",
	    "d          丢弃选中的在途报文段，否则丢弃下一个发出的" },
	[M_H_DELAY] = { "D          delay it 1.5 s", "D          延迟 1.5 秒" },
	[M_H_DUP] = { "c          deliver it twice (d, D, c again: undone)",
	    "c          重复投递一次（再按 d、D、c 即撤销）" },
	[M_H_DIAGRAM] = { "s          the state diagram", "s          状态图" },
	[M_H_DETAIL] = { "i Enter    the segment's header, field by field",
	    "i 回车     报文段首部，逐个字段" },
	[M_H_ANSWER] = { "1-9        answer a question",
	    "1-9        回答问题" },
	[M_H_LANG] = { "l          English / 中文", "l          English / 中文" },
	[M_H_TIMEAXIS] = { "t          time down the page, or one event a row",
	    "t          按时间排列，或每行一个事件" },
	[M_H_PRESENT] = { "p          presenter mode: for a projector",
	    "p          演示模式：适合投影" },
	[M_H_QUIT] = { "q          quit, or back to the lesson menu",
	    "q          退出，或回到课程列表" },
	/* The sandbox's calls: the socket API's own names. */
	[M_C_LISTEN] = { "listen", "listen" },
	[M_C_ACCEPT] = { "accept", "accept" },
	[M_C_CONNECT] = { "connect", "connect" },
	[M_C_SEND] = { "send", "send" },
	[M_C_SEND_100] = { "send 100", "send 100" },
	[M_C_READ] = { "read", "read" },
	[M_C_SHUTDOWN] = { "shutdown", "shutdown" },
	[M_C_CLOSE] = { "close", "close" },
	[M_C_ABORT] = { "abort", "abort" },
	[M_C_ABORT_RST] = { "abort (RST)", "abort（RST）" },
	[M_HELP_CLOSE] = { "any key closes this", "按任意键关闭" },
	[M_TIMER_RTX] = { "RTO", "重传" },
	[M_TIMER_DELACK] = { "delayed ACK", "延迟确认" },
	[M_TIMER_TIMEWAIT] = { "TIME_WAIT", "TIME_WAIT" },
	[M_TIMER_FINWAIT2] = { "FIN_WAIT_2", "FIN_WAIT_2" },
	[M_TIMER_KEEPALIVE] = { "keepalive", "保活" },
	[M_TIMER_TLP] = { "TLP", "探测" },
	[M_TIMER_REO] = { "RACK", "RACK" },
	[M_TIMER_ZWP] = { "ZWP", "零窗" },
	[M_FIRED_RTX] = { "RTO expired", "重传超时" },
	[M_FIRED_TLP] = { "loss probe", "丢失探测" },
	[M_FIRED_REO] = { "RACK: lost", "RACK 判丢" },
	[M_FIRED_ZWP] = { "window probe", "零窗口探测" },
	[M_FIRED_DELACK] = { "delayed ACK due", "延迟确认到时" },
	[M_FIRED_TIMEWAIT] = { "TIME_WAIT over", "TIME_WAIT 结束" },
	[M_FIRED_FINWAIT2] = { "FIN_WAIT_2 timeout", "FIN_WAIT_2 超时" },
	[M_FIRED_KEEPALIVE] = { "keepalive timer", "保活定时器" },
	[M_RETRY] = { "retry", "重试" },
	[M_DROPPED] = { "dropped", "丢失" },
	[M_IGNORED_SEG] = { "ignored", "被丢弃" },
	[M_COPY] = { "copy", "副本" },
	[M_HELD] = { "held", "扣留" },
	[M_WILL_DROP] = { "#%d %s will be dropped.", "#%d %s 将被丢弃。" },
	[M_WILL_DELAY] = { "#%d %s will arrive 1.5 s late.",
	    "#%d %s 将晚到 1.5 秒。" },
	[M_WILL_DUP] = { "#%d %s will arrive twice.", "#%d %s 将到达两次。" },
	[M_TAKEN_BACK] = { "#%d %s: taken back.", "#%d %s：已撤销。" },
	[M_DONE_ALREADY] = {
	    "#%d has already arrived; choose one in flight, or Esc.",
	    "#%d 已经到达；请选择在途的报文段，或按 Esc。" },
	[M_NOTHING_SENT] = { "Nothing more is sent in this lesson.",
	    "本课之后不再发送报文段。" },
	[M_NEXT_SENT] = { "The next segment sent will be: %s.",
	    "下一个发出的报文段将：%s。" },
	[M_AT_START] = { "This is the beginning.", "已经是开头。" },
	[M_AT_END] = { "The end. r starts again, b steps back.",
	    "结束。r 从头开始，b 后退。" },
	[M_AT_END_SANDBOX] = {
	    "Nothing more happens. 1 or 2 makes a side act.",
	    "之后不再发生什么。按 1 或 2 让一方操作。" },
	[M_AT_END_SKIPPED] = {
	    "The end, with %d question(s) skipped: b goes back to them. The "
	    "lesson is finished once they are answered.",
	    "结束，有 %d 个问题被跳过：按 b 回去作答。全部答完才算学完本课。" },
	[M_LATENCY_SET] = {
	    "Latency now %d ms: what is sent from here takes that long to "
	    "arrive (L again for the next).",
	    "延迟现在是 %d 毫秒：此后发出的报文段要这么久才到达（再按 L 换下一个）。" },
	[M_RESTART_SANDBOX] = {
	    "Start over? Your %d action(s) will be gone: r again to confirm, "
	    "any other key to keep them.",
	    "要从头开始吗？你的 %d 个操作将全部丢失：再按 r 确认，按其他键保留。" },
	[M_RESTART_LESSON] = {
	    "Start over without your %d change(s)? r again to confirm, any "
	    "other key to keep them.",
	    "不带你的 %d 处改动从头开始吗？再按 r 确认，按其他键保留。" },
	[M_K_SAVE] = { "save", "保存" },
	[M_SAVED] = { "Saved as %s: synfin %s plays it back.",
	    "已保存为 %s：用 synfin %s 回放。" },
	[M_RECORD_FAILED] = { "Recording not saved: %s",
	    "记录没有保存：%s" },
	[M_K_LATENCY] = { "latency", "延迟" },
	[M_K_PROFILE] = { "profile", "配置" },
	[M_K_HOLD] = { "hold", "扣留" },
	[M_K_RELEASE] = { "release", "放行" },
	[M_RELEASED] = { "Held segments go on their way now.",
	    "被扣留的报文段现在继续上路。" },
	/* The help's lines that say otherwise on the kernel's sandbox. */
	[M_H_LIVE_NEXT] = { "n  right   let the segment held longest go on",
	    "n  右方向键 放行扣留最久的报文段" },
	[M_H_LIVE_BACK] = {
	    "b  left    the step before (what the kernels did stays done)",
	    "b  左方向键 上一步（内核已经做的事不会撤销）" },
	[M_H_LIVE_RESTART] = { "r          back to the first step",
	    "r          回到第一步" },
	[M_H_LIVE_DROP] = {
	    "d          lose the segment held longest (or the chosen one)",
	    "d          丢弃扣留最久的报文段（或选中的那个）" },
	[M_H_LIVE_DUP] = { "c          deliver it twice (done at once, for good)",
	    "c          重复投递一次（立即生效，无法撤销）" },
	[M_H_LIVE_MORE] = {
	    "L latency 0/20/200 ms  H hold every segment, or none  R release all",
	    "L 延迟 0/20/200 毫秒  H 扣留全部报文段或不扣留  R 全部放行" },
	[M_LIVE_HINT] = {
	    "The real kernel: every segment waits for you. Press 2 then l "
	    "to make the server listen, then 1 then c to connect. n lets "
	    "the segment held longest go on; d drops it, c copies it, D "
	    "delays it; R lets them all go, H stops holding. The kernels' "
	    "timers do not wait: hold a segment too long and its sender "
	    "sends it again.",
	    "真实内核：每个报文段都等你放行。先按 2 再按 l 让服务器监听，"
	    "然后按 1 再按 c 发起连接。按 n 放行扣留最久的报文段；按 d 丢弃，"
	    "c 复制，D 延迟；R 全部放行，H 不再扣留。内核的定时器不会等你：扣留太久，"
	    "发送方就会重传。" },
	[M_LIVE_NONE_HELD] = {
	    "Nothing is held: the kernels wait for a call, or for a timer of "
	    "their own.",
	    "没有扣留的报文段：两端内核在等待操作，或等它们自己的定时器。" },
	[M_LIVE_HELD] = {
	    "#%d %s is held: n lets it go on, d drops it, c copies it, D "
	    "delays it.",
	    "#%d %s 被扣留：按 n 放行，d 丢弃，c 复制，D 延迟。" },
	[M_LIVE_HOLD_ON] = {
	    "From now on every segment is held until n lets it go on.",
	    "此后每个报文段都被扣留，直到按 n 放行。" },
	[M_LIVE_HOLD_OFF] = {
	    "Segments go on by themselves now, after the latency (L sets "
	    "it); d drops one on its way; H holds them again.",
	    "报文段现在自行上路，经过延迟后到达（按 L 设置延迟）；按 d 丢弃"
	    "途中的报文段；按 H 重新扣留。" },
	[M_LIVE_DROPPED] = {
	    "#%d %s is lost: the other kernel never sees it. Its sender "
	    "sends it again when its own timer runs out.",
	    "#%d %s 丢失了：对方内核根本收不到。发送方自己的定时器到期后会重传。" },
	[M_LIVE_COPIED] = {
	    "#%d %s goes on, and a copy of it 100 ms later.",
	    "#%d %s 放行，100 毫秒后再送达一份副本。" },
	[M_LIVE_DELAYED] = { "#%d %s goes on, 1.5 s late.",
	    "#%d %s 放行，晚 1.5 秒到达。" },
	[M_KERNEL_SANDBOX] = { "kernel sandbox", "内核沙盒" },
	[M_PROFILE_SET] = {
	    "Profile %s: the same calls again, from the start.",
	    "配置 %s：同样的操作，从头再来一遍。" },
	[M_WILL_HOLD] = { "#%d %s will be held until R lets it go.",
	    "#%d %s 将被扣留，直到按 R 放行。" },
	[M_TAG_HOLD] = { "[to hold]", "[将扣留]" },
	[M_H_SANDBOX_MORE] = {
	    "L latency 0/20/200 ms  P profile  H hold  R release",
	    "L 延迟 0/20/200 毫秒  P 切换配置  H 扣留  R 放行" },
	[M_C_KEEPALIVE] = { "keepalive", "保活" },
	[M_C_CRASH] = { "crash", "崩溃" },
	[M_C_REBOOT] = { "reboot", "重启" },
	[M_MORE_ABOVE] = { "%s %d more above", "%s 上面还有 %d 课" },
	[M_MORE_BELOW] = { "%s %d more below", "%s 下面还有 %d 课" },
	[M_ANSWER_FIRST] = {
	    "Answer the question first: press 1-%d (End skips to the end).",
	    "请先回答问题：按 1-%d（End 跳到结尾）。" },
	[M_ASK_PROMPT] = { "Press 1-%d to answer.", "按 1-%d 作答。" },
	[M_RIGHT] = { "Right.", "答对了。" },
	[M_WRONG] = { "Not quite: the answer is \"%s\".", "不对：答案是“%s”。" },
	[M_ANSWERED] = { "You answered %s.", "你的答案：%s。" },
	[M_EXPECT_FAILED] = { "expectation failed: %s", "预期不符：%s" },
	[M_SCRIPT_STOPPED] = { "The script stopped: %s", "脚本中止：%s" },
	[M_SANDBOX_HINT] = {
	    "Sandbox: nothing is scripted. Press 2 then l to make the server "
	    "listen, then 1 then c to connect. Then try anything: send, "
	    "close, abort, d to drop a segment, L for a latency so that "
	    "segments cross (? lists the keys).",
	    "沙盒：没有脚本。先按 2 再按 l 让服务器监听，然后按 1 再按 c "
	    "发起连接。之后随便试：发送、关闭、中止，按 d 丢弃报文段，按 L 设置"
	    "延迟让报文段交错（? 列出所有按键）。" },
	[M_LAST_TRANSITION] = { "last: %s %s -> %s  (RFC 9293 %s)",
	    "最近：%s %s -> %s（RFC 9293 %s）" },
	[M_NO_TRANSITION] = { "No transition yet.", "还没有状态转换。" },
	[M_F_SPORT] = { "source port", "源端口" },
	[M_F_DPORT] = { "destination port", "目的端口" },
	[M_F_SEQ] = { "sequence number", "序号" },
	[M_F_ACK] = { "acknowledgment", "确认号" },
	[M_F_OFF] = { "data offset", "数据偏移" },
	[M_F_FLAGS] = { "flags", "标志" },
	[M_F_WIN] = { "window", "窗口" },
	[M_F_CKSUM] = { "checksum", "校验和" },
	[M_F_URP] = { "urgent pointer", "紧急指针" },
	[M_F_OPTIONS] = { "options", "选项" },
	[M_F_PAYLOAD] = { "data", "数据" },
	[M_F_BYTES] = { "bytes", "字节" },
	[M_D_SPORT] = { "which socket sent it, and to which",
	    "哪个套接字发出，发往哪个" },
	[M_D_SEQ] = { "number of its first data octet",
	    "第一个数据字节的序号" },
	[M_D_SEQ_SYN] = { "the sender's ISN; SYN takes one number",
	    "发送方的 ISN；SYN 占用一个序号" },
	[M_D_ACK] = { "the next octet the sender expects",
	    "发送方期待的下一个字节" },
	[M_D_NOACK] = { "not valid: ACK is not set", "无效：没有 ACK 标志" },
	[M_D_OFF] = { "header length in 32-bit words",
	    "首部长度，以 32 位字为单位" },
	[M_D_WIN] = { "octets the sender can still take in",
	    "发送方还能接收的字节数" },
	[M_D_CKSUM_OK] = { "verified over pseudo-header, header and data",
	    "已校验：伪首部、首部和数据" },
	[M_D_CKSUM_BAD] = { "does NOT verify: the receiver drops it",
	    "校验失败：接收方会丢弃它" },
	[M_D_URP] = { "unused unless URG is set", "只有 URG 置位时才有意义" },
	[M_D_OPTIONS] = { "agreed in the handshake", "在握手时协商" },
	[M_D_NOOPTIONS] = { "none", "无" },
	[M_D_SACK] = {
	    "sack: bytes held past the ack; only the gap is resent (RFC 2018)",
	    "sack：已收到 ack 之后的这些字节，只需重传缺口（RFC 2018）" },
	[M_D_DSACK] = {
	    "sack below the ack: those bytes came twice (D-SACK, RFC 2883)",
	    "ack 之下的 sack：这些字节收到了两次（D-SACK，RFC 2883）" },
	[M_D_PAYLOAD] = { "application data carried", "携带的应用数据" },
	[M_RELATIVE] = { "relative", "相对" },
	[M_SENT_AT] = { "sent at", "发出于" },
	[M_ARRIVED_AT] = { "arrived at", "到达于" },
	[M_LOST_AT] = { "lost at", "丢失于" },
	[M_IN_FLIGHT] = { "in flight", "在途" },
	[M_RESTARTED] = { "From the beginning.", "从头开始。" },
	[M_SPEED] = { "speed", "速度" },
	[M_LANGUAGE] = { "English", "中文" },
	[M_TAG_DROP] = { "[to drop]", "[将丢弃]" },
	[M_TAG_DELAY] = { "[to delay]", "[将延迟]" },
	[M_TAG_DUP] = { "[to copy]", "[将复制]" },
	[M_K_PLAY] = { "play", "播放" },
	[M_K_NEXT] = { "next", "下一步" },
	[M_K_BACK] = { "back", "上一步" },
	[M_K_DROP] = { "drop", "丢弃" },
	[M_K_DELAY] = { "delay", "延迟" },
	[M_K_COPY] = { "copy", "复制" },
	[M_K_DIAGRAM] = { "diagram", "状态图" },
	[M_K_HEADER] = { "header", "首部" },
	[M_K_LANG] = { "中文", "English" },
	[M_K_HELP] = { "help", "帮助" },
	[M_K_QUIT] = { "quit", "退出" },
	[M_K_SPEED] = { "speed", "速度" },
	[M_K_CLIENT] = { "client", "客户端" },
	[M_K_SERVER] = { "server", "服务器" },
	[M_K_CANCEL] = { "cancel", "取消" },
	[M_K_LADDER] = { "ladder", "时序图" },
	[M_K_OTHER] = { "another", "换一个" },
	[M_K_MENU] = { "lessons", "课程列表" },
	[M_K_CHOOSE] = { "choose", "选择" },
	[M_K_OPEN] = { "open", "打开" },
	[M_MENU] = { "Lessons", "课程" },
	[M_MENU_DONE] = { "%d of %d finished", "已完成 %d/%d" },
	[M_MENU_BEST] = { "best %d/%d", "最好成绩 %d/%d" },
	[M_MENU_QUESTIONS] = { "best -/%d", "最好成绩 -/%d" },
	[M_GROUP_OPENING] = { "Opening a connection", "建立连接" },
	[M_GROUP_CLOSING] = { "Closing a connection", "关闭连接" },
	[M_GROUP_FAILURES] = { "When things go wrong", "异常与故障" },
	[M_GROUP_DETAILS] = { "A closer look", "细节" },
	[M_GROUP_OTHER] = { "Other scripts", "其他脚本" },
	[M_NO_LESSONS] = {
	    "No lessons found in %s. Set LESSONS_DIR to a directory of "
	    "lessons, or open a script: synfin FILE.",
	    "在 %s 中没有找到课程。请把 LESSONS_DIR 设为课程所在的目录，"
	    "或直接打开脚本：synfin 文件名。" },
	[M_NO_LESSON_DIR] = {
	    "No lesson directory found. Set LESSONS_DIR to a directory of "
	    "lessons, or open a script: synfin FILE.",
	    "没有找到课程目录。请把 LESSONS_DIR 设为课程所在的目录，"
	    "或直接打开脚本：synfin 文件名。" },
	[M_BAD_LESSONS] = { "%zu file(s) could not be read; the first: %s",
	    "有 %zu 个文件无法读取；第一个：%s" },
	[M_OPEN_FAILED] = { "Cannot open the lesson: %s",
	    "无法打开课程：%s" },
	[M_SAVE_FAILED] = { "Progress not saved: %s", "进度未能保存：%s" },
	[M_FLAG_FIN] = { "FIN: the sender has no more data",
	    "FIN：发送方没有更多数据了" },
	[M_FLAG_SYN] = { "SYN: synchronize sequence numbers",
	    "SYN：同步序号" },
	[M_FLAG_RST] = { "RST: reset the connection", "RST：重置连接" },
	[M_FLAG_PSH] = { "PSH: hand the data to the application now",
	    "PSH：立即把数据交给应用" },
	[M_FLAG_ACK] = { "ACK: the acknowledgment field is valid",
	    "ACK：确认号字段有效" },
	[M_FLAG_URG] = { "URG: the urgent pointer is valid",
	    "URG：紧急指针有效" },
};

const char *
msg_text(enum msg m, enum lang lang)
{
	const char	*s = strings[m][lang];

	return s != NULL ? s : strings[m][LANG_EN];
}

/*
 * The table's strings are formats.  The compiler cannot check arguments
 * against a format it does not see, so msg_check (run by the tests) makes
 * sure each language's conversions are the same, in the same order.
 */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int
msg_vformat(char *buf, size_t len, enum msg m, enum lang lang, va_list ap)
{
	return vsnprintf(buf, len, msg_text(m, lang), ap);
}

int
msg_format(char *buf, size_t len, enum msg m, enum lang lang, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, lang);
	n = msg_vformat(buf, len, m, lang, ap);
	va_end(ap);
	return n;
}

/* Every string in both languages, with the same conversions: 0, or -1. */
int
msg_check(void)
{
	for (int m = 0; m < M_NSTRINGS; m++) {
		if (strings[m][LANG_EN] == NULL || strings[m][LANG_ZH] == NULL ||
		    !formats_agree(strings[m][LANG_EN], strings[m][LANG_ZH]))
			return -1;
	}
	return 0;
}
