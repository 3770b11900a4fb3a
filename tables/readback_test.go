package tables_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/flow"
	whttp "github.com/wirekit/wirekit/stream/http"
	"github.com/wirekit/wirekit/tables"
)

// column is what a column of the schema must be: its physical type and
// logical annotation as parquet-go prints them, and whether it may be
// NULL.
type column struct {
	name     string
	typ      string // "INT64", "BYTE_ARRAY", ... or "LIST"
	logical  string // "" or a prefix of the logical type's String()
	optional bool
}

// checkSchema opens a Parquet file, checks its columns and returns it.
func checkSchema(t *testing.T, data []byte, want []column, rows int64) *parquet.File {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if f.NumRows() != rows {
		t.Errorf("rows: %d, want %d", f.NumRows(), rows)
	}
	if v, ok := f.Lookup("wirekit.schema_version"); !ok || v != tables.SchemaVersion {
		t.Errorf("schema_version metadata: %q %v, want %q", v, ok, tables.SchemaVersion)
	}
	fields := f.Schema().Fields()
	if len(fields) != len(want) {
		t.Errorf("%d columns, want %d", len(fields), len(want))
	}
	for i, w := range want {
		if i >= len(fields) {
			break
		}
		fl := fields[i]
		if fl.Name() != w.name {
			t.Errorf("column %d: %q, want %q", i, fl.Name(), w.name)
			continue
		}
		if fl.Optional() != w.optional {
			t.Errorf("column %s: optional %v, want %v", w.name, fl.Optional(), w.optional)
		}
		lt := fl.Type().LogicalType()
		if w.typ == "LIST" {
			if lt == nil || lt.String() != "LIST" {
				t.Errorf("column %s: not a LIST (%v)", w.name, lt)
			}
			continue
		}
		if !fl.Leaf() {
			t.Errorf("column %s: a group (%v), want %s", w.name, lt, w.typ)
			continue
		}
		if got := fl.Type().Kind().String(); got != w.typ {
			t.Errorf("column %s: physical type %s, want %s", w.name, got, w.typ)
		}
		gotL := ""
		if lt != nil {
			gotL = lt.String()
		}
		if !strings.HasPrefix(gotL, w.logical) || (w.logical == "" && gotL != "" && !strings.HasPrefix(gotL, "INT(")) {
			t.Errorf("column %s: logical type %q, want %q", w.name, gotL, w.logical)
		}
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if codec := cc.MetaData.Codec; codec != format.Zstd {
				t.Errorf("column chunk compressed with %v, want ZSTD", codec)
				return f
			}
		}
	}
	return f
}

func readRows[T any](t *testing.T, data []byte) []T {
	t.Helper()
	r := parquet.NewGenericReader[T](bytes.NewReader(data))
	defer r.Close()
	rows := make([]T, r.NumRows())
	n, err := r.Read(rows)
	if int64(n) != r.NumRows() {
		t.Fatalf("read %d of %d rows: %v", n, r.NumRows(), err)
	}
	return rows
}

const tsMicros = "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)"

