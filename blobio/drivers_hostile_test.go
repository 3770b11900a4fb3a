package blobio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/cloudtest"
	"github.com/wirekit/wirekit/internal/s3test"
)

// testTimeout is the Store timeout cloudtest.Env sets.
const testTimeout = cloudtest.Timeout

// driverCase is one driver pointed at one kind of broken endpoint.
type driverCase struct {
	name string
	// setup sets the environment and returns the URL of key (a folder
	// when it ends in "/").
	setup func(t *testing.T, key string) string
	want  error
	// says is what the error must say besides the URL and the sentinel.
	says string
	// slow: the endpoint never answers, so the operation takes the
	// Store's timeout.
	slow bool
}

// driverCases are, for each cloud driver, an endpoint that refuses
// connections, one that accepts and never answers, a missing bucket, and
// missing credentials.
func driverCases(t *testing.T) []driverCase {
	s3, gs, az := cloudtest.S3, cloudtest.GCS, cloudtest.Azure
	refused, silent, missing := cloudtest.ClosedPort(t), cloudtest.Silent(t), cloudtest.NotFound(t)
	return []driverCase{
		{"s3 refused connection", s3(refused, true), blobio.ErrUnreachable, "endpoint=", false},
		{"s3 endpoint never answers", s3(silent, true), blobio.ErrUnreachable, blobio.TimeoutEnv, true},
		{"s3 missing credentials", s3(missing, false), blobio.ErrCredentials, "AWS_ACCESS_KEY_ID", false},
		{"gs refused connection", gs(refused), blobio.ErrUnreachable, "STORAGE_EMULATOR_HOST", false},
		{"gs endpoint never answers", gs(silent), blobio.ErrUnreachable, blobio.TimeoutEnv, true},
		{"gs missing bucket", gs(missing), blobio.ErrNotFound, "bucket", false},
		{"gs missing credentials", gs(""), blobio.ErrCredentials, "GOOGLE_APPLICATION_CREDENTIALS", false},
		{"azblob refused connection", az(refused, true), blobio.ErrUnreachable, "domain=", false},
		{"azblob endpoint never answers", az(silent, true), blobio.ErrUnreachable, blobio.TimeoutEnv, true},
		{"azblob missing container", az(missing, true), blobio.ErrNotFound, "bucket", false},
		{"azblob missing credentials", az(refused, false), blobio.ErrCredentials, "AZURE_STORAGE_KEY", false},
	}
}

// Every driver, for every broken endpoint, fails each operation with an
// error naming the URL, the sentinel and what to do, within the Store's
// timeout, and the SDKs print nothing.
func TestHostileDrivers(t *testing.T) {
	for _, dc := range driverCases(t) {
		for _, op := range []string{"open", "create", "list"} {
			t.Run(dc.name+"/"+op, func(t *testing.T) {
				cloudtest.Env(t)
				key := "x.pcap"
				if op == "list" {
					key = "set/"
				}
				u := dc.setup(t, key)
				var err error
				start := time.Now()
				printed := cloudtest.CaptureStd(t, func() {
					s := blobio.NewStore()
					defer s.Close()
					ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
					defer cancel()
					switch op {
					case "open":
						var r *blobio.Reader
						if r, err = s.Open(ctx, u); err == nil {
							r.Close()
						}
					case "create":
						var w *blobio.Writer
						if w, err = s.Create(ctx, u, nil); err == nil {
							w.Abort()
						}
					case "list":
						_, err = s.List(ctx, u)
					}
				})
				took := time.Since(start)
				if !errors.Is(err, dc.want) {
					t.Fatalf("%s %s: got %v, want %v", op, u, err, dc.want)
				}
				for _, w := range []string{strings.SplitN(u, "?", 2)[0], dc.says} {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				// Ample for the SDKs' retries of a refused connection;
				// the silent endpoint takes the timeout once.
				bound := 2*testTimeout + 12*time.Second
				if took > bound {
					t.Errorf("took %v, more than %v (timeout %v)", took, bound, testTimeout)
				}
				if dc.slow && took < testTimeout {
					t.Errorf("took %v, less than the timeout %v: the error is not the timeout's", took, testTimeout)
				}
				if printed != "" {
					t.Errorf("the SDK printed %q", printed)
				}
			})
		}
	}
}

// A TimeoutEnv that is not a duration is an error naming the variable.
func TestBadTimeoutEnv(t *testing.T) {
	for _, v := range []string{"ten", "-5s", "0"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv(blobio.TimeoutEnv, v)
			s := blobio.NewStore()
			defer s.Close()
			_, err := s.Open(context.Background(), "file:///nonexistent/x.pcap")
			if err == nil || !strings.Contains(err.Error(), blobio.TimeoutEnv) {
				t.Fatalf("error %v does not name %s", err, blobio.TimeoutEnv)
			}
		})
	}
}

// With no TimeoutEnv, an endpoint that never answers fails after
// DefaultTimeout, under the 30 s promised.
func TestDefaultTimeoutBound(t *testing.T) {
	if testing.Short() {
		t.Skip("waits DefaultTimeout (20 s)")
	}
	if blobio.DefaultTimeout >= 30*time.Second {
		t.Fatalf("DefaultTimeout %v: the promise is under 30 s", blobio.DefaultTimeout)
	}
	cloudtest.Env(t)
	t.Setenv(blobio.TimeoutEnv, "")
	t.Setenv("STORAGE_EMULATOR_HOST", cloudtest.Silent(t))
	u := "gs://caps/x.pcap"
	s := blobio.NewStore()
	defer s.Close()
	start := time.Now()
	_, err := s.Open(context.Background(), u)
	took := time.Since(start)
	if !errors.Is(err, blobio.ErrUnreachable) || !strings.Contains(err.Error(), u) || !strings.Contains(err.Error(), blobio.TimeoutEnv) {
		t.Fatalf("open %s: %v, want ErrUnreachable naming the URL and %s", u, err, blobio.TimeoutEnv)
	}
	if took < blobio.DefaultTimeout || took > blobio.DefaultTimeout+5*time.Second {
		t.Fatalf("took %v, want about %v", took, blobio.DefaultTimeout)
	}
}

// An endpoint that answers the checks of Create and then never answers
// the upload fails Close within the bound (the transport's wait for an
// answer, per attempt), naming the URL, and publishes nothing.
func TestUploadStallBound(t *testing.T) {
	srv := s3test.Start(t, "caps")
	t.Setenv(blobio.TimeoutEnv, cloudtest.Timeout.String())
	target, _ := url.Parse(srv.Endpoint)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut || r.Method == http.MethodPost {
			// Never answers; ends when the client gives up (the
			// body read, the server sees the connection close).
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	u := "s3://caps/stall.pcap?endpoint=" + front.URL + "&region=us-east-1&use_path_style=true&disable_https=true"
	s := blobio.NewStore()
	defer s.Close()
	w, err := s.Create(context.Background(), u, nil)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	w.Write([]byte("some bytes"))
	start := time.Now()
	err = w.Close()
	took := time.Since(start)
	if !errors.Is(err, blobio.ErrUnreachable) || !strings.Contains(err.Error(), "s3://caps/stall.pcap") {
		t.Fatalf("close: %v, want ErrUnreachable naming the URL", err)
	}
	if bound := 3*cloudtest.Timeout + 12*time.Second; took > bound {
		t.Fatalf("close took %v, more than %v", took, bound)
	}
	if keys := srv.Keys(t, "caps"); len(keys) != 0 {
		t.Fatalf("objects after a failed upload: %v", keys)
	}
}
