package decode

// NFS replies: the status, attributes and results tcpdump prints for each
// procedure, at default verbosity, -v and -vv.

import "strconv"

// nfsReply prints a reply from the NFS port after "NFS reply xid X ".
func (p *Printer) nfsReply(n *nfsPrinter, length uint32, h *ipHdr) {
	if !n.has(8, 4) {
		n.b = appendTrunc(n.b, "nfs")
		return
	}
	switch st := n.w(8); st {
	case 0:
		n.str("reply ok ")
		n.u(length)
		if proc, vers, ok := p.rpc.nfs.find(n.w(0), h); ok {
			n.interpReply(proc, vers, length)
		}
	case 1:
		n.str("reply ERR ")
		n.u(length)
		n.str(": ")
		if !n.has(12, 4) {
			n.b = appendTrunc(n.b, "nfs")
			return
		}
		switch n.w(12) {
		case 0:
			if !n.has(20, 4) {
				n.b = appendTrunc(n.b, "nfs")
				return
			}
			n.str("RPC Version mismatch (")
			n.u(n.w(16))
			n.b = append(n.b, '-')
			n.u(n.w(20))
			n.b = append(n.b, ')')
		case 1:
			if !n.has(16, 4) {
				n.b = appendTrunc(n.b, "nfs")
				return
			}
			n.str("Auth ")
			if why := n.w(16); why < uint32(len(nfsAuthStats)) {
				n.str(nfsAuthStats[why])
			} else {
				n.str("Invalid failure code ")
				n.u(why)
			}
		default:
			n.str("Unknown reason for rejecting rpc message ")
			n.u(n.w(12))
		}
	default:
		n.str("reply Unknown rpc response code=")
		n.u(st)
		n.b = append(n.b, ' ')
		n.u(length)
	}
}

// interpReply prints a successful reply's procedure and results.
func (n *nfsPrinter) interpReply(proc, vers, length uint32) {
	v3 := vers == 3
	if !v3 && proc < uint32(len(nfsV2Procs)) {
		proc = nfsV2Procs[proc]
	}
	n.b = append(n.b, ' ')
	n.procName(proc)
	if proc == nfsNull || proc == nfsNoop || proc > nfsCommit {
		return
	}
	ok := true
	dp := n.parseRep(length)
	if dp < 0 {
		ok = false
	} else {
		ok = n.replyResults(proc, dp, v3)
	}
	if n.jmp {
		n.b = appendTrunc(n.b, "nfs")
		return
	}
	if !ok && !n.nfserr {
		n.b = appendTrunc(n.b, "nfs")
	}
}

