package cli

import (
	"fmt"
	"os"
	"strconv"
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
-dd or -ddd forms, or as a Go literal to embed.`,
	}
	c.AddCommand(newFilterCompileCmd(e))
	return c
}

func newFilterCompileCmd(e *env) *cobra.Command {
	var (
		dlt    string
		snap   int
		format string
		file   string
	)
	c := &cobra.Command{
		Use:   "compile [-y DLT] [-s SNAPLEN] [--format d|dd|ddd|go] [-F FILE | EXPR...]",
		Short: "Print the classic BPF program of a filter expression (tcpdump -d)",
		Long: `compile prints the program for EXPR, as tcpdump -d (--format d, the
default), -dd (C array) or -ddd (decimal, as the kernel and "tc" take it),
or "go" for a []bpf.RawInstruction literal. The words of EXPR may come as
separate arguments, as with tcpdump; -F reads it from a file.

The program is libpcap's unoptimized code (tcpdump -O -d): the same
verdict on every packet, not yet the optimized instruction count.`,
		Example: `  wirekit filter compile tcp dst port 21
  wirekit filter compile -y LINUX_SLL2 --format ddd 'host 10.0.0.1 and udp'
  wirekit filter compile --format go -F rules.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			expr := strings.Join(args, " ")
			if file != "" {
				if len(args) > 0 {
					return usagef("filter compile: give the expression either with -F or as arguments, not both")
				}
				b, err := os.ReadFile(file)
				if err != nil {
					return fmt.Errorf("filter compile: %w", err)
				}
				expr = stripComments(string(b))
			}
			lt, err := parseDLT(dlt)
			if err != nil {
				return &usageError{fmt.Errorf("filter compile: -y %s: %w", dlt, err)}
			}
			prog, err := filter.Compile(expr, lt, snap)
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
	c.Flags().StringVarP(&dlt, "linktype", "y", "EN10MB", "link type, by tcpdump name (EN10MB, RAW, LINUX_SLL, LINUX_SLL2, LOOP, IPV4, IPV6) or number")
	c.Flags().IntVarP(&snap, "snaplen", "s", 262144, "snapshot length: the value an accepting program returns")
	c.Flags().StringVar(&format, "format", "d", "output: d (tcpdump -d), dd (-dd), ddd (-ddd) or go")
	c.Flags().StringVarP(&file, "file", "F", "", "read the expression from this file (# starts a comment)")
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
	if n, err := strconv.Atoi(s); err == nil {
		return layers.LinkType(n), nil
	}
	for lt, n := range dltNames {
		if strings.EqualFold(n[0], s) {
			if lt == 12 { // DLT_RAW's two numbers; the file value is 101
				lt = 101
			}
			return lt, nil
		}
	}
	return 0, fmt.Errorf("unknown link type name (try EN10MB, RAW, LINUX_SLL, LINUX_SLL2, LOOP, IPV4, IPV6 or a number)")
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
