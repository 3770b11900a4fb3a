package decode

import "strconv"

// SNMP (v1, v2c and v3 with USM) over UDP 161 and 162, printed as tcpdump
// -n prints it: the community when not "public", the PDU type and length,
// error status, the trap fields and each variable binding as a numeric OID
// with its value; -v adds the version, request id and braces. The BER
// decoding reproduces tcpdump's, including its bracketed complaints about
// malformed encodings.

// berElem is one decoded BER element.
type berElem struct {
	asnlen  uint32
	data    []byte // the contents (captured: the decoder checks them)
	integer int32
	uns     uint32
	uns64   uint64
	id      uint8
	form    uint8
	class   uint8
	typ     uint8
}

// BER element types, as tcpdump's struct be.
const (
	beAny        = 255
	beNull       = 1
	beOctet      = 2
	beOID        = 3
	beInt        = 4
	beUns        = 5
	beStr        = 6
	beSeq        = 7
	beInetAddr   = 8
	bePDU        = 9
	beUns64      = 10
	beNoSuchObj  = 128
	beNoSuchInst = 129
	beEndOfMIB   = 130
)

// SNMP PDU types (context tags).
const (
	snmpGet     = 0
	snmpGetNext = 1
	snmpResp    = 2
	snmpSet     = 3
	snmpTrap    = 4
	snmpBulk    = 5
	snmpInform  = 6
	snmpV2Trap  = 7
	snmpReport  = 8
)

var berUniversal = [...]string{"U-0", "Boolean", "Integer", "Bitstring", "String", "Null", "ObjID",
	"ObjectDes", "U-8", "U-9", "U-10", "U-11", "U-12", "U-13", "U-14", "U-15", "Sequence", "Set"}

var berApplication = [...]string{"IpAddress", "Counter", "Gauge", "TimeTicks", "Opaque", "C-5", "Counter64"}

var snmpPDUNames = [...]string{"GetRequest", "GetNextRequest", "GetResponse", "SetRequest", "Trap",
	"GetBulk", "Inform", "V2Trap", "Report"}

var snmpExceptions = [...]string{"noSuchObject", "noSuchInstance", "endOfMibView"}

var snmpErrors = [...]string{"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
	"noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
	"inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
	"authorizationError", "notWritable", "inconsistentName"}

var snmpGenericTraps = [...]string{"coldStart", "warmStart", "linkDown", "linkUp",
	"authenticationFailure", "egpNeighborLoss", "enterpriseSpecific"}

var snmpVersions = [4]string{"SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"}

// berClassIDs returns the names of the tags of a class (0 universal, 1
// application, 2 context, 3 private); tcpdump reports a tag beyond them.
func berClassIDs(class uint8) []string {
	switch class {
	case 0:
		return berUniversal[:]
	case 1:
		return berApplication[:]
	case 2:
		return snmpPDUNames[:]
	}
	return []string{"P-0"}
}

// snmpPrinter holds the line being built while an SNMP message is
// printed. jumped says the capture ended inside a field (tcpdump's
// longjmp): nothing more is printed.
type snmpPrinter struct {
	b      []byte
	v      int
	jumped bool
}

func (s *snmpPrinter) trunc() {
	s.b = appendTrunc(s.b, "snmp")
}

func (s *snmpPrinter) str(t string) { s.b = append(s.b, t...) }

func (s *snmpPrinter) int(v int64) { s.b = strconv.AppendInt(s.b, v, 10) }