// replyResults prints the results of a reply to proc; false is tcpdump's
// trunc.
func (n *nfsPrinter) replyResults(proc uint32, dp int, v3 bool) bool {
	v := n.verbose
	switch proc {
	case nfsGetattr:
		return n.parseAttrStat(dp, 1, v3)
	case nfsSetattr:
		if v3 {
			return n.parseWccRes(dp, v) >= 0
		}
		return n.parseAttrStat(dp, 1, false)
	case nfsLookup:
		if !v3 {
			return n.parseDirOpRes(dp)
		}
		er := n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if er != 0 {
			if v > 1 {
				n.str(" post dattr:")
				return n.parsePostOpAttr(dp, v) >= 0
			}
			return true
		}
		if dp = n.parseFH(dp, true); dp < 0 {
			return false
		}
		if dp = n.parsePostOpAttr(dp, v); dp < 0 {
			return false
		}
		if v > 1 {
			n.str(" post dattr:")
			return n.parsePostOpAttr(dp, v) >= 0
		}
	case nfsAccess:
		er := n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if v > 0 {
			n.str(" attr:")
		}
		if dp = n.parsePostOpAttr(dp, v); dp < 0 {
			return false
		}
		if er == 0 {
			c := n.w(dp)
			if n.jmp {
				return false
			}
			n.str(" c ")
			n.b = appendHex(n.b, uint64(c), 4)
		}
	case nfsReadlink:
		er := n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if er != 0 {
			return true
		}
		if v3 {
			if dp = n.parsePostOpAttr(dp, v); dp < 0 {
				return false
			}
		}
		n.b = append(n.b, ' ')
		return n.parseFN(dp) >= 0
	case nfsRead:
		if !v3 {
			return n.parseAttrStat(dp, v, false)
		}
		er := n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if dp = n.parsePostOpAttr(dp, v); dp < 0 {
			return false
		}
		if er == 0 && v > 0 {
			c := n.w(dp)
			if n.jmp {
				return false
			}
			n.b = append(n.b, ' ')
			n.u(c)
			n.str(" bytes")
			if n.w(dp+4) != 0 {
				n.str(" EOF")
			}
		}
	case nfsWrite:
		if !v3 {
			return n.parseAttrStat(dp, v, false)
		}
		er := n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if dp = n.parseWccData(dp, v); dp < 0 {
			return false
		}
		if er == 0 && v > 0 {
			c := n.w(dp)
			if n.jmp {
				return false
			}
			n.b = append(n.b, ' ')
			n.u(c)
			n.str(" bytes")
			if v > 1 {
				m := n.w(dp + 4)
				if n.jmp {
					return false
				}
				n.str(" <")
				n.tok(nfsWriteModes[:], m)
				n.b = append(n.b, '>')
				verf := n.w64(dp + 8)
				if n.jmp {
					return false
				}
				n.str(" verf ")
				n.b = strconv.AppendUint(n.b, verf, 16)
			}
		}
	case nfsCreate, nfsMkdir:
		if v3 {
			return n.parseCreateOpRes(dp, v) >= 0
		}
		return n.parseDirOpRes(dp)
	case nfsSymlink:
		if v3 {
			return n.parseCreateOpRes(dp, v) >= 0
		}
		n.parseStatus(dp)
	case nfsMknod:
		return n.parseCreateOpRes(dp, v) >= 0
	case nfsRemove, nfsRmdir:
		if v3 {
			return n.parseWccRes(dp, v) >= 0
		}
		n.parseStatus(dp)
	case nfsRename:
		n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if v3 && v > 0 {
			n.str(" from:")
			if dp = n.parseWccData(dp, v); dp < 0 {
				return false
			}
			n.str(" to:")
			return n.parseWccData(dp, v) >= 0
		}
	case nfsLink:
		n.parseStatus(dp)
		dp += 4
		if n.jmp {
			return false
		}
		if v3 && v > 0 {
			n.str(" file POST:")
			if dp = n.parsePostOpAttr(dp, v); dp < 0 {
				return false
			}
			n.str(" dir:")
			return n.parseWccData(dp, v) >= 0
		}
	case nfsReaddir:
		if v3 {
			return n.parseV3RddirRes(dp, v) >= 0
		}
		er := n.parseStatus(dp)
		if n.jmp {
			return false
		}
		if er != 0 {
			return true
		}
		off, size := n.w(dp+4), n.w(dp+8)
		if n.jmp {
			return false
		}
		n.str(" offset 0x")
		n.b = appendHex(n.b, uint64(off), 1)
		n.str(" size ")
		n.u(size)
		n.b = append(n.b, ' ')
		if n.w(dp+12) != 0 {
			n.str(" eof")
		}
	case nfsReaddirplus:
		return n.parseV3RddirRes(dp, v) >= 0
	case nfsFsstat:
		return n.parseStatFS(dp, v3)
	case nfsFsinfo:
		return n.parseFSInfo(dp)
	case nfsPathconf:
		return n.parsePathconf(dp)
	case nfsCommit:
		if dp = n.parseWccRes(dp, v); dp < 0 {
			return false
		}
		if v > 1 {
			verf := n.w64(dp)
			if n.jmp {
				return false
			}
			n.str(" verf ")
			n.b = strconv.AppendUint(n.b, verf, 16)
		}
	}
	return !n.jmp
}

