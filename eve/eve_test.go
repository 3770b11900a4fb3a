package eve

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

const alertLine = `{"timestamp":"2024-01-02T15:04:05.123456+0100","flow_id":1234567890123456,"in_iface":"eth0","event_type":"alert","src_ip":"10.0.0.1","src_port":40000,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","alert":{"signature_id":1},"flow":{"start":"2024-01-02T15:04:00.000000+0100"},"tunnel":{"src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"GRE","depth":1}}`

func TestParse(t *testing.T) {
	ev, err := Parse([]byte(alertLine))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 1, 2, 14, 4, 5, 123456000, time.UTC)
	if !ev.Time.Equal(want) || ev.FlowID != 1234567890123456 || !ev.HasFlowID || ev.Type != "alert" ||
		ev.Src != netip.MustParseAddr("10.0.0.1") || ev.DstPort != 80 || ev.Proto != "TCP" ||
		ev.Start.IsZero() || ev.Tunnel == nil || ev.Tunnel.Proto != "GRE" || ev.Tunnel.Depth != 1 ||
		ev.Tunnel.Dst != netip.MustParseAddr("192.0.2.2") {
		t.Fatalf("got %+v %+v", ev, ev.Tunnel)
	}
}

func TestParseBad(t *testing.T) {
	for _, tc := range []struct{ name, line string }{
		{"not json", `{"src_ip":`},
		{"array not object", `[1,2]`},
		{"bad src_ip", `{"src_ip":"10.0.0.300","dest_ip":"10.0.0.1"}`},
		{"port above 65535", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","src_port":70000}`},
		{"negative port", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","dest_port":-1}`},
		{"port as string", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","dest_port":"80"}`},
		{"bad timestamp", `{"timestamp":"yesterday","src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}`},
		{"flow_id negative", `{"flow_id":-3,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}`},
		{"flow_id float", `{"flow_id":1.5,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}`},
		{"proto object", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":{}}`},
		{"tunnel bad ip", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","tunnel":{"src_ip":"x","dest_ip":"10.0.0.1"}}`},
		{"tunnel depth huge", `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","tunnel":{"src_ip":"10.0.0.3","dest_ip":"10.0.0.4","depth":1000}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.line)); err == nil {
				t.Fatalf("accepted %s", tc.line)
			}
		})
	}
	if _, err := Parse([]byte(`{"event_type":"stats"}`)); !errors.Is(err, ErrNoFlow) {
		t.Fatalf("stats event: %v, want ErrNoFlow", err)
	}
}

func TestScannerSkipsBadLinesWithLineNumbers(t *testing.T) {
	in := alertLine + "\n\n" + `{"src_ip":` + "\n" + `{"event_type":"stats"}` + "\n" +
		`{"src_ip":"10.0.0.9","dest_ip":"10.0.0.8","src_port":99999}` + "\n" +
		strings.Replace(alertLine, "40000", "40001", 1) // no final newline
	sc := NewScanner(strings.NewReader(in))
	var ports []uint16
	var lines []int
	for sc.Scan() {
		ports = append(ports, sc.Event().SrcPort)
		lines = append(lines, sc.Line())
	}
	if sc.Err() != nil {
		t.Fatal(sc.Err())
	}
	if len(ports) != 2 || ports[0] != 40000 || ports[1] != 40001 || lines[1] != 6 {
		t.Fatalf("events %v at lines %v", ports, lines)
	}
	sk := sc.Skipped()
	if len(sk) != 2 || sk[0].Line != 3 || sk[1].Line != 5 {
		t.Fatalf("skipped %v, want lines 3 and 5", sk)
	}
}

func TestScannerSkipsOverlongLine(t *testing.T) {
	in := `{"x":"` + strings.Repeat("a", MaxLine) + `"}` + "\n" + alertLine + "\n"
	sc := NewScanner(strings.NewReader(in))
	n := 0
	for sc.Scan() {
		n++
	}
	if n != 1 || len(sc.Skipped()) != 1 || sc.Skipped()[0].Line != 1 || sc.Line() != 2 {
		t.Fatalf("events %d skipped %v", n, sc.Skipped())
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(alertLine))
	f.Add([]byte(`{"src_ip":"::1","dest_ip":"::2","proto":58,"flow_id":"12"}`))
	f.Add([]byte(`{"timestamp":"2024-01-02T15:04:05Z","src_ip":"1.2.3.4","dest_ip":"5.6.7.8","tunnel":{"depth":2}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := Parse(b)
		if err != nil {
			if ev.Src.IsValid() || ev.Tunnel != nil {
				t.Fatalf("error %v with a non-zero event", err)
			}
			return
		}
		if !ev.Src.IsValid() || !ev.Dst.IsValid() {
			t.Fatalf("no error but invalid addresses: %+v", ev)
		}
		if ev.Tunnel != nil && ev.Tunnel.Depth < 1 {
			t.Fatalf("tunnel depth %d", ev.Tunnel.Depth)
		}
		sc := NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
		}
	})
}
