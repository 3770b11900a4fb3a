//go:build !linux

package capture

import (
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// Handle is a live capture; on this system it cannot be opened.
type Handle struct{}

// Open returns ErrNotSupported on this system.
func Open(iface string, cfg *Config) (*Handle, error) { return nil, ErrNotSupported }

// LinkTypeOf returns ErrNotSupported on this system.
func LinkTypeOf(iface string) (layers.LinkType, error) { return 0, ErrNotSupported }

// deviceLinkType is 0 here: no interface can be opened.
func deviceLinkType(ifc *net.Interface) layers.LinkType { return 0 }

// ReadPacketData returns ErrNotSupported.
func (h *Handle) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, ErrNotSupported
}

// ZeroCopyReadPacketData returns ErrNotSupported.
func (h *Handle) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, ErrNotSupported
}

// LinkType returns Ethernet.
func (h *Handle) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// Interfaces returns nothing.
func (h *Handle) Interfaces() []pcapio.Interface { return nil }

// Stats returns ErrNotSupported.
func (h *Handle) Stats() (Stats, error) { return Stats{}, ErrNotSupported }

// Inject returns ErrNotSupported.
func (h *Handle) Inject(data []byte) error { return ErrNotSupported }

// Close does nothing.
func (h *Handle) Close() error { return nil }

// DropPrivileges returns ErrNotSupported on this system.
func DropPrivileges(name string) error { return ErrNotSupported }
