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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
