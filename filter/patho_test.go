package filter

import (
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// TestPathologicalInputsAreFast guards against backtracking blow-ups.
func TestPathologicalInputsAreFast(t *testing.T) {
	tests := []string{
		strings.Repeat("(", 500) + "tcp" + strings.Repeat(")", 500),
		"host 1.2.3.4 and " + strings.Repeat("(", 500) + "5.6.7.8" + strings.Repeat(")", 500),
		strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + " = 1",
		strings.Repeat("not ", 2000) + "tcp",
		strings.Repeat("-", 2000) + "1 = 1",
		strings.Repeat("tcp and ", 250) + "udp",
		strings.Repeat("1:", 2000),
		strings.Repeat("a", 5000),
	}
	for _, expr := range tests {
		if d := timeOf(func() { Compile(expr, layers.LinkTypeEthernet, 65535) }); d > 2*time.Second {
			t.Errorf("%.40q...: %v", expr, d)
		}
	}
}
