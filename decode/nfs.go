package decode

import "strconv"

// NFS (versions 2 and 3) over Sun RPC, on UDP or TCP port 2049, as tcpdump
// prints it: "NFS request xid X LEN proc args" for a call to the port,
// "NFS reply xid X reply ok LEN proc results" for a reply from it (the
// procedure remembered from the call, as tcpdump's 64-entry map does).
// File handles are shown as tcpdump guesses their layout: "fh major,minor/
// inode", "fh Unknown/HEX" or a VMS device name.
//
//	call:  | xid 4 | 0 4 | rpcvers 4 | prog 4 | vers 4 | proc 4 | cred | verf | args |
//	reply: | xid 4 | 1 4 | stat 4 | verf | accept stat 4 | results |

const portNFS = 2049

// NFS procedures (version 3 numbers; version 2 ones are mapped onto them).
const (
	nfsNull        = 0
	nfsGetattr     = 1
	nfsSetattr     = 2
	nfsLookup      = 3
	nfsAccess      = 4
	nfsReadlink    = 5
	nfsRead        = 6
	nfsWrite       = 7
	nfsCreate      = 8
	nfsMkdir       = 9
	nfsSymlink     = 10
	nfsMknod       = 11
	nfsRemove      = 12
	nfsRmdir       = 13
	nfsRename      = 14
	nfsLink        = 15
	nfsReaddir     = 16
	nfsReaddirplus = 17
	nfsFsstat      = 18
	nfsFsinfo      = 19
	nfsPathconf    = 20
	nfsCommit      = 21
	nfsNoop        = 25
)

// nfsV2Procs maps NFS version 2 procedure numbers onto version 3 ones.
var nfsV2Procs = [26]uint32{nfsNull, nfsGetattr, nfsSetattr, nfsNoop, nfsLookup, nfsReadlink,
	nfsRead, nfsNoop, nfsWrite, nfsCreate, nfsRemove, nfsRename, nfsLink, nfsSymlink, nfsMkdir,
	nfsRmdir, nfsReaddir, nfsFsstat, nfsNoop, nfsNoop, nfsNoop, nfsNoop, nfsNoop, nfsNoop,
	nfsNoop, nfsNoop}

var nfsProcNames = [26]string{"null", "getattr", "setattr", "lookup", "access", "readlink",
	"read", "write", "create", "mkdir", "symlink", "mknod", "remove", "rmdir", "rename", "link",
	"readdir", "readdirplus", "fsstat", "fsinfo", "pathconf", "commit", 25: "nop"}

var nfsTypes = [8]string{"NON", "REG", "DIR", "BLK", "CHR", "LNK", 7: "FIFO"}

var nfsWriteModes = [3]string{"unstable", "datasync", "filesync"}

var nfsAcceptStats = [6]string{1: "PROG_UNAVAIL", 2: "PROG_MISMATCH", 3: "PROC_UNAVAIL",
	4: "GARBAGE_ARGS", 5: "SYSTEM_ERR"}

var nfsAuthStats = [8]string{"OK", "Bogus Credentials (seal broken)",
	"Rejected Credentials (client should begin new session)", "Bogus Verifier (seal broken)",
	"Verifier expired or was replayed", "Credentials are too weak", "Bogus response verifier",
	"Unknown failure"}

// nfsStatus names NFS status codes.
func nfsStatus(v uint32) string {
	switch v {
	case 1:
		return "Operation not permitted"
	case 2:
		return "No such file or directory"
	case 5:
		return "Input/output error"
	case 6:
		return "Device not configured"
	case 11:
		return "Resource deadlock avoided"
	case 12:
		return "Cannot allocate memory"
	case 13:
		return "Permission denied"
	case 17:
		return "File exists"
	case 18:
		return "Cross-device link"
	case 19:
		return "Operation not supported by device"
	case 20:
		return "Not a directory"
	case 21:
		return "Is a directory"
	case 22:
		return "Invalid argument"
	case 26:
		return "Text file busy"
	case 27:
		return "File too large"
	case 28:
		return "No space left on device"
	case 30:
		return "Read-only file system"
	case 31:
		return "Too many links"
	case 45:
		return "Operation not supported"
	case 62:
		return "Too many levels of symbolic links"
	case 63:
		return "File name too long"
	case 66:
		return "Directory not empty"
	case 69:
		return "Disc quota exceeded"
	case 70:
		return "Stale NFS file handle"
	case 71:
		return "Too many levels of remote in path"
	case 99:
		return "Write cache flushed to disk"
	case 10001:
		return "Illegal NFS file handle"
	case 10002:
		return "Update synchronization mismatch"
	case 10003:
		return "READDIR/READDIRPLUS cookie is stale"
	case 10004:
		return "Operation not supported"
	case 10005:
		return "Buffer or request is too small"
	case 10006:
		return "Unspecified error on server"
	case 10007:
		return "Object of that type not supported"
	case 10008:
		return "Request couldn't be completed in time"
	}
	return ""
}