// parse decodes the element at the start of d, of which length bytes
// belong to the enclosing element. It returns the bytes the element takes,
// or -1 after printing why it cannot be decoded.
func (s *snmpPrinter) parse(d []byte, length int) (berElem, int) {
	e := berElem{typ: beAny}
	if length < 1 {
		s.str("[nothing to parse]")
		return e, -1
	}
	if len(d) < 1 {
		s.jump()
		return e, -1
	}
	id := d[0] & 0x1f
	e.form = (d[0] & 0x20) >> 5
	e.class = (d[0] & 0xc0) >> 6
	p, hdr := 1, 1
	length--
	if id == 0x1f {
		id = 0
		for {
			if p >= len(d) {
				s.jump()
				return e, -1
			}
			if d[p]&0x80 == 0 {
				break
			}
			if length < 1 {
				s.str("[Xtagfield?]")
				return e, -1
			}
			id = id<<7 | d[p]&0x7f
			length--
			hdr++
			p++
		}
		if length < 1 {
			s.str("[Xtagfield?]")
			return e, -1
		}
		id = id<<7 | d[p]
		length--
		hdr++
		p++
	}
	e.id = id
	if length < 1 {
		s.str("[no asnlen]")
		return e, -1
	}
	if p >= len(d) {
		s.jump()
		return e, -1
	}
	e.asnlen = uint32(d[p])
	p++
	length--
	hdr++
	if e.asnlen&0x80 != 0 {
		noct := int(e.asnlen % 0x80)
		e.asnlen = 0
		if length < noct {
			s.str("[asnlen? ")
			s.int(int64(length))
			s.str("<")
			s.int(int64(noct))
			s.str("]")
			return e, -1
		}
		if len(d) < p+noct {
			s.trunc()
			return e, -1
		}
		for ; noct != 0; noct-- {
			e.asnlen = e.asnlen<<8 | uint32(d[p])
			p++
			length--
			hdr++
		}
	}
	if uint32(length) < e.asnlen {
		s.str("[len")
		s.int(int64(length))
		s.str("<asnlen")
		s.int(int64(e.asnlen))
		s.str("]")
		return e, -1
	}
	names := berClassIDs(e.class)
	if int(id) >= len(names) {
		s.str("[id?")
		s.str("PC"[e.form : e.form+1])
		s.str("/x/")
		s.int(int64(id))
		s.str("]")
		return e, -1
	}
	if uint32(len(d)-p) < e.asnlen {
		s.trunc()
		return e, -1
	}
	c := d[p : p+int(e.asnlen)]
	e.data = c
	if e.form == 0 {
		switch e.class {
		case 0:
			switch id {
			case 4:
				e.typ = beStr
			case 2:
				e.typ = beInt
				if len(c) == 0 {
					s.str("[asnlen=0]")
					return e, -1
				}
				var v int32
				if c[0]&0x80 != 0 {
					v = -1
				}
				for _, x := range c {
					v = v<<8 | int32(x)
				}
				e.integer = v
			case 6:
				e.typ = beOID
			case 5:
				e.typ = beNull
			default:
				e.typ = beOctet
				s.str("[P/U/")
				s.str(names[id])
				s.str("]")
			}
		case 1:
			switch id {
			case 0:
				e.typ = beInetAddr
			case 1, 2, 3:
				e.typ = beUns
				for _, x := range c {
					e.uns = e.uns<<8 + uint32(x)
				}
			case 6:
				e.typ = beUns64
				for _, x := range c {
					e.uns64 = e.uns64<<8 + uint64(x)
				}
			default:
				e.typ = beOctet
				s.str("[P/A/")
				s.str(names[id])
				s.str("]")
			}
		case 2:
			switch id {
			case 0:
				e.typ = beNoSuchObj
			case 1:
				e.typ = beNoSuchInst
			case 2:
				e.typ = beEndOfMIB
			}
		default:
			s.str("[P/x/")
			s.str(names[id])
			s.str("]")
			e.typ = beOctet
		}
	} else {
		switch e.class {
		case 0:
			if id == 16 {
				e.typ = beSeq
			} else {
				e.typ = beOctet
				s.str("C/U/")
				s.str(names[id])
			}
		case 2:
			e.typ = bePDU
		default:
			e.typ = beOctet
			s.str("C/x/")
			s.str(names[id])
		}
	}
	return e, int(e.asnlen) + hdr
}

