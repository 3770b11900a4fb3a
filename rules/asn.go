package rules

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket/layers"
	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// ASNDB maps IP addresses to autonomous system numbers. OpenASN returns
// one over a MaxMind ASN database; tests may supply their own.
type ASNDB interface {
	// ASN returns the number of the AS announcing addr, and false when the
	// database has none.
	ASN(addr netip.Addr) (uint32, bool)
}

// MaxMindASN is an ASNDB reading a MaxMind ASN database (GeoLite2-ASN or
// GeoIP2-ISP layout: the autonomous_system_number field). It is safe for
// concurrent use.
type MaxMindASN struct {
	db *maxminddb.Reader
}

// OpenASN opens a MaxMind database at path. It fails, naming the file,
// when the file cannot be read or is not a MaxMind database.
func OpenASN(path string) (*MaxMindASN, error) {
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("maxmind ASN database %s: %w", path, err)
	}
	return &MaxMindASN{db: db}, nil
}

// ASN looks addr up; a lookup error counts as no record.
func (m *MaxMindASN) ASN(addr netip.Addr) (uint32, bool) {
	var rec struct {
		ASN uint32 `maxminddb:"autonomous_system_number"`
	}
	res := m.db.Lookup(addr)
	if !res.Found() || res.Decode(&rec) != nil || rec.ASN == 0 {
		return 0, false
	}
	return rec.ASN, true
}

// Close releases the database.
func (m *MaxMindASN) Close() error { return m.db.Close() }

// asnCond is an asn condition: a packet matches when its source or
// destination address belongs to one of the numbers.
type asnCond struct {
	set    map[uint32]bool
	negate bool
}

func newASNCond(c Condition) (asnCond, error) {
	a := asnCond{set: make(map[uint32]bool, len(c.Match)), negate: c.Negate}
	for _, v := range c.Match {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return a, fmt.Errorf("kind asn: %q: want an AS number such as 64512", v)
		}
		a.set[uint32(n)] = true
	}
	return a, nil
}

// matchASN reports whether every asn condition holds for the packet.
// Like GopherCap, a packet with no IP header matches no AS number.
func matchASN(db ASNDB, conds []asnCond, lt layers.LinkType, data []byte) bool {
	src, dst, ok := addrs(lt, data)
	for _, c := range conds {
		hit := false
		if ok {
			if n, found := db.ASN(src); found && c.set[n] {
				hit = true
			} else if n, found := db.ASN(dst); found && c.set[n] {
				hit = true
			}
		}
		if hit == c.negate {
			return false
		}
	}
	return true
}

// addrs returns the IP source and destination of a frame.
func addrs(lt layers.LinkType, data []byte) (src, dst netip.Addr, ok bool) {
	off, et, ok := linklayer.Network(lt, data)
	if !ok {
		return src, dst, false
	}
	ip := data[off:]
	switch et {
	case linklayer.EtherTypeIPv4:
		if len(ip) < 20 || ip[0]>>4 != 4 {
			return src, dst, false
		}
		return netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20])), true
	case linklayer.EtherTypeIPv6:
		if len(ip) < 40 || ip[0]>>4 != 6 {
			return src, dst, false
		}
		return netip.AddrFrom16([16]byte(ip[8:24])), netip.AddrFrom16([16]byte(ip[24:40])), true
	}
	return src, dst, false
}
