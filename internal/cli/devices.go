package cli

import (
	"fmt"
	"net"
	"strings"

	"github.com/spf13/cobra"
)

func newDevicesCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "devices",
		Short: "List network interfaces with index, flags and addresses (like tcpdump -D)",
		Long: `devices lists the interfaces of this host that capture and replay can use:
the interface index, its name, its flags (Up, Running, Loopback, ...) and its
addresses.`,
		Example: `  wirekit devices`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ifs, err := net.Interfaces()
			if err != nil {
				return fmt.Errorf("devices: %w", err)
			}
			for _, ifc := range ifs {
				fmt.Fprintln(e.stdout, formatDevice(ifc, addrsOf(ifc)))
			}
			return nil
		},
	}
}

// addrsOf returns an interface's addresses, or none when they can't be read.
func addrsOf(ifc net.Interface) []net.Addr {
	a, err := ifc.Addrs()
	if err != nil {
		return nil
	}
	return a
}

// formatDevice renders one line: "1.lo [Up, Running, Loopback] 127.0.0.1/8 ::1/128".
func formatDevice(ifc net.Interface, addrs []net.Addr) string {
	var flags []string
	if ifc.Flags&net.FlagUp != 0 {
		flags = append(flags, "Up")
	}
	if ifc.Flags&net.FlagRunning != 0 {
		flags = append(flags, "Running")
	}
	if ifc.Flags&net.FlagLoopback != 0 {
		flags = append(flags, "Loopback")
	}
	if ifc.Flags&net.FlagPointToPoint != 0 {
		flags = append(flags, "PointToPoint")
	}
	if ifc.Flags&net.FlagMulticast != 0 {
		flags = append(flags, "Multicast")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d.%s [%s]", ifc.Index, ifc.Name, strings.Join(flags, ", "))
	if len(ifc.HardwareAddr) > 0 {
		fmt.Fprintf(&b, " %s", ifc.HardwareAddr)
	}
	for _, a := range addrs {
		fmt.Fprintf(&b, " %s", a)
	}
	return b.String()
}
