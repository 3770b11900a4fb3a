// Package cli is wirekit's command line: one file per subcommand, each with
// its flags, help text and examples. It holds no packet logic; that lives in
// the library packages (pcapio, decode, ...).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // runtime failure: a damaged file, an I/O error
	ExitUsage   = 2 // usage error: a bad flag or argument
	// A signal gives 128 plus its number: 130 for SIGINT, 143 for SIGTERM.
)

// Run executes the wirekit command line args (without the program name),
// writing to stdout and stderr, and returns the process exit code. ctx
// cancellation makes long commands stop cleanly: output already produced
// is flushed and files are closed as valid files of what was read. When
// ctx was cancelled with an *Interrupted cause (main does so on SIGINT
// and SIGTERM), or by signal.NotifyContext, Run says so on stderr, with
// what each output holds, and returns 128 plus the signal number (130
// for SIGINT, 143 for SIGTERM), as shells report a command a signal
// stopped.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	defer env.closeStore()
	root := newRoot(env)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if in := signalOf(ctx); in != nil {
		var note *interruptNote
		switch {
		case errors.As(err, &note):
			fmt.Fprintf(stderr, "wirekit: %v\n", err)
		case err == nil:
			fmt.Fprintf(stderr, "wirekit: %v\n", in)
		case strings.Contains(err.Error(), in.Error()):
			fmt.Fprintf(stderr, "wirekit: %v\n", err)
		case errors.Is(err, context.Canceled):
			fmt.Fprintf(stderr, "wirekit: %v: %v\n", in, err)
		default:
			fmt.Fprintf(stderr, "wirekit: %v (%v)\n", err, in)
		}
		return in.ExitCode()
	}
	if err == nil {
		return ExitOK
	}
	var se *silentExit
	if errors.As(err, &se) {
		return se.code
	}
	fmt.Fprintf(stderr, "wirekit: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

// env is what every subcommand writes to and reads from, so tests can run
// the CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	objs           objects // object storage buckets, opened on first use
}

// usageError marks a mistake in how wirekit was called (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// silentExit ends a command with an exit code and no error message (a
// command that already printed its verdict, such as "filter match").
type silentExit struct{ code int }

func (e *silentExit) Error() string { return fmt.Sprintf("exit code %d", e.code) }

// usagef formats a usage error.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "wirekit",
		Short: "A pure-Go packet toolkit: read, filter, decode, capture, map, replay",
		Long: `wirekit reads, writes, merges and decodes network captures (pcap and pcapng,
plain or compressed), filters them with tcpdump's filter language (compiled
to BPF by wirekit itself), captures and injects live traffic on Linux, maps
and replays sets of capture files with their original timing, and
reassembles TCP streams and HTTP transactions: with no cgo and no libpcap,
in one static binary.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		CompletionOptions: cobra.CompletionOptions{
			DisableDefaultCmd: true,
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{fmt.Errorf("%s: %w (see 'wirekit %s --help')", c.Name(), err, c.Name())}
	})
	var cfgFile string
	root.Version = version()
	root.SetVersionTemplate("wirekit {{.Version}}\n")
	root.PersistentFlags().StringVar(&cfgFile, "config", "", "read flags from this YAML file in GopherCap's layout ('wirekit exampleConfig' prints one); flags given on the command line override it")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cfgFile == "" || cmd.Name() == "exampleConfig" {
			return nil
		}
		return applyConfig(cmd, args, cfgFile)
	}
	root.AddCommand(newVersionCmd(e), newExampleConfigCmd(e, &cfgFile))
	root.AddCommand(newReadCmd(e), newCaptureCmd(e), newFilterCmd(e), newDevicesCmd(e), newGenCmd(e), newMapCmd(e), newInfoCmd(e), newTarExtractCmd(e), newStreamsCmd(e), newHTTPCmd(e), newReplayCmd(e), newExtractCmd(e), newEve2FilterCmd(e))
	root.AddCommand(newFlowsCmd(e))
	root.AddCommand(newReportCmd(e))
	return root
}

// isCobraUsage reports whether err is cobra's own complaint about the
// command line (unknown command, wrong argument count).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "flag needs an argument", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
