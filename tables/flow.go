package tables

import (
	"io"

	"github.com/wirekit/wirekit/flow"
)

// FlowRow is one row of the flows table: one conversation, the fields of
// 'wirekit flows --json' (Zeek's conn.log names, with "id.orig_h" and the
// like written orig_h, orig_p, resp_h, resp_p, since engines take dots in
// column names for struct fields). Unlike the JSON, duration, orig_bytes
// and resp_bytes are always present (Zeek leaves them out when the
// duration is 0), and the frame bytes and end reason are always written.
// Addresses, ports and ip_proto are NULL for a non-IP conversation; vlan
// and inner_vlan when there is no tag; the MACs when the link has none;
// empty strings are NULL.
type FlowRow struct {
	TS             int64  `parquet:"ts,timestamp(microsecond)"`
	UID            []byte `parquet:"uid,string"`
	OrigH          []byte `parquet:"orig_h,optional,string"`
	OrigP          *int32 `parquet:"orig_p"`
	RespH          []byte `parquet:"resp_h,optional,string"`
	RespP          *int32 `parquet:"resp_p"`
	Proto          []byte `parquet:"proto,string,dict"`
	IPProto        *int32 `parquet:"ip_proto"`
	Service        []byte `parquet:"service,optional,string,dict"`
	DurationNS     int64  `parquet:"duration_ns"`
	OrigBytes      int64  `parquet:"orig_bytes"`
	RespBytes      int64  `parquet:"resp_bytes"`
	ConnState      []byte `parquet:"conn_state,string,dict"`
	MissedBytes    int64  `parquet:"missed_bytes"`
	History        []byte `parquet:"history,optional,string"`
	OrigPkts       int64  `parquet:"orig_pkts"`
	OrigIPBytes    int64  `parquet:"orig_ip_bytes"`
	RespPkts       int64  `parquet:"resp_pkts"`
	RespIPBytes    int64  `parquet:"resp_ip_bytes"`
	OrigFrameBytes int64  `parquet:"orig_frame_bytes"`
	RespFrameBytes int64  `parquet:"resp_frame_bytes"`
	VLAN           *int32 `parquet:"vlan"`
	InnerVLAN      *int32 `parquet:"inner_vlan"`
	OrigL2Addr     []byte `parquet:"orig_l2_addr,optional,string"`
	RespL2Addr     []byte `parquet:"resp_l2_addr,optional,string"`
	DNSQuery       []byte `parquet:"dns_query,optional,string"`
	SSLServerName  []byte `parquet:"ssl_server_name,optional,string"`
	SSLALPN        []byte `parquet:"ssl_alpn,optional,string,dict"`
	HTTPHost       []byte `parquet:"http_host,optional,string"`
	EndReason      []byte `parquet:"end_reason,string,dict"`

	origP, respP, ipProto, vlan, innerVLAN int32 // what the pointers point to
	a                                      arena // the row's string bytes
}

// FlowWriter writes the flows table.
type FlowWriter struct{ w *writer[FlowRow] }

// NewFlowWriter returns a writer of the flows table to w. Close writes
// the footer; w itself is not closed.
func NewFlowWriter(w io.Writer, opt *Options) *FlowWriter {
	return &FlowWriter{newWriter[FlowRow](w, opt)}
}

// Write adds one conversation's row. Its errors are the output's
// (wrapped), or ErrClosed after Close.
func (x *FlowWriter) Write(f *flow.Record) error {
	r, err := x.w.next()
	if err != nil {
		return err
	}
	r.a = r.a[:0]
	r.TS = f.TS.UnixMicro()
	r.UID = r.a.str(f.UID)
	r.OrigH, r.OrigP, r.RespH, r.RespP, r.IPProto = nil, nil, nil, nil, nil
	if f.Orig.IsValid() {
		r.OrigH = r.a.addr(f.Orig.Addr())
		r.RespH = r.a.addr(f.Resp.Addr())
		r.origP, r.respP, r.ipProto = int32(f.Orig.Port()), int32(f.Resp.Port()), int32(f.IPProto)
		r.OrigP, r.RespP, r.IPProto = &r.origP, &r.respP, &r.ipProto
	}
	r.Proto = r.a.str(f.Proto)
	r.Service = r.a.str(f.Service)
	r.DurationNS = int64(f.Duration)
	r.OrigBytes, r.RespBytes = f.OrigBytes, f.RespBytes
	r.ConnState = r.a.str(f.ConnState)
	r.MissedBytes = f.MissedBytes
	r.History = r.a.str(f.History)
	r.OrigPkts, r.OrigIPBytes, r.RespPkts, r.RespIPBytes = f.OrigPkts, f.OrigIPBytes, f.RespPkts, f.RespIPBytes
	r.OrigFrameBytes, r.RespFrameBytes = f.OrigFrameBytes, f.RespFrameBytes
	r.VLAN, r.InnerVLAN = nil, nil
	if f.VLANs > 0 {
		r.vlan = int32(f.VLAN)
		r.VLAN = &r.vlan
	}
	if f.VLANs > 1 {
		r.innerVLAN = int32(f.InnerVLAN)
		r.InnerVLAN = &r.innerVLAN
	}
	r.OrigL2Addr, r.RespL2Addr = nil, nil
	if f.HasMAC {
		r.OrigL2Addr = r.a.mac(f.OrigMAC)
		r.RespL2Addr = r.a.mac(f.RespMAC)
	}
	r.DNSQuery = r.a.str(f.DNSQuery)
	r.SSLServerName = r.a.str(f.ServerName)
	r.SSLALPN = r.a.str(f.ALPN)
	r.HTTPHost = r.a.str(f.HTTPHost)
	r.EndReason = r.a.str(f.End.String())
	return x.w.commit()
}

// Rows returns the number of rows written so far.
func (x *FlowWriter) Rows() int64 { return x.w.count }

// Close writes the rows still buffered and the file's footer. The file
// is valid only after Close returns nil.
func (x *FlowWriter) Close() error { return x.w.close() }
