package decode

import (
	"encoding/binary"
	"math"
)

// Radiotap presence bits printed as tcpdump 4.99 prints them; any other
// bit of the radiotap namespace stops the header with "[bit N] ", since
// its field's size and alignment are not known.
const (
	rtTSFT        = 0
	rtFlags       = 1
	rtRate        = 2
	rtChannel     = 3
	rtFHSS        = 4
	rtDBmSignal   = 5
	rtDBmNoise    = 6
	rtLockQuality = 7
	rtTxAtten     = 8
	rtDBTxAtten   = 9
	rtDBmTxPower  = 10
	rtAntenna     = 11
	rtDBSignal    = 12
	rtDBNoise     = 13
	rtRxFlags     = 14
	rtXChannel    = 18
	rtMCS         = 19
	rtAMPDU       = 20
	rtVHT         = 21
	rtNamespace   = 29
	rtVendorNS    = 30
	rtExt         = 31
)

// Radiotap flags (bit 1) that change how the 802.11 frame is read.
const (
	rtFlagDataPad = 0x20 // header padded to 32 bits
	rtFlagFCS     = 0x10 // frame ends with its FCS
)

// rtCursor reads radiotap fields: each is aligned to its natural size
// from the start of the header and must lie within the header.
type rtCursor struct {
	h   []byte
	off int
}

// take returns the next n-byte field aligned to n, or nil when the
// header ends first.
func (c *rtCursor) take(n int) []byte {
	next := c.off
	if m := next % n; m != 0 {
		next += n - m
	}
	if next+n > len(c.h) {
		return nil
	}
	c.off = next + n
	return c.h[next : next+n]
}

// radiotap prints a radiotap header ("802.11 plus radiotap header", link
// type 127) and the 802.11 frame after it, as tcpdump's
// ieee802_11_radio_print: the known fields in presence order, then the
// frame. The header is
//
//	+---------+-----+--------+-------------------+--------------+
//	| version | pad | len LE | present LE (x N)  | fields ...   |
//	+---------+-----+--------+-------------------+--------------+
//
// with a further presence word while bit 31 is set.
func (p *Printer) radiotap(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 8 {
		return appendTrunc(b, "802.11_radio"), len(d)
	}
	n := int(binary.LittleEndian.Uint16(d[2:]))
	if n < 8 || len(d) < n {
		return appendTrunc(b, "802.11_radio"), len(d)
	}
	h := d[:n]
	last := 4
	for last+4 <= n && binary.LittleEndian.Uint32(h[last:])&(1<<rtExt) != 0 {
		last += 4
	}
	if last+4 > n {
		return appendTrunc(b, "802.11_radio"), len(d)
	}
	c := rtCursor{h: h, off: last + 4}
	bit0, vendor, skip := 0, false, 0
	var flags byte
	for w := 4; w <= last; w += 4 {
		present := binary.LittleEndian.Uint32(h[w:])
		if vendor {
			if c.off+skip > n {
				break
			}
			c.off += skip
			skip = 0
		} else {
			var stop bool
			if b, stop = p.radiotapFields(b, &c, present, bit0, &flags); stop {
				break
			}
		}
		switch present & (1<<rtNamespace | 1<<rtVendorNS) {
		case 0:
			bit0 += 32
		case 1 << rtNamespace:
			bit0, vendor, skip = 0, false, 0
		case 1 << rtVendorNS:
			bit0, vendor = 0, true
			// The vendor namespace item: OUI 3, sub-namespace 1,
			// skip length 2 (tcpdump checks room for 2 aligned
			// bytes, then reads on from where it was).
			if c.off+(c.off&1)+2 > n {
				b = appendTrunc(b, "802.11_radio")
				break
			}
			if c.off+4 > n {
				c.off = n
				b = appendTrunc(b, "802.11_radio")
				break
			}
			c.off += 4
			s := c.take(2)
			if s == nil {
				b = appendTrunc(b, "802.11_radio")
				break
			}
			skip = int(binary.LittleEndian.Uint16(s))
		}
	}
	fcs := 0
	if flags&rtFlagFCS != 0 {
		fcs = 4
	}
	b, off := p.dot11(b, d[n:], wire-n, flags&rtFlagDataPad != 0, fcs)
	return b, n + off
}

