// Command capsend sends N copies of one small UDP frame out of an
// interface through capture.Writer (sendmmsg batches), as fast as it can
// or paced at a packet rate, for bench/capture.sh: trafgen reached only
// 0.25-0.30M frames/s on the 2-CPU benchmark machine. It prints one line:
// "sent N frames in S s: R pps".
//
//	capsend -i IFACE [-n 1000000] [-pps 0] [-size 64] [-batch 64] [-dst MAC]
//
// -pps 0 sends at top speed. Pacing is by batch: after each batch the
// sender sleeps (or spins, under 50 µs) until the batch's due time.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/wirekit/wirekit/capture"
)

func main() {
	iface := flag.String("i", "", "interface to send on")
	n := flag.Int("n", 1000000, "frames to send")
	pps := flag.Float64("pps", 0, "packet rate (0: as fast as possible)")
	size := flag.Int("size", 64, "frame size in bytes, at least 46")
	batch := flag.Int("batch", 64, "frames per sendmmsg call")
	dst := flag.String("dst", "02:00:00:00:00:02", "destination MAC")
	flag.Parse()
	if err := run(*iface, *n, *pps, *size, *batch, *dst); err != nil {
		fmt.Fprintln(os.Stderr, "capsend:", err)
		os.Exit(1)
	}
}

func run(iface string, n int, pps float64, size, batch int, dst string) error {
	if iface == "" || size < 46 || n < 0 || batch < 1 {
		return fmt.Errorf("usage: capsend -i IFACE [-n N] [-pps R] [-size >=46] [-batch >=1]")
	}
	mac, err := net.ParseMAC(dst)
	if err != nil {
		return fmt.Errorf("-dst: %w", err)
	}
	w, err := capture.NewWriter(iface, &capture.WriterConfig{Batch: batch})
	if err != nil {
		return err
	}
	defer w.Close()
	frame := udpFrame(mac, size)
	start := time.Now()
	var interval time.Duration
	if pps > 0 {
		interval = time.Duration(float64(batch) * float64(time.Second) / pps)
	}
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint32(frame[42:], uint32(i)) // a sequence number in the payload
		if err := w.Write(frame); err != nil {
			return fmt.Errorf("frame %d: %w", i, err)
		}
		if interval > 0 && (i+1)%batch == 0 {
			due := start.Add(time.Duration((i+1)/batch) * interval)
			for d := time.Until(due); d > 0; d = time.Until(due) {
				if d > 50*time.Microsecond {
					time.Sleep(d - 20*time.Microsecond)
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Printf("sent %d frames in %.3f s: %.0f pps\n", w.Stats().Frames, el.Seconds(), float64(w.Stats().Frames)/el.Seconds())
	return nil
}

// udpFrame builds an Ethernet/IPv4/UDP frame of size bytes from
// 02:00:00:00:00:01, 10.215.0.2:5000 to 10.215.0.1:9.
func udpFrame(dst net.HardwareAddr, size int) []byte {
	b := make([]byte, size)
	copy(b[0:6], dst)
	copy(b[6:12], []byte{0x02, 0, 0, 0, 0, 0x01})
	binary.BigEndian.PutUint16(b[12:], 0x0800)
	ip := b[14:34]
	ip[0], ip[8], ip[9] = 0x45, 64, 17
	binary.BigEndian.PutUint16(ip[2:], uint16(size-14))
	copy(ip[12:16], []byte{10, 215, 0, 2})
	copy(ip[16:20], []byte{10, 215, 0, 1})
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	udp := b[34:42]
	binary.BigEndian.PutUint16(udp[0:], 5000)
	binary.BigEndian.PutUint16(udp[2:], 9)
	binary.BigEndian.PutUint16(udp[4:], uint16(size-34))
	for i := 42; i < size; i++ {
		b[i] = 0x77
	}
	return b[:size]
}
