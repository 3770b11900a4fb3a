package http_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// capture writes a generated capture to memory as pcap.
func capture(t *testing.T, packets int) []byte {
	var buf bytes.Buffer
	w, err := pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = synth.Generate(synth.Config{Seed: 2, Packets: packets}, func(ci gopacket.CaptureInfo, data []byte) error {
		return w.WritePacket(ci, data)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTransactions(t *testing.T) {
	data := capture(t, 5000)
	count := func(b []byte, stopAfter int) (n int, err error) {
		src, err := pcapio.NewReader(bytes.NewReader(b), "mem")
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		for tx, err := range whttp.Transactions(src, nil) {
			if err != nil {
				return n, err
			}
			if tx.Request == nil && tx.Response == nil {
				t.Fatal("empty transaction")
			}
			if n++; n == stopAfter {
				break
			}
		}
		return n, nil
	}
	all, err := count(data, -1)
	if err != nil || all < 20 {
		t.Fatalf("%d transactions, %v", all, err)
	}
	if n, err := count(data, 5); n != 5 || err != nil {
		t.Errorf("stopping after 5: %d, %v", n, err)
	}
	// A damaged file: the transactions before the damage, then the error.
	n, err := count(data[:len(data)/2+3], -1)
	var fe *pcapio.FormatError
	if err == nil || !errors.As(err, &fe) || n == 0 || n >= all {
		t.Errorf("cut file: %d transactions (of %d), error %v", n, all, err)
	}
}
