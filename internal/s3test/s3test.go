// Package s3test starts an S3-compatible endpoint in the test's process,
// on loopback, for tests that drive the real S3 client (gocloud's s3blob
// on the AWS SDK) through URLs.
package s3test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is a running fake S3 endpoint.
type Server struct {
	// Endpoint is http://127.0.0.1:PORT.
	Endpoint string
	backend  *s3mem.Backend

	mu  sync.Mutex
	log []Request
}

// Request is one request the endpoint served.
type Request struct {
	Method, Path string
	Range        string // the Range header, "" for none
}

// Requests returns the requests served so far and forgets them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log
	s.log = nil
	return out
}

// Start serves a fake S3 on loopback until the test ends, with the
// buckets named, and sets the environment the AWS SDK reads so that it
// signs with test credentials and never asks the EC2 metadata service or
// the user's ~/.aws files. Tests that call it cannot be parallel.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(backend)
	srv := &Server{backend: backend}
	inner := faker.Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.mu.Lock()
		srv.log = append(srv.log, Request{Method: r.Method, Path: r.URL.Path, Range: r.Header.Get("Range")})
		srv.mu.Unlock()
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatalf("s3test: creating bucket %s: %v", b, err)
		}
	}
	Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "wirekit-test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wirekit-test-secret")
	srv.Endpoint = ts.URL
	return srv
}

// Isolate clears the AWS credentials of the environment and keeps the SDK
// off the network and out of the user's files: no EC2 metadata lookups,
// no ~/.aws, one attempt per request.
func Isolate(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

// URL is the s3:// URL of key in bucket on this endpoint.
func (s *Server) URL(bucket, key string) string {
	return "s3://" + bucket + "/" + key + "?" + s.Query()
}

// Query is the URL query that points gocloud's S3 client at the endpoint.
func (s *Server) Query() string {
	return "endpoint=" + s.Endpoint + "&region=us-east-1&use_path_style=true&disable_https=true"
}

// Keys lists the keys in bucket, for checks that nothing else was left.
func (s *Server) Keys(t testing.TB, bucket string) []string {
	t.Helper()
	list, err := s.backend.ListBucket(bucket, &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatalf("s3test: listing %s: %v", bucket, err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, o.Key)
	}
	return keys
}
