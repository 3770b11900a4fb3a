package cli

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/filter"
)

func newFilterCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "filter",
		Short: "Compile pcap-filter expressions to classic BPF",
		Long: `filter works with tcpdump filter expressions (pcap-filter(7)) without
libpcap: 'filter compile' prints the classic BPF program in tcpdump's -d,
-dd or -ddd forms, or as a Go literal to embed; 'filter match' tells
whether a flow (protocol and endpoints) matches, with no packet at hand.`,
	}
	c.AddCommand(newFilterCompileCmd(e), newFilterMatchCmd(e))
	addBatchFlags(c, e)
	return c
}

func newFilterCompileCmd(e *env) *cobra.Command {
	var (
		dlt    string
		snap   int
		format string
		file   string
		noOpt  bool
	)
	c := &cobra.Command{
		Use:   "compile [-O] [-y DLT] [-s SNAPLEN] [--format d|dd|ddd|go] [-F FILE | EXPR...]",
		Short: "Print the classic BPF program of a filter expression (tcpdump -d)",
		Long: `compile prints the program for EXPR, as tcpdump -d (--format d, the
default), -dd (C array) or -ddd (decimal, as the kernel and "tc" take it),
or "go" for a []bpf.RawInstruction literal. The words of EXPR may come as
separate arguments, as with tcpdump; -F reads it from a file.

The program is optimized, as tcpdump's is (see the filter package's
Optimize); -O prints libpcap's unoptimized code instead, as tcpdump -O -d
does. Both give the same verdict on every packet.`,
		Example: `  wirekit filter compile tcp dst port 21
  wirekit filter compile -y LINUX_SLL2 --format ddd 'host 10.0.0.1 and udp'
  wirekit filter compile --format go -F rules.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			expr := strings.Join(args, " ")
			if file != "" {
				if len(args) > 0 {
					return usagef("filter compile: give the expression either with -F or as arguments, not both")
				}
				b, err := e.readAll(file)
				if err != nil {
					return fmt.Errorf("filter compile: -F: %w", err)
				}
				expr = stripComments(string(b))
			}
			lt, err := parseDLT(dlt)
			if err != nil {
				return &usageError{fmt.Errorf("filter compile: -y %s: %w", dlt, err)}
			}
			snap, err := snapLenFlag("filter compile", snap)
			if err != nil {
				return err
			}
			prog, err := filter.CompileWith(expr, lt, snap, &filter.Options{NoOptimize: noOpt})
			if err != nil {
				return &usageError{fmt.Errorf("filter compile: %q: %w", expr, err)}
			}
			var out string
			if format == "go" {
				out = goLiteral(prog)
			} else {
				switch format {
				case "d", "dd", "ddd":
				default:
					return usagef("filter compile: --format %q: want d, dd, ddd or go", format)
				}
				out, err = filter.Format(prog, format)
				if err != nil {
					return fmt.Errorf("filter compile: %w", err)
				}
			}
			fmt.Fprint(e.stdout, out)
			if !strings.HasSuffix(out, "\n") {
				fmt.Fprintln(e.stdout)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&dlt, "linktype", "y", "EN10MB", "link type, by tcpdump's -y name (EN10MB, RAW, LINUX_SLL2, IEEE802_11_RADIO, SUNATM, MTP3, PPI...: every type the compiler knows) or LINKTYPE number")
	c.Flags().IntVarP(&snap, "snaplen", "s", 262144, "snapshot length: the value an accepting program returns (0 to 262144; 0 means 262144, as in tcpdump)")
	c.Flags().StringVar(&format, "format", "d", "output: d (tcpdump -d), dd (-dd), ddd (-ddd) or go")
	c.Flags().StringVarP(&file, "file", "F", "", "read the expression from this file (# starts a comment)")
	c.Flags().BoolVarP(&noOpt, "no-optimize", "O", false, "do not optimize: print libpcap's unoptimized code (tcpdump -O)")
	return c
}

// stripComments drops "#" comments from a filter file, as tcpdump -F does.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}

// parseDLT reads a link type by tcpdump's name ("EN10MB") or number.
func parseDLT(s string) (layers.LinkType, error) {
	if lt, ok, err := parseLinkTypeNumber(s); ok {
		return lt, err
	}
	if lt, ok := filter.LinkTypeByName(s); ok {
		return lt, nil
	}
	return 0, fmt.Errorf("unknown link type name %q (give tcpdump's -y name, such as EN10MB, RAW, LINUX_SLL2, IEEE802_11_RADIO, SUNATM, MTP3, PPI, or the LINKTYPE number)", s)
}

// goLiteral renders the program as Go source for golang.org/x/net/bpf.
func goLiteral(p *filter.Program) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// %s\n[]bpf.RawInstruction{\n", p.String())
	for _, ins := range p.Raw() {
		fmt.Fprintf(&b, "\t{Op: 0x%02x, Jt: %d, Jf: %d, K: 0x%08x},\n", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	b.WriteString("}\n")
	return b.String()
}

func newFilterMatchCmd(e *env) *cobra.Command {
	var (
		proto, src, dst, dlt, payload, flags string
		vlan                                 uint16
	)
	c := &cobra.Command{
		Use:   "match --proto P --src ADDR:PORT --dst ADDR:PORT [flags] EXPR...",
		Short: "Tell whether a flow matches a filter, without a packet (exit 0: match, 1: no match)",
		Long: `match answers "would a packet of this flow pass EXPR?" for what a socket
listener knows: the protocol and the two endpoints (IPv4 or IPv6), and
optionally TCP flags, a VLAN tag and a payload. wirekit builds the packet
libpcap would see in the chosen link type and runs the filter on it.

It prints "match" or "no match" and exits 0 on a match, 1 on no match and
2 on an error.`,
		Example: `  wirekit filter match --proto tcp --src 127.0.0.1:3345 --dst 127.0.0.1:21 tcp dst port 21
  wirekit filter match --proto udp --src [2001:db8::1]:5353 --dst [ff02::fb]:5353 'ip6 and udp port 5353'
  wirekit filter match --proto tcp --tcp-flags SA --src 10.0.0.1:80 --dst 10.0.0.2:40000 'tcp[tcpflags] & tcp-syn != 0'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			expr := strings.Join(args, " ")
			if expr == "" {
				return usagef("filter match: give a filter expression after the flags")
			}
			f, err := parseFlowFlags(proto, src, dst, flags, vlan)
			if err != nil {
				return &usageError{fmt.Errorf("filter match: %w", err)}
			}
			lt, err := parseDLT(dlt)
			if err != nil {
				return &usageError{fmt.Errorf("filter match: -y %s: %w", dlt, err)}
			}
			prog, err := filter.Compile(expr, lt, 262144)
			if err != nil {
				return &usageError{fmt.Errorf("filter match: %q: %w", expr, err)}
			}
			if _, err := filter.AppendFlowPacket(nil, lt, f, nil); err != nil {
				return &usageError{fmt.Errorf("filter match: %w", err)}
			}
			if prog.MatchFlow(f, []byte(payload)) {
				fmt.Fprintln(e.stdout, "match")
				return nil
			}
			fmt.Fprintln(e.stdout, "no match")
			return &silentExit{code: 1}
		},
	}
	fl := c.Flags()
	fl.StringVar(&proto, "proto", "", "transport protocol: tcp, udp, sctp, icmp or icmp6 (required)")
	fl.StringVar(&src, "src", "", "source ADDR:PORT, [v6addr]:PORT for IPv6 (port 0 for ICMP)")
	fl.StringVar(&dst, "dst", "", "destination ADDR:PORT")
	fl.StringVar(&flags, "tcp-flags", "", "TCP flags as letters: S (SYN), A (ACK), F, R, P, U, E, C; default PA")
	fl.Uint16Var(&vlan, "vlan", 0, "add an 802.1Q tag with this VLAN ID (1 to 4095)")
	fl.StringVar(&payload, "payload", "", "payload bytes (as text)")
	fl.StringVarP(&dlt, "linktype", "y", "EN10MB", "link type to build the packet in (EN10MB, RAW, LINUX_SLL, LINUX_SLL2, LOOP)")
	return c
}

