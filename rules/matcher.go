package rules

import (
	"fmt"
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
	conds []string // per condition, the expression without VLAN widening

	mu    sync.Mutex
	progs map[layers.LinkType]*Program
}

// Program is a Matcher's test for one link type.
type Program struct {
	prog   *filter.Program // nil when the verdict is constant
	always bool            // the constant verdict when prog is nil
	expr   string
}

// Compile checks rule and returns its Matcher. It fails on an asn
// condition (ErrASN), a value its kind does not take, or a raw or bpf
// expression that does not compile for Ethernet (the error is the
// compiler's, with its column).
func Compile(rule Rule) (*Matcher, error) {
	m := &Matcher{rule: rule, progs: make(map[layers.LinkType]*Program)}
	for i, c := range rule.Conditions {
		if c.Kind == KindASN {
			return nil, fmt.Errorf("filter %q: condition %d: %w", rule.Name, i+1, ErrASN)
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

func (m *Matcher) compile(lt layers.LinkType) (*Program, error) {
	var parts []string
	for i, e := range m.conds {
		c := m.rule.Conditions[i]
		expr := e
		if c.Kind == KindSubnet || c.Kind == KindPort {
			wide := "(" + e + ") or (vlan and (" + e + "))"
			if _, err := filter.Compile(wide, lt, DefaultSnapLen); err == nil {
				expr = wide
			}
		}
		if _, err := filter.Compile(expr, lt, DefaultSnapLen); err != nil {
			if !c.Negate {
				return &Program{always: false, expr: "false"}, nil
			}
			continue // not (false)
		}
		if c.Negate {
			parts = append(parts, "not ("+expr+")")
		} else {
			parts = append(parts, "("+expr+")")
		}
	}
	if len(parts) == 0 {
		return &Program{always: true, expr: "true"}, nil
	}
	expr := strings.Join(parts, " and ")
	prog, err := filter.Compile(expr, lt, DefaultSnapLen)
	if err != nil {
		return nil, fmt.Errorf("filter %q: link type %v: %w", m.rule.Name, lt, err)
	}
	return &Program{prog: prog, expr: expr}, nil
}

// Match reports whether the packet passes. It does not allocate.
func (p *Program) Match(ci gopacket.CaptureInfo, data []byte) bool {
	if p.prog == nil {
		return p.always
	}
	return p.prog.Matches(ci, data)
}

// String returns the pcap-filter expression the program runs, or "true"
// or "false" for a constant verdict.
func (p *Program) String() string { return p.expr }
