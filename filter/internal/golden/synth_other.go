package main

import (
	"encoding/binary"
	"path/filepath"

	"github.com/gopacket/gopacket/layers"
)

// otherSynth lists the synthetic captures of the link types of
// filter/codegen_other.go that the corpus has no capture of.
var otherSynth = []struct {
	name string
	lt   layers.LinkType
}{
	{"synth-symfw.pcap", 99}, {"synth-enc.pcap", 109}, {"synth-hdlc.pcap", 112},
	{"synth-prism.pcap", 119}, {"synth-avs.pcap", 163}, {"synth-ppi.pcap", 192},
	{"synth-netanalyzer.pcap", 240}, {"synth-netanalyzer-tr.pcap", 241},
	{"synth-juniper-mfr.pcap", 134}, {"synth-juniper-ggsn.pcap", 133},
	{"synth-user0.pcap", 147},
}

// otherCorpus lists captures of tcpdump's test suite (the shared corpus's
// tcpdump/) of those link types.
var otherCorpus = []string{
	"juniper_es_oobr.pcap", "hoobr_juniper.pcap", "isis_poi.pcap", "kday6.pcap", "e1000g.pcap", "nflog.pcap",
}

// addOtherSynth writes the captures of otherSynth into dir and adds them,
// then those of otherCorpus found in tcpdumpDir, to files and names.
func addOtherSynth(dir, tcpdumpDir string, files, names []string) ([]string, []string, error) {
	for _, o := range otherSynth {
		p := filepath.Join(dir, o.name)
		if err := writeLink(p, o.lt, relinkOther(synthPackets(), o.lt)); err != nil {
			return nil, nil, err
		}
		files = append(files, p)
		names = append(names, o.name)
	}
	for _, n := range otherCorpus {
		p := filepath.Join(tcpdumpDir, n)
		if _, _, err := readAll(p); err != nil {
			continue
		}
		files = append(files, p)
		names = append(names, "tcpdump:"+n)
	}
	return files, names, nil
}

// relinkOther rebuilds Ethernet frames as packets of link type lt, with
// the headers libpcap 1.10 reads on it and values that vary from packet
// to packet.
func relinkOther(frames [][]byte, lt layers.LinkType) [][]byte {
	var out [][]byte
	for _, f := range frames {
		if len(f) < 14 {
			continue
		}
		n := len(out)
		et := binary.BigEndian.Uint16(f[12:14])
		body := f[14:]
		switch lt {
		case 99: // SYMANTEC_FIREWALL: 44 bytes, the Ethernet type at 6
			h := make([]byte, 44)
			h[0] = byte(n)
			copy(h[6:], f[12:14])
			out = append(out, append(h, body...))
		case 109: // ENC: address family (this file's byte order, little-endian), SPI, flags
			af := uint32(2)
			switch et {
			case 0x0800:
			case 0x86dd:
				af = []uint32{24, 28, 30, 10}[n%4]
			default:
				continue
			}
			h := binary.LittleEndian.AppendUint32(nil, af)
			h = binary.BigEndian.AppendUint32(h, uint32(0x1000+n))
			h = binary.BigEndian.AppendUint32(h, uint32(n%3))
			out = append(out, append(h, body...))
		case 112: // NetBSD HDLC: as Cisco HDLC
			addr := []byte{0x0f, 0x8f}[n%2]
			if et > 1500 {
				out = append(out, append([]byte{addr, 0, f[12], f[13]}, body...))
			} else if len(body) > 3 && body[0] == 0xfe && body[1] == 0xfe {
				out = append(out, append([]byte{addr, 0, 0xfe, 0xfe}, body[2:]...))
			}
		case 119, 163, 192: // 802.11 behind a Prism, AVS or PPI header
			for i, w := range wlanFrame(n, f, false) {
				out = append(out, append(radioHeader(lt, n+i), w...))
			}
		case 240: // NETANALYZER: a 4-byte pseudo-header
			out = append(out, append([]byte{byte(n), 0, 0, 0}, f...))
		case 241: // NETANALYZER_TRANSPARENT: the pseudo-header, preamble and SFD
			h := []byte{byte(n), 0, 0, 0, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xd5}
			out = append(out, append(h, f...))
		case 134: // JUNIPER_MFR: magic, flags (bit 0: received), then the packet at 4
			h := []byte{0x4d, 0x47, 0x43, byte(n % 2)}
			if n%7 == 3 {
				h[2] = 0x44 // not the magic number
			}
			out = append(out, append(h, body...))
		case 133: // JUNIPER_GGSN: magic, flags, the packet at 12
			h := []byte{0x4d, 0x47, 0x43, byte(n % 2), 0, 0, f[12], f[13], 0, 0, 0, byte(n)}
			out = append(out, append(h, body...))
		case 226: // IPNET (random packets only: the corpus has e1000g.pcap):
			// version, family, direction (1 out, 2 in), length, ifindexes, zones
			fam := map[uint16]byte{0x0800: 2, 0x86dd: 26}[et]
			if fam == 0 {
				continue
			}
			h := make([]byte, 24)
			h[0], h[1], h[3] = 1, fam, byte(1+n%2)
			binary.BigEndian.PutUint32(h[4:], uint32(len(body)))
			out = append(out, append(h, body...))
		case 147, 281: // USER0, DSA_TAG_BRCM: raw link tests only
			out = append(out, append([]byte{byte(n), 4, 0, 0}, body...))
		}
	}
	return out
}

// radioHeader is the n-th packet's radio header for PRISM_HEADER (144
// bytes, or an AVS header on some packets, as some Linux drivers give),
// IEEE802_11_RADIO_AVS (64 bytes, the length at 4) and PPI (8 bytes or
// more, the DLT at 4: 802.11, or Ethernet on some packets).
func radioHeader(lt layers.LinkType, n int) []byte {
	avs := func() []byte {
		h := make([]byte, 64)
		binary.BigEndian.PutUint32(h, 0x80211001)
		binary.BigEndian.PutUint32(h[4:], 64)
		h[8] = byte(n)
		return h
	}
	switch lt {
	case 119:
		if n%4 == 1 {
			return avs()
		}
		h := make([]byte, 144)
		binary.LittleEndian.PutUint32(h, 0x41)
		binary.LittleEndian.PutUint32(h[4:], 144)
		return h
	case 163:
		return avs()
	}
	size := []int{8, 12, 8, 20}[n%4]
	h := make([]byte, size)
	binary.LittleEndian.PutUint16(h[2:], uint16(size))
	dlt := uint32(105)
	if n%5 == 4 {
		dlt = 1
	}
	binary.LittleEndian.PutUint32(h[4:], dlt)
	return h
}
