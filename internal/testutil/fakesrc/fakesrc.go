// Package fakesrc is a scripted pcapio.Source for tests: packets, read
// timeouts and errors in a given order, as a live capture would return
// them.
package fakesrc

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// TimeoutError is a read timeout as the capture package returns it: it
// has Timeout() and Temporary() methods that return true. It is wrapped
// before it is returned, as a source may wrap it.
type TimeoutError struct{}

func (TimeoutError) Error() string   { return "read timeout" }
func (TimeoutError) Timeout() bool   { return true }
func (TimeoutError) Temporary() bool { return true }

// Event is one read's result: a frame, or an error.
type Event struct {
	Frame testutil.Frame
	Err   error
}

// Timeout is the event of a read that timed out.
var Timeout = Event{Err: fmt.Errorf("fake capture: %w", TimeoutError{})}

// Frames returns one event per frame.
func Frames(fs []testutil.Frame) []Event {
	ev := make([]Event, len(fs))
	for i, f := range fs {
		ev[i] = Event{Frame: f}
	}
	return ev
}

// Source returns its events in order, then io.EOF for ever (or, when
// Block is set, timeouts until Close, then io.EOF). It counts the reads
// that happened after the script ran out.
type Source struct {
	mu     sync.Mutex
	events []Event
	lt     layers.LinkType
	closed bool
	// Block makes the source behave as a live capture once its events
	// are used up: every read returns Timeout until Close.
	Block bool
	// AfterEnd counts the reads made after the events were used up.
	AfterEnd int
	// OnEnd, if set, is called (once) when the events run out.
	OnEnd func()
}

var _ pcapio.Source = (*Source)(nil)

// New returns a Source of link type lt with the given events.
func New(lt layers.LinkType, events ...Event) *Source {
	return &Source{events: events, lt: lt}
}

// ZeroCopyReadPacketData returns the next event.
func (s *Source) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	s.mu.Lock()
	if len(s.events) == 0 || s.closed {
		s.AfterEnd++
		if s.AfterEnd == 1 && s.OnEnd != nil {
			f := s.OnEnd
			s.mu.Unlock()
			f()
			s.mu.Lock()
		}
		defer s.mu.Unlock()
		if s.Block && !s.closed {
			return nil, gopacket.CaptureInfo{}, Timeout.Err
		}
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	defer s.mu.Unlock()
	e := s.events[0]
	s.events = s.events[1:]
	if e.Err != nil {
		return nil, gopacket.CaptureInfo{}, e.Err
	}
	return e.Frame.Data, e.Frame.CI, nil
}

// ReadPacketData is ZeroCopyReadPacketData with a copy.
func (s *Source) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	d, ci, err := s.ZeroCopyReadPacketData()
	return append([]byte(nil), d...), ci, err
}

// LinkType returns the link type given to New.
func (s *Source) LinkType() layers.LinkType { return s.lt }

// Interfaces returns one interface of the link type.
func (s *Source) Interfaces() []pcapio.Interface {
	return []pcapio.Interface{{LinkType: s.lt, SnapLen: 262144}}
}

// Close makes later reads return io.EOF, as a live capture's do.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("fakesrc: closed twice")
	}
	s.closed = true
	return nil
}