func TestMapTable(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.UTC)
	files := []dataset.File{
		{Path: "a.pcap", Format: "pcap", Compression: "none", LinkTypes: []string{"EN10MB"}, Snaplen: 65535, Packets: 10, Size: 1000, WireBytes: 1200,
			MaxPacketSize: 150, Beginning: t0, End: t0.Add(time.Second), Duration: time.Second, PPS: 10, BitsPerSecond: 8000, FileSize: 1184},
		{Path: "b.pcapng.zst", Format: "pcapng", Compression: "zstd", LinkTypes: []string{"EN10MB", "RAW"}, Packets: 0, Error: "truncated at offset 40", Delay: 5 * time.Millisecond},
	}
	var buf bytes.Buffer
	w := tables.NewMapWriter(&buf, nil)
	for i := range files {
		if err := w.Write(&files[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&files[0]); err != tables.ErrClosed {
		t.Errorf("Write after Close: %v, want ErrClosed", err)
	}
	checkSchema(t, buf.Bytes(), []column{
		{"path", "BYTE_ARRAY", "STRING", false}, {"format", "BYTE_ARRAY", "STRING", false}, {"compression", "BYTE_ARRAY", "STRING", false},
		{"link_types", "LIST", "", false}, {"snaplen", "INT64", "", false}, {"packets", "INT64", "", false}, {"size", "INT64", "", false},
		{"wire_bytes", "INT64", "", false}, {"max_packet_size", "INT64", "", false}, {"out_of_order", "INT64", "", false},
		{"no_timestamp", "INT64", "", false}, {"beginning", "INT64", tsMicros, true}, {"end", "INT64", tsMicros, true},
		{"duration_ns", "INT64", "", false}, {"pps", "DOUBLE", "", false}, {"bits_per_second", "DOUBLE", "", false},
		{"file_size", "INT64", "", false}, {"delay_ns", "INT64", "", false}, {"error", "BYTE_ARRAY", "STRING", true},
	}, 2)
	rows := readRows[tables.MapRow](t, buf.Bytes())
	if string(rows[0].Path) != "a.pcap" || rows[0].Beginning != t0.UnixMicro() || rows[0].DurationNS != int64(time.Second) || rows[0].Error != nil {
		t.Errorf("row 0: %+v", rows[0])
	}
	if got := rows[1].LinkTypes; len(got) != 2 || got[1] != "RAW" || rows[1].Beginning != 0 || string(rows[1].Error) != files[1].Error || rows[1].DelayNS != int64(5*time.Millisecond) {
		t.Errorf("row 1: %+v", rows[1])
	}
}

func TestFlowTable(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.UTC)
	recs := []flow.Record{
		{TS: t0, UID: "Cabc", Orig: netip.MustParseAddrPort("10.0.0.1:40000"), Resp: netip.MustParseAddrPort("[2001:db8::1]:443"), Proto: "tcp", IPProto: 6,
			Service: "ssl", Duration: 2 * time.Second, OrigBytes: 100, RespBytes: 2000, ConnState: "SF", History: "ShADadFf", OrigPkts: 5, RespPkts: 6,
			VLANs: 2, VLAN: 10, InnerVLAN: 0, HasMAC: true, OrigMAC: [6]byte{0, 1, 2, 3, 4, 5}, ServerName: "example.org", ALPN: "h2", End: flow.EndClosed},
		{TS: t0.Add(time.Second), UID: "Cdef", Proto: "arp", EtherType: 0x0806, ConnState: "OTH", OrigPkts: 1},
		{TS: t0, UID: "Cicmp", Orig: netip.MustParseAddrPort("10.0.0.1:0"), Resp: netip.MustParseAddrPort("10.0.0.2:0"), Proto: "icmp", IPProto: 1, ConnState: "OTH"},
	}
	var buf bytes.Buffer
	w := tables.NewFlowWriter(&buf, &tables.Options{RowGroupRows: 2})
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := checkSchema(t, buf.Bytes(), []column{
		{"ts", "INT64", tsMicros, false}, {"uid", "BYTE_ARRAY", "STRING", false}, {"orig_h", "BYTE_ARRAY", "STRING", true}, {"orig_p", "INT32", "", true},
		{"resp_h", "BYTE_ARRAY", "STRING", true}, {"resp_p", "INT32", "", true}, {"proto", "BYTE_ARRAY", "STRING", false}, {"ip_proto", "INT32", "", true},
		{"service", "BYTE_ARRAY", "STRING", true}, {"duration_ns", "INT64", "", false}, {"orig_bytes", "INT64", "", false}, {"resp_bytes", "INT64", "", false},
		{"conn_state", "BYTE_ARRAY", "STRING", false}, {"missed_bytes", "INT64", "", false}, {"history", "BYTE_ARRAY", "STRING", true},
		{"orig_pkts", "INT64", "", false}, {"orig_ip_bytes", "INT64", "", false}, {"resp_pkts", "INT64", "", false}, {"resp_ip_bytes", "INT64", "", false},
		{"orig_frame_bytes", "INT64", "", false}, {"resp_frame_bytes", "INT64", "", false}, {"vlan", "INT32", "", true}, {"inner_vlan", "INT32", "", true},
		{"orig_l2_addr", "BYTE_ARRAY", "STRING", true}, {"resp_l2_addr", "BYTE_ARRAY", "STRING", true}, {"dns_query", "BYTE_ARRAY", "STRING", true},
		{"ssl_server_name", "BYTE_ARRAY", "STRING", true}, {"ssl_alpn", "BYTE_ARRAY", "STRING", true}, {"http_host", "BYTE_ARRAY", "STRING", true},
		{"end_reason", "BYTE_ARRAY", "STRING", false},
	}, 3)
	if n := len(f.RowGroups()); n != 2 {
		t.Errorf("RowGroupRows 2 and 3 rows: %d row groups, want 2", n)
	}
	rows := readRows[tables.FlowRow](t, buf.Bytes())
	r := rows[0]
	if string(r.OrigH) != "10.0.0.1" || *r.OrigP != 40000 || string(r.RespH) != "2001:db8::1" || *r.RespP != 443 || r.TS != t0.UnixMicro() ||
		*r.VLAN != 10 || r.InnerVLAN == nil || *r.InnerVLAN != 0 || string(r.OrigL2Addr) != "00:01:02:03:04:05" || string(r.EndReason) != "closed" || string(r.SSLALPN) != "h2" {
		t.Errorf("TCP row: %+v", r)
	}
	if r := rows[1]; r.OrigH != nil || r.OrigP != nil || r.IPProto != nil || r.VLAN != nil || string(r.Proto) != "arp" || r.Service != nil {
		t.Errorf("ARP row: %+v", r)
	}
	if r := rows[2]; r.OrigP == nil || *r.OrigP != 0 || *r.IPProto != 1 {
		t.Errorf("ICMP row: port 0 must be 0, not NULL: %+v", r)
	}
}