// nfsXid is a call remembered so its reply can be interpreted.
type nfsXid struct {
	xid, proc, vers uint32
	v6              bool
	used            bool
	client, server  [16]byte
}

// nfsXidMap is tcpdump's ring of the last 64 calls, searched from where
// the last search succeeded.
type nfsXidMap struct {
	e          [64]nfsXid
	next, hint int
}

// nfsPrinter prints an RPC message at d[0:] (the captured bytes). jmp says
// a read ran past the captured data: tcpdump then abandons the packet with
// [|nfs] and nothing more is printed. Offsets of -1 stand for tcpdump's
// NULL (a failed check).
type nfsPrinter struct {
	b       []byte
	d       []byte
	jmp     bool
	nfserr  bool
	verbose int
}

// w reads the 32-bit word at off.
func (n *nfsPrinter) w(off int) uint32 {
	if n.jmp || off < 0 || off+4 > len(n.d) {
		n.jmp = true
		return 0
	}
	return be32(n.d[off:])
}

// w64 reads the 64-bit word at off.
func (n *nfsPrinter) w64(off int) uint64 {
	hi, lo := n.w(off), n.w(off+4)
	return uint64(hi)<<32 | uint64(lo)
}

// has says whether size bytes from off were captured (ND_TTEST).
func (n *nfsPrinter) has(off int, size uint64) bool {
	return off >= 0 && uint64(off)+size <= uint64(len(n.d))
}

func (n *nfsPrinter) str(s string) { n.b = append(n.b, s...) }

func (n *nfsPrinter) u(v uint32) { n.b = appendUint(n.b, uint64(v)) }

// usec appends "%u.%06u".
func (n *nfsPrinter) usec(sec, frac uint32) {
	n.u(sec)
	n.b = append(n.b, '.')
	var t [10]byte
	f := strconv.AppendUint(t[:0], uint64(frac), 10)
	for i := len(f); i < 6; i++ {
		n.b = append(n.b, '0')
	}
	n.b = append(n.b, f...)
}

// nfsRequest prints a call to the NFS port after "NFS request xid X ";
// length is the RPC message's length.
func (p *Printer) nfsRequest(n *nfsPrinter, length uint32, h *ipHdr) {
	n.u(length)
	if !n.has(20, 4) {
		n.b = appendTrunc(n.b, "nfs")
		return
	}
	p.rpc.nfs.enter(n.w(0), n.w(20), n.w(16), h)
	v3 := n.w(16) == 3
	proc := n.w(20)
	if !v3 && proc < uint32(len(nfsV2Procs)) {
		proc = nfsV2Procs[proc]
	}
	n.b = append(n.b, ' ')
	n.procName(proc)
	if !n.request(proc, v3, length) || n.jmp {
		n.b = appendTrunc(n.b, "nfs")
	}
}

// procName appends the name of proc or "proc-N".
func (n *nfsPrinter) procName(proc uint32) {
	if proc < uint32(len(nfsProcNames)) && nfsProcNames[proc] != "" {
		n.str(nfsProcNames[proc])
		return
	}
	n.str("proc-")
	n.u(proc)
}

