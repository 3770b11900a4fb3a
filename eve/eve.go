package eve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// ErrNoFlow is returned by Parse for an event that names no flow (no
// src_ip or dest_ip), such as Suricata's stats events.
var ErrNoFlow = errors.New("event has no src_ip and dest_ip")

// Event is what wirekit reads from one EVE line.
type Event struct {
	// Type is event_type: "alert", "flow", "http", ...
	Type string
	// Time is timestamp, the moment Suricata logged the event.
	Time time.Time
	// FlowID is flow_id (0 when absent); HasFlowID says whether it was there.
	FlowID    uint64
	HasFlowID bool
	// Src, Dst, SrcPort and DstPort are src_ip, dest_ip, src_port and
	// dest_port as Suricata wrote them (for an alert, the direction of the
	// packet that matched, not necessarily the flow's client side).
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	// Proto is proto in upper case: "TCP", "UDP", "ICMP", "IPV6-ICMP",
	// "SCTP", or a protocol number as text.
	Proto string
	// Start and End are flow.start and flow.end, zero when absent.
	Start, End time.Time
	// CaptureFile is capture_file (Suricata's pcap-file mode), "" when absent.
	CaptureFile string
	// Tunnel is the tunnel object, nil when the flow was not tunnelled.
	Tunnel *Tunnel
}

// Tunnel is EVE's "tunnel" object: the outer flow that carried the event's
// flow.
type Tunnel struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	// Proto is the carrier's protocol as Suricata names it ("GRE", "UDP"
	// for VXLAN and Geneve, "IPv4"/"IPv6" for IP in IP), upper case.
	Proto string
	// Depth is how many tunnels deep the event's flow was.
	Depth int
}