// radiotapFields prints the fields of one presence word of the radiotap
// namespace; stop reports a field that ends the header (unknown bit or
// truncated field).
func (p *Printer) radiotapFields(b []byte, c *rtCursor, present uint32, bit0 int, flags *byte) ([]byte, bool) {
	for rest := present; rest != 0; rest &= rest - 1 {
		bitno := 0
		for rest>>bitno&1 == 0 {
			bitno++
		}
		if bitno >= rtNamespace {
			break
		}
		var ok bool
		if b, ok = p.radiotapField(b, c, bit0+bitno, present, flags); !ok {
			return b, true
		}
	}
	return b, false
}

// radiotapField prints one field; false means the header stops here.
func (p *Printer) radiotapField(b []byte, c *rtCursor, bit int, present uint32, flags *byte) ([]byte, bool) {
	trunc := func(b []byte) ([]byte, bool) { return appendTrunc(b, "802.11_radio"), false }
	switch bit {
	case rtTSFT:
		f := c.take(8)
		if f == nil {
			return trunc(b)
		}
		b = appendUint(b, binary.LittleEndian.Uint64(f))
		b = append(b, "us tsft "...)
	case rtFlags:
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		*flags = f[0]
		if f[0]&0x01 != 0 {
			b = append(b, "cfp "...)
		}
		if f[0]&0x02 != 0 {
			b = append(b, "short preamble "...)
		}
		if f[0]&0x04 != 0 {
			b = append(b, "wep "...)
		}
		if f[0]&0x08 != 0 {
			b = append(b, "fragmented "...)
		}
		if f[0]&0x40 != 0 {
			b = append(b, "bad-fcs "...)
		}
	case rtRate:
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		if f[0] >= 0x80 && f[0] <= 0x8f {
			b = append(b, "MCS "...)
			b = appendUint(b, uint64(f[0]&0x7f))
			b = append(b, ' ')
		} else {
			b = appendHalves(b, int(f[0]))
			b = append(b, " Mb/s "...)
		}
	case rtChannel:
		f := c.take(2)
		if f == nil {
			return trunc(b)
		}
		g := c.take(2)
		if g == nil {
			return trunc(b)
		}
		if present&(1<<rtXChannel) == 0 {
			b = appendChanInfo(b, binary.LittleEndian.Uint16(f), uint32(binary.LittleEndian.Uint16(g)), present)
		}
	case rtFHSS:
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		g := c.take(1)
		if g == nil {
			return trunc(b)
		}
		b = append(b, "fhset "...)
		b = appendUint(b, uint64(f[0]))
		b = append(b, " fhpat "...)
		b = appendUint(b, uint64(g[0]))
		b = append(b, ' ')
	case rtDBmSignal, rtDBmNoise, rtDBmTxPower:
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		b = appendInt(b, int(int8(f[0])))
		switch bit {
		case rtDBmSignal:
			b = append(b, "dBm signal "...)
		case rtDBmNoise:
			b = append(b, "dBm noise "...)
		default:
			b = append(b, "dBm tx power "...)
		}
	case rtLockQuality:
		f := c.take(2)
		if f == nil {
			return trunc(b)
		}
		b = appendUint(b, uint64(binary.LittleEndian.Uint16(f)))
		b = append(b, " sq "...)
	case rtTxAtten:
		f := c.take(2)
		if f == nil {
			return trunc(b)
		}
		b = appendInt(b, -int(int16(binary.LittleEndian.Uint16(f))))
		b = append(b, " tx power "...)
	case rtDBTxAtten:
		// tcpdump 4.99 reads one signed byte here (the field is 2).
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		b = appendInt(b, -int(int8(f[0])))
		b = append(b, "dB tx attenuation "...)
	case rtAntenna, rtDBSignal, rtDBNoise:
		f := c.take(1)
		if f == nil {
			return trunc(b)
		}
		switch bit {
		case rtAntenna:
			b = append(b, "antenna "...)
			b = appendUint(b, uint64(f[0]))
			b = append(b, ' ')
		case rtDBSignal:
			b = appendUint(b, uint64(f[0]))
			b = append(b, "dB signal "...)
		default:
			b = appendUint(b, uint64(f[0]))
			b = append(b, "dB noise "...)
		}
	case rtRxFlags:
		if c.take(2) == nil {
			return trunc(b)
		}
	case rtXChannel:
		fl := c.take(4)
		if fl == nil {
			return trunc(b)
		}
		fr := c.take(2)
		if fr == nil || c.take(1) == nil || c.take(1) == nil {
			return trunc(b)
		}
		b = appendChanInfo(b, binary.LittleEndian.Uint16(fr), binary.LittleEndian.Uint32(fl), present)
	case rtMCS:
		var v [3]byte
		for i := range v {
			f := c.take(1)
			if f == nil {
				return trunc(b)
			}
			v[i] = f[0]
		}
		b = appendMCS(b, v[0], v[1], v[2])
	case rtAMPDU:
		if c.take(4) == nil || c.take(2) == nil || c.take(1) == nil || c.take(1) == nil {
			return trunc(b)
		}
	case rtVHT:
		kn := c.take(2)
		if kn == nil {
			return trunc(b)
		}
		var v [8]byte // flags, bandwidth, mcs_nss x4, coding, group id
		for i := range v {
			f := c.take(1)
			if f == nil {
				return trunc(b)
			}
			v[i] = f[0]
		}
		if c.take(2) == nil {
			return trunc(b)
		}
		b = appendVHT(b, binary.LittleEndian.Uint16(kn), v)
	default:
		b = append(b, "[bit "...)
		b = appendUint(b, uint64(bit))
		b = append(b, "] "...)
		return b, false
	}
	return b, true
}

