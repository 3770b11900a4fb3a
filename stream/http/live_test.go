package http_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/internal/testutil/fakesrc"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// exchange is one GET and its response on one connection. With open set,
// the connection does not end and the response has no length: it ends only
// when the connection is closed (here, as idle).
func exchange(start time.Time, open bool) []testutil.Frame {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", start)
	c.Send(true, []byte("GET /x HTTP/1.1\r\nHost: a\r\n\r\n"))
	if open {
		c.Send(false, []byte("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello"))
		return c.Frames
	}
	c.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	c.Close()
	return c.Frames
}

// collect runs Transactions over src with a time limit.
func collect(t *testing.T, src *fakesrc.Source, each func(*whttp.Transaction)) (urls []string, err error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for tx, e := range whttp.Transactions(src, nil) {
			if e != nil {
				err = e
				return
			}
			if tx.Request != nil {
				urls = append(urls, tx.Request.URL)
			}
			if each != nil {
				each(tx)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Transactions did not end within 10 s")
	}
	return urls, err
}

// TestTransactionsLiveTimeouts feeds Transactions what a live capture
// returns: read timeouts are skipped (they used to end the loop with the
// timeout as an error), io.EOF ends, another error is yielded last.
func TestTransactionsLiveTimeouts(t *testing.T) {
	frames := exchange(time.Now(), false)
	var withTimeouts []fakesrc.Event
	for _, f := range frames {
		withTimeouts = append(withTimeouts, fakesrc.Timeout, fakesrc.Event{Frame: f})
	}
	boom := errors.New("device gone")
	tests := []struct {
		name   string
		events []fakesrc.Event
		urls   int
		err    error
	}{
		{"timeout before every packet", withTimeouts, 1, nil},
		{"timeouts only", []fakesrc.Event{fakesrc.Timeout, fakesrc.Timeout}, 0, nil},
		{"error after timeouts is yielded last", append(withTimeouts, fakesrc.Event{Err: boom}), 1, boom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			urls, err := collect(t, fakesrc.New(layers.LinkTypeEthernet, tc.events...), nil)
			if len(urls) != tc.urls || !errors.Is(err, tc.err) {
				t.Errorf("%d transactions (%v), error %v; want %d, %v", len(urls), urls, err, tc.urls, tc.err)
			}
		})
	}
}

// TestTransactionsTimeoutClosesIdle: a response that ends only with its
// connection is yielded when the connection is closed as idle at a read
// timeout, before the source ends.
func TestTransactionsTimeoutClosesIdle(t *testing.T) {
	src := fakesrc.New(layers.LinkTypeEthernet, append(fakesrc.Frames(exchange(time.Now().Add(-time.Hour), true)), fakesrc.Timeout)...)
	var n, atEnd int
	src.OnEnd = func() { atEnd = n }
	if _, err := collect(t, src, func(*whttp.Transaction) { n++ }); err != nil {
		t.Fatal(err)
	}
	if atEnd != 1 {
		t.Errorf("%d transactions yielded before the source ended, want 1 (closed as idle at the timeout)", atEnd)
	}
}

// TestTransactionsEndsOnClose: a live source that times out for ever ends
// the loop once it is closed (its reads then return io.EOF).
func TestTransactionsEndsOnClose(t *testing.T) {
	src := fakesrc.New(layers.LinkTypeEthernet, fakesrc.Frames(exchange(time.Now(), false))...)
	src.Block = true
	go func() {
		time.Sleep(50 * time.Millisecond)
		src.Close()
	}()
	urls, err := collect(t, src, nil)
	if len(urls) != 1 || err != nil {
		t.Errorf("%v, %v; want one transaction and no error", urls, err)
	}
}
