package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"testing"
	"time"
)

// TestErrTimeoutIsRecognised: a read timeout is recognised by every test a
// caller (or gopacket's PacketSource, which uses errors.As with net.Error)
// applies, also when wrapped.
func TestErrTimeoutIsRecognised(t *testing.T) {
	wrapped := fmt.Errorf("reading eth0: %w", ErrTimeout)
	for _, tc := range []struct {
		name string
		ok   func(error) bool
	}{
		{"errors.Is ErrTimeout failed", func(err error) bool { return errors.Is(err, ErrTimeout) }},
		{"errors.Is os.ErrDeadlineExceeded failed", func(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }},
		{"errors.As net.Error (gopacket's check) failed or Timeout false", func(err error) bool {
			var ne net.Error
			return errors.As(err, &ne) && ne.Timeout()
		}},
		{"Temporary false", func(err error) bool {
			var te interface{ Temporary() bool }
			return errors.As(err, &te) && te.Temporary()
		}},
		{"errors.As interface{ Timeout() bool } failed", func(err error) bool {
			var te interface{ Timeout() bool }
			return errors.As(err, &te) && te.Timeout()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{ErrTimeout, wrapped} {
				if !tc.ok(err) {
					t.Errorf("%v", err)
				}
			}
		})
	}
	if errors.Is(errors.New("capture: read timeout"), ErrTimeout) {
		t.Error("an unrelated error with the same text matches ErrTimeout")
	}
}

// TestReadTimeoutDefaults: 0 is the default timeout, any negative value
// blocks forever.
func TestReadTimeoutDefaults(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   time.Duration
		want time.Duration
	}{
		{"zero is not the default", 0, 100 * time.Millisecond},
		{"positive changed", 30 * time.Millisecond, 30 * time.Millisecond},
		{"BlockForever not kept", BlockForever, BlockForever},
		{"gopacket/pcap's -10ms not taken as BlockForever", -10 * time.Millisecond, BlockForever},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{ReadTimeout: tc.in}
			if got := c.withDefaults().ReadTimeout; got != tc.want {
				t.Errorf("ReadTimeout %v became %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