// jump records that the capture ended inside a field, as tcpdump's GET
// macros do: " [|snmp]" and nothing more.
func (s *snmpPrinter) jump() {
	if !s.jumped {
		s.trunc()
	}
	s.jumped = true
}

// octets prints an element's contents as "_xx" bytes.
func (s *snmpPrinter) octets(e *berElem) {
	for _, c := range e.data {
		s.b = append(s.b, '_', hexDigits[c>>4], hexDigits[c&0xf])
	}
}

// string prints a string element quoted when all of it is printable, else
// as hex bytes joined by '_'.
func (s *snmpPrinter) string(e *berElem) {
	printable := true
	for _, c := range e.data {
		if c < 0x20 || c > 0x7e {
			printable = false
			break
		}
	}
	if printable {
		s.b = append(s.b, '"')
		s.b = append(s.b, e.data...)
		s.b = append(s.b, '"')
		return
	}
	for i, c := range e.data {
		if i > 0 {
			s.b = append(s.b, '_')
		}
		s.b = append(s.b, hexDigits[c>>4], hexDigits[c&0xf])
	}
}

// print prints an element's value.
func (s *snmpPrinter) print(e *berElem) {
	switch e.typ {
	case beOctet:
		s.octets(e)
	case beNull:
	case beOID:
		o, first := int32(0), true
		for _, c := range e.data {
			o = o<<7 + int32(c&0x7f)
			if c&0x80 != 0 {
				continue
			}
			if first {
				first = false
				x := o / 40
				if x > 2 {
					x = 2
				}
				s.b = append(s.b, '.')
				s.b = appendUint(s.b, uint64(uint32(x)))
				o -= x * 40
			}
			s.b = append(s.b, '.')
			s.b = appendUint(s.b, uint64(uint32(o)))
			o = 0
		}
	case beInt:
		s.int(int64(e.integer))
	case beUns:
		s.b = appendUint(s.b, uint64(e.uns))
	case beUns64:
		s.b = appendUint(s.b, e.uns64)
	case beStr:
		s.string(e)
	case beSeq:
		s.str("Seq(")
		s.b = appendUint(s.b, uint64(e.asnlen))
		s.str(")")
	case beInetAddr:
		if e.asnlen != 4 {
			s.str("[inetaddr len!=4]")
		}
		for i, c := range e.data {
			if i > 0 {
				s.b = append(s.b, '.')
			}
			s.b = appendUint(s.b, uint64(c))
		}
	case beNoSuchObj, beNoSuchInst, beEndOfMIB:
		s.str("[")
		s.str(snmpExceptions[e.id])
		s.str("]")
	case bePDU:
		s.str(snmpPDUNames[e.id])
		s.str("(")
		s.b = appendUint(s.b, uint64(e.asnlen))
		s.str(")")
	case beAny:
		s.str("[BE_ANY!?]")
	default:
		s.str("[be!?]")
	}
}

// expect parses an element and checks its type; on a mismatch it prints
// "[what]" and the element, and reports false.
func (s *snmpPrinter) expect(d []byte, length int, typ uint8, what string) (berElem, int, bool) {
	e, n := s.parse(d, length)
	if n < 0 {
		return e, n, false
	}
	if e.typ != typ {
		s.str("[")
		s.str(what)
		s.str("]")
		s.print(&e)
		return e, n, false
	}
	return e, n, true
}

// snmp prints an SNMP message d (length bytes on the wire).
func (p *Printer) snmp(b, d []byte, length int) []byte {
	s := snmpPrinter{b: append(b, ' '), v: p.opts.Verbose}
	s.message(d, length)
	return s.b
}