// LineError is a line that could not be read as an event.
type LineError struct {
	// Line is the 1-based line number.
	Line int
	// Err is why.
	Err error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// raw mirrors the JSON; every field is optional.
type raw struct {
	EventType   string          `json:"event_type"`
	Timestamp   string          `json:"timestamp"`
	FlowID      json.RawMessage `json:"flow_id"`
	SrcIP       string          `json:"src_ip"`
	DestIP      string          `json:"dest_ip"`
	SrcPort     *int64          `json:"src_port"`
	DestPort    *int64          `json:"dest_port"`
	Proto       json.RawMessage `json:"proto"`
	CaptureFile string          `json:"capture_file"`
	Flow        *struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"flow"`
	Tunnel *struct {
		SrcIP    string          `json:"src_ip"`
		DestIP   string          `json:"dest_ip"`
		SrcPort  *int64          `json:"src_port"`
		DestPort *int64          `json:"dest_port"`
		Proto    json.RawMessage `json:"proto"`
		Depth    *int64          `json:"depth"`
	} `json:"tunnel"`
}

// timeLayouts are the forms Suricata writes (its own, with a numeric zone
// and no colon) and RFC 3339 for events that went through other tools.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999-0700",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
}

// ParseTime reads an EVE timestamp: Suricata's
// "2006-01-02T15:04:05.000000+0000", RFC 3339, or the same with no zone
// (taken as UTC).
func ParseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is in no format Suricata writes (2006-01-02T15:04:05.000000+0000)", s)
}

// Parse reads one EVE JSON object. It returns an error, and a zero Event,
// when line is not a JSON object, when a field wirekit uses has the wrong
// type or an impossible value, or (ErrNoFlow) when the event names no
// flow. It never panics.
func Parse(line []byte) (Event, error) {
	var r raw
	if err := json.Unmarshal(line, &r); err != nil {
		return Event{}, fmt.Errorf("not an EVE JSON object: %w", err)
	}
	var ev Event
	ev.Type = r.EventType
	if r.Timestamp != "" {
		t, err := ParseTime(r.Timestamp)
		if err != nil {
			return Event{}, err
		}
		ev.Time = t
	}
	if len(r.FlowID) > 0 && string(r.FlowID) != "null" {
		id, err := parseFlowID(r.FlowID)
		if err != nil {
			return Event{}, err
		}
		ev.FlowID, ev.HasFlowID = id, true
	}
	if r.SrcIP == "" || r.DestIP == "" {
		return Event{}, ErrNoFlow
	}
	var err error
	if ev.Src, err = parseAddr("src_ip", r.SrcIP); err != nil {
		return Event{}, err
	}
	if ev.Dst, err = parseAddr("dest_ip", r.DestIP); err != nil {
		return Event{}, err
	}
	if ev.SrcPort, err = port("src_port", r.SrcPort); err != nil {
		return Event{}, err
	}
	if ev.DstPort, err = port("dest_port", r.DestPort); err != nil {
		return Event{}, err
	}
	if ev.Proto, err = proto("proto", r.Proto); err != nil {
		return Event{}, err
	}
	ev.CaptureFile = r.CaptureFile
	if r.Flow != nil {
		if r.Flow.Start != "" {
			if ev.Start, err = ParseTime(r.Flow.Start); err != nil {
				return Event{}, fmt.Errorf("flow.start: %w", err)
			}
		}
		if r.Flow.End != "" {
			if ev.End, err = ParseTime(r.Flow.End); err != nil {
				return Event{}, fmt.Errorf("flow.end: %w", err)
			}
		}
	}
	if t := r.Tunnel; t != nil {
		tu := &Tunnel{}
		if tu.Src, err = parseAddr("tunnel.src_ip", t.SrcIP); err != nil {
			return Event{}, err
		}
		if tu.Dst, err = parseAddr("tunnel.dest_ip", t.DestIP); err != nil {
			return Event{}, err
		}
		if tu.SrcPort, err = port("tunnel.src_port", t.SrcPort); err != nil {
			return Event{}, err
		}
		if tu.DstPort, err = port("tunnel.dest_port", t.DestPort); err != nil {
			return Event{}, err
		}
		if tu.Proto, err = proto("tunnel.proto", t.Proto); err != nil {
			return Event{}, err
		}
		if t.Depth != nil {
			if *t.Depth < 0 || *t.Depth > 255 {
				return Event{}, fmt.Errorf("tunnel.depth %d is out of range 0-255", *t.Depth)
			}
			tu.Depth = int(*t.Depth)
		}
		if tu.Depth == 0 {
			tu.Depth = 1 // Suricata writes depth for nested tunnels; one is implied
		}
		ev.Tunnel = tu
	}
	return ev, nil
}

// parseFlowID accepts flow_id as a JSON number (Suricata's form, up to
// 2^64-1) or a string of digits (some pipelines quote it).
func parseFlowID(b json.RawMessage) (uint64, error) {
	s := string(b)
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, fmt.Errorf("flow_id: %w", err)
		}
	}
	var id uint64
	if _, err := fmt.Sscanf(s, "%d", &id); err != nil || fmt.Sprint(id) != s {
		return 0, fmt.Errorf("flow_id %s is not a number from 0 to 18446744073709551615", b)
	}
	return id, nil
}

func parseAddr(field, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%s %q is not an IP address", field, s)
	}
	return a.Unmap(), nil
}

func port(field string, p *int64) (uint16, error) {
	if p == nil {
		return 0, nil
	}
	if *p < 0 || *p > 65535 {
		return 0, fmt.Errorf("%s %d is out of range 0-65535", field, *p)
	}
	return uint16(*p), nil
}

// proto accepts a protocol name or number (Suricata writes names, and
// numbers for protocols it has no name for).
func proto(field string, b json.RawMessage) (string, error) {
	if len(b) == 0 || string(b) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return strings.ToUpper(s), nil
	}
	var n uint8
	if err := json.Unmarshal(b, &n); err == nil {
		return fmt.Sprint(n), nil
	}
	return "", fmt.Errorf("%s %s is neither a protocol name nor a number 0-255", field, b)
}
