package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirekit/wirekit/pcapio"
)

func init() {
	// Tests never read or write GopherCap's real default map in /tmp;
	// those that test the default move it into their own folder.
	gopherCapDumpJSON = filepath.Join(os.TempDir(), "wirekit-test-no-such-dir", "mapped-files.json")
}

// useDefaultMap points GopherCap's default --dump-json into a test folder.
func useDefaultMap(t *testing.T) string {
	t.Helper()
	old := gopherCapDumpJSON
	gopherCapDumpJSON = filepath.Join(t.TempDir(), "mapped-files.json")
	t.Cleanup(func() { gopherCapDumpJSON = old })
	return gopherCapDumpJSON
}

// gcPackets returns the packets in a capture file.
func gcPackets(t *testing.T, path string) int {
	t.Helper()
	return len(readAll(t, func() (pcapio.Source, error) { return pcapio.Open(path) }))
}

// TestGopherCapCommandLines drives wirekit with GopherCap's own command
// lines (its README's and --help examples, with its flag spellings) and
// checks the results: map without --dump-json, replay of that map to a
// file and to --null with GopherCap's time format, loops and skips, and
// tarExtract.
func TestGopherCapCommandLines(t *testing.T) {
	dir, paths, _ := replayFixture(t)
	all := readAll(t, func() (pcapio.Source, error) { return pcapio.Merge(paths...) })
	def := useDefaultMap(t)
	out := t.TempDir()

	// gopherCap map --dir-src DIR --file-suffix pcap --file-workers 2
	code, stdout, stderr := run(t, nil, "map", "--dir-src", dir, "--file-suffix", "pcap", "--file-workers", "2")
	if code != 0 || !strings.Contains(stderr, "writing the map to "+def+", GopherCap's default") || !strings.Contains(stdout, "mapped 3 files") {
		t.Fatalf("map without --dump-json: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(def); err != nil {
		t.Fatalf("map without --dump-json wrote no %s: %v", def, err)
	}

	// gopherCap replay (no --dump-json: the default map), into a file.
	w := filepath.Join(out, "all.pcap")
	code, stdout, stderr = run(t, nil, "replay", "-w", w, "--topspeed")
	if code != 0 || !strings.Contains(stderr, "reading "+def) || gcPackets(t, w) != len(all) {
		t.Fatalf("replay of the default map: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// GopherCap's global flags before the subcommand.
	code, stdout, stderr = run(t, nil, "--dump-json", def, "--file-regexp", `w1\.pcap`, "replay", "--null", "--topspeed")
	if code != 0 || !strings.Contains(stdout, "sent 200 packets") {
		t.Fatalf("global flags before replay: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// --time-from/--time-to in GopherCap's layout, UTC, as its help shows.
	from, to := all[100].ts, all[299].ts
	inside := 0
	for _, p := range all {
		if !p.ts.Before(from.Truncate(time.Second)) && !p.ts.After(to.Truncate(time.Second).Add(time.Second)) {
			inside++
		}
	}
	w = filepath.Join(out, "window.pcap")
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", def, "-w", w, "--topspeed",
		"--time-from", from.UTC().Format("2006-01-02 15:04:05"), "--time-to", to.UTC().Add(time.Second).Format("2006-01-02 15:04:05"))
	if code != 0 || gcPackets(t, w) != inside {
		t.Fatalf("GopherCap time window: exit %d, want %d packets\nstdout: %s\nstderr: %s", code, inside, stdout, stderr)
	}
	// With fractions, the same window as RFC 3339 gives.
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", def, "--null", "--topspeed",
		"--time-from", from.UTC().Format("2006-01-02 15:04:05.999999999"), "--time-to", to.UTC().Format("2006-01-02 15:04:05.999999999"))
	if code != 0 || !strings.Contains(stdout, "sent 200 packets") {
		t.Fatalf("GopherCap time window with fractions: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// gopherCap replay --loop-count 2 --wait-disable --time-scale-enabled --time-scale-duration
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", def, "--null", "--loop-count", "2", "--wait-disable",
		"--time-scale-enabled", "--time-scale-duration", "20ms")
	if code != 0 || !strings.Contains(stdout, "sent "+strconv.Itoa(2*len(all))+" packets") || !strings.Contains(stdout, "2 loops") {
		t.Fatalf("looped replay: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// --skip-mtu, --skip-ooo and --reorder are accepted and counted.
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", def, "--null", "--topspeed", "--skip-mtu", "1514", "--skip-ooo")
	if code != 0 || !strings.Contains(stdout, "skipped above 1514 bytes by --skip-mtu") || !strings.Contains(stdout, "skipped 0 packets out of order") {
		t.Fatalf("--skip-mtu --skip-ooo: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", def, "--null", "--topspeed", "--reorder", "--out-bpf", "not net 10.0.0.0/32")
	if code != 0 || !strings.Contains(stdout, "replay done") {
		t.Fatalf("--reorder: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// gopherCap tarExtract --in-tarball T --file-regexp RE --out-dir D --out-gzip
	tarball, _ := tarFixture(t, false)
	td := t.TempDir()
	code, stdout, stderr = run(t, nil, "tarExtract", "--in-tarball", tarball, "--file-regexp", `a\.pcap`, "--out-dir", td, "--out-gzip")
	if code != 0 {
		t.Fatalf("tarExtract: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	// wirekit keeps the tarball's folders (set/a.pcap.gz); GopherCap
	// writes the base name only: --flatten comes closest.
	if m, _ := filepath.Glob(filepath.Join(td, "set", "a.pcap.gz")); len(m) != 1 {
		t.Fatalf("tarExtract wrote %v; want one a.pcap.gz\nstdout: %s\nstderr: %s", m, stdout, stderr)
	}
}

// TestGopherCapConfig: a configuration file in GopherCap's layout
// (configs/gophercap.yml, every key) drives map, replay and tarExtract,
// and flags on the command line override it.
func TestGopherCapConfig(t *testing.T) {
	dir, paths, _ := replayFixture(t)
	all := readAll(t, func() (pcapio.Source, error) { return pcapio.Merge(paths...) })
	work := t.TempDir()
	mapPath := filepath.Join(work, "set.json")
	tarball, _ := tarFixture(t, false)
	td := filepath.Join(work, "extracted")
	cfg := filepath.Join(work, "gophercap.yml")
	// GopherCap's example file, with paths of the test's own.
	text := `global:
  dump:
    json: ` + mapPath + `
  file:
    regexp: ""
map:
  dir:
    src: ` + dir + `
  file:
    suffix: pcap
    workers: 4
replay:
  disable_wait: false
  loop:
    count: 2
    infinite: false
  out:
    bpf: ""
    interface: eth0
  skip:
    mtu: 1514
    out_of_order: false
  reorder:
    enabled: false
  time:
    from: ""
    modifier: "1"
    scale:
      duration: 1h0m0s
      enabled: false
    to: ""
tarball:
  dryrun: false
  in:
    file: ` + tarball + `
  out:
    dir: ` + td + `
    gzip: true
`
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "--config", cfg, "map")
	if code != 0 || !strings.Contains(stdout, "mapped 3 files") || !strings.Contains(stdout, "to "+mapPath) {
		t.Fatalf("--config map: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	// The config's out.interface is not a second output when -w is given,
	// and its scale duration with scaling off is no error.
	// skip.mtu 1514 drops the set's jumbo frames, as GopherCap would.
	small := 0
	for _, p := range all {
		if len(p.data) <= 1514 {
			small++
		}
	}
	if small == len(all) {
		t.Fatal("the fixture has no frame above 1514 bytes to test skip.mtu with")
	}
	w := filepath.Join(work, "replayed.pcap")
	code, stdout, stderr = run(t, nil, "--config", cfg, "replay", "-w", w, "--topspeed")
	if code != 0 || gcPackets(t, w) != 2*small {
		t.Fatalf("--config replay (2 loops from the file): exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	// The command line overrides the file.
	code, stdout, stderr = run(t, nil, "--config", cfg, "replay", "--null", "--topspeed", "--loop-count", "1", "--skip-mtu", "0", "--file-regexp", "w1")
	if code != 0 || !strings.Contains(stdout, "sent 200 packets") {
		t.Fatalf("--config replay with overrides: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, nil, "--config", cfg, "tarExtract")
	if m, _ := filepath.Glob(filepath.Join(td, "set", "*.pcap.gz")); code != 0 || len(m) != 1 {
		t.Fatalf("--config tarExtract: exit %d, wrote %v\nstdout: %s\nstderr: %s", code, m, stdout, stderr)
	}

	// exampleConfig prints GopherCap's layout; --config FILE writes it
	// there, and the file loads back.
	code, stdout, stderr = run(t, nil, "exampleConfig")
	var doc map[string]map[string]any
	if code != 0 || yaml.Unmarshal([]byte(stdout), &doc) != nil || doc["replay"]["loop"] == nil || doc["map"]["file"] == nil || doc["tarball"]["out"] == nil {
		t.Fatalf("exampleConfig: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "json: "+gopherCapDumpJSON) || !strings.Contains(stdout, "duration: 1h0m0s") {
		t.Errorf("exampleConfig lacks GopherCap's defaults:\n%s", stdout)
	}
	ex := filepath.Join(work, "example.yml")
	if code, _, stderr = run(t, nil, "--config", ex, "exampleConfig"); code != 0 {
		t.Fatalf("--config FILE exampleConfig: exit %d: %s", code, stderr)
	}
	code, stdout, stderr = run(t, nil, "--config", ex, "replay", "--null", "--topspeed", "--dump-json", mapPath)
	if code != 0 || !strings.Contains(stdout, "sent "+strconv.Itoa(len(all))+" packets") {
		t.Fatalf("replay with the example config: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestGopherCapLoopCountZero: --loop-count 0 loops until stopped, as
// GopherCap's help says (before, wirekit refused it).
func TestGopherCapLoopCountZero(t *testing.T) {
	_, paths, _ := replayFixture(t)
	for _, n := range []string{"0", "-1"} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		var stdout, stderr strings.Builder
		code := Run(ctx, []string{"replay", "--null", "--topspeed", "--loop-count", n, paths[0]}, nil, &stdout, &stderr)
		cancel()
		i := strings.Index(stdout.String(), " loops;")
		loops := 0
		if i > 0 {
			f := strings.Fields(stdout.String()[:i])
			loops, _ = strconv.Atoi(f[len(f)-1])
		}
		if code != 0 || !strings.Contains(stdout.String(), "replay interrupted") || loops < 3 {
			t.Errorf("--loop-count %s: exit %d, %d loops; want an endless replay\nstdout: %s\nstderr: %s", n, code, loops, stdout.String(), stderr.String())
		}
	}
}

// TestVersion: 'version' and '--version' print the same line.
func TestVersion(t *testing.T) {
	code, a, stderr := run(t, nil, "version")
	if code != 0 || !strings.HasPrefix(a, "wirekit ") {
		t.Fatalf("version: exit %d: %q %s", code, a, stderr)
	}
	code, b, stderr := run(t, nil, "--version")
	if code != 0 || a != b {
		t.Fatalf("--version: exit %d: %q, want %q %s", code, b, a, stderr)
	}
}