// request prints the arguments of a call; false means tcpdump's trunc.
func (n *nfsPrinter) request(proc uint32, v3 bool, length uint32) bool {
	switch proc {
	case nfsGetattr, nfsSetattr, nfsReadlink, nfsFsstat, nfsFsinfo, nfsPathconf:
		dp := n.parseReq(length)
		return dp >= 0 && n.parseFH(dp, v3) >= 0
	case nfsLookup, nfsCreate, nfsMkdir, nfsRemove, nfsRmdir:
		dp := n.parseReq(length)
		return dp >= 0 && n.parseFHN(dp, v3) >= 0
	case nfsAccess:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFH(dp, v3); dp < 0 {
			return false
		}
		f := n.w(dp)
		if n.jmp {
			return false
		}
		switch {
		case f&^0x3f != 0:
			n.b = append(n.b, ' ')
			n.b = appendHex(n.b, uint64(f), 4)
		case f == 0x3f:
			n.str(" NFS_ACCESS_FULL")
		default:
			sep := byte(' ')
			for i, name := range [...]string{"NFS_ACCESS_READ", "NFS_ACCESS_LOOKUP", "NFS_ACCESS_MODIFY",
				"NFS_ACCESS_EXTEND", "NFS_ACCESS_DELETE", "NFS_ACCESS_EXECUTE"} {
				if f&(1<<i) != 0 {
					n.b = append(n.b, sep)
					n.str(name)
					sep = '|'
				}
			}
		}
	case nfsRead, nfsWrite, nfsReaddir, nfsReaddirplus, nfsCommit:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFH(dp, v3); dp < 0 {
			return false
		}
		return n.ioArgs(proc, dp, v3)
	case nfsSymlink:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFHN(dp, v3); dp < 0 {
			return false
		}
		n.str(" ->")
		var sa nfsSattr
		if v3 {
			if dp = n.parseSattr3(dp, &sa); n.jmp {
				return false
			}
		}
		if n.parseFN(dp) < 0 {
			return false
		}
		if v3 && n.verbose > 0 {
			n.printSattr3(&sa)
		}
	case nfsMknod:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFHN(dp, v3); dp < 0 {
			return false
		}
		typ := n.w(dp)
		var sa nfsSattr
		dp = n.parseSattr3(dp+4, &sa)
		if n.jmp {
			return false
		}
		n.b = append(n.b, ' ')
		n.fileType(typ, "unk-ft ")
		if n.verbose > 0 && (typ == 4 || typ == 3) {
			a, c := n.w(dp), n.w(dp+4)
			if n.jmp {
				return false
			}
			n.b = append(n.b, ' ')
			n.u(a)
			n.b = append(n.b, '/')
			n.u(c)
		}
		if n.verbose > 0 {
			n.printSattr3(&sa)
		}
	case nfsRename:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFHN(dp, v3); dp < 0 {
			return false
		}
		n.str(" ->")
		return n.parseFHN(dp, v3) >= 0
	case nfsLink:
		dp := n.parseReq(length)
		if dp < 0 {
			return false
		}
		if dp = n.parseFH(dp, v3); dp < 0 {
			return false
		}
		n.str(" ->")
		return n.parseFHN(dp, v3) >= 0
	}
	return true
}

// ioArgs prints the offsets and counts of read, write, readdir,
// readdirplus and commit calls.
func (n *nfsPrinter) ioArgs(proc uint32, dp int, v3 bool) bool {
	if !v3 && proc != nfsReaddirplus && proc != nfsCommit {
		switch proc {
		case nfsWrite:
			a, b, c, d := n.w(dp+12), n.w(dp+8), n.w(dp+4), n.w(dp)
			if n.jmp {
				return false
			}
			n.b = append(n.b, ' ')
			n.u(a)
			n.str(" (")
			n.u(b)
			n.str(") bytes @ ")
			n.u(c)
			n.str(" (")
			n.u(d)
			n.b = append(n.b, ')')
		default: // read, readdir
			a, c := n.w(dp+4), n.w(dp)
			if n.jmp {
				return false
			}
			n.b = append(n.b, ' ')
			n.u(a)
			n.str(" bytes @ ")
			n.u(c)
		}
		return true
	}
	off := n.w64(dp)
	switch proc {
	case nfsRead, nfsCommit:
		cnt := n.w(dp + 8)
		if n.jmp {
			return false
		}
		n.b = append(n.b, ' ')
		n.u(cnt)
		n.str(" bytes @ ")
		n.b = appendUint(n.b, off)
	case nfsWrite:
		cnt, cnt2 := n.w(dp+16), n.w(dp+8)
		if n.jmp {
			return false
		}
		n.b = append(n.b, ' ')
		n.u(cnt)
		n.str(" (")
		n.u(cnt2)
		n.str(") bytes @ ")
		n.b = appendUint(n.b, off)
		if n.verbose > 0 {
			m := n.w(dp + 12)
			if n.jmp {
				return false
			}
			n.str(" <")
			n.tok(nfsWriteModes[:], m)
			n.b = append(n.b, '>')
		}
	case nfsReaddir, nfsReaddirplus:
		cnt := n.w(dp + 16)
		if n.jmp {
			return false
		}
		n.b = append(n.b, ' ')
		n.u(cnt)
		n.str(" bytes @ ")
		n.b = strconv.AppendInt(n.b, int64(off), 10)
		if n.verbose > 0 {
			var mx uint32
			if proc == nfsReaddirplus {
				mx = n.w(dp + 20)
			}
			v1, v2 := n.w(dp+8), n.w(dp+12)
			if n.jmp {
				return false
			}
			if proc == nfsReaddirplus {
				n.str(" max ")
				n.u(mx)
			}
			n.str(" verf ")
			n.b = appendHex(n.b, uint64(v1), 8)
			n.b = appendHex(n.b, uint64(v2), 8)
		}
	}
	return true
}

