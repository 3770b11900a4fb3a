package cli

import (
	"strings"
	"testing"
)

// TestFilterCompileLinkMoreNames: filter compile -y takes tcpdump's names
// of the ATM, SS7 and serial link types, and their keywords compile.
func TestFilterCompileLinkMoreNames(t *testing.T) {
	tests := []struct {
		dlt, expr, out string
	}{
		{"SUNATM", "vpi 1", "ldb      [1]"},
		{"ATM_RFC1483", "ip", "ldh      [6]"},
		{"ATM_CLIP", "ip6", "ldh      [6]"},
		{"MTP2", "sio 3", "ldb      [3]"},
		{"MTP2_WITH_PHDR", "sio 3", "ldb      [7]"},
		{"MTP3", "link[0] = 3", "ldb      [0]"},
		{"BACNET_MS_TP", "ip", "jeq      #0x55ff0000"},
		{"LTALK", "link[2] = 2", "ldb      [2]"},
		{"APPLE_IP_OVER_IEEE1394", "ip", "ldh      [16]"},
		{"SLIP_BSDOS", "ip", "and      #0xf0"},
		{"PPP_PPPD", "outbound", "jeq      #0x1"},
	}
	for _, tc := range tests {
		t.Run(tc.dlt, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, "filter", "compile", "-y", tc.dlt, tc.expr)
			if code != 0 || !strings.Contains(stdout, tc.out) {
				t.Errorf("-y %s %q: exit %d\nstdout: %s\nstderr: %s\nwant stdout with %q", tc.dlt, tc.expr, code, stdout, stderr, tc.out)
			}
		})
	}
}

// TestFilterCompileOtherNames: the names of the link types compiled by
// codegen_other.go (filter.LinkTypeName) give the program their numbers
// give.
func TestFilterCompileOtherNames(t *testing.T) {
	for _, tc := range []struct{ name, num, expr string }{
		{"JUNIPER_MFR", "134", "ip"},
		{"SYMANTEC_FIREWALL", "99", "tcp"},
		{"ENC", "109", "ip"},
		{"IEEE802_11_RADIO_AVS", "163", "wlan type data"},
		{"IPNET", "226", "ip6"},
		{"NETANALYZER", "240", "arp"},
		{"NETANALYZER_TRANSPARENT", "241", "vlan"},
		{"DSA_TAG_BRCM", "281", "link[0] = 1"},
		{"PPI", "192", "ip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, byName, stderr := run(t, nil, "filter", "compile", "-y", tc.name, tc.expr)
			if code != 0 {
				t.Fatalf("-y %s %q: exit %d: %s", tc.name, tc.expr, code, stderr)
			}
			_, byNum, _ := run(t, nil, "filter", "compile", "-y", tc.num, tc.expr)
			if byName != byNum || byName == "" {
				t.Errorf("-y %s gives\n%s\n-y %s gives\n%s", tc.name, byName, tc.num, byNum)
			}
		})
	}
}
