package decode

import "encoding/binary"

var mgmtNames = [16]string{
	0: "Assoc Request", 1: "Assoc Response", 2: "ReAssoc Request", 3: "ReAssoc Response",
	4: "Probe Request", 5: "Probe Response", 8: "Beacon", 9: "ATIM", 10: "Disassociation",
	11: "Authentication", 12: "DeAuthentication", 13: "Action",
}

// wifiElems holds the information elements of a management body that
// tcpdump prints: the first SSID, the first non-empty rates and the
// first DS parameter set (channel).
type wifiElems struct {
	ssid, rates []byte
	hasSSID     bool
	hasRates    bool
	hasDS       bool
	channel     byte
	capability  uint16 // the fixed field, for ", PRIVACY"
}

// parse reads the elements of d (captured) whose wire length is length,
// as tcpdump's parse_elements: false when an element is cut off or longer
// than tcpdump accepts (what was read before is kept and printed).
func (e *wifiElems) parse(d []byte, length int) bool {
	off := 0
	for length > 0 {
		if len(d) < off+2 || length < 2 {
			return false
		}
		n := int(d[off+1])
		if len(d) < off+2+n || length < n+2 {
			return false
		}
		v := d[off+2 : off+2+n]
		switch d[off] {
		case 0: // SSID
			if n > 32 {
				return false
			}
			if !e.hasSSID {
				e.ssid, e.hasSSID = v, true
			}
		case 1: // supported rates
			if n > 16 {
				return false
			}
			if !e.hasRates && n != 0 {
				e.rates, e.hasRates = v, true
			}
		case 3: // DS parameter set
			if n == 1 && !e.hasDS {
				e.channel, e.hasDS = v[0], true
			}
		case 5: // TIM: a bitmap longer than tcpdump's buffer stops it
			if n > 3 && n-3 > 251 {
				return false
			}
		case 16: // challenge text
			if n > 253 {
				return false
			}
		}
		off += 2 + n
		length -= 2 + n
	}
	return true
}

// appendSSID appends " (SSID)" up to its first NUL, unprintable bytes
// escaped as tcpdump's fn_print_char does ("M-" for 8-bit, "^" for
// control characters).
func (e *wifiElems) appendSSID(b []byte) []byte {
	if !e.hasSSID {
		return b
	}
	b = append(b, " ("...)
	for _, c := range e.ssid {
		if c == 0 {
			break
		}
		b = appendWifiChar(b, c)
	}
	return append(b, ')')
}

// appendWifiChar appends c as tcpdump's fn_print_char.
func appendWifiChar(b []byte, c byte) []byte {
	if c >= 0x80 {
		c &= 0x7f
		b = append(b, "M-"...)
	}
	if c < 0x20 || c == 0x7f {
		c ^= 0x40
		b = append(b, '^')
	}
	return append(b, c)
}

// appendRates appends " [1.0* 2.0 ... Mbit]" (* marks a basic rate).
func (e *wifiElems) appendRates(b []byte) []byte {
	if !e.hasRates {
		return b
	}
	for i, r := range e.rates {
		if i == 0 {
			b = append(b, " ["...)
		} else {
			b = append(b, ' ')
		}
		b = appendHalves(b, int(r&0x7f))
		if r&0x80 != 0 {
			b = append(b, '*')
		}
	}
	return append(b, " Mbit]"...)
}

// appendChannel appends " CH: N" and ", PRIVACY" as the capability says.
func (e *wifiElems) appendChannel(b []byte) []byte {
	if e.hasDS {
		b = append(b, " CH: "...)
		b = appendUint(b, uint64(e.channel))
	}
	if e.capability&0x10 != 0 {
		b = append(b, ", PRIVACY"...)
	}
	return b
}

