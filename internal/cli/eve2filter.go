package cli

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/eve"
	"github.com/wirekit/wirekit/internal/safefile"
)

func newEve2FilterCmd(e *env) *cobra.Command {
	var pathEve, pathFilter string
	c := &cobra.Command{
		Use:   "eve2filter --path-eve EVE [--path-filter OUT]",
		Short: "Write a filter YAML with one filter per flow of Suricata alerts",
		Long: `eve2filter reads Suricata EVE events (eve.json, one JSON object per line; - for
standard input) and writes, for each flow that raised an alert (the first
alert of each flow_id), a named filter in the YAML layout of GopherCap's and
wirekit's batch filter: the name is the flow_id and the conditions are the
two addresses (kind subnet, as /32 or /128) and, for TCP and UDP, the two
ports (kind port, as PORT/tcp or PORT/udp), all of which must match.
GopherCap writes bare addresses and bare port numbers, which its own filter
command then refuses; wirekit writes the forms both accept.

Events other than alerts are ignored; a line that is not a valid event is
reported with its line number and skipped. The YAML is written complete or
not at all (- writes it to standard output).`,
		Example: `  wirekit eve2filter --path-eve /var/log/suricata/eve.json --path-filter alerts.yaml
  wirekit filter --yaml alerts.yaml --input /var/log/suricata --output /tmp/flows`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pathEve == "" {
				return usagef("eve2filter: give the EVE file with --path-eve FILE (- for stdin)")
			}
			if pathFilter == "" {
				return usagef("eve2filter: --path-filter is empty: give the YAML file to write")
			}
			var r io.Reader = e.stdin
			if pathEve != "-" {
				fh, err := e.openFile(cmd.Context(), pathEve)
				if err != nil {
					return fmt.Errorf("eve2filter: --path-eve: %w", err)
				}
				defer fh.Close()
				r = fh
			}
			sc := eve.NewScanner(r)
			seen := map[string]bool{}
			var names []string
			var body = map[string]string{}
			alerts := 0
			for sc.Scan() {
				ev := sc.Event()
				if ev.Type != "alert" {
					continue
				}
				alerts++
				name := strconv.FormatUint(ev.FlowID, 10)
				if !ev.HasFlowID {
					name = fmt.Sprintf("line-%d", sc.Line())
				}
				if seen[name] {
					continue
				}
				seen[name] = true
				names = append(names, name)
				body[name] = filterYAML(ev)
			}
			for _, s := range sc.Skipped() {
				fmt.Fprintf(e.stderr, "wirekit: eve2filter: %s: %v (skipped)\n", pathEve, s)
			}
			if err := sc.Err(); err != nil {
				return fmt.Errorf("eve2filter: %s: %w", pathEve, err)
			}
			sort.Strings(names)
			var b strings.Builder
			if len(names) == 0 {
				b.WriteString("{}\n")
			}
			for _, n := range names {
				fmt.Fprintf(&b, "%q:\n%s", n, body[n])
			}
			if pathFilter == "-" {
				if _, err := io.WriteString(e.stdout, b.String()); err != nil {
					return fmt.Errorf("eve2filter: %w", err)
				}
			} else if blobio.IsURL(pathFilter) {
				w, err := e.createOutput(cmd.Context(), "--path-filter", pathFilter)
				if err != nil {
					return fmt.Errorf("eve2filter: %w", err)
				}
				if _, err := io.WriteString(w, b.String()); err != nil {
					w.Abort()
					return fmt.Errorf("eve2filter: --path-filter: %w", err)
				}
				if err := w.Close(); err != nil {
					return fmt.Errorf("eve2filter: --path-filter: %w", err)
				}
			} else if err := safefile.WriteFile(pathFilter, []byte(b.String())); err != nil {
				return fmt.Errorf("eve2filter: --path-filter: %w", err)
			}
			fmt.Fprintf(e.stderr, "eve2filter: %d filters from %d alerts (%d lines skipped) written to %s\n", len(names), alerts, len(sc.Skipped()), pathFilter)
			return nil
		},
	}
	c.Flags().StringVar(&pathEve, "path-eve", "", "Suricata EVE JSON file (- for stdin)")
	c.Flags().StringVar(&pathFilter, "path-filter", "./filter-generated.yaml", "filter YAML to write (- for stdout)")
	return c
}

// filterYAML is the conditions block of one flow's filter.
func filterYAML(ev eve.Event) string {
	var b strings.Builder
	b.WriteString("  conditions:\n")
	cond := func(kind, match string) {
		fmt.Fprintf(&b, "  - kind: %s\n    match:\n    - %q\n", kind, match)
	}
	bits := 32
	if ev.Src.Is6() {
		bits = 128
	}
	cond("subnet", fmt.Sprintf("%s/%d", ev.Src, bits))
	bits = 32
	if ev.Dst.Is6() {
		bits = 128
	}
	cond("subnet", fmt.Sprintf("%s/%d", ev.Dst, bits))
	if p := strings.ToLower(ev.Proto); p == "tcp" || p == "udp" {
		cond("port", fmt.Sprintf("%d/%s", ev.SrcPort, p))
		cond("port", fmt.Sprintf("%d/%s", ev.DstPort, p))
	}
	return b.String()
}
