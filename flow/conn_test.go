package flow

import (
	"testing"
)

// TestTCPStateHistory runs the cases of Zeek's conn.log documentation
// (conn_state and history) as segment scenarios between a client on port
// 40000 and a server on port 80.
func TestTCPStateHistory(t *testing.T) {
	const c, s = false, true
	// the usual handshake: client ISN 100, server ISN 500
	hs := []seg{{c, "S", 100, 0, 0, 0, false}, {s, "SA", 500, 101, 0, 0, false}, {c, "A", 101, 501, 0, 0, false}}
	cat := func(parts ...[]seg) []seg {
		var out []seg
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name      string
		segs      []seg
		state     string
		history   string
		origBytes int64
		respBytes int64
		missed    int64
	}{
		{"handshake, data both ways and close both sides is SF ShADadFf",
			cat(hs, []seg{
				{c, "PA", 101, 501, 10, 0, false},
				{s, "A", 501, 111, 0, 0, false},
				{s, "PA", 501, 111, 20, 0, false},
				{c, "A", 111, 521, 0, 0, false},
				{c, "FA", 111, 521, 0, 0, false},
				{s, "FA", 521, 112, 0, 0, false},
				{c, "A", 112, 522, 0, 0, false},
			}), "SF", "ShADadFf", 10, 20, 0},
		{"SYN unanswered is S0",
			[]seg{{c, "S", 100, 0, 0, 0, false}}, "S0", "S", 0, 0, 0},
		{"SYN retransmitted with the same sequence number is one S",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {c, "S", 100, 0, 0, 0, false}}, "S0", "S", 0, 0, 0},
		{"SYN with a new sequence number is a second S",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {c, "S", 900, 0, 0, 0, false}}, "S0", "SS", 0, 0, 0},
		{"SYN answered by RST is REJ",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {s, "RA", 0, 101, 0, 0, false}}, "REJ", "Sr", 0, 0, 0},
		{"SYN, SYN-ACK, no ACK then originator RST is RSTO",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {s, "SA", 500, 101, 0, 0, false}, {c, "R", 101, 0, 0, 0, false}}, "RSTO", "ShR", 0, 0, 0},
		{"SYN then originator RST with no SYN-ACK is RSTOS0",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {c, "R", 101, 0, 0, 0, false}}, "RSTOS0", "SR", 0, 0, 0},
		{"SYN-ACK then RST from the responder with no SYN is RSTRH",
			[]seg{{s, "SA", 500, 101, 0, 0, false}, {s, "R", 501, 0, 0, 0, false}}, "RSTRH", "^hr", 0, 0, 0},
		{"SYN then FIN with no SYN-ACK is SH",
			[]seg{{c, "S", 100, 0, 0, 0, false}, {c, "F", 101, 0, 0, 0, false}}, "SH", "SF", 0, 0, 0},
		{"SYN-ACK then FIN from the responder with no SYN is SHR",
			[]seg{{s, "SA", 500, 101, 0, 0, false}, {s, "FA", 501, 101, 0, 0, false}}, "SHR", "^hf", 0, 0, 0},
		{"established and closed by the originator only is S2",
			cat(hs, []seg{{c, "FA", 101, 501, 0, 0, false}}), "S2", "ShAF", 0, 0, 0},
		{"established and closed by the responder only is S3",
			cat(hs, []seg{{s, "FA", 501, 101, 0, 0, false}}), "S3", "ShAf", 0, 0, 0},
		{"established, not terminated is S1",
			hs, "S1", "ShA", 0, 0, 0},
		{"established with data, then responder RST is RSTR",
			cat(hs, []seg{{c, "PA", 101, 501, 5, 0, false}, {s, "R", 501, 0, 0, 0, false}}), "RSTR", "ShADr", 5, 0, 0},
		{"established, then originator RST is RSTO",
			cat(hs, []seg{{c, "RA", 101, 501, 0, 0, false}}), "RSTO", "ShAR", 0, 0, 0},
		{"midstream traffic with no SYN is OTH",
			[]seg{{c, "PA", 1000, 2000, 10, 0, false}, {s, "PA", 2000, 1010, 10, 0, false}}, "OTH", "Dd", 10, 10, 0},
		{"midstream first seen from the server port is flipped ^",
			[]seg{{s, "PA", 2000, 1000, 10, 0, false}, {c, "A", 1000, 2010, 0, 0, false}}, "OTH", "^dA", 0, 10, 0},
		{"retransmitted payload is T",
			cat(hs, []seg{{c, "PA", 101, 501, 10, 0, false}, {c, "PA", 101, 501, 10, 0, false}}), "S1", "ShADT", 10, 0, 0},
		{"ten retransmissions are TT",
			cat(hs, []seg{{c, "PA", 101, 501, 10, 0, false}}, repeat(seg{c, "PA", 101, 501, 10, 0, false}, 10)), "S1", "ShADTT", 10, 0, 0},
		{"a zero window is W",
			cat(hs, []seg{{s, "A", 501, 101, 0, 0, true}}), "S1", "ShAaw", 0, 0, 0},
		{"a sequence gap is G and counts missed bytes",
			cat(hs, []seg{{c, "PA", 101, 501, 10, 0, false}, {c, "PA", 211, 501, 10, 0, false}}), "S1", "ShADG", 120, 0, 100},
		{"SYN+FIN is Q",
			[]seg{{c, "SF", 100, 0, 0, 0, false}}, "S0", "QS", 0, 0, 0},
		{"FIN+RST is I",
			cat(hs, []seg{{c, "FRA", 101, 501, 0, 0, false}}), "RSTO", "ShAIR", 0, 0, 0},
	}
	for _, tc := range cases {
		frames := make([][]byte, len(tc.segs))
		for i, sg := range tc.segs {
			frames[i] = tcpFrame(t, sg, 40000, 80)
		}
		recs := collect(t, nil, frames)
		if len(recs) != 1 {
			t.Errorf("%s: %d records, want 1", tc.name, len(recs))
			for _, r := range recs {
				t.Logf("  %s", recordLine(&r))
			}
			continue
		}
		r := recs[0]
		if r.ConnState != tc.state || r.History != tc.history {
			t.Errorf("%s: conn_state %s history %q, want %s %q", tc.name, r.ConnState, r.History, tc.state, tc.history)
		}
		if r.OrigBytes != tc.origBytes || r.RespBytes != tc.respBytes || r.MissedBytes != tc.missed {
			t.Errorf("%s: orig_bytes %d resp_bytes %d missed %d, want %d %d %d", tc.name, r.OrigBytes, r.RespBytes, r.MissedBytes, tc.origBytes, tc.respBytes, tc.missed)
		}
		if r.Orig.Port() != 40000 || r.Resp.Port() != 80 {
			t.Errorf("%s: originator %s responder %s, want the client (port 40000) as originator", tc.name, r.Orig, r.Resp)
		}
		if r.OrigPkts+r.RespPkts != int64(len(tc.segs)) {
			t.Errorf("%s: %d+%d packets, want %d", tc.name, r.OrigPkts, r.RespPkts, len(tc.segs))
		}
	}
}

