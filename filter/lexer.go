package filter

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// tokKind is the kind of a lexical token, after libpcap's scanner.l.
type tokKind int

const (
	tEOF tokKind = iota
	tNUM
	tID
	tHID  // dotted IPv4 address or prefix of one: 10, 10.1, 10.1.2, 10.1.2.3
	tHID6 // IPv6 address
	tEID  // MAC address
	tAID  // ARCnet address ($xx)
	tAND
	tOR
	tNOT // "not" and "!"
	tLPAREN
	tRPAREN
	tLBRACK
	tRBRACK
	tCOLON
	tPLUS
	tMINUS
	tSTAR
	tSLASH
	tPERCENT
	tAMP
	tPIPE
	tCARET
	tLSH
	tRSH
	tGT
	tGEQ
	tLT
	tLEQ
	tEQ
	tNEQ
	tKeyword // Text holds the canonical keyword; see keywords
)

// token is one lexical token. Pos is its byte offset in the expression.
type token struct {
	kind tokKind
	pos  int
	text string // keyword (canonical), identifier or address text
	num  uint32
	err  string // a scanner error to report if the parser reaches this token
}

// keywords maps each reserved word to its canonical spelling (aliases
// such as "ether" for "link" keep their own spelling where the grammar
// uses it in messages; canon is what the parser switches on).
var keywords = map[string]string{
	"dst": "dst", "src": "src",
	"link": "link", "ether": "link", "ppp": "link", "slip": "link",
	"fddi": "link", "tr": "link", "wlan": "link",
	"arp": "arp", "rarp": "rarp", "ip": "ip", "sctp": "sctp", "tcp": "tcp",
	"udp": "udp", "icmp": "icmp", "igmp": "igmp", "igrp": "igrp", "pim": "pim",
	"vrrp": "vrrp", "carp": "carp", "radio": "radio", "ip6": "ip6",
	"icmp6": "icmp6", "ah": "ah", "esp": "esp", "atalk": "atalk",
	"aarp": "aarp", "decnet": "decnet", "lat": "lat", "sca": "sca",
	"moprc": "moprc", "mopdl": "mopdl", "iso": "iso", "esis": "esis",
	"es-is": "esis", "isis": "isis", "is-is": "isis", "l1": "l1", "l2": "l2",
	"iih": "iih", "lsp": "lsp", "snp": "snp", "csnp": "csnp", "psnp": "psnp",
	"clnp": "clnp", "stp": "stp", "ipx": "ipx", "netbeui": "netbeui",
	"host": "host", "net": "net", "mask": "mask", "port": "port",
	"portrange": "portrange", "proto": "proto", "protochain": "protochain",
	"gateway": "gateway", "type": "type", "subtype": "subtype",
	"direction": "dir", "dir": "dir",
	"address1": "addr1", "addr1": "addr1", "address2": "addr2", "addr2": "addr2",
	"address3": "addr3", "addr3": "addr3", "address4": "addr4", "addr4": "addr4",
	"ra": "ra", "ta": "ta", "less": "less", "greater": "greater",
	"byte": "byte", "broadcast": "broadcast", "multicast": "multicast",
	"and": "and", "or": "or", "not": "not", "len": "len", "length": "len",
	"inbound": "inbound", "outbound": "outbound", "ifindex": "ifindex",
	"vlan": "vlan", "mpls": "mpls", "pppoed": "pppoed", "pppoes": "pppoes",
	"geneve": "geneve", "vxlan": "vxlan", "lane": "lane", "llc": "llc", "metac": "metac",
	"bcc": "bcc", "oam": "oam", "oamf4": "oamf4", "oamf4ec": "oamf4ec",
	"oamf4sc": "oamf4sc", "sc": "sc", "ilmic": "ilmic", "vpi": "vpi",
	"vci": "vci", "connectmsg": "connectmsg", "metaconnect": "metaconnect",
	"on": "ifname", "ifname": "ifname", "rset": "rset", "ruleset": "rset",
	"rnr": "rnr", "rulenum": "rnr", "srnr": "srnr", "subrulenum": "srnr",
	"reason": "reason", "action": "action",
	"fisu": "fisu", "lssu": "lssu", "lsu": "lssu", "msu": "msu",
	"hfisu": "hfisu", "hlssu": "hlssu", "hmsu": "hmsu", "sio": "sio",
	"opc": "opc", "dpc": "dpc", "sls": "sls", "hsio": "hsio", "hopc": "hopc",
	"hdpc": "hdpc", "hsls": "hsls",
}

