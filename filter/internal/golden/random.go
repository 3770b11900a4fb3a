package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// exprGen draws random filter expressions from a grammar of the pcap-filter
// language, with values biased towards those the random packets carry.
type exprGen struct {
	r *rand.Rand
}

func (g *exprGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *exprGen) num(max int) int { return g.r.IntN(max + 1) }

func (g *exprGen) ip4() string {
	return g.pick("10.0.0.1", "10.0.0.2", "10.1.2.3", "8.8.8.8", "192.168.1.5", "172.16.0.1", "224.0.0.5", "255.255.255.255", "10.2.0.1")
}

func (g *exprGen) ip6() string {
	return g.pick("2001:db8::1", "2001:db8::2", "::1", "fe80::1", "ff02::1")
}

func (g *exprGen) port() string {
	return g.pick("80", "443", "53", "22", "1234", "5353", "8080", "50000", "999", "1000", "2000", "http", "domain", fmt.Sprint(g.num(65535)))
}

func (g *exprGen) dir() string {
	return g.pick("", "", "src ", "dst ", "src or dst ", "src and dst ")
}

func (g *exprGen) relop() string { return g.pick("=", "!=", ">", "<", ">=", "<=") }

// arith is a small arithmetic expression, possibly a packet accessor.
func (g *exprGen) arith(depth int) string {
	if depth > 1 || g.r.IntN(3) == 0 {
		switch g.r.IntN(4) {
		case 0:
			return fmt.Sprint(g.num(300))
		case 1:
			return "len"
		case 2:
			return fmt.Sprintf("0x%x", g.num(0xffff))
		}
		p := g.pick("ether", "link", "ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "vrrp", "igmp", "sctp", "pim")
		size := g.pick("", ":1", ":2", ":4")
		return fmt.Sprintf("%s[%d%s]", p, g.num(40), size)
	}
	op := g.pick("+", "-", "*", "/", "&", "|", "^", "<<", ">>", "%")
	b := g.arith(depth + 1)
	if op == "/" || op == "%" {
		b = fmt.Sprint(1 + g.num(16))
	}
	if op == "<<" || op == ">>" {
		b = fmt.Sprint(g.num(31))
	}
	return fmt.Sprintf("(%s %s %s)", g.arith(depth+1), op, b)
}

// primitive returns one primitive.
func (g *exprGen) primitive() string {
	switch g.r.IntN(23) {
	case 0:
		return g.pick("ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "igmp", "sctp", "pim", "vrrp", "carp", "ah", "esp", "igrp")
	case 1:
		return g.pick("stp", "ipx", "iso", "isis", "esis", "clnp", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "netbeui", "atalk", "aarp", "decnet", "lat", "sca", "mopdl", "moprc")
	case 2:
		return g.pick("llc", "llc i", "llc s", "llc u", "llc rr", "llc rnr", "llc rej", "llc ui", "llc ua", "llc xid", "llc test", "llc sabme")
	case 3:
		return g.pick("", "ip ", "arp ", "rarp ") + g.dir() + "host " + g.ip4()
	case 4:
		return g.pick("", "ip6 ") + g.dir() + "host " + g.ip6()
	case 5:
		return g.dir() + "net " + g.pick("10.0.0.0/8", "10.0.0.0/24", "192.168.0.0/16", "224.0.0.0/4", "10", "10.0", "172.16", "0.0.0.0/0", "10.0.0.0 mask 255.255.0.0", "2001:db8::/32", "fe80::/10")
	case 6:
		return g.pick("", "tcp ", "udp ", "sctp ") + g.dir() + "port " + g.port()
	case 7:
		lo := g.num(3000)
		return g.pick("", "tcp ", "udp ") + g.dir() + fmt.Sprintf("portrange %d-%d", lo, lo+g.num(2000))
	case 8:
		return g.pick("", "ip ", "ip6 ") + "proto " + g.pick("1", "6", "17", "58", "132", "50", "51", "103", "112", "89", "47", "\\tcp", "\\udp", "\\icmp")
	case 9:
		return g.pick("ether proto ", "link proto ") + g.pick("0x800", "0x86dd", "0x806", "0x8100", "0x8847", "0x8864", "0x42", "0xfe", "0xe0", "0xaa", "0x06", "0xf0", "\\ip", "\\arp", "\\ip6", "\\iso", "\\stp", "\\ipx")
	case 10:
		return g.pick("less ", "greater ") + fmt.Sprint(g.num(1500))
	case 11:
		return fmt.Sprintf("%s %s %s", g.arith(0), g.relop(), g.arith(0))
	case 12:
		return g.pick("tcp[tcpflags] & (tcp-syn|tcp-ack) != 0", "tcp[tcpflags] & tcp-syn != 0", "tcp[13] = 18", "tcp[tcpflags] = tcp-rst",
			"icmp[icmptype] = icmp-echo", "icmp[icmptype] != icmp-echoreply", "icmp6[icmp6type] = icmp6-echo", "ip[6:2] & 0x1fff = 0", "ip[0] & 0xf > 5")
	case 13:
		return g.pick("broadcast", "multicast", "ether broadcast", "ether multicast", "ip multicast", "ip6 multicast", "ip broadcast")
	case 14:
		return g.pick("vlan", "vlan 100", "vlan 200", "vlan 300", "mpls", "mpls 16", "pppoed", "pppoes", "pppoes 4660")
	case 15:
		return g.pick("ether ", "") + g.pick("", "src ", "dst ") + "host " + g.pick("00:11:22:33:44:55", "66:77:88:99:aa:bb", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:05")
	case 16:
		return fmt.Sprintf("byte %d %s %d", g.num(40), g.pick("=", "<", ">"), g.num(255))
	case 17:
		// Qualifier inheritance.
		return g.pick("host ", "src host ", "ip dst host ") + g.ip4() + g.pick(" or ", " and ") + g.ip4()
	case 18:
		return g.pick("tcp port ", "udp dst port ", "port ") + g.port() + g.pick(" or ", " and ") + g.port()
	case 19:
		return g.pick("iso proto ", "isis proto ") + fmt.Sprint(g.pick("18", "20", "24", "131", "130", "129", "\\isis", "\\clnp"))
	case 20:
		return g.pick("icmp6", "ip6 proto 58", "ip6 and udp", "ip6 and tcp port 443", "ip6 src net 2001:db8::/64")
	case 21:
		return g.pick("ip protochain 6", "protochain 17", "ip6 protochain 58", "protochain 51", "geneve", "geneve 10",
			"geneve and udp", "decnet host 1.1", "decnet src 10.20", "decnet dst 63.1023")
	}
	return g.pick("not ", "") + g.pick("tcp", "udp", "ip", "arp")
}

// expr returns a boolean combination of primitives.
func (g *exprGen) expr(depth int) string {
	if depth > 2 || g.r.IntN(3) == 0 {
		return g.primitive()
	}
	switch g.r.IntN(5) {
	case 0:
		return g.pick("not ", "!") + g.wrap(g.expr(depth+1))
	case 1, 2:
		return g.expr(depth+1) + g.pick(" and ", " && ") + g.expr(depth+1)
	}
	return g.wrap(g.expr(depth+1)) + g.pick(" or ", " || ") + g.wrap(g.expr(depth+1))
}

func (g *exprGen) wrap(s string) string {
	if g.r.IntN(2) == 0 {
		return "(" + s + ")"
	}
	return s
}

// randomPackets returns the synthetic frames, each also mutated a few
// times (bytes changed in the headers, cut short), and some random bytes.
func randomPackets(r *rand.Rand, n int) [][]byte {
	base := synthPackets()
	out := append([][]byte{}, base...)
	for len(out) < n {
		b := append([]byte{}, base[r.IntN(len(base))]...)
		switch r.IntN(4) {
		case 0: // random bytes
			b = make([]byte, r.IntN(120))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
		case 1: // cut short
			b = b[:r.IntN(len(b)+1)]
		default: // a few header bytes changed
			for k := 1 + r.IntN(3); k > 0 && len(b) > 0; k-- {
				b[r.IntN(min(len(b), 64))] = byte(r.Uint32())
			}
		}
		out = append(out, b)
	}
	return out
}

// runRandom compiles n random expressions with wirekit and with tcpdump
// and compares the verdicts on random packets; it prints the agreement.
func runRandom(n, npkts int, seed uint64, failures string, unopt bool) error {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	tmp, err := os.MkdirTemp("", "filter-random")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "in.pcap")
	if err := writeLink(in, layers.LinkType(*randomLink), randomLinkPackets(r, npkts)); err != nil {
		return err
	}
	pkts, _, err := readAll(in)
	if err != nil {
		return err
	}
	outp := filepath.Join(tmp, "out.pcap")
	g := &exprGen{r: r}
	var pairs, agree, exprs, bothErr, errAgree, unsupported, oneSided, unsetExprs, unsetPairs int
	var fails bytes.Buffer
	for range n {
		expr := g.expr(0)
		exprs++
		prog, ourErr := filter.Compile(expr, layers.LinkType(*randomLink), 65535)
		if errors.Is(ourErr, filter.ErrUnsupported) {
			unsupported++
			continue
		}
		args := []string{"-r", in, "-w", outp}
		if unopt {
			args = append(args, "-O")
		}
		cmd := exec.Command("tcpdump", append(args, "--", expr)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		tdErr := cmd.Run()
		if tdErr != nil {
			msg := ""
			for _, l := range strings.Split(stderr.String(), "\n") {
				if m, ok := strings.CutPrefix(l, "tcpdump: "); ok {
					msg = m
				}
			}
			if ourErr == nil && msg == "expression rejects all packets" {
				// libpcap's optimizer refuses what can never match: we
				// must reject every packet.
				for _, p := range pkts {
					pairs++
					if !prog.Matches(p.ci, p.data) {
						agree++
					} else {
						fmt.Fprintf(&fails, "%s\tlibpcap: rejects all packets; we accept one\n", expr)
					}
				}
				continue
			}
			if ourErr == nil {
				oneSided++
				fmt.Fprintf(&fails, "%s\tlibpcap: %s; we accept\n", expr, msg)
				continue
			}
			bothErr++
			var se *filter.SyntaxError
			if errors.As(ourErr, &se) && se.LibpcapMessage() == msg {
				errAgree++
			} else {
				fmt.Fprintf(&fails, "%s\tlibpcap: %s; we: %v\n", expr, msg, ourErr)
			}
			continue
		}
		if ourErr != nil {
			oneSided++
			fmt.Fprintf(&fails, "%s\tlibpcap accepts; we: %v\n", expr, ourErr)
			continue
		}
		got, _, err := readAll(outp)
		if err != nil {
			return err
		}
		if prog.ReadsUnsetScratch() {
			// libpcap 1.10's interpreter leaves scratch memory as the
			// stack had it: its verdicts for this program are undefined.
			unsetExprs++
			unsetPairs += len(pkts)
			continue
		}
		j := 0
		for _, p := range pkts {
			want := j < len(got) && p.ci.Timestamp.Equal(got[j].ci.Timestamp) && bytes.Equal(p.data, got[j].data)
			if want {
				j++
			}
			pairs++
			if prog.Matches(p.ci, p.data) == want {
				agree++
			} else {
				fmt.Fprintf(&fails, "%s\tpacket %d (%d bytes): libpcap %v\n", expr, p.ci.Timestamp.Unix()-1700000000, len(p.data), want)
			}
		}
	}
	if failures != "" {
		if err := os.WriteFile(failures, fails.Bytes(), 0o644); err != nil {
			return err
		}
		// The packets, to replay a disagreement with tcpdump -r.
		if err := writeLink(failures+".pcap", layers.LinkType(*randomLink), randomLinkPackets(rand.New(rand.NewPCG(seed, 0x5eed)), npkts)); err != nil {
			return err
		}
	}
	pct := 100.0
	if pairs > 0 {
		pct = 100 * float64(agree) / float64(pairs)
	}
	against := "libpcap (optimized, as tcpdump runs by default)"
	if unopt {
		against = "libpcap's unoptimized programs (tcpdump -O)"
	}
	fmt.Printf("seed %d: %d expressions x %d packets of link type %d, against %s\n", seed, exprs, len(pkts), *randomLink, against)
	fmt.Printf("verdicts: %d/%d (expression, packet) pairs agree (%.4f%%)\n", agree, pairs, pct)
	fmt.Printf("not compared: %d expressions (%d pairs) whose programs read scratch memory not set on some path (undefined in libpcap 1.10)\n", unsetExprs, unsetPairs)
	fmt.Printf("errors: %d/%d expressions both refuse with the same message; %d accepted by only one side; %d not supported by wirekit (skipped)\n",
		errAgree, bothErr, oneSided, unsupported)
	return nil
}
