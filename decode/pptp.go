package decode

// PPTP control messages over TCP port 1723, as tcpdump prints them:
// ": pptp CTRL_MSGTYPE=NAME" then every field of the message as
// NAME(value); -v adds the length, message type, magic cookie and the
// meaning of result and error codes. Running out of captured bytes ends
// the line with [|pptp].
//
//	| length 2 | msg type 2 | magic 4 | ctrl type 2 | reserved 2 | body |

const pptpMagic = 0x1a2b3c4d

var pptpMsgTypes = [16]string{"NOT_DEFINED", "SCCRQ", "SCCRP", "StopCCRQ", "StopCCRP",
	"ECHORQ", "ECHORP", "OCRQ", "OCRP", "ICRQ", "ICRP", "ICCN", "CCRQ", "CDN", "WEN", "SLI"}

var pptpErrCodes = [7]string{"None", "Not-Connected", "Bad-Format", "Bad-Value", "No-Resource",
	"Bad-Call-ID", "PAC-Error"}

// pptpResults names result codes per message type, from 1.
var (
	pptpSCCRPResults = []string{"Successful channel establishment", "General error",
		"Command channel already exists",
		"Requester is not authorized to establish a command channel",
		"The protocol version of the requester is not supported"}
	pptpEchoResults = []string{"OK", "General Error"}
	pptpOCRPResults = []string{"Connected", "General Error", "No Carrier", "Busy", "No Dial Tone",
		"Time-out", "Do Not Accept"}
	pptpICRPResults = []string{"Connect", "General Error", "Do Not Accept"}
	pptpCDNResults  = []string{"Lost Carrier", "General Error", "Admin Shutdown", "Request"}
)

// fieldPrinter prints fixed fields in order; once a read runs past the
// captured data (bad), nothing more is printed.
type fieldPrinter struct {
	b       []byte
	d       []byte
	p       int
	bad     bool
	verbose int
}

func (f *fieldPrinter) need(n int) bool {
	if f.bad || f.p+n > len(f.d) {
		f.bad = true
		return false
	}
	return true
}

func (f *fieldPrinter) u8() (uint32, bool) {
	if !f.need(1) {
		return 0, false
	}
	f.p++
	return uint32(f.d[f.p-1]), true
}

func (f *fieldPrinter) u16() (uint32, bool) {
	if !f.need(2) {
		return 0, false
	}
	f.p += 2
	return uint32(be16(f.d[f.p-2:])), true
}

func (f *fieldPrinter) u32() (uint32, bool) {
	if !f.need(4) {
		return 0, false
	}
	f.p += 4
	return be32(f.d[f.p-4:]), true
}

// get reads a field of width 1, 2 or 4 bytes.
func (f *fieldPrinter) get(width int) (uint32, bool) {
	switch width {
	case 1:
		return f.u8()
	case 2:
		return f.u16()
	}
	return f.u32()
}

// num prints " NAME(value)" of a field width bytes wide.
func (f *fieldPrinter) num(name string, width int) {
	if v, ok := f.get(width); ok {
		f.b = append(f.b, ' ')
		f.b = append(f.b, name...)
		f.b = append(f.b, '(')
		f.b = appendUint(f.b, uint64(v))
		f.b = append(f.b, ')')
	}
}

// reserved reads a reserved field width bytes wide and says so when it is
// not zero.
func (f *fieldPrinter) reserved(width int) {
	if v, ok := f.get(width); ok && v != 0 {
		f.b = append(f.b, " [ERROR: reserved="...)
		f.b = appendUint(f.b, uint64(v))
		f.b = append(f.b, " must be zero]"...)
	}
}

// text prints " NAME(string)": a NUL-padded field of size bytes, of which
// at most max are printed.
func (f *fieldPrinter) text(name string, size, max int) {
	if f.bad {
		return
	}
	f.b = append(f.b, ' ')
	f.b = append(f.b, name...)
	f.b = append(f.b, '(')
	for i := 0; i < max; i++ {
		if f.p+i >= len(f.d) {
			f.bad = true
			return
		}
		c := f.d[f.p+i]
		if c == 0 {
			break
		}
		f.b = appendEscapedByte(f.b, c)
	}
	f.b = append(f.b, ')')
	f.p += size
}

// mask prints " NAME(" then the letters of the set bits, in order.
func (f *fieldPrinter) mask(name string, bits [2]uint32, letters [2]byte) {
	v, ok := f.u32()
	if !ok {
		return
	}
	f.b = append(f.b, ' ')
	f.b = append(f.b, name...)
	f.b = append(f.b, '(')
	for i, bit := range bits {
		if v&bit != 0 {
			f.b = append(f.b, letters[i])
		}
	}
	f.b = append(f.b, ')')
}

