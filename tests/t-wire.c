/*
 * The wire, seen from outside: while a scenario runs, a packet socket on
 * lo reads the UDP datagrams between synfin's two sockets.  Each must
 * hold exactly one TCP segment whose checksum verifies over the
 * pseudo-header of 127.0.0.1, one datagram for each segment delivered,
 * and byte for byte what the journal recorded.  Needs root for the
 * packet socket; without it the capture part is skipped.
 *
 * The kernel filters the capture to UDP between the two sockets: other
 * tests flood lo at the same time, and what they send must not crowd
 * our datagrams out of the packet socket's buffer.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"

static const char script[] =
    "server listen\n"
    "client connect\n"
    "server accept\n"
    "client send 1000\n"
    "server read\n"
    "drop next s2c\n"
    "server send 300\n"
    "wait 1s\n"
    "dup next c2s\n"
    "client close\n"
    "wait 10ms\n"
    "server close\n"
    "inject c2s garbage 3\n";

/* Let through UDP datagrams between ports a and b (either way) alone. */
static int
filter(int fd, uint16_t a, uint16_t b)
{
	struct sock_filter	 code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),		/* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 8),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),		/* IP header */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),		/* source */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, b, 0, 5),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		/* dest */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, b, 1, 2),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog	 prog = { sizeof code / sizeof code[0], code };
	int			 size = 4 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof prog);
}

int
main(void)
{
	struct sockaddr_ll	 sll = { .sll_family = AF_PACKET };
	struct script		*s;
	struct run		 r;
	char			 err[256];
	static uint8_t		 buf[70000];
	int			 pkt, datagrams = 0, good = 0, same = 0;
	size_t			 delivered = 0, refused = 0;
	uint16_t		 ports[NSIDES + 1];

	/* Protocol 0: it takes nothing until bound, after the filter. */
	pkt = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (pkt == -1) {
		printf("1..0 # SKIP a packet socket needs root (%s)\n",
		    strerror(errno));
		return 0;
	}
	s = script_parse("wire.syn", script, strlen(script), err, sizeof err);
	ok(s != NULL, "the scenario reads (%s)", s ? "ok" : err);
	if (s == NULL || run_init(&r, s, err, sizeof err) == -1) {
		ok(0, "the socket pair opens (%s)", err);
		return tap_done();
	}
	for (int i = 0; i <= NSIDES; i++)
		ports[i] = ntohs(r.sim.wire.addr[i].sin_port);

	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex("lo");
	if (filter(pkt, ports[0], ports[1]) == -1 ||
	    bind(pkt, (struct sockaddr *)&sll, sizeof sll) == -1) {
		ok(0, "the capture on lo starts (%s)", strerror(errno));
		return tap_done();
	}

	run_all(&r);

	for (size_t i = 0; i < r.sim.journal.nev; i++) {
		const struct jevent	*e = &r.sim.journal.ev[i];

		if (e->type != JE_SEG)
			continue;
		if (e->u.seg.fate == FATE_DELIVERED ||
		    e->u.seg.fate == FATE_DUPLICATED)
			delivered++;
		if (e->u.seg.fate == FATE_IGNORED)
			refused++;
	}
	/* Read what crossed lo between our sockets, in order. */
	for (;;) {
		struct sockaddr_ll	 from;
		socklen_t		 fl = sizeof from;
		ssize_t			 n;
		struct iphdr		*ip = (struct iphdr *)buf;
		struct udphdr		*udp;
		struct seg_addrs	 a = { 0x7f000001, 0x7f000001 };
		struct segment		 seg;
		const struct jseg	*g;
		uint16_t		 sp, dp;

		memset(&from, 0, sizeof from);
		n = recvfrom(pkt, buf, sizeof buf, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		if ((size_t)n < sizeof *ip)
			continue;
		if (from.sll_pkttype == PACKET_OUTGOING ||
		    from.sll_protocol != htons(ETH_P_IP) ||
		    ip->protocol != IPPROTO_UDP)
			continue;
		udp = (struct udphdr *)(buf + ip->ihl * 4);
		sp = ntohs(udp->source);
		dp = ntohs(udp->dest);
		if (!((sp == ports[0] && dp == ports[1]) ||
		    (sp == ports[1] && dp == ports[0])))
			continue;
		datagrams++;
		n = ntohs(udp->len) - (ssize_t)sizeof *udp;
		if (segment_decode((uint8_t *)(udp + 1), (size_t)n, &a, &seg,
		    NULL) == SEG_OK)
			good++;
		/* Byte for byte a segment of the journal's. */
		for (size_t k = 0; k < r.sim.journal.nsegs; k++) {
			g = &r.sim.journal.segs[k];
			if (g->valid && (size_t)n == g->nbytes &&
			    memcmp(udp + 1, journal_bytes(&r.sim.journal, g),
			    g->nbytes) == 0) {
				same++;
				break;
			}
		}
	}
	is_int(good, (long long)delivered, "one valid segment on lo for each "
	    "segment delivered (%zu), none for the dropped one", delivered);
	is_int(datagrams - good, (long long)refused, "and the datagrams that "
	    "are not segments are the ones refused");
	is_int(same, good, "each segment checksums right over 127.0.0.1's "
	    "pseudo-header and is byte for byte the journal's");
	is_int(refused, 3, "the three garbage datagrams were refused");
	run_free(&r);
	script_free(s);
	return tap_done();
}
