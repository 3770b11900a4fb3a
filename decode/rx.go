package decode

import (
	"strconv"
	"time"
)

// AFS Rx over UDP ports 7000-7009, as tcpdump -n prints it: the packet
// type, then for the first data packet of a call to a known AFS service
// (fs, cb, pt, vldb, kauth, vol, bos) the call and its arguments, for the
// first data packet (or abort) of a reply the call it answers (remembered
// from the call, as tcpdump does) and its results, for an ack the acked
// ranges; then " (length)".
//
//	| epoch 4 | cid 4 | call 4 | seq 4 | serial 4 | type 1 | flags 1 |
//	| status 1 | security 1 | spare 2 | service 2 | opcode 4 | args... |

const rxHeaderLen = 28

// Rx packet types and flags.
const (
	rxData       = 1
	rxAck        = 2
	rxAbort      = 4
	rxClientInit = 1
)

// Rx service ports.
const (
	rxPortFS    = 7000
	rxPortCB    = 7001
	rxPortPT    = 7002
	rxPortVLDB  = 7003
	rxPortKauth = 7004
	rxPortVol   = 7005
	rxPortBOS   = 7007
)

var rxTypes = [14]string{1: "data", 2: "ack", 3: "busy", 4: "abort", 5: "ackall",
	6: "challenge", 7: "response", 8: "debug", 9: "params", 13: "version"}

var rxAckReasons = [10]string{1: "ack requested", 2: "duplicate packet", 3: "out of sequence",
	4: "exceeds window", 5: "no buffer space", 6: "ping", 7: "ping response", 8: "delay", 9: "idle"}

// rxFlagNames are the -vv flag names in order; slow-start applies to acks
// only and jumbogram (the same bit) to data packets only.
var rxFlagNames = [...]struct {
	bit, typ byte
	name     string
}{{1, 0, "client-init"}, {2, 0, "req-ack"}, {4, 0, "last-pckt"}, {8, 0, "more-pckts"},
	{16, 0, "free-pckt"}, {32, rxAck, "slow-start"}, {32, rxData, "jumbogram"}}

// opRange names the opcodes base, base+1, ... of one contiguous range.
type opRange struct {
	base  uint32
	names []string
}

// opName returns the name of op in the ranges, or "".
func opName(rs []opRange, op uint32) string {
	for _, r := range rs {
		if op >= r.base && op-r.base < uint32(len(r.names)) {
			return r.names[op-r.base]
		}
	}
	return ""
}

