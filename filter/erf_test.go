package filter

import (
	"strings"
	"testing"
)

// TestERFSS7 checks the MTP2/MTP3 keywords on ERF (libpcap gives ERF the
// offsets of MTP2 after a 20-byte record header) against the optimized
// programs "tcpdump -d -y ERF EXPR" prints (tcpdump 4.99.3, libpcap
// 1.10.3), and that other protocols are refused with its message.
func TestERFSS7(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"sio 3", `(000) ldb      [23]
(001) jeq      #0x3             jt 2	jf 3
(002) ret      #262144
(003) ret      #0`},
		{"opc 1", `(000) ld       [24]
(001) and      #0xc0ff0f
(002) jeq      #0x400000        jt 3	jf 4
(003) ret      #262144
(004) ret      #0`},
		{"hsls 3", `(000) ldb      [30]
(001) and      #0xf0
(002) jeq      #0x30            jt 3	jf 4
(003) ret      #262144
(004) ret      #0`},
		{"dpc 2", `(000) ld       [24]
(001) and      #0xff3f0000
(002) jeq      #0x2000000       jt 3	jf 4
(003) ret      #262144
(004) ret      #0`},
		{"ip", "error: ERF link-layer type filtering not implemented"},
	}
	for _, tc := range tests {
		p, err := Compile(tc.expr, ltERF, 262144)
		var got string
		if err != nil {
			got = "error: " + err.Error()
		} else if got, err = Format(p, "d"); err != nil {
			t.Fatal(err)
		}
		got = strings.TrimSpace(got)
		if msg, ok := strings.CutPrefix(tc.want, "error: "); ok {
			if !strings.Contains(got, msg) {
				t.Errorf("%s on ERF: got %q, want libpcap's error %q", tc.expr, got, msg)
			}
			continue
		}
		if got != strings.TrimSpace(tc.want) {
			t.Errorf("%s on ERF:\ngot:\n%s\nwant (tcpdump -d -y ERF):\n%s", tc.expr, got, tc.want)
		}
	}
}
