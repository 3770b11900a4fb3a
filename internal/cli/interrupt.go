package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Interrupted is the cause to cancel Run's context with when a signal
// stops wirekit (cmd/wirekit does so for SIGINT and SIGTERM). Every
// command then finishes its outputs as valid files of what was read,
// says so on stderr, and Run returns ExitCode.
type Interrupted struct {
	Signal os.Signal
}

// Error is "interrupted by SIGINT" (or the signal's name).
func (e *Interrupted) Error() string { return "interrupted by " + signalName(e.Signal) }

// Is makes an interruption a context.Canceled, as ctx.Err() is.
func (e *Interrupted) Is(target error) bool { return target == context.Canceled }

// ExitCode is 128 plus the signal number: 130 for SIGINT, 143 for
// SIGTERM; 130 for a signal without a number.
func (e *Interrupted) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok && s > 0 && s < 128 {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case nil:
		return "a signal"
	}
	return s.String()
}

// signalOf returns the interruption that cancelled ctx, or nil when ctx is
// not done or was cancelled for another reason. Besides *Interrupted, it
// knows the causes signal.NotifyContext gives ("interrupt signal
// received", "terminated signal received").
func signalOf(ctx context.Context) *Interrupted {
	if ctx == nil || ctx.Err() == nil {
		return nil
	}
	cause := context.Cause(ctx)
	var in *Interrupted
	if errors.As(cause, &in) {
		return in
	}
	switch cause.Error() {
	case os.Interrupt.String() + " signal received":
		return &Interrupted{Signal: syscall.SIGINT}
	case syscall.SIGTERM.String() + " signal received":
		return &Interrupted{Signal: syscall.SIGTERM}
	}
	return nil
}

// interruptNote is how a command reports that a signal stopped it: what
// it had done and what each output holds.
type interruptNote struct {
	in  *Interrupted
	msg string
}

func (e *interruptNote) Error() string { return e.msg }
func (e *interruptNote) Unwrap() error { return e.in }

// interrupted returns, when a signal cancelled ctx, the note cmd ends with:
// "CMD: interrupted by SIGINT: " and what follows from format; nil
// otherwise, so that callers can write "if err := interrupted(...); err !=
// nil { return err }".
func interrupted(ctx context.Context, cmd, format string, args ...any) error {
	in := signalOf(ctx)
	if in == nil {
		return nil
	}
	return &interruptNote{in: in, msg: fmt.Sprintf("%s: %v: ", cmd, in) + fmt.Sprintf(format, args...)}
}