// dot11Mgmt prints a management frame's subtype and body; sa is the
// header's source address, d the body (captured) and length its wire
// length. false means tcpdump's " [|802.11]" follows.
func (p *Printer) dot11Mgmt(b []byte, fc uint16, sa, d []byte, length int) ([]byte, bool) {
	sub := int(fc >> 4 & 0xf)
	if n := mgmtNames[sub]; n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "Unhandled Management subtype("...)
		b = appendHex(b, uint64(sub), 0)
		b = append(b, ')')
	}
	if fc&0x4000 != 0 {
		return appendWEP(b, d)
	}
	have := func(n int) bool { return len(d) >= n && length >= n }
	var e wifiElems
	switch sub {
	case 0, 2: // (re)association request: capability, listen interval[, AP]
		fixed := 4
		if sub == 2 {
			fixed = 10
		}
		if !have(fixed) {
			return b, false
		}
		ok := e.parse(d[fixed:], length-fixed)
		b = e.appendSSID(b)
		if sub == 2 {
			b = append(b, " AP : "...)
			b = appendMAC(b, d[4:10])
		} else {
			b = e.appendRates(b)
		}
		return b, ok
	case 1, 3: // (re)association response: capability, status, AID
		if !have(6) {
			return b, false
		}
		capInfo, status, aid := binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:]), binary.LittleEndian.Uint16(d[4:])
		ok := e.parse(d[6:], length-6)
		b = append(b, " AID("...)
		b = appendHex(b, uint64(aid&0x3fff), 0)
		b = append(b, ") :"...)
		if capInfo&0x10 != 0 {
			b = append(b, " PRIVACY "...)
		}
		b = append(b, ": "...)
		return appendStatus(b, status), ok
	case 4: // probe request
		ok := e.parse(d, length)
		b = e.appendSSID(b)
		return e.appendRates(b), ok
	case 5, 8: // probe response, beacon: timestamp, interval, capability
		if !have(12) {
			return b, false
		}
		e.capability = binary.LittleEndian.Uint16(d[10:])
		ok := e.parse(d[12:], length-12)
		b = e.appendSSID(b)
		b = e.appendRates(b)
		if sub == 8 {
			if e.capability&1 != 0 {
				b = append(b, " ESS"...)
			} else {
				b = append(b, " IBSS"...)
			}
		}
		return e.appendChannel(b), ok
	case 10: // disassociation
		if !have(2) {
			return b, false
		}
		b = append(b, ": "...)
		return appendReason(b, binary.LittleEndian.Uint16(d)), true
	case 11: // authentication: algorithm, sequence, status
		if !have(6) {
			return b, false
		}
		alg, seq, status := binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:]), binary.LittleEndian.Uint16(d[4:])
		ok := e.parse(d[6:], length-6)
		b = append(b, " ("...)
		switch alg {
		case 0:
			b = append(b, "Open System"...)
		case 1:
			b = append(b, "Shared Key"...)
		case 2:
			b = append(b, "EAP"...)
		default:
			b = append(b, "Reserved"...)
		}
		b = append(b, ")-"...)
		b = appendHex(b, uint64(seq), 0)
		if alg == 1 && (seq == 2 || seq == 3) {
			b = append(b, " [Challenge Text] "...)
		} else {
			b = append(b, ": "...)
		}
		if seq%2 == 1 {
			b = appendStatus(b, status)
		}
		return b, ok
	case 12: // deauthentication
		if !have(2) {
			return b, false
		}
		if !p.opts.Link {
			b = append(b, " ("...)
			b = appendMAC(b, sa)
			b = append(b, ')')
		}
		b = append(b, ": "...)
		return appendReason(b, binary.LittleEndian.Uint16(d)), true
	case 13: // action: category, action
		if !have(2) {
			return b, false
		}
		if !p.opts.Link {
			b = append(b, " ("...)
			b = appendMAC(b, sa)
			b = append(b, ')')
		}
		b = append(b, ": "...)
		return appendAction(b, d[0], d[1]), true
	}
	return b, true
}

func appendReason(b []byte, r uint16) []byte {
	if int(r) < len(wifiReasons) {
		return append(b, wifiReasons[r]...)
	}
	return append(b, "Reserved"...)
}

func appendStatus(b []byte, s uint16) []byte {
	if int(s) < len(wifiStatuses) {
		return append(b, wifiStatuses[s]...)
	}
	return append(b, "n/a"...)
}

// Action frame names by category, indexed by the action code.
var (
	baActions       = []string{"ADDBA Request", "ADDBA Response", "DELBA"}
	htActions       = []string{"TxChWidth", "MIMOPwrSave"}
	meshActions     = []string{"MeshLink", "HWMP", "Gate Announcement", "Congestion Control", "MCCA Setup Request", "MCCA Setup Reply", "MCCA Advertisement Request", "MCCA Advertisement", "MCCA Teardown", "TBTT Adjustment Request", "TBTT Adjustment Response"}
	multihopActions = []string{"Proxy Update", "Proxy Update Confirmation"}
	selfprotActions = []string{"", "Peering Open", "Peering Confirm", "Peering Close", "Group Key Inform", "Group Key Acknowledge"}
)

// appendAction appends an action frame's category and action.
func appendAction(b []byte, cat, act byte) []byte {
	var names []string
	switch cat {
	case 0:
		b = append(b, "Spectrum Management "...)
	case 1:
		b = append(b, "QoS "...)
	case 2:
		b = append(b, "DLS "...)
	case 3:
		b, names = append(b, "BA "...), baActions
	case 7:
		b, names = append(b, "HT "...), htActions
	case 13:
		b, names = append(b, "MeshAction "...), meshActions
	case 14:
		b, names = append(b, "MultiohopAction "...), multihopActions
	case 15:
		b, names = append(b, "SelfprotectAction "...), selfprotActions
	case 127:
		b = append(b, "Vendor "...)
	default:
		b = append(b, "Reserved("...)
		b = appendUint(b, uint64(cat))
		b = append(b, ") "...)
	}
	if int(act) < len(names) && names[act] != "" {
		return append(b, names[act]...)
	}
	b = append(b, "Act#"...)
	return appendUint(b, uint64(act))
}
