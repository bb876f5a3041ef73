/*
 * Real captures: a pcap or pcapng file read through libpcap (Ethernet,
 * Linux cooked v1 and v2, BSD loopback, raw IP), its IPv4 TCP packets
 * grouped by connection, and one connection made into a journal: each
 * packet a segment sent and seen at the capture's own time, and both
 * sides' states inferred as an observer on the wire would infer them.
 * Where the wire cannot say (a listen(), a close() or a shutdown(), the
 * end of TIME_WAIT), the cause and the narration say so.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "segment.h"
#include "util.h"

#define CAPTURE_MAX	1000000		/* packets kept, at most */

struct packet {
	vtime_t		 t;
	uint32_t	 src;
	uint32_t	 dst;
	uint8_t		*tcp;		/* the TCP header and data */
	size_t		 len;
	struct segment	 seg;
	int		 conn;
};

struct conn {
	uint32_t	 ip[2];		/* [0]: the client, once known */
	uint16_t	 port[2];
	size_t		 npackets;
	bool		 syn_seen;
};

/* Where the IPv4 header starts in a frame of this link type, or -1. */
static long
ip_offset(int dlt, const uint8_t *p, size_t n)
{
	size_t	 off;
	uint16_t type;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return -1;
		off = 12;
		type = get16(p + off);
		while (type == 0x8100 && n >= off + 6) {	/* VLAN */
			off += 4;
			type = get16(p + off);
		}
		return type == 0x0800 ? (long)off + 2 : -1;
	case DLT_LINUX_SLL:
		return n >= 16 && get16(p + 14) == 0x0800 ? 16 : -1;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return n >= 20 && get16(p) == 0x0800 ? 20 : -1;
#endif
	case DLT_NULL:
	case DLT_LOOP:
		/* The family in host order (NULL) or network order (LOOP). */
		if (n < 4)
			return -1;
		return (p[0] == 2 && p[1] == 0) || (p[3] == 2 && p[2] == 0) ?
		    4 : -1;
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
#endif
		return 0;
	default:
		return -1;
	}
}

/* One frame: its TCP segment into pk, or false. */
static bool
frame_tcp(int dlt, const uint8_t *p, size_t n, struct packet *pk)
{
	long		 off = ip_offset(dlt, p, n);
	const uint8_t	*ip;
	size_t		 ihl, total;

	if (off < 0 || (size_t)off + 20 > n)
		return false;
	ip = p + off;
	n -= (size_t)off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || ip[9] != 6 || ihl < 20 || total < ihl ||
	    (get16(ip + 6) & 0x3fff) != 0)	/* fragments: not here */
		return false;
	if (total > n)
		total = n;			/* a short snapshot */
	pk->src = get32(ip + 12);
	pk->dst = get32(ip + 16);
	pk->len = total - ihl;
	if (segment_decode(ip + ihl, pk->len, NULL, &pk->seg, NULL) !=
	    SEG_OK)
		return false;
	pk->tcp = xmalloc(pk->len);
	memcpy(pk->tcp, ip + ihl, pk->len);
	return true;
}

/* The connection a packet belongs to: found, or added. */
static int
conn_of(struct conn **cs, size_t *n, const struct packet *pk)
{
	for (size_t i = 0; i < *n; i++) {
		struct conn	*c = &(*cs)[i];

		for (int d = 0; d < 2; d++) {
			if (c->ip[d] == pk->src && c->port[d] ==
			    pk->seg.sport && c->ip[!d] == pk->dst &&
			    c->port[!d] == pk->seg.dport)
				return (int)i;
		}
	}
	*cs = xreallocarray(*cs, *n + 1, sizeof **cs);
	memset(&(*cs)[*n], 0, sizeof **cs);
	(*cs)[*n].ip[0] = pk->src;
	(*cs)[*n].port[0] = pk->seg.sport;
	(*cs)[*n].ip[1] = pk->dst;
	(*cs)[*n].port[1] = pk->seg.dport;
	return (int)(*n)++;
}

/* ---- inferring the states ------------------------------------------- */

