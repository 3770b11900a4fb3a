package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/gopacket/gopacket/layers"
)

// IEEE 802.11 layers of the JSON writer, for link types 105 (bare 802.11),
// 127 (radiotap), 192 (PPI), 119 (Prism, or AVS when it starts with the
// AVS magic) and 163 (AVS):
//
//	{"layer":"radiotap","len":18,"flags":["short-preamble"],"rate":1,"freq":2437,
//	 "channel":6,"signal":-45,"noise":-95,"antenna":1}
//	{"layer":"ppi","len":32,"dlt":105,"rate":54,"freq":2412,"channel":1,"signal":-60}
//	{"layer":"prism","devname":"wlan0","channel":6,"rssi":40,"signal":-50,"noise":-90,"rate":11}
//	{"layer":"avs","len":64,"phytype":4,"channel":11,"rate":54,"antenna":0,"ssi_type":2,"signal":-40,"noise":-90}
//	{"layer":"wlan","type":"management","subtype":"beacon","flags":[],"duration":0,
//	 "ra":"ff:ff:ff:ff:ff:ff","ta":"00:11:22:33:44:55","da":"ff:ff:ff:ff:ff:ff",
//	 "sa":"00:11:22:33:44:55","bssid":"00:11:22:33:44:55","seq":1234,"frag":0,
//	 "interval":100,"capabilities":1057,"ssid":"home","ds_channel":6}
//	{"layer":"llc","dsap":170,"ssap":170,"ctrl":3,"oui":0,"type":"IPv4"}
//	    the SNAP header of an unprotected data frame, followed by the
//	    layers of what it carries (ipv4, ...)
//
// Addresses are given by role: ra and ta (receiver, transmitter: address
// 1 and 2) when the frame has them, and da, sa and bssid as the To DS and
// From DS bits assign them. Radiotap fields are those of its first
// presence word that precede any field this writer does not know.

var (
	errWifiShort   = errors.New("header truncated")
	errWifiVersion = errors.New("unknown header version")
)

// wifiStep decodes a capture header or an 802.11 or LLC header at the
// start of data, adds its layer and returns the next step and the bytes
// it carries.
func (j *JSONWriter) wifiStep(step jsonStep, data []byte) (jsonStep, []byte, error) {
	switch step {
	case jsonStepRadiotap:
		return j.radiotapLayer(data)
	case jsonStepPPI:
		return j.ppiLayer(data)
	case jsonStepPrism:
		if len(data) >= 4 && (binary.BigEndian.Uint32(data) == 0x80211001 || binary.LittleEndian.Uint32(data) == 0x80211001) {
			return j.avsLayer(data)
		}
		return j.prismLayer(data)
	case jsonStepAVS:
		return j.avsLayer(data)
	case jsonStepWLAN:
		return j.wlanLayer(data)
	case jsonStepLLC:
		return j.llcLayer(data)
	}
	return jsonStepPayload, data, nil
}

// radiotap field alignment and size, by presence bit (0 to 27).
var radiotapFields = [28][2]uint8{
	{8, 8}, {1, 1}, {1, 1}, {2, 4}, {2, 2}, {1, 1}, {1, 1}, {2, 2}, {2, 2}, {2, 2}, {1, 1}, {1, 1},
	{1, 1}, {1, 1}, {2, 2}, {2, 2}, {1, 1}, {1, 1}, {4, 8}, {1, 3}, {4, 8}, {2, 12}, {8, 12},
	{2, 12}, {2, 12}, {2, 6}, {1, 1}, {2, 4},
}

var radiotapFlagNames = []string{"cfp", "short-preamble", "wep", "fragment", "fcs", "datapad", "bad-fcs", "short-gi"}

