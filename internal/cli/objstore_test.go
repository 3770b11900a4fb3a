package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
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