struct observer {
	struct journal	*j;
	int		 st[2];
	uint32_t	 isn[2];
	uint32_t	 fin_end[2];	/* a FIN's seq + 1, once sent */
	bool		 fin_sent[2];
	bool		 started;
	/* A FIN on its way to this side: when it arrived the wire shows
	 * only once this side acknowledges it (two FINs may cross). */
	bool		 pending[2];
	struct segment	 fin[2];
};

static void
state(struct observer *o, vtime_t t, int side, int to, enum tcp_cause cause)
{
	struct jevent	*e;

	if (o->st[side] == to)
		return;
	e = journal_add(o->j, JE_STATE, t, (enum side)side);
	e->u.state.from = (uint8_t)o->st[side];
	e->u.state.to = (uint8_t)to;
	e->u.state.cause = (uint16_t)cause;
	o->st[side] = to;
}

/* Whether segment s (from the other side) acknowledges side's FIN. */
static bool
fin_acked(const struct observer *o, int side, const struct segment *s)
{
	return o->fin_sent[side] && (s->flags & TH_ACK) &&
	    (int32_t)(s->ack - o->fin_end[side]) >= 0;
}

/* y's own FIN acknowledged by s. */
static void
own_fin_acked(struct observer *o, vtime_t t, int y, const struct segment *s)
{
	if (!fin_acked(o, y, s))
		return;
	if (o->st[y] == TCPS_FIN_WAIT_1)
		state(o, t, y, TCPS_FIN_WAIT_2, CAUSE_FIN_ACKED);
	else if (o->st[y] == TCPS_CLOSING)
		state(o, t, y, TCPS_TIME_WAIT, CAUSE_FIN_ACKED);
	else if (o->st[y] == TCPS_LAST_ACK)
		state(o, t, y, TCPS_CLOSED, CAUSE_FIN_ACKED_CLOSED);
}

/* y takes in the FIN segment s that waited: its ACK, then its FIN. */
static void
fin_arrives(struct observer *o, vtime_t t, int y)
{
	const struct segment	*s = &o->fin[y];

	o->pending[y] = false;
	if (o->st[y] == TCPS_FIN_WAIT_1 && fin_acked(o, y, s)) {
		state(o, t, y, TCPS_TIME_WAIT, CAUSE_RCV_FIN_ACK);
		return;
	}
	own_fin_acked(o, t, y, s);
	if (o->st[y] == TCPS_ESTABLISHED || o->st[y] == TCPS_SYN_RECEIVED)
		state(o, t, y, TCPS_CLOSE_WAIT, CAUSE_RCV_FIN);
	else if (o->st[y] == TCPS_FIN_WAIT_1)
		state(o, t, y, TCPS_CLOSING, CAUSE_SIMCLOSE);
	else if (o->st[y] == TCPS_FIN_WAIT_2)
		state(o, t, y, TCPS_TIME_WAIT, CAUSE_RCV_FIN);
}

