package tables

import (
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// PacketRow is one row of the packet index: one packet, where it is
// (File, and Offset, the start of its record in the uncompressed capture:
// pcapio.Reader.RecordOffset) and what its outermost headers say. TS is
// the timestamp in microseconds and TSNS the same instant in nanoseconds
// (engines read TIMESTAMP(MICROS) everywhere; nanosecond captures keep
// their precision in ts_ns). LinkType is the DLT number of the packet's
// interface. The header columns are NULL when the packet does not have
// them: ether_type for link types wirekit does not read, vlan without an
// 802.1Q/802.1ad tag (the outer tag's id), the addresses and ip_proto
// without IPv4 or IPv6 (after IPv6 extension headers, ip_proto is the
// transport's), the ports without TCP, UDP, UDP-Lite or SCTP (or in a
// fragment other than the first), tcp_flags without TCP (FIN 1, SYN 2,
// RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128). Tunnels are not
// entered: the outer headers are recorded.
type PacketRow struct {
	File           []byte `parquet:"file,string,dict"`
	Offset         int64  `parquet:"offset,delta"`
	TS             int64  `parquet:"ts,timestamp(microsecond),delta"`
	TSNS           int64  `parquet:"ts_ns,delta"`
	CapturedLength int32  `parquet:"captured_length"`
	OriginalLength int32  `parquet:"original_length"`
	LinkType       int32  `parquet:"link_type"`
	EtherType      *int32 `parquet:"ether_type"`
	VLAN           *int32 `parquet:"vlan"`
	Src            []byte `parquet:"src,optional,string"`
	Dst            []byte `parquet:"dst,optional,string"`
	IPProto        *int32 `parquet:"ip_proto"`
	SrcPort        *int32 `parquet:"src_port"`
	DstPort        *int32 `parquet:"dst_port"`
	TCPFlags       *int32 `parquet:"tcp_flags"`

	etherType, vlan, ipProto, srcPort, dstPort, tcpFlags int32
	a                                                    arena // the row's string bytes
}

// PacketWriter writes the packet index.
type PacketWriter struct {
	w *writer[PacketRow]
	h headers
}

// NewPacketWriter returns a writer of the packet index to w. Close writes
// the footer; w itself is not closed.
func NewPacketWriter(w io.Writer, opt *Options) *PacketWriter {
	return &PacketWriter{w: newWriter[PacketRow](w, opt)}
}

// Write adds one packet's row: file and offset say where its record is,
// ci and lt are what the reader returned with data, the captured bytes
// (read, not kept). It does not allocate once the writer's buffers have
// grown. Its errors are the output's (wrapped), or ErrClosed after Close.
func (x *PacketWriter) Write(file string, offset int64, ci gopacket.CaptureInfo, lt layers.LinkType, data []byte) error {
	r, err := x.w.next()
	if err != nil {
		return err
	}
	r.a = r.a[:0]
	r.File = r.a.str(file)
	r.Offset = offset
	ns := ci.Timestamp.UnixNano()
	r.TS, r.TSNS = ci.Timestamp.UnixMicro(), ns
	r.CapturedLength = int32(ci.CaptureLength)
	r.OriginalLength = int32(ci.Length)
	if r.OriginalLength == 0 {
		r.OriginalLength = int32(len(data))
	}
	r.LinkType = int32(lt)
	h := &x.h
	parseHeaders(lt, data, h)
	r.EtherType, r.VLAN, r.IPProto, r.SrcPort, r.DstPort, r.TCPFlags = nil, nil, nil, nil, nil, nil
	if h.hasEther {
		r.etherType = int32(h.etherType)
		r.EtherType = &r.etherType
	}
	if h.hasVLAN {
		r.vlan = int32(h.vlan)
		r.VLAN = &r.vlan
	}
	r.Src = r.a.addr(h.src)
	r.Dst = r.a.addr(h.dst)
	if h.hasProto {
		r.ipProto = int32(h.proto)
		r.IPProto = &r.ipProto
	}
	if h.hasPorts {
		r.srcPort, r.dstPort = int32(h.sport), int32(h.dport)
		r.SrcPort, r.DstPort = &r.srcPort, &r.dstPort
	}
	if h.hasFlags {
		r.tcpFlags = int32(h.tcpFlags)
		r.TCPFlags = &r.tcpFlags
	}
	return x.w.commit()
}

// Rows returns the number of rows written so far.
func (x *PacketWriter) Rows() int64 { return x.w.count }

// Close writes the rows still buffered and the file's footer. The file
// is valid only after Close returns nil.
func (x *PacketWriter) Close() error { return x.w.close() }
