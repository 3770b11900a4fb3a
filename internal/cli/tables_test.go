package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/testutil"
)

// jsonLines decodes JSON Lines, numbers kept as json.Number.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		d := json.NewDecoder(strings.NewReader(sc.Text()))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatalf("JSON line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// str renders a JSON or DuckDB value for comparison: nil is "NULL",
// numbers and strings as they print, lists as [a b].
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = str(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

// micros parses an RFC 3339 time to microseconds since the epoch.
func rfcMicros(t *testing.T, v any) string {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, str(v))
	if err != nil {
		t.Fatalf("time %v: %v", v, err)
	}
	return strconv.FormatInt(tm.UnixMicro(), 10)
}

// epochMicros turns Zeek's "1704067200.000123" into "1704067200000123".
func epochMicros(v any) string {
	s := str(v)
	sec, frac, _ := strings.Cut(s, ".")
	frac = (frac + "000000")[:6]
	n, _ := strconv.ParseInt(sec+frac, 10, 64)
	return strconv.FormatInt(n, 10)
}

// row joins values with spaces, for comparing rows.
func row(vals ...any) string { return strings.TrimSuffix(fmt.Sprintln(vals...), "\n") }

func withR(files []string, args ...string) []string {
	var out []string
	for _, f := range files {
		out = append(out, "-r", f)
	}
	return append(out, args...)
}

// TestParquetAgreesWithJSON writes each table with --parquet (and read
// --index) in the same run as wirekit's JSON output, and has DuckDB read
// the Parquet files: per table, the row count, sums, and every row by its
// key must be what the JSON says. Inputs: a generated capture (TCP with
// HTTP, DNS, ICMP, ARP, VLANs, IPv6), and the corpus capture of HTTP with
// TCP segmentation offload merged with it.
func TestParquetAgreesWithJSON(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "gen", "-w", gen, "--packets", "3000", "--seed", "7")
	t.Run("generated", func(t *testing.T) { checkTables(t, []string{gen}) })
	t.Run("corpus HTTP merged with generated", func(t *testing.T) {
		c := filepath.Join(testutil.CorpusDir(t, "tcpdump"), "ipv4_tcp_http_xml.pcap")
		checkTables(t, []string{gen, c})
	})
}