// parseRep returns the offset of a successful reply's results, or -1
// (having printed a failed accept status).
func (n *nfsPrinter) parseRep(length uint32) int {
	dp := 12
	l := n.w(dp + 4)
	if n.jmp || l >= length {
		return -1
	}
	dp += 4 * int((uint64(l)+11)/4)
	astat := n.w(dp)
	if n.jmp {
		return -1
	}
	if astat != 0 {
		n.b = append(n.b, ' ')
		if astat < uint32(len(nfsAcceptStats)) && nfsAcceptStats[astat] != "" {
			n.str(nfsAcceptStats[astat])
		} else {
			n.str("ar_stat ")
			n.b = strconv.AppendInt(n.b, int64(int32(astat)), 10)
		}
		n.nfserr = true
		return -1
	}
	return dp + 4
}

// parseStatus prints a non-zero NFS status as an error and returns it.
func (n *nfsPrinter) parseStatus(dp int) uint32 {
	e := n.w(dp)
	if n.jmp {
		return 0
	}
	if e != 0 {
		n.str(" ERROR: ")
		if s := nfsStatus(e); s != "" {
			n.str(s)
		} else {
			n.str("unk ")
			n.u(e)
		}
		n.nfserr = true
	}
	return e
}

// parseFattr prints file attributes at verbose and returns the offset
// after them, or -1.
func (n *nfsPrinter) parseFattr(dp, verbose int, v3 bool) int {
	if !n.has(dp+16, 4) {
		return -1
	}
	if verbose > 0 {
		typ, mode, uid, gid := n.w(dp), n.w(dp+4), n.w(dp+12), n.w(dp+16)
		n.b = append(n.b, ' ')
		n.fileType(typ, "unk-ft ")
		if typ >= uint32(len(nfsTypes)) || nfsTypes[typ] == "" {
			n.b = append(n.b, ' ')
		}
		n.b = append(n.b, ' ')
		n.b = strconv.AppendUint(n.b, uint64(mode), 8)
		n.str(" ids ")
		n.b = strconv.AppendInt(n.b, int64(int32(uid)), 10)
		n.b = append(n.b, '/')
		n.b = strconv.AppendInt(n.b, int64(int32(gid)), 10)
		var size uint64
		if v3 {
			size = n.w64(dp + 20)
		} else {
			size = uint64(n.w(dp + 20))
		}
		if n.jmp {
			return -1
		}
		n.str(" sz ")
		n.b = appendUint(n.b, size)
	}
	if verbose > 1 {
		if v3 {
			if !n.has(dp+76, 8) {
				return -1
			}
			n.str(" nlink ")
			n.u(n.w(dp + 8))
			n.str(" rdev ")
			n.u(n.w(dp + 36))
			n.b = append(n.b, '/')
			n.u(n.w(dp + 40))
			n.str(" fsid ")
			n.b = strconv.AppendUint(n.b, n.w64(dp+44), 16)
			n.str(" fileid ")
			n.b = strconv.AppendUint(n.b, n.w64(dp+52), 16)
			n.str(" a/m/ctime ")
			n.usec(n.w(dp+60), n.w(dp+64))
			n.b = append(n.b, ' ')
			n.usec(n.w(dp+68), n.w(dp+72))
			n.b = append(n.b, ' ')
			n.usec(n.w(dp+76), n.w(dp+80))
		} else {
			if !n.has(dp+60, 8) {
				return -1
			}
			n.str(" nlink ")
			n.u(n.w(dp + 8))
			n.str(" rdev 0x")
			n.b = appendHex(n.b, uint64(n.w(dp+28)), 1)
			n.str(" fsid 0x")
			n.b = appendHex(n.b, uint64(n.w(dp+36)), 1)
			n.str(" nodeid 0x")
			n.b = appendHex(n.b, uint64(n.w(dp+40)), 1)
			n.str(" a/m/ctime")
			for _, o := range [3]int{44, 52, 60} {
				n.b = append(n.b, ' ')
				n.usec(n.w(dp+o), n.w(dp+o+4))
			}
		}
	}
	if v3 {
		return dp + 84
	}
	return dp + 68
}

