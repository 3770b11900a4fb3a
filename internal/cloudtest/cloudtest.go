// Package cloudtest has the broken object storage endpoints and the clean
// environment that tests of every cloud driver (s3://, gs://, azblob://)
// use: an endpoint that accepts connections and never answers, one that
// answers "no such bucket" to everything, an environment with no
// credentials whose SDKs stay on loopback, and a capture of what the SDKs
// print to the process's stdout and stderr.
package cloudtest

import (
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

// Timeout is the store timeout Env sets, short to keep the tests of
// endpoints that never answer short.
const Timeout = 2 * time.Second

// ClosedPort returns a loopback address nothing listens on.
func ClosedPort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Silent returns the address of a loopback listener that accepts
// connections and never reads from them nor answers.
func Silent(t testing.TB) string {
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

// NotFound returns the address of a loopback HTTP server that
// answers every request as GCS and Azure answer for a bucket (container)
// that does not exist.
func NotFound(t testing.TB) string {
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

// AzuriteKey is the Azure storage emulator's well-known development
// account key (public, documented by Microsoft; not a secret).
const AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

// Env clears every cloud's credentials and endpoints from the
// environment and keeps the SDKs off the network and out of the user's
// files, and sets the store timeout to Timeout. It also points the EC2 metadata service at a loopback server that
// refuses IMDSv2 tokens, as some proxies do, which made the AWS SDK log
// "falling back to IMDSv1" on stderr.
func Env(t *testing.T) {
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
	t.Setenv(blobio.TimeoutEnv, Timeout.String())
}

// CaptureStd runs f with os.Stdout and os.Stderr sent to a pipe and
// returns what was written there: the cloud SDKs write to them directly.
func CaptureStd(t *testing.T, f func()) string {
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

// S3 returns a function that sets the environment for an S3 endpoint at
// addr (host:port), with test credentials when creds is set, and returns
// the s3:// URL of key there.
func S3(addr string, creds bool) func(t *testing.T, key string) string {
	return func(t *testing.T, key string) string {
		if creds {
			t.Setenv("AWS_ACCESS_KEY_ID", "wirekit-test")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "wirekit-test-secret")
		}
		return "s3://caps/" + key + "?endpoint=http://" + addr + "&region=us-east-1&use_path_style=true"
	}
}

// GCS returns a function that points gs:// at the emulator at addr (none
// when addr is empty) and returns the gs:// URL of key.
func GCS(addr string) func(t *testing.T, key string) string {
	return func(t *testing.T, key string) string {
		if addr != "" {
			t.Setenv("STORAGE_EMULATOR_HOST", addr)
		}
		return "gs://caps/" + key
	}
}

// Azure returns a function that sets Azurite's account (and its key when
// creds is set) and returns the azblob:// URL of key at addr.
func Azure(addr string, creds bool) func(t *testing.T, key string) string {
	return func(t *testing.T, key string) string {
		t.Setenv("AZURE_STORAGE_ACCOUNT", "devstoreaccount1")
		if creds {
			t.Setenv("AZURE_STORAGE_KEY", AzuriteKey)
		}
		return "azblob://caps/" + key + "?protocol=http&localemu=true&domain=" + addr
	}
}