// appendHalves appends v/2 with one decimal ("5.5", "54.0"), as tcpdump's
// "%2.1f" of a rate in 500 kb/s units.
func appendHalves(b []byte, v int) []byte {
	b = appendInt(b, v/2)
	if v&1 != 0 {
		return append(b, ".5"...)
	}
	return append(b, ".0"...)
}

// Channel flags of the radiotap Channel and XChannel fields.
const (
	chanTurbo   = 0x00010
	chanCCK     = 0x00020
	chanOFDM    = 0x00040
	chan2GHz    = 0x00080
	chan5GHz    = 0x00100
	chanDyn     = 0x00400
	chanGFSK    = 0x00800
	chanHalf    = 0x04000
	chanQuarter = 0x08000
	chanHT20    = 0x10000
	chanHT40U   = 0x20000
	chanHT40D   = 0x40000
)

// appendChanInfo appends "FREQ MHz" and the PHY the channel flags name.
func appendChanInfo(b []byte, freq uint16, fl uint32, present uint32) []byte {
	b = appendUint(b, uint64(freq))
	b = append(b, " MHz"...)
	has := func(m uint32) bool { return fl&m == m }
	if present&(1<<rtMCS) != 0 {
		b = append(b, " 11n"...)
	} else {
		if has(chan2GHz | chanGFSK) {
			b = append(b, " FHSS"...)
		}
		if has(chan5GHz | chanOFDM) {
			switch {
			case fl&chanHalf != 0:
				b = append(b, " 11a/10Mhz"...)
			case fl&chanQuarter != 0:
				b = append(b, " 11a/5Mhz"...)
			default:
				b = append(b, " 11a"...)
			}
		}
		if has(chan2GHz|chanOFDM) || has(chan2GHz|chanDyn) {
			switch {
			case fl&chanHalf != 0:
				b = append(b, " 11g/10Mhz"...)
			case fl&chanQuarter != 0:
				b = append(b, " 11g/5Mhz"...)
			default:
				b = append(b, " 11g"...)
			}
		} else if has(chan2GHz | chanCCK) {
			b = append(b, " 11b"...)
		}
		if fl&chanTurbo != 0 {
			b = append(b, " Turbo"...)
		}
	}
	switch {
	case fl&chanHT20 != 0:
		b = append(b, " ht/20"...)
	case fl&chanHT40D != 0:
		b = append(b, " ht/40-"...)
	case fl&chanHT40U != 0:
		b = append(b, " ht/40+"...)
	}
	return append(b, ' ')
}

// htRate20 is each HT MCS index's data rate at 20 MHz with the long guard
// interval, in 500 kb/s units (IEEE 802.11n tables 20-30 to 20-43; MCS 32
// exists at 40 MHz only). 40 MHz carries 108/52 as many bits; the short
// guard interval makes symbols 3.6 µs instead of 4.
var htRate20 = [77]uint16{
	13, 26, 39, 52, 78, 104, 117, 130,
	26, 52, 78, 104, 156, 208, 234, 260,
	39, 78, 117, 156, 234, 312, 351, 390,
	52, 104, 156, 208, 312, 416, 468, 520,
	0,
	78, 104, 130, 117, 156, 195, 104, 130, 130, 156, 182, 182, 208,
	156, 195, 195, 234, 273, 273, 312,
	130, 156, 182, 156, 182, 208, 234, 208, 234, 260, 260, 286,
	195, 234, 273, 234, 273, 312, 351, 312, 351, 390, 390, 429,
}

