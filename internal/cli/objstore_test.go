package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
	"github.com/wirekit/wirekit/tables"
)

// storeBackend is where a test puts its set: the in-process S3 endpoint
// (the real AWS SDK client, configured by URL) or a file:// folder.
type storeBackend struct {
	name string
	url  func(key string) string
}

func storeBackends(t *testing.T) []storeBackend {
	srv := s3test.Start(t, "caps")
	dir := t.TempDir()
	return []storeBackend{
		{"s3", func(k string) string { return srv.URL("caps", k) }},
		{"file", func(k string) string { return "file://" + filepath.ToSlash(filepath.Join(dir, k)) }},
	}
}

func putObject(t *testing.T, s *blobio.Store, url string, data []byte) {
	t.Helper()
	w, err := s.Create(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func getObject(t *testing.T, s *blobio.Store, url string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("reading the output back: %v", err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// map, read -w, flows and http with their input and output in object
// storage give what they give on local files.
func TestObjectStorageCommands(t *testing.T) {
	set := genSet(t, 3)
	local, _ := filepath.Glob(filepath.Join(set, "*.pcap"))
	one := local[1]
	work := t.TempDir()
	mustRun(t, "map", "--dir-src", set, "--dump-json", filepath.Join(work, "map.json"))
	wantMapData, _ := os.ReadFile(filepath.Join(work, "map.json"))
	wantMap := byBase(mapEntriesNoPath(t, wantMapData))
	mustRun(t, "read", "-r", one, "-w", filepath.Join(work, "one.pcap"))
	wantPcap, _ := os.ReadFile(filepath.Join(work, "one.pcap"))
	wantFlows := mustRun(t, "flows", "-r", one, "--json")
	wantHTTP := mustRun(t, "http", "-r", one, "--jsonl")
	mustRun(t, "gen", "-w", filepath.Join(work, "gen.pcap"), "--packets", "50", "--seed", "3")
	wantGen, _ := os.ReadFile(filepath.Join(work, "gen.pcap"))
	mustRun(t, "replay", "--dump-json", filepath.Join(work, "map.json"), "-w", filepath.Join(work, "replayed.pcap"), "--topspeed", "--keep-timestamps")
	wantReplay, _ := os.ReadFile(filepath.Join(work, "replayed.pcap"))
	// The Parquet tables of the same runs, written locally.
	mustRun(t, "flows", "-r", one, "--parquet", filepath.Join(work, "flows.parquet"))
	mustRun(t, "http", "-r", one, "--parquet", filepath.Join(work, "http.parquet"))
	wantTables := map[string][]byte{}
	for _, n := range []string{"flows", "http"} {
		wantTables[n], _ = os.ReadFile(filepath.Join(work, n+".parquet"))
	}

	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			for _, p := range local {
				data, _ := os.ReadFile(p)
				putObject(t, s, b.url("set/"+filepath.Base(p)), data)
			}
			in := b.url("set/" + filepath.Base(one))

			mustRun(t, "map", "--dir-src", b.url("set/"), "--dump-json", b.url("out/map.json"))
			if got := byBase(mapEntriesNoPath(t, getObject(t, s, b.url("out/map.json")))); !equalMaps(got, wantMap) {
				t.Errorf("map of the set in storage:\n%v\nwant (as local):\n%v", got, wantMap)
			}
			mustRun(t, "read", "-r", in, "-w", b.url("out/one.pcap"))
			if got := getObject(t, s, b.url("out/one.pcap")); !bytes.Equal(got, wantPcap) {
				t.Errorf("read -r URL -w URL: %d bytes, differ from the local %d", len(got), len(wantPcap))
			}
			mustRun(t, "flows", "-r", in, "--json", "-o", b.url("out/flows.jsonl"))
			if got := string(getObject(t, s, b.url("out/flows.jsonl"))); got != wantFlows {
				t.Errorf("flows -r URL -o URL differs from flows on the local file")
			}
			mustRun(t, "http", "-r", in, "--jsonl", "-o", b.url("out/http.jsonl"))
			// http writes unanswered requests in no set order, and
			// numbers connections in that order: compare sorted, without
			// the number.
			if got := sortedLines(t, string(getObject(t, s, b.url("out/http.jsonl"))), "conn"); !slices.Equal(got, sortedLines(t, wantHTTP, "conn")) {
				t.Errorf("http -r URL -o URL differs from http on the local file")
			}
			// gen, info and replay: output, input and map by URL.
			mustRun(t, "gen", "-w", b.url("out/gen.pcap"), "--packets", "50", "--seed", "3")
			if got := getObject(t, s, b.url("out/gen.pcap")); !bytes.Equal(got, wantGen) {
				t.Errorf("gen -w URL: %d bytes, differ from the local file's %d", len(got), len(wantGen))
			}
			if got := mustRun(t, "info", b.url("out/gen.pcap")); !strings.Contains(got, "Number of packets:    50") {
				t.Errorf("info URL:\n%s", got)
			}
			for _, args := range [][]string{
				{"replay", "--dump-json", b.url("out/map.json"), "-w", b.url("out/replayed.pcap")},
				{"replay", b.url("set/"), "-w", b.url("out/replayed2.pcap")},
			} {
				mustRun(t, append(args, "--topspeed", "--keep-timestamps")...)
				if got := getObject(t, s, args[len(args)-1]); !bytes.Equal(got, wantReplay) {
					t.Errorf("%v: %d bytes, differ from the local replay's %d", args, len(got), len(wantReplay))
				}
			}
			// report: inputs by URL (files, a prefix, a map), the page to a URL.
			for i, args := range [][]string{
				{"report", "-r", in},
				{"report", b.url("set/")},
				{"report", "--dump-json", b.url("out/map.json")},
			} {
				page := b.url(fmt.Sprintf("out/report%d.html", i))
				mustRun(t, append(args, "-o", page)...)
				html := getObject(t, s, page)
				if !bytes.Contains(html, []byte("<html")) || !bytes.Contains(html, []byte(blobio.Base(in))) {
					t.Errorf("%v -o URL: %d bytes, not a page naming the input", args, len(html))
				}
			}
			// Files of flags that are not captures: filter compile -F,
			// read --offsets @FILE, http --tls-keylog.
			putObject(t, s, b.url("expr.txt"), []byte("tcp port 80 # web\n"))
			if got, want := mustRun(t, "filter", "compile", "-F", b.url("expr.txt")), mustRun(t, "filter", "compile", "tcp port 80"); got != want {
				t.Errorf("filter compile -F URL:\n%s\nwant\n%s", got, want)
			}
			putObject(t, s, b.url("offsets.txt"), []byte("offset\n24\n"))
			if got, want := mustRun(t, "read", "-r", in, "--offsets", "@"+b.url("offsets.txt")), mustRun(t, "read", "-r", one, "--offsets", "24"); got != want {
				t.Errorf("read --offsets @URL:\n%s\nwant\n%s", got, want)
			}
			golden := filepath.Join("testdata", "h2golden")
			keyLog, _ := os.ReadFile(filepath.Join(golden, "h2golden.keys"))
			putObject(t, s, b.url("keys.log"), keyLog)
			tlsCap := filepath.Join(golden, "h2golden.pcap")
			if got, want := mustRun(t, "http", "-r", tlsCap, "--tls-keylog", b.url("keys.log")), mustRun(t, "http", "-r", tlsCap, "--tls-keylog", filepath.Join(golden, "h2golden.keys")); got != want || !strings.Contains(got, "decrypted") {
				t.Errorf("http --tls-keylog URL:\n%s\nwant\n%s", got, want)
			}
			// Parquet tables to URLs: the same rows as the local tables
			// (http numbers connections in no set order: conn is left
			// out); the index's rows name their input, so it is checked
			// for its row count.
			mustRun(t, "flows", "-r", in, "--parquet", b.url("out/flows.parquet"))
			if got, want := tableRows[tables.FlowRow](t, getObject(t, s, b.url("out/flows.parquet")), nil), tableRows[tables.FlowRow](t, wantTables["flows"], nil); !slices.Equal(got, want) {
				t.Errorf("flows --parquet URL: %d rows, differ from the local table's %d", len(got), len(want))
			}
			noConn := func(r *tables.HTTPRow) { r.Conn = 0 }
			mustRun(t, "http", "-r", in, "--parquet", b.url("out/http.parquet"))
			httpObject := getObject(t, s, b.url("out/http.parquet"))
			if got, want := tableRows(t, httpObject, noConn), tableRows(t, wantTables["http"], noConn); len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("http --parquet URL: %d rows, differ from the local table's %d", len(got), len(want))
			}
			mustRun(t, "read", "-r", in, "--index", b.url("out/index.parquet"))
			if got := getObject(t, s, b.url("out/index.parquet")); !bytes.HasPrefix(got, []byte("PAR1")) || !bytes.HasSuffix(got, []byte("PAR1")) {
				t.Errorf("read --index URL: %d bytes, not a Parquet file", len(got))
			}
			// A table is never replaced, in storage as on disk.
			code, _, stderr := run(t, nil, "http", "-r", in, "--parquet", b.url("out/http.parquet"))
			if code != 2 || !strings.Contains(stderr, b.url("out/http.parquet")) || !strings.Contains(stderr, "exists") {
				t.Errorf("http --parquet onto an existing object: exit %d, %q; want exit 2 naming the URL", code, stderr)
			}
			if got := getObject(t, s, b.url("out/http.parquet")); !bytes.Equal(got, httpObject) {
				t.Errorf("the refused run changed the existing object")
			}
			// Sharded, into a partitioned folder in storage.
			for i := range 2 {
				mustRun(t, "map", "--dir-src", b.url("set"), "--shard", []string{"0/2", "1/2"}[i], "--dump-json", b.url("out/sharded"))
			}
			objs, err := s.List(context.Background(), b.url("out/sharded"))
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, o := range objs {
				keys = append(keys, strings.TrimPrefix(o.Key[strings.Index(o.Key, "out/sharded/"):], "out/sharded/"))
			}
			if want := []string{"shard=0/map.json", "shard=1/map.json"}; !slices.Equal(keys, want) {
				t.Errorf("sharded map in storage: %v, want %v", keys, want)
			}
			for i := range 2 {
				mustRun(t, "map", "--dir-src", b.url("set"), "--shard", []string{"0/2", "1/2"}[i], "--parquet", b.url("out/mapq"))
			}
			for i := range 2 {
				got := getObject(t, s, b.url("out/mapq/shard="+[]string{"0", "1"}[i]+"/part.parquet"))
				if !bytes.HasPrefix(got, []byte("PAR1")) || !bytes.HasSuffix(got, []byte("PAR1")) {
					t.Errorf("sharded map --parquet URL, shard %d: %d bytes, not a Parquet file", i, len(got))
				}
			}
		})
	}
}

