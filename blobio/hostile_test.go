package blobio_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/cloudtest"
	"github.com/wirekit/wirekit/internal/s3test"
)

// Every failure names the URL and wraps the sentinel that says what to do.
func TestHostileStorage(t *testing.T) {
	srv := s3test.Start(t, "caps")
	dead := "s3://caps/x.pcap?endpoint=http://" + cloudtest.ClosedPort(t) + "&region=us-east-1&use_path_style=true"
	tests := []struct {
		name  string
		setup func(t *testing.T)
		url   string
		op    string // open, create, list
		want  error
	}{
		{"missing key", nil, srv.URL("caps", "nope.pcap"), "open", blobio.ErrNotFound},
		{"missing bucket on open", nil, srv.URL("nobucket", "x.pcap"), "open", blobio.ErrNotFound},
		{"missing bucket on list", nil, srv.URL("nobucket", "set/"), "list", blobio.ErrNotFound},
		{"missing bucket on create", nil, srv.URL("nobucket", "out.json"), "create", blobio.ErrNotFound},
		{"unreachable endpoint on open", nil, dead, "open", blobio.ErrUnreachable},
		{"unreachable endpoint on create", nil, dead, "create", blobio.ErrUnreachable},
		{"unreachable endpoint on list", nil, dead, "list", blobio.ErrUnreachable},
		{"missing credentials", func(t *testing.T) { s3test.Isolate(t) }, srv.URL("caps", "x.pcap"), "open", blobio.ErrCredentials},
		{"missing credentials on create", func(t *testing.T) { s3test.Isolate(t) }, srv.URL("caps", "out.json"), "create", blobio.ErrCredentials},
		{"folder opened as an object", nil, srv.URL("caps", "set/"), "open", blobio.ErrBadURL},
		{"folder created as an object", nil, srv.URL("caps", "set/"), "create", blobio.ErrBadURL},
		{"no bucket name", nil, "s3:///key", "open", blobio.ErrBadURL},
		{"relative file URL", nil, "file://host/x", "open", blobio.ErrBadURL},
		{"not a URL", nil, "/tmp/x.pcap", "open", blobio.ErrBadURL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			s := blobio.NewStore()
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var err error
			switch tc.op {
			case "open":
				var r *blobio.Reader
				if r, err = s.Open(ctx, tc.url); err == nil {
					r.Close()
				}
			case "create":
				var w *blobio.Writer
				if w, err = s.Create(ctx, tc.url, nil); err == nil {
					w.Abort()
				}
			case "list":
				_, err = s.List(ctx, tc.url)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("%s %s: %v, want %v", tc.op, tc.url, err, tc.want)
			}
			if name := strings.SplitN(tc.url, "?", 2)[0]; !strings.Contains(err.Error(), name) {
				t.Fatalf("error %q does not name %s", err, name)
			}
		})
	}
}