func (s *snmpPrinter) message(d []byte, length int) {
	e, n := s.parse(d, length)
	if n < 0 {
		return
	}
	if e.typ != beSeq {
		s.str("[!init SEQ]")
		s.print(&e)
		return
	}
	if n < length {
		s.str("[")
		s.int(int64(length - n))
		s.str(" extra after iSEQ]")
	}
	d, length = e.data, int(e.asnlen)
	e, n, ok := s.expect(d, length, beInt, "version!=INT")
	if !ok {
		return
	}
	version := e.integer
	switch version {
	case 0, 1, 3:
		if s.v > 0 {
			s.str("{ ")
			s.str(snmpVersions[version])
			s.str(" ")
		}
	default:
		s.str("SNMP [version = ")
		s.int(int64(version))
		s.str("]")
		return
	}
	d, length = d[n:], length-n
	if version == 3 {
		s.v3(d, length)
	} else {
		s.community(d, length, int(version))
	}
	if s.v > 0 && !s.jumped {
		s.str("} ")
	}
}

func (s *snmpPrinter) community(d []byte, length, version int) {
	e, n := s.parse(d, length)
	if n < 0 {
		return
	}
	if e.typ != beStr {
		s.str("[comm!=STR]")
		s.print(&e)
		return
	}
	if string(e.data) != "public" {
		s.str("C=")
		s.string(&e)
		s.str(" ")
	}
	s.pdu(d[n:], length-n, version)
}

func (s *snmpPrinter) pdu(d []byte, length, version int) {
	e, n := s.parse(d, length)
	if n < 0 {
		return
	}
	if e.typ != bePDU {
		s.str("[no PDU]")
		return
	}
	if n < length {
		s.str("[")
		s.int(int64(length - n))
		s.str(" extra after PDU]")
	}
	if s.v > 0 {
		s.str("{ ")
	}
	s.print(&e)
	s.str(" ")
	d, length = e.data, int(e.asnlen)
	id := int(e.id)
	if version == 0 && (id == snmpBulk || id == snmpInform || id == snmpV2Trap || id == snmpReport) {
		s.str("[v2 PDU in v1 message]")
		return
	}
	if version == 1 && id == snmpTrap {
		s.str("[v1 PDU in v2 message]")
		return
	}
	if id == snmpTrap {
		s.trapPDU(d, length)
	} else {
		s.requestPDU(id, d, length)
	}
	if s.v > 0 && !s.jumped {
		s.str(" } ")
	}
}

func (s *snmpPrinter) errorStatus(v int32) {
	if v >= 0 && int(v) < len(snmpErrors) {
		s.str(snmpErrors[v])
		return
	}
	s.str("err=")
	s.b = appendUint(s.b, uint64(uint32(v)))
}

func (s *snmpPrinter) requestPDU(id int, d []byte, length int) {
	e, n, ok := s.expect(d, length, beInt, "reqId!=INT")
	if !ok {
		return
	}
	if s.v > 0 {
		s.str("R=")
		s.int(int64(e.integer))
		s.str(" ")
	}
	d, length = d[n:], length-n
	strict := id == snmpGet || id == snmpGetNext || id == snmpSet || id == snmpInform ||
		id == snmpV2Trap || id == snmpReport
	if e, n, ok = s.expect(d, length, beInt, "errorStatus!=INT"); !ok {
		return
	}
	status := int32(0)
	switch {
	case strict && e.integer != 0:
		s.str("[errorStatus(")
		s.errorStatus(e.integer)
		s.str(")!=0]")
	case id == snmpBulk:
		s.str(" N=")
		s.int(int64(e.integer))
	case e.integer != 0:
		s.str(" ")
		s.errorStatus(e.integer)
		status = e.integer
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beInt, "errorIndex!=INT"); !ok {
		return
	}
	switch {
	case strict && e.integer != 0:
		s.str("[errorIndex(")
		s.int(int64(e.integer))
		s.str(")!=0]")
	case id == snmpBulk:
		s.str(" M=")
		s.int(int64(e.integer))
	case e.integer != 0:
		if status == 0 {
			s.str("[errorIndex(")
			s.int(int64(e.integer))
			s.str(") w/o errorStatus]")
		} else {
			s.str("@")
			s.int(int64(e.integer))
		}
	case status != 0:
		s.str("[errorIndex==0]")
	}
	s.varbinds(id, d[n:], length-n)
}