var (
	rxFSOps = []opRange{{130, []string{"fetch-data", "fetch-acl", "fetch-status", "store-data",
		"store-acl", "store-status", "remove-file", "create-file", "rename", "symlink", "link",
		"makedir", "rmdir", "oldsetlock", "oldextlock", "oldrellock", "get-stats", "give-cbs",
		"get-vlinfo", "get-vlstats", "set-vlstats", "get-rootvl", "check-token", "get-time",
		"nget-vlinfo", "bulk-stat", "setlock", "extlock", "rellock", "xstat-ver", "get-xstat",
		"dfs-lookup", "dfs-flushcps", "dfs-symlink"}},
		{220, []string{"residency"}},
		{65536, []string{"inline-bulk-status", "fetch-data-64", "store-data-64", "give-up-all-cbs",
			"get-caps", "cb-rx-conn-addr"}}}
	rxCBOps = []opRange{{204, []string{"callback", "initcb", "probe", "getlock", "getce", "xstatver",
		"getxstat", "initcb2", "whoareyou", "initcb3", "probeuuid", "getsrvprefs", "getcellservdb",
		"getlocalcell", "getcacheconf"}},
		{65536, []string{"getce64", "getcellbynum", "tellmeaboutyourself"}}}
	rxPTOps = []opRange{{500, []string{"new-user", "where-is-it", "dump-entry", "add-to-group",
		"name-to-id", "id-to-name", "delete", "remove-from-group", "get-cps", "new-entry",
		"list-max", "set-max", "list-entry", "change-entry", "list-elements", "same-mbr-of",
		"set-fld-sentry", "list-owned", "get-cps2", "get-host-cps", "update-entry", "list-entries"}},
		{530, []string{"list-super-groups"}}}
	rxVLDBOps = []opRange{{501, []string{"create-entry", "delete-entry", "get-entry-by-id",
		"get-entry-by-name", "get-new-volume-id", "replace-entry", "update-entry", "setlock",
		"releaselock", "list-entry", "list-attrib", "linked-list", "get-stats", "probe",
		"get-addrs", "change-addr", "create-entry-n", "get-entry-by-id-n", "get-entry-by-name-n",
		"replace-entry-n", "list-entry-n", "list-attrib-n", "linked-list-n",
		"update-entry-by-name", "create-entry-u", "get-entry-by-id-u", "get-entry-by-name-u",
		"replace-entry-u", "list-entry-u", "list-attrib-u", "linked-list-u", "regaddr",
		"get-addrs-u", "list-attrib-n2"}}}
	rxKauthOps = []opRange{{1, []string{"auth-old", "change-pw", "get-ticket-old", "set-pw",
		"set-fields", "create-user", "delete-user", "get-entry", "list-entry", "get-stats",
		"debug", "get-pw", "get-random-key", "unlock", "lock-status"}},
		{21, []string{"authenticate", "authenticate-v2", "get-ticket"}}}
	rxVolOps = []opRange{{100, []string{"create-volume", "delete-volume", "restore", "forward",
		"end-trans", "clone", "set-flags", "get-flags", "trans-create", "dump", "get-nth-volume",
		"set-forwarding", "get-name", "get-status", "sig-restore", "list-partitions",
		"list-volumes", "set-id-types", "monitor", "partition-info", "reclone",
		"list-one-volume", "nuke", "set-date", "x-list-volumes", "x-list-one-volume",
		"set-info", "x-list-partitions", "forward-multiple"}},
		{65536, []string{"convert-ro", "get-size", "dump-v2"}}}
	rxBOSOps = []opRange{{80, []string{"create-bnode", "delete-bnode", "set-status", "get-status",
		"enumerate-instance", "get-instance-info", "get-instance-parm", "add-superuser",
		"delete-superuser", "list-superusers", "list-keys", "add-key", "delete-key",
		"set-cell-name", "get-cell-name", "get-cell-host", "add-cell-host", "delete-cell-host",
		"set-t-status", "shutdown-all", "restart-all", "startup-all", "set-noauth-flag",
		"re-bozo", "restart", "start-bozo-install", "uninstall", "get-dates", "exec", "prune",
		"set-restart-time", "get-restart-time", "start-bozo-log", "wait-all",
		"get-instance-strings", "get-restricted", "set-restricted"}}}
	rxUbikOps = []opRange{{10000, []string{"vote-beacon", "vote-debug-old", "vote-sdebug-old",
		"vote-getsyncsite", "vote-debug", "vote-sdebug", "vote-xdebug", "vote-xsdebug"}},
		{20000, []string{"disk-begin", "disk-commit", "disk-lock", "disk-write",
			"disk-getversion", "disk-getfile", "disk-sendfile", "disk-abort",
			"disk-releaselocks", "disk-truncate", "disk-probe", "disk-writev",
			"disk-interfaceaddr", "disk-setversion"}}}
	rxFSErrors = [12]string{"salvage volume", "no such vnode", "no such volume", "volume exist",
		"no service", "volume offline", "voline online", "diskfull", "diskquota exceeded",
		"volume busy", "volume moved", "AFS IO error"}
	rxVolTypes = [3]string{"read-write", "read-only", "backup"}
)

// isUbik says whether op is a Ubik (replicated database) opcode.
func isUbik(op uint32) bool {
	return (op >= 10000 && op <= 10007) || (op >= 20000 && op <= 20013)
}

// rxCacheEntry remembers a call so its reply can be named.
type rxCacheEntry struct {
	callnum, client, server uint32
	dport, service          uint16
	opcode                  uint32
}

