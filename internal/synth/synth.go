package synth

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gopacket/gopacket"
)

// ErrStop may be returned by the emit function given to Generate to end the
// capture early; Generate then returns nil.
var ErrStop = errors.New("synth: stop")

// DefaultStart is the timestamp of the first packet when Config.Start is
// zero.
var DefaultStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Config describes a synthetic capture. The zero value is a valid,
// unbounded capture with the default mix; set Packets or Bytes, or return
// ErrStop from emit, to end it.
type Config struct {
	// Seed selects the capture: the same Seed and Config give the same
	// bytes.
	Seed int64
	// Packets stops the capture after this many packets (0 = no limit).
	Packets int
	// Bytes stops the capture before the captured bytes would exceed this
	// many (0 = no limit).
	Bytes int64
	// Start is the first timestamp (zero = DefaultStart). Timestamps have
	// microsecond resolution.
	Start time.Time
	// SnapLen truncates the captured bytes of each packet (0 = no
	// truncation). CaptureInfo.Length still gives the full length.
	SnapLen int
	// Flows is how many flows are interleaved at once (0 = 256).
	Flows int
	// IPv6Share is the share of IP flows that run over IPv6
	// (0 = the default 0.3; negative = none).
	IPv6Share float64
	// VLANShare is the share of flows inside one 802.1Q tag
	// (0 = the default 0.1; negative = none).
	VLANShare float64
	// QinQShare is the share of flows inside two tags, an 802.1ad outer
	// and an 802.1Q inner (0 = the default 0.02; negative = none).
	QinQShare float64
	// Mix weighs the kinds of new flows; the zero Mix means DefaultMix.
	Mix Mix
}

// Mix gives relative weights to the kinds of flow started as old ones end.
// Weights are not packet shares: a TCP connection makes tens to thousands
// of packets, a DNS lookup two.
type Mix struct {
	TCP    int // TCP connections
	DNS    int // DNS query and response over UDP
	ICMP   int // ICMP echo request and reply series
	ICMPv6 int // ICMPv6 echo request and reply series
	NDP    int // IPv6 neighbour solicitation and advertisement
	ARP    int // ARP request and reply
}

// DefaultMix is the Mix used when Config.Mix is zero.
var DefaultMix = Mix{TCP: 50, DNS: 30, ICMP: 6, ICMPv6: 4, NDP: 5, ARP: 5}

func (m Mix) weights() [numKinds]int {
	return [numKinds]int{kindTCP: m.TCP, kindDNS: m.DNS, kindICMP4: m.ICMP,
		kindICMP6: m.ICMPv6, kindNDP: m.NDP, kindARP: m.ARP}
}

func share(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return min(v, 1)
}

// Generate produces the capture described by cfg, calling emit once per
// packet in timestamp order. The link type is Ethernet
// (layers.LinkTypeEthernet).
//
// data is valid only until emit returns: Generate reuses the buffer for the
// next packet, so emit must copy what it keeps. If emit returns ErrStop,
// Generate stops and returns nil; any other error stops it and is returned
// wrapped. With neither Packets nor Bytes set, Generate runs until emit
// returns an error.
func Generate(cfg Config, emit func(ci gopacket.CaptureInfo, data []byte) error) error {
	if cfg.Packets < 0 || cfg.Bytes < 0 || cfg.SnapLen < 0 || cfg.Flows < 0 {
		return fmt.Errorf("synth: negative limit in config (packets %d, bytes %d, snaplen %d, flows %d)",
			cfg.Packets, cfg.Bytes, cfg.SnapLen, cfg.Flows)
	}
	if math.IsNaN(cfg.IPv6Share) || math.IsNaN(cfg.VLANShare) || math.IsNaN(cfg.QinQShare) {
		return errors.New("synth: share is not a number")
	}
	if emit == nil {
		return errors.New("synth: nil emit function")
	}
	g, err := newGen(cfg)
	if err != nil {
		return err
	}
	start := cfg.Start
	if start.IsZero() {
		start = DefaultStart
	}
	start = start.Truncate(time.Microsecond)
	var (
		total int64
		last  = -1
		ci    gopacket.CaptureInfo
	)
	for n := 0; cfg.Packets == 0 || n < cfg.Packets; n++ {
		// Bursts: mostly stay on the flow that just sent, else jump.
		i := last
		if i < 0 || g.rng.intn(100) >= 55 {
			i = g.rng.intn(len(g.flows))
		}
		f := &g.flows[i]
		size := g.step(f)
		last = i
		if f.done {
			g.spawn(f)
			last = -1
		}
		caplen := size
		if cfg.SnapLen > 0 && caplen > cfg.SnapLen {
			caplen = cfg.SnapLen
		}
		if cfg.Bytes > 0 && total+int64(caplen) > cfg.Bytes {
			return nil
		}
		total += int64(caplen)
		ci.Timestamp = start.Add(time.Duration(g.clockUS) * time.Microsecond)
		ci.CaptureLength = caplen
		ci.Length = size
		if err := emit(ci, g.buf[:caplen]); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return fmt.Errorf("synth: packet %d: %w", n+1, err)
		}
		g.advanceClock()
	}
	return nil
}

