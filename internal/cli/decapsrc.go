package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/pflag"

	"github.com/wirekit/wirekit/decap"
	"github.com/wirekit/wirekit/dedup"
	"github.com/wirekit/wirekit/pcapio"
)

// innerFlags are --decap, --decap-depth and --dedup, GopherCap's names
// (from its filter command).
type innerFlags struct {
	decap bool
	depth int
	dedup bool
}

func addInnerFlags(fl *pflag.FlagSet, f *innerFlags) {
	fl.BoolVar(&f.decap, "decap", false, "strip tunnels (GRE, ERSPAN I/II/III, VXLAN, Geneve, IP in IP): the filter and the output see the inner packet")
	fl.IntVar(&f.depth, "decap-depth", 0, "with --decap: strip at most this many nested tunnels, 1 to 8 (0 or less: all, as GopherCap's default -1)")
	fl.BoolVar(&f.dedup, "dedup", false, "drop a packet identical to one seen in the last 4 to 6 seconds of packet time (mirror-port copies; IPv4 TTL and checksum and IPv6 hop limit ignored)")
}

// check validates the flags; cmd names the command for messages.
func (f *innerFlags) check(cmd string, fl *pflag.FlagSet) error {
	if fl.Changed("decap-depth") && !f.decap {
		return usagef("%s: --decap-depth needs --decap", cmd)
	}
	if f.depth > decap.MaxDepth {
		return usagef("%s: --decap-depth %d: want 1 to %d nested tunnels, or 0 or less for all", cmd, f.depth, decap.MaxDepth)
	}
	return nil
}

// stage returns the decap and dedup stage the flags ask for, nil for none.
func (f *innerFlags) stage() (*innerStage, error) {
	if !f.decap && !f.dedup {
		return nil, nil
	}
	s := &innerStage{}
	if f.decap {
		// Inner IP packets get an Ethernet header, so that an Ethernet
		// capture stays one link type whatever the tunnels carry.
		d, err := decap.New(&decap.Config{Depth: max(f.depth, 0), InnerIP: decap.InnerEthernet})
		if err != nil {
			return nil, &usageError{err}
		}
		s.d = d
	}
	if f.dedup {
		dd, err := dedup.New(nil)
		if err != nil {
			return nil, err
		}
		s.dd = dd
	}
	return s, nil
}

// wrap returns src with tunnels stripped and duplicates dropped as the
// flags ask, or src itself when they ask for neither.
func (f *innerFlags) wrap(src pcapio.Source) (pcapio.Source, *innerStage, error) {
	st, err := f.stage()
	if st == nil || err != nil {
		return src, nil, err
	}
	s := &innerSource{Source: src, innerStage: st}
	s.sync()
	return s, st, nil
}

// innerStage strips tunnels (decap) and then drops duplicates (dedup, after
// decap, so copies carried by different tunnels are found), counting both.
type innerStage struct {
	d  *decap.Decapsulator
	dd *dedup.Deduper

	packets, stripped, failed, dups int64
	kept                            int64     // tunnelled packets left whole (see sameLink)
	tunnels                         [16]int64 // by decap.Kind
	// sameLink, when set, leaves a packet whole when its inner frame's
	// link type differs from the outer one (replay's sinks take one link
	// type per interface).
	sameLink bool
}

// apply runs the stage on one packet of link type lt; keep is false for a
// duplicate. The bytes returned are valid until the next call.
func (s *innerStage) apply(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) (out []byte, outCI gopacket.CaptureInfo, outLT layers.LinkType, keep bool) {
	s.packets++
	if s.d != nil {
		inner, ici, ilt, tuns, derr := s.d.Strip(lt, data, ci)
		if derr != nil {
			s.failed++
		}
		switch {
		case len(tuns) == 0:
		case s.sameLink && ilt != lt:
			s.kept++
		default:
			s.stripped++
			for _, t := range tuns {
				s.tunnels[int(t.Kind)%len(s.tunnels)]++
			}
			data, ci, lt = inner, ici, ilt
		}
	}
	if s.dd != nil && s.dd.Duplicate(lt, data, ci) {
		s.dups++
		return data, ci, lt, false
	}
	return data, ci, lt, true
}

