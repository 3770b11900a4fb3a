package cli

import (
	"fmt"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/capture"
)

func newDevicesCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "devices",
		Short: "List network interfaces with index, flags and addresses (like tcpdump -D)",
		Long: `devices lists the interfaces of this host that capture and replay can use:
the interface index, its name, its flags (Up, Running, Loopback, ...) and its
addresses; on Linux, last, the "any" pseudo-device (every interface at once).`,
		Example: `  wirekit devices`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			devs, err := capture.Devices()
			if err != nil {
				return fmt.Errorf("devices: %w", err)
			}
			for _, d := range devs {
				fmt.Fprintln(e.stdout, formatDevice(d))
			}
			return nil
		},
	}
}

// formatDevice renders one line: "1.lo [Up, Running, Loopback] 127.0.0.1/8 ::1/128",
// "9.any (Pseudo-device that captures on all interfaces) [Up, Running]".
func formatDevice(d capture.Device) string {
	var flags []string
	for _, f := range []struct {
		bit  net.Flags
		name string
	}{{net.FlagUp, "Up"}, {net.FlagRunning, "Running"}, {net.FlagLoopback, "Loopback"}, {net.FlagPointToPoint, "PointToPoint"}, {net.FlagMulticast, "Multicast"}} {
		if d.Flags&f.bit != 0 {
			flags = append(flags, f.name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d.%s", d.Index, d.Name)
	if d.Description != "" {
		fmt.Fprintf(&b, " (%s)", d.Description)
	}
	fmt.Fprintf(&b, " [%s]", strings.Join(flags, ", "))
	if len(d.HardwareAddr) > 0 {
		fmt.Fprintf(&b, " %s", d.HardwareAddr)
	}
	for _, a := range d.Addrs {
		fmt.Fprintf(&b, " %s", a)
	}
	return b.String()
}