func repeat(s seg, n int) []seg {
	out := make([]seg, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestUDPAndICMPStates checks UDP's S0/SF/SHR, the flip to the client when
// the server is seen first, and ICMP echo pairing by identifier.
func TestUDPAndICMPStates(t *testing.T) {
	q := make([]byte, 20)
	cases := []struct {
		name   string
		frames [][]byte
		want   []string // recordLine of each record, in start order
	}{
		{"UDP one way is S0",
			[][]byte{udpFrame(t, false, false, 40000, 5000, q)},
			[]string{"udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D"}},
		{"UDP both ways is SF",
			[][]byte{udpFrame(t, false, false, 40000, 5000, q), udpFrame(t, false, true, 40000, 5000, q)},
			[]string{"udp 10.0.0.1:40000 > 10.0.0.2:5000 SF Dd"}},
		{"UDP from a server port first is flipped, responder only is SHR",
			[][]byte{udpFrame(t, false, true, 40000, 53, q)},
			[]string{"udp 10.0.0.1:40000 > 10.0.0.2:53 SHR ^d"}},
		{"UDP over IPv6 both ways is SF",
			[][]byte{udpFrame(t, true, false, 40000, 5000, q), udpFrame(t, true, true, 40000, 5000, q)},
			[]string{"udp [2001:db8::1]:40000 > [2001:db8::2]:5000 SF Dd"}},
		{"ICMP echo request and reply are one conversation, type 8 to 0",
			[][]byte{icmpFrame(t, false, 8, 0, 7, 1, 56), icmpFrame(t, true, 0, 0, 7, 1, 56)},
			[]string{"icmp 10.0.0.1:8 > 10.0.0.2:0 OTH "}},
		{"ICMP echoes with different identifiers are two conversations",
			[][]byte{icmpFrame(t, false, 8, 0, 7, 1, 56), icmpFrame(t, false, 8, 0, 8, 1, 56)},
			[]string{"icmp 10.0.0.1:8 > 10.0.0.2:0 OTH ", "icmp 10.0.0.1:8 > 10.0.0.2:0 OTH "}},
		{"ICMP echo reply seen first makes its receiver the originator",
			[][]byte{icmpFrame(t, true, 0, 0, 7, 1, 56)},
			[]string{"icmp 10.0.0.1:8 > 10.0.0.2:0 OTH ^"}},
		{"ICMP unreachable keys on type and code",
			[][]byte{icmpFrame(t, true, 3, 3, 0, 0, 28)},
			[]string{"icmp 10.0.0.2:3 > 10.0.0.1:3 OTH "}},
	}
	for _, tc := range cases {
		recs := collect(t, nil, tc.frames)
		var got []string
		for _, r := range recs {
			got = append(got, recordLine(&r))
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: record %d is %q, want %q", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}
