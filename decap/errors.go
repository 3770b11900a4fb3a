package decap

import "fmt"

// Reason says why a tunnel could not be stripped. Reasons are comparable
// with errors.Is against the error Strip returns.
type Reason uint8

// The reasons Strip stops at a tunnel header. None of them is fatal: the
// packet comes back stripped of the tunnels outside the failing one (or
// unchanged), ready to be used as it is.
const (
	// ErrTruncated: the capture ends inside the tunnel header, or nothing
	// of the inner frame was captured.
	ErrTruncated Reason = iota + 1
	// ErrMalformed: the tunnel header contradicts itself or its carrier
	// (a version or flag that must have one value, an inner packet of the
	// wrong IP version, a header running past the IP packet's end).
	ErrMalformed
	// ErrUnsupported: a well-formed header for something decap does not
	// strip (GRE version 1 or RFC 1701 routing, a GRE or Geneve protocol
	// type other than IPv4, IPv6 or Ethernet, an ERSPAN III frame type
	// other than Ethernet or IP, Geneve version above 0).
	ErrUnsupported
	// ErrFragmented: the carrier IP packet is a fragment, so the tunnel
	// header or the inner packet is split across packets; decap does not
	// reassemble.
	ErrFragmented
)

var reasonText = [...]string{"", "truncated tunnel header", "malformed tunnel header", "unsupported tunnel", "fragmented tunnel packet"}

// Error returns the reason's text.
func (r Reason) Error() string {
	if int(r) < len(reasonText) && r != 0 {
		return "decap: " + reasonText[r]
	}
	return fmt.Sprintf("decap: reason %d", uint8(r))
}

// Error tells where and why Strip stopped. Strip returns a pointer to an
// Error owned by the [Decapsulator] (so that a bad packet costs no
// allocation): it is overwritten by the next call, so format it or copy
// the struct to keep it.
type Error struct {
	// Kind is the tunnel whose header failed.
	Kind Kind
	// Offset is where its header starts in the packet data.
	Offset int
	// Reason is the class of failure; errors.Is(err, ErrTruncated) works.
	Reason Reason
	// Detail is a fixed phrase naming the field at fault.
	Detail string
}

// Error formats the failure as "decap: KIND header at offset N: REASON: DETAIL".
func (e *Error) Error() string {
	txt := "unknown reason"
	if e.Reason != 0 && int(e.Reason) < len(reasonText) {
		txt = reasonText[e.Reason]
	}
	return fmt.Sprintf("decap: %s header at offset %d: %s: %s", e.Kind, e.Offset, txt, e.Detail)
}

// Unwrap returns the Reason, so that errors.Is matches the sentinels.
func (e *Error) Unwrap() error { return e.Reason }
