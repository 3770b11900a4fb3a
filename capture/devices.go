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
	// LinkType is the link type of packets Open gives on it (what
	// LinkTypeOf returns): Ethernet, RAW for interfaces with no link
	// header (tun, WireGuard, IP-in-IP), LINUX_SLL2 for "any". It is 0
	// when Open would refuse the interface (another link header), and on
	// systems without live capture.
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
		d.LinkType = deviceLinkType(&ifc)
		out = append(out, d)
	}
	if runtime.GOOS == "linux" {
		lt, _ := LinkTypeOf(Any)
		out = append(out, Device{Index: len(out) + 1, Name: Any, Description: "Pseudo-device that captures on all interfaces",
			Flags: net.FlagUp | net.FlagRunning, LinkType: lt})
	}
	return out, nil
}