func (s *snmpPrinter) trapPDU(d []byte, length int) {
	s.str(" ")
	e, n, ok := s.expect(d, length, beOID, "enterprise!=OID")
	if !ok {
		return
	}
	s.print(&e)
	d, length = d[n:], length-n
	s.str(" ")
	if e, n, ok = s.expect(d, length, beInetAddr, "agent-addr!=INETADDR"); !ok {
		return
	}
	s.print(&e)
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beInt, "generic-trap!=INT"); !ok {
		return
	}
	generic := e.integer
	s.str(" ")
	if generic >= 0 && int(generic) < len(snmpGenericTraps) {
		s.str(snmpGenericTraps[generic])
	} else {
		s.str("gt=")
		s.int(int64(generic))
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beInt, "specific-trap!=INT"); !ok {
		return
	}
	if generic != 6 {
		if e.integer != 0 {
			s.str("[specific-trap(")
			s.int(int64(e.integer))
			s.str(")!=0]")
		}
	} else {
		s.str(" s=")
		s.int(int64(e.integer))
	}
	d, length = d[n:], length-n
	s.str(" ")
	if e, n, ok = s.expect(d, length, beUns, "time-stamp!=TIMETICKS"); !ok {
		return
	}
	s.print(&e)
	s.varbinds(snmpTrap, d[n:], length-n)
}

func (s *snmpPrinter) varbinds(id int, d []byte, length int) {
	e, n, ok := s.expect(d, length, beSeq, "!SEQ of varbind")
	if !ok {
		return
	}
	if n < length {
		s.str("[")
		s.int(int64(length - n))
		s.str(" extra after SEQ of varbind]")
	}
	d, length = e.data, int(e.asnlen)
	read := id == snmpGet || id == snmpGetNext || id == snmpBulk
	for length > 0 {
		s.str(" ")
		vb, n, ok := s.expect(d, length, beSeq, "!varbind")
		if !ok {
			return
		}
		next, rest := d[n:], length-n
		vd, vl := vb.data, int(vb.asnlen)
		name, n, ok := s.expect(vd, vl, beOID, "objName!=OID")
		if !ok {
			return
		}
		s.print(&name)
		vd, vl = vd[n:], vl-n
		if !read {
			s.str("=")
		}
		val, n := s.parse(vd, vl)
		if n < 0 {
			return
		}
		if read {
			if val.typ != beNull {
				s.str("[objVal!=NULL]")
				s.print(&val)
			}
		} else if val.typ != beNull {
			s.print(&val)
		}
		d, length = next, rest
	}
}