// parseAttrStat prints a status and, when it is OK, attributes.
func (n *nfsPrinter) parseAttrStat(dp, verbose int, v3 bool) bool {
	er := n.parseStatus(dp)
	if n.jmp {
		return false
	}
	if er != 0 {
		return true
	}
	return n.parseFattr(dp+4, verbose, v3) >= 0
}

// parseDirOpRes prints a version 2 directory operation result.
func (n *nfsPrinter) parseDirOpRes(dp int) bool {
	er := n.parseStatus(dp)
	if n.jmp {
		return false
	}
	if er != 0 {
		return true
	}
	if dp = n.parseFH(dp+4, false); dp < 0 {
		return false
	}
	return n.parseFattr(dp, n.verbose, false) >= 0
}

// parsePreOpAttr skips (or at -vv prints) optional pre-operation
// attributes.
func (n *nfsPrinter) parsePreOpAttr(dp, verbose int) int {
	f := n.w(dp)
	if n.jmp {
		return -1
	}
	if f == 0 {
		return dp + 4
	}
	dp += 4
	if !n.has(dp, 24) {
		return -1
	}
	if verbose > 1 {
		n.str(" sz ")
		n.b = appendUint(n.b, n.w64(dp))
		n.str(" mtime ")
		n.usec(n.w(dp+8), n.w(dp+12))
		n.str(" ctime ")
		n.usec(n.w(dp+16), n.w(dp+20))
	}
	return dp + 24
}

// parsePostOpAttr skips (or with -v prints) optional post-operation
// attributes.
func (n *nfsPrinter) parsePostOpAttr(dp, verbose int) int {
	f := n.w(dp)
	if n.jmp {
		return -1
	}
	if f == 0 {
		return dp + 4
	}
	dp += 4
	if verbose > 0 {
		return n.parseFattr(dp, verbose, true)
	}
	return dp + 84
}

// parseWccData prints weak cache consistency data.
func (n *nfsPrinter) parseWccData(dp, verbose int) int {
	if verbose > 1 {
		n.str(" PRE:")
	}
	if dp = n.parsePreOpAttr(dp, verbose); dp < 0 {
		return -1
	}
	if verbose > 0 {
		n.str(" POST:")
	}
	return n.parsePostOpAttr(dp, verbose)
}

// parseWccRes prints a status then weak cache consistency data.
func (n *nfsPrinter) parseWccRes(dp, verbose int) int {
	n.parseStatus(dp)
	if n.jmp {
		return -1
	}
	return n.parseWccData(dp+4, verbose)
}

// parseCreateOpRes prints a version 3 create result.
func (n *nfsPrinter) parseCreateOpRes(dp, verbose int) int {
	er := n.parseStatus(dp)
	if n.jmp {
		return -1
	}
	dp += 4
	if er != 0 {
		return n.parseWccData(dp, verbose)
	}
	f := n.w(dp)
	if n.jmp {
		return -1
	}
	if f == 0 {
		return dp + 4
	}
	if dp = n.parseFH(dp+4, true); dp < 0 {
		return -1
	}
	if verbose > 0 {
		if dp = n.parsePostOpAttr(dp, verbose); dp < 0 {
			return -1
		}
		if n.verbose > 1 {
			n.str(" dir attr:")
			dp = n.parseWccData(dp, verbose)
		}
	}
	return dp
}