// parseFlowFlags turns match's flags into a Flow.
func parseFlowFlags(proto, src, dst, flags string, vlan uint16) (filter.Flow, error) {
	var f filter.Flow
	switch strings.ToLower(proto) {
	case "tcp":
		f.Proto = filter.TCP
	case "udp":
		f.Proto = filter.UDP
	case "sctp":
		f.Proto = filter.SCTP
	case "icmp":
		f.Proto = filter.ICMP
		f.ICMPType = 8
	case "icmp6":
		f.Proto = filter.ICMPv6
		f.ICMPType = 128
	default:
		return f, fmt.Errorf("--proto %q: want tcp, udp, sctp, icmp or icmp6", proto)
	}
	var err error
	if f.Src, err = netip.ParseAddrPort(src); err != nil {
		return f, fmt.Errorf("--src %q: want ADDR:PORT such as 10.0.0.1:80 or [2001:db8::1]:80", src)
	}
	if f.Dst, err = netip.ParseAddrPort(dst); err != nil {
		return f, fmt.Errorf("--dst %q: want ADDR:PORT such as 10.0.0.1:80 or [2001:db8::1]:80", dst)
	}
	for _, c := range strings.ToUpper(flags) {
		bit := map[rune]uint8{'F': filter.FlagFIN, 'S': filter.FlagSYN, 'R': filter.FlagRST, 'P': filter.FlagPSH,
			'A': filter.FlagACK, 'U': filter.FlagURG, 'E': filter.FlagECE, 'C': filter.FlagCWR}[c]
		if bit == 0 {
			return f, fmt.Errorf("--tcp-flags %q: %q is not one of S A F R P U E C", flags, c)
		}
		f.TCPFlags |= bit
	}
	if vlan > 0x0fff {
		return f, fmt.Errorf("--vlan %d: a VLAN ID is 1 to 4095 (0: no tag)", vlan)
	}
	f.VLAN = vlan
	return f, nil
}
