// Command wirekit is a pure-Go packet toolkit: it reads, writes, merges and
// decodes captures, with no cgo and no libpcap. Run "wirekit --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/wirekit/wirekit/internal/cli"
)

func main() {
	// The first SIGINT or SIGTERM cancels the context with the signal as
	// its cause: commands finish their outputs and Run exits 130 or 143.
	// A second one stops at once (the default action restored).
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel(&cli.Interrupted{Signal: s})
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(code)
}