func (j *JSONWriter) radiotapLayer(d []byte) (jsonStep, []byte, error) {
	if len(d) < 8 {
		j.truncated = true
		return jsonStepRadiotap, d, errWifiShort
	}
	if d[0] != 0 {
		return jsonStepRadiotap, d, errWifiVersion
	}
	hl := int(binary.LittleEndian.Uint16(d[2:]))
	if hl < 8 || hl > len(d) {
		j.truncated = true
		return jsonStepRadiotap, d, errWifiShort
	}
	h := d[:hl]
	present := binary.LittleEndian.Uint32(h[4:])
	off := 8
	for p := present; p&(1<<31) != 0; {
		if off+4 > hl {
			return jsonStepRadiotap, d, errWifiShort
		}
		p = binary.LittleEndian.Uint32(h[off:])
		off += 4
	}
	b := jsonInt(j.open("radiotap"), "len", hl)
	for bit := 0; bit < len(radiotapFields); bit++ {
		if present&(1<<bit) == 0 {
			continue
		}
		al, size := int(radiotapFields[bit][0]), int(radiotapFields[bit][1])
		off = (off + al - 1) &^ (al - 1)
		if off+size > hl {
			break
		}
		f := h[off : off+size]
		off += size
		switch bit {
		case 0:
			b = strconv.AppendUint(jsonKey(b, "tsft"), binary.LittleEndian.Uint64(f), 10)
		case 1:
			b = jsonFlags(b, "flags", uint16(f[0]), radiotapFlagNames)
			j.wlanFCS = f[0]&0x10 != 0
			j.wlanPad = f[0]&0x20 != 0
		case 2:
			b = jsonFloat(jsonKey(b, "rate"), float64(f[0])/2)
		case 3:
			freq := int(binary.LittleEndian.Uint16(f))
			b = jsonInt(b, "freq", freq)
			if ch := jsonWifiChannel(freq); ch > 0 {
				b = jsonInt(b, "channel", ch)
			}
			b = jsonInt(b, "chan_flags", int(binary.LittleEndian.Uint16(f[2:])))
		case 5:
			b = jsonInt(b, "signal", int(int8(f[0])))
		case 6:
			b = jsonInt(b, "noise", int(int8(f[0])))
		case 10:
			b = jsonInt(b, "tx_power", int(int8(f[0])))
		case 11:
			b = jsonInt(b, "antenna", int(f[0]))
		case 12:
			b = jsonInt(b, "db_signal", int(f[0]))
		case 13:
			b = jsonInt(b, "db_noise", int(f[0]))
		case 19:
			if f[0]&0x02 != 0 { // MCS index known
				b = jsonInt(b, "mcs", int(f[2]))
			}
		}
	}
	j.lay = append(b, '}')
	return jsonStepWLAN, d[hl:], nil
}

// jsonWifiChannel returns the channel number of a frequency in MHz, or 0.
func jsonWifiChannel(f int) int {
	switch {
	case f == 2484:
		return 14
	case f >= 2412 && f < 2484:
		return (f - 2407) / 5
	case f >= 5000 && f < 5950:
		return (f - 5000) / 5
	case f >= 5955 && f <= 7115:
		return (f - 5950) / 5
	case f >= 4910 && f < 5000:
		return (f - 4000) / 5
	}
	return 0
}

// ppiLayer decodes a PPI header; its 802.11-common field (type 2) gives
// rate, channel and signal.
func (j *JSONWriter) ppiLayer(d []byte) (jsonStep, []byte, error) {
	if len(d) < 8 {
		j.truncated = true
		return jsonStepPPI, d, errWifiShort
	}
	if d[0] != 0 {
		return jsonStepPPI, d, errWifiVersion
	}
	hl := int(binary.LittleEndian.Uint16(d[2:]))
	if hl < 8 || hl > len(d) {
		j.truncated = true
		return jsonStepPPI, d, errWifiShort
	}
	dlt := binary.LittleEndian.Uint32(d[4:])
	b := jsonInt(j.open("ppi"), "len", hl)
	b = jsonInt(b, "dlt", int(dlt))
	for f := d[8:hl]; len(f) >= 4; {
		ft, fl := binary.LittleEndian.Uint16(f), int(binary.LittleEndian.Uint16(f[2:]))
		if 4+fl > len(f) {
			break
		}
		v := f[4 : 4+fl]
		f = f[4+fl:]
		if ft == 2 && fl >= 20 {
			b = strconv.AppendUint(jsonKey(b, "tsft"), binary.LittleEndian.Uint64(v), 10)
			fl := binary.LittleEndian.Uint16(v[8:])
			j.wlanFCS = fl&1 != 0
			b = jsonFloat(jsonKey(b, "rate"), float64(binary.LittleEndian.Uint16(v[10:]))/2)
			freq := int(binary.LittleEndian.Uint16(v[12:]))
			b = jsonInt(b, "freq", freq)
			if ch := jsonWifiChannel(freq); ch > 0 {
				b = jsonInt(b, "channel", ch)
			}
			b = jsonInt(b, "signal", int(int8(v[18])))
			b = jsonInt(b, "noise", int(int8(v[19])))
		}
	}
	j.lay = append(b, '}')
	switch layers.LinkType(dlt) {
	case layers.LinkTypeIEEE802_11:
		return jsonStepWLAN, d[hl:], nil
	case layers.LinkTypeEthernet:
		return jsonStepEthernet, d[hl:], nil
	case layers.LinkTypeIEEE80211Radio:
		return jsonStepRadiotap, d[hl:], nil
	}
	return jsonStepPayload, d[hl:], nil
}

