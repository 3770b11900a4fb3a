package blobio_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
)

// testTimeout is the Store timeout (blobio.TimeoutEnv) the tests of
// endpoints that never answer use, to keep them short.
const testTimeout = 2 * time.Second

// silentEndpoint returns the address of a loopback listener that accepts
// connections and never reads from them nor answers.
func silentEndpoint(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// notFoundEndpoint returns the address of a loopback HTTP server that
// answers every request as GCS and Azure answer for a bucket (container)
// that does not exist.
func notFoundEndpoint(t testing.TB) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-ms-error-code", "ContainerNotFound")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":{"code":404,"message":"The specified bucket does not exist.","errors":[{"reason":"notFound"}]}}`)
	}))
	t.Cleanup(ts.Close)
	return strings.TrimPrefix(ts.URL, "http://")
}

// azuriteKey is the Azure storage emulator's well-known development
// account key (public, documented by Microsoft; not a secret).
const azuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

// cloudEnv clears every cloud's credentials and endpoints from the
// environment and keeps the SDKs off the network and out of the user's
// files. It also points the EC2 metadata service at a loopback server that
// refuses IMDSv2 tokens, as some proxies do, which made the AWS SDK log
// "falling back to IMDSv1" on stderr.
func cloudEnv(t *testing.T) {
	s3test.Isolate(t)
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(imds.Close)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLOUDSDK_CONFIG", filepath.Join(home, "gcloud"))
	// An unreadable credentials file: Google's lookup stops there and
	// never asks the GCE metadata server, which is not on loopback.
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(home, "no-such-key.json"))
	for _, k := range []string{"STORAGE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST_GRPC", "AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY",
		"AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGEBLOB_CONNECTIONSTRING", "AZURE_STORAGE_DOMAIN",
		"AZURE_STORAGE_PROTOCOL", "AZURE_STORAGE_IS_LOCAL_EMULATOR", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
		"AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT", "MSI_ENDPOINT"} {
		t.Setenv(k, "")
	}
	t.Setenv(blobio.TimeoutEnv, testTimeout.String())
}

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
	s3url := func(addr, key string) string {
		return "s3://caps/" + key + "?endpoint=http://" + addr + "&region=us-east-1&use_path_style=true"
	}
	s3 := func(addr string) func(t *testing.T, key string) string {
		return func(t *testing.T, key string) string {
			t.Setenv("AWS_ACCESS_KEY_ID", "wirekit-test")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "wirekit-test-secret")
			return s3url(addr, key)
		}
	}
	gs := func(addr string) func(t *testing.T, key string) string {
		return func(t *testing.T, key string) string {
			if addr != "" {
				t.Setenv("STORAGE_EMULATOR_HOST", addr)
			}
			return "gs://caps/" + key
		}
	}
	az := func(addr string, key bool) func(t *testing.T, k string) string {
		return func(t *testing.T, k string) string {
			t.Setenv("AZURE_STORAGE_ACCOUNT", "devstoreaccount1")
			if key {
				t.Setenv("AZURE_STORAGE_KEY", azuriteKey)
			}
			return "azblob://caps/" + k + "?protocol=http&localemu=true&domain=" + addr
		}
	}
	refused, silent, missing := closedPort(t), silentEndpoint(t), notFoundEndpoint(t)
	return []driverCase{
		{"s3 refused connection", s3(refused), blobio.ErrUnreachable, "endpoint=", false},
		{"s3 endpoint never answers", s3(silent), blobio.ErrUnreachable, blobio.TimeoutEnv, true},
		{"s3 missing credentials", func(t *testing.T, k string) string { return s3url(missing, k) }, blobio.ErrCredentials, "AWS_ACCESS_KEY_ID", false},
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

// captureStd runs f with os.Stdout and os.Stderr sent to a pipe and
// returns what was written there: the cloud SDKs write to them directly.
func captureStd(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out, errf := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() {
		os.Stdout, os.Stderr = out, errf
	}()
	f()
	os.Stdout, os.Stderr = out, errf
	w.Close()
	s := <-done
	r.Close()
	return s
}

// Every driver, for every broken endpoint, fails each operation with an
// error naming the URL, the sentinel and what to do, within the Store's
// timeout, and the SDKs print nothing.
func TestHostileDrivers(t *testing.T) {
	for _, dc := range driverCases(t) {
		for _, op := range []string{"open", "create", "list"} {
			t.Run(dc.name+"/"+op, func(t *testing.T) {
				cloudEnv(t)
				key := "x.pcap"
				if op == "list" {
					key = "set/"
				}
				u := dc.setup(t, key)
				var err error
				start := time.Now()
				printed := captureStd(t, func() {
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