/* What the sender x's segment says of its state, as it leaves. */
static void
observe_send(struct observer *o, vtime_t t, int x, const struct segment *s)
{
	int	 y = !x;

	if (!o->started) {
		o->started = true;
		if ((s->flags & (TH_SYN | TH_ACK)) != TH_SYN) {
			/* Caught in the middle: both already there. */
			state(o, t, x, TCPS_ESTABLISHED, CAUSE_OBSERVED);
			state(o, t, y, TCPS_ESTABLISHED, CAUSE_OBSERVED);
		}
	}
	/* x acknowledges the FIN that waited: it had arrived. */
	if (o->pending[x] && (s->flags & TH_ACK) &&
	    (int32_t)(s->ack - o->fin_end[y]) >= 0)
		fin_arrives(o, t, x);
	if (s->flags & TH_RST) {
		state(o, t, x, TCPS_CLOSED, CAUSE_ABORT_RST);
		return;
	}
	if ((s->flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		o->isn[x] = s->seq;
		state(o, t, x, TCPS_SYN_SENT, CAUSE_CONNECT);
		if (o->st[y] == TCPS_CLOSED)
			state(o, t, y, TCPS_LISTEN, CAUSE_WAS_LISTENING);
	} else if (s->flags & TH_SYN) {
		o->isn[x] = s->seq;
		state(o, t, x, TCPS_SYN_RECEIVED, CAUSE_RCV_SYN);
	}
	if (s->flags & TH_FIN) {
		o->fin_sent[x] = true;
		o->fin_end[x] = s->seq + s->len + 1 +
		    ((s->flags & TH_SYN) ? 1 : 0);
		if (o->st[x] == TCPS_ESTABLISHED ||
		    o->st[x] == TCPS_SYN_RECEIVED)
			state(o, t, x, TCPS_FIN_WAIT_1, CAUSE_SENT_FIN);
		else if (o->st[x] == TCPS_CLOSE_WAIT)
			state(o, t, x, TCPS_LAST_ACK, CAUSE_SENT_FIN);
	}
}

/* What x's segment does to the receiver y, as it arrives. */
static void
observe_receive(struct observer *o, vtime_t t, int x, const struct segment *s)
{
	int	 y = !x;

	/* Segments one way arrive in order: a FIN from x that waited came
	 * in before this one. */
	if (o->pending[y])
		fin_arrives(o, t, y);
	if (s->flags & TH_RST) {
		state(o, t, y, TCPS_CLOSED, o->st[y] == TCPS_SYN_SENT ?
		    CAUSE_RST_REFUSED : CAUSE_RST);
		return;
	}
	if ((s->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
	    o->st[y] == TCPS_SYN_SENT)
		state(o, t, y, TCPS_ESTABLISHED, CAUSE_RCV_SYNACK);
	else if ((s->flags & (TH_SYN | TH_ACK)) == TH_ACK &&
	    o->st[y] == TCPS_SYN_RECEIVED && s->ack == o->isn[y] + 1)
		state(o, t, y, TCPS_ESTABLISHED, CAUSE_ACK_OF_SYNACK);
	if (s->flags & TH_FIN) {
		/* Taken in once y shows it has it (fin_arrives). */
		o->pending[y] = true;
		o->fin[y] = *s;
		return;
	}
	own_fin_acked(o, t, y, s);
}

/* The narration where the wire is silent, in both languages. */
static void
say(struct journal *j, vtime_t t, const char *en, const char *zh)
{
	journal_say(j, t, LANG_EN, en);
	journal_say(j, t, LANG_ZH, zh);
}

/*
 * Read the capture at path and make connection want (from 1) into j.
 * Lists the connections on list if it is not NULL.  0, or -1 with err.
 */
int
capture_read(const char *path, int want, struct journal *j, FILE *list,
    char *err, size_t errlen)
{
	char		 ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char	*data;
	struct packet	*pks = NULL;
	struct conn	*cs = NULL;
	struct observer	 o;
	size_t		 npk = 0, ncs = 0, i;
	pcap_t		*p;
	vtime_t		 t0 = -1, last = 0;
	int		 dlt, r, client;
	char		 a[2][64];

	if ((p = pcap_open_offline(path, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL && dlt != DLT_NULL &&
	    dlt != DLT_LOOP && dlt != DLT_RAW
#ifdef DLT_LINUX_SLL2
	    && dlt != DLT_LINUX_SLL2
#endif
#ifdef DLT_IPV4
	    && dlt != DLT_IPV4
#endif
	    ) {
		snprintf(err, errlen, "%s: link type %s is not one synfin "
		    "reads (Ethernet, Linux cooked, loopback, raw IP)", path,
		    pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(
		    dlt) : "?");
		pcap_close(p);
		return -1;
	}
	while (npk < CAPTURE_MAX && (r = pcap_next_ex(p, &h, &data)) == 1) {
		struct packet	 pk;
		vtime_t		 t = (vtime_t)h->ts.tv_sec * 1000000 +
				     h->ts.tv_usec;

		memset(&pk, 0, sizeof pk);
		if (!frame_tcp(dlt, data, h->caplen, &pk))
			continue;
		if (t0 < 0)
			t0 = t;
		/* Virtual time never goes back, whatever the clock did. */
		pk.t = t - t0 > last ? t - t0 : last;
		last = pk.t;
		pk.conn = conn_of(&cs, &ncs, &pk);
		cs[pk.conn].npackets++;
		if ((pk.seg.flags & (TH_SYN | TH_ACK)) == TH_SYN &&
		    !cs[pk.conn].syn_seen) {
			/* The first SYN's sender is the client. */
			struct conn	*c = &cs[pk.conn];

			c->syn_seen = true;
			if (c->ip[0] != pk.src || c->port[0] != pk.seg.sport) {
				c->ip[1] = c->ip[0];
				c->port[1] = c->port[0];
				c->ip[0] = pk.src;
				c->port[0] = pk.seg.sport;
			}
		}
		pks = xreallocarray(pks, npk + 1, sizeof *pks);
		pks[npk++] = pk;
	}
	if (npk < CAPTURE_MAX && r == -1) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		pcap_close(p);
		for (i = 0; i < npk; i++)
			free(pks[i].tcp);
		free(pks);
		free(cs);
		return -1;
	}
	pcap_close(p);
	for (i = 0; list != NULL && i < ncs; i++) {
		struct in_addr	 in;

		for (int d = 0; d < 2; d++) {
			in.s_addr = htonl(cs[i].ip[d]);
			snprintf(a[d], sizeof a[d], "%s:%u", inet_ntoa(in),
			    cs[i].port[d]);
		}
		fprintf(list, "%zu %s %s %zu packets\n", i + 1, a[0], a[1],
		    cs[i].npackets);
	}
	r = 0;
	if (ncs == 0 || want < 1 || (size_t)want > ncs) {
		if (ncs == 0)
			snprintf(err, errlen, "%s: no IPv4 TCP connection in "
			    "the capture", path);
		else
			snprintf(err, errlen, "%s: no connection %d (it has "
			    "%zu: --conn 1 to --conn %zu)", path, want, ncs,
			    ncs);
		r = -1;
	}
	if (r == 0) {
		const struct conn	*c = &cs[want - 1];

		journal_init(j);
		for (int d = 0; d < 2; d++) {
			j->conn.ip[d] = c->ip[d];
			j->conn.port[d] = c->port[d];
		}
		j->conn.profile = PROFILE_LINUX;
		memset(&o, 0, sizeof o);
		o.j = j;
		o.st[0] = o.st[1] = TCPS_CLOSED;
		for (i = 0; i < npk; i++) {
			struct packet	*pk = &pks[i];
			int		 id;

			if (pk->conn != want - 1)
				continue;
			client = pk->src == c->ip[0] &&
			    pk->seg.sport == c->port[0] ? 0 : 1;
			/* As the model journals it: the sender's state,
			 * the segment, its arrival, the receiver's. */
			observe_send(&o, pk->t, client, &pk->seg);
			id = journal_add_seg(j, (enum dir)client, &pk->seg,
			    pk->tcp, pk->len, false, pk->t);
			journal_seg_event(j, pk->t, id, FATE_DELIVERED);
			observe_receive(&o, pk->t, client, &pk->seg);
		}
		/* A FIN never acknowledged in the capture: taken in at its
		 * end, as far as an observer can tell. */
		for (int d = 0; d < 2; d++) {
			if (o.pending[d])
				fin_arrives(&o, last, d);
		}
		for (int d = 0; d < 2; d++) {
			if (o.st[d] == TCPS_TIME_WAIT) {
				say(j, last, "The capture ends with this side in "
				    "TIME_WAIT: its end, 2MSL later, sends "
				    "nothing, so no capture shows it.",
				    "抓包结束时这一方处于 TIME_WAIT：2MSL 之后它的结束"
				    "不发送任何报文段，所以抓包里看不到。");
				break;
			}
		}
	}
	for (i = 0; i < npk; i++)
		free(pks[i].tcp);
	free(pks);
	free(cs);
	return r;
}

/* Whether the file at path starts as a pcap or pcapng file does. */
bool
capture_is(const char *path)
{
	unsigned char	 m[4];
	FILE		*f = fopen(path, "rb");
	bool		 yes = false;

	if (f == NULL)
		return false;
	if (fread(m, 1, 4, f) == 4) {
		uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
		    (uint32_t)m[2] << 8 | m[3];

		yes = v == 0xa1b2c3d4 || v == 0xd4c3b2a1 || v == 0xa1b23c4d ||
		    v == 0x4d3cb2a1 || v == 0x0a0d0d0a;
	}
	fclose(f);
	return yes;
}