// kind prints " NAME(A|D|Any|S|E)" of a bearer or framing type.
func (f *fieldPrinter) kind(name string, names [4]string) {
	v, ok := f.u32()
	if !ok {
		return
	}
	f.b = append(f.b, ' ')
	f.b = append(f.b, name...)
	f.b = append(f.b, '(')
	if v >= 1 && v <= 3 {
		f.b = append(f.b, names[v]...)
	} else {
		f.b = append(f.b, '?')
	}
	f.b = append(f.b, ')')
}

// result prints " RESULT_CODE(n[:meaning])".
func (f *fieldPrinter) result(names []string) {
	v, ok := f.u8()
	if !ok {
		return
	}
	f.b = append(f.b, " RESULT_CODE("...)
	f.b = appendUint(f.b, uint64(v))
	if f.verbose > 0 && names != nil {
		f.b = append(f.b, ':')
		if v >= 1 && int(v) <= len(names) {
			f.b = append(f.b, names[v-1]...)
		} else {
			f.b = append(f.b, '?')
		}
	}
	f.b = append(f.b, ')')
}

// errCode prints " ERR_CODE(n[:meaning])".
func (f *fieldPrinter) errCode() {
	v, ok := f.u8()
	if !ok {
		return
	}
	f.b = append(f.b, " ERR_CODE("...)
	f.b = appendUint(f.b, uint64(v))
	if f.verbose > 0 {
		f.b = append(f.b, ':')
		if int(v) < len(pptpErrCodes) {
			f.b = append(f.b, pptpErrCodes[v]...)
		} else {
			f.b = append(f.b, '?')
		}
	}
	f.b = append(f.b, ')')
}

// protoVer prints " PROTO_VER(version.revision)".
func (f *fieldPrinter) protoVer() {
	if v, ok := f.u16(); ok {
		f.b = append(f.b, " PROTO_VER("...)
		f.b = appendUint(f.b, uint64(v>>8))
		f.b = append(f.b, '.')
		f.b = appendUint(f.b, uint64(v&0xff))
		f.b = append(f.b, ')')
	}
}

// hexField prints " NAME(0x%08x)".
func (f *fieldPrinter) hexField(name string) {
	if v, ok := f.u32(); ok {
		f.b = append(f.b, ' ')
		f.b = append(f.b, name...)
		f.b = append(f.b, "(0x"...)
		f.b = appendHex(f.b, uint64(v), 8)
		f.b = append(f.b, ')')
	}
}

var (
	pptpBearerTypes  = [4]string{1: "A", 2: "D", 3: "Any"}
	pptpFramingTypes = [4]string{1: "A", 2: "S", 3: "E"}
)