// htRateTenths returns an HT rate in 100 kb/s units, rounded as tcpdump's
// "%.1f" rounds its table, or 0 when there is none.
func htRateTenths(mcs int, forty, shortGI bool) int {
	half := float64(htRate20[mcs]) // 500 kb/s units, 20 MHz
	if mcs == 32 {
		if !forty {
			return 0
		}
		half = 12 * 52 / 108.0 // 6 Mb/s at 40 MHz
	}
	r := half * 5 // 100 kb/s units
	if forty {
		r = r * 108 / 52
	}
	if shortGI {
		r = r * 10 / 9
	}
	return int(math.Round(r))
}

var htBandwidth = [4]string{"20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"}

// appendMCS appends the radiotap MCS field (known, flags, index).
func appendMCS(b []byte, known, fl, idx byte) []byte {
	if known&0x02 != 0 {
		r := 0
		if idx <= 76 && known&(0x01|0x04) != 0 {
			r = htRateTenths(int(idx), fl&0x03 == 1, fl&0x04 != 0)
		}
		if r != 0 {
			b = appendInt(b, r/10)
			b = append(b, '.', byte('0'+r%10))
			b = append(b, " Mb/s "...)
		}
		b = append(b, "MCS "...)
		b = appendUint(b, uint64(idx))
		b = append(b, ' ')
	}
	if known&0x01 != 0 {
		b = append(b, htBandwidth[fl&0x03]...)
		b = append(b, ' ')
	}
	if known&0x04 != 0 {
		b = appendGI(b, fl&0x04 != 0)
	}
	if known&0x08 != 0 {
		if fl&0x08 != 0 {
			b = append(b, "greenfield "...)
		} else {
			b = append(b, "mixed "...)
		}
	}
	if known&0x10 != 0 {
		b = appendFEC(b, fl&0x10 != 0)
	}
	if known&0x20 != 0 {
		b = append(b, "RX-STBC"...)
		b = appendUint(b, uint64(fl&0x60>>5))
		b = append(b, ' ')
	}
	return b
}

func appendGI(b []byte, short bool) []byte {
	if short {
		return append(b, "short GI "...)
	}
	return append(b, "long GI "...)
}

func appendFEC(b []byte, ldpc bool) []byte {
	if ldpc {
		return append(b, "LDPC FEC "...)
	}
	return append(b, "BCC FEC "...)
}

// vhtBandwidth names the VHT bandwidth field's values as tcpdump does
// (its table repeats "UUU" at 21, where LUU belongs).
var vhtBandwidth = [32]string{
	"20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)",
	"80 MHz", "80 MHz (L)", "80 MHz (U)", "80 MHz (LL)", "80 MHz (LU)", "80 MHz (UL)", "80 MHz (UU)",
	"160 MHz", "160 MHz (L)", "160 MHz (U)", "160 MHz (LL)", "160 MHz (LU)", "160 MHz (UL)", "160 MHz (UU)",
	"160 MHz (LLL)", "160 MHz (LLU)", "160 MHz (LUL)", "160 MHz (UUU)",
	"160 MHz (ULL)", "160 MHz (ULU)", "160 MHz (UUL)", "160 MHz (UUU)",
	"unknown (26)", "unknown (27)", "unknown (28)", "unknown (29)", "unknown (30)", "unknown (31)",
}

// appendVHT appends the radiotap VHT field: v holds flags, bandwidth,
// the four users' MCS/NSS bytes, coding and group id.
func appendVHT(b []byte, known uint16, v [8]byte) []byte {
	for i := 0; i < 4; i++ {
		ms := v[2+i]
		if ms&0x0f == 0 {
			continue
		}
		b = append(b, "User "...)
		b = appendInt(b, i)
		b = append(b, " MCS "...)
		b = appendUint(b, uint64(ms>>4))
		b = append(b, ' ')
		b = appendFEC(b, v[6]&(1<<i) != 0)
	}
	if known&0x0040 != 0 {
		b = append(b, vhtBandwidth[v[1]&0x1f]...)
		b = append(b, ' ')
	}
	if known&0x0004 != 0 {
		b = appendGI(b, v[0]&0x04 != 0)
	}
	return b
}