// tok appends names[v] or "#v".
func (n *nfsPrinter) tok(names []string, v uint32) {
	if v < uint32(len(names)) && names[v] != "" {
		n.str(names[v])
		return
	}
	n.b = append(n.b, '#')
	n.b = strconv.AppendInt(n.b, int64(int32(v)), 10)
}

// fileType appends the name of an NFS file type, or unk prefix and number.
func (n *nfsPrinter) fileType(t uint32, unk string) {
	if t < uint32(len(nfsTypes)) && nfsTypes[t] != "" {
		n.str(nfsTypes[t])
		return
	}
	n.str(unk)
	n.u(t)
}

// parseReq returns the offset of a call's arguments after its credentials
// and verifier, as tcpdump's parsereq (with its 32-bit arithmetic), or -1.
func (n *nfsPrinter) parseReq(length uint32) int {
	dp := 24
	if length < 8 {
		return -1
	}
	l := n.w(dp + 4)
	if n.jmp {
		return -1
	}
	r := (l + 3) &^ 3 // wraps in 32 bits, as tcpdump's roundup2
	if !n.has(dp+8, uint64(r)) {
		return -1
	}
	if 8+uint64(r) > uint64(length) {
		return -1
	}
	dp += 4 * int((uint64(l)+11)/4)
	length -= 8 + r
	if length < 8 {
		return -1
	}
	l = n.w(dp + 4)
	if n.jmp {
		return -1
	}
	r = (l + 3) &^ 3
	if !n.has(dp+8, uint64(r)) {
		return -1
	}
	if 8+uint64(r) >= uint64(length) {
		return -1
	}
	return dp + 4*int((uint64(l)+11)/4)
}

// parseFH prints the file handle at dp and returns the offset after it.
func (n *nfsPrinter) parseFH(dp int, v3 bool) int {
	words := uint32(8)
	if v3 {
		words = n.w(dp) / 4
		if n.jmp {
			return -1
		}
		dp += 4
	}
	if !n.has(dp, uint64(words)*4) {
		return -1
	}
	n.printFH(n.d[dp:dp+int(words)*4], words)
	return dp + int(words)*4
}

// parseFN prints a counted file name in quotes and returns the offset
// after it (padded to 4 bytes).
func (n *nfsPrinter) parseFN(dp int) int {
	l := n.w(dp)
	if n.jmp {
		return -1
	}
	dp += 4
	if ^uint32(0)-l < 3 {
		n.str("[cannot pad to 32-bit boundaries] (invalid)")
		return -1
	}
	r := (l + 3) &^ 3
	if !n.has(dp, uint64(r)) {
		return -1
	}
	n.b = append(n.b, '"')
	n.b = appendEscaped(n.b, n.d[dp:dp+int(l)])
	n.b = append(n.b, '"')
	return dp + int(r)
}

// parseFHN prints a file handle and a file name.
func (n *nfsPrinter) parseFHN(dp int, v3 bool) int {
	if dp = n.parseFH(dp, v3); dp < 0 {
		return -1
	}
	n.b = append(n.b, ' ')
	return n.parseFN(dp)
}

// nfsSattr holds the settable attributes of a version 3 call.
type nfsSattr struct {
	modeSet, uidSet, gidSet, atimeSet, mtimeSet bool
	mode, uid, gid                              uint32
	atime, mtime                                [2]uint32
}

// parseSattr3 reads a sattr3 at dp and returns the offset after it.
func (n *nfsPrinter) parseSattr3(dp int, sa *nfsSattr) int {
	opt := func(set *bool, v *uint32) {
		*set = n.w(dp) != 0
		dp += 4
		if *set {
			*v = n.w(dp)
			dp += 4
		}
	}
	opt(&sa.modeSet, &sa.mode)
	opt(&sa.uidSet, &sa.uid)
	opt(&sa.gidSet, &sa.gid)
	var size uint32
	var sizeSet bool
	opt(&sizeSet, &size)
	for _, t := range [2]*[2]uint32{&sa.atime, &sa.mtime} {
		set := n.w(dp) == 2
		dp += 4
		if set {
			t[0], t[1] = n.w(dp), n.w(dp+4)
			dp += 8
		}
		if t == &sa.atime {
			sa.atimeSet = set
		} else {
			sa.mtimeSet = set
		}
	}
	return dp
}

