package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// DefaultSnapLen is the snapshot length programs are compiled with.
const DefaultSnapLen = 262144

// Matcher tests packets against one rule. Make one with Compile; it is
// safe for concurrent use.
type Matcher struct {
	rule  Rule
	conds []string // per condition, the expression without VLAN widening ("" for asn)
	asnDB ASNDB
	asn   []asnCond

	mu    sync.Mutex
	progs map[layers.LinkType]*Program
}

// Program is a Matcher's test for one link type.
type Program struct {
	progs  []*filter.Program // all must accept; none: the verdict is always
	always bool
	expr   string
	lt     layers.LinkType
	asnDB  ASNDB
	asn    []asnCond // tested in Go after the program accepts
}

// Options are what Compile needs besides the rule; a nil *Options means
// none.
type Options struct {
	// ASN looks up the AS numbers of asn conditions; rules with an asn
	// condition need it.
	ASN ASNDB
}

// Compile checks rule and returns its Matcher. It fails on an asn
// condition without opts.ASN (ErrASN), a value its kind does not take, or
// a raw or bpf expression that does not compile for Ethernet (the error is
// the compiler's, with its column).
func Compile(rule Rule, opts *Options) (*Matcher, error) {
	m := &Matcher{rule: rule, progs: make(map[layers.LinkType]*Program)}
	if opts != nil {
		m.asnDB = opts.ASN
	}
	for i, c := range rule.Conditions {
		if c.Kind == KindASN {
			if m.asnDB == nil {
				return nil, fmt.Errorf("filter %q: condition %d: %w", rule.Name, i+1, ErrASN)
			}
			a, err := newASNCond(c)
			if err != nil {
				return nil, fmt.Errorf("filter %q: condition %d: %w", rule.Name, i+1, err)
			}
			m.asn = append(m.asn, a)
			m.conds = append(m.conds, "")
			continue
		}
		e, err := c.Expr()
		if err != nil {
			return nil, fmt.Errorf("filter %q: condition %d: %w", rule.Name, i+1, err)
		}
		if c.Kind == KindRaw || c.Kind == KindBPF {
			for _, v := range c.Match {
				if _, err := filter.Compile(v, layers.LinkTypeEthernet, DefaultSnapLen); err != nil {
					return nil, fmt.Errorf("filter %q: condition %d: kind %s: %q: %w", rule.Name, i+1, c.Kind, v, err)
				}
			}
		}
		m.conds = append(m.conds, e)
	}
	if _, err := m.Program(layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	return m, nil
}

// Name returns the rule's name.
func (m *Matcher) Name() string { return m.rule.Name }

// Program returns the test for packets of link type lt, compiling it on
// first use. A condition whose expression does not compile for lt (ether
// on raw IP, for one) is false for every packet of lt. It fails only when
// the rule's conditions compile alone but not together, which the
// compiler's limits can cause.
func (m *Matcher) Program(lt layers.LinkType) (*Program, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.progs[lt]; ok {
		return p, nil
	}
	p, err := m.compile(lt)
	if err != nil {
		return nil, err
	}
	m.progs[lt] = p
	return p, nil
}

// shifting finds the pcap-filter keywords that move the offsets of what
// follows them in an expression (libpcap's vlan, mpls, pppoes, geneve).
var shifting = regexp.MustCompile(`(?i)\b(vlan|mpls|pppoes|geneve)\b`)

// tagged tests the EtherType at off for an 802.1Q, 802.1ad or QinQ tag,
// with absolute loads that no vlan keyword shifts.
func tagged(off int) string {
	return fmt.Sprintf("(ether[%d:2] = 0x8100 or ether[%d:2] = 0x88a8 or ether[%d:2] = 0x9100)", off, off, off)
}

func (m *Matcher) compile(lt layers.LinkType) (*Program, error) {
	var parts, alone []string
	for i, e := range m.conds {
		c := m.rule.Conditions[i]
		if c.Kind == KindASN {
			continue
		}
		if _, err := filter.Compile(e, lt, DefaultSnapLen); err != nil {
			if !c.Negate {
				return &Program{always: false, expr: "false", lt: lt}, nil
			}
			continue // not (false)
		}
		if c.Negate {
			e = "not (" + e + ")"
		} else {
			e = "(" + e + ")"
		}
		if (c.Kind == KindRaw || c.Kind == KindBPF) && shifting.MatchString(e) {
			// Its own program, so that its vlan (or mpls...) does not
			// move the offsets of the other conditions.
			alone = append(alone, e)
			continue
		}
		parts = append(parts, e)
	}
	p := &Program{always: true, expr: "true", lt: lt, asnDB: m.asnDB, asn: m.asn}
	var exprs []string
	if len(parts) > 0 {
		x := strings.Join(parts, " and ")
		// The conditions see the packet behind up to two VLAN tags, as
		// GopherCap's decoder does; each branch tests how many tags
		// there are, so that a negated condition is not satisfied by a
		// tag hiding the IP header.
		// (A vlan keyword moves the offsets of all that follows it in
		// the expression, hence the nesting.)
		wide := "(not " + tagged(12) + " and " + x + ") or (vlan and ((not " + tagged(16) + " and " + x + ") or (vlan and " + x + ")))"
		if _, err := filter.Compile(wide, lt, DefaultSnapLen); err == nil {
			x = wide
		}
		exprs = append(exprs, x)
	}
	exprs = append(exprs, alone...)
	for _, x := range exprs {
		// Conditions that together can match nothing give a program
		// that matches nothing, as each alone would (see above).
		prog, err := filter.CompileWith(x, lt, DefaultSnapLen, &filter.Options{AllowRejectAll: true})
		if err != nil {
			return nil, fmt.Errorf("filter %q: link type %v: %w", m.rule.Name, lt, err)
		}
		p.progs = append(p.progs, prog)
	}
	if len(exprs) > 0 {
		p.expr = strings.Join(exprs, " ; ")
	}
	if len(m.asn) > 0 {
		p.expr += " ; asn"
	}
	return p, nil
}

// Match reports whether the packet passes. Without asn conditions it does
// not allocate.
func (p *Program) Match(ci gopacket.CaptureInfo, data []byte) bool {
	if len(p.progs) == 0 && !p.always {
		return false
	}
	for _, prog := range p.progs {
		if !prog.Matches(ci, data) {
			return false
		}
	}
	return len(p.asn) == 0 || matchASN(p.asnDB, p.asn, p.lt, data)
}

// String returns the pcap-filter expressions the program runs, separated
// by " ; " (all must accept), or "true" or "false" for a constant verdict,
// followed by " ; asn" when asn conditions are tested too.
func (p *Program) String() string { return p.expr }
