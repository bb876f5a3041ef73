/*
 * The run as a capture: each segment once, as the IPv4 packet that would
 * have carried it between the connection's addresses, stamped with the
 * virtual time it was sent, written with libpcap (raw IPv4 link type).
 * The TCP bytes are the journal's own, checksummed over the IPv4
 * pseudo-header when they were made; the IP header is made here with its
 * checksum.  tcpdump and Wireshark read the file.
 *
 * libpcap writes the classic pcap format, which has no comments: a
 * segment the learner dropped is still in the capture (it was sent), and
 * export --no-dropped leaves such segments out.
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "segment.h"
#include "util.h"

#define IP_HDR		20
#define MAX_PACKET	(IP_HDR + 65535)

/* An IPv4 header for a TCP payload of len octets from src to dst. */
static void
ip_header(uint8_t *h, size_t len, uint16_t id, uint32_t src, uint32_t dst)
{
	memset(h, 0, IP_HDR);
	h[0] = 0x45;			/* version 4, 5 words */
	put16(h + 2, (uint16_t)(IP_HDR + len));
	put16(h + 4, id);
	h[6] = 0x40;			/* don't fragment */
	h[8] = 64;			/* TTL */
	h[9] = 6;			/* TCP */
	put32(h + 12, src);
	put32(h + 16, dst);
	put16(h + 10, inet_checksum(h, IP_HDR));
}

/*
 * Write the journal's segments to path as a pcap file: 0, or -1 with the
 * reason in err.  dropped: keep the segments that were lost.
 */
int
export_pcap(const struct journal *j, const char *path, bool dropped,
    char *err, size_t errlen)
{
	static uint8_t	 pkt[MAX_PACKET];
	pcap_t		*p;
	pcap_dumper_t	*d;
	vtime_t		*sent;
	bool		*lost;
	char		 part[4096];
	uint16_t	 id = 1;
	int		 ok;

	/* Each segment's first event (when it was sent, or refused) and
	 * whether it was lost, in one pass. */
	sent = xreallocarray(NULL, j->nsegs + 1, sizeof *sent);
	lost = xcalloc(j->nsegs + 1, sizeof *lost);
	for (size_t s = 0; s < j->nsegs; s++)
		sent[s] = -1;
	for (size_t i = 0; i < j->nev; i++) {
		const struct jevent	*e = &j->ev[i];

		if (e->type != JE_SEG)
			continue;
		if (sent[e->u.seg.id] < 0)
			sent[e->u.seg.id] = e->t;
		if (e->u.seg.fate == FATE_DROPPED)
			lost[e->u.seg.id] = true;
	}
	/* Written aside, and put in place whole. */
	snprintf(part, sizeof part, "%s.partial", path);
	if ((p = pcap_open_dead(DLT_RAW, MAX_PACKET)) == NULL) {
		snprintf(err, errlen, "libpcap cannot make a capture");
		free(sent);
		free(lost);
		return -1;
	}
	if ((d = pcap_dump_open(p, part)) == NULL) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		pcap_close(p);
		free(sent);
		free(lost);
		return -1;
	}
	for (size_t s = 0; s < j->nsegs; s++) {
		const struct jseg	*g = &j->segs[s];
		struct pcap_pkthdr	 h;

		if (sent[s] < 0 || (lost[s] && !dropped) ||
		    g->nbytes > MAX_PACKET - IP_HDR)
			continue;
		ip_header(pkt, g->nbytes, id++, j->conn.ip[g->dir],
		    j->conn.ip[!g->dir]);
		memcpy(pkt + IP_HDR, journal_bytes(j, g), g->nbytes);
		memset(&h, 0, sizeof h);
		h.ts.tv_sec = (time_t)(sent[s] / 1000000);
		h.ts.tv_usec = (suseconds_t)(sent[s] % 1000000);
		h.caplen = h.len = (bpf_u_int32)(IP_HDR + g->nbytes);
		pcap_dump((u_char *)d, &h, pkt);
	}
	free(sent);
	free(lost);
	ok = pcap_dump_flush(d) == 0 && !ferror(pcap_dump_file(d));
	if (!ok)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	pcap_dump_close(d);
	pcap_close(p);
	if (ok && rename(part, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		remove(part);
	return ok ? 0 : -1;
}