func (s *snmpPrinter) v3(d []byte, length int) {
	e, n := s.parse(d, length)
	if n < 0 {
		return
	}
	if e.typ != beSeq {
		s.str("[!message]")
		s.print(&e)
		return
	}
	// tcpdump reads the security parameters from where it stopped
	// reading the header sequence (its end, unless it holds more).
	pos := n - int(e.asnlen)
	hd, hl := e.data, int(e.asnlen)
	if s.v > 0 {
		s.str("{ ")
	}
	var ok bool
	if e, n, ok = s.expect(hd, hl, beInt, "msgID!=INT"); !ok {
		return
	}
	hd, hl, pos = hd[n:], hl-n, pos+n
	if e, n, ok = s.expect(hd, hl, beInt, "msgMaxSize!=INT"); !ok {
		return
	}
	hd, hl, pos = hd[n:], hl-n, pos+n
	if e, n, ok = s.expect(hd, hl, beStr, "msgFlags!=STR"); !ok {
		return
	}
	if e.asnlen != 1 {
		s.str("[msgFlags size ")
		s.int(int64(e.asnlen))
		s.str("]")
		return
	}
	flags := e.data[0]
	if flags != 0 && flags != 1 && flags != 3 && flags != 4 && flags != 5 && flags != 7 {
		s.str("[msgFlags=0x")
		s.b = append(s.b, "0123456789ABCDEF"[flags>>4], "0123456789ABCDEF"[flags&0xf])
		s.str("]")
		return
	}
	hd, hl, pos = hd[n:], hl-n, pos+n
	s.str("F=")
	if flags&1 != 0 {
		s.str("a")
	}
	if flags&2 != 0 {
		s.str("p")
	}
	if flags&4 != 0 {
		s.str("r")
	}
	s.str(" ")
	if e, n, ok = s.expect(hd, hl, beInt, "msgSecurityModel!=INT"); !ok {
		return
	}
	model := e.integer
	hl, pos = hl-n, pos+n
	after, afterLen := d[pos:], length-pos
	if n < hl {
		s.str("[")
		s.int(int64(hl - n))
		s.str(" extra after message SEQ]")
	}
	if s.v > 0 {
		s.str("} ")
	}
	if model != 3 {
		s.str("[security model ")
		s.int(int64(model))
		s.str("]")
		return
	}
	if s.v > 0 {
		s.str("{ USM ")
	}
	if e, n, ok = s.expect(after, afterLen, beStr, "msgSecurityParameters!=STR"); !ok {
		return
	}
	s.usm(e.data, int(e.asnlen))
	if s.jumped {
		return
	}
	if s.v > 0 {
		s.str("} ")
		s.str("{ ScopedPDU ")
	}
	s.scopedPDU(after[n:], afterLen-n)
	if s.v > 0 && !s.jumped {
		s.str("} ")
	}
}

func (s *snmpPrinter) usm(d []byte, length int) {
	e, n, ok := s.expect(d, length, beSeq, "!usm")
	if !ok {
		return
	}
	d, length = e.data, int(e.asnlen)
	if e, n, ok = s.expect(d, length, beStr, "msgAuthoritativeEngineID!=STR"); !ok {
		return
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beInt, "msgAuthoritativeEngineBoots!=INT"); !ok {
		return
	}
	if s.v > 0 {
		s.str("B=")
		s.int(int64(e.integer))
		s.str(" ")
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beInt, "msgAuthoritativeEngineTime!=INT"); !ok {
		return
	}
	if s.v > 0 {
		s.str("T=")
		s.int(int64(e.integer))
		s.str(" ")
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beStr, "msgUserName!=STR"); !ok {
		return
	}
	d, length = d[n:], length-n
	s.str("U=")
	s.string(&e)
	s.str(" ")
	if e, n, ok = s.expect(d, length, beStr, "msgAuthenticationParameters!=STR"); !ok {
		return
	}
	d, length = d[n:], length-n
	if e, n, ok = s.expect(d, length, beStr, "msgPrivacyParameters!=STR"); !ok {
		return
	}
	length -= n
	if n < length {
		s.str("[")
		s.int(int64(length - n))
		s.str(" extra after usm SEQ]")
	}
}

func (s *snmpPrinter) scopedPDU(d []byte, length int) {
	e, n, ok := s.expect(d, length, beSeq, "!scoped PDU")
	if !ok {
		return
	}
	d, length = e.data, int(e.asnlen)
	if e, n, ok = s.expect(d, length, beStr, "contextEngineID!=STR"); !ok {
		return
	}
	d, length = d[n:], length-n
	s.str("E=")
	s.octets(&e)
	s.str(" ")
	if e, n, ok = s.expect(d, length, beStr, "contextName!=STR"); !ok {
		return
	}
	d, length = d[n:], length-n
	s.str("C=")
	s.string(&e)
	s.str(" ")
	s.pdu(d, length, 3)
}