// printSattr3 prints the attributes a version 3 call sets.
func (n *nfsPrinter) printSattr3(sa *nfsSattr) {
	if sa.modeSet {
		n.str(" mode ")
		n.b = strconv.AppendUint(n.b, uint64(sa.mode), 8)
	}
	if sa.uidSet {
		n.str(" uid ")
		n.u(sa.uid)
	}
	if sa.gidSet {
		n.str(" gid ")
		n.u(sa.gid)
	}
	if n.verbose > 1 {
		if sa.atimeSet {
			n.str(" atime ")
			n.usec(sa.atime[0], sa.atime[1])
		}
		if sa.mtimeSet {
			n.str(" mtime ")
			n.usec(sa.mtime[0], sa.mtime[1])
		}
	}
}

// printFH prints a file handle of words 32-bit words as tcpdump guesses
// its layout from the server's operating system.
func (n *nfsPrinter) printFH(fh []byte, words uint32) {
	var major, minor, ino uint32
	var fsname []byte
	unknown := false
	at := func(i int) byte { return fh[i] }
	le32 := func(i int) uint32 {
		return uint32(fh[i]) | uint32(fh[i+1])<<8 | uint32(fh[i+2])<<16 | uint32(fh[i+3])<<24
	}
	be24 := func(i int) uint32 { return uint32(fh[i])<<16 | uint32(fh[i+1])<<8 | uint32(fh[i+2]) }
	switch {
	case words < 4:
		unknown = true
	case at(0) == 0 && at(1) == 0:
		switch {
		case at(2) == 0 && at(3) == 0: // Auspex
			minor, major, ino = uint32(at(7)), uint32(at(6)), be32(fh[12:])
		case at(4) != 0 && at(5) == 0 && at(8) == 12 && at(9) == 0: // DEC OSF
			t := le32(0)
			minor, major, ino = t&0xfffff, t>>20&0xfff, le32(12)
		case at(4) == 0 && at(5) == 8 && at(6) == 0 && at(7) == 0: // IRIX 4
			minor, major, ino = uint32(at(3)), uint32(at(2)), be32(fh[8:])
		default: // SunOS 4
			minor, major, ino = uint32(at(3)), uint32(at(2)), be32(fh[12:])
		}
	case at(2) == 0 && at(3) == 0:
		switch {
		case at(6) == 0 && at(7) == 0: // BSD 4.4
			minor, major, ino = uint32(at(0)), uint32(at(1)), le32(12)
		case words >= 6 && at(21) == 0 && at(23) == 0: // Ultrix
			minor, major, ino = uint32(at(0)), uint32(at(1)), le32(4)
		case at(9) == 10: // SunOS 5
			major, minor, ino = uint32(be16(fh))>>2&0x3fff, be24(1)&0x3ffff, be32(fh[12:])
		default:
			unknown = true
		}
	case at(8) == 12 && at(9) == 0: // DEC OSF
		t := le32(0)
		minor, major, ino = t&0xfffff, t>>20&0xfff, le32(12)
	case at(8) == 0 && at(9) == 10:
		if at(7) == 0 && at(6) == 0 && at(5) == 0 && at(4) == 0 { // HP-UX 9
			major, minor, ino = uint32(at(0)), be24(1), be32(fh[12:])
		} else { // SunOS 5
			major, minor, ino = uint32(be16(fh))>>2&0x3fff, be24(1)&0x3ffff, be32(fh[12:])
		}
	case nfsIsUCX(fh, words): // VMS UCX: the device name is the file system
		fsname = fh[1:]
		minor = le32(0)
		ino = uint32(at(26))<<24 | uint32(at(27))<<16 | uint32(at(22)) | uint32(at(23))<<8
	default:
		unknown = true
	}
	if unknown {
		fsname = []byte("Unknown")
		minor = 257
	}
	if fsname != nil {
		// tcpdump copies at most as many characters as the handle has
		// words, up to the first NUL, and cuts at the first space.
		k := min(int(words), 64, len(fsname))
		name := fsname[:k]
		for i, c := range name {
			if c == 0 || c == ' ' {
				name = name[:i]
				break
			}
		}
		n.str(" fh ")
		n.b = append(n.b, name...)
		n.b = append(n.b, '/')
	} else {
		n.str(" fh ")
		n.u(major)
		n.b = append(n.b, ',')
		n.u(minor)
		n.b = append(n.b, '/')
	}
	if minor == 257 {
		if unknown {
			for i := 0; i < int(words)*4 && i < 32; i++ {
				n.b = append(n.b, "0123456789ABCDEF"[fh[i]>>4], "0123456789ABCDEF"[fh[i]&0xf])
			}
		}
		return
	}
	n.u(ino)
}

