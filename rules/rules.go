package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind names what a condition tests.
type Kind string

// The condition kinds: GopherCap's five, and bpf.
const (
	KindSubnet Kind = "subnet"
	KindPort   Kind = "port"
	KindEther  Kind = "ether"
	KindASN    Kind = "asn"
	KindRaw    Kind = "raw"
	KindBPF    Kind = "bpf"
)

// Kinds lists every kind Parse accepts.
var Kinds = []Kind{KindSubnet, KindPort, KindEther, KindASN, KindRaw, KindBPF}

// ErrSyntax is wrapped by every error Parse returns for a file that is not
// a valid filter file.
var ErrSyntax = errors.New("invalid filter file")

// ErrASN is returned by Compile for a rule with an asn condition when no
// ASN database was given, and by Rule.Expr for such a rule, which has no
// pcap-filter expression.
var ErrASN = errors.New("asn conditions need a MaxMind ASN database (--maxmind-asn)")

// Condition is one entry of a filter's conditions list.
type Condition struct {
	Kind   Kind     `yaml:"kind"`
	Negate bool     `yaml:"negate"`
	Match  []string `yaml:"match"`
}

// Rule is one named filter: the packets that satisfy all its conditions.
type Rule struct {
	Name       string
	Conditions []Condition
}

type fileRule struct {
	Conditions []Condition `yaml:"conditions"`
}

// Parse reads a filter file and returns its rules sorted by name. It
// fails, wrapping ErrSyntax and naming the filter and condition, on YAML
// that is not a map of filters, an unknown field or kind, a filter with no
// conditions, a condition with no match values, or a value its kind does
// not take (a bad network, port or MAC; raw and bpf expressions are checked
// by Compile).
func Parse(data []byte) ([]Rule, error) {
	var m map[string]fileRule
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%w: no filters: want NAME: {conditions: [{kind: ..., match: [...]}]}", ErrSyntax)
	}
	rules := make([]Rule, 0, len(m))
	for name, fr := range m {
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("%w: filter %q: %w", ErrSyntax, name, err)
		}
		if len(fr.Conditions) == 0 {
			return nil, fmt.Errorf("%w: filter %q has no conditions", ErrSyntax, name)
		}
		for i, c := range fr.Conditions {
			if _, err := c.Expr(); err != nil {
				return nil, fmt.Errorf("%w: filter %q: condition %d: %w", ErrSyntax, name, i+1, err)
			}
		}
		rules = append(rules, Rule{Name: name, Conditions: fr.Conditions})
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	return rules, nil
}

// checkName refuses names that cannot be a directory name of their own.
func checkName(name string) error {
	switch {
	case name == "", name == ".", name == "..":
		return fmt.Errorf("the name is a directory name of its own and must not be empty, \".\" or \"..\"")
	case strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("the name becomes a directory: it must not contain / or \\")
	}
	return nil
}

// Expr returns the pcap-filter expression that a packet matches when it
// matches one of c's values, ignoring Negate; subnet and port conditions
// are not yet widened to VLAN-tagged packets (Compile does that). It fails
// on an unknown kind, no values, or a value the kind does not take.
func (c Condition) Expr() (string, error) {
	if len(c.Match) == 0 {
		return "", fmt.Errorf("kind %s: no match values", c.Kind)
	}
	parts := make([]string, 0, len(c.Match))
	for _, v := range c.Match {
		p, err := valueExpr(c.Kind, strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("kind %s: %q: %w", c.Kind, v, err)
		}
		parts = append(parts, p)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, ") or (") + ")", nil
}

func valueExpr(k Kind, v string) (string, error) {
	switch k {
	case KindSubnet:
		if strings.Contains(v, "%") {
			return "", errors.New("a zone has no place in a network")
		}
		var p netip.Prefix
		var err error
		if strings.Contains(v, "/") {
			p, err = netip.ParsePrefix(v)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(v); err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil {
			return "", fmt.Errorf("want a network such as 10.0.0.0/8 or 2001:db8::/32: %w", err)
		}
		p = p.Masked()
		if p.Addr().Is4() || p.Addr().Is4In6() {
			return "ip net " + netip.PrefixFrom(p.Addr().Unmap(), min(p.Bits(), 32)).String(), nil
		}
		return "ip6 net " + p.String(), nil
	case KindPort:
		num, proto, _ := strings.Cut(v, "/")
		n, err := strconv.ParseUint(num, 10, 16)
		if err != nil {
			return "", errors.New("want a port number 0 to 65535, optionally /tcp or /udp")
		}
		switch strings.ToLower(proto) {
		case "":
			return fmt.Sprintf("port %d", n), nil
		case "tcp", "udp":
			return fmt.Sprintf("%s port %d", strings.ToLower(proto), n), nil
		}
		return "", fmt.Errorf("protocol %q: want tcp or udp", proto)
	case KindEther:
		hw, err := net.ParseMAC(v)
		if err != nil || len(hw) != 6 {
			return "", errors.New("want a 6-byte MAC address such as 00:11:22:33:44:55")
		}
		return "ether host " + hw.String(), nil
	case KindASN:
		if _, err := strconv.ParseUint(v, 10, 32); err != nil {
			return "", errors.New("want an AS number such as 64512")
		}
		return "", nil
	case KindRaw, KindBPF:
		if v == "" {
			return "", errors.New("empty expression")
		}
		return v, nil
	case "":
		return "", fmt.Errorf("kind missing: use one of %s", kindList())
	}
	return "", fmt.Errorf("unknown kind: use one of %s", kindList())
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// Expr returns the rule as one pcap-filter expression, conditions joined
// with "and" and negated ones with "not", as it applies to Ethernet
// frames without VLAN tags. A rule with an asn condition has no such
// expression (ErrASN).
func (r Rule) Expr() (string, error) {
	parts := make([]string, 0, len(r.Conditions))
	for i, c := range r.Conditions {
		if c.Kind == KindASN {
			return "", fmt.Errorf("filter %q: condition %d: %w", r.Name, i+1, ErrASN)
		}
		e, err := c.Expr()
		if err != nil {
			return "", fmt.Errorf("filter %q: condition %d: %w", r.Name, i+1, err)
		}
		if c.Negate {
			e = "not (" + e + ")"
		} else {
			e = "(" + e + ")"
		}
		parts = append(parts, e)
	}
	return strings.Join(parts, " and "), nil
}