// innerSource is a pcapio.Source that runs an innerStage on each packet
// of the source it wraps. Its interfaces are the
// wrapped source's, in the same order, plus one Ethernet interface for
// each non-Ethernet one whose packets came out of a tunnel as Ethernet
// frames: indexes are stable as a pcapng writer needs.
type innerSource struct {
	pcapio.Source
	*innerStage

	ifs   []pcapio.Interface // what Interfaces returns, append-only
	outer []int              // index in ifs of each wrapped interface
	alt   map[int]int        // wrapped interface -> index in ifs of its inner Ethernet one
}

// sync takes in the interfaces the wrapped source declared since the last
// call.
func (s *innerSource) sync() {
	src := s.Source.Interfaces()
	for i := len(s.outer); i < len(src); i++ {
		s.outer = append(s.outer, len(s.ifs))
		s.ifs = append(s.ifs, src[i])
	}
}

// Interfaces returns the wrapped source's interfaces and the inner ones
// added for tunnels.
func (s *innerSource) Interfaces() []pcapio.Interface {
	s.sync()
	return s.ifs
}

// LinkType returns the first interface's link type.
func (s *innerSource) LinkType() layers.LinkType {
	s.sync()
	if len(s.ifs) == 0 {
		return s.Source.LinkType()
	}
	return s.ifs[0].LinkType
}

// ZeroCopyReadPacketData returns the next packet that is not a duplicate,
// stripped of its tunnels; the bytes are valid until the next call.
func (s *innerSource) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, err := s.Source.ZeroCopyReadPacketData()
		if err != nil {
			return data, ci, err
		}
		s.sync()
		idx := ci.InterfaceIndex
		if idx < 0 || idx >= len(s.outer) {
			idx = 0
		}
		lt := s.Source.LinkType()
		if len(s.outer) > 0 {
			lt = s.ifs[s.outer[idx]].LinkType
			ci.InterfaceIndex = s.outer[idx]
		}
		data, ci, ilt, keep := s.apply(lt, data, ci)
		if !keep {
			continue
		}
		if ilt != lt {
			ci.InterfaceIndex = s.altInterface(idx, ilt)
		}
		return data, ci, nil
	}
}

// ReadPacketData is ZeroCopyReadPacketData with a copy of the bytes.
func (s *innerSource) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := s.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// altInterface returns the index of the interface of link type lt for
// inner frames from wrapped interface idx, declaring it the first time.
func (s *innerSource) altInterface(idx int, lt layers.LinkType) int {
	if s.alt == nil {
		s.alt = map[int]int{}
	}
	if i, ok := s.alt[idx]; ok && s.ifs[i].LinkType == lt {
		return i
	}
	ifc := s.ifs[s.outer[idx]]
	ifc.LinkType = lt
	ifc.Description = strings.TrimSpace(ifc.Description + " (decapsulated)")
	s.ifs = append(s.ifs, ifc)
	s.alt[idx] = len(s.ifs) - 1
	return len(s.ifs) - 1
}

// report writes what was stripped and dropped, one line each, to w.
func (s *innerStage) report(w io.Writer, cmd string) {
	if s == nil {
		return
	}
	if s.d != nil {
		var kinds []string
		for k, n := range s.tunnels {
			if n > 0 {
				kinds = append(kinds, fmt.Sprintf("%s %d", decap.Kind(k), n))
			}
		}
		what := "none"
		if len(kinds) > 0 {
			what = strings.Join(kinds, ", ")
		}
		fmt.Fprintf(w, "%s: decap: %d of %d packets were tunnelled; tunnels stripped: %s; %d tunnel headers left in place (truncated, malformed or unsupported)\n",
			cmd, s.stripped+s.kept, s.packets, what, s.failed)
		if s.kept > 0 {
			fmt.Fprintf(w, "%s: decap: %d tunnelled packets %s whole: their inner frame's link type differs from the capture's (a pcap file holds one link type; write .pcapng to get the inner frames)\n", cmd, s.kept, keptVerb(cmd))
		}
	}
	if s.dd != nil {
		st := s.dd.Stats()
		fmt.Fprintf(w, "%s: dedup: dropped %d duplicates of %d packets (%d not IP, never dropped)\n", cmd, s.dups, st.Packets, st.Skipped)
	}
}

// keptVerb says what cmd did with a packet left whole.
func keptVerb(cmd string) string {
	if cmd == "replay" {
		return "sent"
	}
	return "written"
}
