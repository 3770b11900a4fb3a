package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// TestGopherCapConfigPipeline runs GopherCap's later commands from a
// config file in GopherCap's layout (the keys its cmd/eve2filter.go and
// cmd/filter.go bind with viper): eve2filter turns alerts into a filter
// file, and filter applies it to a folder of captures, as a GopherCap
// user chains them.
func TestGopherCapConfigPipeline(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "pcap")
	os.MkdirAll(in, 0o755)
	gcWrite(t, filepath.Join(in, "a.pcap"), layers.LinkTypeEthernet,
		gcUDP4(t, "10.0.0.3", "10.0.0.4", 5353, 53, 64), // flow 222
		gcUDP4(t, "10.0.0.4", "10.0.0.3", 53, 5353, 64), // its answer
		gcUDP4(t, "10.0.0.3", "10.0.0.9", 5353, 53, 64), // another server
		gcTCP4(t, "10.0.0.2", "10.0.0.1", 80, 40001),    // flow 111
	)
	eve := gcWriteFile(t, filepath.Join(dir, "eve.json"), suriEvents)
	filters := filepath.Join(dir, "filters.yaml")
	out := filepath.Join(dir, "out")
	cfg := gcWriteFile(t, filepath.Join(dir, "gophercap.yml"), `eve2filter:
  path:
    eve: `+eve+`
    filter: `+filters+`
filter:
  yaml: `+filters+`
  input: `+in+`
  output: `+out+`
  workers: 1
  compress: false
  dedup: false
  decap:
    enabled: false
    depth: -1
`)
	if code, stdout, stderr := run(t, nil, "--config", cfg, "eve2filter"); code != 0 {
		t.Fatalf("eve2filter: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, nil, "--config", cfg, "filter"); code != 0 {
		t.Fatalf("filter: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	count := func(path string) int {
		src, err := pcapio.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		n := 0
		for _, _, err := src.ReadPacketData(); err == nil; _, _, err = src.ReadPacketData() {
			n++
		}
		return n
	}
	for _, tc := range []struct {
		flow string
		want int
	}{
		{"222", 2}, // the query and its answer, not the query to another server
		{"111", 1},
	} {
		got := -1
		matches, _ := filepath.Glob(filepath.Join(out, tc.flow, "a.pcap*"))
		if len(matches) == 1 {
			got = count(matches[0])
		}
		if got != tc.want {
			entries, _ := os.ReadDir(filepath.Join(out, tc.flow))
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("filter %s wrote %d packets (files %s), want %d", tc.flow, got, strings.Join(names, " "), tc.want)
		}
	}
	// GopherCap's compress is a bool; "true" is gzip, as a bare --compress.
	out2 := filepath.Join(dir, "out2")
	if code, stdout, stderr := run(t, nil, "filter", "--yaml", filters, "--input", in, "--output", out2, "--compress=true"); code != 0 {
		t.Fatalf("--compress=true: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if got := count(filepath.Join(out2, "222", "a.pcap.gz")); got != 2 {
		t.Errorf("--compress=true: filter 222 wrote %d packets to a.pcap.gz, want 2", got)
	}
}