// namedNums are the words the scanner turns into numbers.
var namedNums = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4,
	"icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9,
	"icmp-routersolicit": 10, "icmp-timxceed": 11, "icmp-paramprob": 12,
	"icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2,
	"icmp6-timeexceeded": 3, "icmp6-parameterproblem": 4,
	"icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
	"icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135,
	"icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
	"icmp6-nodeinformationresponse": 140, "icmp6-ineighbordiscoverysolicit": 141,
	"icmp6-ineighbordiscoveryadvert": 142, "icmp6-multicastlistenerreportv2": 143,
	"icmp6-homeagentdiscoveryrequest": 144, "icmp6-homeagentdiscoveryreply": 145,
	"icmp6-mobileprefixsolicit": 146, "icmp6-mobileprefixadvert": 147,
	"icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
	"icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
	"icmp6-multicastrouterterm": 153,
	"tcpflags":                  13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04,
	"tcp-push": 0x08, "tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40,
	"tcp-cwr": 0x80,
}

// The scanner's patterns, anchored. Go's POSIX (leftmost-longest) regexps
// give flex's longest-match rule within one pattern; lex picks the longest
// across patterns and breaks ties by rule order.
var (
	reID    = regexp.MustCompilePOSIX(`^[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?`)
	reNum   = regexp.MustCompilePOSIX(`^([0-9]+|0[xX][0-9A-Fa-f]+)`)
	reHID   = regexp.MustCompilePOSIX(`^(0[xX][0-9A-Fa-f]+|[0-9]+)(\.(0[xX][0-9A-Fa-f]+|[0-9]+)){1,3}`)
	reMAC   = regexp.MustCompilePOSIX(`^([0-9A-Fa-f][0-9A-Fa-f]?:[0-9A-Fa-f][0-9A-Fa-f]?:[0-9A-Fa-f][0-9A-Fa-f]?:[0-9A-Fa-f][0-9A-Fa-f]?:[0-9A-Fa-f][0-9A-Fa-f]?:[0-9A-Fa-f][0-9A-Fa-f]?|[0-9A-Fa-f][0-9A-Fa-f]?-[0-9A-Fa-f][0-9A-Fa-f]?-[0-9A-Fa-f][0-9A-Fa-f]?-[0-9A-Fa-f][0-9A-Fa-f]?-[0-9A-Fa-f][0-9A-Fa-f]?-[0-9A-Fa-f][0-9A-Fa-f]?|[0-9A-Fa-f][0-9A-Fa-f]?\.[0-9A-Fa-f][0-9A-Fa-f]?\.[0-9A-Fa-f][0-9A-Fa-f]?\.[0-9A-Fa-f][0-9A-Fa-f]?\.[0-9A-Fa-f][0-9A-Fa-f]?\.[0-9A-Fa-f][0-9A-Fa-f]?|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})`)
	reBogus = regexp.MustCompilePOSIX(`^[0-9A-Fa-f][0-9A-Fa-f]?:+([0-9A-Fa-f][0-9A-Fa-f]?:+)+`)
	reV6    = regexp.MustCompilePOSIX(`^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(:[0-9A-Fa-fxX]+\.[0-9A-Fa-fxX]+\.[0-9A-Fa-fxX]+\.[0-9A-Fa-fxX]+)?`)
	reAID   = regexp.MustCompilePOSIX(`^\$[0-9A-Fa-f][0-9A-Fa-f]?`)
)

