package cli

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// linkTypeName formats a link type as tcpdump does: "EN10MB (Ethernet)".
func linkTypeName(lt layers.LinkType) string {
	if name, desc, ok := filter.LinkTypeName(lt); ok {
		return fmt.Sprintf("%s (%s)", name, desc)
	}
	return fmt.Sprintf("%d (%s)", int(lt), lt.String())
}