// parseV3RddirRes prints a version 3 readdir or readdirplus result.
func (n *nfsPrinter) parseV3RddirRes(dp, verbose int) int {
	er := n.parseStatus(dp)
	if n.jmp {
		return -1
	}
	if n.verbose > 0 {
		n.str(" POST:")
	}
	if dp = n.parsePostOpAttr(dp+4, verbose); dp < 0 {
		return -1
	}
	if er != 0 {
		return dp
	}
	if n.verbose > 0 {
		a, c := n.w(dp), n.w(dp+4)
		if n.jmp {
			return -1
		}
		n.str(" verf ")
		n.b = appendHex(n.b, uint64(a), 8)
		n.b = appendHex(n.b, uint64(c), 8)
		dp += 8
	}
	return dp
}

// parseStatFS prints a file system statistics result.
func (n *nfsPrinter) parseStatFS(dp int, v3 bool) bool {
	er := n.parseStatus(dp)
	if n.jmp {
		return false
	}
	dp += 4
	if !v3 && er != 0 {
		return true
	}
	if v3 {
		if n.verbose > 0 {
			n.str(" POST:")
		}
		if dp = n.parsePostOpAttr(dp, n.verbose); dp < 0 {
			return false
		}
		if !n.has(dp, 52) {
			return false
		}
		for i, f := range [...]string{" tbytes ", " fbytes ", " abytes "} {
			n.str(f)
			n.b = appendUint(n.b, n.w64(dp+8*i))
		}
		if n.verbose > 0 {
			for i, f := range [...]string{" tfiles ", " ffiles ", " afiles "} {
				n.str(f)
				n.b = appendUint(n.b, n.w64(dp+24+8*i))
			}
			n.str(" invar ")
			n.u(n.w(dp + 48))
		}
		return true
	}
	if !n.has(dp, 20) {
		return false
	}
	for i, f := range [...]string{" tsize ", " bsize ", " blocks ", " bfree ", " bavail "} {
		n.str(f)
		n.u(n.w(dp + 4*i))
	}
	return true
}

// parseFSInfo prints a version 3 file system information result.
func (n *nfsPrinter) parseFSInfo(dp int) bool {
	er := n.parseStatus(dp)
	if n.jmp {
		return false
	}
	if n.verbose > 0 {
		n.str(" POST:")
	}
	if dp = n.parsePostOpAttr(dp+4, n.verbose); dp < 0 {
		return false
	}
	if er != 0 {
		return true
	}
	if !n.has(dp, 48) {
		return false
	}
	for _, f := range [...]struct {
		name string
		off  int
	}{{" rtmax ", 0}, {" rtpref ", 4}, {" wtmax ", 12}, {" wtpref ", 16}, {" dtpref ", 24}} {
		n.str(f.name)
		n.u(n.w(dp + f.off))
	}
	if n.verbose > 0 {
		n.str(" rtmult ")
		n.u(n.w(dp + 8))
		n.str(" wtmult ")
		n.u(n.w(dp + 20))
		n.str(" maxfsz ")
		n.b = appendUint(n.b, n.w64(dp+28))
		n.str(" delta ")
		n.usec(n.w(dp+36), n.w(dp+40))
		n.b = append(n.b, ' ')
	}
	return true
}

// parsePathconf prints a version 3 path configuration result.
func (n *nfsPrinter) parsePathconf(dp int) bool {
	er := n.parseStatus(dp)
	if n.jmp {
		return false
	}
	if n.verbose > 0 {
		n.str(" POST:")
	}
	if dp = n.parsePostOpAttr(dp+4, n.verbose); dp < 0 {
		return false
	}
	if er != 0 {
		return true
	}
	if !n.has(dp, 24) {
		return false
	}
	n.str(" linkmax ")
	n.u(n.w(dp))
	n.str(" namemax ")
	n.u(n.w(dp + 4))
	for i, f := range [...]string{"notrunc", "chownres", "igncase", "keepcase"} {
		n.b = append(n.b, ' ')
		if n.w(dp+8+4*i) != 0 {
			n.str(f)
		}
	}
	return true
}
