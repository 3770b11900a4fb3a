// Package linecmp compares tcpdump's text output with wirekit's, packet by
// packet: it splits both into packets, reads the golden files that hold
// tcpdump's lines, names each packet's protocol family and tallies the
// lines that are identical. scripts/identity and the decode corpus test
// use it so that both measure the same way.
package linecmp

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Tally counts lines and packets compared and those identical.
type Tally struct {
	Lines, Same, Packets, PacketsSame int
}

// Add adds the comparison of one packet: want is tcpdump's lines, got
// wirekit's. It returns how many lines were identical (same position).
func (t *Tally) Add(want, got []string) int {
	same := 0
	for j, l := range want {
		if j < len(got) && got[j] == l {
			same++
		}
	}
	t.Lines += len(want)
	t.Same += same
	t.Packets++
	if same == len(want) && len(got) == len(want) {
		t.PacketsSame++
	}
	return same
}

// Share is the percentage of lines identical.
func (t Tally) Share() float64 {
	if t.Lines == 0 {
		return 0
	}
	return 100 * float64(t.Same) / float64(t.Lines)
}

// Families tallies per protocol family.
type Families map[string]*Tally

// Add tallies one packet under the family of tcpdump's first line.
func (f Families) Add(want, got []string) int {
	if len(want) == 0 {
		return 0
	}
	name := Family(want[0])
	t := f[name]
	if t == nil {
		t = &Tally{}
		f[name] = t
	}
	return t.Add(want, got)
}

// Write prints one line per family, most lines first.
func (f Families) Write(w io.Writer) {
	var names []string
	for n := range f {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if f[names[i]].Lines != f[names[j]].Lines {
			return f[names[i]].Lines > f[names[j]].Lines
		}
		return names[i] < names[j]
	})
	fmt.Fprintf(w, "%-14s %7s %7s %7s %8s\n", "family", "lines", "same", "share", "packets")
	for _, n := range names {
		t := f[n]
		fmt.Fprintf(w, "%-14s %7d %7d %6.1f%% %4d/%d\n", n, t.Lines, t.Same, t.Share(), t.PacketsSame, t.Packets)
	}
}

var numbered = regexp.MustCompile(`^ *([0-9]+)  (.*)$`)

// SplitNumbered splits `tcpdump -#` output into packets: a line that
// starts with a packet number opens packet number N (index N-1), other
// lines continue the packet before them.
func SplitNumbered(b []byte) [][]string {
	var pkts [][]string
	for _, l := range Lines(b) {
		if m := numbered.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			for len(pkts) < n-1 {
				pkts = append(pkts, nil)
			}
			pkts = append(pkts, []string{m[2]})
			continue
		}
		if len(pkts) > 0 {
			pkts[len(pkts)-1] = append(pkts[len(pkts)-1], l)
		}
	}
	return pkts
}

var stamp = regexp.MustCompile(`^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} `)

// SplitPackets splits output printed with default timestamps (wirekit
// read, or tcpdump without -#): a line starting with a time of day opens a
// packet, other lines continue it.
func SplitPackets(b []byte) [][]string {
	var pkts [][]string
	for _, l := range Lines(b) {
		if stamp.MatchString(l) || len(pkts) == 0 {
			pkts = append(pkts, []string{l})
			continue
		}
		pkts[len(pkts)-1] = append(pkts[len(pkts)-1], l)
	}
	return pkts
}

// Lines splits text into lines without the final newline.
func Lines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// WriteGolden writes packets per file as the golden TSV (path, packet
// number from 1, line; a continuation line repeats its packet's number),
// after the comment lines in header.
func WriteGolden(w io.Writer, header []string, files []string, pkts map[string][][]string) error {
	bw := bufio.NewWriter(w)
	for _, h := range header {
		fmt.Fprintf(bw, "# %s\n", h)
	}
	for _, rel := range files {
		for i, p := range pkts[rel] {
			for _, l := range p {
				fmt.Fprintf(bw, "%s\t%d\t%s\n", rel, i+1, l)
			}
		}
	}
	return bw.Flush()
}

