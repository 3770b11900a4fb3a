package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"sync/atomic"

	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
)

func newCaptureCmd(e *env) *cobra.Command {
	f := &readFlags{}
	var (
		ifaces   []string
		snap     int
		noPromis bool
		ringKiB  int
		buffered bool
		dir      string
		user     string
		linkType string
	)
	c := &cobra.Command{
		Use:   "capture -i IFACE [-i IFACE...] [-w OUT] [-c N] [-s SNAPLEN] [-p] [flags] [EXPR]",
		Short: "Capture live traffic on Linux, like tcpdump -i, with the filter in the kernel",
		Long: `capture reads packets from a network interface through AF_PACKET (a
TPACKET_V3 ring), prints them as 'wirekit read' does, or writes them with
-w. The filter expression is compiled by wirekit and attached to the
socket before it is bound to the interface, so the kernel drops what
does not match and nothing unfiltered is queued; a filter the kernel
cannot run (VLAN tests) runs in user space.

On SIGINT or SIGTERM, or after -c packets, the output is flushed and
closed as a valid capture, and tcpdump's closing counts go to stderr; a
signal also adds a note saying so, and the exit code is 130 or 143 (0
after -c packets). Needs root or the
CAP_NET_RAW capability; -Z USER switches to USER once the socket is open,
before any output file is made. -C, -G and -W rotate output files as
tcpdump does (-G names go through strftime, in local time). "-i any"
captures on every interface, each packet with a LINUX_SLL2 header
(libpcap 1.10's default), or LINUX_SLL with -y LINUX_SLL. -i given
several times captures on each interface named, merged in timestamp
order, each packet with its own interface's link type (write them to a
.pcapng file when the link types differ); -i any stays alone.

If the interface goes down, capture says so and waits for it to come
back up, as tcpdump does. If it disappears (deleted, or moved to another
network namespace), the output is finished with every packet captured
before, and capture exits 1 with a message naming the interface.`,
		Example: `  wirekit capture -i eth0 -c 10
  wirekit capture -i eth0 -w out.pcapng 'tcp port 443'
  wirekit capture -i any -w 'trace-%Y%m%d-%H%M%S.pcap' -G 3600 -Z nobody
  wirekit capture -i any -y LINUX_SLL -w old-readers.pcap
  wirekit capture -i lo -n -e -v icmp`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(ifaces) == 0 {
				return usagef("capture: name the interface with -i IFACE (see 'wirekit devices')")
			}
			if err := checkIfaces("capture", ifaces); err != nil {
				return err
			}
			iface := strings.Join(ifaces, ", ")
			if f.count < 0 {
				return usagef("capture: -c %d: the count must be 0 or more", f.count)
			}
			if err := checkOutputFlags(f); err != nil {
				return err
			}
			if err := checkCaptureName("capture", "-w", f.out); err != nil {
				return err
			}
			snap, err := snapLenFlag("capture", snap)
			if err != nil {
				return err
			}
			if ringKiB < 1 || ringKiB > math.MaxInt32 {
				return usagef("capture: -B %d: the buffer size is 1 to %d KiB", ringKiB, math.MaxInt32)
			}
			cfg := &capture.Config{SnapLen: snap, NoPromiscuous: noPromis, RingKiB: ringKiB}
			switch dir {
			case "in":
				cfg.Direction = capture.In
			case "out":
				cfg.Direction = capture.Out
			case "inout", "":
			default:
				return usagef("capture: --direction %q: want in, out or inout", dir)
			}
			expr := strings.TrimSpace(strings.Join(args, " "))
			for _, name := range ifaces {
				lt, err := captureLinkType(name, linkType)
				if err != nil {
					return err
				}
				if name == capture.Any {
					cfg.AnyLinkType = lt
				}
				if expr != "" {
					// For a live capture, as tcpdump -i compiles:
					// inbound, outbound and ifindex test the
					// kernel's metadata of each packet.
					prog, err := filter.CompileWith(expr, lt, cfg.SnapLen, &filter.Options{Live: true})
					if err != nil {
						return &usageError{fmt.Errorf("capture: filter %q: %w", expr, err)}
					}
					cfg.Filter = prog
				}
			}
			mcfg := &capture.MultiConfig{Config: *cfg}
			if len(ifaces) > 1 { // compiled again for each interface
				mcfg.Filter, mcfg.Expr = nil, expr
			}
			h, err := capture.OpenMulti(ifaces, mcfg)
			if err != nil {
				return err
			}
			defer h.Close()
			if user != "" {
				if err := capture.DropPrivileges(user); err != nil {
					return err
				}
			}
			for _, ifc := range h.Interfaces() {
				fmt.Fprintf(e.stderr, "listening on %s, link-type %s, snapshot length %d bytes\n", ifc.Name, linkTypeName(ifc.LinkType), ifc.SnapLen)
			}

			f.ifName = interfaceNames()
			sink, err := newSink(cmd.Context(), e, f, h)
			if err != nil {
				return fmt.Errorf("capture: %w", err)
			}
			// The loop checks a flag, not ctx.Err() (a mutex per packet),
			// set when the context ends; ctx.Err() is checked on read
			// timeouts too, in case the flag's goroutine has not run yet.
			ctx := cmd.Context()
			var stop atomic.Bool
			unwatch := context.AfterFunc(ctx, func() { stop.Store(true) })
			defer unwatch()
			var flusher interface{ flush() error }
			if fl, ok := sink.(interface{ flush() error }); ok {
				flusher = fl
			}
			n := 0
			var runErr error
			down := false // the interface is down: said once, until it is back
			for (f.count == 0 || n < f.count) && !stop.Load() {
				data, ci, err := h.ZeroCopyReadPacketData()
				if down && (err == nil || err == capture.ErrTimeout) {
					fmt.Fprintf(e.stderr, "wirekit: capture: interface %s is up again\n", iface)
					down = false
				}
				if err != nil {
					if errors.Is(err, capture.ErrInterfaceDown) && !down {
						// As tcpdump (libpcap 1.10), wait for it; unlike
						// it, say so.
						fmt.Fprintf(e.stderr, "wirekit: capture: interface %s went down; waiting for it to come back up (Ctrl-C to stop)\n", iface)
						down = true
					}
					if errors.Is(err, capture.ErrTimeout) {
						if flusher != nil {
							flusher.flush()
						}
						if ctx.Err() != nil {
							break
						}
						continue
					}
					runErr = err
					break
				}
				if err := sink.packet(h, ci, data); err != nil {
					if !errors.Is(err, errRotationDone) {
						runErr = err
					}
					break
				}
				n++
				if buffered && flusher != nil {
					flusher.flush()
				}
			}
			if err := sink.close(); err != nil && runErr == nil {
				runErr = err
			}
			st, serr := h.Stats()
			fmt.Fprintf(e.stderr, "%d packets captured\n", n)
			if serr == nil {
				fmt.Fprintf(e.stderr, "%d packets received by filter\n%d packets dropped by kernel\n", st.Received, st.Dropped)
			}
			var ie *capture.InterfaceError
			if errors.As(runErr, &ie) {
				return runErr // "capture: interface X disappeared (...)", after the counts, as tcpdump
			}
			if runErr != nil {
				return fmt.Errorf("capture: %w", runErr)
			}
			if stop.Load() || ctx.Err() != nil {
				return interrupted(ctx, "capture", "%s", sinkReport(f, n))
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringArrayVarP(&ifaces, "interface", "i", nil, "interface to capture on (see 'wirekit devices'; repeat to merge several)")
	fl.IntVarP(&snap, "snapshot-length", "s", 262144, "keep at most this many bytes of each packet (0 to 262144; 0 means 262144, as in tcpdump)")
	fl.BoolVarP(&noPromis, "no-promiscuous-mode", "p", false, "do not put the interface in promiscuous mode")
	fl.IntVarP(&ringKiB, "buffer-size", "B", 32768, "receive ring size in KiB")
	fl.BoolVarP(&buffered, "packet-buffered", "U", false, "write each packet out as soon as it is captured")
	fl.StringVarP(&dir, "direction", "Q", "inout", "keep packets received (in), sent (out) or both (inout)")
	fl.StringVarP(&user, "relinquish-privileges", "Z", "", "switch to this user (and its groups) once the capture socket is open")
	fl.StringVarP(&linkType, "linktype", "y", "", "link type to capture as: LINUX_SLL2 (default) or LINUX_SLL for -i any; EN10MB otherwise")
	fl.StringVarP(&f.out, "write", "w", "", "write packets to this capture file or URL instead of printing (- for stdout; with -C/-G a URL's rotated files are objects in its folder)")
	fl.IntVarP(&f.count, "count", "c", 0, "stop after this many packets (0: until interrupted)")
	addPrintFlags(fl, f)
	addRotateFlags(fl, f)
	return c
}

// captureLinkType is the link type a capture on iface gives, as asked by
// -y (tcpdump's names): "any" offers LINUX_SLL2 (the default) and
// LINUX_SLL, other interfaces only their own.
func captureLinkType(iface, name string) (layers.LinkType, error) {
	lt, err := capture.LinkTypeOf(iface)
	if err != nil || name == "" {
		return lt, err
	}
	want := strings.ToUpper(name)
	if iface == capture.Any && want == "LINUX_SLL" {
		return layers.LinkTypeLinuxSLL, nil
	}
	offer, _, _ := filter.LinkTypeName(lt)
	if offer == want {
		return lt, nil
	}
	if iface == capture.Any {
		offer += ", LINUX_SLL"
	}
	return 0, usagef("capture: -y %s: %s offers %s", name, iface, offer)
}

// interfaceNames returns a lookup of this machine's interface names by
// index, for printing LINUX_SLL2 packets as tcpdump does live; an index
// is looked up once.
func interfaceNames() func(int) string {
	names := map[int]string{}
	return func(i int) string {
		n, ok := names[i]
		if !ok {
			if ifc, err := net.InterfaceByIndex(i); err == nil {
				n = ifc.Name
			}
			names[i] = n
		}
		return n
	}
}