func TestHTTPTable(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	txs := []whttp.Transaction{
		{Conn: 3, Index: 1, Client: netip.MustParseAddrPort("10.0.0.1:40000"), Server: netip.MustParseAddrPort("10.0.0.2:8080"),
			Request: &whttp.Message{Method: "GET", URL: "/a/b?x=1", Proto: "HTTP/1.1", Header: []whttp.Field{{Name: "Host", Value: "api.example"}, {Name: "Accept", Value: "*/*"}},
				HeaderBytes: 60, Complete: true, Start: t0, End: t0},
			Response: &whttp.Message{Status: 200, Proto: "HTTP/1.1", Header: []whttp.Field{{Name: "Content-Type", Value: "text/plain"}, {Name: "Set-Cookie", Value: "a"}, {Name: "Set-Cookie", Value: "b"}},
				HeaderBytes: 90, BodyBytes: 12, ContentBytes: 10, Complete: true, Start: t0.Add(time.Millisecond), End: t0.Add(3 * time.Millisecond)}},
		{Conn: 4, Client: netip.MustParseAddrPort("[::1]:5"), Server: netip.MustParseAddrPort("[::1]:80"),
			Response: &whttp.Message{Status: 404, Proto: "HTTP/1.0", Start: t0, End: t0}},
		{Conn: 5, Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:50051"),
			Request: &whttp.Message{Method: "POST", URL: "/pkg.Svc/Call", Proto: "HTTP/2.0", Header: []whttp.Field{{Name: ":authority", Value: "grpc.example"}, {Name: "content-type", Value: "application/grpc"}}, Start: t0, End: t0}},
	}
	var buf bytes.Buffer
	w := tables.NewHTTPWriter(&buf, nil)
	for i := range txs {
		if err := w.Write(&txs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkSchema(t, buf.Bytes(), []column{
		{"conn", "INT64", "", false}, {"index", "INT32", "", false}, {"start", "INT64", tsMicros, false}, {"first_byte", "INT64", tsMicros, true},
		{"end", "INT64", tsMicros, false}, {"duration_ns", "INT64", "", false}, {"client_addr", "BYTE_ARRAY", "STRING", false}, {"client_port", "INT32", "", false},
		{"server_addr", "BYTE_ARRAY", "STRING", false}, {"server_port", "INT32", "", false}, {"method", "BYTE_ARRAY", "STRING", true},
		{"host", "BYTE_ARRAY", "STRING", true}, {"url", "BYTE_ARRAY", "STRING", true}, {"path", "BYTE_ARRAY", "STRING", true}, {"status", "INT32", "", true},
		{"proto", "BYTE_ARRAY", "STRING", true}, {"request_header_bytes", "INT64", "", false}, {"request_body_bytes", "INT64", "", false},
		{"request_content_bytes", "INT64", "", false}, {"request_complete", "BOOLEAN", "", false}, {"response_header_bytes", "INT64", "", false},
		{"response_body_bytes", "INT64", "", false}, {"response_content_bytes", "INT64", "", false}, {"response_complete", "BOOLEAN", "", false},
		{"content_type", "BYTE_ARRAY", "STRING", true}, {"note", "BYTE_ARRAY", "STRING", true}, {"request_header_names", "LIST", "", false},
		{"response_header_names", "LIST", "", false}, {"grpc_service", "BYTE_ARRAY", "STRING", true}, {"grpc_method", "BYTE_ARRAY", "STRING", true},
		{"grpc_status", "INT32", "", true},
	}, 3)
	rows := readRows[tables.HTTPRow](t, buf.Bytes())
	r := rows[0]
	if string(r.Host) != "api.example" || string(r.Path) != "/a/b" || string(r.URL) != "/a/b?x=1" || r.Status != 200 || r.DurationNS != int64(3*time.Millisecond) ||
		r.FirstByte != t0.Add(time.Millisecond).UnixMicro() || r.ResponseContentBytes != 10 || strings.Join(r.ResponseHeaderNames, ",") != "Content-Type,Set-Cookie,Set-Cookie" ||
		string(r.ContentType) != "text/plain" || r.Note != nil || r.GRPCService != nil {
		t.Errorf("row 0: %+v", r)
	}
	if r := rows[1]; r.Method != nil || string(r.Note) != "no request" || string(r.ClientAddr) != "::1" || r.Status != 404 || len(r.RequestHeaderNames) != 0 {
		t.Errorf("row without request: %+v", r)
	}
	if r := rows[2]; string(r.Note) != "no response" || r.Status != 0 || string(r.GRPCService) != "pkg.Svc" || string(r.GRPCMethod) != "Call" || r.GRPCStatus != nil || string(r.Host) != "grpc.example" {
		t.Errorf("gRPC row without response: %+v", r)
	}
}

// packet serializes layers into a frame.
func packet(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	for _, l := range ls {
		if n, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, nl := range ls {
				if ip, ok := nl.(gopacket.NetworkLayer); ok {
					n.SetNetworkLayerForChecksum(ip)
				}
			}
		}
	}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPacketTable(t *testing.T) {
	eth := &layers.Ethernet{SrcMAC: []byte{0, 1, 2, 3, 4, 5}, DstMAC: []byte{0, 1, 2, 3, 4, 6}, EthernetType: layers.EthernetTypeDot1Q}
	vlan := &layers.Dot1Q{VLANIdentifier: 42, Type: layers.EthernetTypeIPv4}
	ip4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, SYN: true, ACK: true, Window: 100}
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: netip.MustParseAddr("2001:db8::1").AsSlice(), DstIP: netip.MustParseAddr("2001:db8::2").AsSlice()}
	udp := &layers.UDP{SrcPort: 53, DstPort: 5353}
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1,
		SourceHwAddress: []byte{0, 1, 2, 3, 4, 5}, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}}
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.UTC)
	type pkt struct {
		lt   layers.LinkType
		data []byte
	}
	pkts := []pkt{
		{layers.LinkTypeEthernet, packet(t, eth, vlan, ip4, tcp)},
		{layers.LinkTypeRaw, packet(t, ip6, udp)},
		{layers.LinkTypeEthernet, packet(t, &layers.Ethernet{SrcMAC: eth.SrcMAC, DstMAC: eth.DstMAC, EthernetType: layers.EthernetTypeARP}, arp)},
	}
	var buf bytes.Buffer
	w := tables.NewPacketWriter(&buf, nil)
	for i, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i)), CaptureLength: len(p.data), Length: len(p.data) + 4}
		if err := w.Write("x.pcap", int64(24+100*i), ci, p.lt, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkSchema(t, buf.Bytes(), []column{
		{"file", "BYTE_ARRAY", "STRING", false}, {"offset", "INT64", "", false}, {"ts", "INT64", tsMicros, false}, {"ts_ns", "INT64", "", false},
		{"captured_length", "INT32", "", false}, {"original_length", "INT32", "", false}, {"link_type", "INT32", "", false},
		{"ether_type", "INT32", "", true}, {"vlan", "INT32", "", true}, {"src", "BYTE_ARRAY", "STRING", true}, {"dst", "BYTE_ARRAY", "STRING", true},
		{"ip_proto", "INT32", "", true}, {"src_port", "INT32", "", true}, {"dst_port", "INT32", "", true}, {"tcp_flags", "INT32", "", true},
	}, 3)
	rows := readRows[tables.PacketRow](t, buf.Bytes())
	r := rows[0]
	if string(r.File) != "x.pcap" || r.Offset != 24 || r.TSNS != t0.UnixNano() || r.TS != t0.UnixMicro() || r.LinkType != 1 || *r.EtherType != 0x0800 ||
		*r.VLAN != 42 || string(r.Src) != "10.0.0.1" || string(r.Dst) != "10.0.0.2" || *r.IPProto != 6 || *r.SrcPort != 40000 || *r.DstPort != 80 ||
		*r.TCPFlags != 0x12 || int(r.CapturedLength) != len(pkts[0].data) || int(r.OriginalLength) != len(pkts[0].data)+4 {
		t.Errorf("VLAN TCP row: %+v", r)
	}
	if r := rows[1]; r.VLAN != nil || string(r.Src) != "2001:db8::1" || *r.IPProto != 17 || *r.SrcPort != 53 || *r.DstPort != 5353 || r.TCPFlags != nil || *r.EtherType != 0x86dd {
		t.Errorf("raw IPv6 UDP row: %+v", r)
	}
	if r := rows[2]; *r.EtherType != 0x0806 || r.Src != nil || r.IPProto != nil || r.SrcPort != nil || r.TCPFlags != nil {
		t.Errorf("ARP row: %+v", r)
	}
}