// pptp prints a PPTP control message; d is the captured TCP payload.
func pptp(b, d []byte, verbose int) []byte {
	f := fieldPrinter{b: append(b, ": pptp"...), d: d, verbose: verbose}
	l, _ := f.u16()
	if verbose > 0 && !f.bad {
		f.b = append(f.b, " Length="...)
		f.b = appendUint(f.b, uint64(l))
	}
	mt, _ := f.u16()
	if verbose > 0 && !f.bad {
		switch mt {
		case 1:
			f.b = append(f.b, " CTRL-MSG"...)
		case 2:
			f.b = append(f.b, " MGMT-MSG"...)
		default:
			f.b = append(f.b, " UNKNOWN-MSG-TYPE"...)
		}
	}
	mc, _ := f.u32()
	if !f.bad && mc != pptpMagic {
		f.b = append(f.b, " UNEXPECTED Magic-Cookie!!("...)
		f.b = appendHex(f.b, uint64(mc), 8)
		f.b = append(f.b, ')')
	}
	if !f.bad && (verbose > 0 || mc != pptpMagic) {
		f.b = append(f.b, " Magic-Cookie="...)
		f.b = appendHex(f.b, uint64(mc), 8)
	}
	ct, _ := f.u16()
	if !f.bad {
		if int(ct) < len(pptpMsgTypes) {
			f.b = append(f.b, " CTRL_MSGTYPE="...)
			f.b = append(f.b, pptpMsgTypes[ct]...)
		} else {
			f.b = append(f.b, " UNKNOWN_CTRL_MSGTYPE("...)
			f.b = appendUint(f.b, uint64(ct))
			f.b = append(f.b, ')')
		}
	}
	f.reserved(2)
	switch ct {
	case 1, 2: // SCCRQ, SCCRP
		f.protoVer()
		if ct == 1 {
			f.reserved(2)
		} else {
			f.result(pptpSCCRPResults)
			f.errCode()
		}
		f.mask("FRAME_CAP", [2]uint32{1, 2}, [2]byte{'A', 'S'})
		f.mask("BEARER_CAP", [2]uint32{2, 1}, [2]byte{'D', 'A'})
		f.num("MAX_CHAN", 2)
		f.num("FIRM_REV", 2)
		f.text("HOSTNAME", 64, 64)
		f.text("VENDOR", 64, 64)
	case 3: // StopCCRQ
		if v, ok := f.u8(); ok {
			f.b = append(f.b, " REASON("...)
			f.b = appendUint(f.b, uint64(v))
			if verbose > 0 {
				switch v {
				case 1:
					f.b = append(f.b, ":None"...)
				case 2:
					f.b = append(f.b, ":Stop-Protocol"...)
				case 3:
					f.b = append(f.b, ":Stop-Local-Shutdown"...)
				default:
					f.b = append(f.b, ":?"...)
				}
			}
			f.b = append(f.b, ')')
		}
		f.reserved(1)
		f.reserved(2)
	case 4: // StopCCRP
		f.result(pptpEchoResults)
		f.errCode()
		f.reserved(2)
	case 5: // ECHORQ
		f.num("ID", 4)
	case 6: // ECHORP
		f.num("ID", 4)
		f.result(pptpEchoResults)
		f.errCode()
		f.reserved(2)
	case 7: // OCRQ
		f.num("CALL_ID", 2)
		f.num("CALL_SER_NUM", 2)
		f.num("MIN_BPS", 4)
		f.num("MAX_BPS", 4)
		f.kind("BEARER_TYPE", pptpBearerTypes)
		f.kind("FRAME_TYPE", pptpFramingTypes)
		f.num("RECV_WIN", 2)
		f.num("PROC_DELAY", 2)
		n, ok := f.u16()
		if ok {
			f.b = append(f.b, " PHONE_NO_LEN("...)
			f.b = appendUint(f.b, uint64(n))
			f.b = append(f.b, ')')
		}
		f.reserved(2)
		f.text("PHONE_NO", 64, int(min(64, n)))
		f.text("SUB_ADDR", 64, 64)
	case 8: // OCRP
		f.num("CALL_ID", 2)
		f.num("PEER_CALL_ID", 2)
		f.result(pptpOCRPResults)
		f.errCode()
		f.num("CAUSE_CODE", 2)
		f.num("CONN_SPEED", 4)
		f.num("RECV_WIN", 2)
		f.num("PROC_DELAY", 2)
		f.num("PHY_CHAN_ID", 4)
	case 9: // ICRQ
		f.num("CALL_ID", 2)
		f.num("CALL_SER_NUM", 2)
		f.kind("BEARER_TYPE", pptpBearerTypes)
		f.num("PHY_CHAN_ID", 4)
		dn, _ := f.u16()
		if !f.bad {
			f.b = append(f.b, " DIALED_NO_LEN("...)
			f.b = appendUint(f.b, uint64(dn))
			f.b = append(f.b, ')')
		}
		gn, _ := f.u16()
		if !f.bad {
			f.b = append(f.b, " DIALING_NO_LEN("...)
			f.b = appendUint(f.b, uint64(gn))
			f.b = append(f.b, ')')
		}
		f.text("DIALED_NO", 64, int(min(64, dn)))
		f.text("DIALING_NO", 64, int(min(64, gn)))
		f.text("SUB_ADDR", 64, 64)
	case 10: // ICRP
		f.num("CALL_ID", 2)
		f.num("PEER_CALL_ID", 2)
		f.result(pptpICRPResults)
		f.errCode()
		f.num("RECV_WIN", 2)
		f.num("PROC_DELAY", 2)
		f.reserved(2)
	case 11: // ICCN
		f.num("PEER_CALL_ID", 2)
		f.reserved(2)
		f.num("CONN_SPEED", 4)
		f.num("RECV_WIN", 2)
		f.num("PROC_DELAY", 2)
		f.kind("FRAME_TYPE", pptpFramingTypes)
	case 12: // CCRQ
		f.num("CALL_ID", 2)
		f.reserved(2)
	case 13: // CDN
		f.num("CALL_ID", 2)
		f.result(pptpCDNResults)
		f.errCode()
		f.num("CAUSE_CODE", 2)
		f.reserved(2)
		f.text("CALL_STATS", 128, 128)
	case 14: // WEN
		f.num("PEER_CALL_ID", 2)
		f.reserved(2)
		for _, n := range [...]string{"CRC_ERR", "FRAMING_ERR", "HARDWARE_OVERRUN", "BUFFER_OVERRUN", "TIMEOUT_ERR", "ALIGN_ERR"} {
			f.num(n, 4)
		}
	case 15: // SLI
		f.num("PEER_CALL_ID", 2)
		f.reserved(2)
		f.hexField("SEND_ACCM")
		f.hexField("RECV_ACCM")
	}
	if f.bad {
		return appendTrunc(f.b, "pptp")
	}
	return f.b
}
