package capture

import (
	"fmt"
	"net"
	"runtime"

	"github.com/gopacket/gopacket/layers"
)

// Device is a network interface that capture can open.
type Device struct {
	Index int
	Name  string
	// Description says what a pseudo-device is; empty for interfaces.
	Description  string
	Flags        net.Flags
	MTU          int
	HardwareAddr net.HardwareAddr
	Addrs        []net.Addr
	// LinkType is the link type of packets captured on it; 0 when capture
	// does not support the interface yet (no Ethernet header).
	LinkType layers.LinkType
}

// Devices lists the interfaces of this host, then, on Linux, the "any"
// pseudo-device (numbered after them, as tcpdump -D does). Addresses that
// cannot be read are left out; the error is from listing the interfaces.
func Devices() ([]Device, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("capture: listing interfaces: %w", err)
	}
	var out []Device
	for _, ifc := range ifs {
		d := Device{Index: ifc.Index, Name: ifc.Name, Flags: ifc.Flags, MTU: ifc.MTU, HardwareAddr: ifc.HardwareAddr}
		d.Addrs, _ = ifc.Addrs()
		if ifc.Flags&net.FlagLoopback != 0 || len(ifc.HardwareAddr) == 6 {
			d.LinkType = layers.LinkTypeEthernet
		}
		out = append(out, d)
	}
	if runtime.GOOS == "linux" {
		out = append(out, Device{Index: len(out) + 1, Name: Any, Description: "Pseudo-device that captures on all interfaces",
			Flags: net.FlagUp | net.FlagRunning, LinkType: layers.LinkTypeLinuxSLL})
	}
	return out, nil
}