// TestEmptyIsNullWhenRowsAreReused writes rows whose optional strings are
// set and empty by turns, more rows than a batch so that row buffers are
// reused: an empty value must read back as NULL every time, never as ""
// (nor as the value a reused row held before).
func TestEmptyIsNullWhenRowsAreReused(t *testing.T) {
	var buf bytes.Buffer
	w := tables.NewFlowWriter(&buf, nil)
	const n = 2000
	for i := range n {
		r := flow.Record{UID: fmt.Sprintf("C%d", i), Proto: "udp", ConnState: "S0"}
		if i%3 == 0 {
			r.Service, r.History = "dns", "D"
			r.Orig, r.Resp = netip.MustParseAddrPort("10.0.0.1:1"), netip.MustParseAddrPort("10.0.0.2:53")
		}
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for i, r := range readRows[tables.FlowRow](t, buf.Bytes()) {
		set := i%3 == 0
		if (r.Service != nil) != set || (r.History != nil) != set || (r.OrigH != nil) != set || set && string(r.Service) != "dns" || string(r.UID) != fmt.Sprintf("C%d", i) {
			t.Fatalf("row %d: service %q history %q orig_h %q uid %s; want set %v", i, r.Service, r.History, r.OrigH, r.UID, set)
		}
	}
}
