package decap

import (
	"fmt"
	"net/netip"
)

// Kind names one encapsulation that [Decapsulator.Strip] can remove.
type Kind uint8

// The encapsulations decap knows. GRE carrying ERSPAN is reported as the
// ERSPAN kind alone: the GRE header is part of that tunnel.
const (
	// GRE (RFC 2784, with RFC 2890 key and sequence number) carrying IPv4,
	// IPv6 or an Ethernet frame (transparent Ethernet bridging, 0x6558).
	GRE Kind = iota + 1
	// ERSPANI is GRE protocol 0x88be without the sequence-number flag: the
	// mirrored Ethernet frame follows the 4-byte GRE header directly.
	ERSPANI
	// ERSPANII is GRE protocol 0x88be with a sequence number, then the
	// 8-byte ERSPAN type II header (version 1).
	ERSPANII
	// ERSPANIII is GRE protocol 0x22eb, then the 12-byte ERSPAN type III
	// header (version 2) and, when its O flag is set, an 8-byte
	// platform-specific subheader.
	ERSPANIII
	// VXLAN is RFC 7348 over UDP (destination port 4789 unless configured).
	VXLAN
	// Geneve is RFC 8926 over UDP (destination port 6081 unless configured).
	Geneve
	// IPIP is IPv4 carried directly in IPv4 or IPv6 (protocol/next header 4).
	IPIP
	// IP6IP is IPv6 carried directly in IPv4 or IPv6 (protocol/next header
	// 41: 6in4, SIT, 6in6).
	IP6IP

	numKinds = iota + 1
)

var kindNames = [numKinds]string{"", "gre", "erspan1", "erspan2", "erspan3", "vxlan", "geneve", "ipip", "ip6ip"}

// String returns the kind's lower-case name as used in JSON output
// ("gre", "erspan1", "erspan2", "erspan3", "vxlan", "geneve", "ipip",
// "ip6ip"), or "kind(N)" for a value outside the list.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ParseKind returns the Kind whose [Kind.String] is name. It fails with an
// error listing the known names when there is none.
func ParseKind(name string) (Kind, error) {
	for k := Kind(1); k < numKinds; k++ {
		if kindNames[k] == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("decap: unknown tunnel kind %q (known: gre, erspan1, erspan2, erspan3, vxlan, geneve, ipip, ip6ip)", name)
}

// MarshalText returns the kind's name (see String), so that a Tunnel
// marshals to JSON as {"Kind":"vxlan",...}. It fails for a value outside
// the list.
func (k Kind) MarshalText() ([]byte, error) {
	if k == 0 || k >= numKinds {
		return nil, fmt.Errorf("decap: cannot marshal unknown tunnel kind %d", uint8(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText sets k from a name that ParseKind accepts.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// KindSet is a set of kinds, one bit per [Kind]. The zero KindSet in a
// [Config] means [AllKinds].
type KindSet uint16

// AllKinds holds every kind decap knows.
const AllKinds KindSet = (1<<numKinds - 1) &^ 1

// KindsOf returns the set holding ks.
func KindsOf(ks ...Kind) KindSet {
	var s KindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// Has reports whether k is in s.
func (s KindSet) Has(k Kind) bool { return k < numKinds && s&(1<<k) != 0 }

// Tunnel describes one encapsulation that was stripped. All fields are
// values: a Tunnel stays valid after the next call to Strip, although the
// slice holding it does not.
type Tunnel struct {
	// Kind is the encapsulation.
	Kind Kind
	// HasID says whether ID holds a value: a GRE key (K flag), a VXLAN or
	// Geneve VNI, or an ERSPAN type II/III session ID.
	HasID bool
	// Truncated is ERSPAN's T flag: the mirroring device cut the frame,
	// so the inner frame's wire length is not known beyond what arrived.
	Truncated bool
	// ID is the key, VNI or session ID (see HasID).
	ID uint32
	// Src and Dst are the addresses of the IP header that carried the
	// tunnel (the outer addresses, as in Suricata's "tunnel" object).
	Src, Dst netip.Addr
	// Offset is where that carrier IP header starts in the original data,
	// and InnerOffset where the frame or packet it carries starts.
	Offset, InnerOffset int
}
