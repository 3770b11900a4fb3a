package decode

// The AFS file and callback services of Rx calls and replies (fs, cb),
// printed as tcpdump does, and the helpers every service shares.

import "strconv"

// rxTrunc appends a service's truncation marker when its printer stopped
// on a failed bounds check.
func rxTrunc(x *xdrPrinter, svc string) {
	if x.trunc && !x.jmp {
		x.b = appendTrunc(x.b, svc)
	}
}

// rxCallOp reads a call's opcode and prints " svc call name".
func rxCallOp(x *xdrPrinter, svc string, ops []opRange) uint32 {
	op, ok := x.get()
	if !ok {
		return 0
	}
	x.b = append(x.b, ' ')
	x.b = append(x.b, svc...)
	x.b = append(x.b, " call "...)
	x.b = appendOp(x.b, ops, op)
	return op
}

// rxReplyOp prints prefix then " reply name" (the opcode remembered from
// the call).
func rxReplyOp(x *xdrPrinter, prefix string, ops []opRange, op uint32) {
	x.b = append(x.b, prefix...)
	x.b = append(x.b, " reply "...)
	x.b = appendOp(x.b, ops, op)
}

// rxErrcode prints the error code of a non-data reply.
func rxErrcode(x *xdrPrinter) {
	x.lit(" errcode")
	x.int()
}

func rxFSCall(x *xdrPrinter) {
	op := rxCallOp(x, "fs", rxFSOps)
	switch op {
	case 130:
		x.fid()
		x.lit(" offset")
		x.uint()
		x.lit(" length")
		x.uint()
	case 131, 132, 143, 144, 145, 156, 157, 158:
		x.fid()
	case 135:
		x.fid()
		x.storeStatus()
	case 133:
		x.fid()
		x.storeStatus()
		x.lit(" offset")
		x.uint()
		x.lit(" length")
		x.uint()
		x.lit(" flen")
		x.uint()
	case 134:
		x.fid()
		rxACL(x)
	case 137, 141:
		x.fid()
		x.str(256)
		x.storeStatus()
	case 136, 142:
		x.fid()
		x.str(256)
	case 138:
		x.lit(" old")
		x.fid()
		x.str(256)
		x.lit(" new")
		x.fid()
		x.str(256)
	case 139:
		x.fid()
		x.str(256)
		x.lit(" link to")
		x.str(256)
	case 140:
		x.fid()
		x.str(256)
		x.lit(" link to")
		x.fid()
	case 148:
		x.str(256)
	case 149, 150:
		x.lit(" volid")
		x.uint()
	case 154:
		x.lit(" volname")
		x.str(256)
	case 155, 65536:
		x.fidList()
	case 65537:
		x.fid()
		x.lit(" offset")
		x.uint64()
		x.lit(" length")
		x.uint64()
	case 65538:
		x.fid()
		x.storeStatus()
		x.lit(" offset")
		x.uint64()
		x.lit(" length")
		x.uint64()
		x.lit(" flen")
		x.uint64()
	case 65541:
		x.lit(" addr")
		x.uint()
	}
	rxTrunc(x, "fs")
}

func rxFSReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen <= rxHeaderLen {
		return
	}
	rxReplyOp(x, " fs", rxFSOps, op)
	switch typ {
	case rxData:
		switch op {
		case 131:
			rxACL(x)
		case 137, 141:
			x.lit(" new")
			x.fid()
		case 151:
			x.lit(" root volume")
			x.str(256)
		case 153:
			x.date()
		}
	case rxAbort:
		v, ok := x.get()
		if !ok {
			break
		}
		x.b = append(x.b, " error "...)
		if e := int32(v); e >= 101 && e <= 112 {
			x.b = append(x.b, rxFSErrors[e-101]...)
		} else if e == -100 {
			x.b = append(x.b, "restarting fileserver"...)
		} else {
			x.b = append(x.b, '#')
			x.b = strconv.AppendInt(x.b, int64(e), 10)
		}
	default:
		x.b = append(x.b, " strange fs reply of type "...)
		x.b = appendUint(x.b, uint64(typ))
	}
	rxTrunc(x, "fs")
}

// rxACL prints an AFS access list (a counted text "pos neg\n" then
// "user rights\n" lines) as tcpdump does: " +{user rlidwka}" per entry.
func rxACL(x *xdrPrinter) {
	n, ok := x.get()
	if !ok || !x.check(int(min(n, 1<<30))) {
		return
	}
	s := x.d[x.p : x.p+int(min(n, 1024))]
	for i, c := range s {
		if c == 0 {
			s = s[:i]
			break
		}
	}
	x.p += int(n)
	pos, i, ok := scanInt(s, 0)
	if !ok {
		return
	}
	neg, i, ok := scanInt(s, i)
	if !ok {
		return
	}
	i = skipSpace(s, i)
	for _, sign := range [2]byte{'+', '-'} {
		cnt := pos
		if sign == '-' {
			cnt = neg
		}
		for k := 0; k < cnt; k++ {
			j := skipSpace(s, i)
			st := j
			for j < len(s) && j-st < 1024 && !isSpace(s[j]) {
				j++
			}
			if j == st {
				return
			}
			user := s[st:j]
			acl, j2, ok := scanInt(s, j)
			if !ok {
				return
			}
			i = skipSpace(s, j2)
			x.b = append(x.b, ' ', sign, '{')
			x.b = appendEscaped(x.b, user)
			x.b = append(x.b, ' ')
			for _, r := range [...]struct {
				bit int
				c   byte
			}{{1, 'r'}, {8, 'l'}, {4, 'i'}, {16, 'd'}, {2, 'w'}, {32, 'k'}, {64, 'a'}} {
				if acl&r.bit != 0 {
					x.b = append(x.b, r.c)
				}
			}
			x.b = append(x.b, '}')
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func skipSpace(s []byte, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// scanInt reads a decimal integer as sscanf's %d (after white space).
func scanInt(s []byte, i int) (int, int, bool) {
	i = skipSpace(s, i)
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	st, v := i, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if v < 1<<40 {
			v = v*10 + int(s[i]-'0')
		}
		i++
	}
	if i == st {
		return 0, i, false
	}
	if neg {
		v = -v
	}
	return int(int32(v)), i, true
}

func rxCBCall(x *xdrPrinter) {
	op := rxCallOp(x, "cb", rxCBOps)
	switch op {
	case 204:
		x.fidList()
		j, ok := x.get()
		if !ok {
			break
		}
		if j != 0 {
			x.lit(";")
		}
		for i := uint32(0); i < j && !x.stop(); i++ {
			x.lit(" ver")
			x.int()
			x.lit(" expires")
			x.date()
			x.get() // the callback type, read but not printed
		}
	case 214:
		x.lit(" afsuuid")
		x.uuid()
	}
	rxTrunc(x, "cb")
}

func rxCBReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen <= rxHeaderLen {
		return
	}
	rxReplyOp(x, " cb", rxCBOps, op)
	if typ == rxData {
		if op == 213 {
			x.uuid()
		}
	} else {
		rxErrcode(x)
	}
	rxTrunc(x, "cb")
}