// mapEntriesNoPath is mapEntries keyed and with the path reduced to the
// file's base name.
func mapEntriesNoPath(t *testing.T, data []byte) map[string]string {
	out := map[string]string{}
	for p, e := range mapEntries(t, data) {
		var m map[string]any
		json.Unmarshal([]byte(e), &m)
		m["path"] = blobio.Base(p)
		b, _ := json.Marshal(m)
		out[blobio.Base(p)] = string(b)
	}
	return out
}

func byBase(m map[string]string) map[string]string { return m }

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// tableRows reads a Parquet table's rows of type T, each changed by fix
// (when not nil) and written as JSON, sorted. parquet-go reads a null
// byte array as nil or as empty depending on the page's layout, so empty
// byte slices are made nil (wirekit's tables write no empty strings).
func tableRows[T any](t *testing.T, data []byte, fix func(*T)) []string {
	t.Helper()
	rows, err := parquet.Read[T](bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading a table back: %v", err)
	}
	out := make([]string, len(rows))
	for i := range rows {
		if fix != nil {
			fix(&rows[i])
		}
		v := reflect.ValueOf(&rows[i]).Elem()
		for f := range v.NumField() {
			if fv := v.Field(f); fv.CanSet() && fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Uint8 && fv.Len() == 0 {
				fv.SetZero()
			}
		}
		b, _ := json.Marshal(rows[i])
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}
