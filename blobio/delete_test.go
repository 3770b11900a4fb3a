package blobio_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/cloudtest"
	"github.com/wirekit/wirekit/internal/s3test"
)

// Delete removes the object named and nothing else; a missing object, a
// missing bucket, a folder URL and an endpoint that cannot be reached are
// errors naming the URL and wrapping the sentinel that says which.
func TestDelete(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			ctx := context.Background()
			write(t, s, b.url("ring/a0.pcap"), []byte("old"))
			write(t, s, b.url("ring/a1.pcap"), []byte("kept"))
			if err := s.Delete(ctx, b.url("ring/a0.pcap")); err != nil {
				t.Fatalf("Delete of an existing object: %v", err)
			}
			if ok, err := s.Exists(ctx, b.url("ring/a0.pcap")); err != nil || ok {
				t.Fatalf("deleted object exists=%v (%v)", ok, err)
			}
			if ok, _ := s.Exists(ctx, b.url("ring/a1.pcap")); !ok {
				t.Fatal("Delete removed another object")
			}
			if keys := b.keys(); slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(k, "a0") }) {
				t.Fatalf("Delete left %q", keys)
			}
			// The name can be created again: the ring's next round.
			write(t, s, b.url("ring/a0.pcap"), []byte("new"))

			for _, tc := range []struct {
				name, url string
				want      error
			}{
				{"missing object was not ErrNotFound", b.url("ring/nope.pcap"), blobio.ErrNotFound},
				{"folder URL was not refused", strings.Replace(b.url("ring/x"), "ring/x", "ring/", 1), blobio.ErrBadURL},
				{"folder without its slash was deleted", b.url("ring"), nil},
				{"plain path was not refused", "/tmp/x.pcap", blobio.ErrBadURL},
			} {
				err := s.Delete(ctx, tc.url)
				if tc.want == nil {
					// A folder on file://, or no such object on S3 (where
					// keys have no folders): an error either way.
					if err == nil {
						t.Errorf("%s: Delete(%s) succeeded", tc.name, tc.url)
					}
					continue
				}
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), strings.SplitN(tc.url, "?", 2)[0]) {
					t.Errorf("%s: Delete(%s) = %v, want %v naming the URL", tc.name, tc.url, err, tc.want)
				}
			}
		})
	}
}

func TestDeleteHostile(t *testing.T) {
	srv := s3test.Start(t, "caps")
	dead := "s3://caps/x.pcap?endpoint=http://" + cloudtest.ClosedPort(t) + "&region=us-east-1&use_path_style=true"
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T)
		url   string
		want  error
	}{
		{"missing bucket was not ErrNotFound", nil, srv.URL("nobucket", "x.pcap"), blobio.ErrNotFound},
		{"unreachable endpoint was not ErrUnreachable", nil, dead, blobio.ErrUnreachable},
		{"missing credentials were not ErrCredentials", func(t *testing.T) { s3test.Isolate(t) }, srv.URL("caps", "x.pcap"), blobio.ErrCredentials},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			s := blobio.NewStore()
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := s.Delete(ctx, tc.url)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), strings.SplitN(tc.url, "?", 2)[0]) {
				t.Fatalf("Delete(%s) = %v, want %v naming the URL", tc.url, err, tc.want)
			}
		})
	}
}