// nfsIsUCX says whether a handle looks like a VMS UCX one: bytes 1-13 a
// printable name padded with NULs.
func nfsIsUCX(fh []byte, words uint32) bool {
	if words < 7 {
		return false
	}
	seenNul := false
	for i := 1; i < 14; i++ {
		c := fh[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			if seenNul {
				return false
			}
		case c == 0:
			seenNul = true
		default:
			return false
		}
	}
	return true
}

// enter remembers a call for its reply.
func (m *nfsXidMap) enter(xid, proc, vers uint32, h *ipHdr) {
	e := &m.e[m.next]
	m.next = (m.next + 1) % len(m.e)
	*e = nfsXid{xid: xid, proc: proc, vers: vers, v6: len(h.src) == 16, used: true}
	copy(e.client[:], h.src)
	copy(e.server[:], h.dst)
}

// find returns the procedure and version of the call a reply answers.
func (m *nfsXidMap) find(xid uint32, h *ipHdr) (uint32, uint32, bool) {
	var src, dst [16]byte
	copy(src[:], h.src)
	copy(dst[:], h.dst)
	v6 := len(h.src) == 16
	i := m.hint
	for {
		e := &m.e[i]
		if e.used && e.v6 == v6 && e.xid == xid && e.server == src && e.client == dst {
			m.hint = i
			return e.proc, e.vers, true
		}
		i = (i + 1) % len(m.e)
		if i == m.hint {
			return 0, 0, false
		}
	}
}

// nfs prints an NFS call or reply whose RPC message starts at d (captured
// bytes), length bytes long; request says which. prefix is printed first
// (": " over TCP, nothing over UDP).
func (p *Printer) nfs(b, d []byte, length uint32, request bool, prefix string, h *ipHdr) []byte {
	n := nfsPrinter{b: b, d: d, verbose: p.opts.Verbose}
	n.str(prefix)
	if request {
		n.str("NFS request xid ")
		n.u(be32(d))
		n.b = append(n.b, ' ')
		p.nfsRequest(&n, length, h)
	} else {
		n.str("NFS reply xid ")
		n.u(be32(d))
		n.b = append(n.b, ' ')
		p.nfsReply(&n, length, h)
	}
	return n.b
}

// nfsDirection says whether an RPC message to or from the NFS port is an
// NFS call or reply tcpdump prints: ok is false when d (the captured RPC
// message) is too short to say or the direction does not fit the ports.
func nfsDirection(d []byte, sp, dp int) (request, ok bool) {
	if len(d) < 8 {
		return false, false
	}
	switch dir := be32(d[4:]); {
	case dp == portNFS && dir == 0:
		return true, true
	case sp == portNFS && dir == 1:
		return false, true
	}
	return false, false
}

// udpNFS prints a UDP datagram to or from the NFS port that is an NFS call
// or reply; tcpdump tries this before any other UDP protocol.
func (p *Printer) udpNFS(b, d []byte, length, sp, dp int, h *ipHdr) ([]byte, bool) {
	if sp != portNFS && dp != portNFS {
		return b, false
	}
	req, ok := nfsDirection(d, sp, dp)
	if !ok {
		return b, false
	}
	return p.nfs(b, d, uint32(length), req, "", h), true
}

// tcpNFS prints a TCP segment to or from the NFS port: a record mark then
// an NFS call or reply.
func (p *Printer) tcpNFS(b, d []byte, plen, sp, dp int, h *ipHdr) []byte {
	if plen < 4 || len(d) < 4 {
		return b
	}
	frag := be32(d) & 0x7fffffff
	if frag > uint32(plen-4) {
		frag = uint32(plen - 4)
	}
	req, ok := nfsDirection(d[4:], sp, dp)
	if !ok {
		return b
	}
	return p.nfs(b, d[4:], frag, req, ": ", h)
}
