package filter

import (
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by errors for primitives, qualifier
// combinations and link types that libpcap accepts but this package does
// not compile yet. Test for it with errors.Is.
var ErrUnsupported = errors.New("not supported by wirekit's filter compiler yet")

// ErrRejectsAll is wrapped by the error Compile and CompileWith return,
// as libpcap's pcap_compile does ("expression rejects all packets"), when
// the optimizer finds that the program can never accept a packet: after
// optimization its first instruction is "ret #0" ("ip6 and igmp" on
// IPV4, "arp and port 80" on Ethernet). Compiling without the optimizer
// (Options.NoOptimize, as "tcpdump -O") or with Options.AllowRejectAll
// gives the program instead. Test for it with errors.Is.
var ErrRejectsAll = errors.New("expression rejects all packets")

// SyntaxError reports an expression that libpcap would also reject, or
// one this package cannot compile. Msg is libpcap's own message text where
// libpcap has one (for example "syntax error", "unknown host 'foo'" or
// "illegal port number 70000 > 65535"); Pos is the byte offset in the
// expression of the token the error is about.
type SyntaxError struct {
	Pos int
	Msg string
	err error // optional wrapped sentinel such as ErrUnsupported
}

// Error returns the message followed by the 1-based column (the message
// alone for ErrRejectsAll, which is about the whole expression).
func (e *SyntaxError) Error() string {
	if e.err == ErrRejectsAll {
		return e.Msg
	}
	return fmt.Sprintf("%s (column %d)", e.Msg, e.Pos+1)
}

// Unwrap returns the sentinel the error wraps, if any.
func (e *SyntaxError) Unwrap() error { return e.err }

// LibpcapMessage returns the message as tcpdump prints it after
// "tcpdump: ": grammar errors get libpcap's "can't parse filter
// expression: " prefix.
func (e *SyntaxError) LibpcapMessage() string {
	if e.Msg == "syntax error" {
		return "can't parse filter expression: syntax error"
	}
	return e.Msg
}

// compileError is the panic payload used inside the compiler to unwind to
// Compile, which turns it back into an error. It never escapes the package.
type compileError struct{ err *SyntaxError }
