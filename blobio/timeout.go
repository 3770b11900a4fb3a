package blobio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds how long wirekit waits for object storage to
// answer one operation: opening a bucket (finding credentials included),
// looking an object up, the first byte of a read, one page of a listing,
// a deletion; retries of a failed request are inside it. It is also how
// long a connection may take to open and a request may wait for the
// headers of its answer. A store answers these in well under a second and
// a client's retries of a passing failure take a few seconds, so 20 s
// leaves room for a slow link while an endpoint that accepts connections
// and never answers (a stuck proxy, a wrong port) fails in 20 s rather
// than never: the bound for a scheduler's task or a person at a terminal
// is then known (under 30 s). TimeoutEnv changes it.
const DefaultTimeout = 20 * time.Second

// TimeoutEnv names the environment variable that replaces DefaultTimeout:
// a Go duration such as "60s" for a store across a slow link. NewStore
// reads it; a value that is not a positive duration makes the Store's
// operations fail with an error naming the variable.
const TimeoutEnv = "WIREKIT_STORAGE_TIMEOUT"

// errNoAnswer is the cause of a context ended by Store's deadline.
var errNoAnswer = errors.New("no answer")

// storeTimeout reads TimeoutEnv.
func storeTimeout() (time.Duration, error) {
	v := os.Getenv(TimeoutEnv)
	if v == "" {
		return DefaultTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return DefaultTimeout, fmt.Errorf("%s=%q: not a positive duration (write it as 20s or 2m)", TimeoutEnv, v)
	}
	return d, nil
}

// newTransport is the HTTP transport of every cloud client a Store opens:
// http.DefaultTransport's (proxy from the environment, HTTP/2, keep-alive)
// with a bound on connecting, on the TLS handshake and on the wait for an
// answer's headers. The body of an answer has no bound (an object of
// gigabytes takes what it takes).
func newTransport(d time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: d, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = d
	t.ResponseHeaderTimeout = d
	return t
}

// deadline gives ctx a deadline of the Store's timeout for one operation.
// Its context stays usable after the operation (a Reader's body is read
// with it) until cancel is called; end stops the clock and, when it ran
// out first, turns err into one that says so.
func (s *Store) deadline(ctx context.Context) (dctx context.Context, end func(error) error, cancel func()) {
	dctx, cancelCause := context.WithCancelCause(ctx)
	var fired atomic.Bool
	timer := time.AfterFunc(s.timeout, func() {
		fired.Store(true)
		cancelCause(errNoAnswer)
	})
	end = func(err error) error {
		timer.Stop()
		if !fired.Load() || err == nil || ctx.Err() != nil {
			return err
		}
		// The clock ran out: the SDK's error is a cancelled context;
		// say why.
		return &timeoutError{d: s.timeout, err: err}
	}
	return dctx, end, func() { timer.Stop(); cancelCause(context.Canceled) }
}

// timeoutError is an operation the store did not answer within the
// Store's timeout.
type timeoutError struct {
	d   time.Duration
	err error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("no answer within %v: %v", e.d, e.err)
}

func (e *timeoutError) Unwrap() error { return e.err }

// Timeout reports true: it is a net.Error timeout.
func (e *timeoutError) Timeout() bool { return true }

// Temporary is part of net.Error.
func (e *timeoutError) Temporary() bool { return false }

// httpClient is an HTTP client on the Store's transport.
func (s *Store) httpClient() *http.Client { return &http.Client{Transport: s.transport} }
