package decode

import (
	"errors"

	"github.com/gopacket/gopacket/layers"
)

// Tunnel layers of the JSON writer. Each header is one layer object, in
// order, followed by the layers of the packet it carries:
//
//	{"layer":"gre","version":0,"type":"IPv4","key":42,"seq":7}
//	    key and seq only when present; type is the carried EtherType
//	{"layer":"erspan","version":2,"session":100}
//	    after a GRE header of type 0x88be (version 1 for type I, which has
//	    no header of its own, 2 for type II) or 0x22eb (3, type III)
//	{"layer":"vxlan","flags":8,"vni":100}
//	    on UDP port 4789; carries Ethernet
//	{"layer":"geneve","vni":10,"type":"0x6558","optlen":8,"oam":false,"critical":true}
//	    on UDP port 6081; optlen is the options' length in bytes
//
// The top-level src, dst, proto, sport and dport describe the innermost
// packet: a tunnel header clears the ports its outer UDP header set.

var (
	errTunnelShort = errors.New("header truncated")
	errGREVersion  = errors.New("GRE version not 0")
	errGeneveVer   = errors.New("unknown Geneve version")
)

// jsonUDPTunnel names the tunnel a UDP port carries, or jsonStepPayload.
func jsonUDPTunnel(sp, dp layers.UDPPort) jsonStep {
	switch {
	case sp == portGeneve || dp == portGeneve:
		return jsonStepGeneve
	case sp == portVXLAN || dp == portVXLAN:
		return jsonStepVXLAN
	}
	return jsonStepPayload
}

// jsonTunnelNext names the step for the EtherType a tunnel carries.
func jsonTunnelNext(t uint16) jsonStep {
	if t == etherTEB {
		return jsonStepEthernet
	}
	return jsonEtherStep(layers.EthernetType(t))
}

// tunnelStep decodes the tunnel header step at the start of data, adds its
// layer and returns the next step and the bytes it carries.
func (j *JSONWriter) tunnelStep(step jsonStep, data []byte) (jsonStep, []byte, error) {
	switch step {
	case jsonStepGRE:
		return j.greLayer(data)
	case jsonStepVXLAN:
		if len(data) < 8 {
			return step, data, errTunnelShort
		}
		j.ports = false
		b := jsonInt(j.open("vxlan"), "flags", int(data[0]))
		j.lay = append(jsonInt(b, "vni", int(jsonBE32(data[4:])>>8)), '}')
		return jsonStepEthernet, data[8:], nil
	case jsonStepGeneve:
		if len(data) < 8 {
			return step, data, errTunnelShort
		}
		if data[0]>>6 != 0 {
			return step, data, errGeneveVer
		}
		optLen := int(data[0]&0x3f) * 4
		if len(data) < 8+optLen {
			return step, data, errTunnelShort
		}
		j.ports = false
		t := jsonBE16(data[2:])
		b := jsonInt(j.open("geneve"), "vni", int(jsonBE32(data[4:])>>8))
		b = jsonEtherType(b, "type", layers.EthernetType(t))
		b = jsonInt(b, "optlen", optLen)
		b = jsonBool(b, "oam", data[1]&0x80 != 0)
		j.lay = append(jsonBool(b, "critical", data[1]&0x40 != 0), '}')
		return jsonTunnelNext(t), data[8+optLen:], nil
	case jsonStepERSPAN:
		// j.erspan holds the version the GRE header implied.
		n := 0
		switch j.erspan {
		case 2:
			n = 8
		case 3:
			n = 12
			if len(data) >= 12 && data[11]&1 != 0 {
				n = 20 // platform-specific subheader
			}
		}
		if len(data) < n {
			return step, data, errTunnelShort
		}
		b := jsonInt(j.open("erspan"), "version", j.erspan)
		if n > 0 {
			b = jsonInt(b, "session", int(jsonBE16(data[2:])&0x3ff))
		}
		j.lay = append(b, '}')
		return jsonStepEthernet, data[n:], nil
	}
	return jsonStepPayload, data, nil
}

// greLayer decodes a GRE version 0 header.
func (j *JSONWriter) greLayer(data []byte) (jsonStep, []byte, error) {
	if len(data) < 4 {
		return jsonStepGRE, data, errTunnelShort
	}
	flags := jsonBE16(data)
	if flags&7 != 0 {
		return jsonStepGRE, data, errGREVersion
	}
	n := 4
	if flags&0xc000 != 0 {
		n += 4
	}
	keyAt, seqAt := -1, -1
	if flags&0x2000 != 0 {
		keyAt, n = n, n+4
	}
	if flags&0x1000 != 0 {
		seqAt, n = n, n+4
	}
	if len(data) < n {
		return jsonStepGRE, data, errTunnelShort
	}
	t := jsonBE16(data[2:])
	b := jsonInt(j.open("gre"), "version", 0)
	b = jsonEtherType(b, "type", layers.EthernetType(t))
	if keyAt >= 0 {
		b = jsonInt(b, "key", int(jsonBE32(data[keyAt:])))
	}
	if seqAt >= 0 {
		b = jsonInt(b, "seq", int(jsonBE32(data[seqAt:])))
	}
	j.lay = append(b, '}')
	if flags&0x4000 != 0 {
		// Source routes are not followed.
		return jsonStepPayload, data[n:], nil
	}
	switch t {
	case 0x88be:
		j.erspan = 1
		if flags&0x1000 != 0 {
			j.erspan = 2
		}
		return jsonStepERSPAN, data[n:], nil
	case 0x22eb:
		j.erspan = 3
		return jsonStepERSPAN, data[n:], nil
	}
	return jsonTunnelNext(t), data[n:], nil
}
