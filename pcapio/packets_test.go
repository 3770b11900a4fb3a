package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/internal/testutil/fakesrc"
	"github.com/wirekit/wirekit/pcapio"
)

func TestPacketsIterator(t *testing.T) {
	good := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, frames())
	boom := errors.New("device gone")
	fr := func(b byte) fakesrc.Event {
		return fakesrc.Event{Frame: testutil.Frame{Data: []byte{b}}}
	}
	tests := []struct {
		name    string
		src     func(t *testing.T) pcapio.Source
		breakAt int    // break out after this many packets, then range again (0: no break)
		want    string // last byte of each packet
		err     error  // what Err wraps at the end
	}{
		{"good file", func(t *testing.T) pcapio.Source { return mustReader(t, good) }, 0, "\x00\x01\x02", nil},
		{"truncated file yields the packets before, Err says where", func(t *testing.T) pcapio.Source { return mustReader(t, good[:len(good)-10]) }, 0, "\x00\x01", pcapio.ErrTruncated},
		{"break and range again goes on", func(t *testing.T) pcapio.Source { return mustReader(t, good) }, 1, "\x00\x01\x02", nil},
		{"live source: timeouts skipped", func(t *testing.T) pcapio.Source {
			return fakesrc.New(layers.LinkTypeEthernet, fakesrc.Timeout, fr(0), fakesrc.Timeout, fakesrc.Timeout, fr(1))
		}, 0, "\x00\x01", nil},
		{"live source: other error ends, Err keeps it", func(t *testing.T) pcapio.Source {
			return fakesrc.New(layers.LinkTypeEthernet, fr(0), fakesrc.Event{Err: boom}, fr(1))
		}, 0, "\x00", boom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src(t)
			defer src.Close()
			pkts := pcapio.Packets(src)
			var got []byte
			for data := range pkts.All() {
				got = append(got, data[len(data)-1])
				if tc.breakAt > 0 && len(got) == tc.breakAt {
					break
				}
			}
			if tc.breakAt > 0 {
				if pkts.Err() != nil {
					t.Fatalf("Err after a break: %v", pkts.Err())
				}
				for data := range pkts.All() {
					got = append(got, data[len(data)-1])
				}
			}
			if string(got) != tc.want {
				t.Errorf("packets %q, want %q", got, tc.want)
			}
			if pkts.Count() != int64(len(tc.want)) {
				t.Errorf("Count %d, want %d", pkts.Count(), len(tc.want))
			}
			if err := pkts.Err(); (tc.err == nil) != (err == nil) || tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("Err() = %v, want %v", err, tc.err)
			}
		})
	}
}

func mustReader(t *testing.T, b []byte) *pcapio.Reader {
	t.Helper()
	r, err := pcapio.NewReader(bytes.NewReader(b), "in.pcap")
	if err != nil {
		t.Fatal(err)
	}
	return r
}