// advanceClock moves time on: short gaps inside bursts, longer idle gaps
// between them.
func (g *gen) advanceClock() {
	var mean int64 // µs
	switch r := g.rng.intn(1000); {
	case r < 850:
		mean = 12 // back-to-back segments
	case r < 990:
		mean = 300
	default:
		mean = 20000
	}
	g.clockUS += g.rng.exp(mean)
}

// rng is SplitMix64: tiny, fast, and fixed forever, so captures stay
// byte-identical across Go versions.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a number in [0, n) for 0 < n < 2^32.
func (r *rng) intn(n int) int { return int((r.next() >> 32) * uint64(n) >> 32) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// exp returns an exponentially distributed number with the given mean,
// in integers only so that no platform's floating point can change it.
func (r *rng) exp(mean int64) int64 {
	x := r.next()
	i := x >> 56               // quantile bucket
	f := int64(x>>40) & 0xffff // position inside it
	lo, hi := expQuantiles[i], expQuantiles[i+1]
	q := lo + (hi-lo)*f>>16
	return mean * q >> 10
}

// expQuantiles[i] is 1024·(-ln(1-(i+0.5)/256)), the exponential
// distribution's quantiles; generated once, fixed forever.
var expQuantiles = [257]int64{
	2, 6, 10, 14, 18, 22, 26, 30, 35, 39, 43, 47,
	51, 55, 60, 64, 68, 73, 77, 81, 85, 90, 94, 99,
	103, 107, 112, 116, 121, 125, 130, 134, 139, 144, 148, 153,
	158, 162, 167, 172, 176, 181, 186, 191, 196, 200, 205, 210,
	215, 220, 225, 230, 235, 240, 245, 250, 255, 260, 266, 271,
	276, 281, 287, 292, 297, 303, 308, 313, 319, 324, 330, 335,
	341, 347, 352, 358, 364, 369, 375, 381, 387, 392, 398, 404,
	410, 416, 422, 428, 434, 441, 447, 453, 459, 465, 472, 478,
	484, 491, 497, 504, 510, 517, 524, 530, 537, 544, 551, 558,
	565, 572, 579, 586, 593, 600, 607, 614, 622, 629, 636, 644,
	651, 659, 667, 674, 682, 690, 698, 706, 714, 722, 730, 738,
	746, 755, 763, 772, 780, 789, 797, 806, 815, 824, 833, 842,
	851, 860, 870, 879, 889, 898, 908, 917, 927, 937, 947, 957,
	968, 978, 988, 999, 1010, 1020, 1031, 1042, 1054, 1065, 1076, 1088,
	1099, 1111, 1123, 1135, 1147, 1160, 1172, 1185, 1197, 1210, 1224, 1237,
	1250, 1264, 1278, 1292, 1306, 1321, 1335, 1350, 1365, 1380, 1396, 1412,
	1428, 1444, 1460, 1477, 1494, 1512, 1529, 1547, 1565, 1584, 1603, 1622,
	1642, 1662, 1683, 1704, 1725, 1747, 1769, 1792, 1815, 1839, 1863, 1888,
	1914, 1940, 1967, 1995, 2023, 2052, 2082, 2113, 2145, 2179, 2213, 2248,
	2285, 2322, 2362, 2403, 2445, 2490, 2537, 2585, 2637, 2690, 2747, 2808,
	2872, 2940, 3013, 3092, 3177, 3270, 3373, 3487, 3615, 3762, 3933, 4138,
	4395, 4740, 5263, 6388, 7098,
}

// logUniform returns a number in [lo, hi] spread roughly evenly in log
// scale: a random octave, then a uniform value inside it. 0 < lo <= hi.
func (r *rng) logUniform(lo, hi int) int {
	octaves := 0
	for v := lo; v < hi/2; v *= 2 {
		octaves++
	}
	a := lo << r.intn(octaves+1)
	return r.between(a, min(2*a, hi))
}
