package decode

// The Rx database services (pt, vldb, kauth and their Ubik calls), the
// volume service and the basic overseer, printed as tcpdump does.

// rxUbikCall prints a Ubik call to a database service (svc already printed).
func rxUbikCall(x *xdrPrinter, op uint32) {
	x.b = append(x.b, " ubik call "...)
	x.b = appendOp(x.b, rxUbikOps, op)
	switch op {
	case 10000:
		v, ok := x.get()
		if !ok {
			break
		}
		if v != 0 {
			x.b = append(x.b, " syncsite yes"...)
		} else {
			x.b = append(x.b, " syncsite no"...)
		}
		x.lit(" votestart")
		x.date()
		x.lit(" dbversion")
		x.version()
		x.lit(" tid")
		x.version()
	case 10003:
		x.lit(" site")
		x.uint()
	case 20000, 20001, 20007, 20008, 20010:
		x.lit(" tid")
		x.version()
	case 20002:
		x.lit(" tid")
		x.version()
		x.lit(" file")
		x.int()
		x.lit(" pos")
		x.int()
		x.lit(" length")
		x.int()
		x.get() // the lock type, read but not printed
	case 20003:
		x.lit(" tid")
		x.version()
		x.lit(" file")
		x.int()
		x.lit(" pos")
		x.int()
	case 20005:
		x.lit(" file")
		x.int()
	case 20006:
		x.lit(" file")
		x.int()
		x.lit(" length")
		x.int()
		x.lit(" dbversion")
		x.version()
	case 20009:
		x.lit(" tid")
		x.version()
		x.lit(" file")
		x.int()
		x.lit(" length")
		x.int()
	case 20012:
		x.lit(" tid")
		x.version()
		x.lit(" oldversion")
		x.version()
		x.lit(" newversion")
		x.version()
	}
	rxTrunc(x, "ubik")
}

// rxUbikReply prints a Ubik reply (svc already printed).
func rxUbikReply(x *xdrPrinter, typ byte, op uint32) {
	x.b = append(x.b, " ubik reply "...)
	x.b = appendOp(x.b, rxUbikOps, op)
	if typ == rxData {
		switch op {
		case 10000:
			x.lit(" vote no")
		case 20004:
			x.lit(" dbversion")
			x.version()
		}
	} else if op == 10000 {
		x.lit(" vote yes until")
		x.date()
	} else {
		rxErrcode(x)
	}
	rxTrunc(x, "ubik")
}

// rxDBCall reads a database service's opcode and prints " svc" and, for a
// Ubik opcode, the Ubik call; ok is false when the caller has no more to
// print.
func rxDBCall(x *xdrPrinter, svc string) (uint32, bool) {
	op, ok := x.get()
	if !ok {
		return 0, false
	}
	x.b = append(x.b, ' ')
	x.b = append(x.b, svc...)
	if isUbik(op) {
		rxUbikCall(x, op)
		return op, false
	}
	return op, true
}

func rxPTCall(x *xdrPrinter) {
	op, ok := rxDBCall(x, "pt")
	if !ok {
		return
	}
	x.b = append(x.b, " call "...)
	x.b = appendOp(x.b, rxPTOps, op)
	switch op {
	case 500:
		x.str(64)
		x.lit(" id")
		x.int()
		x.lit(" oldid")
		x.int()
	case 501, 506, 508, 512, 514, 517, 518, 519, 530:
		x.lit(" id")
		x.int()
	case 502:
		x.lit(" pos")
		x.int()
	case 503, 507, 515:
		x.lit(" uid")
		x.int()
		x.lit(" gid")
		x.int()
	case 504:
		x.vecList(64)
	case 505:
		x.lit(" ids:")
		x.intList()
	case 509:
		x.str(64)
		x.lit(" flag")
		x.int()
		x.lit(" oid")
		x.int()
	case 511:
		x.lit(" id")
		x.int()
		x.lit(" gflag")
		x.int()
	case 513:
		x.lit(" id")
		x.int()
		x.str(64)
		x.lit(" oldid")
		x.int()
		x.lit(" newid")
		x.int()
	case 520:
		x.lit(" id")
		x.int()
		x.str(64)
	}
	rxTrunc(x, "pt")
}

func rxPTReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen < rxHeaderLen {
		return
	}
	x.b = append(x.b, " pt"...)
	if isUbik(op) {
		rxUbikReply(x, typ, op)
		return
	}
	rxReplyOp(x, "", rxPTOps, op)
	if typ == rxData {
		switch op {
		case 504:
			x.lit(" ids:")
			x.intList()
		case 505:
			x.vecList(64)
		case 508, 514, 517, 518, 519:
			x.intList()
		case 510:
			x.lit(" maxuid")
			x.int()
			x.lit(" maxgid")
			x.int()
		}
	} else {
		rxErrcode(x)
	}
	rxTrunc(x, "pt")
}