func checkTables(t *testing.T, files []string) {
	dir := t.TempDir()
	pq := func(name string) string { return filepath.Join(dir, name+".parquet") }
	rp := func(name string) string { return "read_parquet(" + testutil.SQLString(pq(name)) + ")" }

	// The four runs, each writing JSON and Parquet at once.
	mapJSON := filepath.Join(dir, "map.json")
	mustRun(t, append([]string{"map", "--dump-json", mapJSON, "--parquet", pq("map")}, files...)...)
	flowsOut := jsonLines(t, mustRun(t, append([]string{"flows", "--json", "--parquet", pq("flows")}, withR(files)...)...))
	var httpOut []map[string]any
	for _, m := range jsonLines(t, mustRun(t, append([]string{"http", "--jsonl", "--parquet", pq("http")}, withR(files)...)...)) {
		if m["type"] == nil {
			httpOut = append(httpOut, m)
		}
	}
	mustRun(t, append([]string{"read", "--index", pq("index")}, withR(files)...)...)
	packets := jsonLines(t, mustRun(t, append([]string{"read", "--json"}, withR(files)...)...))
	set, err := dataset.Load(mapJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(flowsOut) == 0 || len(httpOut) == 0 || len(packets) == 0 {
		t.Fatalf("inputs too poor for the test: %d flows, %d transactions, %d packets", len(flowsOut), len(httpOut), len(packets))
	}

	queries := []string{
		`select count(*) n, sum(packets) p, sum(size) s, sum(file_size) fs from ` + rp("map"),
		`select path, packets, size, file_size, wire_bytes, max_packet_size, epoch_us(beginning) b, epoch_us("end") e, duration_ns, link_types from ` + rp("map") + ` order by path`,
		`select count(*) n, sum(orig_pkts) op, sum(resp_pkts) rp, sum(orig_ip_bytes) ob, sum(resp_ip_bytes) rb from ` + rp("flows"),
		`select uid, orig_h, orig_p, resp_h, resp_p, proto, service, conn_state, history, epoch_us(ts) ts, orig_pkts, resp_ip_bytes, vlan, dns_query, http_host,
			case when duration_ns > 0 then orig_bytes end ob from ` + rp("flows"),
		`select count(*) n, count(status) st, sum(response_content_bytes) rcb, sum(request_content_bytes) qcb from ` + rp("http"),
		`select conn, "index" i, method, host, url, status, epoch_us(start) st, epoch_us("end") en, client_addr, client_port, server_addr, server_port,
			request_header_names, response_header_names, response_content_bytes from ` + rp("http"),
		`select count(*) n, sum(captured_length) cl, count(distinct file) f from ` + rp("index"),
		`select file, "offset", ts_ns, epoch_us(ts) ts, captured_length, original_length, src, dst, src_port, dst_port from ` + rp("index"),
	}
	// Per file, packets to fetch back with read --offsets.
	for _, f := range files {
		queries = append(queries, `select "offset", ts_ns, src_port, dst_port from `+rp("index")+` where file = `+testutil.SQLString(f)+
			` and dst_port is not null order by ts_ns desc limit 7`)
	}
	res := testutil.DuckDB(t, queries...)

	// map: one row per file, the JSON's values.
	var wantPackets, wantSize, wantFileSize int64
	for _, f := range set.Files {
		wantPackets += f.Packets
		wantSize += f.Size
		wantFileSize += f.FileSize
	}
	if got, want := []string{str(res[0][0]["n"]), str(res[0][0]["p"]), str(res[0][0]["s"]), str(res[0][0]["fs"])},
		[]string{strconv.Itoa(len(set.Files)), row(wantPackets), row(wantSize), row(wantFileSize)}; !slices.Equal(got, want) {
		t.Errorf("map: count, packets, size, file_size = %v, JSON says %v", got, want)
	}
	mapped := slices.Clone(set.Files)
	slices.SortFunc(mapped, func(a, b dataset.File) int { return strings.Compare(a.Path, b.Path) })
	for i, r := range res[1] {
		if i >= len(mapped) {
			break
		}
		f := mapped[i]
		want := row(f.Path, f.Packets, f.Size, f.FileSize, f.WireBytes, f.MaxPacketSize, f.Beginning.UnixMicro(), f.End.UnixMicro(), int64(f.Duration), f.LinkTypes)
		got := row(str(r["path"]), str(r["packets"]), str(r["size"]), str(r["file_size"]), str(r["wire_bytes"]), str(r["max_packet_size"]), str(r["b"]), str(r["e"]), str(r["duration_ns"]), str(r["link_types"]))
		if got != want {
			t.Errorf("map row %d:\n got %s\nwant %s", i, got, want)
		}
	}

	// flows: counts and sums, then every conversation by uid.
	var op, rp2, ob, rb int64
	byUID := map[string]map[string]any{}
	for _, m := range flowsOut {
		for _, x := range []struct {
			k string
			n *int64
		}{{"orig_pkts", &op}, {"resp_pkts", &rp2}, {"orig_ip_bytes", &ob}, {"resp_ip_bytes", &rb}} {
			v, _ := strconv.ParseInt(str(m[x.k]), 10, 64)
			*x.n += v
		}
		byUID[str(m["uid"])] = m
	}
	if got, want := row(str(res[2][0]["n"]), str(res[2][0]["op"]), str(res[2][0]["rp"]), str(res[2][0]["ob"]), str(res[2][0]["rb"])),
		row(len(flowsOut), op, rp2, ob, rb); got != want {
		t.Errorf("flows: count and packet/byte sums = %s, JSON says %s", got, want)
	}
	for _, r := range res[3] {
		m, ok := byUID[str(r["uid"])]
		if !ok {
			t.Errorf("flows: uid %v not in the JSON", r["uid"])
			continue
		}
		opt := func(k string) string {
			if v, ok := m[k]; ok {
				return str(v)
			}
			return "NULL"
		}
		want := row(opt("id.orig_h"), opt("id.orig_p"), opt("id.resp_h"), opt("id.resp_p"), opt("proto"), opt("service"), opt("conn_state"),
			opt("history"), epochMicros(m["ts"]), opt("orig_pkts"), opt("resp_ip_bytes"), opt("vlan"), opt("dns_query"), opt("http_host"), opt("orig_bytes"))
		got := row(str(r["orig_h"]), str(r["orig_p"]), str(r["resp_h"]), str(r["resp_p"]), str(r["proto"]), str(r["service"]), str(r["conn_state"]),
			str(r["history"]), str(r["ts"]), str(r["orig_pkts"]), str(r["resp_ip_bytes"]), str(r["vlan"]), str(r["dns_query"]), str(r["http_host"]), str(r["ob"]))
		if got != want {
			t.Errorf("flows uid %v:\n got %s\nwant %s", r["uid"], got, want)
		}
	}

	// http: counts and sums, then every transaction by conn.index.
	var withStatus int
	var rcb, qcb int64
	byTx := map[string]map[string]any{}
	for _, m := range httpOut {
		if m["status"] != nil {
			withStatus++
		}
		for _, x := range []struct {
			k string
			n *int64
		}{{"response", &rcb}, {"request", &qcb}} {
			if msg, ok := m[x.k].(map[string]any); ok {
				v, _ := strconv.ParseInt(str(msg["content_bytes"]), 10, 64)
				*x.n += v
			}
		}
		byTx[str(m["conn"])+"."+str(m["index"])] = m
	}
	if got, want := row(str(res[4][0]["n"]), str(res[4][0]["st"]), str(res[4][0]["rcb"]), str(res[4][0]["qcb"])),
		row(len(httpOut), withStatus, rcb, qcb); got != want {
		t.Errorf("http: count, with status, content bytes = %s, JSONL says %s", got, want)
	}
	names := func(msg any) string {
		m, ok := msg.(map[string]any)
		if !ok {
			return "[]"
		}
		var n []string
		for _, h := range m["headers"].([]any) {
			n = append(n, str(h.([]any)[0]))
		}
		return "[" + strings.Join(n, " ") + "]"
	}
	for _, r := range res[5] {
		key := str(r["conn"]) + "." + str(r["i"])
		m, ok := byTx[key]
		if !ok {
			t.Errorf("http: transaction %s not in the JSONL", key)
			continue
		}
		opt := func(k string) string {
			if v, ok := m[k]; ok {
				return str(v)
			}
			return "NULL"
		}
		c, s := netip.MustParseAddrPort(str(m["client"])), netip.MustParseAddrPort(str(m["server"]))
		rcb := "0"
		if msg, ok := m["response"].(map[string]any); ok {
			rcb = str(msg["content_bytes"])
		}
		want := row(opt("method"), opt("host"), opt("url"), opt("status"), rfcMicros(t, m["start"]), rfcMicros(t, m["end"]), c.Addr(), c.Port(), s.Addr(), s.Port(),
			names(m["request"]), names(m["response"]), rcb)
		got := row(str(r["method"]), str(r["host"]), str(r["url"]), str(r["status"]), str(r["st"]), str(r["en"]), str(r["client_addr"]), str(r["client_port"]),
			str(r["server_addr"]), str(r["server_port"]), str(r["request_header_names"]), str(r["response_header_names"]), str(r["response_content_bytes"]))
		if got != want {
			t.Errorf("http %s:\n got %s\nwant %s", key, got, want)
		}
	}

	// index: one row per packet, in the order read prints them.
	if got, want := row(str(res[6][0]["n"]), str(res[6][0]["cl"]), str(res[6][0]["f"])), row(len(packets), wantSize, len(set.Files)); got != want {
		t.Errorf("index: rows, captured bytes, files = %s, read --json and map say %s", got, want)
	}
	for i, r := range res[7] {
		if i >= len(packets) {
			break
		}
		p := packets[i]
		ts, err := time.Parse(time.RFC3339Nano, str(p["ts"]))
		if err != nil {
			t.Fatal(err)
		}
		want := row(ts.UnixNano(), ts.UnixMicro(), str(p["caplen"]), str(p["len"]))
		got := row(str(r["ts_ns"]), str(r["ts"]), str(r["captured_length"]), str(r["original_length"]))
		if proto := str(p["proto"]); proto == "tcp" || proto == "udp" {
			want += row(" ", str(p["src"]), str(p["dst"]), str(p["sport"]), str(p["dport"]))
			got += row(" ", str(r["src"]), str(r["dst"]), str(r["src_port"]), str(r["dst_port"]))
		}
		if got != want {
			t.Errorf("index row %d (%v@%v):\n got %s\nwant %s", i, r["file"], r["offset"], got, want)
			if i > 20 {
				break
			}
		}
	}

	// read --offsets fetches back what a query over the index selects.
	for i, f := range files {
		sel := res[8+i]
		if len(sel) == 0 {
			t.Errorf("index of %s: no packet with ports", f)
			continue
		}
		var offs []string
		for _, r := range sel {
			offs = append(offs, str(r["offset"]))
		}
		got := jsonLines(t, mustRun(t, "read", "-r", f, "--offsets", strings.Join(offs, ","), "--json"))
		if len(got) != len(sel) {
			t.Errorf("read --offsets %s on %s: %d packets, want %d", strings.Join(offs, ","), f, len(got), len(sel))
			continue
		}
		slices.Reverse(sel) // the file's order
		for i, p := range got {
			ts, _ := time.Parse(time.RFC3339Nano, str(p["ts"]))
			if w := sel[i]; row(ts.UnixNano(), str(p["sport"]), str(p["dport"])) != row(str(w["ts_ns"]), str(w["src_port"]), str(w["dst_port"])) {
				t.Errorf("read --offsets on %s: packet %d is %v %v>%v, the index says %v %v>%v", f, i, ts.UnixNano(), p["sport"], p["dport"], w["ts_ns"], w["src_port"], w["dst_port"])
			}
		}
	}
}

// TestParquetHivePartitions checks that tables written as hive-style
// partitions (out/shard=I/part.parquet, what --shard writes) read as one
// table with DuckDB's hive_partitioning, the shard a column.
func TestParquetHivePartitions(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "gen", "-w", gen, "--packets", "3000", "--seed", "3")
	out := filepath.Join(dir, "out")
	want := map[string]int{}
	for i, expr := range []string{"tcp dst port 80 or tcp src port 80", "ip6 or vlan"} {
		part := filepath.Join(out, fmt.Sprintf("shard=%d", i))
		if err := os.MkdirAll(part, 0o755); err != nil {
			t.Fatal(err)
		}
		stdout := mustRun(t, "http", "-r", gen, "--jsonl", "--parquet", filepath.Join(part, "part.parquet"), expr)
		for _, m := range jsonLines(t, stdout) {
			if m["type"] == nil {
				want[strconv.Itoa(i)]++
			}
		}
	}
	rows := testutil.DuckDB(t, `select shard::varchar shard, count(*) n from read_parquet(`+testutil.SQLString(filepath.Join(out, "*", "*.parquet"))+
		`, hive_partitioning=true) group by shard order by shard`)[0]
	got := map[string]int{}
	for _, r := range rows {
		n, _ := strconv.Atoi(str(r["n"]))
		got[str(r["shard"])] = n
	}
	if row(got) != row(want) || len(got) != 2 {
		t.Errorf("rows per shard: %v, the JSONL of each run says %v", got, want)
	}
}