// rxCache is tcpdump's ring of the last 64 calls seen, searched from where
// the last search succeeded.
type rxCache struct {
	e          [64]rxCacheEntry
	next, hint int
}

// rxAddrs returns the 32-bit words tcpdump reads as the IPv4 source and
// destination of the datagram (for IPv6, bytes of the source address, as
// its cast of the header gives).
func rxAddrs(h *ipHdr) (src, dst uint32) {
	if len(h.src) == 16 {
		return be32(h.src[4:]), be32(h.src[8:])
	}
	return be32(h.src), be32(h.dst)
}

// xdrPrinter prints the XDR fields of an Rx call or reply. Its state is
// sticky: once the data ran out (jmp: tcpdump abandons the packet with
// [|rx]) or a bounds check failed (trunc: the service's own marker, then
// the length), every later step does nothing.
type xdrPrinter struct {
	b     []byte
	d     []byte
	p     int
	jmp   bool
	trunc bool
	loc   *time.Location
}

func (x *xdrPrinter) stop() bool { return x.jmp || x.trunc }

// lit appends s.
func (x *xdrPrinter) lit(s string) {
	if !x.stop() {
		x.b = append(x.b, s...)
	}
}

// get returns the next 32-bit word; running out of data is a jmp.
func (x *xdrPrinter) get() (uint32, bool) {
	if x.stop() {
		return 0, false
	}
	if x.p < 0 || x.p+4 > len(x.d) {
		x.jmp = true
		return 0, false
	}
	v := be32(x.d[x.p:])
	x.p += 4
	return v, true
}

// check is tcpdump's ND_TCHECK_LEN: n more bytes must be captured.
func (x *xdrPrinter) check(n int) bool {
	if x.stop() {
		return false
	}
	if x.p < 0 || n < 0 || x.p+n > len(x.d) {
		x.trunc = true
		return false
	}
	return true
}

func (x *xdrPrinter) skip(n int) {
	if !x.stop() {
		x.p += n
	}
}

// uint prints " %u" of the next word.
func (x *xdrPrinter) uint() {
	if v, ok := x.get(); ok {
		x.b = append(x.b, ' ')
		x.b = appendUint(x.b, uint64(v))
	}
}

// int prints " %d" of the next word.
func (x *xdrPrinter) int() {
	if v, ok := x.get(); ok {
		x.b = append(x.b, ' ')
		x.b = strconv.AppendInt(x.b, int64(int32(v)), 10)
	}
}

// uint64 prints " %u" of the next two words.
func (x *xdrPrinter) uint64() {
	if x.stop() {
		return
	}
	if x.p+8 > len(x.d) {
		x.jmp = true
		return
	}
	x.b = append(x.b, ' ')
	x.b = appendUint(x.b, uint64(be32(x.d[x.p:]))<<32|uint64(be32(x.d[x.p+4:])))
	x.p += 8
}

// date prints " YYYY/MM/DD hh:mm:ss" of the next word, in the printer's zone.
func (x *xdrPrinter) date() {
	if v, ok := x.get(); ok {
		x.b = append(x.b, ' ')
		x.b = time.Unix(int64(int32(v)), 0).In(x.loc).AppendFormat(x.b, "2006/01/02 15:04:05")
	}
}

// fid prints " fid volume/vnode/unique".
func (x *xdrPrinter) fid() {
	if !x.check(12) {
		return
	}
	a, _ := x.get()
	b, _ := x.get()
	c, _ := x.get()
	x.b = append(x.b, " fid "...)
	x.b = appendUint(x.b, uint64(a))
	x.b = append(x.b, '/')
	x.b = appendUint(x.b, uint64(b))
	x.b = append(x.b, '/')
	x.b = appendUint(x.b, uint64(c))
}

// server prints " server a:b:c".
func (x *xdrPrinter) server() {
	if !x.check(12) {
		return
	}
	a, _ := x.get()
	b, _ := x.get()
	c, _ := x.get()
	x.b = append(x.b, " server "...)
	x.b = appendUint(x.b, uint64(a))
	x.b = append(x.b, ':')
	x.b = appendUint(x.b, uint64(b))
	x.b = append(x.b, ':')
	x.b = appendUint(x.b, uint64(c))
}