func rxVLDBCall(x *xdrPrinter) {
	op, ok := rxDBCall(x, "vldb")
	if !ok {
		return
	}
	x.b = append(x.b, " call "...)
	x.b = appendOp(x.b, rxVLDBOps, op)
	switch op {
	case 501, 517:
		x.vec(65)
	case 502, 503, 507, 508, 509, 518:
		x.lit(" volid")
		x.int()
		rxVolType(x)
	case 504, 519, 524, 527:
		x.str(65)
	case 505:
		x.lit(" bump")
		x.int()
	case 506, 520:
		x.lit(" volid")
		x.int()
		rxVolType(x)
		x.vec(65)
	case 510, 521:
		x.lit(" index")
		x.int()
	}
	rxTrunc(x, "vldb")
}

// rxVolType prints " type read-write" (read-only, backup) for a known
// volume type word.
func rxVolType(x *xdrPrinter) {
	if v, ok := x.get(); ok && v <= 2 {
		x.b = append(x.b, " type "...)
		x.b = append(x.b, rxVolTypes[v]...)
	}
}

func rxVLDBReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen < rxHeaderLen {
		return
	}
	x.b = append(x.b, " vldb"...)
	if isUbik(op) {
		rxUbikReply(x, typ, op)
		return
	}
	rxReplyOp(x, "", rxVLDBOps, op)
	if typ != rxData {
		rxErrcode(x)
		rxTrunc(x, "vldb")
		return
	}
	entry := func(n int, skipType, uuids bool) {
		x.vec(65)
		if skipType && x.check(4) {
			x.p += 4
		}
		x.lit(" numservers")
		ns, ok := x.get()
		if !ok {
			return
		}
		x.b = append(x.b, ' ')
		x.b = appendUint(x.b, uint64(ns))
		x.b = append(x.b, " servers"...)
		for i := 0; i < n && !x.stop(); i++ {
			if uuids {
				if uint32(i) < ns {
					x.lit(" afsuuid")
					x.uuid()
				} else if x.check(44) {
					x.p += 44
				}
				continue
			}
			if !x.check(4) {
				break
			}
			if uint32(i) < ns {
				x.b = append(x.b, ' ')
				x.b = appendIPv4(x.b, x.d[x.p:x.p+4])
			}
			x.p += 4
		}
		if uuids && x.check(4*13) {
			x.p += 4 * 13
		}
		x.lit(" partitions")
		for i := 0; i < n && !x.stop(); i++ {
			j, ok := x.get()
			if !ok {
				break
			}
			if uint32(i) < ns {
				x.b = append(x.b, ' ')
				if j <= 26 {
					x.b = append(x.b, byte('a'+j))
				} else {
					x.b = appendUint(x.b, uint64(j))
				}
			}
		}
		if x.check(4 * n) {
			x.p += 4 * n
		}
		x.lit(" rwvol")
		x.uint()
		x.lit(" rovol")
		x.uint()
		x.lit(" backup")
		x.uint()
	}
	switch op {
	case 510:
		x.lit(" count")
		x.int()
		x.lit(" nextindex")
		x.int()
		entry(8, true, false)
	case 503, 504:
		entry(8, true, false)
	case 505:
		x.lit(" newvol")
		x.uint()
	case 521, 529:
		x.lit(" count")
		x.int()
		x.lit(" nextindex")
		x.int()
		entry(13, false, false)
	case 518, 519:
		entry(13, false, false)
	case 526, 527:
		entry(13, false, true)
	}
	rxTrunc(x, "vldb")
}

func rxKauthCall(x *xdrPrinter) {
	op, ok := rxDBCall(x, "kauth")
	if !ok {
		return
	}
	x.b = append(x.b, " call "...)
	x.b = appendOp(x.b, rxKauthOps, op)
	switch op {
	case 1, 21, 22, 2, 5, 6, 7, 8, 14, 15:
		x.lit(" principal")
		x.str(64)
		x.str(64)
	case 3, 23:
		x.lit(" kvno")
		x.int()
		x.lit(" domain")
		x.str(64)
		n, ok := x.get()
		if ok && x.check(int(min(n, 1<<30))) {
			x.p += int(n)
		}
		x.lit(" principal")
		x.str(64)
		x.str(64)
	case 4:
		x.lit(" principal")
		x.str(64)
		x.str(64)
		x.lit(" kvno")
		x.int()
	case 12:
		x.lit(" name")
		x.str(64)
	}
	rxTrunc(x, "kauth")
}

func rxKauthReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen <= rxHeaderLen {
		return
	}
	x.b = append(x.b, " kauth"...)
	if isUbik(op) {
		rxUbikReply(x, typ, op)
		return
	}
	rxReplyOp(x, "", rxKauthOps, op)
	if typ != rxData {
		rxErrcode(x)
	}
}