// prismLayer decodes the 144-byte Prism monitor-mode header (host byte
// order, taken as little-endian unless the message code says otherwise).
func (j *JSONWriter) prismLayer(d []byte) (jsonStep, []byte, error) {
	const hl = 144
	if len(d) < hl {
		j.truncated = true
		return jsonStepPrism, d, errWifiShort
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if binary.LittleEndian.Uint32(d)&0xffff0000 != 0 && binary.BigEndian.Uint32(d)&0xffff0000 == 0 {
		bo = binary.BigEndian
	}
	b := jsonBytes(jsonKey(j.open("prism"), "devname"), jsonCString(d[8:24]))
	// Ten items of did(4) status(2) len(2) data(4).
	for i, key := range [...]string{"", "", "channel", "rssi", "sq", "signal", "noise", "rate"} {
		it := d[24+12*i:]
		if key == "" || bo.Uint16(it[4:]) != 0 { // status 0: the item is supplied
			continue
		}
		v := bo.Uint32(it[8:])
		switch key {
		case "rate":
			b = jsonFloat(jsonKey(b, key), float64(v)/2)
		case "signal", "noise":
			b = jsonInt(b, key, int(int32(v)))
		default:
			b = jsonInt(b, key, int(v))
		}
	}
	j.lay = append(b, '}')
	return jsonStepWLAN, d[hl:], nil
}

// avsLayer decodes an AVS capture header (version 1, big-endian).
func (j *JSONWriter) avsLayer(d []byte) (jsonStep, []byte, error) {
	if len(d) < 64 {
		j.truncated = true
		return jsonStepAVS, d, errWifiShort
	}
	be := binary.BigEndian
	hl := int(be.Uint32(d[4:]))
	if hl < 64 || hl > len(d) {
		j.truncated = true
		return jsonStepAVS, d, errWifiShort
	}
	b := jsonInt(j.open("avs"), "len", hl)
	b = jsonInt(b, "phytype", int(be.Uint32(d[24:])))
	b = jsonInt(b, "channel", int(be.Uint32(d[28:])))
	b = jsonFloat(jsonKey(b, "rate"), float64(be.Uint32(d[32:]))/10)
	b = jsonInt(b, "antenna", int(be.Uint32(d[36:])))
	b = jsonInt(b, "ssi_type", int(be.Uint32(d[44:])))
	b = jsonInt(b, "signal", int(int32(be.Uint32(d[48:]))))
	b = jsonInt(b, "noise", int(int32(be.Uint32(d[52:]))))
	j.lay = append(b, '}')
	return jsonStepWLAN, d[hl:], nil
}

var wlanTypeNames = [4]string{"management", "control", "data", "extension"}

var wlanSubtypeNames = [4][16]string{
	{"assoc-req", "assoc-resp", "reassoc-req", "reassoc-resp", "probe-req", "probe-resp",
		"timing-advert", "reserved", "beacon", "atim", "disassoc", "auth", "deauth", "action",
		"action-noack", "reserved"},
	{"reserved", "reserved", "trigger", "tack", "beamforming-report-poll", "vht-ndp-announce",
		"ctrl-ext", "ctrl-wrapper", "block-ack-req", "block-ack", "ps-poll", "rts", "cts", "ack",
		"cf-end", "cf-end-ack"},
	{"data", "data-cf-ack", "data-cf-poll", "data-cf-ack-poll", "null", "cf-ack", "cf-poll",
		"cf-ack-poll", "qos-data", "qos-data-cf-ack", "qos-data-cf-poll", "qos-data-cf-ack-poll",
		"qos-null", "reserved", "qos-cf-poll", "qos-cf-ack-poll"},
	{"dmg-beacon", "s1g-beacon", "reserved", "reserved", "reserved", "reserved", "reserved",
		"reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
		"reserved", "reserved"},
}

var wlanFlagNames = []string{"to-ds", "from-ds", "more-frag", "retry", "pwr-mgt", "more-data", "protected", "order"}

// wlanMgmtFixed is the length of the fixed fields before the tagged
// parameters, by management subtype (-1: no tagged parameters).
var wlanMgmtFixed = [16]int{4, 6, 10, 6, 0, 12, 12, -1, 12, -1, -1, -1, -1, -1, -1, -1}

// wlanLayer decodes an IEEE 802.11 MAC header (and, for management frames,
// the fixed fields and SSID).
func (j *JSONWriter) wlanLayer(d []byte) (jsonStep, []byte, error) {
	if j.wlanFCS && len(d) >= 4 {
		d = d[:len(d)-4]
	}
	if len(d) < 10 {
		j.truncated = true
		return jsonStepWLAN, d, errWifiShort
	}
	fc := d[0]
	typ, sub, fl := int(fc>>2&3), int(fc>>4), d[1]
	if fc&3 != 0 {
		return jsonStepWLAN, d, errWifiVersion
	}
	b := jsonStr(j.open("wlan"), "type", wlanTypeNames[typ])
	b = jsonStr(b, "subtype", wlanSubtypeNames[typ][sub])
	b = jsonFlags(b, "flags", uint16(fl), wlanFlagNames)
	b = jsonInt(b, "duration", int(binary.LittleEndian.Uint16(d[2:])))
	b = jsonMAC(b, "ra", d[4:10])
	hl := 10
	if typ == 1 { // control
		switch sub {
		case 2, 3, 4, 5, 8, 9, 10, 11: // frames with a transmitter address
			if len(d) < 16 {
				j.lay = append(b, '}')
				j.truncated = true
				return jsonStepPayload, d[hl:], errWifiShort
			}
			b = jsonMAC(b, "ta", d[10:16])
			if sub == 10 {
				b = jsonMAC(b, "bssid", d[4:10])
			}
			hl = 16
		case 14, 15:
			if len(d) >= 16 {
				b = jsonMAC(b, "bssid", d[10:16])
				hl = 16
			}
		}
		j.lay = append(b, '}')
		return jsonStepPayload, d[hl:], nil
	}
	if len(d) < 24 {
		j.lay = append(b, '}')
		j.truncated = true
		return jsonStepPayload, d[hl:], errWifiShort
	}
	a1, a2, a3 := d[4:10], d[10:16], d[16:22]
	b = jsonMAC(b, "ta", a2)
	hl = 24
	toDS, fromDS := fl&1 != 0, fl&2 != 0
	var a4 []byte
	if typ == 2 && toDS && fromDS {
		if len(d) < 30 {
			j.lay = append(b, '}')
			j.truncated = true
			return jsonStepPayload, d[hl:], errWifiShort
		}
		a4, hl = d[24:30], 30
	}
	switch {
	case typ != 2 || !toDS && !fromDS:
		b = jsonMAC(b, "da", a1)
		b = jsonMAC(b, "sa", a2)
		b = jsonMAC(b, "bssid", a3)
	case toDS && !fromDS:
		b = jsonMAC(b, "da", a3)
		b = jsonMAC(b, "sa", a2)
		b = jsonMAC(b, "bssid", a1)
	case !toDS && fromDS:
		b = jsonMAC(b, "da", a1)
		b = jsonMAC(b, "sa", a3)
		b = jsonMAC(b, "bssid", a2)
	default:
		b = jsonMAC(b, "da", a3)
		b = jsonMAC(b, "sa", a4)
	}
	sc := binary.LittleEndian.Uint16(d[22:])
	b = jsonInt(b, "seq", int(sc>>4))
	b = jsonInt(b, "frag", int(sc&15))
	if typ == 2 && sub&8 != 0 { // QoS
		if len(d) < hl+2 {
			j.lay = append(b, '}')
			j.truncated = true
			return jsonStepPayload, d[hl:], errWifiShort
		}
		b = jsonInt(b, "tid", int(d[hl]&15))
		hl += 2
		if fl&0x80 != 0 { // HT control
			hl += 4
		}
	}
	if hl > len(d) {
		j.lay = append(b, '}')
		j.truncated = true
		return jsonStepPayload, nil, errWifiShort
	}
	if j.wlanPad {
		hl = (hl + 3) &^ 3
		hl = min(hl, len(d))
	}
	body := d[hl:]
	next := jsonStepPayload
	if typ == 0 && fl&0x40 == 0 {
		b, body = j.wlanMgmt(b, sub, body)
	} else if typ == 2 && sub&4 == 0 && fl&0x40 == 0 && len(body) > 0 {
		next = jsonStepLLC
	}
	j.lay = append(b, '}')
	return next, body, nil
}

// wlanMgmt appends the fixed fields and the SSID and DS channel of a
// management frame body; it returns what it did not read.
func (j *JSONWriter) wlanMgmt(b []byte, sub int, body []byte) ([]byte, []byte) {
	le := binary.LittleEndian
	switch sub {
	case 8, 5: // beacon, probe response
		if len(body) >= 12 {
			b = strconv.AppendUint(jsonKey(b, "timestamp"), le.Uint64(body), 10)
			b = jsonInt(b, "interval", int(le.Uint16(body[8:])))
			b = jsonInt(b, "capabilities", int(le.Uint16(body[10:])))
		}
	case 0, 2: // (re)association request
		if len(body) >= 4 {
			b = jsonInt(b, "capabilities", int(le.Uint16(body)))
			b = jsonInt(b, "listen_interval", int(le.Uint16(body[2:])))
		}
		if sub == 2 && len(body) >= 10 {
			b = jsonMAC(b, "current_ap", body[4:10])
		}
	case 1, 3: // (re)association response
		if len(body) >= 6 {
			b = jsonInt(b, "capabilities", int(le.Uint16(body)))
			b = jsonInt(b, "status", int(le.Uint16(body[2:])))
			b = jsonInt(b, "aid", int(le.Uint16(body[4:])&0x3fff))
		}
	case 10, 12: // disassociation, deauthentication
		if len(body) >= 2 {
			b = jsonInt(b, "reason", int(le.Uint16(body)))
		}
		return b, nil
	case 11: // authentication
		if len(body) >= 6 {
			b = jsonInt(b, "algorithm", int(le.Uint16(body)))
			b = jsonInt(b, "auth_seq", int(le.Uint16(body[2:])))
			b = jsonInt(b, "status", int(le.Uint16(body[4:])))
		}
		return b, nil
	case 13, 14: // action
		if len(body) >= 1 {
			b = jsonInt(b, "category", int(body[0]))
		}
		return b, nil
	}
	fixed := wlanMgmtFixed[sub]
	if fixed < 0 || len(body) < fixed {
		return b, nil
	}
	tags := body[fixed:]
	ssid := false
	for len(tags) >= 2 {
		id, l := tags[0], int(tags[1])
		if 2+l > len(tags) {
			b = append(b, `,"tags_truncated":true`...)
			j.truncated = true
			break
		}
		v := tags[2 : 2+l]
		tags = tags[2+l:]
		switch {
		case id == 0 && !ssid:
			b = jsonBytes(jsonKey(b, "ssid"), bytes.TrimRight(v, "\x00"))
			ssid = true
		case id == 3 && l == 1:
			b = jsonInt(b, "ds_channel", int(v[0]))
		}
	}
	return b, nil
}

// llcLayer decodes an 802.2 LLC header and, for SNAP, its OUI and type.
func (j *JSONWriter) llcLayer(d []byte) (jsonStep, []byte, error) {
	if len(d) < 3 {
		j.truncated = true
		return jsonStepLLC, d, errWifiShort
	}
	b := jsonInt(j.open("llc"), "dsap", int(d[0]))
	b = jsonInt(b, "ssap", int(d[1]))
	b = jsonInt(b, "ctrl", int(d[2]))
	if d[0] != 0xaa || d[1] != 0xaa || d[2] != 3 || len(d) < 8 {
		j.lay = append(b, '}')
		return jsonStepPayload, d[3:], nil
	}
	b = jsonInt(b, "oui", int(d[3])<<16|int(jsonBE16(d[4:])))
	t := layers.EthernetType(jsonBE16(d[6:]))
	j.lay = append(jsonEtherType(b, "type", t), '}')
	return jsonEtherStep(t), d[8:], nil
}
