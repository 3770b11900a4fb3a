package stream_test

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/internal/testutil/fakesrc"
	"github.com/wirekit/wirekit/stream"
)

// notTimeout has a Timeout method that says false: not a timeout.
type notTimeout struct{}

func (notTimeout) Error() string { return "not a timeout" }
func (notTimeout) Timeout() bool { return false }

// conv is one HTTP-like exchange on one connection, without its end when
// open is set.
func conv(start time.Time, open bool) []testutil.Frame {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", start)
	c.Send(true, []byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
	c.Send(false, []byte("HTTP/1.1 204 No Content\r\n\r\n"))
	if !open {
		c.Close()
	}
	return c.Frames
}

// interleave puts a timeout before every frame and after the last one.
func interleave(fs []testutil.Frame) []fakesrc.Event {
	var ev []fakesrc.Event
	for _, f := range fs {
		ev = append(ev, fakesrc.Timeout, fakesrc.Event{Frame: f})
	}
	return append(ev, fakesrc.Timeout)
}

// TestReadFromLiveTimeouts feeds ReadFrom what a live capture returns: read
// timeouts between packets are skipped (ReadFrom used to stop at the
// first), io.EOF ends, other errors end with the error.
func TestReadFromLiveTimeouts(t *testing.T) {
	now := time.Now()
	frames := conv(now, false)
	boom := errors.New("device gone")
	tests := []struct {
		name      string
		events    []fakesrc.Event
		packets   int64
		err       error
		clientLen int64 // client bytes of the one connection (-1: no connection)
	}{
		{"timeout before every packet", interleave(frames), int64(len(frames)), nil, 27},
		{"timeouts only", []fakesrc.Event{fakesrc.Timeout, fakesrc.Timeout}, 0, nil, -1},
		{"timeout wrapped twice", append([]fakesrc.Event{{Err: fmt.Errorf("outer: %w", fakesrc.Timeout.Err)}}, fakesrc.Frames(frames)...), int64(len(frames)), nil, 27},
		{"net.Error timeout", append([]fakesrc.Event{{Err: &net.OpError{Op: "read", Err: fakesrc.TimeoutError{}}}}, fakesrc.Frames(frames)...), int64(len(frames)), nil, 27},
		{"error after timeouts ends with it", append(interleave(frames[:4]), fakesrc.Event{Err: boom}), 4, boom, 27},
		{"Timeout() false is an error", append(fakesrc.Frames(frames[:4]), fakesrc.Event{Err: notTimeout{}}), 4, notTimeout{}, 27},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ended []*stream.Conn
			a := stream.New(nil, nil, func(c *stream.Conn) { ended = append(ended, c) })
			done := make(chan struct{})
			var n int64
			var err error
			go func() {
				defer close(done)
				n, err = a.ReadFrom(fakesrc.New(layers.LinkTypeEthernet, tc.events...))
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("ReadFrom did not return within 10 s")
			}
			if n != tc.packets || !errors.Is(err, tc.err) {
				t.Errorf("ReadFrom: %d packets, %v; want %d, %v", n, err, tc.packets, tc.err)
			}
			switch {
			case tc.clientLen < 0 && len(ended) != 0:
				t.Errorf("%d connections, want none", len(ended))
			case tc.clientLen >= 0 && (len(ended) != 1 || ended[0].Half[stream.ClientToServer].Bytes != tc.clientLen):
				t.Errorf("connections %+v, want one with %d client bytes", ended, tc.clientLen)
			}
		})
	}
}

// TestReadFromTimeoutClosesIdle checks that a quiet live capture still
// closes idle connections: a connection last seen an hour ago (in capture
// time) is closed as idle at the next read timeout, before the source ends.
func TestReadFromTimeoutClosesIdle(t *testing.T) {
	frames := conv(time.Now().Add(-time.Hour), true)
	var ended []*stream.Conn
	a := stream.New(nil, nil, func(c *stream.Conn) { ended = append(ended, c) })
	src := fakesrc.New(layers.LinkTypeEthernet, append(fakesrc.Frames(frames), fakesrc.Timeout)...)
	var atEnd int
	src.OnEnd = func() { atEnd = len(ended) }
	if _, err := a.ReadFrom(src); err != nil {
		t.Fatal(err)
	}
	if atEnd != 1 || ended[0].End != stream.EndTimeout {
		t.Errorf("%d connections closed when the source ended (want the idle one, closed by the timeout); ended %+v", atEnd, ended)
	}
}
