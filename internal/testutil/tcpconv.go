package testutil

import (
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Frame is one captured Ethernet frame.
type Frame struct {
	CI   gopacket.CaptureInfo
	Data []byte
}

// TCPConv builds the Ethernet frames of one TCP connection over IPv4 with
// gopacket's serialization: a handshake, data in order, and a FIN
// exchange. Each frame is Step after the one before it.
type TCPConv struct {
	Client, Server netip.AddrPort
	T              time.Time     // timestamp of the next frame
	Step           time.Duration // time between frames (default 1ms)
	Frames         []Frame
	cseq, sseq     uint32
	closed         bool // PipeConv and TLSConv: no more segments recorded
}

// NewTCPConv starts a connection from client to server ("ip:port") whose
// first frame is at start, and adds its three-way handshake.
func NewTCPConv(client, server string, start time.Time) *TCPConv {
	c := &TCPConv{Client: netip.MustParseAddrPort(client), Server: netip.MustParseAddrPort(server),
		T: start, Step: time.Millisecond, cseq: 1000, sseq: 5000}
	c.seg(true, &layers.TCP{SYN: true}, nil)
	c.seg(false, &layers.TCP{SYN: true, ACK: true}, nil)
	c.seg(true, &layers.TCP{ACK: true}, nil)
	return c
}

// Send adds one data segment from the client (or the server) and the
// other side's ACK.
func (c *TCPConv) Send(fromClient bool, payload []byte) {
	c.seg(fromClient, &layers.TCP{PSH: true, ACK: true}, payload)
	c.seg(!fromClient, &layers.TCP{ACK: true}, nil)
}

// Segment adds one data segment from the client (or the server) without
// the other side's ACK, acknowledging what the other side sent so far.
func (c *TCPConv) Segment(fromClient bool, payload []byte) {
	c.seg(fromClient, &layers.TCP{PSH: true, ACK: true}, payload)
}

// Close adds a FIN from each side and the last ACK.
func (c *TCPConv) Close() {
	c.seg(true, &layers.TCP{FIN: true, ACK: true}, nil)
	c.seg(false, &layers.TCP{FIN: true, ACK: true}, nil)
	c.seg(true, &layers.TCP{ACK: true}, nil)
}

func (c *TCPConv) seg(fromClient bool, tcp *layers.TCP, payload []byte) {
	src, dst := c.Client, c.Server
	seq, ack := &c.cseq, &c.sseq
	if !fromClient {
		src, dst = dst, src
		seq, ack = ack, seq
	}
	tcp.SrcPort, tcp.DstPort = layers.TCPPort(src.Port()), layers.TCPPort(dst.Port())
	tcp.Seq, tcp.Window = *seq, 65535
	if tcp.ACK {
		tcp.Ack = *ack
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IP(src.Addr().AsSlice()), DstIP: net.IP(dst.Addr().AsSlice())}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2},
		EthernetType: layers.EthernetTypeIPv4}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	*seq += uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		*seq++
	}
	data := buf.Bytes()
	c.Frames = append(c.Frames, Frame{
		CI:   gopacket.CaptureInfo{Timestamp: c.T, CaptureLength: len(data), Length: len(data)},
		Data: data,
	})
	c.T = c.T.Add(c.Step)
}
