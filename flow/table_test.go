package flow

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestEnds checks when records come out: close plus CloseDelay, idle
// timeouts, the MaxFlows cap, a SYN reusing a finished connection's ports,
// and Flush.
func TestEnds(t *testing.T) {
	const c, s = false, true
	closeSegs := []seg{
		{c, "S", 100, 0, 0, 0, false}, {s, "SA", 500, 101, 0, 0, false}, {c, "A", 101, 501, 0, 0, false},
		{c, "FA", 101, 501, 0, 0, false}, {s, "FA", 501, 102, 0, 0, false}, {c, "A", 102, 502, 0, 0, false},
	}
	frames := func(ss []seg, cport uint16) [][]byte {
		var out [][]byte
		for _, sg := range ss {
			out = append(out, tcpFrame(t, sg, cport, 80))
		}
		return out
	}
	q := make([]byte, 8)
	cases := []struct {
		name string
		cfg  *Config
		evs  []ev
		want []string // "port end state" per record, in emission order
	}{
		{"closed connection ends after the close delay, at the next packet",
			nil,
			append(evAt(frames(closeSegs, 40000), 0),
				ev{10 * time.Second, udpFrame(t, false, false, 40001, 5000, q)}),
			[]string{"40000 closed SF", "40001 eof S0"}},
		{"final ACK within the close delay stays in the connection",
			nil,
			evAt(frames(closeSegs, 40000), 0),
			[]string{"40000 eof SF"}},
		{"idle UDP ends at its timeout, TCP stays",
			&Config{UDPTimeout: 30 * time.Second},
			[]ev{{0, udpFrame(t, false, false, 40001, 5000, q)},
				{0, tcpFrame(t, seg{c, "S", 1, 0, 0, 0, false}, 40000, 80)},
				{31 * time.Second, udpFrame(t, false, false, 40002, 5000, q)}},
			[]string{"40001 timeout S0", "40000 eof S0", "40002 eof S0"}},
		{"the cap ends the connection idle longest",
			&Config{MaxFlows: 2},
			[]ev{{0, udpFrame(t, false, false, 40001, 5000, q)},
				{time.Millisecond, udpFrame(t, false, false, 40002, 5000, q)},
				{2 * time.Millisecond, udpFrame(t, false, false, 40001, 5000, q)},
				{3 * time.Millisecond, udpFrame(t, false, false, 40003, 5000, q)}},
			[]string{"40002 evicted S0", "40001 eof S0", "40003 eof S0"}},
		{"a new SYN on a finished connection starts another",
			nil,
			append(evAt(frames(closeSegs, 40000), 0),
				ev{time.Second, tcpFrame(t, seg{c, "S", 9000, 0, 0, 0, false}, 40000, 80)}),
			[]string{"40000 restart SF", "40000 eof S0"}},
	}
	for _, tc := range cases {
		var got []string
		tab, err := New(tc.cfg, func(r *Record) {
			got = append(got, fmt.Sprintf("%d %s %s", r.Orig.Port(), r.End, r.ConnState))
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tc.evs {
			tab.Packet(gopacket.CaptureInfo{Timestamp: t0.Add(e.at), CaptureLength: len(e.frame), Length: len(e.frame)}, e.frame, layers.LinkTypeEthernet)
		}
		tab.Flush()
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: records %q, want %q", tc.name, got, tc.want)
		}
		if st := tab.Stats(); st.Active != 0 || st.Flows != int64(len(got)) {
			t.Errorf("%s: after Flush %d active, %d flows counted for %d records", tc.name, st.Active, st.Flows, len(got))
		}
	}
}

// ev is a packet at a time after t0.
type ev struct {
	at    time.Duration
	frame []byte
}

// evAt spaces frames one millisecond apart from at.
func evAt(frames [][]byte, at time.Duration) []ev {
	out := make([]ev, len(frames))
	for i, f := range frames {
		out[i].at = at + time.Duration(i)*time.Millisecond
		out[i].frame = f
	}
	return out
}

// TestBadConfig checks that negative settings are refused.
func TestBadConfig(t *testing.T) {
	for _, cfg := range []*Config{{TCPTimeout: -1}, {CloseDelay: -time.Second}, {MaxFlows: -1}} {
		if _, err := New(cfg, nil); !errors.Is(err, ErrConfig) {
			t.Errorf("New(%+v) = %v, want ErrConfig", *cfg, err)
		}
	}
}

// TestPacketAllocs checks that a packet of a conversation already in the
// table costs no allocation, for each kind of conversation.
func TestPacketAllocs(t *testing.T) {
	const c, s = false, true
	q := make([]byte, 40)
	frames := [][]byte{
		tcpFrame(t, seg{c, "S", 100, 0, 0, 0, false}, 40000, 80),
		tcpFrame(t, seg{s, "SA", 500, 101, 0, 0, false}, 40000, 80),
		tcpFrame(t, seg{c, "PA", 101, 501, 100, 0, false}, 40000, 80),
		tcpFrame(t, seg{s, "PA", 501, 201, 1000, 0, false}, 40000, 80),
		tcpFrame(t, seg{s, "A", 501, 201, 0, 0, true}, 40000, 80),
		udpFrame(t, false, false, 40000, 5000, q),
		udpFrame(t, true, true, 40000, 5000, q),
		icmpFrame(t, false, 8, 0, 1, 1, 56),
		icmpFrame(t, true, 0, 0, 1, 1, 56),
		serialize(t, &layers.Ethernet{SrcMAC: cliMAC, DstMAC: srvMAC, EthernetType: layers.EthernetTypeARP},
			&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				SourceHwAddress: cliMAC, SourceProtAddress: cliIP, DstHwAddress: srvMAC, DstProtAddress: srvIP}),
	}
	tab, err := New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := t0
	feed := func() {
		for _, f := range frames {
			ts = ts.Add(time.Millisecond)
			tab.Packet(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(f), Length: len(f)}, f, layers.LinkTypeEthernet)
		}
	}
	feed() // the conversations start (and may allocate) here
	if n := testing.AllocsPerRun(100, feed); n != 0 {
		t.Errorf("%.1f allocations per run of %d packets of known conversations, want 0", n, len(frames))
	}
}

// BenchmarkPacket measures a packet of a known TCP conversation.
func BenchmarkPacket(b *testing.B) {
	f := tcpFrame(b, seg{false, "PA", 101, 501, 1000, 0, false}, 40000, 80)
	tab, err := New(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	ci := gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(f), Length: len(f)}
	b.ReportAllocs()
	b.SetBytes(int64(len(f)))
	for b.Loop() {
		tab.Packet(ci, f, layers.LinkTypeEthernet)
	}
}