// lex splits expr into tokens. Scanner errors are attached to the token
// (kind tEOF with err set) so that they surface where libpcap's parser
// would meet them.
func lex(expr string) []token {
	var toks []token
	i := 0
	for i < len(expr) {
		c := expr[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		t, n := lexOne(expr[i:])
		t.pos = i
		toks = append(toks, t)
		if t.err != "" {
			return toks
		}
		i += n
	}
	return append(toks, token{kind: tEOF, pos: len(expr)})
}

var twoChar = map[string]tokKind{
	">=": tGEQ, "<=": tLEQ, "!=": tNEQ, "==": tEQ, "<<": tLSH, ">>": tRSH,
	"&&": tAND, "||": tOR,
}

var oneChar = map[byte]tokKind{
	'+': tPLUS, '-': tMINUS, '*': tSTAR, '/': tSLASH, '%': tPERCENT,
	':': tCOLON, '[': tLBRACK, ']': tRBRACK, '!': tNOT, '<': tLT, '>': tGT,
	'(': tLPAREN, ')': tRPAREN, '&': tAMP, '|': tPIPE, '^': tCARET, '=': tEQ,
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '$' || c == '-'
}

func lexOne(s string) (token, int) {
	full := s
	if len(s) >= 2 {
		if k, ok := twoChar[s[:2]]; ok {
			return token{kind: k, text: s[:2]}, 2
		}
	}
	if s[0] == '\\' {
		j := 1
		for j < len(s) && !strings.ContainsRune(" !()\n\t", rune(s[j])) {
			j++
		}
		if j > 1 {
			return token{kind: tID, text: s[1:j]}, j
		}
	}
	// No pattern token extends past a character outside [A-Za-z0-9_.:$-];
	// matching only that word keeps the regexps linear in token length.
	w := 0
	if c := s[0]; c != '-' && c != '.' && c != '_' { // no token starts with these
		for w < len(s) && isWordByte(s[w]) {
			w++
		}
	}
	s = s[:w]
	if t, ok := quickWord(s); ok {
		return t, w
	}
	if w == 0 {
		if k, ok := oneChar[full[0]]; ok {
			return token{kind: k, text: full[:1]}, 1
		}
		return token{kind: tEOF, err: "syntax error"}, 1
	}
	// Longest match over the pattern rules, ties to the earlier rule.
	type cand struct {
		n    int
		kind tokKind
	}
	best := cand{}
	try := func(re *regexp.Regexp, k tokKind) {
		if loc := re.FindStringIndex(s); loc != nil && loc[1] > best.n {
			best = cand{loc[1], k}
		}
	}
	idLen := 0
	if loc := reID.FindStringIndex(s); loc != nil {
		idLen = loc[1]
	}
	// Keywords and named numbers are literal rules listed before the
	// generic ones; they win a tie with the identifier pattern.
	if idLen > 0 {
		w := s[:idLen]
		if _, ok := keywords[w]; ok {
			best = cand{idLen, tKeyword}
		}
	}
	try(reAID, tAID)
	try(reMAC, tEID)
	try(reNum, tNUM)
	try(reHID, tHID)
	if n := v6Len(s); n > best.n {
		best = cand{n, tHID6}
	}
	v6n := best.n
	try(reBogus, -1)
	if idLen > 0 {
		if _, ok := namedNums[s[:idLen]]; ok && idLen > best.n {
			best = cand{idLen, -2}
		}
	}
	if idLen > best.n {
		best = cand{idLen, tID}
	}
	if best.n == 0 {
		if k, ok := oneChar[full[0]]; ok {
			return token{kind: k, text: full[:1]}, 1
		}
		return token{kind: tEOF, err: "syntax error"}, 1
	}
	text := s[:best.n]
	switch best.kind {
	case tKeyword:
		switch kw := keywords[text]; kw {
		case "and":
			return token{kind: tAND, text: kw}, best.n
		case "or":
			return token{kind: tOR, text: kw}, best.n
		case "not":
			return token{kind: tNOT, text: kw}, best.n
		default:
			return token{kind: tKeyword, text: kw}, best.n
		}
	case -2:
		return token{kind: tNUM, text: text, num: namedNums[text]}, best.n
	case -1:
		return token{kind: tEOF, err: "bogus ethernet address " + text}, best.n
	case tNUM:
		v, msg := parseNum(text)
		if msg != "" {
			return token{kind: tEOF, err: msg}, best.n
		}
		return token{kind: tNUM, text: text, num: v}, best.n
	}
	if best.kind == tHID6 && best.n == v6n {
		if a, err := netip.ParseAddr(text); err != nil || !a.Is6() || a.Zone() != "" {
			return token{kind: tEOF, err: "bogus IPv6 address " + text}, best.n
		}
	}
	return token{kind: best.kind, text: text}, best.n
}

// quickWord lexes the words long filters are made of (keywords, decimal
// numbers, dotted-quad IPv4 addresses) without the patterns, which give
// the same tokens far more slowly. Words of 12 characters or more are
// left to the patterns: 12 hex digits are a MAC address.
func quickWord(s string) (token, bool) {
	if len(s) == 0 || len(s) >= 12 {
		return token{}, false
	}
	letters, digits, dots := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return token{}, false
		}
	}
	switch {
	case letters == len(s):
		kw, ok := keywords[s]
		if !ok {
			return token{}, false
		}
		switch kw {
		case "and":
			return token{kind: tAND, text: kw}, true
		case "or":
			return token{kind: tOR, text: kw}, true
		case "not":
			return token{kind: tNOT, text: kw}, true
		}
		return token{kind: tKeyword, text: kw}, true
	case digits == len(s):
		v, msg := parseNum(s)
		if msg != "" {
			return token{kind: tEOF, err: msg}, true
		}
		return token{kind: tNUM, text: s, num: v}, true
	case dots == 3 && letters == 0 && s[0] != '.' && s[len(s)-1] != '.' && !strings.Contains(s, ".."):
		return token{kind: tHID, text: s}, true
	}
	return token{}, false
}

