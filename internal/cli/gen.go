package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

func newGenCmd(e *env) *cobra.Command {
	var (
		out     string
		packets int
		size    string
		seed    int64
	)
	c := &cobra.Command{
		Use:   "gen -w OUT [--packets N | --size SIZE] [--seed N]",
		Short: "Write a synthetic capture: a realistic, deterministic traffic mix",
		Long: `gen writes a synthetic Ethernet capture: TCP connections with handshakes,
payloads and closes, DNS over UDP, ICMP and ICMPv6 echo, neighbour
discovery, ARP, IPv4 and IPv6, some VLAN-tagged, with realistic sizes and
timestamps. The same seed and size always give the same bytes, so tests,
benchmarks and demos can share inputs. The output format follows the name
of OUT, as for 'wirekit read -w'.`,
		Example: `  wirekit gen -w demo.pcap --packets 200
  wirekit gen -w big.pcap --size 1GB
  wirekit gen -w mix.pcapng.zst --size 100MB --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("gen: give the output file with -w OUT")
			}
			if err := checkCaptureName("gen", "-w", out); err != nil {
				return err
			}
			bytes, err := parseSize(size)
			if err != nil {
				return usagef("gen: --size %q: %v", size, err)
			}
			if packets < 0 {
				return usagef("gen: --packets %d: must be 0 or more", packets)
			}
			empty := packets == 0 && cmd.Flags().Changed("packets")
			if empty && bytes > 0 {
				return usagef("gen: --packets 0 and --size %s contradict each other: give one", size)
			}
			if packets == 0 && bytes == 0 && !empty {
				packets = 1000
			}
			ifs := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 262144, Resolution: time.Microsecond}}
			var w pcapio.Writer
			if out == "-" {
				w, err = pcapio.NewPcapWriter(e.stdout, layers.LinkTypeEthernet, 262144, nil)
			} else {
				w, err = e.createCapture(cmd.Context(), "-w", out, ifs, nil)
			}
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			ctx := cmd.Context()
			cfg := synth.Config{Seed: seed, Packets: packets, Bytes: bytes}
			n := 0
			if !empty { // --packets 0: a capture with its header only
				err = synth.Generate(cfg, func(ci gopacket.CaptureInfo, data []byte) error {
					if err := ctx.Err(); err != nil {
						return err
					}
					if err := w.WritePacket(ci, data); err != nil {
						return err
					}
					n++
					return nil
				})
			}
			if err != nil && ctx.Err() == nil {
				if a, ok := w.(interface{ Abort() error }); ok {
					_ = a.Abort()
				}
				return fmt.Errorf("gen: %w", err)
			}
			if err := w.Close(); err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			return interrupted(ctx, "gen", "%d packets written to %s, a valid capture", n, out)
		},
	}
	c.Flags().StringVarP(&out, "write", "w", "", "output capture file (.pcap, .pcapng, optionally .gz, .zst, .xz or .lz4; - for stdout)")
	c.Flags().IntVar(&packets, "packets", 0, "number of packets to write (default 1000 when --size is not given; 0 writes a capture with no packets)")
	c.Flags().StringVar(&size, "size", "", "stop after this many captured bytes: 500KB, 100MB, 1GB (powers of 1000)")
	c.Flags().Int64Var(&seed, "seed", 1, "random seed; the same seed gives the same capture")
	return c
}

// parseSize reads "1GB", "100MB", "500KB", "12345" (bytes, powers of 1000;
// KiB, MiB, GiB for powers of 1024). The empty string is 0.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1},
	}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			s = strings.TrimSpace(s[:len(s)-len(u.suffix)])
			mult = u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("not a size: want a number with an optional unit such as 100MB")
	}
	return int64(v * float64(mult)), nil
}