// ReadGolden reads a gzipped golden TSV written by WriteGolden; name is
// used in errors, which give the line number.
func ReadGolden(r io.Reader, name string) (map[string][][]string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := map[string][][]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<22)
	for n := 1; sc.Scan(); n++ {
		t := sc.Text()
		if strings.HasPrefix(t, "#") {
			continue
		}
		parts := strings.SplitN(t, "\t", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s: line %d: want 3 tab-separated columns", name, n)
		}
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 1 {
			return nil, fmt.Errorf("%s: line %d: bad packet number %q", name, n, parts[1])
		}
		p := out[parts[0]]
		for len(p) < i {
			p = append(p, nil)
		}
		p[i-1] = append(p[i-1], parts[2])
		out[parts[0]] = p
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// familyPorts names the application protocol of a UDP or TCP port, as
// tcpdump chooses its dissector.
var familyPorts = map[string]string{
	"53": "dns", "5353": "mdns", "5355": "llmnr", "80": "http", "8080": "http", "3128": "http",
	"123": "ntp", "67": "dhcp", "68": "dhcp", "546": "dhcp6", "547": "dhcp6", "161": "snmp",
	"162": "snmp", "514": "syslog", "5060": "sip", "69": "tftp", "520": "rip", "521": "ripng",
	"179": "bgp", "443": "tls/quic", "4789": "vxlan", "6081": "geneve", "500": "isakmp",
	"4500": "isakmp", "1812": "radius", "1813": "radius", "137": "netbios", "138": "netbios",
	"139": "smb", "445": "smb", "2049": "nfs", "111": "rpc", "646": "ldp", "1701": "l2tp",
	"3784": "bfd", "4784": "bfd", "639": "msdp", "88": "kerberos", "389": "ldap",
	"1645": "radius", "1646": "radius", "5246": "capwap", "5247": "capwap", "319": "ptp", "320": "ptp",
	"2152": "gtp", "2123": "gtp", "1719": "h323", "1720": "h323", "3503": "lsp-ping", "6343": "sflow",
	"2055": "netflow", "9995": "netflow", "4739": "ipfix", "49": "tacacs", "1985": "hsrp", "6633": "openflow",
	"6653": "openflow", "3868": "diameter", "8472": "otv", "5678": "rrcp", "7": "echo", "9": "discard",
	"6379": "resp", "7000": "afs-rx", "7001": "afs-rx", "7002": "afs-rx", "7003": "afs-rx", "7004": "afs-rx",
	"7005": "afs-rx", "7006": "afs-rx", "7007": "afs-rx", "7008": "afs-rx", "7009": "afs-rx",
	"750": "kerberos", "6696": "babel", "4754": "gre-in-udp",
}

var (
	ipLine   = regexp.MustCompile(`^\S+ (IP6?) (?:truncated-ip6? - \d+ bytes missing! ?)?(\S+) > (\S+): (\S+)`)
	portOf   = regexp.MustCompile(`\.([0-9]+)$`)
	firstTok = regexp.MustCompile(`^\S+ (\S+)`)
	digits   = regexp.MustCompile(`[0-9]`)
)

// Family names the protocol family of a packet from the first line tcpdump
// prints for it: an application protocol by its port, else the word after
// the addresses (IP) or after the timestamp (other link layers).
func Family(line string) string {
	if strings.Contains(line, " MHz ") || strings.Contains(line, "Mb/s") || strings.Contains(line, "802.11") {
		return "802.11"
	}
	if m := ipLine.FindStringSubmatch(line); m != nil {
		for _, a := range []string{m[2], m[3]} {
			if p := portOf.FindStringSubmatch(a); p != nil {
				if f, ok := familyPorts[p[1]]; ok {
					return f
				}
			}
		}
		w := strings.TrimRight(m[4], ",:")
		switch {
		case w == "Flags":
			return "tcp"
		case w == "UDP":
			return "udp"
		case strings.HasPrefix(w, "ICMP6"):
			return "icmp6"
		case strings.HasPrefix(w, "ICMP"):
			return "icmp"
		case strings.HasPrefix(w, "GREv"), w == "ERSPAN", w == "VXLAN", w == "Geneve":
			return "tunnel"
		case strings.HasPrefix(w, "[|"):
			return strings.ToLower(m[1]) + "-truncated"
		}
		if v := strings.IndexAny(w, "0123456789"); v > 0 && len(w) <= 12 {
			return strings.ToLower(strings.TrimSuffix(w[:v], "v"))
		}
		if len(w) > 12 || digits.MatchString(w) || strings.ContainsAny(w, "=(") {
			return strings.ToLower(m[1]) + "-other"
		}
		return strings.ToLower(w)
	}
	if m := firstTok.FindStringSubmatch(line); m != nil {
		w := strings.TrimRight(m[1], ",:")
		if v := strings.IndexAny(w, "0123456789"); v > 0 && len(w) <= 12 && !strings.Contains(w, ":") {
			return strings.ToLower(strings.TrimSuffix(w[:v], "v"))
		}
		if digits.MatchString(w) {
			return "other"
		}
		return strings.ToLower(w)
	}
	return "other"
}