// v6Len returns the length of the longest prefix of s that has the shape
// of an IPv6 address as libpcap's scanner patterns describe it: groups of
// 1 to 4 hex digits, eight of them or fewer around one "::", the last two
// possibly written as four dotted numbers. Whether it is a valid address
// is checked after (libpcap says "bogus IPv6 address" when it is not).
func v6Len(s string) int {
	loc := reV6.FindStringIndex(s)
	if loc == nil {
		return 0
	}
	t := s[:min(loc[1], 80)]
	for n := len(t); n >= 2; n-- {
		if v6Shape(t[:n]) {
			return n
		}
	}
	return 0
}

// v6Shape reports whether s has the shape v6Len looks for.
func v6Shape(s string) bool {
	hex := func(g string) bool {
		if len(g) < 1 || len(g) > 4 {
			return false
		}
		for _, c := range g {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
		return true
	}
	num := func(n string) bool { // libpcap's N: decimal, or 0x hex
		if len(n) > 2 && n[0] == '0' && (n[1] == 'x' || n[1] == 'X') {
			n = n[2:]
			for _, c := range n {
				if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
					return false
				}
			}
			return true
		}
		for _, c := range n {
			if c < '0' || c > '9' {
				return false
			}
		}
		return n != ""
	}
	// groups counts the groups of one side of "::"; last says whether the
	// side ends the address (and so may end in a dotted quad).
	groups := func(side string, last bool) int {
		if side == "" {
			return 0
		}
		gs := strings.Split(side, ":")
		n := 0
		for i, g := range gs {
			if last && i == len(gs)-1 && strings.Contains(g, ".") {
				q := strings.Split(g, ".")
				if len(q) != 4 || !num(q[0]) || !num(q[1]) || !num(q[2]) || !num(q[3]) {
					return -1
				}
				n += 2
				continue
			}
			if !hex(g) {
				return -1
			}
			n++
		}
		return n
	}
	if l, r, ok := strings.Cut(s, "::"); ok {
		if strings.Contains(r, "::") {
			return false
		}
		a, b := groups(l, false), groups(r, true)
		return a >= 0 && b >= 0 && a+b <= 7
	}
	return groups(s, true) == 8
}

// parseNum converts a NUM token as libpcap's stou does: 0x hex, leading 0
// octal, else decimal, with its overflow and octal-digit errors.
func parseNum(s string) (uint32, string) {
	var n uint64
	switch {
	case len(s) > 1 && (s[1] == 'x' || s[1] == 'X'):
		for _, c := range s[2:] {
			var d uint64
			switch {
			case c >= '0' && c <= '9':
				d = uint64(c - '0')
			case c >= 'a' && c <= 'f':
				d = uint64(c-'a') + 10
			default:
				d = uint64(c-'A') + 10
			}
			n = n<<4 + d
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	case s[0] == '0':
		for _, c := range s {
			if c > '7' {
				return 0, fmt.Sprintf("number %s contains non-octal digit", s)
			}
			n = n<<3 + uint64(c-'0')
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	default:
		for _, c := range s {
			n = n*10 + uint64(c-'0')
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	}
	return uint32(n), ""
}
