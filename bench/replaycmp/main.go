// Command replaycmp compares a capture of a replay with the file that was
// replayed: it finds each original packet, in order, in the capture
// (skipping captured packets that are not expected, such as the receiving
// host's own traffic, and counting original packets not captured) and reports how far each packet's
// offset from the first, and each inter-packet gap, is from the
// original's. bench/replay.sh runs it; it prints one line of key=value
// pairs, durations in microseconds:
//
//	replaycmp ORIGINAL CAPTURED
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/wirekit/wirekit/pcapio"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: replaycmp ORIGINAL CAPTURED")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "replaycmp:", err)
		os.Exit(1)
	}
}

func run(origPath, capPath string) error {
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
	for i := range got {
		off[i] = us(got[i].Sub(got[0]) - want[i].Sub(want[0]))
		if i > 0 {
			gap = append(gap, us(got[i].Sub(got[i-1])-want[i].Sub(want[i-1])))
		}
	}
	last := off[len(off)-1]
	span := want[len(want)-1].Sub(want[0])
	fmt.Printf("matched=%d total=%d span_s=%.3f off_p50=%.1f off_p99=%.1f off_max=%.1f gap_p50=%.1f gap_p99=%.1f gap_max=%.1f last=%.1f\n",
		len(got), total, span.Seconds(), q(off, .5), q(off, .99), q(off, 1), q(gap, .5), q(gap, .99), q(gap, 1), last)
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
