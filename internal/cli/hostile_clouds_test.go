package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/cloudtest"
	"github.com/wirekit/wirekit/internal/s3test"
)

// Each cloud driver, pointed at an endpoint that refuses connections, one
// that accepts and never answers, a missing bucket or missing credentials,
// makes reads (info, read -r), writes (read -w, gen -w) and listings (map
// --dir-src, filter --yaml --output) end with exit 1 and an error naming
// the URL and what to do, within the store timeout (cloudtest.Timeout
// here, blobio.DefaultTimeout otherwise), and the SDKs print nothing to
// the process's stdout or stderr. TestHostileObjectStorage has the S3
// cases against a working endpoint.
func TestHostileObjectStorageDrivers(t *testing.T) {
	set := genSet(t, 1)
	one, _ := filepath.Glob(filepath.Join(set, "*.pcap"))
	yml := filepath.Join(t.TempDir(), "f.yml")
	os.WriteFile(yml, []byte("web:\n  conditions:\n    - kind: port\n      match: [\"80/tcp\"]\n"), 0o644)
	srv := s3test.Start(t, "caps")
	refused, silent, missing := cloudtest.ClosedPort(t), cloudtest.Silent(t), cloudtest.NotFound(t)

	type driver struct {
		name string
		// url sets the environment and returns the URL of key.
		url  func(t *testing.T, key string) string
		want string // what the error says
		slow bool   // the endpoint never answers: the timeout's error
	}
	s3, gs, az := cloudtest.S3, cloudtest.GCS, cloudtest.Azure
	drivers := []driver{
		{"s3 refused connection", s3(refused, true), "cannot be reached", false},
		{"s3 endpoint never answers", s3(silent, true), "WIREKIT_STORAGE_TIMEOUT", true},
		{"s3 missing credentials", s3(strings.TrimPrefix(srv.Endpoint, "http://"), false), "AWS_ACCESS_KEY_ID", false},
		{"gs refused connection", gs(refused), "STORAGE_EMULATOR_HOST", false},
		{"gs endpoint never answers", gs(silent), "WIREKIT_STORAGE_TIMEOUT", true},
		{"gs missing bucket", gs(missing), "no such bucket", false},
		{"gs missing credentials", gs(""), "GOOGLE_APPLICATION_CREDENTIALS", false},
		{"azblob refused connection", az(refused, true), "cannot be reached", false},
		{"azblob endpoint never answers", az(silent, true), "WIREKIT_STORAGE_TIMEOUT", true},
		{"azblob missing container", az(missing, true), "no such bucket", false},
		{"azblob missing credentials", az(refused, false), "AZURE_STORAGE_KEY", false},
	}
	cmds := []struct {
		name string
		key  string
		args func(u string) []string
	}{
		{"info", "in.pcap", func(u string) []string { return []string{"info", u} }},
		{"read -r", "in.pcap", func(u string) []string { return []string{"read", "-r", u} }},
		{"read -w", "out.pcap", func(u string) []string { return []string{"read", "-r", one[0], "-w", u} }},
		{"gen -w", "gen.pcap", func(u string) []string { return []string{"gen", "-w", u, "--packets", "5"} }},
		{"map --dir-src listing", "set/", func(u string) []string { return []string{"map", "--dir-src", u, "--dump-json", "-"} }},
		{"filter --yaml --output", "out/", func(u string) []string { return []string{"filter", "--yaml", yml, "--output", u, set} }},
	}
	for _, d := range drivers {
		for _, c := range cmds {
			t.Run(d.name+"/"+c.name, func(t *testing.T) {
				cloudtest.Env(t)
				u := d.url(t, c.key)
				var so, se bytes.Buffer
				var code int
				start := time.Now()
				printed := cloudtest.CaptureStd(t, func() {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					code = Run(ctx, c.args(u), nil, &so, &se)
				})
				took := time.Since(start)
				msg := se.String() + so.String() // info reports on stdout
				if code != 1 {
					t.Fatalf("exit %d, want 1; stderr %q", code, msg)
				}
				for _, w := range []string{strings.SplitN(u, "?", 2)[0], d.want} {
					if !strings.Contains(msg, w) {
						t.Errorf("output %q does not say %q", msg, w)
					}
				}
				if bound := 2*cloudtest.Timeout + 12*time.Second; took > bound {
					t.Errorf("took %v, more than %v", took, bound)
				}
				if d.slow && took < cloudtest.Timeout {
					t.Errorf("took %v, less than the timeout %v", took, cloudtest.Timeout)
				}
				if printed != "" {
					t.Errorf("the SDK printed %q to the process's stdout or stderr", printed)
				}
			})
		}
	}
}