// str prints a counted string as ` "text"`; a count above max or a string
// cut by the capture is a trunc.
func (x *xdrPrinter) str(max uint32) {
	n, ok := x.get()
	if !ok {
		return
	}
	if n > max {
		x.trunc = true
		return
	}
	x.b = append(x.b, " \""...)
	end := x.p + int(n)
	if end > len(x.d) {
		x.b = appendEscaped(x.b, x.d[x.p:])
		x.trunc = true
		return
	}
	x.b = appendEscaped(x.b, x.d[x.p:end])
	x.b = append(x.b, '"')
	x.p += (int(n) + 3) / 4 * 4
}

// vec prints a string stored one character per 32-bit word, max words
// long, up to its first NUL.
func (x *xdrPrinter) vec(max int) {
	if !x.check(4 * max) {
		return
	}
	x.b = append(x.b, " \""...)
	stop := false
	for k := 0; k < max; k++ {
		c := x.d[x.p+4*k+3]
		if c == 0 {
			stop = true
		}
		if !stop {
			x.b = appendEscapedByte(x.b, c)
		}
	}
	x.p += 4 * max
	x.b = append(x.b, '"')
}

// version prints a Ubik version " epoch.counter".
func (x *xdrPrinter) version() {
	if !x.check(8) {
		return
	}
	a, _ := x.get()
	c, _ := x.get()
	x.b = append(x.b, ' ')
	x.b = appendUint(x.b, uint64(a))
	x.b = append(x.b, '.')
	x.b = appendUint(x.b, uint64(c))
}

// uuid prints an AFS UUID (11 words).
func (x *xdrPrinter) uuid() {
	if !x.check(44) {
		return
	}
	v, _ := x.get()
	x.b = append(x.b, ' ')
	x.b = appendHex(x.b, uint64(v), 8)
	v, _ = x.get()
	x.b = appendHex(x.b, uint64(v), 4)
	v, _ = x.get()
	x.b = appendHex(x.b, uint64(v), 4)
	for range 8 {
		v, _ = x.get()
		x.b = appendHex(x.b, uint64(v&0xff), 2)
	}
}

// storeStatus prints an AFSStoreStatus (mask then five words).
func (x *xdrPrinter) storeStatus() {
	if !x.check(24) {
		return
	}
	mask, _ := x.get()
	if mask != 0 {
		x.b = append(x.b, " StoreStatus"...)
	}
	if mask&1 != 0 {
		x.b = append(x.b, " date"...)
		x.date()
	} else {
		x.p += 4
	}
	v, _ := x.get()
	if mask&2 != 0 {
		x.b = append(x.b, " owner "...)
		x.b = appendUint(x.b, uint64(v))
	}
	v, _ = x.get()
	if mask&4 != 0 {
		x.b = append(x.b, " group "...)
		x.b = appendUint(x.b, uint64(v))
	}
	v, _ = x.get()
	if mask&8 != 0 {
		x.b = append(x.b, " mode "...)
		x.b = strconv.AppendUint(x.b, uint64(v&0o7777), 8)
	}
	v, _ = x.get()
	if mask&16 != 0 {
		x.b = append(x.b, " segsize "...)
		x.b = appendUint(x.b, uint64(v))
	}
	if mask&1024 != 0 {
		x.b = append(x.b, " fsync"...)
	}
}

// list prints count-prefixed items with each, separated by commas, or
// " <none!>" when there are none.
func (x *xdrPrinter) fidList() {
	j, ok := x.get()
	if !ok {
		return
	}
	for i := uint32(0); i < j && !x.stop(); i++ {
		x.fid()
		if i != j-1 {
			x.lit(",")
		}
	}
	if j == 0 {
		x.lit(" <none!>")
	}
}

// intList prints count-prefixed signed words, or " <none!>".
func (x *xdrPrinter) intList() {
	j, ok := x.get()
	if !ok {
		return
	}
	for i := uint32(0); i < j && !x.stop(); i++ {
		x.int()
	}
	if j == 0 {
		x.lit(" <none!>")
	}
}

