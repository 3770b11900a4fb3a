// Command replaycmp compares a capture of a replay with the file that was
// replayed: it finds each original packet, in order, in the capture
// (skipping captured packets that are not expected, such as the receiving
// host's own traffic, and counting original packets not captured) and reports how far each packet's
// offset from the first, and each inter-packet gap, is from the
// original's divided by the time modifier. bench/replay.sh runs it; it
// prints one line of key=value pairs, durations in microseconds, and
// span_err_pct, how far the captured span is from the expected one:
//
//	replaycmp [-modifier X] ORIGINAL CAPTURED
//
// With -bursty OUT it writes instead three interleaved Ethernet captures
// OUT.0.pcap, OUT.1.pcap, OUT.2.pcap whose gaps are log-uniform from 1 µs
// to 1 s (bursts and long pauses), spanning -seconds.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

func main() {
	modifier := flag.Float64("modifier", 1, "time modifier the replay used")
	bursty := flag.String("bursty", "", "write a bursty set OUT.{0,1,2}.pcap instead of comparing")
	seconds := flag.Float64("seconds", 60, "span of the bursty set")
	flag.Parse()
	if *bursty != "" {
		if err := writeBursty(*bursty, time.Duration(*seconds*float64(time.Second))); err != nil {
			fmt.Fprintln(os.Stderr, "replaycmp:", err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 2 || !(*modifier > 0) {
		fmt.Fprintln(os.Stderr, "usage: replaycmp [-modifier X] ORIGINAL CAPTURED | replaycmp -bursty OUT [-seconds S]")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *modifier); err != nil {
		fmt.Fprintln(os.Stderr, "replaycmp:", err)
		os.Exit(1)
	}
}

func run(origPath, capPath string, mod float64) error {
	orig, err := pcapio.Open(origPath)
	if err != nil {
		return err
	}
	defer orig.Close()
	capt, err := pcapio.Open(capPath)
	if err != nil {
		return err
	}
	defer capt.Close()
	type packet struct {
		data string
		ts   time.Time
	}
	var captured []packet
	for {
		cd, cci, err := capt.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		captured = append(captured, packet{string(cd), cci.Timestamp})
	}
	// Each original packet is looked for among the next lookahead
	// captured ones; one not found (a frame the sender refused, or lost)
	// is counted missing and does not move the position.
	const lookahead = 256
	var want, got []time.Time
	total, j := 0, 0
	for {
		od, oci, err := orig.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		total++
		for k := j; k < len(captured) && k < j+lookahead; k++ {
			if captured[k].data == string(od) {
				want, got = append(want, oci.Timestamp), append(got, captured[k].ts)
				j = k + 1
				break
			}
		}
	}
	if len(got) < 2 {
		return fmt.Errorf("only %d of %d packets found in %s", len(got), total, capPath)
	}
	off := make([]float64, len(got))
	gap := make([]float64, 0, len(got))
	scaled := func(d time.Duration) time.Duration { return time.Duration(float64(d) / mod) }
	for i := range got {
		off[i] = us(got[i].Sub(got[0]) - scaled(want[i].Sub(want[0])))
		if i > 0 {
			gap = append(gap, us(got[i].Sub(got[i-1])-scaled(want[i].Sub(want[i-1]))))
		}
	}
	last := off[len(off)-1]
	span := scaled(want[len(want)-1].Sub(want[0]))
	gotSpan := got[len(got)-1].Sub(got[0])
	fmt.Printf("matched=%d total=%d span_s=%.3f off_p50=%.1f off_p99=%.1f off_max=%.1f gap_p50=%.1f gap_p99=%.1f gap_max=%.1f last=%.1f span_err_pct=%.3f\n",
		len(got), total, span.Seconds(), q(off, .5), q(off, .99), q(off, 1), q(gap, .5), q(gap, .99), q(gap, 1), last,
		100*(gotSpan.Seconds()/span.Seconds()-1))
	return nil
}

func us(d time.Duration) float64 { return float64(d) / 1e3 }

// q is the p quantile of the absolute values of v.
func q(v []float64, p float64) float64 {
	a := make([]float64, len(v))
	for i, x := range v {
		if x < 0 {
			x = -x
		}
		a[i] = x
	}
	slices.Sort(a)
	return a[int(p*float64(len(a)-1))]
}

// writeBursty writes three captures whose packets interleave, with gaps
// log-uniform between 1 µs and 1 s, until span is reached.
func writeBursty(out string, span time.Duration) error {
	rng := rand.New(rand.NewPCG(7, 7))
	ifaces := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Nanosecond}}
	var ws []*pcapio.FileWriter
	for i := range 3 {
		w, err := pcapio.Create(fmt.Sprintf("%s.%d.pcap", out, i), ifaces, &pcapio.WriteOptions{Nanosecond: true})
		if err != nil {
			return err
		}
		ws = append(ws, w)
	}
	t := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	end := t.Add(span)
	frame := make([]byte, 1514)
	copy(frame, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5})
	for n := uint32(0); t.Before(end); n++ {
		size := 60 + rng.IntN(1455)
		binary.BigEndian.PutUint32(frame[14:], n) // every frame differs
		ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: size, Length: size}
		if err := ws[rng.IntN(3)].WritePacket(ci, frame[:size]); err != nil {
			return err
		}
		t = t.Add(time.Duration(math.Pow(10, 3+6*rng.Float64()))) // 1e3..1e9 ns
	}
	for _, w := range ws {
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}