func rxVolCall(x *xdrPrinter) {
	op := rxCallOp(x, "vol", rxVolOps)
	switch op {
	case 100:
		x.lit(" partition")
		x.uint()
		x.lit(" name")
		x.str(256)
		x.lit(" type")
		x.uint()
		x.lit(" parent")
		x.uint()
	case 101, 107, 104:
		x.lit(" trans")
		x.uint()
	case 102:
		x.lit(" totrans")
		x.uint()
		x.lit(" flags")
		x.uint()
	case 103:
		x.lit(" fromtrans")
		x.uint()
		x.lit(" fromdate")
		x.date()
		x.server()
		x.lit(" desttrans")
		x.int()
	case 105:
		x.lit(" trans")
		x.uint()
		x.lit(" purgevol")
		x.uint()
		x.lit(" newtype")
		x.uint()
		x.lit(" newname")
		x.str(256)
	case 106:
		x.lit(" trans")
		x.uint()
		x.lit(" flags")
		x.uint()
	case 108:
		x.lit(" vol")
		x.uint()
		x.lit(" partition")
		x.uint()
		x.lit(" flags")
		x.uint()
	case 109, 655537:
		x.lit(" fromtrans")
		x.uint()
		x.lit(" fromdate")
		x.date()
	case 110:
		x.lit(" index")
		x.uint()
	case 111:
		x.lit(" tid")
		x.uint()
		x.lit(" newsite")
		x.uint()
	case 112, 113:
		x.lit(" tid")
	case 114:
		x.lit(" name")
		x.str(256)
		x.lit(" type")
		x.uint()
		x.lit(" pid")
		x.uint()
		x.lit(" cloneid")
		x.uint()
	case 116:
		x.lit(" partition")
		x.uint()
		x.lit(" flags")
		x.uint()
	case 117:
		x.lit(" tid")
		x.uint()
		x.lit(" name")
		x.str(256)
		x.lit(" type")
		x.uint()
		x.lit(" pid")
		x.uint()
		x.lit(" clone")
		x.uint()
		x.lit(" backup")
		x.uint()
	case 119:
		x.lit(" name")
		x.str(256)
	case 120, 126:
		x.lit(" tid")
		x.uint()
	case 121, 122, 124, 125, 65536:
		x.lit(" partid")
		x.uint()
		x.lit(" volid")
		x.uint()
	case 123:
		x.lit(" tid")
		x.uint()
		x.lit(" date")
		x.date()
	case 128:
		x.lit(" fromtrans")
		x.uint()
		x.lit(" fromdate")
		x.date()
		j, ok := x.get()
		if !ok {
			break
		}
		for i := uint32(0); i < j && !x.stop(); i++ {
			x.server()
			if i != j-1 {
				x.lit(",")
			}
		}
		if j == 0 {
			x.lit(" <none!>")
		}
	case 65538:
		x.lit(" fromtrans")
		x.uint()
		x.lit(" fromdate")
		x.date()
		x.lit(" flags")
		x.uint()
	}
	rxTrunc(x, "vol")
}

func rxVolReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen <= rxHeaderLen {
		return
	}
	rxReplyOp(x, " vol", rxVolOps, op)
	if typ != rxData {
		rxErrcode(x)
		rxTrunc(x, "vol")
		return
	}
	switch op {
	case 100:
		x.lit(" volid")
		x.uint()
		x.lit(" trans")
		x.uint()
	case 104, 107:
		x.uint()
	case 105:
		x.lit(" newvol")
		x.uint()
	case 108:
		x.lit(" trans")
		x.uint()
	case 110:
		x.lit(" volume")
		x.uint()
		x.lit(" partition")
		x.uint()
	case 112:
		x.str(256)
	case 113:
		for _, f := range [...]string{" volid", " nextuniq", " type", " parentid", " clone",
			" backup", " restore", " maxquota", " minquota", " owner"} {
			x.lit(f)
			x.uint()
		}
		for _, f := range [...]string{" create", " access", " update", " expire", " backup", " copy"} {
			x.lit(f)
			x.date()
		}
	case 116, 121:
		j, ok := x.get()
		if !ok {
			break
		}
		for i := uint32(0); i < j && !x.stop(); i++ {
			x.lit(" name")
			x.vec(32)
			x.lit(" volid")
			x.uint()
			x.lit(" type")
			x.skip(4 * 21)
			if i != j-1 {
				x.lit(",")
			}
		}
		if j == 0 {
			x.lit(" <none!>")
		}
	}
	rxTrunc(x, "vol")
}

func rxBOSCall(x *xdrPrinter) {
	op := rxCallOp(x, "bos", rxBOSOps)
	switch op {
	case 80:
		x.lit(" type")
		x.str(256)
		x.lit(" instance")
		x.str(256)
	case 81, 83, 85, 87, 88, 93, 96, 97, 104, 106, 108, 112, 114:
		x.str(256)
	case 82, 98:
		x.str(256)
		x.lit(" status")
		x.int()
	case 86:
		x.str(256)
		x.lit(" num")
		x.int()
	case 84, 89, 90, 91, 92, 95:
		x.int()
	case 105:
		x.str(256)
		x.lit(" size")
		x.int()
		x.lit(" flags")
		x.int()
		x.lit(" date")
		x.int()
	}
	rxTrunc(x, "bos")
}

func rxBOSReply(x *xdrPrinter, ulen int, typ byte, op uint32) {
	if ulen <= rxHeaderLen {
		return
	}
	rxReplyOp(x, " bos", rxBOSOps, op)
	if typ != rxData {
		rxErrcode(x)
	}
}