// vecList prints count-prefixed one-character-per-word names, or " <none!>".
func (x *xdrPrinter) vecList(max int) {
	j, ok := x.get()
	if !ok {
		return
	}
	for i := uint32(0); i < j && !x.stop(); i++ {
		x.vec(max)
	}
	if j == 0 {
		x.lit(" <none!>")
	}
}

// appendEscapedByte appends c as tcpdump's fn_print_char does: M- for
// bytes above 0x7f, ^X for control characters.
func appendEscapedByte(b []byte, c byte) []byte {
	if c > 0x7f {
		c &= 0x7f
		b = append(b, 'M', '-')
	}
	if c < 0x20 || c == 0x7f {
		c ^= 0x40
		b = append(b, '^')
	}
	return append(b, c)
}

// appendEscaped appends every byte of s as appendEscapedByte.
func appendEscaped(b, s []byte) []byte {
	for _, c := range s {
		b = appendEscapedByte(b, c)
	}
	return b
}

// appendOp appends the name of op, or "op#N".
func appendOp(b []byte, rs []opRange, op uint32) []byte {
	if n := opName(rs, op); n != "" {
		return append(b, n...)
	}
	b = append(b, "op#"...)
	return appendUint(b, uint64(op))
}

// rx prints an Rx packet: d is the captured UDP payload, ulen its length.
func (p *Printer) rx(b, d []byte, ulen, sp, dp int, h *ipHdr) []byte {
	if len(d) < rxHeaderLen {
		b = append(b, " [|rx] ("...)
		b = appendInt(b, ulen)
		return append(b, ')')
	}
	typ, flags := d[20], d[21]
	b = append(b, " rx "...)
	if int(typ) < len(rxTypes) && rxTypes[typ] != "" {
		b = append(b, rxTypes[typ]...)
	} else {
		b = append(b, "type "...)
		b = appendUint(b, uint64(typ))
	}
	if v := p.opts.Verbose; v > 0 {
		if v > 1 {
			b = append(b, " cid "...)
			b = appendHex(b, uint64(be32(d[4:])), 8)
			b = append(b, " call# "...)
			b = appendUint(b, uint64(be32(d[8:])))
		}
		b = append(b, " seq "...)
		b = appendUint(b, uint64(be32(d[12:])))
		b = append(b, " ser "...)
		b = appendUint(b, uint64(be32(d[16:])))
		if v > 1 {
			first := true
			for _, f := range rxFlagNames {
				if flags&f.bit != 0 && (f.typ == 0 || typ == f.typ) {
					if first {
						b = append(b, ' ')
						first = false
					} else {
						b = append(b, ',')
					}
					b = append(b, '<')
					b = append(b, f.name...)
					b = append(b, '>')
				}
			}
		}
	}
	seq := be32(d[12:])
	x := xdrPrinter{b: b, d: d, loc: p.loc}
	switch {
	case typ == rxData && seq == 1 && flags&rxClientInit != 0:
		if len(d) >= rxHeaderLen+4 {
			c := &p.rpc.rx
			e := &c.e[c.next]
			c.next = (c.next + 1) % len(c.e)
			e.client, e.server = rxAddrs(h)
			e.callnum, e.dport, e.service = be32(d[8:]), uint16(dp), be16(d[26:])
			e.opcode = be32(d[rxHeaderLen:])
		}
		if ulen > rxHeaderLen {
			x.p = rxHeaderLen
			switch dp {
			case rxPortFS:
				rxFSCall(&x)
			case rxPortCB:
				rxCBCall(&x)
			case rxPortPT:
				rxPTCall(&x)
			case rxPortVLDB:
				rxVLDBCall(&x)
			case rxPortKauth:
				rxKauthCall(&x)
			case rxPortVol:
				rxVolCall(&x)
			case rxPortBOS:
				rxBOSCall(&x)
			}
		}
	case ((typ == rxData && seq == 1) || typ == rxAbort) && flags&rxClientInit == 0:
		op, ok := p.rpc.rx.find(be32(d[8:]), be16(d[26:]), uint16(sp), h)
		if !ok {
			break
		}
		x.p = rxHeaderLen
		switch sp {
		case rxPortFS:
			rxFSReply(&x, ulen, typ, op)
		case rxPortCB:
			rxCBReply(&x, ulen, typ, op)
		case rxPortPT:
			rxPTReply(&x, ulen, typ, op)
		case rxPortVLDB:
			rxVLDBReply(&x, ulen, typ, op)
		case rxPortKauth:
			rxKauthReply(&x, ulen, typ, op)
		case rxPortVol:
			rxVolReply(&x, ulen, typ, op)
		case rxPortBOS:
			rxBOSReply(&x, ulen, typ, op)
		}
	case typ == rxAck:
		rxAckPrint(&x, ulen, p.opts.Verbose)
	}
	b = x.b
	if x.jmp {
		return appendTrunc(b, "rx")
	}
	b = append(b, " ("...)
	b = appendInt(b, ulen)
	return append(b, ')')
}

// find looks the call of a reply up, as tcpdump's rx_cache_find.
func (c *rxCache) find(callnum uint32, service, sport uint16, h *ipHdr) (uint32, bool) {
	server, client := rxAddrs(h)
	i := c.hint
	for {
		e := &c.e[i]
		if e.callnum == callnum && e.client == client && e.server == server &&
			e.service == service && e.dport == sport {
			c.hint = i
			return e.opcode, true
		}
		i = (i + 1) % len(c.e)
		if i == c.hint {
			return 0, false
		}
	}
}

// rxAckPrint prints an ack: first packet, serial, reason, then the acked
// and nacked ranges.
func rxAckPrint(x *xdrPrinter, ulen, verbose int) {
	const ackLen = 18
	if ulen < rxHeaderLen {
		return
	}
	x.p = rxHeaderLen
	if !x.check(ackLen) {
		x.b = appendTrunc(x.b, "ack")
		x.trunc = false
		return
	}
	a := x.d[x.p:]
	first := be32(a[4:])
	x.b = append(x.b, " first "...)
	x.b = appendUint(x.b, uint64(first))
	x.b = append(x.b, " serial "...)
	x.b = appendUint(x.b, uint64(be32(a[12:])))
	x.b = append(x.b, " reason "...)
	if r := a[16]; int(r) < len(rxAckReasons) && rxAckReasons[r] != "" {
		x.b = append(x.b, rxAckReasons[r]...)
	} else {
		x.b = append(x.b, '#')
		x.b = appendUint(x.b, uint64(r))
	}
	n := int(a[17])
	x.p += ackLen
	if n != 0 {
		if !x.check(n) {
			x.b = appendTrunc(x.b, "ack")
			x.trunc = false
			return
		}
		acks := x.d[x.p : x.p+n]
		for _, want := range [2]byte{1, 0} {
			start, last := -2, -2
			for i, v := range acks {
				if v == want {
					if last == -2 {
						if want == 1 {
							x.b = append(x.b, " acked "...)
						} else {
							x.b = append(x.b, " nacked "...)
						}
						x.b = appendUint(x.b, uint64(first+uint32(i)))
						start = i
					} else if last != i-1 {
						x.b = append(x.b, ',')
						x.b = appendUint(x.b, uint64(first+uint32(i)))
						start = i
					}
					last = i
				} else if last == i-1 && start != last {
					x.b = append(x.b, '-')
					x.b = appendUint(x.b, uint64(first+uint32(i-1)))
				}
			}
			if last == n-1 && start != last {
				x.b = append(x.b, '-')
				x.b = appendUint(x.b, uint64(first+uint32(n-1)))
			}
		}
		x.p += n
	}
	x.p += 3
	if verbose > 1 {
		for _, f := range [...]string{" ifmtu", " maxmtu", " rwind", " maxpackets"} {
			if len(x.d)-x.p+1 <= 4 {
				return
			}
			x.lit(f)
			x.uint()
		}
	}
}
